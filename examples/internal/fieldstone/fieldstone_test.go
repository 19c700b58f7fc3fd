package fieldstone_test

import (
	"errors"
	"io/fs"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/demandstate"
	"github.com/revalign/revalign/examples/internal/fieldstone"
	"github.com/revalign/revalign/icp"
)

// Every embedded file has a loader, loads strictly, validates and compiles.
func TestFilesLoadAndCompile(t *testing.T) {
	names, err := fs.Glob(fieldstone.FS(), "*.yaml")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{
		fieldstone.ICPFile, fieldstone.RecalibratedICPFile, fieldstone.CalibrationFile,
		fieldstone.PactFile, fieldstone.DemandStateFile, fieldstone.RouterFile,
	}, names)

	for _, load := range []func() (icp.Model, error){fieldstone.ICPModel, fieldstone.RecalibratedICPModel} {
		m, err := load()
		require.NoError(t, err)
		_, err = m.Compile(fieldstone.ICPSchema())
		require.NoError(t, err, m.Version)
	}
	cal, err := fieldstone.Calibration()
	require.NoError(t, err)
	assert.Equal(t, icp.DefaultCalibration(), cal, "the sample calibrates with the package's defaults")

	pact, err := fieldstone.Pact()
	require.NoError(t, err)
	assert.Equal(t, 40.0, pact.MQL.MinFitScore)

	model, err := fieldstone.DemandStateModel()
	require.NoError(t, err)
	cl, err := demandstate.NewClassifier(model)
	require.NoError(t, err)
	router, err := fieldstone.Router()
	require.NoError(t, err)
	_, err = demandstate.NewDispatcher(cl, router)
	require.NoError(t, err)
}

// The disqualifier lists are the generator's (crm/sample), the independent
// source of who the sample company does not sell to.
func TestICPModelsDisqualifyWhomTheSampleDoesNotServe(t *testing.T) {
	for _, load := range []func() (icp.Model, error){fieldstone.ICPModel, fieldstone.RecalibratedICPModel} {
		m, err := load()
		require.NoError(t, err)
		byID := map[string]icp.Disqualifier{}
		for _, q := range m.Disqualifiers {
			byID[q.ID] = q
		}
		assert.Equal(t, sample.CompetitorDomains(), byID["competitor"].Values, m.Version)
		assert.Equal(t, sample.ServedCountries(), byID["unserved_country"].Values, m.Version)
		assert.Equal(t, icp.OpNotIn, byID["unserved_country"].Op, m.Version)
	}
}

// The signatures in the files are on their exact content: the pact is in
// force as of the export, marketing's model was never signed, and 2026.4 is
// in force once both leaders signed at the review, not before.
func TestSignatures(t *testing.T) {
	pact, err := fieldstone.Pact()
	require.NoError(t, err)
	st := pact.Standing(sample.AsOf())
	assert.True(t, st.InForce, st.Reason)

	current, err := fieldstone.ICPModel()
	require.NoError(t, err)
	so, err := current.SignOff(sample.AsOf())
	require.NoError(t, err)
	assert.False(t, so.InForce)
	assert.Equal(t, []string{icp.RoleCRO, icp.RoleCMO}, so.SignOff.Missing)

	next, err := fieldstone.RecalibratedICPModel()
	require.NoError(t, err)
	so, err = next.SignOff(time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.True(t, so.InForce, so.Reason())
	so, err = next.SignOff(sample.AsOf())
	require.NoError(t, err)
	assert.Equal(t, []string{icp.RoleCRO, icp.RoleCMO}, so.SignOff.Future)
}

func TestRates(t *testing.T) {
	r, err := fieldstone.Rates()
	require.NoError(t, err)
	assert.Equal(t, "USD", r.Base)
	// crm/sample/README.md: EUR 1.08, GBP 1.27.
	assert.True(t, decimal.RequireFromString("1.08").Equal(r.Rates["EUR"]), r.Rates["EUR"].String())
	assert.True(t, decimal.RequireFromString("1.27").Equal(r.Rates["GBP"]), r.Rates["GBP"].String())
}

func TestICPRecord(t *testing.T) {
	rates := revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": decimal.RequireFromString("1.08")}}
	schema := fieldstone.ICPSchema()
	lead := crm.Lead{ID: "L1", Country: "DE", Seniority: "vp", Email: "a@b.de"}
	events := []icp.Event{{Type: "webinar", At: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}}

	t.Run("converted and laid out by the schema", func(t *testing.T) {
		a := crm.Account{ID: "A1", Industry: "Retail", Employees: 1200, AnnualRevenue: decimal.RequireFromString("25000000"),
			Currency: "EUR", Technographics: []string{"Workday", "Slack"}}
		r, err := fieldstone.ICPRecord(lead, a, true, events, rates)
		require.NoError(t, err)
		require.Len(t, r.Values, len(schema))
		assert.Equal(t, "L1", r.ID)
		assert.Equal(t, events, r.Events)
		at := func(f string) icp.Value { return r.Values[schema.Index(f)] }
		rev, ok := at("annual_revenue").AsNumber()
		require.True(t, ok)
		assert.Equal(t, 27e6, rev, "25M EUR at 1.08")
		emp, _ := at("employee_count").AsNumber()
		assert.Equal(t, 1200.0, emp)
		country, _ := at("country").AsText()
		assert.Equal(t, "DE", country)
		tools, _ := at("technographics").AsList()
		assert.Equal(t, []string{"Workday", "Slack"}, tools)
		cust, _ := at("is_customer").AsBool()
		assert.True(t, cust)
	})
	t.Run("an export's zeros and blanks are unknown", func(t *testing.T) {
		r, err := fieldstone.ICPRecord(lead, crm.Account{ID: "A2", Currency: "XYZ"}, false, nil, rates)
		require.NoError(t, err, "no revenue, so no conversion")
		for _, f := range []string{"industry", "employee_count", "annual_revenue", "technographics"} {
			assert.True(t, r.Values[schema.Index(f)].IsMissing(), f)
		}
	})
	t.Run("a currency without a rate names the account", func(t *testing.T) {
		_, err := fieldstone.ICPRecord(lead, crm.Account{ID: "A3", AnnualRevenue: decimal.NewFromInt(5), Currency: "JPY"}, false, nil, rates)
		require.Error(t, err)
		assert.True(t, errors.Is(err, revalign.ErrCurrency))
		assert.Contains(t, err.Error(), "account A3")
	})
}

func TestICPOutcomes(t *testing.T) {
	mql := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	d := &crm.Dataset{
		Accounts: []crm.Account{{ID: "A1", Currency: "USD"}, {ID: "A2", Currency: "USD"}},
		Leads: []crm.Lead{
			{ID: "L1", AccountID: "A1", MQLAt: mql, Disposition: "Accepted"},
			{ID: "L2", AccountID: "A2"}, // never an MQL
			{ID: "L3", AccountID: "A2", MQLAt: mql, Disposition: ""},
		},
		Events:       []crm.Event{{LeadID: "L1", Type: "demo_request", OccurredAt: mql.Add(-time.Hour)}},
		ARRMovements: []crm.ARRMovement{{AccountID: "A2", Month: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}},
	}
	outs, err := fieldstone.ICPOutcomes(d, revalign.Rates{Base: "USD"})
	require.NoError(t, err)
	require.Len(t, outs, 2)
	assert.Equal(t, "L1", outs[0].Record.ID)
	assert.Equal(t, "Accepted", outs[0].Disposition)
	assert.Equal(t, mql, outs[0].At)
	assert.Len(t, outs[0].Record.Events, 1)
	cust := fieldstone.ICPSchema().Index("is_customer")
	c1, _ := outs[0].Record.Values[cust].AsBool()
	c3, _ := outs[1].Record.Values[cust].AsBool()
	assert.False(t, c1)
	assert.True(t, c3, "A2 became a customer in the MQL's month")

	d.Leads[0].AccountID = "nope"
	_, err = fieldstone.ICPOutcomes(d, revalign.Rates{Base: "USD"})
	assert.EqualError(t, err, `lead L1: no account "nope"`)
}

func TestCustomerSinceAt(t *testing.T) {
	c := fieldstone.CustomersFrom([]crm.ARRMovement{
		{AccountID: "A", Month: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
		{AccountID: "A", Month: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}, // the first, out of order
	})
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	assert.False(t, c.At("A", time.Date(2025, 2, 28, 23, 0, 0, 0, ny)))
	assert.True(t, c.At("A", time.Date(2025, 3, 1, 0, 0, 0, 0, ny)))
	assert.True(t, c.At("A", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), "churned or not, still customer success's")
	assert.False(t, c.At("B", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
}

func TestEngagementAndIntent(t *testing.T) {
	at := time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)
	ev := func(typ string, ago time.Duration) crm.Event { return crm.Event{Type: typ, OccurredAt: at.Add(-ago)} }
	day := 24 * time.Hour
	events := []crm.Event{
		ev("webinar", 30*day),                // on the window's first instant: 15
		ev("content_download", 30*day+1),     // just outside: 0
		ev("demo_request", 0),                // at the instant: 30
		ev("pricing_page", -time.Second),     // after it: not yet known
		ev("web_visit", 2*day),               // 2
		ev("intent_signal", 40*day),          // outside the window, but intent
		ev("unknown_type", day),              // no points
		ev("intent_signal", 50*day),          // an older intent
		ev("pricing_page", 35*day+time.Hour), // older than the demo request
	}
	assert.Equal(t, 47.0, fieldstone.Engagement(events, at))
	assert.Equal(t, at, fieldstone.LastIntent(events, at), "the demo request at the instant")
	assert.Equal(t, at.Add(-35*day-time.Hour), fieldstone.LastIntent(events, at.Add(-31*day)))
	assert.True(t, fieldstone.LastIntent(events[:2], at).IsZero())
}

func TestProspect(t *testing.T) {
	intent := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	p := fieldstone.Prospect(icp.Result{ID: "L1", Fit: 45, Engagement: 3}, 35, intent)
	assert.Equal(t, "L1", p.ID)
	assert.Equal(t, 45.0, p.FitScore)
	assert.Equal(t, 35.0, p.Engagement, "marketing's engagement, not the ICP model's")
	assert.Equal(t, intent, p.LastIntentAt)
	assert.Empty(t, p.Factors)

	p = fieldstone.Prospect(icp.Result{ID: "L2", Disqualified: true, DisqualifiedBy: "competitor"}, 0, time.Time{})
	assert.Equal(t, []string{"competitor"}, p.Factors)
}

func TestDemandStateRecord(t *testing.T) {
	m := demandstate.DefaultModel()
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	events := []crm.Event{
		{Type: "webinar", OccurredAt: asOf.Add(-20 * day)},
		{Type: "webinar", OccurredAt: asOf.Add(-10 * day)}, // the latest content
		{Type: "pricing_page", OccurredAt: asOf.Add(day)},  // not yet known
		{Type: "web_visit", OccurredAt: asOf.Add(-3 * day)},
	}
	touches := []crm.Touch{
		{Channel: "partner", TouchedAt: asOf.Add(-30 * day)},
		{Channel: "email", TouchedAt: asOf.Add(-time.Hour)}, // the latest engagement
	}
	r := fieldstone.DemandStateRecord(m, "L1", false, events, touches, asOf)
	require.Len(t, r.Values, len(m.Signals))
	get := func(s string) demandstate.Value { return r.Values[m.SignalIndex(s)] }
	tm := func(s string) time.Time { v, _ := get(s).Time(); return v }
	assert.Equal(t, asOf.Add(-time.Hour), tm(demandstate.SignalEngagedAt))
	assert.Equal(t, asOf.Add(-10*day), tm(demandstate.SignalContentAt))
	assert.Equal(t, asOf.Add(-30*day), tm(demandstate.SignalPartnerAt))
	assert.True(t, get(demandstate.SignalPricingAt).IsMissing())
	assert.True(t, get(demandstate.SignalDemoAt).IsMissing())
	cust, ok := get(demandstate.SignalCustomer).Bool()
	assert.True(t, ok)
	assert.False(t, cust)

	// The default classifier puts this record in partner-aware (a partner
	// touch within 90 days, no buying signal in 14).
	cl, err := demandstate.NewClassifier(m)
	require.NoError(t, err)
	st, err := cl.Classify(r, asOf)
	require.NoError(t, err)
	assert.Equal(t, demandstate.PartnerAware, st)

	// A model that declares fewer signals gets only those.
	small := demandstate.Model{Signals: []demandstate.Signal{{Name: demandstate.SignalDemoAt, Type: demandstate.TypeTime}}}
	r = fieldstone.DemandStateRecord(small, "L1", true, events, touches, asOf)
	require.Len(t, r.Values, 1)
	assert.True(t, r.Values[0].IsMissing())
}

func TestReachOf(t *testing.T) {
	current, err := fieldstone.ICPModel()
	require.NoError(t, err)
	// Five criteria of 5 points; behaviour's signal caps add to 150, capped
	// at the group's 100.
	assert.Equal(t, fieldstone.Reach{Fit: 25, Engagement: 100, Total: 125}, fieldstone.ReachOf(current))

	next, err := fieldstone.RecalibratedICPModel()
	require.NoError(t, err)
	// 15 + 30 + 1 + 8 + 21; caps of the positive signals
	// 5 (web) + 3 (webinar) + 12 (pricing) + 8 (demo) + 9 (intent).
	assert.Equal(t, fieldstone.Reach{Fit: 75, Engagement: 37, Total: 112}, fieldstone.ReachOf(next))

	m := icp.Model{
		Firmographic: []icp.Criterion{{Points: 30}, {Points: 90}},
		Behavioural:  []icp.Signal{{Points: 1}}, // no cap: enough events reach the group cap
		Caps:         icp.Caps{Firmographic: 100, Technographic: 100, Behavioural: 60},
		FitGate:      icp.FitGate{MinFit: 150},
	}
	assert.Equal(t, fieldstone.Reach{Fit: 100, Engagement: 60, Total: 100}, fieldstone.ReachOf(m), "the gate never opens")
}
