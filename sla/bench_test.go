package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/revalign/revalign"
)

// BenchmarkCalendarBetween measures Between on spans from minutes to 90
// days in New York (clock changes) with a year of holidays. Target: ≤ 200
// ns/op, 0 allocs/op.
func BenchmarkCalendarBetween(b *testing.B) {
	c := mustCal(b, zone(b, "America/New_York"), Weekdays(Hours(9, 12), Hours(13, 17)), benchHolidays()...)
	r := rand.New(rand.NewPCG(1, 2))
	const n = 1024
	var a, z [n]time.Time
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := range n {
		a[i] = time.Unix(base+r.Int64N(365*86400), 0)
		span := time.Duration(r.Int64N(int64(90 * 24 * time.Hour)))
		if i%4 == 0 {
			span = time.Duration(r.Int64N(int64(2 * time.Hour)))
		}
		z[i] = a[i].Add(span)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = c.Between(a[i%n], z[i%n])
		i++
	}
}

// BenchmarkTimerStatus reads a timer with a pause and a reset, on the
// calendar of BenchmarkCalendarBetween: a handful of Between calls and no
// allocation.
func BenchmarkTimerStatus(b *testing.B) {
	ny := zone(b, "America/New_York")
	c := mustCal(b, ny, Weekdays(Hours(9, 12), Hours(13, 17)), benchHolidays()...)
	t0 := time.Date(2026, 11, 25, 15, 0, 0, 0, ny)
	tm, err := NewTimer(c, 8*time.Hour, []TimerEvent{{TimerStart, t0}, {TimerPause, t0.Add(time.Hour)},
		{TimerResume, t0.Add(40 * time.Hour)}, {TimerReset, t0.Add(50 * time.Hour)}, {TimerPause, t0.Add(52 * time.Hour)},
		{TimerResume, t0.Add(70 * time.Hour)}})
	if err != nil {
		b.Fatal(err)
	}
	asOf := t0.Add(120 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		_ = tm.Status(asOf)
	}
}

func benchHolidays() []Holiday {
	return []Holiday{
		Fixed("New Year's Day", time.January, 1, NearestWeekday),
		NthWeekday("Martin Luther King Jr. Day", time.January, time.Monday, 3),
		NthWeekday("Presidents' Day", time.February, time.Monday, 3),
		NthWeekday("Memorial Day", time.May, time.Monday, -1),
		Fixed("Juneteenth", time.June, 19, NearestWeekday),
		Fixed("Independence Day", time.July, 4, NearestWeekday),
		NthWeekday("Labor Day", time.September, time.Monday, 1),
		NthWeekday("Thanksgiving", time.November, time.Thursday, 4),
		Fixed("Christmas Day", time.December, 25, NearestWeekday),
	}
}

// benchLeads returns n generated leads over a year in 12 zones and 4
// regions: mostly kept commitments, some breaches, some open.
func benchLeads(n int) []Lead {
	r := rand.New(rand.NewPCG(11, 12))
	zones := []struct{ zone, region string }{
		{"America/New_York", "NA"}, {"America/Chicago", "NA"}, {"America/Los_Angeles", "NA"}, {"America/Toronto", "NA"},
		{"Europe/London", "EMEA"}, {"Europe/Berlin", "EMEA"}, {"Europe/Paris", "EMEA"},
		{"Asia/Singapore", "APAC"}, {"Australia/Sydney", "APAC"}, {"Asia/Tokyo", "APAC"},
		{"America/Sao_Paulo", "LATAM"}, {"America/Mexico_City", "LATAM"},
	}
	codes := []string{"Accepted", "Accepted", "Accepted", "Accepted", "Nurture", "Bad fit", "Duplicate", "No response"}
	base := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC).Unix()
	leads := make([]Lead, n)
	for i := range leads {
		z := zones[r.IntN(len(zones))]
		mql := time.Unix(base+r.Int64N(360*86400), 0)
		l := Lead{
			ID: fmt.Sprintf("L%07d", i), Owner: fmt.Sprintf("U%03d", r.IntN(40)), Region: z.region, TimeZone: z.zone,
			MQLAt: mql, RoutedAt: mql.Add(time.Duration(r.IntN(250)) * time.Second),
		}
		if r.IntN(20) == 0 {
			l.RoutedAt = mql.Add(time.Duration(r.IntN(7200)) * time.Second)
		}
		// About the sample company's rates: most first touches inside the
		// hour (business time), a tail of late ones; most dispositions
		// inside 48 hours.
		switch k := r.IntN(100); {
		case k < 85:
			l.FirstTouchAt = l.RoutedAt.Add(time.Duration(r.IntN(40*60)) * time.Second)
		case k < 99:
			l.FirstTouchAt = mql.Add(time.Duration(r.IntN(30*3600)) * time.Second)
		}
		if r.IntN(50) > 0 {
			l.DispositionAt = mql.Add(time.Duration(r.IntN(60*3600)) * time.Second)
			l.Disposition = codes[r.IntN(len(codes))]
			if l.Disposition != "Accepted" && r.IntN(20) > 0 {
				l.RejectionReason = "reason"
			}
		}
		leads[i] = l
	}
	return leads
}

// BenchmarkEvaluate measures Evaluate on 1,000,000 lead records against
// one pact. Target: under 1.5 s per op.
func BenchmarkEvaluate(b *testing.B) {
	p := DefaultPact()
	p.BusinessHours.RegionHolidays = map[string][]Holiday{"NA": benchHolidays()}
	leads := benchLeads(1_000_000)
	ny := zone(b, "America/New_York")
	opt := Options{Weeks: revalign.FiscalCalendar{WeekStart: time.Monday, Location: ny}, AsOf: time.Date(2026, 10, 1, 0, 0, 0, 0, ny)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Evaluate(leads, opt); err != nil {
			b.Fatal(err)
		}
	}
}
