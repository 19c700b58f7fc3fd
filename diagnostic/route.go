package diagnostic

import (
	"fmt"
	"slices"

	"github.com/revalign/revalign"
)

// Category is the job a framework does: Diagnostic frameworks find where
// alignment breaks, Operational ones fix it with definitions, contracts and
// rituals, Measurement ones prove it. Teams use them in that order. In JSON
// a Category is "diagnostic", "operational" or "measurement".
type Category int8

// The three categories of the catalog, in the order they are used.
const (
	CategoryDiagnostic Category = iota + 1
	CategoryOperational
	CategoryMeasurement
)

var categoryNames = newNames[Category]("category", "", "diagnostic", "operational", "measurement")

// String returns the category's name.
func (c Category) String() string { return categoryNames.String(c) }

// Phase returns the phase a category serves: "diagnose", "fix" or "prove".
func (c Category) Phase() string {
	switch c {
	case CategoryDiagnostic:
		return "diagnose"
	case CategoryOperational:
		return "fix"
	case CategoryMeasurement:
		return "prove"
	}
	return ""
}

// MarshalText encodes the category by name.
func (c Category) MarshalText() ([]byte, error) { return categoryNames.Text(c) }

// UnmarshalText decodes a category name.
func (c *Category) UnmarshalText(b []byte) error {
	var err error
	*c, err = categoryNames.Parse(b)
	return err
}

// Conflict is the root conflict a framework targets. Alignment programmes
// fail in three repeatable ways: the teams disagree on definitions (the ICP,
// what "qualified" means), their incentives reward opposite behaviours, or
// nobody can measure the handoff. In JSON a Conflict is "definition",
// "incentive" or "instrumentation".
type Conflict int8

// The three root conflicts.
const (
	DefinitionConflict Conflict = iota + 1
	IncentiveConflict
	InstrumentationConflict
)

var conflictNames = newNames[Conflict]("conflict", "", "definition", "incentive", "instrumentation")

// String returns the conflict's name.
func (c Conflict) String() string { return conflictNames.String(c) }

// MarshalText encodes the conflict by name.
func (c Conflict) MarshalText() ([]byte, error) { return conflictNames.Text(c) }

// UnmarshalText decodes a conflict name.
func (c *Conflict) UnmarshalText(b []byte) error {
	var err error
	*c, err = conflictNames.Parse(b)
	return err
}

// Framework is one framework of the catalog and the revalign package that
// installs it.
type Framework struct {
	// ID is the name of the revalign package that installs the framework,
	// e.g. "bowtie".
	ID string `json:"id"`
	// Name is the framework's name in the catalog, e.g. "SLA Pact".
	Name string `json:"name"`
	// Category is the catalog's category: diagnostic, operational or
	// measurement.
	Category Category `json:"category"`
	// Conflict is the kind of conflict the framework targets: definition,
	// incentive or instrumentation.
	Conflict Conflict `json:"conflict"`
	// WhenToUse is the catalog's guidance, in the SDK's words.
	WhenToUse string `json:"when_to_use"`
}

// The IDs of the frameworks, which are the names of the packages.
const (
	FrameworkBowtie      = "bowtie"
	FrameworkICP         = "icp"
	FrameworkSLA         = "sla"
	FrameworkDemandState = "demandstate"
	FrameworkCadence     = "cadence"
	FrameworkVelocity    = "velocity"
	FrameworkAttribution = "attribution"
)

// frameworks is the catalog in the order of use: by category, then in the
// catalog's order.
var frameworks = [...]Framework{
	{FrameworkBowtie, "Revenue Bowtie Diagnostic", CategoryDiagnostic, DefinitionConflict,
		"The alignment problem reaches past the lead handoff into onboarding, expansion and renewal, and you need one diagnostic view of the whole revenue motion."},
	{FrameworkICP, "Unified ICP Scoring", CategoryDiagnostic, DefinitionConflict,
		"Sales rejects marketing's leads as low quality, or account-based and demand programmes target different definitions of a good account."},
	{FrameworkSLA, "SLA Pact", CategoryOperational, IncentiveConflict,
		"Leads are rejected, ignored or worked inconsistently and no shared written agreement governs the handoff or the feedback."},
	{FrameworkDemandState, "Demand State Routing", CategoryOperational, DefinitionConflict,
		"The funnel math looks fine but the win rate does not: route prospects by demand state instead of score."},
	{FrameworkCadence, "Revenue Operating Cadence", CategoryOperational, IncentiveConflict,
		"Definitions and SLAs exist, but alignment dies between QBRs: install the rituals, owners and decision rights that prevent drift."},
	{FrameworkVelocity, "Pipeline Velocity", CategoryMeasurement, InstrumentationConflict,
		"The board asks for forecast predictability: move from pipeline storytelling to instrumented levers with owners."},
	{FrameworkAttribution, "Multi-Touch Attribution", CategoryMeasurement, InstrumentationConflict,
		"Marketing spend is decided on gut or politics, or the CFO asks marketing to defend spend with more than sourced-pipeline claims."},
}

// Frameworks returns the catalog's frameworks in the order of use.
func Frameworks() []Framework { return append([]Framework(nil), frameworks[:]...) }

// FrameworkByID returns the framework with the given ID and whether it
// exists.
func FrameworkByID(id string) (Framework, bool) {
	i := frameworkIndex(id)
	if i < 0 {
		return Framework{}, false
	}
	return frameworks[i], true
}

func frameworkIndex(id string) int {
	for i := range frameworks {
		if frameworks[i].ID == id {
			return i
		}
	}
	return -1
}

// Symptom is a complaint a revenue leader brings to the routing matrix. In
// JSON a Symptom is its name ("leads_suck").
type Symptom int8

// The six symptoms of the routing matrix.
const (
	LeadsSuck         Symptom = iota + 1 // "These leads suck"
	RepsIgnoreMQLs                       // "Reps ignore MQLs"
	PostSaleBlindSpot                    // "We can't see where it breaks post-sale"
	ForecastSlipping                     // "Forecast keeps slipping"
	SpendQuestioned                      // "CFO is questioning marketing spend"
	AlignmentFades                       // "Alignment fades between QBRs"
)

var symptomNames = newNames[Symptom]("symptom", "", "leads_suck", "reps_ignore_mqls", "post_sale_blind_spot", "forecast_slipping", "spend_questioned", "alignment_fades")

// String returns the symptom's name.
func (s Symptom) String() string { return symptomNames.String(s) }

// Valid reports whether s is one of the six symptoms.
func (s Symptom) Valid() bool { return s >= LeadsSuck && s <= AlignmentFades }

// MarshalText encodes the symptom by name.
func (s Symptom) MarshalText() ([]byte, error) { return symptomNames.Text(s) }

// UnmarshalText decodes a symptom name.
func (s *Symptom) UnmarshalText(b []byte) error {
	var err error
	*s, err = symptomNames.Parse(b)
	return err
}

// MatrixRow is one row of the routing matrix: a symptom, as leaders say it,
// and the frameworks that treat it.
type MatrixRow struct {
	// Symptom is the row's symptom.
	Symptom Symptom `json:"symptom"`
	// Quote is the symptom as leaders say it.
	Quote string `json:"quote"`
	// Frameworks are the IDs of the frameworks that treat it.
	Frameworks []string `json:"frameworks"`
	// Note qualifies the route, e.g. "with an incentive review".
	Note string `json:"note,omitempty"`
}

var matrix = [...]MatrixRow{
	{LeadsSuck, "These leads suck", []string{FrameworkICP, FrameworkSLA}, ""},
	{RepsIgnoreMQLs, "Reps ignore MQLs", []string{FrameworkSLA, FrameworkCadence}, "with an incentive review"},
	{PostSaleBlindSpot, "We can't see where it breaks post-sale", []string{FrameworkBowtie}, ""},
	{ForecastSlipping, "Forecast keeps slipping", []string{FrameworkVelocity}, ""},
	{SpendQuestioned, "CFO is questioning marketing spend", []string{FrameworkAttribution}, ""},
	{AlignmentFades, "Alignment fades between QBRs", []string{FrameworkCadence}, ""},
}

// RoutingMatrix returns the six rows of the routing matrix, as a deep copy.
func RoutingMatrix() []MatrixRow {
	out := make([]MatrixRow, len(matrix))
	for i, r := range matrix {
		r.Frameworks = append([]string(nil), r.Frameworks...)
		out[i] = r
	}
	return out
}

// Triage is what a team knows about where it hurts: the symptoms it names
// and two numbers the catalog's threshold rule reads.
type Triage struct {
	// Symptoms are the complaints, in any order; repeats count once.
	Symptoms []Symptom `json:"symptoms"`
	// MQLRejectionRate is the share of MQLs sales rejected, in [0,1]. Leave
	// it 0 when unknown.
	MQLRejectionRate float64 `json:"mql_rejection_rate"`
	// WinRateFell reports that the win rate has dropped.
	WinRateFell bool `json:"win_rate_fell"`
	// WinRateCauseKnown reports that the drop has an obvious cause (a price
	// change, a new competitor, a lost segment); an explained drop does not
	// trigger the threshold rule.
	WinRateCauseKnown bool `json:"win_rate_cause_known"`
}

// Recommendation is one framework of a routing plan and why it is there.
type Recommendation struct {
	// Framework is the framework recommended.
	Framework Framework `json:"framework"`
	// Phase is "diagnose", "fix" or "prove".
	Phase string `json:"phase"`
	// Symptoms are the triage's symptoms that route here, in matrix order.
	Symptoms []Symptom `json:"symptoms"`
	// Reasons say, in words, why the framework is in the plan: the
	// threshold rule first, then the symptoms in matrix order.
	Reasons []string `json:"reasons"`
}

// Routing is the deduplicated plan for a triage, ordered diagnose → fix →
// prove and, within a phase, in catalog order.
type Routing struct {
	// Plan are the frameworks to run, in order, each once.
	Plan []Recommendation `json:"plan"`
	// ThresholdRule is true when the rejection rate or an unexplained drop
	// in win rate sent the team to the bowtie and ICP scoring first.
	ThresholdRule bool `json:"threshold_rule"`
}

// Frameworks returns the IDs of the plan's frameworks, in order.
func (r Routing) Frameworks() []string {
	out := make([]string, len(r.Plan))
	for i, rec := range r.Plan {
		out[i] = rec.Framework.ID
	}
	return out
}

// Route routes symptoms through the matrix with the default configuration:
// it is DefaultConfig().Route(Triage{Symptoms: symptoms}). Use
// [Config.Route] to apply the threshold rule as well.
func Route(symptoms ...Symptom) (Routing, error) {
	return defaultConfig.route(Triage{Symptoms: symptoms})
}

// Route returns the frameworks a triage calls for, each once, ordered
// diagnose → fix → prove. The catalog's threshold rule applies first: an
// MQL-to-SQL rejection rate above c.RejectionThreshold, or a win rate that
// fell without an obvious cause, puts the bowtie and ICP scoring in the
// plan. A triage with no symptom and no trigger cannot name its failure
// mode, and is sent to the diagnostic frameworks. An unknown symptom or a
// rejection rate outside [0,1] is an error.
func (c Config) Route(t Triage) (Routing, error) {
	if err := c.Validate(); err != nil {
		return Routing{}, err
	}
	return c.route(t)
}

func (c Config) route(t Triage) (Routing, error) {
	v := revalign.Validator{Pkg: pkg}
	for i, s := range t.Symptoms {
		v.Check(s.Valid(), revalign.Index("symptoms", i), int(s), "unknown symptom")
	}
	v.Check(unit(t.MQLRejectionRate), "mql_rejection_rate", t.MQLRejectionRate, "must be in [0,1]")
	if err := v.Err(); err != nil {
		return Routing{}, err
	}
	var recs [len(frameworks)]*Recommendation
	add := func(id string, reason string) *Recommendation {
		i := frameworkIndex(id)
		if recs[i] == nil {
			f := frameworks[i]
			recs[i] = &Recommendation{Framework: f, Phase: f.Category.Phase(), Symptoms: []Symptom{}}
		}
		if !slices.Contains(recs[i].Reasons, reason) {
			recs[i].Reasons = append(recs[i].Reasons, reason)
		}
		return recs[i]
	}
	var out Routing
	if t.MQLRejectionRate > c.RejectionThreshold {
		reason := fmt.Sprintf("MQL-to-SQL rejection %.0f%% is above %.0f%%: run the bowtie and ICP scoring first",
			100*t.MQLRejectionRate, 100*c.RejectionThreshold)
		add(FrameworkBowtie, reason)
		add(FrameworkICP, reason)
		out.ThresholdRule = true
	}
	if t.WinRateFell && !t.WinRateCauseKnown {
		reason := "win rate fell without an obvious cause: run the bowtie and ICP scoring first"
		add(FrameworkBowtie, reason)
		add(FrameworkICP, reason)
		out.ThresholdRule = true
	}
	// Symptoms in matrix order, each once: the plan does not depend on the
	// order the complaints were voiced in.
	symptoms := slices.Compact(slices.Sorted(slices.Values(t.Symptoms)))
	for _, s := range symptoms {
		row := matrix[s-1]
		reason := fmt.Sprintf("%q", row.Quote)
		if row.Note != "" {
			reason += ", " + row.Note
		}
		for _, id := range row.Frameworks {
			r := add(id, reason)
			if !slices.Contains(r.Symptoms, s) {
				r.Symptoms = append(r.Symptoms, s)
			}
		}
	}
	if len(t.Symptoms) == 0 && !out.ThresholdRule {
		for _, f := range frameworks {
			if f.Category == CategoryDiagnostic {
				add(f.ID, "no named failure mode: diagnose where alignment breaks first")
			}
		}
	}
	out.Plan = make([]Recommendation, 0, len(recs))
	for _, r := range recs { // frameworks are stored in the order of use
		if r != nil {
			out.Plan = append(out.Plan, *r)
		}
	}
	return out, nil
}
