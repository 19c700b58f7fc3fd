package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/revalign/revalign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTimerHandWorked reads timers whose figures are worked by hand below
// (New York; 09:00–17:00 Monday to Friday with Thanksgiving, Thursday 26
// November 2026, closed; or open around the clock across the fall-back
// night of Sunday 1 November 2026, when 01:00–02:00 happens twice).
func TestTimerHandWorked(t *testing.T) {
	ny := zone(t, "America/New_York")
	nineFive := mustCal(t, ny, Weekdays(Hours(9, 17)), OneOff("Thanksgiving", Date{2026, time.November, 26}))
	iv24 := []Interval{Hours(0, 24)}
	allDay := mustCal(t, ny, Week{Monday: iv24, Tuesday: iv24, Wednesday: iv24, Thursday: iv24, Friday: iv24, Saturday: iv24, Sunday: iv24})
	d := func(m time.Month, day, h, min int) time.Time { return at(ny, 2026, m, day, h, min) }
	utc := func(day, h, min int) time.Time {
		return time.Date(2026, time.November, day, h, min, 0, 0, time.UTC).In(ny)
	}
	ev := func(a TimerAction, at time.Time) TimerEvent { return TimerEvent{Action: a, At: at} }

	tests := []struct {
		name    string
		cal     *Calendar
		target  time.Duration
		events  []TimerEvent
		asOf    time.Time
		want    TimerStatus // Remaining is checked as target − Elapsed
		elapsed time.Duration
	}{
		{
			// Friday 16:00–16:30 runs 30 min; the pause to Monday 09:15
			// holds 30 min of Friday and 15 of Monday; Monday 09:15–10:00
			// runs 45 min. Breach: 2h + 45 min of business time from Friday
			// 16:00 is Friday's last hour and 1h45 of Monday: 10:45.
			name: "a pause over the weekend keeps the time elapsed", cal: nineFive, target: 2 * time.Hour,
			events: []TimerEvent{ev(TimerStart, d(9, 25, 16, 0)), ev(TimerPause, d(9, 25, 16, 30)), ev(TimerResume, d(9, 28, 9, 15))},
			asOf:   d(9, 28, 10, 0),
			want:   TimerStatus{State: TimerRunning, Started: d(9, 25, 16, 0), Elapsed: 75 * time.Minute, Paused: 45 * time.Minute, BreachAt: d(9, 28, 10, 45)},
		},
		{
			// Wednesday 15:00–17:00 is 2h, Thanksgiving 0, Friday 09:00–12:00
			// 3h: 5h against 4h. It reached 4h on Friday at 11:00.
			name: "a holiday counts nothing", cal: nineFive, target: 4 * time.Hour,
			events: []TimerEvent{ev(TimerStart, d(11, 25, 15, 0))},
			asOf:   d(11, 27, 12, 0),
			want:   TimerStatus{State: TimerRunning, Started: d(11, 25, 15, 0), Elapsed: 5 * time.Hour, Breached: true, BreachAt: d(11, 27, 11, 0)},
		},
		{
			// Wednesday 15:00–16:00 runs 1h; paused Wednesday 16:00–17:00 and
			// Friday 09:00–09:30 (Thanksgiving counts nothing): 1h30; Friday
			// 09:30–12:00 runs 2h30. Breach: start + 4h + 1h30 paused = 2h
			// on Wednesday and 3h30 on Friday: 12:30.
			name: "a pause across the holiday pushes the breach back", cal: nineFive, target: 4 * time.Hour,
			events: []TimerEvent{ev(TimerStart, d(11, 25, 15, 0)), ev(TimerPause, d(11, 25, 16, 0)), ev(TimerResume, d(11, 27, 9, 30))},
			asOf:   d(11, 27, 12, 0),
			want:   TimerStatus{State: TimerRunning, Started: d(11, 25, 15, 0), Elapsed: 210 * time.Minute, Paused: 90 * time.Minute, BreachAt: d(11, 27, 12, 30)},
		},
		{
			// Still paused as of Friday 09:29: paused 1h + 29 min; the
			// breach were it resumed now: 2h on Wednesday, then 3h29 on
			// Friday (3h left from 09:29): 12:29.
			name: "a paused timer's breach time moves with the pause", cal: nineFive, target: 4 * time.Hour,
			events: []TimerEvent{ev(TimerStart, d(11, 25, 15, 0)), ev(TimerPause, d(11, 25, 16, 0)), ev(TimerResume, d(11, 27, 9, 30))},
			asOf:   d(11, 27, 9, 29), // before the resume
			want:   TimerStatus{State: TimerPaused, Started: d(11, 25, 15, 0), Elapsed: time.Hour, Paused: 89 * time.Minute, BreachAt: d(11, 27, 12, 29)},
		},
		{
			// Open around the clock: Saturday 23:00 EDT (03:00Z) to 00:30
			// EDT (04:30Z) runs 1h30; paused to 01:30 EST (06:30Z), 2h of
			// real time over the repeated hour; runs to 03:00 EST (08:00Z),
			// 1h30. The wall clock shows 4h from start to asOf, the day
			// holds 5. Breach: start + 4h + 2h = 09:00Z, 04:00 EST.
			name: "fall back: the repeated hour counts", cal: allDay, target: 4 * time.Hour,
			events: []TimerEvent{ev(TimerStart, utc(1, 3, 0)), ev(TimerPause, utc(1, 4, 30)), ev(TimerResume, utc(1, 6, 30))},
			asOf:   utc(1, 8, 0),
			want:   TimerStatus{State: TimerRunning, Started: utc(1, 3, 0), Elapsed: 3 * time.Hour, Paused: 2 * time.Hour, BreachAt: utc(1, 9, 0)},
		},
		{
			name: "no calendar counts calendar time, the same across fall back", cal: nil, target: 4 * time.Hour,
			events: []TimerEvent{ev(TimerStart, utc(1, 3, 0)), ev(TimerPause, utc(1, 4, 30)), ev(TimerResume, utc(1, 6, 30))},
			asOf:   utc(1, 8, 0),
			want:   TimerStatus{State: TimerRunning, Started: utc(1, 3, 0), Elapsed: 3 * time.Hour, Paused: 2 * time.Hour, BreachAt: utc(1, 9, 0)},
		},
		{
			// Monday 09:00–10:00 runs 1h, paused 10:00–11:00; the reset at
			// 11:00 zeroes both and runs again: 1h30 by 12:30, breach at
			// 11:00 + 2h.
			name: "a reset zeroes the elapsed time and restarts", cal: nineFive, target: 2 * time.Hour,
			events: []TimerEvent{ev(TimerStart, d(9, 28, 9, 0)), ev(TimerPause, d(9, 28, 10, 0)), ev(TimerReset, d(9, 28, 11, 0))},
			asOf:   d(9, 28, 12, 30),
			want:   TimerStatus{State: TimerRunning, Started: d(9, 28, 11, 0), Elapsed: 90 * time.Minute, BreachAt: d(9, 28, 13, 0)},
		},
		{
			name: "a timer stopped in time has no breach", cal: nineFive, target: time.Hour,
			events: []TimerEvent{ev(TimerStart, d(9, 28, 16, 40)), ev(TimerStop, d(9, 29, 9, 20))}, // 20 + 20 min
			asOf:   d(10, 5, 9, 0),
			want:   TimerStatus{State: TimerStopped, Started: d(9, 28, 16, 40), Elapsed: 40 * time.Minute},
		},
		{
			name: "a timer stopped late keeps its breach", cal: nineFive, target: time.Hour,
			events: []TimerEvent{ev(TimerStart, d(9, 28, 16, 30)), ev(TimerPause, d(9, 28, 16, 45)), ev(TimerResume, d(9, 29, 9, 15)),
				ev(TimerStop, d(9, 29, 10, 30))}, // runs 15 + 75 min, paused 15 + 15
			asOf: d(10, 5, 9, 0),
			want: TimerStatus{State: TimerStopped, Started: d(9, 28, 16, 30), Elapsed: 90 * time.Minute, Paused: 30 * time.Minute,
				Breached: true, BreachAt: d(9, 29, 10, 0)},
		},
		{
			name: "a stop while paused ends the pause", cal: nineFive, target: time.Hour,
			events: []TimerEvent{ev(TimerStart, d(9, 28, 9, 0)), ev(TimerPause, d(9, 28, 9, 30)), ev(TimerStop, d(9, 28, 11, 0))},
			asOf:   d(9, 28, 12, 0),
			want:   TimerStatus{State: TimerStopped, Started: d(9, 28, 9, 0), Elapsed: 30 * time.Minute, Paused: 90 * time.Minute},
		},
		{
			name: "events after asOf have not happened", cal: nineFive, target: time.Hour,
			events: []TimerEvent{ev(TimerStart, d(9, 28, 9, 0)), ev(TimerPause, d(9, 28, 9, 30)), ev(TimerStop, d(9, 28, 11, 0))},
			asOf:   d(9, 28, 9, 20),
			want:   TimerStatus{State: TimerRunning, Started: d(9, 28, 9, 0), Elapsed: 20 * time.Minute, BreachAt: d(9, 28, 10, 0)},
		},
		{
			name: "before the start it is idle", cal: nineFive, target: time.Hour,
			events: []TimerEvent{ev(TimerStart, d(9, 28, 9, 0))},
			asOf:   d(9, 28, 8, 0),
			want:   TimerStatus{State: TimerIdle, Remaining: 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := NewTimer(tt.cal, tt.target, tt.events)
			require.NoError(t, err)
			got := tm.Status(tt.asOf)
			want := tt.want
			if want.State != TimerIdle {
				want.Remaining = tt.target - want.Elapsed
			}
			assert.Equal(t, want.State, got.State)
			assert.True(t, want.Started.Equal(got.Started), "started %v, want %v", got.Started, want.Started)
			assert.Equal(t, [3]time.Duration{want.Elapsed, want.Paused, want.Remaining}, [3]time.Duration{got.Elapsed, got.Paused, got.Remaining}, "elapsed, paused, remaining")
			assert.Equal(t, want.Breached, got.Breached)
			assert.True(t, want.BreachAt.Equal(got.BreachAt), "breach at %v, want %v", got.BreachAt, want.BreachAt)
			assert.Equal(t, got.Elapsed, tm.Elapsed(tt.asOf))
			if got.State == TimerRunning || got.State == TimerPaused {
				// ServiceNow's rule: breach time = start + target + time
				// paused, in business time.
				cal := tt.cal
				if cal == nil {
					assert.True(t, got.Started.Add(tt.target+got.Paused).Equal(got.BreachAt) || got.Breached)
				} else if !got.Breached {
					assert.True(t, cal.Add(got.Started, tt.target+got.Paused).Equal(got.BreachAt))
				}
				if last := tt.events[len(tt.events)-1].At; !got.Breached && got.State == TimerRunning && !last.After(tt.asOf) {
					assert.Equal(t, tt.target, tm.Elapsed(got.BreachAt), "the elapsed time reaches the target at the breach time")
				}
			}
		})
	}
}

func TestTimerValidation(t *testing.T) {
	t0 := time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)
	ev := func(a TimerAction, min int) TimerEvent {
		return TimerEvent{Action: a, At: t0.Add(time.Duration(min) * time.Minute)}
	}
	tests := []struct {
		name   string
		target time.Duration
		events []TimerEvent
		want   []string
	}{
		{"no start", time.Hour, []TimerEvent{ev(TimerPause, 0)},
			[]string{`sla: events[0].action: the timer has not started: the first event must be a start, got "pause"`}},
		{"duplicate start", time.Hour, []TimerEvent{ev(TimerStart, 0), ev(TimerStart, 5)},
			[]string{`sla: events[1].action: duplicate start: the timer has started (reset it to start afresh), got "start"`}},
		{"duplicate pause", time.Hour, []TimerEvent{ev(TimerStart, 0), ev(TimerPause, 5), ev(TimerPause, 5)},
			[]string{`sla: events[2].action: duplicate pause: the timer is already paused, got "pause"`}},
		{"duplicate resume", time.Hour, []TimerEvent{ev(TimerStart, 0), ev(TimerResume, 5)},
			[]string{`sla: events[1].action: duplicate resume: the timer is running, got "resume"`}},
		{"after stop", time.Hour, []TimerEvent{ev(TimerStart, 0), ev(TimerStop, 5), ev(TimerReset, 6)},
			[]string{`sla: events[2].action: the timer has stopped: no event may follow a stop, got "reset"`}},
		{"unknown action", time.Hour, []TimerEvent{ev(TimerStart, 0), ev("cancel", 5)},
			[]string{`sla: events[1].action: unknown action (want start, pause, resume, reset or stop), got "cancel"`}},
		{"out of order", time.Hour, []TimerEvent{ev(TimerStart, 10), ev(TimerPause, 5)},
			[]string{`sla: events[1].at: before the previous event (2026-09-28T09:10:00Z): events must be in time order, got "2026-09-28T09:05:00Z"`}},
		{"zero time", time.Hour, []TimerEvent{ev(TimerStart, 0), {Action: TimerStop}},
			[]string{"sla: events[1].at: event needs a time, not the zero time.Time"}},
		{"outside the covered years", time.Hour, []TimerEvent{{Action: TimerStart, At: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}},
			[]string{`sla: events[0].at: outside the years a calendar covers (1900-01-02 to 2199-12-30 UTC), got "9999-01-01T00:00:00Z"`}},
		{"every problem at once", 0, []TimerEvent{ev(TimerPause, 0), ev(TimerStart, -1)},
			[]string{`sla: target: must be > 0, got "0s"`, `sla: events[0].action: the timer has not started`, `sla: events[1].at: before the previous event`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewTimer(nil, tt.target, tt.events)
			require.ErrorIs(t, err, revalign.ErrInvalid)
			for _, w := range tt.want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
	// Equal times keep their order: a lead that arrives in a waiting state.
	tm, err := NewTimer(nil, time.Hour, []TimerEvent{ev(TimerStart, 0), ev(TimerPause, 0), ev(TimerResume, 30)})
	require.NoError(t, err)
	assert.Equal(t, 30*time.Minute, tm.Elapsed(t0.Add(time.Hour)))
	assert.Equal(t, time.Hour, tm.Target())
	assert.Len(t, tm.Events(), 3)
	assert.Nil(t, tm.Calendar())
	assert.Equal(t, TimerStatus{State: TimerIdle}, Timer{}.Status(t0), "the zero Timer is idle")
}

// TestTimerProperties: for random histories on a calendar with a lunch
// break, holidays and clock changes, Elapsed + Paused is the business time
// since Started while the timer runs or is paused, Elapsed never decreases
// between resets, and reading allocates nothing.
func TestTimerProperties(t *testing.T) {
	cal := propertyCalendars(t)["Berlin lunch"]
	rng := rand.New(rand.NewPCG(7, 7))
	actions := []TimerAction{TimerPause, TimerResume, TimerReset, TimerStop}
	for range 300 {
		at := time.Date(2026, time.March, 1+rng.IntN(30), rng.IntN(24), rng.IntN(60), 0, 0, time.UTC)
		events := []TimerEvent{{TimerStart, at}}
		state := TimerRunning
		for range rng.IntN(8) {
			at = at.Add(time.Duration(rng.IntN(3000)) * time.Minute)
			a := actions[rng.IntN(len(actions))]
			next, reason := state.after(a)
			if reason != "" || (a == TimerStop && rng.IntN(3) > 0) {
				continue
			}
			events, state = append(events, TimerEvent{a, at}), next
		}
		tm, err := NewTimer(cal, time.Duration(1+rng.IntN(40))*time.Hour, events)
		require.NoError(t, err)
		var prev TimerStatus
		for k := range 20 {
			asOf := events[0].At.Add(time.Duration(k) * 8 * time.Hour)
			st := tm.Status(asOf)
			if st.State == TimerRunning || st.State == TimerPaused {
				require.Equal(t, cal.Between(st.Started, asOf), st.Elapsed+st.Paused, "%v as of %v", events, asOf)
			}
			if st.Started.Equal(prev.Started) {
				require.GreaterOrEqual(t, st.Elapsed, prev.Elapsed)
			}
			prev = st
		}
		allocs := testing.AllocsPerRun(10, func() { _ = tm.Status(at) })
		require.Zero(t, allocs)
	}
}
