package sla

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/revalign/revalign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func nyWeeks(t testing.TB) revalign.FiscalCalendar {
	return revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: zone(t, "America/New_York")}
}

// scenario is a small set of leads whose verdicts are worked by hand below
// (New York leads, 09:00–17:00 Monday–Friday, weeks from Monday, as of
// Monday 2026-09-28 10:00).
func scenario(t testing.TB) (Pact, []Lead, Options) {
	ny := zone(t, "America/New_York")
	p := DefaultPact()
	p.Marketing.MQLVolumePerWeek = 3
	p.Marketing.VolumeTolerance = 1.0 / 3 // band 2..4
	d := func(day, h, m int) time.Time { return time.Date(2026, 9, day, h, m, 0, 0, ny) }
	tz := "America/New_York"
	leads := []Lead{
		// Week of 14 September.
		{ID: "L1", Owner: "U1", Region: "NA", TimeZone: tz, MQLAt: d(14, 10, 0), RoutedAt: d(14, 10, 2),
			FirstTouchAt: d(14, 10, 30), DispositionAt: d(15, 9, 0), Disposition: "Accepted"},
		{ID: "L2", Owner: "U2", Region: "NA", TimeZone: tz, MQLAt: d(18, 16, 30), RoutedAt: d(18, 16, 36),
			FirstTouchAt: d(21, 9, 45), DispositionAt: d(21, 12, 0), Disposition: "Bad fit"},
		{ID: "L3", Owner: "U1", Region: "NA", TimeZone: tz, MQLAt: d(19, 11, 0), RoutedAt: d(19, 11, 1),
			FirstTouchAt: d(21, 9, 59), DispositionAt: d(21, 12, 0), Disposition: "nurture", RejectionReason: "timing"},
		// Week of 21 September.
		{ID: "L4", Owner: "U2", Region: "NA", TimeZone: tz, MQLAt: d(22, 10, 0), RoutedAt: d(22, 10, 0).Add(30 * time.Second)},
		{ID: "L8", Owner: "U1", Region: "NA", TimeZone: "Mars/Base", MQLAt: d(23, 10, 0), RoutedAt: d(23, 10, 1),
			FirstTouchAt: d(23, 10, 10), DispositionAt: d(24, 10, 0), Disposition: "Accepted"},
		{ID: "L9", Owner: "U1", Region: "NA", TimeZone: tz, MQLAt: d(23, 11, 0), RoutedAt: d(23, 11, 1),
			FirstTouchAt: d(23, 11, 20), DispositionAt: d(23, 15, 0), Disposition: "Maybe"},
		{ID: "L10", Owner: "U2", Region: "NA", TimeZone: tz, MQLAt: d(24, 10, 0), RoutedAt: d(24, 10, 1),
			FirstTouchAt: d(29, 9, 0)}, // touched after as-of: not known yet
		// Week of 28 September, cut by as-of.
		{ID: "L5", Owner: "U1", Region: "NA", TimeZone: tz, MQLAt: d(28, 9, 30), RoutedAt: d(28, 9, 31)},
		// Left out.
		{ID: "L6", TimeZone: tz, MQLAt: d(28, 11, 0)},
		{ID: "L7", TimeZone: tz},
	}
	return p, leads, Options{Weeks: nyWeeks(t), AsOf: d(28, 10, 0)}
}

func TestEvaluateScenario(t *testing.T) {
	p, leads, opt := scenario(t)
	r, err := p.Evaluate(leads, opt)
	require.NoError(t, err)

	assert.False(t, r.Standing.InForce)
	assert.Equal(t, "not in force: not signed by marketing_leader, sales_leader", r.Standing.Reason)
	assert.Equal(t, 8, r.Leads)
	assert.Equal(t, Skipped{NotMQL: 1, AfterAsOf: 1}, r.Skipped)
	require.Len(t, r.Weeks, 3)
	assert.Equal(t, "2026-09-14..2026-09-21", r.Weeks[0].Period.String())
	assert.True(t, r.Weeks[0].Complete)
	assert.True(t, r.Weeks[1].Complete)
	assert.False(t, r.Weeks[2].Complete)

	type want struct {
		status               Status
		measured             float64
		kept, broken, pendng int
	}
	check := func(res Result, w want) {
		t.Helper()
		assert.Equal(t, w.status, res.Status, res.Commitment.String())
		assert.InDelta(t, w.measured, res.Measured, 1e-9, res.Commitment.String())
		assert.Equal(t, [3]int{w.kept, w.broken, w.pendng}, [3]int{res.Kept, res.Broken, res.Pending}, res.Commitment.String())
	}
	// Week 1: L1 kept everything. L2 was routed in 6 minutes (late), first
	// touched after 30 business minutes on Friday and 45 on Monday (75 >
	// 60), dispositioned Bad fit after 67.5 hours with no reason. L3 came
	// on Saturday, was touched at 09:59 Monday (59 business minutes), and
	// dispositioned Nurture with a reason after 49 hours.
	w1 := r.Weeks[0]
	assert.Equal(t, 3, w1.MQLs)
	check(w1.Result(MQLVolume), want{Met, 3, 0, 0, 0})
	check(w1.Result(Routing), want{Missed, 2.0 / 3, 2, 1, 0})
	check(w1.Result(FirstTouch), want{Missed, 2.0 / 3, 2, 1, 0})
	check(w1.Result(Disposition), want{Missed, 1.0 / 3, 1, 2, 0})
	check(w1.Result(AcceptanceRate), want{Missed, 1.0 / 3, 1, 2, 0})
	check(w1.Result(RejectionReason), want{Missed, 0.5, 1, 1, 0})
	assert.Equal(t, 2*time.Minute, w1.Result(Routing).Median)
	assert.Equal(t, 59*time.Minute, w1.Result(FirstTouch).Median)
	assert.Equal(t, 49*time.Hour, w1.Result(Disposition).Median)
	assert.Equal(t, []float64{2, 4}, []float64{w1.Result(MQLVolume).Low, w1.Result(MQLVolume).High})

	// Week 2: L4 untouched and undispositioned, past both deadlines (open
	// breaches); L8's zone is unknown (first touch not judged); L9's code
	// is unknown (acceptance not judged); L10's touch comes after as-of.
	w2 := r.Weeks[1]
	check(w2.Result(MQLVolume), want{Met, 4, 0, 0, 0})
	check(w2.Result(Routing), want{Met, 1, 4, 0, 0})
	check(w2.Result(FirstTouch), want{Missed, 1.0 / 3, 1, 2, 0})
	check(w2.Result(Disposition), want{Missed, 0.5, 2, 2, 0})
	check(w2.Result(AcceptanceRate), want{Met, 1, 1, 0, 2})
	check(w2.Result(RejectionReason), want{NoData, 0, 0, 0, 0})

	// Week 3 is cut by as-of: everything pending, L5's clocks still run.
	w3 := r.Weeks[2]
	for _, res := range w3.Results {
		assert.Equal(t, Pending, res.Status, res.Commitment.String())
	}
	check(w3.Result(FirstTouch), want{Pending, 0, 0, 0, 1})

	// Totals over the two complete weeks.
	check(r.Total(MQLVolume), want{Met, 3.5, 0, 0, 0})
	check(r.Total(Routing), want{Missed, 6.0 / 7, 6, 1, 0})
	check(r.Total(FirstTouch), want{Missed, 0.5, 3, 3, 0})
	check(r.Total(Disposition), want{Missed, 3.0 / 7, 3, 4, 0})
	check(r.Total(AcceptanceRate), want{Missed, 0.5, 2, 2, 2})

	// Every breach, with by how much.
	type b struct {
		id   string
		c    Commitment
		over time.Duration
		open bool
	}
	var got []b
	for _, br := range r.Breaches {
		got = append(got, b{br.LeadID, br.Commitment, br.Over, br.Open})
		assert.Equal(t, br.Elapsed-br.Target, br.Over)
	}
	assert.Equal(t, []b{
		{"L2", Routing, time.Minute, false},
		{"L2", FirstTouch, 15 * time.Minute, false},
		{"L2", Disposition, 19*time.Hour + 30*time.Minute, false},
		{"L2", RejectionReason, 0, false},
		{"L3", Disposition, time.Hour, false},
		{"L4", FirstTouch, 31 * time.Hour, true},   // Tue 10:00 → Mon 10:00: 7+8+8+8+1 business hours
		{"L4", Disposition, 96 * time.Hour, true},  // 144 elapsed hours
		{"L10", FirstTouch, 15 * time.Hour, true},  // Thu 10:00 → Mon 10:00: 7+8+1
		{"L10", Disposition, 48 * time.Hour, true}, // 96 elapsed hours
	}, got)
	assert.Equal(t, "Bad fit", r.Breaches[3].Disposition)
	assert.Equal(t, "2026-09-14", r.Breaches[0].Week.Format(time.DateOnly))

	// Pending: L5's first touch due at 10:30, its disposition Wednesday.
	ny := opt.Weeks.Location
	assert.Equal(t, []PendingLead{
		{LeadID: "L5", Commitment: FirstTouch, Owner: "U1", Deadline: time.Date(2026, 9, 28, 10, 30, 0, 0, ny)},
		{LeadID: "L5", Commitment: Disposition, Owner: "U1", Deadline: time.Date(2026, 9, 30, 9, 30, 0, 0, ny)},
	}, normalizePending(r.Pending))

	// Bad records are listed with their ID; what could be judged was.
	require.Len(t, r.Errors, 2)
	assert.Equal(t, "L8", r.Errors[0].ID)
	assert.ErrorContains(t, r.Errors[0], `sla: time_zone: unknown IANA time zone, got "Mars/Base"`)
	assert.ErrorIs(t, r.Errors[0], revalign.ErrInvalid)
	assert.Equal(t, "L9", r.Errors[1].ID)
	assert.ErrorContains(t, r.Errors[1], `sla: disposition: not one of the pact's disposition codes, got "Maybe"`)

	// Breakdowns.
	require.Len(t, r.ByOwner, 2)
	u2 := r.ByOwner[1]
	assert.Equal(t, "U2", u2.Key)
	assert.Equal(t, 3, u2.MQLs)
	assert.Equal(t, Tally{Kept: 0, Broken: 3}, u2.FirstTouch, "L2, L4, L10")
	assert.Equal(t, 8, u2.Breaches(), "L2: 4, L4: 2, L10: 2")
	require.Len(t, r.ByRegion, 1)
	assert.Equal(t, 8, r.ByRegion[0].MQLs)
	assert.Equal(t, []string{"America/New_York", "Mars/Base"}, []string{r.ByTimeZone[0].Key, r.ByTimeZone[1].Key})

	// The report is plain JSON.
	_, err = json.Marshal(r)
	require.NoError(t, err)
}

func normalizePending(ps []PendingLead) []PendingLead {
	for i := range ps {
		ps[i].Deadline = ps[i].Deadline.In(ps[i].Deadline.Location())
	}
	return ps
}

func TestEvaluateOptions(t *testing.T) {
	ny := zone(t, "America/New_York")
	p, leads, opt := scenario(t)

	t.Run("clock starts at routing", func(t *testing.T) {
		p := p
		p.Sales.ClockStart = AtRouting
		r, err := p.Evaluate(leads[:3], opt)
		require.NoError(t, err)
		// L2: routed 16:36, so 24 + 45 = 69 business minutes.
		assert.Equal(t, 9*time.Minute, r.Breaches[1].Over)
	})
	t.Run("disposition in business hours", func(t *testing.T) {
		p := p
		p.Sales.DispositionInBusinessHours = true
		p.Sales.DispositionHours = 16
		r, err := p.Evaluate(leads[:3], opt)
		require.NoError(t, err)
		// L1: 10:00 Mon → 09:00 Tue is 7 business hours; L2: 30 min + 3 h;
		// L3: Monday 09:00–12:00 is 3 hours. All within 16.
		assert.Equal(t, 3, r.Weeks[0].Result(Disposition).Kept)
		assert.Equal(t, 210*time.Minute, r.Weeks[0].Result(Disposition).Median)
	})
	t.Run("one zone for every lead", func(t *testing.T) {
		p := p
		p.BusinessHours.TimeZone = "Europe/London"
		r, err := p.Evaluate(leads, opt)
		require.NoError(t, err)
		assert.Len(t, r.Errors, 1, "L8's zone no longer matters")
		// In London hours: L1 came at 15:00 and was touched at 15:30
		// (kept); L2 came Friday 21:30 and was touched Monday 14:45 (5h45);
		// L3 was touched Monday 14:59 (5h59).
		ft := r.Weeks[0].Result(FirstTouch)
		assert.Equal(t, [2]int{1, 2}, [2]int{ft.Kept, ft.Broken})
		assert.Equal(t, 5*time.Hour+45*time.Minute, ft.Median)
	})
	t.Run("region holidays", func(t *testing.T) {
		p := p
		p.BusinessHours.RegionHolidays = map[string][]Holiday{"NA": {OneOff("Company day", Date{2026, time.September, 21})}}
		r, err := p.Evaluate(leads[:3], opt)
		require.NoError(t, err)
		// Monday 21 September is closed: L2's and L3's Monday touches come
		// after 30 and 0 business minutes.
		assert.Equal(t, Tally{Kept: 3}, r.ByRegion[0].FirstTouch)
	})
	t.Run("from mid-week leaves the first week incomplete", func(t *testing.T) {
		o := opt
		o.From = time.Date(2026, 9, 16, 0, 0, 0, 0, ny)
		r, err := p.Evaluate(leads, o)
		require.NoError(t, err)
		assert.Equal(t, 1, r.Skipped.BeforeFrom)
		assert.False(t, r.Weeks[0].Complete)
		assert.Equal(t, Pending, r.Weeks[0].Result(MQLVolume).Status)
	})
	t.Run("bad arguments", func(t *testing.T) {
		_, err := p.Evaluate(leads, Options{Weeks: nyWeeks(t)})
		assert.ErrorIs(t, err, ErrNoAsOf)
		bad := p
		bad.Marketing.MinAcceptanceRate = 75
		_, err = bad.Evaluate(leads, opt)
		assert.ErrorContains(t, err, "sla: marketing.min_acceptance_rate: must be in [0,1], got 75")
		_, err = p.Evaluate(leads, Options{Weeks: revalign.FiscalCalendar{StartMonth: 13}, AsOf: opt.AsOf})
		assert.ErrorIs(t, err, revalign.ErrInvalid)
	})
	t.Run("no leads", func(t *testing.T) {
		r, err := p.Evaluate(nil, opt)
		require.NoError(t, err)
		assert.Empty(t, r.Weeks)
		assert.Equal(t, NoData, r.Total(Routing).Status)
	})
	t.Run("in force", func(t *testing.T) {
		p := p
		p.Effective = Date{2026, time.September, 1}
		require.NoError(t, p.Sign(RoleMarketingLeader, "Maya", time.Date(2026, 8, 20, 0, 0, 0, 0, ny)))
		require.NoError(t, p.Sign(RoleSalesLeader, "Daniel", time.Date(2026, 8, 21, 0, 0, 0, 0, ny)))
		r, err := p.Evaluate(leads, opt)
		require.NoError(t, err)
		assert.True(t, r.Standing.InForce)
	})
	t.Run("bad records", func(t *testing.T) {
		ls := []Lead{
			{TimeZone: "UTC", MQLAt: opt.AsOf.Add(-time.Hour)},
			{ID: "X", MQLAt: opt.AsOf.Add(-time.Hour), Disposition: "Accepted"},
			{ID: "Y", TimeZone: "UTC", MQLAt: opt.AsOf.Add(-time.Hour), DispositionAt: opt.AsOf.Add(-time.Minute)},
		}
		r, err := p.Evaluate(ls, opt)
		require.NoError(t, err)
		require.Len(t, r.Errors, 3)
		assert.Equal(t, "#0", r.Errors[0].ID)
		assert.ErrorContains(t, r.Errors[0], "sla: lead_id: lead has no ID")
		assert.ErrorContains(t, r.Errors[1], "sla: time_zone: lead has no time zone and the pact sets none")
		assert.ErrorContains(t, r.Errors[1], `sla: disposition_at: disposition has no time, got "Accepted"`)
		assert.ErrorContains(t, r.Errors[2], "sla: disposition: disposition time without a code")
		assert.Equal(t, 3, r.Leads, "bad records are still counted")
	})
}

// TestEvaluateTimesOutsideTheCoveredYears: one bad date must not corrupt
// the report. A lead with a time outside the years a Calendar covers is a
// record error and is left out (counted in Skipped.OutOfRange); an AsOf or
// From outside them is an error.
func TestEvaluateTimesOutsideTheCoveredYears(t *testing.T) {
	ny := zone(t, "America/New_York")
	p := DefaultPact()
	p.Marketing.MQLVolumePerWeek = 10
	monday := time.Date(2026, 9, 14, 0, 0, 0, 0, ny)
	good := weekOfLeads(monday, 10, 9)
	opt := Options{Weeks: nyWeeks(t), AsOf: time.Date(2026, 9, 21, 0, 0, 0, 0, ny)}
	want, err := p.Evaluate(good, opt)
	require.NoError(t, err)
	require.Len(t, want.Weeks, 1)
	require.Empty(t, want.Escalations)

	year1 := time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)
	bad := func(id string, change func(l *Lead)) Lead {
		l := good[0]
		l.ID = id
		change(&l)
		return l
	}
	leads := append(slices.Clone(good),
		bad("ancient-mql", func(l *Lead) { l.MQLAt = year1 }),
		bad("1899-mql", func(l *Lead) { l.MQLAt = time.Date(1899, 12, 31, 12, 0, 0, 0, time.UTC) }),
		bad("1899-touch", func(l *Lead) { l.FirstTouchAt = time.Date(1899, 6, 1, 0, 0, 0, 0, time.UTC) }),
		bad("far-routing", func(l *Lead) { l.RoutedAt = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) }),
		bad("far-disposition", func(l *Lead) { l.DispositionAt = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) }),
	)
	r, err := p.Evaluate(leads, opt)
	require.NoError(t, err)
	assert.Len(t, r.Weeks, 1, "the year-1 MQL does not open 105,699 weeks")
	assert.Equal(t, want.Weeks, r.Weeks)
	assert.Equal(t, want.Totals, r.Totals)
	assert.Empty(t, r.Escalations)
	assert.Equal(t, 10, r.Leads)
	assert.Equal(t, 5, r.Skipped.OutOfRange)
	var ids []string
	for _, e := range r.Errors {
		ids = append(ids, e.ID)
		assert.ErrorIs(t, e, revalign.ErrInvalid)
	}
	assert.Equal(t, []string{"ancient-mql", "1899-mql", "1899-touch", "far-routing", "far-disposition"}, ids)
	assert.EqualError(t, r.Errors[2], "record 1899-touch: sla: first_touch_at: outside the years a calendar covers (1900-01-02 to 2199-12-30 UTC), got \"1899-06-01T00:00:00Z\"")

	for _, tt := range []struct {
		name string
		opt  Options
		path string
	}{
		{"as of in 9999", Options{Weeks: nyWeeks(t), AsOf: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, "as_of"},
		{"as of in 1850", Options{Weeks: nyWeeks(t), AsOf: time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC)}, "as_of"},
		{"from in year 1", Options{Weeks: nyWeeks(t), AsOf: opt.AsOf, From: year1}, "from"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Evaluate(good, tt.opt)
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			assert.ErrorContains(t, err, "sla: "+tt.path+": outside the years a calendar covers")
		})
	}
}

// weekOfLeads returns n leads MQL'd in the week starting monday, the first
// accepted ones accepted and the rest declined with a reason; every timer
// is kept.
func weekOfLeads(monday time.Time, n, accepted int) []Lead {
	out := make([]Lead, n)
	for i := range out {
		mql := monday.Add(time.Duration(24+i%4*24)*time.Hour + 10*time.Hour) // Tuesday–Friday 10:00
		l := Lead{ID: fmt.Sprintf("%s-%d", monday.Format("0102"), i), Owner: "U1", Region: "NA", TimeZone: "America/New_York",
			MQLAt: mql, RoutedAt: mql.Add(time.Minute), FirstTouchAt: mql.Add(10 * time.Minute), DispositionAt: mql.Add(time.Hour),
			Disposition: "Accepted"}
		if i >= accepted {
			l.Disposition, l.RejectionReason = "Bad fit", "too small"
		}
		out[i] = l
	}
	return out
}

func TestEvaluateCriteriaReviewFlag(t *testing.T) {
	ny := zone(t, "America/New_York")
	p := DefaultPact()
	p.Marketing.MQLVolumePerWeek = 10
	// Acceptance per week: one low week alone, then two weeks running, then
	// three; a week at exactly 75% is not below.
	accepted := []int{8, 6, 9, 7, 7, 8, 5, 5, 5, 9, 75}
	var leads []Lead
	monday := time.Date(2026, 6, 1, 0, 0, 0, 0, ny)
	for i, a := range accepted {
		n := 10
		if a == 75 {
			n, a = 100, 75
		}
		leads = append(leads, weekOfLeads(monday.AddDate(0, 0, 7*i), n, a)...)
	}
	asOf := monday.AddDate(0, 0, 7*len(accepted))
	r, err := p.Evaluate(leads, Options{Weeks: nyWeeks(t), AsOf: asOf})
	require.NoError(t, err)
	require.Len(t, r.Flags, 2)
	f := r.Flags[0]
	assert.Equal(t, FlagCriteriaReview, f.Kind)
	assert.Equal(t, []string{"2026-06-22", "2026-06-29"}, []string{f.Weeks[0].Start.Format(time.DateOnly), f.Weeks[1].Start.Format(time.DateOnly)})
	assert.Equal(t, []float64{0.7, 0.7}, f.Rates)
	assert.Equal(t, 0.75, f.Threshold)
	assert.Equal(t, "revisit the MQL criteria, not the reps", f.Action)
	assert.Len(t, r.Flags[1].Weeks, 3)
	assert.Equal(t, Met, r.Weeks[10].Result(AcceptanceRate).Status, "75% is not below 75%")

	// The acceptance misses are marketing's, not sales breaches.
	for _, b := range r.Breaches {
		assert.NotEqual(t, AcceptanceRate, b.Commitment)
	}
	// Three misses in four weeks escalate to the dispute owner. Missed
	// weeks: 1, 3, 4, 6, 7, 8 (0-based). The window ending at week 4 holds
	// 1, 3, 4; the one ending at week 5 only 3, 4, so the first episode
	// ends. The windows ending at weeks 6 to 9 each hold three misses: a
	// second episode, listing the misses of its windows (3, 4, 6, 7, 8).
	var esc []Escalation
	for _, e := range r.Escalations {
		if e.Commitment == AcceptanceRate {
			esc = append(esc, e)
		}
	}
	require.Len(t, esc, 2)
	day := func(ts []time.Time) []string {
		var s []string
		for _, t := range ts {
			s = append(s, t.Format("01-02"))
		}
		return s
	}
	assert.Equal(t, "06-29", esc[0].Triggered.Format("01-02"))
	assert.Equal(t, []string{"06-08", "06-22", "06-29"}, day(esc[0].Missed))
	assert.Equal(t, []string{"06-22", "06-29", "07-13", "07-20", "07-27"}, day(esc[1].Missed))
	assert.Equal(t, "07-13", esc[1].Triggered.Format("01-02"))
	assert.False(t, esc[1].Ongoing)
	assert.Equal(t, p.Joint.EscalateTo, esc[0].To)
	assert.Equal(t, revalign.Marketing, esc[0].Team)
	// The 100-lead week is above the 8–12 volume band.
	assert.Equal(t, Missed, r.Weeks[10].Result(MQLVolume).Status)

	t.Run("one consecutive week configured", func(t *testing.T) {
		p := p
		p.RedFlag.ConsecutiveWeeks = 1
		r, err := p.Evaluate(leads, Options{Weeks: nyWeeks(t), AsOf: asOf})
		require.NoError(t, err)
		assert.Len(t, r.Flags, 3)
	})
}

func TestEvaluateEscalationEpisodes(t *testing.T) {
	ny := zone(t, "America/New_York")
	p := DefaultPact()
	p.Marketing.MQLVolumePerWeek = 10
	p.Marketing.VolumeTolerance = 0
	// Volume per week is missed (≠ 10) in weeks 0, 2, 3, 5, 6, 7 and 9.
	// Windows of four ending at week 3 (0, 2, 3) fire; at week 4 (2, 3)
	// not; at weeks 5 (2, 3, 5), 6, 7, 8 (5, 6, 7) and 9 (6, 7, 9) they
	// fire again: a second episode running to the last week, listing weeks
	// 2, 3, 5, 6, 7 and 9.
	volume := []int{9, 10, 11, 9, 10, 9, 11, 9, 10, 9}
	var leads []Lead
	monday := time.Date(2026, 3, 2, 0, 0, 0, 0, ny)
	for i, n := range volume {
		leads = append(leads, weekOfLeads(monday.AddDate(0, 0, 7*i), n, n)...)
	}
	r, err := p.Evaluate(leads, Options{Weeks: nyWeeks(t), AsOf: monday.AddDate(0, 0, 7*len(volume))})
	require.NoError(t, err)
	var esc []Escalation
	for _, e := range r.Escalations {
		if e.Commitment == MQLVolume {
			esc = append(esc, e)
		}
	}
	wk := func(i int) time.Time { return monday.AddDate(0, 0, 7*i) }
	require.Len(t, esc, 2)
	assert.True(t, esc[0].Triggered.Equal(wk(3)))
	assert.Len(t, esc[0].Missed, 3)
	assert.False(t, esc[0].Ongoing)
	assert.True(t, esc[1].Triggered.Equal(wk(5)))
	assert.Equal(t, 6, len(esc[1].Missed), "weeks 2, 3, 5, 6, 7, 9")
	assert.True(t, esc[1].Missed[0].Equal(wk(2)))
	assert.True(t, esc[1].Ongoing)
	assert.Empty(t, r.Flags)
}
