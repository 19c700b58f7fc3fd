package revalign

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// ErrCurrency is matched by errors for amounts whose currency cannot be
// used: no exchange rate to the reporting currency, or an amount with more
// decimal places than its currency has. Amounts of different currencies are
// never summed silently.
var ErrCurrency = errors.New("currency")

// MinorUnits returns the number of decimal places of an ISO 4217 currency
// code: 2 for USD and EUR, 0 for JPY and KRW, 3 for KWD and BHD. Unknown
// codes have 2.
func MinorUnits(currency string) int32 {
	switch strings.ToUpper(currency) {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
		"UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	case "CLF", "UYW":
		return 4
	}
	return 2
}

// Rates converts amounts into one reporting currency. Rates maps a currency
// code to the number of units of Base that one unit of it buys; Base itself
// needs no entry. Rates is read-only after construction and safe for
// concurrent use.
type Rates struct {
	// Base is the reporting currency, e.g. "USD".
	Base string `json:"base"`
	// Rates maps currency code → units of Base per unit.
	Rates map[string]decimal.Decimal `json:"rates,omitempty"`
}

// Convert returns amount, given in currency, in the base currency, rounded
// to the base currency's minor units (half away from zero). A currency with
// no rate is an error matching [ErrCurrency]; callers wrap it with the
// record's ID.
func (r Rates) Convert(amount decimal.Decimal, currency string) (decimal.Decimal, error) {
	if strings.EqualFold(currency, r.Base) {
		return amount, nil
	}
	rate, ok := r.Rates[strings.ToUpper(currency)]
	if !ok {
		return decimal.Decimal{}, fmt.Errorf("revalign: no exchange rate from %q to %q: %w", currency, r.Base, ErrCurrency)
	}
	return amount.Mul(rate).Round(MinorUnits(r.Base)), nil
}

// ConvertUnits is [Rates.Convert] with the result given in minor units of
// the base currency (cents for USD): the same multiplication and rounding,
// done in integers, so that it does not allocate for amounts and rates of up
// to 18 significant digits (larger ones take the decimal path). An amount
// already in the base currency must have no more decimal places than the
// currency (as for [ToUnits]); a result beyond 2^40 units, or a currency
// without a rate, is an error matching [ErrCurrency].
func (r Rates) ConvertUnits(amount decimal.Decimal, currency string) (int64, error) {
	places := MinorUnits(r.Base)
	if strings.EqualFold(currency, r.Base) {
		return ToUnits(amount, places)
	}
	rate, ok := r.Rates[strings.ToUpper(currency)]
	if !ok {
		return 0, fmt.Errorf("revalign: no exchange rate from %q to %q: %w", currency, r.Base, ErrCurrency)
	}
	if units, ok := mulRound(amount, rate, places); ok {
		return checkUnits(amount, units)
	}
	return ToUnits(amount.Mul(rate).Round(places), places)
}

// mulRound returns amount × rate rounded half away from zero to places
// decimals, in units of 10^-places, as decimal's Mul then Round computes it
// but in integers. ok is false when an input or the result does not fit: a
// coefficient of more than 18 digits, a product past 2^64, more than 18
// digits to scale or drop, or a result beyond 2^53.
func mulRound(amount, rate decimal.Decimal, places int32) (units int64, ok bool) {
	if places < 0 || int(places) >= len(pow10) || amount.NumDigits() > 18 || rate.NumDigits() > 18 {
		return 0, false
	}
	a, r := amount.CoefficientInt64(), rate.CoefficientInt64()
	neg := (a < 0) != (r < 0)
	hi, p := bits.Mul64(absU(a), absU(r))
	if hi != 0 {
		return 0, false
	}
	// p × 10^shift is the product in units of 10^-places.
	shift := int64(amount.Exponent()) + int64(rate.Exponent()) + int64(places)
	switch {
	case shift >= 0:
		if shift >= int64(len(pow10)) {
			return 0, false
		}
		if hi, p = bits.Mul64(p, uint64(pow10[shift])); hi != 0 {
			return 0, false
		}
	case -shift >= int64(len(pow10)):
		return 0, false
	default:
		d := uint64(pow10[-shift])
		q, rem := p/d, p%d
		if rem >= d-rem { // the dropped part is half a unit or more
			q++
		}
		p = q
	}
	if p > 1<<53 {
		return 0, false
	}
	if neg {
		return -int64(p), true
	}
	return int64(p), true
}

func absU(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

// Validate reports a missing base currency or a non-positive rate.
func (r Rates) Validate() error {
	v := Validator{Pkg: "revalign"}
	v.Check(len(r.Base) == 3, "base", r.Base, "must be a three-letter currency code")
	for _, code := range slices.Sorted(mapsKeys(r.Rates)) {
		v.Check(len(code) == 3 && code == strings.ToUpper(code), "rates."+code, code, "must be a three-letter upper-case currency code")
		v.Check(r.Rates[code].IsPositive(), "rates."+code, r.Rates[code].String(), "must be > 0")
	}
	return v.Err()
}

func mapsKeys[M ~map[K]V, K comparable, V any](m M) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// maxExactUnits bounds the minor units SplitUnits accepts, so that every
// share and its fractional part are computed in float64 to within 1e-3 of
// a unit (2^40 ≈ 1.1e12 units: 11 billion in a two-decimal currency).
const maxExactUnits = 1 << 40

// Split divides amount in proportion to weights, in minor units of a
// currency with the given number of decimal places, so that the shares sum
// exactly to amount. Each share gets the floor of its exact part; the units
// left over go one each to the largest fractional remainders, ties broken by
// larger weight, then by position. Known cases: 99.99 split 75/25 is
// 74.99/25.00; 0.05 split 45/55 is 0.02/0.03; 0.03 split 75/25 is 0.02/0.01.
//
// A negative amount (a refund) is split as its absolute value and negated.
// Weights must be finite, non-negative and not all zero; an amount with more
// decimal places than places is an error matching [ErrCurrency].
func Split(amount decimal.Decimal, weights []float64, places int32) ([]decimal.Decimal, error) {
	units, err := ToUnits(amount, places)
	if err != nil {
		return nil, err
	}
	shares, err := SplitUnits(units, weights, make([]int64, 0, len(weights)))
	if err != nil {
		return nil, err
	}
	out := make([]decimal.Decimal, len(shares))
	for i, u := range shares {
		out[i] = decimal.New(u, -places)
	}
	return out, nil
}

// ToUnits returns amount as an integer count of minor units (cents for
// places = 2). An amount with more decimal places, or too large to split
// exactly (beyond 2^40 units), is an error matching [ErrCurrency]. Amounts
// of up to 18 significant digits convert without allocating.
func ToUnits(amount decimal.Decimal, places int32) (int64, error) {
	if amount.NumDigits() <= 18 {
		c := amount.CoefficientInt64()
		switch shift := amount.Exponent() + places; {
		case c == 0:
			return 0, nil
		case shift == 0:
			return checkUnits(amount, c)
		case shift < 0 && shift >= -18:
			p := pow10[-shift]
			if c%p != 0 {
				return 0, fmt.Errorf("revalign: amount %s has more than %d decimal places: %w", amount, places, ErrCurrency)
			}
			return checkUnits(amount, c/p)
		case shift > 0 && shift <= 18 && c <= maxExactUnits/pow10[shift] && c >= -maxExactUnits/pow10[shift]:
			return c * pow10[shift], nil
		}
	}
	shifted := amount.Shift(places)
	if !shifted.IsInteger() {
		return 0, fmt.Errorf("revalign: amount %s has more than %d decimal places: %w", amount, places, ErrCurrency)
	}
	if shifted.Abs().Cmp(decimal.NewFromInt(maxExactUnits)) > 0 {
		return 0, fmt.Errorf("revalign: amount %s is too large to split exactly: %w", amount, ErrCurrency)
	}
	return shifted.IntPart(), nil
}

func checkUnits(amount decimal.Decimal, u int64) (int64, error) {
	if u > maxExactUnits || u < -maxExactUnits {
		return 0, fmt.Errorf("revalign: amount %s is too large to split exactly: %w", amount, ErrCurrency)
	}
	return u, nil
}

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// SplitUnits is [Split] on an integer count of minor units, writing the
// shares into dst (reused when it has capacity for len(weights)). It is the
// hot-path form: with a large enough dst and at most 64 weights it does not
// allocate.
func SplitUnits(units int64, weights []float64, dst []int64) ([]int64, error) {
	n := len(weights)
	if n == 0 {
		return dst[:0], &FieldError{Pkg: "revalign", Path: "weights", Reason: "need at least one weight"}
	}
	if units > maxExactUnits || units < -maxExactUnits {
		return dst[:0], fmt.Errorf("revalign: %d units is too large to split exactly: %w", units, ErrCurrency)
	}
	var total float64
	for i, w := range weights {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return dst[:0], &FieldError{Pkg: "revalign", Path: Index("weights", i), Value: w, Reason: "must be finite and >= 0"}
		}
		total += w
	}
	if total == 0 || math.IsInf(total, 0) {
		return dst[:0], &FieldError{Pkg: "revalign", Path: "weights", Value: total, Reason: "must have a finite, positive sum"}
	}
	if cap(dst) < n {
		dst = make([]int64, n)
	}
	dst = dst[:n]
	neg := units < 0
	abs := units
	if neg {
		abs = -units
	}
	fa := float64(abs)
	left := abs
	nonzero, heaviest := int64(0), 0
	for i, w := range weights {
		fl, _ := floorFrac(fa * w / total)
		dst[i] = fl
		left -= fl
		if w > 0 {
			nonzero++
		}
		if w > weights[heaviest] {
			heaviest = i
		}
	}
	if left < 0 || left > nonzero {
		// Float noise on the shares; cannot happen within maxExactUnits but
		// the sum is kept exact regardless.
		dst[heaviest] += left
		left = 0
	}
	if left > 0 {
		tol := 1e-9 + fa*4e-16 // a few ulps of the largest share
		if n <= 64 {
			distributeSmall(dst, weights, fa, total, left, tol)
		} else {
			distributeLarge(dst, weights, fa, total, left, tol)
		}
	}
	if neg {
		for i := range dst {
			dst[i] = -dst[i]
		}
	}
	return dst, nil
}

// floorFrac returns the floor of x and its fractional part, snapping values
// within float rounding of the next integer up to it (a few ulps of x).
func floorFrac(x float64) (int64, float64) {
	fl := math.Floor(x)
	frac := x - fl
	if 1-frac < 1e-9+x*4e-16 {
		return int64(fl) + 1, 0
	}
	return int64(fl), frac
}

// before reports whether share i should receive a leftover unit before share
// j: larger fraction, then larger weight, then earlier position. Fractions
// within tol of each other are a tie: float rounding must not decide what
// the weights decide (0.02 split 0.3/0.1 has two remainders of exactly ½).
func before(fi, wi float64, i int, fj, wj float64, j int, tol float64) bool {
	if math.Abs(fi-fj) > tol {
		return fi > fj
	}
	if wi != wj {
		return wi > wj
	}
	return i < j
}

func distributeSmall(dst []int64, weights []float64, fa, total float64, left int64, tol float64) {
	var taken uint64
	for ; left > 0; left-- {
		best := -1
		var bf float64
		for i, w := range weights {
			if taken&(1<<uint(i)) != 0 || w == 0 {
				continue
			}
			_, f := floorFrac(fa * w / total)
			if best < 0 || before(f, w, i, bf, weights[best], best, tol) {
				best, bf = i, f
			}
		}
		taken |= 1 << uint(best)
		dst[best]++
	}
}

func distributeLarge(dst []int64, weights []float64, fa, total float64, left int64, tol float64) {
	type rem struct {
		i    int
		f, w float64
	}
	rs := make([]rem, 0, len(weights))
	for i, w := range weights {
		if w == 0 {
			continue
		}
		_, f := floorFrac(fa * w / total)
		rs = append(rs, rem{i, f, w})
	}
	slices.SortFunc(rs, func(a, b rem) int {
		if before(a.f, a.w, a.i, b.f, b.w, b.i, tol) {
			return -1
		}
		return 1
	})
	for k := int64(0); k < left; k++ {
		dst[rs[k].i]++
	}
}
