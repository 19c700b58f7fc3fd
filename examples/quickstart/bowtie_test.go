package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
	"github.com/revalign/revalign/crm/sample"
)

// TestBowtieSectionShowsThePlantedLeak checks the sample README's finding 4
// in the section's data: the largest leak is Onboard → Impact on the right
// side, owned by customer success, under every definition; retention of the
// customers of 2025-08-01 over four fiscal quarters.
func TestBowtieSectionShowsThePlantedLeak(t *testing.T) {
	d, err := sample.Load()
	require.NoError(t, err)
	rates, err := d.Rates(sample.ReportingCurrency)
	require.NoError(t, err)
	sec, err := bowtieSection(&input{Data: d, AsOf: sample.AsOf(), Calendar: sample.Calendar(), Rates: rates})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(sec.Lines), 25)

	data := sec.Data.(bowtieData)
	for _, def := range []bowtie.Definition{bowtie.LowestConversion, bowtie.LargestGap, bowtie.LargestImpact} {
		leak, ok := data.Diagnosis.Leak(def)
		require.True(t, ok, def.String())
		assert.Equal(t, "Onboard → Impact", leak.From+" → "+leak.To, def.String())
		assert.Equal(t, bowtie.Right, leak.Side)
		assert.Equal(t, revalign.CustomerSuccess, leak.Owner.Team)
	}
	leak, _ := data.Diagnosis.Leak(bowtie.LargestImpact)
	assert.True(t, leak.Impact.Recurring)

	// The README's counts: 291 accounts start onboarding in the window, 91
	// of them reach first value; 295 are won, 718 have a new-business deal.
	onboard := data.Report.Transitions[4]
	assert.Equal(t, 291, onboard.Entered)
	assert.Equal(t, 91, onboard.Converted)
	assert.Equal(t, 295, data.Report.Stages[3].Volume)
	assert.Equal(t, 718, data.Report.Stages[2].Volume)

	year := data.Retention[4]
	assert.Equal(t, 248, year.Cohort.Accounts)
	assert.Equal(t, 48, year.LostLogos)
	assert.InDelta(t, 0.867, year.NRR, 0.0005)
	assert.NoError(t, year.Bridge.Check())
	for _, tr := range data.Triggers {
		assert.True(t, tr.Open)
	}
}
