package revalign

import (
	"fmt"
	"strings"
)

// Team is a revenue team. Every framework names the team that owns a state,
// a stage, a lever, a commitment or a ritual, and they must mean the same
// thing everywhere, so the names are shared. A Team is text in JSON
// ("marketing"); teams other than the constants below are allowed, since
// organisations differ (e.g. "partnerships", "sdr").
type Team string

// The teams revalign's defaults use.
const (
	Marketing       Team = "marketing"
	Sales           Team = "sales"
	CustomerSuccess Team = "customer-success"
	RevOps          Team = "revops"
	Finance         Team = "finance"
	Executive       Team = "executive"
)

// Valid reports whether t is a usable team name: not blank, no surrounding
// white space.
func (t Team) Valid() bool { return t != "" && strings.TrimSpace(string(t)) == string(t) }

// Owner is a named, accountable person on a team. Ownership in revalign is
// always a person, never only a team: "if nobody owns the boundary, both
// teams own the blame". Owner is a plain value; compare with ==.
type Owner struct {
	// Name of the accountable person (or role holder, e.g. "VP Marketing").
	Name string `json:"name"`
	// Team the person belongs to.
	Team Team `json:"team"`
}

// IsZero reports whether o names nobody.
func (o Owner) IsZero() bool { return o == Owner{} }

// String returns "Name (team)".
func (o Owner) String() string {
	if o.IsZero() {
		return "(nobody)"
	}
	return fmt.Sprintf("%s (%s)", o.Name, o.Team)
}

// Validate reports an error when the owner has no name or no valid team.
func (o Owner) Validate() error {
	var v Validator
	v.Check(strings.TrimSpace(o.Name) != "", "name", o.Name, "owner needs a name")
	v.Check(o.Team.Valid(), "team", string(o.Team), "owner needs a team")
	return v.Err()
}
