package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/demandstate"
)

// TestDemandstateSectionFindings checks that the section shows the sample's
// planted content findings (crm/sample/README.md, finding 6).
func TestDemandstateSectionFindings(t *testing.T) {
	d, err := sample.Load()
	require.NoError(t, err)
	in := &input{Data: d, AsOf: sample.AsOf(), Calendar: sample.Calendar()}
	s, err := demandstateSection(in)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(s.Lines), 25)

	data := s.Data.(demandstateData)
	assert.Equal(t, len(d.Leads), data.Audit.Total)
	assert.True(t, data.Audit.Clean())
	assert.Equal(t, len(d.Leads), data.Routing.Total)
	for _, st := range []demandstate.State{demandstate.SolutionAware, demandstate.DecisionReady} {
		assert.Contains(t, data.Content.Gaps, demandstate.Cell{State: st, Role: demandstate.SecurityReviewer})
	}
	var months []int
	for _, m := range data.Content.Scratch.Months {
		months = append(months, m.Count)
	}
	assert.Equal(t, []int{11, 10, 12, 18, 10, 12}, months) // March–August 2026
	assert.True(t, data.Content.Scratch.Flagged)
	assert.Equal(t, demandstate.SecurityReviewer, data.Content.Scratch.ByRole[0].Role)
}
