package demandstate_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/demandstate"
)

// A lead who visited the pricing page three days ago is decision-ready
// under the default model.
func ExampleClassifier_Classify() {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	m := demandstate.DefaultModel()
	cl, err := demandstate.NewClassifier(m)
	if err != nil {
		panic(err)
	}
	rec, err := m.Record("L-1", map[string]demandstate.Value{
		demandstate.SignalCustomer:  demandstate.Bool(false),
		demandstate.SignalEngagedAt: demandstate.Time(asOf.AddDate(0, 0, -3)),
		demandstate.SignalPricingAt: demandstate.Time(asOf.AddDate(0, 0, -3)),
	})
	if err != nil {
		panic(err)
	}
	state, err := cl.Classify(rec, asOf)
	fmt.Println(state, err, m.Owner(state))
	// Output: decision-ready <nil> VP Sales (sales)
}

// A first draft whose definitions overlap: content in the last 90 days
// makes a lead solution-aware, a pricing-page visit in the last 14 days
// decision-ready — and a lead who did both is in two states at once.
func ExampleClassifier_Audit() {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	owner := revalign.Owner{Name: "VP Sales", Team: revalign.Sales}
	m := demandstate.Model{
		Signals: []demandstate.Signal{
			{Name: "content_at", Type: demandstate.TypeTime},
			{Name: "pricing_at", Type: demandstate.TypeTime},
		},
		States: []demandstate.StateDef{
			{Name: demandstate.SolutionAware, Owners: []demandstate.StateOwner{{Owner: owner}},
				Entry: []demandstate.Criterion{{Signal: "content_at", Op: demandstate.WithinDays, Days: 90}}},
			{Name: demandstate.DecisionReady, Owners: []demandstate.StateOwner{{Owner: owner}},
				Entry: []demandstate.Criterion{{Signal: "pricing_at", Op: demandstate.WithinDays, Days: 14}}},
		},
	}
	cl, err := demandstate.NewClassifier(m)
	if err != nil {
		panic(err)
	}
	days := func(d int) demandstate.Value { return demandstate.Time(asOf.AddDate(0, 0, -d)) }
	records := []demandstate.Record{
		{ID: "L-1", Values: []demandstate.Value{days(30), {}}},
		{ID: "L-2", Values: []demandstate.Value{days(30), days(2)}},
		{ID: "L-3", Values: []demandstate.Value{{}, days(5)}},
		{ID: "L-4", Values: []demandstate.Value{days(200), {}}},
	}
	a := cl.Audit(records, asOf)
	for _, s := range a.States {
		fmt.Printf("%s: %d\n", s.State, s.Count)
	}
	for _, p := range a.Pairs {
		fmt.Printf("ambiguous %s / %s: %d %v\n", p.States[0], p.States[1], p.Count, p.Examples)
	}
	fmt.Println("unclassified:", a.Unclassified)

	_, err = cl.Classify(records[1], asOf)
	fmt.Println(errors.Is(err, demandstate.ErrAmbiguous))
	// Output:
	// solution-aware: 1
	// decision-ready: 1
	// ambiguous solution-aware / decision-ready: 1 [L-2]
	// unclassified: [L-4]
	// true
}

// The default router sends each state to its next action and owner, and
// anything that cannot be classified to a named review queue.
func ExampleDispatcher_RouteBatch() {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	m := demandstate.DefaultModel()
	cl, err := demandstate.NewClassifier(m)
	if err != nil {
		panic(err)
	}
	d, err := demandstate.NewDispatcher(cl, demandstate.DefaultRouter())
	if err != nil {
		panic(err)
	}
	ago := func(days int) demandstate.Value { return demandstate.Time(asOf.AddDate(0, 0, -days)) }
	var records []demandstate.Record
	for _, f := range []struct {
		id    string
		facts map[string]demandstate.Value
	}{
		{"L-1", map[string]demandstate.Value{"customer": demandstate.Bool(false), "engaged_at": ago(1), "demo_request_at": ago(1)}},
		{"L-2", map[string]demandstate.Value{"customer": demandstate.Bool(false), "engaged_at": ago(20), "content_at": ago(20)}},
		{"L-3", map[string]demandstate.Value{"customer": demandstate.Bool(false)}},
		{"L-4", map[string]demandstate.Value{"engaged_at": ago(3)}}, // customer flag missing
	} {
		r, err := m.Record(f.id, f.facts)
		if err != nil {
			panic(err)
		}
		records = append(records, r)
	}
	decisions, _ := d.RouteBatch(records, asOf, nil)
	for _, dec := range decisions {
		fmt.Printf("%s → %s by %s (%s)\n", dec.ID, dec.Action, dec.Owner.Name, dec.Why())
	}
	// Output:
	// L-1 → sales_conversation by VP Sales (state decision-ready, rule "decision-ready → sales conversation")
	// L-2 → nurture_sequence by VP Marketing (state solution-aware, rule "solution-aware → nurture sequence")
	// L-3 → research_content_path by VP Marketing (state unaware, rule "unaware → research content path")
	// L-4 → review_definitions by RevOps lead (meets no state's criteria: review queue "demand-state review")
}

// The content map's gaps: cells of the state × role grid with no live
// asset. Security reviewers have nothing in solution-aware or
// decision-ready, so reps build security answers from scratch.
func ExampleContentMap_Gaps() {
	m := demandstate.DefaultContentMap()
	m.States = []demandstate.State{demandstate.SolutionAware, demandstate.DecisionReady}
	m.Roles = []demandstate.Role{demandstate.EconomicBuyer, demandstate.SecurityReviewer}
	created := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	m.Assets = []demandstate.Asset{
		{ID: "A1", Title: "ROI guide", State: demandstate.SolutionAware, Role: demandstate.EconomicBuyer, CreatedAt: created},
		{ID: "A2", Title: "Business case", State: demandstate.DecisionReady, Role: demandstate.EconomicBuyer, CreatedAt: created},
		{ID: "A3", Title: "2023 SOC 2 letter", State: demandstate.DecisionReady, Role: demandstate.SecurityReviewer, CreatedAt: created, Retired: true},
	}
	for _, g := range m.Gaps() {
		fmt.Println(g.State, "×", g.Role)
	}
	// Output:
	// solution-aware × security_reviewer
	// decision-ready × security_reviewer
}

// The monthly demand-state review: transitions in March and how many were
// regressions.
func ExampleModel_Review() {
	m := demandstate.DefaultModel()
	d := func(day int) time.Time { return time.Date(2026, 3, day, 0, 0, 0, 0, time.UTC) }
	histories := []demandstate.History{
		{ID: "L-1", Owner: "ann", Changes: []demandstate.Change{
			{State: demandstate.ProblemAware, EnteredAt: d(1)},
			{State: demandstate.DecisionReady, EnteredAt: d(6)},
			{State: demandstate.SolutionAware, EnteredAt: d(20)},
		}},
	}
	march := revalign.FiscalCalendar{}.Month(d(15))
	rv, bad := m.Review(histories, march)
	for _, f := range rv.Flows {
		fmt.Printf("%s → %s: %d (%s)\n", f.From, f.To, f.Count, f.Move)
	}
	fmt.Printf("regression rate %.0f%%, %d bad histories\n", 100*rv.RegressionRate, len(bad))
	// Output:
	// problem-aware → decision-ready: 1 (skip)
	// decision-ready → solution-aware: 1 (regression)
	// regression rate 50%, 0 bad histories
}

// The content map's review as of 31 March: gaps, assets to retire after 90
// days without being pulled into a deal, utilization in the open deals, and
// the scratch-deck flag over the three complete months before March.
func ExampleContentMap_Report() {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
	m := demandstate.DefaultContentMap()
	m.States = []demandstate.State{demandstate.SolutionAware, demandstate.DecisionReady}
	m.Roles = []demandstate.Role{demandstate.EconomicBuyer, demandstate.SecurityReviewer}
	created := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	m.Assets = []demandstate.Asset{
		{ID: "A1", Title: "ROI guide", State: demandstate.SolutionAware, Role: demandstate.EconomicBuyer, CreatedAt: created},
		{ID: "A2", Title: "Business case", State: demandstate.DecisionReady, Role: demandstate.EconomicBuyer, CreatedAt: created},
		{ID: "A3", Title: "Security overview", State: demandstate.DecisionReady, Role: demandstate.SecurityReviewer, CreatedAt: created},
	}
	usage := []demandstate.Usage{
		{ID: "U1", AssetID: "A1", DealID: "O-7", At: day(time.March, 12)},
		{ID: "U2", AssetID: "A2", DealID: "O-2", At: time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC)}, // 148 days ago
		{ID: "U3", AssetID: "A3", At: day(time.March, 20)},                                          // a preview, in no deal
		{ID: "S1", FromScratch: true, Role: demandstate.SecurityReviewer, At: day(time.January, 8)},
		{ID: "S2", FromScratch: true, Role: demandstate.SecurityReviewer, At: day(time.February, 3)},
		{ID: "S3", FromScratch: true, Role: demandstate.SecurityReviewer, At: day(time.February, 24)},
		{ID: "S4", FromScratch: true, Role: demandstate.EconomicBuyer, At: day(time.February, 25)},
	}
	rep, err := m.Report(usage, []string{"O-7", "O-8"}, revalign.FiscalCalendar{}, asOf)
	if err != nil {
		panic(err)
	}
	fmt.Println("gaps:", rep.Gaps)
	for _, r := range rep.Retire {
		last := "never"
		if !r.LastUsed.IsZero() {
			last = r.LastUsed.Format(time.DateOnly)
		}
		fmt.Printf("retire %s %q (last pulled into a deal: %s)\n", r.Asset.ID, r.Asset.Title, last)
	}
	u := rep.Utilization
	fmt.Printf("utilization: %d of %d open deals, %d of %d live assets; %d use outside a deal\n",
		u.DealsWithContent, u.ActiveDeals, u.UsedInActiveDeals, u.LiveAssets, rep.OutsideDeals)
	sc := rep.Scratch
	fmt.Printf("scratch decks: %d in %d months, %.2f a month, flagged %t, by role %v\n", sc.Total, len(sc.Months), sc.PerMonth, sc.Flagged, sc.ByRole)
	// Output:
	// gaps: [{solution-aware security_reviewer}]
	// retire A2 "Business case" (last pulled into a deal: 2025-11-03)
	// retire A3 "Security overview" (last pulled into a deal: never)
	// utilization: 1 of 2 open deals, 1 of 3 live assets; 1 use outside a deal
	// scratch decks: 4 in 3 months, 1.33 a month, flagged true, by role [{security_reviewer 3} {economic_buyer 1}]
}

// A buying committee sits in different states at once. Under the most
// advanced member the account is decision-ready; weighting the economic
// buyer's state most, it is still solution-aware.
func ExampleModel_AccountState() {
	m := demandstate.DefaultModel()
	committee := []demandstate.Member{
		{ID: "C-1", Role: "economic_buyer", State: demandstate.SolutionAware},
		{ID: "C-2", Role: "technical_evaluator", State: demandstate.DecisionReady},
		{ID: "C-3", Role: "end_user", State: demandstate.SolutionAware},
		{ID: "C-4", Role: "security_reviewer"}, // not classified
	}
	for _, p := range []demandstate.Policy{
		{Aggregation: demandstate.MostAdvanced},
		{Aggregation: demandstate.Weighted, Weights: map[string]float64{"economic_buyer": 3, "technical_evaluator": 2}, DefaultWeight: 1},
	} {
		a, err := m.AccountState(committee, p)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s", a.Aggregation, a.State)
		for _, s := range a.Spread {
			fmt.Printf("; %s %v weight %g", s.State, s.Members, s.Weight)
		}
		fmt.Println("; unclassified", a.Unclassified)
	}
	// Output:
	// most_advanced: decision-ready; solution-aware [C-1 C-3] weight 2; decision-ready [C-2] weight 1; unclassified [C-4]
	// weighted: solution-aware; solution-aware [C-1 C-3] weight 4; decision-ready [C-2] weight 2; unclassified [C-4]
}
