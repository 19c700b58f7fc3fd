package attribution

import (
	"math"
	"time"

	"github.com/revalign/revalign"
)

// Linear gives every touch an equal share. With Once set, repeated touches
// of one channel count once: each distinct channel gets an equal share, held
// by its first touch (which is also Zhao's simplified Shapley value of the
// journey). The zero value counts every touch.
type Linear struct {
	// Once counts each channel once rather than each touch.
	Once bool `json:"once"`
}

// Name returns "linear", or "linear_once" when repeats count once.
func (l Linear) Name() string {
	if l.Once {
		return "linear_once"
	}
	return "linear"
}

// MultiTouch reports true.
func (Linear) MultiTouch() bool { return true }

// Weights returns the share of each touch of j. It allocates nothing when
// dst has the capacity.
func (l Linear) Weights(dst []float64, j *Journey) ([]float64, error) {
	n := len(j.Touches)
	dst = grow(dst, n)
	if n == 0 {
		return dst, ErrNoCredit
	}
	if !l.Once {
		for i := range dst {
			dst[i] = 1 / float64(n)
		}
		return dst, nil
	}
	distinct := 0
	for i := range j.Touches {
		if firstOfChannel(j, i) {
			dst[i] = 1
			distinct++
		}
	}
	for i := range dst {
		dst[i] /= float64(distinct)
	}
	return dst, nil
}

// firstOfChannel reports whether touch i is the first of its channel.
func firstOfChannel(j *Journey, i int) bool {
	c := j.Touches[i].Channel
	for k := range i {
		if j.Touches[k].Channel == c {
			return false
		}
	}
	return true
}

// DefaultHalfLifeDays is the default half-life of [TimeDecay] (Google's).
const DefaultHalfLifeDays = 7

// TimeDecay weights each touch by 2^(−Δt/half-life), Δt measured back from
// the conversion, then normalises: with the default 7-day half-life, touches
// 1, 8, 15 and 22 days before the conversion weigh 1, ½, ¼ and ⅛. The
// weights are computed relative to the latest touch, so they do not
// underflow on long journeys; normalising makes that the same split.
type TimeDecay struct {
	// HalfLifeDays is the half-life in days; it must be positive.
	HalfLifeDays float64 `json:"half_life_days"`
}

// DefaultTimeDecay returns time decay with a 7-day half-life.
func DefaultTimeDecay() TimeDecay { return TimeDecay{HalfLifeDays: DefaultHalfLifeDays} }

// Name returns "time_decay".
func (TimeDecay) Name() string { return "time_decay" }

// MultiTouch reports true.
func (TimeDecay) MultiTouch() bool { return true }

// Validate reports a half-life that is not positive and finite.
func (t TimeDecay) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	v.Check(t.HalfLifeDays > 0 && !math.IsInf(t.HalfLifeDays, 1), "half_life_days", t.HalfLifeDays, "must be > 0")
	return v.Err()
}

// Weights returns the share of each touch of j. It allocates nothing when
// dst has the capacity.
func (t TimeDecay) Weights(dst []float64, j *Journey) ([]float64, error) {
	n := len(j.Touches)
	dst = grow(dst, n)
	if n == 0 {
		return dst, ErrNoCredit
	}
	if !(t.HalfLifeDays > 0) || math.IsInf(t.HalfLifeDays, 1) {
		return dst, t.Validate()
	}
	ref := j.Touches[n-1].At
	halfLife := t.HalfLifeDays * float64(24*time.Hour)
	sum := 0.0
	for i := range j.Touches {
		w := math.Exp2(-float64(ref.Sub(j.Touches[i].At)) / halfLife)
		dst[i] = w
		sum += w
	}
	for i := range dst {
		dst[i] /= sum
	}
	return dst, nil
}
