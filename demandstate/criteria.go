package demandstate

import (
	"math"
	"strings"
	"time"

	"github.com/revalign/revalign"
)

// Op is the comparison a [Criterion] makes. It is text in JSON ("eq",
// "within_days"); an unknown Op is reported by Validate with the path of the
// criterion.
type Op string

// The operators of a criterion. A missing signal value fails every test
// except [Absent] and [NotWithinDays]: "no pricing-page visit in the last
// 14 days" is true of a lead that never visited.
const (
	// Eq: the signal equals Value (number, text or bool).
	Eq Op = "eq"
	// Ne: the signal is present and differs from Value.
	Ne Op = "ne"
	// Gt, Gte, Lt, Lte compare a number signal with Value.
	Gt  Op = "gt"
	Gte Op = "gte"
	Lt  Op = "lt"
	Lte Op = "lte"
	// In: the text signal is one of Values. NotIn: present and none of them.
	In    Op = "in"
	NotIn Op = "not_in"
	// WithinDays: the time signal lies in [asOf − Days, asOf].
	WithinDays Op = "within_days"
	// NotWithinDays: the time signal is missing or outside
	// [asOf − Days, asOf] (older, or after asOf and so not yet known).
	NotWithinDays Op = "not_within_days"
	// Present: the signal has a value. Absent: it is missing.
	Present Op = "present"
	Absent  Op = "absent"
)

// maxDays bounds a recency window (about 100 years) so that days convert to
// a time.Duration without overflow.
const maxDays = 36600

// Criterion is one declarative test of a record's signals, loadable from
// JSON. It is either a leaf that tests one signal:
//
//	{"signal": "pricing_page_at", "op": "within_days", "days": 14}
//	{"signal": "budget_confirmed", "op": "eq", "value": true}
//	{"signal": "buying_role", "op": "in", "values": ["hr", "it"]}
//
// or a group: {"any": [...]} holds when at least one member holds, {"all":
// [...]} when every member holds. A list of criteria (a state's entry
// criteria, a rule's conditions) holds when all of them hold.
type Criterion struct {
	// Signal names the signal a leaf tests.
	Signal string `json:"signal,omitempty"`
	// Op is the comparison.
	Op Op `json:"op,omitempty"`
	// Value is the operand of eq, ne, gt, gte, lt and lte.
	Value Value `json:"value,omitzero"`
	// Values are the operands of in and not_in.
	Values []string `json:"values,omitempty"`
	// Days is the recency window of within_days and not_within_days.
	Days float64 `json:"days,omitempty"`
	// Any makes the criterion a group that holds when one member holds.
	Any []Criterion `json:"any,omitempty"`
	// All makes the criterion a group that holds when every member holds.
	All []Criterion `json:"all,omitempty"`
}

// UnmarshalJSON decodes a criterion strictly: unknown fields are errors.
func (c *Criterion) UnmarshalJSON(data []byte) error {
	type plain Criterion
	var p plain
	if err := decodeStrict(data, &p); err != nil {
		return err
	}
	*c = Criterion(p)
	return nil
}

// String renders the criterion for people: "pricing_page_at within 14 days",
// "any(demo_request_at within 14 days, pricing_page_at within 14 days)".
func (c Criterion) String() string {
	var b strings.Builder
	c.write(&b)
	return b.String()
}

func (c Criterion) write(b *strings.Builder) {
	group := func(name string, kids []Criterion) {
		b.WriteString(name)
		b.WriteByte('(')
		for i, k := range kids {
			if i > 0 {
				b.WriteString(", ")
			}
			k.write(b)
		}
		b.WriteByte(')')
	}
	switch {
	case len(c.Any) > 0:
		group("any", c.Any)
		return
	case len(c.All) > 0:
		group("all", c.All)
		return
	}
	b.WriteString(c.Signal)
	switch c.Op {
	case WithinDays:
		b.WriteString(" within " + formatDays(c.Days))
	case NotWithinDays:
		b.WriteString(" not within " + formatDays(c.Days))
	case In, NotIn:
		b.WriteString(" " + string(c.Op) + " [" + strings.Join(c.Values, ", ") + "]")
	case Present, Absent:
		b.WriteString(" " + string(c.Op))
	default:
		b.WriteString(" " + string(c.Op) + " " + c.Value.String())
	}
}

func formatDays(d float64) string {
	s := Number(d).String()
	if d == 1 {
		return s + " day"
	}
	return s + " days"
}

// validateCriteria checks a list of criteria against the declared signals,
// recording errors under path.
func validateCriteria(v *revalign.Validator, path string, cs []Criterion, sigs []Signal) {
	for i := range cs {
		validateCriterion(v, revalign.Index(path, i), &cs[i], sigs)
	}
}

func validateCriterion(v *revalign.Validator, path string, c *Criterion, sigs []Signal) {
	leaf := c.Signal != "" || c.Op != "" || !c.Value.IsMissing() || c.Values != nil || c.Days != 0
	groups := 0
	if c.Any != nil {
		groups++
	}
	if c.All != nil {
		groups++
	}
	switch {
	case groups > 1 || (groups == 1 && leaf):
		v.Add(path, nil, "a criterion is either a signal test or one any/all group, not both")
		return
	case groups == 1:
		name, kids := "any", c.Any
		if c.All != nil {
			name, kids = "all", c.All
		}
		if v.Check(len(kids) > 0, revalign.JoinPath(path, name), nil, "group needs at least one criterion") {
			validateCriteria(v, revalign.JoinPath(path, name), kids, sigs)
		}
		return
	}
	si := -1
	for i := range sigs {
		if sigs[i].Name == c.Signal {
			si = i
			break
		}
	}
	if c.Signal == "" {
		v.Add(revalign.JoinPath(path, "signal"), nil, "criterion needs a signal")
		return
	}
	if si < 0 {
		v.Add(revalign.JoinPath(path, "signal"), c.Signal, "unknown signal (not declared in the model's signals)")
		return
	}
	typ := sigs[si].Type
	at := func(f string) string { return revalign.JoinPath(path, f) }
	noValue := func() {
		v.Check(c.Value.IsMissing(), at("value"), c.Value.String(), "not used by "+string(c.Op))
	}
	noValues := func() { v.Check(c.Values == nil, at("values"), nil, "not used by "+string(c.Op)) }
	noDays := func() { v.Check(c.Days == 0, at("days"), c.Days, "not used by "+string(c.Op)) }
	switch c.Op {
	case Eq, Ne:
		v.Check(typ != TypeTime, at("op"), string(c.Op), "time signals are tested with within_days or not_within_days")
		if typ != TypeTime {
			v.Check(c.Value.typ == typ, at("value"), c.Value.String(), "must be a "+typ.String()+" like the signal "+c.Signal)
		}
		noValues()
		noDays()
	case Gt, Gte, Lt, Lte:
		v.Check(typ == TypeNumber, at("op"), string(c.Op), "only number signals are ordered; "+c.Signal+" is "+typ.String())
		v.Check(c.Value.typ == TypeNumber && !math.IsInf(c.Value.num, 0), at("value"), c.Value.String(), "must be a finite number")
		noValues()
		noDays()
	case In, NotIn:
		v.Check(typ == TypeText, at("op"), string(c.Op), "only text signals are tested for membership; "+c.Signal+" is "+typ.String())
		v.Check(len(c.Values) > 0, at("values"), nil, "needs at least one value")
		noValue()
		noDays()
	case WithinDays, NotWithinDays:
		v.Check(typ == TypeTime, at("op"), string(c.Op), "only time signals have a recency window; "+c.Signal+" is "+typ.String())
		v.Check(c.Days > 0 && c.Days <= maxDays, at("days"), c.Days, "must be > 0 and <= 36600")
		noValue()
		noValues()
	case Present, Absent:
		noValue()
		noValues()
		noDays()
	case "":
		v.Add(at("op"), nil, "criterion needs an op")
	default:
		v.Add(at("op"), string(c.Op), "unknown op (eq, ne, gt, gte, lt, lte, in, not_in, within_days, not_within_days, present, absent)")
	}
}

// opcode is a compiled operator.
type opcode uint8

const (
	opAny opcode = iota
	opAll
	opEqNum
	opNeNum
	opEqText
	opNeText
	opEqBool
	opNeBool
	opGt
	opGte
	opLt
	opLte
	opIn
	opNotIn
	opWithin
	opNotWithin
	opPresent
	opAbsent
)

// node is a compiled criterion: operands resolved to a signal slot, windows
// to nanoseconds, so evaluation neither looks up names nor allocates.
type node struct {
	code   opcode
	slot   int
	num    float64
	window int64
	str    string
	strs   []string
	kids   []node
}

// compile turns validated criteria into nodes.
func compile(cs []Criterion, sigs []Signal) []node {
	if len(cs) == 0 {
		return nil
	}
	out := make([]node, len(cs))
	for i := range cs {
		out[i] = compileOne(&cs[i], sigs)
	}
	return out
}

func compileOne(c *Criterion, sigs []Signal) node {
	if c.Any != nil {
		return node{code: opAny, kids: compile(c.Any, sigs)}
	}
	if c.All != nil {
		return node{code: opAll, kids: compile(c.All, sigs)}
	}
	n := node{slot: -1}
	for i := range sigs {
		if sigs[i].Name == c.Signal {
			n.slot = i
			break
		}
	}
	typ := sigs[n.slot].Type
	n.num, n.str = c.Value.num, c.Value.str
	switch c.Op {
	case Eq, Ne:
		switch typ {
		case TypeNumber:
			n.code = opEqNum
		case TypeText:
			n.code = opEqText
		default:
			n.code = opEqBool
		}
		if c.Op == Ne {
			n.code++ // opNe… follows opEq… for every type
		}
	case Gt:
		n.code = opGt
	case Gte:
		n.code = opGte
	case Lt:
		n.code = opLt
	case Lte:
		n.code = opLte
	case In, NotIn:
		n.code = opIn
		if c.Op == NotIn {
			n.code = opNotIn
		}
		n.strs = append([]string(nil), c.Values...)
	case WithinDays, NotWithinDays:
		n.code = opWithin
		if c.Op == NotWithinDays {
			n.code = opNotWithin
		}
		n.window = int64(c.Days * float64(24*time.Hour))
	case Present:
		n.code = opPresent
	case Absent:
		n.code = opAbsent
	}
	return n
}

// allHold reports whether every node holds for vals as of now (Unix ns).
func allHold(ns []node, vals []Value, now int64) bool {
	for i := range ns {
		if !ns[i].holds(vals, now) {
			return false
		}
	}
	return true
}

func (n *node) holds(vals []Value, now int64) bool {
	switch n.code {
	case opAny:
		for i := range n.kids {
			if n.kids[i].holds(vals, now) {
				return true
			}
		}
		return false
	case opAll:
		return allHold(n.kids, vals, now)
	}
	v := &vals[n.slot]
	if v.typ == 0 {
		return n.code == opAbsent || n.code == opNotWithin
	}
	switch n.code {
	case opEqNum, opEqBool:
		return v.num == n.num
	case opNeNum, opNeBool:
		return v.num != n.num
	case opEqText:
		return v.str == n.str
	case opNeText:
		return v.str != n.str
	case opGt:
		return v.num > n.num
	case opGte:
		return v.num >= n.num
	case opLt:
		return v.num < n.num
	case opLte:
		return v.num <= n.num
	case opIn, opNotIn:
		found := false
		for _, s := range n.strs {
			if s == v.str {
				found = true
				break
			}
		}
		return found == (n.code == opIn)
	case opWithin, opNotWithin:
		d := now - v.ns
		return (d >= 0 && d <= n.window) == (n.code == opWithin)
	case opPresent:
		return true
	}
	return false // opAbsent with a value
}
