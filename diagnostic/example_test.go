package diagnostic_test

import (
	"fmt"
	"strings"

	"github.com/revalign/revalign/diagnostic"
)

// leadersAnswers is a team's diagnostic as both leaders gave it.
func leadersAnswers() []diagnostic.Response {
	return []diagnostic.Response{
		{QuestionID: "mql_definition", Answer: diagnostic.Partial, Note: "definition exists, sales never signed"},
		{QuestionID: "response_time", Answer: diagnostic.No},
		{QuestionID: "revenue_plan", Answer: diagnostic.Partial},
		{QuestionID: "marketing_comp", Answer: diagnostic.No},
		{QuestionID: "content_mapping", Answer: diagnostic.Partial},
		{QuestionID: "content_tracking", Answer: diagnostic.No},
		{QuestionID: "pipeline_review", Answer: diagnostic.Yes},
		{QuestionID: "stalled_owner", Answer: diagnostic.No},
		{QuestionID: "loss_postmortem", Answer: diagnostic.Partial},
		{QuestionID: "one_dashboard", Answer: diagnostic.Partial},
	}
}

func ExampleScore() {
	res, err := diagnostic.Score(leadersAnswers())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d/%d %s: %s\n", res.Total, res.Max, res.Band.Name, res.Band.Reading)
	fmt.Println("start with", res.Start)
	for _, g := range res.Gaps {
		fmt.Printf("%s (%d of %d points): %d open\n", g.Step, g.Points, g.Possible, len(g.Questions))
	}
	// Output:
	// 7/20 leaking_boundaries: Boundaries are leaking. Start with a written SLA.
	// start with Step 2
	// Step 2 (1 of 4 points): 2 open
	// Step 5 (1 of 4 points): 2 open
	// Step 3 (2 of 6 points): 3 open
	// Step 4 (2 of 4 points): 1 open
	// Step 6 (1 of 2 points): 1 open
}

func ExampleScore_errors() {
	answers := leadersAnswers()[:9] // one_dashboard left out
	answers[0].QuestionID = "mql_defintion"
	answers = append(answers, diagnostic.Response{QuestionID: "revenue_plan", Answer: diagnostic.Yes})
	_, err := diagnostic.Score(answers)
	fmt.Println(err)
	// Output:
	// diagnostic: answers[0]: question "mql_defintion": unknown question
	// diagnostic: answers[9]: question "revenue_plan": duplicate answer
	// diagnostic: answers: question "mql_definition": missing answer
	// diagnostic: answers: question "one_dashboard": missing answer
}

func ExampleResult_Plan() {
	res, _ := diagnostic.Score(leadersAnswers())
	plan, err := res.Plan(diagnostic.Prerequisites{
		DocumentedICP: true,
		CRMHygiene:    diagnostic.CRMHygiene{DeduplicatedAccounts: true, StageDefinitions: true},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range plan.Prerequisites {
		fmt.Println("first:", p.Action())
	}
	for _, s := range plan.Steps {
		fmt.Printf("%s %s (%d open questions)\n", s.Step, s.Name, len(s.Gaps))
	}
	// Output:
	// first: Fill in owner fields on every account, lead and deal
	// Step 2 Define the MQL and SQL boundary in writing (2 open questions)
	// Step 3 Build one revenue plan, not two (3 open questions)
	// Step 4 Install shared pipeline reviews with named owners (1 open questions)
	// Step 5 Map content to demand states with usage telemetry (2 open questions)
	// Step 6 Run a quarterly loss post-mortem with both teams (1 open questions)
}

func ExampleConfig_Score() {
	// A team that wants a stricter reading: only 18+ counts as aligned.
	cfg := diagnostic.DefaultConfig()
	cfg.Bands = []diagnostic.Band{
		{Name: "aligned", Min: 18, Max: 20, Start: diagnostic.StepLossPostMortem},
		{Name: "sla_first", Min: 6, Max: 17, Start: diagnostic.StepWrittenSLA},
		{Name: "rebuild", Min: 0, Max: 5, Start: diagnostic.StepDemandStates},
	}
	res, err := cfg.Score(leadersAnswers())
	fmt.Println(res.Band.Name, res.Start, err)

	cfg.Bands[1].Min = 4 // now overlaps "rebuild"
	_, err = cfg.Score(leadersAnswers())
	fmt.Println(err)
	// Output:
	// sla_first Step 2 <nil>
	// diagnostic: bands[2]: overlaps bands[1] at total 4, got "0..5"
}

func ExampleRoute() {
	routing, err := diagnostic.Route(diagnostic.SpendQuestioned, diagnostic.RepsIgnoreMQLs, diagnostic.LeadsSuck)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range routing.Plan {
		fmt.Printf("%-8s %-26s %-15s %s\n", r.Phase, r.Framework.Name, r.Framework.Conflict, strings.Join(r.Reasons, "; "))
	}
	// Output:
	// diagnose Unified ICP Scoring        definition      "These leads suck"
	// fix      SLA Pact                   incentive       "These leads suck"; "Reps ignore MQLs", with an incentive review
	// fix      Revenue Operating Cadence  incentive       "Reps ignore MQLs", with an incentive review
	// prove    Multi-Touch Attribution    instrumentation "CFO is questioning marketing spend"
}

func ExampleConfig_Route() {
	// The threshold rule: 46% of MQLs rejected sends the team to the bowtie
	// and ICP scoring first, whatever it complains about.
	routing, err := diagnostic.DefaultConfig().Route(diagnostic.Triage{
		Symptoms:         []diagnostic.Symptom{diagnostic.ForecastSlipping},
		MQLRejectionRate: 0.46,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(routing.Frameworks(), routing.ThresholdRule)
	fmt.Println(routing.Plan[0].Reasons[0])
	// Output:
	// [bowtie icp velocity] true
	// MQL-to-SQL rejection 46% is above 40%: run the bowtie and ICP scoring first
}

func ExampleNewScorecard() {
	quarters := []diagnostic.PeriodMetrics{
		{
			Period:               "FY2026-Q3",
			MQLAcceptance:        diagnostic.Measure{Value: 0.68, N: 410},
			FirstTouchCompliance: diagnostic.Measure{Value: 0.81, N: 455},
			InfluencedShare:      diagnostic.Measure{Value: 0.52, N: 38},
			ForecastVariance:     diagnostic.Measure{Value: 0.19, N: 1},
		},
		{
			Period:               "FY2026-Q4",
			MQLAcceptance:        diagnostic.Measure{Value: 0.77, N: 398},
			FirstTouchCompliance: diagnostic.Measure{Value: 0.80, N: 431},
			InfluencedShare:      diagnostic.Measure{Value: 0.51, N: 41},
			ForecastVariance:     diagnostic.Measure{Value: 0.21, N: 1},
		},
	}
	card, err := diagnostic.NewScorecard(quarters)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range card.Metrics[:4] {
		l := m.Latest()
		fmt.Printf("%-48s %.2f %-9s %s\n", m.Title, l.Value, l.Status, m.Trend)
	}
	fmt.Println(card.Verdict.Explain())
	// Output:
	// MQL acceptance rate                              0.77 met       improved
	// First-touch SLA compliance                       0.80 missed    declined
	// Marketing-influenced share of closed-won revenue 0.51 no_target declined
	// Forecast variance between teams at quarter start 0.21 no_target declined
	// only one core measure improved: that is activity, not alignment
}

func ExampleOrg_Readiness() {
	org := diagnostic.Org{
		CROSponsor: true, CRM: true, Analysts: 0,
		CRMHygiene:    diagnostic.CRMHygiene{DeduplicatedAccounts: true, StageDefinitions: true, OwnerFields: true},
		FullSalesTeam: true, FullMarketingTeam: true, MarketingAutomation: true,
	}
	r, err := org.Readiness()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	// Output:
	// not yet, because the CMO is not an executive sponsor; nobody can pull the underlying numbers
}

func ExampleRateDimensions() {
	report, err := diagnostic.RateDimensions([]diagnostic.DimensionRating{
		{Dimension: diagnostic.LeadHandoff, Rating: diagnostic.Misaligned},
		{Dimension: diagnostic.PipelineOwnership, Rating: diagnostic.Aligned},
		{Dimension: diagnostic.ContentUsage, Rating: diagnostic.Mixed},
		{Dimension: diagnostic.Reporting, Rating: diagnostic.Aligned},
		{Dimension: diagnostic.QuotaAccountability, Rating: diagnostic.Misaligned},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("misaligned:", report.Misaligned, "mixed:", report.Mixed)
	fmt.Println("fixed by:", report.Steps)
	// Output:
	// misaligned: [lead_handoff quota_accountability] mixed: [content_usage]
	// fixed by: [Step 2 Step 3 Step 5]
}
