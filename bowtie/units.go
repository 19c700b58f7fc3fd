package bowtie

import (
	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// Money on the hot paths is summed as int64 minor units of its currency
// (cents), which is exact and does not allocate, and turned back into
// decimal.Decimal for reports.

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// maxUnits bounds a single amount in minor units (2^53, as revalign.ToUnits
// does), so that sums of many amounts stay far from int64 overflow.
const maxUnits = 1 << 53

// toUnits returns d as an integer number of minor units for a currency with
// the given decimal places, without allocating for amounts of up to 18
// digits. It reports false when d has more decimal places than the currency
// or is beyond ±2^53 units.
func toUnits(d decimal.Decimal, places int32) (int64, bool) {
	if d.NumDigits() > 18 {
		u, err := revalign.ToUnits(d, places)
		return u, err == nil
	}
	c, exp := d.CoefficientInt64(), d.Exponent()+places
	switch {
	case exp >= 0:
		if exp > 18 {
			return 0, c == 0
		}
		m := pow10[exp]
		if c > maxUnits/m || c < -maxUnits/m {
			return 0, false
		}
		return c * m, true
	case -exp > 18:
		return 0, c == 0
	default:
		q := pow10[-exp]
		if c%q != 0 {
			return 0, false
		}
		c /= q
		return c, c <= maxUnits && c >= -maxUnits
	}
}

// fromUnits turns minor units back into a decimal.
func fromUnits(u int64, places int32) decimal.Decimal { return decimal.New(u, -places) }

// sum is an int64 accumulator that remembers overflow.
type sum struct {
	v        int64
	overflow bool
}

func (s *sum) add(x int64) {
	r := s.v + x
	if (x > 0 && r < s.v) || (x < 0 && r > s.v) {
		s.overflow = true
	}
	s.v = r
}

func ratio(num, den int64) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

func share(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}
