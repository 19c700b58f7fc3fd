package velocity

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// ErrZeroVelocity is matched by errors of computations that need a ratio
// of velocities (scenarios, decompositions, paths to a target) when a
// velocity, or a lever it is made of, is zero.
var ErrZeroVelocity = errors.New("zero velocity has no ratio")

// Places is the number of decimal places velocities and revenue figures are
// rounded to (half away from zero). Round to the currency's minor units for
// display; sums of the rounded figures stay exact.
const Places = 6

// Inputs are the four levers of pipeline velocity:
//
//	velocity = Opportunities × DealSize × WinRate ÷ CycleDays
//
// in revenue per day. Opportunities is the open qualified pipeline (a count;
// scenarios may make it fractional), DealSize the average won deal in the
// reporting currency, WinRate won ÷ decided in [0,1] and CycleDays the mean
// days from creation to a win. Inputs is a plain value; the zero value is
// invalid (a zero cycle has no velocity).
type Inputs struct {
	// Opportunities is N, the open qualified opportunities: a count,
	// finite and >= 0 (fractional in scenarios).
	Opportunities float64 `json:"opportunities"`
	// DealSize is S, the average won deal in the reporting currency,
	// >= 0.
	DealSize decimal.Decimal `json:"deal_size"`
	// WinRate is W, won ÷ decided deals, in [0,1].
	WinRate float64 `json:"win_rate"`
	// CycleDays is L, the sales cycle in days, finite and > 0.
	CycleDays float64 `json:"cycle_days"`
}

// Validate reports a negative or non-finite count or deal size, a win rate
// outside [0,1] and a cycle that is not a positive number of days.
func (in Inputs) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(finite(in.Opportunities) && in.Opportunities >= 0, "opportunities", in.Opportunities, "must be a finite number >= 0")
	if in.DealSize.IsNegative() {
		v.Add("deal_size", in.DealSize.String(), "must be >= 0")
	}
	v.Check(in.WinRate >= 0 && in.WinRate <= 1, "win_rate", in.WinRate, "must be in [0,1]")
	v.Check(finite(in.CycleDays) && in.CycleDays > 0, "cycle_days", in.CycleDays, "must be a finite number of days > 0")
	return v.Err()
}

// Velocity returns revenue per day, N·S·W ÷ L, rounded to [Places]. Invalid
// inputs (a zero cycle among them) are an error, never an infinity.
func (in Inputs) Velocity() (decimal.Decimal, error) {
	return in.Revenue(1)
}

// Revenue returns the revenue the pipeline yields over a number of days:
// velocity × days (a quarter of 92 days yields 92 days of velocity; the
// cycle length divides, it never multiplies). It is computed as
// N·S·W·days ÷ L and rounded once to [Places].
func (in Inputs) Revenue(days float64) (decimal.Decimal, error) {
	if err := in.Validate(); err != nil {
		return decimal.Decimal{}, err
	}
	if !finite(days) || days < 0 {
		return decimal.Decimal{}, &revalign.FieldError{Pkg: "velocity", Path: "days", Value: days, Reason: "must be a finite number >= 0"}
	}
	num := in.DealSize.Mul(decimal.NewFromFloat(in.Opportunities)).
		Mul(decimal.NewFromFloat(in.WinRate)).
		Mul(decimal.NewFromFloat(days))
	return num.DivRound(decimal.NewFromFloat(in.CycleDays), Places), nil
}

// exact returns N·S·W ÷ L unrounded, as text, for messages.
func (in Inputs) exact() string {
	return strconv.FormatFloat(in.Opportunities*in.DealSize.InexactFloat64()*in.WinRate/in.CycleDays, 'g', 3, 64)
}

// value returns a lever's value as a float64 (deal size converted).
func (in Inputs) value(l Lever) float64 {
	switch l {
	case Opportunities:
		return in.Opportunities
	case DealSize:
		return in.DealSize.InexactFloat64()
	case WinRate:
		return in.WinRate
	case CycleLength:
		return in.CycleDays
	}
	return math.NaN()
}

// factor returns the factor by which moving lever l from in to out
// multiplies velocity: out/in for N, S and W, in/out for L.
func factor(l Lever, in, out Inputs) float64 {
	a, b := in.value(l), out.value(l)
	if l == CycleLength {
		return a / b
	}
	return b / a
}

// Ratio returns V(to) ÷ V(from) computed exactly from the lever ratios:
// (N′/N)(S′/S)(W′/W)(L/L′). A 10% shorter cycle is 1/0.9 = +11.1%.
func Ratio(from, to Inputs) (float64, error) {
	if err := errors.Join(from.Validate(), to.Validate()); err != nil {
		return 0, err
	}
	if err := nonZero(from); err != nil {
		return 0, err
	}
	r := 1.0
	for _, l := range levers {
		r *= factor(l, from, to)
	}
	return r, nil
}

func nonZero(in Inputs) error {
	for _, l := range levers {
		if in.value(l) == 0 {
			return fmt.Errorf("velocity: %s is 0: %w", l, ErrZeroVelocity)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
