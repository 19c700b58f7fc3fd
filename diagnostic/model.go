package diagnostic

import (
	"slices"
	"strconv"
)

// Step is one of the six steps of the Revenue Alignment Model, numbered 1–6
// in the order they are installed. The zero value means "no step". In JSON a
// Step is its name ("written_sla"); UnmarshalText also reads the number
// ("2").
type Step int8

// The six steps of the Revenue Alignment Model.
const (
	StepDemandStates   Step = iota + 1 // 1: replace the funnel with demand states
	StepWrittenSLA                     // 2: define the MQL and SQL boundary in writing
	StepRevenuePlan                    // 3: build one revenue plan, not two
	StepPipelineReview                 // 4: install shared pipeline reviews with named owners
	StepContentMap                     // 5: map content to demand states with usage telemetry
	StepLossPostMortem                 // 6: run a quarterly loss post-mortem with both teams
)

// NumSteps is the number of steps of the model.
const NumSteps = 6

var stepNames = newNames[Step]("step", "", "demand_states", "written_sla", "one_revenue_plan", "pipeline_review", "content_map", "loss_post_mortem")

// Valid reports whether s is one of the six steps.
func (s Step) Valid() bool { return s >= StepDemandStates && s <= StepLossPostMortem }

// String returns "Step 2" for the second step.
func (s Step) String() string {
	if s.Valid() {
		return "Step " + strconv.Itoa(int(s))
	}
	return stepNames.String(s)
}

// MarshalText encodes the step by name; the zero Step is "".
func (s Step) MarshalText() ([]byte, error) { return stepNames.Text(s) }

// UnmarshalText decodes a step name ("written_sla") or number ("2").
func (s *Step) UnmarshalText(b []byte) error {
	if n, err := strconv.Atoi(match.Normalize(string(b))); err == nil && Step(n).Valid() {
		*s = Step(n)
		return nil
	}
	return stepNames.Unmarshal(s, b)
}

// ModelStep is one step of the Revenue Alignment Model as data: what it
// installs, the decision it forces on the two teams, the ownership artifact
// that proves it is installed, its if/then rules and its red flags, and for
// Step 6 the governance that keeps the model in place.
type ModelStep struct {
	// Step is the step's number.
	Step Step `json:"step"`
	// Name is the step's title.
	Name string `json:"name"`
	// Decision is the ownership decision the step forces.
	Decision string `json:"decision"`
	// Artifact is the document or ritual that shows the step is installed.
	Artifact string `json:"artifact"`
	// Rules are the step's if/then rules.
	Rules []string `json:"rules"`
	// RedFlags are the signs that the step is missing or failing.
	RedFlags []string `json:"red_flags"`
	// Governance is the seed's governance table (SLA owner, dashboard
	// owner, dispute escalation, recalibration cadence), carried by Step 6:
	// a team that is mostly aligned "reinforces governance (Step 6)". Nil
	// for the other steps.
	Governance []GovernanceItem `json:"governance,omitempty"`
}

// GovernanceItem is one line of the seed's governance table: who owns a
// standing part of the model, or how often it is recalibrated.
type GovernanceItem struct {
	// Item names the line: "SLA owner", "Dashboard owner", "Dispute
	// escalation" or "Recalibration cadence".
	Item string `json:"item"`
	// Rule is the seed's answer, e.g. "Monthly review, quarterly rewrite".
	Rule string `json:"rule"`
}

// model is the six-step Revenue Alignment Model, in the words of the SDK.
var model = [NumSteps]ModelStep{
	{
		Step:     StepDemandStates,
		Name:     "Replace the funnel with demand states",
		Decision: "Who owns each demand state: marketing the early states (unaware, problem-aware), sales the late state (decision-ready), and the handoff states (solution-aware, partner-aware) jointly, with one named tie-breaker.",
		Artifact: "A one-page demand-state map with owner names, definitions and entry/exit criteria.",
		Rules: []string{
			"If two people can disagree about which demand state a deal is in, the definitions are not tight enough: rewrite them.",
			"Every state has a named owner; a handoff state has joint owners and a single named tie-breaker.",
		},
		RedFlags: []string{
			"Marketing owns the top of the funnel, sales owns the bottom, and nobody owns the middle.",
			"Deals move through linear funnel stages that buyers do not follow.",
		},
	},
	{
		Step:     StepWrittenSLA,
		Name:     "Define the MQL and SQL boundary in writing",
		Decision: "What exactly makes a lead qualified, how fast sales responds and how dispositions come back: binary criteria and commitments both leaders sign.",
		Artifact: "A signed SLA: binary MQL criteria, marketing's volume and quality commitments, sales' first-touch and disposition commitments, joint reviews, named escalation.",
		Rules: []string{
			"A lead either meets the criteria or it does not: no judgment calls.",
			"Every declined MQL carries a documented rejection reason.",
			"Rejection reasons are reviewed monthly and the criteria recalibrated quarterly.",
		},
		RedFlags: []string{
			"Acceptance below 75% for two consecutive weeks: revisit the criteria, not the reps.",
			"The MQL definition lives in a slide sales never signed.",
		},
	},
	{
		Step:     StepRevenuePlan,
		Name:     "Build one revenue plan, not two",
		Decision: "One revenue number both teams carry, worked backward into pipeline coverage, conversion rates by demand state, activity volume and marketing investment.",
		Artifact: "A single revenue plan document with both leaders' signatures and a shared dashboard.",
		Rules: []string{
			"Marketing's bonus is tied to sourced and influenced revenue, not MQL counts.",
			"Sales' quota is tied to the same pipeline plan marketing builds toward.",
			"If an SLA failed, this step was skipped: without shared financial accountability the SLA is a marketing document sales tolerates.",
		},
		RedFlags: []string{
			"A marketing plan with MQL targets and a sales plan with quota, stitched together at the QBR.",
			"Two systems of truth, two narratives, two QBRs.",
		},
	},
	{
		Step:     StepPipelineReview,
		Name:     "Install shared pipeline reviews with named owners",
		Decision: "Who on the revenue team owns moving each deal over the threshold value, and by when.",
		Artifact: "A weekly 45-minute review both leaders run: forecast delta, deals over threshold, stalled inventory, pattern flags, action commitments.",
		Rules: []string{
			"Every stalled deal gets a named owner and a dated next action, or it comes off the forecast.",
			"No deals in passive voice, no deals waiting on the buyer.",
			"The same stall pattern in three or more deals is structural: route it to the next loss post-mortem (Step 6).",
		},
		RedFlags: []string{
			"Deals with no movement for 21 days or more.",
			"Deals whose next action is the buyer's.",
		},
	},
	{
		Step:     StepContentMap,
		Name:     "Map content to demand states with usage telemetry",
		Decision: "Which demand state and buying-committee role each asset serves, and which assets are retired.",
		Artifact: "A content map: every asset mapped to a demand state and a buying-committee role, with usage in deals instrumented.",
		Rules: []string{
			"Assets not pulled into a deal within 90 days are retired.",
			"If sales builds decks from scratch more than once a month, the map has a gap: fill it before producing new top-of-funnel assets.",
		},
		RedFlags: []string{
			"Marketing produces, sales ignores, nobody tracks.",
			"The map covers one buyer while the committee includes IT, security and finance.",
		},
	},
	{
		Step:     StepLossPostMortem,
		Name:     "Run a quarterly loss post-mortem with both teams",
		Decision: "Which 3 to 5 structural changes (ICP, qualification, content, pricing, sales motion) go into next quarter's plan.",
		Artifact: "A quarterly review of 5 to 10 losses with both teams, prospects interviewed when possible, producing 3 to 5 structural changes.",
		Rules: []string{
			"The output is structural patterns, not individual mistakes.",
			"A neutral RevOps or strategy lead facilitates.",
		},
		RedFlags: []string{
			"The post-mortem produces a list of individual mistakes.",
			"Only wins are reviewed.",
		},
		Governance: []GovernanceItem{
			{Item: "SLA owner", Rule: "Marketing operations lead, with sales operations countersign"},
			{Item: "Dashboard owner", Rule: "RevOps (or whichever team owns the source of truth)"},
			{Item: "Dispute escalation", Rule: "The named tie-breaker from Step 1, then the CRO"},
			{Item: "Recalibration cadence", Rule: "Monthly review, quarterly rewrite"},
		},
	},
}

// Model returns the six steps of the Revenue Alignment Model in order. The
// result is a deep copy the caller may keep or change.
func Model() []ModelStep {
	out := make([]ModelStep, NumSteps)
	for i, s := range model {
		out[i] = s.clone()
	}
	return out
}

// StepInfo returns the model's description of step s, and false when s is
// not one of the six steps. The result is a deep copy the caller may keep
// or change.
func StepInfo(s Step) (ModelStep, bool) {
	if !s.Valid() {
		return ModelStep{}, false
	}
	return model[s-1].clone(), true
}

// clone returns a copy of s that shares no slice with it.
func (s ModelStep) clone() ModelStep {
	s.Rules = slices.Clone(s.Rules)
	s.RedFlags = slices.Clone(s.RedFlags)
	s.Governance = slices.Clone(s.Governance)
	return s
}

// Prerequisite is a condition the model is built on: without a documented
// ICP and baseline CRM hygiene "the model is built on sand". In JSON a
// Prerequisite is its name.
type Prerequisite int8

// The prerequisites of the Revenue Alignment Model.
const (
	PrereqDocumentedICP        Prerequisite = iota + 1 // a documented ideal customer profile
	PrereqDeduplicatedAccounts                         // CRM hygiene: one record per account
	PrereqStageDefinitions                             // CRM hygiene: written stage definitions
	PrereqOwnerFields                                  // CRM hygiene: owner fields filled in
)

var prereqNames = newNames[Prerequisite]("prerequisite", "", "documented_icp", "deduplicated_accounts", "stage_definitions", "owner_fields")

var prereqTexts = []string{"",
	"Document the ICP",
	"Deduplicate accounts in the CRM",
	"Write down the stage definitions",
	"Fill in owner fields on every account, lead and deal",
}

// String returns the prerequisite's name, e.g. "documented_icp".
func (p Prerequisite) String() string { return prereqNames.String(p) }

// Action returns what to do to meet the prerequisite, e.g. "Document the ICP".
func (p Prerequisite) Action() string {
	if p < 1 || int(p) >= len(prereqTexts) {
		return ""
	}
	return prereqTexts[p]
}

// MarshalText encodes the prerequisite by name.
func (p Prerequisite) MarshalText() ([]byte, error) {
	return prereqNames.Text(p)
}

// UnmarshalText decodes a prerequisite name.
func (p *Prerequisite) UnmarshalText(b []byte) error {
	var err error
	*p, err = prereqNames.Parse(b)
	return err
}

// CRMHygiene is the baseline CRM hygiene the model and every framework need:
// deduplicated accounts, stage definitions and owner fields.
type CRMHygiene struct {
	// DeduplicatedAccounts reports one CRM record per account.
	DeduplicatedAccounts bool `json:"deduplicated_accounts"`
	// StageDefinitions reports written definitions of the pipeline stages.
	StageDefinitions bool `json:"stage_definitions"`
	// OwnerFields reports owner fields filled in on every account, lead and
	// deal.
	OwnerFields bool `json:"owner_fields"`
}

// OK reports whether all three hygiene conditions hold.
func (h CRMHygiene) OK() bool { return h.DeduplicatedAccounts && h.StageDefinitions && h.OwnerFields }

// Prerequisites says which of the model's prerequisites a team meets. The
// zero value meets none.
type Prerequisites struct {
	// DocumentedICP reports a documented ideal customer profile.
	DocumentedICP bool `json:"documented_icp"`
	// CRMHygiene is the state of the CRM's baseline hygiene.
	CRMHygiene CRMHygiene `json:"crm_hygiene"`
}

// Unmet returns the prerequisites not met, in the order to fix them, or nil.
func (p Prerequisites) Unmet() []Prerequisite {
	var out []Prerequisite
	for i, ok := range [...]bool{p.DocumentedICP, p.CRMHygiene.DeduplicatedAccounts, p.CRMHygiene.StageDefinitions, p.CRMHygiene.OwnerFields} {
		if !ok {
			out = append(out, Prerequisite(i+1))
		}
	}
	return out
}
