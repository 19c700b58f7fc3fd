package diagnostic

import "github.com/revalign/revalign/internal/enum"

// The enumerations of this package are small integers whose names are their
// JSON text. names[0] is the zero value's name and is "" for enumerations
// whose zero value means "not set"; such a value marshals to "" and "" reads
// back as it, and its String is "none".

// match is how the package reads names: case-insensitively, ignoring
// surrounding white space and the difference between '-', ' ' and '_'.
const match = enum.Trim | enum.Lower | enum.Separators

// newNames returns the text form of an enumeration named kind.
func newNames[T enum.Integer](kind string, names ...string) enum.Names[T] {
	return enum.Names[T]{Pkg: pkg, Path: kind, Names: names, Match: match, EmptyZero: true, None: "none"}
}
