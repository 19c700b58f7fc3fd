package velocity

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// Move changes one lever, relatively or absolutely:
//
//	{Lever: WinRate, Relative: 0.10}                       // win rate ×1.10
//	{Lever: CycleLength, Relative: -0.10}                  // cycle ×0.90 (+11.1% velocity)
//	{Lever: WinRate, Absolute: decimal.RequireFromString("0.03")} // +3 points
//	{Lever: DealSize, Absolute: decimal.NewFromInt(5000)}  // +5,000 per deal
//
// Absolute is in the lever's unit: opportunities, currency, a win-rate
// fraction, days. Set one of Relative and Absolute, not both.
type Move struct {
	// Lever is the lever moved.
	Lever Lever `json:"lever"`
	// Relative is the relative change, finite and > −1: 0.10 multiplies
	// the lever by 1.10, −0.10 by 0.90.
	Relative float64 `json:"relative,omitzero"`
	// Absolute is the change added to the lever, in its unit
	// (opportunities, currency, a win-rate fraction, days); zero when
	// Relative is set.
	Absolute decimal.Decimal `json:"absolute,omitzero"`
}

// Validate reports an unknown lever, a non-finite or ≤ −100% relative
// change, and a move that sets both Relative and Absolute.
func (m Move) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(m.Lever.Valid(), "lever", int(m.Lever), "unknown lever")
	v.Check(finite(m.Relative) && m.Relative > -1, "relative", m.Relative, "must be a finite change > -1 (-100%)")
	v.Check(m.Relative == 0 || m.Absolute.IsZero(), "absolute", m.Absolute.String(), "set relative or absolute, not both")
	return v.Err()
}

// apply returns in with the move applied; the result is not validated.
func (m Move) apply(in Inputs) Inputs {
	abs := m.Absolute.InexactFloat64()
	switch m.Lever {
	case Opportunities:
		in.Opportunities = in.Opportunities*(1+m.Relative) + abs
	case DealSize:
		if m.Relative != 0 {
			in.DealSize = in.DealSize.Mul(decimal.NewFromFloat(1 + m.Relative))
		}
		in.DealSize = in.DealSize.Add(m.Absolute)
	case WinRate:
		in.WinRate = in.WinRate*(1+m.Relative) + abs
	case CycleLength:
		in.CycleDays = in.CycleDays*(1+m.Relative) + abs
	}
	return in
}

// Effect is what one lever contributes to a scenario: the factor by which
// it multiplies velocity (N′/N, S′/S, W′/W, or L/L′ for the cycle).
type Effect struct {
	// Lever is the lever.
	Lever Lever `json:"lever"`
	// Factor is what it multiplies velocity by: N′/N, S′/S, W′/W or L/L′;
	// 1 when the lever did not move.
	Factor float64 `json:"factor"`
}

// Outcome is a scenario's result: the inputs and velocities before and
// after, the exact ratio V′/V = Π factors and its change V′/V − 1.
type Outcome struct {
	// Before is the inputs the scenario starts from.
	Before Inputs `json:"before"`
	// After is the inputs with every move applied.
	After Inputs `json:"after"`
	// VelocityBefore is Before's velocity in revenue per day, rounded to
	// [Places].
	VelocityBefore decimal.Decimal `json:"velocity_before"`
	// VelocityAfter is After's velocity, likewise.
	VelocityAfter decimal.Decimal `json:"velocity_after"`
	// Ratio is V′/V, exact from the levers (not from the rounded
	// velocities): the product of the Effects' factors.
	Ratio float64 `json:"ratio"`
	// Change is Ratio − 1 (0.111 is +11.1%).
	Change float64 `json:"change"`
	// Effects holds one entry per lever, in formula order.
	Effects []Effect `json:"effects"`
}

// Apply moves several levers together, in order (two moves on one lever
// compound), and returns the new velocity and the exact ratio
// V′/V = (1+n)(1+s)(1+w)/(1+ℓ). Levers interact (stricter qualification
// raises the win rate and can lengthen the cycle), so scenarios move them
// together. A move that takes a lever out of range (a win rate above 1, a
// cycle of 0 days) is an error, and so is a base velocity of zero
// ([ErrZeroVelocity]), which has no ratio.
func (in Inputs) Apply(moves ...Move) (Outcome, error) {
	if err := in.Validate(); err != nil {
		return Outcome{}, err
	}
	out := in
	v := revalign.Validator{Pkg: "velocity"}
	for i, m := range moves {
		if err := m.Validate(); err != nil {
			v.Nest(revalign.Index("moves", i), err)
			continue
		}
		out = m.apply(out)
	}
	if err := v.Err(); err != nil {
		return Outcome{}, err
	}
	if err := out.Validate(); err != nil {
		return Outcome{}, errors.Join(errors.New("velocity: the scenario takes a lever out of range"), err)
	}
	return outcome(in, out)
}

func outcome(in, out Inputs) (Outcome, error) {
	ratio, err := Ratio(in, out)
	if err != nil {
		return Outcome{}, err
	}
	o := Outcome{Before: in, After: out, Ratio: ratio, Change: ratio - 1, Effects: make([]Effect, 0, len(levers))}
	o.VelocityBefore, _ = in.Velocity()
	o.VelocityAfter, _ = out.Velocity()
	for _, l := range levers {
		o.Effects = append(o.Effects, Effect{Lever: l, Factor: factor(l, in, out)})
	}
	return o, nil
}

// Segment is a named set of inputs: a segment, a region, a team, or the
// whole business.
type Segment struct {
	// Name names the segment, e.g. "mid-market"; unique in one period.
	Name string `json:"name"`
	// Inputs are the segment's four levers.
	Inputs Inputs `json:"inputs"`
}

// Priority is one lever of one segment, ranked by what the same relative
// improvement of every lever is worth.
type Priority struct {
	// Segment names the segment.
	Segment string `json:"segment"`
	// Lever is the lever improved.
	Lever Lever `json:"lever"`
	// Owner is the lever's accountable owner, from the [Owners] given.
	Owner revalign.Owner `json:"owner"`
	// Move is the improvement: +r for opportunities, deal size and win
	// rate, −r for the cycle.
	Move Move `json:"move"`
	// Gain is V′/V − 1: r for N, S and W (less when the win rate is capped
	// at 1), 1/(1−r) − 1 for the cycle.
	Gain float64 `json:"gain"`
	// GainPerDay is V′ − V in revenue per day.
	GainPerDay decimal.Decimal `json:"gain_per_day"`
	// Capped reports that the win rate would pass 1 and was held at 1.
	Capped bool `json:"capped,omitempty"`
}

// Rank ranks every lever of every segment by the revenue per day gained
// from the same relative improvement (0.10 = 10%): N, S and W up by it, the
// cycle down by it. Within one segment a cycle cut always wins (a 10% cut is
// +11.1%); across segments the larger pipelines win. Ties keep segment, then
// formula order. Each entry names the lever's owner.
func Rank(segments []Segment, improvement float64, owners Owners) ([]Priority, error) {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(improvement > 0 && improvement < 1, "improvement", improvement, "must be in (0,1)")
	v.Nest("owners", owners.Validate())
	for i, s := range segments {
		v.Nest(revalign.Index("segments", i)+".inputs", s.Inputs.Validate())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	out := make([]Priority, 0, len(segments)*len(levers))
	for _, s := range segments {
		base, _ := s.Inputs.Velocity()
		for _, l := range levers {
			m := Move{Lever: l, Relative: improvement}
			if l == CycleLength {
				m.Relative = -improvement
			}
			after := m.apply(s.Inputs)
			p := Priority{Segment: s.Name, Lever: l, Owner: owners.Of(l).Owner, Move: m}
			if l == WinRate && after.WinRate > 1 {
				after.WinRate, p.Capped = 1, true
			}
			vAfter, _ := after.Velocity()
			p.GainPerDay = vAfter.Sub(base)
			p.Gain = moveFactor(l, s.Inputs, after) - 1
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b Priority) int { return b.GainPerDay.Cmp(a.GainPerDay) })
	return out, nil
}

// moveFactor is factor() defined for a zero base too: the factor a
// multiplicative move applies whatever the base.
func moveFactor(l Lever, in, out Inputs) float64 {
	if in.value(l) == 0 {
		return 1
	}
	return factor(l, in, out)
}

// Grid is the search space of [Inputs.PathTo]: every lever moves in whole
// steps of Step (0.05 = 5%) up to its maximum. The cycle's maximum is a cut
// (0.5 = at most halve it). A maximum of 0 locks a lever.
type Grid struct {
	// Step is the size of one step, a relative change in (0,1].
	Step float64 `json:"step"`
	// Max is the largest improvement tried per lever.
	Max Limits `json:"max"`
}

// Limits are the largest relative improvements a [Grid] tries per lever.
// Each is finite and >= 0; 0 locks the lever.
type Limits struct {
	// Opportunities is the largest increase of N (0.5 = +50%).
	Opportunities float64 `json:"opportunities"`
	// DealSize is the largest increase of S.
	DealSize float64 `json:"deal_size"`
	// WinRate is the largest increase of W, relative to it (a win rate
	// above 1 is never tried).
	WinRate float64 `json:"win_rate"`
	// CycleLength is the largest cut of L, below 1 (0.5 = at most halve
	// it).
	CycleLength float64 `json:"cycle_length"`
}

func (l Limits) of(lv Lever) float64 {
	return [...]float64{Opportunities: l.Opportunities, DealSize: l.DealSize, WinRate: l.WinRate, CycleLength: l.CycleLength}[lv]
}

// maxGridPoints bounds the number of combinations a Grid may ask for.
const maxGridPoints = 2_000_000

// DefaultGrid tries 5% steps up to +50% on opportunities, deal size and win
// rate and up to a 50% cycle cut: 14,641 combinations.
func DefaultGrid() Grid {
	return Grid{Step: 0.05, Max: Limits{Opportunities: 0.5, DealSize: 0.5, WinRate: 0.5, CycleLength: 0.5}}
}

func (g Grid) steps(l Lever) int {
	return int(math.Floor(g.Max.of(l)/g.Step + 1e-9))
}

// Validate reports a step outside (0,1], a negative or non-finite maximum,
// a cycle cut of 100% or more and a grid of more than 2,000,000 points.
func (g Grid) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	if !v.Check(g.Step > 0 && g.Step <= 1, "step", g.Step, "must be in (0,1]") {
		return v.Err()
	}
	points := 1.0
	for _, l := range levers {
		m := g.Max.of(l)
		v.Check(finite(m) && m >= 0, "max."+l.String(), m, "must be a finite number >= 0")
		if l == CycleLength {
			v.Check(m < 1, "max.cycle_length", m, "a cycle cut must be < 1 (100%)")
		}
		if finite(m) && m >= 0 {
			points *= float64(g.steps(l) + 1)
		}
	}
	v.Check(points <= maxGridPoints, "max", points, "grid has too many points (at most 2,000,000)")
	return v.Err()
}

// Path is the smallest combination of lever moves on a [Grid] that reaches a
// target velocity.
type Path struct {
	// Target is the velocity sought, in revenue per day.
	Target decimal.Decimal `json:"target"`
	// Reached is false when even the grid's maximum falls short; Moves then
	// hold the maximum.
	Reached bool `json:"reached"`
	// Steps is the total number of grid steps moved: the size of the path.
	Steps int `json:"steps"`
	// Moves lists the levers that move, in formula order; empty when the
	// target needs no move.
	Moves []Move `json:"moves"`
	// Outcome is the scenario of applying Moves.
	Outcome Outcome `json:"outcome"`
}

// PathTo finds the smallest combination of lever improvements on the grid
// that lifts velocity to at least target (use twice the current velocity
// for the "path to 2×"). Smallest means fewest total steps; among equally
// small paths the one with the highest velocity wins, then formula order.
// Win rates above 1 are not tried. A target at or below the current
// velocity needs no move. A velocity that is zero at [Places] (every lever
// positive, but less than 0.000001 a day) has no ratio to the target and is
// an error matching [ErrZeroVelocity].
func (in Inputs) PathTo(target decimal.Decimal, g Grid) (Path, error) {
	err := errors.Join(in.Validate(), g.Validate())
	if err != nil {
		return Path{}, err
	}
	if err := nonZero(in); err != nil {
		return Path{}, err
	}
	base, _ := in.Velocity()
	if base.IsZero() {
		return Path{}, fmt.Errorf("velocity: %s a day rounds to 0 at %d places: %w", in.exact(), Places, ErrZeroVelocity)
	}
	want := target.Div(base).InexactFloat64()
	var f [4][]float64 // velocity factor per lever and step count
	for i, l := range levers {
		for k := 0; k <= g.steps(l); k++ {
			r := float64(k) * g.Step
			if l == CycleLength {
				f[i] = append(f[i], 1/(1-r))
				continue
			}
			if l == WinRate && in.WinRate*(1+r) > 1 {
				break
			}
			f[i] = append(f[i], 1+r)
		}
	}
	const tol = 1e-12
	var hit, top [4]int
	hitSteps, hitRatio, topSteps, topRatio := -1, 0.0, 0, 0.0
	for a, fa := range f[0] {
		for b, fb := range f[1] {
			for c, fc := range f[2] {
				for d, fd := range f[3] {
					r, steps := fa*fb*fc*fd, a+b+c+d
					if r >= want-tol && (hitSteps < 0 || steps < hitSteps || steps == hitSteps && r > hitRatio) {
						hit, hitSteps, hitRatio = [4]int{a, b, c, d}, steps, r
					}
					if r > topRatio || r == topRatio && steps < topSteps {
						top, topSteps, topRatio = [4]int{a, b, c, d}, steps, r
					}
				}
			}
		}
	}
	p := Path{Target: target, Reached: hitSteps >= 0, Steps: hitSteps}
	if !p.Reached {
		hit, p.Steps = top, topSteps
	}
	for i, l := range levers {
		if hit[i] == 0 {
			continue
		}
		r := math.Round(float64(hit[i])*g.Step*1e9) / 1e9
		if l == CycleLength {
			r = -r
		}
		p.Moves = append(p.Moves, Move{Lever: l, Relative: r})
	}
	p.Outcome, err = in.Apply(p.Moves...)
	return p, err
}
