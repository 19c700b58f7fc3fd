package diagnostic

import (
	"slices"

	"github.com/revalign/revalign"
)

// Plan is the order in which a team installs the Revenue Alignment Model:
// unmet prerequisites first, then the steps from the one the score says to
// start with through Step 6. "Skip a step and the model breaks": the steps
// after the start step are part of the plan even when their questions were
// answered Yes, since each builds on the one before.
type Plan struct {
	// Start is the first step to install.
	Start Step `json:"start"`
	// Prerequisites are the unmet prerequisites, to fix before any step.
	Prerequisites []Prerequisite `json:"prerequisites"`
	// Steps are the steps to install, in order.
	Steps []PlanStep `json:"steps"`
	// Revisit lists the steps before Start whose questions were not all
	// answered Yes: they were judged sound enough to build on, but their
	// open questions should be closed once Start holds. Weakest first.
	Revisit []StepGap `json:"revisit"`
}

// PlanStep is one step of a plan: what to install, the diagnostic's open
// questions for it and, for Step 6, the governance to reinforce.
type PlanStep struct {
	// Step is the step's number.
	Step Step `json:"step"`
	// Name is the step's title.
	Name string `json:"name"`
	// Decision is the ownership decision the step forces.
	Decision string `json:"decision"`
	// Artifact is the document or ritual that shows the step is installed.
	Artifact string `json:"artifact"`
	// Gaps are the step's questions not answered Yes.
	Gaps []QuestionGap `json:"gaps"`
	// Governance is the seed's governance table for Step 6 (see
	// [ModelStep.Governance]); nil for the other steps. A team in the
	// mostly-aligned band, whose plan is Step 6 alone, reinforces these.
	Governance []GovernanceItem `json:"governance,omitempty"`
}

// Plan returns the installation plan for a scored diagnostic, given the
// prerequisites the team meets. A Result whose Start is not a step (a zero
// Result, or one edited after scoring) is an error.
func (r Result) Plan(p Prerequisites) (Plan, error) {
	if !r.Start.Valid() {
		return Plan{}, &revalign.FieldError{Pkg: pkg, Path: "start", Value: int(r.Start), Reason: "result has no start step; score the answers first"}
	}
	out := Plan{
		Start:         r.Start,
		Prerequisites: p.Unmet(),
		Steps:         make([]PlanStep, 0, NumSteps-int(r.Start)+1),
		Revisit:       []StepGap{},
	}
	if out.Prerequisites == nil {
		out.Prerequisites = []Prerequisite{}
	}
	for s := r.Start; s <= StepLossPostMortem; s++ {
		m := model[s-1]
		ps := PlanStep{Step: s, Name: m.Name, Decision: m.Decision, Artifact: m.Artifact, Gaps: []QuestionGap{},
			Governance: slices.Clone(m.Governance)}
		for _, g := range r.Gaps {
			if g.Step == s {
				ps.Gaps = g.Questions
			}
		}
		out.Steps = append(out.Steps, ps)
	}
	for _, g := range r.Gaps {
		if g.Step < r.Start {
			out.Revisit = append(out.Revisit, g)
		}
	}
	return out, nil
}
