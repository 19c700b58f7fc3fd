package sla

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultPactIsValidAndCarriesTheSeedsNumbers(t *testing.T) {
	p := DefaultPact()
	require.NoError(t, p.Validate())
	assert.Equal(t, revalign.Month, p.ReviewCadence)
	assert.Equal(t, revalign.Quarter, p.Recalibration)
	assert.Equal(t, 1.0, p.Sales.FirstTouchBusinessHours)
	assert.Equal(t, 0.90, p.Sales.FirstTouchCompliance)
	assert.Equal(t, 48.0, p.Sales.DispositionHours)
	assert.Equal(t, 1.0, p.Sales.RejectionReasonRate)
	assert.Equal(t, 0.75, p.Marketing.MinAcceptanceRate)
	assert.Equal(t, 2, p.RedFlag.ConsecutiveWeeks)
	assert.Equal(t, []string{"Accepted", "Nurture", "Bad fit", "Duplicate", "No response"}, func() []string {
		var s []string
		for _, d := range p.Dispositions {
			s = append(s, d.Name)
		}
		return s
	}())
	assert.False(t, p.Standing(time.Now()).InForce, "unsigned")
}

func TestPactJSONRoundTrip(t *testing.T) {
	p := DefaultPact()
	p.Name = "Fieldstone SLA Pact v1"
	p.Effective = Date{2026, time.February, 2}
	p.BusinessHours.RegionHolidays = map[string][]Holiday{
		"EMEA": {Easter("Good Friday", -2), Fixed("Boxing Day", time.December, 26, NextWeekday)},
		"APAC": {OneOff("Lunar New Year", Date{2026, time.February, 17})},
	}
	p.BusinessHours.Week.Friday = []Interval{Hours(9, 12), Hours(13, 16)}
	require.NoError(t, p.Sign(RoleMarketingLeader, "Maya Lindqvist", time.Date(2026, 1, 28, 10, 0, 0, 0, time.UTC)))
	b, err := json.MarshalIndent(p, "", "  ")
	require.NoError(t, err)
	assert.Contains(t, string(b), `"first_touch_business_hours": 1`)
	assert.Contains(t, string(b), `"friday": [`+"\n"+`        "09:00-12:00",`)
	assert.Contains(t, string(b), `"effective": "2026-02-02"`)
	back, err := ParsePact(b)
	require.NoError(t, err)
	assert.Equal(t, p, back)
	h1, _ := p.Hash()
	h2, _ := back.Hash()
	assert.Equal(t, h1, h2, "a round trip keeps the signed content")

	t.Run("loads from YAML through config", func(t *testing.T) {
		y := `
name: Fieldstone SLA Pact v1
effective: 2026-02-02
review_cadence: month
recalibration: quarter
mql: {min_fit_score: 60, intent_within_days: 14, min_engagement: 30, disqualifiers: [competitor, student]}
marketing: {mql_volume_per_week: 40, volume_tolerance: 0.2, min_acceptance_rate: 0.75, routing_minutes: 5, routing_compliance: 0.9}
sales: {first_touch_business_hours: 1, first_touch_compliance: 0.9, disposition_hours: 48, disposition_compliance: 0.9, rejection_reason_rate: 1, clock_start: routed}
joint:
  commitments: [Monthly review of rejection reasons]
  escalate_to: {name: Sam Whitfield, team: revops}
business_hours:
  week: {monday: ["09:00-17:00"], tuesday: ["09:00-17:00"], wednesday: ["09:00-17:00"], thursday: ["09:00-17:00"], friday: ["09:00-17:00"]}
  region_holidays:
    NA: [{name: Thanksgiving, month: 11, weekday: thursday, nth: 4}, {name: Independence Day, month: 7, day: 4, observed: nearest_weekday}]
    EMEA: [{name: Good Friday, easter_offset: -2}]
dispositions: [{name: Accepted, outcome: accepted}, {name: Bad fit, outcome: declined}]
red_flag: {consecutive_weeks: 2}
escalation: {missed_weeks: 3, window_weeks: 4}
comp:
  weights: {first_touch: 2, disposition: 1, rejection_reason: 1}
  tiers: [{min_score: 0.9, multiplier: 1}, {min_score: 0, multiplier: 0.8}]
`
		var p Pact
		require.NoError(t, config.Unmarshal([]byte(y), &p))
		assert.Equal(t, 40, p.Marketing.MQLVolumePerWeek)
		assert.Equal(t, AtRouting, p.Sales.ClockStart)
		assert.Equal(t, Hours(9, 17), p.BusinessHours.Week.Monday[0])
		assert.Equal(t, "thursday", p.BusinessHours.RegionHolidays["NA"][0].Weekday)
		assert.Equal(t, -2, *p.BusinessHours.RegionHolidays["EMEA"][0].EasterOffset)
		assert.Equal(t, Date{2026, time.February, 2}, p.Effective)

		err := config.Unmarshal([]byte(strings.Replace(y, "min_acceptance_rate", "min_acceptance_rat", 1)), &p)
		assert.ErrorContains(t, err, "min_acceptance_rat")
		err = config.Unmarshal([]byte(strings.Replace(y, "routing_minutes: 5", "routing_minutes: 0", 1)), &p)
		assert.ErrorContains(t, err, "sla: marketing.routing_minutes: must be > 0, got 0")
	})
	t.Run("strict JSON", func(t *testing.T) {
		_, err := ParsePact([]byte(`{"marketing": {"mql_volume_per_wek": 3}}`))
		assert.ErrorContains(t, err, `unknown field "mql_volume_per_wek"`)
		_, err = ParsePact(append(b, []byte(` {}`)...))
		assert.ErrorContains(t, err, "trailing data")
		_, err = ParsePact([]byte(`{"business_hours": {"week": {"monday": ["9-17"]}}}`))
		assert.ErrorContains(t, err, `sla: interval: must read "HH:MM-HH:MM", got "9-17"`)
	})
}

func TestPactValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Pact)
		want string
	}{
		{"review cadence", func(p *Pact) { p.ReviewCadence = 0 }, "sla: review_cadence: must be week, month, quarter or year, got 0"},
		{"effective date", func(p *Pact) { p.Effective = Date{2026, 2, 30} }, `sla: effective: not a calendar date, got "2026-02-30"`},
		{"fit score", func(p *Pact) { p.MQL.MinFitScore = nan() }, "sla: mql.min_fit_score: must be a finite number, got NaN"},
		{"intent days", func(p *Pact) { p.MQL.IntentWithinDays = 0 }, "sla: mql.intent_within_days: must be >= 1, got 0"},
		{"blank disqualifier", func(p *Pact) { p.MQL.Disqualifiers = []string{"x", " "} }, `sla: mql.disqualifiers[1]: must not be blank, got " "`},
		{"volume", func(p *Pact) { p.Marketing.MQLVolumePerWeek = 0 }, "sla: marketing.mql_volume_per_week: must be >= 1, got 0"},
		{"tolerance", func(p *Pact) { p.Marketing.VolumeTolerance = 20 }, "sla: marketing.volume_tolerance: must be in [0,1], got 20"},
		{"acceptance", func(p *Pact) { p.Marketing.MinAcceptanceRate = -0.1 }, "sla: marketing.min_acceptance_rate: must be in [0,1], got -0.1"},
		{"routing", func(p *Pact) { p.Marketing.RoutingMinutes = -5 }, "sla: marketing.routing_minutes: must be > 0, got -5"},
		{"first touch", func(p *Pact) { p.Sales.FirstTouchBusinessHours = 0 }, "sla: sales.first_touch_business_hours: must be > 0, got 0"},
		{"disposition", func(p *Pact) { p.Sales.DispositionHours = inf() }, "sla: sales.disposition_hours: must be > 0, got +Inf"},
		{"reason rate", func(p *Pact) { p.Sales.RejectionReasonRate = 1.5 }, "sla: sales.rejection_reason_rate: must be in [0,1], got 1.5"},
		{"clock start", func(p *Pact) { p.Sales.ClockStart = "lunch" }, `sla: sales.clock_start: must be "" (the MQL) or "routed", got "lunch"`},
		{"dispute owner", func(p *Pact) { p.Joint.EscalateTo = revalign.Owner{} }, `sla: joint.escalate_to.name: owner needs a name, got ""`},
		{"time zone", func(p *Pact) { p.BusinessHours.TimeZone = "Nowhere/Land" }, `sla: business_hours.time_zone: unknown IANA time zone, got "Nowhere/Land"`},
		{"closed week", func(p *Pact) { p.BusinessHours.Week = Week{} }, "sla: business_hours.week: the week has no open hours"},
		{"region holiday", func(p *Pact) {
			p.BusinessHours.RegionHolidays = map[string][]Holiday{"EMEA": {{Name: "Bad", Month: 2, Day: 30}}}
		}, "sla: business_hours.region_holidays.EMEA[0].day: not a day of February, got 30"},
		{"duplicate code", func(p *Pact) { p.Dispositions = append(p.Dispositions, DispositionCode{"bad fit", Declined}) }, `sla: dispositions[5].name: duplicate disposition code, got "bad fit"`},
		{"unknown outcome", func(p *Pact) { p.Dispositions[1].Outcome = "maybe" }, `sla: dispositions[1].outcome: must be accepted, declined or excluded, got "maybe"`},
		{"no accepted code", func(p *Pact) { p.Dispositions = p.Dispositions[1:] }, "sla: dispositions: at least one code must count as accepted"},
		{"red flag", func(p *Pact) { p.RedFlag.ConsecutiveWeeks = 0 }, "sla: red_flag.consecutive_weeks: must be >= 1, got 0"},
		{"escalation", func(p *Pact) { p.Escalation.MissedWeeks = 5 }, "sla: escalation.missed_weeks: must be between 1 and window_weeks, got 5"},
		{"comp weight", func(p *Pact) { p.Comp.Weights.Routing = -1 }, "sla: comp.weights.routing: must be >= 0, got -1"},
		{"comp floor tier", func(p *Pact) { p.Comp.Tiers = p.Comp.Tiers[:3] }, "sla: comp.tiers: one tier must have min_score 0 so that every score maps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultPact()
			tc.edit(&p)
			err := p.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	t.Run("every problem at once", func(t *testing.T) {
		p := DefaultPact()
		p.Marketing.MQLVolumePerWeek = 0
		p.Sales.DispositionHours = 0
		assert.Len(t, strings.Split(p.Validate().Error(), "\n"), 2)
	})
}

func TestPactStanding(t *testing.T) {
	signed := func() Pact {
		p := DefaultPact()
		p.Effective = Date{2026, time.February, 2}
		require.NoError(t, p.Sign(RoleMarketingLeader, "Maya Lindqvist", time.Date(2026, 1, 28, 0, 0, 0, 0, time.UTC)))
		require.NoError(t, p.Sign(RoleSalesLeader, "Daniel Ortega", time.Date(2026, 1, 29, 0, 0, 0, 0, time.UTC)))
		return p
	}
	asOf := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	t.Run("both leaders signed", func(t *testing.T) {
		st := signed().Standing(asOf)
		assert.True(t, st.InForce)
		assert.Equal(t, "in force", st.Reason)
		assert.Equal(t, []string{RoleMarketingLeader, RoleSalesLeader}, st.SignOff.Signed)
	})
	t.Run("one side only", func(t *testing.T) {
		p := signed()
		p.Signatures = p.Signatures[:1]
		st := p.Standing(asOf)
		assert.False(t, st.InForce)
		assert.Equal(t, "not in force: not signed by sales_leader", st.Reason)
	})
	t.Run("edited after signing", func(t *testing.T) {
		p := signed()
		p.Marketing.MinAcceptanceRate = 0.6
		st := p.Standing(asOf)
		assert.False(t, st.InForce)
		assert.Equal(t, "not in force: changed after marketing_leader, sales_leader signed", st.Reason)
	})
	t.Run("before the effective date", func(t *testing.T) {
		st := signed().Standing(time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC))
		assert.False(t, st.InForce)
		assert.Equal(t, "not in force: effective from 2026-02-02", st.Reason)
	})
	t.Run("no effective date", func(t *testing.T) {
		p := DefaultPact()
		require.NoError(t, p.Sign(RoleMarketingLeader, "M", asOf.Add(-time.Hour)))
		require.NoError(t, p.Sign(RoleSalesLeader, "S", asOf.Add(-time.Hour)))
		assert.Equal(t, "not in force: no effective date", p.Standing(asOf).Reason)
	})
	t.Run("a signature needs a name", func(t *testing.T) {
		p := DefaultPact()
		assert.ErrorIs(t, p.Sign(RoleSalesLeader, " ", asOf), revalign.ErrInvalid)
	})
	t.Run("a signature needs a time", func(t *testing.T) {
		p := DefaultPact()
		err := p.Sign(RoleSalesLeader, "Daniel Ortega", time.Time{})
		assert.ErrorIs(t, err, revalign.ErrInvalid)
		assert.EqualError(t, err, "sla: signatures.signed_at: a signature needs a time")
		assert.Empty(t, p.Signatures)
	})
	t.Run("signing again replaces the role's earlier signature", func(t *testing.T) {
		p := signed()
		p.Marketing.MinAcceptanceRate = 0.7 // edited: both signatures are stale
		resign := time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)
		require.NoError(t, p.Sign("Marketing_Leader", "Maya Lindqvist", resign))
		require.NoError(t, p.Sign(RoleSalesLeader, "Daniel Ortega", resign))
		require.Len(t, p.Signatures, 2, "one signature per role")
		assert.Equal(t, []string{"Marketing_Leader", RoleSalesLeader}, []string{p.Signatures[0].Role, p.Signatures[1].Role})
		st := p.Standing(asOf)
		assert.True(t, st.InForce)
		assert.Empty(t, st.SignOff.Stale)
		// The re-signature's date is the one that counts.
		assert.Equal(t, "not in force: signature of marketing_leader, sales_leader is dated later", p.Standing(resign.Add(-time.Hour)).Reason)
	})
}

func TestBusinessHoursCalendar(t *testing.T) {
	b := BusinessHours{Week: Weekdays(Hours(9, 17)), Holidays: []Holiday{Fixed("New Year's Day", time.January, 1, Actual)},
		RegionHolidays: map[string][]Holiday{"EMEA": {Easter("Good Friday", -2)}}}
	lon := zone(t, "Europe/London")
	emea, err := b.Calendar(lon, "EMEA")
	require.NoError(t, err)
	na, err := b.Calendar(lon, "NA")
	require.NoError(t, err)
	gf := time.Date(2026, 4, 3, 10, 0, 0, 0, lon)
	assert.False(t, emea.IsOpen(gf))
	assert.True(t, na.IsOpen(gf))
	assert.False(t, na.IsOpen(time.Date(2026, 1, 1, 10, 0, 0, 0, lon)))
	b.TimeZone = "Asia/Tokyo"
	tk, err := b.Calendar(lon, "NA")
	require.NoError(t, err)
	assert.Equal(t, "Asia/Tokyo", tk.Location().String())
	b.TimeZone = "Bad/Zone"
	_, err = b.Calendar(lon, "NA")
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

// TestLocalZoneIsRejected: "Local" loads the host's zone, so a pact, a
// schedule or a lead naming it would give different results on different
// machines. Every place that reads a zone name rejects it.
func TestLocalZoneIsRejected(t *testing.T) {
	const want = `time zone "Local" is the host's zone, so results would depend on the machine: name an IANA zone`
	p := DefaultPact()
	p.BusinessHours.TimeZone = "Local"
	err := p.Validate()
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.ErrorContains(t, err, "sla: business_hours.time_zone: "+want)
	_, err = p.BusinessHours.Calendar(nil, "")
	assert.ErrorContains(t, err, "sla: time_zone: "+want)

	_, err = Schedule{TimeZone: "Local", Week: Weekdays(Hours(9, 17))}.Calendar()
	assert.ErrorContains(t, err, "sla: time_zone: "+want)
	_, err = NewCalendar(time.Local, Weekdays(Hours(9, 17)), nil)
	assert.ErrorContains(t, err, "sla: loc: time.Local is the host's zone, so results would depend on the machine: load an IANA zone")

	ny := zone(t, "America/New_York")
	mql := time.Date(2026, 9, 22, 10, 0, 0, 0, ny)
	leads := []Lead{{ID: "L1", TimeZone: "Local", MQLAt: mql, RoutedAt: mql, FirstTouchAt: mql.Add(time.Minute)}}
	r, err := DefaultPact().Evaluate(leads, Options{Weeks: nyWeeks(t), AsOf: mql.Add(time.Hour)})
	require.NoError(t, err)
	require.Len(t, r.Errors, 1)
	assert.ErrorContains(t, r.Errors[0], "sla: time_zone: "+want)
	assert.Equal(t, Tally{}, r.ByOwner[0].FirstTouch, "no first-touch verdict in the host's zone")

	weeks := nyWeeks(t)
	weeks.Location = time.Local
	_, err = DefaultPact().Evaluate(leads, Options{Weeks: weeks, AsOf: mql.Add(time.Hour)})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.ErrorContains(t, err, "sla: weeks.location: time.Local is the host's zone")
}
