package diagnostic

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func planSteps(p Plan) []Step {
	var out []Step
	for _, s := range p.Steps {
		out = append(out, s.Step)
	}
	return out
}

func TestPlan(t *testing.T) {
	// Total 7 (see TestScoreGaps): start at Step 2, install 2 through 6.
	res, err := Score(responses([numQuestions]int{1, 0, 1, 0, 1, 0, 2, 0, 1, 1}))
	require.NoError(t, err)
	p, err := res.Plan(Prerequisites{DocumentedICP: true, CRMHygiene: CRMHygiene{DeduplicatedAccounts: true}})
	require.NoError(t, err)
	assert.Equal(t, StepWrittenSLA, p.Start)
	assert.Equal(t, []Prerequisite{PrereqStageDefinitions, PrereqOwnerFields}, p.Prerequisites)
	assert.Equal(t, []Step{2, 3, 4, 5, 6}, planSteps(p))
	assert.Empty(t, p.Revisit)
	for _, st := range p.Steps[:4] {
		assert.Empty(t, st.Governance, "only Step 6 carries the governance table")
	}
	assert.Len(t, p.Steps[4].Governance, 4)

	s2 := p.Steps[0]
	assert.Equal(t, "Define the MQL and SQL boundary in writing", s2.Name)
	assert.Contains(t, s2.Artifact, "signed SLA")
	require.Len(t, s2.Gaps, 2)
	assert.Equal(t, QMQLDefinition, s2.Gaps[0].QuestionID)
	// Step 4's only gap is the stalled-deal owner.
	require.Len(t, p.Steps[2].Gaps, 1)
	assert.Equal(t, QStalledOwner, p.Steps[2].Gaps[0].QuestionID)
}

func TestPlanFromStructural(t *testing.T) {
	res, err := Score(withTotal(3))
	require.NoError(t, err)
	p, err := res.Plan(Prerequisites{})
	require.NoError(t, err)
	assert.Len(t, p.Prerequisites, 4, "every prerequisite first")
	assert.Equal(t, []Step{1, 2, 3, 4, 5, 6}, planSteps(p))
	assert.Empty(t, p.Steps[0].Gaps, "Step 1 has no question")
}

func TestPlanRevisitsEarlierGaps(t *testing.T) {
	// 17 points: mostly aligned, reinforce governance (Step 6); the Partial
	// on response_time (Step 2) and the No on one_dashboard (Step 3) are
	// earlier steps to revisit. Step 3 earned 4 of 6 (.67), Step 2 3 of 4
	// (.75): Step 3 is weaker.
	res, err := Score(responses([numQuestions]int{2, 1, 2, 2, 2, 2, 2, 2, 2, 0}))
	require.NoError(t, err)
	require.Equal(t, 17, res.Total)
	p, err := res.Plan(Prerequisites{DocumentedICP: true, CRMHygiene: CRMHygiene{true, true, true}})
	require.NoError(t, err)
	assert.Empty(t, p.Prerequisites)
	assert.Equal(t, []Step{6}, planSteps(p))
	assert.Empty(t, p.Steps[0].Gaps)
	// "Reinforce governance (Step 6)": the step carries the seed's
	// governance table, item by item.
	var items []string
	for _, g := range p.Steps[0].Governance {
		items = append(items, g.Item+": "+g.Rule)
	}
	assert.Equal(t, []string{
		"SLA owner: Marketing operations lead, with sales operations countersign",
		"Dashboard owner: RevOps (or whichever team owns the source of truth)",
		"Dispute escalation: The named tie-breaker from Step 1, then the CRO",
		"Recalibration cadence: Monthly review, quarterly rewrite",
	}, items)
	require.Len(t, p.Revisit, 2)
	assert.Equal(t, StepRevenuePlan, p.Revisit[0].Step)
	assert.Equal(t, StepWrittenSLA, p.Revisit[1].Step)

	roundTrip(t, p)
}

func TestPlanNeedsAScoredResult(t *testing.T) {
	_, err := Result{}.Plan(Prerequisites{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}
