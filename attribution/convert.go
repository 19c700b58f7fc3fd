package attribution

import (
	"math/bits"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// valueIn returns amount, in currency, converted into rates.Base as a
// float: exactly rates.Convert(amount, currency).InexactFloat64(), with the
// same error for a currency without a rate. It allocates nothing for an
// amount already in rates.Base and, through convertUnits, for the common
// amounts and rates of other currencies; anything else goes through
// rates.Convert.
func valueIn(rates revalign.Rates, amount decimal.Decimal, currency string) (float64, error) {
	if strings.EqualFold(currency, rates.Base) {
		return amount.InexactFloat64(), nil // Convert returns it as is
	}
	if rate, ok := rates.Rates[strings.ToUpper(currency)]; ok {
		places := revalign.MinorUnits(rates.Base)
		if units, ok := convertUnits(amount, rate, places); ok {
			return float64(units) / float64(pow10[places]), nil
		}
	}
	v, err := rates.Convert(amount, currency)
	if err != nil {
		return 0, err
	}
	return v.InexactFloat64(), nil
}

// convertUnits returns amount × rate rounded half away from zero to places
// decimals, in units of 10^-places, as revalign.Rates.Convert computes it
// (decimal.Mul, then Round) but in integers. ok is false when an input or
// the result does not fit: a coefficient of more than 18 digits, a product
// past 2^64, more than 18 digits to scale or drop, places outside 0..18, or
// a result beyond ±2^53 (the integers a float64 holds exactly, so that
// units ÷ 10^places is the float nearest to the rounded amount, as
// InexactFloat64 of it is).
func convertUnits(amount, rate decimal.Decimal, places int32) (units int64, ok bool) {
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

// absU returns |x| for |x| < 2^63.
func absU(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}
