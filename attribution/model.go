package attribution

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// ErrNoCredit is matched by the error a model returns for a journey it
// cannot credit: a journey without touches, or one without the touch a
// single-position model needs (a lead-creation model on a journey whose
// lead was created before any touch). Reconcile books such journeys as
// unattributed, so no amount is lost.
var ErrNoCredit = errors.New("attribution: no touch to credit")

// Model splits the credit for one journey among its touches. Weights writes
// one weight per touch of j into dst (reused when it has the capacity, as
// in append) and returns it; the weights are non-negative and sum to 1. A
// journey the model cannot credit is an error matching [ErrNoCredit].
//
// The models of this package are values ([Shape], [Linear], [TimeDecay],
// and the fitted data-driven models); they are safe for concurrent use.
// A Model may also implement MultiTouch() bool; [Reconcile] uses it to
// build the consensus of multi-touch models (a Model without it counts as
// multi-touch).
type Model interface {
	// Name identifies the model in reports, e.g. "w_shaped".
	Name() string
	// Weights returns the share of each touch of j.
	Weights(dst []float64, j *Journey) ([]float64, error)
}

// multiTouch reports whether m spreads credit over several touches.
func multiTouch(m Model) bool {
	if mt, ok := m.(interface{ MultiTouch() bool }); ok {
		return mt.MultiTouch()
	}
	return true
}

// Allocation is one journey's credit under one model: a weight and a share
// of the amount, in minor units, per touch. Its slices are reused by the
// next call to [Allocate], so a single Allocation serves a whole batch
// without allocating once it has grown to the longest journey. An
// Allocation is not safe for concurrent use; give each goroutine its own.
type Allocation struct {
	// Weights holds each touch's share of the credit; they sum to 1.
	Weights []float64
	// Units holds each touch's credit in minor units of the journey's
	// currency (cents for USD); they sum exactly to the amount.
	Units []int64
	// Places is the number of decimal places of the currency.
	Places int32
}

// Credit returns touch i's credit as an amount.
func (a *Allocation) Credit(i int) decimal.Decimal { return decimal.New(a.Units[i], -a.Places) }

// Allocate computes m's split of journey j into dst: the weights, and the
// amount divided in minor units by largest remainder so that the credits sum
// exactly to j.Amount (ties go to the larger weight, then the earlier
// touch). It allocates nothing once dst's slices are large enough (and the
// journey has at most 64 touches).
//
// Allocate does not check j against a taxonomy; see [Journey.Validate]. A
// negative amount, or one with more decimal places than the currency, is an
// error matching revalign.ErrCurrency or revalign.ErrInvalid.
func Allocate(dst *Allocation, m Model, j *Journey) error {
	places := revalign.MinorUnits(j.Currency)
	units, err := revalign.ToUnits(j.Amount, places)
	if err != nil {
		return err
	}
	if units < 0 {
		return &revalign.FieldError{Pkg: pkg, Path: "amount", Value: j.Amount.String(), Reason: "must not be negative"}
	}
	w, err := m.Weights(dst.Weights[:0], j)
	dst.Weights = w
	if err != nil {
		return err
	}
	if len(w) != len(j.Touches) {
		return fmt.Errorf("attribution: model %s returned %d weights for %d touches", m.Name(), len(w), len(j.Touches))
	}
	dst.Places = places
	dst.Units, err = revalign.SplitUnits(units, w, dst.Units[:0])
	return err
}

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// grow returns dst resized to n elements, zeroed.
func grow(dst []float64, n int) []float64 {
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	clear(dst)
	return dst
}
