package velocity

import (
	"math"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// Shape is how a target path climbs from the baseline to the target: text
// "geometric" (the same growth rate every quarter) or "linear" (the same
// increment).
type Shape string

// The shapes of a target path.
const (
	Geometric Shape = "geometric"
	Linear    Shape = "linear"
)

// Milestone is the target velocity at the end of one period.
type Milestone struct {
	// Period is the period whose end the milestone marks.
	Period revalign.Period `json:"period"`
	// Velocity is the target velocity, in revenue per day, rounded to
	// [Places] (the last milestone is the target exactly).
	Velocity decimal.Decimal `json:"velocity"`
}

// Trajectory is a target velocity path: from a baseline to a target over
// the next periods (usually four quarters), one milestone a period.
type Trajectory struct {
	// Baseline is the velocity the path starts from, in revenue per day,
	// >= 0 (> 0 for a geometric path).
	Baseline decimal.Decimal `json:"baseline"`
	// Target is the velocity the path reaches at its last period.
	Target decimal.Decimal `json:"target"`
	// Shape is how the path climbs: geometric or linear.
	Shape Shape `json:"shape"`
	// Milestones holds one milestone per period, in the periods' order.
	Milestones []Milestone `json:"milestones"`
}

// NewTrajectory returns the path from baseline to target over the periods:
// geometric (Vₖ = B·(T/B)^(k/n), a constant quarterly growth rate) or
// linear. The last milestone is the target exactly. A geometric path needs
// a positive baseline and target.
func NewTrajectory(baseline, target decimal.Decimal, periods []revalign.Period, shape Shape) (Trajectory, error) {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(len(periods) > 0, "periods", nil, "needs at least one period")
	v.Check(shape == Geometric || shape == Linear, "shape", string(shape), "must be geometric or linear")
	v.Check(!baseline.IsNegative(), "baseline", baseline.String(), "must be >= 0")
	v.Check(!target.IsNegative(), "target", target.String(), "must be >= 0")
	if shape == Geometric {
		v.Check(baseline.IsPositive(), "baseline", baseline.String(), "a geometric path needs a baseline > 0")
		v.Check(target.IsPositive(), "target", target.String(), "a geometric path needs a target > 0")
	}
	for i, p := range periods {
		v.Check(p.End.After(p.Start), revalign.Index("periods", i), p.String(), "must end after it starts")
	}
	if err := v.Err(); err != nil {
		return Trajectory{}, err
	}
	t := Trajectory{Baseline: baseline, Target: target, Shape: shape, Milestones: make([]Milestone, len(periods))}
	n := float64(len(periods))
	growth := 1.0
	if shape == Geometric {
		growth = target.Div(baseline).InexactFloat64()
	}
	for k, p := range periods {
		frac := float64(k+1) / n
		var vel decimal.Decimal
		switch {
		case k == len(periods)-1:
			vel = target
		case shape == Geometric:
			vel = baseline.Mul(decimal.NewFromFloat(math.Pow(growth, frac))).Round(Places)
		default:
			vel = baseline.Add(target.Sub(baseline).Mul(decimal.NewFromFloat(frac))).Round(Places)
		}
		t.Milestones[k] = Milestone{Period: p, Velocity: vel}
	}
	return t, nil
}

// Progress is actual velocity against a milestone.
type Progress struct {
	// Period is the milestone's period.
	Period revalign.Period `json:"period"`
	// Target is the milestone's velocity, in revenue per day.
	Target decimal.Decimal `json:"target"`
	// Actual is the velocity achieved in the period.
	Actual decimal.Decimal `json:"actual"`
	// Attainment is Actual ÷ Target (1.05 is 105%); 0 when Target is 0.
	Attainment float64 `json:"attainment"`
	// OnTrack reports Actual ≥ Target.
	OnTrack bool `json:"on_track"`
}

// Progress compares actual velocities, one per period so far, with the
// milestones. More actuals than milestones is an error.
func (t Trajectory) Progress(actual []decimal.Decimal) ([]Progress, error) {
	if len(actual) > len(t.Milestones) {
		return nil, &revalign.FieldError{Pkg: "velocity", Path: "actual", Value: len(actual),
			Reason: "has more periods than the trajectory"}
	}
	out := make([]Progress, len(actual))
	for i, a := range actual {
		m := t.Milestones[i]
		p := Progress{Period: m.Period, Target: m.Velocity, Actual: a, OnTrack: a.Cmp(m.Velocity) >= 0}
		if m.Velocity.IsPositive() {
			p.Attainment = a.Div(m.Velocity).InexactFloat64()
		}
		out[i] = p
	}
	return out, nil
}
