package icp

import "math"

// exp2Frac holds 2^(−k/32) for k = 0…31: the table of [pow2neg].
var exp2Frac = func() (t [32]float64) {
	for k := range t {
		t[k] = math.Exp2(-float64(k) / 32)
	}
	return t
}()

// pow2neg returns 2^(−t) for t ≥ 0 with a relative error below 1e-12: the
// half-life decay of a signal, computed in a few nanoseconds (math.Exp takes
// several times longer, and scoring evaluates it for every event).
//
// 2^(−t) = 2^(−n) · 2^(−k/32) · e^(−r·ln2) with n = ⌊t⌋, k = ⌊32·(t−n)⌋ and
// r < 1/32, where e^(−y) for y < 0.022 is its Taylor polynomial of degree 5
// (truncation error below y⁶/720 ≈ 2e-13).
func pow2neg(t float64) float64 {
	if !(t < 1022) { // also NaN
		if t >= 1022 {
			return 0
		}
		return math.NaN()
	}
	n := int(t)
	f := t - float64(n)
	k := int(f * 32)
	y := (f - float64(k)*(1.0/32)) * math.Ln2
	p := 1 - y*(1-y*(1.0/2-y*(1.0/6-y*(1.0/24-y*(1.0/120)))))
	return p * exp2Frac[k&31] * math.Float64frombits(uint64(1023-n)<<52)
}
