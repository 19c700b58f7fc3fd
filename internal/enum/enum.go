// Package enum gives the framework packages' enumerations their text form.
//
// An enumeration of revalign is a small integer type whose values read and
// write as names in JSON and YAML ("first_touch", "at_least"). A [Names]
// table holds the names and the wording of the errors, and implements the
// three methods every such type repeats: String, MarshalText and
// UnmarshalText.
//
//	var sideNames = enum.Names[Side]{Pkg: "bowtie", Type: "Side", Path: "side",
//		Match: enum.Lower | enum.Trim, Names: []string{Left: "left", Right: "right"}}
//
//	func (s Side) String() string                { return sideNames.String(s) }
//	func (s Side) MarshalText() ([]byte, error)  { return sideNames.Text(s) }
//	func (s *Side) UnmarshalText(b []byte) error { return sideNames.Unmarshal(s, b) }
//
// Errors are [*revalign.FieldError] values, so they match
// [revalign.ErrInvalid] and read like every other error of the package:
//
//	bowtie: side: must be one of left, right, got "up"
//
// String of a named value and Parse of ASCII text do not allocate; Text
// allocates only the []byte it returns. A Names table is read-only after
// initialisation and safe for concurrent use.
package enum

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/revalign/revalign"
)

// Integer is the underlying type of an enumeration.
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// Match says how [Names.Parse] compares a text with the names. The zero
// Match is an exact comparison; the flags combine, and apply in the order
// Trim, Lower, Separators.
type Match uint8

const (
	// Trim ignores white space around the text, as [strings.TrimSpace].
	Trim Match = 1 << iota
	// Lower ignores case: the text is lower-cased as by [strings.ToLower]
	// before the comparison (names are written in lower case).
	Lower
	// Separators reads '-' and ' ' in the text as '_'.
	Separators
)

// Names is the text form of an enumeration T: Names[v] is the name of the
// value v. An empty name marks a value that has no name (typically the
// zero value, "not set"), unless EmptyZero says that the zero value's text
// is the empty string.
//
// Only Names is required; the other fields say how the enumeration reads,
// writes and words its errors. Use a Names through a pointer (its methods
// have pointer receivers) and do not modify it after initialisation.
type Names[T Integer] struct {
	// Pkg prefixes the errors, e.g. "bowtie".
	Pkg string
	// Type is the name String gives an unnamed value: Type(n), e.g.
	// "Side(7)". Empty means Path.
	Type string
	// Path is the path of the errors, e.g. "side".
	Path string
	// Names are the names of the values, indexed by value.
	Names []string
	// Match says how Parse compares a text with the names.
	Match Match
	// EmptyZero makes the zero value a value whose text is "" (Names[0]
	// must be ""): Text(0) is "" and Parse reads "" (after Match) as 0.
	EmptyZero bool
	// None is what String returns for the zero value when Names has no name
	// for it, e.g. "none" or "missing". When None is empty, String returns
	// "" if EmptyZero is set and Type(0) otherwise.
	None string
	// Unknown is the reason of a Text error; empty means "unknown " + Path.
	Unknown string
	// Want is the reason of a Parse error; empty means "must be one of "
	// and the names, separated by ", ".
	Want string
}

// name returns the name of v and whether v has one ("" is a name of the
// zero value under EmptyZero).
func (n *Names[T]) name(v T) (string, bool) {
	if v < 0 || uint64(v) >= uint64(len(n.Names)) {
		return "", false
	}
	s := n.Names[v]
	return s, s != "" || v == 0 && n.EmptyZero
}

// Valid reports whether v has a name (or is the zero value under EmptyZero).
func (n *Names[T]) Valid(v T) bool {
	_, ok := n.name(v)
	return ok
}

// String returns the name of v. A value with no name is Type(v), e.g.
// "Side(7)"; for the zero value, see None.
func (n *Names[T]) String(v T) string {
	s, ok := n.name(v)
	if s != "" {
		return s
	}
	if v == 0 && (ok || n.None != "") {
		return n.None
	}
	typ := n.Type
	if typ == "" {
		typ = n.Path
	}
	return typ + "(" + itoa(v) + ")"
}

// Text returns the name of v as MarshalText does, or a
// [*revalign.FieldError] for a value with no name.
func (n *Names[T]) Text(v T) ([]byte, error) {
	s, ok := n.name(v)
	if !ok {
		reason := n.Unknown
		if reason == "" {
			reason = "unknown " + n.Path
		}
		return nil, &revalign.FieldError{Pkg: n.Pkg, Path: n.Path, Value: int(v), Reason: reason}
	}
	return []byte(s), nil
}

// Parse returns the value named text (compared as Match says), or 0 and a
// [*revalign.FieldError] quoting text.
func (n *Names[T]) Parse(text []byte) (T, error) {
	if i := n.index(text); i >= 0 {
		return T(i), nil
	}
	return 0, &revalign.FieldError{Pkg: n.Pkg, Path: n.Path, Value: string(text), Reason: n.want()}
}

// Unmarshal parses text into *p as UnmarshalText does; *p is left
// unchanged on error.
func (n *Names[T]) Unmarshal(p *T, text []byte) error {
	v, err := n.Parse(text)
	if err == nil {
		*p = v
	}
	return err
}

// index returns the index of the name text matches, or -1.
func (n *Names[T]) index(text []byte) int {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			// The Unicode rules of strings.TrimSpace and strings.ToLower
			// (a no-break space, the Kelvin sign) need the slow path.
			return n.lookup(n.Match.Normalize(string(text)))
		}
	}
	m := n.Match
	if m&Trim != 0 {
		text = trimASCII(text)
	}
	for i, name := range n.Names {
		if len(name) != len(text) || name == "" && (i != 0 || !n.EmptyZero) {
			continue
		}
		j := 0
		for ; j < len(text); j++ {
			c := text[j]
			if m&Lower != 0 && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if m&Separators != 0 && (c == '-' || c == ' ') {
				c = '_'
			}
			if c != name[j] {
				break
			}
		}
		if j == len(text) {
			return i
		}
	}
	return -1
}

// lookup returns the index of the name equal to s, or -1.
func (n *Names[T]) lookup(s string) int {
	for i, name := range n.Names {
		if name == s && (name != "" || i == 0 && n.EmptyZero) {
			return i
		}
	}
	return -1
}

// want returns the reason of a Parse error.
func (n *Names[T]) want() string {
	if n.Want != "" {
		return n.Want
	}
	var b strings.Builder
	b.WriteString("must be one of ")
	sep := ""
	for _, name := range n.Names {
		if name != "" {
			b.WriteString(sep)
			b.WriteString(name)
			sep = ", "
		}
	}
	return b.String()
}

// Normalize returns s as Parse compares it with the names under m: trimmed
// with [strings.TrimSpace], lower-cased with [strings.ToLower], '-' and ' '
// mapped to '_', as m says. It is for parsers that read more than the names
// (numbers, aliases) the way Parse reads the names.
func (m Match) Normalize(s string) string {
	if m&Trim != 0 {
		s = strings.TrimSpace(s)
	}
	if m&Lower != 0 {
		s = strings.ToLower(s)
	}
	if m&Separators != 0 {
		s = strings.Map(func(r rune) rune {
			if r == '-' || r == ' ' {
				return '_'
			}
			return r
		}, s)
	}
	return s
}

// trimASCII trims ASCII white space (what strings.TrimSpace trims from
// ASCII text) from both ends of b.
func trimASCII(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || '\t' <= c && c <= '\r' }

func itoa[T Integer](v T) string {
	if v < 0 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatUint(uint64(v), 10)
}
