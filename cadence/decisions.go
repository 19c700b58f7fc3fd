package cadence

import (
	"cmp"
	"slices"
	"time"

	"github.com/revalign/revalign"
)

// Decision is one decision a ritual made, recorded with its owner and due
// date, and, once done, what changed as a result.
type Decision struct {
	// ID identifies the decision in the log.
	ID string `json:"id"`
	// Ritual is the key of the ritual that made it.
	Ritual string `json:"ritual"`
	// MadeAt is when the decision was made.
	MadeAt time.Time `json:"made_at"`
	// What was decided.
	What string `json:"decision"`
	// Owner carries it out.
	Owner revalign.Owner `json:"owner"`
	// Due is when it must be done.
	Due time.Time `json:"due"`
	// DoneAt is when it was done; zero while open.
	DoneAt time.Time `json:"done_at,omitzero"`
	// Change says what changed as a result, once done.
	Change string `json:"change,omitempty"`
}

// RitualDecisions counts one ritual's decisions in the report.
type RitualDecisions struct {
	// Ritual is the ritual's key.
	Ritual string `json:"ritual"`
	// Made counts decisions made in the window before the report date.
	Made int `json:"made"`
	// Changed counts decisions done in that window.
	Changed int `json:"changed"`
	// Overdue counts open decisions past their due date.
	Overdue int `json:"overdue"`
	// Upcoming counts open decisions due in the window after the report
	// date.
	Upcoming int `json:"upcoming"`
	// Met counts the ritual's meetings in the window before the report
	// date (from the cadence's schedule); a ritual that met and decided
	// nothing is listed in DecisionReport.Silent.
	Met int `json:"met"`
}

// DecisionReport is the 30-day decision log report: which review surfaced
// what, who owns it, and what changes in the next 30 days as a result.
type DecisionReport struct {
	// AsOf is the report date, in the cadence's time zone.
	AsOf time.Time `json:"as_of"`
	// WindowDays is the cadence's decision window.
	WindowDays int `json:"window_days"`
	// Changed are the decisions done in the window before AsOf, with what
	// changed, most recent first.
	Changed []Decision `json:"changed"`
	// Upcoming are the open decisions due in the window after AsOf:
	// what changes next, earliest first.
	Upcoming []Decision `json:"upcoming"`
	// Overdue are the open decisions past their due date, most overdue
	// first.
	Overdue []Decision `json:"overdue"`
	// Slow are decisions due (or done) more than the window after they
	// were made: nothing changes within the window as a result.
	Slow []Decision `json:"slow,omitempty"`
	// Silent lists the rituals that met in the window before AsOf and
	// recorded no decision: a ritual that decides nothing is theatre.
	Silent []string `json:"silent,omitempty"`
	// Rituals counts the decisions of each ritual, in cadence order.
	Rituals []RitualDecisions `json:"rituals"`
	// Errors lists the decisions that could not be used.
	Errors []revalign.RecordError `json:"errors,omitempty"`
}

// Decisions reports on the decision log as of asOf. The window is the
// cadence's DecisionWindowDays, counted in calendar days in the cadence's
// time zone (its calendar's location, UTC when none), and the meetings are
// those of [Cadence.Schedule] in that zone: the zone asOf is given in
// changes nothing.
//
// A decision without an ID, with a duplicate ID, an unknown ritual, no
// owner, no made or due date, a due date before it was made, or done before
// it was made is reported in Errors and left out. The error is non-nil only
// for an invalid cadence or a zero asOf.
func (c Cadence) Decisions(log []Decision, asOf time.Time) (DecisionReport, error) {
	if err := c.Validate(); err != nil {
		return DecisionReport{}, err
	}
	if asOf.IsZero() {
		return DecisionReport{}, &revalign.FieldError{Pkg: pkg, Path: "as_of", Reason: "the report needs an as-of time"}
	}
	loc := c.Calendar.Location
	if loc == nil {
		loc = time.UTC
	}
	asOf = asOf.In(loc)
	w := c.DecisionWindowDays
	from, to := asOf.AddDate(0, 0, -w), asOf.AddDate(0, 0, w)
	rep := DecisionReport{AsOf: asOf, WindowDays: w}
	index := make(map[string]int, len(c.Rituals))
	for i, r := range c.Rituals {
		index[r.Key] = i
		rep.Rituals = append(rep.Rituals, RitualDecisions{Ritual: r.Key})
	}
	tt, err := c.Schedule(from, asOf.Add(time.Nanosecond), loc)
	if err != nil {
		return DecisionReport{}, err
	}
	for _, m := range tt.Meetings {
		rep.Rituals[index[m.Ritual]].Met++
	}
	seen := map[string]bool{}
	for i, d := range log {
		if err := checkDecision(d, index, seen); err != nil {
			rep.Errors = append(rep.Errors, recordError(d.ID, "log", i, err))
			continue
		}
		seen[d.ID] = true
		rd := &rep.Rituals[index[d.Ritual]]
		if d.MadeAt.After(from) && !d.MadeAt.After(asOf) {
			rd.Made++
		}
		done := !d.DoneAt.IsZero() && !d.DoneAt.After(asOf)
		end := d.Due
		if done {
			end = d.DoneAt
		}
		if end.After(d.MadeAt.AddDate(0, 0, w)) {
			rep.Slow = append(rep.Slow, d)
		}
		switch {
		case done && d.DoneAt.After(from):
			rep.Changed = append(rep.Changed, d)
			rd.Changed++
		case done:
		case d.Due.Before(asOf):
			rep.Overdue = append(rep.Overdue, d)
			rd.Overdue++
		case !d.Due.After(to):
			rep.Upcoming = append(rep.Upcoming, d)
			rd.Upcoming++
		}
	}
	for _, rd := range rep.Rituals {
		if rd.Met > 0 && rd.Made == 0 {
			rep.Silent = append(rep.Silent, rd.Ritual)
		}
	}
	byTime := func(get func(Decision) time.Time, desc bool) func(a, b Decision) int {
		return func(a, b Decision) int {
			c := get(a).Compare(get(b))
			if desc {
				c = -c
			}
			if c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		}
	}
	due := func(d Decision) time.Time { return d.Due }
	slices.SortFunc(rep.Changed, byTime(func(d Decision) time.Time { return d.DoneAt }, true))
	slices.SortFunc(rep.Upcoming, byTime(due, false))
	slices.SortFunc(rep.Overdue, byTime(due, false))
	slices.SortFunc(rep.Slow, byTime(func(d Decision) time.Time { return d.MadeAt }, false))
	return rep, nil
}

func checkDecision(d Decision, rituals map[string]int, seen map[string]bool) error {
	v := validator()
	v.Check(!blank(d.ID), "id", d.ID, "decision needs an ID")
	v.Check(!seen[d.ID], "id", d.ID, "duplicate decision ID, ignored")
	_, known := rituals[d.Ritual]
	v.Check(known, "ritual", d.Ritual, "no ritual with this key in the cadence")
	v.Check(!blank(d.What), "decision", d.What, "say what was decided")
	checkOwner(&v, "owner", d.Owner, "decision needs an owner")
	if v.Check(!d.MadeAt.IsZero(), "made_at", nil, "decision needs the date it was made") {
		v.Check(!d.Due.IsZero() && !d.Due.Before(d.MadeAt), "due", d.Due.Format(time.DateOnly), "decision needs a due date on or after the day it was made")
		v.Check(d.DoneAt.IsZero() || !d.DoneAt.Before(d.MadeAt), "done_at", d.DoneAt.Format(time.DateOnly), "done before it was made")
	}
	return v.Err()
}
