package sla

import (
	"strings"

	"github.com/revalign/revalign"
)

// Outcome says how a disposition code counts in the pact.
type Outcome string

// The outcomes of a disposition code.
const (
	// Accepted: sales takes the MQL; counts for the acceptance rate.
	Accepted Outcome = "accepted"
	// Declined: sales turns the MQL down; counts against the acceptance
	// rate and needs a documented rejection reason.
	Declined Outcome = "declined"
	// Excluded: left out of the acceptance rate (neither for nor against)
	// and needs no rejection reason, e.g. a code for test records.
	Excluded Outcome = "excluded"
)

func (o Outcome) valid() bool { return o == Accepted || o == Declined || o == Excluded }

// DispositionCode is one closed-loop outcome code sales records on an MQL.
// The codes are a closed set: a lead carrying a code the pact does not list
// is reported as a bad record, not guessed at. These codes are what feed
// ICP calibration downstream.
type DispositionCode struct {
	// Name as it appears in the CRM, e.g. "Bad fit". Matched
	// case-insensitively.
	Name string `json:"name"`
	// Outcome: accepted, declined or excluded.
	Outcome Outcome `json:"outcome"`
}

// DefaultDispositions returns the catalog's codes: Accepted (accepted);
// Nurture, Bad fit, Duplicate and No response (declined, each needs a
// rejection reason). Sales acceptance is accepted ÷ all dispositioned MQLs,
// so a duplicate or an unreachable lead counts against the MQL's quality.
func DefaultDispositions() []DispositionCode {
	return []DispositionCode{
		{Name: "Accepted", Outcome: Accepted},
		{Name: "Nurture", Outcome: Declined},
		{Name: "Bad fit", Outcome: Declined},
		{Name: "Duplicate", Outcome: Declined},
		{Name: "No response", Outcome: Declined},
	}
}

func validateDispositions(v *revalign.Validator, codes []DispositionCode) {
	seen := map[string]bool{}
	accepted := false
	for i, c := range codes {
		path := revalign.Index("dispositions", i)
		name := strings.ToLower(strings.TrimSpace(c.Name))
		if v.Check(name != "" && name == strings.ToLower(c.Name), path+".name", c.Name, "must be a non-blank name without surrounding space") {
			v.Check(!seen[name], path+".name", c.Name, "duplicate disposition code")
			seen[name] = true
		}
		v.Check(c.Outcome.valid(), path+".outcome", string(c.Outcome), "must be accepted, declined or excluded")
		accepted = accepted || c.Outcome == Accepted
	}
	v.Check(accepted, "dispositions", nil, "at least one code must count as accepted")
}

// lookupDisposition returns the index of the code named s (case
// insensitive), or -1.
func lookupDisposition(codes []DispositionCode, s string) int {
	for i, c := range codes {
		if c.Name == s {
			return i
		}
	}
	for i, c := range codes {
		if strings.EqualFold(c.Name, s) {
			return i
		}
	}
	return -1
}
