package sla

import (
	"fmt"

	"github.com/revalign/revalign"
)

// Commitment names one promise of the pact. Marketing owes MQL volume,
// acceptance (quality) and routing speed; sales owes first touch,
// disposition feedback and rejection reasons. In JSON it is text
// ("first_touch").
type Commitment int

// The commitments of the SLA Pact, in the template's order.
const (
	MQLVolume       Commitment = iota + 1 // marketing: MQLs per week within the tolerance band
	AcceptanceRate                        // marketing: share of dispositioned MQLs sales accepts
	Routing                               // marketing: routing within N minutes of the trigger
	FirstTouch                            // sales: first touch within N business hours
	Disposition                           // sales: disposition feedback within N hours
	RejectionReason                       // sales: a documented reason on every declined MQL
)

// Commitments lists every commitment in the template's order.
var Commitments = [...]Commitment{MQLVolume, AcceptanceRate, Routing, FirstTouch, Disposition, RejectionReason}

var commitmentNames = [...]string{
	MQLVolume:       "mql_volume",
	AcceptanceRate:  "acceptance_rate",
	Routing:         "routing",
	FirstTouch:      "first_touch",
	Disposition:     "disposition",
	RejectionReason: "rejection_reason",
}

var commitmentTitles = [...]string{
	MQLVolume:       "MQL volume",
	AcceptanceRate:  "Acceptance rate",
	Routing:         "Routing speed",
	FirstTouch:      "First touch",
	Disposition:     "Disposition feedback",
	RejectionReason: "Rejection reasons",
}

func (c Commitment) valid() bool { return c >= MQLVolume && c <= RejectionReason }

// String returns the JSON name, e.g. "first_touch".
func (c Commitment) String() string {
	if c.valid() {
		return commitmentNames[c]
	}
	return fmt.Sprintf("Commitment(%d)", int(c))
}

// Title returns a name for people, e.g. "First touch".
func (c Commitment) Title() string {
	if c.valid() {
		return commitmentTitles[c]
	}
	return c.String()
}

// Team returns the team that owes the commitment.
func (c Commitment) Team() revalign.Team {
	if c >= FirstTouch {
		return revalign.Sales
	}
	return revalign.Marketing
}

// PerLead reports whether the commitment is kept or broken lead by lead
// (routing, first touch, disposition, rejection reason) rather than week by
// week (volume, acceptance).
func (c Commitment) PerLead() bool { return c >= Routing && c <= RejectionReason }

// MarshalText encodes the commitment by name.
func (c Commitment) MarshalText() ([]byte, error) {
	if !c.valid() {
		return nil, &revalign.FieldError{Pkg: "sla", Path: "commitment", Value: int(c), Reason: "unknown commitment"}
	}
	return []byte(commitmentNames[c]), nil
}

// UnmarshalText decodes a commitment name.
func (c *Commitment) UnmarshalText(b []byte) error {
	for _, k := range Commitments {
		if commitmentNames[k] == string(b) {
			*c = k
			return nil
		}
	}
	return &revalign.FieldError{Pkg: "sla", Path: "commitment", Value: string(b), Reason: "unknown commitment"}
}

// Status is the verdict on a commitment for a period.
type Status int

// The verdicts.
const (
	NoData  Status = iota // nothing to judge (no eligible leads)
	Met                   // the commitment was kept
	Missed                // the commitment was broken
	Pending               // the period is not over, or every lead is still open
)

var statusNames = [...]string{NoData: "no_data", Met: "met", Missed: "missed", Pending: "pending"}

// String returns "met", "missed", "pending" or "no_data".
func (s Status) String() string {
	if s >= NoData && s <= Pending {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// MarshalText encodes the status by name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a status name.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return &revalign.FieldError{Pkg: "sla", Path: "status", Value: string(b), Reason: "unknown status"}
}
