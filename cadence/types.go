package cadence

import (
	"fmt"
	"strings"
	"time"

	"github.com/revalign/revalign"
)

// Weekday is a day of the week that reads and writes as its English name in
// JSON and YAML ("tuesday"). Its values are those of [time.Weekday]; the zero
// value is Sunday.
type Weekday time.Weekday

// The week days, for configuration literals.
const (
	Sunday    = Weekday(time.Sunday)
	Monday    = Weekday(time.Monday)
	Tuesday   = Weekday(time.Tuesday)
	Wednesday = Weekday(time.Wednesday)
	Thursday  = Weekday(time.Thursday)
	Friday    = Weekday(time.Friday)
	Saturday  = Weekday(time.Saturday)
)

func (d Weekday) valid() bool { return d >= Sunday && d <= Saturday }

// String returns the English name of the day ("Tuesday").
func (d Weekday) String() string { return time.Weekday(d).String() }

// MarshalText encodes the day as its lower-case English name.
func (d Weekday) MarshalText() ([]byte, error) {
	if !d.valid() {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "weekday", Value: int(d), Reason: "must be 0 (Sunday) to 6 (Saturday)"}
	}
	return []byte(strings.ToLower(d.String())), nil
}

// UnmarshalText decodes an English day name, full or three letters, in any
// case ("Tue", "tuesday").
func (d *Weekday) UnmarshalText(b []byte) error {
	wd, err := revalign.ParseWeekday(string(b))
	if err != nil {
		return &revalign.FieldError{Pkg: pkg, Path: "weekday", Value: string(b), Reason: "unknown week day"}
	}
	*d = Weekday(wd)
	return nil
}

// Clock is a wall-clock time of day in minutes after midnight: At(14, 30) is
// 14:30. It reads and writes as "14:30" in JSON and YAML. The zero value is
// midnight.
type Clock int

// At returns the time of day hour:minute.
func At(hour, minute int) Clock { return Clock(hour*60 + minute) }

// Hour returns the hour of the time of day (0–23).
func (c Clock) Hour() int { return int(c) / 60 }

// Minute returns the minute of the hour (0–59).
func (c Clock) Minute() int { return int(c) % 60 }

func (c Clock) valid() bool { return c >= 0 && c < 24*60 }

// String formats the time of day as "09:05".
func (c Clock) String() string {
	if !c.valid() {
		return fmt.Sprintf("Clock(%d)", int(c))
	}
	return fmt.Sprintf("%02d:%02d", c.Hour(), c.Minute())
}

// MarshalText encodes the time of day as "HH:MM".
func (c Clock) MarshalText() ([]byte, error) {
	if !c.valid() {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "at", Value: int(c), Reason: "must be a time of day 00:00..23:59"}
	}
	return []byte(c.String()), nil
}

// UnmarshalText decodes a 24-hour "HH:MM" time of day ("9:30" is accepted).
func (c *Clock) UnmarshalText(b []byte) error {
	t, err := time.Parse("15:04", strings.TrimSpace(string(b)))
	if err != nil {
		return &revalign.FieldError{Pkg: pkg, Path: "at", Value: string(b), Reason: "must be a 24-hour time HH:MM"}
	}
	*c = At(t.Hour(), t.Minute())
	return nil
}

const pkg = "cadence"

func validator() revalign.Validator { return revalign.Validator{Pkg: pkg} }

// blank reports whether s is empty or only white space.
func blank(s string) bool {
	if s == "" {
		return true
	}
	if c, d := s[0], s[len(s)-1]; c > ' ' && c < 0x80 || d > ' ' && d < 0x80 {
		return false // a printable ASCII byte at either end
	}
	return strings.TrimSpace(s) == ""
}

// checkOwner records the errors of a required owner under path.
func checkOwner(v *revalign.Validator, path string, o revalign.Owner, missing string) {
	if o.IsZero() {
		v.Add(path, nil, missing)
		return
	}
	v.Nest(path, o.Validate())
}

// checkOptionalOwner records the errors of an owner that may be absent.
func checkOptionalOwner(v *revalign.Validator, path string, o revalign.Owner) {
	if !o.IsZero() {
		v.Nest(path, o.Validate())
	}
}

// recordError reports a bad record by its ID, or by its position in the
// list (e.g. "losses[3]") when it has none.
func recordError(id, list string, i int, err error) revalign.RecordError {
	if blank(id) {
		id = fmt.Sprintf("%s[%d]", list, i)
	}
	return revalign.RecordError{ID: id, Err: err}
}
