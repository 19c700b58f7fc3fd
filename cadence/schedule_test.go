package cadence

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

// one returns a cadence with a single ritual meeting per rec.
func one(rec Recurrence, hol ...Holiday) Cadence {
	c := DefaultCadence()
	r := c.Rituals[0]
	r.When = rec
	r.Agenda = nil
	r.Escalations = nil
	c.Rituals = []Ritual{r}
	c.Holidays = hol
	return c
}

func starts(tt Timetable) []time.Time {
	out := make([]time.Time, len(tt.Meetings))
	for i, o := range tt.Meetings {
		out[i] = o.Start.UTC()
	}
	return out
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestScheduleAcrossDST(t *testing.T) {
	weekly := one(Recurrence{Every: revalign.Week, Weekday: Monday, At: At(10, 0), DurationMinutes: 45})
	// New York: clocks spring forward on Sunday 8 March 2026 and fall back
	// on Sunday 1 November 2026. 10:00 is 15:00 UTC in winter (EST, −5)
	// and 14:00 UTC in summer (EDT, −4).
	tt, err := weekly.Schedule(time.Date(2026, 3, 1, 0, 0, 0, 0, newYork), time.Date(2026, 3, 17, 0, 0, 0, 0, newYork), newYork)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{utc(2026, 3, 2, 15, 0), utc(2026, 3, 9, 14, 0), utc(2026, 3, 16, 14, 0)}, starts(tt))
	for _, o := range tt.Meetings {
		assert.Equal(t, 10, o.Start.Hour(), "10:00 local on both sides")
		assert.Equal(t, 45*time.Minute, o.End.Sub(o.Start))
		assert.False(t, o.Moved())
	}
	tt, err = weekly.Schedule(time.Date(2026, 10, 26, 0, 0, 0, 0, newYork), time.Date(2026, 11, 3, 0, 0, 0, 0, newYork), newYork)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{utc(2026, 10, 26, 14, 0), utc(2026, 11, 2, 15, 0)}, starts(tt))

	// A meeting in the spring gap (02:30 does not exist on 8 March) is read
	// with the offset before the gap: 02:30 EST = 07:30 UTC = 03:30 EDT. One
	// in the autumn overlap (01:30 happens twice on 1 November) is the
	// first: 01:30 EDT = 05:30 UTC.
	sunday := func(h, m int) Cadence {
		return one(Recurrence{Every: revalign.Week, Weekday: Sunday, At: At(h, m), DurationMinutes: 60})
	}
	tt, err = sunday(2, 30).Schedule(time.Date(2026, 3, 7, 0, 0, 0, 0, newYork), time.Date(2026, 3, 9, 0, 0, 0, 0, newYork), newYork)
	require.NoError(t, err)
	require.Len(t, tt.Meetings, 1)
	assert.Equal(t, utc(2026, 3, 8, 7, 30), tt.Meetings[0].Start.UTC())
	assert.Equal(t, 3, tt.Meetings[0].Start.Hour())
	tt, err = sunday(1, 30).Schedule(time.Date(2026, 10, 31, 0, 0, 0, 0, newYork), time.Date(2026, 11, 2, 0, 0, 0, 0, newYork), newYork)
	require.NoError(t, err)
	require.Len(t, tt.Meetings, 1)
	assert.Equal(t, utc(2026, 11, 1, 5, 30), tt.Meetings[0].Start.UTC())
	assert.Equal(t, utc(2026, 11, 1, 6, 30), tt.Meetings[0].End.UTC(), "60 elapsed minutes: 01:30 EST")

	// Europe/Berlin springs forward on 29 March 2026 at 02:00.
	berlin := mustLoad("Europe/Berlin")
	tt, err = sunday(2, 15).Schedule(time.Date(2026, 3, 28, 0, 0, 0, 0, berlin), time.Date(2026, 3, 30, 0, 0, 0, 0, berlin), berlin)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{utc(2026, 3, 29, 1, 15)}, starts(tt), "02:15 CET = 01:15 UTC = 03:15 CEST")
}

func usHolidays() []Holiday {
	return []Holiday{
		Fixed("New Year's Day", time.January, 1, true),
		Fixed("Independence Day", time.July, 4, true),
		Floating("Labor Day", time.September, 1, Monday),
		Floating("Thanksgiving", time.November, 4, Thursday),
		Floating("Memorial Day", time.May, -1, Monday),
		Fixed("Christmas Day", time.December, 25, true),
		OnDate("Company offsite", 2026, time.October, 13),
	}
}

func TestScheduleHolidays(t *testing.T) {
	weekly := one(Recurrence{Every: revalign.Week, Weekday: Monday, At: At(10, 0), DurationMinutes: 45}, usHolidays()...)
	from, to := time.Date(2026, 8, 31, 0, 0, 0, 0, newYork), time.Date(2026, 9, 15, 0, 0, 0, 0, newYork)
	tt, err := weekly.Schedule(from, to, newYork)
	require.NoError(t, err)
	// Labor Day is Monday 7 September 2026: skipped.
	assert.Equal(t, []time.Time{utc(2026, 8, 31, 14, 0), utc(2026, 9, 14, 14, 0)}, starts(tt))
	require.Len(t, tt.Skipped, 1)
	assert.Equal(t, "Labor Day", tt.Skipped[0].Holiday)
	assert.Equal(t, utc(2026, 9, 7, 14, 0), tt.Skipped[0].Nominal.UTC())

	weekly.OnHoliday = NextBusinessDay
	tt, err = weekly.Schedule(from, to, newYork)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{utc(2026, 8, 31, 14, 0), utc(2026, 9, 8, 14, 0), utc(2026, 9, 14, 14, 0)}, starts(tt))
	assert.Empty(t, tt.Skipped)
	assert.True(t, tt.Meetings[1].Moved())
	assert.Equal(t, "Labor Day", tt.Meetings[1].Holiday)

	// Observed holidays: 4 July 2026 is a Saturday, observed Friday 3
	// July; 1 January 2028 is a Saturday, observed Friday 31 December 2027;
	// Christmas 2027 is a Saturday, observed Friday 24 December. A Friday
	// ritual moved to the next business day skips the weekend.
	friday := one(Recurrence{Every: revalign.Week, Weekday: Friday, At: At(16, 0), DurationMinutes: 30}, usHolidays()...)
	friday.OnHoliday = NextBusinessDay
	tt, err = friday.Schedule(time.Date(2026, 7, 1, 0, 0, 0, 0, newYork), time.Date(2026, 7, 8, 0, 0, 0, 0, newYork), newYork)
	require.NoError(t, err)
	require.Len(t, tt.Meetings, 1)
	assert.Equal(t, time.Date(2026, 7, 6, 16, 0, 0, 0, newYork), tt.Meetings[0].Start, "Friday 3 July observed: moved to Monday 6 July")
	assert.Equal(t, "Independence Day", tt.Meetings[0].Holiday)
	friday.OnHoliday = Skip
	tt, err = friday.Schedule(time.Date(2027, 12, 20, 0, 0, 0, 0, newYork), time.Date(2028, 1, 8, 0, 0, 0, 0, newYork), newYork)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{utc(2028, 1, 7, 21, 0)}, starts(tt))
	require.Len(t, tt.Skipped, 2)
	assert.Equal(t, []string{"Christmas Day", "New Year's Day"}, []string{tt.Skipped[0].Holiday, tt.Skipped[1].Holiday})

	// A one-off date: the company offsite on the second Tuesday of
	// October 2026 skips the monthly SLA review.
	monthly := one(Recurrence{Every: revalign.Month, Nth: 2, Weekday: Tuesday, At: At(14, 0), DurationMinutes: 60}, usHolidays()...)
	tt, err = monthly.Schedule(time.Date(2026, 9, 1, 0, 0, 0, 0, newYork), time.Date(2027, 1, 1, 0, 0, 0, 0, newYork), newYork)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{utc(2026, 9, 8, 18, 0), utc(2026, 11, 10, 19, 0), utc(2026, 12, 8, 19, 0)}, starts(tt))
	require.Len(t, tt.Skipped, 1)
	assert.Equal(t, "Company offsite", tt.Skipped[0].Holiday)
}

func TestScheduleRecurrences(t *testing.T) {
	febFY := func(c Cadence) Cadence {
		c.Calendar = revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: newYork}
		return c
	}
	from, to := time.Date(2026, 8, 1, 0, 0, 0, 0, newYork), time.Date(2027, 5, 1, 0, 0, 0, 0, newYork)
	tests := []struct {
		name string
		rec  Recurrence
		want []time.Time // local dates at the meeting time, New York
	}{
		{"first Tuesday of the fiscal quarter", Recurrence{Every: revalign.Quarter, Nth: 1, Weekday: Tuesday, At: At(13, 0), DurationMinutes: 90},
			[]time.Time{time.Date(2026, 8, 4, 13, 0, 0, 0, newYork), time.Date(2026, 11, 3, 13, 0, 0, 0, newYork), time.Date(2027, 2, 2, 13, 0, 0, 0, newYork)}},
		{"nth 0 is the first", Recurrence{Every: revalign.Quarter, Weekday: Tuesday, At: At(13, 0), DurationMinutes: 90},
			[]time.Time{time.Date(2026, 8, 4, 13, 0, 0, 0, newYork), time.Date(2026, 11, 3, 13, 0, 0, 0, newYork), time.Date(2027, 2, 2, 13, 0, 0, 0, newYork)}},
		{"last Friday of the quarter", Recurrence{Every: revalign.Quarter, Nth: -1, Weekday: Friday, At: At(9, 0), DurationMinutes: 60},
			[]time.Time{time.Date(2026, 10, 30, 9, 0, 0, 0, newYork), time.Date(2027, 1, 29, 9, 0, 0, 0, newYork), time.Date(2027, 4, 30, 9, 0, 0, 0, newYork)}},
		{"second Monday of the fiscal year", Recurrence{Every: revalign.Year, Nth: 2, Weekday: Monday, At: At(9, 0), DurationMinutes: 240},
			[]time.Time{time.Date(2027, 2, 8, 9, 0, 0, 0, newYork)}},
		{"fifth Thursday exists in some months only", Recurrence{Every: revalign.Month, Nth: 5, Weekday: Thursday, At: At(9, 0), DurationMinutes: 30},
			[]time.Time{time.Date(2026, 10, 29, 9, 0, 0, 0, newYork), time.Date(2026, 12, 31, 9, 0, 0, 0, newYork), time.Date(2027, 4, 29, 9, 0, 0, 0, newYork)}},
		{"second last Wednesday of the month", Recurrence{Every: revalign.Month, Nth: -2, Weekday: Wednesday, At: At(9, 0), DurationMinutes: 30},
			[]time.Time{time.Date(2026, 8, 19, 9, 0, 0, 0, newYork), time.Date(2026, 9, 23, 9, 0, 0, 0, newYork), time.Date(2026, 10, 21, 9, 0, 0, 0, newYork),
				time.Date(2026, 11, 18, 9, 0, 0, 0, newYork), time.Date(2026, 12, 23, 9, 0, 0, 0, newYork), time.Date(2027, 1, 20, 9, 0, 0, 0, newYork),
				time.Date(2027, 2, 17, 9, 0, 0, 0, newYork), time.Date(2027, 3, 24, 9, 0, 0, 0, newYork), time.Date(2027, 4, 21, 9, 0, 0, 0, newYork)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tt, err := febFY(one(tc.rec)).Schedule(from, to, nil)
			require.NoError(t, err)
			got := make([]time.Time, len(tt.Meetings))
			for i, o := range tt.Meetings {
				got[i] = o.Start
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestScheduleDefaultCadence(t *testing.T) {
	c := DefaultCadence()
	c.Calendar = revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday}
	c.Holidays = usHolidays()
	// FY2027-Q4: November 2026 to January 2027.
	tt, err := c.Schedule(time.Date(2026, 11, 1, 0, 0, 0, 0, newYork), time.Date(2027, 2, 1, 0, 0, 0, 0, newYork), newYork)
	require.NoError(t, err)
	// 13 Mondays from 2 November to 25 January; none is a holiday (New
	// Year's Day 2027 is a Friday).
	assert.Equal(t, 13, tt.Count(PipelineReview))
	assert.Equal(t, 3, tt.Count(DemandStateReview))
	assert.Equal(t, 3, tt.Count(SLAReview))
	assert.Equal(t, 1, tt.Count(ICPReview))
	assert.Equal(t, 1, tt.Count(SLARecalibration))
	assert.Equal(t, 1, tt.Count(LossPostMortem))
	assert.Empty(t, tt.Skipped)
	for i := 1; i < len(tt.Meetings); i++ {
		assert.False(t, tt.Meetings[i].Start.Before(tt.Meetings[i-1].Start), "sorted")
	}
	// The loss post-mortem precedes the ICP review it feeds.
	var loss, icp time.Time
	for _, o := range tt.Meetings {
		switch o.Ritual {
		case LossPostMortem:
			loss = o.Start
		case ICPReview:
			icp = o.Start
		}
	}
	assert.Equal(t, time.Date(2026, 11, 3, 13, 0, 0, 0, newYork), loss)
	assert.True(t, loss.Before(icp))

	_, err = c.Schedule(tt.To, tt.From, newYork)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	bad := c
	bad.Rituals = nil
	_, err = bad.Schedule(tt.From, tt.To, nil)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

// TestScheduleProperties checks random recurrences in random zones: every
// meeting is in range, on its weekday at its wall-clock time (unless the
// time falls in a DST gap), lasts its duration, and meetings are sorted.
func TestScheduleProperties(t *testing.T) {
	zones := []string{"America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "America/Santiago", "Pacific/Chatham", "UTC"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		loc := mustLoad(zones[r.IntN(len(zones))])
		every := revalign.Unit(1 + r.IntN(3))
		rec := Recurrence{Every: every, Weekday: Weekday(r.IntN(7)), At: Clock(r.IntN(24 * 60)), DurationMinutes: 1 + r.IntN(180)}
		if every != revalign.Week {
			rec.Nth = []int{1, 2, 3, 4, -1, -2}[r.IntN(6)]
		}
		c := one(rec)
		from := time.Date(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, loc)
		to := from.AddDate(0, r.IntN(14), r.IntN(60)+1)
		tt, err := c.Schedule(from, to, loc)
		require.NoError(t, err)
		for i, o := range tt.Meetings {
			assert.False(t, o.Start.Before(from) || !o.Start.Before(to), "in range")
			assert.Equal(t, time.Duration(rec.DurationMinutes)*time.Minute, o.End.Sub(o.Start))
			if i > 0 {
				assert.False(t, o.Start.Before(tt.Meetings[i-1].Start))
			}
			local := o.Start.In(loc)
			if local.Hour() == rec.At.Hour() && local.Minute() == rec.At.Minute() {
				assert.Equal(t, time.Weekday(rec.Weekday), local.Weekday())
				continue
			}
			// Only a DST gap moves the wall clock, forward, by the gap.
			_, before := local.Add(-24 * time.Hour).Zone()
			_, after := local.Zone()
			assert.Greater(t, after, before, "%s at %s in %s", o.Start, rec.At, loc)
		}
	}
}

func FuzzWallClock(f *testing.F) {
	f.Add(2026, 3, 8, 150, "America/New_York")
	f.Add(2026, 11, 1, 90, "America/New_York")
	f.Add(2026, 9, 6, 0, "America/Santiago")
	f.Add(2026, 4, 5, 165, "Pacific/Chatham")
	f.Fuzz(func(t *testing.T, y, m, d, minutes int, zone string) {
		loc, err := time.LoadLocation(zone)
		if err != nil || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 28 || minutes < 0 || minutes >= 24*60 {
			t.Skip("not a real zone or calendar date in the range the schedule covers")
		}
		dt, c := date{y, time.Month(m), d}, Clock(minutes)
		got := wallClock(dt, c, loc)
		if shows(got, dt, c) {
			// The first instant that shows the wall clock.
			for _, back := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
				if earlier := got.Add(-back); shows(earlier, dt, c) {
					t.Fatalf("%s: %s also shows %s %s and is earlier", zone, earlier, dt, c)
				}
			}
			return
		}
		// A gap: the wall clock is later than asked, on the same date or the next.
		want := time.Date(y, time.Month(m), d, c.Hour(), c.Minute(), 0, 0, time.UTC)
		shown := time.Date(got.Year(), got.Month(), got.Day(), got.Hour(), got.Minute(), 0, 0, time.UTC)
		if !shown.After(want) || shown.Sub(want) > 3*time.Hour {
			t.Fatalf("%s %s %s: got %s", zone, dt, c, got)
		}
	})
}

// TestLocalDays checks the fast day count against the calendar date, in
// zones with DST and odd offsets, across 1970 and around midnight.
func TestLocalDays(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	zones := []*time.Location{time.UTC, newYork, mustLoad("Asia/Kolkata"), mustLoad("Pacific/Chatham"), mustLoad("America/St_Johns"), mustLoad("Pacific/Kiritimati")}
	for range 20000 {
		tm := time.Unix(r.Int64N(8e9)-4e9, r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
		require.Equal(t, dateOf(tm).days(), localDays(tm), "%v", tm)
	}
	for _, tm := range []time.Time{
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 8, 0, 0, 0, 0, newYork), time.Date(2026, 11, 1, 23, 59, 59, 0, newYork), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		assert.Equal(t, dateOf(tm).days(), localDays(tm), "%v", tm)
	}
}
