package revalign

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Period is a half-open interval of time [Start, End). Periods produced by a
// [FiscalCalendar] start and end at local midnight in the calendar's zone.
type Period struct {
	// Start is the first instant of the period.
	Start time.Time `json:"start"`
	// End is the first instant after the period.
	End time.Time `json:"end"`
}

// Contains reports whether t lies in [p.Start, p.End).
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// IsZero reports whether both ends are the zero time.
func (p Period) IsZero() bool { return p.Start.IsZero() && p.End.IsZero() }

// Duration returns End − Start in elapsed time (a DST day is 23 or 25 hours).
func (p Period) Duration() time.Duration { return p.End.Sub(p.Start) }

// Days returns the number of calendar days the period covers in the zone of
// p.Start, counted by date, so DST changes do not shift the count.
func (p Period) Days() int { return DaysBetween(p.Start, p.End.In(p.Start.Location())) }

// String formats the period as "2026-01-01..2026-04-01" (dates of the
// half-open interval in the zone of Start).
func (p Period) String() string {
	return p.Start.Format(time.DateOnly) + ".." + p.End.In(p.Start.Location()).Format(time.DateOnly)
}

// DaysBetween returns the number of calendar days from a's date to b's date,
// each taken in its own location. It is negative when b's date is earlier.
// Unlike b.Sub(a)/24h it is not thrown off by DST days of 23 or 25 hours.
func DaysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	da := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da) / (24 * time.Hour))
}

// Unit is a calendar unit a [FiscalCalendar] can cut time into.
type Unit int

// The units of a fiscal calendar.
const (
	Week Unit = iota + 1
	Month
	Quarter
	Year
)

var unitNames = [...]string{Week: "week", Month: "month", Quarter: "quarter", Year: "year"}

// String returns "week", "month", "quarter" or "year".
func (u Unit) String() string {
	if u >= Week && u <= Year {
		return unitNames[u]
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// MarshalText encodes the unit by name.
func (u Unit) MarshalText() ([]byte, error) {
	if u < Week || u > Year {
		return nil, &FieldError{Pkg: "revalign", Path: "unit", Value: int(u), Reason: "unknown unit"}
	}
	return []byte(unitNames[u]), nil
}

// UnmarshalText decodes "week", "month", "quarter" or "year".
func (u *Unit) UnmarshalText(b []byte) error {
	for i := Week; i <= Year; i++ {
		if unitNames[i] == strings.ToLower(string(b)) {
			*u = i
			return nil
		}
	}
	return &FieldError{Pkg: "revalign", Path: "unit", Value: string(b), Reason: "must be week, month, quarter or year"}
}

// FiscalCalendar cuts time into weeks, months, quarters and years that follow
// an organisation's fiscal-year start and week start, in one time zone.
//
// The zero value is the calendar year (January start), weeks starting on
// Sunday, in UTC. Months of a fiscal year are calendar months; fiscal
// quarters are three consecutive months counted from StartMonth. A fiscal
// year is labelled by the calendar year in which it ends (a year starting in
// February 2026 is FY2027), unless LabelByStartYear is set.
//
// FiscalCalendar is a value; it is safe for concurrent use. In JSON it reads
// {"start_month": 2, "week_start": "monday", "time_zone": "Europe/Berlin"}.
type FiscalCalendar struct {
	// StartMonth is the first month of the fiscal year; 0 means January.
	StartMonth time.Month
	// WeekStart is the first day of a week; the zero value is Sunday.
	WeekStart time.Weekday
	// Location is the time zone periods are cut in; nil means UTC.
	Location *time.Location
	// LabelByStartYear names a fiscal year by the calendar year it starts in.
	LabelByStartYear bool
}

// NewFiscalCalendar returns a calendar after checking its arguments.
func NewFiscalCalendar(startMonth time.Month, weekStart time.Weekday, loc *time.Location) (FiscalCalendar, error) {
	c := FiscalCalendar{StartMonth: startMonth, WeekStart: weekStart, Location: loc}
	return c, c.Validate()
}

// Validate reports an out-of-range start month or week day.
func (c FiscalCalendar) Validate() error {
	v := Validator{Pkg: "revalign"}
	v.Check(c.StartMonth >= 0 && c.StartMonth <= 12, "start_month", int(c.StartMonth), "must be 1..12 (0 means January)")
	v.Check(c.WeekStart >= time.Sunday && c.WeekStart <= time.Saturday, "week_start", int(c.WeekStart), "must be a weekday")
	return v.Err()
}

func (c FiscalCalendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

func (c FiscalCalendar) start() int {
	if c.StartMonth < 1 || c.StartMonth > 12 {
		return 1
	}
	return int(c.StartMonth)
}

// Week returns the week containing t.
func (c FiscalCalendar) Week(t time.Time) Period {
	lt := t.In(c.loc())
	y, m, d := lt.Date()
	back := (int(lt.Weekday()) - int(c.WeekStart) + 7) % 7
	return Period{
		Start: StartOfDay(y, m, d-back, c.loc()),
		End:   StartOfDay(y, m, d-back+7, c.loc()),
	}
}

// Month returns the calendar month containing t.
func (c FiscalCalendar) Month(t time.Time) Period {
	y, m, _ := t.In(c.loc()).Date()
	return Period{
		Start: StartOfDay(y, m, 1, c.loc()),
		End:   StartOfDay(y, m+1, 1, c.loc()),
	}
}

// Quarter returns the fiscal quarter containing t.
func (c FiscalCalendar) Quarter(t time.Time) Period {
	y, m, _ := t.In(c.loc()).Date()
	idx := (int(m) - c.start() + 12) % 12
	sm := time.Month(int(m) - idx%3)
	return Period{
		Start: StartOfDay(y, sm, 1, c.loc()),
		End:   StartOfDay(y, sm+3, 1, c.loc()),
	}
}

// Year returns the fiscal year containing t.
func (c FiscalCalendar) Year(t time.Time) Period {
	y, m, _ := t.In(c.loc()).Date()
	idx := (int(m) - c.start() + 12) % 12
	sm := time.Month(int(m) - idx)
	return Period{
		Start: StartOfDay(y, sm, 1, c.loc()),
		End:   StartOfDay(y, sm+12, 1, c.loc()),
	}
}

// Period returns the period of the given unit containing t. An unknown unit
// yields the zero Period.
func (c FiscalCalendar) Period(u Unit, t time.Time) Period {
	switch u {
	case Week:
		return c.Week(t)
	case Month:
		return c.Month(t)
	case Quarter:
		return c.Quarter(t)
	case Year:
		return c.Year(t)
	}
	return Period{}
}

// Periods returns, in order, every period of unit u that overlaps [from, to).
// It returns nil when to is not after from or u is unknown.
func (c FiscalCalendar) Periods(u Unit, from, to time.Time) []Period {
	if !to.After(from) || u < Week || u > Year {
		return nil
	}
	var out []Period
	for p := c.Period(u, from); p.Start.Before(to); p = c.Period(u, p.End) {
		if len(out) > 0 && !p.Start.After(out[len(out)-1].Start) {
			break // cannot happen: every period starts where the last ended
		}
		out = append(out, p)
	}
	return out
}

// StartOfDay returns the first instant of the calendar date y-m-d in loc
// (out-of-range values normalise as in [time.Date]). That is midnight,
// except in zones whose DST starts at midnight (America/Santiago,
// America/Asuncion, America/Havana, …), where the day starts at 01:00 and
// time.Date would return 23:00 of the day before.
func StartOfDay(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if ty, tm, td := t.Date(); ty == want.Year() && tm == want.Month() && td == want.Day() {
		return t
	}
	// Midnight does not exist: the day begins when the clock jumps forward.
	_, end := t.ZoneBounds()
	return end
}

// FiscalYear returns the label of the fiscal year containing t.
func (c FiscalCalendar) FiscalYear(t time.Time) int {
	start := c.Year(t).Start
	if c.LabelByStartYear || c.start() == 1 {
		return start.Year()
	}
	return start.Year() + 1
}

// FiscalQuarter returns the fiscal year label and the quarter number (1–4)
// containing t.
func (c FiscalCalendar) FiscalQuarter(t time.Time) (year, quarter int) {
	_, m, _ := t.In(c.loc()).Date()
	idx := (int(m) - c.start() + 12) % 12
	return c.FiscalYear(t), idx/3 + 1
}

// QuarterLabel returns the fiscal quarter of t as "FY2027-Q1".
func (c FiscalCalendar) QuarterLabel(t time.Time) string {
	y, q := c.FiscalQuarter(t)
	return fmt.Sprintf("FY%d-Q%d", y, q)
}

type fiscalCalendarJSON struct {
	StartMonth       int    `json:"start_month"`
	WeekStart        string `json:"week_start"`
	TimeZone         string `json:"time_zone"`
	LabelByStartYear bool   `json:"label_by_start_year,omitempty"`
}

// MarshalJSON encodes the calendar with the time zone by IANA name.
func (c FiscalCalendar) MarshalJSON() ([]byte, error) {
	return json.Marshal(fiscalCalendarJSON{
		StartMonth:       c.start(),
		WeekStart:        strings.ToLower(c.WeekStart.String()),
		TimeZone:         c.loc().String(),
		LabelByStartYear: c.LabelByStartYear,
	})
}

// UnmarshalJSON decodes {"start_month": 2, "week_start": "monday",
// "time_zone": "America/New_York"}; unknown fields, an unknown week day or
// time zone are errors.
func (c *FiscalCalendar) UnmarshalJSON(data []byte) error {
	var j fiscalCalendarJSON
	if err := decodeStrict(data, &j); err != nil {
		return fmt.Errorf("revalign: fiscal calendar: %w", err)
	}
	out := FiscalCalendar{StartMonth: time.Month(j.StartMonth), LabelByStartYear: j.LabelByStartYear}
	if j.WeekStart != "" {
		wd, err := ParseWeekday(j.WeekStart)
		if err != nil {
			return err
		}
		out.WeekStart = wd
	}
	if j.TimeZone != "" {
		loc, err := time.LoadLocation(j.TimeZone)
		if err != nil {
			return &FieldError{Pkg: "revalign", Path: "time_zone", Value: j.TimeZone, Reason: "unknown IANA time zone"}
		}
		out.Location = loc
	}
	if err := out.Validate(); err != nil {
		return err
	}
	*c = out
	return nil
}

// ParseWeekday parses an English week-day name ("monday", "Mon"), case
// insensitive.
func ParseWeekday(s string) (time.Weekday, error) {
	ls := strings.ToLower(strings.TrimSpace(s))
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if ls == name || (len(ls) == 3 && ls == name[:3]) {
			return d, nil
		}
	}
	return 0, &FieldError{Pkg: "revalign", Path: "week_start", Value: s, Reason: "unknown week day"}
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
