package icp

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/revalign/revalign"
)

// strSet is a set of strings matched ASCII case-insensitively without
// allocating. A 256-slot table keyed by [slot] finds the one candidate item
// to compare (most misses cost one table read); slots shared by several
// items fall back to a filtered scan, and very large sets use a map of
// lower-cased keys.
type strSet struct {
	items []setItem
	slot  [256]int8 // item index + 1; 0: no item; -1: several, scan
	m     map[string]int
}

type setItem struct {
	orig  string // as the model spells it, trimmed
	lower string
	first byte
}

// mapThreshold is the set size from which a map replaces the slot table.
const mapThreshold = 128

func newStrSet(values []string) strSet {
	var s strSet
	for _, v := range values {
		o := strings.TrimSpace(v)
		l := asciiLower(o)
		s.items = append(s.items, setItem{orig: o, lower: l, first: l[0]})
	}
	if len(values) >= mapThreshold {
		s.m = make(map[string]int, len(values))
		for i, it := range s.items {
			if _, dup := s.m[it.lower]; !dup {
				s.m[it.lower] = i
			}
		}
		return s
	}
	for i, it := range s.items {
		// A slot holds its first item until a different item lands in it;
		// from then on it is shared (-1) whatever else lands there. A
		// repeated item keeps the slot as it is: find returns the first.
		switch h := slot(it.lower); {
		case s.slot[h] == 0:
			s.slot[h] = int8(i + 1)
		case s.slot[h] > 0 && s.items[s.slot[h]-1].lower != it.lower:
			s.slot[h] = -1
		}
	}
	return s
}

// slot hashes a string by its length and its first and last bytes, ASCII
// case folded: enough to tell apart the few values of a criterion. The
// string must not be empty.
func slot(x string) uint8 {
	return uint8(len(x)*31) ^ lowerByte(x[0])*7 ^ lowerByte(x[len(x)-1])*3
}

// has reports whether x is in the set, ASCII case-insensitively.
func (s *strSet) has(x string) bool { return s.find(x) >= 0 }

// find returns the index of the first item equal to x, ASCII
// case-insensitively, or -1. The common case, a slot holding one item, is
// small enough to be inlined into the scoring loops.
func (s *strSet) find(x string) int {
	if len(x) == 0 || s.m != nil {
		return s.findMap(x)
	}
	k := s.slot[slot(x)]
	if k > 0 {
		if it := &s.items[k-1]; len(it.lower) == len(x) && (x == it.orig || equalFoldLower(x, it.lower)) {
			return int(k - 1)
		}
		return -1
	}
	if k == 0 {
		return -1
	}
	return s.scan(x)
}

// scan finds x by a filtered scan of the items: for slots shared by
// several items.
func (s *strSet) scan(x string) int {
	f := lowerByte(x[0])
	for i := range s.items {
		it := &s.items[i]
		if len(it.lower) == len(x) && it.first == f && (x == it.orig || equalFoldLower(x, it.lower)) {
			return i
		}
	}
	return -1
}

// findMap finds x in the map of a large set (and nothing for empty x).
func (s *strSet) findMap(x string) int {
	if len(x) == 0 {
		return -1
	}
	var i int
	var ok bool
	if len(x) > 64 {
		i, ok = s.m[asciiLower(x)]
	} else {
		var buf [64]byte
		b := buf[:len(x)]
		for j := 0; j < len(x); j++ {
			b[j] = lowerByte(x[j])
		}
		i, ok = s.m[string(b)] // no allocation: the compiler looks up without converting
	}
	if !ok {
		return -1
	}
	return i
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

var errNotInSchema = errors.New("not a field of the schema")

// cond is a compiled condition: the attribute's index in the schema and the
// test.
type cond struct {
	field    int
	name     string
	op       Op
	set      strSet
	min, max float64
	fgroup   int    // index of the fieldGroup evaluating this in/not_in condition, or -1
	bit      uint64 // this condition's bit in the group's mask
}

func compileCond(c condition, schema Schema) (cond, error) {
	idx := schema.Index(c.field)
	if idx < 0 {
		return cond{}, errNotInSchema
	}
	out := cond{field: idx, name: c.field, op: c.op, min: math.Inf(-1), max: math.Inf(1), fgroup: -1}
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
// say), which the caller reports for the record. A grouped in/not_in
// condition reads the mask its group computed for this record.
func (c *cond) eval(v *Value, groups *[maxGroups]uint64) (outcome, error) {
	if v.kind == Missing {
		return unknown, nil
	}
	switch c.op {
	case OpIn, OpNotIn:
		var in bool
		switch {
		case v.kind != TextKind && v.kind != ListKind:
			return unknown, c.kindError(v, "text or a list")
		case c.fgroup >= 0:
			in = groups[c.fgroup]&c.bit != 0
		case v.kind == TextKind:
			in = c.set.has(v.text)
		default:
			for _, item := range v.list {
				if c.set.has(item) {
					in = true
					break
				}
			}
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

// maxGroups is the number of field groups a record's masks hold on the
// stack; conditions on further fields are evaluated one by one.
const maxGroups = 8

// fieldGroup evaluates every in/not_in condition on one field at once: the
// lead's text, or each item of its list, is looked up once in the union of
// the conditions' values, and each condition reads its bit of the resulting
// mask. Four technographic criteria on the tools an account runs cost one
// pass over the tools instead of four.
type fieldGroup struct {
	field int
	set   strSet   // union of the conditions' values
	bits  []uint64 // bits[i]: the conditions listing set.items[i]
}

// mask returns the bits of the conditions that list v (text or list); 0
// for other kinds, which the conditions report themselves.
func (g *fieldGroup) mask(v *Value) uint64 {
	switch v.kind {
	case TextKind:
		if i := g.set.find(v.text); i >= 0 {
			return g.bits[i]
		}
	case ListKind:
		var m uint64
		for _, item := range v.list {
			if i := g.set.find(item); i >= 0 {
				m |= g.bits[i]
			}
		}
		return m
	}
	return 0
}

// groupConds gathers the in/not_in conditions reading the same field into
// field groups (at most maxGroups groups of at most 64 conditions, for
// fields read by two conditions or more) and points each condition at its
// group.
func groupConds(conds []*cond) []fieldGroup {
	byField := map[int][]*cond{}
	var order []int
	for _, c := range conds {
		if c.op != OpIn && c.op != OpNotIn {
			continue
		}
		if _, seen := byField[c.field]; !seen {
			order = append(order, c.field)
		}
		byField[c.field] = append(byField[c.field], c)
	}
	var groups []fieldGroup
	for _, f := range order {
		cs := byField[f]
		if len(cs) < 2 || len(groups) == maxGroups {
			continue
		}
		cs = cs[:min(len(cs), 64)]
		var values []string
		index := map[string]int{}
		var bits []uint64
		for b, c := range cs {
			for _, it := range c.set.items {
				i, ok := index[it.lower]
				if !ok {
					i = len(values)
					index[it.lower] = i
					values = append(values, it.orig)
					bits = append(bits, 0)
				}
				bits[i] |= 1 << b
			}
			c.fgroup, c.bit = len(groups), 1<<b
		}
		groups = append(groups, fieldGroup{field: f, set: newStrSet(values), bits: bits})
	}
	return groups
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
		Reason: fmt.Sprintf("%s needs %s, not %s", c.op, want, v.kind)}
}
