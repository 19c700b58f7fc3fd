package demandstate_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
	ds "github.com/revalign/revalign/demandstate"
)

var (
	mkt   = revalign.Owner{Name: "VP Marketing", Team: revalign.Marketing}
	sales = revalign.Owner{Name: "VP Sales", Team: revalign.Sales}
	cs    = revalign.Owner{Name: "VP Customer Success", Team: revalign.CustomerSuccess}
)

// fieldPaths returns the paths of the field errors joined in err.
func fieldPaths(t *testing.T, err error) []string {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if fe, ok := e.(*revalign.FieldError); ok {
			out = append(out, fe.Path)
			return
		}
		if u := errors.Unwrap(e); u != nil {
			walk(u)
		}
	}
	walk(err)
	return out
}

func TestDefaultModelOwnership(t *testing.T) {
	m := ds.DefaultModel()
	require.NoError(t, m.Validate())
	// "A single named decision-maker for tie-breaks": one tie-breaker for
	// both handoff states, the VP Marketing (cadence.DefaultGovernance
	// escalates disputes to the same role, then the CRO).
	var breakers []revalign.Owner
	for _, st := range m.States {
		for _, o := range st.Owners {
			if o.TieBreaker {
				breakers = append(breakers, o.Owner)
			}
		}
	}
	assert.Equal(t, []revalign.Owner{mkt, mkt}, breakers)
	assert.Equal(t, []ds.State{ds.Unaware, ds.ProblemAware, ds.SolutionAware, ds.PartnerAware, ds.DecisionReady, ds.PostPurchase}, m.Names())
	// Seed, Step 1: marketing owns the early states, sales decision-ready,
	// the handoff states are joint with one tie-breaker; customer success
	// owns post-purchase.
	tests := []struct {
		state  ds.State
		joint  bool
		teams  []revalign.Team
		decide revalign.Owner
	}{
		{ds.Unaware, false, []revalign.Team{revalign.Marketing}, mkt},
		{ds.ProblemAware, false, []revalign.Team{revalign.Marketing}, mkt},
		{ds.SolutionAware, true, []revalign.Team{revalign.Marketing, revalign.Sales}, mkt},
		{ds.PartnerAware, true, []revalign.Team{revalign.Marketing, revalign.Sales}, mkt},
		{ds.DecisionReady, false, []revalign.Team{revalign.Sales}, sales},
		{ds.PostPurchase, false, []revalign.Team{revalign.CustomerSuccess}, cs},
	}
	for _, tt := range tests {
		t.Run(string(tt.state), func(t *testing.T) {
			s := m.States[m.Index(tt.state)]
			assert.Equal(t, tt.joint, s.Joint())
			var teams []revalign.Team
			for _, o := range s.Owners {
				teams = append(teams, o.Team)
			}
			assert.Equal(t, tt.teams, teams)
			assert.Equal(t, tt.decide, s.Accountable())
			assert.Equal(t, tt.decide, m.Owner(tt.state))
		})
	}
	assert.Equal(t, revalign.Owner{}, m.Owner("nowhere"))
	assert.Equal(t, -1, m.Index("nowhere"))
}

func TestModelValidateOwnership(t *testing.T) {
	entry := []ds.Criterion{{Signal: "x", Op: ds.Present}}
	sig := []ds.Signal{{Name: "x", Type: ds.TypeBool}}
	one := func(states ...ds.StateDef) ds.Model { return ds.Model{Signals: sig, States: states} }
	tests := []struct {
		name  string
		model ds.Model
		paths []string
	}{
		{"no states", ds.Model{}, []string{"states"}},
		{"no owner", one(ds.StateDef{Name: "a", Entry: entry}), []string{"states[0].owners"}},
		{"owner without a name", one(ds.StateDef{Name: "a", Owners: []ds.StateOwner{{Owner: revalign.Owner{Team: revalign.Sales}}}}),
			[]string{"states[0].owners[0].name"}},
		{"owner without a team", one(ds.StateDef{Name: "a", Owners: []ds.StateOwner{{Owner: revalign.Owner{Name: "Ann"}}}}),
			[]string{"states[0].owners[0].team"}},
		{"joint without tie-breaker", one(ds.StateDef{Name: "a", Owners: []ds.StateOwner{{Owner: mkt}, {Owner: sales}}}),
			[]string{"states[0].owners"}},
		{"joint with two tie-breakers", one(ds.StateDef{Name: "a", Owners: []ds.StateOwner{{Owner: mkt, TieBreaker: true}, {Owner: sales, TieBreaker: true}}}),
			[]string{"states[0].owners"}},
		{"owner named twice", one(ds.StateDef{Name: "a", Owners: []ds.StateOwner{{Owner: mkt, TieBreaker: true}, {Owner: mkt}}}),
			[]string{"states[0].owners[1].name"}},
		{"repeated state", one(ds.StateDef{Name: "a", Owners: []ds.StateOwner{{Owner: mkt}}}, ds.StateDef{Name: "a", Owners: []ds.StateOwner{{Owner: sales}}}),
			[]string{"states[1].name"}},
		{"blank state", one(ds.StateDef{Name: " a", Owners: []ds.StateOwner{{Owner: mkt}}}), []string{"states[0].name"}},
		{"repeated signal", ds.Model{Signals: []ds.Signal{{Name: "x", Type: ds.TypeBool}, {Name: "x", Type: ds.TypeText}},
			States: []ds.StateDef{{Name: "a", Owners: []ds.StateOwner{{Owner: mkt}}}}}, []string{"signals[1].name"}},
		{"signal without type", ds.Model{Signals: []ds.Signal{{Name: "x"}},
			States: []ds.StateDef{{Name: "a", Owners: []ds.StateOwner{{Owner: mkt}}}}}, []string{"signals[0].type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.paths, fieldPaths(t, tt.model.Validate()))
		})
	}
	t.Run("single owner needs no tie-breaker", func(t *testing.T) {
		assert.NoError(t, one(ds.StateDef{Name: "a", Owners: []ds.StateOwner{{Owner: mkt}}}).Validate())
	})
	t.Run("too many states", func(t *testing.T) {
		m := ds.Model{}
		for i := range ds.MaxStates + 1 {
			m.States = append(m.States, ds.StateDef{Name: ds.State(rune('A'+i%26)) + ds.State(rune('a'+i/26)), Owners: []ds.StateOwner{{Owner: mkt}}})
		}
		assert.Equal(t, []string{"states"}, fieldPaths(t, m.Validate()))
	})
	t.Run("message names field and value", func(t *testing.T) {
		err := one(ds.StateDef{Name: "a", Owners: []ds.StateOwner{{Owner: mkt}, {Owner: sales}}}).Validate()
		assert.EqualError(t, err, "demandstate: states[0].owners: joint state a needs exactly one tie_breaker, got 0")
	})
}

func TestModelJSONRoundTrip(t *testing.T) {
	m := ds.DefaultModel()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"name":"problem-aware"`)
	assert.Contains(t, string(b), `{"name":"VP Marketing","team":"marketing","tie_breaker":true}`)
	assert.Contains(t, string(b), `{"signal":"pricing_page_at","op":"within_days","days":14}`)
	var back ds.Model
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, m, back)

	var viaConfig ds.Model
	require.NoError(t, config.Unmarshal(b, &viaConfig))
	assert.Equal(t, m, viaConfig)

	for name, doc := range map[string]string{
		"top level":  `{"states":[],"colour":1}`,
		"state":      `{"states":[{"name":"a","owners":[],"entry_criteria":[]}]}`,
		"criterion":  `{"states":[{"name":"a","owners":[],"entry":[{"signal":"x","op":"eq","valu":1}]}]}`,
		"signal":     `{"signals":[{"name":"x","type":"bool","unit":"days"}],"states":[]}`,
		"trailing":   `{"states":[]} {}`,
		"bad type":   `{"signals":[{"name":"x","type":"boolean"}],"states":[]}`,
		"bad value":  `{"states":[{"name":"a","owners":[],"entry":[{"signal":"x","op":"eq","value":[1]}]}]}`,
		"bad number": `{"states":[{"name":"a","owners":[],"entry":[{"signal":"x","op":"eq","value":1e999}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			var m ds.Model
			assert.Error(t, json.Unmarshal([]byte(doc), &m))
		})
	}
}

func TestModelYAMLThroughConfig(t *testing.T) {
	doc := `
name: two states
signals:
  - {name: demo_at, type: time}
states:
  - name: browsing
    entry: [{signal: demo_at, op: not_within_days, days: 14}]
    owners: [{name: Ann, team: marketing}]
  - name: buying
    entry: [{signal: demo_at, op: within_days, days: 14}]
    owners: [{name: Bob, team: sales}]
`
	var m ds.Model
	require.NoError(t, config.Unmarshal([]byte(doc), &m))
	assert.Equal(t, ds.State("buying"), m.States[1].Name)
	assert.Equal(t, 14.0, m.States[1].Entry[0].Days)

	bad := `
signals: [{name: demo_at, type: time}]
states:
  - name: buying
    entry: [{signal: demo_at, op: within_dayz, days: 14}]
    owners: [{name: Bob, team: sales}]
`
	err := config.Unmarshal([]byte(bad), &m)
	assert.Equal(t, []string{"states[0].entry[0].op"}, fieldPaths(t, err))
}

func TestModelRecord(t *testing.T) {
	m := ds.DefaultModel()
	r, err := m.Record("L-1", map[string]ds.Value{ds.SignalCustomer: ds.Bool(true)})
	require.NoError(t, err)
	assert.Len(t, r.Values, len(m.Signals))
	b, ok := r.Values[m.SignalIndex(ds.SignalCustomer)].Bool()
	assert.True(t, ok)
	assert.True(t, b)
	assert.True(t, r.Values[m.SignalIndex(ds.SignalDemoAt)].IsMissing())

	_, err = m.Record("L-2", map[string]ds.Value{"custmer": ds.Bool(true), ds.SignalDemoAt: ds.Number(3)})
	assert.ElementsMatch(t, []string{"custmer", ds.SignalDemoAt}, fieldPaths(t, err))
	assert.ErrorContains(t, err, "record L-2")
}

// FuzzConfigJSON decodes arbitrary JSON into every configuration type and
// validates it: never a panic, and a failed Validate names its fields.
func FuzzConfigJSON(f *testing.F) {
	model, _ := json.Marshal(ds.DefaultModel())
	router, _ := json.Marshal(ds.DefaultRouter())
	cmap, _ := json.Marshal(contentMap())
	for _, s := range [][]byte{model, router, cmap,
		[]byte(`{"aggregation":"weighted","weights":{"hr":-1}}`),
		[]byte(`{"states":[{"name":"a","owners":[{"name":"x","team":"sales"},{"name":"y","team":"sales"}]}]}`),
		[]byte(`{"rules":[{"name":"r","states":["a"],"action":""}],"default":{"action":"x"},"review_queue":{"name":"q"}}`),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(err error) {
			if err == nil {
				return
			}
			var fe *revalign.FieldError
			require.True(t, errors.As(err, &fe), "error %v names no field", err)
		}
		var m ds.Model
		if json.Unmarshal(data, &m) == nil {
			err := m.Validate()
			check(err)
			if err == nil {
				if cl, err := ds.NewClassifier(m); err == nil {
					_, _ = ds.NewDispatcher(cl, ds.DefaultRouter())
				}
			}
		}
		var r ds.Router
		if json.Unmarshal(data, &r) == nil {
			check(r.Validate())
		}
		var c ds.ContentMap
		if json.Unmarshal(data, &c) == nil {
			check(c.Validate())
		}
		var p ds.Policy
		if json.Unmarshal(data, &p) == nil {
			check(p.Validate())
		}
	})
}
