package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/diagnostic"
	"github.com/revalign/revalign/examples/internal/fieldstone"
	"github.com/revalign/revalign/sla"
	"github.com/revalign/revalign/velocity"
)

// diagnosticSection scores the leaders' answers to the 0–20 Revenue
// Alignment Diagnostic and lays out the installation plan: the band, the
// step to start with, the weakest steps and the order of the work.
func diagnosticSection(in *input) (section, error) {
	s := section{Key: "diagnostic", Phase: "diagnose", Title: "Revenue Alignment Diagnostic (0–20)"}

	// CRM rows → diagnostic responses. The export spells answers
	// "no"/"partial"/"yes"; ParseAnswer also reads 0/1/2.
	answers := make([]diagnostic.Response, 0, len(in.Data.Answers))
	for _, a := range in.Data.Answers {
		v, err := diagnostic.ParseAnswer(a.Answer)
		if err != nil {
			return s, fmt.Errorf("%s: question %s: %w", crm.FileAnswers, a.QuestionID, err)
		}
		answers = append(answers, diagnostic.Response{QuestionID: a.QuestionID, Answer: v, Note: a.Note})
	}
	res, err := diagnostic.Score(answers)
	if err != nil {
		return s, err
	}
	prereqs, hygiene := prerequisites(in.Data)
	plan, err := res.Plan(prereqs)
	if err != nil {
		return s, err
	}

	start, _ := diagnostic.StepInfo(res.Start)
	s.Lines = []string{
		fmt.Sprintf("Score %d of %d: %s", res.Total, res.Max, res.Band.Reading),
		fmt.Sprintf("Start with %s, %s. Artifact: %s", res.Start, strings.ToLower(start.Name[:1])+start.Name[1:], start.Artifact),
		"Weakest steps first (points earned of possible; the leaders' notes):",
	}
	for _, g := range res.Gaps[:min(3, len(res.Gaps))] {
		s.Lines = append(s.Lines, fmt.Sprintf("  %s %s: %d of %d", g.Step, g.Name, g.Points, g.Possible))
		for _, q := range g.Questions {
			s.Lines = append(s.Lines, fmt.Sprintf("    %-16s %-7s %s", q.QuestionID, q.Answer, q.Note))
		}
	}
	if len(res.Gaps) > 3 {
		var rest []string
		for _, g := range res.Gaps[3:] {
			rest = append(rest, fmt.Sprintf("%s (%d of %d)", g.Step, g.Points, g.Possible))
		}
		s.Lines = append(s.Lines, "  then "+strings.Join(rest, ", "))
	}
	s.Lines = append(s.Lines, "Plan:")
	for _, p := range plan.Prerequisites {
		s.Lines = append(s.Lines, fmt.Sprintf("  first  %s (%s)", p.Action(), hygiene[p]))
	}
	for _, st := range plan.Steps {
		s.Lines = append(s.Lines, fmt.Sprintf("  %s %s (%s)", st.Step, st.Name, plural(len(st.Gaps), "open question")))
	}
	s.Data = struct {
		Result diagnostic.Result `json:"result"`
		Plan   diagnostic.Plan   `json:"plan"`
	}{res, plan}
	return s, nil
}

// prerequisites reads the model's prerequisites off the export where the
// data can show them, and says why each unmet one is unmet. A documented
// ICP is not something a CRM export shows: the leaders' notes say the MQL
// rule lives in the marketing automation platform and sales never signed
// it, so it is taken as not documented (the icp section builds one).
func prerequisites(d *crm.Dataset) (diagnostic.Prerequisites, map[diagnostic.Prerequisite]string) {
	why := map[diagnostic.Prerequisite]string{
		diagnostic.PrereqDocumentedICP: "the MQL rule is marketing's, unsigned by sales",
	}
	p := diagnostic.Prerequisites{}

	// Deduplicated accounts: no two accounts share a name.
	names := map[string]string{}
	var dups []string
	for _, a := range d.Accounts {
		key := strings.ToLower(strings.TrimSpace(a.Name))
		if first, ok := names[key]; ok {
			dups = append(dups, first+"="+a.ID)
		}
		names[key] = a.ID
	}
	p.CRMHygiene.DeduplicatedAccounts = len(dups) == 0
	why[diagnostic.PrereqDeduplicatedAccounts] = "duplicate accounts " + strings.Join(dups, ", ")

	// Stage definitions: every deal is in one of the defined stages.
	defined := []string{"Discovery", "Evaluation", "Proposal", "Negotiation", "Closed Won", "Closed Lost"}
	var undefined []string
	for _, o := range d.Opportunities {
		if !slices.Contains(defined, o.Stage) {
			undefined = append(undefined, o.ID+" "+o.Stage)
		}
	}
	p.CRMHygiene.StageDefinitions = len(undefined) == 0
	why[diagnostic.PrereqStageDefinitions] = "undefined stages on " + strings.Join(undefined, ", ")

	// Owner fields: every account, every MQL and every deal has an owner.
	// (Leads that never became MQLs are not routed yet and have none.)
	var unowned []string
	for _, a := range d.Accounts {
		if a.OwnerID == "" {
			unowned = append(unowned, "account "+a.ID)
		}
	}
	for _, l := range d.Leads {
		if !l.MQLAt.IsZero() && l.OwnerID == "" {
			unowned = append(unowned, "MQL "+l.ID)
		}
	}
	for _, o := range d.Opportunities {
		if o.OwnerID == "" {
			unowned = append(unowned, "deal "+o.ID)
		}
	}
	p.CRMHygiene.OwnerFields = len(unowned) == 0
	why[diagnostic.PrereqOwnerFields] = "no owner on " + strings.Join(unowned, ", ")
	return p, why
}

// scorecardSection computes the seven minimum viable metrics for each of the
// last three complete fiscal quarters and reads them with the diagnostic
// scorecard: targets met or missed, the trend from the first quarter to the
// last, and whether the four core measures improved together.
//
// The scorecard's input is a plain struct of per-period values
// (diagnostic.PeriodMetrics), so each metric comes from wherever a team
// measures it: first-touch compliance from the sla package's evaluation of
// the signed pact, the influenced share from the attribution package's
// reconciliation, the forecast variance from the velocity package, the
// others from the CRM records with plain code, one function per metric, so
// that each definition is visible.
func scorecardSection(in *input) (section, error) {
	s := section{Key: "scorecard", Phase: "prove", Title: "Alignment scorecard: the seven minimum viable metrics"}
	quarters := lastCompleteQuarters(in.Calendar, in.AsOf, 3)
	m, err := newMetricInputs(in)
	if err != nil {
		return s, err
	}
	periods := make([]diagnostic.PeriodMetrics, len(quarters))
	for i, q := range quarters {
		p, err := m.period(q)
		if err != nil {
			return s, err
		}
		periods[i] = p
	}
	// The seed's targets (acceptance ≥ 75%, first-touch compliance ≥ 90%);
	// a move of less than one percentage point (or 0.01×) is read as flat,
	// not as an improvement.
	cfg := diagnostic.DefaultConfig()
	cfg.MinChange = 0.01
	card, err := cfg.NewScorecard(periods)
	if err != nil {
		return s, err
	}

	s.Lines = []string{fmt.Sprintf("%-44s %-7s %9s %9s %9s  %-9s %s", "metric (target)", "", card.Periods[0], card.Periods[1], card.Periods[2], "latest", "trend")}
	for _, r := range card.Metrics {
		cells := make([]string, len(r.Readings))
		for i, x := range r.Readings {
			cells[i] = formatMetric(r.Metric, x.Measure)
		}
		s.Lines = append(s.Lines, fmt.Sprintf("%-44s %-7s %9s %9s %9s  %-9s %s",
			shortTitle(r.Metric), formatTarget(r), cells[0], cells[1], cells[2], r.Latest().Status, r.Trend))
	}
	for _, r := range card.Metrics {
		if r.States == nil {
			continue
		}
		var parts []string
		for _, st := range r.States {
			first, last := st.Values[0], st.Values[len(st.Values)-1]
			parts = append(parts, fmt.Sprintf("%s %s (n %d) → %s (n %d)", st.State,
				formatMetric(r.Metric, first), first.N, formatMetric(r.Metric, last), last.N))
		}
		s.Lines = append(s.Lines, fmt.Sprintf("  %s by demand state: %s", shortTitle(r.Metric), strings.Join(parts, ", ")))
	}
	s.Lines = append(s.Lines,
		fmt.Sprintf("Core measures improved: %d of 4. Verdict: %s.", card.CoreImproved, card.Verdict.Explain()),
		"(First touch as the signed pact judges it; influenced = a marketing touch in the 90 days before the opportunity; coverage = pipeline open at quarter start ÷ sales' quarter-start forecast.)")
	s.Data = struct {
		Periods   []diagnostic.PeriodMetrics `json:"periods"`
		Scorecard diagnostic.Scorecard       `json:"scorecard"`
	}{periods, card}
	return s, nil
}

// lastCompleteQuarters returns the n fiscal quarters that ended before asOf,
// oldest first.
func lastCompleteQuarters(cal revalign.FiscalCalendar, asOf time.Time, n int) []revalign.Period {
	out := make([]revalign.Period, n)
	q := cal.Quarter(asOf)
	for i := n - 1; i >= 0; i-- {
		q = cal.Quarter(q.Start.AddDate(0, 0, -1))
		out[i] = q
	}
	return out
}

// metricInputs holds what the metric functions need, indexed once.
type metricInputs struct {
	in *input
	// influenced is the marketing-influenced share of won revenue per
	// quarter label, from the attribution package's reconciliation.
	influenced map[string]diagnostic.Measure
	// variance is the gap between the teams' quarter-start forecasts per
	// quarter label, from the velocity package.
	variance map[string]velocity.Variance
	// firstTouchBroken and firstTouchPending mark the MQLs whose first-touch
	// commitment the sla package found broken, or still running.
	firstTouchBroken, firstTouchPending map[string]bool
	// contentUsed marks, per quarter label, the deals that pulled a library
	// asset (decks built from scratch do not count).
	contentUsed map[string]map[string]bool
}

func newMetricInputs(in *input) (*metricInputs, error) {
	m := &metricInputs{in: in, influenced: map[string]diagnostic.Measure{}, variance: map[string]velocity.Variance{},
		firstTouchBroken: map[string]bool{}, firstTouchPending: map[string]bool{}, contentUsed: map[string]map[string]bool{}}

	// First-touch compliance: the signed pact, evaluated by the sla package.
	pact, err := fieldstone.Pact()
	if err != nil {
		return nil, err
	}
	eval, err := pact.Evaluate(fieldstone.SLALeads(in.Data.Leads), sla.Options{Weeks: in.Calendar, AsOf: in.AsOf})
	if err != nil {
		return nil, err
	}
	for _, b := range eval.Breaches {
		if b.Commitment == sla.FirstTouch {
			m.firstTouchBroken[b.LeadID] = true
		}
	}
	for _, p := range eval.Pending {
		if p.Commitment == sla.FirstTouch {
			m.firstTouchPending[p.LeadID] = true
		}
	}

	// Marketing-influenced share of closed-won revenue: the same journeys as
	// the attribution section; a deal is influenced when a marketing touch
	// came in the 90 days before its opportunity was created.
	journeys, _ := attributionJourneys(in.Data, in.AsOf)
	opts := attribution.DefaultReconcileOptions()
	opts.Rates, opts.Calendar, opts.Period = in.Rates, in.Calendar, revalign.Quarter
	opts.Influence, opts.InfluenceWindowDays = attribution.OppCreation, 90
	rep, err := attribution.Reconcile(journeys, opts, attribution.Linear{})
	if err != nil {
		return nil, err
	}
	for _, p := range rep.Periods {
		if p.Total.IsZero() {
			continue
		}
		for _, t := range p.Reach.Teams {
			if t.Team == revalign.Marketing {
				share, _ := t.Influenced.Div(p.Total).Float64()
				m.influenced[in.Calendar.QuarterLabel(p.Period.Start)] = diagnostic.Measure{Value: share, N: p.Journeys}
			}
		}
	}

	// Forecast variance between the teams, from the velocity package.
	var forecasts []velocity.TeamForecast
	for _, f := range in.Data.Forecasts {
		usd, err := in.Rates.Convert(f.Amount, f.Currency)
		if err != nil {
			return nil, revalign.RecordError{ID: f.Quarter + " " + f.Team + " " + f.Segment, Err: err}
		}
		forecasts = append(forecasts, velocity.TeamForecast{Period: f.Quarter, Segment: f.Segment, Team: revalign.Team(f.Team), Amount: usd})
	}
	rows, bad, err := velocity.TeamVariance(forecasts, nil, 0.10)
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return nil, bad[0]
	}
	for _, r := range rows {
		if r.Segment == "all" {
			m.variance[r.Period] = r
		}
	}

	for _, u := range in.Data.ContentUsage {
		if u.AssetID == "" || u.BuiltFromScratch || u.OpportunityID == "" {
			continue
		}
		q := in.Calendar.QuarterLabel(u.UsedAt)
		if m.contentUsed[q] == nil {
			m.contentUsed[q] = map[string]bool{}
		}
		m.contentUsed[q][u.OpportunityID] = true
	}
	return m, nil
}

// period computes the seven metrics of one quarter.
func (m *metricInputs) period(q revalign.Period) (diagnostic.PeriodMetrics, error) {
	label := m.in.Calendar.QuarterLabel(q.Start)
	p := diagnostic.PeriodMetrics{Period: label}
	var err error
	p.MQLAcceptance = m.acceptance(q)
	p.FirstTouchCompliance = m.firstTouch(q)
	p.InfluencedShare = m.influencedShare(q)
	salesForecast, variance := m.forecasts(label)
	p.ForecastVariance = variance
	if p.PipelineCoverage, err = m.coverage(q, salesForecast); err != nil {
		return p, err
	}
	p.ContentUtilization = m.contentUtilization(q, label)
	p.WinRate = m.winRate(q)
	return p, nil
}

// acceptance: MQLs of the quarter dispositioned Accepted ÷ those
// dispositioned Accepted, Nurture or Bad fit. Duplicate and No response
// measure data quality and SLA execution, not the MQL definition, and are
// left out; undispositioned MQLs are not counted yet.
func (m *metricInputs) acceptance(q revalign.Period) diagnostic.Measure {
	accepted, decided := 0, 0
	for _, l := range m.in.Data.Leads {
		if l.MQLAt.IsZero() || !q.Contains(l.MQLAt) {
			continue
		}
		switch l.Disposition {
		case "Accepted":
			accepted++
			decided++
		case "Nurture", "Bad fit":
			decided++
		}
	}
	return ratio(accepted, decided)
}

// firstTouch: the signed pact's first-touch commitment as the sla package
// judges it — business hours in the lead's own zone, with its region's
// holidays — over the MQLs of the quarter whose clock has stopped: kept ÷
// (kept + broken). An MQL never touched past its deadline is broken; one
// whose clock still runs is not counted yet.
func (m *metricInputs) firstTouch(q revalign.Period) diagnostic.Measure {
	kept, decided := 0, 0
	for _, l := range m.in.Data.Leads {
		if l.MQLAt.IsZero() || !q.Contains(l.MQLAt) || m.firstTouchPending[l.ID] {
			continue
		}
		decided++
		if !m.firstTouchBroken[l.ID] {
			kept++
		}
	}
	return ratio(kept, decided)
}

// influencedShare: the share of the quarter's closed-won revenue whose
// opportunity had a marketing touch in the 90 days before it was created
// (attribution.Reconcile's influenced reach; a deal counts once, whatever
// the number of channels that touched it).
func (m *metricInputs) influencedShare(q revalign.Period) diagnostic.Measure {
	return m.influenced[m.in.Calendar.QuarterLabel(q.Start)]
}

// forecasts returns sales' quarter-start forecast (USD, all segments) and
// the variance between the teams, |marketing − sales| ÷ sales, as
// velocity.TeamVariance measures it.
func (m *metricInputs) forecasts(label string) (decimal.Decimal, diagnostic.Measure) {
	v, ok := m.variance[label]
	if !ok || v.Sales.IsZero() {
		return decimal.Decimal{}, diagnostic.Measure{}
	}
	return v.Sales, diagnostic.Measure{Value: v.Relative, N: 1}
}

// coverage: pipeline open at the start of the quarter (USD) ÷ sales'
// quarter-start forecast, overall and by the demand state the deal entered
// in. The export keeps no history of expected close dates, so every deal
// open at the quarter start counts, whatever its close date; deals with no
// amount yet are counted as zero.
func (m *metricInputs) coverage(q revalign.Period, target decimal.Decimal) (diagnostic.Breakdown, error) {
	if target.IsZero() {
		return diagnostic.Breakdown{}, nil
	}
	total := decimal.Zero
	byState := map[string]decimal.Decimal{}
	count := map[string]int{}
	n := 0
	for _, o := range m.in.Data.Opportunities {
		if !o.CreatedAt.Before(q.Start) || (o.Status != "open" && onDate(o.CloseDate, m.in.Calendar).Before(q.Start)) {
			continue
		}
		amt := decimal.Zero
		if o.Amount.Valid {
			var err error
			if amt, err = m.usd(o); err != nil {
				return diagnostic.Breakdown{}, err
			}
		}
		n++
		total = total.Add(amt)
		byState[o.DemandStateAtEntry] = byState[o.DemandStateAtEntry].Add(amt)
		count[o.DemandStateAtEntry]++
	}
	out := diagnostic.Breakdown{ByState: map[string]diagnostic.Measure{}}
	v, _ := total.Div(target).Float64()
	out.Overall = diagnostic.Measure{Value: v, N: n}
	for st, amt := range byState {
		v, _ := amt.Div(target).Float64()
		out.ByState[st] = diagnostic.Measure{Value: v, N: count[st]}
	}
	return out, nil
}

// contentUtilization: deals active at some point in the quarter that pulled
// at least one library asset during it ÷ all deals active in the quarter.
func (m *metricInputs) contentUtilization(q revalign.Period, label string) diagnostic.Measure {
	used, active := 0, 0
	for _, o := range m.in.Data.Opportunities {
		if !o.CreatedAt.Before(q.End) || (o.Status != "open" && onDate(o.CloseDate, m.in.Calendar).Before(q.Start)) {
			continue
		}
		active++
		if m.contentUsed[label][o.ID] {
			used++
		}
	}
	return ratio(used, active)
}

// winRate: deals closed in the quarter, won ÷ (won + lost), by count,
// overall and by the demand state the deal entered in.
func (m *metricInputs) winRate(q revalign.Period) diagnostic.Breakdown {
	won, decided := map[string]int{}, map[string]int{}
	for _, o := range m.in.Data.Opportunities {
		if o.Status == "open" || !q.Contains(onDate(o.CloseDate, m.in.Calendar)) {
			continue
		}
		decided[o.DemandStateAtEntry]++
		if o.Status == "won" {
			won[o.DemandStateAtEntry]++
		}
	}
	out := diagnostic.Breakdown{ByState: map[string]diagnostic.Measure{}}
	allWon, all := 0, 0
	for st, n := range decided {
		out.ByState[st] = ratio(won[st], n)
		allWon += won[st]
		all += n
	}
	out.Overall = ratio(allWon, all)
	return out
}

// usd converts a deal's amount to the reporting currency; a deal with no
// amount or no exchange rate is an error naming it.
func (m *metricInputs) usd(o crm.Opportunity) (decimal.Decimal, error) {
	if !o.Amount.Valid {
		return decimal.Decimal{}, revalign.RecordError{ID: o.ID, Err: fmt.Errorf("deal has no amount")}
	}
	v, err := m.in.Rates.Convert(o.Amount.Decimal, o.Currency)
	if err != nil {
		return decimal.Decimal{}, revalign.RecordError{ID: o.ID, Err: err}
	}
	return v, nil
}

// onDate reads a date column (midnight UTC in the export) as that calendar
// date in the fiscal calendar's zone, so that a deal closed on 1 May falls
// in the quarter starting 1 May and not, five hours earlier in New York, in
// the one before.
func onDate(t time.Time, cal revalign.FiscalCalendar) time.Time {
	y, mo, d := t.UTC().Date()
	loc := cal.Location
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(y, mo, d, 0, 0, 0, 0, loc)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func ratio(num, den int) diagnostic.Measure {
	if den == 0 {
		return diagnostic.Measure{}
	}
	return diagnostic.Measure{Value: float64(num) / float64(den), N: den}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func shortTitle(m diagnostic.Metric) string {
	switch m {
	case diagnostic.InfluencedShare:
		return "Marketing-influenced share of closed-won"
	case diagnostic.ForecastVariance:
		return "Forecast variance between teams"
	case diagnostic.PipelineCoverage:
		return "Pipeline coverage at quarter start"
	case diagnostic.WinRate:
		return "Win rate"
	}
	return m.Title()
}

func formatMetric(m diagnostic.Metric, x diagnostic.Measure) string {
	switch {
	case !x.Known():
		return "—"
	case m == diagnostic.PipelineCoverage:
		return fmt.Sprintf("%.2f×", x.Value)
	}
	return fmt.Sprintf("%.1f%%", 100*x.Value)
}

func formatTarget(r diagnostic.MetricResult) string {
	switch {
	case r.Target == 0:
		return ""
	case r.LowerIsBetter:
		return "≤ " + formatMetric(r.Metric, diagnostic.Measure{Value: r.Target, N: 1})
	}
	return "≥ " + formatMetric(r.Metric, diagnostic.Measure{Value: r.Target, N: 1})
}
