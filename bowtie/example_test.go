package bowtie_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
)

func ExampleModel_Validate() {
	m := bowtie.DefaultModel()
	fmt.Println(m.Validate())

	// Two primaries on Onboard, and no handoff out of Commit.
	m.Stages[4].Owners[1].Role = bowtie.Primary
	m.Stages[3].Handoff = nil
	fmt.Println(m.Validate())
	// Output:
	// <nil>
	// bowtie: stages[3].handoff: handoff criteria to "Onboard" missing
	// bowtie: stages[4].owners[1].role: a stage has exactly one primary owner; this is the second, got "primary"
}

func ExampleModel_Measure() {
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	events := []bowtie.Event{
		{Entity: "acme", Stage: "Awareness", At: at(1, 5)},
		{Entity: "acme", Stage: "Selection", At: at(1, 20)}, // skips Education
		{Entity: "acme", Stage: "Commit", At: at(2, 10)},
		{Entity: "globex", Stage: "Awareness", At: at(1, 8)},
		{Entity: "globex", Stage: "Education", At: at(1, 15)},
		{Entity: "globex", Stage: "Education", At: at(2, 1), Lost: true},
		{Entity: "initech", Stage: "Awareness", At: at(3, 20)}, // still inside at the end
	}
	window := revalign.Period{Start: at(1, 1), End: at(4, 1)}
	rep, bad, err := bowtie.DefaultModel().Measure(events, window, bowtie.Options{})
	if err != nil {
		panic(err)
	}
	for _, t := range rep.Transitions[:3] {
		fmt.Printf("%-9s → %-9s entered %d converted %d lost %d censored %d: %.0f%%\n",
			t.From, t.To, t.Entered, t.Converted, t.Lost, t.Censored, 100*t.Conversion)
	}
	win, _ := rep.CompoundConversion("Awareness", "Commit")
	fmt.Printf("implied win rate %.0f%%, bad records %d\n", 100*win, len(bad))
	// Output:
	// Awareness → Education entered 3 converted 2 lost 0 censored 1: 100%
	// Education → Selection entered 2 converted 1 lost 1 censored 0: 50%
	// Selection → Commit    entered 1 converted 1 lost 0 censored 0: 100%
	// implied win rate 50%, bad records 0
}

func ExampleDiagnose() {
	// A measured bowtie (counts by hand): the left side converts near its
	// benchmarks, the right side leaks between Onboard and Impact: 55%
	// against 90%. Closing that gap keeps 60 × 0.35 = 21 more customers, of
	// whom 88% go on to Growth: 18.48 × 30,000 = 554,400 ARR a year,
	// compounding at NRR 105% over 4 years (× 4.310125).
	counts := []struct {
		entered, converted int
	}{{2000, 400}, {400, 100}, {100, 19}, {20, 19}, {60, 33}, {50, 44}}
	q1 := revalign.Period{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	rep, _, _ := bowtie.DefaultModel().Measure(nil, q1, bowtie.Options{}) // the bowtie's shape, then the counts
	for i, c := range counts {
		t := &rep.Transitions[i]
		t.Entered, t.Converted, t.Lost = c.entered, c.converted, c.entered-c.converted
		t.Conversion, t.Withheld = float64(c.converted)/float64(c.entered), false
	}
	econ := bowtie.Economics{Currency: "USD", AverageDealARR: decimal.NewFromInt(30000),
		AverageCustomerARR: decimal.NewFromInt(30000), NRR: 1.05, Years: 4}
	d, err := bowtie.Diagnose(rep, bowtie.DefaultBenchmarks(), econ)
	if err != nil {
		panic(err)
	}
	for _, r := range d.Rankings {
		l := r.Leak
		fmt.Printf("%-17s %s → %s (%.0f%%), owner %s\n", r.Definition, l.From, l.To, 100*l.Conversion, l.Owner)
	}
	leak, _ := d.Leak(bowtie.LargestImpact)
	fmt.Printf("closing it keeps %s a year, recurring %v: %s over %d years\n", leak.Impact.ARR, leak.Impact.Recurring, leak.Impact.Total, econ.Years)
	// Output:
	// lowest_conversion Selection → Commit (19%), owner VP Sales (sales)
	// largest_gap       Onboard → Impact (55%), owner VP Customer Success (customer-success)
	// largest_impact    Onboard → Impact (55%), owner VP Customer Success (customer-success)
	// closing it keeps 554400 a year, recurring true: 2389533.3 over 4 years
}

func ExampleEconomics_Compound() {
	// Right-side gains recur: cohort ARR 100 kept for 4 years.
	for _, nrr := range []float64{1.0, 1.1} {
		e := bowtie.Economics{Currency: "USD", NRR: nrr, Years: 4}
		total, run, _ := e.Compound(decimal.NewFromInt(100))
		fmt.Printf("NRR %.0f%%: %s over 4 years, year-4 run-rate %s\n", 100*nrr, total, run)
	}
	// Output:
	// NRR 100%: 400 over 4 years, year-4 run-rate 100
	// NRR 110%: 464.1 over 4 years, year-4 run-rate 133.1
}

func ExampleRetention() {
	m := func(acct string, y int, mo time.Month, k bowtie.MovementKind, change, after int64) bowtie.Movement {
		return bowtie.Movement{Account: acct, Month: time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC), Kind: k,
			Change: decimal.NewFromInt(change), ARRAfter: decimal.NewFromInt(after), Currency: "USD"}
	}
	movements := []bowtie.Movement{
		m("a", 2025, 1, bowtie.NewLogo, 1000, 1000),
		m("b", 2025, 1, bowtie.NewLogo, 1000, 1000),
		m("a", 2026, 2, bowtie.Expansion, 300, 1300),
		m("b", 2026, 3, bowtie.Churn, -1000, 0),
		m("c", 2026, 2, bowtie.NewLogo, 500, 500), // a new logo: not in the cohort
	}
	q1 := revalign.Period{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	out, bad, err := bowtie.Retention(movements, []revalign.Period{q1}, bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD"}})
	if err != nil {
		panic(err)
	}
	r := out[0]
	fmt.Printf("NRR %.0f%%, GRR %.0f%%, logo churn %.0f%%, bad records %d\n", 100*r.NRR, 100*r.GRR, 100*r.LogoChurn, len(bad))
	b := r.Bridge
	fmt.Printf("bridge: %s + new %s + expansion %s − churn %s = %s\n", b.Start, b.New, b.Expansion, b.Churn, b.End)
	// Output:
	// NRR 65%, GRR 50%, logo churn 50%, bad records 0
	// bridge: 2000 + new 500 + expansion 300 − churn 1000 = 1800
}

func ExampleRules_Evaluate() {
	var snaps []bowtie.Snapshot
	for d := 1; d <= 10; d++ { // at the seat limit for ten days
		snaps = append(snaps, bowtie.Snapshot{Account: "acme", At: time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC),
			ActiveUsers: 50, Seats: 50, SeatLimit: 80, ARR: decimal.NewFromInt(60000), Currency: "USD",
			RenewalDate: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)})
	}
	triggers, _, err := bowtie.DefaultRules().Evaluate(snaps, revalign.Rates{Base: "USD"})
	if err != nil {
		panic(err)
	}
	for _, t := range triggers {
		fmt.Printf("%s %s %s: %s (%s at stake), %s\n", t.At.Format(time.DateOnly), t.Account, t.Play, t.Action, t.ARRAtStake, t.Owner)
	}
	// Output:
	// 2026-03-01 acme renewal: renewal prep: impact review before the renewal date (60000 at stake), VP Customer Success (customer-success)
	// 2026-03-01 acme expansion: expansion offer: every seat in use (60000 at stake), VP Customer Success (customer-success)
}

func ExampleModel_MapDemandStates() {
	mkt := revalign.Owner{Name: "VP Marketing", Team: revalign.Marketing}
	sales := revalign.Owner{Name: "VP Sales", Team: revalign.Sales}
	states := []bowtie.StateMapping{
		{State: "unaware", Owner: mkt, Stages: []string{"Awareness"}},
		{State: "problem-aware", Owner: mkt, Stages: []string{"Awareness", "Education"}},
		{State: "solution-aware", Owner: mkt, Stages: []string{"Education"}},
		{State: "partner-aware", Owner: sales, Stages: []string{"Selection"}},
		{State: "decision-ready", Owner: sales, Stages: []string{"Selection", "Commit"}},
		{State: "post-purchase", Owner: sales, Stages: []string{"Onboard"}},
	}
	cov, err := bowtie.DefaultModel().MapDemandStates(states)
	if err != nil {
		panic(err)
	}
	for _, a := range cov.Ambiguities {
		fmt.Printf("%-14s %s\n", a.Kind, a.Detail)
	}
	// Output:
	// uncovered      no demand state covers Impact: nobody's working definition says when an item is in it
	// uncovered      no demand state covers Growth: nobody's working definition says when an item is in it
	// split_state    "problem-aware" is mapped to Awareness and Education: its definition straddles a stage boundary
	// split_state    "decision-ready" is mapped to Selection and Commit: its definition straddles a stage boundary
	// owner_mismatch "post-purchase" is owned by VP Sales (sales) but Onboard is owned by VP Customer Success (customer-success)
}
