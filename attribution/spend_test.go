package attribution_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

func sampleReport(t *testing.T) *attribution.Report {
	t.Helper()
	rep, err := attribution.Reconcile(sampleJourneys(), sampleOptions(),
		attribution.FirstTouchModel(), attribution.LastTouchModel(), attribution.Linear{})
	require.NoError(t, err)
	return rep
}

func sampleCosts() []attribution.Cost {
	return []attribution.Cost{
		{Channel: "paid_social", At: day(0), Amount: usd("600"), Currency: "USD"},
		{Channel: "paid_search", At: day(0), Amount: usd("400"), Currency: "USD"},
		{Channel: "email", At: day(0), Amount: usd("100"), Currency: "EUR"},
		{Channel: "events", At: day(0), Amount: usd("10"), Currency: "GBP"}, // no rate
		{Channel: "events", At: day(0), Amount: usd("-5"), Currency: "USD"}, // negative
		{Channel: "direct", At: day(0), Amount: usd("0"), Currency: "USD"},  // no spend
	}
}

// Worked by hand from TestReconcile's credits. Cost 600 + 400 + 110 =
// 1110. Portfolio returns: first touch (1330+500+0)/1110 − 1, last touch
// 500/1110 − 1, linear (498.34+500+333.33)/1110 − 1. paid_social returns
// 1330/600 − 1 (above FT's portfolio), −1 (below LT's), 498.34/600 − 1
// (below linear's): one vote up, two down.
func TestEvaluateSpend(t *testing.T) {
	opts := attribution.DefaultSpendOptions()
	opts.Rates = sampleOptions().Rates
	sr, err := attribution.EvaluateSpend(sampleReport(t), sampleCosts(), opts)
	require.NoError(t, err)
	assert.Equal(t, "1110", sr.Cost.String())
	require.Len(t, sr.Errors, 2)
	assert.Equal(t, "costs[3]", sr.Errors[0].ID)
	assert.ErrorIs(t, sr.Errors[0], revalign.ErrCurrency)
	assert.Equal(t, "costs[4]", sr.Errors[1].ID)
	require.Len(t, sr.Channels, 3)
	ps := sr.Channels[0]
	assert.Equal(t, "paid_social", ps.Channel)
	assert.InDelta(t, 600.0/1330, ps.Models[0].CostPerCredit, 1e-12)
	assert.InDelta(t, 1330.0/600-1, ps.Models[0].ROI, 1e-12)
	assert.Equal(t, []int{1, -1, -1}, []int{ps.Models[0].Vote, ps.Models[1].Vote, ps.Models[2].Vote})
	assert.Zero(t, ps.Models[1].CostPerCredit, "no credit under last touch")
	assert.Equal(t, -1.0, ps.Models[1].ROI)
	// Three in four of three models is three: nobody agrees that much.
	for _, c := range sr.Channels {
		assert.Equal(t, attribution.Hold, c.Recommendation, c.Channel)
	}
	assert.Equal(t, "paid_search", sr.Channels[1].Channel)
	assert.Equal(t, []int{-1, 1, 1}, []int{sr.Channels[1].Models[0].Vote, sr.Channels[1].Models[1].Vote, sr.Channels[1].Models[2].Vote})
	assert.Equal(t, "email", sr.Channels[2].Channel)
	assert.Equal(t, "110", sr.Channels[2].Cost.String())

	// A simple majority moves budget: away from paid_social and email,
	// toward paid_search.
	opts.Quorum = 0.5
	sr, err = attribution.EvaluateSpend(sampleReport(t), sampleCosts(), opts)
	require.NoError(t, err)
	got := map[string]attribution.Recommendation{}
	for _, c := range sr.Channels {
		got[c.Channel] = c.Recommendation
	}
	assert.Equal(t, map[string]attribution.Recommendation{
		"paid_social": attribution.Decrease, "paid_search": attribution.Increase, "email": attribution.Decrease,
	}, got)

	// Only the multi-touch model votes.
	opts.Models = []string{"linear"}
	opts.Quorum = 1
	sr, err = attribution.EvaluateSpend(sampleReport(t), sampleCosts(), opts)
	require.NoError(t, err)
	assert.Equal(t, attribution.Decrease, sr.Channels[0].Recommendation)
}

func TestEvaluatePeriodAndErrors(t *testing.T) {
	rep := sampleReport(t)
	opts := attribution.DefaultSpendOptions()
	opts.Rates = sampleOptions().Rates
	// February's report only counts February's spend.
	costs := append(sampleCosts(), attribution.Cost{Channel: "webinar", At: day(40), Amount: usd("33"), Currency: "USD"})
	sr, err := attribution.EvaluateSpend(&rep.Periods[1], costs, opts)
	require.NoError(t, err)
	require.Len(t, sr.Channels, 1)
	assert.Equal(t, "webinar", sr.Channels[0].Channel)
	assert.InDelta(t, 33.0/165, sr.Channels[0].Models[2].CostPerCredit, 1e-12)

	bad := opts
	bad.Quorum = 0
	_, err = attribution.EvaluateSpend(rep, costs, bad)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	bad = opts
	bad.Rates = revalign.Rates{Base: "EUR"}
	_, err = attribution.EvaluateSpend(rep, costs, bad)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	bad = opts
	bad.Models = []string{"nope"}
	_, err = attribution.EvaluateSpend(rep, costs, bad)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	bad.Models = []string{" "}
	assert.Error(t, bad.Validate())
}

// A cost on a channel the report's taxonomy does not know (a typo, a
// channel never mapped) is an error, not a channel with an ROI of −1 and a
// vote to cut it. A taxonomy channel that no journey of the report touched
// (idle) is known: it spent and returned nothing, and is judged so.
func TestEvaluateSpendUnknownChannel(t *testing.T) {
	rep := sampleReport(t)
	assert.Contains(t, rep.Idle, "events", "no won journey touched events")
	assert.NotContains(t, rep.Idle, "paid_social")
	opts := attribution.DefaultSpendOptions()
	opts.Quorum = 0.5
	costs := []attribution.Cost{
		{Channel: "paid_social", At: day(0), Amount: usd("600"), Currency: "USD"},
		{Channel: "Paid Social", At: day(0), Amount: usd("900"), Currency: "USD"},
		{Channel: "events", At: day(0), Amount: usd("100"), Currency: "USD"},
	}
	sr, err := attribution.EvaluateSpend(rep, costs, opts)
	require.NoError(t, err)
	require.Len(t, sr.Errors, 1)
	assert.Equal(t, "costs[1]", sr.Errors[0].ID)
	assert.ErrorIs(t, sr.Errors[0], revalign.ErrInvalid)
	assert.ErrorContains(t, sr.Errors[0], `"Paid Social"`)
	assert.Equal(t, "700", sr.Cost.String(), "the unknown channel's cost is not counted")
	require.Len(t, sr.Channels, 2)
	assert.Equal(t, "paid_social", sr.Channels[0].Channel)
	ev := sr.Channels[1]
	assert.Equal(t, "events", ev.Channel)
	assert.Equal(t, -1.0, ev.Models[0].ROI)
	assert.Equal(t, attribution.Decrease, ev.Recommendation)

	// The idle channels survive JSON.
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var back attribution.Report
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, rep.Idle, back.Idle)
}
