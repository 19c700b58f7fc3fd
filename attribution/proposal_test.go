package attribution_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

// winLoss builds won journeys opened by events and lost ones opened by
// paid_social; everything after the first touch is the same for both.
func winLoss(won, lost int) []attribution.Journey {
	var out []attribution.Journey
	add := func(first string, outcome attribution.Outcome) {
		j := path(2, 3, first, "webinar", "email", "sdr_outbound")
		j.Outcome = outcome
		out = append(out, j)
	}
	for range won {
		add("events", attribution.Won)
	}
	for range lost {
		add("paid_social", attribution.Lost)
	}
	return out
}

func TestProposeWeights(t *testing.T) {
	js := winLoss(40, 40)
	open := path(0, 0, "a")
	open.Outcome = attribution.Open
	js = append(js, open)
	p, err := attribution.ProposeWeights(js, attribution.WShaped(), attribution.DefaultProposalOptions())
	require.NoError(t, err)
	assert.Equal(t, 40, p.Won)
	assert.Equal(t, 40, p.Lost)
	require.Len(t, p.Evidence, 4)
	// The first touch tells wins from losses perfectly: 1 bit, less the
	// Miller–Madow bias (2−1)/(2·80·ln 2). The other positions always hold
	// the same channel: no information.
	ft := p.Evidence[0]
	assert.Equal(t, attribution.FirstTouch, ft.Position)
	assert.InDelta(t, 1-1/(160*math.Ln2), ft.Information, 1e-12)
	assert.Equal(t, "events", ft.Best)
	assert.Equal(t, 1.0, ft.BestWinRate)
	assert.Equal(t, 80, ft.Journeys)
	for _, e := range p.Evidence[1:] {
		assert.Zero(t, e.Information, e.Position)
	}
	assert.Equal(t, attribution.MiddlePosition, p.Evidence[3].Position)
	assert.Equal(t, 80, p.Evidence[3].Journeys, "webinar is the middle touch")
	// Halfway from W-shaped (30/30/30/10) toward (100/0/0/0).
	assert.Equal(t, []float64{0.65, 0.15, 0.15}, []float64{p.Proposed.Positions[0].Weight, p.Proposed.Positions[1].Weight, p.Proposed.Positions[2].Weight})
	assert.Equal(t, 0.05, p.Proposed.Middle)
	assert.Equal(t, 1.0, ft.Evidence)
	assert.Equal(t, 0.65, ft.Proposed)
	assert.Equal(t, 0.3, ft.Current)
	require.NoError(t, p.Proposed.Validate())
	assert.Equal(t, "custom", p.Proposed.Name())
	assert.Equal(t, attribution.WShaped(), p.Current, "the current weights are untouched")
	assert.Empty(t, p.Note)
}

func TestProposeWeightsWithoutEvidence(t *testing.T) {
	js := winLoss(30, 0)
	js = append(js, winLoss(0, 30)...)
	for i := range js {
		js[i].Touches[0].Channel = "events" // won and lost look the same
	}
	p, err := attribution.ProposeWeights(js, attribution.UShaped(), attribution.DefaultProposalOptions())
	require.NoError(t, err)
	assert.NotEmpty(t, p.Note)
	assert.Equal(t, attribution.UShaped().Positions, p.Proposed.Positions)

	_, err = attribution.ProposeWeights(winLoss(10, 40), attribution.UShaped(), attribution.DefaultProposalOptions())
	assert.ErrorIs(t, err, attribution.ErrTooFewJourneys)
	_, err = attribution.ProposeWeights(js, attribution.Shape{Label: "bad"}, attribution.DefaultProposalOptions())
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = attribution.ProposeWeights(js, attribution.UShaped(), attribution.ProposalOptions{LearningRate: 2})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.Error(t, attribution.ProposalOptions{LearningRate: 0.5, MinJourneys: -1}.Validate())
}

// A lost deal has no closed-won touch, but its evidence for that position
// is the touch at its close, the comparable moment: here won deals close
// on a meeting, lost ones on an email, so the position is informative.
func TestProposeWeightsCloseEvidence(t *testing.T) {
	var js []attribution.Journey
	for k := range 80 {
		last, outcome := "sdr_outbound", attribution.Won
		if k%2 == 1 {
			last, outcome = "email", attribution.Lost
		}
		j := path(1, 2, "events", "webinar", "paid_social", last)
		j.Outcome = outcome
		js = append(js, j)
	}
	p, err := attribution.ProposeWeights(js, attribution.FullPath(), attribution.DefaultProposalOptions())
	require.NoError(t, err)
	cw := p.Evidence[3]
	require.Equal(t, attribution.Close, cw.Position)
	assert.Equal(t, 80, cw.Journeys)
	assert.InDelta(t, 1-1/(160*math.Ln2), cw.Information, 1e-12)
	assert.Equal(t, "sdr_outbound", cw.Best)
}
