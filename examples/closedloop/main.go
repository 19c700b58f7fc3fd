// Command closedloop runs the loop the seeds describe on the sample company,
// passing only plain values from one framework to the next:
//
//	ICP score → the pact's binary MQL test → routing by demand state
//	→ sales' dispositions → ICP calibration → the quarterly review's diff
//	→ re-scored with the proposal: acceptance by tier and the MQL test, before and after
//
//	go run ./examples/closedloop
//
// No framework package imports another. The ICP fit score is a float64 by
// the time the pact sees it, a demand state is a name by the time the router
// acts on it, and a disposition is a code by the time calibration reads it.
// The sample company's configuration comes from examples/internal/fieldstone.
package main

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/demandstate"
	"github.com/revalign/revalign/examples/internal/fieldstone"
	"github.com/revalign/revalign/icp"
	"github.com/revalign/revalign/sla"
)

// The quarterly review names the proposal before the leaders sign it.
const (
	nextVersion   = "2026.4"
	nextEffective = "2026-11-09"
)

func main() {
	d, err := sample.Load()
	if err == nil {
		var l *loop
		if l, err = closeLoop(d, sample.AsOf()); err == nil {
			l.print(os.Stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "closedloop:", err)
		os.Exit(1)
	}
}

// loop is what one turn of the loop computed.
type loop struct {
	asOf    time.Time
	pact    sla.Pact
	current icp.Model // marketing's model
	next    icp.Model // calibration's proposal, named for the review
	adopted icp.Model // what the review signed (fieldstone's icp-2026.4.yaml)

	mqls         []journey
	tiers        [2]icp.TierReport // before, after
	tests        [2]mqlTest        // before, after
	reach        [2]fieldstone.Reach
	routes       []routeTally
	dispositions []codeTally
	pending      int
	proposal     icp.Proposal
	changes      []icp.Change // current → next
	reviewed     []icp.Change // next → adopted
}

// journey is one MQL and the CRM rows every framework's input is derived
// from.
type journey struct {
	lead     crm.Lead
	events   []crm.Event
	touches  []crm.Touch
	customer bool        // the account was a customer at the MQL
	outcome  icp.Outcome // the ICP record as of the MQL, and the disposition
}

// closeLoop runs the loop over every MQL of d.
func closeLoop(d *crm.Dataset, asOf time.Time) (*loop, error) {
	l := &loop{asOf: asOf}
	rates, err := d.Rates(sample.ReportingCurrency)
	if err != nil {
		return nil, err
	}
	if l.current, err = fieldstone.ICPModel(); err != nil {
		return nil, err
	}
	if l.adopted, err = fieldstone.RecalibratedICPModel(); err != nil {
		return nil, err
	}
	if l.pact, err = fieldstone.Pact(); err != nil {
		return nil, err
	}
	cal, err := fieldstone.Calibration()
	if err != nil {
		return nil, err
	}
	states, err := fieldstone.DemandStateModel()
	if err != nil {
		return nil, err
	}
	router, err := fieldstone.Router()
	if err != nil {
		return nil, err
	}
	if l.mqls, err = journeys(d, rates); err != nil {
		return nil, err
	}
	dispositions := make([]string, len(l.mqls))
	outcomes := make([]icp.Outcome, len(l.mqls))
	for i, j := range l.mqls {
		dispositions[i], outcomes[i] = j.lead.Disposition, j.outcome
	}

	// 1. Score every MQL as of its MQL with marketing's model: are A leads
	// really accepted more than C leads?
	scorer, err := l.current.Compile(fieldstone.ICPSchema())
	if err != nil {
		return nil, err
	}
	before, err := scoreAll(scorer, l.mqls)
	if err != nil {
		return nil, err
	}
	if l.tiers[0], err = l.current.TierReport(before, dispositions, cal.Labels); err != nil {
		return nil, err
	}

	// 2. The pact's binary MQL test on plain numbers: the ICP fit score,
	// marketing's engagement score, the latest intent signal, the ICP
	// disqualifier that fired.
	l.tests[0] = testAll(l.pact, l.mqls, before)

	// 3. Route every MQL by its demand state at the MQL, not by its score.
	cl, err := demandstate.NewClassifier(states)
	if err != nil {
		return nil, err
	}
	dispatcher, err := demandstate.NewDispatcher(cl, router)
	if err != nil {
		return nil, err
	}
	l.routes = routeAll(dispatcher, states, l.pact, l.mqls)

	// 4. Sales' dispositions, as the pact counts them and as calibration
	// labels them.
	l.dispositions, l.pending = tallyDispositions(l.pact, cal.Labels, l.mqls)

	// 5. The dispositions calibrate the model: new points, judged against
	// the current ones on held-out MQLs.
	prop, rejected, err := scorer.Calibrate(outcomes, cal)
	if err != nil {
		return nil, err
	}
	if len(rejected) > 0 {
		return nil, fmt.Errorf("calibration: %d outcomes rejected, first %w", len(rejected), rejected[0])
	}
	l.proposal = prop

	// 6. The quarterly ICP review: the proposal gets a version and a date,
	// and the review reads every change; what it signed is fieldstone's
	// icp-2026.4.yaml.
	l.next = prop.Model
	l.next.Version, l.next.EffectiveDate = nextVersion, nextEffective
	l.changes = icp.Diff(l.current, l.next)
	l.reviewed = icp.Diff(l.next, l.adopted)

	// 7. Re-score every MQL with the proposal and test it again.
	nextScorer, err := l.next.Compile(fieldstone.ICPSchema())
	if err != nil {
		return nil, err
	}
	after, err := scoreAll(nextScorer, l.mqls)
	if err != nil {
		return nil, err
	}
	if l.tiers[1], err = l.next.TierReport(after, dispositions, cal.Labels); err != nil {
		return nil, err
	}
	l.tests[1] = testAll(l.pact, l.mqls, after)
	l.reach = [2]fieldstone.Reach{fieldstone.ReachOf(l.current), fieldstone.ReachOf(l.next)}
	return l, nil
}

// journeys collects every MQL of d, in lead order, with its ICP outcome
// (fieldstone.ICPOutcomes), its events and touches, and whether its account
// was a customer at the MQL.
func journeys(d *crm.Dataset, rates revalign.Rates) ([]journey, error) {
	outcomes, err := fieldstone.ICPOutcomes(d, rates)
	if err != nil {
		return nil, err
	}
	act := fieldstone.ActivityByLead(d)
	leads := make(map[string]crm.Lead, len(d.Leads))
	for _, ld := range d.Leads {
		leads[ld.ID] = ld
	}
	customers := fieldstone.CustomersFrom(d.ARRMovements)
	out := make([]journey, len(outcomes))
	for i, o := range outcomes {
		ld := leads[o.Record.ID]
		out[i] = journey{lead: ld, events: act.Events[ld.ID], touches: act.Touches[ld.ID],
			customer: customers.At(ld.AccountID, ld.MQLAt), outcome: o}
	}
	return out, nil
}

// scoreAll scores every MQL as of its MQL.
func scoreAll(s *icp.Scorer, mqls []journey) ([]icp.Result, error) {
	out := make([]icp.Result, len(mqls))
	for i, j := range mqls {
		r, err := s.Score(j.outcome.Record, j.outcome.At)
		if err != nil {
			return nil, fmt.Errorf("lead %s: %w", j.lead.ID, err)
		}
		out[i] = r
	}
	return out, nil
}

// mqlTest is the pact's MQL test over every MQL, and what sales made of the
// MQLs it passes and of those it fails.
type mqlTest struct {
	passed, failed int
	byCriterion    map[sla.Criterion]int
	accepted       [2]acceptance // of the passed, of the failed
	example        string        // a failed MQL and its reasons
}

// acceptance counts dispositions the pact's way: accepted ÷ accepted +
// declined; excluded codes and pending MQLs stay out.
type acceptance struct{ accepted, decided int }

func (a *acceptance) add(o sla.Outcome) {
	switch o {
	case sla.Accepted:
		a.accepted, a.decided = a.accepted+1, a.decided+1
	case sla.Declined:
		a.decided++
	}
}

func (a acceptance) String() string {
	if a.decided == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%% of %d", 100*float64(a.accepted)/float64(a.decided), a.decided)
}

// testAll applies the pact's MQL test to every MQL at its MQL time. What
// crosses from the ICP model to the pact is plain data: the fit score and
// the disqualifier's ID (fieldstone.Prospect).
func testAll(p sla.Pact, mqls []journey, results []icp.Result) mqlTest {
	t := mqlTest{byCriterion: map[sla.Criterion]int{}}
	outcome := outcomes(p)
	for i, j := range mqls {
		at := j.lead.MQLAt
		pr := fieldstone.Prospect(results[i], fieldstone.Engagement(j.events, at), fieldstone.LastIntent(j.events, at))
		v := p.Qualifies(pr, at)
		k := 0
		if v.Qualified {
			t.passed++
		} else {
			t.failed, k = t.failed+1, 1
			for _, f := range v.Failed {
				t.byCriterion[f.Criterion]++
			}
			if t.example == "" && len(v.Failed) > 1 {
				t.example = j.lead.ID + ": " + reasons(v)
			}
		}
		t.accepted[k].add(outcome(j.lead.Disposition))
	}
	return t
}

// outcomes returns how the pact counts a disposition code ("" when the code
// is not the pact's or the MQL is pending).
func outcomes(p sla.Pact) func(code string) sla.Outcome {
	m := map[string]sla.Outcome{}
	for _, c := range p.Dispositions {
		m[strings.ToLower(c.Name)] = c.Outcome
	}
	return func(code string) sla.Outcome { return m[strings.ToLower(strings.TrimSpace(code))] }
}

func reasons(v sla.Verdict) string {
	var s []string
	for _, f := range v.Failed {
		s = append(s, f.Reason)
	}
	return strings.Join(s, "; ")
}

// routeTally is the MQLs one demand state routed, and sales' acceptance of
// them.
type routeTally struct {
	state  demandstate.State // "" for the review queue
	action demandstate.Action
	owner  revalign.Owner
	mqls   int
	acceptance
}

// routeAll routes every MQL by its demand state at the MQL
// (fieldstone.DemandStateRecord derives the signals from its events and
// touches up to then) and tallies the routes in the model's state order.
func routeAll(d *demandstate.Dispatcher, m demandstate.Model, p sla.Pact, mqls []journey) []routeTally {
	outcome := outcomes(p)
	byState := map[demandstate.State]*routeTally{}
	for _, j := range mqls {
		at := j.lead.MQLAt
		rec := fieldstone.DemandStateRecord(m, j.lead.ID, j.customer, j.events, j.touches, at)
		dec := d.Route(rec, at)
		t := byState[dec.State]
		if t == nil {
			t = &routeTally{state: dec.State, action: dec.Action, owner: dec.Owner}
			byState[dec.State] = t
		}
		t.mqls++
		t.add(outcome(j.lead.Disposition))
	}
	var out []routeTally
	for _, s := range append(m.Names(), "") {
		if t := byState[s]; t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// codeTally is one disposition code: how often sales used it, how the pact
// counts it and how calibration labels it.
type codeTally struct {
	code    string
	count   int
	outcome sla.Outcome
	label   string
}

func tallyDispositions(p sla.Pact, labels icp.Labels, mqls []journey) ([]codeTally, int) {
	counts := map[string]int{}
	pending := 0
	for _, j := range mqls {
		if j.lead.Disposition == "" {
			pending++
			continue
		}
		counts[strings.ToLower(j.lead.Disposition)]++
	}
	label := func(code string) string {
		if lab, ok := labels.Lookup(code); ok {
			return lab.String()
		}
		return "no label"
	}
	var out []codeTally
	for _, c := range p.Dispositions {
		k := strings.ToLower(c.Name)
		out = append(out, codeTally{code: c.Name, count: counts[k], outcome: c.Outcome, label: label(c.Name)})
		delete(counts, k)
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) { // codes the pact does not know
		out = append(out, codeTally{code: k, count: counts[k], outcome: "not a pact code", label: label(k)})
	}
	return out, pending
}
