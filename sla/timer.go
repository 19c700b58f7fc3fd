package sla

import (
	"slices"
	"time"

	"github.com/revalign/revalign"
)

// TimerAction is what happens to a [Timer] at an instant. In JSON it is
// text: "start", "pause", "resume", "reset" or "stop".
type TimerAction string

// The timer actions, as ServiceNow's SLA conditions name them.
const (
	// TimerStart starts the clock; it must be a timer's first event.
	TimerStart TimerAction = "start"
	// TimerPause stops the clock without losing the time elapsed (a lead
	// waiting on the customer, a ticket in Pending); valid while running.
	TimerPause TimerAction = "pause"
	// TimerResume restarts a paused clock from where it stopped.
	TimerResume TimerAction = "resume"
	// TimerReset zeroes the elapsed and paused time and starts the clock
	// again at its instant, running (a reset while paused resumes): a new
	// SLA for the same record, as when a lead is reassigned. Valid while
	// running or paused.
	TimerReset TimerAction = "reset"
	// TimerStop ends the timer for good (the lead was touched): its
	// elapsed time is final. No event may follow it.
	TimerStop TimerAction = "stop"
)

// TimerEvent is one action on a timer and when it happened.
type TimerEvent struct {
	// Action is what happened.
	Action TimerAction `json:"action"`
	// At is when it happened; the zero time is an error.
	At time.Time `json:"at"`
}

// TimerState is the state of a [Timer] at an instant. In JSON it is text.
type TimerState string

// The timer states.
const (
	// TimerIdle: not started yet (no start at or before the instant).
	TimerIdle TimerState = "idle"
	// TimerRunning: the clock runs (in business hours).
	TimerRunning TimerState = "running"
	// TimerPaused: the clock is paused.
	TimerPaused TimerState = "paused"
	// TimerStopped: the timer has stopped; its elapsed time is final.
	TimerStopped TimerState = "stopped"
)

// Timer is a pausable SLA timer over a business-hours [Calendar], in the
// manner of ServiceNow's task SLAs: a history of start, pause, resume,
// reset and stop events, read as of any instant. Its elapsed time counts
// only the calendar's open hours while it runs: a pause keeps the time
// elapsed so far, a resume carries on from it, a reset zeroes it and starts
// afresh, a stop freezes it. Its breach time is the instant the elapsed
// time reaches the target:
//
//	breach time = Calendar.Add(start, target + time paused)
//
// with the time paused counted in business time, so that every pause
// pushes the breach time back by its length in business hours. A timer is
// breached once its elapsed time exceeds the target (reaching it exactly
// is still in time, as in [Pact.Evaluate]).
//
// Events after the instant read are ignored: they have not happened yet.
// Build a Timer with [NewTimer]; the zero Timer has no events and is idle
// forever. A Timer is immutable and safe for concurrent use; reading it
// allocates nothing.
type Timer struct {
	cal    *Calendar
	target time.Duration
	events []TimerEvent
}

// NewTimer returns a timer with the given target over cal (a nil cal
// counts elapsed calendar time, every hour of every day) and its events,
// which it copies. The events must be in time order (equal times keep their
// order) and make sense one after the other: the first is a start, a pause
// comes while running, a resume while paused, a reset while running or
// paused, a stop while running or paused and nothing after it; a repeated
// action (a second start, pause or resume) is a duplicate. An event with
// the zero time, or with a time outside the years a Calendar covers, is an
// error, and so is a target that is not positive. Every problem is
// reported, each naming the event (events[2].action).
func NewTimer(cal *Calendar, target time.Duration, events []TimerEvent) (Timer, error) {
	v := revalign.Validator{Pkg: "sla"}
	v.Check(target > 0, "target", target.String(), "must be > 0")
	state := TimerIdle
	for i, ev := range events {
		p := revalign.Index("events", i)
		switch {
		case ev.At.IsZero():
			v.Add(p+".at", nil, "event needs a time, not the zero time.Time")
		case !covered(ev.At):
			v.Nest(p, rangeError("at", ev.At))
		case i > 0 && ev.At.Before(events[i-1].At):
			v.Add(p+".at", ev.At.Format(time.RFC3339Nano), "before the previous event ("+events[i-1].At.Format(time.RFC3339Nano)+"): events must be in time order")
		}
		next, reason := state.after(ev.Action)
		if reason != "" {
			v.Add(p+".action", string(ev.Action), reason)
			continue
		}
		state = next
	}
	if err := v.Err(); err != nil {
		return Timer{}, err
	}
	return Timer{cal: cal, target: target, events: slices.Clone(events)}, nil
}

// after returns the state after action a in state s, or why a cannot
// happen in s.
func (s TimerState) after(a TimerAction) (TimerState, string) {
	switch a {
	case TimerStart:
		if s == TimerIdle {
			return TimerRunning, ""
		}
	case TimerPause:
		if s == TimerRunning {
			return TimerPaused, ""
		}
	case TimerResume:
		if s == TimerPaused {
			return TimerRunning, ""
		}
	case TimerReset:
		if s == TimerRunning || s == TimerPaused {
			return TimerRunning, ""
		}
	case TimerStop:
		if s == TimerRunning || s == TimerPaused {
			return TimerStopped, ""
		}
	default:
		return s, "unknown action (want start, pause, resume, reset or stop)"
	}
	switch {
	case s == TimerStopped:
		return s, "the timer has stopped: no event may follow a stop"
	case s == TimerIdle:
		return s, "the timer has not started: the first event must be a start"
	case a == TimerStart:
		return s, "duplicate start: the timer has started (reset it to start afresh)"
	case a == TimerPause:
		return s, "duplicate pause: the timer is already paused"
	}
	return s, "duplicate resume: the timer is running"
}

// Target returns the time the timer allows.
func (t Timer) Target() time.Duration { return t.target }

// Calendar returns the calendar the timer counts in (nil: calendar time).
func (t Timer) Calendar() *Calendar { return t.cal }

// Events returns a copy of the timer's events.
func (t Timer) Events() []TimerEvent { return slices.Clone(t.events) }

// TimerStatus is a [Timer] read as of an instant.
type TimerStatus struct {
	// State is the timer's state at the instant.
	State TimerState `json:"state"`
	// Started is the start of the current cycle: the start, or the last
	// reset. Zero while idle.
	Started time.Time `json:"started,omitzero"`
	// Elapsed is the business time the clock ran since Started, pauses
	// excluded: the time counted against the target.
	Elapsed time.Duration `json:"elapsed_ns"`
	// Paused is the business time spent paused since Started (up to the
	// instant, for a timer paused then).
	Paused time.Duration `json:"paused_ns"`
	// Remaining is the target minus Elapsed; negative once breached.
	Remaining time.Duration `json:"remaining_ns"`
	// Breached is true once Elapsed exceeds the target.
	Breached bool `json:"breached"`
	// BreachAt is the instant the elapsed time reaches the target:
	// Calendar.Add(Started, target + Paused). Once breached it is when that
	// happened; for a running timer, when it will happen unless it pauses;
	// for a paused one, when it would happen were it resumed at the
	// instant. Zero while idle, and for a timer stopped in time.
	BreachAt time.Time `json:"breach_at,omitzero"`
}

// Status reads the timer as of asOf: its state, elapsed and paused
// business time, what remains of the target, and its breach time. Events
// after asOf are ignored. It allocates nothing.
func (t Timer) Status(asOf time.Time) TimerStatus {
	st := TimerStatus{State: TimerIdle}
	var since time.Time // start of the current running or paused stretch
	for _, ev := range t.events {
		if ev.At.After(asOf) {
			break
		}
		switch ev.Action {
		case TimerStart, TimerReset:
			st = TimerStatus{State: TimerRunning, Started: ev.At}
		case TimerPause:
			t.run(&st, since, ev.At)
			st.State = TimerPaused
		case TimerResume:
			st.Paused += t.between(since, ev.At)
			st.State = TimerRunning
		case TimerStop:
			if st.State == TimerRunning {
				t.run(&st, since, ev.At)
			} else {
				st.Paused += t.between(since, ev.At)
			}
			st.State = TimerStopped
		}
		since = ev.At
	}
	switch st.State {
	case TimerIdle:
		return st
	case TimerRunning:
		t.run(&st, since, asOf)
	case TimerPaused:
		st.Paused += t.between(since, asOf)
	}
	st.Remaining = t.target - st.Elapsed
	if !st.Breached && st.State != TimerStopped {
		st.BreachAt = t.add(st.Started, t.target+st.Paused)
	}
	return st
}

// Elapsed returns the business time the timer has counted as of asOf: the
// clock's running time since the start or the last reset, pauses excluded.
func (t Timer) Elapsed(asOf time.Time) time.Duration { return t.Status(asOf).Elapsed }

// run counts the running stretch [from, to), noting the breach if the
// elapsed time passes the target in it.
func (t Timer) run(st *TimerStatus, from, to time.Time) {
	st.Elapsed += t.between(from, to)
	if !st.Breached && st.Elapsed > t.target {
		st.Breached = true
		st.BreachAt = t.add(st.Started, t.target+st.Paused)
	}
}

func (t Timer) between(a, b time.Time) time.Duration {
	if t.cal == nil {
		return b.Sub(a)
	}
	return t.cal.Between(a, b)
}

func (t Timer) add(a time.Time, d time.Duration) time.Time {
	if t.cal == nil {
		return a.Add(d)
	}
	return t.cal.Add(a, d)
}
