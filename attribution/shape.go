package attribution

import (
	"math"
	"slices"
	"strings"

	"github.com/revalign/revalign"
)

// Position names a touch a positional model credits. The built-in positions
// are the first and last touch and the milestones; any other name refers to
// one of the journey's extra [Stage]s (a custom stage such as "mql"). A
// position is text in JSON.
type Position string

// The built-in positions.
const (
	// FirstTouch is the journey's earliest touch.
	FirstTouch Position = "first_touch"
	// LeadCreation is the last touch at or before the lead was created.
	LeadCreation Position = "lead_creation"
	// OppCreation is the last touch at or before the opportunity was created.
	OppCreation Position = "opportunity_creation"
	// Close is the last touch at or before the closed-won date. Only a won
	// deal reaches it: on a lost or open journey the position drops out.
	Close Position = "closed_won"
	// LastTouch is the journey's latest touch, whether or not it has closed.
	LastTouch Position = "last_touch"
)

// index returns the touch j credits for position p, or -1 when the journey
// has not reached it.
func (p Position) index(j *Journey) int {
	n := len(j.Touches)
	if n == 0 {
		return -1
	}
	switch p {
	case FirstTouch:
		return 0
	case LastTouch:
		return n - 1
	case LeadCreation:
		return j.lastAtOrBefore(j.LeadCreated)
	case OppCreation:
		return j.lastAtOrBefore(j.OppCreated)
	case Close:
		if j.Outcome != Won {
			return -1
		}
		return j.lastAtOrBefore(j.Closed)
	}
	for _, s := range j.Stages {
		if s.Name == string(p) {
			return j.lastAtOrBefore(s.At)
		}
	}
	return -1
}

// PositionWeight is the share of credit one position receives.
type PositionWeight struct {
	// Position is the position credited: a built-in one or the name of a
	// journey [Stage]. It appears at most once in a shape.
	Position Position `json:"position"`
	// Weight is the position's share of the credit, finite and >= 0; a
	// shape's weights and its Middle sum to 1.
	Weight float64 `json:"weight"`
}

// MaxPositions is the most positions a [Shape] may weight: the five built-in
// positions and up to seven custom stages (Marketo Measure allows six).
const MaxPositions = 12

// Shape is a positional model: fixed weights for the touches holding some
// positions (first touch, lead creation, …), and a middle weight spread
// evenly over the touches between them. Every rule-based model but linear
// and time decay is a Shape: [FirstTouchModel], [LastTouchModel],
// [LeadCreationModel], [UShaped], [WShaped], [FullPath], [JShaped],
// [InverseJ], [PositionBased], or custom weights.
//
// The rules for short journeys and stacked milestones (REFERENCE §5):
//   - a touch holding several positions receives the sum of their weights;
//   - the middle touches are those strictly between the earliest and the
//     latest credited touch that hold no position (and, when MiddleTypes is
//     set, whose type is listed); each receives Middle divided by their
//     number;
//   - when there is no middle touch, Middle is split evenly among the
//     positions (so U-shaped on two touches is 50/50, W-shaped with the
//     lead- and opportunity-creation touch stacked is 33.3/66.7, full path
//     on three touches with LC = OC is 25/50/25, and every shape gives one
//     touch 100%);
//   - a position the journey has not reached (a milestone with no time, or
//     before every touch) drops out, and the remaining weights are scaled
//     back up to 1. A journey with no position reached is [ErrNoCredit].
//
// Shape is a value and safe for concurrent use. Its JSON form is its
// configuration: {"name": "w_shaped", "positions": [{"position":
// "first_touch", "weight": 0.3}, …], "middle": 0.1}.
type Shape struct {
	// Label is the model's name in reports (its Name), e.g. "w_shaped".
	Label string `json:"name"`
	// Positions are the weighted positions, each at most once.
	Positions []PositionWeight `json:"positions"`
	// Middle is the weight spread over the touches between the positions.
	Middle float64 `json:"middle"`
	// MiddleTypes, when not empty, lists the touch types eligible for
	// middle credit (Marketo Measure counts only form fills and campaign
	// touches); other middle touches get nothing. Empty means every type.
	MiddleTypes []string `json:"middle_types,omitempty"`
}

// Name returns the shape's name.
func (s Shape) Name() string { return s.Label }

// MultiTouch reports whether the shape can credit more than one touch.
func (s Shape) MultiTouch() bool {
	n := 0
	for _, p := range s.Positions {
		if p.Weight > 0 {
			n++
		}
	}
	return n > 1 || s.Middle > 0
}

func shape(name string, middle float64, pw ...PositionWeight) Shape {
	return Shape{Label: name, Positions: pw, Middle: middle}
}

// FirstTouchModel gives 100% to the first touch.
func FirstTouchModel() Shape { return shape("first_touch", 0, PositionWeight{FirstTouch, 1}) }

// LastTouchModel gives 100% to the last touch.
func LastTouchModel() Shape { return shape("last_touch", 0, PositionWeight{LastTouch, 1}) }

// LeadCreationModel gives 100% to the lead-creation touch.
func LeadCreationModel() Shape { return shape("lead_creation", 0, PositionWeight{LeadCreation, 1}) }

// UShaped gives 40% to the first touch, 40% to the lead-creation touch and
// 20% to the touches between them.
func UShaped() Shape {
	return shape("u_shaped", 0.2, PositionWeight{FirstTouch, 0.4}, PositionWeight{LeadCreation, 0.4})
}

// UShaped5050 is U-shaped as Marketo Measure's current documentation
// describes it: 50% first touch, 50% lead creation, nothing between.
func UShaped5050() Shape {
	return shape("u_shaped_50_50", 0, PositionWeight{FirstTouch, 0.5}, PositionWeight{LeadCreation, 0.5})
}

// WShaped gives 30% each to the first-touch, lead-creation and
// opportunity-creation touches and 10% to the touches between.
func WShaped() Shape {
	return shape("w_shaped", 0.1, PositionWeight{FirstTouch, 0.3}, PositionWeight{LeadCreation, 0.3}, PositionWeight{OppCreation, 0.3})
}

// FullPath (Z-shaped) gives 22.5% each to the first-touch, lead-creation,
// opportunity-creation and closed-won touches and 10% to the touches
// between.
func FullPath() Shape {
	return shape("full_path", 0.1, PositionWeight{FirstTouch, 0.225}, PositionWeight{LeadCreation, 0.225},
		PositionWeight{OppCreation, 0.225}, PositionWeight{Close, 0.225})
}

// JShaped gives 20% to the first touch, 60% to the last and 20% between.
func JShaped() Shape {
	return shape("j_shaped", 0.2, PositionWeight{FirstTouch, 0.2}, PositionWeight{LastTouch, 0.6})
}

// InverseJ gives 60% to the first touch, 20% to the last and 20% between.
func InverseJ() Shape {
	return shape("inverse_j", 0.2, PositionWeight{FirstTouch, 0.6}, PositionWeight{LastTouch, 0.2})
}

// PositionBased is Google's position-based model: 40% first touch, 40% last
// touch, 20% between.
func PositionBased() Shape {
	return shape("position_based", 0.2, PositionWeight{FirstTouch, 0.4}, PositionWeight{LastTouch, 0.4})
}

// RuleBased returns every rule-based model with its default settings:
// first touch, lead creation, last touch, linear, U-shaped (40/20/40 and
// 50/50), W-shaped, full path, J-shaped, inverse J, position-based and
// time decay (half-life 7 days).
func RuleBased() []Model {
	return []Model{
		FirstTouchModel(), LeadCreationModel(), LastTouchModel(), Linear{},
		UShaped(), UShaped5050(), WShaped(), FullPath(), JShaped(), InverseJ(), PositionBased(),
		DefaultTimeDecay(),
	}
}

// weightTolerance is how far from 1 a shape's weights may sum.
const weightTolerance = 1e-9

// Validate reports a blank name, no positions, more than [MaxPositions],
// repeated or blank positions, weights that are negative or not finite, and
// weights (with Middle) that do not sum to 1.
func (s Shape) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	v.Check(strings.TrimSpace(s.Label) != "", "name", s.Label, "must not be blank")
	if v.Check(len(s.Positions) > 0, "positions", nil, "need at least one position") {
		v.Check(len(s.Positions) <= MaxPositions, "positions", len(s.Positions), "at most 12 positions")
	}
	sum := s.Middle
	for i, p := range s.Positions {
		path := revalign.Index("positions", i)
		if v.Check(strings.TrimSpace(string(p.Position)) != "", path+".position", string(p.Position), "must not be blank") {
			v.Check(!slices.ContainsFunc(s.Positions[:i], func(q PositionWeight) bool { return q.Position == p.Position }),
				path+".position", string(p.Position), "repeated position")
		}
		v.Check(finiteNonNeg(p.Weight), path+".weight", p.Weight, "must be finite and >= 0")
		sum += p.Weight
	}
	v.Check(finiteNonNeg(s.Middle), "middle", s.Middle, "must be finite and >= 0")
	v.Check(math.Abs(sum-1) <= weightTolerance, "positions", sum, "weights and middle must sum to 1")
	return v.Err()
}

func finiteNonNeg(x float64) bool { return x >= 0 && !math.IsInf(x, 1) }

// Weights returns the share of each touch of j under the shape (see
// [Shape] for the rules). It allocates nothing when dst has the capacity.
func (s Shape) Weights(dst []float64, j *Journey) ([]float64, error) {
	n := len(j.Touches)
	dst = grow(dst, n)
	if n == 0 {
		return dst, ErrNoCredit
	}
	if len(s.Positions) > MaxPositions {
		return dst, &revalign.FieldError{Pkg: pkg, Path: "positions", Value: len(s.Positions), Reason: "at most 12 positions"}
	}
	for k, p := range s.Positions {
		if !finiteNonNeg(p.Weight) {
			return dst, &revalign.FieldError{Pkg: pkg, Path: revalign.Index("positions", k) + ".weight", Value: p.Weight, Reason: "must be finite and >= 0"}
		}
	}
	if !finiteNonNeg(s.Middle) {
		return dst, &revalign.FieldError{Pkg: pkg, Path: "middle", Value: s.Middle, Reason: "must be finite and >= 0"}
	}
	idx, present, lo, hi := s.layout(j)
	total := 0.0
	for k, p := range s.Positions {
		if idx[k] >= 0 {
			total += p.Weight
		}
	}
	if present == 0 {
		return dst, ErrNoCredit
	}
	held := idx[:len(s.Positions)]
	middle := 0
	for i := lo + 1; i < hi; i++ {
		if s.eligibleMiddle(i, j, held) {
			middle++
		}
	}
	total += s.Middle
	if total <= 0 {
		return dst, ErrNoCredit
	}
	if middle > 0 {
		m := s.Middle / float64(middle)
		for i := lo + 1; i < hi; i++ {
			if s.eligibleMiddle(i, j, held) {
				dst[i] = m / total
			}
		}
	}
	spread := 0.0
	if middle == 0 {
		spread = s.Middle / float64(present)
	}
	for k, p := range s.Positions {
		if i := idx[k]; i >= 0 {
			dst[i] += (p.Weight + spread) / total
		}
	}
	return dst, nil
}

// layout finds the touch of each position (-1 when not reached), how many
// positions are reached, and the earliest and latest credited touch.
func (s Shape) layout(j *Journey) (idx [MaxPositions]int, present, lo, hi int) {
	lo, hi = len(j.Touches), -1
	for k, p := range s.Positions {
		i := p.Position.index(j)
		idx[k] = i
		if i < 0 {
			continue
		}
		present++
		lo, hi = min(lo, i), max(hi, i)
	}
	return idx, present, lo, hi
}

func (s Shape) eligibleMiddle(i int, j *Journey, held []int) bool {
	if slices.Contains(held, i) {
		return false
	}
	return len(s.MiddleTypes) == 0 || slices.Contains(s.MiddleTypes, j.Touches[i].Type)
}
