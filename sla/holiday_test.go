package sla

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/revalign/revalign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEasterSunday(t *testing.T) {
	// Published dates of Western Easter.
	for y, want := range map[int]Date{
		1943: {1943, time.April, 25}, 2000: {2000, time.April, 23}, 2008: {2008, time.March, 23}, 2024: {2024, time.March, 31},
		2025: {2025, time.April, 20}, 2026: {2026, time.April, 5}, 2027: {2027, time.March, 28}, 2038: {2038, time.April, 25},
	} {
		assert.Equal(t, want, easterSunday(y), "%d", y)
	}
}

func names(hs []HolidayDate) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.String())
	}
	return out
}

func TestHolidayDates(t *testing.T) {
	t.Run("US federal-style rules in 2026", func(t *testing.T) {
		hs := []Holiday{
			Fixed("New Year's Day", time.January, 1, NearestWeekday),
			NthWeekday("Memorial Day", time.May, time.Monday, -1),
			Fixed("Independence Day", time.July, 4, NearestWeekday),
			NthWeekday("Labor Day", time.September, time.Monday, 1),
			NthWeekday("Thanksgiving", time.November, time.Thursday, 4),
			Fixed("Christmas Day", time.December, 25, NearestWeekday),
		}
		assert.Equal(t, []string{
			"2026-01-01 New Year's Day", "2026-05-25 Memorial Day", "2026-07-03 Independence Day (observed)",
			"2026-07-04 Independence Day", "2026-09-07 Labor Day", "2026-11-26 Thanksgiving", "2026-12-25 Christmas Day",
		}, names(HolidayDates(hs, 2026, 2026)))
		// New Year 2022 fell on a Saturday: observed on Friday 31 December
		// 2021, listed in 2021.
		got := names(HolidayDates(hs[:1], 2021, 2022))
		assert.Equal(t, []string{"2021-01-01 New Year's Day", "2021-12-31 New Year's Day (observed)", "2022-01-01 New Year's Day"}, got)
	})
	t.Run("UK substitute days", func(t *testing.T) {
		hs := []Holiday{Fixed("Christmas Day", time.December, 25, NextWeekday), Fixed("Boxing Day", time.December, 26, NextWeekday)}
		assert.Equal(t, []string{
			"2021-12-25 Christmas Day", "2021-12-26 Boxing Day",
			"2021-12-27 Christmas Day (observed)", "2021-12-28 Boxing Day (observed)",
		}, names(HolidayDates(hs, 2021, 2021)))
	})
	t.Run("Sunday to Monday", func(t *testing.T) {
		hs := []Holiday{Fixed("A", time.March, 1, SundayToMonday), Fixed("B", time.February, 28, SundayToMonday)}
		// 2026-03-01 is a Sunday, 2026-02-28 a Saturday.
		assert.Equal(t, []string{"2026-02-28 B", "2026-03-01 A", "2026-03-02 A (observed)"}, names(HolidayDates(hs, 2026, 2026)))
	})
	t.Run("Easter-relative, one-off, year ranges, fifth weekdays", func(t *testing.T) {
		hs := []Holiday{
			Easter("Good Friday", -2), Easter("Easter Monday", 1),
			OneOff("Lunar New Year", Date{2026, time.February, 17}),
			{Name: "Old rule", Month: time.June, Day: 1, ToYear: 2025},
			NthWeekday("Fifth Friday", time.January, time.Friday, 5),
		}
		assert.Equal(t, []string{
			"2026-01-30 Fifth Friday", "2026-02-17 Lunar New Year", "2026-04-03 Good Friday", "2026-04-06 Easter Monday",
		}, names(HolidayDates(hs, 2026, 2026)))
		_, ok := hs[4].On(2028) // January 2028 has four Fridays
		assert.False(t, ok)
	})
	t.Run("two holidays on one date are listed once", func(t *testing.T) {
		hs := []Holiday{Fixed("A", time.May, 1, Actual), Fixed("B", time.May, 1, Actual)}
		assert.Equal(t, []string{"2026-05-01 A"}, names(HolidayDates(hs, 2026, 2026)))
	})
}

func TestHolidayValidate(t *testing.T) {
	off := 3
	for _, tc := range []struct {
		h    Holiday
		want string
	}{
		{Holiday{Month: 1, Day: 1}, `sla: name: holiday needs a name, got ""`},
		{Holiday{Name: "x", Month: 1, Day: 1, EasterOffset: &off}, "set exactly one of"},
		{Holiday{Name: "x", Date: Date{2026, 2, 29}}, `sla: date: not a calendar date, got "2026-02-29"`},
		{Holiday{Name: "x", Date: Date{2026, 2, 28}, FromYear: 2020}, "only recurring holidays take a year range"},
		{Holiday{Name: "x", Month: 13, Day: 1}, "sla: month: must be 1..12, got 13"},
		{Holiday{Name: "x", Month: 1, Weekday: "funday", Nth: 1}, `sla: weekday: unknown week day, got "funday"`},
		{Holiday{Name: "x", Month: 1, Weekday: "monday", Nth: 6}, "sla: nth: must be 1..5 or -1 (last), got 6"},
		{Holiday{Name: "x", Month: 1, Day: 1, Observed: "whenever"}, `sla: observed: must be empty, nearest_weekday, next_weekday or sunday_to_monday, got "whenever"`},
		{Holiday{Name: "x", Month: 1, Day: 1, FromYear: 2030, ToYear: 2020}, "sla: to_year: must not be before from_year, got 2020"},
		{Holiday{Name: "x", Month: 1, Day: 1, OpenHours: []Interval{{22 * time.Hour, 2 * time.Hour}}}, "cannot run past midnight"},
		{Holiday{Name: "x", Month: 1, Day: 1, OpenHours: []Interval{Hours(9, 12), Hours(10, 11)}}, "sla: open_hours: intervals overlap"},
		{Holiday{Name: "x", Month: 1, Day: 1, OpenHours: []Interval{{Start: -time.Hour, End: time.Hour}}}, "sla: open_hours[0].start: must be whole seconds"},
		{Holiday{Name: "x", EasterOffset: func() *int { n := 400; return &n }()}, "sla: easter_offset: must be within 200 days of Easter, got 400"},
	} {
		err := tc.h.Validate()
		require.Error(t, err, "%+v", tc.h)
		assert.ErrorIs(t, err, revalign.ErrInvalid)
		assert.Contains(t, err.Error(), tc.want)
	}
	assert.NoError(t, Fixed("New Year's Day", time.January, 1, NearestWeekday).Validate())
}

func TestHolidayJSON(t *testing.T) {
	hs := []Holiday{Fixed("A", time.July, 4, NearestWeekday), NthWeekday("B", time.November, time.Thursday, 4),
		Easter("C", -2), OneOff("D", Date{2026, 2, 17})}
	b, err := json.Marshal(hs)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"name":"A","month":7,"day":4,"observed":"nearest_weekday"},
		{"name":"B","month":11,"weekday":"thursday","nth":4},{"name":"C","easter_offset":-2},{"name":"D","date":"2026-02-17"}]`, string(b))
	var back []Holiday
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, hs, back)
}

func TestDateAndInterval(t *testing.T) {
	d, err := ParseDate("2024-02-29")
	require.NoError(t, err)
	assert.Equal(t, Date{2024, time.February, 29}, d)
	assert.Equal(t, time.Thursday, d.Weekday())
	assert.Equal(t, Date{2024, time.March, 1}, d.AddDays(1))
	assert.Equal(t, Date{2023, time.December, 31}, Date{2024, 1, 1}.AddDays(-1))
	assert.True(t, d.In(time.UTC).Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)))
	_, err = ParseDate("2023-02-29")
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	var z Date
	require.NoError(t, z.UnmarshalText(nil))
	assert.True(t, z.IsZero())
	assert.Equal(t, "", z.String())
	// The day arithmetic agrees with the time package over centuries.
	for n := int64(-80000); n < 90000; n += 997 {
		want := time.Unix(n*86400, 0).UTC()
		got := civilFromDays(n)
		require.Equal(t, DateOf(want), got, "%d", n)
		require.Equal(t, n, daysFromCivil(got.Year, got.Month, got.Day))
		require.Equal(t, want.Weekday(), got.Weekday())
	}

	for _, tc := range []struct {
		in   string
		want Interval
		out  string // String of the result, when not in
		err  bool
	}{
		{in: "09:00-17:00", want: Hours(9, 17)},
		{in: "00:00-24:00", want: Hours(0, 24)},
		{in: "00:00-00:00", want: Hours(0, 24), out: "00:00-24:00"}, // Salesforce's 24-hour day
		{in: "22:00-06:00", want: Interval{22 * time.Hour, 6 * time.Hour}},
		{in: "09:00:30-17:00", want: Interval{9*time.Hour + 30*time.Second, 17 * time.Hour}},
		{in: "9:00-17:00", err: true},
		{in: "09:00-24:30", err: true},
		{in: "09:00-09:00", err: true},
		{in: "09:60-10:00", err: true},
		{in: "24:00-01:00", err: true},
		{in: "0900-1700", err: true},
	} {
		var iv Interval
		err := iv.UnmarshalText([]byte(tc.in))
		if tc.err {
			assert.ErrorIs(t, err, revalign.ErrInvalid, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, iv)
		if tc.out == "" {
			tc.out = tc.in
		}
		assert.Equal(t, tc.out, iv.String())
	}
	assert.True(t, Interval{22 * time.Hour, 6 * time.Hour}.Overnight())
	assert.Nil(t, Week{}.Day(time.Weekday(9)))
}

func TestDispositionLookup(t *testing.T) {
	codes := DefaultDispositions()
	assert.Equal(t, 2, lookupDisposition(codes, "Bad fit"))
	assert.Equal(t, 2, lookupDisposition(codes, "BAD FIT"))
	assert.Equal(t, -1, lookupDisposition(codes, "Bad"))
	p := DefaultPact()
	p.Dispositions = append(p.Dispositions, DispositionCode{Name: "Test record", Outcome: Excluded})
	require.NoError(t, p.Validate())
	ny := zone(t, "America/New_York")
	mql := time.Date(2026, 9, 22, 10, 0, 0, 0, ny)
	leads := []Lead{
		{ID: "a", TimeZone: "UTC", MQLAt: mql, RoutedAt: mql, FirstTouchAt: mql, DispositionAt: mql.Add(time.Hour), Disposition: "Test record"},
		{ID: "b", TimeZone: "UTC", MQLAt: mql, RoutedAt: mql, FirstTouchAt: mql, DispositionAt: mql.Add(time.Hour), Disposition: "Accepted"},
	}
	r, err := p.Evaluate(leads, Options{Weeks: nyWeeks(t), AsOf: mql.AddDate(0, 0, 7)})
	require.NoError(t, err)
	acc := r.Weeks[0].Result(AcceptanceRate)
	assert.Equal(t, [3]int{1, 0, 0}, [3]int{acc.Kept, acc.Broken, acc.Pending}, "an excluded code counts neither way")
	assert.Equal(t, NoData, r.Weeks[0].Result(RejectionReason).Status)
}

// TestDefaultDispositionsLeaveDuplicateAndNoResponseOut: by default a
// Duplicate or a No response counts neither for nor against marketing's
// acceptance rate and needs no rejection reason, but is counted in the
// acceptance result's Excluded. Hand-worked: 2 accepted, 1 Bad fit (with a
// reason), 1 Nurture (without one), 1 Duplicate, 1 No response: acceptance
// 2 ÷ 4 = 50% (2 ÷ 6 = 33% if they counted), reasons 1 of 2.
func TestDefaultDispositionsLeaveDuplicateAndNoResponseOut(t *testing.T) {
	outcomes := map[string]Outcome{}
	for _, c := range DefaultDispositions() {
		outcomes[c.Name] = c.Outcome
	}
	assert.Equal(t, map[string]Outcome{"Accepted": Accepted, "Nurture": Declined, "Bad fit": Declined,
		"Duplicate": Excluded, "No response": Excluded}, outcomes)

	ny := zone(t, "America/New_York")
	mql := time.Date(2026, 9, 22, 10, 0, 0, 0, ny)
	lead := func(id, code, reason string) Lead {
		return Lead{ID: id, TimeZone: "UTC", MQLAt: mql, RoutedAt: mql, FirstTouchAt: mql, DispositionAt: mql.Add(time.Hour),
			Disposition: code, RejectionReason: reason}
	}
	leads := []Lead{lead("a", "Accepted", ""), lead("b", "accepted", ""), lead("c", "Bad fit", "too small"),
		lead("d", "Nurture", ""), lead("e", "Duplicate", ""), lead("f", "No response", ""), {ID: "g", TimeZone: "UTC", MQLAt: mql}}
	r, err := DefaultPact().Evaluate(leads, Options{Weeks: nyWeeks(t), AsOf: mql.AddDate(0, 0, 7)})
	require.NoError(t, err)
	require.Empty(t, r.Errors)
	acc := r.Weeks[0].Result(AcceptanceRate)
	assert.Equal(t, [4]int{2, 2, 1, 2}, [4]int{acc.Kept, acc.Broken, acc.Pending, acc.Excluded})
	assert.Equal(t, 0.5, acc.Measured)
	assert.Equal(t, 2, r.Total(AcceptanceRate).Excluded)
	reasons := r.Weeks[0].Result(RejectionReason)
	assert.Equal(t, [2]int{1, 1}, [2]int{reasons.Kept, reasons.Broken})
}

func TestCommitmentAndStatusText(t *testing.T) {
	for _, c := range Commitments {
		b, err := c.MarshalText()
		require.NoError(t, err)
		var back Commitment
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, c, back)
		assert.NotEmpty(t, c.Title())
	}
	assert.Equal(t, revalign.Marketing, Routing.Team())
	assert.Equal(t, revalign.Sales, RejectionReason.Team())
	assert.True(t, FirstTouch.PerLead())
	assert.False(t, AcceptanceRate.PerLead())
	_, err := Commitment(0).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "Commitment(9)", Commitment(9).Title())
	var c Commitment
	assert.Error(t, c.UnmarshalText([]byte("speed")))
	for _, s := range []Status{NoData, Met, Missed, Pending} {
		b, _ := s.MarshalText()
		var back Status
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	assert.Equal(t, "Status(7)", Status(7).String())
	var s Status
	assert.Error(t, s.UnmarshalText([]byte("late")))
}
