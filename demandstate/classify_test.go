package demandstate_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	ds "github.com/revalign/revalign/demandstate"
)

// lead builds a record over the default model's signals; days < 0 leaves a
// time signal missing.
func lead(t *testing.T, id string, customer bool, engaged, content, partner, pricing, demo float64) ds.Record {
	t.Helper()
	facts := map[string]ds.Value{ds.SignalCustomer: ds.Bool(customer)}
	for name, d := range map[string]float64{ds.SignalEngagedAt: engaged, ds.SignalContentAt: content,
		ds.SignalPartnerAt: partner, ds.SignalPricingAt: pricing, ds.SignalDemoAt: demo} {
		if d >= 0 {
			facts[name] = ds.Time(daysAgo(d))
		}
	}
	r, err := ds.DefaultModel().Record(id, facts)
	require.NoError(t, err)
	return r
}

func TestClassifyDefaultModel(t *testing.T) {
	cl, err := ds.NewClassifier(ds.DefaultModel())
	require.NoError(t, err)
	const never = -1
	tests := []struct {
		name                                     string
		customer                                 bool
		engaged, content, partner, pricing, demo float64
		want                                     ds.State
	}{
		{"no activity at all", false, never, never, never, never, never, ds.Unaware},
		{"engaged long ago: aware, not unaware again", false, 120, 200, never, never, never, ds.ProblemAware},
		{"engaged within 90 days", false, 30, never, never, never, never, ds.ProblemAware},
		{"content on day 90 exactly", false, 1, 90, never, never, never, ds.SolutionAware},
		{"content on day 91", false, 1, 91, never, never, never, ds.ProblemAware},
		{"pricing 15 days ago, nothing else recent", false, 15, 100, never, 15, never, ds.ProblemAware},
		{"content within 90 days", false, 5, 60, never, never, never, ds.SolutionAware},
		{"content, pricing 20 days ago: regressed", false, 5, 60, never, 20, never, ds.SolutionAware},
		{"partner touch", false, 5, 10, 40, never, never, ds.PartnerAware},
		{"partner touch 100 days ago", false, 5, 10, 100, never, never, ds.SolutionAware},
		{"pricing page within 14 days", false, 1, 10, 40, 3, never, ds.DecisionReady},
		{"demo request within 14 days", false, 1, never, never, never, 14, ds.DecisionReady},
		{"customer", true, 1, 1, 1, 1, 1, ds.PostPurchase},
		{"customer without activity", true, never, never, never, never, never, ds.PostPurchase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lead(t, "L", tt.customer, tt.engaged, tt.content, tt.partner, tt.pricing, tt.demo)
			got, err := cl.Classify(r, asOf)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// looseModel is a first-draft model whose definitions overlap: a lead who
// read content and visited pricing is both solution-aware and
// decision-ready.
func looseModel() ds.Model {
	return ds.Model{
		Signals: []ds.Signal{{Name: "content_at", Type: ds.TypeTime}, {Name: "pricing_at", Type: ds.TypeTime}, {Name: "won", Type: ds.TypeBool}},
		States: []ds.StateDef{
			{Name: ds.SolutionAware, Entry: []ds.Criterion{{Signal: "content_at", Op: ds.WithinDays, Days: 90}},
				Owners: []ds.StateOwner{{Owner: mkt, TieBreaker: true}, {Owner: sales}}},
			{Name: ds.DecisionReady, Entry: []ds.Criterion{{Signal: "pricing_at", Op: ds.WithinDays, Days: 14}},
				Exit: []ds.Criterion{{Signal: "won", Op: ds.Eq, Value: ds.Bool(true)}}, Owners: []ds.StateOwner{{Owner: sales}}},
			{Name: ds.PostPurchase, Entry: []ds.Criterion{{Signal: "won", Op: ds.Eq, Value: ds.Bool(true)}}, Owners: []ds.StateOwner{{Owner: cs}}},
		},
	}
}

func TestClassifyErrors(t *testing.T) {
	m := looseModel()
	cl, err := ds.NewClassifier(m)
	require.NoError(t, err)
	rec := func(id string, facts map[string]ds.Value) ds.Record {
		r, err := m.Record(id, facts)
		require.NoError(t, err)
		return r
	}

	t.Run("ambiguous names both states", func(t *testing.T) {
		_, err := cl.Classify(rec("L-7", map[string]ds.Value{"content_at": ds.Time(daysAgo(3)), "pricing_at": ds.Time(daysAgo(2))}), asOf)
		require.ErrorIs(t, err, ds.ErrAmbiguous)
		var ae *ds.AmbiguousError
		require.True(t, errors.As(err, &ae))
		assert.Equal(t, "L-7", ae.ID)
		assert.Equal(t, []ds.State{ds.SolutionAware, ds.DecisionReady}, ae.States)
		assert.EqualError(t, err, "demandstate: record L-7 is ambiguous: it meets the criteria of solution-aware and decision-ready; tighten the definitions")
	})
	t.Run("match reports the first two states", func(t *testing.T) {
		r := rec("L-8", map[string]ds.Value{"content_at": ds.Time(daysAgo(3)), "won": ds.Bool(true)})
		m, err := cl.Match(r, asOf)
		require.NoError(t, err)
		assert.Equal(t, 2, m.Count)
		assert.True(t, m.Ambiguous())
		assert.Equal(t, ds.SolutionAware, m.State)
		assert.Equal(t, ds.PostPurchase, m.Other)
	})
	t.Run("exit criteria take the record out of the state", func(t *testing.T) {
		got, err := cl.Classify(rec("L-9", map[string]ds.Value{"pricing_at": ds.Time(daysAgo(2)), "won": ds.Bool(true)}), asOf)
		require.NoError(t, err)
		assert.Equal(t, ds.PostPurchase, got)
	})
	t.Run("unclassified", func(t *testing.T) {
		_, err := cl.Classify(rec("L-10", nil), asOf)
		assert.ErrorIs(t, err, ds.ErrUnclassified)
		assert.NotErrorIs(t, err, ds.ErrAmbiguous)
		assert.ErrorContains(t, err, "L-10")
	})
	t.Run("wrong number of values", func(t *testing.T) {
		_, err := cl.Classify(ds.Record{ID: "L-11", Values: []ds.Value{ds.Bool(true)}}, asOf)
		assert.ErrorIs(t, err, revalign.ErrInvalid)
		assert.EqualError(t, err, "demandstate: record L-11: values: record must carry one value per model signal (3), got 1")
	})
	t.Run("wrong value type", func(t *testing.T) {
		_, err := cl.Classify(ds.Record{ID: "L-12", Values: []ds.Value{ds.Number(3), {}, {}}}, asOf)
		assert.ErrorIs(t, err, revalign.ErrInvalid)
		assert.ErrorContains(t, err, "content_at")
	})
	t.Run("a state without entry criteria cannot be classified into", func(t *testing.T) {
		m := looseModel()
		m.States[2].Entry = nil
		require.NoError(t, m.Validate())
		_, err := ds.NewClassifier(m)
		assert.Equal(t, []string{"states[2].entry"}, fieldPaths(t, err))
	})
	t.Run("classifier keeps its own copy", func(t *testing.T) {
		m := looseModel()
		cl, err := ds.NewClassifier(m)
		require.NoError(t, err)
		m.States[0].Name = "changed"
		assert.Equal(t, ds.SolutionAware, cl.Model().States[0].Name)
	})
}

func TestAudit(t *testing.T) {
	m := looseModel()
	cl, err := ds.NewClassifier(m)
	require.NoError(t, err)
	var recs []ds.Record
	add := func(id string, facts map[string]ds.Value) {
		r, err := m.Record(id, facts)
		require.NoError(t, err)
		recs = append(recs, r)
	}
	recent, hot := ds.Time(daysAgo(30)), ds.Time(daysAgo(2))
	add("a1", map[string]ds.Value{"content_at": recent})                        // solution-aware
	add("a2", map[string]ds.Value{"content_at": recent, "won": ds.Bool(false)}) // solution-aware
	add("b1", map[string]ds.Value{"pricing_at": hot})                           // decision-ready
	add("c1", map[string]ds.Value{"won": ds.Bool(true)})                        // post-purchase
	for i := range 7 {                                                          // solution-aware + decision-ready
		add(fmt.Sprintf("x%d", i), map[string]ds.Value{"content_at": recent, "pricing_at": hot})
	}
	add("y1", map[string]ds.Value{"content_at": recent, "won": ds.Bool(true)}) // solution-aware + post-purchase
	add("u1", nil)
	add("u2", map[string]ds.Value{"pricing_at": ds.Time(daysAgo(40))})
	recs = append(recs, ds.Record{ID: "bad", Values: nil})

	a := cl.Audit(recs, asOf)
	assert.Equal(t, 15, a.Total)
	assert.Equal(t, []ds.StateCount{{ds.SolutionAware, 2}, {ds.DecisionReady, 1}, {ds.PostPurchase, 1}}, a.States)
	assert.Equal(t, 4, a.Classified())
	assert.Equal(t, 8, a.Ambiguous)
	require.Len(t, a.Pairs, 2)
	assert.Equal(t, ds.AmbiguousPair{States: [2]ds.State{ds.SolutionAware, ds.DecisionReady}, Count: 7,
		Examples: []string{"x0", "x1", "x2", "x3", "x4"}}, a.Pairs[0])
	assert.Equal(t, ds.AmbiguousPair{States: [2]ds.State{ds.SolutionAware, ds.PostPurchase}, Count: 1, Examples: []string{"y1"}}, a.Pairs[1])
	assert.Equal(t, []string{"u1", "u2"}, a.Unclassified)
	require.Len(t, a.Invalid, 1)
	assert.Equal(t, "bad", a.Invalid[0].ID)
	assert.False(t, a.Clean())

	clean := cl.Audit(recs[:4], asOf)
	assert.True(t, clean.Clean())
}

// TestAuditCountsAddUp is the property: whatever the model and the
// population, every record is counted exactly once.
func TestAuditCountsAddUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	sigs := []ds.Signal{{Name: "n", Type: ds.TypeNumber}, {Name: "at", Type: ds.TypeTime}, {Name: "b", Type: ds.TypeBool}}
	for trial := range 50 {
		m := ds.Model{Signals: sigs}
		for s := range 1 + rng.IntN(8) {
			lo := float64(rng.IntN(10))
			m.States = append(m.States, ds.StateDef{
				Name: ds.State(fmt.Sprintf("s%d", s)),
				Entry: []ds.Criterion{
					{Signal: "n", Op: ds.Gte, Value: ds.Number(lo)},
					{Signal: "n", Op: ds.Lt, Value: ds.Number(lo + float64(rng.IntN(6)))},
					{Any: []ds.Criterion{{Signal: "at", Op: ds.WithinDays, Days: float64(1 + rng.IntN(60))}, {Signal: "b", Op: ds.Eq, Value: ds.Bool(true)}}},
				},
				Owners: []ds.StateOwner{{Owner: mkt}},
			})
		}
		cl, err := ds.NewClassifier(m)
		require.NoError(t, err)
		recs := make([]ds.Record, rng.IntN(300))
		for i := range recs {
			v := []ds.Value{ds.Number(float64(rng.IntN(16))), ds.Time(daysAgo(float64(rng.IntN(90)))), ds.Bool(rng.IntN(2) == 0)}
			if rng.IntN(20) == 0 {
				v = v[:2] // invalid
			}
			if rng.IntN(10) == 0 {
				v[0] = ds.Value{}
			}
			recs[i] = ds.Record{ID: fmt.Sprint(i), Values: v}
		}
		a := cl.Audit(recs, asOf)
		assert.Equal(t, len(recs), a.Classified()+a.Ambiguous+len(a.Unclassified)+len(a.Invalid), "trial %d", trial)
		// Independent check: Classify agrees with the audit's totals.
		var ok, amb, none, bad int
		for _, r := range recs {
			_, err := cl.Classify(r, asOf)
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ds.ErrAmbiguous):
				amb++
			case errors.Is(err, ds.ErrUnclassified):
				none++
			default:
				bad++
			}
		}
		assert.Equal(t, []int{ok, amb, none, bad}, []int{a.Classified(), a.Ambiguous, len(a.Unclassified), len(a.Invalid)})
		pairs := 0
		for _, p := range a.Pairs {
			pairs += p.Count
			assert.LessOrEqual(t, len(p.Examples), ds.AuditExamples)
		}
		assert.GreaterOrEqual(t, pairs, a.Ambiguous)
	}
}
