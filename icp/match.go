package icp

import (
	"fmt"
	"math"
	"strings"

	"github.com/revalign/revalign"
)

// strSet is a set of strings matched ASCII case-insensitively without
// allocating: small sets are scanned with a length and first-byte filter,
// large ones are looked up in a map of lower-cased keys.
type strSet struct {
	items []setItem
	m     map[string]struct{}
}

type setItem struct {
	orig  string // as the model spells it, trimmed
	lower string
	first byte
}

// mapThreshold is the set size from which a map beats a filtered scan.
const mapThreshold = 32

func newStrSet(values []string) strSet {
	var s strSet
	for _, v := range values {
		o := strings.TrimSpace(v)
		l := asciiLower(o)
		s.items = append(s.items, setItem{orig: o, lower: l, first: l[0]})
	}
	if len(values) >= mapThreshold {
		s.m = make(map[string]struct{}, len(values))
		for _, it := range s.items {
			s.m[it.lower] = struct{}{}
		}
	}
	return s
}

// has reports whether x is in the set, ASCII case-insensitively.
func (s *strSet) has(x string) bool {
	if len(x) == 0 {
		return false
	}
	if s.m != nil && len(x) <= 64 {
		var buf [64]byte
		b := buf[:len(x)]
		for i := 0; i < len(x); i++ {
			b[i] = lowerByte(x[i])
		}
		_, ok := s.m[string(b)] // no allocation: the compiler looks up without converting
		return ok
	}
	f := lowerByte(x[0])
	for i := range s.items {
		it := &s.items[i]
		if len(it.lower) == len(x) && it.first == f && (x == it.orig || equalFoldLower(x, it.lower)) {
			return true
		}
	}
	return false
}

// hasDomain reports whether the domain of x (after the last "@", or all of
// x) or one of its parent domains is in the set.
func (s *strSet) hasDomain(x string) bool {
	if at := strings.LastIndexByte(x, '@'); at >= 0 {
		x = x[at+1:]
	}
	for x != "" {
		if s.has(x) {
			return true
		}
		dot := strings.IndexByte(x, '.')
		if dot < 0 {
			return false
		}
		x = x[dot+1:]
	}
	return false
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerByte(c)
	}
	return string(b)
}

// equalFoldLower reports whether x equals lower, an already lower-cased
// string of the same length, ignoring ASCII case.
func equalFoldLower(x, lower string) bool {
	for i := 0; i < len(x); i++ {
		if lowerByte(x[i]) != lower[i] {
			return false
		}
	}
	return true
}

// cond is a compiled condition: the attribute's index in the schema and the
// test.
type cond struct {
	field    int
	name     string
	op       Op
	set      strSet
	min, max float64
}

func compileCond(c condition, schema Schema) (cond, error) {
	idx := schema.Index(c.field)
	if idx < 0 {
		return cond{}, fmt.Errorf("schema has no field %q", c.field)
	}
	out := cond{field: idx, name: c.field, op: c.op, min: math.Inf(-1), max: math.Inf(1)}
	if c.min != nil {
		out.min = *c.min
	}
	if c.max != nil {
		out.max = *c.max
	}
	if len(c.values) > 0 {
		out.set = newStrSet(c.values)
	}
	return out, nil
}

// outcome of a condition on one lead.
type outcome uint8

const (
	unknown outcome = iota
	holds
	fails
)

// eval tests the condition on v. A missing value is unknown; a value of a
// kind the op cannot read is an error (an employee count exported as text,
// say), which the caller reports for the record.
func (c *cond) eval(v *Value) (outcome, error) {
	if v.kind == Missing {
		return unknown, nil
	}
	switch c.op {
	case OpIn, OpNotIn:
		var in bool
		switch v.kind {
		case TextKind:
			in = c.set.has(v.text)
		case ListKind:
			for _, item := range v.list {
				if c.set.has(item) {
					in = true
					break
				}
			}
		default:
			return unknown, c.kindError(v, "text or a list")
		}
		if in == (c.op == OpIn) {
			return holds, nil
		}
		return fails, nil
	case OpRange:
		if v.kind != NumberKind {
			return unknown, c.kindError(v, "a number")
		}
		return test(v.num >= c.min && v.num <= c.max), nil
	case OpIsTrue, OpIsFalse:
		if v.kind != BoolKind {
			return unknown, c.kindError(v, "true or false")
		}
		return test(v.b == (c.op == OpIsTrue)), nil
	case OpDomainIn:
		if v.kind != TextKind {
			return unknown, c.kindError(v, "text")
		}
		return test(c.set.hasDomain(v.text)), nil
	}
	return unknown, fmt.Errorf("icp: field %q: unknown op %v", c.name, c.op)
}

func test(ok bool) outcome {
	if ok {
		return holds
	}
	return fails
}

// kindError reports an attribute of a kind the op cannot read; it matches
// revalign.ErrInvalid.
func (c *cond) kindError(v *Value, want string) error {
	return &revalign.FieldError{Pkg: "icp", Path: c.name, Value: v.String(),
		Reason: fmt.Sprintf("%s needs %s, got %s", c.op, want, v.kind)}
}
