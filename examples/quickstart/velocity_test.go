package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/velocity"
)

// TestVelocitySectionFindings checks that the section shows the sample's
// planted velocity findings (crm/sample/README.md, findings 7 and 8).
func TestVelocitySectionFindings(t *testing.T) {
	d, err := sample.Load()
	require.NoError(t, err)
	rates, err := d.Rates(sample.ReportingCurrency)
	require.NoError(t, err)
	in := &input{Data: d, AsOf: sample.AsOf(), Calendar: sample.Calendar(), Rates: rates}
	s, err := velocitySection(in)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(s.Lines), 25)
	data := s.Data.(velocityData)
	assert.Empty(t, data.Rejected)

	// Finding 7: won / lost, win rate, average won deal, open deals.
	want := map[string]struct {
		won, lost, open int
		winRate, deal   float64
	}{
		"SMB": {95, 140, 10, 0.404, 15_807},
		"MID": {167, 393, 47, 0.298, 45_217},
		"ENT": {33, 125, 29, 0.209, 160_168},
	}
	for seg, w := range want {
		m, ok := data.Velocity.Segment(seg)
		require.True(t, ok, seg)
		assert.Equal(t, w.won, m.Won, seg)
		assert.Equal(t, w.lost, m.Lost, seg)
		assert.Equal(t, w.open, m.Open, seg)
		assert.InDelta(t, w.winRate, m.WinRate, 0.0005, seg)
		assert.InEpsilon(t, w.deal, m.DealSize.InexactFloat64(), 0.01, seg)
		assert.Empty(t, m.Withheld, seg)
	}
	assert.Equal(t, 5, data.Velocity.Overall.NoAmount.Open, "the five open deals without an amount")

	// Finding 8: the gap between the teams' quarter-start forecasts widens.
	gaps := map[string]float64{}
	for _, v := range data.Variance {
		if v.Segment == velocity.AllSegments {
			gaps[v.Period] = v.Relative
		}
	}
	assert.InDelta(t, 0.219, gaps["FY2026-Q4"], 0.0005)
	assert.InDelta(t, 0.355, gaps["FY2027-Q1"], 0.0005)
	assert.InDelta(t, 0.497, gaps["FY2027-Q2"], 0.0005)

	// The levers: a cycle cut leads, owned by sales; the plan is signed.
	assert.Equal(t, velocity.CycleLength, data.Levers[0].Lever)
	assert.Equal(t, "sales", string(data.Levers[0].Owner.Team))
	assert.True(t, data.SignOff.InForce)
	assert.Len(t, data.Worksheet.Funnels, 3)
	o := data.Forecast.Outlook
	assert.True(t, o.P10.LessThan(o.P50) && o.P50.LessThan(o.P90))
	again, err := velocitySection(in)
	require.NoError(t, err)
	assert.Equal(t, s.Lines, again.Lines, "the forecast is deterministic")
}
