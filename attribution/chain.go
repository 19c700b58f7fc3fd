package attribution

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/revalign/revalign"
)

// MaxOrder is the highest Markov order a [Chain] supports.
const MaxOrder = 4

// maxChainChannels bounds the channels of a Chain (state keys pack channel
// numbers in 16 bits).
const maxChainChannels = 1<<16 - 2

// Chain accumulates the transition counts of a Markov chain of order k over
// paths: from (start) to a path's first state, between consecutive states
// weighted by the path's conversions plus nulls, and from its last state to
// (conversion) by its conversions and to (null) by its nulls. A state of
// order k is a window of k consecutive channels (a path shorter than k is
// one state); consecutive repeats of a state are collapsed, as in
// ChannelAttribution (a self-loop does not change any removal effect).
//
// Chain is a mergeable aggregate: shards filled in parallel (goroutines,
// or workers of a distributed engine, which send theirs as bytes with
// [Chain.MarshalBinary]) combine with [Chain.Merge] into
// exactly the counts of a single pass, and [Chain.Fit] gives bit-for-bit
// the same result whatever the order of the shards. Counts are float64
// (exact for whole counts below 2^53); conversion values are summed
// exactly in millionths, up to about 9.2 trillion in all: an Add,
// ReadPaths line or Merge that would pass it is an error matching
// [ErrOverflow] and changes nothing.
//
// A Chain is not safe for concurrent use; give each goroutine its own and
// merge them.
type Chain struct {
	order int
	channelTable

	// States are numbered from 1; 0 is (start).
	keys   []stateKey
	byKey  map[stateKey]int32
	start  []float64   // start → state
	next   [][]float64 // state → next channel
	to     [][]int32   // cache: state, next channel → state (0 = unknown)
	conv   []float64   // state → (conversion)
	nulls  []float64   // state → (null)
	value  []int64     // conversion value leaving the state, in millionths
	nPaths int
	tot    totals
}

// stateKey packs up to four channel numbers (each +1) in 16 bits each.
type stateKey uint64

func makeKey(ids []int32) stateKey {
	var k stateKey
	for _, id := range ids {
		k = k<<16 | stateKey(id+1)
	}
	return k
}

// channels returns the channel numbers of a key, oldest first.
func (k stateKey) channels(dst []int32) []int32 {
	dst = dst[:0]
	for ; k != 0; k >>= 16 {
		dst = append(dst, int32(k&0xffff)-1)
	}
	slices.Reverse(dst)
	return dst
}

// shift drops the oldest channel of a full window and appends id.
func (k stateKey) shift(id int32, order int) stateKey {
	mask := stateKey(1)<<(16*uint(order-1)) - 1
	if order == 1 {
		mask = 0
	}
	return (k&mask)<<16 | stateKey(id+1)
}

// NewChain returns an empty chain of the given order (1 to [MaxOrder]).
func NewChain(order int) (*Chain, error) {
	if order < 1 || order > MaxOrder {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "order", Value: order, Reason: "must be 1 to 4"}
	}
	return &Chain{
		order:        order,
		channelTable: newChannelTable(maxChainChannels),
		keys:         []stateKey{0},
		byKey:        map[stateKey]int32{},
		start:        []float64{0}, next: [][]float64{nil}, to: [][]int32{nil},
		conv: []float64{0}, nulls: []float64{0}, value: []int64{0},
	}, nil
}

// Order returns the chain's order.
func (c *Chain) Order() int { return c.order }

// Paths returns the number of paths added (merged chains add up).
func (c *Chain) Paths() int { return c.nPaths }

// state returns the number of the state with key k, adding it if new.
func (c *Chain) state(k stateKey) int32 {
	if s, ok := c.byKey[k]; ok {
		return s
	}
	s := int32(len(c.keys))
	c.keys = append(c.keys, k)
	c.byKey[k] = s
	c.start = append(c.start, 0)
	c.next = append(c.next, nil)
	c.to = append(c.to, nil)
	c.conv = append(c.conv, 0)
	c.nulls = append(c.nulls, 0)
	c.value = append(c.value, 0)
	return s
}

// Add adds a path. A path without channels, with a blank channel, with a
// negative or non-finite count, or with neither conversions nor nulls is an
// error matching revalign.ErrInvalid; a path that would take a total past
// what it can hold is an error matching [ErrOverflow]. Either way the chain
// is unchanged.
func (c *Chain) Add(p Path) error {
	if err := p.check(); err != nil {
		return err
	}
	t, err := c.tot.add(p.Conversions, p.Value, p.Nulls)
	if err != nil {
		return err
	}
	ids, err := c.path(p.Channels)
	if err != nil {
		return err
	}
	c.addIDs(ids, p.Conversions, p.Nulls, t)
	return nil
}

// ReadPaths adds every path of r, in the interchange format of
// [ReadPaths], without keeping the paths. Malformed lines are reported and
// skipped; the error is for a failure to read r.
func (c *Chain) ReadPaths(r io.Reader) ([]revalign.RecordError, error) {
	return scanPaths(r, func(channels [][]byte, conv, value, nulls float64) error {
		t, err := c.tot.add(conv, value, nulls)
		if err != nil {
			return err
		}
		ids, err := c.pathBytes(channels)
		if err != nil {
			return err
		}
		c.addIDs(ids, conv, nulls, t)
		return nil
	})
}

// ErrOverflow is matched by the error of an Add, a ReadPaths line or a
// Merge of [Chain] or [Coalitions] that would take a total past what it
// holds: conversion values are summed exactly in int64 millionths (about
// 9.2 trillion in all), counts in float64. The aggregate is left unchanged.
var ErrOverflow = errors.New("attribution: total overflows")

// totals are the sums of an aggregate's paths. Every count and value of
// the aggregate is at most its total (none is negative), so a total that
// fits means every part fits.
type totals struct {
	conv, nulls float64
	value       int64 // millionths
}

// micros converts a conversion value to millionths, exactly summable.
func micros(v float64) (int64, error) {
	m := math.Round(v * 1e6)
	if math.Abs(m) >= 1<<62 {
		return 0, &revalign.FieldError{Pkg: pkg, Path: "value", Value: v, Reason: "too large"}
	}
	return int64(m), nil
}

// add returns the totals with one more path, or an error when a total
// would overflow.
func (t totals) add(conv, value, nulls float64) (totals, error) {
	mv, err := micros(value)
	if err != nil {
		return t, err
	}
	return t.plus(totals{conv, nulls, mv})
}

// plus returns t + o, or an error matching [ErrOverflow].
func (t totals) plus(o totals) (totals, error) {
	s := totals{conv: t.conv + o.conv, nulls: t.nulls + o.nulls, value: t.value + o.value}
	switch {
	case o.value > math.MaxInt64-t.value:
		return t, fmt.Errorf("attribution: conversion value %s + %s passes the %s an aggregate can sum exactly: %w",
			fmtMicros(t.value), fmtMicros(o.value), fmtMicros(math.MaxInt64), ErrOverflow)
	case math.IsInf(s.conv, 0) || math.IsInf(s.nulls, 0):
		return t, fmt.Errorf("attribution: conversions or nulls overflow float64: %w", ErrOverflow)
	}
	return s, nil
}

func fmtMicros(m int64) string { return strconv.FormatFloat(float64(m)/1e6, 'f', -1, 64) }

// addIDs adds a path already numbered, whose totals t include it.
func (c *Chain) addIDs(ids []int32, conv, nulls float64, t totals) {
	mv := t.value - c.tot.value
	w := conv + nulls
	k := c.order
	var s int32
	if len(ids) <= k {
		s = c.state(makeKey(ids))
		c.start[s] += w
	} else {
		s = c.state(makeKey(ids[:k]))
		c.start[s] += w
		for i := k; i < len(ids); i++ {
			x := ids[i]
			t := c.follow(s, x)
			if t != s {
				c.next[s][x] += w
				s = t
			}
		}
	}
	c.conv[s] += conv
	c.nulls[s] += nulls
	c.value[s] += mv
	c.nPaths++
	c.tot = t
}

// follow returns the state reached from full-window state s by channel x,
// growing s's rows to cover x.
func (c *Chain) follow(s, x int32) int32 {
	if int(x) >= len(c.next[s]) {
		n := max(int(x)+1, len(c.names))
		c.next[s] = append(c.next[s], make([]float64, n-len(c.next[s]))...)
		c.to[s] = append(c.to[s], make([]int32, n-len(c.to[s]))...)
	}
	if t := c.to[s][x]; t != 0 {
		return t
	}
	t := c.state(c.keys[s].shift(x, c.order))
	c.to[s][x] = t
	return t
}

// Merge adds o's counts into c. Both chains must have the same order; o is
// unchanged. Merging past what the totals hold is an error matching
// [ErrOverflow], and c is then unchanged.
func (c *Chain) Merge(o *Chain) error {
	if o.order != c.order {
		return &revalign.FieldError{Pkg: pkg, Path: "order", Value: o.order, Reason: fmt.Sprintf("cannot merge into a chain of order %d", c.order)}
	}
	tot, err := c.tot.plus(o.tot)
	if err != nil {
		return err
	}
	remap, err := c.remap(&o.channelTable)
	if err != nil {
		return err
	}
	states := make([]int32, len(o.keys))
	var buf []int32
	for s := 1; s < len(o.keys); s++ {
		buf = o.keys[s].channels(buf)
		for i, id := range buf {
			buf[i] = remap[id]
		}
		states[s] = c.state(makeKey(buf))
	}
	for s := 1; s < len(o.keys); s++ {
		t := states[s]
		c.start[t] += o.start[s]
		c.conv[t] += o.conv[s]
		c.nulls[t] += o.nulls[s]
		c.value[t] += o.value[s]
		for x, w := range o.next[s] {
			if w != 0 {
				y := remap[x]
				c.follow(t, y)
				c.next[t][y] += w
			}
		}
	}
	c.nPaths += o.nPaths
	c.tot = tot
	return nil
}

// label names a state by its channels, joined by " > ".
func (c *Chain) label(s int, buf []int32) string {
	if s == 0 {
		return StartState
	}
	ids := c.keys[s].channels(buf)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = c.names[id]
	}
	return strings.Join(parts, " > ")
}

// The names of the chain's special states.
const (
	StartState      = "(start)"
	ConversionState = "(conversion)"
	NullState       = "(null)"
)
