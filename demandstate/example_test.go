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
