package cadence

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func rep(name string) revalign.Owner { return revalign.Owner{Name: name, Team: revalign.Sales} }

var newYork = mustLoad("America/New_York")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// handPipeline is a small pipeline worked by hand: every change kind, every
// passive-voice flag, a stall reason in exactly 3 deals and one in 2.
// The review is on Monday 2026-09-28 in New York; the forecast period is
// the fiscal quarter 2026-08-01..2026-11-01 (fiscal year from February).
func handPipeline() ReviewInput {
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, newYork)
	const sec = "Security questionnaire outstanding"
	deal := func(id, owner, stage string, entered time.Time, amount string, close time.Time, cat, next string, nextOn time.Time) Deal {
		d := Deal{ID: id, Stage: stage, StageEnteredAt: entered, Amount: dec(amount), Currency: "USD",
			CloseDate: close, ForecastCategory: cat, NextAction: next, NextActionDate: nextOn}
		if owner != "" {
			d.Owner = rep(owner)
		}
		return d
	}
	lastEntered := time.Date(2026, 9, 1, 10, 0, 0, 0, newYork)
	last := []Deal{
		deal("A", "Ann", "Discovery", lastEntered, "60000", day(2026, 10, 15), "Commit", "Call CFO", day(2026, 9, 22)),
		deal("B", "Bob", "Proposal", time.Date(2026, 8, 20, 15, 0, 0, 0, newYork), "40000", day(2026, 10, 20), "Best case", "Send answers", day(2026, 9, 25)),
		deal("C", "Cat", "Negotiation", lastEntered, "30000", day(2026, 10, 5), "Commit", "Sign", day(2026, 9, 24)),
		deal("D", "Dan", "Proposal", lastEntered, "25000", day(2026, 10, 10), "Pipeline", "Demo", day(2026, 9, 24)),
		deal("E", "Eve", "Discovery", lastEntered, "15000", day(2026, 10, 12), "Pipeline", "Call", day(2026, 9, 24)),
		deal("F", "Fay", "Proposal", lastEntered, "80000", day(2026, 12, 1), "Pipeline", "Pricing call", day(2026, 9, 20)),
		deal("G", "Gus", "Discovery", lastEntered, "20000", day(2026, 10, 30), "Pipeline", "Redlines", day(2026, 9, 30)),
		deal("H", "Hal", "Proposal", time.Date(2026, 9, 7, 8, 0, 0, 0, newYork), "55000", day(2026, 10, 28), "Best case", "", time.Time{}),
		deal("I", "Ida", "Discovery", lastEntered, "10000", day(2026, 10, 22), "Pipeline", "Workshop", day(2026, 10, 2)),
		deal("J", "Jo", "Discovery", time.Date(2026, 9, 7, 23, 30, 0, 0, newYork), "5000", day(2026, 10, 29), "Pipeline", "Legal call", day(2026, 10, 9)),
	}
	this := []Deal{
		deal("A", "Ann", "Proposal", time.Date(2026, 9, 25, 11, 0, 0, 0, newYork), "70000", day(2026, 10, 15), "Commit", "Call CFO", day(2026, 10, 1)),
		deal("B", "Bob", "Proposal", time.Date(2026, 8, 20, 15, 0, 0, 0, newYork), "40000", day(2026, 11, 15), "Best case", "Send answers", day(2026, 10, 6)),
		deal("F", "Fay", "Proposal", day(2026, 9, 15), "80000", day(2026, 10, 30), "Commit", "Pricing call", day(2026, 9, 20)),
		deal("G", "Gus", "Discovery", day(2026, 9, 15), "20000", day(2026, 10, 30), "Omitted", "Redlines", day(2026, 10, 8)),
		deal("H", "Hal", "Proposal", time.Date(2026, 9, 7, 8, 0, 0, 0, newYork), "45000", day(2026, 10, 28), "Best case", "", time.Time{}),
		deal("I", "Ida", "Qualification", time.Date(2026, 9, 24, 12, 0, 0, 0, newYork), "10000", day(2026, 10, 22), "Pipeline", "Workshop", day(2026, 10, 2)),
		deal("J", "Jo", "Discovery", time.Date(2026, 9, 7, 23, 30, 0, 0, newYork), "5000", day(2026, 10, 29), "Pipeline", "Legal call", day(2026, 10, 9)),
		deal("K", "", "Discovery", time.Date(2026, 9, 23, 9, 0, 0, 0, newYork), "90000", day(2026, 10, 25), "Commit", "Intro call", day(2026, 9, 30)),
	}
	this[1].WaitingOn = Buyer
	this[1].StallReason = sec
	this[4].StallReason = sec
	this[5].StallReason = "  security QUESTIONNAIRE outstanding " // same reason, other spelling
	this[3].StallReason = "Legal redlines"
	this[6].StallReason = "Legal redlines"
	return ReviewInput{
		AsOf:   asOf,
		Period: revalign.Period{Start: time.Date(2026, 8, 1, 0, 0, 0, 0, newYork), End: time.Date(2026, 11, 1, 0, 0, 0, 0, newYork)},
		Last:   last,
		This:   this,
		Closed: []Closed{{ID: "C", Won: true, ClosedOn: day(2026, 9, 24)}, {ID: "D", Won: false, ClosedOn: day(2026, 9, 25)}},
	}
}

func ids(lines []Line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.ID
	}
	return out
}

func TestReviewHandWorked(t *testing.T) {
	rv, err := DefaultPipelinePolicy().Review(handPipeline())
	require.NoError(t, err)
	require.Empty(t, rv.Errors)
	assert.Equal(t, 8, rv.Deals)

	// Forecast by hand: booked in the period plus the open deals closing
	// in it and not omitted. Last week, nothing booked yet, open:
	// A 60000 + B 40000 + C 30000 + D 25000 + E 15000 + G 20000 + H 55000
	// + I 10000 + J 5000 = 260000 (F closes in December). This week:
	// booked C 30000 (won on 24 September), open A 70000 + F 80000 +
	// H 45000 + I 10000 + J 5000 + K 90000 = 300000 (B slipped to
	// November, G is omitted): 330000.
	d := rv.Delta
	assert.True(t, d.Last.Equal(dec("260000")), "last %s", d.Last)
	assert.True(t, d.This.Equal(dec("330000")), "this %s", d.This)
	assert.True(t, d.LastBooked.IsZero(), "last booked %s", d.LastBooked)
	assert.True(t, d.ThisBooked.Equal(dec("30000")), "this booked %s", d.ThisBooked)
	assert.True(t, d.Net().Equal(dec("70000")))
	assert.True(t, d.Reconciles)
	want := []struct {
		kind   ChangeKind
		deals  int
		effect string
	}{
		{New, 1, "90000"}, {PulledIn, 1, "80000"}, {Increased, 1, "10000"}, {Decreased, 1, "-10000"},
		{Slipped, 1, "-40000"}, {Downgraded, 1, "-20000"}, {Won, 1, "0"}, {Lost, 1, "-25000"},
		{Dropped, 1, "-15000"}, {Moved, 1, "0"},
	}
	require.Len(t, d.Buckets, len(want))
	for i, w := range want {
		b := d.Buckets[i]
		assert.Equal(t, w.kind, b.Kind)
		assert.Equal(t, w.deals, b.Deals, "%s", w.kind)
		assert.True(t, b.Effect.Equal(dec(w.effect)), "%s effect %s, want %s", w.kind, b.Effect, w.effect)
	}
	kinds := map[string]ChangeKind{}
	for _, c := range d.Changes {
		kinds[c.ID] = c.Kind
	}
	assert.Equal(t, map[string]ChangeKind{"K": New, "F": PulledIn, "A": Increased, "H": Decreased, "B": Slipped,
		"G": Downgraded, "C": Won, "D": Lost, "E": Dropped, "I": Moved}, kinds, "J did not change")
	assert.Equal(t, 2, d.StageMoves, "A and I changed stage")
	// The win moved C's 30000 from the pipeline to booked: no net effect.
	c := d.Changes[6]
	require.Equal(t, "C", c.ID)
	assert.True(t, c.Before.Equal(dec("30000")) && c.After.Equal(dec("30000")), "C %s → %s", c.Before, c.After)
	assert.Equal(t, day(2026, 9, 24), c.ToClose)
	a := d.Changes[2]
	require.Equal(t, "A", a.ID)
	assert.Equal(t, "Discovery", a.FromStage)
	assert.Equal(t, "Proposal", a.ToStage)
	assert.True(t, a.Effect().Equal(dec("10000")))

	// Passive voice: K has no owner, F's next action is past, H has none,
	// B waits on the buyer. F, H and K are in the forecast: 215000 off.
	assert.Equal(t, []string{"K", "F", "H", "B"}, ids(rv.Passive))
	assert.Equal(t, []Flags{NoOwner, PastNextAction, NoNextAction, WaitingOnBuyer},
		[]Flags{rv.Passive[0].Flags, rv.Passive[1].Flags, rv.Passive[2].Flags, rv.Passive[3].Flags})
	assert.Equal(t, 3, d.OffForecastDeals)
	assert.True(t, d.OffForecast.Equal(dec("215000")), "off %s", d.OffForecast)
	assert.True(t, d.Reviewed.Equal(dec("115000")), "booked C 30000 + open A 70000 + I 10000 + J 5000, got %s", d.Reviewed)

	assert.Equal(t, []string{"K", "F", "A"}, ids(rv.OverThreshold), "50000 and more, largest first")

	// Stalled: B entered 20 August (39 days), H and J on 7 September
	// (21 days, J at 23:30 New York time, which is 8 September in UTC).
	assert.Equal(t, []string{"B", "H", "J"}, ids(rv.Stalled))
	assert.Equal(t, []int{39, 21, 21}, []int{rv.Stalled[0].DaysInStage, rv.Stalled[1].DaysInStage, rv.Stalled[2].DaysInStage})

	require.Len(t, rv.Patterns, 2)
	sec := rv.Patterns[0]
	assert.Equal(t, "Security questionnaire outstanding", sec.Reason)
	assert.Equal(t, []string{"H", "B", "I"}, sec.Deals)
	assert.Equal(t, 2, sec.Stalled)
	assert.True(t, sec.Amount.Equal(dec("95000")))
	assert.True(t, sec.Structural)
	assert.Equal(t, LossPostMortem, sec.RouteTo)
	legal := rv.Patterns[1]
	assert.Equal(t, "Legal redlines", legal.Reason)
	assert.Equal(t, 2, len(legal.Deals))
	assert.False(t, legal.Structural, "two deals are not a pattern")
	assert.Empty(t, legal.RouteTo)
	assert.Equal(t, []Pattern{sec}, rv.Structural())

	// Commitments are due Friday 2 October.
	assert.Equal(t, time.Date(2026, 10, 2, 0, 0, 0, 0, newYork), rv.CommitmentsDue)
	type cm struct {
		kind  CommitmentKind
		who   string
		what  string
		dueOn int
	}
	var got []cm
	for _, c := range rv.Commitments {
		got = append(got, cm{c.Kind, c.Owner.Name, c.DealID + c.Pattern, c.Due.Day()})
	}
	assert.Equal(t, []cm{
		{NextActionDue, "Ann", "A", 1},
		{FixPassive, "Bob", "B", 2},
		{FixPassive, "Fay", "F", 2},
		{FixPassive, "Hal", "H", 2},
		{FixPassive, "VP Sales", "K", 2},
		{RoutePattern, "RevOps lead", "Security questionnaire outstanding", 2},
	}, got)
}

// TestReviewWinsAreBooked: the forecast is what is booked in the period
// plus the open pipeline closing in it, so a win at the forecast amount
// moves money from the pipeline to booked and changes nothing, a win the
// forecast did not count adds to it, and only a win booked outside the
// period takes value off it.
func TestReviewWinsAreBooked(t *testing.T) {
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, newYork)
	open := func(id, amount string, close time.Time) Deal {
		return Deal{ID: id, Owner: rep("R"), Stage: "Negotiation", StageEnteredAt: day(2026, 9, 1), Amount: dec(amount), Currency: "USD",
			CloseDate: close, ForecastCategory: "Commit", NextAction: "Sign", NextActionDate: day(2026, 10, 1)}
	}
	in := ReviewInput{
		AsOf:         asOf,
		Period:       revalign.Period{Start: time.Date(2026, 8, 1, 0, 0, 0, 0, newYork), End: time.Date(2026, 11, 1, 0, 0, 0, 0, newYork)},
		BookedBefore: dec("500000.25"),
		Last: []Deal{
			open("W1", "60000", day(2026, 10, 15)), // forecast, won in the period: moves to booked
			open("W2", "40000", day(2026, 12, 1)),  // not forecast (December), won now: pulled in and booked
			open("W3", "20000", day(2026, 10, 20)), // forecast, won without a close date: not booked, reported
			open("W4", "10000", day(2026, 10, 20)), // forecast, won with a close date after the period
			open("L1", "5000.50", day(2026, 10, 5)),
			open("L2", "5000.50", day(2026, 10, 6)), // same amount: L1 before L2 by ID
			open("S1", "7000", day(2026, 10, 9)),
		},
		This: []Deal{open("S1", "7000", day(2026, 10, 9))},
		Closed: []Closed{
			{ID: "W1", Won: true, ClosedOn: day(2026, 9, 24)},
			{ID: "W2", Won: true, ClosedOn: day(2026, 9, 25)},
			{ID: "W3", Won: true},
			{ID: "W4", Won: true, ClosedOn: day(2026, 11, 2)},
			{ID: "L1", ClosedOn: day(2026, 9, 23)},
			{ID: "L2", ClosedOn: day(2026, 9, 24)},
			{ID: "X9", Won: true, ClosedOn: day(2026, 9, 23)}, // in neither snapshot: not part of the delta
		},
	}
	rv, err := DefaultPipelinePolicy().Review(in)
	require.NoError(t, err)
	d := rv.Delta
	// By hand. Last: booked 500000.25 + open W1 60000 + W3 20000 + W4 10000
	// + L1 5000.50 + L2 5000.50 + S1 7000 = 607001.25. This: booked
	// 500000.25 + W1 60000 + W2 40000 = 600000.25, open S1 7000: 607000.25.
	assert.True(t, d.LastBooked.Equal(dec("500000.25")), "last booked %s", d.LastBooked)
	assert.True(t, d.Last.Equal(dec("607001.25")), "last %s", d.Last)
	assert.True(t, d.ThisBooked.Equal(dec("600000.25")), "this booked %s", d.ThisBooked)
	assert.True(t, d.This.Equal(dec("607000.25")), "this %s", d.This)
	assert.True(t, d.Reconciles)
	won := d.Bucket(Won)
	assert.Equal(t, 4, won.Deals)
	assert.True(t, won.Effect.Equal(dec("10000")), "0 + 40000 − 20000 − 10000, got %s", won.Effect)
	assert.True(t, d.Bucket(Lost).Effect.Equal(dec("-10001")))
	effect := map[string]string{}
	var order []string
	for _, c := range d.Changes {
		effect[c.ID] = c.Effect().String()
		order = append(order, c.ID)
	}
	assert.Equal(t, map[string]string{"W1": "0", "W2": "40000", "W3": "-20000", "W4": "-10000", "L1": "-5000.5", "L2": "-5000.5"}, effect)
	assert.Equal(t, []string{"W1", "W2", "W3", "W4", "L1", "L2"}, order, "by kind, largest first, then by ID")
	require.Len(t, rv.Errors, 1)
	assert.Equal(t, "W3", rv.Errors[0].ID)
	assert.ErrorIs(t, rv.Errors[0], revalign.ErrInvalid)
	assert.ErrorContains(t, rv.Errors[0], "won without a close date")

	t.Run("booked before must be a valid amount", func(t *testing.T) {
		for _, bad := range []string{"-1", "0.001"} {
			in := in
			in.BookedBefore = dec(bad)
			_, err := DefaultPipelinePolicy().Review(in)
			var fe *revalign.FieldError
			require.True(t, errors.As(err, &fe), "%s: %v", bad, err)
			assert.Equal(t, "booked_before", fe.Path)
		}
	})
}

func TestReviewPatternThreshold(t *testing.T) {
	// A stall reason in exactly 3 deals is structural; in 2 it is not.
	for _, n := range []int{2, 3, 4} {
		in := ReviewInput{AsOf: time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)}
		for i := range n {
			in.This = append(in.This, Deal{ID: string(rune('a' + i)), Owner: rep("R"), Amount: dec("1000"), Currency: "USD",
				StageEnteredAt: day(2026, 9, 1), CloseDate: day(2026, 10, 1), NextAction: "x", NextActionDate: day(2026, 10, 1),
				StallReason: "No budget"})
		}
		rv, err := DefaultPipelinePolicy().Review(in)
		require.NoError(t, err)
		require.Len(t, rv.Patterns, 1)
		assert.Equal(t, n >= 3, rv.Patterns[0].Structural, "%d deals", n)
		routed := 0
		for _, c := range rv.Commitments {
			if c.Kind == RoutePattern {
				routed++
			}
		}
		assert.Equal(t, map[bool]int{true: 1, false: 0}[n >= 3], routed)
	}
}

func TestReviewBadRecords(t *testing.T) {
	in := handPipeline()
	// This week: A in euros (unusable: its last-week record is excluded
	// from the comparison), a blank ID, a duplicate of B, a negative amount
	// for a new deal, and too many decimal places for another.
	in.This[0].Currency = "EUR"
	in.This = append(in.This,
		Deal{ID: "", Currency: "USD", Amount: dec("1")},
		in.This[1],
		Deal{ID: "N1", Currency: "USD", Amount: dec("-5"), CloseDate: day(2026, 10, 1)},
		Deal{ID: "N2", Currency: "USD", Amount: dec("1.005"), CloseDate: day(2026, 10, 1)},
	)
	// Last week: I in pounds, so this week's I cannot be compared.
	in.Last[8].Currency = "GBP"
	rv, err := DefaultPipelinePolicy().Review(in)
	require.NoError(t, err)
	byID := map[string]error{}
	for _, e := range rv.Errors {
		byID[e.ID] = e.Err
	}
	assert.ErrorIs(t, byID["A"], revalign.ErrCurrency)
	assert.ErrorIs(t, byID["I"], revalign.ErrCurrency)
	assert.ErrorIs(t, byID["this week[8]"], revalign.ErrInvalid)
	assert.ErrorIs(t, byID["B"], revalign.ErrInvalid, "duplicate")
	assert.ErrorIs(t, byID["N1"], revalign.ErrInvalid)
	assert.ErrorIs(t, byID["N2"], revalign.ErrCurrency)
	assert.Len(t, rv.Errors, 6)
	assert.Error(t, rv.Err())

	// A is gone from this week's usable deals (its 60000 leaves last
	// week's forecast as excluded); I's 10000 enters this week's as
	// excluded. The delta still reconciles to the cent.
	d := rv.Delta
	assert.True(t, d.Reconciles)
	assert.True(t, d.Last.Equal(dec("250000")), "260000 − I's 10000, got %s", d.Last)
	assert.True(t, d.This.Equal(dec("260000")), "330000 − A's 70000, got %s", d.This)
	ex := d.Bucket(Excluded)
	assert.Equal(t, 2, ex.Deals)
	assert.True(t, ex.Effect.Equal(dec("-50000")), "−60000 (A) + 10000 (I), got %s", ex.Effect)
	assert.Equal(t, 7, rv.Deals)
	assert.NotContains(t, ids(rv.OverThreshold), "A")
}

func TestReviewEdgeCases(t *testing.T) {
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)
	t.Run("invalid policy", func(t *testing.T) {
		p := DefaultPipelinePolicy()
		p.StalledAfterDays = 0
		_, err := p.Review(ReviewInput{AsOf: asOf})
		assert.ErrorIs(t, err, revalign.ErrInvalid)
	})
	t.Run("no as-of", func(t *testing.T) {
		_, err := DefaultPipelinePolicy().Review(ReviewInput{})
		assert.ErrorIs(t, err, revalign.ErrInvalid)
	})
	t.Run("empty", func(t *testing.T) {
		rv, err := DefaultPipelinePolicy().Review(ReviewInput{AsOf: asOf})
		require.NoError(t, err)
		assert.True(t, rv.Delta.Reconciles)
		assert.True(t, rv.Delta.This.IsZero())
		assert.NoError(t, rv.Err())
	})
	t.Run("missing dates", func(t *testing.T) {
		in := ReviewInput{AsOf: asOf, Period: revalign.Period{Start: day(2026, 8, 1), End: day(2026, 11, 1)},
			This: []Deal{
				{ID: "x", Owner: rep("R"), Amount: dec("10"), Currency: "usd"},
				{ID: "y", Owner: rep("R"), Amount: dec("10"), Currency: "USD", StageEnteredAt: day(2026, 10, 5), CloseDate: day(2026, 10, 1)},
			}}
		rv, err := DefaultPipelinePolicy().Review(in)
		require.NoError(t, err)
		require.Len(t, rv.Errors, 3)
		assert.Equal(t, []string{"x", "x", "y"}, []string{rv.Errors[0].ID, rv.Errors[1].ID, rv.Errors[2].ID})
		assert.ErrorIs(t, rv.Errors[0].Err, errNoStageDate)
		assert.ErrorIs(t, rv.Errors[1].Err, errNoCloseDate)
		assert.ErrorIs(t, rv.Errors[2].Err, errStageInFuture)
		assert.Equal(t, -1, rv.Passive[0].DaysInStage)
		assert.True(t, rv.Delta.This.Equal(dec("10")), "only y closes in the period")
	})
	t.Run("commitment day is the next one, not today", func(t *testing.T) {
		friday := time.Date(2026, 10, 2, 16, 0, 0, 0, time.UTC)
		rv, err := DefaultPipelinePolicy().Review(ReviewInput{AsOf: friday})
		require.NoError(t, err)
		assert.Equal(t, day(2026, 10, 9), rv.CommitmentsDue)
	})
}

func TestFlags(t *testing.T) {
	f := NoOwner | WaitingOnBuyer
	assert.True(t, f.Has(NoOwner))
	assert.False(t, f.Has(NoOwner|PastNextAction))
	assert.Equal(t, "no owner, waiting on the buyer", f.String())
	b, err := f.MarshalJSON()
	require.NoError(t, err)
	assert.JSONEq(t, `["no_owner","waiting_on_buyer"]`, string(b))
	var g Flags
	require.NoError(t, g.UnmarshalJSON(b))
	assert.Equal(t, f, g)
	assert.ErrorIs(t, g.UnmarshalJSON([]byte(`["late"]`)), revalign.ErrInvalid)
	assert.Error(t, g.UnmarshalJSON([]byte(`{`)))
}

func TestSumsOverflow(t *testing.T) {
	var s sums
	x := int64(1) << 62
	s.add(&s.this, x)
	s.add(&s.this, x)
	assert.True(t, s.overflow)
	var n sums
	n.add(&n.this, -x)
	n.add(&n.this, -x)
	n.add(&n.this, -x)
	assert.True(t, n.overflow)
	assert.False(t, errors.Is(nil, revalign.ErrInvalid))
}
