package demandstate

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
)

// Action is the next action a routed record gets. It is free text in JSON;
// the constants are the defaults' actions.
type Action string

// The actions of the default router (catalog, Demand State Routing
// Framework: "a prospect in active evaluation gets a sales conversation, in
// passive awareness a nurture sequence, in latent need a research-led
// content path").
const (
	SalesConversation   Action = "sales_conversation"
	NurtureSequence     Action = "nurture_sequence"
	ResearchContentPath Action = "research_content_path"
	PartnerCoSell       Action = "partner_co_sell"
	CustomerSuccessPlay Action = "customer_success_play"
	// ReviewDefinitions is the action of the review queue: a person
	// classifies the record and the definitions get tightened.
	ReviewDefinitions Action = "review_definitions"
)

// Route is an action and who carries it out. A zero Owner means the
// accountable owner of the record's state in the model.
type Route struct {
	// Action is the next action.
	Action Action `json:"action"`
	// Owner carries the action out; zero for the state's accountable
	// owner.
	Owner revalign.Owner `json:"owner,omitzero"`
}

// Rule routes the records in some states, optionally only those meeting
// extra criteria, to a route. Rules are evaluated in order; the first that
// matches wins.
type Rule struct {
	// Name identifies the rule in decisions ("why was this routed so?").
	Name string `json:"name"`
	// States the rule applies to; empty means every state.
	States []State `json:"states,omitempty"`
	// When holds extra criteria over the record's signals, all of which
	// must hold (e.g. region in [EMEA]).
	When []Criterion `json:"when,omitempty"`
	// Route is where matching records go; in JSON its fields are inline.
	Route
}

// Queue is the named review queue for records that cannot be classified:
// they are routed to people, never dropped.
type Queue struct {
	// Name is the queue's name, shown as the rule of its decisions.
	Name string `json:"name"`
	// Owner works the queue.
	Owner revalign.Owner `json:"owner"`
}

// Router maps demand states to next actions and owners: rules in order, a
// default for classified records no rule matches, and a review queue for
// records that are unclassified, ambiguous or invalid. It is configuration
// (JSON round-trips, unknown fields rejected); [NewDispatcher] compiles it
// against a classifier.
type Router struct {
	// Rules are tried in order; the first that matches wins.
	Rules []Rule `json:"rules"`
	// Default routes a classified record no rule matches.
	Default Route `json:"default"`
	// ReviewQueue takes the records that are unclassified, ambiguous or
	// invalid.
	ReviewQueue Queue `json:"review_queue"`
}

// UnmarshalJSON decodes a router strictly.
func (r *Router) UnmarshalJSON(data []byte) error {
	type plain Router
	var p plain
	if err := decodeStrict(data, &p); err != nil {
		return err
	}
	*r = Router(p)
	return nil
}

// DefaultRouter returns the routing of the default six-state taxonomy:
// unaware → research-led content path (latent need), problem-aware and
// solution-aware → nurture sequence (passive awareness), partner-aware →
// partner co-sell, decision-ready → sales conversation (active evaluation),
// post-purchase → customer-success play; each carried out by the state's
// accountable owner. Anything else goes to a nurture sequence, and records
// that cannot be classified to the "demand-state review" queue owned by
// RevOps.
func DefaultRouter() Router {
	rule := func(s State, a Action) Rule {
		return Rule{Name: string(s) + " → " + strings.ReplaceAll(string(a), "_", " "), States: []State{s}, Route: Route{Action: a}}
	}
	return Router{
		Rules: []Rule{
			rule(DecisionReady, SalesConversation),
			rule(PartnerAware, PartnerCoSell),
			rule(SolutionAware, NurtureSequence),
			rule(ProblemAware, NurtureSequence),
			rule(Unaware, ResearchContentPath),
			rule(PostPurchase, CustomerSuccessPlay),
		},
		Default:     Route{Action: NurtureSequence},
		ReviewQueue: Queue{Name: "demand-state review", Owner: revalign.Owner{Name: "RevOps lead", Team: revalign.RevOps}},
	}
}

// Validate checks what can be checked without a model: named, unique rules
// with an action, valid owners, a default action and a named, owned review
// queue. [NewDispatcher] also checks the rules' states and criteria against
// the model.
func (r Router) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	names := map[string]bool{}
	for i, ru := range r.Rules {
		p := revalign.Index("rules", i)
		if v.Check(validName(ru.Name), p+".name", ru.Name, "rule needs a name without surrounding space") {
			v.Check(!names[ru.Name], p+".name", ru.Name, "repeats an earlier rule")
			names[ru.Name] = true
		}
		validateRoute(&v, p, ru.Route)
	}
	validateRoute(&v, "default", r.Default)
	v.Check(validName(r.ReviewQueue.Name), "review_queue.name", r.ReviewQueue.Name, "review queue needs a name")
	v.Nest("review_queue.owner", r.ReviewQueue.Owner.Validate())
	return v.Err()
}

func validateRoute(v *revalign.Validator, p string, r Route) {
	v.Check(validName(string(r.Action)), revalign.JoinPath(p, "action"), string(r.Action), "needs an action")
	if !r.Owner.IsZero() {
		v.Nest(revalign.JoinPath(p, "owner"), r.Owner.Validate())
	}
}

// Reason says why a record was routed as it was.
type Reason uint8

// The reasons of a decision.
const (
	// ByRule: the record's state matched a rule.
	ByRule Reason = iota + 1
	// ByDefault: the record was classified but no rule matched.
	ByDefault
	// Unclassified: the record met no state's criteria (review queue).
	Unclassified
	// Ambiguous: the record met several states' criteria (review queue).
	Ambiguous
	// Invalid: the record does not fit the model's signals (review queue).
	Invalid
)

var reasonNames = enum.Names[Reason]{Type: "Reason",
	Names: []string{ByRule: "rule", ByDefault: "default", Unclassified: "unclassified", Ambiguous: "ambiguous", Invalid: "invalid"}}

// String returns "rule", "default", "unclassified", "ambiguous" or
// "invalid".
func (r Reason) String() string { return reasonNames.String(r) }

// MarshalText encodes the reason by name.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Decision is where one record was routed, and why.
type Decision struct {
	// ID is the record's ID.
	ID string `json:"id"`
	// State is the record's state, or "" when it could not be classified.
	State State `json:"state,omitempty"`
	// Other is the second state of an ambiguous record.
	Other State `json:"other,omitempty"`
	// Action is the next action the record gets.
	Action Action `json:"action"`
	// Owner carries the action out.
	Owner revalign.Owner `json:"owner"`
	// Reason says why the record was routed so.
	Reason Reason `json:"reason"`
	// Rule names the matched rule, "default", or the review queue.
	Rule string `json:"rule"`
}

// Why explains the decision in one line.
func (d Decision) Why() string {
	switch d.Reason {
	case ByRule:
		return fmt.Sprintf("state %s, rule %q", d.State, d.Rule)
	case ByDefault:
		return fmt.Sprintf("state %s, no rule matched: default route", d.State)
	case Ambiguous:
		return fmt.Sprintf("meets the criteria of both %s and %s: review queue %q", d.State, d.Other, d.Rule)
	case Unclassified:
		return fmt.Sprintf("meets no state's criteria: review queue %q", d.Rule)
	case Invalid:
		return fmt.Sprintf("does not fit the model's signals: review queue %q", d.Rule)
	}
	return "not routed"
}

// Dispatcher is a [Router] compiled against a [Classifier]: it classifies
// and routes records without allocating. Build it with [NewDispatcher]. It
// is immutable and safe for concurrent use by multiple goroutines.
type Dispatcher struct {
	c      *Classifier
	rules  []rule
	def    Route
	queue  Queue
	owners []revalign.Owner // accountable owner per state
}

type rule struct {
	name   string
	states uint64 // bit per state; 0 = any
	when   []node
	route  Route
}

// NewDispatcher validates r, checks its rules' states and criteria against
// c's model, and compiles it.
func NewDispatcher(c *Classifier, r Router) (*Dispatcher, error) {
	if c == nil {
		return nil, &revalign.FieldError{Pkg: pkg, Reason: "dispatcher needs a classifier"}
	}
	v := revalign.Validator{Pkg: pkg}
	v.Nest("", r.Validate())
	m := c.Model()
	d := &Dispatcher{c: c, def: r.Default, queue: r.ReviewQueue}
	for _, s := range m.States {
		d.owners = append(d.owners, s.Accountable())
	}
	for i, ru := range r.Rules {
		p := revalign.Index("rules", i)
		cr := rule{name: ru.Name, route: ru.Route}
		for j, s := range ru.States {
			si := m.Index(s)
			if v.Check(si >= 0, revalign.Index(p+".states", j), string(s), "unknown state") {
				cr.states |= 1 << uint(si)
			}
		}
		n := v.Len()
		validateCriteria(&v, p+".when", ru.When, m.Signals)
		if v.Len() == n {
			cr.when = compile(ru.When, m.Signals)
		}
		d.rules = append(d.rules, cr)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return d, nil
}

// Route classifies r as of asOf and routes it. It never fails: a record
// that cannot be classified goes to the review queue, with the reason.
func (d *Dispatcher) Route(r Record, asOf time.Time) Decision {
	dec, _ := d.route(&r, asOf.UnixNano())
	return dec
}

func (d *Dispatcher) route(r *Record, now int64) (Decision, error) {
	q := Decision{ID: r.ID, Action: ReviewDefinitions, Owner: d.queue.Owner, Rule: d.queue.Name}
	if err := checkRecord(r, d.c.model.Signals); err != nil {
		q.Reason = Invalid
		return q, err
	}
	m := d.c.match(r.Values, now)
	switch m.Count {
	case 0:
		q.Reason = Unclassified
		return q, nil
	case 1:
	default:
		q.Reason, q.State, q.Other = Ambiguous, m.State, m.Other
		return q, nil
	}
	dec := Decision{ID: r.ID, State: m.State}
	bit := uint64(1) << uint(m.Index)
	for i := range d.rules {
		ru := &d.rules[i]
		if ru.states != 0 && ru.states&bit == 0 {
			continue
		}
		if !allHold(ru.when, r.Values, now) {
			continue
		}
		dec.Action, dec.Owner, dec.Reason, dec.Rule = ru.route.Action, ru.route.Owner, ByRule, ru.name
		break
	}
	if dec.Reason == 0 {
		dec.Action, dec.Owner, dec.Reason, dec.Rule = d.def.Action, d.def.Owner, ByDefault, "default"
	}
	if dec.Owner.IsZero() {
		dec.Owner = d.owners[m.Index]
	}
	return dec, nil
}

// RouteBatch routes every record as of asOf, appending one decision per
// record, in input order, to dst[:0] and returning it; pass the previous
// result back as dst to route without allocating. No record is dropped:
// records that do not fit the model's signals are routed to the review
// queue and also reported, with their error, in the returned RecordErrors.
func (d *Dispatcher) RouteBatch(records []Record, asOf time.Time, dst []Decision) ([]Decision, []revalign.RecordError) {
	dst = dst[:0]
	now := asOf.UnixNano()
	var bad []revalign.RecordError
	for i := range records {
		dec, err := d.route(&records[i], now)
		if err != nil {
			bad = append(bad, revalign.RecordError{ID: records[i].ID, Err: err})
		}
		dst = append(dst, dec)
	}
	return dst, bad
}

// RoutingSummary counts decisions by action, by owner and by reason.
type RoutingSummary struct {
	// Total is the number of decisions.
	Total int `json:"total"`
	// ByAction counts the decisions per action, largest first.
	ByAction []ActionCount `json:"by_action"`
	// ByOwner counts the decisions per owner, largest first.
	ByOwner []OwnerCount `json:"by_owner"`
	// Review is the number of records sent to the review queue.
	Review int `json:"review"`
	// ByReason counts the decisions per reason name.
	ByReason map[string]int `json:"by_reason"`
}

// ActionCount is a number of decisions with one action.
type ActionCount struct {
	// Action is the action.
	Action Action `json:"action"`
	// Count is the number of decisions with it.
	Count int `json:"count"`
}

// OwnerCount is a number of decisions for one owner.
type OwnerCount struct {
	// Owner is the owner.
	Owner revalign.Owner `json:"owner"`
	// Count is the number of decisions for them.
	Count int `json:"count"`
}

// Summarize counts decisions for a routing report.
func Summarize(decisions []Decision) RoutingSummary {
	s := RoutingSummary{Total: len(decisions), ByReason: map[string]int{}}
	actions := map[Action]int{}
	owners := map[revalign.Owner]int{}
	for _, d := range decisions {
		actions[d.Action]++
		owners[d.Owner]++
		s.ByReason[d.Reason.String()]++
		if d.Reason >= Unclassified {
			s.Review++
		}
	}
	for a, n := range actions {
		s.ByAction = append(s.ByAction, ActionCount{a, n})
	}
	for o, n := range owners {
		s.ByOwner = append(s.ByOwner, OwnerCount{o, n})
	}
	slices.SortFunc(s.ByAction, func(a, b ActionCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Action, b.Action))
	})
	slices.SortFunc(s.ByOwner, func(a, b OwnerCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Owner.Name, b.Owner.Name), cmp.Compare(a.Owner.Team, b.Owner.Team))
	})
	return s
}
