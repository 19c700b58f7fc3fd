package demandstate_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
	ds "github.com/revalign/revalign/demandstate"
)

var revops = revalign.Owner{Name: "RevOps lead", Team: revalign.RevOps}

func defaultDispatcher(t *testing.T) *ds.Dispatcher {
	t.Helper()
	cl, err := ds.NewClassifier(ds.DefaultModel())
	require.NoError(t, err)
	d, err := ds.NewDispatcher(cl, ds.DefaultRouter())
	require.NoError(t, err)
	return d
}

func TestDefaultRouting(t *testing.T) {
	d := defaultDispatcher(t)
	const never = -1
	tests := []struct {
		state  ds.State
		rec    ds.Record
		action ds.Action
		owner  revalign.Owner
	}{
		{ds.Unaware, lead(t, "u", false, never, never, never, never, never), ds.ResearchContentPath, mkt},
		{ds.ProblemAware, lead(t, "p", false, 10, never, never, never, never), ds.NurtureSequence, mkt},
		{ds.SolutionAware, lead(t, "s", false, 10, 10, never, never, never), ds.NurtureSequence, mkt},
		{ds.PartnerAware, lead(t, "pa", false, 10, 10, 10, never, never), ds.PartnerCoSell, mkt}, // the handoff states' tie-breaker
		{ds.DecisionReady, lead(t, "d", false, 1, 10, 10, 1, never), ds.SalesConversation, sales},
		{ds.PostPurchase, lead(t, "c", true, 1, never, never, never, never), ds.CustomerSuccessPlay, cs},
	}
	for _, tt := range tests {
		t.Run(string(tt.state), func(t *testing.T) {
			dec := d.Route(tt.rec, asOf)
			assert.Equal(t, tt.rec.ID, dec.ID)
			assert.Equal(t, tt.state, dec.State)
			assert.Equal(t, tt.action, dec.Action)
			assert.Equal(t, tt.owner, dec.Owner)
			assert.Equal(t, ds.ByRule, dec.Reason)
			assert.Contains(t, dec.Why(), "state "+string(tt.state))
		})
	}
}

func TestRouterRulesInOrder(t *testing.T) {
	m := looseModel()
	m.Signals = append(m.Signals, ds.Signal{Name: "region", Type: ds.TypeText})
	cl, err := ds.NewClassifier(m)
	require.NoError(t, err)
	emea := revalign.Owner{Name: "EMEA sales lead", Team: revalign.Sales}
	r := ds.Router{
		Rules: []ds.Rule{
			{Name: "EMEA decision-ready", States: []ds.State{ds.DecisionReady},
				When:  []ds.Criterion{{Signal: "region", Op: ds.In, Values: []string{"EMEA"}}},
				Route: ds.Route{Action: ds.SalesConversation, Owner: emea}},
			{Name: "decision-ready", States: []ds.State{ds.DecisionReady}, Route: ds.Route{Action: ds.SalesConversation}},
			{Name: "also decision-ready (never reached)", States: []ds.State{ds.DecisionReady}, Route: ds.Route{Action: "call twice"}},
		},
		Default:     ds.Route{Action: ds.NurtureSequence},
		ReviewQueue: ds.Queue{Name: "definitions review", Owner: revops},
	}
	d, err := ds.NewDispatcher(cl, r)
	require.NoError(t, err)
	rec := func(id string, facts map[string]ds.Value) ds.Record {
		x, err := m.Record(id, facts)
		require.NoError(t, err)
		return x
	}
	hot, recent := ds.Time(daysAgo(1)), ds.Time(daysAgo(30))
	recs := []ds.Record{
		rec("emea", map[string]ds.Value{"pricing_at": hot, "region": ds.Text("EMEA")}),
		rec("na", map[string]ds.Value{"pricing_at": hot, "region": ds.Text("NA")}),
		rec("sa", map[string]ds.Value{"content_at": recent}),
		rec("both", map[string]ds.Value{"content_at": recent, "pricing_at": hot}),
		rec("none", nil),
		{ID: "broken", Values: []ds.Value{ds.Text("x"), {}, {}, {}}},
	}
	got, bad := d.RouteBatch(recs, asOf, nil)
	want := []ds.Decision{
		{ID: "emea", State: ds.DecisionReady, Action: ds.SalesConversation, Owner: emea, Reason: ds.ByRule, Rule: "EMEA decision-ready"},
		{ID: "na", State: ds.DecisionReady, Action: ds.SalesConversation, Owner: sales, Reason: ds.ByRule, Rule: "decision-ready"},
		{ID: "sa", State: ds.SolutionAware, Action: ds.NurtureSequence, Owner: mkt, Reason: ds.ByDefault, Rule: "default"},
		{ID: "both", State: ds.SolutionAware, Other: ds.DecisionReady, Action: ds.ReviewDefinitions, Owner: revops, Reason: ds.Ambiguous, Rule: "definitions review"},
		{ID: "none", Action: ds.ReviewDefinitions, Owner: revops, Reason: ds.Unclassified, Rule: "definitions review"},
		{ID: "broken", Action: ds.ReviewDefinitions, Owner: revops, Reason: ds.Invalid, Rule: "definitions review"},
	}
	assert.Equal(t, want, got)
	require.Len(t, bad, 1)
	assert.Equal(t, "broken", bad[0].ID)
	assert.ErrorIs(t, bad[0], revalign.ErrInvalid)

	whys := []string{
		`state decision-ready, rule "EMEA decision-ready"`,
		`state decision-ready, rule "decision-ready"`,
		`state solution-aware, no rule matched: default route`,
		`meets the criteria of both solution-aware and decision-ready: review queue "definitions review"`,
		`meets no state's criteria: review queue "definitions review"`,
		`does not fit the model's signals: review queue "definitions review"`,
	}
	for i, w := range whys {
		assert.Equal(t, w, got[i].Why())
	}
	assert.Equal(t, "not routed", ds.Decision{}.Why())

	// dst is reused: no decision is lost and the batch order is kept.
	again, _ := d.RouteBatch(recs[:2], asOf, got)
	assert.Equal(t, want[:2], again)

	s := ds.Summarize(got)
	assert.Equal(t, 6, s.Total)
	assert.Equal(t, 3, s.Review)
	assert.Equal(t, []ds.ActionCount{{ds.ReviewDefinitions, 3}, {ds.SalesConversation, 2}, {ds.NurtureSequence, 1}}, s.ByAction)
	assert.Equal(t, []ds.OwnerCount{{revops, 3}, {emea, 1}, {mkt, 1}, {sales, 1}}, s.ByOwner)
	assert.Equal(t, map[string]int{"rule": 2, "default": 1, "ambiguous": 1, "unclassified": 1, "invalid": 1}, s.ByReason)
}

func TestRouterValidate(t *testing.T) {
	assert.NoError(t, ds.DefaultRouter().Validate())
	r := ds.Router{
		Rules: []ds.Rule{
			{Name: "a", Route: ds.Route{Action: ""}},
			{Name: "a", Route: ds.Route{Action: "x", Owner: revalign.Owner{Name: "Ann"}}},
			{Name: "", Route: ds.Route{Action: "x"}},
		},
		Default:     ds.Route{},
		ReviewQueue: ds.Queue{Owner: revalign.Owner{Name: "Zed"}},
	}
	assert.Equal(t, []string{"rules[0].action", "rules[1].name", "rules[1].owner.team", "rules[2].name",
		"default.action", "review_queue.name", "review_queue.owner.team"}, fieldPaths(t, r.Validate()))

	cl, err := ds.NewClassifier(ds.DefaultModel())
	require.NoError(t, err)
	bad := ds.DefaultRouter()
	bad.Rules[0].States = []ds.State{"sql"}
	bad.Rules[1].When = []ds.Criterion{{Signal: "region", Op: ds.Eq, Value: ds.Text("EMEA")}}
	_, err = ds.NewDispatcher(cl, bad)
	assert.Equal(t, []string{"rules[0].states[0]", "rules[1].when[0].signal"}, fieldPaths(t, err))
	_, err = ds.NewDispatcher(nil, ds.DefaultRouter())
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestRouterJSONRoundTrip(t *testing.T) {
	r := ds.DefaultRouter()
	r.Rules[0].When = []ds.Criterion{{Signal: ds.SignalDemoAt, Op: ds.WithinDays, Days: 7}}
	r.Rules[0].Owner = sales
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"name":"decision-ready → sales conversation","states":["decision-ready"],"when":[{"signal":"demo_request_at","op":"within_days","days":7}],"action":"sales_conversation","owner":{"name":"VP Sales","team":"sales"}}`)
	var back ds.Router
	require.NoError(t, config.Unmarshal(b, &back))
	assert.Equal(t, r, back)
	assert.Error(t, json.Unmarshal([]byte(`{"rules":[],"default":{"action":"x"},"review_queue":{"name":"q","owner":{"name":"a","team":"b"}},"fallback":{}}`), &back))
	assert.Error(t, json.Unmarshal([]byte(`{"rules":[{"name":"a","action":"x","priority":1}]}`), &back))

	for _, reason := range []ds.Reason{ds.ByRule, ds.ByDefault, ds.Unclassified, ds.Ambiguous, ds.Invalid} {
		b, err := reason.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, reason.String(), string(b))
	}
	assert.Equal(t, "Reason(0)", ds.Reason(0).String())
}
