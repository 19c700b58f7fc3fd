package icp

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/revalign/revalign"
)

// enumString returns names[v], or "Type(v)" when v has no name.
func enumString(names []string, v int, typ string) string {
	if v >= 0 && v < len(names) && names[v] != "" {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(v) + ")"
}

// enumMarshal returns the text of v, or an error naming the type when v has
// no name.
func enumMarshal(names []string, v int, typ string) ([]byte, error) {
	if v >= 0 && v < len(names) && names[v] != "" {
		return []byte(names[v]), nil
	}
	return nil, &enumError{fmt.Sprintf("icp: invalid %s %d", typ, v)}
}

// enumParse returns the index of text among names (exact match), or an
// error listing the accepted names.
func enumParse(names []string, text []byte, typ string) (int, error) {
	for i, n := range names {
		if n != "" && n == string(text) {
			return i, nil
		}
	}
	var list []string
	for _, n := range names {
		if n != "" {
			list = append(list, n)
		}
	}
	// The accepted names are not quoted, so that only the bad value is: the
	// config loader locates an error by the quoted text in its message.
	return 0, &enumError{fmt.Sprintf("icp: unknown %s %q (want one of %s)", typ, text, strings.Join(list, ", "))}
}

// enumError is the error of a text that names no value of an enumeration,
// or of a value that has no name. It keeps its message as written above
// (the config loader finds the bad value by its quoted text) and, like
// every validation error of revalign, matches [revalign.ErrInvalid].
type enumError struct{ msg string }

func (e *enumError) Error() string { return e.msg }

// Is reports whether target is [revalign.ErrInvalid].
func (e *enumError) Is(target error) bool { return target == revalign.ErrInvalid }
