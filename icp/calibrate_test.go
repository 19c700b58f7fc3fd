package icp_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
	"github.com/revalign/revalign/icp"
)

// The generating model of the synthetic data: the log-odds of acceptance
// are trueIntercept + Σ trueBeta·feature, where the features are five
// yes/no attributes (b0…b4) and the number of "pricing_page" events.
var (
	trueIntercept = -2.0
	trueBeta      = []float64{2.0, 1.2, 0.6, -0.8, 0, 1.5} // b0…b4, pricing events
	synthSchema   = icp.Schema{"b0", "b1", "b2", "b3", "b4"}
)

// synthModel is the "current" model: every criterion and the signal worth
// 10 points, however much it really matters.
func synthModel() icp.Model {
	m := icp.DefaultModel()
	m.Disqualifiers = nil
	for i := range 5 {
		m.Firmographic = append(m.Firmographic, icp.Criterion{ID: fmt.Sprintf("b%d", i), Field: fmt.Sprintf("b%d", i), Op: icp.OpIsTrue, Points: 10})
	}
	m.Behavioural = []icp.Signal{{ID: "pricing", Event: "pricing_page", Points: 10}}
	m.FitGate = icp.FitGate{Off: true}
	return m
}

// synthOutcomes draws n leads from the generating model: each attribute true
// with probability 0.4, 0–3 pricing-page events (no decay), and a
// disposition Accepted or Bad fit drawn with the true probability. It
// returns the outcomes and the true probabilities.
func synthOutcomes(rng *rand.Rand, n int) ([]icp.Outcome, []float64) {
	out := make([]icp.Outcome, n)
	prob := make([]float64, n)
	for i := range out {
		z := trueIntercept
		vals := make([]icp.Value, 5)
		for j := range vals {
			b := rng.Float64() < 0.4
			vals[j] = icp.Bool(b)
			if b {
				z += trueBeta[j]
			}
		}
		k := rng.IntN(4)
		var evs []icp.Event
		for range k {
			evs = append(evs, icp.Event{Type: "pricing_page", At: asOf.Add(-time.Duration(1+rng.IntN(20)) * 24 * time.Hour)})
		}
		z += trueBeta[5] * float64(k)
		prob[i] = 1 / (1 + math.Exp(-z))
		d := "Bad fit"
		if rng.Float64() < prob[i] {
			d = "Accepted"
		}
		out[i] = icp.Outcome{Record: icp.Record{ID: fmt.Sprintf("S%05d", i), Values: vals, Events: evs}, At: asOf, Disposition: d}
	}
	return out, prob
}

func TestCalibrateRecoversKnownWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 4))
	data, _ := synthOutcomes(rng, 8000)
	s, err := synthModel().Compile(synthSchema)
	require.NoError(t, err)
	prop, errs, err := s.Calibrate(data, icp.DefaultCalibration())
	require.NoError(t, err)
	require.Empty(t, errs)

	// Signs and rank order of the true weights.
	var proposed []float64
	for j, w := range prop.Weights {
		proposed = append(proposed, w.Proposed)
		if trueBeta[j] != 0 {
			assert.Equal(t, math.Signbit(trueBeta[j]), math.Signbit(w.Beta), "%s: β %v, true %v", w.ID, w.Beta, trueBeta[j])
			assert.InDelta(t, trueBeta[j], w.Beta, 0.25, w.ID)
		}
	}
	assert.Equal(t, rank(trueBeta), rank(proposed), "proposed points %v", proposed)
	assert.InDelta(t, 0.0, prop.Weights[4].Beta, 0.2, "b4 does not matter")
	assert.InDelta(t, trueIntercept, prop.Intercept, 0.25)

	// k makes the proposed weights as large in total as the current ones:
	// 6 × 10 points.
	var sum float64
	for _, w := range prop.Weights {
		sum += math.Abs(w.Beta)
	}
	assert.InDelta(t, 60/sum, prop.PointsPerLogit, 1e-9)
	assert.Equal(t, math.Round(prop.PointsPerLogit*prop.Weights[0].Beta), prop.Model.Firmographic[0].Points)
	assert.Equal(t, math.Round(prop.PointsPerLogit*prop.Weights[5].Beta), prop.Model.Behavioural[0].Points)

	// On fresh data from the same generator, the proposed points rank leads
	// within 0.02 AUC of the generating model itself.
	fresh, truth := synthOutcomes(rand.New(rand.NewPCG(99, 1)), 6000)
	next, err := prop.Model.Compile(synthSchema)
	require.NoError(t, err)
	var scores, ys []float64
	for _, o := range fresh {
		r, err := next.Score(o.Record, o.At)
		require.NoError(t, err)
		scores = append(scores, r.Total)
		ys = append(ys, b2f(o.Disposition == "Accepted"))
	}
	aucTrue, aucProposed := mannWhitney(truth, ys), mannWhitney(scores, ys)
	assert.InDelta(t, aucTrue, aucProposed, 0.02, "generating model %.4f, proposed %.4f", aucTrue, aucProposed)
	// And the held-out AUC the proposal reports agrees.
	assert.InDelta(t, aucTrue, prop.Proposed.AUC, 0.03)
	assert.Greater(t, prop.Proposed.AUC, prop.Current.AUC, "equal weights rank worse than fitted ones")
	assert.Less(t, prop.Proposed.LogLoss, prop.Current.LogLoss)
	assert.Less(t, prop.Proposed.Brier, prop.Current.Brier)

	// Counts: stratified 70/30 split of every labelled outcome.
	c := prop.Counts
	assert.Equal(t, 8000, c.Outcomes)
	assert.Equal(t, 8000, c.Labelled)
	assert.Equal(t, c.Labelled, c.Train+c.Holdout)
	assert.Equal(t, c.Labelled, c.Positive+c.Negative)
	assert.InDelta(t, 2400, c.Holdout, 1)
	assert.Equal(t, c.Holdout, prop.Current.Tiers.Leads)
	assert.Equal(t, c.Holdout, prop.Proposed.Tiers.Leads)

	// Reliability bins cover the holdout, and observed rates follow the
	// predictions: the expected calibration error (the leads-weighted mean
	// gap) is small. It is not 0 even with much data, because group floors
	// bend the score: a lead whose only fit is a negative criterion scores 0
	// like a lead with none.
	var binned int
	var gap float64
	for _, b := range prop.Proposed.Reliability {
		binned += b.Leads
		gap += float64(b.Leads) * math.Abs(b.Predicted-b.Observed)
	}
	assert.Equal(t, c.Holdout, binned)
	assert.Less(t, gap/float64(binned), 0.05)
	require.Len(t, prop.Proposed.Reliability, 10)

	// The proposed model is a new, unsigned version of the current one.
	assert.Nil(t, prop.Model.Signatures)
	assert.NotEmpty(t, prop.Changes)
	assert.Equal(t, "firmographic[b0].points", prop.Changes[0].Path)

	// Same data, same seed, same proposal.
	again, _, err := s.Calibrate(data, icp.DefaultCalibration())
	require.NoError(t, err)
	assert.Equal(t, prop, again)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// rank returns the positions of xs sorted ascending (ties by index).
func rank(xs []float64) []int {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	return idx
}

// mannWhitney is the AUC by counting pairs: the share of (accepted,
// rejected) pairs the scores order correctly, ties counting one half.
func mannWhitney(s, y []float64) float64 {
	type pt struct{ s, y float64 }
	pts := make([]pt, len(s))
	for i := range s {
		pts[i] = pt{s[i], y[i]}
	}
	slices.SortFunc(pts, func(a, b pt) int { return cmpF(a.s, b.s) })
	// Walk groups of tied scores, counting negatives below.
	var negBelow, pos, neg, good float64
	for i := 0; i < len(pts); {
		j := i
		var p, n float64
		for j < len(pts) && pts[j].s == pts[i].s {
			if pts[j].y == 1 {
				p++
			} else {
				n++
			}
			j++
		}
		good += p*negBelow + p*n/2
		negBelow += n
		pos += p
		neg += n
		i = j
	}
	return good / (pos * neg)
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestCalibrateAccountsForEveryOutcome(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	data, _ := synthOutcomes(rng, 1500)
	data[0].Disposition = "Duplicate"
	data[1].Disposition = "No response"
	data[2].Disposition = ""
	data[3].Disposition = "Wrong person"
	data[4].At = time.Time{}
	data[5].Record.Values = data[5].Record.Values[:2]
	data[6].Disposition = "Nurture"
	data[7].Disposition = "Accepted"
	data[7].Record.Events = append(data[7].Record.Events[:len(data[7].Record.Events):len(data[7].Record.Events)], icp.Event{Type: "pricing_page"})
	m := synthModel()
	m.Disqualifiers = []icp.Disqualifier{{ID: "b4_dq", Field: "b4", Op: icp.OpIsTrue}}
	m.Firmographic = m.Firmographic[:4]
	s, err := m.Compile(synthSchema)
	require.NoError(t, err)
	cfg := icp.DefaultCalibration()
	cfg.MinLabelled = 500
	prop, errs, err := s.Calibrate(data, cfg)
	require.NoError(t, err)

	require.Len(t, errs, 4)
	assert.Equal(t, []string{"S00003", "S00004", "S00005", "S00007"}, []string{errs[0].ID, errs[1].ID, errs[2].ID, errs[3].ID})
	assert.ErrorContains(t, errs[0], `disposition: no label for this disposition code: add it to the calibration labels, got "Wrong person"`)
	assert.ErrorContains(t, errs[1], "outcome needs the instant the lead was handed over")
	assert.ErrorIs(t, errs[2], revalign.ErrInvalid)
	assert.ErrorContains(t, errs[3], `events[`)
	assert.ErrorContains(t, errs[3], `"pricing_page" event needs a time`)

	c := prop.Counts
	assert.Equal(t, map[string]int{"Duplicate": 1, "No response": 1}, c.Excluded)
	assert.Equal(t, 1, c.Undispositioned)
	assert.Equal(t, 4, c.Rejected)
	assert.Greater(t, c.Disqualified, 400, "b4 is true for ~40%% of leads")
	assert.Equal(t, c.Outcomes, c.Labelled+c.Undispositioned+c.Rejected+c.Disqualified+2)
	assert.Len(t, prop.Weights, 5, "4 criteria and 1 signal; disqualifiers are not features")
	for _, w := range prop.Weights {
		assert.Greater(t, w.Share, 0.0, w.ID)
		assert.Less(t, w.Share, 1.0, w.ID)
	}
	assert.Equal(t, m.Disqualifiers, prop.Model.Disqualifiers, "disqualifiers are untouched")
}

func TestCalibrateNeedsEnoughOutcomes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	data, _ := synthOutcomes(rng, 400)
	s, err := synthModel().Compile(synthSchema)
	require.NoError(t, err)
	prop, _, err := s.Calibrate(data, icp.DefaultCalibration())
	require.ErrorIs(t, err, icp.ErrTooFewOutcomes)
	assert.ErrorContains(t, err, "icp: calibrate: 400 labelled outcomes")
	assert.ErrorContains(t, err, "need 1000 with 120 of each")
	assert.Equal(t, 400, prop.Counts.Labelled)

	// Enough outcomes, too few of one class.
	for i := range data {
		data[i].Disposition = "Bad fit"
	}
	data[0].Disposition = "Accepted"
	cfg := icp.DefaultCalibration()
	cfg.MinLabelled = 100
	_, _, err = s.Calibrate(data, cfg)
	assert.ErrorIs(t, err, icp.ErrTooFewOutcomes)

	cfg.HoldoutFraction = 1
	_, _, err = s.Calibrate(data, cfg)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestCalibrationValidate(t *testing.T) {
	require.NoError(t, icp.DefaultCalibration().Validate())
	c := icp.DefaultCalibration()
	c.L2, c.HoldoutFraction, c.MinLabelled, c.MinPerClass, c.PointsPerLogit, c.ReliabilityBins = -1, 0, 1, 0, math.NaN(), 0
	err := c.Validate()
	for _, want := range []string{"l2: must be >= 0, got -1", "holdout_fraction: must be in (0,1), got 0", "min_labelled: must be >= 2, got 1",
		"min_per_class: must be >= 1, got 0", "points_per_logit: must be >= 0 (0: automatic), got NaN", "reliability_bins: must be in [1,100], got 0"} {
		assert.ErrorContains(t, err, want)
	}
}

func TestCalibrateWithFixedScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	data, _ := synthOutcomes(rng, 3000)
	s, err := synthModel().Compile(synthSchema)
	require.NoError(t, err)
	cfg := icp.DefaultCalibration()
	cfg.PointsPerLogit = 20
	prop, _, err := s.Calibrate(data, cfg)
	require.NoError(t, err)
	assert.Equal(t, 20.0, prop.PointsPerLogit)
	for _, w := range prop.Weights {
		assert.Equal(t, math.Round(20*w.Beta), w.Proposed)
	}
}

func TestCalibrationLoadsFromYAML(t *testing.T) {
	var c icp.Calibration
	require.NoError(t, config.Unmarshal([]byte(`
labels: {Accepted: positive, "Bad fit": negative, Nurture: excluded, "Wrong person": negative}
l2: 0.01
holdout_fraction: 0.25
min_labelled: 500
min_per_class: 50
points_per_logit: 0
reliability_bins: 5
seed: 7
`), &c))
	assert.Equal(t, icp.Calibration{
		Labels: icp.Labels{"Accepted": icp.Positive, "Bad fit": icp.Negative, "Nurture": icp.Excluded, "Wrong person": icp.Negative},
		L2:     0.01, HoldoutFraction: 0.25, MinLabelled: 500, MinPerClass: 50, ReliabilityBins: 5, Seed: 7,
	}, c)
	err := config.Unmarshal([]byte("labels: {Accepted: maybe}\n"), &c)
	assert.ErrorContains(t, err, `unknown label "maybe"`)
}

// FuzzCalibrationJSON decodes arbitrary JSON as a calibration: no panic,
// and whatever validates has labels to learn from.
func FuzzCalibrationJSON(f *testing.F) {
	b, _ := json.Marshal(icp.DefaultCalibration())
	f.Add(b)
	f.Add([]byte(`{"labels":{"a":"positive","A ":"negative"},"holdout_fraction":0.5,"min_labelled":2,"min_per_class":1,"reliability_bins":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c icp.Calibration
		if json.Unmarshal(data, &c) != nil {
			return
		}
		if err := c.Validate(); err != nil {
			require.ErrorIs(t, err, revalign.ErrInvalid)
			return
		}
		var pos, neg bool
		for code, lab := range c.Labels {
			got, ok := c.Labels.Lookup(code)
			require.True(t, ok)
			require.Equal(t, lab, got)
			pos = pos || lab == icp.Positive
			neg = neg || lab == icp.Negative || lab == icp.HalfNegative
		}
		require.True(t, pos && neg)
		require.True(t, c.HoldoutFraction > 0 && c.HoldoutFraction < 1)
	})
}
