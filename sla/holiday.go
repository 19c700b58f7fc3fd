package sla

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
)

// Observance says on which day a holiday that falls on a weekend (Saturday
// or Sunday) is observed. The actual date stays a holiday too, so a
// schedule open at weekends is closed on both days. In JSON it is text.
type Observance string

// The observance rules.
const (
	// Actual: the holiday is kept on its date only ("" in JSON).
	Actual Observance = ""
	// NearestWeekday moves Saturday to the Friday before and Sunday to the
	// Monday after (US federal rule: New Year on Saturday 1 January is
	// observed on Friday 31 December of the year before).
	NearestWeekday Observance = "nearest_weekday"
	// NextWeekday moves a weekend holiday to the next weekday that is not
	// already a holiday (UK and Australian substitute days: Christmas on
	// Saturday → Monday 27, Boxing Day on Sunday → Tuesday 28).
	NextWeekday Observance = "next_weekday"
	// SundayToMonday moves only a Sunday holiday to the Monday after.
	SundayToMonday Observance = "sunday_to_monday"
)

func (o Observance) valid() bool {
	switch o {
	case Actual, NearestWeekday, NextWeekday, SundayToMonday:
		return true
	}
	return false
}

// Holiday is one public holiday: a one-off date or a recurring rule, with
// an observance rule for weekends and, for a partial day, the hours that
// stay open. Exactly one form is set:
//
//   - one-off: Date ("2026-12-24");
//   - fixed date each year: Month and Day (1 January);
//   - n-th weekday of a month: Month, Weekday and Nth (4th Thursday of
//     November; Nth -1 is the last);
//   - relative to Western Easter Sunday: EasterOffset (-2 is Good Friday, 1
//     Easter Monday, 0 Easter Sunday).
//
// Holidays whose dates follow lunar or astronomical calendars (Lunar New
// Year, Diwali, Eid) are listed as one-off dates. The rules are written
// here rather than taken from a holiday library so that a pact's holidays
// are plain configuration both leaders can read and sign.
type Holiday struct {
	// Name of the holiday, e.g. "Thanksgiving".
	Name string `json:"name"`
	// Date of a one-off holiday.
	Date Date `json:"date,omitzero"`
	// Month of a recurring holiday.
	Month time.Month `json:"month,omitempty"`
	// Day of the month of a fixed-date holiday.
	Day int `json:"day,omitempty"`
	// Weekday of an n-th-weekday holiday ("monday"…"sunday").
	Weekday string `json:"weekday,omitempty"`
	// Nth occurrence of Weekday in Month: 1 to 5, or -1 for the last.
	Nth int `json:"nth,omitempty"`
	// EasterOffset in days from Western (Gregorian) Easter Sunday.
	EasterOffset *int `json:"easter_offset,omitempty"`
	// Observed moves a weekend holiday to a weekday; defaults to Actual.
	Observed Observance `json:"observed,omitempty"`
	// OpenHours, when set, makes the holiday a partial day: these intervals
	// replace the day's usual hours (e.g. ["09:00-13:00"] on Christmas Eve).
	// Empty means closed all day.
	OpenHours []Interval `json:"open_hours,omitempty"`
	// FromYear is the first year a recurring rule applies to (0: no
	// bound).
	FromYear int `json:"from_year,omitempty"`
	// ToYear is the last year a recurring rule applies to, inclusive (0:
	// no bound).
	ToYear int `json:"to_year,omitempty"`
}

// Fixed returns a holiday on the same date every year.
func Fixed(name string, m time.Month, day int, obs Observance) Holiday {
	return Holiday{Name: name, Month: m, Day: day, Observed: obs}
}

// NthWeekday returns a holiday on the n-th weekday of a month (n = -1: the
// last).
func NthWeekday(name string, m time.Month, wd time.Weekday, n int) Holiday {
	return Holiday{Name: name, Month: m, Weekday: strings.ToLower(wd.String()), Nth: n}
}

// Easter returns a holiday offset days from Western Easter Sunday.
func Easter(name string, offset int) Holiday {
	return Holiday{Name: name, EasterOffset: &offset}
}

// OneOff returns a holiday on one date.
func OneOff(name string, d Date) Holiday { return Holiday{Name: name, Date: d} }

type holidayKind int

const (
	kindInvalid holidayKind = iota
	kindOneOff
	kindFixed
	kindNth
	kindEaster
)

func (h Holiday) kind() holidayKind {
	n := 0
	k := kindInvalid
	if !h.Date.IsZero() {
		n, k = n+1, kindOneOff
	}
	if h.EasterOffset != nil {
		n, k = n+1, kindEaster
	}
	if h.Weekday != "" || h.Nth != 0 {
		n, k = n+1, kindNth
	} else if h.Month != 0 || h.Day != 0 {
		n, k = n+1, kindFixed
	}
	if n != 1 {
		return kindInvalid
	}
	return k
}

// Validate reports a holiday with no name, with none or several of the
// forms, or with out-of-range fields.
func (h Holiday) Validate() error {
	v := revalign.Validator{Pkg: "sla"}
	v.Check(strings.TrimSpace(h.Name) != "", "name", h.Name, "holiday needs a name")
	switch h.kind() {
	case kindInvalid:
		v.Add("", h.Name, "set exactly one of date, month+day, month+weekday+nth, easter_offset")
	case kindOneOff:
		v.Check(h.Date.Valid(), "date", h.Date.String(), "not a calendar date")
		v.Check(h.FromYear == 0 && h.ToYear == 0, "from_year", h.FromYear, "only recurring holidays take a year range")
	case kindFixed:
		if v.Check(h.Month >= time.January && h.Month <= time.December, "month", int(h.Month), "must be 1..12") {
			v.Check(h.Day >= 1 && h.Day <= daysIn(2000, h.Month), "day", h.Day, "not a day of "+h.Month.String())
		}
	case kindNth:
		v.Check(h.Month >= time.January && h.Month <= time.December, "month", int(h.Month), "must be 1..12")
		_, err := revalign.ParseWeekday(h.Weekday)
		v.Check(err == nil, "weekday", h.Weekday, "unknown week day")
		v.Check(h.Nth == -1 || (h.Nth >= 1 && h.Nth <= 5), "nth", h.Nth, "must be 1..5 or -1 (last)")
	case kindEaster:
		v.Check(*h.EasterOffset > -200 && *h.EasterOffset < 200, "easter_offset", *h.EasterOffset, "must be within 200 days of Easter")
	}
	v.Check(h.Observed.valid(), "observed", string(h.Observed), "must be empty, nearest_weekday, next_weekday or sunday_to_monday")
	v.Check(h.ToYear == 0 || h.FromYear == 0 || h.FromYear <= h.ToYear, "to_year", h.ToYear, "must not be before from_year")
	for i, iv := range h.OpenHours {
		if err := iv.Validate(); err != nil {
			v.Nest(revalign.Index("open_hours", i), err)
		} else if iv.Overnight() {
			v.Add(revalign.Index("open_hours", i), iv.String(), "a holiday's open hours cannot run past midnight")
		}
	}
	if _, ok := normalize(holidaySpans(h.OpenHours)); !ok {
		v.Add("open_hours", formatSpans(holidaySpans(h.OpenHours)), "intervals overlap")
	}
	return v.Err()
}

func holidaySpans(ivs []Interval) []span {
	var out []span
	for _, iv := range ivs {
		if iv.Validate() == nil && !iv.Overnight() {
			out = append(out, span{int32(iv.Start / time.Second), int32(iv.End / time.Second)})
		}
	}
	return out
}

// On returns the actual date of the holiday in year y, and false when the
// rule does not apply that year (a one-off in another year, a year outside
// FromYear..ToYear, a fifth weekday the month does not have).
func (h Holiday) On(y int) (Date, bool) {
	if (h.FromYear != 0 && y < h.FromYear) || (h.ToYear != 0 && y > h.ToYear) {
		return Date{}, false
	}
	switch h.kind() {
	case kindOneOff:
		return h.Date, h.Date.Year == y
	case kindFixed:
		d := Date{y, h.Month, h.Day}
		return d, d.Valid()
	case kindNth:
		wd, err := revalign.ParseWeekday(h.Weekday)
		if err != nil {
			return Date{}, false
		}
		return nthWeekday(y, h.Month, wd, h.Nth)
	case kindEaster:
		return easterSunday(y).AddDays(*h.EasterOffset), true
	}
	return Date{}, false
}

func nthWeekday(y int, m time.Month, wd time.Weekday, n int) (Date, bool) {
	if n == -1 {
		last := Date{y, m, daysIn(y, m)}
		back := (int(last.Weekday()) - int(wd) + 7) % 7
		return last.AddDays(-back), true
	}
	first := Date{y, m, 1}
	fwd := (int(wd) - int(first.Weekday()) + 7) % 7
	day := 1 + fwd + 7*(n-1)
	if n < 1 || day > daysIn(y, m) {
		return Date{}, false
	}
	return Date{y, m, day}, true
}

// easterSunday returns Western Easter Sunday of year y (the anonymous
// Gregorian algorithm of Meeus/Jones/Butcher).
func easterSunday(y int) Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h - 7*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{y, time.Month(month), day}
}

// HolidayDate is one day a holiday closes (or shortens): the holiday's
// actual date, or the weekday it is observed on.
type HolidayDate struct {
	// Date is the day the calendar closes (or shortens).
	Date Date `json:"date"`
	// Name is the holiday's name.
	Name string `json:"name"`
	// Observed is true when Date is the weekday the holiday is observed
	// on rather than its actual date.
	Observed bool `json:"observed,omitempty"`
	// index of the holiday in its list, for its open hours.
	idx int
}

// HolidayDates returns the days the holidays close in years from..to
// (inclusive), sorted by date: each actual date, plus each observed
// weekday. A date two holidays share is listed once, under the first
// holiday's name. Observed days that cross a year boundary (1 January on a
// Saturday observed on 31 December) are listed in the year they fall in.
func HolidayDates(holidays []Holiday, from, to int) []HolidayDate {
	var actual []HolidayDate
	for y := from - 1; y <= to+1; y++ {
		for i, h := range holidays {
			if d, ok := h.On(y); ok {
				actual = append(actual, HolidayDate{Date: d, Name: h.Name, idx: i})
			}
		}
	}
	byDate := func(a, b HolidayDate) int {
		return int(daysFromCivil(a.Date.Year, a.Date.Month, a.Date.Day) - daysFromCivil(b.Date.Year, b.Date.Month, b.Date.Day))
	}
	slices.SortStableFunc(actual, byDate)
	taken := make(map[Date]bool, len(actual))
	for _, a := range actual {
		taken[a.Date] = true
	}
	out := slices.Clone(actual)
	for _, a := range actual {
		wd := a.Date.Weekday()
		var obs Date
		switch holidays[a.idx].Observed {
		case NearestWeekday:
			switch wd {
			case time.Saturday:
				obs = a.Date.AddDays(-1)
			case time.Sunday:
				obs = a.Date.AddDays(1)
			}
		case SundayToMonday:
			if wd == time.Sunday {
				obs = a.Date.AddDays(1)
			}
		case NextWeekday:
			if wd == time.Saturday || wd == time.Sunday {
				obs = a.Date.AddDays(1)
				for obs.Weekday() == time.Saturday || obs.Weekday() == time.Sunday || taken[obs] {
					obs = obs.AddDays(1)
				}
			}
		}
		if !obs.IsZero() && !taken[obs] {
			taken[obs] = true
			out = append(out, HolidayDate{Date: obs, Name: a.Name + " (observed)", Observed: true, idx: a.idx})
		}
	}
	slices.SortStableFunc(out, byDate)
	out = slices.CompactFunc(out, func(a, b HolidayDate) bool { return a.Date == b.Date })
	return slices.DeleteFunc(out, func(h HolidayDate) bool { return h.Date.Year < from || h.Date.Year > to })
}

// String returns "2026-12-25 Christmas Day".
func (h HolidayDate) String() string { return fmt.Sprintf("%s %s", h.Date, h.Name) }
