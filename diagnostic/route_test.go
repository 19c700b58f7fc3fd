package diagnostic

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func TestRouteMatrix(t *testing.T) {
	// The catalog's six rows, one symptom at a time.
	cases := []struct {
		s    Symptom
		want []string
	}{
		{LeadsSuck, []string{"icp", "sla"}},
		{RepsIgnoreMQLs, []string{"sla", "cadence"}},
		{PostSaleBlindSpot, []string{"bowtie"}},
		{ForecastSlipping, []string{"velocity"}},
		{SpendQuestioned, []string{"attribution"}},
		{AlignmentFades, []string{"cadence"}},
	}
	for _, c := range cases {
		r, err := Route(c.s)
		require.NoError(t, err)
		assert.Equal(t, c.want, r.Frameworks(), "%s", c.s)
		assert.False(t, r.ThresholdRule)
		for _, rec := range r.Plan {
			assert.Equal(t, []Symptom{c.s}, rec.Symptoms)
		}
	}
	r, err := Route(RepsIgnoreMQLs)
	require.NoError(t, err)
	assert.Equal(t, []string{`"Reps ignore MQLs", with an incentive review`}, r.Plan[1].Reasons)
}

func TestRouteSeveralSymptoms(t *testing.T) {
	// Given in "wrong" order with a repeat: the plan is deduplicated and
	// ordered diagnose → fix → prove.
	r, err := Route(SpendQuestioned, RepsIgnoreMQLs, LeadsSuck, PostSaleBlindSpot, LeadsSuck, AlignmentFades)
	require.NoError(t, err)
	assert.Equal(t, []string{"bowtie", "icp", "sla", "cadence", "attribution"}, r.Frameworks())
	var phases []string
	for _, rec := range r.Plan {
		phases = append(phases, rec.Phase)
	}
	assert.Equal(t, []string{"diagnose", "diagnose", "fix", "fix", "prove"}, phases)

	sla := r.Plan[2]
	assert.Equal(t, CategoryOperational, sla.Framework.Category)
	assert.Equal(t, IncentiveConflict, sla.Framework.Conflict)
	assert.Equal(t, []Symptom{LeadsSuck, RepsIgnoreMQLs}, sla.Symptoms, "matrix order")
	assert.Len(t, sla.Reasons, 2)
	cadence := r.Plan[3]
	assert.Equal(t, []Symptom{RepsIgnoreMQLs, AlignmentFades}, cadence.Symptoms)

	// The order of the complaints does not matter.
	again, err := Route(AlignmentFades, LeadsSuck, PostSaleBlindSpot, RepsIgnoreMQLs, SpendQuestioned)
	require.NoError(t, err)
	assert.Equal(t, r, again)

	roundTrip(t, r)
}

func TestRouteThresholdRule(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		name    string
		triage  Triage
		want    []string
		applied bool
	}{
		{"rejection above 40%", Triage{Symptoms: []Symptom{ForecastSlipping}, MQLRejectionRate: 0.52},
			[]string{"bowtie", "icp", "velocity"}, true},
		{"rejection at 40% does not trigger", Triage{Symptoms: []Symptom{ForecastSlipping}, MQLRejectionRate: 0.40},
			[]string{"velocity"}, false},
		{"unexplained win-rate drop", Triage{Symptoms: []Symptom{SpendQuestioned}, WinRateFell: true},
			[]string{"bowtie", "icp", "attribution"}, true},
		{"explained win-rate drop", Triage{Symptoms: []Symptom{SpendQuestioned}, WinRateFell: true, WinRateCauseKnown: true},
			[]string{"attribution"}, false},
		{"trigger without symptoms", Triage{MQLRejectionRate: 0.6},
			[]string{"bowtie", "icp"}, true},
		{"nothing known", Triage{},
			[]string{"bowtie", "icp"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := cfg.Route(c.triage)
			require.NoError(t, err)
			assert.Equal(t, c.want, r.Frameworks())
			assert.Equal(t, c.applied, r.ThresholdRule)
		})
	}
	r, err := cfg.Route(Triage{Symptoms: []Symptom{LeadsSuck}, MQLRejectionRate: 0.52, WinRateFell: true})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"MQL-to-SQL rejection 52% is above 40%: run the bowtie and ICP scoring first",
		"win rate fell without an obvious cause: run the bowtie and ICP scoring first",
		`"These leads suck"`,
	}, r.Plan[1].Reasons, "ICP: both triggers, then the symptom")

	// A stricter threshold is the team's to set.
	cfg.RejectionThreshold = 0.3
	r, err = cfg.Route(Triage{MQLRejectionRate: 0.35, Symptoms: []Symptom{AlignmentFades}})
	require.NoError(t, err)
	assert.Equal(t, []string{"bowtie", "icp", "cadence"}, r.Frameworks())
}

func TestRouteBadInput(t *testing.T) {
	_, err := Route(LeadsSuck, Symptom(0), Symptom(12))
	require.Error(t, err)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.ErrorContains(t, err, "diagnostic: symptoms[1]: unknown symptom, got 0")
	assert.ErrorContains(t, err, "diagnostic: symptoms[2]: unknown symptom, got 12")

	for _, rate := range []float64{-0.1, 1.5, math.NaN()} {
		_, err = DefaultConfig().Route(Triage{MQLRejectionRate: rate})
		assert.ErrorIs(t, err, revalign.ErrInvalid, "rate %v", rate)
	}
	bad := DefaultConfig()
	bad.RejectionThreshold = 2
	_, err = bad.Route(Triage{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestFrameworksAndMatrix(t *testing.T) {
	fs := Frameworks()
	require.Len(t, fs, 7)
	last := Category(0)
	for _, f := range fs {
		assert.GreaterOrEqual(t, f.Category, last, "frameworks are in the order of use")
		last = f.Category
		got, ok := FrameworkByID(f.ID)
		assert.True(t, ok)
		assert.Equal(t, f, got)
		assert.NotEmpty(t, f.WhenToUse)
		assert.NotZero(t, f.Conflict)
	}
	_, ok := FrameworkByID("okr")
	assert.False(t, ok)

	rows := RoutingMatrix()
	require.Len(t, rows, 6)
	for i, row := range rows {
		assert.Equal(t, Symptom(i+1), row.Symptom)
		for _, id := range row.Frameworks {
			_, ok := FrameworkByID(id)
			assert.True(t, ok, id)
		}
	}
	rows[0].Frameworks[0] = "changed"
	assert.Equal(t, "icp", RoutingMatrix()[0].Frameworks[0], "a deep copy")

	b, err := json.Marshal(fs[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"category":"diagnostic","conflict":"definition"`)
	assert.Equal(t, "diagnose", CategoryDiagnostic.Phase())
	assert.Equal(t, "prove", CategoryMeasurement.Phase())
	assert.Equal(t, "", Category(0).Phase())

	var s Symptom
	require.NoError(t, s.UnmarshalText([]byte("Forecast Slipping")))
	assert.Equal(t, ForecastSlipping, s)
	assert.Error(t, s.UnmarshalText([]byte("pipeline_thin")))
}
