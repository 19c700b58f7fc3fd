package cadence

import (
	"fmt"
	"slices"
	"strings"

	"github.com/revalign/revalign"
)

// Governance is the seed's governance table as a structure: who owns the
// SLA and who countersigns it, who owns the one revenue dashboard, how
// disputes escalate, how often the SLA is reviewed and rewritten, and the
// facts the common failure modes are detected from.
type Governance struct {
	// SLAOwner owns the SLA pact: the marketing operations lead.
	SLAOwner revalign.Owner `json:"sla_owner"`
	// SLACountersign countersigns it: the sales operations lead.
	SLACountersign revalign.Owner `json:"sla_countersign"`
	// DashboardOwners own the revenue dashboard, the one source of truth:
	// RevOps. More than one owner is two sources of truth.
	DashboardOwners []revalign.Owner `json:"dashboard_owners"`
	// DisputeEscalation is the escalation path of a dispute, in order: the
	// named tie-breaker of Step 1 (by default the VP Marketing, the
	// tie-breaker of demandstate.DefaultModel's handoff states), then the
	// CRO.
	DisputeEscalation []revalign.Owner `json:"dispute_escalation"`
	// RecalibrationReview is how often the SLA is reviewed: monthly.
	RecalibrationReview revalign.Unit `json:"recalibration_review"`
	// RecalibrationRewrite is how often it is rewritten: quarterly.
	RecalibrationRewrite revalign.Unit `json:"recalibration_rewrite"`
	// SLAComplianceInComp reports whether acceptance rate and SLA
	// compliance are tied to bonus.
	SLAComplianceInComp bool `json:"sla_compliance_in_comp"`
	// ReviewGradesReps reports whether the pipeline review also grades
	// individual reps' performance.
	ReviewGradesReps bool `json:"review_grades_reps"`
	// NeutralTeams are the teams whose members can facilitate a loss
	// review neutrally: RevOps and strategy.
	NeutralTeams []revalign.Team `json:"neutral_teams"`
}

// DefaultGovernance returns the seed's governance: the SLA owned by the
// marketing operations lead with the sales operations lead's countersign,
// the dashboard owned by RevOps, disputes to the Step 1 tie-breaker (the VP
// Marketing, as in demandstate.DefaultModel) then the CRO, monthly review
// and quarterly rewrite, SLA compliance in comp, loss reviews facilitated by
// RevOps or strategy.
func DefaultGovernance() Governance {
	return Governance{
		SLAOwner:             mopsLead,
		SLACountersign:       sopsLead,
		DashboardOwners:      []revalign.Owner{revopsLead},
		DisputeEscalation:    []revalign.Owner{tieBreaker, cro},
		RecalibrationReview:  revalign.Month,
		RecalibrationRewrite: revalign.Quarter,
		SLAComplianceInComp:  true,
		NeutralTeams:         []revalign.Team{revalign.RevOps, "strategy"},
	}
}

// Validate reports missing or invalid owners, an SLA countersigned by its
// own owner, no dashboard owner, no escalation path, and a review that is
// not more frequent than the rewrite.
func (g Governance) Validate() error {
	v := validator()
	checkOwner(&v, "sla_owner", g.SLAOwner, "the SLA needs an owner")
	checkOwner(&v, "sla_countersign", g.SLACountersign, "the SLA needs a countersign from the other team")
	v.Check(g.SLAOwner.IsZero() || g.SLAOwner != g.SLACountersign, "sla_countersign", g.SLACountersign.String(), "must be someone other than the SLA owner")
	if v.Check(len(g.DashboardOwners) > 0, "dashboard_owners", nil, "the revenue dashboard needs an owner") {
		for i, o := range g.DashboardOwners {
			checkOwner(&v, revalign.Index("dashboard_owners", i), o, "owner needs a name and team")
		}
	}
	if v.Check(len(g.DisputeEscalation) > 0, "dispute_escalation", nil, "disputes need a named tie-breaker") {
		for i, o := range g.DisputeEscalation {
			checkOwner(&v, revalign.Index("dispute_escalation", i), o, "owner needs a name and team")
		}
	}
	okReview := v.Check(g.RecalibrationReview >= revalign.Week && g.RecalibrationReview <= revalign.Year, "recalibration_review", int(g.RecalibrationReview), "must be week, month, quarter or year")
	okRewrite := v.Check(g.RecalibrationRewrite >= revalign.Week && g.RecalibrationRewrite <= revalign.Year, "recalibration_rewrite", int(g.RecalibrationRewrite), "must be week, month, quarter or year")
	if okReview && okRewrite {
		v.Check(g.RecalibrationReview < g.RecalibrationRewrite, "recalibration_review", g.RecalibrationReview.String(),
			fmt.Sprintf("must be more frequent than the rewrite (%s)", g.RecalibrationRewrite))
	}
	for i, t := range g.NeutralTeams {
		v.Check(t.Valid(), revalign.Index("neutral_teams", i), string(t), "must be a team name")
	}
	return v.Err()
}

// FailureMode is one of the seed's common failure modes, detected, with
// the evidence and the seed's fix.
type FailureMode struct {
	// Key is "revops_owns_everything", "two_sources_of_truth",
	// "sla_not_in_comp", "review_is_deal_inspection" or
	// "loss_review_not_neutral".
	Key string `json:"key"`
	// Name is the failure mode in the seed's words.
	Name string `json:"name"`
	// Evidence says what in the governance or cadence shows it.
	Evidence string `json:"evidence"`
	// Fix is the seed's fix.
	Fix string `json:"fix"`
}

// FailureModes detects the seed's common failure modes in the governance
// and the cadence it governs:
//
//   - RevOps owns everything: RevOps owns the SLA, or holds more than half
//     of the cadence's artifacts and decision rights;
//   - two dashboard owners, two sources of truth;
//   - SLA compliance not tied to comp: the SLA is signed and ignored;
//   - the pipeline review is a deal inspection: it grades reps, or gives
//     no agenda time to pattern flags;
//   - the loss review is not run by a neutral facilitator.
//
// It returns nil when none is present. It does not validate g or c.
func (g Governance) FailureModes(c Cadence) []FailureMode {
	var out []FailureMode
	add := func(key, name, evidence, fix string) {
		out = append(out, FailureMode{Key: key, Name: name, Evidence: evidence, Fix: fix})
	}
	revops, slots := 0, 0
	for _, r := range c.Rituals {
		slots++
		if r.Artifact.Owner.Team == revalign.RevOps {
			revops++
		}
		for _, d := range r.Decisions {
			slots++
			if d.Owner.Team == revalign.RevOps {
				revops++
			}
		}
	}
	switch {
	case g.SLAOwner.Team == revalign.RevOps:
		add("revops_owns_everything", "RevOps owns everything",
			fmt.Sprintf("the SLA is owned by %s, not by the line leaders", g.SLAOwner),
			"Keep ownership with the line leaders; RevOps enables, does not absorb.")
	case slots > 0 && 2*revops > slots:
		add("revops_owns_everything", "RevOps owns everything",
			fmt.Sprintf("RevOps holds %d of the cadence's %d artifacts and decision rights", revops, slots),
			"Keep ownership with the line leaders; RevOps enables, does not absorb.")
	}
	if len(g.DashboardOwners) > 1 {
		names := make([]string, len(g.DashboardOwners))
		for i, o := range g.DashboardOwners {
			names[i] = o.String()
		}
		add("two_sources_of_truth", "Marketing ops and sales ops are split: two sources of truth",
			fmt.Sprintf("%d dashboard owners: %s", len(names), strings.Join(names, ", ")),
			"One shared dashboard, one data model, joint backlog.")
	}
	if !g.SLAComplianceInComp {
		add("sla_not_in_comp", "The SLA is signed and ignored",
			"acceptance rate and SLA compliance are not tied to comp: no enforcement mechanism",
			"Tie acceptance rate and SLA compliance to bonus, not just reporting.")
	}
	review, hasReview := c.Ritual(PipelineReview)
	patternMinutes := 0
	for _, a := range review.Agenda {
		if a.Key == AgendaPatternFlags {
			patternMinutes += a.Minutes
		}
	}
	switch {
	case g.ReviewGradesReps:
		add("review_is_deal_inspection", "Pipeline review becomes a deal inspection",
			"the pipeline review grades individual reps' performance",
			"Review patterns and structural fixes, not individual performance.")
	case hasReview && patternMinutes == 0:
		add("review_is_deal_inspection", "Pipeline review becomes a deal inspection",
			"the pipeline review's agenda gives no time to pattern flags",
			"Review patterns and structural fixes, not individual performance.")
	}
	loss, hasLoss := c.Ritual(LossPostMortem)
	switch {
	case !hasLoss:
		add("loss_review_not_neutral", "Loss reviews surface blame, not patterns",
			"the cadence has no loss post-mortem ritual",
			"A neutral RevOps or strategy lead runs the session.")
	case loss.Facilitator.IsZero():
		add("loss_review_not_neutral", "Loss reviews surface blame, not patterns",
			"the loss post-mortem has no facilitator",
			"A neutral RevOps or strategy lead runs the session.")
	case !slices.Contains(g.NeutralTeams, loss.Facilitator.Team):
		add("loss_review_not_neutral", "Loss reviews surface blame, not patterns",
			fmt.Sprintf("the loss post-mortem is facilitated by %s, who is not neutral", loss.Facilitator),
			"A neutral RevOps or strategy lead runs the session.")
	}
	return out
}
