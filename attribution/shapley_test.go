package attribution_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

// Three channels solved by hand. Journeys (channel sets; order for the
// ordered variant): a ×3 conversions (value 300), b>a ×2 (100), b>c>b ×1
// (60), c>a>b>a ×3 (90); plus nulls for the conversion-rate worth.
func handCoalitions(t *testing.T) *attribution.Coalitions {
	t.Helper()
	var c attribution.Coalitions
	for _, pa := range []attribution.Path{
		p("a", 3, 300, 3),
		p("b > a", 2, 100, 2),
		p("b > c > b", 1, 60, 3),
		p("c > a > b > a", 3, 90, 1),
		p("b", 0, 0, 4),
	} {
		require.NoError(t, c.Add(pa))
	}
	return &c
}

func shapleyValues(s *attribution.Shapley) map[string]float64 {
	out := map[string]float64{}
	for _, c := range s.Channels {
		out[c.Channel] = c.Value
	}
	return out
}

func TestShapleyHandExample(t *testing.T) {
	c := handCoalitions(t)
	// Simplified (Zhao): φ_a = 3 + 2/2 + 3/3 = 5, φ_b = 2/2 + 1/2 + 3/3 =
	// 2.5, φ_c = 1/2 + 3/3 = 1.5.
	want := map[string]float64{"a": 5, "b": 2.5, "c": 1.5}
	simple, err := c.Simplified(attribution.Conversions)
	require.NoError(t, err)
	assert.InDeltaMapValues(t, want, shapleyValues(simple), 1e-12)
	assert.InDelta(t, 9, simple.Total, 1e-12)
	// The coalition formula with v(∅)=0, v(a)=3, v(b)=v(c)=0, v(ab)=5,
	// v(ac)=3, v(bc)=1, v(abc)=9: φ_a = ⅓·3 + ⅙·5 + ⅙·3 + ⅓·8 = 5,
	// φ_b = ⅓·0 + ⅙·2 + ⅙·1 + ⅓·6 = 2.5, φ_c = ⅙·0 + ⅙·1 + ⅓·4 = 1.5.
	exact, err := c.Exact(attribution.Conversions)
	require.NoError(t, err)
	assert.InDeltaMapValues(t, want, shapleyValues(exact), 1e-12)
	assert.Equal(t, "exact", exact.Method)
	assert.InDelta(t, 5.0/9, exact.Channels[0].Share, 1e-12)

	// Value-weighted: a 300 + 50 + 30, b 50 + 30 + 30, c 30 + 30.
	wantValue := map[string]float64{"a": 380, "b": 110, "c": 60}
	sv, err := c.Simplified(attribution.ConversionValue)
	require.NoError(t, err)
	assert.InDeltaMapValues(t, wantValue, shapleyValues(sv), 1e-9)
	ev, err := c.Exact(attribution.ConversionValue)
	require.NoError(t, err)
	assert.InDeltaMapValues(t, wantValue, shapleyValues(ev), 1e-9)

	// Conversion rate: v(S) = conversions/journeys of the journeys within
	// S: v(a)=3/6, v(b)=0/4, v(c)=0, v(ab)=5/14, v(ac)=3/6, v(bc)=1/8,
	// v(abc)=9/22; scaled so the values sum to the 9 conversions.
	va, vab, vac, vbc, vabc := 0.5, 5.0/14, 0.5, 1.0/8, 9.0/22
	phiA := va/3 + vab/6 + vac/6 + (vabc-vbc)/3
	phiB := (vab-va)/6 + vbc/6 + (vabc-vac)/3
	phiC := (vac-va)/6 + vbc/6 + (vabc-vab)/3
	scale := 9 / (phiA + phiB + phiC)
	rate, err := c.Exact(attribution.ConversionRate)
	require.NoError(t, err)
	assert.InDeltaMapValues(t, map[string]float64{"a": phiA * scale, "b": phiB * scale, "c": phiC * scale}, shapleyValues(rate), 1e-12)
	assert.Less(t, phiB, 0.0, "b mostly appears on lost journeys")

	// Ordered: a is first in "a" (3) and second in "b>a" (2/2) and
	// "c>a>b>a" (3/3); b is first in "b>a" (1) and "b>c>b" (½), third in
	// "c>a>b>a" (1); c is second in "b>c>b" (½) and first in "c>a>b>a" (1).
	ord, err := c.Ordered(attribution.Conversions)
	require.NoError(t, err)
	require.Len(t, ord, 3)
	assert.InDeltaSlice(t, []float64{3, 2}, ord[0].ByPosition, 1e-12)
	assert.InDeltaSlice(t, []float64{1.5, 0, 1}, ord[1].ByPosition, 1e-12)
	assert.InDeltaSlice(t, []float64{1, 0.5}, ord[2].ByPosition, 1e-12)
	for _, o := range ord {
		assert.InDelta(t, want[o.Channel], o.Total, 1e-12)
	}

	// Exact money split of 550.00 by value.
	split, err := sv.SplitValue(decimal.RequireFromString("550.00"), 2)
	require.NoError(t, err)
	assert.Equal(t, "380", split[0].String())
	assert.Equal(t, "110", split[1].String())
	assert.Equal(t, "60", split[2].String())
}

func TestShapleyErrors(t *testing.T) {
	c := handCoalitions(t)
	_, err := c.Simplified(attribution.ConversionRate)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = c.Ordered(attribution.ConversionRate)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = c.Exact(attribution.Worth(9))
	assert.ErrorIs(t, err, revalign.ErrInvalid)

	var big attribution.Coalitions
	for i := range attribution.MaxExactChannels + 1 {
		require.NoError(t, big.Add(p(fmt.Sprintf("c%02d", i), 1, 0, 0)))
	}
	_, err = big.Exact(attribution.Conversions)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	s, err := big.Simplified(attribution.Conversions)
	require.NoError(t, err)
	assert.InDelta(t, 21, s.Total, 1e-12)

	var full attribution.Coalitions
	for i := range attribution.MaxShapleyChannels {
		require.NoError(t, full.Add(p(fmt.Sprintf("c%02d", i), 1, 0, 0)))
	}
	assert.Error(t, full.Add(p("one too many", 1, 0, 0)))
	assert.Error(t, full.Add(attribution.Path{}))

	var empty attribution.Coalitions
	e, err := empty.Exact(attribution.Conversions)
	require.NoError(t, err)
	assert.Empty(t, e.Channels)

	_, err = attribution.CoalitionsOf([]attribution.Path{p("a", 1, 0, 0), {}})
	assert.Error(t, err)
	assert.Equal(t, "conversion_rate", attribution.ConversionRate.String())
	assert.Equal(t, "Worth(7)", attribution.Worth(7).String())
}

func TestCoalitionsMergeEqualsOnePass(t *testing.T) {
	for _, ds := range datasets(t) {
		var one attribution.Coalitions
		bad, err := one.ReadPaths(bytes.NewReader(ds.data))
		require.NoError(t, err)
		require.Empty(t, bad)
		lines := bytes.SplitAfter(ds.data, []byte("\n"))[1:]
		var merged attribution.Coalitions
		for k := 2; k >= 0; k-- {
			var s attribution.Coalitions
			var buf bytes.Buffer
			for i, l := range lines {
				if i%3 == k {
					buf.Write(l)
				}
			}
			_, err := s.ReadPaths(&buf)
			require.NoError(t, err)
			require.NoError(t, merged.Merge(&s))
		}
		assert.Equal(t, one.Paths(), merged.Paths())
		assert.Equal(t, ds.lines, merged.Paths())
		for _, w := range []attribution.Worth{attribution.Conversions, attribution.ConversionValue, attribution.ConversionRate} {
			a, err := one.Exact(w)
			require.NoError(t, err)
			b, err := merged.Exact(w)
			require.NoError(t, err)
			assert.Equal(t, a, b, "%s %s", ds.name, w)
		}
		a, _ := one.Simplified(attribution.ConversionValue)
		b, _ := merged.Simplified(attribution.ConversionValue)
		assert.Equal(t, a, b, ds.name)
		oa, _ := one.Ordered(attribution.Conversions)
		ob, _ := merged.Ordered(attribution.Conversions)
		assert.Equal(t, oa, ob, ds.name)
		// Zhao: exact equals simplified for the conversion worth.
		ex, _ := one.Exact(attribution.Conversions)
		si, _ := one.Simplified(attribution.Conversions)
		require.Len(t, ex.Channels, ds.channels)
		for i := range ex.Channels {
			assert.InDelta(t, si.Channels[i].Value, ex.Channels[i].Value, 1e-6)
		}
	}
}

func TestShapleyModel(t *testing.T) {
	c := handCoalitions(t)
	s, err := c.Exact(attribution.Conversions)
	require.NoError(t, err)
	m := s.Model()
	assert.Equal(t, "shapley", m.Name())
	// φ_a = 5, φ_c = 1.5: a journey c, a, a gives c 1.5/6.5 and a 5/6.5
	// split over its two touches.
	j := path(0, 0, "c", "a", "a")
	assert.InDeltaSlice(t, []float64{1.5 / 6.5, 2.5 / 6.5, 2.5 / 6.5}, weights(t, m, j), 1e-12)
}

func TestReadPaths(t *testing.T) {
	in := strings.Join([]string{
		"path;total_conversions;total_conversion_value;total_null",
		"a > b > c;1;2.5;3",
		`"b";2;0.125;0`,
		"",
		"c >  a;0;0;1\r",
		"d;1",
		"a > ;1;0;0",    // empty channel
		"a;x;0;0",       // bad number
		"a;1;0;0;9",     // too many fields
		"a",             // too few
		"a;-1;0;0",      // negative
		"a;0;0;0",       // nothing to count
		"a;1e2;1.5e1;0", // exponents
		" >a;1;0;0",     // empty first channel
	}, "\n")
	paths, bad, err := attribution.ReadPaths(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, []attribution.Path{
		{Channels: []string{"a", "b", "c"}, Conversions: 1, Value: 2.5, Nulls: 3},
		{Channels: []string{"b"}, Conversions: 2, Value: 0.125},
		{Channels: []string{"c", "a"}, Nulls: 1},
		{Channels: []string{"d"}, Conversions: 1},
		{Channels: []string{"a"}, Conversions: 100, Value: 15},
	}, paths)
	var ids []string
	for _, b := range bad {
		ids = append(ids, b.ID)
		assert.ErrorIs(t, b, revalign.ErrInvalid)
	}
	assert.Equal(t, []string{"line 7", "line 8", "line 9", "line 10", "line 11", "line 12", "line 14"}, ids)
	assert.Equal(t, "a > b > c;1;2.5;3", paths[0].String())

	_, _, err = attribution.ReadPaths(errReader{})
	assert.Error(t, err)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, fmt.Errorf("disk on fire") }

func TestPathsOf(t *testing.T) {
	won := path(0, 0, "a", "b")
	won.Currency, won.Amount = "EUR", decimal.RequireFromString("100")
	lost := path(0, 0, "c")
	lost.Outcome = attribution.Lost
	open := path(0, 0, "d")
	open.Outcome = attribution.Open
	none := attribution.Journey{ID: "none", Outcome: attribution.Won, Currency: "USD"}
	gbp := path(0, 0, "e")
	gbp.ID, gbp.Currency = "gbp-deal", "GBP"
	rates := revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": decimal.RequireFromString("1.1")}}
	paths, skipped, bad := attribution.PathsOf([]attribution.Journey{won, lost, open, none, gbp}, rates)
	assert.Equal(t, []attribution.Path{
		{Channels: []string{"a", "b"}, Conversions: 1, Value: 110},
		{Channels: []string{"c"}, Nulls: 1},
	}, paths)
	assert.Equal(t, 2, skipped)
	require.Len(t, bad, 1)
	assert.Equal(t, "gbp-deal", bad[0].ID)
	assert.ErrorIs(t, bad[0], revalign.ErrCurrency)
}
