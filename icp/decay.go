package icp

import "math"

// exp2Frac holds 2^(−k/256) for k = 0…255: the table of [pow2neg].
var exp2Frac = func() (t [256]float64) {
	for k := range t {
		t[k] = math.Exp2(-float64(k) / 256)
	}
	return t
}()

// pow2neg returns 2^(−t) for t ≥ 0 with a relative error below 1e-11: the
// half-life decay of a signal, computed in a few nanoseconds (math.Exp takes
// several times longer, and scoring evaluates it for every event).
//
// 2^(−t) = 2^(−n) · 2^(−k/256) · e^(−y) with n·256 + k = round(256·t) and
// y = (256·t − round(256·t))·ln2/256, |y| ≤ 0.0014, where e^(−y) is its
// Taylor polynomial of degree 3 (truncation error below y⁴/24 ≈ 2e-13).
func pow2neg(t float64) float64 {
	if !(t < 1022) { // also NaN
		return pow2negOut(t)
	}
	// Adding 1.5·2⁵² rounds u to an integer held in the low bits of the
	// sum: no float-integer conversions on the dependency chain.
	const shift = 0x1.8p52
	u := t * 256
	sum := u + shift
	m := int(math.Float64bits(sum) & 0xfffff)   // round(u) = n·256 + k, < 2²⁰
	y := (u - (sum - shift)) * (math.Ln2 / 256) // |y| ≤ ln2/512
	p := (1 - y) + y*y*(1.0/2-y*(1.0/6))
	n, k := m>>8, m&255
	return p * exp2Frac[k] * math.Float64frombits(uint64(1023-n)<<52)
}

// pow2negOut is pow2neg outside its range: 0 from 2^-1022 down, NaN for NaN.
func pow2negOut(t float64) float64 {
	if t >= 1022 {
		return 0
	}
	return math.NaN()
}
