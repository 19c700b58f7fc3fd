package velocity

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

var (
	nyc, _ = time.LoadLocation("America/New_York")
	// q is a fiscal quarter in New York: [2026-05-01, 2026-08-01).
	q = revalign.Period{Start: time.Date(2026, 5, 1, 0, 0, 0, 0, nyc), End: time.Date(2026, 8, 1, 0, 0, 0, 0, nyc)}
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, nyc) }

func amount(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

// wonDeal is won in q after a cycle of the given days.
func wonDeal(id, seg string, amt string, cycle int) Deal {
	closed := day(2026, 6, 15)
	return Deal{ID: id, Segment: seg, Amount: amount(amt), Created: closed.AddDate(0, 0, -cycle), Closed: closed, Status: Won}
}

func lostDeal(id, seg string, noDecision bool) Deal {
	return Deal{ID: id, Segment: seg, Amount: amount("1000"), Created: day(2026, 3, 1), Closed: day(2026, 6, 1), Status: Lost, NoDecision: noDecision}
}

// TestNoDecisionPolicy is the reference's case: 12 wins, 26 decided losses
// and 9 no-decisions are 12/47 = 25.5% as losses, 12/38 = 31.6% excluded.
func TestNoDecisionPolicy(t *testing.T) {
	var deals []Deal
	for i := range 12 {
		deals = append(deals, wonDeal(fmt.Sprint("W", i), "MID", "10000", 20+i))
	}
	for i := range 35 {
		deals = append(deals, lostDeal(fmt.Sprint("L", i), "MID", i < 9))
	}
	for _, policy := range []NoDecisionPolicy{NoDecisionAsLoss, NoDecisionExclude} {
		cfg := DefaultConfig()
		cfg.NoDecision = policy
		r, rejects, err := FromDeals(deals, q, cfg)
		require.NoError(t, err)
		require.Empty(t, rejects)
		m := r.Overall
		assert.Equal(t, 12, m.Won)
		assert.Equal(t, 35, m.Lost)
		assert.Equal(t, 9, m.NoDecision)
		assert.InDelta(t, 12.0/47, m.WinRateAll, 1e-12)
		assert.InDelta(t, 12.0/38, m.WinRateDecided, 1e-12)
		want := 12.0 / 47
		if policy == NoDecisionExclude {
			want = 12.0 / 38
		}
		assert.InDelta(t, want, m.WinRate, 1e-12)
		assert.InDelta(t, want, m.Inputs.WinRate, 1e-12)
		// Value-based: 120,000 won of 155,000 closed.
		assert.InDelta(t, 120000.0/155000, m.ValueWinRate, 1e-12)
	}
}

func TestFromDealsMeasures(t *testing.T) {
	deals := []Deal{
		wonDeal("S1", "SMB", "10000", 10),
		wonDeal("S2", "SMB", "20000", 20),
		wonDeal("S3", "SMB", "30000", 30),
		wonDeal("S4", "SMB", "40000", 40),
		wonDeal("S5", "SMB", "50000", 50),
		{ID: "S6", Segment: "SMB", Created: day(2026, 6, 5), Closed: day(2026, 6, 15), Status: Won}, // no amount
		lostDeal("S7", "SMB", false),
		lostDeal("S8", "SMB", false),
		lostDeal("S9", "SMB", true),
		// Open at the end: created before, still open, one without amount.
		{ID: "S10", Segment: "SMB", Amount: amount("7000"), Created: day(2026, 7, 1), Status: Open},
		{ID: "S11", Segment: "SMB", Created: day(2026, 7, 2), Status: Open},
		// Won after the window: open as the window stood.
		{ID: "S12", Segment: "SMB", Amount: amount("9000"), Created: day(2026, 7, 20), Closed: day(2026, 8, 10), Status: Won},
		// Created after the window: not in it at all.
		{ID: "S13", Segment: "SMB", Amount: amount("9000"), Created: day(2026, 8, 2), Status: Open},
		// Closed before the window: neither open nor closed in it.
		{ID: "S14", Segment: "SMB", Amount: amount("9000"), Created: day(2026, 1, 2), Closed: day(2026, 2, 2), Status: Won},
		// Few enterprise deals: withheld.
		wonDeal("E1", "ENT", "150000", 100),
		lostDeal("E2", "ENT", false),
	}
	r, rejects, err := FromDeals(deals, q, DefaultConfig())
	require.NoError(t, err)
	require.Empty(t, rejects)
	require.Len(t, r.Segments, 2)
	assert.Equal(t, "ENT", r.Segments[0].Segment, "sorted by name")

	s, ok := r.Segment("SMB")
	require.True(t, ok)
	assert.Equal(t, 3, s.Open, "S10, S11, S12")
	assert.Equal(t, Counts{Open: 1, Won: 1}, s.NoAmount)
	assert.Equal(t, "16000", s.OpenAmount.String())
	assert.Equal(t, 6, s.Won)
	assert.Equal(t, 3, s.Lost)
	assert.Equal(t, "150000", s.WonAmount.String())
	assert.Equal(t, "30000", s.DealSize.String(), "mean of the 5 won deals with an amount")
	// Cycles 10, 20, 30, 40, 50 and 10 days: mean 26.67, median 25, p75 37.5.
	assert.Equal(t, 6, s.Cycle.N)
	assert.InDelta(t, 160.0/6, s.Cycle.Mean, 1e-12)
	assert.InDelta(t, 25, s.Cycle.Median, 1e-12)
	assert.InDelta(t, 37.5, s.Cycle.P75, 1e-12)
	assert.InDelta(t, 6.0/9, s.WinRate, 1e-12)
	// V = 3 × 30,000 × (6/9) ÷ (160/6), by hand 2,250 a day.
	assert.Empty(t, s.Withheld)
	assert.True(t, dec("2250").Equal(s.Velocity), "%s", s.Velocity)

	e, _ := r.Segment("ENT")
	assert.Len(t, e.Withheld, 2, "win rate and cycle below 5: %v", e.Withheld)
	assert.True(t, e.Velocity.IsZero())
	assert.True(t, r.SegmentSum.Equal(s.Velocity))
	assert.Equal(t, 7, r.Overall.Won, "6 SMB and 1 ENT won in the window")
	assert.Len(t, r.Inputs(), 1, "only SMB has a velocity")
	_, ok = r.Segment("MID")
	assert.False(t, ok)
	assert.Contains(t, s.String(), "→ 2250.00/day")
	assert.Contains(t, e.String(), "withheld")
}

func TestFromDealsBases(t *testing.T) {
	var deals []Deal
	for i := range 5 {
		deals = append(deals, wonDeal(fmt.Sprint("W", i), "", "100", 10*(i+1)))
	}
	deals = append(deals, Deal{ID: "O", Amount: amount("1"), Created: day(2026, 4, 1), Status: Open})
	cfg := DefaultConfig()
	cfg.Basis, cfg.Cycle = CreatedInWindow, Median
	r, _, err := FromDeals(deals, q, cfg)
	require.NoError(t, err)
	// Created in the window: four won deals (created 2026-05-06 ..
	// 2026-06-05); the 50-day one (April 26) and O (April 1) are older.
	// Median cycle 30.
	assert.Equal(t, 4, r.Overall.Created)
	assert.Equal(t, 4.0, r.Overall.Inputs.Opportunities)
	assert.Equal(t, 30.0, r.Overall.Inputs.CycleDays)
	assert.Len(t, r.Segments, 1)
}

// TestCycleInTimeZone: a deal created late on March 1 in New York (already
// March 2 in UTC) and closed on March 11 has a 10-day cycle in New York and
// a 9-day cycle in UTC.
func TestCycleInTimeZone(t *testing.T) {
	created := time.Date(2026, 3, 1, 23, 30, 0, 0, nyc)
	mk := func(loc *time.Location) []Deal {
		out := make([]Deal, 5)
		for i := range out {
			out[i] = Deal{ID: fmt.Sprint(i), Amount: amount("1"), Created: created, Closed: time.Date(2026, 3, 11, 0, 0, 0, 0, loc), Status: Won}
		}
		return out
	}
	for _, c := range []struct {
		loc  *time.Location
		want float64
	}{{nyc, 10}, {time.UTC, 9}} {
		w := revalign.Period{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, c.loc), End: time.Date(2026, 4, 1, 0, 0, 0, 0, c.loc)}
		r, _, err := FromDeals(mk(c.loc), w, DefaultConfig())
		require.NoError(t, err)
		assert.Equal(t, c.want, r.Overall.Cycle.Mean, "%s", c.loc)
	}
}

func TestFromDealsRejects(t *testing.T) {
	deals := []Deal{
		{ID: "neg", Amount: amount("1"), Created: day(2026, 6, 10), Closed: day(2026, 6, 1), Status: Won},
		{ID: "eur", Amount: amount("1"), Currency: "EUR", Created: day(2026, 6, 1), Closed: day(2026, 6, 10), Status: Won},
		{ID: "status", Created: day(2026, 6, 1)},
		{ID: "nocreate", Status: Open},
		{ID: "noclose", Created: day(2026, 6, 1), Status: Lost},
		{ID: "minus", Amount: amount("-5"), Created: day(2026, 6, 1), Status: Open},
		{ID: "ok", Amount: amount("1"), Currency: "usd", Created: day(2026, 6, 1), Closed: day(2026, 6, 1), Status: Won},
		// Created at 15:00 and closed the same date: 0 days, not negative.
		{ID: "sameday", Amount: amount("1"), Created: time.Date(2026, 6, 3, 15, 0, 0, 0, nyc), Closed: day(2026, 6, 3), Status: Won},
	}
	r, rejects, err := FromDeals(deals, q, DefaultConfig())
	require.NoError(t, err)
	ids := map[string]error{}
	for _, e := range rejects {
		ids[e.ID] = e.Err
	}
	assert.Len(t, ids, 6)
	assert.ErrorIs(t, ids["neg"], revalign.ErrInvalid)
	assert.Contains(t, ids["neg"].Error(), "negative cycle")
	assert.ErrorIs(t, ids["eur"], revalign.ErrCurrency)
	for _, id := range []string{"status", "nocreate", "noclose", "minus"} {
		assert.ErrorIs(t, ids[id], revalign.ErrInvalid, id)
	}
	assert.Equal(t, 6, r.Rejected)
	assert.Equal(t, 2, r.Overall.Won)
	assert.Contains(t, r.Overall.Withheld[len(r.Overall.Withheld)-1], "cycle")

	_, _, err = FromDeals(nil, revalign.Period{}, DefaultConfig())
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, _, err = FromDeals(nil, q, Config{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestZeroDayCycleIsWithheld(t *testing.T) {
	var deals []Deal
	for i := range 5 {
		deals = append(deals, Deal{ID: fmt.Sprint(i), Amount: amount("1"), Created: day(2026, 6, 1), Closed: day(2026, 6, 1), Status: Won})
	}
	r, _, err := FromDeals(deals, q, DefaultConfig())
	require.NoError(t, err)
	assert.Equal(t, []string{"cycle: won deals closed the day they were created (0 days)"}, r.Overall.Withheld)
	assert.True(t, r.Overall.Velocity.IsZero())
}

func TestConfig(t *testing.T) {
	require.NoError(t, DefaultConfig().Validate())
	err := Config{Currency: "dollars", NoDecision: "maybe", Cycle: "mode", Basis: "all", MinSample: -1}.Validate()
	for _, path := range []string{"currency", "no_decision", "cycle_statistic", "opportunity_basis", "min_sample"} {
		assert.Contains(t, err.Error(), "velocity: "+path+":")
	}
	var c Config
	require.NoError(t, config.Unmarshal([]byte(`{"currency":"EUR","no_decision":"exclude","cycle_statistic":"median","opportunity_basis":"created_in_window","min_sample":3}`), &c))
	assert.Equal(t, Config{Currency: "EUR", NoDecision: NoDecisionExclude, Cycle: Median, Basis: CreatedInWindow, MinSample: 3}, c)
	assert.Error(t, config.Unmarshal([]byte("currency: EUR\nno_decisions: loss\n"), &c))
}

func TestStatusText(t *testing.T) {
	for _, s := range []Status{Open, Won, Lost} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var got Status
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, s, got)
	}
	s, err := ParseStatus("Closed Won")
	require.NoError(t, err)
	assert.Equal(t, Won, s)
	_, err = ParseStatus("pending")
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = Status(0).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "Status(9)", Status(9).String())
	var bad Status
	assert.Error(t, bad.UnmarshalText([]byte("x")))
}

func TestSumIsExact(t *testing.T) {
	var s sum
	vals := []string{"0.1", "0.2", "123456789012.3456", "0.00001", "-5", "1e20", "99999999999999.9999"}
	want := decimal.Zero
	for _, v := range vals {
		s.add(dec(v))
		want = want.Add(dec(v))
	}
	assert.True(t, want.Equal(s.total()), "%s vs %s", s.total(), want)
	var a, b sum
	a.add(dec("1.5"))
	b.add(dec("1e25"))
	a.merge(b)
	assert.Equal(t, "10000000000000000000000001.5", a.total().String())
	var big sum
	big.add(dec("900000000000000"))
	big.add(dec("900000000000000"))
	assert.Equal(t, "1800000000000000", big.total().String(), "int64 overflow falls back")
	assert.Equal(t, 1.5, toFloat(dec("1.5")))
	assert.Equal(t, 1e30, toFloat(dec("1e30")))
}

// Each record error is its own value: changing one a caller got cannot
// change the next, and a negative cycle names both dates (in the window's
// zone, where days are counted).
func TestRecordErrorsAreFreshAndDated(t *testing.T) {
	deals := []Deal{
		{ID: "neg1", Amount: amount("1"), Created: day(2026, 6, 10), Closed: day(2026, 6, 1), Status: Won},
		{ID: "neg2", Amount: amount("1"), Created: time.Date(2026, 7, 2, 1, 0, 0, 0, time.UTC), Closed: day(2026, 6, 30), Status: Lost},
		{ID: "status1", Created: day(2026, 6, 1)},
		{ID: "status2", Created: day(2026, 6, 1), Status: 9},
	}
	_, rejects, err := FromDeals(deals, q, DefaultConfig())
	require.NoError(t, err)
	require.Len(t, rejects, 4)
	byID := map[string]error{}
	for _, r := range rejects {
		byID[r.ID] = r.Err
	}
	var cyc *NegativeCycleError
	require.ErrorAs(t, byID["neg1"], &cyc)
	assert.Equal(t, "2026-06-10", cyc.Created.Format(time.DateOnly))
	assert.Equal(t, "2026-06-01", cyc.Closed.Format(time.DateOnly))
	assert.EqualError(t, byID["neg1"], "velocity: closed: 2026-06-01 is before the creation date 2026-06-10 (negative cycle)")
	// 01:00 UTC on Jul 2 is Jul 1 in New York, the window's zone.
	assert.EqualError(t, byID["neg2"], "velocity: closed: 2026-06-30 is before the creation date 2026-07-01 (negative cycle)")
	assert.ErrorIs(t, byID["neg2"], revalign.ErrInvalid)

	var fe *revalign.FieldError
	require.ErrorAs(t, byID["status1"], &fe)
	fe.Reason = "changed by a caller"
	assert.NotContains(t, byID["status2"].Error(), "changed by a caller")
	assert.Contains(t, byID["status2"].Error(), "unknown status, got 9")
	_, rejects, _ = FromDeals(deals[2:3], q, DefaultConfig())
	assert.NotContains(t, rejects[0].Error(), "changed by a caller")
}
