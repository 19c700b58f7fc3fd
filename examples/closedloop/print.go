package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/examples/internal/fieldstone"
	"github.com/revalign/revalign/icp"
	"github.com/revalign/revalign/sla"
)

// print renders the loop for people, one numbered step per framework
// handoff.
func (l *loop) print(w io.Writer) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	first := l.mqls[0].lead.MQLAt
	for _, j := range l.mqls {
		if j.lead.MQLAt.Before(first) {
			first = j.lead.MQLAt
		}
	}
	p("%s — one turn of the closed loop, as of %s: %d MQLs since %s",
		sample.Company, l.asOf.Format(time.DateOnly), len(l.mqls), first.Format(time.DateOnly))

	standing, _ := l.current.SignOff(l.asOf)
	p("\n1. ICP score (icp). Marketing's model %q %s, %s.", l.current.Name, l.current.Version, standing.Reason())
	p("   Fit criteria can reach %g points, behaviour %g; tiers cut fit + engagement, no fit gate.", l.reach[0].Fit, l.reach[0].Engagement)
	p("   By tier: %s.", tierCounts(l.tiers[0]))

	t := l.tests[0]
	p("\n2. The pact's binary MQL test (sla), %q:", l.pact.Name)
	p("   %s.", criteria(l.pact.MQL))
	p("   It passes %d of %d MQLs; failed on %s.", t.passed, len(l.mqls), failures(t))
	if l.reach[0].Fit < l.pact.MQL.MinFitScore {
		p("   Marketing's model cannot score fit above %g: the pact's line of %g is out of its reach, so no MQL",
			l.reach[0].Fit, l.pact.MQL.MinFitScore)
		p("   it handed over could pass the test both leaders signed. An SLA built on a contested ICP is theater.")
	}
	p("   e.g. %s", t.example)

	p("\n3. Routing by demand state at the MQL (demandstate), and sales' acceptance of each route:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range l.routes {
		state := string(r.state)
		if state == "" {
			state = "(review queue)"
		}
		fmt.Fprintf(tw, "   %s\t%d MQLs\t→ %s\t%s\taccepted %s\n", state, r.mqls, r.action, r.owner, r.acceptance)
	}
	tw.Flush()

	p("\n4. Sales' dispositions: %d of %d MQLs (%d pending).", len(l.mqls)-l.pending, len(l.mqls), l.pending)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   code\tMQLs\tthe pact counts it\tcalibration labels it")
	for _, c := range l.dispositions {
		fmt.Fprintf(tw, "   %s\t%d\t%s\t%s\n", c.code, c.count, c.outcome, c.label)
	}
	tw.Flush()
	p("   The pact holds every declined code against marketing's acceptance rate; calibration learns fit only")
	p("   from what says something about fit.")

	pr := l.proposal
	c := pr.Counts
	p("\n5. Calibration on the dispositions (icp): %d labelled MQLs (%d accepted, %d rejected), %d held out;",
		c.Labelled, c.Positive, c.Negative, c.Holdout)
	p("   left out: %d disqualified (hard rules stay rules), %s.", c.Disqualified, excluded(c.Excluded))
	p("   Held out, current → proposed: AUC %.3f → %.3f, Brier %.3f → %.3f, log-loss %.3f → %.3f.",
		pr.Current.AUC, pr.Proposed.AUC, pr.Current.Brier, pr.Proposed.Brier, pr.Current.LogLoss, pr.Proposed.LogLoss)

	p("\n6. The quarterly ICP review reads the diff, %s → %s (icp.Diff, %d changes):", l.current.Version, l.next.Version, len(l.changes))
	twoColumns(w, l.changes)
	p("   It adopted the proposal as %s/%s, with %d changes of its own:", fieldstone.Dir, fieldstone.RecalibratedICPFile, len(l.reviewed))
	twoColumns(w, l.reviewed)
	p("   %s.", signedBy(l.adopted))

	p("\n7. Every MQL re-scored with the proposal (acceptance = Accepted ÷ Accepted + Bad fit + Nurture):")
	p("   tier  %-37s  %s", "before: "+l.current.Version, "after: "+l.next.Version)
	for i := range l.tiers[0].Tiers {
		b, a := l.tiers[0].Tiers[i], l.tiers[1].Tiers[i]
		p("   %-4s  %-37s  %s", b.Tier, tierCell(b), tierCell(a))
	}
	p("   Tiers rank leads the way sales does: %s → %s. The proposal was fitted on 70%% of these MQLs:",
		yesNo(l.tiers[0].Ordered), yesNo(l.tiers[1].Ordered))
	p("   step 5's held-out figures are the fair comparison.")
	b, a := l.tests[0], l.tests[1]
	p("   The pact's MQL test passes %d → %d of %d MQLs: fit can reach %g → %g points.",
		b.passed, a.passed, len(l.mqls), l.reach[0].Fit, l.reach[1].Fit)
	p("   Failed on %s.", failures(a))
	p("   Acceptance as the pact counts it, of the MQLs it passes: %s → %s; of those it fails: %s → %s.",
		b.accepted[0], a.accepted[0], b.accepted[1], a.accepted[1])
}

// twoColumns prints changes two to a line.
func twoColumns(w io.Writer, cs []icp.Change) {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for i := 0; i < len(cs); i += 2 {
		row := "   " + cs[i].String()
		if i+1 < len(cs) {
			row += "\t" + cs[i+1].String()
		}
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
}

func tierCounts(r icp.TierReport) string {
	var parts []string
	for _, t := range r.Tiers {
		parts = append(parts, fmt.Sprintf("%s %d (%.1f%%)", t.Tier, t.Leads, 100*t.Share))
	}
	return strings.Join(parts, ", ")
}

// tierCell renders one tier of one model: MQLs, share, acceptance with its
// 95% interval.
func tierCell(t icp.TierRow) string {
	if t.Leads == 0 {
		return "—"
	}
	return fmt.Sprintf("%4d %5.1f%%  %3.0f%% of %4d [%.0f–%.0f%%]", t.Leads, 100*t.Share, 100*t.AcceptanceRate, t.Labelled, 100*t.Low, 100*t.High)
}

func criteria(c sla.Criteria) string {
	return fmt.Sprintf("ICP fit ≥ %g, marketing's engagement ≥ %g, intent within %d days, none of %s",
		c.MinFitScore, c.MinEngagement, c.IntentWithinDays, strings.Join(c.Disqualifiers, ", "))
}

func failures(t mqlTest) string {
	var parts []string
	for _, c := range []sla.Criterion{sla.CriterionFit, sla.CriterionEngagement, sla.CriterionIntent, sla.CriterionDisqualifier} {
		parts = append(parts, fmt.Sprintf("%s %d", c, t.byCriterion[c]))
	}
	return strings.Join(parts, ", ")
}

func excluded(by map[string]int) string {
	var parts []string
	for code, n := range by {
		parts = append(parts, fmt.Sprintf("%d %s", n, code))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// signedBy says who signed m and whether it is in force on its effective
// date.
func signedBy(m icp.Model) string {
	var who []string
	for _, s := range m.Signatures {
		who = append(who, fmt.Sprintf("%s (%s) on %s", s.Name, s.Role, s.SignedAt.Format(time.DateOnly)))
	}
	from, err := time.Parse(time.DateOnly, m.EffectiveDate)
	if err != nil {
		return "signed by " + strings.Join(who, " and ")
	}
	so, err := m.SignOff(from)
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("signed by %s: %s from %s", strings.Join(who, " and "), so.Reason(), m.EffectiveDate)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
