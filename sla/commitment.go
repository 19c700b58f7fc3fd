package sla

import (
	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
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

var commitmentNames = enum.Names[Commitment]{Pkg: "sla", Type: "Commitment", Path: "commitment",
	Names: []string{
		MQLVolume:       "mql_volume",
		AcceptanceRate:  "acceptance_rate",
		Routing:         "routing",
		FirstTouch:      "first_touch",
		Disposition:     "disposition",
		RejectionReason: "rejection_reason",
	},
	Want: "unknown commitment"}

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
func (c Commitment) String() string { return commitmentNames.String(c) }

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
func (c Commitment) MarshalText() ([]byte, error) { return commitmentNames.Text(c) }

// UnmarshalText decodes a commitment name.
func (c *Commitment) UnmarshalText(b []byte) error { return commitmentNames.Unmarshal(c, b) }

// Status is the verdict on a commitment for a period.
type Status int

// The verdicts.
const (
	NoData  Status = iota // nothing to judge (no eligible leads)
	Met                   // the commitment was kept
	Missed                // the commitment was broken
	Pending               // the period is not over, or every lead is still open
)

var statusNames = enum.Names[Status]{Pkg: "sla", Type: "Status", Path: "status",
	Names: []string{NoData: "no_data", Met: "met", Missed: "missed", Pending: "pending"}, Want: "unknown status"}

// String returns "met", "missed", "pending" or "no_data".
func (s Status) String() string { return statusNames.String(s) }

// MarshalText encodes the status by name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a status name.
func (s *Status) UnmarshalText(b []byte) error { return statusNames.Unmarshal(s, b) }
