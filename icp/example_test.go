package icp_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/revalign/revalign/icp"
)

// exampleModel is a small ICP both leaders could sign: fit first, then a few
// decaying signals, and the hard disqualifiers.
func exampleModel() icp.Model {
	m := icp.DefaultModel()
	m.Name, m.Version, m.EffectiveDate = "Acme ICP", "2026.2", "2026-04-01"
	m.Firmographic = []icp.Criterion{
		{ID: "industry", Field: "industry", Op: icp.OpIn, Values: []string{"Software", "Healthcare", "Retail"}, Points: 25},
		{ID: "employees", Field: "employee_count", Op: icp.OpRange, Min: ptr(200), Max: ptr(5000), Points: 25},
		{ID: "senior", Field: "seniority", Op: icp.OpIn, Values: []string{"director", "vp", "c-level"}, Points: 20},
	}
	m.Technographic = []icp.Criterion{
		{ID: "hris", Field: "technographics", Op: icp.OpIn, Values: []string{"Workday", "BambooHR", "UKG"}, Points: 30},
	}
	m.Behavioural = []icp.Signal{
		{ID: "pricing", Event: "pricing_page", Points: 20, Cap: 40, Decay: icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 14}},
		{ID: "demo", Event: "demo_request", Points: 50, Cap: 50, Decay: icp.Decay{Kind: icp.DecayLinear, LifespanDays: 30}},
		{ID: "webinar", Event: "webinar", Points: 5, Cap: 10, Decay: icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 30}},
	}
	m.Disqualifiers = append(m.Disqualifiers,
		icp.Disqualifier{ID: "competitor", Field: "email", Op: icp.OpDomainIn, Values: []string{"rivalhr.com"}},
		icp.Disqualifier{ID: "unserved_country", Field: "country", Op: icp.OpNotIn, Values: []string{"US", "CA", "GB"}},
	)
	return m
}

func ExampleModel_Score() {
	asOf := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	lead := icp.Lead{
		ID: "L-1042",
		Attributes: map[string]icp.Value{
			"industry":       icp.Text("Software"),
			"employee_count": icp.Number(1200),
			"seniority":      icp.Text("director"),
			"technographics": icp.List([]string{"Workday", "Slack"}),
			"email":          icp.Text("dana@acme.io"),
			"country":        icp.Text("US"),
			"is_customer":    icp.Bool(false),
		},
		Events: []icp.Event{
			{Type: "pricing_page", At: asOf.AddDate(0, 0, -14)}, // one half-life ago: 10 points
			{Type: "webinar", At: asOf.AddDate(0, 0, -2)},
		},
	}
	res, err := exampleModel().Score(lead, asOf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("fit %g + engagement %g = %g: tier %s, cell %s, %s\n",
		res.Fit, res.Engagement, res.Total, res.Tier, res.Cell, res.DemandState)
	// Output:
	// fit 100 + engagement 14.77 = 114.77: tier B, cell A3, unaware
}

func ExampleModel_Score_explanation() {
	asOf := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	lead := icp.Lead{
		ID: "L-2001",
		Attributes: map[string]icp.Value{
			"industry":  icp.Text("Education"),
			"seniority": icp.Text("vp"),
			// employee_count and technographics are unknown: no points, and
			// not a miss either.
			"email": icp.Text("kim@school.edu"), "country": icp.Text("US"), "is_customer": icp.Bool(false),
		},
		Events: []icp.Event{
			{Type: "demo_request", At: asOf.AddDate(0, 0, -3)},
			{Type: "webinar", At: asOf.AddDate(0, 0, -1)},
		},
	}
	res, _ := exampleModel().Score(lead, asOf)
	for _, e := range res.Log {
		fmt.Println(e)
	}
	fmt.Printf("fit %g, engagement %g, total %g, tier %s (%d unknown)\n", res.Fit, res.Engagement, res.Total, res.Tier, res.Unknown)
	// Output:
	// firmographic industry missed +0
	// firmographic employees unknown +0
	// firmographic senior matched +20
	// technographic hris unknown +0
	// behavioural pricing counted +0 (0 events)
	// behavioural demo counted +45 (1 events)
	// behavioural webinar counted +4.89 (1 events)
	// total fit_gate gated -49.89
	// fit 20, engagement 49.89, total 20, tier D (2 unknown)
}

func ExampleModel_Compile() {
	asOf := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	// The columns of the export, in order.
	schema := icp.Schema{"lead_id", "email", "seniority", "country", "industry", "employee_count", "technographics", "is_customer"}
	scorer, err := exampleModel().Compile(schema)
	if err != nil {
		fmt.Println(err)
		return
	}
	records := []icp.Record{
		{ID: "L1", Values: []icp.Value{icp.Text("L1"), icp.Text("a@acme.io"), icp.Text("vp"), icp.Text("CA"),
			icp.Text("Retail"), icp.Number(800), icp.List([]string{"UKG"}), icp.Bool(false)}},
		{ID: "L2", Values: []icp.Value{icp.Text("L2"), icp.Text("b@rivalhr.com"), icp.Text("vp"), icp.Text("US"),
			icp.Text("Software"), icp.Number(900), icp.List([]string{"Workday"}), icp.Bool(false)}},
		{ID: "L3", Values: []icp.Value{icp.Text("L3"), icp.Text("c@shop.de"), icp.Text("manager"), icp.Text("DE"),
			icp.Text("Retail"), icp.Text("250"), icp.Value{}, icp.Bool(false)}},
	}
	results, errs := scorer.ScoreBatch(records, asOf, nil)
	for _, r := range results {
		fmt.Printf("%s tier %q total %g", r.ID, r.Tier, r.Total)
		if r.Disqualified {
			fmt.Printf(", disqualified: %s", r.DisqualifiedBy)
		}
		fmt.Println()
	}
	// Each error names the record and, as a BatchError, its index.
	for _, e := range errs {
		var be *icp.BatchError
		if errors.As(e, &be) {
			fmt.Printf("records[%d] %s: %v\n", be.Index, e.ID, be.Err)
		}
	}
	// Output:
	// L1 tier "B" total 100
	// L2 tier "DQ" total 0, disqualified: competitor
	// L3 tier "" total 0
	// records[2] L3: icp: employee_count: range needs a number, not text, got "250"
}

func ExampleModel_SignOff() {
	m := exampleModel()
	m, _ = m.Sign(icp.RoleCRO, "Dana Cole", time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
	m, _ = m.Sign(icp.RoleCMO, "Sam Ortiz", time.Date(2026, 3, 21, 9, 0, 0, 0, time.UTC))
	// Signed in March, the model takes effect on its effective date,
	// 2026-04-01.
	so, _ := m.SignOff(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
	fmt.Println(so.Reason())
	asOf := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	so, _ = m.SignOff(asOf)
	fmt.Println(so.Reason())

	m.Behavioural[2].Points = 15 // marketing bumps webinars after signing
	so, _ = m.SignOff(asOf)
	fmt.Println(so.Reason())
	// Output:
	// not in force: effective from 2026-04-01
	// in force
	// not in force: changed after cro, cmo signed
}

func ExampleDiff() {
	old := exampleModel()
	next := exampleModel()
	next.Version = "2026.3"
	next.Technographic[0].Points = 40
	next.Behavioural = next.Behavioural[:2] // drop webinars
	next.Disqualifiers[3].Values = append(next.Disqualifiers[3].Values, "IE")
	for _, c := range icp.Diff(old, next) {
		fmt.Println(c)
	}
	// Output:
	// version: 2026.2 → 2026.3
	// technographic[hris].points: 30 → 40
	// behavioural[webinar] removed: webinar: +5 per event, cap 10, half-life 30 days
	// disqualifiers[unserved_country].values: US, CA, GB → US, CA, GB, IE
}

func ExampleModel_TierReport() {
	m := exampleModel()
	results := []icp.Result{{Tier: "A"}, {Tier: "A"}, {Tier: "B"}, {Tier: "B"}, {Tier: "C"}, {Tier: "C"}, {Tier: "DQ"}}
	dispositions := []string{"Accepted", "Accepted", "Accepted", "Bad fit", "Nurture", "Bad fit", "Duplicate"}
	rep, _ := m.TierReport(results, dispositions, icp.DefaultLabels())
	for _, t := range rep.Tiers {
		fmt.Printf("%-2s %d leads, %d of %d accepted\n", t.Tier, t.Leads, t.Accepted, t.Labelled)
	}
	fmt.Println("ordered:", rep.Ordered)
	// Output:
	// A  2 leads, 2 of 2 accepted
	// B  2 leads, 1 of 2 accepted
	// C  2 leads, 0 of 2 accepted
	// D  0 leads, 0 of 0 accepted
	// DQ 1 leads, 0 of 0 accepted
	// ordered: true
}

func ExampleScorer_Calibrate() {
	// The current model gives 10 points to each of three criteria and to a
	// webinar; in truth only the HRIS and pricing-page visits drive
	// acceptance.
	m := icp.DefaultModel()
	m.Disqualifiers, m.FitGate = nil, icp.FitGate{Off: true}
	m.Firmographic = []icp.Criterion{
		{ID: "hris", Field: "hris", Op: icp.OpIsTrue, Points: 10},
		{ID: "big", Field: "big", Op: icp.OpIsTrue, Points: 10},
	}
	m.Behavioural = []icp.Signal{
		{ID: "webinar", Event: "webinar", Points: 10},
		{ID: "pricing", Event: "pricing_page", Points: 10},
	}
	scorer, _ := m.Compile(icp.Schema{"hris", "big"})

	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(1, 2))
	var data []icp.Outcome
	for i := range 6000 {
		hris, big := rng.IntN(2) == 1, rng.IntN(2) == 1
		var evs []icp.Event
		logit := -1.5
		if hris {
			logit += 2
		}
		if rng.IntN(2) == 1 {
			evs = append(evs, icp.Event{Type: "webinar", At: at.AddDate(0, 0, -5)})
		}
		if rng.IntN(3) == 0 {
			evs = append(evs, icp.Event{Type: "pricing_page", At: at.AddDate(0, 0, -2)})
			logit += 1.5
		}
		disp := "Bad fit"
		if rng.Float64() < 1/(1+math.Exp(-logit)) {
			disp = "Accepted"
		}
		data = append(data, icp.Outcome{
			Record: icp.Record{ID: fmt.Sprint(i), Values: []icp.Value{icp.Bool(hris), icp.Bool(big)}, Events: evs},
			At:     at, Disposition: disp,
		})
	}

	prop, _, err := scorer.Calibrate(data, icp.DefaultCalibration())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range prop.Weights {
		fmt.Printf("%-8s %3g → %3g\n", w.ID, w.Current, w.Proposed)
	}
	fmt.Printf("AUC %.2f → %.2f on %d held-out leads\n", prop.Current.AUC, prop.Proposed.AUC, prop.Counts.Holdout)
	// Output:
	// hris      10 →  23
	// big       10 →   0
	// webinar   10 →   0
	// pricing   10 →  17
	// AUC 0.66 → 0.75 on 1800 held-out leads
}
