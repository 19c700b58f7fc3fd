package icp

import (
	"fmt"
	"strconv"
	"strings"
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
	return nil, fmt.Errorf("icp: invalid %s %d", typ, v)
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
	return 0, fmt.Errorf("icp: unknown %s %q (want one of %s)", typ, text, strings.Join(list, ", "))
}
