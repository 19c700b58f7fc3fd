package attribution

import (
	"fmt"
	"io"
	"math"
	"slices"
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
// or workers of a distributed engine) combine with [Chain.Merge] into
// exactly the counts of a single pass, and [Chain.Fit] gives bit-for-bit
// the same result whatever the order of the shards. Counts are float64
// (exact for whole counts below 2^53); conversion values are summed
// exactly in millionths.
//
// A Chain is not safe for concurrent use; give each goroutine its own and
// merge them.
type Chain struct {
	order int
	channelTable

	// States are numbered from 1; 0 is (start).
	keys     []stateKey
	byKey    map[stateKey]int32
	start    []float64   // start → state
	next     [][]float64 // state → next channel
	to       [][]int32   // cache: state, next channel → state (0 = unknown)
	conv     []float64   // state → (conversion)
	nulls    []float64   // state → (null)
	value    []int64     // conversion value leaving the state, in millionths
	nPaths   int
	totConv  float64
	totNulls float64
	totValue int64
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
// error matching revalign.ErrInvalid, and the chain is unchanged.
func (c *Chain) Add(p Path) error {
	if err := p.check(); err != nil {
		return err
	}
	ids, err := c.path(p.Channels)
	if err != nil {
		return err
	}
	return c.addIDs(ids, p.Conversions, p.Value, p.Nulls)
}

// ReadPaths adds every path of r, in the interchange format of
// [ReadPaths], without keeping the paths. Malformed lines are reported and
// skipped; the error is for a failure to read r.
func (c *Chain) ReadPaths(r io.Reader) ([]revalign.RecordError, error) {
	return scanPaths(r, func(channels [][]byte, conv, value, nulls float64) error {
		ids, err := c.pathBytes(channels)
		if err != nil {
			return err
		}
		return c.addIDs(ids, conv, value, nulls)
	})
}

// micros converts a conversion value to millionths, exactly summable.
func micros(v float64) (int64, error) {
	m := math.Round(v * 1e6)
	if math.Abs(m) >= 1<<62 {
		return 0, &revalign.FieldError{Pkg: pkg, Path: "value", Value: v, Reason: "too large"}
	}
	return int64(m), nil
}

func (c *Chain) addIDs(ids []int32, conv, value, nulls float64) error {
	mv, err := micros(value)
	if err != nil {
		return err
	}
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
	c.totConv += conv
	c.totNulls += nulls
	c.totValue += mv
	return nil
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
// unchanged.
func (c *Chain) Merge(o *Chain) error {
	if o.order != c.order {
		return &revalign.FieldError{Pkg: pkg, Path: "order", Value: o.order, Reason: fmt.Sprintf("cannot merge into a chain of order %d", c.order)}
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
	c.totConv += o.totConv
	c.totNulls += o.totNulls
	c.totValue += o.totValue
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
