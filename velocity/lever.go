package velocity

import (
	"fmt"
	"strings"

	"github.com/revalign/revalign"
)

// Lever is one of the four inputs of pipeline velocity that a revenue team
// can move. Levers are text in JSON ("opportunities", "deal_size",
// "win_rate", "cycle_length"). The zero value is not a lever.
type Lever int

// The four levers, in the order of the formula N·S·W ÷ L.
const (
	Opportunities Lever = iota + 1 // N: open qualified opportunities
	DealSize                       // S: average won deal size
	WinRate                        // W: won ÷ decided
	CycleLength                    // L: days from creation to a win
)

// levers lists the four levers in formula order.
var levers = [4]Lever{Opportunities, DealSize, WinRate, CycleLength}

// AllLevers returns the four levers in formula order (a copy).
func AllLevers() [4]Lever { return levers }

var leverNames = [...]string{Opportunities: "opportunities", DealSize: "deal_size", WinRate: "win_rate", CycleLength: "cycle_length"}

// Valid reports whether l is one of the four levers.
func (l Lever) Valid() bool { return l >= Opportunities && l <= CycleLength }

// String returns the lever's JSON name, e.g. "win_rate".
func (l Lever) String() string {
	if l.Valid() {
		return leverNames[l]
	}
	return fmt.Sprintf("Lever(%d)", int(l))
}

// Elasticity returns the point elasticity of velocity with respect to the
// lever: +1 for opportunities, deal size and win rate, −1 for cycle length.
// A 1% change of the lever moves velocity by about Elasticity %; the exact
// effect of a finite change is given by [Inputs.Apply].
func (l Lever) Elasticity() float64 {
	if l == CycleLength {
		return -1
	}
	if l.Valid() {
		return 1
	}
	return 0
}

// MarshalText encodes the lever by name.
func (l Lever) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, &revalign.FieldError{Pkg: "velocity", Path: "lever", Value: int(l), Reason: "unknown lever"}
	}
	return []byte(leverNames[l]), nil
}

// UnmarshalText decodes a lever name; "cycle" and "deals" are accepted as
// short forms of cycle_length and opportunities.
func (l *Lever) UnmarshalText(b []byte) error {
	got, err := ParseLever(string(b))
	if err != nil {
		return err
	}
	*l = got
	return nil
}

// ParseLever parses a lever name, case-insensitively.
func ParseLever(s string) (Lever, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "opportunities", "deals", "n":
		return Opportunities, nil
	case "deal_size", "s":
		return DealSize, nil
	case "win_rate", "w":
		return WinRate, nil
	case "cycle_length", "cycle", "l":
		return CycleLength, nil
	}
	return 0, &revalign.FieldError{Pkg: "velocity", Path: "lever", Value: s,
		Reason: "must be opportunities, deal_size, win_rate or cycle_length"}
}

// Ownership names who answers for a lever: one accountable owner and the
// teams that support them. "Every input is jointly owned", but a joint
// owner without a named tie-breaker is nobody.
type Ownership struct {
	// Owner is the accountable person.
	Owner revalign.Owner `json:"owner"`
	// Supporting lists the other people who move the lever.
	Supporting []revalign.Owner `json:"supporting,omitempty"`
}

// Validate reports a missing or malformed owner.
func (o Ownership) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	v.Nest("owner", o.Owner.Validate())
	for i, s := range o.Supporting {
		v.Nest(revalign.Index("supporting", i), s.Validate())
		v.Check(s != o.Owner, revalign.Index("supporting", i), s.String(), "duplicates the owner")
	}
	return v.Err()
}

// Owners is the lever ownership map a marketing and a sales leader agree
// on: every lever of the formula, and the quality of the pipeline, has a
// named owner. It is a plain value a team edits in YAML or JSON:
//
//	opportunities: {owner: {name: Dana Reyes, team: marketing}}
//	win_rate:      {owner: {name: Sam Ortiz, team: sales}}
type Owners struct {
	// Opportunities is who owns N, the volume of qualified opportunities
	// (marketing by default).
	Opportunities Ownership `json:"opportunities"`
	// DealSize is who owns S, the average won deal (marketing, through
	// targeting, by default).
	DealSize Ownership `json:"deal_size"`
	// WinRate is who owns W (sales by default).
	WinRate Ownership `json:"win_rate"`
	// CycleLength is who owns L, the sales cycle (sales by default).
	CycleLength Ownership `json:"cycle_length"`
	// Quality is the joint lever: the quality of the pipeline compounds
	// across all four inputs. Its owner is the tie-breaker.
	Quality Ownership `json:"quality"`
}

// DefaultOwners returns the catalog's ownership: marketing owns opportunity
// volume and, through targeting, deal size; sales owns win rate and cycle
// length; quality is joint, with the CRO as tie-breaker (the seed's
// escalation path). Replace the role names with people.
func DefaultOwners() Owners {
	mkt := revalign.Owner{Name: "Marketing leader", Team: revalign.Marketing}
	sales := revalign.Owner{Name: "Sales leader", Team: revalign.Sales}
	cro := revalign.Owner{Name: "CRO", Team: revalign.Executive}
	return Owners{
		Opportunities: Ownership{Owner: mkt, Supporting: []revalign.Owner{sales}},
		DealSize:      Ownership{Owner: mkt, Supporting: []revalign.Owner{sales}},
		WinRate:       Ownership{Owner: sales, Supporting: []revalign.Owner{mkt}},
		CycleLength:   Ownership{Owner: sales},
		Quality:       Ownership{Owner: cro, Supporting: []revalign.Owner{mkt, sales}},
	}
}

// Of returns the ownership of a lever; an unknown lever has none.
func (o Owners) Of(l Lever) Ownership {
	switch l {
	case Opportunities:
		return o.Opportunities
	case DealSize:
		return o.DealSize
	case WinRate:
		return o.WinRate
	case CycleLength:
		return o.CycleLength
	}
	return Ownership{}
}

// Validate reports every lever without a valid named owner.
func (o Owners) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	for _, l := range levers {
		v.Nest(l.String(), o.Of(l).Validate())
	}
	v.Nest("quality", o.Quality.Validate())
	return v.Err()
}
