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
	// and needs no rejection reason, e.g. Duplicate, No response (see
	// [DefaultDispositions]) or a code for test records.
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
// Nurture and Bad fit (declined, each needs a rejection reason); Duplicate
// and No response (excluded). Marketing's acceptance rate is therefore
// Accepted ÷ (Accepted + Nurture + Bad fit).
//
// Duplicate and No response are left out of the rate on purpose. The rate
// is marketing's quality commitment, and the seed's red flag reads it as a
// verdict on the MQL criteria ("revisit the criteria, not the reps"); like
// the ICP calibration labels (icp.DefaultLabels), it counts only the
// dispositions that judge fit. A duplicate measures data quality (dedupe
// and routing), not the criteria; a lead that never answers measures sales'
// follow-up as much as the lead (the later the first touch, the less
// likely the contact), so counting it against marketing would charge
// marketing for a sales breach. Both stay visible: in the acceptance
// Result's Excluded count. A team that wants them in the denominator
// changes their outcome to declined in its pact.
func DefaultDispositions() []DispositionCode {
	return []DispositionCode{
		{Name: "Accepted", Outcome: Accepted},
		{Name: "Nurture", Outcome: Declined},
		{Name: "Bad fit", Outcome: Declined},
		{Name: "Duplicate", Outcome: Excluded},
		{Name: "No response", Outcome: Excluded},
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
