package revalign_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func loc(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	require.NoError(t, err)
	return l
}

func TestFiscalCalendarQuarters(t *testing.T) {
	ny := loc(t, "America/New_York")
	cal, err := revalign.NewFiscalCalendar(time.February, time.Monday, ny)
	require.NoError(t, err)
	cases := []struct {
		at           time.Time
		label        string
		qStart, qEnd string
		yStart       string
	}{
		{time.Date(2026, 9, 28, 9, 0, 0, 0, ny), "FY2027-Q3", "2026-08-01", "2026-11-01", "2026-02-01"},
		{time.Date(2026, 2, 1, 0, 0, 0, 0, ny), "FY2027-Q1", "2026-02-01", "2026-05-01", "2026-02-01"},
		{time.Date(2026, 1, 31, 23, 59, 0, 0, ny), "FY2026-Q4", "2025-11-01", "2026-02-01", "2025-02-01"},
		// 03:30 UTC on 1 February is still 31 January in New York
		{time.Date(2026, 2, 1, 3, 30, 0, 0, time.UTC), "FY2026-Q4", "2025-11-01", "2026-02-01", "2025-02-01"},
		{time.Date(2025, 12, 15, 12, 0, 0, 0, ny), "FY2026-Q4", "2025-11-01", "2026-02-01", "2025-02-01"},
	}
	for _, tc := range cases {
		q := cal.Quarter(tc.at)
		assert.Equal(t, tc.label, cal.QuarterLabel(tc.at), "%s", tc.at)
		assert.Equal(t, tc.qStart, q.Start.Format(time.DateOnly))
		assert.Equal(t, tc.qEnd, q.End.Format(time.DateOnly))
		assert.Equal(t, tc.yStart, cal.Year(tc.at).Start.Format(time.DateOnly))
		assert.True(t, q.Contains(tc.at))
		assert.Equal(t, ny, q.Start.Location())
	}
	cal.LabelByStartYear = true
	assert.Equal(t, "FY2026-Q3", cal.QuarterLabel(time.Date(2026, 9, 28, 9, 0, 0, 0, ny)))

	var zero revalign.FiscalCalendar
	assert.Equal(t, "FY2026-Q3", zero.QuarterLabel(time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)), "zero value: calendar year in UTC")
	assert.Equal(t, "2026-07-01", zero.Quarter(time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)).Start.Format(time.DateOnly))
}

func TestFiscalCalendarWeeksAcrossDST(t *testing.T) {
	berlin := loc(t, "Europe/Berlin")
	cal := revalign.FiscalCalendar{WeekStart: time.Monday, Location: berlin}
	// The week of the spring-forward Sunday 2026-03-29 is 167 hours long.
	w := cal.Week(time.Date(2026, 3, 29, 12, 0, 0, 0, berlin))
	assert.Equal(t, time.Date(2026, 3, 23, 0, 0, 0, 0, berlin), w.Start)
	assert.Equal(t, time.Date(2026, 3, 30, 0, 0, 0, 0, berlin), w.End)
	assert.Equal(t, 167*time.Hour, w.Duration())
	assert.Equal(t, 7, w.Days())
	// Autumn: 169 hours.
	w = cal.Week(time.Date(2026, 10, 25, 2, 30, 0, 0, berlin))
	assert.Equal(t, 169*time.Hour, w.Duration())
	assert.Equal(t, 7, w.Days())
	// A Monday belongs to its own week; Sunday start moves it.
	mon := time.Date(2026, 9, 28, 0, 0, 0, 0, berlin)
	assert.Equal(t, mon, cal.Week(mon).Start)
	cal.WeekStart = time.Sunday
	assert.Equal(t, time.Date(2026, 9, 27, 0, 0, 0, 0, berlin), cal.Week(mon).Start)
}

func TestPeriods(t *testing.T) {
	cal := revalign.FiscalCalendar{StartMonth: time.February}
	from := time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	qs := cal.Periods(revalign.Quarter, from, to)
	require.Len(t, qs, 2)
	assert.Equal(t, "2025-11-01..2026-02-01", qs[0].String())
	assert.Equal(t, "2026-02-01..2026-05-01", qs[1].String())
	assert.Len(t, cal.Periods(revalign.Month, from, to), 5) // Dec, Jan, Feb, Mar, Apr
	assert.Len(t, cal.Periods(revalign.Year, from, to), 2)
	assert.Nil(t, cal.Periods(revalign.Week, to, from))
	assert.Nil(t, cal.Periods(revalign.Unit(9), from, to))
	assert.Equal(t, revalign.Period{}, cal.Period(revalign.Unit(0), from))
	assert.Equal(t, cal.Month(from), cal.Period(revalign.Month, from))
	assert.Equal(t, cal.Week(from), cal.Period(revalign.Week, from))
}

func TestDaysBetween(t *testing.T) {
	ny := loc(t, "America/New_York")
	// 2026-03-08 is 23 hours long in New York; still one day.
	assert.Equal(t, 1, revalign.DaysBetween(time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 9, 0, 0, 0, 0, ny)))
	assert.Equal(t, 0, revalign.DaysBetween(time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 8, 23, 0, 0, 0, ny)))
	assert.Equal(t, -31, revalign.DaysBetween(time.Date(2026, 2, 1, 0, 0, 0, 0, ny), time.Date(2026, 1, 1, 0, 0, 0, 0, ny)))
}

func TestUnitText(t *testing.T) {
	for _, u := range []revalign.Unit{revalign.Week, revalign.Month, revalign.Quarter, revalign.Year} {
		b, err := u.MarshalText()
		require.NoError(t, err)
		var back revalign.Unit
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, u, back)
		assert.Equal(t, string(b), u.String())
	}
	var u revalign.Unit
	assert.ErrorIs(t, u.UnmarshalText([]byte("fortnight")), revalign.ErrInvalid)
	_, err := revalign.Unit(0).MarshalText()
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.Equal(t, "Unit(7)", revalign.Unit(7).String())
}

func TestFiscalCalendarJSON(t *testing.T) {
	var c revalign.FiscalCalendar
	require.NoError(t, json.Unmarshal([]byte(`{"start_month": 2, "week_start": "Mon", "time_zone": "Europe/Berlin"}`), &c))
	assert.Equal(t, time.February, c.StartMonth)
	assert.Equal(t, time.Monday, c.WeekStart)
	assert.Equal(t, "Europe/Berlin", c.Location.String())
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.JSONEq(t, `{"start_month": 2, "week_start": "monday", "time_zone": "Europe/Berlin"}`, string(b))

	for _, bad := range []string{
		`{"start_month": 13}`,
		`{"week_start": "someday"}`,
		`{"time_zone": "Mars/Olympus"}`,
		`{"start_month": 2, "extra": 1}`,
		`[1]`,
	} {
		assert.Error(t, json.Unmarshal([]byte(bad), &c), bad)
	}
	_, err = revalign.NewFiscalCalendar(time.Month(14), time.Monday, nil)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func FuzzFiscalCalendarJSON(f *testing.F) {
	f.Add([]byte(`{"start_month": 2, "week_start": "monday", "time_zone": "America/New_York"}`))
	f.Add([]byte(`{"start_month": -1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c revalign.FiscalCalendar
		if err := json.Unmarshal(data, &c); err != nil {
			return
		}
		require.NoError(t, c.Validate())
		at := time.Date(2026, 5, 17, 12, 0, 0, 0, time.UTC)
		q := c.Quarter(at)
		assert.True(t, q.Contains(at))
		assert.True(t, c.Year(at).Contains(at))
		assert.True(t, c.Week(at).Contains(at))
	})
}

// In Santiago DST starts at midnight: 2026-09-06 begins at 01:00. Periods
// must still start at the first instant of their day and follow each other.
func TestFiscalCalendarMidnightDST(t *testing.T) {
	scl := loc(t, "America/Santiago")
	day := revalign.StartOfDay(2026, 9, 6, scl)
	assert.Equal(t, "2026-09-06 01:00:00 -03", day.Format("2006-01-02 15:04:05 -07"))
	assert.Equal(t, time.Date(2026, 9, 5, 0, 0, 0, 0, scl), revalign.StartOfDay(2026, 9, 5, scl))

	cal := revalign.FiscalCalendar{WeekStart: time.Sunday, Location: scl}
	at := time.Date(2026, 9, 5, 23, 30, 0, 0, scl)
	w := cal.Week(at)
	assert.True(t, w.Contains(at), "%s contains %s", w, at)
	assert.Equal(t, day, w.End)
	weeks := cal.Periods(revalign.Week, time.Date(2026, 8, 1, 0, 0, 0, 0, scl), time.Date(2026, 10, 1, 0, 0, 0, 0, scl))
	require.Len(t, weeks, 10)
	for i := 1; i < len(weeks); i++ {
		assert.Equal(t, weeks[i-1].End, weeks[i].Start)
	}
	asu := loc(t, "America/Asuncion")
	m := revalign.FiscalCalendar{Location: asu}.Month(time.Date(2023, 9, 30, 23, 30, 0, 0, asu))
	assert.True(t, m.Contains(time.Date(2023, 9, 30, 23, 30, 0, 0, asu)))
}

// FuzzFiscalCalendarPeriods checks, for any fiscal start, week start, zone
// and instant, that every period contains the instant and that consecutive
// periods join without a gap.
func FuzzFiscalCalendarPeriods(f *testing.F) {
	zones := []string{"UTC", "America/New_York", "Europe/Berlin", "America/Santiago", "America/Asuncion",
		"America/Havana", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia", "Asia/Tehran"}
	f.Add(uint8(2), uint8(1), uint8(3), int64(1788566400))
	f.Add(uint8(1), uint8(0), uint8(4), int64(1696130000))
	f.Fuzz(func(t *testing.T, month, weekday, zone uint8, secs int64) {
		l, err := time.LoadLocation(zones[int(zone)%len(zones)])
		require.NoError(t, err)
		cal := revalign.FiscalCalendar{StartMonth: time.Month(month%12 + 1), WeekStart: time.Weekday(weekday % 7), Location: l}
		at := time.Unix(secs%(200*365*86400), 0) // within ±200 years of 1970
		for _, u := range []revalign.Unit{revalign.Week, revalign.Month, revalign.Quarter, revalign.Year} {
			p := cal.Period(u, at)
			if !p.Contains(at) {
				t.Fatalf("%s of %s = %s does not contain it", u, at.In(l), p)
			}
			if next := cal.Period(u, p.End); !next.Start.Equal(p.End) {
				t.Fatalf("%s after %s starts at %s", u, p, next.Start)
			}
		}
	})
}
