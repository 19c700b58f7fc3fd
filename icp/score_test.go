package icp_test

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/icp"
)

var asOf = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)

// ago returns the instant d days before asOf.
func ago(d float64) time.Time { return asOf.Add(-time.Duration(d * 24 * float64(time.Hour))) }

// bare returns a model with the default thresholds, no disqualifiers and the
// gate off, for testing one rule at a time.
func bare() icp.Model {
	m := icp.DefaultModel()
	m.Disqualifiers = nil
	m.FitGate = icp.FitGate{Off: true}
	return m
}

func score(t *testing.T, m icp.Model, attrs map[string]icp.Value, events ...icp.Event) icp.Result {
	t.Helper()
	res, err := m.Score(icp.Lead{ID: "L1", Attributes: attrs, Events: events}, asOf)
	require.NoError(t, err)
	return res
}

// entry returns the log entry with the given id.
func entry(t *testing.T, res icp.Result, id string) icp.Entry {
	t.Helper()
	for _, e := range res.Log {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no log entry %q in %v", id, res.Log)
	return icp.Entry{}
}

func TestScoreCriterionKinds(t *testing.T) {
	tests := []struct {
		name   string
		c      icp.Criterion
		value  icp.Value
		status icp.Status
		points float64
	}{
		{"in text", icp.Criterion{Op: icp.OpIn, Values: []string{"Software", "Retail"}, Points: 20}, icp.Text("Retail"), icp.Matched, 20},
		{"in text ignores ASCII case and model spacing", icp.Criterion{Op: icp.OpIn, Values: []string{" financial services"}, Points: 20}, icp.Text("Financial SERVICES"), icp.Matched, 20},
		{"in text miss", icp.Criterion{Op: icp.OpIn, Values: []string{"Software"}, Points: 20}, icp.Text("Softwares"), icp.Missed, 0},
		{"in list any item", icp.Criterion{Op: icp.OpIn, Values: []string{"Workday", "UKG"}, Points: 15}, icp.List([]string{"Slack", "ukg"}), icp.Matched, 15},
		{"in list no item", icp.Criterion{Op: icp.OpIn, Values: []string{"Workday"}, Points: 15}, icp.List([]string{"Slack"}), icp.Missed, 0},
		{"not_in text", icp.Criterion{Op: icp.OpNotIn, Values: []string{"Education"}, Points: 5}, icp.Text("Retail"), icp.Matched, 5},
		{"not_in text miss", icp.Criterion{Op: icp.OpNotIn, Values: []string{"Education"}, Points: 5}, icp.Text("education"), icp.Missed, 0},
		{"not_in list (tool absent)", icp.Criterion{Op: icp.OpNotIn, Values: []string{"LegacyHR"}, Points: 5}, icp.List([]string{"Workday", "Slack"}), icp.Matched, 5},
		{"not_in list present", icp.Criterion{Op: icp.OpNotIn, Values: []string{"LegacyHR"}, Points: 5}, icp.List([]string{"Workday", "LegacyHR"}), icp.Missed, 0},
		{"range inside", icp.Criterion{Op: icp.OpRange, Min: ptr(200), Max: ptr(5000), Points: 20}, icp.Number(1200), icp.Matched, 20},
		{"range lower bound inclusive", icp.Criterion{Op: icp.OpRange, Min: ptr(200), Max: ptr(5000), Points: 20}, icp.Number(200), icp.Matched, 20},
		{"range upper bound inclusive", icp.Criterion{Op: icp.OpRange, Min: ptr(200), Max: ptr(5000), Points: 20}, icp.Number(5000), icp.Matched, 20},
		{"range below", icp.Criterion{Op: icp.OpRange, Min: ptr(200), Max: ptr(5000), Points: 20}, icp.Number(199), icp.Missed, 0},
		{"range above", icp.Criterion{Op: icp.OpRange, Min: ptr(200), Max: ptr(5000), Points: 20}, icp.Number(5001), icp.Missed, 0},
		{"range open above", icp.Criterion{Op: icp.OpRange, Min: ptr(1e8), Points: 10}, icp.Number(3e9), icp.Matched, 10},
		{"range open below", icp.Criterion{Op: icp.OpRange, Max: ptr(50), Points: -10}, icp.Number(12), icp.Matched, -10},
		{"is_true", icp.Criterion{Op: icp.OpIsTrue, Points: 7}, icp.Bool(true), icp.Matched, 7},
		{"is_true on false", icp.Criterion{Op: icp.OpIsTrue, Points: 7}, icp.Bool(false), icp.Missed, 0},
		{"is_false", icp.Criterion{Op: icp.OpIsFalse, Points: 7}, icp.Bool(false), icp.Matched, 7},
		{"domain_in email", icp.Criterion{Op: icp.OpDomainIn, Values: []string{"acme.com"}, Points: 3}, icp.Text("jo@acme.com"), icp.Matched, 3},
		{"domain_in subdomain", icp.Criterion{Op: icp.OpDomainIn, Values: []string{"acme.com"}, Points: 3}, icp.Text("jo@eu.ACME.com"), icp.Matched, 3},
		{"domain_in bare domain", icp.Criterion{Op: icp.OpDomainIn, Values: []string{"acme.com"}, Points: 3}, icp.Text("acme.com"), icp.Matched, 3},
		{"domain_in is not a suffix match", icp.Criterion{Op: icp.OpDomainIn, Values: []string{"acme.com"}, Points: 3}, icp.Text("jo@notacme.com"), icp.Missed, 0},
		{"missing text is unknown", icp.Criterion{Op: icp.OpIn, Values: []string{"Software"}, Points: 20}, icp.Text(""), icp.Unknown, 0},
		{"missing list is unknown", icp.Criterion{Op: icp.OpNotIn, Values: []string{"LegacyHR"}, Points: 5}, icp.List(nil), icp.Unknown, 0},
		{"missing number is unknown", icp.Criterion{Op: icp.OpRange, Min: ptr(1), Points: 5}, icp.Number(math.NaN()), icp.Unknown, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := bare()
			tt.c.ID, tt.c.Field = "rule", "attr"
			m.Firmographic = []icp.Criterion{tt.c}
			res := score(t, m, map[string]icp.Value{"attr": tt.value})
			e := entry(t, res, "rule")
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, tt.points, e.Points)
			assert.Equal(t, icp.Firmographic, e.Group)
			assert.Equal(t, math.Max(tt.points, 0), res.Fit, "negative points are floored at 0")
			wantUnknown := 0
			if tt.status == icp.Unknown {
				wantUnknown = 1
			}
			assert.Equal(t, wantUnknown, res.Unknown)
		})
	}
}

func TestScoreAttributeOfWrongKind(t *testing.T) {
	m := bare()
	m.Firmographic = []icp.Criterion{{ID: "employees", Field: "employee_count", Op: icp.OpRange, Min: ptr(200), Points: 20}}
	_, err := m.Score(icp.Lead{ID: "L9", Attributes: map[string]icp.Value{"employee_count": icp.Text("1,200")}}, asOf)
	require.Error(t, err)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.Contains(t, err.Error(), `employee_count`)
	assert.Contains(t, err.Error(), `range needs a number, not text`)

	for _, tt := range []struct {
		op    icp.Op
		value icp.Value
	}{
		{icp.OpIn, icp.Number(3)}, {icp.OpIsTrue, icp.Text("yes")}, {icp.OpDomainIn, icp.List([]string{"a.com"})},
	} {
		m.Firmographic = []icp.Criterion{{ID: "x", Field: "f", Op: tt.op, Values: []string{"a.com"}, Points: 1}}
		if tt.op == icp.OpIsTrue {
			m.Firmographic[0].Values = nil
		}
		_, err := m.Score(icp.Lead{Attributes: map[string]icp.Value{"f": tt.value}}, asOf)
		assert.ErrorIs(t, err, revalign.ErrInvalid, "%v on %v", tt.op, tt.value.Kind())
	}
}

// signalModel has one fit criterion (a model with signals needs one) and
// the given signal; the gate is off.
func signalModel(s icp.Signal) icp.Model {
	m := bare()
	m.Firmographic = []icp.Criterion{{ID: "fit", Field: "industry", Op: icp.OpIn, Values: []string{"Software"}, Points: 10}}
	s.ID = "sig"
	m.Behavioural = []icp.Signal{s}
	return m
}

func TestDecay(t *testing.T) {
	halfLife := icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 30}
	tests := []struct {
		name   string
		signal icp.Signal
		ages   []float64
		want   float64
		events int
	}{
		// Hand-computed: points × 2^(−age/half-life).
		{"half-life at 0", icp.Signal{Event: "webinar", Points: 10, Decay: halfLife}, []float64{0}, 10, 1},
		{"half-life at one half-life", icp.Signal{Event: "webinar", Points: 10, Decay: halfLife}, []float64{30}, 5, 1},
		{"half-life at two half-lives", icp.Signal{Event: "webinar", Points: 10, Decay: halfLife}, []float64{60}, 2.5, 1},
		{"half-life 50% per month after 45 days", icp.Signal{Event: "webinar", Points: 10, Decay: halfLife}, []float64{45}, 3.54, 1},                                                       // 10/2^1.5 = 3.5355
		{"half-life within its lifespan", icp.Signal{Event: "webinar", Points: 10, Decay: icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 30, LifespanDays: 45}}, []float64{44}, 3.62, 1}, // 10/2^(44/30) = 3.6173
		{"half-life past its lifespan", icp.Signal{Event: "webinar", Points: 10, Decay: icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 30, LifespanDays: 45}}, []float64{45}, 0, 0},
		// MadKudu: 9 points, 90-day life, 3 days old → 9 × (1 − 3/90) = 8.7.
		{"linear MadKudu example", icp.Signal{Event: "web_visit", Points: 9, Decay: icp.Decay{Kind: icp.DecayLinear, LifespanDays: 90}}, []float64{3}, 8.7, 1},
		{"linear at half its lifespan", icp.Signal{Event: "web_visit", Points: 9, Decay: icp.Decay{Kind: icp.DecayLinear, LifespanDays: 90}}, []float64{45}, 4.5, 1},
		{"linear at the end of its lifespan", icp.Signal{Event: "web_visit", Points: 9, Decay: icp.Decay{Kind: icp.DecayLinear, LifespanDays: 90}}, []float64{90}, 0, 0},
		{"linear past its lifespan", icp.Signal{Event: "web_visit", Points: 9, Decay: icp.Decay{Kind: icp.DecayLinear, LifespanDays: 90}}, []float64{400}, 0, 0},
		{"no decay", icp.Signal{Event: "demo_request", Points: 40}, []float64{0, 700}, 80, 2},
		{"no decay with a lifespan", icp.Signal{Event: "demo_request", Points: 40, Decay: icp.Decay{LifespanDays: 30}}, []float64{29.9, 30, 31}, 40, 1},
		{"cap", icp.Signal{Event: "webinar", Points: 10, Cap: 25}, []float64{1, 2, 3}, 25, 3},
		{"cap on negative points", icp.Signal{Event: "unsubscribe", Points: -30, Cap: 40}, []float64{1, 2}, 0, 2}, // −40, floored at 0
		{"future events do not count", icp.Signal{Event: "webinar", Points: 10}, []float64{-1, -1e-9}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var evs []icp.Event
			for _, a := range tt.ages {
				evs = append(evs, icp.Event{Type: tt.signal.Event, At: ago(a)})
			}
			res := score(t, signalModel(tt.signal), nil, evs...)
			assert.InDelta(t, tt.want, res.Engagement, 1e-9)
			assert.Equal(t, tt.events, entry(t, res, "sig").Events)
		})
	}
}

// TestZeroTimesAreErrors: an event the model counts with a zero time
// would count full points forever on a signal without decay, and a zero
// asOf would count no event at all; both are errors, on every path.
func TestZeroTimesAreErrors(t *testing.T) {
	m := signalModel(icp.Signal{Event: "demo_request", Points: 40}) // no decay
	m.Behavioural = append(m.Behavioural, icp.Signal{ID: "decaying", Event: "webinar", Points: 10, Decay: icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 30}})
	attrs := map[string]icp.Value{"industry": icp.Text("Software")}
	good := icp.Event{Type: "demo_request", At: ago(1)}

	for _, typ := range []string{"demo_request", "WEBINAR"} {
		_, err := m.Score(icp.Lead{ID: "L1", Attributes: attrs, Events: []icp.Event{good, {Type: typ}}}, asOf)
		require.ErrorIs(t, err, revalign.ErrInvalid, typ)
		assert.EqualError(t, err, `icp: events[1].at: "`+typ+`" event needs a time, not the zero time.Time`)
	}
	// An event the model does not count is not read, whatever its time.
	res := score(t, m, attrs, good, icp.Event{Type: "page_view"})
	assert.Equal(t, 40.0, res.Engagement)

	_, err := m.Score(icp.Lead{ID: "L1", Attributes: attrs, Events: []icp.Event{good}}, time.Time{})
	require.ErrorIs(t, err, revalign.ErrInvalid)
	assert.EqualError(t, err, "icp: as_of: scoring needs the instant to score as of, not the zero time.Time")

	s, err := m.Compile(m.Fields())
	require.NoError(t, err)
	recs := []icp.Record{
		{ID: "good", Values: []icp.Value{icp.Text("Software")}, Events: []icp.Event{good}},
		{ID: "zero-event", Values: []icp.Value{icp.Text("Software")}, Events: []icp.Event{{Type: "demo_request"}, good}},
		{ID: "good-too", Values: []icp.Value{icp.Text("Retail")}, Events: []icp.Event{good}},
	}
	out, errs := s.ScoreBatch(recs, asOf, nil)
	require.Len(t, errs, 1)
	assert.Equal(t, "zero-event", errs[0].ID)
	assert.ErrorContains(t, errs[0], `events[0].at: "demo_request" event needs a time`)
	assert.Equal(t, []float64{40, 0, 40}, []float64{out[0].Engagement, out[1].Engagement, out[2].Engagement})

	_, errs = s.ScoreBatch(recs, time.Time{}, out)
	require.Len(t, errs, 3, "with a zero asOf no record can be scored")
	for _, e := range errs {
		assert.ErrorContains(t, e, "as_of")
	}
	_, err = s.Score(recs[0], time.Time{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = s.Explain(recs[1], asOf, nil)
	assert.ErrorIs(t, err, revalign.ErrInvalid)

	// The path for models with more signals than fit on the stack agrees.
	big := m
	for i := range 40 {
		big.Behavioural = append(big.Behavioural, icp.Signal{ID: fmt.Sprintf("s%d", i), Event: fmt.Sprintf("e%d", i), Points: 1})
	}
	_, err = big.Score(icp.Lead{ID: "L1", Attributes: attrs, Events: []icp.Event{good, {Type: "e39"}}}, asOf)
	assert.EqualError(t, err, `icp: events[1].at: "e39" event needs a time, not the zero time.Time`)
}

func TestDecayNegativeSignalIsCappedBeforeTheFloor(t *testing.T) {
	m := signalModel(icp.Signal{Event: "unsubscribe", Points: -30, Cap: 40})
	m.Behavioural = append(m.Behavioural, icp.Signal{ID: "demo", Event: "demo_request", Points: 50})
	res := score(t, m, nil, icp.Event{Type: "unsubscribe", At: ago(1)}, icp.Event{Type: "unsubscribe", At: ago(2)},
		icp.Event{Type: "demo_request", At: ago(1)})
	assert.Equal(t, -40.0, entry(t, res, "sig").Points, "two unsubscribes make −60, capped at −40")
	assert.Equal(t, 10.0, res.Engagement, "50 − 40")
}

func TestEventTypesMatchCaseInsensitively(t *testing.T) {
	m := signalModel(icp.Signal{Event: "pricing_page", Points: 10})
	m.Behavioural = append(m.Behavioural, icp.Signal{ID: "visits", Event: "web_visit", Points: 1})
	res := score(t, m, nil, icp.Event{Type: "Pricing_Page", At: ago(0)}, icp.Event{Type: "pricing_page", At: ago(0)},
		icp.Event{Type: "WEB_VISIT", At: ago(0)}, icp.Event{Type: "pricing", At: ago(0)}, icp.Event{Type: "", At: ago(0)})
	assert.Equal(t, 21.0, res.Engagement)
}

func TestGroupCapsAndFloor(t *testing.T) {
	m := bare()
	m.Firmographic = []icp.Criterion{
		{ID: "a", Field: "industry", Op: icp.OpIn, Values: []string{"Software"}, Points: 70},
		{ID: "b", Field: "employees", Op: icp.OpRange, Min: ptr(200), Points: 60},
	}
	m.Technographic = []icp.Criterion{
		{ID: "legacy", Field: "tools", Op: icp.OpIn, Values: []string{"LegacyHR"}, Points: -20},
		{ID: "hris", Field: "tools", Op: icp.OpIn, Values: []string{"Workday"}, Points: 5},
	}
	res := score(t, m, map[string]icp.Value{"industry": icp.Text("Software"), "employees": icp.Number(300), "tools": icp.List([]string{"LegacyHR", "Workday"})})
	assert.Equal(t, 100.0, res.Firmographic, "70 + 60 capped at 100")
	assert.Equal(t, 0.0, res.Technographic, "−20 + 5 floored at 0")
	assert.Equal(t, 100.0, res.Fit)
	assert.Contains(t, res.Log, icp.Entry{Group: icp.Firmographic, Status: icp.Capped, Points: -30})
	assert.Contains(t, res.Log, icp.Entry{Group: icp.Technographic, Status: icp.Floored, Points: 15})

	m.Caps.Firmographic = 120
	res = score(t, m, map[string]icp.Value{"industry": icp.Text("Software"), "employees": icp.Number(300)})
	assert.Equal(t, 120.0, res.Firmographic)
	assert.Equal(t, 2, res.Unknown, "tools missing: both technographic criteria are unknown")
}

func TestFitGate(t *testing.T) {
	m := signalModel(icp.Signal{Event: "demo_request", Points: 60})
	m.Firmographic[0].Points = 40
	lead := map[string]icp.Value{"industry": icp.Text("Software")}
	demo := icp.Event{Type: "demo_request", At: ago(1)}

	// Gate off: fit 40 + engagement 60 = 100 (tier B).
	res := score(t, m, lead, demo)
	assert.Equal(t, 100.0, res.Total)
	assert.False(t, res.Gated)
	assert.Equal(t, "B", res.Tier)

	// Gate on at 50: fit 40 is below it, engagement stays out of the total.
	m.FitGate = icp.FitGate{MinFit: 50}
	res = score(t, m, lead, demo)
	assert.Equal(t, 40.0, res.Total)
	assert.Equal(t, 60.0, res.Engagement, "engagement is still reported")
	assert.True(t, res.Gated)
	assert.Equal(t, "D", res.Tier)
	assert.Equal(t, "C2", res.Cell, "the grid still shows fit × engagement")
	assert.Contains(t, res.Log, icp.Entry{Group: icp.Total, ID: "fit_gate", Status: icp.Gated, Points: -60})

	// Fit reaching the gate exactly opens it.
	m.Firmographic[0].Points = 50
	res = score(t, m, lead, demo)
	assert.Equal(t, 110.0, res.Total)
	assert.False(t, res.Gated)
}

// aLead is an A-tier lead of dqModel: fit 100, engagement 60, total 160.
func dqModel() (icp.Model, map[string]icp.Value, []icp.Event) {
	m := icp.DefaultModel()
	served := []string{"US", "CA", "GB"}
	m.Firmographic = []icp.Criterion{
		{ID: "industry", Field: "industry", Op: icp.OpIn, Values: []string{"Software"}, Points: 50},
		{ID: "country", Field: "country", Op: icp.OpIn, Values: served, Points: 20},
		{ID: "senior", Field: "seniority", Op: icp.OpIn, Values: []string{"director", "vp"}, Points: 30},
	}
	m.Behavioural = []icp.Signal{{ID: "demo", Event: "demo_request", Points: 60}}
	m.Disqualifiers = append(m.Disqualifiers,
		icp.Disqualifier{ID: "competitor", Field: "email", Op: icp.OpDomainIn, Values: []string{"rivalhr.com"}},
		icp.Disqualifier{ID: "unserved_country", Field: "country", Op: icp.OpNotIn, Values: served},
	)
	lead := map[string]icp.Value{
		"industry": icp.Text("Software"), "country": icp.Text("US"), "seniority": icp.Text("vp"),
		"email": icp.Text("ann@acme.com"), "is_customer": icp.Bool(false),
	}
	return m, lead, []icp.Event{{Type: "demo_request", At: ago(2)}}
}

func TestDisqualifiersOverrideAnATierLead(t *testing.T) {
	m, lead, evs := dqModel()
	res := score(t, m, lead, evs...)
	require.Equal(t, "A", res.Tier)
	require.Equal(t, 160.0, res.Total)
	require.False(t, res.Disqualified)

	tests := []struct {
		id    string
		field string
		value icp.Value
	}{
		{"student", "seniority", icp.Text("Student")},
		{"existing_customer", "is_customer", icp.Bool(true)},
		{"competitor", "email", icp.Text("ann@eu.RivalHR.com")},
		{"unserved_country", "country", icp.Text("BR")},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			l := map[string]icp.Value{}
			for k, v := range lead {
				l[k] = v
			}
			l[tt.field] = tt.value
			res := score(t, m, l, evs...)
			assert.True(t, res.Disqualified)
			assert.Equal(t, tt.id, res.DisqualifiedBy)
			assert.Equal(t, "DQ", res.Tier)
			assert.Equal(t, "DQ", res.Cell, "a disqualified lead has no grid cell")
			assert.Empty(t, res.DemandState, "nor a demand state")
			assert.Equal(t, 0.0, res.Total)
			assert.Equal(t, 60.0, res.Engagement, "the explanation keeps what the lead would have scored")
			last := res.Log[len(res.Log)-1]
			assert.Equal(t, icp.Entry{Group: icp.Total, ID: tt.id, Status: icp.Disqualified, Points: -(res.Fit + res.Engagement)}, last)
		})
	}

	t.Run("a missing attribute never disqualifies", func(t *testing.T) {
		l := map[string]icp.Value{"industry": icp.Text("Software"), "seniority": icp.Text("vp")}
		res := score(t, m, l, evs...)
		assert.False(t, res.Disqualified)
	})
	t.Run("the first disqualifier in model order is named", func(t *testing.T) {
		l := map[string]icp.Value{"seniority": icp.Text("student"), "is_customer": icp.Bool(true)}
		res := score(t, m, l, evs...)
		assert.Equal(t, "student", res.DisqualifiedBy)
	})
}

// TestDisqualifiedLeadHasNoCellOrDemandState: a student with fit 100 and
// engagement 100 would be an A1, decision-ready lead; disqualified, the
// cell is the disqualified tier and there is no demand state, whatever the
// path (Score, Explain, ScoreBatch).
func TestDisqualifiedLeadHasNoCellOrDemandState(t *testing.T) {
	m, lead, _ := dqModel()
	m.Behavioural[0].Points = 100
	now := []icp.Event{{Type: "demo_request", At: asOf}}
	res := score(t, m, lead, now...)
	require.Equal(t, []any{100.0, 100.0, "A", "A1", "decision-ready"}, []any{res.Fit, res.Engagement, res.Tier, res.Cell, res.DemandState})

	lead["seniority"] = icp.Text("student")
	lead["industry"] = icp.Text("Software")
	m.Firmographic[2].Values = append(m.Firmographic[2].Values, "student") // keep fit at 100
	res = score(t, m, lead, now...)
	assert.Equal(t, []any{100.0, 100.0, 0.0, "DQ", "DQ", "", "student"},
		[]any{res.Fit, res.Engagement, res.Total, res.Tier, res.Cell, res.DemandState, res.DisqualifiedBy})

	s, err := m.Compile(m.Fields())
	require.NoError(t, err)
	rec := m.Fields().Record(icp.Lead{ID: "L1", Attributes: lead, Events: now})
	plain, err := s.Score(rec, asOf)
	require.NoError(t, err)
	res.Log = nil
	assert.Equal(t, res, plain)
}

func TestTiersGridAndDemandStates(t *testing.T) {
	m := bare()
	// The fit points come from a criterion whose points we set per case;
	// "anchor" (never known) keeps the model valid when they are 0.
	m.Firmographic = []icp.Criterion{
		{ID: "fit", Field: "fit", Op: icp.OpRange, Min: ptr(0), Points: 0},
		{ID: "anchor", Field: "anchor", Op: icp.OpIsTrue, Points: 1},
	}
	m.Behavioural = []icp.Signal{{ID: "eng", Event: "e", Points: 1}}
	tests := []struct {
		fit, eng          float64
		tier, cell, state string
	}{
		{70, 75, "A", "A1", "decision-ready"},    // 145
		{70, 70, "A", "A2", "solution-aware"},    // 140: a tier's threshold is inclusive
		{69.99, 70, "B", "B2", "solution-aware"}, // 139.99
		{50, 50, "B", "B2", "solution-aware"},    // 100
		{49.99, 50, "C", "C2", "solution-aware"}, // 99.99
		{40, 25, "C", "C3", "problem-aware"},     // 65
		{0, 24.99, "D", "C3", "unaware"},
		{0, 0, "D", "C3", "unaware"},
	}
	for _, tt := range tests {
		m.Firmographic[0].Points = tt.fit
		m.Behavioural[0].Points = tt.eng
		res := score(t, m, map[string]icp.Value{"fit": icp.Number(1)}, icp.Event{Type: "e", At: asOf})
		assert.Equal(t, tt.tier, res.Tier, "fit %v eng %v", tt.fit, tt.eng)
		assert.Equal(t, tt.cell, res.Cell, "fit %v eng %v", tt.fit, tt.eng)
		assert.Equal(t, tt.state, res.DemandState, "fit %v eng %v", tt.fit, tt.eng)
	}
}

func TestCompileErrors(t *testing.T) {
	m, _, _ := dqModel()
	_, err := m.Compile(icp.Schema{"industry", "country", "seniority", "email"})
	require.Error(t, err)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.Contains(t, err.Error(), `icp: disqualifiers[1].field: not a field of the schema, got "is_customer"`)

	_, err = m.Compile(icp.Schema{"industry", "country", "seniority", "email", "is_customer", "country"})
	assert.ErrorContains(t, err, `schema[5]: duplicate field, got "country"`)

	bad := m
	bad.Tiers = nil
	_, err = bad.Compile(m.Fields())
	assert.ErrorContains(t, err, "tiers: needs at least one band")
}

func TestScorerMatchesModelScore(t *testing.T) {
	m, lead, evs := dqModel()
	schema := icp.Schema{"title", "email", "seniority", "country", "industry", "is_customer", "unused"}
	s, err := m.Compile(schema)
	require.NoError(t, err)
	rec := schema.Record(icp.Lead{ID: "L1", Attributes: lead, Events: evs})
	want, err := m.Score(icp.Lead{ID: "L1", Attributes: lead, Events: evs}, asOf)
	require.NoError(t, err)

	got, err := s.Explain(rec, asOf, nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	plain, err := s.Score(rec, asOf)
	require.NoError(t, err)
	want.Log = nil
	assert.Equal(t, want, plain)

	_, err = s.Score(icp.Record{ID: "short", Values: rec.Values[:3]}, asOf)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.ErrorContains(t, err, "record has 3 values, schema has 7 fields")

	assert.Equal(t, schema, s.Schema())
	assert.Equal(t, m, s.Model())
}

func TestExplainReusesItsBuffer(t *testing.T) {
	m, lead, evs := dqModel()
	s, err := m.Compile(m.Fields())
	require.NoError(t, err)
	rec := m.Fields().Record(icp.Lead{ID: "L1", Attributes: lead, Events: evs})
	res, err := s.Explain(rec, asOf, nil)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		res, err = s.Explain(rec, asOf, res.Log)
	})
	assert.Zero(t, allocs)
	require.NoError(t, err)
	assert.Len(t, res.Log, 4) // 3 criteria, 1 signal, no adjustment

	allocs = testing.AllocsPerRun(100, func() { _, _ = s.Score(rec, asOf) })
	assert.Zero(t, allocs)
}

func TestScoreBatch(t *testing.T) {
	m, lead, evs := dqModel()
	s, err := m.Compile(m.Fields())
	require.NoError(t, err)
	good := m.Fields().Record(icp.Lead{ID: "good", Attributes: lead, Events: evs})
	wrongKind := m.Fields().Record(icp.Lead{ID: "wrong-kind", Attributes: map[string]icp.Value{"industry": icp.Number(1)}})
	recs := []icp.Record{good, {ID: "short"}, wrongKind, {Values: make([]icp.Value, 1)}, good}

	out, errs := s.ScoreBatch(recs, asOf, nil)
	require.Len(t, out, 5)
	require.Len(t, errs, 3)
	assert.Equal(t, []string{"short", "wrong-kind", "record 3"}, []string{errs[0].ID, errs[1].ID, errs[2].ID})
	for _, e := range errs {
		assert.ErrorIs(t, e, revalign.ErrInvalid)
	}
	want, err := s.Score(good, asOf)
	require.NoError(t, err)
	assert.Equal(t, want, out[0])
	assert.Equal(t, want, out[4])
	assert.Equal(t, icp.Result{ID: "wrong-kind"}, out[2], "a bad record keeps only its ID")

	// Each error carries the record's index in the batch, so that errors
	// match records back whatever their IDs (repeated, empty) and order.
	var indices []int
	for _, e := range errs {
		var be *icp.BatchError
		require.ErrorAs(t, e, &be)
		indices = append(indices, be.Index)
	}
	assert.Equal(t, []int{1, 2, 3}, indices)
	assert.EqualError(t, errs[1], `record wrong-kind: icp: industry: in needs text or a list, not number, got "1"`)
	dupes := []icp.Record{wrongKind, good, wrongKind}
	_, errs = s.ScoreBatch(dupes, asOf, out)
	require.Len(t, errs, 2)
	first, second := new(icp.BatchError), new(icp.BatchError)
	require.ErrorAs(t, errs[0], &first)
	require.ErrorAs(t, errs[1], &second)
	assert.Equal(t, []int{0, 2}, []int{first.Index, second.Index})
	assert.ErrorIs(t, first, revalign.ErrInvalid)

	// Reusing dst allocates nothing for good records.
	goods := []icp.Record{good, good, good}
	dst := make([]icp.Result, 3)
	allocs := testing.AllocsPerRun(50, func() { dst, _ = s.ScoreBatch(goods, asOf, dst) })
	assert.Zero(t, allocs)
}

func TestScorerIsSafeForConcurrentUse(t *testing.T) {
	s, err := benchModel().Compile(benchSchema)
	require.NoError(t, err)
	recs := make([]icp.Record, 400)
	for i := range recs {
		recs[i] = benchRecord(i)
	}
	want, errs := s.ScoreBatch(recs, benchAsOf, nil)
	require.Empty(t, errs)
	got := make([]icp.Result, len(recs))
	var wg sync.WaitGroup
	for lo := 0; lo < len(recs); lo += 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs := s.ScoreBatch(recs[lo:lo+50], benchAsOf, got[lo:lo+50])
			assert.Empty(t, errs)
		}()
	}
	wg.Wait()
	assert.Equal(t, want, got)
}

func TestScoreAsOfIgnoresLaterEvents(t *testing.T) {
	m := signalModel(icp.Signal{Event: "webinar", Points: 10})
	lead := icp.Lead{Attributes: map[string]icp.Value{"industry": icp.Text("Software")},
		Events: []icp.Event{{Type: "webinar", At: ago(10)}, {Type: "webinar", At: ago(5)}, {Type: "webinar", At: ago(1)}}}
	for _, tt := range []struct {
		at   time.Time
		want float64
	}{{ago(20), 0}, {ago(5), 20}, {ago(4), 20}, {asOf, 30}} {
		res, err := m.Score(lead, tt.at)
		require.NoError(t, err)
		assert.Equal(t, tt.want, res.Engagement, "as of %v", tt.at)
	}
	// Events in another time zone are the same instants.
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	lead.Events = []icp.Event{{Type: "webinar", At: asOf.In(ny)}}
	res, err := m.Score(lead, asOf)
	require.NoError(t, err)
	assert.Equal(t, 10.0, res.Engagement)
}

func TestErrorsAreInvalid(t *testing.T) {
	var fe *revalign.FieldError
	_, err := bare().Compile(icp.Schema{"a", "a"})
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "icp", fe.Pkg)
}
