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

func TestAccountState(t *testing.T) {
	m := ds.DefaultModel()
	committee := []ds.Member{
		{ID: "cfo", Role: "economic_buyer", State: ds.ProblemAware},
		{ID: "cto", Role: "technical_evaluator", State: ds.DecisionReady},
		{ID: "eng", Role: "end_user", State: ds.SolutionAware},
		{ID: "ops", Role: "end_user", State: ds.SolutionAware},
		{ID: "sec", Role: "security_reviewer", State: ""},
	}
	weights := map[string]float64{"economic_buyer": 3, "technical_evaluator": 2}
	tests := []struct {
		name   string
		policy ds.Policy
		want   ds.State
	}{
		{"most advanced", ds.Policy{Aggregation: ds.MostAdvanced}, ds.DecisionReady},
		{"least advanced", ds.Policy{Aggregation: ds.LeastAdvanced}, ds.ProblemAware},
		{"majority", ds.Policy{Aggregation: ds.Majority}, ds.SolutionAware},
		// problem-aware 3, solution-aware 1+1, decision-ready 2.
		{"weighted", ds.Policy{Aggregation: ds.Weighted, Weights: weights, DefaultWeight: 1}, ds.ProblemAware},
		// problem-aware 3, solution-aware 0, decision-ready 3: the tie goes to the less advanced.
		{"weighted tie", ds.Policy{Aggregation: ds.Weighted, Weights: map[string]float64{"economic_buyer": 3, "technical_evaluator": 3}}, ds.ProblemAware},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.AccountState(committee, tt.policy)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.State)
			assert.Equal(t, tt.policy.Aggregation, got.Aggregation)
			assert.Equal(t, []string{"sec"}, got.Unclassified)
		})
	}

	t.Run("spread", func(t *testing.T) {
		got, err := m.AccountState(committee, ds.Policy{Aggregation: ds.Weighted, Weights: weights, DefaultWeight: 1})
		require.NoError(t, err)
		assert.Equal(t, []ds.Share{
			{State: ds.ProblemAware, Members: []string{"cfo"}, Weight: 3},
			{State: ds.SolutionAware, Members: []string{"eng", "ops"}, Weight: 2},
			{State: ds.DecisionReady, Members: []string{"cto"}, Weight: 2},
		}, got.Spread)
	})
	t.Run("majority tie goes to the less advanced", func(t *testing.T) {
		got, err := m.AccountState(committee[:2], ds.Policy{Aggregation: ds.Majority})
		require.NoError(t, err)
		assert.Equal(t, ds.ProblemAware, got.State)
	})
	t.Run("nobody classified", func(t *testing.T) {
		got, err := m.AccountState(committee[4:], ds.Policy{Aggregation: ds.Majority})
		require.NoError(t, err)
		assert.Equal(t, ds.State(""), got.State)
		assert.Empty(t, got.Spread)
	})
	t.Run("unknown member state", func(t *testing.T) {
		_, err := m.AccountState([]ds.Member{{ID: "x", State: "sql"}}, ds.Policy{Aggregation: ds.Majority})
		assert.Equal(t, []string{"members[0].state"}, fieldPaths(t, err))
	})
	t.Run("invalid policies", func(t *testing.T) {
		for _, p := range []ds.Policy{
			{Aggregation: "loudest"},
			{Aggregation: ds.Weighted, Weights: map[string]float64{"hr": -1}},
			{Aggregation: ds.Weighted, DefaultWeight: -2},
		} {
			_, err := m.AccountState(committee, p)
			assert.ErrorIs(t, err, revalign.ErrInvalid)
		}
	})
}

func TestPolicyJSON(t *testing.T) {
	p := ds.Policy{Aggregation: ds.Weighted, Weights: map[string]float64{"economic_buyer": 3}, DefaultWeight: 1}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	var back ds.Policy
	require.NoError(t, config.Unmarshal(b, &back))
	assert.Equal(t, p, back)
	assert.Error(t, json.Unmarshal([]byte(`{"aggregation":"majority","quorum":2}`), &back))
}
