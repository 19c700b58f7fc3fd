package cadence

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// realisticSnapshots builds this week's snapshot of n open deals and last
// week's, with the proportions of a B2B pipeline: amounts log-normal around
// 20,000 (about 1 deal in 5 at or over 50,000), days in stage exponential
// with a mean of 15 (about 1 in 4 stalled), close dates over two quarters,
// 3% without an owner, 10% without a dated next action, 10% with one in the
// past, 15% waiting on the buyer, a stall reason on 1 deal in 5; week over
// week 8% of last week's deals closed, 10% of this week's are new, and 1 in
// 5 changed amount, stage or close date.
func realisticSnapshots(r *rand.Rand, n int) ReviewInput {
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, newYork)
	cats := []string{"Commit", "Best case", "Pipeline", "Pipeline", "Omitted"}
	stages := []string{"Discovery", "Qualification", "Proposal", "Negotiation"}
	reasons := []string{"Security questionnaire outstanding", "Legal redlines", "No budget", "Champion left", "Waiting on procurement"}
	owners := make([]revalign.Owner, 40)
	for i := range owners {
		owners[i] = revalign.Owner{Name: fmt.Sprintf("Rep %02d", i), Team: revalign.Sales}
	}
	amount := func() decimal.Decimal {
		return decimal.New(int64(math.Round(20000*math.Exp(r.NormFloat64()))), 0)
	}
	mk := func(id string) Deal {
		d := Deal{
			ID: id, Owner: owners[r.IntN(len(owners))], Stage: stages[r.IntN(len(stages))], Currency: "USD", Amount: amount(),
			StageEnteredAt:   asOf.AddDate(0, 0, -int(r.ExpFloat64()*15)),
			CloseDate:        day(2026, 8, 1).AddDate(0, 0, r.IntN(184)),
			ForecastCategory: cats[r.IntN(len(cats))],
			NextAction:       "Next step", NextActionDate: day(2026, 9, 28).AddDate(0, 0, r.IntN(14)),
		}
		switch x := r.Float64(); {
		case x < 0.10:
			d.NextAction, d.NextActionDate = "", time.Time{}
		case x < 0.20:
			d.NextActionDate = day(2026, 9, 27).AddDate(0, 0, -r.IntN(30))
		}
		if r.Float64() < 0.03 {
			d.Owner = revalign.Owner{}
		}
		if r.Float64() < 0.15 {
			d.WaitingOn = Buyer
		}
		if r.Float64() < 0.20 {
			d.StallReason = reasons[r.IntN(len(reasons))]
		}
		return d
	}
	in := ReviewInput{AsOf: asOf, Period: revalign.Period{Start: time.Date(2026, 8, 1, 0, 0, 0, 0, newYork), End: time.Date(2026, 11, 1, 0, 0, 0, 0, newYork)}}
	for i := range n {
		d := mk(fmt.Sprintf("OPP-%07d", i))
		in.This = append(in.This, d)
		if r.Float64() < 0.10 {
			continue // new this week
		}
		prev := d
		if r.Float64() < 0.20 {
			prev.Amount, prev.Stage, prev.CloseDate = amount(), stages[r.IntN(len(stages))], d.CloseDate.AddDate(0, 0, -r.IntN(40))
		}
		in.Last = append(in.Last, prev)
	}
	for i := 0; len(in.Last) < n; i++ {
		id := fmt.Sprintf("OPP-C%06d", i)
		in.Last = append(in.Last, mk(id))
		in.Closed = append(in.Closed, Closed{ID: id, Won: r.IntN(3) == 0, ClosedOn: day(2026, 9, 25)})
	}
	r.Shuffle(len(in.Last), func(i, j int) { in.Last[i], in.Last[j] = in.Last[j], in.Last[i] })
	return in
}

// BenchmarkPipelineReview reviews two snapshots of 100,000 deals each with
// the default policy (see realisticSnapshots for the mix). Target: under
// 200 ms per op.
func BenchmarkPipelineReview(b *testing.B) {
	in := realisticSnapshots(rand.New(rand.NewPCG(42, 42)), 100_000)
	p := DefaultPipelinePolicy()
	rv, err := p.Review(in)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d/%d deals: %d over threshold, %d passive, %d stalled, %d changes, %d commitments",
		len(in.This), len(in.Last), len(rv.OverThreshold), len(rv.Passive), len(rv.Stalled), len(rv.Delta.Changes), len(rv.Commitments))
	b.ReportAllocs()
	for b.Loop() {
		rv, err := p.Review(in)
		if err != nil || !rv.Delta.Reconciles {
			b.Fatal(err)
		}
	}
}

// BenchmarkPipelineReviewUnkempt is the review of a neglected pipeline of
// 100,000 deals a snapshot: about two thirds of the deals over the
// threshold, in passive voice and stalled, so every list is long.
func BenchmarkPipelineReviewUnkempt(b *testing.B) {
	in := randomSnapshots(rand.New(rand.NewPCG(42, 42)), 133_000)
	p := DefaultPipelinePolicy()
	b.ReportAllocs()
	for b.Loop() {
		rv, err := p.Review(in)
		if err != nil || !rv.Delta.Reconciles {
			b.Fatal(err)
		}
	}
}

// BenchmarkSchedule dates the default cadence over a fiscal year with
// holidays.
func BenchmarkSchedule(b *testing.B) {
	c := DefaultCadence()
	c.Calendar = revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: newYork}
	c.Holidays = usHolidays()
	from := time.Date(2026, 2, 1, 0, 0, 0, 0, newYork)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Schedule(from, from.AddDate(1, 0, 0), nil); err != nil {
			b.Fatal(err)
		}
	}
}
