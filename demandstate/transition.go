package demandstate

import (
	"fmt"
	"slices"
	"time"

	"github.com/revalign/revalign"
)

// Change is one entry of a record's demand-state history: the state entered
// and when.
type Change struct {
	// State is the state entered.
	State State `json:"state"`
	// EnteredAt is when the record entered it.
	EnteredAt time.Time `json:"entered_at"`
}

// History is one record's demand-state history, oldest first. Buyers do not
// move in straight lines: a history may skip states and regress to earlier
// ones. It may not go back in time, hold two entries at the same instant,
// or enter the state it is already in.
type History struct {
	// ID of the record (lead, contact or account).
	ID string `json:"id"`
	// Owner of the record (a rep's ID or name), for the per-owner review.
	// It may be empty.
	Owner string `json:"owner,omitempty"`
	// Changes in time order.
	Changes []Change `json:"changes"`
}

// At returns the state the history holds at instant t (the last change at
// or before t), or "" when t is before the first change.
func (h History) At(t time.Time) State {
	s := State("")
	for _, c := range h.Changes {
		if c.EnteredAt.After(t) {
			break
		}
		s = c.State
	}
	return s
}

// Move classifies a step between two states by the model's order.
type Move int8

// The kinds of move.
const (
	// Advance moves to the next state.
	Advance Move = 1
	// Skip moves forward past one or more states.
	Skip Move = 2
	// Regression moves back to an earlier state.
	Regression Move = -1
)

// String returns "advance", "skip" or "regression".
func (m Move) String() string {
	switch m {
	case Advance:
		return "advance"
	case Skip:
		return "skip"
	case Regression:
		return "regression"
	}
	return fmt.Sprintf("Move(%d)", int(m))
}

// MarshalText encodes the move by name.
func (m Move) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// Step is one transition of a history.
type Step struct {
	// From is the state left.
	From State `json:"from"`
	// To is the state entered.
	To State `json:"to"`
	// At is when the transition happened.
	At time.Time `json:"at"`
	// Move says whether it advanced, skipped or regressed.
	Move Move `json:"move"`
	// Distance is the number of positions moved in the model's order:
	// 1 for an advance, more for a skip, negative for a regression.
	Distance int `json:"distance"`
}

// Stay is one spell of a record in a state.
type Stay struct {
	// State is the state the record stayed in.
	State State `json:"state"`
	// From is when the record entered the state.
	From time.Time `json:"from"`
	// To is when the record left the state, or the as-of instant while it
	// is still there.
	To time.Time `json:"to"`
	// Open is true when the record had not left the state as of the
	// as-of instant.
	Open bool `json:"open,omitempty"`
}

// Duration returns To − From.
func (s Stay) Duration() time.Duration { return s.To.Sub(s.From) }

// CheckHistory reports every problem of h against the model: a change to a
// state the model does not hold, a zero timestamp, a change earlier than
// the one before it (out of order), two changes at the same instant, or a
// change into the state the record is already in. Errors carry the path of
// the change (changes[3].entered_at) and match revalign.ErrInvalid. Sort an
// unordered export by EnteredAt before checking it.
func (m Model) CheckHistory(h History) error {
	v := revalign.Validator{Pkg: pkg}
	for i, c := range h.Changes {
		p := revalign.Index("changes", i)
		v.Check(m.Index(c.State) >= 0, p+".state", string(c.State), "unknown state")
		if !v.Check(!c.EnteredAt.IsZero(), p+".entered_at", nil, "change needs a timestamp") || i == 0 {
			continue
		}
		prev := h.Changes[i-1]
		switch {
		case c.EnteredAt.Before(prev.EnteredAt):
			v.Add(p+".entered_at", c.EnteredAt.Format(time.RFC3339), "out of order: before the previous change at "+prev.EnteredAt.Format(time.RFC3339))
		case c.EnteredAt.Equal(prev.EnteredAt):
			v.Add(p+".entered_at", c.EnteredAt.Format(time.RFC3339), "duplicate timestamp: two changes at the same instant")
		}
		v.Check(c.State != prev.State, p+".state", string(c.State), "repeats the previous state (no change)")
	}
	return v.Err()
}

// Steps returns the transitions of h, each classified as an advance, a skip
// or a regression, after checking h with CheckHistory.
func (m Model) Steps(h History) ([]Step, error) {
	if err := m.CheckHistory(h); err != nil {
		return nil, err
	}
	if len(h.Changes) < 2 {
		return nil, nil
	}
	out := make([]Step, 0, len(h.Changes)-1)
	for i := 1; i < len(h.Changes); i++ {
		out = append(out, m.step(h.Changes[i-1].State, h.Changes[i].State, h.Changes[i].EnteredAt))
	}
	return out, nil
}

func (m Model) step(from, to State, at time.Time) Step {
	d := m.Index(to) - m.Index(from)
	mv := Advance
	switch {
	case d < 0:
		mv = Regression
	case d > 1:
		mv = Skip
	}
	return Step{From: from, To: to, At: at, Move: mv, Distance: d}
}

// Stays returns the spells of h in each state up to asOf, after checking h
// with CheckHistory. Changes after asOf are not yet known and are left out;
// the last spell is open and ends at asOf.
func (m Model) Stays(h History, asOf time.Time) ([]Stay, error) {
	if err := m.CheckHistory(h); err != nil {
		return nil, err
	}
	var out []Stay
	for i, c := range h.Changes {
		if c.EnteredAt.After(asOf) {
			break
		}
		s := Stay{State: c.State, From: c.EnteredAt, To: asOf, Open: true}
		if i+1 < len(h.Changes) && !h.Changes[i+1].EnteredAt.After(asOf) {
			s.To, s.Open = h.Changes[i+1].EnteredAt, false
		}
		out = append(out, s)
	}
	return out, nil
}

// TimeInState returns the total time h spent in each state up to asOf,
// summed over spells (a record that regressed and came back counts both
// spells), keyed by state.
func (m Model) TimeInState(h History, asOf time.Time) (map[State]time.Duration, error) {
	stays, err := m.Stays(h, asOf)
	if err != nil {
		return nil, err
	}
	out := make(map[State]time.Duration, len(stays))
	for _, s := range stays {
		out[s.State] += s.Duration()
	}
	return out, nil
}

// Compact returns a tidied copy of h and the number of changes it removed:
// changes sorted by time (stable), of several changes at the same instant
// only the last in input order kept, and a change into the state the record
// is already in dropped. CRM exports log a lead created straight into
// problem-aware as entering unaware and problem-aware at the same instant;
// Compact keeps the later. It is an explicit, counted clean-up, for the
// caller to choose (and report) before CheckHistory, which rejects such
// histories.
func (h History) Compact() (History, int) {
	cs := slices.Clone(h.Changes)
	slices.SortStableFunc(cs, func(a, b Change) int { return a.EnteredAt.Compare(b.EnteredAt) })
	out := cs[:0]
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].EnteredAt.Equal(c.EnteredAt) {
			out[n-1] = c
		} else {
			out = append(out, c)
		}
		if n := len(out); n > 1 && out[n-1].State == out[n-2].State {
			out = out[:n-1]
		}
	}
	removed := len(h.Changes) - len(out)
	h.Changes = out
	return h, removed
}
