package velocity

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// benchDeals returns n synthetic closed and open deals across three
// segments, reproducible from a fixed seed.
func benchDeals(n int) []Deal {
	r := rand.New(rand.NewPCG(7, 7))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	segs := [...]string{"SMB", "MID", "ENT"}
	deals := make([]Deal, n)
	for i := range deals {
		created := start.AddDate(0, 0, r.IntN(500))
		d := Deal{
			ID:      fmt.Sprintf("D%07d", i),
			Segment: segs[i%3],
			Created: created,
			Closed:  created.AddDate(0, 0, 5+r.IntN(150)),
			Amount:  decimal.NewNullDecimal(decimal.New(int64(5_000+r.IntN(200_000)), 0)),
			Status:  Status(1 + r.IntN(3)),
		}
		if i%50 == 0 {
			d.Amount = decimal.NullDecimal{}
		}
		d.NoDecision = d.Status == Lost && i%4 == 0
		deals[i] = d
	}
	return deals
}

func BenchmarkFromDeals(b *testing.B) {
	deals := benchDeals(1_000_000)
	loc, _ := time.LoadLocation("America/New_York")
	window := revalign.Period{Start: time.Date(2025, 4, 1, 0, 0, 0, 0, loc), End: time.Date(2026, 4, 1, 0, 0, 0, 0, loc)}
	cfg := DefaultConfig()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := FromDeals(deals, window, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPipeline returns n open deals expected to close between the as-of
// date and the end of the quarter: the worst case, where every deal can
// land in the period.
func benchPipeline(n int) ([]OpenDeal, Goal) {
	r := rand.New(rand.NewPCG(9, 9))
	q := revalign.Period{Start: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	probs := [...]float64{0.1, 0.2, 0.4, 0.6}
	deals := make([]OpenDeal, n)
	for i := range deals {
		deals[i] = OpenDeal{
			ID:          fmt.Sprintf("O%05d", i),
			Stage:       fmt.Sprint(i % 4),
			Amount:      decimal.New(int64(5_000+r.IntN(150_000)), 0),
			Probability: probs[i%4],
			Close:       q.Start.AddDate(0, 0, 30+r.IntN(62)),
		}
	}
	return deals, Goal{Period: q, AsOf: q.Start.AddDate(0, 0, 30), Target: decimal.New(60_000_000, 0)}
}

func BenchmarkMonteCarlo(b *testing.B) {
	deals, goal := benchPipeline(5_000)
	sim := DefaultSimulation()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MonteCarlo(deals, goal, sim, 42); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMonteCarloParallel(b *testing.B) {
	deals, goal := benchPipeline(5_000)
	sim := DefaultSimulation()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MonteCarloParallel(deals, goal, sim, 42, 2); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMonteCarloSharedRates(b *testing.B) {
	deals, goal := benchPipeline(5_000)
	sim := DefaultSimulation()
	sim.ShareRates = true
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MonteCarlo(deals, goal, sim, 42); err != nil {
			b.Fatal(err)
		}
	}
}
