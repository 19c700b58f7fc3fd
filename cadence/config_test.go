package cadence

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

// roundTrip encodes v as JSON and loads it back through the strict config
// loader into a new value of the same type.
func roundTrip[T any](t *testing.T, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out T
	require.NoError(t, config.Unmarshal(b, &out), "%s", b)
	return out
}

func TestConfigRoundTrip(t *testing.T) {
	c := DefaultCadence()
	c.Holidays = usHolidays()
	c.OnHoliday = NextBusinessDay
	c.Calendar = revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: newYork}
	assert.Equal(t, c, roundTrip(t, c))

	p := DefaultPipelinePolicy()
	got := roundTrip(t, p)
	assert.True(t, got.Threshold.Equal(p.Threshold))
	got.Threshold = p.Threshold
	assert.Equal(t, p, got)

	pm := DefaultPostMortemPolicy()
	assert.Equal(t, pm, roundTrip(t, pm))

	g := DefaultGovernance()
	assert.Equal(t, g, roundTrip(t, g))
}

func TestConfigYAML(t *testing.T) {
	const doc = `
currency: EUR
threshold: 75000.50
stalled_after_days: 14
pattern_min_deals: 3
pattern_route_to: quarterly_loss_postmortem
pattern_owner: {name: Dana Ortiz, team: revops}
default_owner: {name: Sam Lee, team: sales}
commitment_day: Thu
off_forecast_categories: [Omitted]
`
	var p PipelinePolicy
	require.NoError(t, config.Unmarshal([]byte(doc), &p))
	assert.Equal(t, Thursday, p.CommitmentDay)
	assert.True(t, p.Threshold.Equal(decimal.RequireFromString("75000.50")))

	var cfgErr *config.Error
	err := config.Unmarshal([]byte("currency: USD\nstaled_after_days: 21\n"), &p)
	require.ErrorAs(t, err, &cfgErr, "a typo is an error with a position")
	assert.Equal(t, 2, cfgErr.Line)

	err = config.Unmarshal([]byte(`
calendar: {start_month: 2, week_start: monday, time_zone: America/New_York}
decision_window_days: 30
on_holiday: skip
rituals:
  - key: weekly
    name: Weekly pipeline review
    when: {every: week, weekday: monday, at: "10:00", duration_minutes: 45}
    owners: [{name: Pat, team: sales}]
    artifact: {name: Forecast}
    decision_rights: [{decision: forecast call, owner: {name: Pat, team: sales}}]
`), &Cadence{})
	require.Error(t, err, "a ritual without an artifact owner does not load")
	var fe *revalign.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "rituals[0].artifact.owner", fe.Path)

	var w Weekday
	assert.ErrorIs(t, config.Unmarshal([]byte(`"someday"`), &w), revalign.ErrInvalid)
}

func TestRitualValidate(t *testing.T) {
	ok := DefaultCadence().Rituals[0]
	require.NoError(t, ok.Validate())
	tests := []struct {
		name  string
		edit  func(r *Ritual)
		paths []string
	}{
		{"no artifact owner", func(r *Ritual) { r.Artifact.Owner = revalign.Owner{} }, []string{"artifact.owner"}},
		{"no decision owner", func(r *Ritual) { r.Decisions[1].Owner = revalign.Owner{} }, []string{"decision_rights[1].owner"}},
		{"no decision rights", func(r *Ritual) { r.Decisions = nil }, []string{"decision_rights"}},
		{"owner without team", func(r *Ritual) { r.Owners[0].Team = "" }, []string{"owners[0].team"}},
		{"no owners, no key", func(r *Ritual) { r.Owners, r.Key = nil, " " }, []string{"key", "owners"}},
		{"self countersign", func(r *Ritual) { r.Decisions[0].Countersign = r.Decisions[0].Owner }, []string{"decision_rights[0].countersign"}},
		{"agenda too long", func(r *Ritual) { r.Agenda[1].Minutes = 30 }, []string{"agenda"}},
		{"agenda item", func(r *Ritual) { r.Agenda[0].Minutes, r.Agenda[0].Topic = 0, "" }, []string{"agenda[0].topic", "agenda[0].minutes"}},
		{"escalation nowhere", func(r *Ritual) { r.Escalations[0].RouteTo = "" }, []string{"escalations[0]"}},
		{"bad recurrence", func(r *Ritual) { r.When.Nth, r.When.DurationMinutes = 2, 0 }, []string{"when.nth", "when.duration_minutes"}},
		{"no artifact, bad facilitator", func(r *Ritual) { r.Artifact.Name, r.Facilitator = "", revalign.Owner{Name: "X"} }, []string{"facilitator.team", "artifact.name"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultCadence().Rituals[0]
			tc.edit(&r)
			assert.Equal(t, tc.paths, fieldPaths(t, r.Validate()))
		})
	}
}

// fieldPaths returns the paths of the field errors joined in err.
func fieldPaths(t *testing.T, err error) []string {
	t.Helper()
	require.ErrorIs(t, err, revalign.ErrInvalid)
	var out []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *revalign.FieldError
		require.True(t, errors.As(e, &fe))
		out = append(out, fe.Path)
	}
	return out
}

func TestCadenceValidate(t *testing.T) {
	require.NoError(t, DefaultCadence().Validate())
	c := DefaultCadence()
	c.Rituals[1].Key = c.Rituals[0].Key
	c.Rituals[2].Escalations[0].RouteTo = "nowhere"
	c.Holidays = []Holiday{{Name: "x", Month: 2, Day: 30}}
	c.OnHoliday = HolidayRule(7)
	c.Weekend = []Weekday{0, 1, 2, 3, 4, 5, 9}
	c.DecisionWindowDays = 0
	c.Calendar.StartMonth = 13
	assert.Equal(t, []string{"calendar.start_month", "rituals[1].key", "rituals[2].escalations[0].route_to", "holidays[0].day",
		"on_holiday", "weekend[6]", "weekend", "decision_window_days"}, fieldPaths(t, c.Validate()))
	c.Rituals = nil
	assert.Contains(t, fieldPaths(t, c.Validate()), "rituals")

	// A decision window is days to weeks ("the next 30 days"); a year is
	// the most it may be, so a typo cannot make Decisions schedule decades.
	c = DefaultCadence()
	c.DecisionWindowDays = MaxDecisionWindowDays
	assert.NoError(t, c.Validate())
	c.DecisionWindowDays = MaxDecisionWindowDays + 1
	assert.EqualError(t, c.Validate(), "cadence: decision_window_days: must be in 1..366, got 367")
	_, ok := DefaultCadence().Ritual("nope")
	assert.False(t, ok)
}

func TestHolidayValidate(t *testing.T) {
	tests := []struct {
		h     Holiday
		paths []string
	}{
		{Fixed("Leap day", time.February, 29, false), nil},
		{OnDate("Offsite", 2026, time.February, 29), []string{"day"}},
		{Floating("Last Monday", time.May, -1, Monday), nil},
		{Holiday{Name: "x", Month: 5, Nth: 6, Weekday: 9, Observed: true}, []string{"nth", "weekday", "observed"}},
		{Holiday{Name: "x", Month: 5, Nth: 1, Day: 3}, []string{"day"}},
		{Holiday{Month: 13}, []string{"name", "month"}},
		{Holiday{Name: "x", Month: 5}, []string{"day"}},
		{Holiday{Name: "x", Year: 2026, Month: 5, Day: 1, Observed: true}, []string{"observed"}},
		{Holiday{Name: "x", Year: -1, Month: 5, Day: 1}, []string{"year"}},
	}
	for _, tc := range tests {
		err := tc.h.Validate()
		if tc.paths == nil {
			assert.NoError(t, err, "%+v", tc.h)
			continue
		}
		assert.Equal(t, tc.paths, fieldPaths(t, err), "%+v", tc.h)
	}
	// 29 February is a holiday in leap years only.
	leap := Fixed("Leap day", time.February, 29, false)
	assert.Len(t, leap.dates(2028, nil), 1)
	assert.Empty(t, leap.dates(2027, nil))
}

func TestRecurrenceString(t *testing.T) {
	assert.Equal(t, "every Monday at 10:00 (45 min)", DefaultCadence().Rituals[0].When.String())
	assert.Equal(t, "2nd Tuesday of every month at 14:00 (60 min)", DefaultCadence().Rituals[2].When.String())
	assert.Equal(t, "1st Tuesday of every quarter at 13:00 (90 min)", DefaultCadence().Rituals[5].When.String())
	assert.Equal(t, "last Friday of every month at 09:00 (30 min)",
		Recurrence{Every: revalign.Month, Nth: -1, Weekday: Friday, At: At(9, 0), DurationMinutes: 30}.String())
	assert.Equal(t, "3rd last Friday of every quarter at 09:00 (30 min)",
		Recurrence{Every: revalign.Quarter, Nth: -3, Weekday: Friday, At: At(9, 0), DurationMinutes: 30}.String())
	assert.Equal(t, "every Monday at 09:00 (30 min)", one(Recurrence{Every: revalign.Week, Weekday: Monday, At: At(9, 0), DurationMinutes: 30}).Rituals[0].When.String())
	assert.Equal(t, []string{"1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "53rd"},
		[]string{ordinal(1), ordinal(2), ordinal(3), ordinal(4), ordinal(11), ordinal(12), ordinal(13), ordinal(21), ordinal(22), ordinal(53)})
	assert.Error(t, Recurrence{Every: revalign.Unit(9)}.Validate())
	assert.Equal(t, []string{"nth"}, fieldPaths(t, Recurrence{Every: revalign.Month, Nth: 6, DurationMinutes: 1}.Validate()))
	assert.Equal(t, []string{"nth", "at"}, fieldPaths(t, Recurrence{Every: revalign.Week, Nth: 1, At: -1, DurationMinutes: 1}.Validate()))
}

func TestPolicyValidate(t *testing.T) {
	p := DefaultPipelinePolicy()
	p.Currency = "US"
	p.Threshold = decimal.RequireFromString("-1")
	p.StalledAfterDays, p.PatternMinDeals = 0, 1
	p.PatternRouteTo, p.PatternOwner, p.DefaultOwner = "", revalign.Owner{}, revalign.Owner{Name: "x"}
	p.CommitmentDay = 8
	p.OffForecastCategories = []string{" "}
	assert.Equal(t, []string{"currency", "threshold", "stalled_after_days", "pattern_min_deals", "pattern_route_to", "pattern_owner",
		"default_owner.team", "commitment_day", "off_forecast_categories[0]"}, fieldPaths(t, p.Validate()))
	p = DefaultPipelinePolicy()
	p.Threshold = decimal.RequireFromString("0.001")
	assert.Equal(t, []string{"threshold"}, fieldPaths(t, p.Validate()))
}

// TestCurrencyNormalised: a currency code with surrounding spaces or in
// lower case is read as the code it spells, once, everywhere: in the
// review's and the post-mortem's currency, in the minor units (JPY has
// none) and in the comparison with each record's currency. A code that is
// not three letters is an error.
func TestCurrencyNormalised(t *testing.T) {
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)
	deal := func(id, amount, currency string) Deal {
		return Deal{ID: id, Owner: rep("R"), Stage: "Proposal", StageEnteredAt: day(2026, 9, 20), Amount: dec(amount), Currency: currency,
			CloseDate: day(2026, 10, 1), NextAction: "x", NextActionDate: day(2026, 10, 1)}
	}
	p := DefaultPipelinePolicy()
	p.Currency = " jpy "
	p.Threshold = dec("5000000")
	require.NoError(t, p.Validate())
	rv, err := p.Review(ReviewInput{AsOf: asOf, This: []Deal{deal("a", "6000000", "JPY"), deal("b", "100", " jpy"), deal("c", "100.5", "JPY")}})
	require.NoError(t, err)
	assert.Equal(t, "JPY", rv.Currency)
	assert.Equal(t, 2, rv.Deals, "a and b are in yen; c has a fraction of a yen")
	require.Len(t, rv.Errors, 1)
	assert.Equal(t, "c", rv.Errors[0].ID)
	assert.True(t, rv.Delta.This.Equal(dec("6000100")))
	assert.Equal(t, []string{"a"}, ids(rv.OverThreshold))

	pm := DefaultPostMortemPolicy()
	pm.Currency = "jpy\t"
	require.NoError(t, pm.Validate())
	loss := func(id, amount, currency string) Loss {
		return Loss{ID: id, Amount: dec(amount), Currency: currency, ClosedOn: day(2026, 6, 1), Reason: "Price"}
	}
	out, err := pm.Run([]Loss{loss("x", "700", "JPY"), loss("y", "300", "Jpy "), loss("z", "1.5", "JPY")}, q2)
	require.NoError(t, err)
	assert.Equal(t, "JPY", out.Currency)
	assert.Equal(t, 2, out.Losses)
	assert.True(t, out.ValueLost.Equal(dec("1000")))
	require.Len(t, out.Errors, 1)
	assert.Equal(t, "z", out.Errors[0].ID)

	for _, bad := range []string{"US D", "US", "€UR", "USDX", ""} {
		p.Currency, pm.Currency = bad, bad
		assert.Equal(t, []string{"currency"}, fieldPaths(t, p.Validate()), "%q", bad)
		assert.Equal(t, []string{"currency"}, fieldPaths(t, pm.Validate()), "%q", bad)
	}
}

// FuzzConfig loads arbitrary documents into every configuration type: the
// loader and Validate report errors, never panic, and a cadence that loads
// can be scheduled.
func FuzzConfig(f *testing.F) {
	for _, v := range []any{DefaultCadence(), DefaultPipelinePolicy(), DefaultPostMortemPolicy(), DefaultGovernance()} {
		b, err := json.Marshal(v)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(`{"rituals":[{"when":{"every":"month","nth":-9}}],"holidays":[{"month":2,"day":31}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var c Cadence
		if config.Unmarshal(doc, &c) == nil {
			from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			_, err := c.Schedule(from, from.AddDate(0, 3, 0), nil)
			require.NoError(t, err)
		}
		var p PipelinePolicy
		if config.Unmarshal(doc, &p) == nil {
			_, err := p.Review(ReviewInput{AsOf: time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)})
			require.NoError(t, err)
		}
		var pm PostMortemPolicy
		if config.Unmarshal(doc, &pm) == nil {
			_, err := pm.Run(nil, q2)
			require.NoError(t, err)
		}
		var g Governance
		if config.Unmarshal(doc, &g) == nil {
			g.FailureModes(DefaultCadence())
		}
	})
}

func TestAssign(t *testing.T) {
	c := DefaultCadence()
	dana := revalign.Owner{Name: "Dana Cruz", Team: revalign.Sales}
	sam := revalign.Owner{Name: "Sam Whitfield", Team: revalign.RevOps}
	got := c.Assign(map[string]revalign.Owner{"VP Sales": dana, "RevOps lead": sam})
	require.NoError(t, got.Validate())
	assert.Equal(t, DefaultCadence(), c, "the receiver is untouched")
	assert.Equal(t, dana, got.Rituals[0].Owners[0])
	assert.Equal(t, dana, got.Rituals[0].Artifact.Owner)
	assert.Equal(t, dana, got.Rituals[0].Decisions[2].Countersign)
	assert.Equal(t, sam, got.Rituals[5].Facilitator)
	assert.Equal(t, sam, got.Rituals[5].Artifact.Owner)
	assert.Equal(t, vpMarketing, got.Rituals[0].Owners[1], "others unchanged")
	assert.True(t, got.Rituals[1].Decisions[1].Countersign == dana, "countersign replaced too")
	assert.True(t, got.Rituals[2].Facilitator.IsZero(), "no facilitator stays none")
}
