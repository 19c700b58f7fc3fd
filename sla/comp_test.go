package sla

import (
	"math"
	"testing"

	"github.com/revalign/revalign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompMultiplier(t *testing.T) {
	c := DefaultCompPlan()
	for score, want := range map[float64]float64{1: 1.10, 0.95: 1.10, 0.9499: 1.00, 0.90: 1.00, 0.8: 0.90, 0.75: 0.90, 0.5: 0.75, 0: 0.75} {
		assert.Equal(t, want, c.Multiplier(score), "%v", score)
	}
	assert.True(t, math.IsNaN(c.Multiplier(math.NaN())))
}

// The comp review of the hand-worked scenario (see TestEvaluateScenario).
func TestCompReview(t *testing.T) {
	p, leads, opt := scenario(t)
	r, err := p.Evaluate(leads, opt)
	require.NoError(t, err)
	rev := p.Comp.Review(r)
	require.Len(t, rev.People, 2)
	// U1 owns L1, L3, L5, L8, L9: first touch kept by L1, L3, L9 (L8 not
	// judged, L5 pending): 3/3; disposition kept by L1, L8, L9, broken by
	// L3: 3/4; rejection reason kept by L3: 1/1. Score (1 + 0.75 + 1) / 3.
	u1 := rev.People[0]
	assert.Equal(t, "U1", u1.Who)
	assert.Equal(t, revalign.Sales, u1.Team)
	assert.InDelta(t, 2.75/3, u1.Score, 1e-12)
	assert.Equal(t, 1.00, u1.Multiplier)
	assert.Equal(t, []Rate{{FirstTouch, 3, 3}, {Disposition, 3, 4}, {RejectionReason, 1, 1}}, u1.Rates)
	// U2 owns L2, L4, L10: everything broken.
	u2 := rev.People[1]
	assert.Equal(t, 0.0, u2.Score)
	assert.Equal(t, 0.75, u2.Multiplier)

	require.Len(t, rev.Teams, 2)
	mk, sales := rev.Teams[0], rev.Teams[1]
	// Marketing: volume met in both complete weeks, acceptance in one of
	// two, routing 6 of 7 leads: (1 + 0.5 + 6/7) / 3.
	assert.Equal(t, "marketing", mk.Who)
	assert.InDelta(t, (1+0.5+6.0/7)/3, mk.Score, 1e-12)
	assert.Equal(t, 0.90, mk.Multiplier, "0.786 is in the 0.75–0.90 tier")
	// Sales: first touch 3/6, disposition 3/7, reasons 1/2.
	assert.InDelta(t, (0.5+3.0/7+0.5)/3, sales.Score, 1e-12)

	t.Run("weights", func(t *testing.T) {
		c := p.Comp
		c.Weights = CompWeights{FirstTouch: 3, RejectionReason: 1}
		rev := c.Review(r)
		assert.InDelta(t, (3*1+1*1)/4.0, rev.People[0].Score, 1e-12)
	})
	t.Run("nothing judged", func(t *testing.T) {
		r, err := p.Evaluate(nil, opt)
		require.NoError(t, err)
		rev := p.Comp.Review(r)
		assert.Empty(t, rev.People)
		assert.True(t, rev.Teams[0].NoData)
		assert.Zero(t, rev.Teams[0].Multiplier)
		assert.True(t, math.IsNaN(Rate{}.Value()))
	})
	t.Run("validate", func(t *testing.T) {
		c := DefaultCompPlan()
		c.Weights = CompWeights{}
		assert.ErrorContains(t, c.Validate(), "sla: weights: at least one weight must be > 0")
		c = DefaultCompPlan()
		c.Tiers = append(c.Tiers, Tier{MinScore: 0.9, Multiplier: -1})
		err := c.Validate()
		assert.ErrorContains(t, err, "sla: tiers[4].min_score: duplicate tier, got 0.9")
		assert.ErrorContains(t, err, "sla: tiers[4].multiplier: must be >= 0, got -1")
	})
}
