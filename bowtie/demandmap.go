package bowtie

import (
	"fmt"
	"slices"
	"strings"

	"github.com/revalign/revalign"
)

// StateMapping maps one of a team's demand states onto the bowtie. The
// state is a plain name (e.g. "solution-aware"), so the bowtie does not
// depend on any demand-state package.
type StateMapping struct {
	// State is the demand state's name, unique in a mapping.
	State string `json:"state"`
	// Owner is who owns the state in the team's demand-state map.
	Owner revalign.Owner `json:"owner"`
	// Stages are the bowtie stages the state covers. A state in two stages
	// means its definition straddles a boundary.
	Stages []string `json:"stages"`
}

// AmbiguityKind says how a mapping of demand states onto the bowtie leaves
// ownership or definitions ambiguous. It is text in JSON.
type AmbiguityKind uint8

// The kinds of ambiguity, in the order a [Coverage] lists them.
const (
	// Uncovered: no demand state covers the stage, so nobody's working
	// definition says when an item is in it.
	Uncovered AmbiguityKind = iota + 1
	// MixedOwners: states with different owners cover the same stage.
	MixedOwners
	// SplitState: one state is mapped to two or more stages.
	SplitState
	// OwnerMismatch: a state's owner is on another team than the primary
	// owner of a stage it covers.
	OwnerMismatch
)

var ambiguityNames = newNames[AmbiguityKind]("AmbiguityKind", "ambiguity", []string{Uncovered: "uncovered", MixedOwners: "mixed_owners", SplitState: "split_state", OwnerMismatch: "owner_mismatch"})

// String returns the kind's name.
func (k AmbiguityKind) String() string { return ambiguityNames.String(k) }

// MarshalText encodes the kind by name.
func (k AmbiguityKind) MarshalText() ([]byte, error) {
	return ambiguityNames.Text(k)
}

// UnmarshalText decodes a kind name.
func (k *AmbiguityKind) UnmarshalText(b []byte) error {
	return ambiguityNames.Unmarshal(k, b)
}

// Ambiguity is one place where the demand-state map and the bowtie leave
// ownership or definitions unclear.
type Ambiguity struct {
	// Kind says what is ambiguous.
	Kind AmbiguityKind `json:"kind"`
	// Stages names the stages concerned: the one stage, or for a
	// SplitState every stage the state is mapped to, in mapping order.
	Stages []string `json:"stages"`
	// States names the demand states concerned: the states covering the
	// stage for MixedOwners, the one state for SplitState and
	// OwnerMismatch; empty for Uncovered.
	States []string `json:"states,omitempty"`
	// Owners are the owners in conflict: the states' distinct owners for
	// MixedOwners, the state's owner for SplitState, the state's owner
	// then the stage's primary owner for OwnerMismatch; empty for
	// Uncovered.
	Owners []revalign.Owner `json:"owners,omitempty"`
	// Detail says it in a sentence.
	Detail string `json:"detail"`
}

// StageCoverage is the demand states that cover one stage.
type StageCoverage struct {
	// Stage is the stage's name in the model.
	Stage string `json:"stage"`
	// Primary is the stage's primary owner in the model.
	Primary revalign.Owner `json:"primary"`
	// States names the demand states covering the stage, in mapping
	// order; empty (not nil) when none does.
	States []string `json:"states"`
	// Owners are those states' distinct owners, in order of first
	// appearance; empty (not nil) when no state covers the stage.
	Owners []revalign.Owner `json:"owners"`
}

// Coverage is the diagnostic view of demand states on the bowtie: which
// states cover each stage, and every ambiguity, stages in bowtie order.
type Coverage struct {
	// Stages holds one entry per stage of the model, in bowtie order.
	Stages []StageCoverage `json:"stages"`
	// Ambiguities lists every ambiguity grouped by kind (in the order of
	// the AmbiguityKind constants), stages in bowtie order and states in
	// mapping order within a kind; empty (not nil) when there is none.
	Ambiguities []Ambiguity `json:"ambiguities"`
}

// MapDemandStates lays a team's demand states onto the bowtie and reports
// where ownership or definitions become ambiguous: a stage no state covers,
// a stage covered by states with different owners, a state mapped to two
// stages, and a state owned by another team than the stage's primary owner.
// It is the view to agree on before any SLA conversation.
//
// The error reports an invalid model, or mappings with a blank or repeated
// state, an invalid owner, no stage, or a stage not in the model.
func (m Model) MapDemandStates(states []StateMapping) (Coverage, error) {
	if err := m.Validate(); err != nil {
		return Coverage{}, err
	}
	v := revalign.Validator{Pkg: "bowtie"}
	seen := map[string]int{}
	for i, s := range states {
		p := revalign.Index("states", i)
		if v.Check(strings.TrimSpace(s.State) != "", p+".state", s.State, "state name required") {
			if j, dup := seen[s.State]; dup {
				v.Add(p+".state", s.State, "already mapped by "+revalign.Index("states", j))
			}
			seen[s.State] = i
		}
		v.Nest(p+".owner", s.Owner.Validate())
		v.Check(len(s.Stages) > 0, p+".stages", nil, "map the state to at least one stage")
		for j, st := range s.Stages {
			v.Check(m.Index(st) >= 0, revalign.Index(p+".stages", j), st, "not a stage of the model")
		}
	}
	if err := v.Err(); err != nil {
		return Coverage{}, err
	}
	cov := Coverage{Stages: make([]StageCoverage, len(m.Stages)), Ambiguities: []Ambiguity{}}
	for i, st := range m.Stages {
		cov.Stages[i] = StageCoverage{Stage: st.Name, Primary: st.Primary(), States: []string{}, Owners: []revalign.Owner{}}
	}
	var split, mismatch []Ambiguity
	for _, s := range states {
		stages := uniq(s.Stages)
		if len(stages) > 1 {
			split = append(split, Ambiguity{Kind: SplitState, Stages: stages, States: []string{s.State}, Owners: []revalign.Owner{s.Owner},
				Detail: fmt.Sprintf("%q is mapped to %s: its definition straddles a stage boundary", s.State, strings.Join(stages, " and "))})
		}
		for _, name := range stages {
			c := &cov.Stages[m.Index(name)]
			c.States = append(c.States, s.State)
			if !slices.Contains(c.Owners, s.Owner) {
				c.Owners = append(c.Owners, s.Owner)
			}
			if s.Owner.Team != c.Primary.Team {
				mismatch = append(mismatch, Ambiguity{Kind: OwnerMismatch, Stages: []string{name}, States: []string{s.State}, Owners: []revalign.Owner{s.Owner, c.Primary},
					Detail: fmt.Sprintf("%q is owned by %s but %s is owned by %s", s.State, s.Owner, name, c.Primary)})
			}
		}
	}
	for _, c := range cov.Stages {
		switch {
		case len(c.States) == 0:
			cov.Ambiguities = append(cov.Ambiguities, Ambiguity{Kind: Uncovered, Stages: []string{c.Stage},
				Detail: fmt.Sprintf("no demand state covers %s: nobody's working definition says when an item is in it", c.Stage)})
		case len(c.Owners) > 1:
			names := make([]string, len(c.Owners))
			for i, o := range c.Owners {
				names[i] = o.String()
			}
			cov.Ambiguities = append(cov.Ambiguities, Ambiguity{Kind: MixedOwners, Stages: []string{c.Stage}, States: c.States, Owners: c.Owners,
				Detail: fmt.Sprintf("%s is covered by states with different owners: %s", c.Stage, strings.Join(names, ", "))})
		}
	}
	cov.Ambiguities = append(append(cov.Ambiguities, split...), mismatch...)
	slices.SortStableFunc(cov.Ambiguities, func(a, b Ambiguity) int { return int(a.Kind) - int(b.Kind) })
	return cov, nil
}

func uniq(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
