package diagnostic

import (
	"strconv"
	"strings"

	"github.com/revalign/revalign"
)

// The enumerations of this package are small integers whose names are their
// JSON text. names[0] is the zero value's name and is "" for enumerations
// whose zero value means "not set"; such a value marshals to "" and "" reads
// back as it.

// enumText returns the name of v in names, or an error naming kind.
func enumText(kind string, names []string, v int) ([]byte, error) {
	if v < 0 || v >= len(names) {
		return nil, &revalign.FieldError{Pkg: pkg, Path: kind, Value: v, Reason: "unknown " + kind}
	}
	return []byte(names[v]), nil
}

// enumParse returns the index of text in names, case-insensitively and
// ignoring surrounding white space and the difference between '-', ' ' and
// '_'.
func enumParse(kind string, names []string, text []byte) (int, error) {
	s := normalizeName(string(text))
	for i, n := range names {
		if n == s {
			return i, nil
		}
	}
	return 0, &revalign.FieldError{Pkg: pkg, Path: kind, Value: string(text), Reason: "must be one of " + strings.Join(nonEmpty(names), ", ")}
}

// enumString returns the name of v, or kind(v) for an unknown value.
func enumString(kind string, names []string, v int) string {
	if v >= 0 && v < len(names) && names[v] != "" {
		return names[v]
	}
	if v == 0 {
		return "none"
	}
	return kind + "(" + strconv.Itoa(v) + ")"
}

func normalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return '_'
		}
		return r
	}, s)
}

func nonEmpty(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
