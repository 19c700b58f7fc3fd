package cadence

import (
	"cmp"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign/internal/enum"
)

// ChangeKind is what happened to a deal between two snapshots, as far as
// the forecast is concerned. Each deal that changed has exactly one kind.
type ChangeKind int

// The kinds of change, in the order the forecast delta lists them.
const (
	// New: the deal is in this week's snapshot only.
	New ChangeKind = iota + 1
	// PulledIn: the close date moved into the forecast period.
	PulledIn
	// Upgraded: the forecast category moved back into the forecast.
	Upgraded
	// Increased: the amount of a deal in both forecasts went up.
	Increased
	// Decreased: the amount of a deal in both forecasts went down.
	Decreased
	// Slipped: the close date moved out of the forecast period.
	Slipped
	// Downgraded: the forecast category moved off the forecast.
	Downgraded
	// Won: the deal left the pipeline won. Won in the period, it is
	// booked at its amount: its value moves from the pipeline to booked
	// revenue, with no net effect when it was in the forecast.
	Won
	// Lost: the deal left the pipeline lost.
	Lost
	// Dropped: the deal left the pipeline with no recorded outcome.
	Dropped
	// Excluded: the deal's record in the other snapshot is unusable (see
	// the review's Errors), so the deal cannot be compared.
	Excluded
	// Moved: the stage changed and nothing else that the forecast sees.
	Moved
	numKinds
)

var kindNames = enum.Names[ChangeKind]{Pkg: pkg, Type: "ChangeKind", Path: "kind",
	Names: []string{New: "new", PulledIn: "pulled_in", Upgraded: "upgraded", Increased: "increased",
		Decreased: "decreased", Slipped: "slipped", Downgraded: "downgraded", Won: "won", Lost: "lost",
		Dropped: "dropped", Excluded: "excluded", Moved: "moved"},
	Unknown: "unknown change kind", Want: "unknown change kind"}

// String returns the kind's name ("slipped").
func (k ChangeKind) String() string { return kindNames.String(k) }

// MarshalText encodes the kind by name.
func (k ChangeKind) MarshalText() ([]byte, error) { return kindNames.Text(k) }

// UnmarshalText decodes a kind by name.
func (k *ChangeKind) UnmarshalText(b []byte) error { return kindNames.Unmarshal(k, b) }

// Change is one deal's part in the forecast delta.
type Change struct {
	// ID of the deal.
	ID string `json:"id"`
	// Kind of the change.
	Kind ChangeKind `json:"kind"`
	// Amount is the deal's value: this week's, or last week's for a deal
	// that left the pipeline.
	Amount decimal.Decimal `json:"amount"`
	// Before is the deal's contribution to last week's forecast (zero when
	// it was not in it).
	Before decimal.Decimal `json:"before"`
	// After is its contribution to this week's forecast: its amount when
	// it is open and in the forecast, or won and booked in the period;
	// zero otherwise.
	After decimal.Decimal `json:"after"`
	// FromStage is last week's stage, set when the stage changed.
	FromStage string `json:"from_stage,omitempty"`
	// ToStage is this week's stage, set when the stage changed.
	ToStage string `json:"to_stage,omitempty"`
	// FromClose is last week's close date, set when it changed.
	FromClose time.Time `json:"from_close,omitzero"`
	// ToClose is this week's close date when it changed, or the close date
	// of a won or lost deal.
	ToClose time.Time `json:"to_close,omitzero"`
}

// Effect returns the change's effect on the forecast, After − Before.
func (c Change) Effect() decimal.Decimal { return c.After.Sub(c.Before) }

// Bucket sums the changes of one kind.
type Bucket struct {
	// Kind of the changes summed.
	Kind ChangeKind `json:"kind"`
	// Deals counts the deals of this kind, in the forecast or not.
	Deals int `json:"deals"`
	// Effect is the bucket's signed effect on the forecast.
	Effect decimal.Decimal `json:"effect"`
}

// Delta is the forecast delta: last week's forecast, this week's, and what
// changed in between, reconciled exactly:
//
//	Last + Σ Buckets[i].Effect == This
//
// A forecast is the revenue booked in the period plus the open pipeline
// closing in it, so a deal won at its forecast amount changes nothing: its
// value moves from the pipeline (This − ThisBooked) to booked (ThisBooked).
// Reviewed is this week's forecast after the passive-voice rule takes the
// flagged deals off it.
type Delta struct {
	// Last is last week's forecast: LastBooked plus last week's open
	// pipeline in the period.
	Last decimal.Decimal `json:"last"`
	// This is this week's forecast: ThisBooked plus this week's open
	// pipeline in the period.
	This decimal.Decimal `json:"this"`
	// LastBooked is the revenue booked in the period before last week's
	// snapshot (ReviewInput.BookedBefore).
	LastBooked decimal.Decimal `json:"last_booked"`
	// ThisBooked is LastBooked plus the deals won since last week and
	// booked in the period; ThisBooked − LastBooked is this week's
	// bookings.
	ThisBooked decimal.Decimal `json:"this_booked"`
	// Buckets sum the changes by kind, in kind order; kinds with no deal
	// are left out.
	Buckets []Bucket `json:"buckets"`
	// Changes lists every deal that changed, by kind, then largest first.
	Changes []Change `json:"changes"`
	// StageMoves counts the deals whose stage changed.
	StageMoves int `json:"stage_moves"`
	// Reconciles reports whether Last plus the buckets' effects equals
	// This exactly (it always should; it is checked, not assumed).
	Reconciles bool `json:"reconciles"`
	// OffForecast is the value of this week's forecast deals in passive
	// voice.
	OffForecast decimal.Decimal `json:"off_forecast"`
	// OffForecastDeals is the number of those deals.
	OffForecastDeals int `json:"off_forecast_deals"`
	// Reviewed is This − OffForecast: the forecast the review stands by
	// (booked revenue is never in passive voice).
	Reviewed decimal.Decimal `json:"reviewed"`
}

// Net returns This − Last.
func (d Delta) Net() decimal.Decimal { return d.This.Sub(d.Last) }

// Bucket returns the bucket of the given kind (a zero bucket when no deal
// has that kind).
func (d Delta) Bucket(k ChangeKind) Bucket {
	for _, b := range d.Buckets {
		if b.Kind == k {
			return b
		}
	}
	return Bucket{Kind: k}
}

// fill writes the totals, the buckets and the changes, by kind, then
// largest first, then by ID.
func (d *Delta) fill(in ReviewInput, last, this []rec, moves []move, outcomes map[string]Closed, s *sums, places int32) {
	var count [numKinds]int
	// The forecasts in minor units: booked before, plus booked this week
	// for this week's, plus each week's open pipeline.
	lastTotal, booked := s.before, s.before
	s.add(&lastTotal, s.last)
	s.add(&booked, s.booked)
	thisTotal := booked
	s.add(&thisTotal, s.this)
	explained := lastTotal
	for _, m := range moves {
		count[m.kind]++
	}
	for k := New; k < numKinds; k++ {
		if count[k] > 0 {
			d.Buckets = append(d.Buckets, Bucket{Kind: k, Deals: count[k], Effect: fromUnits(s.effects[k], places)})
		}
		s.add(&explained, s.effects[k])
	}
	d.Last, d.This = fromUnits(lastTotal, places), fromUnits(thisTotal, places)
	d.LastBooked, d.ThisBooked = fromUnits(s.before, places), fromUnits(booked, places)
	d.OffForecast, d.Reviewed = fromUnits(s.off, places), fromUnits(thisTotal-s.off, places)
	d.Reconciles = explained == thisTotal && !s.overflow
	id := func(m move) string {
		if m.this >= 0 {
			return in.This[m.this].ID
		}
		return in.Last[m.last].ID
	}
	slices.SortFunc(moves, func(a, b move) int {
		if c := cmp.Compare(a.kind, b.kind); c != 0 {
			return c
		}
		if c := cmp.Compare(b.units, a.units); c != 0 {
			return c
		}
		return cmp.Compare(id(a), id(b))
	})
	d.Changes = make([]Change, len(moves))
	for i, m := range moves {
		c := &d.Changes[i]
		c.Kind = m.kind
		var prev *Deal
		if m.last >= 0 {
			prev = &in.Last[m.last]
			c.ID, c.Amount = prev.ID, prev.Amount
			if last[m.last].in {
				c.Before = prev.Amount
			}
		}
		if m.this < 0 {
			if m.kind == Won || m.kind == Lost {
				c.ToClose = outcomes[c.ID].ClosedOn
			}
			if m.booked {
				c.After = prev.Amount
			}
			continue
		}
		cur := &in.This[m.this]
		c.ID, c.Amount = cur.ID, cur.Amount
		if this[m.this].in {
			c.After = cur.Amount
		}
		if prev == nil {
			continue
		}
		if stageChanged(prev, cur) {
			c.FromStage, c.ToStage = prev.Stage, cur.Stage
		}
		if last[m.last].close != this[m.this].close {
			c.FromClose, c.ToClose = prev.CloseDate, cur.CloseDate
		}
	}
}
