package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func mustCal(t testing.TB, loc *time.Location, w Week, hs ...Holiday) *Calendar {
	t.Helper()
	c, err := NewCalendar(loc, w, hs)
	require.NoError(t, err)
	return c
}

func at(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, loc)
}

// Cases worked by hand from the rules in REFERENCE.md §2.
func TestCalendarHandWorked(t *testing.T) {
	ny := zone(t, "America/New_York")
	nineFive := mustCal(t, ny, Weekdays(Hours(9, 17)))
	eightFive := mustCal(t, ny, Weekdays(Hours(8, 17)))

	t.Run("Friday 16:00 + 2 business hours is Monday 10:00", func(t *testing.T) {
		got := nineFive.Add(at(ny, 2026, 9, 25, 16, 0), 2*time.Hour)
		assert.True(t, got.Equal(at(ny, 2026, 9, 28, 10, 0)), "got %v", got)
	})
	t.Run("opened Friday 21:00, checked Monday 09:30 on 08-17 is 1.5 business hours", func(t *testing.T) {
		a, b := at(ny, 2026, 9, 25, 21, 0), at(ny, 2026, 9, 28, 9, 30)
		assert.Equal(t, 90*time.Minute, eightFive.Between(a, b))
		assert.Equal(t, 60*time.Hour+30*time.Minute, b.Sub(a), "versus elapsed time")
	})
	t.Run("a lead outside hours starts its clock at the next opening", func(t *testing.T) {
		sat := at(ny, 2026, 9, 26, 11, 0)
		assert.True(t, nineFive.NextOpen(sat).Equal(at(ny, 2026, 9, 28, 9, 0)))
		assert.True(t, nineFive.Add(sat, time.Hour).Equal(at(ny, 2026, 9, 28, 10, 0)))
		early := at(ny, 2026, 9, 29, 7, 15)
		assert.True(t, nineFive.NextOpen(early).Equal(at(ny, 2026, 9, 29, 9, 0)))
	})
	t.Run("intervals are half-open", func(t *testing.T) {
		assert.True(t, nineFive.IsOpen(at(ny, 2026, 9, 29, 9, 0)))
		assert.False(t, nineFive.IsOpen(at(ny, 2026, 9, 29, 17, 0)))
		assert.True(t, nineFive.IsOpen(at(ny, 2026, 9, 29, 17, 0).Add(-time.Nanosecond)))
		open := at(ny, 2026, 9, 29, 12, 0)
		assert.True(t, nineFive.NextOpen(open).Equal(open), "NextOpen of an open instant is itself")
		// A deadline that ends at closing time is the closing time.
		assert.True(t, nineFive.Add(at(ny, 2026, 9, 29, 16, 0), time.Hour).Equal(at(ny, 2026, 9, 29, 17, 0)))
	})
	t.Run("NextOpen returns an open instant unchanged, a closed one's opening in the calendar's zone", func(t *testing.T) {
		open := time.Date(2026, 9, 29, 16, 0, 0, 0, time.UTC) // 12:00 in New York
		got := nineFive.NextOpen(open)
		assert.Equal(t, open, got, "same instant, same location")
		assert.Equal(t, time.UTC, got.Location())
		closed := time.Date(2026, 9, 29, 23, 0, 0, 0, time.UTC) // 19:00 in New York
		got = nineFive.NextOpen(closed)
		assert.Equal(t, at(ny, 2026, 9, 30, 9, 0), got)
		assert.Equal(t, ny, got.Location())
	})
	t.Run("Add of zero is the identity, negative Add counts back", func(t *testing.T) {
		sun := at(ny, 2026, 9, 27, 15, 0)
		assert.True(t, nineFive.Add(sun, 0).Equal(sun))
		// 30 business minutes before Monday 09:30 begin Friday 17:00: the
		// first instant from which 30 minutes run up to Monday 09:30.
		back := nineFive.Add(at(ny, 2026, 9, 28, 9, 30), -30*time.Minute)
		assert.True(t, back.Equal(at(ny, 2026, 9, 25, 17, 0)), "got %v", back)
		assert.Equal(t, -8*time.Hour, nineFive.Between(at(ny, 2026, 9, 29, 17, 0), at(ny, 2026, 9, 29, 9, 0)))
	})
	t.Run("a week is 40 hours, a 90-day span is counted in constant time", func(t *testing.T) {
		assert.Equal(t, 40*time.Hour, nineFive.WeeklyHours())
		a := at(ny, 2026, 1, 5, 9, 0) // Monday
		assert.Equal(t, 13*40*time.Hour, nineFive.Between(a, a.AddDate(0, 0, 91)))
	})
}

func TestCalendarLunchBreak(t *testing.T) {
	ber := zone(t, "Europe/Berlin")
	c := mustCal(t, ber, Weekdays(Hours(9, 12), Hours(13, 17)))
	tue := func(h, m int) time.Time { return at(ber, 2026, 9, 29, h, m) }
	assert.Equal(t, time.Hour, c.Between(tue(11, 30), tue(13, 30)))
	assert.True(t, c.Add(tue(11, 30), time.Hour).Equal(tue(13, 30)))
	assert.True(t, c.Add(tue(11, 0), time.Hour).Equal(tue(12, 0)), "the morning's last hour ends at the break")
	assert.False(t, c.IsOpen(tue(12, 30)))
	assert.True(t, c.NextOpen(tue(12, 30)).Equal(tue(13, 0)))
	assert.Equal(t, 7*time.Hour, c.Between(tue(0, 0), tue(23, 0)))
}

func TestCalendarDST(t *testing.T) {
	ny := zone(t, "America/New_York")
	ber := zone(t, "Europe/Berlin")
	allDay := Week{Monday: []Interval{Hours(0, 24)}, Tuesday: []Interval{Hours(0, 24)}, Wednesday: []Interval{Hours(0, 24)},
		Thursday: []Interval{Hours(0, 24)}, Friday: []Interval{Hours(0, 24)}, Saturday: []Interval{Hours(0, 24)}, Sunday: []Interval{Hours(0, 24)}}
	every := func(iv ...Interval) Week {
		return Week{Monday: iv, Tuesday: iv, Wednesday: iv, Thursday: iv, Friday: iv, Saturday: iv, Sunday: iv}
	}
	// Spring forward: New York 2026-03-08 02:00 EST → 03:00 EDT (Sunday),
	// Berlin 2026-03-29 02:00 CET → 03:00 CEST (Sunday). Fall back: New
	// York 2026-11-01 02:00 EDT → 01:00 EST, Berlin 2026-10-25 03:00 CEST →
	// 02:00 CET.
	for _, tc := range []struct {
		name          string
		loc           *time.Location
		spring, fall  time.Time // the Sunday of each change, at midnight
		gapH, overlap int       // the wall hour skipped, the wall hour repeated
	}{
		{"America/New_York", ny, at(ny, 2026, 3, 8, 0, 0), at(ny, 2026, 11, 1, 0, 0), 2, 1},
		{"Europe/Berlin", ber, at(ber, 2026, 3, 29, 0, 0), at(ber, 2026, 10, 25, 0, 0), 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc := tc.loc
			day := func(d time.Time) (time.Time, time.Time) { return d, d.AddDate(0, 0, 1) }
			c24 := mustCal(t, loc, allDay)
			a, b := day(tc.spring)
			assert.Equal(t, 23*time.Hour, c24.Between(a, b), "a 24-hour day is 23 hours long on spring-forward day")
			a, b = day(tc.fall)
			assert.Equal(t, 25*time.Hour, c24.Between(a, b), "and 25 on fall-back day")

			// 09:00–17:00 is eight business hours on both days.
			c9 := mustCal(t, loc, every(Hours(9, 17)))
			a, b = day(tc.spring)
			assert.Equal(t, 8*time.Hour, c9.Between(a, b))
			a, b = day(tc.fall)
			assert.Equal(t, 8*time.Hour, c9.Between(a, b))
			// Saturday 16:30 + 1h across the change is Sunday 09:30, new offset.
			sat := tc.spring.AddDate(0, 0, -1).Add(16*time.Hour + 30*time.Minute)
			got := c9.Add(sat, time.Hour)
			assert.True(t, got.Equal(time.Date(tc.spring.Year(), tc.spring.Month(), tc.spring.Day(), 9, 30, 0, 0, loc)), "got %v", got)

			// The spring gap: an interval across it holds one hour less, an
			// opening inside it opens when the clock jumps past it.
			g := tc.gapH
			cgap := mustCal(t, loc, every(Hours(g-1, g+1)))
			a, b = day(tc.spring)
			assert.Equal(t, time.Hour, cgap.Between(a, b))
			cin := mustCal(t, loc, every(Interval{time.Duration(g)*time.Hour + 30*time.Minute, time.Duration(g+2) * time.Hour}))
			open := cin.NextOpen(tc.spring)
			assert.True(t, open.Equal(time.Date(tc.spring.Year(), tc.spring.Month(), tc.spring.Day(), g+1, 0, 0, 0, loc)), "got %v", open)
			assert.Equal(t, time.Hour, cin.Between(a, b), "02:30–04:00 on a day without 02:00–03:00 is one hour")

			// The autumn overlap: an interval over the repeated hour holds
			// it twice; a wall time inside it means its first occurrence.
			o := tc.overlap
			cov := mustCal(t, loc, every(Hours(o, o+1)))
			a, b = day(tc.fall)
			assert.Equal(t, 2*time.Hour, cov.Between(a, b))
			first := cov.NextOpen(tc.fall)
			_, off1 := first.Zone()
			_, offLater := tc.fall.Add(12 * time.Hour).Zone()
			assert.Equal(t, o, first.Hour())
			assert.Equal(t, 3600, off1-offLater, "opens at the first occurrence, before the clock goes back")
			cmid := mustCal(t, loc, every(Interval{time.Duration(o)*time.Hour + 30*time.Minute, time.Duration(o+3) * time.Hour}))
			assert.Equal(t, 3*time.Hour+30*time.Minute, cmid.Between(a, b), "from the first 0x:30 to 0y:00 after the change")
		})
	}
}

// Chile changes its clocks at midnight: the repeated hour on the autumn
// night is the last hour of Saturday by the wall clock but belongs to
// Sunday's business day, and no instant is counted twice or lost.
func TestCalendarMidnightChange(t *testing.T) {
	scl := zone(t, "America/Santiago")
	iv := []Interval{Hours(0, 24)}
	c := mustCal(t, scl, Week{Monday: iv, Tuesday: iv, Wednesday: iv, Thursday: iv, Friday: iv, Saturday: iv, Sunday: iv})
	// 2026-04-05 00:00 -03 → 2026-04-04 23:00 -04; 2026-09-06 00:00 -04 → 01:00 -03.
	from := time.Date(2026, 4, 3, 12, 0, 0, 0, time.UTC)
	to := time.Date(2026, 4, 7, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, to.Sub(from), c.Between(from, to))
	from = time.Date(2026, 9, 4, 12, 0, 0, 0, time.UTC)
	to = time.Date(2026, 9, 8, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, to.Sub(from), c.Between(from, to))
	for m := 0; m < 48*60; m += 7 {
		tt := time.Date(2026, 4, 4, 0, 0, 0, 0, time.UTC).Add(time.Duration(m) * time.Minute)
		assert.Equal(t, tt.Sub(from.AddDate(0, -5, 0)), c.Between(from.AddDate(0, -5, 0), tt))
	}
}

func TestCalendarHolidays(t *testing.T) {
	ny := zone(t, "America/New_York")
	newYear := Fixed("New Year's Day", time.January, 1, NearestWeekday)
	c := mustCal(t, ny, Weekdays(Hours(9, 17)), newYear)

	t.Run("New Year on Saturday is observed on Friday 31 December", func(t *testing.T) {
		fri := at(ny, 2021, 12, 31, 10, 0)
		assert.False(t, c.IsOpen(fri))
		h, ok := c.Holiday(fri)
		require.True(t, ok)
		assert.Equal(t, "New Year's Day (observed)", h.Name)
		assert.True(t, h.Observed)
		// Thursday 16:00 to Monday 10:00: Thursday's last hour, Friday
		// closed, the weekend closed, Monday's first hour.
		assert.Equal(t, 2*time.Hour, c.Between(at(ny, 2021, 12, 30, 16, 0), at(ny, 2022, 1, 3, 10, 0)))
		assert.True(t, c.Add(at(ny, 2021, 12, 30, 16, 30), time.Hour).Equal(at(ny, 2022, 1, 3, 9, 30)))
		_, ok = c.Holiday(at(ny, 2022, 1, 1, 10, 0))
		assert.True(t, ok, "the actual date is a holiday too")
	})
	t.Run("a partial day", func(t *testing.T) {
		eve := Fixed("Christmas Eve", time.December, 24, Actual)
		eve.OpenHours = []Interval{Hours(9, 13)}
		c := mustCal(t, ny, Weekdays(Hours(9, 17)), eve)
		thu := at(ny, 2026, 12, 24, 0, 0)
		assert.Equal(t, 4*time.Hour, c.Between(thu, thu.AddDate(0, 0, 1)))
		assert.False(t, c.IsOpen(at(ny, 2026, 12, 24, 14, 0)))
		assert.True(t, c.Add(at(ny, 2026, 12, 24, 12, 0), 2*time.Hour).Equal(at(ny, 2026, 12, 25, 10, 0)))
	})
	t.Run("a holiday on a clock-change day", func(t *testing.T) {
		iv := []Interval{Hours(0, 24)}
		all := Week{Monday: iv, Tuesday: iv, Wednesday: iv, Thursday: iv, Friday: iv, Saturday: iv, Sunday: iv}
		h := OneOff("Clock day", Date{2026, time.March, 8})
		h.OpenHours = []Interval{Hours(0, 12)}
		c := mustCal(t, ny, all, h)
		d := at(ny, 2026, 3, 8, 0, 0)
		assert.Equal(t, 11*time.Hour, c.Between(d, d.AddDate(0, 0, 1)), "00:00–12:00 on the 23-hour day")
	})
}

func TestCalendarOvernightShift(t *testing.T) {
	lon := zone(t, "Europe/London")
	c := mustCal(t, lon, Week{Monday: []Interval{{22 * time.Hour, 6 * time.Hour}}})
	mon := at(lon, 2026, 9, 28, 0, 0)
	assert.Equal(t, 8*time.Hour, c.Between(mon, mon.AddDate(0, 0, 7)))
	assert.True(t, c.IsOpen(at(lon, 2026, 9, 29, 5, 0)), "Tuesday 05:00 is in Monday's night shift")
	assert.True(t, c.Add(at(lon, 2026, 9, 28, 23, 0), 2*time.Hour).Equal(at(lon, 2026, 9, 29, 1, 0)))
}

func TestCalendarClampsOutsideCoveredYears(t *testing.T) {
	c := mustCal(t, time.UTC, Weekdays(Hours(9, 17)))
	old := time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC)
	far := time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, time.Duration(0), c.Between(old, old.AddDate(10, 0, 0)))
	assert.Equal(t, time.Duration(0), c.Between(far, far.AddDate(10, 0, 0)))
	assert.False(t, c.IsOpen(time.Date(1850, 1, 7, 10, 0, 0, 0, time.UTC)))
	end := time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.True(t, c.Add(time.Date(2199, 12, 30, 10, 0, 0, 0, time.UTC), 1000*time.Hour).Equal(end))
	assert.True(t, c.Add(time.Date(1900, 1, 2, 10, 0, 0, 0, time.UTC), -1000*time.Hour).Equal(time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC)))
	iv := []Interval{Hours(0, 24)}
	all := mustCal(t, time.UTC, Week{Monday: iv, Tuesday: iv, Wednesday: iv, Thursday: iv, Friday: iv, Saturday: iv, Sunday: iv})
	assert.Equal(t, time.Duration(1<<63-1), all.Between(old, far), "saturates instead of wrapping")
	assert.True(t, all.Add(far, time.Duration(1<<63-1)).Equal(end))
}

// propertyCalendars are schedules in several zones with clock changes,
// breaks, 24-hour days, weekend hours and holidays.
func propertyCalendars(t testing.TB) map[string]*Calendar {
	iv24 := []Interval{Hours(0, 24)}
	us := []Holiday{
		Fixed("New Year's Day", time.January, 1, NearestWeekday),
		NthWeekday("Memorial Day", time.May, time.Monday, -1),
		Fixed("Independence Day", time.July, 4, NearestWeekday),
		NthWeekday("Thanksgiving", time.November, time.Thursday, 4),
		Fixed("Christmas Day", time.December, 25, NearestWeekday),
	}
	eu := []Holiday{Easter("Good Friday", -2), Easter("Easter Monday", 1), Fixed("Christmas Day", time.December, 25, NextWeekday),
		Fixed("Boxing Day", time.December, 26, NextWeekday)}
	return map[string]*Calendar{
		"New York 9-17":          mustCal(t, zone(t, "America/New_York"), Weekdays(Hours(9, 17)), us...),
		"Berlin lunch":           mustCal(t, zone(t, "Europe/Berlin"), Weekdays(Hours(8, 12), Hours(13, 17)), eu...),
		"Sydney 24h weekdays":    mustCal(t, zone(t, "Australia/Sydney"), Weekdays(Hours(0, 24)), eu...),
		"Santiago all week":      mustCal(t, zone(t, "America/Santiago"), Week{Monday: iv24, Tuesday: iv24, Wednesday: iv24, Thursday: iv24, Friday: iv24, Saturday: iv24, Sunday: iv24}),
		"London night shift":     mustCal(t, zone(t, "Europe/London"), Week{Sunday: []Interval{{22 * time.Hour, 6 * time.Hour}}, Wednesday: []Interval{{23*time.Hour + 30*time.Minute, 2 * time.Hour}}}, eu...),
		"Kolkata Saturday hours": mustCal(t, zone(t, "Asia/Kolkata"), Week{Monday: []Interval{Hours(10, 18)}, Saturday: []Interval{Hours(10, 14)}}),
	}
}

// Property: Between(t, Add(t, d)) == d for random t and d (up to 90 days
// either way) across clock changes in several zones.
func TestCalendarAddBetweenProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 2026))
	lo := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for name, c := range propertyCalendars(t) {
		for range 3000 {
			tt := time.Unix(lo+r.Int64N(hi-lo), r.Int64N(1e9))
			d := time.Duration(r.Int64N(int64(90 * 24 * time.Hour)))
			if r.IntN(4) == 0 {
				d = time.Duration(r.Int64N(int64(3 * time.Hour))) // short spans
			}
			if r.IntN(3) == 0 {
				d = -d
			}
			end := c.Add(tt, d)
			require.Equal(t, d, c.Between(tt, end), "%s: t=%v d=%v end=%v", name, tt, d, end)
			if d > 0 {
				// The deadline is the first such instant: a nanosecond
				// earlier the clock has not got there.
				require.Less(t, c.Between(tt, end.Add(-time.Nanosecond)), d, "%s: t=%v d=%v", name, tt, d)
				require.True(t, c.IsOpen(end.Add(-time.Nanosecond)), "%s: the clock runs into the deadline", name)
			}
		}
	}
}

// Property: Between is additive and never negative forwards.
func TestCalendarBetweenAdditive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	lo := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for name, c := range propertyCalendars(t) {
		for range 2000 {
			x := []time.Time{time.Unix(lo+r.Int64N(3e8), 0), time.Unix(lo+r.Int64N(3e8), 0), time.Unix(lo+r.Int64N(3e8), 0)}
			ab, bc, ac := c.Between(x[0], x[1]), c.Between(x[1], x[2]), c.Between(x[0], x[2])
			require.Equal(t, ac, ab+bc, name)
			if !x[1].Before(x[0]) {
				require.GreaterOrEqual(t, ab, time.Duration(0), name)
			}
		}
	}
}

// Between agrees with counting open minutes one by one in wall-clock time
// (the independent, obviously right method the sample's findings test
// uses), on spans that cross clock changes and holidays.
func TestCalendarBetweenBruteForce(t *testing.T) {
	ny := zone(t, "America/New_York")
	hs := []Holiday{Fixed("Independence Day", time.July, 4, NearestWeekday), NthWeekday("Labor Day", time.September, time.Monday, 1),
		Fixed("New Year's Day", time.January, 1, NearestWeekday)}
	c := mustCal(t, ny, Weekdays(Hours(8, 12), Hours(13, 18)), hs...)
	closed := map[Date]bool{}
	for _, h := range HolidayDates(hs, 2020, 2027) {
		closed[h.Date] = true
	}
	open := func(m time.Time) bool {
		lt := m.In(ny)
		if wd := lt.Weekday(); wd == time.Saturday || wd == time.Sunday || closed[DateOf(lt)] {
			return false
		}
		h := lt.Hour()
		return (h >= 8 && h < 12) || (h >= 13 && h < 18)
	}
	r := rand.New(rand.NewPCG(1, 9))
	starts := []time.Time{at(ny, 2026, 3, 5, 0, 0), at(ny, 2026, 10, 29, 0, 0), at(ny, 2026, 7, 1, 0, 0), at(ny, 2021, 12, 28, 0, 0), at(ny, 2026, 9, 3, 0, 0)}
	for _, s := range starts {
		for range 40 {
			a := s.Add(time.Duration(r.IntN(3*24*60)) * time.Minute)
			b := a.Add(time.Duration(r.IntN(8*24*60)) * time.Minute)
			n := 0
			for m := a; m.Before(b); m = m.Add(time.Minute) {
				if open(m) {
					n++
				}
			}
			require.Equal(t, time.Duration(n)*time.Minute, c.Between(a, b), "%v → %v", a, b)
		}
	}
}

func TestScheduleCalendar(t *testing.T) {
	s := Schedule{TimeZone: "Asia/Singapore", Week: Weekdays(Hours(9, 18)), Holidays: []Holiday{OneOff("Lunar New Year", Date{2026, time.February, 17})}}
	c, err := s.Calendar()
	require.NoError(t, err)
	assert.Equal(t, "Asia/Singapore", c.Location().String())
	sg := c.Location()
	assert.Equal(t, 9*time.Hour, c.Between(at(sg, 2026, 2, 16, 18, 0), at(sg, 2026, 2, 18, 18, 0)))

	_, err = Schedule{TimeZone: "Mars/Olympus", Week: Weekdays(Hours(9, 17))}.Calendar()
	assert.ErrorContains(t, err, `sla: time_zone: unknown IANA time zone, got "Mars/Olympus"`)
	_, err = Schedule{TimeZone: "UTC"}.Calendar()
	assert.ErrorContains(t, err, "sla: week: the week has no open hours")
	_, err = NewCalendar(nil, Week{Monday: []Interval{Hours(9, 12), Hours(11, 13)}}, nil)
	assert.ErrorContains(t, err, `sla: week.monday: intervals overlap, got "09:00-12:00, 11:00-13:00"`)
	_, err = NewCalendar(nil, Weekdays(Hours(9, 17)), []Holiday{{Name: "x"}})
	assert.ErrorContains(t, err, "sla: holidays[0]: set exactly one of")
	c, err = NewCalendar(nil, Week{Monday: []Interval{Hours(9, 12), Hours(12, 13)}}, nil)
	require.NoError(t, err, "adjacent intervals merge")
	assert.Equal(t, 4*time.Hour, c.WeeklyHours())
	assert.Equal(t, time.UTC, c.Location())
}

// The calendar's table of clock changes agrees with the time package at
// random instants of the covered years, including those past the zone
// database's table, where Go computes zones from the zone's rule.
func TestCalendarTransitionsMatchTimePackage(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	lo := time.Date(MinYear, 1, 2, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(MaxYear, 12, 30, 0, 0, 0, 0, time.UTC).Unix()
	for _, name := range []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Santiago", "Pacific/Apia", "Asia/Tehran", "Africa/Casablanca"} {
		c := mustCal(t, zone(t, name), Weekdays(Hours(9, 17)))
		offsetAt := func(u int64) int64 {
			off := c.off0
			for _, tr := range c.trans {
				if tr.at > u {
					break
				}
				off = tr.off
			}
			return off
		}
		for range 2000 {
			u := lo + r.Int64N(hi-lo)
			_, want := time.Unix(u, 0).In(c.loc).Zone()
			require.Equal(t, int64(want), offsetAt(u), "%s at %v", name, time.Unix(u, 0).UTC())
		}
		for _, tr := range c.trans {
			_, before := time.Unix(tr.at-1, 0).In(c.loc).Zone()
			_, after := time.Unix(tr.at, 0).In(c.loc).Zone()
			require.NotEqual(t, before, after, "%s: a change at %v", name, time.Unix(tr.at, 0).UTC())
		}
	}
}

func TestZeroCalendarIsClosed(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, time.UTC)
	for _, c := range []*Calendar{nil, {}} {
		assert.Equal(t, time.Duration(0), c.Between(now, now.Add(time.Hour)))
		assert.False(t, c.IsOpen(now))
		assert.True(t, c.Add(now, time.Hour).Equal(now))
		assert.True(t, c.NextOpen(now).Equal(now))
		_, ok := c.Holiday(now)
		assert.False(t, ok)
		assert.Equal(t, time.UTC, c.Location())
		assert.Zero(t, c.WeeklyHours())
	}
}
