package cadence

import (
	"fmt"
	"time"

	"github.com/revalign/revalign/internal/enum"
)

// Holiday is a day on which no ritual meets. It takes one of three forms:
//
//   - a one-off date: Year, Month and Day ({"name": "Company offsite",
//     "year": 2026, "month": 10, "day": 15});
//   - a fixed date every year: Month and Day, with Year 0 ({"name":
//     "Christmas Day", "month": 12, "day": 25, "observed": true});
//   - a floating date every year: the Nth Weekday of Month, Nth -1 for the
//     last ({"name": "Thanksgiving", "month": 11, "nth": 4, "weekday":
//     "thursday"}).
//
// Holidays are given by the caller: revalign ships no country calendars.
// Build them with [OnDate], [Fixed] and [Floating], or load them from
// configuration.
type Holiday struct {
	// Name of the holiday, reported on the occurrences it skips or moves.
	Name string `json:"name"`
	// Year of a one-off holiday; 0 for a holiday every year.
	Year int `json:"year,omitempty"`
	// Month of the holiday.
	Month time.Month `json:"month"`
	// Day of the month; 0 for a floating holiday.
	Day int `json:"day,omitempty"`
	// Nth selects the Nth Weekday of the month for a floating holiday
	// (1–5, or -1 for the last); 0 for a dated holiday.
	Nth int `json:"nth,omitempty"`
	// Weekday of a floating holiday.
	Weekday Weekday `json:"weekday,omitempty"`
	// Observed adds the observed weekday of a fixed holiday that falls on a
	// weekend: Saturday is observed on the Friday before, Sunday on the
	// Monday after (the US federal rule). The actual date stays a holiday.
	Observed bool `json:"observed,omitempty"`
}

// OnDate returns a one-off holiday on the given date.
func OnDate(name string, year int, month time.Month, day int) Holiday {
	return Holiday{Name: name, Year: year, Month: month, Day: day}
}

// Fixed returns a holiday on the same date every year, observed on the
// nearest weekday when observed is true.
func Fixed(name string, month time.Month, day int, observed bool) Holiday {
	return Holiday{Name: name, Month: month, Day: day, Observed: observed}
}

// Floating returns a holiday on the nth weekday of a month every year
// (nth -1 is the last): Floating("Thanksgiving", time.November, 4,
// cadence.Thursday).
func Floating(name string, month time.Month, nth int, weekday Weekday) Holiday {
	return Holiday{Name: name, Month: month, Nth: nth, Weekday: weekday}
}

// Validate reports a holiday that is not exactly one of the three forms, or
// names a date that does not exist.
func (h Holiday) Validate() error {
	v := validator()
	v.Check(!blank(h.Name), "name", h.Name, "holiday needs a name")
	if !v.Check(h.Month >= time.January && h.Month <= time.December, "month", int(h.Month), "must be 1..12") {
		return v.Err()
	}
	switch {
	case h.Nth != 0:
		v.Check(h.Day == 0 && h.Year == 0, "day", h.Day, "a floating holiday (nth) has no day or year")
		v.Check(h.Nth >= -1 && h.Nth <= 5, "nth", h.Nth, "must be 1..5, or -1 for the last")
		v.Check(h.Weekday.valid(), "weekday", int(h.Weekday), "must be a week day")
		v.Check(!h.Observed, "observed", h.Observed, "only a fixed-date holiday is observed")
	case h.Day != 0:
		year := h.Year
		if year == 0 {
			year = 2028 // a leap year: 29 February is a valid yearly holiday
		}
		v.Check(h.Year >= 0, "year", h.Year, "must be a year, or 0 for every year")
		v.Check(h.Day >= 1 && h.Day <= daysIn(year, h.Month), "day", h.Day, fmt.Sprintf("not a day of %s", h.Month))
		v.Check(h.Year == 0 || !h.Observed, "observed", h.Observed, "only a yearly fixed-date holiday is observed")
	default:
		v.Add("day", nil, "holiday needs a day, or nth and weekday")
	}
	return v.Err()
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// dates appends the holiday's dates in year (actual and observed) to dst.
func (h Holiday) dates(year int, dst []date) []date {
	switch {
	case h.Nth != 0:
		if d, ok := nthWeekday(date{year, h.Month, 1}, date{year, h.Month + 1, 1}.add(0), h.Nth, h.Weekday); ok {
			dst = append(dst, d)
		}
	case h.Year != 0 && h.Year != year:
	case h.Day > daysIn(year, h.Month): // 29 February in a common year
	default:
		d := date{year, h.Month, h.Day}
		dst = append(dst, d)
		if h.Observed {
			switch d.weekday() {
			case Saturday:
				dst = append(dst, d.add(-1))
			case Sunday:
				dst = append(dst, d.add(1))
			}
		}
	}
	return dst
}

// nthWeekday returns the nth wd on or after start (nth > 0), or the |nth|-th
// counting back from the day before end (nth < 0), if it falls in
// [start, end).
func nthWeekday(start, end date, nth int, wd Weekday) (date, bool) {
	var d date
	if nth > 0 {
		first := start.add((int(wd) - int(start.weekday()) + 7) % 7)
		d = first.add(7 * (nth - 1))
	} else {
		last := end.add(-1)
		d = last.add(-((int(last.weekday()) - int(wd) + 7) % 7)).add(7 * (nth + 1))
	}
	if d.before(start) || !d.before(end) {
		return date{}, false
	}
	return d, true
}

// holidaySet maps each holiday date in the years [from, to] to its name
// (the first holiday listed wins when two fall on one day).
func holidaySet(hs []Holiday, from, to int) map[date]string {
	set := make(map[date]string)
	var buf []date
	for y := from; y <= to; y++ {
		for _, h := range hs {
			buf = h.dates(y, buf[:0])
			for _, d := range buf {
				if _, ok := set[d]; !ok {
					set[d] = h.Name
				}
			}
		}
	}
	return set
}

// HolidayRule says what happens to a ritual whose date is a holiday.
type HolidayRule int

const (
	// Skip drops the occurrence; the schedule reports it as skipped. It is
	// the zero value.
	Skip HolidayRule = iota
	// NextBusinessDay moves the occurrence to the next day that is neither
	// a weekend day nor a holiday, at the same wall-clock time.
	NextBusinessDay
)

var holidayRuleNames = enum.Names[HolidayRule]{Pkg: pkg, Type: "HolidayRule", Path: "on_holiday",
	Names:   []string{Skip: "skip", NextBusinessDay: "next_business_day"},
	Unknown: "unknown holiday rule", Want: "must be skip or next_business_day"}

// String returns "skip" or "next_business_day".
func (r HolidayRule) String() string { return holidayRuleNames.String(r) }

// MarshalText encodes the rule by name.
func (r HolidayRule) MarshalText() ([]byte, error) { return holidayRuleNames.Text(r) }

// UnmarshalText decodes "skip" or "next_business_day".
func (r *HolidayRule) UnmarshalText(b []byte) error { return holidayRuleNames.Unmarshal(r, b) }
