package attribution_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

func channelsOf(m *attribution.Markov) map[string]attribution.MarkovChannel {
	out := map[string]attribution.MarkovChannel{}
	for _, c := range m.Channels {
		out[c.Channel] = c
	}
	return out
}

func p(path string, conv, value, nulls float64) attribution.Path {
	return attribution.Path{Channels: strings.Split(path, " > "), Conversions: conv, Value: value, Nulls: nulls}
}

// The whitepaper example (REFERENCE §5): RE_A = 1, RE_B = 0.5; A gets two
// of the three conversions, B one.
func TestMarkovWhitepaper(t *testing.T) {
	m, err := attribution.FitMarkov([]attribution.Path{
		p("A > B > A > B > B > A", 1, 0, 0),
		p("A > B > B > A > A", 1, 0, 0),
		p("A > A", 1, 0, 0),
	}, 1)
	require.NoError(t, err)
	ch := channelsOf(m)
	assert.InDelta(t, 1, ch["A"].RemovalEffect, 1e-12)
	assert.InDelta(t, 0.5, ch["B"].RemovalEffect, 1e-12)
	assert.InDelta(t, 2, ch["A"].Conversions, 1e-12)
	assert.InDelta(t, 1, ch["B"].Conversions, 1e-12)
	assert.InDelta(t, 1, m.ConversionProbability, 1e-12)
	assert.Equal(t, "lu", m.Solver)
}

// A second chain solved by hand, with nulls and values. Order 1:
// start→a ½, start→b ½; a→b ½, a→null ½; b→conv ⅓, b→null ⅔.
// P(conv) = ½·½·⅓ + ½·⅓ = ¼; without a: ½·⅓ = ⅙ → RE_a = ⅓; without b:
// 0 → RE_b = 1. Credits of the 2 conversions: a ½, b 1½. The conversions
// from b are worth 150 in all, so value splits the same way: 37.5/112.5.
func TestMarkovHandSolved(t *testing.T) {
	m, err := attribution.FitMarkov([]attribution.Path{
		p("a > b", 1, 100, 1),
		p("b", 1, 50, 3),
		p("a", 0, 0, 2),
	}, 1)
	require.NoError(t, err)
	ch := channelsOf(m)
	assert.InDelta(t, 0.25, m.ConversionProbability, 1e-12)
	assert.InDelta(t, 150.0/8, m.ExpectedValue, 1e-12)
	assert.InDelta(t, 1.0/3, ch["a"].RemovalEffect, 1e-12)
	assert.InDelta(t, 1, ch["b"].RemovalEffect, 1e-12)
	assert.InDelta(t, 0.5, ch["a"].Conversions, 1e-12)
	assert.InDelta(t, 1.5, ch["b"].Conversions, 1e-12)
	assert.InDelta(t, 1.0/3, ch["a"].ValueRemovalEffect, 1e-12)
	assert.InDelta(t, 37.5, ch["a"].Value, 1e-9)
	assert.InDelta(t, 112.5, ch["b"].Value, 1e-9)
	assert.Equal(t, 3, m.Paths)
	assert.Equal(t, 2.0, m.Conversions)
	assert.Equal(t, 6.0, m.Nulls)
	assert.Equal(t, 150.0, m.Value)

	// Exact money: 150.00 split by the value removal effects.
	split, err := m.SplitValue(decimal.RequireFromString("150.00"), 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"37.5", "112.5"}, []string{split[0].String(), split[1].String()})
}

// Order 2 sees that c only converts after a: paths a>b>c (converts) and
// c>b>c (does not). Order 2 states (a,b), (c,b) → (b,c) → conv ½ / null ½:
// removing a halves conversion (RE ½), removing b or c stops it (RE 1).
// Order 1 mixes the two histories of b: removing b leaves c's own ⅓ from
// (start)→c, so RE_b = 1 − (½·⅓)/½ = ⅔.
func TestMarkovOrders(t *testing.T) {
	paths := []attribution.Path{p("a > b > c", 1, 0, 0), p("c > b > c", 0, 0, 1)}
	m2, err := attribution.FitMarkov(paths, 2)
	require.NoError(t, err)
	ch := channelsOf(m2)
	assert.InDelta(t, 0.5, ch["a"].RemovalEffect, 1e-12)
	assert.InDelta(t, 1, ch["b"].RemovalEffect, 1e-12)
	assert.InDelta(t, 1, ch["c"].RemovalEffect, 1e-12)
	assert.InDelta(t, 0.2, ch["a"].Conversions, 1e-12)
	assert.Equal(t, []string{"(start)", "a > b", "b > c", "c > b"}, m2.States)

	m1, err := attribution.FitMarkov(paths, 1)
	require.NoError(t, err)
	ch = channelsOf(m1)
	assert.InDelta(t, 0.5, ch["a"].RemovalEffect, 1e-12)
	assert.InDelta(t, 2.0/3, ch["b"].RemovalEffect, 1e-12)
	assert.InDelta(t, 1, ch["c"].RemovalEffect, 1e-12)
	assert.InDelta(t, 0.5, m1.ConversionProbability, 1e-12)

	// A path shorter than the order is one state.
	m3, err := attribution.FitMarkov([]attribution.Path{p("a > b", 1, 0, 0), p("a", 0, 0, 1)}, 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"(start)", "a", "a > b"}, m3.States)
	assert.InDelta(t, 1, channelsOf(m3)["b"].RemovalEffect, 1e-12)
}

func TestMarkovTransitions(t *testing.T) {
	m, err := attribution.FitMarkov([]attribution.Path{
		p("a > b", 1, 100, 1), p("b", 1, 50, 3), p("a > a > a", 0, 0, 2),
	}, 1)
	require.NoError(t, err)
	// Self-loops are collapsed: a > a > a is the state a once.
	out := map[string]float64{}
	for _, tr := range m.Transitions {
		out[tr.From] += tr.Probability
		assert.NotEqual(t, tr.From, tr.To, "no self-loops")
	}
	for s, sum := range out {
		assert.InDelta(t, 1, sum, 1e-12, s)
	}
	mx, labels := m.Matrix()
	assert.Equal(t, []string{"(start)", "a", "b", "(conversion)", "(null)"}, labels)
	for i := range labels {
		sum := 0.0
		for j := range labels {
			sum += mx.At(i, j)
		}
		assert.InDelta(t, 1, sum, 1e-12, labels[i])
	}
	assert.InDelta(t, 0.5, mx.At(1, 2), 1e-12) // a → b
}

func TestMarkovErrors(t *testing.T) {
	_, err := attribution.NewChain(0)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = attribution.NewChain(5)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	c, err := attribution.NewChain(1)
	require.NoError(t, err)
	for _, bad := range []attribution.Path{
		{},
		{Channels: []string{"a", " "}, Conversions: 1},
		{Channels: []string{"a"}, Conversions: -1},
		{Channels: []string{"a"}},
		{Channels: []string{"a"}, Conversions: 1, Value: 1e20},
	} {
		assert.ErrorIs(t, c.Add(bad), revalign.ErrInvalid, "%+v", bad)
	}
	require.NoError(t, c.Add(p("a", 0, 0, 1)))
	_, err = c.Fit()
	assert.ErrorIs(t, err, attribution.ErrNoConversions)
	c2, _ := attribution.NewChain(2)
	assert.ErrorIs(t, c.Merge(c2), revalign.ErrInvalid)
	_, err = attribution.FitMarkov([]attribution.Path{p("a", 1, 0, 0), {}}, 1)
	var re revalign.RecordError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "paths[1]", re.ID)
	_, err = attribution.FitMarkov(nil, 9)
	assert.Error(t, err)
}

// Shards counted separately and merged give exactly the single pass, for
// every order, whatever the order of the merge.
func TestChainMergeEqualsOnePass(t *testing.T) {
	for _, ds := range datasets(t) {
		lines := bytes.SplitAfter(ds.data, []byte("\n"))
		for order := 1; order <= attribution.MaxOrder; order++ {
			one, err := attribution.NewChain(order)
			require.NoError(t, err)
			bad, err := one.ReadPaths(bytes.NewReader(ds.data))
			require.NoError(t, err)
			require.Empty(t, bad)
			want, err := one.Fit()
			require.NoError(t, err)

			var shards [4]bytes.Buffer
			for i, l := range lines[1:] {
				shards[i%4].Write(l)
			}
			merged, _ := attribution.NewChain(order)
			for k := 3; k >= 0; k-- { // merge in reverse to change channel numbering
				s, _ := attribution.NewChain(order)
				_, err := s.ReadPaths(&shards[k])
				require.NoError(t, err)
				require.NoError(t, merged.Merge(s))
			}
			got, err := merged.Fit()
			require.NoError(t, err)
			assert.Equal(t, want, got, "%s, order %d", ds.name, order)
			assert.Equal(t, ds.lines, got.Paths)
			if order == attribution.MaxOrder {
				assert.Equal(t, "gauss-seidel", got.Solver, "%s: order 4 takes the iterative solver", ds.name)
			}
		}
	}
}

// Every data set: the exact credits sum to the totals, every removal
// effect is in (0, 1], and two fits are identical.
func TestMarkovSampleData(t *testing.T) {
	for _, ds := range datasets(t) {
		for order := 1; order <= 4; order++ {
			c, _ := attribution.NewChain(order)
			_, err := c.ReadPaths(bytes.NewReader(ds.data))
			require.NoError(t, err)
			m, err := c.Fit()
			require.NoError(t, err)
			again, err := c.Fit()
			require.NoError(t, err)
			assert.Equal(t, m, again)
			var conv, value float64
			for _, ch := range m.Channels {
				assert.True(t, ch.RemovalEffect > 0 && ch.RemovalEffect <= 1, "%s %d %s %v", ds.name, order, ch.Channel, ch.RemovalEffect)
				conv += ch.Conversions
				value += ch.Value
			}
			assert.InDelta(t, m.Conversions, conv, 1e-6)
			assert.InDelta(t, m.Value, value, 1e-6)
			assert.Len(t, m.Channels, ds.channels)
			// The chain's conversion probability is the observed rate,
			// whatever the order (each path's own transitions are counted).
			assert.InDelta(t, m.Conversions/(m.Conversions+m.Nulls), m.ConversionProbability, 1e-9)
		}
	}
}

func TestMarkovModel(t *testing.T) {
	m, err := attribution.FitMarkov([]attribution.Path{p("a > b", 1, 100, 1), p("b", 1, 50, 3), p("a", 0, 0, 2)}, 1)
	require.NoError(t, err)
	vm := m.ValueModel()
	assert.Equal(t, "markov", vm.Name())
	// RE_a = ⅓, RE_b = 1: a journey a, b, b splits ¼ to a and ¾ to b,
	// b's share divided between its two touches.
	j := path(0, 0, "a", "b", "b")
	assert.InDeltaSlice(t, []float64{0.25, 0.375, 0.375}, weights(t, vm, j), 1e-12)
	assert.Equal(t, "markov_conversions", m.ConversionModel().Name())
	unknown := path(0, 0, "z")
	_, err = vm.Weights(nil, &unknown)
	assert.ErrorIs(t, err, attribution.ErrNoCredit)
}
