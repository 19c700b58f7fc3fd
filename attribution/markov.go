package attribution

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/mat"

	"github.com/revalign/revalign"
)

// ErrNoConversions is returned when a data-driven model is fitted on paths
// without a single conversion: no channel can have contributed to one.
var ErrNoConversions = errors.New("attribution: no conversions to attribute")

// denseLimit is the number of states up to which removal effects come from
// a dense LU factorisation (exact to rounding); larger chains (orders 3 and
// 4 over many channels) are solved by Gauss–Seidel to rounding precision.
const denseLimit = 800

// Markov is a fitted Markov chain: its transition probabilities and, per
// channel, the removal effect and the credit that follows from it.
//
// The removal effect of channel c is 1 − P(conversion | c removed) /
// P(conversion), where removing c sends every state that contains it to
// (null). The probabilities are absorption probabilities of the chain,
// B = (I − Q)⁻¹R, solved exactly rather than estimated by simulating
// paths, so a fit is identical from run to run and never gives a channel
// negative or spuriously zero credit. A channel's credit is its removal
// effect over the sum of all removal effects, times the total conversions
// (ValueRemovalEffect and Value likewise, with each state's conversions
// worth their mean observed value).
//
// Markov is read-only once fitted and safe for concurrent use.
type Markov struct {
	// Order is the chain's order.
	Order int `json:"order"`
	// Channels holds each channel's removal effects and credits, sorted by
	// channel name.
	Channels []MarkovChannel `json:"channels"`
	// Paths is the number of paths fitted.
	Paths int `json:"paths"`
	// Conversions is the total conversions of the paths.
	Conversions float64 `json:"conversions"`
	// Value is the total conversion value of the paths, in the paths'
	// currency, summed exactly to the millionth; 0 when the paths carry
	// no value.
	Value float64 `json:"value"`
	// Nulls is the total nulls (journeys that did not convert) of the
	// paths.
	Nulls float64 `json:"nulls"`
	// ConversionProbability is the chain's probability of reaching
	// (conversion) from (start).
	ConversionProbability float64 `json:"conversion_probability"`
	// ExpectedValue is the chain's expected conversion value per path.
	ExpectedValue float64 `json:"expected_value"`
	// States names the transient states: (start), then the channel windows
	// ("a" for order 1, "a > b" for order 2) in a canonical order.
	States []string `json:"states"`
	// Transitions lists every observed transition with its count and
	// probability, including those into (conversion) and (null).
	Transitions []Transition `json:"transitions"`
	// Solver is "lu" (dense factorisation) or "gauss-seidel".
	Solver string `json:"solver"`
}

// MarkovChannel is one channel's result in a [Markov] fit.
type MarkovChannel struct {
	// Channel is the channel's name as the paths spell it.
	Channel string `json:"channel"`
	// RemovalEffect is the relative drop in conversion probability when
	// the channel is removed, in [0, 1].
	RemovalEffect float64 `json:"removal_effect"`
	// ValueRemovalEffect is the relative drop in expected value.
	ValueRemovalEffect float64 `json:"value_removal_effect"`
	// Conversions is the channel's share of the total conversions.
	Conversions float64 `json:"conversions"`
	// Value is the channel's share of the total conversion value.
	Value float64 `json:"value"`
}

// Transition is one edge of a fitted chain.
type Transition struct {
	// From names the state the edge leaves: (start) or a channel window
	// such as "a > b", as in [Markov.States].
	From string `json:"from"`
	// To names the state the edge enters: a channel window, or
	// (conversion) or (null).
	To string `json:"to"`
	// Count is how many paths took the edge, weighted by their
	// conversions plus nulls (only conversions into (conversion), only
	// nulls into (null)); it may be fractional.
	Count float64 `json:"count"`
	// Probability is Count over everything leaving From, in (0, 1].
	Probability float64 `json:"probability"`
}

// FitMarkov fits a chain of the given order (1 to [MaxOrder]) to paths. It
// is NewChain, Add for each path and Fit; an invalid path is an error
// naming its index.
func FitMarkov(paths []Path, order int) (*Markov, error) {
	c, err := NewChain(order)
	if err != nil {
		return nil, err
	}
	for i, p := range paths {
		if err := c.Add(p); err != nil {
			return nil, revalign.RecordError{ID: revalign.Index("paths", i), Err: err}
		}
	}
	return c.Fit()
}

// Fit solves the chain for its conversion probability and every channel's
// removal effect. It returns [ErrNoConversions] when the paths hold no
// conversion. Fit does not change the chain, which can keep accumulating.
func (c *Chain) Fit() (*Markov, error) {
	if c.tot.conv <= 0 {
		return nil, ErrNoConversions
	}
	f := c.canonical()
	m := &Markov{
		Order: c.order, Paths: c.nPaths,
		Conversions: c.tot.conv, Value: float64(c.tot.value) / 1e6, Nulls: c.tot.nulls,
	}
	m.States, m.Transitions = f.describe(c)
	x, y, removed, solver, err := f.solve()
	if err != nil {
		return nil, err
	}
	m.Solver = solver
	m.ConversionProbability, m.ExpectedValue = x, y
	var sumRE, sumVRE float64
	m.Channels = make([]MarkovChannel, len(f.channels))
	for i, id := range f.channels {
		re := clamp01(1 - removed[i][0]/x)
		vre := 0.0
		if y > 0 {
			vre = clamp01(1 - removed[i][1]/y)
		}
		m.Channels[i] = MarkovChannel{Channel: c.names[id], RemovalEffect: re, ValueRemovalEffect: vre}
		sumRE += re
		sumVRE += vre
	}
	for i := range m.Channels {
		ch := &m.Channels[i]
		if sumRE > 0 {
			ch.Conversions = ch.RemovalEffect / sumRE * m.Conversions
		}
		if sumVRE > 0 {
			ch.Value = ch.ValueRemovalEffect / sumVRE * m.Value
		}
	}
	return m, nil
}

func clamp01(x float64) float64 { return min(max(x, 0), 1) }

// fitted is a chain laid out for solving: states in canonical order (by
// window length, then by the channels' names), rows of transition
// probabilities, and per channel the states that contain it.
type fitted struct {
	order    int
	n        int         // transient states, (start) included
	perm     []int32     // canonical index → chain state
	pos      []int32     // chain state → canonical index
	channels []int32     // chain channel numbers sorted by name
	cols     [][]int32   // canonical row → target canonical states
	probs    [][]float64 // canonical row → probabilities
	counts   [][]float64 // canonical row → counts
	total    []float64   // canonical row → outgoing count
	rc, rv   []float64   // one-step probability of conversion, value
	contains [][]int32   // channel (sorted) → canonical states containing it
}

func (c *Chain) canonical() *fitted {
	f := &fitted{order: c.order, n: len(c.keys)}
	var rank []int32
	f.channels, rank = c.sorted()
	type sk struct {
		n   int
		key stateKey
		s   int32
	}
	order := make([]sk, 0, f.n-1)
	var buf []int32
	for s := 1; s < f.n; s++ {
		buf = c.keys[s].channels(buf)
		for i, id := range buf {
			buf[i] = rank[id]
		}
		order = append(order, sk{len(buf), makeKey(buf), int32(s)})
	}
	slices.SortFunc(order, func(a, b sk) int {
		if a.n != b.n {
			return a.n - b.n
		}
		if a.key < b.key {
			return -1
		}
		if a.key > b.key {
			return 1
		}
		return 0
	})
	f.perm = make([]int32, f.n)
	f.pos = make([]int32, f.n)
	for i, o := range order {
		f.perm[i+1] = o.s
		f.pos[o.s] = int32(i + 1)
	}
	f.cols = make([][]int32, f.n)
	f.probs = make([][]float64, f.n)
	f.counts = make([][]float64, f.n)
	f.total = make([]float64, f.n)
	f.rc = make([]float64, f.n)
	f.rv = make([]float64, f.n)
	// (start) row.
	for i := 1; i < f.n; i++ {
		if w := c.start[f.perm[i]]; w > 0 {
			f.cols[0] = append(f.cols[0], int32(i))
			f.counts[0] = append(f.counts[0], w)
			f.total[0] += w
		}
	}
	for i := 1; i < f.n; i++ {
		s := f.perm[i]
		for x, w := range c.next[s] {
			if w > 0 {
				f.cols[i] = append(f.cols[i], f.pos[c.to[s][x]])
				f.counts[i] = append(f.counts[i], w)
				f.total[i] += w
			}
		}
		f.total[i] += c.conv[s] + c.nulls[s]
		sortRow(f.cols[i], f.counts[i])
	}
	for i := range f.n {
		t := f.total[i]
		f.probs[i] = make([]float64, len(f.counts[i]))
		if t == 0 {
			continue
		}
		for k, w := range f.counts[i] {
			f.probs[i][k] = w / t
		}
		if i > 0 {
			s := f.perm[i]
			f.rc[i] = c.conv[s] / t
			f.rv[i] = float64(c.value[s]) / 1e6 / t
		}
	}
	f.contains = make([][]int32, len(f.channels))
	for i := 1; i < f.n; i++ {
		buf = c.keys[f.perm[i]].channels(buf)
		slices.Sort(buf)
		for k, id := range buf {
			if k > 0 && buf[k-1] == id {
				continue
			}
			r := rank[id]
			f.contains[r] = append(f.contains[r], int32(i))
		}
	}
	return f
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sortRow sorts a row's targets (and their counts) by target.
func sortRow(cols []int32, counts []float64) {
	for i := 1; i < len(cols); i++ {
		for k := i; k > 0 && cols[k] < cols[k-1]; k-- {
			cols[k], cols[k-1] = cols[k-1], cols[k]
			counts[k], counts[k-1] = counts[k-1], counts[k]
		}
	}
}

func (f *fitted) describe(c *Chain) ([]string, []Transition) {
	states := make([]string, f.n)
	var buf []int32
	for i := range f.n {
		states[i] = c.label(int(f.perm[i]), buf)
	}
	var tr []Transition
	for i := range f.n {
		for k, j := range f.cols[i] {
			tr = append(tr, Transition{From: states[i], To: states[j], Count: f.counts[i][k], Probability: f.probs[i][k]})
		}
		if i == 0 || f.total[i] == 0 {
			continue
		}
		s := f.perm[i]
		if w := c.conv[s]; w > 0 {
			tr = append(tr, Transition{From: states[i], To: ConversionState, Count: w, Probability: w / f.total[i]})
		}
		if w := c.nulls[s]; w > 0 {
			tr = append(tr, Transition{From: states[i], To: NullState, Count: w, Probability: w / f.total[i]})
		}
	}
	return states, tr
}

// solve returns the conversion probability and expected value from
// (start), and for each channel the same two with the channel removed.
func (f *fitted) solve() (x, y float64, removed [][2]float64, solver string, err error) {
	if f.n <= denseLimit {
		x, y, removed, err = f.solveDense()
		return x, y, removed, "lu", err
	}
	x, y, removed, err = f.solveIterative()
	return x, y, removed, "gauss-seidel", err
}

// solveDense factorises A = I − Q once. With G = A⁻¹ and x = G·r, removing
// the states D of a channel (forcing x_D = 0) changes the solution to
// x' = x − G[:,D]·G[D,D]⁻¹·x_D, so each removal costs a |D|×|D| solve
// rather than a new factorisation.
func (f *fitted) solveDense() (x, y float64, removed [][2]float64, err error) {
	n := f.n
	a := mat.NewDense(n, n, nil)
	for i := range n {
		a.Set(i, i, 1)
		for k, j := range f.cols[i] {
			a.Set(i, int(j), a.At(i, int(j))-f.probs[i][k])
		}
	}
	var lu mat.LU
	lu.Factorize(a)
	r := mat.NewDense(n, 2, nil)
	for i := range n {
		r.Set(i, 0, f.rc[i])
		r.Set(i, 1, f.rv[i])
	}
	var sol mat.Dense
	if err := lu.SolveTo(&sol, false, r); err != nil {
		return 0, 0, nil, fmt.Errorf("attribution: solving the chain: %w", err)
	}
	eye := mat.NewDense(n, n, nil)
	for i := range n {
		eye.Set(i, i, 1)
	}
	var g mat.Dense
	if err := lu.SolveTo(&g, false, eye); err != nil {
		return 0, 0, nil, fmt.Errorf("attribution: solving the chain: %w", err)
	}
	x, y = sol.At(0, 0), sol.At(0, 1)
	removed = make([][2]float64, len(f.contains))
	for c, d := range f.contains {
		k := len(d)
		if k == 0 {
			removed[c] = [2]float64{x, y}
			continue
		}
		gdd := mat.NewDense(k, k, nil)
		b := mat.NewDense(k, 2, nil)
		for p, i := range d {
			for q, j := range d {
				gdd.Set(p, q, g.At(int(i), int(j)))
			}
			b.Set(p, 0, sol.At(int(i), 0))
			b.Set(p, 1, sol.At(int(i), 1))
		}
		var mu mat.Dense
		if err := mu.Solve(gdd, b); err != nil {
			return 0, 0, nil, fmt.Errorf("attribution: removing a channel: %w", err)
		}
		rx, ry := x, y
		for p, i := range d {
			g0 := g.At(0, int(i))
			rx -= g0 * mu.At(p, 0)
			ry -= g0 * mu.At(p, 1)
		}
		removed[c] = [2]float64{rx, ry}
	}
	return x, y, removed, nil
}

// maxSweeps bounds the Gauss–Seidel iterations.
const maxSweeps = 100000

// solveIterative solves x = Q·x + r by Gauss–Seidel sweeps in canonical
// order until no value moves by more than rounding; removed states are
// held at 0.
func (f *fitted) solveIterative() (x, y float64, removed [][2]float64, err error) {
	base := make([]float64, 2*f.n)
	if err := f.gaussSeidel(base, nil); err != nil {
		return 0, 0, nil, err
	}
	x, y = base[0], base[1]
	removed = make([][2]float64, len(f.contains))
	out := make([]bool, f.n)
	v := make([]float64, 2*f.n)
	for c, d := range f.contains {
		copy(v, base)
		for _, i := range d {
			out[i] = true
		}
		if err := f.gaussSeidel(v, out); err != nil {
			return 0, 0, nil, err
		}
		for _, i := range d {
			out[i] = false
		}
		removed[c] = [2]float64{v[0], v[1]}
	}
	return x, y, removed, nil
}

// gaussSeidel iterates v (pairs: conversion probability, expected value)
// to the fixed point; states with out[i] set stay 0.
func (f *fitted) gaussSeidel(v []float64, out []bool) error {
	for i := range out {
		if out[i] {
			v[2*i], v[2*i+1] = 0, 0
		}
	}
	for sweep := 0; sweep < maxSweeps; sweep++ {
		moved := false
		for i := range f.n {
			if out != nil && out[i] {
				continue
			}
			sx, sy := f.rc[i], f.rv[i]
			for k, j := range f.cols[i] {
				p := f.probs[i][k]
				sx += p * v[2*j]
				sy += p * v[2*j+1]
			}
			if math.Abs(sx-v[2*i]) > 1e-15*max(1, sx) || math.Abs(sy-v[2*i+1]) > 1e-15*max(1, math.Abs(sy)) {
				moved = true
			}
			v[2*i], v[2*i+1] = sx, sy
		}
		if !moved {
			return nil
		}
	}
	return fmt.Errorf("attribution: the chain did not converge in %d sweeps", maxSweeps)
}

// Matrix returns the full transition matrix over States followed by
// (conversion) and (null), whose rows are absorbing. Its size is the
// square of the state count: use Transitions for high orders.
func (m *Markov) Matrix() (*mat.Dense, []string) {
	labels := append(slices.Clone(m.States), ConversionState, NullState)
	idx := make(map[string]int, len(labels))
	for i, l := range labels {
		idx[l] = i
	}
	d := mat.NewDense(len(labels), len(labels), nil)
	for _, t := range m.Transitions {
		d.Set(idx[t.From], idx[t.To], t.Probability)
	}
	d.Set(len(labels)-2, len(labels)-2, 1)
	d.Set(len(labels)-1, len(labels)-1, 1)
	return d, labels
}

// SplitValue divides amount among the channels in proportion to their
// value removal effects, exactly in minor units (places decimals), aligned
// with m.Channels.
func (m *Markov) SplitValue(amount decimal.Decimal, places int32) ([]decimal.Decimal, error) {
	return splitBy(amount, places, m.Channels, func(c MarkovChannel) float64 { return c.ValueRemovalEffect })
}

// splitBy splits amount exactly in proportion to each item's score.
func splitBy[T any](amount decimal.Decimal, places int32, items []T, score func(T) float64) ([]decimal.Decimal, error) {
	w := make([]float64, len(items))
	for i, it := range items {
		w[i] = score(it)
	}
	return revalign.Split(amount, w, places)
}

// ValueModel returns a [Model] named "markov" that splits each journey
// among its channels in proportion to their value removal effects (a
// channel's share divided evenly among its touches). Unlike the channel
// totals of a fit, which spread the total by the global removal effects as
// ChannelAttribution does, this keeps every journey's amount on that
// journey's own channels, so it reconciles cent for cent with the
// rule-based models. A journey none of whose channels has an effect is
// [ErrNoCredit].
func (m *Markov) ValueModel() Model {
	return m.model("markov", func(c MarkovChannel) float64 { return c.ValueRemovalEffect })
}

// ConversionModel is [Markov.ValueModel] with the conversion removal
// effects, named "markov_conversions".
func (m *Markov) ConversionModel() Model {
	return m.model("markov_conversions", func(c MarkovChannel) float64 { return c.RemovalEffect })
}

func (m *Markov) model(name string, score func(MarkovChannel) float64) Model {
	s := make(map[string]float64, len(m.Channels))
	for _, c := range m.Channels {
		s[c.Channel] = score(c)
	}
	return scoreModel{name: name, score: s}
}

// scoreModel splits a journey among its channels in proportion to a fixed
// score per channel.
type scoreModel struct {
	name  string
	score map[string]float64
}

func (s scoreModel) Name() string     { return s.name }
func (s scoreModel) MultiTouch() bool { return true }
func (s scoreModel) Weights(dst []float64, j *Journey) ([]float64, error) {
	n := len(j.Touches)
	dst = grow(dst, n)
	sum := 0.0
	for i := range j.Touches {
		if !firstOfChannel(j, i) {
			continue
		}
		w := s.score[j.Touches[i].Channel]
		if !(w > 0) || math.IsInf(w, 1) {
			continue
		}
		repeats := 0
		for k := i; k < n; k++ {
			if j.Touches[k].Channel == j.Touches[i].Channel {
				repeats++
			}
		}
		for k := i; k < n; k++ {
			if j.Touches[k].Channel == j.Touches[i].Channel {
				dst[k] = w / float64(repeats)
			}
		}
		sum += w
	}
	if sum == 0 {
		clear(dst)
		return dst, ErrNoCredit
	}
	for i := range dst {
		dst[i] /= sum
	}
	return dst, nil
}
