package velocity

import (
	"errors"
	"math"

	"github.com/shopspring/decimal"
)

// Contribution is one lever's part in a change of velocity.
type Contribution struct {
	Lever Lever `json:"lever"`
	// LogRatio is ln(x₁/x₀) for N, S and W and ln(L₀/L₁) for the cycle:
	// the lever's exact, order-independent share of ln(V₁/V₀).
	LogRatio float64 `json:"log_ratio"`
	// Share is LogRatio ÷ ln(V₁/V₀); shares sum to 1. It is 0 when
	// velocity did not change.
	Share float64 `json:"share"`
	// PerDay is the lever's part of V₁ − V₀ in revenue per day; the parts
	// sum exactly to the change.
	PerDay decimal.Decimal `json:"per_day"`
}

// Decomposition splits the change of velocity between two periods into
// lever contributions: ln(V₁/V₀) = Σ ln(xᵢ₁/xᵢ₀) holds exactly whatever the
// order the levers are taken in, unlike a one-at-a-time waterfall.
type Decomposition struct {
	Before    decimal.Decimal `json:"before"`
	After     decimal.Decimal `json:"after"`
	Change    decimal.Decimal `json:"change"`
	LogChange float64         `json:"log_change"`
	// Contributions are in formula order.
	Contributions []Contribution `json:"contributions"`
}

// Decompose attributes the change from before to after to the four levers.
// Money contributions use the logarithmic mean of the two velocities
// (LMDI): PerDayᵢ = (V₁ − V₀) · ln-ratioᵢ ÷ ln(V₁/V₀), rounded to [Places]
// with the rounding remainder given to the largest contribution so that the
// parts sum exactly to V₁ − V₀. A zero lever in either period has no
// logarithm and is an error matching [ErrZeroVelocity].
func Decompose(before, after Inputs) (Decomposition, error) {
	if err := errors.Join(before.Validate(), after.Validate()); err != nil {
		return Decomposition{}, err
	}
	if err := errors.Join(nonZero(before), nonZero(after)); err != nil {
		return Decomposition{}, err
	}
	d := Decomposition{Contributions: make([]Contribution, len(levers))}
	d.Before, _ = before.Velocity()
	d.After, _ = after.Velocity()
	d.Change = d.After.Sub(d.Before)
	for i, l := range levers {
		lr := math.Log(factor(l, before, after))
		d.Contributions[i] = Contribution{Lever: l, LogRatio: lr}
		d.LogChange += lr
	}
	// weight is the logarithmic mean L(V₁, V₀) = (V₁−V₀)/ln(V₁/V₀), or V
	// itself when nothing changed.
	weight := d.Before.InexactFloat64()
	if math.Abs(d.LogChange) > 1e-15 {
		weight = d.Change.InexactFloat64() / d.LogChange
	}
	var sum decimal.Decimal
	largest := 0
	for i := range d.Contributions {
		c := &d.Contributions[i]
		if math.Abs(d.LogChange) > 1e-15 {
			c.Share = c.LogRatio / d.LogChange
		}
		c.PerDay = decimal.NewFromFloat(weight * c.LogRatio).Round(Places)
		sum = sum.Add(c.PerDay)
		if c.PerDay.Abs().Cmp(d.Contributions[largest].PerDay.Abs()) > 0 {
			largest = i
		}
	}
	d.Contributions[largest].PerDay = d.Contributions[largest].PerDay.Add(d.Change.Sub(sum))
	return d, nil
}
