package attribution_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

func usd(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func touches(channels ...string) []attribution.Touch {
	out := make([]attribution.Touch, len(channels))
	for i, c := range channels {
		out[i] = attribution.Touch{Channel: c, At: day(i), Type: "form_fill"}
	}
	return out
}

// sampleJourneys is a small book of deals whose reconciliation is worked
// out by hand in TestReconcile.
func sampleJourneys() []attribution.Journey {
	return []attribution.Journey{
		{ID: "J1", Touches: touches("paid_social", "email", "sdr_outbound"), LeadCreated: day(1), OppCreated: day(2),
			Closed: day(3), Outcome: attribution.Won, Amount: usd("1000"), Currency: "USD"},
		{ID: "J2", Touches: touches("paid_search"), LeadCreated: day(0), OppCreated: day(0),
			Closed: day(1), Outcome: attribution.Won, Amount: usd("500"), Currency: "USD"},
		{ID: "J3", Touches: touches("paid_social", "webinar"), LeadCreated: day(0), OppCreated: day(1),
			Closed: day(40), Outcome: attribution.Won, Amount: usd("300"), Currency: "EUR"},
		{ID: "J4", Touches: touches("events"), OppCreated: day(0), Closed: day(5), Outcome: attribution.Lost, Amount: usd("200"), Currency: "USD"},
		{ID: "J5", Touches: touches("tv"), Closed: day(5), Outcome: attribution.Won, Amount: usd("50"), Currency: "USD"},
		{ID: "J6", OppCreated: day(0), Closed: day(2), Outcome: attribution.Won, Amount: usd("100"), Currency: "USD"},
		{ID: "J7", Touches: touches("email"), Closed: day(5), Outcome: attribution.Won, Amount: usd("70"), Currency: "GBP"},
	}
}

func sampleOptions() attribution.ReconcileOptions {
	o := attribution.DefaultReconcileOptions()
	o.Rates = revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": usd("1.1")}}
	return o
}

func row(t *testing.T, rep *attribution.Report, channel string) attribution.ChannelRow {
	t.Helper()
	for _, r := range rep.Channels {
		if r.Channel == channel {
			return r
		}
	}
	t.Fatalf("no row %s", channel)
	return attribution.ChannelRow{}
}

func credits(r attribution.ChannelRow) []string {
	out := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = c.Credit.StringFixed(2)
	}
	return out
}

func ranks(r attribution.ChannelRow) []int {
	out := make([]int, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = c.Rank
	}
	return out
}

func TestReconcile(t *testing.T) {
	rep, err := attribution.Reconcile(sampleJourneys(), sampleOptions(),
		attribution.FirstTouchModel(), attribution.LastTouchModel(), attribution.Linear{})
	require.NoError(t, err)

	// J5 (unknown channel) and J7 (no GBP rate) are left out and named;
	// J4 is lost, outside the revenue basis.
	require.Len(t, rep.Errors, 2)
	assert.Equal(t, "J5", rep.Errors[0].ID)
	assert.ErrorIs(t, rep.Errors[0], revalign.ErrInvalid)
	assert.Equal(t, "J7", rep.Errors[1].ID)
	assert.ErrorIs(t, rep.Errors[1], revalign.ErrCurrency)
	assert.Equal(t, 1, rep.Outside)
	assert.Equal(t, 4, rep.Journeys)
	// 1000 + 500 + 300 EUR × 1.1 + 100.
	assert.Equal(t, "1930.00", rep.Total.StringFixed(2))
	assert.Equal(t, "linear", rep.Primary, "the first multi-touch model")

	// First touch: paid_social takes J1 and J3; last touch: sdr_outbound J1,
	// webinar J3; linear: J1 thirds (the odd cent to the earlier touch), J3
	// halves. J6 has no touch: unattributed under every model.
	assert.Equal(t, []string{"1330.00", "0.00", "498.34"}, credits(row(t, rep, "paid_social")))
	assert.Equal(t, []string{"500.00", "500.00", "500.00"}, credits(row(t, rep, "paid_search")))
	assert.Equal(t, []string{"0.00", "0.00", "333.33"}, credits(row(t, rep, "email")))
	assert.Equal(t, []string{"0.00", "1000.00", "333.33"}, credits(row(t, rep, "sdr_outbound")))
	assert.Equal(t, []string{"0.00", "330.00", "165.00"}, credits(row(t, rep, "webinar")))
	assert.Equal(t, []string{"100.00", "100.00", "100.00"}, credits(row(t, rep, attribution.Unattributed)))

	// Rows follow the primary model; the unattributed row comes last.
	var order []string
	for _, r := range rep.Channels {
		order = append(order, r.Channel)
	}
	assert.Equal(t, []string{"paid_search", "paid_social", "email", "sdr_outbound", "webinar", attribution.Unattributed}, order)

	// Ranks (ties share a rank) and directional flags. First touch:
	// paid_social, paid_search, then email, sdr_outbound and webinar tied
	// at 0 (rank 3); last touch: sdr_outbound, paid_search, webinar, then
	// paid_social and email at 0 (rank 4); linear: paid_search 500.00,
	// paid_social 498.34, email and sdr_outbound 333.33 (rank 3), webinar.
	assert.Equal(t, []int{1, 4, 2}, ranks(row(t, rep, "paid_social")))
	assert.Equal(t, []int{2, 2, 1}, ranks(row(t, rep, "paid_search")))
	assert.Equal(t, []int{3, 1, 3}, ranks(row(t, rep, "sdr_outbound")))
	assert.Equal(t, []int{3, 4, 3}, ranks(row(t, rep, "email")))
	assert.Equal(t, []int{3, 3, 5}, ranks(row(t, rep, "webinar")))
	ps := row(t, rep, "paid_social")
	assert.True(t, ps.Directional)
	assert.Equal(t, 1, ps.MinRank)
	assert.Equal(t, 4, ps.MaxRank)

	// The consensus is the one multi-touch model, linear; first touch
	// over-credits paid_social by 1330/498.34 − 1.
	assert.InDelta(t, 498.34/1930, ps.Consensus, 1e-12)
	assert.InDelta(t, 1330/498.34-1, ps.Cells[0].Bias, 1e-9)
	assert.InDelta(t, (1330-498.34)/1930, ps.Cells[0].BiasPoints, 1e-12)
	assert.InDelta(t, 1330.0/1930, ps.Spread, 1e-12)
	ft := rep.Models[0]
	assert.Equal(t, "first_touch", ft.Name)
	assert.False(t, ft.MultiTouch)
	assert.False(t, ft.Consensus)
	assert.Equal(t, "paid_social", ft.Over.Channel)
	assert.Equal(t, "email", ft.Under.Channel, "ties in bias go to the earlier row")
	assert.True(t, rep.Models[2].Consensus)
	assert.Equal(t, "sdr_outbound", rep.Models[1].Over.Channel)

	// Every column sums exactly to the total.
	for m := range rep.Models {
		sum := decimal.Zero
		for _, r := range rep.Channels {
			sum = sum.Add(r.Cells[m].Credit)
		}
		assert.True(t, sum.Equal(rep.Total), "%s sums to %s", rep.Models[m].Name, sum)
	}

	// Headline: marketing's credit under linear, with the range.
	h := rep.Headline
	assert.Equal(t, "linear", h.Model)
	assert.Equal(t, "1496.67", h.Marketing.StringFixed(2))
	assert.InDelta(t, 830.0/1930, h.Low, 1e-12)
	assert.InDelta(t, 1830.0/1930, h.High, 1e-12)
	require.Len(t, h.Alternates, 2)
	assert.Equal(t, "1830.00", h.Alternates[0].Marketing.StringFixed(2))

	// Sourced never overlaps; influenced does and says so.
	r := rep.Reach
	reach := map[string]attribution.ReachRow{}
	for _, x := range r.Channels {
		reach[x.Channel] = x
	}
	assert.Equal(t, "1330.00", reach["paid_social"].Sourced.StringFixed(2))
	assert.Equal(t, 2, reach["paid_social"].SourcedJourneys)
	assert.Equal(t, "500.00", reach["paid_search"].Sourced.StringFixed(2))
	assert.Equal(t, "100.00", r.Unsourced.StringFixed(2))
	assert.Equal(t, 1, r.UnsourcedJourneys)
	assert.Equal(t, "1000.00", reach["email"].Influenced.StringFixed(2))
	assert.Equal(t, "1330.00", reach["paid_social"].Influenced.StringFixed(2))
	assert.Equal(t, "4160.00", r.InfluencedSum.StringFixed(2))
	assert.True(t, r.Overlap)
	require.Len(t, r.Teams, 2)
	assert.Equal(t, revalign.Marketing, r.Teams[0].Team)
	assert.Equal(t, "1830.00", r.Teams[0].Sourced.StringFixed(2))
	assert.Equal(t, 3, r.Teams[0].InfluencedJourneys)
	assert.Equal(t, revalign.Sales, r.Teams[1].Team)
	assert.Equal(t, "0.00", r.Teams[1].Sourced.StringFixed(2))
	assert.Equal(t, "1000.00", r.Teams[1].Influenced.StringFixed(2))

	// Per month: J1, J2, J6 close in January, J3 in February.
	require.Len(t, rep.Periods, 2)
	assert.Equal(t, "1600.00", rep.Periods[0].Total.StringFixed(2))
	assert.Equal(t, 3, rep.Periods[0].Journeys)
	assert.Equal(t, "330.00", rep.Periods[1].Total.StringFixed(2))
	assert.Equal(t, time.February, rep.Periods[1].Period.Start.Month())
	assert.Empty(t, rep.Periods[1].Periods)
}

func TestReconcileOptionsAtWork(t *testing.T) {
	o := sampleOptions()
	o.Basis = attribution.Pipeline
	o.Source = attribution.LeadCreation
	o.Influence = attribution.OppCreation
	o.InfluenceWindowDays = 1
	o.Period = 0
	o.Primary = "first_touch"
	o.Consensus = []string{"last_touch", "linear"}
	rep, err := attribution.Reconcile(sampleJourneys(), o,
		attribution.FirstTouchModel(), attribution.LastTouchModel(), attribution.Linear{})
	require.NoError(t, err)
	// Pipeline includes the lost J4 (events).
	assert.Equal(t, 5, rep.Journeys)
	assert.Equal(t, "2130.00", rep.Total.StringFixed(2))
	assert.Empty(t, rep.Periods)
	assert.Equal(t, "first_touch", rep.Primary)
	assert.Equal(t, "paid_social", rep.Channels[0].Channel)
	assert.True(t, rep.Models[1].Consensus)
	assert.False(t, rep.Models[0].Consensus)
	reach := map[string]attribution.ReachRow{}
	for _, x := range rep.Reach.Channels {
		reach[x.Channel] = x
	}
	// Sourced by the lead-creation touch: J1 email, J2 paid_search, J3
	// paid_social; J4 has no lead creation; J6 no touch.
	assert.Equal(t, "1000.00", reach["email"].Sourced.StringFixed(2))
	assert.Equal(t, "330.00", reach["paid_social"].Sourced.StringFixed(2))
	assert.Equal(t, "300.00", rep.Reach.Unsourced.StringFixed(2))
	// Influenced within a day before opportunity creation: J1 email and
	// sdr_outbound (not paid_social, two days earlier).
	assert.Equal(t, 1, reach["sdr_outbound"].InfluencedJourneys)
	assert.Equal(t, "330.00", reach["paid_social"].Influenced.StringFixed(2))
	assert.Equal(t, "200.00", reach["events"].Influenced.StringFixed(2))

	// Periods on a pipeline basis need an opportunity date.
	o.Period = revalign.Quarter
	js := sampleJourneys()
	js[0].OppCreated = time.Time{}
	rep, err = attribution.Reconcile(js, o, attribution.FirstTouchModel(), attribution.LastTouchModel(), attribution.Linear{})
	require.NoError(t, err)
	assert.Equal(t, "J1", rep.Errors[0].ID)
	require.Len(t, rep.Periods, 1)
}

func TestReconcileErrors(t *testing.T) {
	js := sampleJourneys()
	_, err := attribution.Reconcile(js, sampleOptions())
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = attribution.Reconcile(js, sampleOptions(), attribution.Linear{}, attribution.Linear{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	o := sampleOptions()
	o.Primary = "nope"
	_, err = attribution.Reconcile(js, o, attribution.Linear{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	o = sampleOptions()
	o.Consensus = []string{"nope"}
	_, err = attribution.Reconcile(js, o, attribution.Linear{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	o = sampleOptions()
	o.RankShift = 0
	_, err = attribution.Reconcile(js, o, attribution.Linear{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)

	// A model failing on a journey books it as unattributed and says so.
	rep, err := attribution.Reconcile(js[:1], sampleOptions(), failingModel{}, attribution.Linear{})
	require.NoError(t, err)
	require.Len(t, rep.Errors, 1)
	assert.ErrorIs(t, rep.Errors[0], errBoom)
	assert.Equal(t, "1000.00", row(t, rep, attribution.Unattributed).Cells[0].Credit.StringFixed(2))
	assert.Equal(t, "failing", rep.Primary, "a model without MultiTouch counts as multi-touch")

	// Only single-touch models: the first is primary.
	rep, err = attribution.Reconcile(js, sampleOptions(), attribution.LastTouchModel(), attribution.FirstTouchModel())
	require.NoError(t, err)
	assert.Equal(t, "last_touch", rep.Primary)
}

func TestReconcileOptionsValidate(t *testing.T) {
	assert.NoError(t, attribution.DefaultReconcileOptions().Validate())
	mutate := []func(*attribution.ReconcileOptions){
		func(o *attribution.ReconcileOptions) { o.Taxonomy = attribution.Taxonomy{} },
		func(o *attribution.ReconcileOptions) { o.Rates.Base = "" },
		func(o *attribution.ReconcileOptions) { o.Basis = 7 },
		func(o *attribution.ReconcileOptions) { o.Source = "" },
		func(o *attribution.ReconcileOptions) { o.Influence = " " },
		func(o *attribution.ReconcileOptions) { o.InfluenceWindowDays = -1 },
		func(o *attribution.ReconcileOptions) { o.RankShift = 0 },
		func(o *attribution.ReconcileOptions) { o.Period = 9 },
		func(o *attribution.ReconcileOptions) { o.Calendar.StartMonth = 13 },
	}
	for i, f := range mutate {
		o := attribution.DefaultReconcileOptions()
		f(&o)
		assert.ErrorIs(t, o.Validate(), revalign.ErrInvalid, "mutation %d", i)
	}
}

// randomJourneys builds n valid journeys over the default taxonomy with
// random touches, milestones and amounts (some in EUR, some empty).
func randomJourneys(r *rand.Rand, n int) []attribution.Journey {
	names := attribution.DefaultTaxonomy().Names()
	out := make([]attribution.Journey, n)
	for i := range out {
		k := r.IntN(12)
		j := attribution.Journey{ID: "r", Outcome: attribution.Outcome(r.IntN(3)), Currency: "USD",
			Amount: decimal.New(r.Int64N(10_000_000), -2)}
		if r.IntN(4) == 0 {
			j.Currency = "EUR"
		}
		at := day(0)
		for range k {
			at = at.Add(time.Duration(1+r.IntN(72)) * time.Hour)
			j.Touches = append(j.Touches, attribution.Touch{Channel: names[r.IntN(len(names))], At: at,
				Type: []string{"form_fill", "web_visit"}[r.IntN(2)]})
		}
		end := at.Add(time.Hour)
		if r.IntN(5) > 0 {
			j.LeadCreated = day(0).Add(time.Duration(r.Int64N(int64(end.Sub(day(0))) + 1)))
		}
		j.OppCreated = day(0).Add(time.Duration(r.Int64N(int64(end.Sub(day(0))) + 1)))
		if j.Outcome != attribution.Open {
			j.Closed = end
		}
		out[i] = j
	}
	return out
}

// Property: for random journeys, every model's per-journey credits sum
// exactly to the journey's amount, and every reconciliation column sums
// exactly to the total.
func TestExactMoneyProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	js := randomJourneys(r, 2000)
	models := attribution.RuleBased()
	var a attribution.Allocation
	for i := range js {
		for _, m := range models {
			err := attribution.Allocate(&a, m, &js[i])
			if err != nil {
				require.ErrorIs(t, err, attribution.ErrNoCredit)
				continue
			}
			units, _ := revalign.ToUnits(js[i].Amount, 2)
			var sum int64
			for _, u := range a.Units {
				sum += u
				require.GreaterOrEqual(t, u, int64(0))
			}
			require.Equal(t, units, sum, "%s on journey %d", m.Name(), i)
		}
	}
	o := sampleOptions()
	o.Basis = attribution.Pipeline
	rep, err := attribution.Reconcile(js, o, models...)
	require.NoError(t, err)
	require.Len(t, rep.Errors, 0)
	for _, rp := range append([]attribution.Report{*rep}, rep.Periods...) {
		for m := range rp.Models {
			sum := decimal.Zero
			for _, row := range rp.Channels {
				sum = sum.Add(row.Cells[m].Credit)
			}
			require.True(t, sum.Equal(rp.Total), "%s: %s ≠ %s", rp.Models[m].Name, sum, rp.Total)
		}
		sourced := rp.Reach.Unsourced
		for _, x := range rp.Reach.Channels {
			sourced = sourced.Add(x.Sourced)
		}
		require.True(t, sourced.Equal(rp.Total), "sourced sums to the total")
	}
	// The period totals add up to the whole.
	sum := decimal.Zero
	for _, rp := range rep.Periods {
		sum = sum.Add(rp.Total)
	}
	assert.True(t, sum.Equal(rep.Total))
}

// Reconcile allocates nothing per journey on a clean batch in the
// reporting currency: booking ten times the journeys costs no more
// allocations (only the report's own, which depend on the channels).
func TestReconcileAllocationsPerJourney(t *testing.T) {
	batch := func(n int) []attribution.Journey {
		js := make([]attribution.Journey, n)
		for i := range js {
			js[i] = attribution.Journey{ID: "J", Touches: touches("paid_social", "email", "webinar", "sdr_outbound"),
				LeadCreated: day(1), OppCreated: day(2), Closed: day(3), Outcome: attribution.Won, Amount: usd("1234.56"), Currency: "USD"}
		}
		return js
	}
	opts := sampleOptions()
	models := attribution.RuleBased()
	allocs := func(js []attribution.Journey) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := attribution.Reconcile(js, opts, models...); err != nil {
				t.Fatal(err)
			}
		})
	}
	// 900 more journeys would cost 900 allocations or more for one per
	// journey; a few either way is the runtime (the race detector's).
	small, large := allocs(batch(100)), allocs(batch(1000))
	assert.InDelta(t, small, large, 10, "allocations grow with the journeys: %v for 100, %v for 1,000", small, large)
}

// Channels with equal credit under a model share its rank (competition
// ranking: 1, 2, 2, 4), so a channel that no model credits is never
// flagged directional because ties happened to follow taxonomy order.
func TestReconcileTiesShareRanks(t *testing.T) {
	j := attribution.Journey{ID: "J1", Touches: touches("paid_search", "paid_social", "content_syndication", "email", "sdr_outbound"),
		Closed: day(5), Outcome: attribution.Won, Amount: usd("1000"), Currency: "USD"}
	opts := sampleOptions()
	rep, err := attribution.Reconcile([]attribution.Journey{j}, opts, attribution.FirstTouchModel(), attribution.LastTouchModel())
	require.NoError(t, err)
	// First touch: paid_search 1, the four others tied at 0, rank 2; last
	// touch: sdr_outbound 1, the others 2.
	assert.Equal(t, []int{1, 2}, ranks(row(t, rep, "paid_search")))
	assert.Equal(t, []int{2, 1}, ranks(row(t, rep, "sdr_outbound")))
	for _, ch := range []string{"paid_social", "content_syndication", "email"} {
		r := row(t, rep, ch)
		assert.Equal(t, []int{2, 2}, ranks(r), ch)
		assert.False(t, r.Directional, "%s has no credit under either model", ch)
	}
	assert.True(t, row(t, rep, "sdr_outbound").Directional)
}
