package velocity

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

func TestStageWeighted(t *testing.T) {
	close := day(2026, 7, 1)
	deals := []OpenDeal{
		{ID: "A", Amount: dec("100000"), Probability: 0.5, Close: close, Category: Commit},
		{ID: "B", Amount: dec("50000"), Probability: 0.2, Close: close, Category: Pipeline},
		{ID: "C", Amount: dec("20000"), Probability: 0.9, Close: close, Category: Commit},
		{ID: "D", Amount: dec("10000"), Probability: 0.1, Close: close},
		{ID: "bad", Amount: dec("1"), Probability: 1.5, Close: close},
		{ID: "noclose", Amount: dec("1"), Probability: 0.5},
	}
	e, rejects := StageWeighted(deals)
	require.Len(t, rejects, 2)
	assert.Equal(t, "bad", rejects[0].ID)
	assert.Equal(t, "noclose", rejects[1].ID)
	// By hand: 50,000 + 10,000 + 18,000 + 1,000 = 79,000; variance
	// 1e10·0.25 + 2.5e9·0.16 + 4e8·0.09 + 1e8·0.09 = 2.945e9.
	assert.Equal(t, 4, e.Deals)
	assert.Equal(t, "180000", e.Amount.String())
	assert.Equal(t, "79000", e.Expected.String())
	assert.InDelta(t, 2.945e9, e.Variance, 1e-3)
	assert.InDelta(t, math.Sqrt(2.945e9), e.StdDev, 1e-6)
	require.Len(t, e.ByCategory, 3)
	assert.Equal(t, Commit, e.ByCategory[0].Category)
	assert.Equal(t, 2, e.ByCategory[0].Deals)
	assert.Equal(t, "120000", e.ByCategory[0].Amount.String())
	assert.Equal(t, "68000", e.ByCategory[0].Expected.String(), "50,000 + 18,000")
	assert.Equal(t, Pipeline, e.ByCategory[1].Category)
	assert.Equal(t, Category(0), e.ByCategory[2].Category, "uncategorised last")
	assert.Equal(t, "1000", e.ByCategory[2].Expected.String())
}

func TestCategories(t *testing.T) {
	for _, c := range []Category{Commit, BestCase, Pipeline, Omitted, Closed, Slipped} {
		b, err := c.MarshalText()
		require.NoError(t, err)
		got, err := ParseCategory(string(b))
		require.NoError(t, err)
		assert.Equal(t, c, got)
	}
	for in, want := range map[string]Category{"Best case": BestCase, "best_case": BestCase, " COMMIT ": Commit, "": 0, "upside": BestCase} {
		got, err := ParseCategory(in)
		require.NoError(t, err)
		assert.Equal(t, want, got, in)
	}
	_, err := ParseCategory("maybe")
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	var c Category
	assert.Error(t, c.UnmarshalText([]byte("maybe")))
	require.NoError(t, c.UnmarshalText([]byte("Omitted")))
	assert.Equal(t, Omitted, c)
	_, err = Category(42).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "Category(42)", Category(42).String())
	assert.Equal(t, "", Category(0).String())

	asOf := time.Date(2026, 9, 28, 10, 0, 0, 0, nyc)
	assert.Equal(t, Slipped, CategoryOf(Deal{Status: Open, Closed: day(2026, 9, 27), Category: Commit}, asOf))
	assert.Equal(t, Commit, CategoryOf(Deal{Status: Open, Closed: day(2026, 9, 28), Category: Commit}, asOf), "due today is not late")
	assert.Equal(t, Closed, CategoryOf(Deal{Status: Won, Closed: day(2026, 9, 1)}, asOf))
	assert.Equal(t, BestCase, CategoryOf(Deal{Status: Open, Category: BestCase}, asOf))
}

func TestOpenPipeline(t *testing.T) {
	asOf := time.Date(2026, 9, 28, 12, 0, 0, 0, nyc)
	rates := StageRates{Default: map[string]float64{"Proposal": 0.4, "Discovery": 0.1}, Segments: map[string]map[string]float64{"ENT": {"Proposal": 0.25}}}
	deals := []Deal{
		{ID: "p", Segment: "SMB", Stage: "Proposal", Amount: amount("1000"), Created: day(2026, 8, 1), Closed: day(2026, 10, 15), Status: Open, Category: Commit},
		{ID: "e", Segment: "ENT", Stage: "Proposal", Amount: amount("9000"), Created: day(2026, 8, 1), Closed: day(2026, 9, 1), Status: Open, Category: BestCase},
		{ID: "noamt", Stage: "Proposal", Created: day(2026, 8, 1), Closed: day(2026, 10, 1), Status: Open},
		{ID: "nostage", Stage: "Demo", Amount: amount("1"), Created: day(2026, 8, 1), Closed: day(2026, 10, 1), Status: Open},
		{ID: "noclose", Stage: "Discovery", Amount: amount("1"), Created: day(2026, 8, 1), Status: Open},
		{ID: "future", Stage: "Discovery", Amount: amount("1"), Created: day(2026, 10, 1), Status: Open},
		{ID: "wonlater", Stage: "Discovery", Amount: amount("5"), Created: day(2026, 8, 1), Closed: day(2026, 10, 1), Status: Won},
		{ID: "wonbefore", Stage: "Discovery", Amount: amount("5"), Created: day(2026, 8, 1), Closed: day(2026, 9, 1), Status: Won},
		{ID: "gbp", Stage: "Discovery", Amount: amount("5"), Currency: "GBP", Created: day(2026, 8, 1), Status: Open},
	}
	open, rejects, err := OpenPipeline(deals, rates, asOf, "USD")
	require.NoError(t, err)
	ids := []string{}
	for _, r := range rejects {
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []string{"noamt", "nostage", "noclose", "gbp"}, ids)
	require.Len(t, open, 3)
	assert.Equal(t, OpenDeal{ID: "p", Segment: "SMB", Stage: "Proposal", Category: Commit, Amount: dec("1000"), Probability: 0.4, Close: day(2026, 10, 15)}, open[0])
	assert.Equal(t, 0.25, open[1].Probability, "segment override")
	assert.Equal(t, Slipped, open[1].Category, "past its close date")
	assert.Equal(t, "wonlater", open[2].ID, "won after asOf: open as things stood")

	_, _, err = OpenPipeline(nil, StageRates{Default: map[string]float64{"x": 2}}, asOf, "USD")
	assert.ErrorContains(t, err, "velocity: default.x: must be in [0,1]")
	err = StageRates{Segments: map[string]map[string]float64{"ENT": {"x": -1}}}.Validate()
	assert.ErrorContains(t, err, "segments.ENT.x")

	var r StageRates
	require.NoError(t, config.Unmarshal([]byte("default: {Discovery: 0.1, Proposal: 0.4}\nsegments: {ENT: {Proposal: 0.25}}\n"), &r))
	p, ok := r.Of("ENT", "Discovery")
	assert.True(t, ok)
	assert.Equal(t, 0.1, p)
}

func TestCoverage(t *testing.T) {
	c, err := Coverage(dec("3000000"), dec("1500000"), dec("500000"))
	require.NoError(t, err)
	assert.InDelta(t, 3, c, 1e-12)
	_, err = Coverage(dec("1"), dec("10"), dec("10"))
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	for _, c := range []struct{ w, want float64 }{{1.0 / 3, 3}, {0.14, 7.142857142857143}, {0.38, 2.6315789473684212}} {
		got, err := RequiredCoverage(c.w)
		require.NoError(t, err)
		assert.InDelta(t, c.want, got, 1e-12)
	}
	_, err = RequiredCoverage(0)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

// pipeline returns n open deals in q with stage probabilities 0.1–0.7.
func pipeline(n int) []OpenDeal {
	out := make([]OpenDeal, n)
	for i := range out {
		out[i] = OpenDeal{ID: fmt.Sprint(i), Stage: fmt.Sprint(i % 4), Amount: decimal.New(int64(10_000+1_000*(i%37)), 0),
			Probability: 0.1 + 0.2*float64(i%4), Close: q.Start.AddDate(0, 0, 40+i%40)}
	}
	return out
}

func TestMonteCarloMeanMatchesStageWeighted(t *testing.T) {
	deals := pipeline(300)
	e, rejects := StageWeighted(deals)
	require.Empty(t, rejects)
	sim := DefaultSimulation()
	sim.SlipMeanDays, sim.SlipSDDays = 0, 0 // every deal stays in the quarter
	goal := Goal{Period: q, AsOf: q.Start, Target: e.Expected}
	o, err := MonteCarlo(deals, goal, sim, 2026)
	require.NoError(t, err)
	assert.InEpsilon(t, e.Expected.InexactFloat64(), o.Mean.InexactFloat64(), 0.01, "mean within 1%% of Σ a·p")
	assert.True(t, o.StageWeighted.Equal(e.Expected.Round(2)), "%s vs %s", o.StageWeighted, e.Expected)
	// The spread matches the independence variance within sampling error.
	sd := e.StdDev
	assert.InEpsilon(t, e.Expected.InexactFloat64()-1.2816*sd, o.P10.InexactFloat64(), 0.05)
	assert.InEpsilon(t, e.Expected.InexactFloat64()+1.2816*sd, o.P90.InexactFloat64(), 0.05)
	assert.InDelta(t, 0.5, o.ProbTarget, 0.05)
	assert.Equal(t, 300, o.Deals)
	assert.True(t, o.P10.LessThan(o.P50) && o.P50.LessThan(o.P90))
}

func TestMonteCarloDeterministic(t *testing.T) {
	deals := pipeline(200)
	goal := Goal{Period: q, AsOf: q.Start.AddDate(0, 0, 30), Booked: dec("100000"), Target: dec("1000000")}
	sim := DefaultSimulation()
	sim.Runs = 2000
	a, err := MonteCarlo(deals, goal, sim, 7)
	require.NoError(t, err)
	b, err := MonteCarlo(deals, goal, sim, 7)
	require.NoError(t, err)
	assert.Equal(t, a, b, "same seed, same outlook")
	for _, workers := range []int{2, 3, 16} {
		p, err := MonteCarloParallel(deals, goal, sim, 7, workers)
		require.NoError(t, err)
		assert.Equal(t, a, p, "%d workers", workers)
	}
	c, err := MonteCarlo(deals, goal, sim, 8)
	require.NoError(t, err)
	assert.NotEqual(t, a.P50, c.P50, "another seed, another sample")
	assert.True(t, a.P10.GreaterThanOrEqual(goal.Booked), "booked revenue is in every run")

	sim.ShareRates = true
	s, err := MonteCarlo(deals, goal, sim, 7)
	require.NoError(t, err)
	assert.True(t, s.P90.Sub(s.P10).GreaterThan(a.P90.Sub(a.P10)), "shared rates widen the spread")
}

func TestMonteCarloSlip(t *testing.T) {
	// Every deal is due on the quarter's last day; a slip of 14 days with
	// no spread pushes all of them out.
	deals := pipeline(50)
	for i := range deals {
		deals[i].Close = q.End.AddDate(0, 0, -1)
	}
	sim := Simulation{Runs: 100, SlipMeanDays: 14}
	o, err := MonteCarlo(deals, Goal{Period: q, AsOf: q.Start, Booked: dec("5"), Target: dec("6")}, sim, 1)
	require.NoError(t, err)
	assert.Equal(t, "5", o.P90.String())
	assert.Zero(t, o.ProbTarget)
	// A slip back of 14 days keeps them all in; past-due deals close from
	// asOf on.
	sim.SlipMeanDays = -14
	deals[0].Close = q.Start.AddDate(0, 0, -30)
	deals[0].Probability = 1
	o, err = MonteCarlo(deals, Goal{Period: q, AsOf: q.Start, Target: dec("0")}, sim, 1)
	require.NoError(t, err)
	assert.Equal(t, 1.0, o.ProbTarget)
	assert.True(t, o.P10.GreaterThanOrEqual(deals[0].Amount), "the certain past-due deal is in every run")
}

func TestMonteCarloErrors(t *testing.T) {
	goal := Goal{Period: q, AsOf: q.Start}
	_, err := MonteCarlo(pipeline(3), goal, Simulation{}, 1)
	assert.ErrorContains(t, err, "simulation.runs")
	_, err = MonteCarlo(pipeline(3), Goal{Period: q, AsOf: q.End}, DefaultSimulation(), 1)
	assert.ErrorContains(t, err, "goal.as_of")
	bad := pipeline(3)
	bad[1].Probability = 2
	_, err = MonteCarlo(bad, goal, DefaultSimulation(), 1)
	assert.ErrorContains(t, err, "deals[1](1).probability")
	err = Simulation{Runs: 1, Concentration: -1, SlipMeanDays: math.NaN(), SlipSDDays: -1, AmountSigma: 9}.Validate()
	for _, f := range []string{"concentration", "slip_mean_days", "slip_sd_days", "amount_sigma"} {
		assert.ErrorContains(t, err, f)
	}
	assert.ErrorContains(t, Goal{Booked: dec("-1")}.Validate(), "booked")
	var s Simulation
	require.NoError(t, config.Unmarshal([]byte(`{"runs": 500, "concentration": 10, "share_rates": true, "slip_mean_days": 7, "slip_sd_days": 14, "amount_sigma": 0.1}`), &s))
	assert.Equal(t, Simulation{Runs: 500, Concentration: 10, ShareRates: true, SlipMeanDays: 7, SlipSDDays: 14, AmountSigma: 0.1}, s)
}

// A forecast of a later period as of an earlier date: deals due before the
// period starts land before it (or at the as-of date) and do not count;
// only a slip that carries them into the period does.
func TestMonteCarloFuturePeriod(t *testing.T) {
	q4 := revalign.Period{Start: day(2026, 10, 1), End: day(2027, 1, 1)}
	asOf := day(2026, 8, 1)
	due := []OpenDeal{{ID: "aug", Amount: dec("100000"), Probability: 1, Close: day(2026, 8, 15)}}
	goal := Goal{Period: q4, AsOf: asOf, Target: dec("1")}

	o, err := MonteCarlo(due, goal, DefaultSimulation(), 1)
	require.NoError(t, err)
	assert.True(t, o.P50.IsZero(), "P50 %s: a deal due Aug 15 is not Q4 revenue", o.P50)
	assert.True(t, o.StageWeighted.IsZero(), "stage-weighted %s", o.StageWeighted)
	// Only runs that slip it 47+ days (P(N(14, 21) ≥ 47) = 5.8%) carry it
	// into Q4.
	assert.InDelta(t, 0.058, o.ProbTarget, 0.01)
	assert.True(t, o.P90.IsZero(), "P90 %s", o.P90)

	// Without a slip nothing lands in Q4; a slip of exactly 60 days lands
	// it on Oct 14.
	still := Simulation{Runs: 10}
	o, err = MonteCarlo(due, goal, still, 1)
	require.NoError(t, err)
	assert.True(t, o.P90.IsZero() && o.Mean.IsZero(), "%+v", o)
	o, err = MonteCarlo(due, goal, Simulation{Runs: 10, SlipMeanDays: 60}, 1)
	require.NoError(t, err)
	assert.Equal(t, "100000", o.P10.String())
	assert.True(t, o.StageWeighted.IsZero(), "the stage-weighted figure is before any slip")

	// A deal due in Q4 counts in both figures; a past-due deal closes from
	// the as-of date on, which is before Q4.
	in := []OpenDeal{
		{ID: "oct", Amount: dec("200"), Probability: 0.5, Close: day(2026, 10, 15)},
		{ID: "late", Amount: dec("1000"), Probability: 1, Close: day(2026, 7, 1)},
	}
	o, err = MonteCarlo(in, goal, still, 1)
	require.NoError(t, err)
	assert.Equal(t, "100", o.StageWeighted.String())
	assert.Equal(t, "200", o.P90.String())
	// Slipped 70 days from the as-of date, the past-due deal lands on Oct
	// 10, inside Q4; the October deal stays in (Dec 24).
	o, err = MonteCarlo(in, goal, Simulation{Runs: 10, SlipMeanDays: 70}, 1)
	require.NoError(t, err)
	assert.Equal(t, "1000", o.P10.String())
	assert.Equal(t, "1200", o.P90.String())
}
