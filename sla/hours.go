package sla

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/revalign/revalign"
)

// Interval is a half-open span of wall-clock time [Start, End) within a
// day, as offsets from midnight: {9 * time.Hour, 17 * time.Hour} is
// 09:00–17:00. End may be 24h (a day open until midnight, {0, 24h} for a
// 24-hour day). An End before Start is an overnight shift: it runs from
// Start to midnight and on into the next day until End, and is split at
// midnight (each part belongs to its own date, so a holiday on the second
// date closes the second part).
//
// In JSON an Interval is text, "09:00-17:00" (seconds allowed:
// "09:00:30-17:00"); a 24-hour day is "00:00-24:00", or "00:00-00:00" as
// Salesforce writes it.
type Interval struct {
	// Start is the opening time, from midnight, in whole seconds in
	// [0, 24h).
	Start time.Duration
	// End is the closing time, from midnight, in whole seconds in (0, 24h];
	// before Start for an overnight shift.
	End time.Duration
}

// Hours returns the interval from h1:00 to h2:00.
func Hours(h1, h2 int) Interval {
	return Interval{time.Duration(h1) * time.Hour, time.Duration(h2) * time.Hour}
}

// Overnight reports whether the interval runs past midnight.
func (iv Interval) Overnight() bool { return iv.End < iv.Start }

// Validate reports bounds outside a day, a fraction of a second, or an
// empty interval.
func (iv Interval) Validate() error {
	v := revalign.Validator{Pkg: "sla"}
	v.Check(iv.Start >= 0 && iv.Start < 24*time.Hour && iv.Start%time.Second == 0,
		"start", iv.Start.String(), "must be whole seconds in [00:00, 24:00)")
	v.Check(iv.End > 0 && iv.End <= 24*time.Hour && iv.End%time.Second == 0,
		"end", iv.End.String(), "must be whole seconds in (00:00, 24:00]")
	v.Check(iv.Start != iv.End, "", iv.String(), "interval is empty")
	return v.Err()
}

// String returns "09:00-17:00".
func (iv Interval) String() string { return clock(iv.Start) + "-" + clock(iv.End) }

func clock(d time.Duration) string {
	s := int64(d / time.Second)
	if s%60 != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/3600, s/60%60)
}

// MarshalText encodes the interval as "09:00-17:00".
func (iv Interval) MarshalText() ([]byte, error) { return []byte(iv.String()), nil }

// UnmarshalText decodes "09:00-17:00", "22:00-06:00" (overnight), or a
// 24-hour day: "00:00-24:00", or Salesforce's "00:00-00:00" (which
// encodes back as "00:00-24:00"). Any other interval that starts and ends at
// the same time is empty, and an error.
func (iv *Interval) UnmarshalText(b []byte) error {
	s := string(b)
	a, z, ok := strings.Cut(s, "-")
	if !ok {
		return &revalign.FieldError{Pkg: "sla", Path: "interval", Value: s, Reason: `must read "HH:MM-HH:MM"`}
	}
	start, err1 := parseClock(a)
	end, err2 := parseClock(z)
	if err1 != nil || err2 != nil {
		return &revalign.FieldError{Pkg: "sla", Path: "interval", Value: s, Reason: `must read "HH:MM-HH:MM"`}
	}
	out := Interval{start, end}
	if start == 0 && end == 0 {
		out.End = 24 * time.Hour // Salesforce's notation of a 24-hour day
	}
	if err := out.Validate(); err != nil {
		return err
	}
	*iv = out
	return nil
}

// parseClock parses "HH:MM" or "HH:MM:SS", with "24:00" allowed.
func parseClock(s string) (time.Duration, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, strconv.ErrSyntax
	}
	var n [3]int
	limits := [3]int{24, 59, 59}
	for i, p := range parts {
		if len(p) != 2 {
			return 0, strconv.ErrSyntax
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > limits[i] {
			return 0, strconv.ErrSyntax
		}
		n[i] = v
	}
	if n[0] == 24 && (n[1] != 0 || n[2] != 0) {
		return 0, strconv.ErrRange
	}
	return time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute + time.Duration(n[2])*time.Second, nil
}

// Week is the opening hours of each day of the week, as intervals of wall
// clock time. A day with no interval is closed. Several intervals make a day
// with breaks: Monday: {Hours(9, 12), Hours(13, 17)} closes for lunch. In
// JSON: {"monday": ["09:00-12:00", "13:00-17:00"], "tuesday": [...], ...}.
type Week struct {
	// Monday is Monday's opening hours; none: closed.
	Monday []Interval `json:"monday,omitempty"`
	// Tuesday is Tuesday's opening hours; none: closed.
	Tuesday []Interval `json:"tuesday,omitempty"`
	// Wednesday is Wednesday's opening hours; none: closed.
	Wednesday []Interval `json:"wednesday,omitempty"`
	// Thursday is Thursday's opening hours; none: closed.
	Thursday []Interval `json:"thursday,omitempty"`
	// Friday is Friday's opening hours; none: closed.
	Friday []Interval `json:"friday,omitempty"`
	// Saturday is Saturday's opening hours; none: closed.
	Saturday []Interval `json:"saturday,omitempty"`
	// Sunday is Sunday's opening hours; none: closed.
	Sunday []Interval `json:"sunday,omitempty"`
}

// Weekdays returns a week open Monday to Friday with the given intervals
// each day, closed at weekends: Weekdays(Hours(9, 17)) is the seed's
// business day.
func Weekdays(day ...Interval) Week {
	return Week{Monday: day, Tuesday: day, Wednesday: day, Thursday: day, Friday: day}
}

// Day returns the intervals of weekday d.
func (w Week) Day(d time.Weekday) []Interval {
	switch d {
	case time.Monday:
		return w.Monday
	case time.Tuesday:
		return w.Tuesday
	case time.Wednesday:
		return w.Wednesday
	case time.Thursday:
		return w.Thursday
	case time.Friday:
		return w.Friday
	case time.Saturday:
		return w.Saturday
	case time.Sunday:
		return w.Sunday
	}
	return nil
}

// Validate reports bad intervals, overlapping intervals and a week with no
// open time at all (no deadline could ever be reached).
func (w Week) Validate() error {
	_, err := w.compile()
	return err
}

// span is an open interval of one day in seconds since local midnight.
type span struct{ open, close int32 }

// compile splits overnight intervals at midnight and returns, per weekday,
// sorted, non-overlapping spans with adjacent ones merged.
func (w Week) compile() ([7][]span, error) {
	var days [7][]span
	v := revalign.Validator{Pkg: "sla"}
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		for i, iv := range w.Day(d) {
			if err := iv.Validate(); err != nil {
				v.Nest(revalign.Index(name, i), err)
				continue
			}
			s, e := int32(iv.Start/time.Second), int32(iv.End/time.Second)
			if iv.Overnight() {
				next := (d + 1) % 7
				days[d] = append(days[d], span{s, 86400})
				days[next] = append(days[next], span{0, e})
				continue
			}
			days[d] = append(days[d], span{s, e})
		}
	}
	var total int64
	for d := range days {
		sp, ok := normalize(days[d])
		if !ok {
			v.Add(strings.ToLower(time.Weekday(d).String()), formatSpans(days[d]), "intervals overlap")
		}
		days[d] = sp
		for _, s := range sp {
			total += int64(s.close - s.open)
		}
	}
	if v.Len() == 0 && total == 0 {
		v.Add("", nil, "the week has no open hours")
	}
	return days, v.Err()
}

// normalize sorts spans, merges adjacent ones and reports overlaps.
func normalize(in []span) ([]span, bool) {
	if len(in) == 0 {
		return nil, true
	}
	sp := slices.Clone(in)
	slices.SortFunc(sp, func(a, b span) int { return int(a.open - b.open) })
	out := sp[:1]
	ok := true
	for _, s := range sp[1:] {
		last := &out[len(out)-1]
		switch {
		case s.open < last.close:
			ok = false
			last.close = max(last.close, s.close)
		case s.open == last.close:
			last.close = s.close
		default:
			out = append(out, s)
		}
	}
	return out, ok
}

func formatSpans(sp []span) string {
	parts := make([]string, len(sp))
	for i, s := range sp {
		parts[i] = Interval{time.Duration(s.open) * time.Second, time.Duration(s.close) * time.Second}.String()
	}
	return strings.Join(parts, ", ")
}
