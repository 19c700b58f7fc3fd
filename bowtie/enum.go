package bowtie

import (
	"fmt"
	"strings"

	"github.com/revalign/revalign"
)

// The package's enumerations are small integers whose zero value is either
// "not set" (rejected by Validate) or a documented default, and which read
// and write as text in JSON. names[i] is the text of value i; an empty name
// marks a value that has no text (the "not set" zero value).

func enumString(kind string, v int, names []string) string {
	if v >= 0 && v < len(names) && names[v] != "" {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", kind, v)
}

func enumMarshal(kind string, v int, names []string) ([]byte, error) {
	if v >= 0 && v < len(names) && names[v] != "" {
		return []byte(names[v]), nil
	}
	return nil, &revalign.FieldError{Pkg: "bowtie", Path: kind, Value: v, Reason: "unknown " + kind}
}

func enumParse(kind string, b []byte, names []string) (int, error) {
	s := strings.ToLower(strings.TrimSpace(string(b)))
	for i, n := range names {
		if n != "" && n == s {
			return i, nil
		}
	}
	valid := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			valid = append(valid, n)
		}
	}
	return 0, &revalign.FieldError{Pkg: "bowtie", Path: kind, Value: string(b), Reason: "must be one of " + strings.Join(valid, ", ")}
}

func enumValid(v int, names []string) bool { return v > 0 && v < len(names) && names[v] != "" }

// enumSet parses b into *p, leaving *p unchanged on error.
func enumSet[T ~uint8](p *T, kind string, b []byte, names []string) error {
	v, err := enumParse(kind, b, names)
	if err == nil {
		*p = T(v)
	}
	return err
}
