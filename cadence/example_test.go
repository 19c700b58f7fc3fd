package cadence_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/cadence"
)

// The next fiscal quarter of the default cadence in New York, with the
// company's holidays: Thanksgiving cancels nothing (it is a Thursday with no
// ritual), but the offsite on the second Tuesday of December cancels the
// monthly SLA review. Every meeting is at its local time on both sides of
// the 1 November DST change.
func ExampleCadence_Schedule() {
	ny, _ := time.LoadLocation("America/New_York")
	c := cadence.DefaultCadence()
	c.Calendar = revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: ny}
	c.Holidays = []cadence.Holiday{
		cadence.Floating("Thanksgiving", time.November, 4, cadence.Thursday),
		cadence.Fixed("Christmas Day", time.December, 25, true),
		cadence.OnDate("Company offsite", 2026, time.December, 8),
	}
	q := c.Calendar.Quarter(time.Date(2026, 11, 1, 0, 0, 0, 0, ny)) // FY2027-Q4
	tt, err := c.Schedule(q.Start, q.End, ny)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range c.Rituals {
		fmt.Printf("%-40s %2d× %s\n", r.Name, tt.Count(r.Key), r.When)
	}
	for _, o := range tt.Meetings[:3] {
		fmt.Println(o.Start.Format("Mon 2006-01-02 15:04 MST"), o.Name)
	}
	for _, o := range tt.Skipped {
		fmt.Println("skipped:", o.Nominal.Format("Mon 2006-01-02"), o.Name, "—", o.Holiday)
	}
	// Output:
	// Weekly pipeline review                   13× every Monday at 10:00 (45 min)
	// Monthly demand-state review               3× 1st Wednesday of every month at 14:00 (60 min)
	// Monthly SLA review of rejection reasons   2× 2nd Tuesday of every month at 14:00 (60 min)
	// Quarterly ICP and scoring review          1× 1st Thursday of every quarter at 13:00 (90 min)
	// Quarterly SLA recalibration               1× 2nd Thursday of every quarter at 13:00 (90 min)
	// Quarterly loss post-mortem                1× 1st Tuesday of every quarter at 13:00 (90 min)
	// Mon 2026-11-02 10:00 EST Weekly pipeline review
	// Tue 2026-11-03 13:00 EST Quarterly loss post-mortem
	// Wed 2026-11-04 14:00 EST Monthly demand-state review
	// skipped: Tue 2026-12-08 Monthly SLA review of rejection reasons — Company offsite
}

// A weekly review of a five-deal pipeline: the forecast delta reconciled
// (the forecast is what is booked in the quarter plus the open pipeline
// closing in it, so OPP-3's win moves 25000 from pipeline to booked), the
// deals in passive voice taken off the forecast, the stalled inventory and
// a stall pattern in three deals routed to the loss review.
func ExamplePipelinePolicy_Review() {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	date := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 0, 0, 0, 0, time.UTC) }
	ann := revalign.Owner{Name: "Ann Lee", Team: revalign.Sales}
	const sec = "Security questionnaire outstanding"
	last := []cadence.Deal{
		{ID: "OPP-1", Owner: ann, Stage: "Proposal", StageEnteredAt: date(8, 24), Amount: d("120000"), Currency: "USD", CloseDate: date(10, 20), NextAction: "Security call", NextActionDate: date(9, 24)},
		{ID: "OPP-2", Owner: ann, Stage: "Discovery", StageEnteredAt: date(9, 1), Amount: d("40000"), Currency: "USD", CloseDate: date(10, 10), NextAction: "Demo", NextActionDate: date(9, 22)},
		{ID: "OPP-3", Owner: ann, Stage: "Negotiation", StageEnteredAt: date(9, 10), Amount: d("25000"), Currency: "USD", CloseDate: date(9, 30), NextAction: "Sign", NextActionDate: date(9, 25)},
	}
	this := []cadence.Deal{
		{ID: "OPP-1", Owner: ann, Stage: "Proposal", StageEnteredAt: date(8, 24), Amount: d("120000"), Currency: "USD", CloseDate: date(10, 20), NextAction: "Security call", NextActionDate: date(10, 1), StallReason: sec},
		{ID: "OPP-2", Owner: ann, Stage: "Proposal", StageEnteredAt: date(9, 25), Amount: d("45000"), Currency: "USD", CloseDate: date(11, 20), NextAction: "Proposal", NextActionDate: date(10, 5), StallReason: sec},
		{ID: "OPP-4", Stage: "Discovery", StageEnteredAt: date(9, 2), Amount: d("60000"), Currency: "USD", CloseDate: date(10, 30), StallReason: sec},
		{ID: "OPP-5", Owner: ann, Stage: "Discovery", StageEnteredAt: date(9, 22), Amount: d("8000"), Currency: "USD", CloseDate: date(10, 15), NextAction: "Call", NextActionDate: date(10, 2), WaitingOn: cadence.Buyer, StallReason: "Legal redlines"},
	}
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)
	cal := revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday}
	rv, err := cadence.DefaultPipelinePolicy().Review(cadence.ReviewInput{
		AsOf: asOf, Period: cal.Quarter(asOf), This: this, Last: last,
		Closed:       []cadence.Closed{{ID: "OPP-3", Won: true, ClosedOn: date(9, 25)}},
		BookedBefore: d("310000"), // won in the quarter before last week's snapshot
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("forecast %s → %s, of which booked %s → %s (reconciles: %t)\n",
		rv.Delta.Last, rv.Delta.This, rv.Delta.LastBooked, rv.Delta.ThisBooked, rv.Delta.Reconciles)
	for _, b := range rv.Delta.Buckets {
		fmt.Printf("  %-8s %d deal(s) %s\n", b.Kind, b.Deals, b.Effect)
	}
	fmt.Printf("reviewed forecast %s (%d deal(s) in passive voice off)\n", rv.Delta.Reviewed, rv.Delta.OffForecastDeals)
	for _, l := range rv.OverThreshold {
		next := "no dated next action"
		if !l.NextActionDate.IsZero() {
			next = fmt.Sprintf("next %q by %s", l.NextAction, l.NextActionDate.Format(time.DateOnly))
		}
		fmt.Printf("over threshold: %s %s, owner %s, %s\n", l.ID, l.Amount, l.Owner, next)
	}
	for _, l := range rv.Passive {
		fmt.Printf("passive voice: %s (%s)\n", l.ID, l.Flags)
	}
	for _, l := range rv.Stalled {
		fmt.Printf("stalled: %s %d days in %s\n", l.ID, l.DaysInStage, l.Stage)
	}
	for _, p := range rv.Structural() {
		fmt.Printf("structural: %q in %d deals → %s\n", p.Reason, len(p.Deals), p.RouteTo)
	}
	fmt.Println("commitments due", rv.CommitmentsDue.Format("Mon 2006-01-02"), len(rv.Commitments))
	// Output:
	// forecast 495000 → 523000, of which booked 310000 → 335000 (reconciles: true)
	//   new      2 deal(s) 68000
	//   slipped  1 deal(s) -40000
	//   won      1 deal(s) 0
	// reviewed forecast 455000 (2 deal(s) in passive voice off)
	// over threshold: OPP-1 120000, owner Ann Lee (sales), next "Security call" by 2026-10-01
	// over threshold: OPP-4 60000, owner (nobody), no dated next action
	// passive voice: OPP-4 (no owner, no dated next action)
	// passive voice: OPP-5 (waiting on the buyer)
	// stalled: OPP-1 35 days in Proposal
	// stalled: OPP-4 26 days in Discovery
	// structural: "Security questionnaire outstanding" in 3 deals → quarterly_loss_postmortem
	// commitments due Fri 2026-10-02 4
}

// The loss post-mortem of a quarter: five losses reviewed, picked across
// reasons, and the structural changes ranked by frequency and value lost.
func ExamplePostMortemPolicy_Run() {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	on := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 0, 0, 0, 0, time.UTC) }
	losses := []cadence.Loss{
		{ID: "L1", Amount: d("140000"), Currency: "USD", ClosedOn: on(5, 12), Reason: "Security review failed"},
		{ID: "L2", Amount: d("95000"), Currency: "USD", ClosedOn: on(6, 3), Reason: "Security review failed"},
		{ID: "L3", Amount: d("80000"), Currency: "USD", ClosedOn: on(6, 20), Reason: "No decision"},
		{ID: "L4", Amount: d("60000"), Currency: "USD", ClosedOn: on(7, 8), Reason: "Price"},
		{ID: "L5", Amount: d("45000"), Currency: "USD", ClosedOn: on(7, 15), Reason: "No decision"},
		{ID: "L6", Amount: d("30000"), Currency: "USD", ClosedOn: on(7, 22), Reason: "Price",
			Findings: []string{"Procurement benchmarked our price per seat against a bundle"}},
		{ID: "L7", Amount: d("20000"), Currency: "USD", ClosedOn: on(7, 29), Reason: "Champion left"},
	}
	cal := revalign.FiscalCalendar{StartMonth: time.February}
	p := cadence.DefaultPostMortemPolicy()
	p.MaxLosses = 5
	pm, err := p.Run(losses, cal.Quarter(on(6, 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("quarter", pm.Quarter, "losses", pm.Losses, "value lost", pm.ValueLost)
	for _, c := range pm.Selected {
		fmt.Printf("review %s %s %q (%s)\n", c.ID, c.Amount, c.Reason, c.Category)
	}
	for _, c := range pm.Changes {
		fmt.Printf("%d. %s: %d losses, %s lost — %s\n", c.Rank, c.Category, c.Losses, c.Value, c.Action)
	}
	for _, w := range pm.Warnings {
		fmt.Println("warning:", w.Code)
	}
	// Output:
	// quarter 2026-05-01..2026-08-01 losses 7 value lost 470000
	// review L1 140000 "Security review failed" (Content)
	// review L3 80000 "No decision" (Qualification)
	// review L4 60000 "Price" (Pricing)
	// review L7 20000 "Champion left" (Sales motion)
	// review L2 95000 "Security review failed" (Content)
	// 1. Content: 2 losses, 235000 lost — Fill the content gap for the buying-committee role that stalled these deals
	// 2. Qualification: 2 losses, 125000 lost — Add a qualification exit criterion (compelling event, decision process, budget) before a deal advances
	// 3. Pricing: 2 losses, 90000 lost — Review packaging and pricing, and where in the sales motion price is introduced
}

// The seed's failure modes, detected from a governance where marketing ops
// and sales ops each keep a dashboard and the sales leader runs the loss
// review.
func ExampleGovernance_FailureModes() {
	g := cadence.DefaultGovernance()
	g.DashboardOwners = []revalign.Owner{
		{Name: "Marketing ops", Team: revalign.Marketing},
		{Name: "Sales ops", Team: revalign.Sales},
	}
	c := cadence.DefaultCadence()
	for i, r := range c.Rituals {
		if r.Key == cadence.LossPostMortem {
			c.Rituals[i].Facilitator = revalign.Owner{Name: "VP Sales", Team: revalign.Sales}
		}
	}
	for _, f := range g.FailureModes(c) {
		fmt.Printf("%s: %s. Fix: %s\n", f.Name, f.Evidence, f.Fix)
	}
	// Output:
	// Marketing ops and sales ops are split: two sources of truth: 2 dashboard owners: Marketing ops (marketing), Sales ops (sales). Fix: One shared dashboard, one data model, joint backlog.
	// Loss reviews surface blame, not patterns: the loss post-mortem is facilitated by VP Sales (sales), who is not neutral. Fix: A neutral RevOps or strategy lead runs the session.
}

// The 30-day decision log: what the rituals decided, what changed, what is
// due next and what is overdue.
func ExampleCadence_Decisions() {
	c := cadence.DefaultCadence()
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	ops := revalign.Owner{Name: "Dana Ortiz", Team: revalign.RevOps}
	sam := revalign.Owner{Name: "Sam Lee", Team: revalign.Sales}
	log := []cadence.Decision{
		{ID: "D-1", Ritual: cadence.PipelineReview, MadeAt: at(9, 14), What: "Build a security questionnaire pack", Owner: ops,
			Due: at(9, 25), DoneAt: at(9, 24), Change: "Pack in the content map for the security reviewer"},
		{ID: "D-2", Ritual: cadence.PipelineReview, MadeAt: at(9, 21), What: "Assign owners to unowned deals", Owner: sam, Due: at(10, 2)},
		{ID: "D-3", Ritual: cadence.SLAReview, MadeAt: at(9, 8), What: "Add 'no budget' to the disqualifiers", Owner: sam, Due: at(9, 22)},
	}
	rep, err := c.Decisions(log, at(9, 28))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range rep.Changed {
		fmt.Printf("changed: %s → %s (%s)\n", d.What, d.Change, d.Owner.Name)
	}
	for _, d := range rep.Upcoming {
		fmt.Printf("due %s: %s (%s)\n", d.Due.Format(time.DateOnly), d.What, d.Owner.Name)
	}
	for _, d := range rep.Overdue {
		fmt.Printf("overdue since %s: %s (%s)\n", d.Due.Format(time.DateOnly), d.What, d.Owner.Name)
	}
	fmt.Println("met and decided nothing:", rep.Silent)
	// Output:
	// changed: Build a security questionnaire pack → Pack in the content map for the security reviewer (Dana Ortiz)
	// due 2026-10-02: Assign owners to unowned deals (Sam Lee)
	// overdue since 2026-09-22: Add 'no budget' to the disqualifiers (Sam Lee)
	// met and decided nothing: [monthly_demand_state_review]
}
