package demandstate

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/revalign/revalign"
)

const pkg = "demandstate"

// State is the name of a demand state, text in JSON ("problem-aware"). The
// six states of the seed's taxonomy are constants; a team's own model may
// name others. The zero State is no state.
type State string

// The default taxonomy, in order (seed, Step 1).
const (
	Unaware       State = "unaware"
	ProblemAware  State = "problem-aware"
	SolutionAware State = "solution-aware"
	PartnerAware  State = "partner-aware"
	DecisionReady State = "decision-ready"
	PostPurchase  State = "post-purchase"
)

// MaxStates is the largest number of states a model may hold.
const MaxStates = 64

// StateOwner is one accountable owner of a state. A state with several
// owners is jointly owned and needs exactly one of them marked as the
// tie-breaker: "handoff states get joint ownership with a single named
// tie-breaker". In JSON the owner's fields are inline:
// {"name": "VP Sales", "team": "sales", "tie_breaker": true}.
type StateOwner struct {
	// Owner is the person (or role holder) and team; in JSON its fields
	// are inline.
	revalign.Owner
	// TieBreaker marks the one owner who decides when the joint owners
	// disagree.
	TieBreaker bool `json:"tie_breaker,omitempty"`
}

// StateDef defines one demand state: its definition, the entry and exit
// criteria that make membership a binary, observable test, and its owners.
//
// A record is in the state when it meets every entry criterion and does not
// meet the exit criteria (all of them; an empty exit list never holds).
type StateDef struct {
	// Name of the state, unique in the model.
	Name State `json:"name"`
	// Definition in one or two sentences, for people.
	Definition string `json:"definition,omitempty"`
	// Entry criteria; all must hold.
	Entry []Criterion `json:"entry,omitempty"`
	// Exit criteria; when all hold the record has left the state.
	Exit []Criterion `json:"exit,omitempty"`
	// Owners accountable for records in the state.
	Owners []StateOwner `json:"owners"`
}

// Joint reports whether the state has more than one owner.
func (s StateDef) Joint() bool { return len(s.Owners) > 1 }

// Accountable returns the owner who answers for the state: its only owner,
// or the tie-breaker of a joint state. It is the zero Owner when the state
// has none (which Validate rejects).
func (s StateDef) Accountable() revalign.Owner {
	if len(s.Owners) == 1 {
		return s.Owners[0].Owner
	}
	for _, o := range s.Owners {
		if o.TieBreaker {
			return o.Owner
		}
	}
	return revalign.Owner{}
}

// Model is a team's demand-state map (the seed's Step 1 artifact): the
// signals its criteria use and the ordered states, earliest first. The
// order is what makes a move an advance, a skip or a regression.
//
// Model is a plain value: build it with [DefaultModel] or a struct literal,
// or load it from JSON or YAML, then call Validate (or [NewClassifier],
// which validates).
type Model struct {
	// Name of the model, e.g. "FY27 demand-state map".
	Name string `json:"name,omitempty"`
	// Signals the criteria test, in the order of a Record's Values.
	Signals []Signal `json:"signals,omitempty"`
	// States in order, earliest first.
	States []StateDef `json:"states"`
}

// UnmarshalJSON decodes a model strictly: unknown fields are errors at any
// depth.
func (m *Model) UnmarshalJSON(data []byte) error {
	type plain Model
	var p plain
	if err := decodeStrict(data, &p); err != nil {
		return err
	}
	*m = Model(p)
	return nil
}

// Index returns the position of state s in the model's order, or -1.
func (m Model) Index(s State) int {
	for i := range m.States {
		if m.States[i].Name == s {
			return i
		}
	}
	return -1
}

// Names returns the state names in order.
func (m Model) Names() []State {
	out := make([]State, len(m.States))
	for i := range m.States {
		out[i] = m.States[i].Name
	}
	return out
}

// Owner returns the accountable owner of state s (see
// [StateDef.Accountable]), or the zero Owner for an unknown state.
func (m Model) Owner(s State) revalign.Owner {
	if i := m.Index(s); i >= 0 {
		return m.States[i].Accountable()
	}
	return revalign.Owner{}
}

// Validate reports every problem of the model at once: no states or more
// than MaxStates, a blank or repeated state or signal name, a state without a
// named owner, a joint state without exactly one tie-breaker, a repeated
// owner, and criteria that name undeclared signals, use an unknown op or an
// op that does not fit the signal's type, or lack their operand.
func (m Model) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	sigs := map[string]bool{}
	for i, s := range m.Signals {
		p := revalign.Index("signals", i)
		if v.Check(validName(s.Name), p+".name", s.Name, "signal needs a name without surrounding space") {
			v.Check(!sigs[s.Name], p+".name", s.Name, "repeats an earlier signal")
			sigs[s.Name] = true
		}
		v.Check(s.Type >= TypeNumber && s.Type <= TypeTime, p+".type", s.Type.String(), "must be number, text, bool or time")
	}
	v.Check(len(m.States) > 0, "states", nil, "model needs at least one state")
	v.Check(len(m.States) <= MaxStates, "states", len(m.States), "model holds at most 64 states")
	names := map[State]bool{}
	for i, s := range m.States {
		p := revalign.Index("states", i)
		if v.Check(validName(string(s.Name)), p+".name", string(s.Name), "state needs a name without surrounding space") {
			v.Check(!names[s.Name], p+".name", string(s.Name), "repeats an earlier state")
			names[s.Name] = true
		}
		validateOwners(&v, p+".owners", s)
		validateCriteria(&v, p+".entry", s.Entry, m.Signals)
		validateCriteria(&v, p+".exit", s.Exit, m.Signals)
	}
	return v.Err()
}

func validateOwners(v *revalign.Validator, p string, s StateDef) {
	if !v.Check(len(s.Owners) > 0, p, nil, "state "+string(s.Name)+" needs a named owner") {
		return
	}
	seen := map[string]bool{}
	breakers := 0
	for j, o := range s.Owners {
		op := revalign.Index(p, j)
		v.Nest(op, o.Owner.Validate())
		v.Check(!seen[o.Name], op+".name", o.Name, "owner named twice")
		seen[o.Name] = true
		if o.TieBreaker {
			breakers++
		}
	}
	if s.Joint() {
		v.Check(breakers == 1, p, breakers, "joint state "+string(s.Name)+" needs exactly one tie_breaker")
	}
}

func validName(s string) bool { return s != "" && strings.TrimSpace(s) == s }

// decodeStrict decodes JSON rejecting unknown fields and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return &revalign.FieldError{Pkg: pkg, Reason: "unexpected data after the JSON value"}
	}
	return nil
}

// The signals of the default model.
const (
	SignalCustomer   = "customer"
	SignalEngagedAt  = "engaged_at"
	SignalContentAt  = "content_at"
	SignalPartnerAt  = "partner_at"
	SignalPricingAt  = "pricing_page_at"
	SignalDemoAt     = "demo_request_at"
	defaultRecentDay = 90
	defaultHotDays   = 14
)

// DefaultModel returns the seed's six-state taxonomy — unaware,
// problem-aware, solution-aware, partner-aware, decision-ready,
// post-purchase — with the seed's ownership (marketing owns unaware and
// problem-aware, sales owns decision-ready, solution-aware and partner-aware
// are joint, customer success owns post-purchase) and
// entry criteria over six signals most CRM exports can derive:
//
//   - customer (bool): the account is a customer → post-purchase;
//   - pricing_page_at, demo_request_at (time): a pricing-page visit or demo
//     request within 14 days → decision-ready;
//   - partner_at (time): a partner touch within 90 days → partner-aware;
//   - content_at (time): a content download or webinar within 90 days →
//     solution-aware;
//   - engaged_at (time): any engagement ever → problem-aware, none →
//     unaware.
//
// Each state's criteria exclude the signals of the later states, so the
// default states are mutually exclusive and, for records that carry the
// customer flag and whose engaged_at is the latest of their activity,
// exhaustive. Buyers regress as their signals age — decision-ready falls
// back to partner-aware, solution-aware or problem-aware after 14 quiet
// days — but a buyer who has engaged never becomes unaware again.
//
// The seed wants "a single named decision-maker for tie-breaks" at the
// handoff: both joint states name the same tie-breaker, the VP Marketing,
// who also owns the demand-state map in cadence.DefaultCadence and is the
// first step of cadence.DefaultGovernance's dispute escalation (then the
// CRO). Marketing owns the definitions, sales countersigns them, and a
// dispute the tie-breaker cannot settle leaves both teams for the CRO. Being
// the tie-breaker makes the VP Marketing the accountable owner of both
// handoff states, so [DefaultRouter] sends their records to that role. The
// owner names are role holders ("VP Marketing"); put your people's names in
// before signing the map.
func DefaultModel() Model {
	mkt := revalign.Owner{Name: "VP Marketing", Team: revalign.Marketing}
	sales := revalign.Owner{Name: "VP Sales", Team: revalign.Sales}
	cs := revalign.Owner{Name: "VP Customer Success", Team: revalign.CustomerSuccess}
	within := func(s string, d float64) Criterion { return Criterion{Signal: s, Op: WithinDays, Days: d} }
	notWithin := func(s string, d float64) Criterion { return Criterion{Signal: s, Op: NotWithinDays, Days: d} }
	prospect := Criterion{Signal: SignalCustomer, Op: Eq, Value: Bool(false)}
	notHot := []Criterion{notWithin(SignalPricingAt, defaultHotDays), notWithin(SignalDemoAt, defaultHotDays)}
	entry := func(cs ...Criterion) []Criterion { return append(append([]Criterion{prospect}, cs...), notHot...) }
	return Model{
		Name: "default six-state model",
		Signals: []Signal{
			{Name: SignalCustomer, Type: TypeBool, Description: "the account is a paying customer"},
			{Name: SignalEngagedAt, Type: TypeTime, Description: "last engagement of any kind (visit, content, webinar, intent, touch)"},
			{Name: SignalContentAt, Type: TypeTime, Description: "last solution-content engagement (content download, webinar)"},
			{Name: SignalPartnerAt, Type: TypeTime, Description: "last partner touch or referral"},
			{Name: SignalPricingAt, Type: TypeTime, Description: "last pricing-page visit"},
			{Name: SignalDemoAt, Type: TypeTime, Description: "last demo request"},
		},
		States: []StateDef{
			{
				Name:       Unaware,
				Definition: "Not yet aware of the problem: no engagement recorded.",
				Entry: entry(Criterion{Signal: SignalEngagedAt, Op: Absent},
					notWithin(SignalContentAt, defaultRecentDay), notWithin(SignalPartnerAt, defaultRecentDay)),
				Owners: []StateOwner{{Owner: mkt}},
			},
			{
				Name:       ProblemAware,
				Definition: "Aware of the problem, not comparing solutions: has engaged, but no solution content, partner touch or buying signal lately.",
				Entry: entry(Criterion{Signal: SignalEngagedAt, Op: Present},
					notWithin(SignalContentAt, defaultRecentDay), notWithin(SignalPartnerAt, defaultRecentDay)),
				Owners: []StateOwner{{Owner: mkt}},
			},
			{
				Name:       SolutionAware,
				Definition: "Comparing solutions: solution content in the last 90 days, no partner or buying signal.",
				Entry:      entry(within(SignalContentAt, defaultRecentDay), notWithin(SignalPartnerAt, defaultRecentDay)),
				Owners:     []StateOwner{{Owner: mkt, TieBreaker: true}, {Owner: sales}},
			},
			{
				Name:       PartnerAware,
				Definition: "Engaged through a partner in the last 90 days, no buying signal yet.",
				Entry:      entry(within(SignalPartnerAt, defaultRecentDay)),
				Owners:     []StateOwner{{Owner: mkt, TieBreaker: true}, {Owner: sales}},
			},
			{
				Name:       DecisionReady,
				Definition: "Actively evaluating to buy: pricing page or demo request in the last 14 days.",
				Entry: []Criterion{prospect, {Any: []Criterion{
					within(SignalPricingAt, defaultHotDays), within(SignalDemoAt, defaultHotDays)}}},
				Owners: []StateOwner{{Owner: sales}},
			},
			{
				Name:       PostPurchase,
				Definition: "A customer: onboarding, adoption, expansion and renewal.",
				Entry:      []Criterion{{Signal: SignalCustomer, Op: Eq, Value: Bool(true)}},
				Owners:     []StateOwner{{Owner: cs}},
			},
		},
	}
}
