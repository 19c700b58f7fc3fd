package attribution

import (
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
)

// MaxShapleyChannels is the most channels [Coalitions] can hold (channel
// sets are 64-bit masks).
const MaxShapleyChannels = 64

// MaxExactChannels is the most channels [Coalitions.Exact] evaluates: the
// exact formula visits all 2^n coalitions.
const MaxExactChannels = 20

// Worth is the characteristic function v(S) of the Shapley game: what a
// coalition S of channels is worth.
type Worth int

// The worths of a coalition S. With R(T) the conversions (or value) of the
// journeys whose channel set is exactly T:
const (
	// Conversions: v(S) = Σ_{T⊆S} R(T), the conversions of journeys that
	// touched only channels in S. Zhao et al. (2018) show that the Shapley
	// value of this game is Σ_{T∋j} R(T)/|T|: the simplified form.
	Conversions Worth = iota
	// ConversionValue is Conversions with each conversion's value.
	ConversionValue
	// ConversionRate: v(S) = conversions / journeys among the journeys that
	// touched only channels in S (Dalessandro et al. 2012 use conversion
	// probabilities). Nulls count; a channel that appears mostly on lost
	// journeys can have a negative value. Credits are scaled so that they
	// sum to the total conversions.
	ConversionRate
)

var worthNames = enum.Names[Worth]{Pkg: pkg, Type: "Worth", Path: "worth",
	Names: []string{Conversions: "conversions", ConversionValue: "value", ConversionRate: "conversion_rate"},
	Want:  "must be conversions, value or conversion_rate"}

// String returns "conversions", "value" or "conversion_rate".
func (w Worth) String() string { return worthNames.String(w) }

// MarshalText encodes the worth by name.
func (w Worth) MarshalText() ([]byte, error) { return worthNames.Text(w) }

// UnmarshalText decodes "conversions", "value" or "conversion_rate".
func (w *Worth) UnmarshalText(b []byte) error { return worthNames.Unmarshal(w, b) }

// coalition holds the totals of the journeys with one channel set.
type coalition struct {
	conv, nulls float64
	value       int64 // millionths
}

func (a *coalition) add(b coalition) {
	a.conv += b.conv
	a.nulls += b.nulls
	a.value += b.value
}

// Coalitions accumulates journeys by the set of channels they touched, the
// input of the Shapley value, and by the order in which they first touched
// each channel, the input of the ordered Shapley value. Like [Chain] it is
// a mergeable aggregate, encoded as bytes with [Coalitions.MarshalBinary]:
// shards combine with [Coalitions.Merge] into
// exactly the single-pass totals (values are summed in millionths, up to
// about 9.2 trillion: past it Add, ReadPaths and Merge return an error
// matching [ErrOverflow] and change nothing), and results do not depend on
// the order of the shards. It holds at most [MaxShapleyChannels] channels.
//
// The zero value is ready to use. Coalitions is not safe for concurrent
// use; give each goroutine its own and merge them.
type Coalitions struct {
	channelTable
	sets map[uint64]*coalition
	// ordered[channel][size*64+position] totals journeys with size distinct
	// channels that touched the channel at that position (0-based) of
	// first appearance.
	ordered [][]coalition
	n       int
	tot     totals
}

func (c *Coalitions) init() {
	if c.ids == nil {
		c.channelTable = newChannelTable(MaxShapleyChannels)
		c.sets = map[uint64]*coalition{}
	}
}

// orderedLen is the length of a channel's row of ordered totals.
const orderedLen = (MaxShapleyChannels + 1) * MaxShapleyChannels

// grow gives every channel its row of ordered totals.
func (c *Coalitions) grow() {
	for len(c.ordered) < len(c.names) {
		c.ordered = append(c.ordered, make([]coalition, orderedLen))
	}
}

// Add adds a path (see [Chain.Add] for what makes it invalid and for
// overflow).
func (c *Coalitions) Add(p Path) error {
	if err := p.check(); err != nil {
		return err
	}
	t, err := c.tot.add(p.Conversions, p.Value, p.Nulls)
	if err != nil {
		return err
	}
	c.init()
	ids, err := c.path(p.Channels)
	if err != nil {
		return err
	}
	c.addIDs(ids, p.Conversions, p.Nulls, t)
	return nil
}

// ReadPaths adds every path of r, in the interchange format of
// [ReadPaths]. Malformed lines are reported and skipped; the error is for a
// failure to read r.
func (c *Coalitions) ReadPaths(r io.Reader) ([]revalign.RecordError, error) {
	c.init()
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

// addIDs adds a path already numbered, whose totals t include it.
func (c *Coalitions) addIDs(ids []int32, conv, nulls float64, tot totals) {
	c.grow()
	t := coalition{conv: conv, nulls: nulls, value: tot.value - c.tot.value}
	var mask uint64
	for _, id := range ids {
		mask |= 1 << uint(id)
	}
	size := bits.OnesCount64(mask)
	pos := 0
	var seen uint64
	for _, id := range ids {
		if seen&(1<<uint(id)) != 0 {
			continue
		}
		seen |= 1 << uint(id)
		c.ordered[id][size*MaxShapleyChannels+pos].add(t)
		pos++
	}
	s := c.sets[mask]
	if s == nil {
		s = &coalition{}
		c.sets[mask] = s
	}
	s.add(t)
	c.n++
	c.tot = tot
}

// Merge adds o's totals into c; o is unchanged. Merging past what the
// totals hold is an error matching [ErrOverflow], and c is then unchanged.
func (c *Coalitions) Merge(o *Coalitions) error {
	tot, err := c.tot.plus(o.tot)
	if err != nil {
		return err
	}
	c.init()
	remap, err := c.remap(&o.channelTable)
	if err != nil {
		return err
	}
	c.grow()
	for mask, t := range o.sets {
		var m uint64
		for b := mask; b != 0; b &= b - 1 {
			m |= 1 << uint(remap[bits.TrailingZeros64(b)])
		}
		s := c.sets[m]
		if s == nil {
			s = &coalition{}
			c.sets[m] = s
		}
		s.add(*t)
	}
	for i, row := range o.ordered {
		dst := c.ordered[remap[i]]
		for k, t := range row {
			dst[k].add(t)
		}
	}
	c.n += o.n
	c.tot = tot
	return nil
}

// Paths returns the number of paths added (merged aggregates add up).
func (c *Coalitions) Paths() int { return c.n }

// ShapleyCredit is one channel's Shapley value.
type ShapleyCredit struct {
	// Channel is the channel's name as the paths spell it.
	Channel string `json:"channel"`
	// Value is the channel's Shapley value: conversions, conversion value,
	// or (for ConversionRate) its share of the total conversions.
	Value float64 `json:"value"`
	// Share is Value over the sum of all values.
	Share float64 `json:"share"`
}

// Shapley is a set of Shapley values, sorted by channel name.
type Shapley struct {
	// Worth is the characteristic function used.
	Worth Worth `json:"worth"`
	// Method is "exact" or "simplified".
	Method string `json:"method"`
	// Channels holds the values, sorted by channel name.
	Channels []ShapleyCredit `json:"channels"`
	// Total is the sum of the values.
	Total float64 `json:"total"`
}

// canonical returns the coalitions with channels renumbered by name
// (channel i of the result is the i-th name in sorted order), sorted by
// mask, so that results do not depend on the order channels were first
// seen, nor on map order.
func (c *Coalitions) canonical() (ids []int32, masks []uint64, totals []coalition) {
	ids, rank := c.sorted()
	type set struct {
		mask uint64
		t    coalition
	}
	sets := make([]set, 0, len(c.sets))
	for m, t := range c.sets {
		var cm uint64
		for b := m; b != 0; b &= b - 1 {
			cm |= 1 << uint(rank[bits.TrailingZeros64(b)])
		}
		sets = append(sets, set{cm, *t})
	}
	slices.SortFunc(sets, func(a, b set) int {
		switch {
		case a.mask < b.mask:
			return -1
		case a.mask > b.mask:
			return 1
		}
		return 0
	})
	masks = make([]uint64, len(sets))
	totals = make([]coalition, len(sets))
	for i, st := range sets {
		masks[i], totals[i] = st.mask, st.t
	}
	return ids, masks, totals
}

func (t coalition) amount(w Worth) float64 {
	if w == ConversionValue {
		return float64(t.value) / 1e6
	}
	return t.conv
}

// Simplified returns Zhao's simplified Shapley values φⱼ = Σ_{T∋j}
// R(T)/|T|: each journey's conversions (or value) split evenly over its
// distinct channels. It equals [Coalitions.Exact] for the Conversions and
// ConversionValue worths, for any number of channels; ConversionRate has
// no simplified form and is an error.
func (c *Coalitions) Simplified(w Worth) (*Shapley, error) {
	if w != Conversions && w != ConversionValue {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "worth", Value: w.String(), Reason: "the simplified form needs conversions or value"}
	}
	ids, masks, totals := c.canonical()
	phi := make([]float64, len(ids))
	for k, m := range masks {
		share := totals[k].amount(w) / float64(bits.OnesCount64(m))
		for b := m; b != 0; b &= b - 1 {
			phi[bits.TrailingZeros64(b)] += share
		}
	}
	return c.result(w, "simplified", ids, phi), nil
}

func (c *Coalitions) result(w Worth, method string, ids []int32, phi []float64) *Shapley {
	s := &Shapley{Worth: w, Method: method, Channels: make([]ShapleyCredit, len(ids))}
	for i, id := range ids {
		s.Channels[i] = ShapleyCredit{Channel: c.names[id], Value: phi[i]}
		s.Total += phi[i]
	}
	if s.Total != 0 {
		for i := range s.Channels {
			s.Channels[i].Share = s.Channels[i].Value / s.Total
		}
	}
	return s
}

// Exact returns the Shapley values by the coalition formula
//
//	φᵢ = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! · [v(S∪{i}) − v(S)]
//
// over the n channels seen, for the given worth. It visits all 2^n
// coalitions, so n may be at most [MaxExactChannels]. For ConversionRate
// the values are scaled to sum to the total conversions.
func (c *Coalitions) Exact(w Worth) (*Shapley, error) {
	n := len(c.names)
	if n > MaxExactChannels {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "channels", Value: n, Reason: fmt.Sprintf("the exact Shapley value takes at most %d channels; use Simplified", MaxExactChannels)}
	}
	if w < Conversions || w > ConversionRate {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "worth", Value: int(w), Reason: "unknown worth"}
	}
	ids, masks, totals := c.canonical()
	if n == 0 {
		return c.result(w, "exact", ids, nil), nil
	}
	size := 1 << uint(n)
	v := make([]float64, size)
	var tot []float64
	if w == ConversionRate {
		tot = make([]float64, size)
	}
	var totalConv float64
	for k, m := range masks {
		t := totals[k]
		v[m] += t.amount(w)
		if tot != nil {
			tot[m] += t.conv + t.nulls
		}
		totalConv += t.conv
	}
	zeta(v, n)
	if tot != nil {
		zeta(tot, n)
		for m := range v {
			if tot[m] > 0 {
				v[m] /= tot[m]
			} else {
				v[m] = 0
			}
		}
	}
	// weight[s] = s!(n−s−1)!/n! = 1/(n·C(n−1, s)).
	weight := make([]float64, n)
	for s := range n {
		weight[s] = 1 / (float64(n) * binomial(n-1, s))
	}
	phi := make([]float64, n)
	for i := range n {
		bit := 1 << uint(i)
		sum := 0.0
		for m := range size {
			if m&bit != 0 {
				continue
			}
			sum += weight[bits.OnesCount(uint(m))] * (v[m|bit] - v[m])
		}
		phi[i] = sum
	}
	if w == ConversionRate {
		total := 0.0
		for _, p := range phi {
			total += p
		}
		if total != 0 {
			for i := range phi {
				phi[i] = phi[i] / total * totalConv
			}
		}
	}
	return c.result(w, "exact", ids, phi), nil
}

// zeta turns v into its subset sums: v[S] = Σ_{T⊆S} v[T].
func zeta(v []float64, n int) {
	for i := range n {
		bit := 1 << uint(i)
		for m := range v {
			if m&bit != 0 {
				v[m] += v[m^bit]
			}
		}
	}
}

func binomial(n, k int) float64 {
	return math.Round(math.Exp(lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)))
}

func lgamma(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}

// OrderedShapley is one channel's ordered Shapley value (Zhao et al.
// 2018): its simplified Shapley value broken down by the position at which
// journeys first touched it among their distinct channels.
type OrderedShapley struct {
	// Channel is the channel's name as the paths spell it.
	Channel string `json:"channel"`
	// ByPosition[k] is the credit for journeys whose (k+1)-th distinct
	// channel it was; the entries sum to Total.
	ByPosition []float64 `json:"by_position"`
	// Total equals the channel's simplified Shapley value.
	Total float64 `json:"total"`
}

// Ordered returns the ordered Shapley values for the Conversions or
// ConversionValue worth, sorted by channel name.
func (c *Coalitions) Ordered(w Worth) ([]OrderedShapley, error) {
	if w != Conversions && w != ConversionValue {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "worth", Value: w.String(), Reason: "the ordered form needs conversions or value"}
	}
	out := make([]OrderedShapley, 0, len(c.names))
	ids, _ := c.sorted()
	for _, id := range ids {
		o := OrderedShapley{Channel: c.names[id]}
		for size := 1; size <= MaxShapleyChannels; size++ {
			for p := range size {
				t := c.ordered[id][size*MaxShapleyChannels+p]
				a := t.amount(w)
				if a == 0 {
					continue
				}
				for len(o.ByPosition) <= p {
					o.ByPosition = append(o.ByPosition, 0)
				}
				o.ByPosition[p] += a / float64(size)
			}
		}
		for _, x := range o.ByPosition {
			o.Total += x
		}
		out = append(out, o)
	}
	return out, nil
}

// CoalitionsOf adds paths to a new [Coalitions] and returns it; an invalid
// path is an error naming its index.
func CoalitionsOf(paths []Path) (*Coalitions, error) {
	var c Coalitions
	for i, p := range paths {
		if err := c.Add(p); err != nil {
			return nil, revalign.RecordError{ID: revalign.Index("paths", i), Err: err}
		}
	}
	return &c, nil
}

// SplitValue divides amount among the channels in proportion to their
// Shapley values, exactly in minor units, aligned with s.Channels.
// Negative values (possible with ConversionRate) are an error.
func (s *Shapley) SplitValue(amount decimal.Decimal, places int32) ([]decimal.Decimal, error) {
	return splitBy(amount, places, s.Channels, func(c ShapleyCredit) float64 { return c.Value })
}

// Model returns a [Model] named "shapley" that splits each journey among
// its channels in proportion to their Shapley values (a channel's share
// divided evenly among its touches); channels with a value of zero or less
// get nothing, and a journey with no positive channel is [ErrNoCredit].
// (Zhao's simplified value of a single journey is [Linear] with Once.)
func (s *Shapley) Model() Model {
	m := make(map[string]float64, len(s.Channels))
	for _, c := range s.Channels {
		m[c.Channel] = c.Value
	}
	return scoreModel{name: "shapley", score: m}
}
