package velocity

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/stats"
)

// Simulation configures the Monte Carlo forecast of an open pipeline. Per
// run and per deal it draws whether the deal closes in the period (a
// Normal close-date slip), whether it is won (a Bernoulli outcome on a
// Beta-distributed win probability around the deal's rate) and what it is
// worth (a LogNormal factor on its amount), with gonum's distuv.
//
// A win probability drawn for one deal alone, p ~ Beta(α, β), followed by
// a Bernoulli outcome is exactly a Bernoulli outcome with probability
// α/(α+β), the deal's rate: per deal, the Beta widens nothing, so the
// simulation draws that outcome directly (same distribution, half the
// time). The Beta matters when deals share a draw: set ShareRates to draw
// one probability per run for all deals of the same segment, stage and
// rate, so that a good or a bad quarter moves them together, which is what
// widens P10–P90.
type Simulation struct {
	// Runs is the number of simulated periods. Defaults to 10,000.
	Runs int `json:"runs"`
	// Concentration is α+β of the Beta around a probability p (α = p·κ,
	// β = (1−p)·κ): larger is tighter, 0 draws no Beta. It shapes shared
	// rates only (see ShareRates). Defaults to 20.
	Concentration float64 `json:"concentration"`
	// ShareRates draws one win probability per run for each group of deals
	// with the same segment, stage and rate, instead of one per deal.
	ShareRates bool `json:"share_rates,omitempty"`
	// SlipMeanDays is the mean of the Normal close-date slip, in days
	// (positive: later). Defaults to 14. A deal cannot close before the
	// as-of date: a slipped date before it lands on it.
	SlipMeanDays float64 `json:"slip_mean_days"`
	// SlipSDDays is the slip's standard deviation in days, >= 0; 0 with a
	// zero mean draws no slip. Defaults to 21.
	SlipSDDays float64 `json:"slip_sd_days"`
	// AmountSigma is the σ of the LogNormal factor on a won deal's amount,
	// with its mean held at the amount (μ = −σ²/2). 0 keeps amounts as they
	// are. Defaults to 0.2.
	AmountSigma float64 `json:"amount_sigma"`
}

// DefaultSimulation returns 10,000 runs, per-deal outcomes, a Beta
// concentration of 20, a slip of 14 ± 21 days and a LogNormal amount σ of
// 0.2.
func DefaultSimulation() Simulation {
	return Simulation{Runs: 10_000, Concentration: 20, SlipMeanDays: 14, SlipSDDays: 21, AmountSigma: 0.2}
}

// maxRuns bounds Runs so that a typo cannot ask for terabytes.
const maxRuns = 10_000_000

// Validate reports a run count outside 1..10,000,000 and negative or
// non-finite parameters.
func (s Simulation) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(s.Runs >= 1 && s.Runs <= maxRuns, "runs", s.Runs, "must be in 1..10000000")
	v.Check(finite(s.Concentration) && s.Concentration >= 0, "concentration", s.Concentration, "must be a finite number >= 0")
	v.Check(finite(s.SlipMeanDays), "slip_mean_days", s.SlipMeanDays, "must be finite")
	v.Check(finite(s.SlipSDDays) && s.SlipSDDays >= 0, "slip_sd_days", s.SlipSDDays, "must be a finite number >= 0")
	v.Check(finite(s.AmountSigma) && s.AmountSigma >= 0 && s.AmountSigma <= 5, "amount_sigma", s.AmountSigma, "must be in [0,5]")
	return v.Err()
}

// Goal is what a forecast is for: the period whose revenue counts, the
// as-of date, what is already booked in it and the target.
type Goal struct {
	// Period is the forecast period: a deal counts when its (slipped)
	// close date falls in it. It may start after AsOf (forecasting next
	// quarter): deals landing before it starts do not count.
	Period revalign.Period `json:"period"`
	// AsOf is the forecast date; deals past their close date are taken as
	// closing on it (then slipped), and nothing closes before it.
	AsOf time.Time `json:"as_of"`
	// Booked is revenue already won in the period.
	Booked decimal.Decimal `json:"booked"`
	// Target is the revenue the period should reach.
	Target decimal.Decimal `json:"target"`
}

// Validate reports an empty period, an as-of date after the period and a
// negative booked amount.
func (g Goal) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(g.Period.End.After(g.Period.Start), "period", g.Period.String(), "must end after it starts")
	v.Check(g.AsOf.Before(g.Period.End), "as_of", g.AsOf.Format(time.DateOnly), "must be before the period ends")
	v.Check(!g.Booked.IsNegative(), "booked", g.Booked.String(), "must be >= 0")
	return v.Err()
}

// Outlook is the result of a Monte Carlo forecast. Amounts include what is
// booked and are rounded to cents; they come from float64 simulation and
// are estimates, not ledger sums.
type Outlook struct {
	// Runs is the number of simulated periods.
	Runs int `json:"runs"`
	// Seed is the seed the runs drew from; the same seed gives the same
	// outlook.
	Seed uint64 `json:"seed"`
	// Deals is the number of open deals simulated.
	Deals int `json:"deals"`
	// Booked is the revenue already won in the period (Goal.Booked).
	Booked decimal.Decimal `json:"booked"`
	// Mean is the mean revenue of the period across the runs.
	Mean decimal.Decimal `json:"mean"`
	// P10 is the 10th percentile of the runs' revenue: nine runs in ten
	// do better.
	P10 decimal.Decimal `json:"p10"`
	// P50 is the median run's revenue.
	P50 decimal.Decimal `json:"p50"`
	// P90 is the 90th percentile: one run in ten does better.
	P90 decimal.Decimal `json:"p90"`
	// Target is the period's target (Goal.Target).
	Target decimal.Decimal `json:"target"`
	// ProbTarget is the share of runs reaching the target.
	ProbTarget float64 `json:"prob_target"`
	// StageWeighted is booked + Σ amount·p of the deals expected to close
	// in the period before any slip (a past-due deal on the as-of date),
	// for comparison.
	StageWeighted decimal.Decimal `json:"stage_weighted"`
}

// simDeal is an open deal prepared for simulation.
type simDeal struct {
	amount      float64
	p           float64
	alpha, beta float64 // Beta parameters of a shared rate; alpha = 0 when p is not drawn
	close       float64 // days from the period start, not before asOfDay
	group       int     // index into the shared rates
}

type model struct {
	sim     Simulation
	deals   []simDeal
	groups  []simDeal // one per segment, stage and rate, for ShareRates
	asOfDay float64   // days from the period start; negative before it
	days    float64
	booked  float64
	mu      float64
}

// MonteCarlo simulates the open deals' revenue in the goal's period and
// returns P10/P50/P90, the mean and the probability of reaching the target.
// The same seed gives the same outlook, on any machine and with any number
// of workers (see [MonteCarloParallel]): run r draws from its own PCG
// stream (seed, r). Invalid deals are an error naming them; run
// [StageWeighted] first to sort them out.
func MonteCarlo(deals []OpenDeal, g Goal, sim Simulation, seed uint64) (Outlook, error) {
	return MonteCarloParallel(deals, g, sim, seed, 1)
}

// MonteCarloParallel is [MonteCarlo] on up to workers goroutines; the
// result is identical to MonteCarlo's for the same seed.
func MonteCarloParallel(deals []OpenDeal, g Goal, sim Simulation, seed uint64, workers int) (Outlook, error) {
	m, weighted, err := prepare(deals, g, sim)
	if err != nil {
		return Outlook{}, err
	}
	totals := make([]float64, sim.Runs)
	workers = max(1, min(workers, sim.Runs))
	if workers == 1 {
		m.simulate(totals, 0, seed)
	} else {
		var wg sync.WaitGroup
		chunk := (sim.Runs + workers - 1) / workers
		for from := 0; from < sim.Runs; from += chunk {
			to := min(from+chunk, sim.Runs)
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.simulate(totals[from:to], from, seed)
			}()
		}
		wg.Wait()
	}
	o := Outlook{Runs: sim.Runs, Seed: seed, Deals: len(deals), Booked: g.Booked, Target: g.Target,
		StageWeighted: g.Booked.Add(decimal.NewFromFloat(weighted)).Round(2)}
	target := g.Target.InexactFloat64()
	var total float64
	hits := 0
	for _, t := range totals {
		total += t
		if t >= target {
			hits++
		}
	}
	slices.Sort(totals)
	money := func(x float64) decimal.Decimal { return decimal.NewFromFloat(x).Round(2) }
	o.Mean = money(total / float64(sim.Runs))
	o.P10 = money(stats.Percentile(totals, 0.10))
	o.P50 = money(stats.Percentile(totals, 0.50))
	o.P90 = money(stats.Percentile(totals, 0.90))
	o.ProbTarget = float64(hits) / float64(sim.Runs)
	return o, nil
}

// prepare validates the inputs and converts the deals once, so that the
// simulation loop does no decimal arithmetic and no allocation.
func prepare(deals []OpenDeal, g Goal, sim Simulation) (*model, float64, error) {
	v := revalign.Validator{Pkg: "velocity"}
	v.Nest("simulation", sim.Validate())
	v.Nest("goal", g.Validate())
	for i := range deals {
		if d := &deals[i]; !d.valid() {
			v.Nest(revalign.Index("deals", i)+"("+d.ID+")", d.Validate())
		}
	}
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	loc := g.Period.Start.Location()
	m := &model{
		sim:     sim,
		deals:   make([]simDeal, len(deals)),
		days:    float64(g.Period.Days()),
		asOfDay: float64(revalign.DaysBetween(g.Period.Start, g.AsOf.In(loc))),
		booked:  toFloat(g.Booked),
		mu:      -sim.AmountSigma * sim.AmountSigma / 2,
	}
	var weighted float64
	type key struct {
		segment, stage string
		p              float64
	}
	groups := map[key]int{}
	for i, d := range deals {
		day := float64(revalign.DaysBetween(g.Period.Start, d.Close.In(loc)))
		sd := simDeal{amount: toFloat(d.Amount), p: d.Probability, close: math.Max(day, m.asOfDay)}
		if m.lands(sd.close) {
			weighted += sd.amount * sd.p
		}
		if sim.ShareRates {
			k := key{d.Segment, d.Stage, d.Probability}
			n, ok := groups[k]
			if !ok {
				n = len(m.groups)
				groups[k] = n
				s := simDeal{p: d.Probability}
				s.alpha, s.beta = betaParams(d.Probability, sim.Concentration)
				m.groups = append(m.groups, s)
			}
			sd.group = n
		}
		m.deals[i] = sd
	}
	return m, weighted, nil
}

// betaParams returns the Beta(α, β) with mean p and α+β = κ, or zeros when
// there is nothing to draw (κ = 0, or p certain).
func betaParams(p, kappa float64) (float64, float64) {
	if kappa == 0 || p <= 0 || p >= 1 {
		return 0, 0
	}
	return p * kappa, (1 - p) * kappa
}

// lands reports whether a close day (days from the period start, already
// at or after the as-of day) falls in the period: 0 ≤ day < days. With an
// as-of date before the period (a forecast of next quarter) the day can
// be negative.
func (m *model) lands(day float64) bool { return day >= 0 && day < m.days }

// simulate writes the totals of runs first, first+1, … into totals. A
// deal lands on max(close + slip, as-of) and counts when that day is in
// the period, 0 ≤ day < days. The loop tests close + slip against days
// and a floor instead: with the as-of date in the period the landing day
// is never before the start (floor −∞); with the as-of date before the
// period, it is in the period exactly when close + slip is (floor 0).
func (m *model) simulate(totals []float64, first int, seed uint64) {
	floor := math.Inf(-1)
	if m.asOfDay < 0 {
		floor = 0
	}
	src := rand.NewPCG(seed, 0)
	slip := distuv.Normal{Mu: m.sim.SlipMeanDays, Sigma: m.sim.SlipSDDays, Src: src}
	amount := distuv.LogNormal{Mu: m.mu, Sigma: m.sim.AmountSigma, Src: src}
	win := distuv.Bernoulli{Src: src}
	slips := m.sim.SlipSDDays > 0 || m.sim.SlipMeanDays != 0
	varies := m.sim.AmountSigma > 0
	shared := make([]float64, len(m.groups))
	for r := range totals {
		src.Seed(seed, uint64(first+r))
		for k, s := range m.groups {
			shared[k] = s.p
			if s.alpha > 0 {
				shared[k] = distuv.Beta{Alpha: s.alpha, Beta: s.beta, Src: src}.Rand()
			}
		}
		total := m.booked
		for i := range m.deals {
			d := &m.deals[i]
			day := d.close
			if slips {
				day += slip.Rand()
			}
			if day >= m.days || day < floor {
				continue
			}
			win.P = d.p
			if m.sim.ShareRates {
				win.P = shared[d.group]
			}
			if win.Rand() == 0 {
				continue
			}
			if varies {
				total += d.amount * amount.Rand()
			} else {
				total += d.amount
			}
		}
		totals[r] = total
	}
}
