package main

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The planted finding (crm/sample/README.md, finding 3): on won
// new-business revenue, paid social gets 37.9% under first touch, 5.6%
// under linear and 17.5% under position-based 40/20/40, and no channel's
// first-touch excess is as large.
func TestAttributionSectionFinding(t *testing.T) {
	s, err := attributionSection(sampleInput(t))
	require.NoError(t, err)
	data := s.Data.(attributionData)
	rep := data.Report
	col := map[string]int{}
	for i, m := range rep.Models {
		col[m.Name] = i
	}
	share := map[string]map[string]float64{}
	for _, r := range rep.Channels {
		share[r.Channel] = map[string]float64{}
		for name, i := range col {
			share[r.Channel][name] = r.Cells[i].Share
		}
	}
	ps := share["paid_social"]
	assert.InDelta(t, 0.379, ps["first_touch"], 0.0005)
	assert.InDelta(t, 0.056, ps["linear"], 0.0005)
	assert.InDelta(t, 0.175, ps["position_based"], 0.0005)
	for ch, s := range share {
		if ch != "paid_social" {
			assert.Less(t, s["first_touch"]-s["position_based"], ps["first_touch"]-ps["position_based"], ch)
		}
	}
	ft := rep.Models[col["first_touch"]]
	assert.Equal(t, "paid_social", ft.Over.Channel)
	for _, r := range rep.Channels {
		if r.Channel != "paid_social" {
			assert.Less(t, r.Cells[col["first_touch"]].Bias, ft.Over.Relative, r.Channel)
		}
	}
	// Every model's column sums to the cent.
	for i, m := range rep.Models {
		sum := decimal.Zero
		for _, r := range rep.Channels {
			sum = sum.Add(r.Cells[i].Credit)
		}
		assert.True(t, sum.Equal(rep.Total), "%s: %s ≠ %s", m.Name, sum, rep.Total)
	}
	assert.Equal(t, 295, rep.Journeys)
	assert.Contains(t, strings.Join(s.Lines, "\n"), "first touch over-credits paid_social")
	assert.True(t, rep.Reach.Overlap)
	assert.LessOrEqual(t, len(s.Lines), 30)
}
