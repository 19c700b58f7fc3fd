package diagnostic

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

// quarter builds a period with the four core measures and content
// utilisation; samples are arbitrary but non-zero.
func quarter(label string, acceptance, compliance, influenced, variance float64) PeriodMetrics {
	return PeriodMetrics{
		Period:               label,
		MQLAcceptance:        Measure{acceptance, 200},
		FirstTouchCompliance: Measure{compliance, 240},
		InfluencedShare:      Measure{influenced, 31},
		ForecastVariance:     Measure{variance, 1},
	}
}

func TestScorecardVerdicts(t *testing.T) {
	base := quarter("FY2026-Q4", 0.70, 0.80, 0.40, 0.20)
	cases := []struct {
		name     string
		latest   PeriodMetrics
		verdict  Verdict
		improved []Metric
		declined []Metric
	}{
		{"all four together", quarter("FY2027-Q1", 0.78, 0.91, 0.45, 0.08), AlignmentIsReal,
			[]Metric{MQLAcceptance, FirstTouchCompliance, InfluencedShare, ForecastVariance}, []Metric{}},
		{"only acceptance", quarter("FY2027-Q1", 0.80, 0.80, 0.38, 0.25), ActivityNotAlignment,
			[]Metric{MQLAcceptance}, []Metric{InfluencedShare, ForecastVariance}},
		{"only variance (lower is better)", quarter("FY2027-Q1", 0.70, 0.79, 0.40, 0.10), ActivityNotAlignment,
			[]Metric{ForecastVariance}, []Metric{FirstTouchCompliance}},
		{"two of four", quarter("FY2027-Q1", 0.72, 0.85, 0.40, 0.20), PartialImprovement,
			[]Metric{MQLAcceptance, FirstTouchCompliance}, []Metric{}},
		{"none", quarter("FY2027-Q1", 0.60, 0.70, 0.30, 0.30), NoImprovement,
			[]Metric{}, []Metric{MQLAcceptance, FirstTouchCompliance, InfluencedShare, ForecastVariance}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			card, err := NewScorecard([]PeriodMetrics{base, c.latest})
			require.NoError(t, err)
			assert.Equal(t, c.verdict, card.Verdict)
			assert.Equal(t, c.improved, card.Improved)
			assert.Equal(t, c.declined, card.Declined)
			assert.Equal(t, []string{"FY2026-Q4", "FY2027-Q1"}, card.Periods)
			require.Len(t, card.Metrics, 7)
		})
	}
}

func TestScorecardInconclusive(t *testing.T) {
	card, err := NewScorecard([]PeriodMetrics{quarter("Q1", 0.8, 0.95, 0.5, 0.1)})
	require.NoError(t, err)
	assert.Equal(t, Inconclusive, card.Verdict)
	row, _ := card.Metric(MQLAcceptance)
	assert.Equal(t, TrendUnknown, row.Trend)
	assert.Equal(t, Met, row.Latest().Status, "one period still reports the target")

	// Influenced share not measured in the latest period: no verdict, even
	// though the other three improved.
	late := quarter("Q2", 0.9, 0.97, 0, 0.05)
	late.InfluencedShare = Measure{}
	card, err = NewScorecard([]PeriodMetrics{quarter("Q1", 0.8, 0.95, 0.5, 0.1), late})
	require.NoError(t, err)
	assert.Equal(t, Inconclusive, card.Verdict)
	assert.Equal(t, 3, card.CoreImproved)
	row, _ = card.Metric(InfluencedShare)
	assert.Equal(t, TrendUnknown, row.Trend)
	assert.Equal(t, NoData, row.Latest().Status)
}

func TestScorecardTargets(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Targets.ForecastVariance = 0.10
	card, err := cfg.NewScorecard([]PeriodMetrics{
		quarter("Q1", 0.7499, 0.90, 0.4, 0.10),
		quarter("Q2", 0.75, 0.8999, 0.4, 0.1001),
	})
	require.NoError(t, err)
	status := func(m Metric) []Status {
		row, ok := card.Metric(m)
		require.True(t, ok)
		var out []Status
		for _, r := range row.Readings {
			out = append(out, r.Status)
		}
		return out
	}
	// Edges: at the target is met; for variance at most the target is met.
	assert.Equal(t, []Status{Missed, Met}, status(MQLAcceptance))
	assert.Equal(t, []Status{Met, Missed}, status(FirstTouchCompliance))
	assert.Equal(t, []Status{Met, Missed}, status(ForecastVariance))
	assert.Equal(t, []Status{NoTarget, NoTarget}, status(InfluencedShare))
	assert.Equal(t, []Status{NoData, NoData}, status(WinRate))

	row, _ := card.Metric(MQLAcceptance)
	assert.Equal(t, 0.75, row.Target)
	assert.True(t, row.Core)
	assert.Equal(t, "MQL acceptance rate", row.Title)
	row, _ = card.Metric(ForecastVariance)
	assert.True(t, row.LowerIsBetter)
	assert.InDelta(t, 0.0001, row.Change, 1e-12)
	assert.Equal(t, Declined, row.Trend)
}

func TestScorecardMinChange(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MinChange = 0.01
	card, err := cfg.NewScorecard([]PeriodMetrics{
		quarter("Q1", 0.70, 0.80, 0.40, 0.20),
		quarter("Q2", 0.705, 0.82, 0.40, 0.195),
	})
	require.NoError(t, err)
	trends := map[Metric]Trend{}
	for _, r := range card.Metrics {
		trends[r.Metric] = r.Trend
	}
	assert.Equal(t, Flat, trends[MQLAcceptance], "+0.5 points is within 1 point")
	assert.Equal(t, Improved, trends[FirstTouchCompliance])
	assert.Equal(t, Flat, trends[InfluencedShare])
	assert.Equal(t, Flat, trends[ForecastVariance])
	assert.Equal(t, ActivityNotAlignment, card.Verdict)
}

func TestScorecardFloatNoise(t *testing.T) {
	// 0.1 + 0.2 is 0.30000000000000004 in float64: a metric computed one
	// way in one quarter and another way in the next has not moved. The
	// sum is computed at run time (constant arithmetic would be exact).
	a, b := 0.1, 0.2
	noisy := a + b
	require.NotEqual(t, 0.3, noisy)
	for _, c := range []struct {
		name          string
		first, latest float64
	}{{"up by rounding", 0.3, noisy}, {"down by rounding", noisy, 0.3}} {
		t.Run(c.name, func(t *testing.T) {
			card, err := NewScorecard([]PeriodMetrics{
				quarter("Q1", c.first, c.first, c.first, c.first),
				quarter("Q2", c.latest, c.latest, c.latest, c.latest),
			})
			require.NoError(t, err)
			for _, m := range []Metric{MQLAcceptance, FirstTouchCompliance, InfluencedShare, ForecastVariance} {
				row, _ := card.Metric(m)
				assert.Equal(t, Flat, row.Trend, m.String())
			}
			assert.Empty(t, card.Improved)
			assert.Empty(t, card.Declined)
			assert.Equal(t, NoImprovement, card.Verdict)
		})
	}
	// A real change of a millionth of a point still counts by default.
	card, err := NewScorecard([]PeriodMetrics{
		quarter("Q1", 0.3, 0.3, 0.3, 0.3), quarter("Q2", 0.300001, 0.300001, 0.300001, 0.299999),
	})
	require.NoError(t, err)
	assert.Equal(t, AlignmentIsReal, card.Verdict)
}

func TestScorecardReversal(t *testing.T) {
	// Q1 → Q3 every core measure is better, but in Q2 all four went
	// backwards: that is not "improving together", and the verdict must
	// not say alignment is real.
	card, err := NewScorecard([]PeriodMetrics{
		quarter("Q1", 0.60, 0.80, 0.40, 0.20),
		quarter("Q2", 0.55, 0.70, 0.20, 0.40),
		quarter("Q3", 0.65, 0.85, 0.45, 0.15),
	})
	require.NoError(t, err)
	assert.Equal(t, NoImprovement, card.Verdict)
	assert.Zero(t, card.CoreImproved)
	assert.Empty(t, card.Improved)
	assert.Empty(t, card.Declined)
	assert.Equal(t, []Metric{MQLAcceptance, FirstTouchCompliance, InfluencedShare, ForecastVariance}, card.Reversed)
	row, _ := card.Metric(MQLAcceptance)
	assert.Equal(t, Reversed, row.Trend)
	assert.InDelta(t, 0.05, row.Change, 1e-12, "the change is still latest − baseline")
	require.Len(t, row.Readings, 3)
	assert.Equal(t, 0.55, row.Readings[1].Value)

	// One measure falling back in between is enough to withhold the verdict.
	card, err = NewScorecard([]PeriodMetrics{
		quarter("Q1", 0.60, 0.80, 0.40, 0.20),
		quarter("Q2", 0.62, 0.82, 0.42, 0.25),
		quarter("Q3", 0.65, 0.85, 0.45, 0.15),
	})
	require.NoError(t, err)
	assert.Equal(t, PartialImprovement, card.Verdict)
	assert.Equal(t, 3, card.CoreImproved)
	assert.Equal(t, []Metric{ForecastVariance}, card.Reversed)

	// Steady improvement, with a period that did not measure one metric
	// (skipped) and a dip within MinChange (not a reversal).
	cfg := DefaultConfig()
	cfg.MinChange = 0.01
	mid := quarter("Q2", 0.595, 0.82, 0, 0.18)
	mid.InfluencedShare = Measure{}
	card, err = cfg.NewScorecard([]PeriodMetrics{quarter("Q1", 0.60, 0.80, 0.40, 0.20), mid, quarter("Q3", 0.65, 0.85, 0.45, 0.15)})
	require.NoError(t, err)
	assert.Equal(t, AlignmentIsReal, card.Verdict)
	assert.Empty(t, card.Reversed)

	// A metric that fell overall is Declined, whatever happened in between.
	card, err = NewScorecard([]PeriodMetrics{
		quarter("Q1", 0.60, 0.80, 0.40, 0.20),
		quarter("Q2", 0.90, 0.90, 0.40, 0.20),
		quarter("Q3", 0.55, 0.80, 0.40, 0.20),
	})
	require.NoError(t, err)
	row, _ = card.Metric(MQLAcceptance)
	assert.Equal(t, Declined, row.Trend)
	row, _ = card.Metric(FirstTouchCompliance)
	assert.Equal(t, Flat, row.Trend, "back where it started")

	roundTrip(t, card)
}

func TestScorecardTrendProperties(t *testing.T) {
	// Random runs of 2–6 quarters, checked against the definition step by
	// step: Improved and Reversed end better than the baseline by more
	// than MinChange; Improved never falls back by more than MinChange
	// between measured periods, Reversed does at least once.
	r := rand.New(rand.NewPCG(7, 2027))
	cfg := DefaultConfig()
	cfg.MinChange = 0.01
	for range 2000 {
		n := 2 + r.IntN(5)
		periods := make([]PeriodMetrics, n)
		for i := range periods {
			x := math.Round(r.Float64()*40) / 100 // steps of one point, so some are ties
			periods[i] = quarter(string(rune('A'+i)), 0.5+x, 0.5+x, 0.5+x, x)
			if i > 0 && i < n-1 && r.IntN(4) == 0 {
				periods[i].MQLAcceptance = Measure{}
			}
		}
		card, err := cfg.NewScorecard(periods)
		require.NoError(t, err)
		for _, m := range []Metric{MQLAcceptance, ForecastVariance} {
			row, _ := card.Metric(m)
			var vals []float64
			for _, p := range periods {
				if v := p.Measure(m); v.Known() {
					vals = append(vals, v.Value)
				}
			}
			gain := func(a, b float64) float64 {
				if m.LowerIsBetter() {
					return a - b
				}
				return b - a
			}
			net := gain(vals[0], vals[len(vals)-1])
			fellBack := false
			for i := 1; i < len(vals); i++ {
				fellBack = fellBack || gain(vals[i-1], vals[i]) < -cfg.MinChange-1e-9
			}
			switch row.Trend {
			case Improved:
				assert.Greater(t, net, cfg.MinChange-1e-9)
				assert.False(t, fellBack, "%v improved but fell back: %v", m, vals)
			case Reversed:
				assert.Greater(t, net, cfg.MinChange-1e-9)
				assert.True(t, fellBack, "%v reversed without falling back: %v", m, vals)
			case Declined:
				assert.Less(t, net, -cfg.MinChange+1e-9)
			case Flat:
				assert.LessOrEqual(t, math.Abs(net), cfg.MinChange+1e-9)
			default:
				t.Fatalf("trend %v with both ends measured", row.Trend)
			}
		}
	}
}

func TestScorecardByState(t *testing.T) {
	q1 := quarter("Q1", 0.7, 0.8, 0.4, 0.2)
	q1.WinRate = Breakdown{Overall: Measure{0.25, 40}, ByState: map[string]Measure{
		"problem_aware": {0.10, 10}, "decision_ready": {0.40, 20}, "solution_aware": {0.20, 10},
	}}
	q1.PipelineCoverage = Breakdown{Overall: Measure{2.5, 60}}
	q2 := quarter("Q2", 0.7, 0.8, 0.4, 0.2)
	q2.WinRate = Breakdown{Overall: Measure{0.30, 50}, ByState: map[string]Measure{
		"problem_aware": {0.12, 10}, "decision_ready": {0.35, 30}, "partner_aware": {0.5, 10},
	}}
	q2.PipelineCoverage = Breakdown{Overall: Measure{3.1, 70}}
	card, err := NewScorecard([]PeriodMetrics{q1, q2})
	require.NoError(t, err)
	row, _ := card.Metric(WinRate)
	assert.Equal(t, Improved, row.Trend)
	require.Len(t, row.States, 4)
	byName := map[string]StateTrend{}
	var names []string
	for _, s := range row.States {
		byName[s.State] = s
		names = append(names, s.State)
	}
	assert.Equal(t, []string{"decision_ready", "partner_aware", "problem_aware", "solution_aware"}, names)
	assert.Equal(t, Declined, byName["decision_ready"].Trend)
	assert.InDelta(t, -0.05, byName["decision_ready"].Change, 1e-12)
	assert.Equal(t, Improved, byName["problem_aware"].Trend)
	assert.Equal(t, TrendUnknown, byName["partner_aware"].Trend)
	assert.Equal(t, []Measure{{}, {0.5, 10}}, byName["partner_aware"].Values)
	assert.Equal(t, TrendUnknown, byName["solution_aware"].Trend)

	cov, _ := card.Metric(PipelineCoverage)
	assert.Equal(t, Improved, cov.Trend)
	assert.Nil(t, cov.States)
	assert.Equal(t, []Metric{PipelineCoverage, WinRate}, card.Improved)
	assert.Equal(t, NoImprovement, card.Verdict, "non-core improvements do not make alignment")

	roundTrip(t, card)

	pb, err := json.Marshal(q2)
	require.NoError(t, err)
	var pback PeriodMetrics
	require.NoError(t, json.Unmarshal(pb, &pback))
	assert.Equal(t, q2, pback)
}

func TestScorecardBadInput(t *testing.T) {
	good := func() PeriodMetrics { return quarter("Q1", 0.7, 0.8, 0.4, 0.2) }
	cases := []struct {
		name string
		in   func() []PeriodMetrics
		want []string
	}{
		{"no periods", func() []PeriodMetrics { return nil }, []string{
			"diagnostic: periods: need at least one period"}},
		{"blank and repeated labels", func() []PeriodMetrics {
			a, b, c := good(), good(), good()
			b.Period = ""
			return []PeriodMetrics{a, b, c}
		}, []string{
			`diagnostic: periods[1].period: period needs a label, got ""`,
			`diagnostic: periods[2].period: repeats the label of periods[0], got "Q1"`}},
		{"rate above 1", func() []PeriodMetrics { p := good(); p.MQLAcceptance.Value = 75; return []PeriodMetrics{p} }, []string{
			"diagnostic: periods[0].mql_acceptance.value: must be in [0,1], got 75"}},
		{"negative variance and sample", func() []PeriodMetrics {
			p := good()
			p.ForecastVariance = Measure{-0.1, -1}
			return []PeriodMetrics{p}
		}, []string{
			"diagnostic: periods[0].forecast_variance.n: must be >= 0, got -1",
			"diagnostic: periods[0].forecast_variance.value: must be >= 0, got -0.1"}},
		{"NaN", func() []PeriodMetrics { p := good(); p.InfluencedShare.Value = math.NaN(); return []PeriodMetrics{p} }, []string{
			"diagnostic: periods[0].influenced_share.value: must be finite, got NaN"}},
		{"value without sample", func() []PeriodMetrics {
			p := good()
			p.ContentUtilization = Measure{Value: 0.4}
			return []PeriodMetrics{p}
		}, []string{
			"diagnostic: periods[0].content_utilization.value: a value needs its sample size: set n > 0 (n = 0 means not measured), got 0.4"}},
		{"bad state", func() []PeriodMetrics {
			p := good()
			p.WinRate = Breakdown{Overall: Measure{0.3, 10}, ByState: map[string]Measure{"": {0.2, 3}, "unaware": {1.2, 4}}}
			return []PeriodMetrics{p}
		}, []string{
			`diagnostic: periods[0].win_rate.by_state.: demand state needs a name, got ""`,
			"diagnostic: periods[0].win_rate.by_state.unaware.value: must be in [0,1], got 1.2"}},
		{"coverage may exceed 1 but not be negative", func() []PeriodMetrics {
			p := good()
			p.PipelineCoverage = Breakdown{Overall: Measure{3.5, 10}, ByState: map[string]Measure{"unaware": {-1, 2}}}
			return []PeriodMetrics{p}
		}, []string{
			"diagnostic: periods[0].pipeline_coverage.by_state.unaware.value: must be >= 0, got -1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewScorecard(c.in())
			assert.Equal(t, c.want, messages(t, err))
		})
	}
	bad := DefaultConfig()
	bad.Targets.WinRate = 2
	_, err := bad.NewScorecard([]PeriodMetrics{good()})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestVerdictText(t *testing.T) {
	for v := AlignmentIsReal; v <= Inconclusive; v++ {
		assert.NotEqual(t, v.String(), v.Explain())
		b, err := v.MarshalText()
		require.NoError(t, err)
		var back Verdict
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, v, back)
	}
	assert.Equal(t, "verdict(9)", Verdict(9).Explain())
	assert.Equal(t, "Pipeline coverage by demand state", PipelineCoverage.Title())
	assert.Equal(t, "metric(12)", Metric(12).Title())
}
