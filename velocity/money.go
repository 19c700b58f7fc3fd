package velocity

import (
	"github.com/shopspring/decimal"
)

// accScale is the number of decimal places sum accumulates exactly in an
// int64 (hundredths of a cent).
const accScale = 4

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// sum adds decimals exactly without allocating in the common case: amounts
// with at most accScale decimal places and totals within int64 are kept as
// integer units; anything else (more places, huge values) falls back to
// decimal arithmetic, so the total is exact either way.
type sum struct {
	units int64
	rest  decimal.Decimal
	slow  bool
}

func (s *sum) add(d decimal.Decimal) {
	if u, ok := toScaled(d); ok {
		if t := s.units + u; (u >= 0) == (t >= s.units) {
			s.units = t
			return
		}
	}
	s.rest = s.rest.Add(d)
	s.slow = true
}

func (s *sum) merge(o sum) {
	s.add(decimal.New(o.units, -accScale))
	if o.slow {
		s.rest = s.rest.Add(o.rest)
		s.slow = true
	}
}

func (s sum) total() decimal.Decimal {
	t := decimal.New(s.units, -accScale)
	if s.slow {
		t = t.Add(s.rest)
	}
	return t
}

// toScaled returns d in units of 10^-accScale when that is exact and fits.
func toScaled(d decimal.Decimal) (int64, bool) {
	if d.NumDigits() > 18 {
		return 0, false
	}
	c, e := d.CoefficientInt64(), int(d.Exponent())+accScale
	switch {
	case e == 0:
		return c, true
	case e > 0:
		if e >= len(pow10) {
			return 0, false
		}
		m := pow10[e]
		if c > 0 && c > (1<<63-1)/m || c < 0 && c < -(1<<63-1)/m {
			return 0, false
		}
		return c * m, true
	default:
		if -e >= len(pow10) || c%pow10[-e] != 0 {
			return 0, false
		}
		return c / pow10[-e], true
	}
}

// mean returns total ÷ n rounded to places, or zero for n = 0.
func mean(total decimal.Decimal, n int, places int32) decimal.Decimal {
	if n == 0 {
		return decimal.Decimal{}
	}
	return total.DivRound(decimal.NewFromInt(int64(n)), places)
}

// toFloat converts d to float64 without allocating in the common case.
func toFloat(d decimal.Decimal) float64 {
	if u, ok := toScaled(d); ok && u < 1<<53 && u > -(1<<53) {
		return float64(u) / float64(pow10[accScale])
	}
	return d.InexactFloat64()
}
