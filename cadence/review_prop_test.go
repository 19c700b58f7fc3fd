package cadence

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

// randomSnapshots builds two snapshots that share about half their deals,
// with random amounts (cents), stages, close dates, categories, owners and
// next actions.
func randomSnapshots(r *rand.Rand, n int) ReviewInput {
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, newYork)
	cats := []string{"Commit", "Best case", "Pipeline", "Omitted", "omitted "}
	stages := []string{"Discovery", "Qualification", "Proposal", "Negotiation"}
	reasons := []string{"", "", "Security questionnaire outstanding", "Legal redlines", "No budget", "security questionnaire outstanding"}
	mk := func(id string) Deal {
		d := Deal{
			ID: id, Stage: stages[r.IntN(len(stages))], Currency: "USD",
			Amount:           decimal.New(r.Int64N(20_000_000), -2),
			StageEnteredAt:   asOf.AddDate(0, 0, -r.IntN(60)),
			CloseDate:        day(2026, 7, 1).AddDate(0, 0, r.IntN(200)),
			ForecastCategory: cats[r.IntN(len(cats))],
			WaitingOn:        WaitingOn(r.IntN(3)),
			StallReason:      reasons[r.IntN(len(reasons))],
		}
		if r.IntN(10) > 0 {
			d.Owner = rep(fmt.Sprintf("rep%d", r.IntN(5)))
		}
		if r.IntN(5) > 0 {
			d.NextAction, d.NextActionDate = "call", day(2026, 9, 20).AddDate(0, 0, r.IntN(20))
		}
		return d
	}
	in := ReviewInput{AsOf: asOf, Period: revalign.Period{Start: time.Date(2026, 8, 1, 0, 0, 0, 0, newYork), End: time.Date(2026, 11, 1, 0, 0, 0, 0, newYork)}}
	for i := range n {
		id := fmt.Sprintf("D%03d", i)
		switch r.IntN(4) {
		case 0: // last week only
			in.Last = append(in.Last, mk(id))
			switch r.IntN(3) {
			case 0:
				in.Closed = append(in.Closed, Closed{ID: id, Won: true, ClosedOn: day(2026, 9, 25)})
			case 1:
				in.Closed = append(in.Closed, Closed{ID: id, ClosedOn: day(2026, 9, 25)})
			}
		case 1: // this week only
			in.This = append(in.This, mk(id))
		default: // both, this week's a variation of last week's
			a := mk(id)
			b := a
			if r.IntN(2) == 0 {
				b = mk(id)
			}
			in.Last, in.This = append(in.Last, a), append(in.This, b)
		}
	}
	r.Shuffle(len(in.This), func(i, j int) { in.This[i], in.This[j] = in.This[j], in.This[i] })
	in.BookedBefore = decimal.New(r.Int64N(100_000_000), -2)
	return in
}

// bookedOf sums, independently of the package, what the review books this
// week: the last-week amounts of the deals won since (all closed on
// 25 September, inside the period) that left the pipeline.
func bookedOf(in ReviewInput) decimal.Decimal {
	inThis := map[string]bool{}
	for _, d := range in.This {
		inThis[d.ID] = true
	}
	won := map[string]bool{}
	for _, c := range in.Closed {
		won[c.ID] = c.Won
	}
	sum := decimal.Zero
	for _, d := range in.Last {
		if won[d.ID] && !inThis[d.ID] {
			sum = sum.Add(d.Amount)
		}
	}
	return sum
}

// forecastOf sums a snapshot's forecast independently of the package: the
// close date's calendar date in [2026-08-01, 2026-11-01) and the category
// not "omitted".
func forecastOf(deals []Deal) decimal.Decimal {
	sum := decimal.Zero
	for _, d := range deals {
		y, m, dd := d.CloseDate.Date()
		c := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
		if c.Before(day(2026, 8, 1)) || !c.Before(day(2026, 11, 1)) || strings.EqualFold(strings.TrimSpace(d.ForecastCategory), "omitted") {
			continue
		}
		sum = sum.Add(d.Amount)
	}
	return sum
}

func checkReview(t *testing.T, in ReviewInput, rv Review) {
	t.Helper()
	d := rv.Delta
	require.True(t, d.Reconciles)
	// The forecast is booked + open pipeline: a win moves money between
	// the two.
	wantLast := in.BookedBefore.Add(forecastOf(in.Last))
	wantThis := in.BookedBefore.Add(bookedOf(in)).Add(forecastOf(in.This))
	assert.True(t, d.Last.Equal(wantLast), "last %s, want %s", d.Last, wantLast)
	assert.True(t, d.This.Equal(wantThis), "this %s, want %s", d.This, wantThis)
	assert.True(t, d.ThisBooked.Sub(d.LastBooked).Equal(bookedOf(in)))
	effects, buckets := decimal.Zero, decimal.Zero
	seen := map[string]bool{}
	for _, c := range d.Changes {
		assert.False(t, seen[c.ID], "deal %s changed twice", c.ID)
		seen[c.ID] = true
		effects = effects.Add(c.Effect())
	}
	for _, b := range d.Buckets {
		buckets = buckets.Add(b.Effect)
	}
	assert.True(t, effects.Equal(d.Net()), "Σ change effects %s, net %s", effects, d.Net())
	assert.True(t, buckets.Equal(d.Net()), "Σ bucket effects %s, net %s", buckets, d.Net())
	off := decimal.Zero
	for _, l := range rv.Passive {
		assert.NotZero(t, l.Flags)
		if l.InForecast {
			off = off.Add(l.Amount)
		}
	}
	assert.True(t, off.Equal(d.OffForecast))
	assert.True(t, d.Reviewed.Add(d.OffForecast).Equal(d.This))
	for _, c := range d.Changes {
		if c.Kind == Won {
			assert.True(t, c.After.Equal(c.Amount), "won %s is booked at its amount", c.ID)
		}
	}
	for _, l := range rv.Stalled {
		assert.GreaterOrEqual(t, l.DaysInStage, 21)
	}
	for _, l := range rv.OverThreshold {
		assert.True(t, l.Amount.GreaterThanOrEqual(rv.Threshold))
	}
	for _, p := range rv.Patterns {
		assert.Equal(t, len(p.Deals) >= 3, p.Structural)
	}
}

func TestReviewProperties(t *testing.T) {
	for seed := range uint64(50) {
		r := rand.New(rand.NewPCG(seed, 7))
		in := randomSnapshots(r, 1+r.IntN(80))
		rv, err := DefaultPipelinePolicy().Review(in)
		require.NoError(t, err)
		require.Empty(t, rv.Errors)
		checkReview(t, in, rv)
		// Every deal that left the pipeline is accounted for once.
		gone := 0
		for _, k := range []ChangeKind{Won, Lost, Dropped} {
			gone += rv.Delta.Bucket(k).Deals
		}
		inThis := map[string]bool{}
		for _, d := range in.This {
			inThis[d.ID] = true
		}
		want := 0
		for _, d := range in.Last {
			if !inThis[d.ID] {
				want++
			}
		}
		assert.Equal(t, want, gone, "seed %d", seed)
	}
}

func FuzzReview(f *testing.F) {
	f.Add(uint64(1), uint8(10), int64(5000), uint8(2))
	f.Add(uint64(2), uint8(0), int64(0), uint8(0))
	f.Add(uint64(3), uint8(200), int64(-1), uint8(9))
	f.Fuzz(func(t *testing.T, seed uint64, n uint8, amount int64, places uint8) {
		r := rand.New(rand.NewPCG(seed, 1))
		in := randomSnapshots(r, int(n))
		if len(in.This) > 0 {
			// One deal with an arbitrary amount: valid or reported, never a panic.
			in.This[0].Amount = decimal.New(amount, -int32(places%6))
		}
		rv, err := DefaultPipelinePolicy().Review(in)
		require.NoError(t, err)
		require.True(t, rv.Delta.Reconciles)
		if len(rv.Errors) == 0 {
			checkReview(t, in, rv)
		}
	})
}

// TestReviewCorruptRecords damages random records (another currency, a
// blank ID, a duplicate, a negative amount): every record is used or
// reported, and the delta still reconciles.
func TestReviewCorruptRecords(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 99))
		in := randomSnapshots(r, 20+r.IntN(60))
		for _, snap := range []*[]Deal{&in.This, &in.Last} {
			for k := 0; k < 4 && len(*snap) > 0; k++ {
				i := r.IntN(len(*snap))
				switch r.IntN(4) {
				case 0:
					(*snap)[i].Currency = "EUR"
				case 1:
					(*snap)[i].ID = ""
				case 2:
					*snap = append(*snap, (*snap)[i])
				case 3:
					(*snap)[i].Amount = dec("-1")
				}
			}
		}
		rv, err := DefaultPipelinePolicy().Review(in)
		require.NoError(t, err)
		assert.True(t, rv.Delta.Reconciles, "seed %d", seed)
		unusable := 0
		for _, e := range rv.Errors {
			if strings.Contains(e.Error(), "this week:") {
				unusable++
			}
		}
		assert.Equal(t, len(in.This), rv.Deals+unusable, "seed %d: every record used or reported", seed)
		effects := decimal.Zero
		for _, c := range rv.Delta.Changes {
			effects = effects.Add(c.Effect())
		}
		assert.True(t, effects.Equal(rv.Delta.Net()), "seed %d", seed)
	}
}
