package velocity

import (
	"errors"
	"maps"
	"math"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// Contribution is one lever's part in a change of velocity.
type Contribution struct {
	// Lever is the lever whose part this is.
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
	// Before is V₀, the earlier period's velocity in revenue per day,
	// rounded to [Places].
	Before decimal.Decimal `json:"before"`
	// After is V₁, the later period's velocity, likewise.
	After decimal.Decimal `json:"after"`
	// Change is After − Before, exactly; the contributions' PerDay sum
	// to it.
	Change decimal.Decimal `json:"change"`
	// LogChange is Σ LogRatio: ln(V₁/V₀), computed from the levers
	// rather than the rounded velocities.
	LogChange float64 `json:"log_change"`
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

// SegmentDecomposition is the [Decomposition] of one segment present in
// both periods.
type SegmentDecomposition struct {
	// Segment names the segment.
	Segment string `json:"segment"`
	Decomposition
}

// SegmentVelocity is the velocity of a segment present in one period only.
type SegmentVelocity struct {
	// Segment names the segment.
	Segment string `json:"segment"`
	// Velocity is its velocity in the one period, in revenue per day,
	// rounded to [Places].
	Velocity decimal.Decimal `json:"velocity"`
}

// SegmentChanges is the change of velocity between two periods, segment by
// segment: an exact lever decomposition for every segment present in both,
// and the segments that appeared or disappeared.
type SegmentChanges struct {
	// Segments holds one decomposition per segment present in both
	// periods, sorted by name.
	Segments []SegmentDecomposition `json:"segments"`
	// Added lists the segments present only after (new), sorted by name.
	// A lever decomposition needs both ends, so their velocity is
	// reported whole.
	Added []SegmentVelocity `json:"added,omitempty"`
	// Dropped lists the segments present only before, sorted by name,
	// with their velocity before.
	Dropped []SegmentVelocity `json:"dropped,omitempty"`
	// Before sums the velocities of the segments used before (decomposed
	// and dropped), in revenue per day.
	Before decimal.Decimal `json:"before"`
	// After sums the velocities of the segments used after (decomposed
	// and added).
	After decimal.Decimal `json:"after"`
	// Change is After − Before = Σ Segments[i].Change + Σ Added −
	// Σ Dropped, exactly.
	Change decimal.Decimal `json:"change"`
}

// DecomposeSegments decomposes the change of each segment's velocity from
// before to after into lever contributions (see [Decompose]), pairing the
// segments by name. Segments present in one period only are reported in
// Added or Dropped with their velocity.
//
// A segment named twice in one period, with invalid inputs, or with a zero
// lever in either period (no logarithm: [ErrZeroVelocity]) is returned as
// a record error with the segment's name as ID and left out of every
// total; the other segments are decomposed.
func DecomposeSegments(before, after []Segment) (SegmentChanges, []revalign.RecordError) {
	var rejects []revalign.RecordError
	bad := map[string]bool{}
	index := func(segs []Segment, period string) map[string]Inputs {
		m := make(map[string]Inputs, len(segs))
		for i, s := range segs {
			path := revalign.Index(period, i)
			_, dup := m[s.Name]
			switch err := s.Inputs.Validate(); {
			case dup:
				err = &revalign.FieldError{Pkg: "velocity", Path: path + ".name", Value: s.Name, Reason: "segment named twice in one period"}
				rejects = append(rejects, revalign.RecordError{ID: s.Name, Err: err})
				bad[s.Name] = true
			case err != nil:
				v := revalign.Validator{Pkg: "velocity"}
				v.Nest(path+".inputs", err)
				rejects = append(rejects, revalign.RecordError{ID: s.Name, Err: v.Err()})
				bad[s.Name] = true
			}
			m[s.Name] = s.Inputs
		}
		return m
	}
	b, a := index(before, "before"), index(after, "after")
	var out SegmentChanges
	for _, name := range sortedKeys(b, a) {
		if bad[name] {
			continue
		}
		in0, ok0 := b[name]
		in1, ok1 := a[name]
		switch {
		case ok0 && ok1:
			d, err := Decompose(in0, in1)
			if err != nil {
				rejects = append(rejects, revalign.RecordError{ID: name, Err: err})
				continue
			}
			out.Segments = append(out.Segments, SegmentDecomposition{Segment: name, Decomposition: d})
			out.Before, out.After = out.Before.Add(d.Before), out.After.Add(d.After)
		case ok0:
			v, _ := in0.Velocity()
			out.Dropped = append(out.Dropped, SegmentVelocity{Segment: name, Velocity: v})
			out.Before = out.Before.Add(v)
		default:
			v, _ := in1.Velocity()
			out.Added = append(out.Added, SegmentVelocity{Segment: name, Velocity: v})
			out.After = out.After.Add(v)
		}
	}
	out.Change = out.After.Sub(out.Before)
	return out, rejects
}

// sortedKeys returns the names of both maps, once each, sorted.
func sortedKeys(x, y map[string]Inputs) []string {
	keys := slices.Collect(maps.Keys(x))
	for k := range y {
		if _, ok := x[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
