package sla

import (
	"fmt"
	"time"

	"github.com/revalign/revalign"
)

// Date is a calendar date with no time of day and no time zone: an
// effective date, a holiday. In JSON it is "2026-01-05". The zero value is
// "no date".
type Date struct {
	// Year is the year, e.g. 2026.
	Year int
	// Month is the month of the year.
	Month time.Month
	// Day is the day of the month, from 1.
	Day int
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, &revalign.FieldError{Pkg: "sla", Path: "date", Value: s, Reason: "must be a date like 2026-01-05"}
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a real calendar day.
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// String returns "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// In returns midnight at the start of d in loc (the first instant of the
// day, which is not 00:00 on the rare days a zone skips midnight).
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekdayOf(daysFromCivil(d.Year, d.Month, d.Day)) }

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date {
	return civilFromDays(daysFromCivil(d.Year, d.Month, d.Day) + int64(n))
}

// MarshalText encodes d as "2006-01-02"; the zero Date encodes as "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes "2006-01-02"; "" decodes as the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant's algorithm). It normalises
// out-of-range months and days the way time.Date does only for days; callers
// pass valid months.
func daysFromCivil(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := floorDiv(yy, 400)
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{int(y), time.Month(m), int(d)}
}

// weekdayOf returns the weekday of a day number (day 0, 1970-01-01, was a
// Thursday).
func weekdayOf(day int64) time.Weekday { return time.Weekday(floorMod(day+4, 7)) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	m := a % b
	if m != 0 && ((m < 0) != (b < 0)) {
		m += b
	}
	return m
}
