package main

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/cadence"
	"github.com/revalign/revalign/crm/sample"
)

// TestCadenceSectionFindings checks that the section shows the sample's
// planted pipeline findings (crm/sample/README.md, finding 5).
func TestCadenceSectionFindings(t *testing.T) {
	d, err := sample.Load()
	require.NoError(t, err)
	rates, err := d.Rates(sample.ReportingCurrency)
	require.NoError(t, err)
	in := &input{Data: d, AsOf: sample.AsOf(), Calendar: sample.Calendar(), Rates: rates}
	s, err := cadenceSection(in)
	require.NoError(t, err)
	assert.Equal(t, "fix", s.Phase)
	assert.GreaterOrEqual(t, len(s.Lines), 8)
	assert.LessOrEqual(t, len(s.Lines), 25)

	data := s.Data.(cadenceData)
	rv := data.Review
	assert.Equal(t, 108, rv.Deals)
	assert.True(t, rv.Delta.Reconciles)
	assert.Equal(t, 19, rv.Delta.Bucket(cadence.New).Deals)
	assert.Equal(t, 7, rv.Delta.Bucket(cadence.Won).Deals)
	assert.Equal(t, 12, rv.Delta.Bucket(cadence.Lost).Deals)
	assert.Zero(t, rv.Delta.Bucket(cadence.Dropped).Deals, "every deal that left has an outcome")

	// The cluster: four stalled deals share the security questionnaire
	// (structural, to the loss review); legal redlines in two is not.
	require.GreaterOrEqual(t, len(rv.Patterns), 2)
	sec, legal := rv.Patterns[0], rv.Patterns[1]
	assert.Equal(t, "Security questionnaire outstanding", sec.Reason)
	assert.ElementsMatch(t, []string{"O00739", "O00742", "O00876", "O00884"}, sec.Deals)
	assert.Equal(t, 4, sec.Stalled)
	assert.True(t, sec.Structural)
	assert.Equal(t, cadence.LossPostMortem, sec.RouteTo)
	assert.Equal(t, "Legal redlines", legal.Reason)
	assert.ElementsMatch(t, []string{"O00905", "O00921"}, legal.Deals)
	assert.False(t, legal.Structural)
	assert.Len(t, rv.Structural(), 1)

	// Passive voice, flag by flag.
	byFlag := map[cadence.Flags][]string{}
	for _, l := range rv.Passive {
		for _, f := range []cadence.Flags{cadence.WaitingOnBuyer, cadence.PastNextAction, cadence.NoNextAction, cadence.NoOwner} {
			if l.Flags.Has(f) {
				byFlag[f] = append(byFlag[f], l.ID)
			}
		}
	}
	for f := range byFlag {
		slices.Sort(byFlag[f])
	}
	assert.Equal(t, map[cadence.Flags][]string{
		cadence.WaitingOnBuyer: {"O00905", "O00921", "O00924", "O00926", "O00930"},
		cadence.PastNextAction: {"O00948", "O00949"},
		cadence.NoNextAction:   {"O00971", "O01003"},
		cadence.NoOwner:        {"O01011"},
	}, byFlag)

	// Stalled inventory counted in calendar days in New York: the README's
	// 33 (21×24 elapsed hours) plus six deals that entered their stage on
	// 7 September after 09:00.
	var stalled []string
	for _, l := range rv.Stalled {
		stalled = append(stalled, l.ID)
		assert.GreaterOrEqual(t, l.DaysInStage, 21)
	}
	assert.Len(t, stalled, 39)
	assert.Subset(t, stalled, []string{"O01041", "O01093", "O01095", "O01097", "O01099", "O01100"})

	pm := data.PostMortem
	assert.Equal(t, "FY2027-Q2", in.Calendar.QuarterLabel(pm.Quarter.Start))
	assert.Len(t, pm.Selected, 10)
	assert.False(t, pm.IndividualMistakes)
	assert.GreaterOrEqual(t, len(pm.Changes), 3)

	assert.Equal(t, 12, data.Schedule.Count(cadence.PipelineReview))
	require.Len(t, data.Schedule.Skipped, 1)
	assert.Equal(t, "Martin Luther King Jr. Day", data.Schedule.Skipped[0].Holiday)
}
