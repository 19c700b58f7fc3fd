package diagnostic

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func TestModel(t *testing.T) {
	m := Model()
	require.Len(t, m, NumSteps)
	for i, s := range m {
		assert.Equal(t, Step(i+1), s.Step)
		assert.NotEmpty(t, s.Name)
		assert.NotEmpty(t, s.Decision)
		assert.NotEmpty(t, s.Artifact)
		assert.NotEmpty(t, s.Rules)
		assert.NotEmpty(t, s.RedFlags)
		info, ok := StepInfo(s.Step)
		require.True(t, ok)
		assert.Equal(t, s, info)
	}
	assert.Contains(t, m[0].Artifact, "one-page demand-state map")
	assert.Contains(t, m[1].Artifact, "signed SLA")
	assert.Contains(t, m[2].Artifact, "both leaders' signatures")
	assert.Contains(t, m[1].RedFlags[0], "75%")

	m[1].Rules[0] = "changed"
	assert.NotEqual(t, "changed", Model()[1].Rules[0], "Model returns a deep copy")
	info, _ := StepInfo(StepWrittenSLA)
	info.Rules[0] = "changed"
	info.RedFlags[0] = "changed"
	again, _ := StepInfo(StepWrittenSLA)
	assert.Equal(t, "A lead either meets the criteria or it does not: no judgment calls.", again.Rules[0], "StepInfo returns a deep copy")
	assert.Contains(t, again.RedFlags[0], "75%")
	six, _ := StepInfo(StepLossPostMortem)
	require.Len(t, six.Governance, 4)
	six.Governance[0].Rule = "changed"
	assert.NotEqual(t, "changed", Model()[5].Governance[0].Rule, "the governance table is copied too")
	_, ok := StepInfo(0)
	assert.False(t, ok)
	_, ok = StepInfo(7)
	assert.False(t, ok)
}

func TestStepText(t *testing.T) {
	assert.Equal(t, "Step 2", StepWrittenSLA.String())
	assert.Equal(t, "none", Step(0).String())
	assert.Equal(t, "step(9)", Step(9).String())
	for s := StepDemandStates; s <= StepLossPostMortem; s++ {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var byName, byNumber Step
		require.NoError(t, byName.UnmarshalText(b))
		require.NoError(t, byNumber.UnmarshalText([]byte(s.String()[len("Step "):])))
		assert.Equal(t, s, byName)
		assert.Equal(t, s, byNumber)
	}
	var s Step
	assert.ErrorIs(t, s.UnmarshalText([]byte("7")), revalign.ErrInvalid)
	assert.ErrorIs(t, s.UnmarshalText([]byte("step_two")), revalign.ErrInvalid)
	_, err := Step(9).MarshalText()
	assert.Error(t, err)
}

func TestPrerequisites(t *testing.T) {
	assert.Equal(t, []Prerequisite{PrereqDocumentedICP, PrereqDeduplicatedAccounts, PrereqStageDefinitions, PrereqOwnerFields},
		Prerequisites{}.Unmet())
	all := Prerequisites{DocumentedICP: true, CRMHygiene: CRMHygiene{true, true, true}}
	assert.Nil(t, all.Unmet())
	assert.True(t, all.CRMHygiene.OK())
	assert.Equal(t, []Prerequisite{PrereqStageDefinitions},
		Prerequisites{DocumentedICP: true, CRMHygiene: CRMHygiene{DeduplicatedAccounts: true, OwnerFields: true}}.Unmet())

	assert.Equal(t, "Document the ICP", PrereqDocumentedICP.Action())
	assert.Equal(t, "", Prerequisite(0).Action())
	b, err := json.Marshal([]Prerequisite{PrereqOwnerFields, PrereqDocumentedICP})
	require.NoError(t, err)
	assert.JSONEq(t, `["owner_fields","documented_icp"]`, string(b))
	var back []Prerequisite
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, []Prerequisite{PrereqOwnerFields, PrereqDocumentedICP}, back)
	assert.Error(t, json.Unmarshal([]byte(`["clean_crm"]`), &back))
}
