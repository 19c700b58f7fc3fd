package sla

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/revalign/revalign"
	"github.com/stretchr/testify/require"
)

// FuzzParsePact: any input is either rejected with an error or is a valid
// pact that survives a JSON round trip unchanged (same content hash).
func FuzzParsePact(f *testing.F) {
	p := DefaultPact()
	p.BusinessHours.RegionHolidays = map[string][]Holiday{"EMEA": {Easter("Good Friday", -2)}}
	b, _ := json.Marshal(p)
	f.Add(b)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"marketing": {"mql_volume_per_week": -1}}`))
	f.Add([]byte(`{"business_hours": {"week": {"monday": ["22:00-06:00"]}}}`))
	f.Add([]byte(`{"effective": "2026-02-30"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePact(data)
		if err != nil {
			return
		}
		require.NoError(t, p.Validate())
		b, err := json.Marshal(p)
		require.NoError(t, err)
		back, err := ParsePact(b)
		require.NoError(t, err, "%s", b)
		h1, err1 := p.Hash()
		h2, err2 := back.Hash()
		require.NoError(t, err1)
		require.NoError(t, err2)
		require.Equal(t, h1, h2)
	})
}

// FuzzInterval: parsing never panics; what parses prints back the same.
func FuzzInterval(f *testing.F) {
	for _, s := range []string{"09:00-17:00", "00:00-24:00", "22:00-06:00", "09:00:30-10:00", "9-5", "24:00-24:00", "-", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var iv Interval
		if err := iv.UnmarshalText([]byte(s)); err != nil {
			require.ErrorIs(t, err, revalign.ErrInvalid)
			return
		}
		require.NoError(t, iv.Validate())
		var back Interval
		require.NoError(t, back.UnmarshalText([]byte(iv.String())))
		require.Equal(t, iv, back)
	})
}

// FuzzDate: parsing never panics; what parses is a real date that prints
// back the same.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"2026-02-02", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		require.True(t, d.Valid())
		require.Equal(t, s, d.String())
	})
}

// FuzzHolidayCalendar: any holiday that validates compiles into a
// calendar whose Add and Between stay consistent around its dates.
func FuzzHolidayCalendar(f *testing.F) {
	f.Add("x", 0, 1, 1, "", 0, -1000, "nearest_weekday", 9, 13)
	f.Add("x", 0, 11, 0, "thursday", 4, -1000, "", 0, 0)
	f.Add("x", 0, 0, 0, "", 0, -2, "next_weekday", 0, 0)
	f.Add("x", 20260217, 0, 0, "", 0, -1000, "", 10, 12)
	ny, _ := time.LoadLocation("America/New_York")
	f.Fuzz(func(t *testing.T, name string, date, month, day int, weekday string, nth, easter int, obs string, open, close int) {
		h := Holiday{Name: name, Month: time.Month(month), Day: day, Weekday: weekday, Nth: nth, Observed: Observance(obs)}
		if date != 0 {
			h.Date = Date{date / 10000, time.Month(date / 100 % 100), date % 100}
		}
		if easter != -1000 {
			h.EasterOffset = &easter
		}
		if open != 0 || close != 0 {
			h.OpenHours = []Interval{{time.Duration(open) * time.Hour, time.Duration(close) * time.Hour}}
		}
		c, err := NewCalendar(ny, Weekdays(Hours(9, 17)), []Holiday{h})
		if err != nil {
			require.Error(t, h.Validate())
			return
		}
		for _, d := range HolidayDates([]Holiday{h}, 2026, 2027) {
			start := d.Date.In(ny).Add(-36 * time.Hour)
			for _, span := range []time.Duration{time.Hour, 9 * time.Hour, 30 * time.Hour} {
				require.Equal(t, span, c.Between(start, c.Add(start, span)))
			}
		}
	})
}

// FuzzTimer decodes arbitrary JSON as timer events. Whatever NewTimer
// accepts reads without panicking at any instant, and while the timer runs
// or is paused its elapsed and paused time add up to the business time
// since its start (or last reset).
func FuzzTimer(f *testing.F) {
	f.Add([]byte(`[{"action":"start","at":"2026-11-25T15:00:00-05:00"},{"action":"pause","at":"2026-11-25T16:00:00-05:00"},{"action":"resume","at":"2026-11-27T09:30:00-05:00"},{"action":"stop","at":"2026-11-27T12:00:00-05:00"}]`), int64(3600))
	f.Add([]byte(`[{"action":"start","at":"2026-11-01T03:00:00Z"},{"action":"reset","at":"2026-11-01T03:00:00Z"},{"action":"pause","at":"2026-11-02T03:00:00Z"}]`), int64(-7200))
	f.Add([]byte(`[{"action":"pause","at":"0001-01-01T00:00:00Z"}]`), int64(0))
	ny, _ := time.LoadLocation("America/New_York")
	cal, err := NewCalendar(ny, Weekdays(Hours(9, 12), Hours(13, 17)), []Holiday{NthWeekday("Thanksgiving", time.November, time.Thursday, 4)})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte, offset int64) {
		var events []TimerEvent
		if json.Unmarshal(data, &events) != nil {
			return
		}
		tm, err := NewTimer(cal, 4*time.Hour, events)
		if err != nil {
			require.ErrorIs(t, err, revalign.ErrInvalid)
			return
		}
		if len(events) == 0 {
			return
		}
		asOf := events[0].At.Add(time.Duration(offset) * time.Second)
		st := tm.Status(asOf)
		require.GreaterOrEqual(t, st.Elapsed, time.Duration(0))
		if covered(asOf) && (st.State == TimerRunning || st.State == TimerPaused) {
			require.Equal(t, cal.Between(st.Started, asOf), st.Elapsed+st.Paused)
		}
	})
}
