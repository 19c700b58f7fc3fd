package attribution

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/revalign/revalign"
)

// Chain and Coalitions cross process boundaries (the workers of a
// distributed engine) as bytes: encoding.BinaryMarshaler and
// BinaryUnmarshaler, and the same bytes in base64 as
// encoding.TextMarshaler and TextUnmarshaler, which encoding/json uses (a
// JSON string) and encoding/gob uses the binary form of. Every count is
// written as its float64 bits and every value as its exact millionths, so
// a decoded aggregate merges and fits exactly like the original.
//
// The format is versioned: a four-byte tag ("RVMC" for a chain, "RVSC"
// for coalitions), a version byte, then unsigned varints and little-endian
// float64s.

const (
	chainTag      = "RVMC"
	coalitionsTag = "RVSC"
	formatVersion = 1
)

// errDecode is wrapped by every decoding error.
var errDecode = errors.New("attribution: cannot decode")

func decodeError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errDecode, fmt.Sprintf(format, args...))
}

// MarshalBinary encodes the chain: its order, channels, states with their
// counts and values, and its totals. The encoding is deterministic.
func (c *Chain) MarshalBinary() ([]byte, error) {
	if c.order < 1 || c.order > MaxOrder {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "order", Value: c.order, Reason: "a chain to encode is made by NewChain"}
	}
	b := appendHeader(nil, chainTag)
	b = binary.AppendUvarint(b, uint64(c.order))
	b = appendNames(b, c.names)
	b = binary.AppendUvarint(b, uint64(len(c.keys)-1))
	var ids []int32
	for s := 1; s < len(c.keys); s++ {
		ids = c.keys[s].channels(ids)
		b = binary.AppendUvarint(b, uint64(len(ids)))
		for _, id := range ids {
			b = binary.AppendUvarint(b, uint64(id))
		}
		b = appendFloat(b, c.start[s])
		b = appendFloat(b, c.conv[s])
		b = appendFloat(b, c.nulls[s])
		b = binary.AppendUvarint(b, uint64(c.value[s]))
		n := 0
		for _, w := range c.next[s] {
			if w != 0 {
				n++
			}
		}
		b = binary.AppendUvarint(b, uint64(n))
		for x, w := range c.next[s] {
			if w != 0 {
				b = binary.AppendUvarint(b, uint64(x))
				b = appendFloat(b, w)
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(c.nPaths))
	return appendTotals(b, c.tot), nil
}

// UnmarshalBinary replaces c with the chain data encodes (see
// [Chain.MarshalBinary]); c may be a zero Chain. Malformed or inconsistent
// data is an error and leaves c unchanged.
func (c *Chain) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	d.header(chainTag)
	order := d.uint(MaxOrder, "order")
	if d.err == nil && order < 1 {
		d.fail("order 0")
	}
	names := d.names(maxChainChannels)
	out, err := NewChain(max(int(order), 1))
	if d.err != nil {
		return d.err
	}
	if err != nil {
		return err
	}
	for _, name := range names {
		if _, err := out.id(name); err != nil {
			return decodeError("%v", err)
		}
	}
	nStates := d.count(2+3*8+2, "states")
	type row struct {
		x []int32
		w []float64
	}
	rows := make([]row, 0, nStates)
	var ids []int32
	var sum totals
	for range nStates {
		k := int(d.uint(uint64(order), "state length"))
		if d.err == nil && k == 0 {
			d.fail("empty state")
		}
		ids = ids[:0]
		for range k {
			ids = append(ids, int32(d.index(len(names), "channel")))
		}
		start, conv, nulls := d.count64("start"), d.count64("conversions"), d.count64("nulls")
		value := d.value()
		n := d.count(1+8, "transitions")
		var r row
		for range n {
			x := int32(d.index(len(names), "next channel"))
			if len(r.x) > 0 && x <= r.x[len(r.x)-1] {
				d.fail("transitions out of order")
			}
			r.x = append(r.x, x)
			r.w = append(r.w, d.count64("transition"))
		}
		if d.err != nil {
			return d.err
		}
		if n > 0 && k != int(order) {
			return decodeError("a state shorter than the order has transitions")
		}
		s := out.state(makeKey(ids))
		if int(s) != len(rows)+1 {
			return decodeError("state %v repeated", ids)
		}
		out.start[s], out.conv[s], out.nulls[s], out.value[s] = start, conv, nulls, value
		if sum, err = sum.plus(totals{value: value}); err != nil {
			return decodeError("%v", err)
		}
		rows = append(rows, r)
	}
	// The transitions, once every state has its number: following one may
	// reach a state listed later.
	for i, r := range rows {
		s := int32(i + 1)
		for k, x := range r.x {
			out.follow(s, x)
			out.next[s][x] = r.w[k]
		}
	}
	nPaths, tot, err := d.tail(sum.value)
	if err != nil {
		return err
	}
	out.nPaths, out.tot = nPaths, tot
	*c = *out
	return nil
}

// MarshalText is [Chain.MarshalBinary] in standard base64, so that a
// chain is a JSON string.
func (c *Chain) MarshalText() ([]byte, error) { return marshalText(c.MarshalBinary()) }

// UnmarshalText decodes the form MarshalText writes.
func (c *Chain) UnmarshalText(text []byte) error { return unmarshalText(text, c.UnmarshalBinary) }

// MarshalBinary encodes the coalitions: channels, the totals of each
// channel set, the ordered totals and the overall totals. The encoding is
// deterministic.
func (c *Coalitions) MarshalBinary() ([]byte, error) {
	b := appendHeader(nil, coalitionsTag)
	b = appendNames(b, c.names)
	masks := make([]uint64, 0, len(c.sets))
	for m := range c.sets {
		masks = append(masks, m)
	}
	slices.Sort(masks)
	b = binary.AppendUvarint(b, uint64(len(masks)))
	for _, m := range masks {
		b = binary.AppendUvarint(b, m)
		b = appendCoalition(b, *c.sets[m])
	}
	n := 0
	for _, row := range c.ordered {
		for _, t := range row {
			if t != (coalition{}) {
				n++
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(n))
	for ch, row := range c.ordered {
		for k, t := range row {
			if t != (coalition{}) {
				b = binary.AppendUvarint(b, uint64(ch))
				b = binary.AppendUvarint(b, uint64(k))
				b = appendCoalition(b, t)
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(c.n))
	return appendTotals(b, c.tot), nil
}

// UnmarshalBinary replaces c with the coalitions data encodes (see
// [Coalitions.MarshalBinary]). Malformed or inconsistent data is an error
// and leaves c unchanged.
func (c *Coalitions) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	d.header(coalitionsTag)
	names := d.names(MaxShapleyChannels)
	var out Coalitions
	out.init()
	for _, name := range names {
		if _, err := out.id(name); err != nil {
			return decodeError("%v", err)
		}
	}
	out.grow()
	var sum totals
	nSets := d.count(1+2*8+1, "channel sets")
	prev := uint64(0)
	for range nSets {
		m := d.uint(math.MaxUint64, "channel set")
		if d.err == nil && (m <= prev || bits.Len64(m) > len(names)) {
			d.fail("channel set %#x out of order or beyond the %d channels", m, len(names))
		}
		prev = m
		t := d.coalition()
		if d.err != nil {
			return d.err
		}
		out.sets[m] = &t
		var err error
		if sum, err = sum.plus(totals{value: t.value}); err != nil {
			return decodeError("%v", err)
		}
	}
	nOrdered := d.count(2+2*8+1, "ordered totals")
	prevCh, prevK := -1, -1
	for range nOrdered {
		ch := d.index(len(names), "ordered channel")
		k := d.index(orderedLen, "ordered position")
		if d.err == nil {
			size, pos := k/MaxShapleyChannels, k%MaxShapleyChannels
			switch {
			case size < 1 || pos >= size:
				d.fail("ordered position %d of a set of %d", pos, size)
			case ch < prevCh || ch == prevCh && k <= prevK:
				d.fail("ordered totals out of order")
			}
		}
		prevCh, prevK = ch, k
		t := d.coalition()
		if d.err != nil {
			return d.err
		}
		out.ordered[ch][k] = t
	}
	n, tot, err := d.tail(sum.value)
	if err != nil {
		return err
	}
	out.n, out.tot = n, tot
	*c = out
	return nil
}

// MarshalText is [Coalitions.MarshalBinary] in standard base64, so that
// coalitions are a JSON string.
func (c *Coalitions) MarshalText() ([]byte, error) { return marshalText(c.MarshalBinary()) }

// UnmarshalText decodes the form MarshalText writes.
func (c *Coalitions) UnmarshalText(text []byte) error {
	return unmarshalText(text, c.UnmarshalBinary)
}

func marshalText(b []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.AppendEncode(nil, b), nil
}

func unmarshalText(text []byte, unmarshal func([]byte) error) error {
	b, err := base64.StdEncoding.AppendDecode(nil, text)
	if err != nil {
		return decodeError("%v", err)
	}
	return unmarshal(b)
}

func appendHeader(b []byte, tag string) []byte { return append(append(b, tag...), formatVersion) }

func appendNames(b []byte, names []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, name := range names {
		b = binary.AppendUvarint(b, uint64(len(name)))
		b = append(b, name...)
	}
	return b
}

func appendFloat(b []byte, x float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
}

func appendCoalition(b []byte, t coalition) []byte {
	b = appendFloat(b, t.conv)
	b = appendFloat(b, t.nulls)
	return binary.AppendUvarint(b, uint64(t.value))
}

func appendTotals(b []byte, t totals) []byte {
	return appendCoalition(b, coalition{conv: t.conv, nulls: t.nulls, value: t.value})
}

// decoder reads the encoding; the first problem sticks in err and every
// later read returns zero.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = decodeError(format, args...)
	}
}

func (d *decoder) header(tag string) {
	if len(d.b) < len(tag)+1 || string(d.b[:len(tag)]) != tag {
		d.fail("not a %s encoding", tag)
		return
	}
	if v := d.b[len(tag)]; v != formatVersion {
		d.fail("format version %d, want %d", v, formatVersion)
		return
	}
	d.b = d.b[len(tag)+1:]
}

// index reads an index into n items.
func (d *decoder) index(n int, what string) int {
	if d.err == nil && n == 0 {
		d.fail("%s: nothing to index", what)
	}
	return int(d.uint(uint64(max(n-1, 0)), what))
}

// uint reads an unsigned varint of at most limit.
func (d *decoder) uint(limit uint64, what string) uint64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("%s: truncated or malformed", what)
		return 0
	}
	d.b = d.b[n:]
	if x > limit {
		d.fail("%s %d out of range", what, x)
		return 0
	}
	return x
}

// count reads a number of items each taking at least min bytes, bounded by
// what is left, so that corrupt data cannot ask for a huge allocation.
func (d *decoder) count(min int, what string) int {
	n := d.uint(math.MaxUint32, what)
	if d.err == nil && n > uint64(len(d.b)/min) {
		d.fail("%s: %d, more than the data holds", what, n)
		return 0
	}
	return int(n)
}

// count64 reads a float64 that must be finite and >= 0.
func (d *decoder) count64(what string) float64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail("%s: truncated", what)
		return 0
	}
	x := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	if !(x >= 0) || math.IsInf(x, 1) {
		d.fail("%s %v: must be finite and >= 0", what, x)
		return 0
	}
	return x
}

func (d *decoder) value() int64 { return int64(d.uint(math.MaxInt64, "value")) }

func (d *decoder) coalition() coalition {
	return coalition{conv: d.count64("conversions"), nulls: d.count64("nulls"), value: d.value()}
}

func (d *decoder) totals() totals {
	t := d.coalition()
	return totals{conv: t.conv, nulls: t.nulls, value: t.value}
}

// names reads at most limit channel names, each non-empty and new.
func (d *decoder) names(limit int) []string {
	n := min(d.count(2, "channels"), limit+1)
	if n > limit {
		d.fail("more than %d channels", limit)
		return nil
	}
	out := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for range n {
		k := d.uint(math.MaxUint32, "channel name length")
		if d.err == nil && k > uint64(len(d.b)) {
			d.fail("channel name: truncated")
		}
		if d.err != nil {
			return nil
		}
		name := string(d.b[:k])
		d.b = d.b[k:]
		if name == "" || seen[name] {
			d.fail("channel name %q empty or repeated", name)
			return nil
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}

// tail reads what ends an encoding, the number of paths and the totals,
// checks that nothing follows and that the value total is the sum of the
// parts' values, and returns the first problem met.
func (d *decoder) tail(parts int64) (int, totals, error) {
	n := d.uint(math.MaxInt, "paths")
	tot := d.totals()
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d bytes after the end", len(d.b))
	}
	if d.err == nil && tot.value != parts {
		d.fail("total value %d is not the sum of the parts' %d", tot.value, parts)
	}
	return int(n), tot, d.err
}
