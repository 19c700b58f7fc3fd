package gen

import (
	"fmt"
	"slices"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/crm/sample"
)

const quarterUnit = revalign.Quarter

func calendar() revalign.FiscalCalendar { return sample.Calendar() }

func idf(prefix string, i int) string { return fmt.Sprintf("%s%06d", prefix, i+1) }

type assetSpec struct {
	title, typ, state, role string
}

// content builds the asset library and its use in deals. The library covers
// the HR buyer well and the security reviewer not at all (one retired 2023
// overview): the planted content gap. Reps build security-questionnaire
// decks from scratch several times a month.
func (w *world) content() {
	r := w.r["content"]
	states := []string{"unaware", "problem-aware", "solution-aware", "partner-aware", "decision-ready", "post-purchase"}
	types := map[string][]string{
		"unaware":        {"blog post", "infographic", "social video"},
		"problem-aware":  {"ebook", "benchmark report", "webinar recording"},
		"solution-aware": {"product overview", "demo video", "comparison guide"},
		"partner-aware":  {"integration brief", "partner case study"},
		"decision-ready": {"ROI calculator", "case study", "implementation plan"},
		"post-purchase":  {"onboarding guide", "admin training", "adoption playbook"},
	}
	coverage := []struct {
		role  string
		count map[string]int
	}{
		{"hr", map[string]int{"unaware": 9, "problem-aware": 11, "solution-aware": 9, "partner-aware": 3, "decision-ready": 7, "post-purchase": 5}},
		{"economic_buyer", map[string]int{"unaware": 3, "problem-aware": 6, "solution-aware": 5, "partner-aware": 1, "decision-ready": 7, "post-purchase": 2}},
		{"end_user", map[string]int{"unaware": 5, "problem-aware": 5, "solution-aware": 6, "partner-aware": 1, "decision-ready": 2, "post-purchase": 8}},
		{"technical_evaluator", map[string]int{"problem-aware": 2, "solution-aware": 5, "partner-aware": 3, "decision-ready": 3, "post-purchase": 3}},
		{"it", map[string]int{"problem-aware": 2, "solution-aware": 4, "partner-aware": 3, "decision-ready": 2, "post-purchase": 3}},
		{"finance", map[string]int{"problem-aware": 3, "solution-aware": 2, "decision-ready": 5, "post-purchase": 1}},
		{"procurement", map[string]int{"decision-ready": 2}},
	}
	var specs []assetSpec
	for _, c := range coverage {
		for _, st := range states {
			for k := 0; k < c.count[st]; k++ {
				typ := types[st][k%len(types[st])]
				specs = append(specs, assetSpec{fmt.Sprintf("%s for %s #%d", titleCase(typ), roleLabel(c.role), k+1), typ, st, c.role})
			}
		}
	}
	specs = append(specs, assetSpec{"Security Overview (2023)", "whitepaper", "problem-aware", "security_reviewer"})
	var live []int
	for i, s := range specs {
		created := r.between(time.Date(2023, 1, 10, 0, 0, 0, 0, ny), time.Date(2026, 8, 20, 0, 0, 0, 0, ny))
		status := "live"
		if s.role == "security_reviewer" || r.chance(0.07) {
			status = "retired"
		}
		w.outAssets = append(w.outAssets, crm.ContentAsset{
			ID: fmt.Sprintf("C%04d", i+1), Title: s.title, Type: s.typ, DemandState: s.state, BuyingRole: s.role,
			CreatedAt: r.workMoment(created, ny), OwnerID: []string{"U007", "U008", "U005"}[i%3], Status: status,
		})
		if status == "live" {
			live = append(live, i)
		}
	}
	// A fifth of the live library is never pulled into deals: retirement
	// candidates once 90 days old.
	used := map[int]bool{}
	for k, i := range live {
		if k%5 != 4 {
			used[i] = true
		}
	}
	n := 0
	for _, o := range w.opps {
		if o.Type != "new_business" || o.CreatedAt.Before(time.Date(2025, 3, 1, 0, 0, 0, 0, ny)) {
			continue
		}
		end := o.closeAt
		if end.After(asOf) {
			end = asOf
		}
		pulls := r.IntN(4)
		for p := 0; p < pulls; p++ {
			i := live[r.IntN(len(live))]
			if !used[i] || w.outAssets[i].CreatedAt.After(end) {
				continue
			}
			at := r.workMoment(r.between(maxTime(o.CreatedAt, w.outAssets[i].CreatedAt), end), o.loc)
			if at.After(asOf) {
				continue
			}
			w.outContentUsage = append(w.outContentUsage, crm.ContentUsage{
				AssetID: w.outAssets[i].ID, OpportunityID: o.ID, UsedAt: at, UsedBy: o.OwnerID, BuyingRole: w.outAssets[i].BuyingRole,
			})
			n++
		}
		// security questionnaires answered from scratch in mid-market and
		// enterprise evaluations; more of them lately
		if (o.Segment == "MID" || o.Segment == "ENT") && reached(o, "Evaluation") {
			p := 0.16
			if o.CreatedAt.After(time.Date(2026, 3, 1, 0, 0, 0, 0, ny)) {
				p = 0.4
			}
			if r.chance(p) {
				at := r.workMoment(r.between(o.CreatedAt, end), o.loc)
				if !at.After(asOf) {
					w.outContentUsage = append(w.outContentUsage, crm.ContentUsage{
						OpportunityID: o.ID, UsedAt: at, UsedBy: o.OwnerID, BuyingRole: "security_reviewer", BuiltFromScratch: true,
					})
				}
			}
		}
		if r.chance(0.015) {
			at := r.workMoment(r.between(o.CreatedAt, end), o.loc)
			if !at.After(asOf) {
				w.outContentUsage = append(w.outContentUsage, crm.ContentUsage{
					OpportunityID: o.ID, UsedAt: at, UsedBy: o.OwnerID, BuyingRole: "finance", BuiltFromScratch: true,
				})
			}
		}
	}
	sortByTime(w.outContentUsage, func(u crm.ContentUsage) time.Time { return u.UsedAt })
	for i := range w.outContentUsage {
		w.outContentUsage[i].ID = idf("CU", i)
	}
}

func reached(o *opp, stage string) bool {
	for _, s := range o.stages {
		if s.stage == stage && !s.at.After(asOf) {
			return true
		}
	}
	return false
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}

func roleLabel(role string) string {
	return map[string]string{"hr": "HR Leaders", "economic_buyer": "Executive Buyers", "end_user": "Frontline Managers",
		"technical_evaluator": "Technical Evaluators", "it": "IT Teams", "finance": "Finance Teams", "procurement": "Procurement"}[role]
}

func (w *world) spendRatesAnswers() {
	r := w.r["misc"]
	base := []struct {
		channel string
		amount  float64
	}{
		{"paid_search", 38000}, {"paid_social", 42000}, {"content_syndication", 18000}, {"events", 26000},
		{"webinar", 7000}, {"email", 3500}, {"partner", 9000}, {"organic_search", 6000},
	}
	for m := monthStart(start); !m.After(asOf); m = m.AddDate(0, 1, 0) {
		for _, b := range base {
			w.outSpend = append(w.outSpend, crm.Spend{Month: m, Channel: b.channel, Amount: money(b.amount*(0.85+0.3*r.Float64()), 10), Currency: "USD"})
		}
	}
	w.outRates = []crm.ExchangeRate{
		{ReportingCurrency: "USD", Currency: "EUR", Rate: money(1.08, 0.01)},
		{ReportingCurrency: "USD", Currency: "GBP", Rate: money(1.27, 0.01)},
	}
	w.outAnswers = []crm.Answer{
		{QuestionID: "mql_definition", Answer: "partial", Note: "MQL rule lives in the marketing automation platform; sales never signed it"},
		{QuestionID: "response_time", Answer: "no", Note: "no agreed first-touch target; APAC leads wait for the US team"},
		{QuestionID: "revenue_plan", Answer: "partial", Note: "one revenue number, but separate marketing and sales plans"},
		{QuestionID: "marketing_comp", Answer: "no", Note: "marketing bonus paid on MQL volume"},
		{QuestionID: "content_mapping", Answer: "partial", Note: "content tagged by stage for HR buyers only"},
		{QuestionID: "content_tracking", Answer: "no", Note: "no usage tracking, no retirement rule"},
		{QuestionID: "pipeline_review", Answer: "yes", Note: "Monday review, both leaders, deals over $50k"},
		{QuestionID: "stalled_owner", Answer: "partial", Note: "owners named, next actions often undated"},
		{QuestionID: "loss_postmortem", Answer: "no", Note: "win reviews only"},
		{QuestionID: "one_dashboard", Answer: "partial", Note: "RevOps dashboard exists; marketing keeps its own MQL report"},
	}
}

func sortByTime[T any](s []T, at func(T) time.Time) {
	slices.SortStableFunc(s, func(a, b T) int { return at(a).Compare(at(b)) })
}
