package attribution_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

// AppendPath is PathOf into a reused path: same path, no allocation once
// the array is large enough.
func TestAppendPath(t *testing.T) {
	won := path(1, 2, "paid_social", "email", "webinar")
	won.Amount = usd("1234.56")
	lost := path(0, 0, "events", "direct")
	lost.Outcome = attribution.Lost
	open := path(0, 0, "a")
	open.Outcome = attribution.Open

	var p attribution.Path
	for _, j := range []attribution.Journey{won, lost, open, won} {
		want, wantOK := attribution.PathOf(&j)
		var ok bool
		p, ok = attribution.AppendPath(p, &j)
		assert.Equal(t, wantOK, ok)
		if ok {
			assert.Equal(t, want, p)
		} else {
			assert.Empty(t, p.Channels)
			assert.Zero(t, p.Conversions+p.Nulls+p.Value)
		}
	}
	assert.Equal(t, 1234.56, p.Value)
	allocs := testing.AllocsPerRun(100, func() { p, _ = attribution.AppendPath(p, &won) })
	assert.Zero(t, allocs)
	c, _ := attribution.NewChain(1)
	allocs = testing.AllocsPerRun(100, func() {
		if p, _ = attribution.AppendPath(p, &lost); c.Add(p) != nil {
			t.Fatal("add")
		}
	})
	assert.Zero(t, allocs, "a pipeline adds journeys to a chain without allocating")
}

// eurRates reports in USD and converts euros at 1.08 and pounds at 1.27.
func eurRates() revalign.Rates {
	return revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{
		"EUR": decimal.RequireFromString("1.08"), "GBP": decimal.RequireFromString("1.27"),
	}}
}

// AppendPathIn converts a won journey's value into the base currency, as
// Rates.Convert does (rounded to the cent), and leaves the rest of the path
// as AppendPath builds it. The expected values are worked by hand.
func TestAppendPathIn(t *testing.T) {
	journey := func(outcome attribution.Outcome, amount, currency string) attribution.Journey {
		j := path(0, 1, "paid_search", "email")
		j.ID, j.Outcome, j.Amount, j.Currency = "opp-"+currency, outcome, decimal.RequireFromString(amount), currency
		return j
	}
	tests := []struct {
		name    string
		j       attribution.Journey
		ok      bool
		value   float64
		noRate  bool
		wantErr string
	}{
		{"base currency, as is", journey(attribution.Won, "1234.56", "USD"), true, 1234.56, false, ""},
		{"base currency, any case", journey(attribution.Won, "1234.56", "usd"), true, 1234.56, false, ""},
		{"euros at 1.08, rounded to the cent", journey(attribution.Won, "1234.56", "EUR"), true, 1333.32, false, ""}, // 1333.3248
		{"more than half a cent rounds up", journey(attribution.Won, "0.125", "GBP"), true, 0.16, false, ""},         // 0.15875
		{"half a cent rounds away from zero", journey(attribution.Won, "0.0625", "EUR"), true, 0.07, false, ""},      // 0.0675
		{"lower-case code", journey(attribution.Won, "100", "eur"), true, 108, false, ""},
		{"whole amount, fractional rate", journey(attribution.Won, "250000", "GBP"), true, 317500, false, ""},
		{"lost: no value, no rate needed", journey(attribution.Lost, "999", "CHF"), true, 0, false, ""},
		{"open: no path", journey(attribution.Open, "999", "EUR"), false, 0, false, ""},
		{"won without a rate", journey(attribution.Won, "500", "CHF"), false, 0, true,
			`record opp-CHF: revalign: no exchange rate from "CHF" to "USD": currency`},
	}
	p := attribution.Path{Channels: make([]string, 0, 8)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ok bool
			var err error
			p, ok, err = attribution.AppendPathIn(p, &tt.j, eurRates())
			assert.Equal(t, tt.ok, ok)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.EqualError(t, err, tt.wantErr)
				assert.ErrorIs(t, err, revalign.ErrCurrency)
				var re revalign.RecordError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.j.ID, re.ID)
			} else {
				assert.NoError(t, err)
			}
			if !ok {
				assert.Empty(t, p.Channels)
				assert.Zero(t, p.Conversions+p.Nulls+p.Value)
				assert.Equal(t, 8, cap(p.Channels), "the caller's array is kept")
				return
			}
			want, _ := attribution.AppendPath(attribution.Path{}, &tt.j)
			want.Value = tt.value
			assert.Equal(t, want, p)
		})
	}
}

// A chain fed with AppendPathIn holds one currency: a euro deal and a
// dollar deal add up in dollars, where AppendPath would have added 1,000
// euros to 1,000 dollars.
func TestAppendPathInSumsOneCurrency(t *testing.T) {
	eur := path(0, 1, "paid_search", "email")
	eur.Amount, eur.Currency = decimal.RequireFromString("1000"), "EUR"
	us := path(0, 1, "webinar")
	us.Amount = decimal.RequireFromString("1000")
	c, err := attribution.NewChain(1)
	require.NoError(t, err)
	var p attribution.Path
	for _, j := range []attribution.Journey{eur, us} {
		var ok bool
		p, ok, err = attribution.AppendPathIn(p, &j, eurRates())
		require.NoError(t, err)
		require.True(t, ok)
		require.NoError(t, c.Add(p))
	}
	m, err := c.Fit()
	require.NoError(t, err)
	assert.Equal(t, 2080.0, m.Value) // 1000 × 1.08 + 1000
}

// AppendPathIn allocates nothing once the path's array has grown: for a
// journey in the base currency, and for one converted at a rate.
func TestAppendPathInDoesNotAllocate(t *testing.T) {
	won := path(1, 2, "paid_social", "email", "webinar")
	won.Amount = decimal.RequireFromString("48250.75")
	eur := won
	eur.Currency = "EUR"
	rates := eurRates()
	c, err := attribution.NewChain(2)
	require.NoError(t, err)
	var p attribution.Path
	for _, j := range []*attribution.Journey{&won, &eur} {
		allocs := testing.AllocsPerRun(100, func() {
			var err error
			if p, _, err = attribution.AppendPathIn(p, j, rates); err != nil {
				t.Fatal(err)
			}
			if err = c.Add(p); err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, j.Currency)
	}
}

// The converted value is exactly Rates.Convert's, as a float, whichever way
// AppendPathIn computes it (integers on the fast path, decimals beyond it):
// random amounts and rates of every size and scale, in base currencies with
// 0, 2 and 3 minor units, against Convert itself.
func TestAppendPathInAgreesWithConvert(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	dec := func(maxDigits int, minExp, maxExp int32) decimal.Decimal {
		digits := 1 + rng.IntN(maxDigits)
		var c int64
		for range digits {
			c = c*10 + rng.Int64N(10)
		}
		return decimal.New(c, minExp+rng.Int32N(maxExp-minExp+1))
	}
	j := path(0, 1, "a", "b")
	// Edges: scales beyond 18 digits either way, coefficients beyond 18
	// digits, products beyond 2^64 and results beyond 2^53, all of which
	// leave the integer path.
	for _, c := range [][2]string{
		{"1e20", "1"}, {"1e-30", "1.08"}, {"7", "1e-25"}, {"123456789012345678901", "1.08"},
		{"999999999999999999", "999999999999999999"}, {"90071992547409.93", "1"}, {"90071992547409.92", "1"},
		{"0.005", "1"}, {"-0.005", "1"}, {"0", "1.08"},
	} {
		rates := revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"XTS": decimal.RequireFromString(c[1])}}
		j.Currency, j.Amount = "XTS", decimal.RequireFromString(c[0])
		want, err := rates.Convert(j.Amount, j.Currency)
		require.NoError(t, err)
		p, _, err := attribution.AppendPathIn(attribution.Path{}, &j, rates)
		require.NoError(t, err)
		assert.Equal(t, want.InexactFloat64(), p.Value, "%s × %s", c[0], c[1])
	}
	for i := range 20000 {
		base := [...]string{"USD", "JPY", "BHD"}[i%3]
		rates := revalign.Rates{Base: base, Rates: map[string]decimal.Decimal{"XTS": dec(12, -10, 2)}}
		j.Currency, j.Amount = "XTS", dec(19, -6, 4)
		if i%7 == 0 {
			j.Amount = j.Amount.Neg() // not a valid journey, but the arithmetic holds
		}
		if i%11 == 0 { // exact halves of the last minor unit
			j.Amount, rates.Rates["XTS"] = decimal.New(int64(rng.IntN(1000))*10+5, -4), decimal.New(1, -rng.Int32N(3))
		}
		want, err := rates.Convert(j.Amount, j.Currency)
		require.NoError(t, err)
		p, ok, err := attribution.AppendPathIn(attribution.Path{}, &j, rates)
		require.NoError(t, err)
		require.True(t, ok)
		if p.Value != want.InexactFloat64() {
			t.Fatalf("%s %s × %s in %s: got %v, Convert gives %s (%v)", j.Amount, j.Currency, rates.Rates["XTS"], base, p.Value, want, want.InexactFloat64())
		}
	}
}

// PathsOf and AppendPathIn give the same paths.
func TestPathsOfIsAppendPathIn(t *testing.T) {
	var journeys []attribution.Journey
	for i, cur := range []string{"USD", "EUR", "GBP", "EUR"} {
		j := path(0, 1, "paid_search", "email", "webinar")
		j.ID, j.Currency, j.Amount = fmt.Sprint("opp-", i), cur, decimal.New(int64(1000+i*337), -1)
		if i == 3 {
			j.Outcome = attribution.Lost
		}
		journeys = append(journeys, j)
	}
	paths, skipped, bad := attribution.PathsOf(journeys, eurRates())
	require.Empty(t, bad)
	require.Zero(t, skipped)
	for i := range journeys {
		p, ok, err := attribution.AppendPathIn(attribution.Path{}, &journeys[i], eurRates())
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, paths[i], p)
	}
}
