package bowtie_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
)

func TestMapDemandStates(t *testing.T) {
	// The small model: A (mkt), B (sales, knot), C and D (cs).
	states := []bowtie.StateMapping{
		{State: "problem-aware", Owner: mkt, Stages: []string{"A"}},
		{State: "solution-aware", Owner: mkt, Stages: []string{"A", "B"}}, // straddles, and mkt on sales' B
		{State: "decision-ready", Owner: sales, Stages: []string{"B"}},
		{State: "post-purchase", Owner: cs, Stages: []string{"C", "C"}}, // a repeat is not a split
	}
	cov, err := smallModel().MapDemandStates(states)
	require.NoError(t, err)

	require.Len(t, cov.Stages, 4)
	assert.Equal(t, []string{"problem-aware", "solution-aware"}, cov.Stages[0].States)
	assert.Equal(t, []revalign.Owner{mkt}, cov.Stages[0].Owners)
	assert.Equal(t, []string{"solution-aware", "decision-ready"}, cov.Stages[1].States)
	assert.Equal(t, []revalign.Owner{mkt, sales}, cov.Stages[1].Owners)
	assert.Equal(t, sales, cov.Stages[1].Primary)

	type amb struct {
		kind   bowtie.AmbiguityKind
		stages []string
		states []string
	}
	var got []amb
	for _, a := range cov.Ambiguities {
		got = append(got, amb{a.Kind, a.Stages, a.States})
		assert.NotEmpty(t, a.Detail)
	}
	assert.Equal(t, []amb{
		{bowtie.Uncovered, []string{"D"}, nil},
		{bowtie.MixedOwners, []string{"B"}, []string{"solution-aware", "decision-ready"}},
		{bowtie.SplitState, []string{"A", "B"}, []string{"solution-aware"}},
		{bowtie.OwnerMismatch, []string{"B"}, []string{"solution-aware"}},
	}, got)
	assert.Contains(t, cov.Ambiguities[3].Detail, `"solution-aware" is owned by Maya (marketing) but B is owned by Sam (sales)`)

	b, err := json.Marshal(cov)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"kind":"split_state"`)
}

func TestMapDemandStatesClean(t *testing.T) {
	states := []bowtie.StateMapping{
		{State: "aware", Owner: mkt, Stages: []string{"A"}},
		{State: "deciding", Owner: sales, Stages: []string{"B"}},
		{State: "customer", Owner: cs, Stages: []string{"C", "D"}},
	}
	cov, err := smallModel().MapDemandStates(states)
	require.NoError(t, err)
	require.Len(t, cov.Ambiguities, 1, "only the split of customer over C and D")
	assert.Equal(t, bowtie.SplitState, cov.Ambiguities[0].Kind)
}

func TestMapDemandStatesRejects(t *testing.T) {
	states := []bowtie.StateMapping{
		{State: "", Owner: mkt, Stages: []string{"A"}},
		{State: "x", Owner: revalign.Owner{Name: "n"}, Stages: []string{"A"}},
		{State: "x", Owner: mkt, Stages: []string{"Q"}},
		{State: "y", Owner: mkt},
	}
	_, err := smallModel().MapDemandStates(states)
	assert.Equal(t, []string{"states[0].state", "states[1].owner.team", "states[2].state", "states[2].stages[0]", "states[3].stages"}, fieldPaths(t, err))
	_, err = bowtie.Model{}.MapDemandStates(nil)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func FuzzMapDemandStates(f *testing.F) {
	f.Add("aware", "A", "B", "marketing")
	f.Add("", "Q", "", "")
	f.Fuzz(func(t *testing.T, state, s1, s2, team string) {
		states := []bowtie.StateMapping{
			{State: state, Owner: revalign.Owner{Name: "x", Team: revalign.Team(team)}, Stages: []string{s1, s2}},
			{State: "other", Owner: cs, Stages: []string{"D"}},
		}
		cov, err := smallModel().MapDemandStates(states)
		if err != nil {
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			return
		}
		covered := 0
		for _, s := range cov.Stages {
			covered += len(s.States)
		}
		assert.GreaterOrEqual(t, covered, 2)
	})
}
