package cadence

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/revalign/revalign"
)

// Occurrence is one dated meeting of a ritual.
type Occurrence struct {
	// Ritual is the ritual's key.
	Ritual string `json:"ritual"`
	// Name is the ritual's name.
	Name string `json:"name"`
	// Start is when the meeting starts.
	Start time.Time `json:"start"`
	// End is when it ends; End − Start is the ritual's duration in elapsed
	// time.
	End time.Time `json:"end"`
	// Nominal is when the recurrence rule puts the meeting. It differs from
	// Start when a holiday moved the meeting.
	Nominal time.Time `json:"nominal"`
	// Holiday names the holiday that moved or skipped the meeting.
	Holiday string `json:"holiday,omitempty"`
}

// Moved reports whether a holiday moved the meeting off its nominal date.
func (o Occurrence) Moved() bool { return !o.Start.Equal(o.Nominal) }

// Timetable is the result of [Cadence.Schedule]: the meetings that take
// place, and those a holiday cancelled.
type Timetable struct {
	// From is the start of the schedule, inclusive.
	From time.Time `json:"from"`
	// To is its end, exclusive.
	To time.Time `json:"to"`
	// Meetings that take place, by start time, then ritual key.
	Meetings []Occurrence `json:"meetings"`
	// Skipped lists the meetings cancelled because their date is a holiday,
	// by nominal time.
	Skipped []Occurrence `json:"skipped,omitempty"`
}

// Count returns the number of meetings of the ritual with the given key.
func (t Timetable) Count(ritual string) int {
	n := 0
	for _, o := range t.Meetings {
		if o.Ritual == ritual {
			n++
		}
	}
	return n
}

// Schedule returns the dated meetings of every ritual that start in
// [from, to), in the time zone loc the rituals meet in (nil means the
// calendar's zone, then UTC).
//
// Weeks, months and fiscal quarters are cut in loc with the cadence's
// calendar (fiscal-year start, week start). Each meeting is built from its
// calendar date and wall-clock time with [time.Date], so a 10:00 meeting is
// at 10:00 local time on both sides of a DST change; a time that does not
// exist (the spring-forward gap) is read with the offset before the gap, and
// one that exists twice (the autumn overlap) is the first of the two, as in
// RFC 5545. A meeting whose date is a holiday is skipped (reported in
// Timetable.Skipped) or moved to the next business day, per OnHoliday.
// An invalid cadence or an empty range is an error.
func (c Cadence) Schedule(from, to time.Time, loc *time.Location) (Timetable, error) {
	if err := c.Validate(); err != nil {
		return Timetable{}, err
	}
	if !to.After(from) {
		return Timetable{}, &revalign.FieldError{Pkg: pkg, Path: "to", Value: to.Format(time.RFC3339),
			Reason: fmt.Sprintf("must be after from (%s)", from.Format(time.RFC3339))}
	}
	if loc == nil {
		loc = c.Calendar.Location
	}
	if loc == nil {
		loc = time.UTC
	}
	cal := c.Calendar
	cal.Location = loc
	// Start early enough to catch meetings moved into the range, and end
	// late enough to catch meetings moved across its end.
	scanFrom := from.AddDate(0, 0, -14)
	hol := holidaySet(c.Holidays, scanFrom.In(loc).Year()-1, to.In(loc).Year()+1)
	weekend := c.Weekend
	tt := Timetable{From: from, To: to}
	for _, r := range c.Rituals {
		for _, p := range cal.Periods(r.When.Every, scanFrom, to) {
			day, ok := r.When.day(p)
			if !ok {
				continue
			}
			nominal := wallClock(day, r.When.At, loc)
			o := Occurrence{Ritual: r.Key, Name: r.Name, Start: nominal, Nominal: nominal}
			if name, isHoliday := hol[day]; isHoliday {
				o.Holiday = name
				if c.OnHoliday == Skip {
					if inRange(nominal, from, to) {
						o.End = nominal.Add(time.Duration(r.When.DurationMinutes) * time.Minute)
						tt.Skipped = append(tt.Skipped, o)
					}
					continue
				}
				day = nextBusinessDay(day, hol, weekend)
				o.Start = wallClock(day, r.When.At, loc)
			}
			if !inRange(o.Start, from, to) {
				continue
			}
			o.End = o.Start.Add(time.Duration(r.When.DurationMinutes) * time.Minute)
			tt.Meetings = append(tt.Meetings, o)
		}
	}
	order := func(a, b Occurrence) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Ritual, b.Ritual)
	}
	slices.SortFunc(tt.Meetings, order)
	slices.SortFunc(tt.Skipped, order)
	return tt, nil
}

func inRange(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// day returns the date the recurrence meets on within period p (periods
// from a FiscalCalendar start at local midnight).
func (r Recurrence) day(p revalign.Period) (date, bool) {
	start, end := dateOf(p.Start), dateOf(p.End)
	if r.Every == revalign.Week {
		return nthWeekday(start, end, 1, r.Weekday)
	}
	n := r.Nth
	if n == 0 {
		n = 1
	}
	return nthWeekday(start, end, n, r.Weekday)
}

// nextBusinessDay returns the first day after d that is neither a weekend
// day nor a holiday. Validate guarantees a business day exists each week;
// a run of holidays longer than a year is not searched past.
func nextBusinessDay(d date, hol map[date]string, weekend []Weekday) date {
	for range 366 {
		d = d.add(1)
		if _, h := hol[d]; !h && !slices.Contains(weekend, d.weekday()) {
			return d
		}
	}
	return d
}
