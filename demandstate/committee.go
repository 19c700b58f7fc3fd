package demandstate

import (
	"math"

	"github.com/revalign/revalign"
)

// Aggregation names how a buying committee's member states make one
// account-level state. It is text in JSON.
type Aggregation string

// The aggregations.
const (
	// MostAdvanced takes the latest state any member is in: the account
	// is as ready as its most engaged member.
	MostAdvanced Aggregation = "most_advanced"
	// LeastAdvanced takes the earliest state any member is in: the
	// account is only as ready as its laggard.
	LeastAdvanced Aggregation = "least_advanced"
	// Majority takes the state most members are in (a plurality).
	Majority Aggregation = "majority"
	// Weighted takes the state with the largest total role weight.
	Weighted Aggregation = "weighted"
)

// Policy says how to aggregate a buying committee. Ties under Majority and
// Weighted go to the less advanced state: routing an account to sales on a
// split vote is the expensive mistake.
type Policy struct {
	// Aggregation is how the members' states make the account's state.
	Aggregation Aggregation `json:"aggregation"`
	// Weights by buying role, for Weighted.
	Weights map[string]float64 `json:"weights,omitempty"`
	// DefaultWeight is the weight of a member whose role Weights does not
	// list (for Weighted).
	DefaultWeight float64 `json:"default_weight,omitempty"`
}

// UnmarshalJSON decodes a policy strictly.
func (p *Policy) UnmarshalJSON(data []byte) error {
	type plain Policy
	var q plain
	if err := decodeStrict(data, &q); err != nil {
		return err
	}
	*p = Policy(q)
	return nil
}

// Validate reports an unknown aggregation or a negative or non-finite
// weight.
func (p Policy) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	switch p.Aggregation {
	case MostAdvanced, LeastAdvanced, Majority, Weighted:
	default:
		v.Add("aggregation", string(p.Aggregation), "must be most_advanced, least_advanced, majority or weighted")
	}
	for role, w := range p.Weights {
		v.Check(w >= 0 && !math.IsInf(w, 0), "weights."+role, w, "must be a finite number >= 0")
	}
	v.Check(p.DefaultWeight >= 0 && !math.IsInf(p.DefaultWeight, 0), "default_weight", p.DefaultWeight, "must be a finite number >= 0")
	return v.Err()
}

// Member is one person of a buying committee and the state they are in.
// An empty State means the member could not be classified.
type Member struct {
	// ID identifies the member (a contact or lead ID).
	ID string `json:"id"`
	// Role is the member's buying role, looked up in Policy.Weights.
	Role string `json:"role,omitempty"`
	// State is the member's demand state, "" when unclassified.
	State State `json:"state"`
}

// AccountState is a buying committee's state under a policy, with the
// spread of its members over the states.
type AccountState struct {
	// State is the account-level state, or "" when no member has one.
	State State `json:"state"`
	// Aggregation is the policy's aggregation.
	Aggregation Aggregation `json:"aggregation"`
	// Spread lists, in model order, each state some member is in, with
	// the members and their total weight (their count, unless Weighted).
	Spread []Share `json:"spread"`
	// Unclassified lists the members without a state; they take no part.
	Unclassified []string `json:"unclassified,omitempty"`
}

// Share is the part of a committee in one state.
type Share struct {
	// State is the demand state.
	State State `json:"state"`
	// Members are the IDs of the members in it, in input order.
	Members []string `json:"members"`
	// Weight is the members' total weight: their count, unless the
	// aggregation is Weighted.
	Weight float64 `json:"weight"`
}

// AccountState aggregates the members' states into one account-level state
// under policy p ("buyers sit in different states in parallel across a
// buying committee"). A member in a state the model does not hold, or an
// invalid policy, is an error; members without a state are listed as
// unclassified and take no part.
func (m Model) AccountState(members []Member, p Policy) (AccountState, error) {
	if err := p.Validate(); err != nil {
		return AccountState{}, err
	}
	v := revalign.Validator{Pkg: pkg}
	out := AccountState{Aggregation: p.Aggregation}
	shares := make([]Share, len(m.States))
	for i, mb := range members {
		if mb.State == "" {
			out.Unclassified = append(out.Unclassified, mb.ID)
			continue
		}
		si := m.Index(mb.State)
		if !v.Check(si >= 0, revalign.Index("members", i)+".state", string(mb.State), "unknown state") {
			continue
		}
		w := 1.0
		if p.Aggregation == Weighted {
			var ok bool
			if w, ok = p.Weights[mb.Role]; !ok {
				w = p.DefaultWeight
			}
		}
		shares[si].State = mb.State
		shares[si].Members = append(shares[si].Members, mb.ID)
		shares[si].Weight += w
	}
	if err := v.Err(); err != nil {
		return AccountState{}, err
	}
	best := -1
	for i := range shares {
		if shares[i].Members == nil {
			continue
		}
		out.Spread = append(out.Spread, shares[i])
		switch {
		case best < 0:
			best = i
		case p.Aggregation == MostAdvanced:
			best = i
		case p.Aggregation == Majority || p.Aggregation == Weighted:
			if shares[i].Weight > shares[best].Weight { // ties keep the earlier state
				best = i
			}
		}
	}
	if best >= 0 {
		out.State = m.States[best].Name
	}
	return out, nil
}
