package sla

import (
	"math"
	"slices"
	"time"

	"github.com/revalign/revalign"
)

// The years a Calendar knows holidays and clock changes for. Instants
// outside are clamped to the range: Between counts no business time before
// 1 January 1900 or from 1 January 2200 on, and Add stops at those bounds.
// [Pact.Evaluate] rejects times outside the range rather than clamp them.
const (
	MinYear = 1900
	MaxYear = 2199
)

const (
	secsPerDay = 86400
	nsPerSec   = int64(time.Second)
)

// Schedule is the configuration of a business-hours [Calendar]: an IANA
// time zone, the opening hours of each weekday and the holidays. In JSON:
//
//	{"time_zone": "America/New_York",
//	 "week": {"monday": ["09:00-17:00"], …},
//	 "holidays": [{"name": "Independence Day", "month": 7, "day": 4, "observed": "nearest_weekday"}]}
type Schedule struct {
	// TimeZone is the IANA name of the zone the hours are kept in. "Local",
	// the host's zone, is refused: results must not depend on the machine.
	TimeZone string `json:"time_zone"`
	// Week is the opening hours of each weekday.
	Week Week `json:"week"`
	// Holidays close the calendar (or shorten its day) on their dates.
	Holidays []Holiday `json:"holidays,omitempty"`
}

// Validate reports an unknown time zone (or "Local", the host's zone), bad
// hours or bad holidays.
func (s Schedule) Validate() error {
	v := revalign.Validator{Pkg: "sla"}
	if _, err := loadZone(s.TimeZone); err != nil {
		v.Nest("", err)
	}
	v.Nest("week", s.Week.Validate())
	for i, h := range s.Holidays {
		v.Nest(revalign.Index("holidays", i), h.Validate())
	}
	return v.Err()
}

// Calendar returns the compiled calendar of the schedule.
func (s Schedule) Calendar() (*Calendar, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	loc, _ := loadZone(s.TimeZone)
	return NewCalendar(loc, s.Week, s.Holidays)
}

// loadZone loads the IANA time zone name. "Local" is refused: it loads the
// host's zone, and a pact must give the same results on every machine. ""
// is refused too (time.LoadLocation reads it as UTC).
func loadZone(name string) (*time.Location, error) {
	if name == "Local" {
		return nil, &revalign.FieldError{Pkg: "sla", Path: "time_zone",
			Reason: `time zone "Local" is the host's zone, so results would depend on the machine: name an IANA zone`}
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" {
		return nil, &revalign.FieldError{Pkg: "sla", Path: "time_zone", Value: name, Reason: "unknown IANA time zone"}
	}
	return loc, nil
}

// errLocal reports time.Local given as a zone, at path.
func errLocal(path string) error {
	return &revalign.FieldError{Pkg: "sla", Path: path,
		Reason: "time.Local is the host's zone, so results would depend on the machine: load an IANA zone"}
}

// Calendar answers business-hours questions in one time zone: is it open
// now, when does it next open, how much business time lies between two
// instants, and when is a deadline of so many business hours from now. It
// is compiled once from a [Week] and holidays, and then a call's cost does
// not grow with the span: Between counts whole weeks from the precomputed
// weekly open time, walks only the two partial days, and adds the
// holidays and clock-change days in between from a prefix sum found by
// binary search; Add inverts that count with a galloping search over days
// (a few dozen steps at most over the covered years).
//
// # Semantics
//
// Every instant is first converted into the calendar's zone. A day's hours
// are built from the calendar date, so 09:00–17:00 is eight business hours
// on a 23- or 25-hour day. Intervals are half-open: at 17:00 a 09:00–17:00
// day is closed. A wall-clock time that a clock change skips (02:30 on a
// spring-forward night in New York) is taken as the moment the clock
// jumps past it (03:00 EDT); a wall-clock time that occurs twice (01:30 on a
// fall-back night) is taken at its first occurrence. So an interval means
// "from the first moment the wall clock shows its start until the first
// moment it shows its end": 00:00–24:00 on a fall-back day holds 25 hours,
// and 01:00–03:00 on a spring-forward day holds one hour.
//
// Business time is a clock that runs only while the calendar is open: a
// lead arriving outside hours starts its clock at the next opening, and
// Between(t, Add(t, d)) == d for every t and d inside the covered years
// ([MinYear]–[MaxYear]).
//
// A Calendar is immutable and safe for concurrent use; share one per
// (zone, holiday set). Build it with [NewCalendar] or [Schedule.Calendar]:
// the zero Calendar (and a nil *Calendar) is always closed — Between is 0,
// IsOpen false, and Add and NextOpen return t.
type Calendar struct {
	loc      *time.Location
	week     [7][]span
	daySecs  [7]int64
	weekSecs int64
	prefix   [8]int64 // prefix[k]: open seconds of days 0..k-1 of the epoch week (day 0 is a Thursday)

	// Exceptions: days that differ from the weekly template (holidays,
	// clock-change days), sorted by day, with the running sum of their
	// deltas: exCum[i] is the sum of delta of exceptions 0..i-1.
	exDay []int64
	ex    []exception
	exCum []int64

	holidays []HolidayDate // sorted, for Holiday

	// Zone transitions within the covered range, for mapping wall-clock
	// times to instants on clock-change days.
	off0   int64 // offset before the first transition
	maxOff int64
	trans  []transition

	minDay, maxDay int64 // covered days [minDay, maxDay)
}

type exception struct {
	delta int64  // open seconds of the day minus the weekly template's
	spans []span // the day's open spans (wall clock)
	dst   bool   // the zone's offset changes during the day
}

type transition struct {
	at  int64 // Unix seconds
	off int64 // offset from then on
}

// NewCalendar compiles a calendar in loc with the given weekly hours and
// holidays. A nil loc is UTC; time.Local, the host's zone, is an error
// (load the zone by its IANA name). It returns an error when the week or a
// holiday is invalid (see [Week.Validate], [Holiday.Validate]).
func NewCalendar(loc *time.Location, week Week, holidays []Holiday) (*Calendar, error) {
	if loc == nil {
		loc = time.UTC
	}
	if loc == time.Local {
		return nil, errLocal("loc")
	}
	v := revalign.Validator{Pkg: "sla"}
	days, err := week.compile()
	v.Nest("week", err)
	for i, h := range holidays {
		v.Nest(revalign.Index("holidays", i), h.Validate())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := &Calendar{loc: loc, week: days}
	for d, sp := range days {
		for _, s := range sp {
			c.daySecs[d] += int64(s.close - s.open)
		}
		c.weekSecs += c.daySecs[d]
	}
	for k := range 7 {
		c.prefix[k+1] = c.prefix[k] + c.daySecs[weekdayOf(int64(k))]
	}
	c.minDay = daysFromCivil(MinYear, time.January, 1)
	c.maxDay = daysFromCivil(MaxYear+1, time.January, 1)
	c.loadTransitions()
	c.buildExceptions(holidays)
	return c, nil
}

// loadTransitions records the zone's offset changes over the covered years.
func (c *Calendar) loadTransitions() {
	offAt := func(t time.Time) int64 { _, o := t.Zone(); return int64(o) }
	t := time.Unix((c.minDay-2)*secsPerDay, 0).In(c.loc)
	c.off0 = offAt(t)
	c.maxOff = c.off0
	end := (c.maxDay + 2) * secsPerDay
	prev := c.off0
	for t.Unix() < end {
		_, e := t.ZoneBounds()
		if e.IsZero() {
			break
		}
		if !e.After(t) {
			// Past the zone database's table, Go computes zones from the
			// zone's rule a year at a time and can report a bound that is
			// not after t near the turn of the year. Step a day instead,
			// and find the exact change by bisection if there was one.
			next := t.Add(24 * time.Hour)
			if offAt(next) == offAt(t) {
				t = next
				continue
			}
			lo, hi := t.Unix(), next.Unix() // offset changes in (lo, hi]
			for hi-lo > 1 {
				m := lo + (hi-lo)/2
				if offAt(time.Unix(m, 0).In(c.loc)) == offAt(t) {
					lo = m
				} else {
					hi = m
				}
			}
			e = time.Unix(hi, 0).In(c.loc)
		}
		if o := offAt(e); o != prev {
			c.trans = append(c.trans, transition{at: e.Unix(), off: o})
			prev = o
			c.maxOff = max(c.maxOff, o)
		}
		t = e
	}
}

func (c *Calendar) buildExceptions(holidays []Holiday) {
	byDay := map[int64]*exception{}
	get := func(day int64) *exception {
		e := byDay[day]
		if e == nil {
			e = &exception{spans: c.week[weekdayOf(day)]}
			byDay[day] = e
		}
		return e
	}
	c.holidays = HolidayDates(holidays, MinYear, MaxYear)
	for _, h := range c.holidays {
		sp, _ := normalize(holidaySpans(holidays[h.idx].OpenHours))
		day := daysFromCivil(h.Date.Year, h.Date.Month, h.Date.Day)
		if slices.Equal(sp, c.week[weekdayOf(day)]) {
			continue // a weekend holiday on a closed day changes nothing
		}
		get(day).spans = sp
	}
	prev := c.off0
	for _, tr := range c.trans {
		a := floorDiv(tr.at+prev, secsPerDay)
		b := floorDiv(tr.at+tr.off, secsPerDay)
		for d := min(a, b); d <= max(a, b); d++ {
			get(d).dst = true
		}
		prev = tr.off
	}
	c.exDay = make([]int64, 0, len(byDay))
	for d := range byDay {
		if d >= c.minDay && d < c.maxDay {
			c.exDay = append(c.exDay, d)
		}
	}
	slices.Sort(c.exDay)
	c.ex = make([]exception, len(c.exDay))
	c.exCum = make([]int64, len(c.exDay)+1)
	for i, d := range c.exDay {
		e := *byDay[d]
		e.delta = c.actualSecs(d, e) - c.daySecs[weekdayOf(d)]
		c.ex[i] = e
		c.exCum[i+1] = c.exCum[i] + e.delta
	}
}

// actualSecs returns the open seconds of day d under exception e.
func (c *Calendar) actualSecs(d int64, e exception) int64 {
	var n int64
	for _, s := range e.spans {
		if e.dst {
			n += c.wallInstant(d*secsPerDay+int64(s.close)) - c.wallInstant(d*secsPerDay+int64(s.open))
		} else {
			n += int64(s.close - s.open)
		}
	}
	return n
}

// wallInstant returns the first instant (Unix seconds) at which the wall
// clock shows local time L (seconds since the epoch in wall-clock terms) or
// later.
func (c *Calendar) wallInstant(L int64) int64 {
	probe := L - c.maxOff // before probe the wall clock is below L
	k, _ := slices.BinarySearchFunc(c.trans, probe, func(tr transition, x int64) int {
		if tr.at <= x {
			return -1
		}
		return 1
	})
	for ; ; k++ {
		start, off := int64(math.MinInt64), c.off0
		if k > 0 {
			start, off = c.trans[k-1].at, c.trans[k-1].off
		}
		cand := max(start, L-off)
		if k == len(c.trans) || cand < c.trans[k].at {
			return cand
		}
	}
}

// closed reports whether c is a zero or nil Calendar.
func (c *Calendar) closed() bool { return c == nil || c.loc == nil }

// Location returns the calendar's time zone (UTC for a zero Calendar).
func (c *Calendar) Location() *time.Location {
	if c.closed() {
		return time.UTC
	}
	return c.loc
}

// WeeklyHours returns the open time of a week without holidays (nominal
// hours; clock changes can add or remove an hour on their day).
func (c *Calendar) WeeklyHours() time.Duration {
	if c.closed() {
		return 0
	}
	return time.Duration(c.weekSecs) * time.Second
}

// exIndex returns the number of exceptions before day d and whether d is
// itself an exception.
func (c *Calendar) exIndex(d int64) (int, bool) {
	lo, hi := 0, len(c.exDay)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c.exDay[m] < d {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(c.exDay) && c.exDay[lo] == d
}

// cday returns the business seconds from the epoch's midnight to the start
// of day d (negative before 1970), for d in [minDay, maxDay].
func (c *Calendar) cday(d int64) int64 {
	p, _ := c.exIndex(d)
	return c.nominal(d) + c.exCum[p]
}

func (c *Calendar) nominal(d int64) int64 {
	return floorDiv(d, 7)*c.weekSecs + c.prefix[floorMod(d, 7)]
}

// pos is an instant located in the calendar: its day, that day's entry in
// the exception list, and its Unix time.
type pos struct {
	day   int64
	p     int  // exceptions before day
	isEx  bool // day is an exception
	unix  int64
	nsec  int64
	wall  int64 // wall-clock seconds since the day's midnight
	clamp int   // -1 before the covered range, +1 after, 0 inside
	inst  bool  // map the day's hours to instants (clock-change day)
}

func (c *Calendar) locate(t time.Time) pos {
	lt := t.In(c.loc)
	_, off := lt.Zone()
	u := lt.Unix()
	L := u + int64(off)
	d := floorDiv(L, secsPerDay)
	ps := pos{day: d, unix: u, nsec: int64(lt.Nanosecond()), wall: L - d*secsPerDay}
	switch {
	case d < c.minDay:
		ps.day, ps.clamp = c.minDay, -1
	case d >= c.maxDay:
		ps.day, ps.clamp = c.maxDay, 1
	}
	ps.p, ps.isEx = c.exIndex(ps.day)
	if ps.clamp == 0 && ps.isEx && c.ex[ps.p].dst {
		// On a clock-change day the wall-clock date can disagree with the
		// day the instant belongs to (a fall-back at midnight repeats the
		// last hour of the day before): place the instant by day starts.
		for ps.day > c.minDay && u < c.wallInstant(ps.day*secsPerDay) {
			ps.day--
		}
		for ps.day+1 < c.maxDay && u >= c.wallInstant((ps.day+1)*secsPerDay) {
			ps.day++
		}
		ps.p, ps.isEx = c.exIndex(ps.day)
		ps.inst = true
	}
	return ps
}

func (c *Calendar) spansOf(ps pos) ([]span, bool) {
	if ps.isEx {
		return c.ex[ps.p].spans, c.ex[ps.p].dst || ps.inst
	}
	return c.week[weekdayOf(ps.day)], ps.inst
}

// f returns the business time in nanoseconds from the epoch's midnight to
// t. Between is f(b) - f(a).
func (c *Calendar) f(t time.Time) int64 {
	ps := c.locate(t)
	base := (c.nominal(ps.day) + c.exCum[ps.p]) * nsPerSec
	if ps.clamp != 0 {
		return base
	}
	spans, dst := c.spansOf(ps)
	var n int64
	if dst {
		now := ps.unix*nsPerSec + ps.nsec
		d0 := ps.day * secsPerDay
		for _, s := range spans {
			o := c.wallInstant(d0+int64(s.open)) * nsPerSec
			e := c.wallInstant(d0+int64(s.close)) * nsPerSec
			if now <= o {
				break
			}
			n += min(now, e) - o
		}
		return base + n
	}
	for _, s := range spans {
		if ps.wall < int64(s.open) {
			break
		}
		if ps.wall >= int64(s.close) {
			n += int64(s.close-s.open) * nsPerSec
			continue
		}
		n += (ps.wall-int64(s.open))*nsPerSec + ps.nsec
		break
	}
	return base + n
}

// Between returns the business time from a to b: the open time of the
// calendar inside [a, b). It is negative when b is before a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if c.closed() {
		return 0
	}
	fa, fb := c.f(a), c.f(b)
	d := fb - fa
	if (fb > fa) != (d > 0) && fb != fa { // overflow past ±292 years
		if fb > fa {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return time.Duration(d)
}

// IsOpen reports whether the calendar is open at t (intervals are
// half-open: open at 09:00, closed at 17:00).
func (c *Calendar) IsOpen(t time.Time) bool {
	if c.closed() {
		return false
	}
	ps := c.locate(t)
	if ps.clamp != 0 {
		return false
	}
	spans, dst := c.spansOf(ps)
	for _, s := range spans {
		if dst {
			d0 := ps.day * secsPerDay
			if ps.unix >= c.wallInstant(d0+int64(s.open)) && ps.unix < c.wallInstant(d0+int64(s.close)) {
				return true
			}
			continue
		}
		if ps.wall >= int64(s.open) && ps.wall < int64(s.close) {
			return true
		}
	}
	return false
}

// NextOpen returns the instant a business clock started at t begins to
// run: t itself, unchanged (same location), when the calendar is open at t,
// and otherwise the next opening after t, in the calendar's zone (as
// Salesforce's BusinessHours.nextStartDate). A zero Calendar returns t.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if c.closed() || c.IsOpen(t) {
		return t
	}
	// Openings fall on whole seconds: one nanosecond of business time
	// after t is one nanosecond after the next opening.
	return c.Add(t, time.Nanosecond).Add(-time.Nanosecond)
}

// Add returns the instant at which d of business time has elapsed since t:
// the deadline of a d-business-hours commitment started at t. A t outside
// hours starts at the next opening (Friday 16:00 + 2h on 09:00–17:00 is
// Monday 10:00); a deadline that ends exactly at a closing time is that
// closing time. A negative d counts backward to the first instant from
// which d of business time runs up to t. Add(t, 0) returns t unchanged
// (same location); any other result is in the calendar's zone.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d == 0 || c.closed() {
		return t
	}
	start := c.locate(t)
	f := c.f(t)
	target := f + int64(d)
	if (d > 0) != (target > f) { // saturate instead of wrapping
		if d > 0 {
			target = math.MaxInt64
		} else {
			target = math.MinInt64
		}
	}
	return time.Unix(0, c.inverse(target, start.day)).In(c.loc)
}

// inverse returns the first instant (Unix nanoseconds) at which the
// business clock reaches target; hint is a day near the answer.
func (c *Calendar) inverse(target int64, hint int64) int64 {
	cd := func(d int64) int64 { return c.cday(d) * nsPerSec }
	if target <= cd(c.minDay) {
		return c.wallInstant(c.minDay*secsPerDay) * nsPerSec
	}
	if target > cd(c.maxDay) {
		return c.wallInstant(c.maxDay*secsPerDay) * nsPerSec
	}
	// Find the last day whose start is below target: lo has cd < target,
	// hi has cd >= target. Gallop from the hint, then bisect.
	hint = min(max(hint, c.minDay), c.maxDay)
	perDay := max(c.weekSecs*nsPerSec/7, 1)
	var lo, hi int64
	if cd(hint) < target {
		lo = hint
		step := (target-cd(hint))/perDay + 1
		for {
			hi = min(lo+step, c.maxDay)
			if cd(hi) >= target {
				break
			}
			lo, step = hi, step*2
		}
	} else {
		hi = hint
		step := (cd(hint)-target)/perDay + 1
		for {
			lo = max(hi-step, c.minDay)
			if cd(lo) < target {
				break
			}
			hi, step = lo, step*2
		}
	}
	for hi-lo > 1 {
		m := lo + (hi-lo)/2
		if cd(m) < target {
			lo = m
		} else {
			hi = m
		}
	}
	// The clock reaches target inside day lo.
	r := target - cd(lo)
	p, isEx := c.exIndex(lo)
	spans, dst := c.spansOf(pos{day: lo, p: p, isEx: isEx})
	d0 := lo * secsPerDay
	for _, s := range spans {
		var o, e int64
		if dst {
			o, e = c.wallInstant(d0+int64(s.open)), c.wallInstant(d0+int64(s.close))
		} else {
			o = c.wallInstant(d0 + int64(s.open))
			e = o + int64(s.close-s.open)
		}
		if n := (e - o) * nsPerSec; r > n {
			r -= n
			continue
		}
		return o*nsPerSec + r
	}
	// Unreachable when cd is consistent; stay safe.
	return c.wallInstant((lo+1)*secsPerDay) * nsPerSec
}

// Holiday reports whether t falls on a holiday (or an observed holiday) in
// the calendar's zone, and which.
func (c *Calendar) Holiday(t time.Time) (HolidayDate, bool) {
	if c.closed() {
		return HolidayDate{}, false
	}
	d := DateOf(t.In(c.loc))
	i, ok := slices.BinarySearchFunc(c.holidays, d, func(h HolidayDate, x Date) int {
		return int(daysFromCivil(h.Date.Year, h.Date.Month, h.Date.Day) - daysFromCivil(x.Year, x.Month, x.Day))
	})
	if !ok {
		return HolidayDate{}, false
	}
	return c.holidays[i], true
}
