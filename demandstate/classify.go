package demandstate

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
)

// ErrAmbiguous is matched (with [errors.Is]) by the error of a record that
// meets the criteria of two or more states: "if two people can disagree
// about which demand state a deal is in, the definitions are not tight
// enough". The error is an [*AmbiguousError] naming the states.
var ErrAmbiguous = errors.New("demandstate: record meets the criteria of more than one state")

// ErrUnclassified is matched by the error of a record that meets the
// criteria of no state.
var ErrUnclassified = errors.New("demandstate: record meets the criteria of no state")

// AmbiguousError reports a record that meets the criteria of several states.
type AmbiguousError struct {
	// ID of the record.
	ID string
	// States the record qualifies for, in model order.
	States []State
}

// Error names the record and the states.
func (e *AmbiguousError) Error() string {
	names := make([]string, len(e.States))
	for i, s := range e.States {
		names[i] = string(s)
	}
	return fmt.Sprintf("demandstate: record %s is ambiguous: it meets the criteria of %s; tighten the definitions",
		e.ID, strings.Join(names, " and "))
}

// Is reports whether target is [ErrAmbiguous].
func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguous }

// Classifier is a validated [Model] compiled for classification: criteria
// resolved to signal slots, so that classifying a record neither looks up
// names nor allocates. Build it with [NewClassifier]. A Classifier is
// immutable and safe for concurrent use by multiple goroutines.
type Classifier struct {
	model Model
	entry [][]node
	exit  [][]node
}

// NewClassifier validates m and compiles it. Besides Validate's checks,
// every state needs at least one entry criterion: a state nothing can enter
// would silently never be assigned. The classifier keeps its own copy of
// the model.
func NewClassifier(m Model) (*Classifier, error) {
	v := revalign.Validator{Pkg: pkg}
	v.Nest("", m.Validate())
	for i, s := range m.States {
		v.Check(len(s.Entry) > 0, revalign.Index("states", i)+".entry", nil,
			"state "+string(s.Name)+" needs entry criteria to be classified into")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := &Classifier{model: cloneModel(m)}
	c.entry = make([][]node, len(m.States))
	c.exit = make([][]node, len(m.States))
	for i, s := range c.model.States {
		c.entry[i] = compile(s.Entry, c.model.Signals)
		c.exit[i] = compile(s.Exit, c.model.Signals)
	}
	return c, nil
}

// cloneModel copies the slices a caller could later modify. Criteria are
// compiled into nodes, so they need no deep copy beyond the top level.
func cloneModel(m Model) Model {
	m.Signals = slices.Clone(m.Signals)
	m.States = slices.Clone(m.States)
	for i := range m.States {
		m.States[i].Owners = slices.Clone(m.States[i].Owners)
		m.States[i].Entry = slices.Clone(m.States[i].Entry)
		m.States[i].Exit = slices.Clone(m.States[i].Exit)
	}
	return m
}

// Model returns the classifier's model. Do not modify its slices.
func (c *Classifier) Model() Model { return c.model }

// Match is the outcome of classifying one record: how many states it
// qualified for and the first two of them in model order. It is computed
// without allocating; [Classifier.Classify] turns it into a state or an
// error.
type Match struct {
	// State is the first state the record qualifies for, or "".
	State State
	// Index is State's position in the model, or -1.
	Index int
	// Other is the second state when the record is ambiguous, or "".
	Other State
	// Count is the number of states the record qualifies for: 1 is a
	// clean classification, 0 unclassified, 2 or more ambiguous.
	Count int
	set   uint64
}

// Ambiguous reports whether the record qualified for several states.
func (m Match) Ambiguous() bool { return m.Count > 1 }

// Match evaluates every state's entry and exit criteria for r as of asOf.
// It returns an error only when r does not fit the model's signals (wrong
// number of values, or a value of the wrong type); the error matches
// revalign.ErrInvalid.
func (c *Classifier) Match(r Record, asOf time.Time) (Match, error) {
	if err := checkRecord(&r, c.model.Signals); err != nil {
		return Match{Index: -1}, fmt.Errorf("demandstate: record %s: %w", r.ID, err)
	}
	return c.match(r.Values, asOf.UnixNano()), nil
}

func (c *Classifier) match(vals []Value, now int64) Match {
	m := Match{Index: -1}
	for i := range c.entry {
		if !allHold(c.entry[i], vals, now) {
			continue
		}
		if len(c.exit[i]) > 0 && allHold(c.exit[i], vals, now) {
			continue
		}
		m.set |= 1 << uint(i)
		switch m.Count {
		case 0:
			m.State, m.Index = c.model.States[i].Name, i
		case 1:
			m.Other = c.model.States[i].Name
		}
		m.Count++
	}
	return m
}

// Classify returns the one state r is in as of asOf. A record that meets the
// criteria of two or more states is an [*AmbiguousError] (matching
// [ErrAmbiguous]); one that meets none is an error matching
// [ErrUnclassified]; one that does not fit the model's signals is an error
// matching revalign.ErrInvalid. Classify allocates only to build an error.
func (c *Classifier) Classify(r Record, asOf time.Time) (State, error) {
	m, err := c.Match(r, asOf)
	if err != nil {
		return "", err
	}
	switch {
	case m.Count == 1:
		return m.State, nil
	case m.Count == 0:
		return "", fmt.Errorf("demandstate: record %s: %w", r.ID, ErrUnclassified)
	}
	return "", &AmbiguousError{ID: r.ID, States: c.states(m.set)}
}

func (c *Classifier) states(set uint64) []State {
	out := make([]State, 0, bits.OnesCount64(set))
	for set != 0 {
		i := bits.TrailingZeros64(set)
		out = append(out, c.model.States[i].Name)
		set &^= 1 << uint(i)
	}
	return out
}

// AuditExamples is the number of example record IDs an [AuditReport] keeps
// per ambiguous pair.
const AuditExamples = 5

// AuditReport is the outcome of classifying a whole population before
// anything is routed: how many records each state holds, which pairs of
// states overlap (with example records to bring to the definitions review),
// and which records no state claims. Every record is counted exactly once:
// Σ States[].Count + Ambiguous + len(Unclassified) + len(Invalid) = Total.
type AuditReport struct {
	// Total is the number of records audited.
	Total int `json:"total"`
	// States counts the cleanly classified records per state, in model
	// order (states with none included).
	States []StateCount `json:"states"`
	// Ambiguous counts the records that met the criteria of two or more
	// states.
	Ambiguous int `json:"ambiguous"`
	// Pairs lists every pair of states some record met both of, most
	// frequent first. A record meeting three states counts in three pairs.
	Pairs []AmbiguousPair `json:"pairs,omitempty"`
	// Unclassified lists the IDs of records that met no state's criteria.
	Unclassified []string `json:"unclassified,omitempty"`
	// Invalid lists records that do not fit the model's signals.
	Invalid []revalign.RecordError `json:"invalid,omitempty"`
}

// Clean reports whether every record was classified into exactly one state.
func (a AuditReport) Clean() bool {
	return a.Ambiguous == 0 && len(a.Unclassified) == 0 && len(a.Invalid) == 0
}

// Classified returns the number of records classified into exactly one
// state.
func (a AuditReport) Classified() int {
	n := 0
	for _, s := range a.States {
		n += s.Count
	}
	return n
}

// StateCount is a number of records in a state.
type StateCount struct {
	// State is the demand state.
	State State `json:"state"`
	// Count is the number of records in it.
	Count int `json:"count"`
}

// AmbiguousPair is two states whose criteria overlap on real records.
type AmbiguousPair struct {
	// States are the two states, in model order.
	States [2]State `json:"states"`
	// Count is the number of records that met both.
	Count int `json:"count"`
	// Examples holds up to AuditExamples record IDs, in input order.
	Examples []string `json:"examples"`
}

// Audit classifies every record as of asOf and reports the population per
// state, the overlapping pairs and the unclassified records, so that a team
// can tighten its definitions before routing anything.
func (c *Classifier) Audit(records []Record, asOf time.Time) AuditReport {
	n := len(c.model.States)
	rep := AuditReport{Total: len(records), States: make([]StateCount, n)}
	for i := range rep.States {
		rep.States[i].State = c.model.States[i].Name
	}
	pairs := map[[2]int]*AmbiguousPair{}
	now := asOf.UnixNano()
	for ri := range records {
		r := &records[ri]
		if err := checkRecord(r, c.model.Signals); err != nil {
			rep.Invalid = append(rep.Invalid, revalign.RecordError{ID: r.ID, Err: err})
			continue
		}
		m := c.match(r.Values, now)
		switch {
		case m.Count == 1:
			rep.States[m.Index].Count++
			continue
		case m.Count == 0:
			rep.Unclassified = append(rep.Unclassified, r.ID)
			continue
		}
		rep.Ambiguous++
		for a := m.set; a != 0; a &= a - 1 {
			i := bits.TrailingZeros64(a)
			for b := a & (a - 1); b != 0; b &= b - 1 {
				j := bits.TrailingZeros64(b)
				p := pairs[[2]int{i, j}]
				if p == nil {
					p = &AmbiguousPair{States: [2]State{c.model.States[i].Name, c.model.States[j].Name}}
					pairs[[2]int{i, j}] = p
				}
				p.Count++
				if len(p.Examples) < AuditExamples {
					p.Examples = append(p.Examples, r.ID)
				}
			}
		}
	}
	for _, p := range pairs {
		rep.Pairs = append(rep.Pairs, *p)
	}
	slices.SortFunc(rep.Pairs, func(x, y AmbiguousPair) int {
		if x.Count != y.Count {
			return y.Count - x.Count
		}
		if d := c.model.Index(x.States[0]) - c.model.Index(y.States[0]); d != 0 {
			return d
		}
		return c.model.Index(x.States[1]) - c.model.Index(y.States[1])
	})
	return rep
}
