package bowtie

import (
	"strings"

	"github.com/revalign/revalign"
)

// Side is the side of the bowtie a stage sits on: the left side acquires
// customers (marketing and sales), the right side keeps and grows them
// (customer success). Side is text in JSON ("left", "right"); the zero value
// is not a side and is rejected by [Model.Validate].
type Side uint8

// The two sides of the bowtie.
const (
	Left Side = iota + 1
	Right
)

var sideNames = newNames[Side]("Side", "side", []string{Left: "left", Right: "right"})

// String returns "left" or "right".
func (s Side) String() string { return sideNames.String(s) }

// MarshalText encodes the side by name.
func (s Side) MarshalText() ([]byte, error) { return sideNames.Text(s) }

// UnmarshalText decodes "left" or "right".
func (s *Side) UnmarshalText(b []byte) error {
	return sideNames.Unmarshal(s, b)
}

// Role says whether an owner is a stage's primary (accountable) owner or a
// secondary (supporting) one. Role is text in JSON ("primary",
// "secondary"); the zero value is not a role.
type Role uint8

// The ownership roles of a stage.
const (
	Primary Role = iota + 1
	Secondary
)

var roleNames = newNames[Role]("Role", "role", []string{Primary: "primary", Secondary: "secondary"})

// String returns "primary" or "secondary".
func (r Role) String() string { return roleNames.String(r) }

// MarshalText encodes the role by name.
func (r Role) MarshalText() ([]byte, error) { return roleNames.Text(r) }

// UnmarshalText decodes "primary" or "secondary".
func (r *Role) UnmarshalText(b []byte) error {
	return roleNames.Unmarshal(r, b)
}

// StageOwner is a named owner of a stage with its role. In JSON the owner's
// fields sit beside the role: {"name": "VP Sales", "team": "sales", "role":
// "primary"}.
type StageOwner struct {
	revalign.Owner `json:",inline"`
	// Role is Primary for the one accountable owner, Secondary for the
	// others.
	Role Role `json:"role"`
}

// Validate reports an owner without a name or team, or a role that is
// neither primary nor secondary.
func (o StageOwner) Validate() error {
	v := revalign.Validator{Pkg: "bowtie"}
	v.Nest("", o.Owner.Validate())
	v.Check(roleNames.Valid(o.Role), "role", int(o.Role), "must be primary or secondary")
	return v.Err()
}

// Metrics names the metrics of a stage the way a team's bowtie document
// numbers them. Published bowtie versions number them differently (volume
// VM1…VM8, conversion CR1…CR7, time T1…T7), so the IDs are configuration.
type Metrics struct {
	// Volume is the ID of the stage's volume metric, e.g. "VM3".
	Volume string `json:"volume"`
	// Conversion is the ID of the conversion from this stage to the next,
	// e.g. "CR3". The last stage has none.
	Conversion string `json:"conversion,omitempty"`
	// Time is the ID of the time from this stage to the next, e.g. "T3".
	// The last stage has none.
	Time string `json:"time,omitempty"`
}

// Stage is one stage of the bowtie: what it means, what hands an item to the
// next stage, who owns it and how it is measured.
type Stage struct {
	// Name of the stage, unique in the model, e.g. "Onboard". Stage-entry
	// events name their stage by it.
	Name string `json:"name"`
	// Side of the bowtie.
	Side Side `json:"side"`
	// Definition says, in words both teams signed, what puts an item in
	// this stage.
	Definition string `json:"definition"`
	// Handoff lists the criteria that hand an item from this stage to the
	// next one. Every stage but the last needs at least one.
	Handoff []string `json:"handoff,omitempty"`
	// Owners are the stage's owners: exactly one Primary, any number of
	// Secondary.
	Owners []StageOwner `json:"owners"`
	// Metrics names the stage's metrics.
	Metrics Metrics `json:"metrics"`
	// LostAfterDays is how long an item may stay in this stage without
	// reaching the next before it counts as lost. Younger items that have
	// not moved on are censored: still inside, neither converted nor lost.
	// Zero means items are only lost by an explicit lost event.
	LostAfterDays int `json:"lost_after_days,omitempty"`
	// Required marks a milestone that is never passed through implicitly:
	// an entity that enters a later stage without entering this one has
	// not reached it (a renewal does not prove the customer reached first
	// value). Other stages are passed through by entities that skip them.
	Required bool `json:"required,omitempty"`
}

// Primary returns the stage's primary owner, or the zero Owner when it has
// none (which Validate rejects).
func (s Stage) Primary() revalign.Owner {
	for _, o := range s.Owners {
		if o.Role == Primary {
			return o.Owner
		}
	}
	return revalign.Owner{}
}

// Secondary returns the stage's secondary owners in order.
func (s Stage) Secondary() []revalign.Owner {
	var out []revalign.Owner
	for _, o := range s.Owners {
		if o.Role == Secondary {
			out = append(out, o.Owner)
		}
	}
	return out
}

// Model is a bowtie: its stages in order, left side first. The last stage of
// the left side is the knot (in the default model, Commit): the moment a
// buyer becomes a customer.
//
// A Model is a plain value and read-only once validated; its methods are
// safe for concurrent use.
type Model struct {
	// Stages in order, all left stages before all right stages.
	Stages []Stage `json:"stages"`
}

// DefaultModel returns the seven-stage bowtie of Winning by Design as the
// Revenue Bowtie Diagnostic installs it: left Awareness, Education,
// Selection, Commit (the knot), right Onboard, Impact and Growth (expansion
// and renewal), with a primary and a secondary owner per stage, handoff
// criteria between adjacent stages and metric IDs VM1–VM7, CR1–CR6 and
// T1–T6. Marketing owns the top of the left side, sales the bottom and the
// knot, customer success the right side.
//
// The owners are role holders ("VP Marketing"); replace them with the
// accountable people. LostAfterDays are revalign's assumptions, not the
// framework's: 180 days without an MQL, 90 from MQL to opportunity, 180 in
// selection, 60 from signature to onboarding kickoff, 120 from kickoff to
// first value, 395 from first value to the first renewal or expansion (a
// one-year term plus a month). Impact is Required: a customer that renews
// or expands without reaching first value has not reached Impact.
func DefaultModel() Model {
	mkt := revalign.Owner{Name: "VP Marketing", Team: revalign.Marketing}
	sales := revalign.Owner{Name: "VP Sales", Team: revalign.Sales}
	cs := revalign.Owner{Name: "VP Customer Success", Team: revalign.CustomerSuccess}
	owners := func(p, s revalign.Owner) []StageOwner {
		return []StageOwner{{Owner: p, Role: Primary}, {Owner: s, Role: Secondary}}
	}
	return Model{Stages: []Stage{
		{
			Name: "Awareness", Side: Left,
			Definition:    "The account knows the problem and knows us: a first recorded touch (ad, visit, event, outbound).",
			Handoff:       []string{"a contact meets the signed MQL criteria"},
			Owners:        owners(mkt, sales),
			Metrics:       Metrics{Volume: "VM1", Conversion: "CR1", Time: "T1"},
			LostAfterDays: 180,
		},
		{
			Name: "Education", Side: Left,
			Definition:    "The buyer is learning how to solve the problem: a marketing-qualified lead (MQL).",
			Handoff:       []string{"sales accepts the MQL within the SLA", "a discovery meeting confirms need, authority and timing"},
			Owners:        owners(mkt, sales),
			Metrics:       Metrics{Volume: "VM2", Conversion: "CR2", Time: "T2"},
			LostAfterDays: 90,
		},
		{
			Name: "Selection", Side: Left,
			Definition:    "The buying committee is choosing: an open new-business opportunity.",
			Handoff:       []string{"mutual close plan agreed with the economic buyer", "order form signed"},
			Owners:        owners(sales, mkt),
			Metrics:       Metrics{Volume: "VM3", Conversion: "CR3", Time: "T3"},
			LostAfterDays: 180,
		},
		{
			Name: "Commit", Side: Left,
			Definition:    "The knot: the deal is won and the customer has committed.",
			Handoff:       []string{"sales-to-success handoff meeting held with the success plan", "onboarding kickoff scheduled"},
			Owners:        owners(sales, cs),
			Metrics:       Metrics{Volume: "VM4", Conversion: "CR4", Time: "T4"},
			LostAfterDays: 60,
		},
		{
			Name: "Onboard", Side: Right,
			Definition:    "The customer is being onboarded: kickoff held, implementation under way.",
			Handoff:       []string{"the success plan's first-value milestone is reached and confirmed by the customer"},
			Owners:        owners(cs, sales),
			Metrics:       Metrics{Volume: "VM5", Conversion: "CR5", Time: "T5"},
			LostAfterDays: 120,
		},
		{
			Name: "Impact", Side: Right,
			Definition:    "The customer gets the outcome it bought: first value reached, then recurring impact.",
			Handoff:       []string{"renewal or expansion opportunity opened on documented impact"},
			Owners:        owners(cs, sales),
			Metrics:       Metrics{Volume: "VM6", Conversion: "CR6", Time: "T6"},
			LostAfterDays: 395,
			Required:      true,
		},
		{
			Name: "Growth", Side: Right,
			Definition: "The customer renews and expands.",
			Owners:     owners(cs, sales),
			Metrics:    Metrics{Volume: "VM7"},
		},
	}}
}

// Knot returns the index of the knot: the last stage of the left side, or
// -1 when the model has no left stage.
func (m Model) Knot() int {
	k := -1
	for i, s := range m.Stages {
		if s.Side == Left {
			k = i
		}
	}
	return k
}

// Index returns the position of the named stage, or -1.
func (m Model) Index(name string) int {
	for i, s := range m.Stages {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// Validate reports every problem of the model, each naming the field and
// the value: fewer than two stages, a blank or repeated stage name, a side
// with no stages or sides out of order (every left stage comes before every
// right stage), a missing definition, missing handoff criteria between
// adjacent stages, a stage without a primary owner or with two, an invalid
// or repeated owner, a missing or repeated metric ID, or a negative
// LostAfterDays.
func (m Model) Validate() error {
	v := revalign.Validator{Pkg: "bowtie"}
	if !v.Check(len(m.Stages) >= 2, "stages", len(m.Stages), "need at least two stages, one per side") {
		return v.Err()
	}
	names := map[string]int{}
	metrics := map[string]string{}
	metric := func(path, id string) {
		if !v.Check(strings.TrimSpace(id) != "", path, id, "metric ID required") {
			return
		}
		if prev, dup := metrics[id]; dup {
			v.Add(path, id, "metric ID already used by "+prev)
			return
		}
		metrics[id] = path
	}
	var lefts, rights int
	for i, s := range m.Stages {
		p := revalign.Index("stages", i)
		if v.Check(strings.TrimSpace(s.Name) != "" && strings.TrimSpace(s.Name) == s.Name, p+".name", s.Name, "stage name must be non-blank without surrounding spaces") {
			if j, dup := names[s.Name]; dup {
				v.Add(p+".name", s.Name, "repeats the name of "+revalign.Index("stages", j))
			}
			names[s.Name] = i
		}
		switch s.Side {
		case Left:
			lefts++
			v.Check(rights == 0, p+".side", s.Side.String(), "a left stage cannot follow a right stage")
		case Right:
			rights++
		default:
			v.Add(p+".side", int(s.Side), "must be left or right")
		}
		v.Check(strings.TrimSpace(s.Definition) != "", p+".definition", nil, "stage needs a definition")
		last := i == len(m.Stages)-1
		if !last {
			v.Check(len(s.Handoff) > 0, p+".handoff", nil, "handoff criteria to "+quote(m.Stages[i+1].Name)+" missing")
		}
		for j, h := range s.Handoff {
			v.Check(strings.TrimSpace(h) != "", revalign.Index(p+".handoff", j), h, "handoff criterion is blank")
		}
		validateOwners(&v, p, s.Owners)
		metric(p+".metrics.volume", s.Metrics.Volume)
		if !last {
			metric(p+".metrics.conversion", s.Metrics.Conversion)
			metric(p+".metrics.time", s.Metrics.Time)
		} else {
			v.Check(s.Metrics.Conversion == "" && s.Metrics.Time == "", p+".metrics", s.Metrics.Conversion+s.Metrics.Time, "the last stage has no conversion or time metric")
		}
		v.Check(s.LostAfterDays >= 0, p+".lost_after_days", s.LostAfterDays, "must be >= 0")
	}
	v.Check(lefts > 0, "stages", nil, "the left side has no stages")
	v.Check(rights > 0, "stages", nil, "the right side has no stages")
	return v.Err()
}

func validateOwners(v *revalign.Validator, p string, owners []StageOwner) {
	primaries := 0
	seen := map[revalign.Owner]int{}
	for j, o := range owners {
		op := revalign.Index(p+".owners", j)
		v.Nest(op, o.Validate())
		if o.Role == Primary {
			primaries++
			v.Check(primaries == 1, op+".role", "primary", "a stage has exactly one primary owner; this is the second")
		}
		if k, dup := seen[o.Owner]; dup && !o.Owner.IsZero() {
			v.Add(op, o.Owner.String(), "already listed as "+revalign.Index(p+".owners", k))
		}
		seen[o.Owner] = j
	}
	v.Check(primaries > 0, p+".owners", nil, "stage has no primary owner")
}

func quote(s string) string { return "\"" + s + "\"" }
