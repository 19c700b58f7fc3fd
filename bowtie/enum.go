package bowtie

import "github.com/revalign/revalign/internal/enum"

// The package's enumerations are small integers whose zero value is either
// "not set" (rejected by Validate) or a documented default, and which read
// and write as text in JSON. names[i] is the text of value i; an empty name
// marks a value that has no text (the "not set" zero value). Names read
// case-insensitively, ignoring surrounding white space.

// newNames returns the text form of the enumeration typ, whose errors name
// the field kind.
func newNames[T enum.Integer](typ, kind string, names []string) enum.Names[T] {
	return enum.Names[T]{Pkg: "bowtie", Type: typ, Path: kind, Names: names, Match: enum.Trim | enum.Lower}
}
