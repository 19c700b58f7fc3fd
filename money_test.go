package revalign_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = decimal.RequireFromString(s)
	}
	return out
}

func TestSplitKnownCases(t *testing.T) {
	cases := []struct {
		name    string
		amount  string
		weights []float64
		places  int32
		want    []string
	}{
		// REFERENCE §5: failures seen elsewhere, right here.
		{"99.99 split 75/25", "99.99", []float64{75, 25}, 2, []string{"74.99", "25.00"}},
		{"5 units split 45/55", "0.05", []float64{45, 55}, 2, []string{"0.02", "0.03"}},
		{"0.03 split 75/25", "0.03", []float64{0.75, 0.25}, 2, []string{"0.02", "0.01"}},
		// 100 / 3: each 33.333…, one leftover cent to the first by position.
		{"thirds", "100.00", []float64{1, 1, 1}, 2, []string{"33.34", "33.33", "33.33"}},
		// ties on the fraction go to the larger weight: 10 units 0.25/0.35/0.4
		// → 2.5, 3.5, 4 → floors 2, 3, 4 (9), leftover to 3.5 (weight .35 > .25)
		{"tie broken by weight", "0.10", []float64{0.25, 0.35, 0.4}, 2, []string{"0.02", "0.04", "0.04"}},
		// exact remainders of ½ each: the larger weight gets the unit, however
		// the weights are scaled (float rounding must not decide)
		{"exact tie, scaled weights", "0.02", []float64{0.3, 0.1}, 2, []string{"0.02", "0.00"}},
		{"exact tie, integer weights", "0.02", []float64{3, 1}, 2, []string{"0.02", "0.00"}},
		{"exact tie, 61262.5 and 12252.5", "735.15", []float64{0.1, 0.02}, 2, []string{"612.63", "122.52"}},
		{"zero weight gets nothing", "10.00", []float64{0, 1, 1}, 2, []string{"0.00", "5.00", "5.00"}},
		{"W-shaped 8 touches", "1000.00", []float64{0.3, 0.1 / 5, 0.3, 0.1 / 5, 0.1 / 5, 0.3, 0.1 / 5, 0.1 / 5}, 2,
			[]string{"300.00", "20.00", "300.00", "20.00", "20.00", "300.00", "20.00", "20.00"}},
		{"yen has no minor units", "1000", []float64{1, 1, 1}, 0, []string{"334", "333", "333"}},
		{"dinar has three", "1.000", []float64{1, 2}, 3, []string{"0.333", "0.667"}},
		{"refund splits negative", "-99.99", []float64{75, 25}, 2, []string{"-74.99", "-25.00"}},
		{"zero amount", "0", []float64{1, 2}, 2, []string{"0.00", "0.00"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := revalign.Split(decimal.RequireFromString(tc.amount), tc.weights, tc.places)
			require.NoError(t, err)
			require.Len(t, got, len(tc.want))
			sum := decimal.Zero
			for i, w := range decs(tc.want...) {
				assert.True(t, w.Equal(got[i]), "share %d = %s, want %s", i, got[i], w)
				sum = sum.Add(got[i])
			}
			assert.True(t, sum.Equal(decimal.RequireFromString(tc.amount)), "shares sum to %s", sum)
		})
	}
}

func TestSplitErrors(t *testing.T) {
	one := decimal.RequireFromString("1.00")
	cases := []struct {
		name    string
		amount  decimal.Decimal
		weights []float64
		places  int32
		is      error
	}{
		{"no weights", one, nil, 2, revalign.ErrInvalid},
		{"negative weight", one, []float64{1, -1}, 2, revalign.ErrInvalid},
		{"NaN weight", one, []float64{math.NaN()}, 2, revalign.ErrInvalid},
		{"infinite weight", one, []float64{math.Inf(1)}, 2, revalign.ErrInvalid},
		{"all zero", one, []float64{0, 0}, 2, revalign.ErrInvalid},
		{"too many decimals", decimal.RequireFromString("1.005"), []float64{1}, 2, revalign.ErrCurrency},
		{"too large", decimal.New(1, 20), []float64{1}, 2, revalign.ErrCurrency},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := revalign.Split(tc.amount, tc.weights, tc.places)
			assert.ErrorIs(t, err, tc.is)
		})
	}
	_, err := revalign.SplitUnits(1<<41, []float64{1}, nil)
	assert.ErrorIs(t, err, revalign.ErrCurrency)
}

// TestSplitUnitsProperties checks, on random amounts and weights, that
// shares sum exactly, that no share is off its exact part by a unit or more,
// and that larger weights never get less.
func TestSplitUnitsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	dst := make([]int64, 0, 100)
	for i := 0; i < 20000; i++ {
		n := 1 + r.IntN(12)
		if i%50 == 0 {
			n = 65 + r.IntN(30) // the large-n path
		}
		w := make([]float64, n)
		var total float64
		for j := range w {
			if r.IntN(5) > 0 {
				w[j] = float64(r.IntN(100)) / 7
			}
			total += w[j]
		}
		if total == 0 {
			w[0], total = 1, 1
		}
		units := r.Int64N(10_000_000_000) - 1_000_000
		got, err := revalign.SplitUnits(units, w, dst)
		require.NoError(t, err)
		var sum int64
		for j, g := range got {
			sum += g
			exact := float64(units) * w[j] / total
			assert.Less(t, math.Abs(float64(g)-exact), 1.0, "share %d of %d", j, units)
			if w[j] == 0 {
				assert.Zero(t, g)
			}
		}
		require.Equal(t, units, sum, "weights %v", w)
		for a := range got {
			for b := range got {
				if w[a] > w[b] && units > 0 {
					assert.GreaterOrEqual(t, got[a], got[b])
				}
			}
		}
	}
}

func TestSplitUnitsReusesDst(t *testing.T) {
	dst := make([]int64, 0, 8)
	got, err := revalign.SplitUnits(100, []float64{1, 1, 1}, dst)
	require.NoError(t, err)
	assert.Equal(t, []int64{34, 33, 33}, got)
	assert.Equal(t, &dst[:1][0], &got[0], "the caller's buffer is used")
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = revalign.SplitUnits(99_99, []float64{0.4, 0.1, 0.1, 0.4}, dst)
	})
	assert.Zero(t, allocs)
}

func TestMinorUnits(t *testing.T) {
	for code, want := range map[string]int32{"USD": 2, "eur": 2, "JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3, "CLF": 4, "XYZ": 2} {
		assert.Equal(t, want, revalign.MinorUnits(code), code)
	}
}

func TestRates(t *testing.T) {
	r := revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": decimal.RequireFromString("1.08"), "JPY": decimal.RequireFromString("0.0067")}}
	require.NoError(t, r.Validate())
	got, err := r.Convert(decimal.RequireFromString("99.99"), "EUR")
	require.NoError(t, err)
	assert.Equal(t, "107.99", got.String(), "99.99 × 1.08 = 107.9892 rounds to cents")
	got, err = r.Convert(decimal.RequireFromString("1500"), "JPY")
	require.NoError(t, err)
	assert.Equal(t, "10.05", got.String())
	got, err = r.Convert(decimal.RequireFromString("12.34"), "usd")
	require.NoError(t, err)
	assert.Equal(t, "12.34", got.String())
	_, err = r.Convert(decimal.RequireFromString("1"), "GBP")
	assert.ErrorIs(t, err, revalign.ErrCurrency)
	assert.EqualError(t, err, `revalign: no exchange rate from "GBP" to "USD": currency`)

	bad := revalign.Rates{Base: "US", Rates: map[string]decimal.Decimal{"EUR": decimal.Zero}}
	err = bad.Validate()
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.EqualError(t, err, "revalign: base: must be a three-letter currency code, got \"US\"\nrevalign: rates.EUR: must be > 0, got \"0\"")
}

func FuzzSplitUnits(f *testing.F) {
	f.Add(int64(9999), 75.0, 25.0, 0.0)
	f.Add(int64(5), 45.0, 55.0, 1e-300)
	f.Add(int64(-3), 1.0, 1.0, 1.0)
	f.Fuzz(func(t *testing.T, units int64, a, b, c float64) {
		got, err := revalign.SplitUnits(units, []float64{a, b, c}, nil)
		if err != nil {
			return
		}
		var sum int64
		for _, g := range got {
			sum += g
		}
		if sum != units {
			t.Fatalf("SplitUnits(%d, %v, %v, %v) = %v, sums to %d", units, a, b, c, got, sum)
		}
	})
}

func TestToUnitsCases(t *testing.T) {
	tests := []struct {
		in     string
		places int32
		want   int64
		err    bool
	}{
		{"12.34", 2, 1234, false},
		{"12.3", 2, 1230, false},
		{"12", 0, 12, false},
		{"1200", 2, 120000, false},
		{"1e3", 2, 100000, false},
		{"12.345", 2, 0, true},
		{"12.340", 2, 1234, false},
		{"0", 2, 0, false},
		{"0.000000000000000000000", 2, 0, false},
		{"1e17", 2, 0, true},
		{"-5.5", 2, -550, false},
		{"123456789012345678901234", 0, 0, true},
		{"1e-30", 2, 0, true},
	}
	for _, tt := range tests {
		got, err := revalign.ToUnits(decimal.RequireFromString(tt.in), tt.places)
		if tt.err {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestToUnitsDoesNotAllocate(t *testing.T) {
	amt := decimal.RequireFromString("48000.25")
	allocs := testing.AllocsPerRun(100, func() { _, _ = revalign.ToUnits(amt, 2) })
	assert.Zero(t, allocs)
	got, err := revalign.ToUnits(decimal.RequireFromString("10995116277.76"), 2) // 2^40 units exactly
	require.NoError(t, err)
	assert.Equal(t, int64(1<<40), got)
	_, err = revalign.ToUnits(decimal.RequireFromString("10995116277.77"), 2)
	assert.ErrorIs(t, err, revalign.ErrCurrency)
}

// exactSplit is the largest-remainder rule computed with exact rationals: the
// independent reference SplitUnits must agree with.
func exactSplit(units int64, weights []int64) []int64 {
	var total int64
	for _, w := range weights {
		total += w
	}
	out := make([]int64, len(weights))
	type rem struct {
		i    int
		frac *big.Rat
		w    int64
	}
	var rems []rem
	left := units
	for i, w := range weights {
		q := new(big.Rat).SetFrac(big.NewInt(units*w), big.NewInt(total))
		fl := new(big.Int).Quo(q.Num(), q.Denom()) // units, weights ≥ 0: truncation is floor
		out[i] = fl.Int64()
		left -= out[i]
		rems = append(rems, rem{i, new(big.Rat).Sub(q, new(big.Rat).SetInt(fl)), w})
	}
	sort.SliceStable(rems, func(a, b int) bool {
		if c := rems[a].frac.Cmp(rems[b].frac); c != 0 {
			return c > 0
		}
		if rems[a].w != rems[b].w {
			return rems[a].w > rems[b].w
		}
		return rems[a].i < rems[b].i
	})
	for k := int64(0); k < left; k++ {
		out[rems[k].i]++
	}
	return out
}

// TestSplitUnitsMatchesExactRationals compares SplitUnits with weights given
// as decimals (what users write: 0.3, 0.225, 0.1/3 rounded) against the exact
// rule on rationals: ties must go by weight, never by float rounding.
func TestSplitUnitsMatchesExactRationals(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	dst := make([]int64, 0, 16)
	for i := 0; i < 100000; i++ {
		n := 1 + r.IntN(8)
		ints := make([]int64, n)
		ws := make([]float64, n)
		for j := range ints {
			ints[j] = int64(r.IntN(1000)) // weights in thousandths
			ws[j] = float64(ints[j]) / 1000
		}
		if slices.Max(ints) == 0 {
			ints[0], ws[0] = 1, 0.001
		}
		units := r.Int64N(10_000_000)
		got, err := revalign.SplitUnits(units, ws, dst)
		require.NoError(t, err)
		require.Equal(t, exactSplit(units, ints), got, "units %d weights %v", units, ws)
	}
}

// ConvertUnits agrees with Convert followed by ToUnits on random amounts and
// rates, and does not allocate on the integer path.
func TestConvertUnitsAgreesWithConvert(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, base := range []string{"USD", "JPY", "BHD"} {
		rates := revalign.Rates{Base: base, Rates: map[string]decimal.Decimal{
			"EUR": decimal.RequireFromString("1.0837"), "GBP": decimal.RequireFromString("1.27"),
			"KRW": decimal.RequireFromString("0.000731"), "XAU": decimal.RequireFromString("2350.123456"),
		}}
		for i := 0; i < 20000; i++ {
			cur := []string{"EUR", "GBP", "KRW", "XAU", "NOK"}[r.IntN(5)]
			amt := decimal.New(r.Int64N(2_000_000_000)-1_000_000_000, -int32(r.IntN(4)))
			got, gerr := rates.ConvertUnits(amt, cur)
			v, werr := rates.Convert(amt, cur)
			if werr != nil {
				require.Error(t, gerr, "%s %s", amt, cur)
				assert.ErrorIs(t, gerr, revalign.ErrCurrency)
				continue
			}
			want, uerr := revalign.ToUnits(v, revalign.MinorUnits(base))
			if uerr != nil {
				assert.Error(t, gerr, "%s %s → %s", amt, cur, v)
				continue
			}
			require.NoError(t, gerr, "%s %s", amt, cur)
			require.Equal(t, want, got, "%s %s in %s", amt, cur, base)
		}
	}
	rates := revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": decimal.RequireFromString("1.08")}}
	got, err := rates.ConvertUnits(decimal.RequireFromString("99.99"), "EUR")
	require.NoError(t, err)
	assert.Equal(t, int64(10799), got, "99.99 × 1.08 = 107.9892 → 107.99")
	got, err = rates.ConvertUnits(decimal.RequireFromString("-0.005"), "EUR") // −0.0054 → −0.01, half away from zero
	require.NoError(t, err)
	assert.Equal(t, int64(-1), got)
	_, err = rates.ConvertUnits(decimal.RequireFromString("1.005"), "USD")
	assert.ErrorIs(t, err, revalign.ErrCurrency, "an amount in the base currency keeps its decimal places")
	amt := decimal.RequireFromString("48000.25")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = rates.ConvertUnits(amt, "EUR") }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = rates.ConvertUnits(amt, "USD") }))
}
