package cadence

import "time"

// date is a calendar date with no time zone. Arithmetic on dates goes
// through UTC noon, so it is never thrown off by DST days of 23 or 25 hours
// or by zones where midnight does not exist on the day clocks change.
type date struct {
	y int
	m time.Month
	d int
}

// dateOf returns the calendar date of t in t's own location.
func dateOf(t time.Time) date {
	y, m, d := t.Date()
	return date{y, m, d}
}

func (d date) utc() time.Time { return time.Date(d.y, d.m, d.d, 12, 0, 0, 0, time.UTC) }

// add returns the date n days later (earlier for negative n).
func (d date) add(n int) date { return dateOf(time.Date(d.y, d.m, d.d+n, 12, 0, 0, 0, time.UTC)) }

func (d date) weekday() Weekday { return Weekday(d.utc().Weekday()) }

// days returns the number of days since 1970-01-01 (H. Hinnant's
// days_from_civil), for comparisons and differences without time.Date.
func (d date) days() int {
	y, m := d.y, int(d.m)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d.d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// localDays returns dateOf(t).days() without building the date: the days
// from 1970-01-01 to t's calendar date in t's own location, from the Unix
// time shifted by the zone offset in force at t.
func localDays(t time.Time) int {
	_, off := t.Zone()
	s := t.Unix() + int64(off)
	d := s / 86400
	if s%86400 < 0 {
		d-- // floor for dates before 1970
	}
	return int(d)
}

// dayNumber is the inverse of date.days.
func dayNumber(n int) date { return date{1970, time.January, 1}.add(n) }

func (d date) before(e date) bool {
	if d.y != e.y {
		return d.y < e.y
	}
	if d.m != e.m {
		return d.m < e.m
	}
	return d.d < e.d
}

func (d date) String() string { return d.utc().Format(time.DateOnly) }

// midnight returns the first instant of the date in loc.
func (d date) midnight(loc *time.Location) time.Time { return wallClock(d, 0, loc) }

// wallClock returns the instant at which clocks in loc show the date d and
// time of day c, following RFC 5545 (iCalendar) for the two DST cases Go's
// time.Date leaves open: a time in the spring-forward gap does not exist and
// is read with the UTC offset in force before the gap (02:30 becomes 03:30
// on a one-hour gap); a time in the autumn overlap exists twice and the first
// of the two is taken (01:30 daylight time, not 01:30 standard time).
func wallClock(d date, c Clock, loc *time.Location) time.Time {
	naive := time.Date(d.y, d.m, d.d, c.Hour(), c.Minute(), 0, 0, time.UTC)
	_, offBefore := naive.Add(-36 * time.Hour).In(loc).Zone()
	_, offAfter := naive.Add(36 * time.Hour).In(loc).Zone()
	if offBefore == offAfter {
		return naive.Add(-time.Duration(offBefore) * time.Second).In(loc)
	}
	early := naive.Add(-time.Duration(offBefore) * time.Second).In(loc)
	late := naive.Add(-time.Duration(offAfter) * time.Second).In(loc)
	okEarly, okLate := shows(early, d, c), shows(late, d, c)
	switch {
	case okEarly && okLate:
		if late.Before(early) {
			return late
		}
		return early
	case okLate:
		return late
	default: // okEarly, or the gap: the offset before the transition.
		return early
	}
}

func shows(t time.Time, d date, c Clock) bool {
	return dateOf(t) == d && t.Hour() == c.Hour() && t.Minute() == c.Minute()
}
