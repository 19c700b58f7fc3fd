package bowtie_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
)

func mv(acct string, month time.Time, k bowtie.MovementKind, change, after, cur string) bowtie.Movement {
	return bowtie.Movement{Account: acct, Month: month, Kind: k, Change: dec(change), ARRAfter: dec(after), Currency: cur}
}

func month(y int, m time.Month) time.Time { return day(y, m, 1) }

// handCohort is the hand-worked cohort of TestRetentionHandWorked, Q1 2026:
//
//	A  1000 → expands +500 in Feb                 start 1000, end 1500
//	B  2000 → contracts −500 in Jan               start 2000, end 1500
//	C  3000 → churns in Mar (never reached value) start 3000, end 0
//	D  1000 → churns in Jan, reactivates +800 Mar start 1000, end 800
//	E  new logo in Feb, 700                       not in the cohort
//	F  churned in 2025, reactivates +600 in Feb   not in the cohort
//	G  EUR 1000 → expands EUR +100 in Mar; at 1.10 USD/EUR start 1100, end 1210
func handCohort() []bowtie.Movement {
	return []bowtie.Movement{
		mv("A", month(2025, 6), bowtie.NewLogo, "1000", "1000", "USD"),
		mv("A", month(2026, 2), bowtie.Expansion, "500", "1500", "USD"),
		mv("B", month(2026, 1), bowtie.Contraction, "-500", "1500", "USD"), // out of order on purpose
		mv("B", month(2025, 3), bowtie.NewLogo, "2000", "2000", "USD"),
		mv("C", month(2025, 1), bowtie.NewLogo, "3000", "3000", "USD"),
		mv("C", month(2026, 3), bowtie.Churn, "-3000", "0", "USD"),
		mv("D", month(2025, 2), bowtie.NewLogo, "1000", "1000", "USD"),
		mv("D", month(2026, 1), bowtie.Churn, "-1000", "0", "USD"),
		mv("D", month(2026, 3), bowtie.Reactivation, "800", "800", "USD"),
		mv("E", month(2026, 2), bowtie.NewLogo, "700", "700", "USD"),
		mv("F", month(2024, 5), bowtie.NewLogo, "400", "400", "USD"),
		mv("F", month(2025, 8), bowtie.Churn, "-400", "0", "USD"),
		mv("F", month(2026, 2), bowtie.Reactivation, "600", "600", "USD"),
		mv("G", month(2025, 1), bowtie.NewLogo, "1000", "1000", "EUR"),
		mv("G", month(2026, 3), bowtie.Expansion, "100", "1100", "EUR"),
	}
}

func handOptions(p bowtie.ReactivationPolicy) bowtie.RetentionOptions {
	return bowtie.RetentionOptions{
		Rates:        revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": dec("1.10")}},
		Reactivation: p,
		Customers: []bowtie.Customer{
			{Account: "A", FirstValue: day(2025, 7, 1), Renewals: []time.Time{day(2026, 6, 1)}},
			{Account: "B", FirstValue: day(2025, 4, 1), Renewals: []time.Time{day(2026, 2, 15)}},
			{Account: "C", Renewals: []time.Time{day(2026, 3, 1)}}, // never reached first value
			{Account: "D", FirstValue: day(2025, 3, 1)},
			{Account: "Z", FirstValue: day(2025, 3, 1)}, // no movements: ignored
		},
	}
}

func TestRetentionHandWorked(t *testing.T) {
	out, errs, err := bowtie.Retention(handCohort(), []revalign.Period{q1()}, handOptions(bowtie.ReactivationExcluded))
	require.NoError(t, err)
	assert.Empty(t, errs)
	require.Len(t, out, 1)
	r := out[0]

	// Cohort A B C D G; E (new) and F (churned before) are excluded.
	c := r.Cohort
	assert.Equal(t, 5, c.Accounts)
	assert.Equal(t, "8100", c.StartARR.String()) // 1000+2000+3000+1000+1100
	assert.Equal(t, "610", c.Expansion.String()) // A 500 + G 110
	assert.Equal(t, "500", c.Contraction.String())
	assert.Equal(t, "4000", c.Churn.String()) // C 3000 + D 1000
	assert.Equal(t, "0", c.Reactivation.String())
	assert.Equal(t, "4210", c.EndARR.String())      // 1500+1500+0+0+1210
	assert.Equal(t, "3600", c.RetainedARR.String()) // 1000+1500+0+0+1100
	assert.InDelta(t, 4210.0/8100, r.NRR, 1e-12)
	assert.InDelta(t, 3600.0/8100, r.GRR, 1e-12)
	assert.Equal(t, 2, r.LostLogos) // C, D
	assert.InDelta(t, 0.4, r.LogoChurn, 1e-12)
	assert.Equal(t, 2, r.RenewalsDue) // B (Feb 15), C (Mar 1)
	assert.Equal(t, 1, r.LostAtRenewal)
	assert.InDelta(t, 0.5, r.RenewalLogoChurn, 1e-12)

	b := r.Bridge
	assert.Equal(t, "8100", b.Start.String())
	assert.Equal(t, "700", b.New.String())
	assert.Equal(t, "1400", b.Reactivation.String()) // D 800 + F 600
	assert.Equal(t, "610", b.Expansion.String())
	assert.Equal(t, "500", b.Contraction.String())
	assert.Equal(t, "4000", b.Churn.String())
	assert.Equal(t, "6310", b.End.String())
	assert.Equal(t, "-1790", b.Change().String())
	assert.NoError(t, b.Check())

	require.NotNil(t, r.ChurnSplit)
	assert.Equal(t, 1, r.ChurnSplit.Onboarding.Logos) // C
	assert.Equal(t, "3000", r.ChurnSplit.Onboarding.ARR.String())
	assert.Equal(t, 1, r.ChurnSplit.Usage.Logos) // D
	assert.Equal(t, "1000", r.ChurnSplit.Usage.ARR.String())
	assert.Equal(t, "USD", r.Currency)
}

func TestRetentionReactivationCounted(t *testing.T) {
	out, _, err := bowtie.Retention(handCohort(), []revalign.Period{q1()}, handOptions(bowtie.ReactivationCounted))
	require.NoError(t, err)
	r := out[0]
	assert.Equal(t, "800", r.Cohort.Reactivation.String())
	assert.Equal(t, "5010", r.Cohort.EndARR.String()) // D's 800 counts
	assert.InDelta(t, 5010.0/8100, r.NRR, 1e-12)
	assert.InDelta(t, 3600.0/8100, r.GRR, 1e-12, "GRR never counts a reactivation")
	assert.Equal(t, 1, r.LostLogos) // C only
	assert.Equal(t, bowtie.ReactivationCounted, r.Reactivation)
}

func TestRetentionSeveralPeriodsInOnePass(t *testing.T) {
	cal := revalign.FiscalCalendar{}
	periods := cal.Periods(revalign.Quarter, day(2025, 1, 1), day(2026, 4, 1))
	out, _, err := bowtie.Retention(handCohort(), periods, bowtie.RetentionOptions{Rates: handOptions(0).Rates})
	require.NoError(t, err)
	require.Len(t, out, 5)
	// Q1 2025: C and G new in Jan (3000 + 1100), B new in Mar (2000), D in Feb (1000).
	assert.Equal(t, "7100", out[0].Bridge.New.String())
	assert.Equal(t, 1, out[0].Cohort.Accounts, "only F, new in 2024")
	assert.InDelta(t, 1, out[0].NRR, 1e-12)
	assert.Nil(t, out[0].ChurnSplit, "no customers given")
	// Q3 2025: F churns (400) from a cohort of A B C D F G.
	assert.Equal(t, 6, out[2].Cohort.Accounts)
	assert.Equal(t, "400", out[2].Bridge.Churn.String())
	for i, r := range out {
		assert.NoError(t, r.Bridge.Check(), "period %d", i)
		if i > 0 {
			assert.True(t, out[i-1].Bridge.End.Equal(r.Bridge.Start), "periods chain")
		}
	}
}

func TestRetentionRecordErrors(t *testing.T) {
	ms := []bowtie.Movement{
		mv("", month(2026, 1), bowtie.NewLogo, "1", "1", "USD"),
		mv("k", time.Time{}, bowtie.NewLogo, "1", "1", "USD"),
		{Account: "k2", Month: month(2026, 1), Change: dec("1"), ARRAfter: dec("1"), Currency: "USD"},
		mv("jp", month(2026, 1), bowtie.NewLogo, "100", "100", "JPY"),        // no JPY rate
		mv("nc", month(2026, 1), bowtie.NewLogo, "100", "100", ""),           // no currency
		mv("cents", month(2026, 1), bowtie.NewLogo, "1.005", "1.005", "USD"), // sub-cent
		mv("x", month(2026, 1), bowtie.Expansion, "100", "100", "USD"),       // expansion from zero
		mv("y", month(2025, 1), bowtie.NewLogo, "100", "100", "USD"),
		mv("y", month(2026, 1), bowtie.Churn, "-50", "50", "USD"),   // churn must reach 0
		mv("y", month(2026, 2), bowtie.NewLogo, "10", "110", "USD"), // new on a live account
		mv("z", month(2025, 1), bowtie.NewLogo, "100", "100", "USD"),
		mv("z", month(2026, 2), bowtie.Contraction, "-100", "0", "USD"), // contraction to zero
		mv("w", month(2025, 1), bowtie.NewLogo, "100", "100", "USD"),
		mv("w", month(2026, 2), bowtie.Expansion, "50", "170", "USD"), // change disagrees: kept, balances win
		mv("n", month(2025, 1), bowtie.NewLogo, "100", "-5", "USD"),
	}
	out, errs, err := bowtie.Retention(ms, []revalign.Period{q1()}, bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD"}})
	require.NoError(t, err)
	paths := map[string]string{}
	for _, e := range errs {
		assert.ErrorIs(t, e, revalign.ErrInvalid)
		var fe *revalign.FieldError
		require.ErrorAs(t, e, &fe)
		paths[e.ID] += fe.Path + " "
	}
	assert.Equal(t, map[string]string{
		"record 0": "account ", "k": "month ", "k2": "kind ", "jp": "currency ", "nc": "currency ",
		"cents": "arr_after ", "x": "kind ", "y": "kind kind ", "z": "kind ", "w": "arr_change ", "n": "kind ",
	}, paths)
	r := out[0]
	// Cohort: y (100), z (100), w (100). w's expansion counts as 70, the
	// balance difference.
	assert.Equal(t, 3, r.Cohort.Accounts)
	assert.Equal(t, "70", r.Bridge.Expansion.String())
	assert.NoError(t, r.Bridge.Check())
}

func TestRetentionRejectsBadOptions(t *testing.T) {
	_, _, err := bowtie.Retention(nil, []revalign.Period{q1()}, bowtie.RetentionOptions{})
	assert.Contains(t, fieldPaths(t, err), "rates.base")
	_, _, err = bowtie.Retention(nil, []revalign.Period{{Start: day(2026, 2, 1), End: day(2026, 1, 1)}}, bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD"}})
	assert.Contains(t, fieldPaths(t, err), "periods[0]")
	_, _, err = bowtie.Retention(nil, nil, bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD"}, Reactivation: 5})
	assert.Contains(t, fieldPaths(t, err), "reactivation")
}

func TestRetentionOverflow(t *testing.T) {
	big := "90000000000000" // 9e13 = 9e15 cents, just under 2^53
	var ms []bowtie.Movement
	for i := range 2000 {
		ms = append(ms, mv(string(rune('a'+i%26))+string(rune('A'+i/26)), month(2025, 1), bowtie.NewLogo, big, big, "USD"))
	}
	_, _, err := bowtie.Retention(ms, []revalign.Period{q1()}, bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD"}})
	assert.ErrorIs(t, err, bowtie.ErrOverflow)
}

// randomMovements builds consistent movement histories in USD and EUR.
func randomMovements(r *rand.Rand, accounts int) []bowtie.Movement {
	var out []bowtie.Movement
	for a := range accounts {
		id := string(rune('a'+a%26)) + string(rune('a'+a/26))
		cur := []string{"USD", "EUR"}[r.IntN(2)]
		var arr int64
		start := r.IntN(24)
		for m := start; m < 36; m++ {
			if r.IntN(3) == 0 {
				continue
			}
			var k bowtie.MovementKind
			var d int64
			switch {
			case arr == 0 && m == start:
				k, d = bowtie.NewLogo, 1+r.Int64N(1_000_000)
			case arr == 0:
				k, d = bowtie.Reactivation, 1+r.Int64N(500_000)
			case r.IntN(8) == 0:
				k, d = bowtie.Churn, -arr
			case r.IntN(2) == 0 || arr < 2:
				k, d = bowtie.Expansion, 1+r.Int64N(100_000)
			default:
				k, d = bowtie.Contraction, -(1 + r.Int64N(arr-1))
			}
			arr += d
			out = append(out, bowtie.Movement{Account: id, Month: month(2024, time.Month(1+m)), Kind: k,
				Change: decimal.New(d, -2), ARRAfter: decimal.New(arr, -2), Currency: cur})
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func TestRetentionBridgeAlwaysSums(t *testing.T) {
	opts := bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": dec("1.0837")}}}
	periods := revalign.FiscalCalendar{StartMonth: time.March}.Periods(revalign.Quarter, day(2024, 1, 1), day(2027, 1, 1))
	periods = append(periods, revalign.Period{Start: day(2024, 5, 17), End: day(2026, 2, 3)}) // overlapping, odd bounds
	for seed := range uint64(30) {
		r := rand.New(rand.NewPCG(seed, 5))
		ms := randomMovements(r, 60)
		for _, pol := range []bowtie.ReactivationPolicy{bowtie.ReactivationExcluded, bowtie.ReactivationCounted} {
			opts.Reactivation = pol
			out, errs, err := bowtie.Retention(ms, periods, opts)
			require.NoError(t, err)
			require.Empty(t, errs, "seed %d", seed)
			for _, p := range out {
				require.NoError(t, p.Bridge.Check(), "seed %d %s", seed, p.Period)
				c := p.Cohort
				cohortEnd := c.StartARR.Add(c.Expansion).Sub(c.Contraction).Sub(c.Churn).Add(c.Reactivation)
				assert.True(t, cohortEnd.Equal(c.EndARR), "cohort sums: seed %d %s", seed, p.Period)
				assert.LessOrEqual(t, p.GRR, 1.0)
				assert.GreaterOrEqual(t, p.GRR, 0.0)
				assert.LessOrEqual(t, p.GRR, p.NRR+1e-12)
				assert.LessOrEqual(t, p.LostLogos, c.Accounts)
				assert.True(t, c.RetainedARR.LessThanOrEqual(c.StartARR))
				// The per-customer GRR's parts add up, and the formula's
				// never exceeds it (expansion only offsets contraction
				// within a customer).
				assert.True(t, c.StartARR.Sub(c.NetContraction).Sub(c.ChurnedStartARR).Equal(c.RetainedARR), "seed %d %s", seed, p.Period)
				assert.True(t, p.GRRFormula >= 0 && p.GRRFormula <= p.GRR+1e-12, "seed %d %s: %v > %v", seed, p.Period, p.GRRFormula, p.GRR)
				if pol == bowtie.ReactivationExcluded && c.StartARR.IsPositive() {
					f, _ := c.StartARR.Sub(c.Contraction).Sub(c.Churn).Div(c.StartARR).Float64()
					assert.InDelta(t, max(f, 0), p.GRRFormula, 1e-12)
				}
			}
		}
	}
}

func TestRetentionBridgeMatchesChangesInBaseCurrency(t *testing.T) {
	// With one currency, each bridge line is exactly the sum of the
	// movements' Change of that kind (an independent sum in decimal).
	r := rand.New(rand.NewPCG(42, 6))
	ms := randomMovements(r, 80)
	for i := range ms {
		ms[i].Currency = "USD"
	}
	p := revalign.Period{Start: day(2024, 4, 1), End: day(2026, 7, 1)}
	out, errs, err := bowtie.Retention(ms, []revalign.Period{p}, bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD"}})
	require.NoError(t, err)
	require.Empty(t, errs)
	want := map[bowtie.MovementKind]decimal.Decimal{}
	for _, m := range ms {
		if p.Contains(m.Month) {
			want[m.Kind] = want[m.Kind].Add(m.Change.Abs())
		}
	}
	b := out[0].Bridge
	assert.True(t, want[bowtie.NewLogo].Equal(b.New))
	assert.True(t, want[bowtie.Expansion].Equal(b.Expansion))
	assert.True(t, want[bowtie.Contraction].Equal(b.Contraction))
	assert.True(t, want[bowtie.Churn].Equal(b.Churn))
	assert.True(t, want[bowtie.Reactivation].Equal(b.Reactivation))
}

// FuzzRetention feeds arbitrary amounts and kinds: Retention never panics,
// every bridge sums exactly and every cohort reconciles, whatever it had to
// reject.
func FuzzRetention(f *testing.F) {
	f.Add("1000", "1000", uint8(1), "500", "1500", uint8(2), "-1500", "0", uint8(4), "EUR")
	f.Add("0.001", "5", uint8(3), "1e30", "-2", uint8(5), "7", "7", uint8(9), "")
	f.Fuzz(func(t *testing.T, c1, a1 string, k1 uint8, c2, a2 string, k2 uint8, c3, a3 string, k3 uint8, cur string) {
		parse := func(s string) decimal.Decimal {
			d, err := decimal.NewFromString(s)
			if err != nil {
				t.Skip("the fuzzer's amount is not a decimal number")
			}
			return d
		}
		ms := []bowtie.Movement{
			{Account: "a", Month: month(2025, 11), Kind: bowtie.MovementKind(k1), Change: parse(c1), ARRAfter: parse(a1), Currency: "USD"},
			{Account: "a", Month: month(2026, 2), Kind: bowtie.MovementKind(k2), Change: parse(c2), ARRAfter: parse(a2), Currency: cur},
			{Account: "b", Month: month(2026, 1), Kind: bowtie.MovementKind(k3), Change: parse(c3), ARRAfter: parse(a3), Currency: "USD"},
		}
		opts := bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": dec("1.0837")}}}
		out, _, err := bowtie.Retention(ms, []revalign.Period{q1(), {Start: day(2025, 1, 1), End: day(2027, 1, 1)}}, opts)
		if err != nil {
			assert.ErrorIs(t, err, bowtie.ErrOverflow)
			return
		}
		for _, p := range out {
			require.NoError(t, p.Bridge.Check())
			c := p.Cohort
			assert.True(t, c.StartARR.Add(c.Expansion).Sub(c.Contraction).Sub(c.Churn).Add(c.Reactivation).Equal(c.EndARR))
			assert.True(t, p.GRR >= 0 && p.GRR <= 1, "GRR %v", p.GRR)
		}
	})
}

func TestRetentionOptionsRoundTrip(t *testing.T) {
	opts := handOptions(bowtie.ReactivationCounted)
	opts.Customers[2].FirstValue = day(2025, 5, 1)
	roundTrip(t, opts)
}

// The two GRRs on the customer that contracts 100 → 80 and expands back to
// 110 within the quarter. Customer by customer it kept all of its start
// (its own expansion won the contraction back): GRR 100%. REFERENCE §4's
// formula counts every contraction: (100 − 20 − 0) ÷ 100 = 80%.
func TestRetentionGRRMethods(t *testing.T) {
	ms := []bowtie.Movement{
		mv("X", month(2025, 6), bowtie.NewLogo, "100", "100", "USD"),
		mv("X", month(2026, 1), bowtie.Contraction, "-20", "80", "USD"),
		mv("X", month(2026, 2), bowtie.Expansion, "30", "110", "USD"),
	}
	out, errs, err := bowtie.Retention(ms, []revalign.Period{q1()}, bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD"}})
	require.NoError(t, err)
	require.Empty(t, errs)
	r := out[0]
	c := r.Cohort
	assert.Equal(t, "100", c.RetainedARR.String())
	assert.Equal(t, "0", c.NetContraction.String())
	assert.Equal(t, "0", c.ChurnedStartARR.String())
	assert.Equal(t, 1.0, r.GRR)
	assert.Equal(t, "20", c.Contraction.String())
	assert.InDelta(t, 0.8, r.GRRFormula, 1e-12)
	assert.InDelta(t, 1.1, r.NRR, 1e-12)

	// The hand-worked cohort: per customer A keeps 1000, B 1500 (net
	// contraction 500), C and D churned (start 3000 + 1000), G 1100;
	// formula (8100 − 500 − 4000) ÷ 8100.
	out, _, err = bowtie.Retention(handCohort(), []revalign.Period{q1()}, handOptions(bowtie.ReactivationExcluded))
	require.NoError(t, err)
	hc := out[0].Cohort
	assert.Equal(t, "500", hc.NetContraction.String())
	assert.Equal(t, "4000", hc.ChurnedStartARR.String())
	assert.True(t, hc.StartARR.Sub(hc.NetContraction).Sub(hc.ChurnedStartARR).Equal(hc.RetainedARR))
	assert.InDelta(t, 3600.0/8100, out[0].GRR, 1e-12)
	assert.InDelta(t, 3600.0/8100, out[0].GRRFormula, 1e-12, "no customer both contracts and expands")

	// A customer that expands then churns everything loses more than it
	// started with: the formula is floored at 0.
	ms = []bowtie.Movement{
		mv("Y", month(2025, 6), bowtie.NewLogo, "100", "100", "USD"),
		mv("Y", month(2026, 1), bowtie.Expansion, "50", "150", "USD"),
		mv("Y", month(2026, 2), bowtie.Churn, "-150", "0", "USD"),
	}
	out, _, err = bowtie.Retention(ms, []revalign.Period{q1()}, bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD"}})
	require.NoError(t, err)
	assert.Zero(t, out[0].GRRFormula)
	assert.Zero(t, out[0].GRR)
	assert.Equal(t, "100", out[0].Cohort.ChurnedStartARR.String())
}
