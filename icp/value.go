package icp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the kind of a [Value].
type Kind uint8

// The kinds of value an attribute can hold. The zero Kind is Missing.
const (
	// Missing means the attribute is unknown: criteria on it score as
	// unknown (no points, listed as unknown), never as a failed match.
	Missing Kind = iota
	// TextKind is a single piece of text: an industry, a country, a title.
	TextKind
	// NumberKind is a number: an employee count, an annual revenue.
	NumberKind
	// ListKind is a set of text items: the tools an account runs.
	ListKind
	// BoolKind is true or false: whether the account is a customer.
	BoolKind
)

var kindNames = [...]string{Missing: "missing", TextKind: "text", NumberKind: "number", ListKind: "list", BoolKind: "bool"}

// String returns the kind's name: "missing", "text", "number", "list" or
// "bool".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one attribute of a lead: text, a number, a list of text, true or
// false, or missing. The zero Value is missing. Build values with [Text],
// [Number], [List] and [Bool]; a Value is immutable and safe to share
// between records and goroutines (a list value keeps the slice it was given:
// do not modify it afterwards).
//
// In JSON a Value is a string, a number, an array of strings, a boolean or
// null (missing).
type Value struct {
	kind Kind
	b    bool
	num  float64
	text string
	list []string
}

// Text returns a text value. Blank text is missing: CRM exports write an
// unknown field as an empty cell, and an unknown industry must not score as
// an industry outside the ICP.
func Text(s string) Value {
	if strings.TrimSpace(s) == "" {
		return Value{}
	}
	return Value{kind: TextKind, text: s}
}

// Number returns a numeric value. NaN is missing. Note that many CRM exports
// write an unknown count as 0; convert such zeros to a missing Value
// yourself when 0 is not a real value of the field.
func Number(x float64) Value {
	if math.IsNaN(x) {
		return Value{}
	}
	return Value{kind: NumberKind, num: x}
}

// List returns a list value holding items (not copied). An empty list is
// missing, for the same reason as blank text: an export cannot tell "no
// tools" from "tools unknown".
func List(items []string) Value {
	if len(items) == 0 {
		return Value{}
	}
	return Value{kind: ListKind, list: items}
}

// Bool returns a boolean value.
func Bool(b bool) Value { return Value{kind: BoolKind, b: b} }

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.kind }

// IsMissing reports whether the value is missing.
func (v Value) IsMissing() bool { return v.kind == Missing }

// AsText returns the text of a text value and true, or "" and false.
func (v Value) AsText() (string, bool) { return v.text, v.kind == TextKind }

// AsNumber returns the number of a numeric value and true, or 0 and false.
func (v Value) AsNumber() (float64, bool) { return v.num, v.kind == NumberKind }

// AsList returns the items of a list value and true, or nil and false.
func (v Value) AsList() ([]string, bool) { return v.list, v.kind == ListKind }

// AsBool returns the boolean of a bool value and true, or false and false.
func (v Value) AsBool() (bool, bool) { return v.b, v.kind == BoolKind }

// String formats the value for people: text as is, numbers in the shortest
// form, lists joined with "; ", "(missing)" for a missing value.
func (v Value) String() string {
	switch v.kind {
	case TextKind:
		return v.text
	case NumberKind:
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case ListKind:
		return strings.Join(v.list, "; ")
	case BoolKind:
		return strconv.FormatBool(v.b)
	}
	return "(missing)"
}

// MarshalJSON encodes the value as a JSON string, number, array, boolean or
// null.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.kind {
	case TextKind:
		return json.Marshal(v.text)
	case NumberKind:
		if math.IsInf(v.num, 0) {
			return nil, fmt.Errorf("icp: cannot encode %v as JSON", v.num)
		}
		return json.Marshal(v.num)
	case ListKind:
		return json.Marshal(v.list)
	case BoolKind:
		return json.Marshal(v.b)
	}
	return []byte("null"), nil
}

// UnmarshalJSON decodes a JSON string, number, array of strings, boolean or
// null. Blank strings and empty arrays decode as missing, like [Text] and
// [List].
func (v *Value) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return fmt.Errorf("icp: empty JSON value")
	}
	switch data[0] {
	case 'n':
		*v = Value{}
		return nil
	case '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("icp: value: %w", err)
		}
		*v = Text(s)
		return nil
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(data, &b); err != nil {
			return fmt.Errorf("icp: value: %w", err)
		}
		*v = Bool(b)
		return nil
	case '[':
		var items []string
		if err := json.Unmarshal(data, &items); err != nil {
			return fmt.Errorf("icp: value: a list holds only strings: %w", err)
		}
		*v = List(items)
		return nil
	}
	var x float64
	if err := json.Unmarshal(data, &x); err != nil {
		return fmt.Errorf("icp: value: want a string, number, list, boolean or null: %w", err)
	}
	*v = Number(x)
	return nil
}

// Event is one behavioural event of a lead: its type (matched against each
// [Signal]'s Event, ASCII case-insensitively) and when it happened.
type Event struct {
	// Type is the event type, e.g. "webinar", "pricing_page".
	Type string `json:"type"`
	// At is when the event happened. An event the model counts must have
	// a time: the zero time.Time is an error, not an event of year 1.
	At time.Time `json:"at"`
}

// Lead is a lead to score by field name: the map-based form for one-off
// calls, webhooks and tests. Attributes not in the map are missing. For
// scoring many leads, lay them out as [Record] values and use a [Scorer].
type Lead struct {
	// ID is the lead's ID, copied to the result.
	ID string `json:"id"`
	// Attributes are the lead's attributes by field name.
	Attributes map[string]Value `json:"attributes"`
	// Events are the lead's behavioural events, in any order.
	Events []Event `json:"events,omitempty"`
}

// Schema names the attribute columns of a [Record]: Values[i] of a record
// is the attribute named Schema[i]. A model is compiled once against a
// schema ([Model.Compile]) so that scoring looks fields up by index.
type Schema []string

// Index returns the position of the field named name, or -1.
func (s Schema) Index(name string) int {
	for i, f := range s {
		if f == name {
			return i
		}
	}
	return -1
}

// Record lays a lead out by a [Schema]: Values[i] holds the attribute named
// by the schema's i-th field. Records are the input of the allocation-free
// scoring path; build them once, from the columns of an export, and reuse the
// slices.
type Record struct {
	// ID is the record's ID, copied to the result and to its errors.
	ID string `json:"id"`
	// Values are the attributes, one per field of the schema, in its
	// order; a missing attribute is the zero Value.
	Values []Value `json:"values"`
	// Events are the lead's behavioural events, in any order.
	Events []Event `json:"events,omitempty"`
}

// Record lays lead out by the schema. Attributes of the lead that the
// schema does not name are ignored. It allocates the Values slice; it is the
// bridge from the map form, not the fast path.
func (s Schema) Record(lead Lead) Record {
	r := Record{ID: lead.ID, Values: make([]Value, len(s)), Events: lead.Events}
	for i, f := range s {
		r.Values[i] = lead.Attributes[f]
	}
	return r
}
