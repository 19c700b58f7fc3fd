package demandstate

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
)

// Type is the type of a signal: a number, a piece of text, a yes/no flag or
// an instant. It is text in JSON ("number", "text", "bool", "time").
type Type uint8

// The signal types. The zero Type is not a valid signal type; it is the type
// of a missing [Value].
const (
	TypeNumber Type = iota + 1
	TypeText
	TypeBool
	TypeTime
)

var typeNames = enum.Names[Type]{Pkg: pkg, Type: "Type", Path: "type",
	Names: []string{TypeNumber: "number", TypeText: "text", TypeBool: "bool", TypeTime: "time"}, None: "missing",
	Unknown: "unknown signal type", Want: "must be number, text, bool or time"}

// String returns "number", "text", "bool", "time", or "missing" for the zero
// Type.
func (t Type) String() string { return typeNames.String(t) }

// MarshalText encodes the type by name.
func (t Type) MarshalText() ([]byte, error) { return typeNames.Text(t) }

// UnmarshalText decodes "number", "text", "bool" or "time".
func (t *Type) UnmarshalText(b []byte) error { return typeNames.Unmarshal(t, b) }

// Signal declares one named fact a record carries and entry criteria test:
// "pricing_page_at" (the last pricing-page visit, a time), "budget_confirmed"
// (a bool), "buying_role" (text), "downloads_30d" (a number). Declaring the
// signals of a model lets Validate catch a criterion that names a signal
// nobody provides, or compares a time with a number, when the model is
// loaded rather than when the first record is misrouted.
type Signal struct {
	// Name of the signal, unique in the model.
	Name string `json:"name"`
	// Type of the signal's values.
	Type Type `json:"type"`
	// Description says where the signal comes from, for the people who
	// derive it from the CRM.
	Description string `json:"description,omitempty"`
}

// Value is one signal value of a record: a number, text, a bool or an
// instant, or missing. The zero Value is missing. Build values with
// [Number], [Text], [Bool] and [Time]. Value is a small immutable value; pass
// it by value.
type Value struct {
	typ Type
	num float64 // number; bool as 0/1
	ns  int64   // time as Unix nanoseconds
	str string  // text
}

// Number returns a number value. NaN is treated as missing.
func Number(f float64) Value {
	if math.IsNaN(f) {
		return Value{}
	}
	return Value{typ: TypeNumber, num: f}
}

// Text returns a text value. Empty text is a value (not missing); use the
// zero Value for a missing text signal.
func Text(s string) Value { return Value{typ: TypeText, str: s} }

// Bool returns a bool value.
func Bool(b bool) Value {
	if b {
		return Value{typ: TypeBool, num: 1}
	}
	return Value{typ: TypeBool}
}

// Time returns an instant, kept to the nanosecond. The zero time.Time is
// missing, so an empty timestamp column of a CRM export ("never happened")
// maps to a missing signal without a special case. So is an instant outside
// the range a nanosecond count can hold, 1677-09-21T00:12:43.145224192Z to
// 2262-04-11T23:47:16.854775807Z: CRM exports write "never" as 9999-12-31,
// and such a date reads as missing rather than wrapping round to another
// century.
func Time(t time.Time) Value {
	if t.IsZero() || t.Before(minTime) || t.After(maxTime) {
		return Value{}
	}
	return Value{typ: TypeTime, ns: t.UnixNano()}
}

// minTime and maxTime bound the instants a Value holds. They are never
// modified.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// Type returns the value's type; 0 for a missing value.
func (v Value) Type() Type { return v.typ }

// IsMissing reports whether the value is missing.
func (v Value) IsMissing() bool { return v.typ == 0 }

// Number returns the number and whether v is a number.
func (v Value) Number() (float64, bool) { return v.num, v.typ == TypeNumber }

// Text returns the text and whether v is text.
func (v Value) Text() (string, bool) { return v.str, v.typ == TypeText }

// Bool returns the flag and whether v is a bool.
func (v Value) Bool() (b, ok bool) { return v.num == 1, v.typ == TypeBool }

// Time returns the instant (in UTC) and whether v is a time.
func (v Value) Time() (time.Time, bool) {
	if v.typ != TypeTime {
		return time.Time{}, false
	}
	return time.Unix(0, v.ns).UTC(), true
}

// String formats the value for people: 14, "hr", true, 2026-03-04T09:15:00Z
// or (missing).
func (v Value) String() string {
	switch v.typ {
	case TypeNumber:
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case TypeText:
		return strconv.Quote(v.str)
	case TypeBool:
		return strconv.FormatBool(v.num == 1)
	case TypeTime:
		return time.Unix(0, v.ns).UTC().Format(time.RFC3339Nano)
	}
	return "(missing)"
}

// MarshalJSON encodes a number, text or bool as the JSON scalar, a time as
// an object holding its RFC 3339 text in UTC, {"time":
// "2026-03-04T14:15:00Z"}, and a missing value as null. Every value reads
// back with its type, so a stored record classifies and routes as it did
// before it was stored.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.typ {
	case TypeNumber:
		if math.IsInf(v.num, 0) {
			return nil, &revalign.FieldError{Pkg: pkg, Path: "value", Value: v.num, Reason: "infinite number has no JSON form"}
		}
		return []byte(strconv.FormatFloat(v.num, 'g', -1, 64)), nil
	case TypeText:
		return json.Marshal(v.str)
	case TypeBool:
		return []byte(strconv.FormatBool(v.num == 1)), nil
	case TypeTime:
		return json.Marshal(jsonTime{Time: time.Unix(0, v.ns).UTC().Format(time.RFC3339Nano)})
	}
	return []byte("null"), nil
}

// jsonTime is the JSON form of a time value.
type jsonTime struct {
	Time string `json:"time"`
}

// UnmarshalJSON decodes a JSON number, string (text), bool, null (missing)
// or {"time": "<RFC 3339>"} (a time, read as [Time] reads it).
func (v *Value) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		*v = Value{}
	case s == "true" || s == "false":
		*v = Bool(s == "true")
	case strings.HasPrefix(s, "{"):
		var jt jsonTime
		if err := decodeStrict(b, &jt); err != nil {
			return &revalign.FieldError{Pkg: pkg, Path: "value", Value: s, Reason: `an object value must be {"time": "<RFC 3339 time>"}`}
		}
		t, err := time.Parse(time.RFC3339Nano, jt.Time)
		if err != nil {
			return &revalign.FieldError{Pkg: pkg, Path: "value.time", Value: jt.Time, Reason: "must be an RFC 3339 time"}
		}
		*v = Time(t)
	case strings.HasPrefix(s, `"`):
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		*v = Text(str)
	default:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) {
			return &revalign.FieldError{Pkg: pkg, Path: "value", Value: s, Reason: "must be a number, a string, a bool or null"}
		}
		*v = Number(f)
	}
	return nil
}

// Record is one lead, contact or account as the classifier sees it: an ID
// and one [Value] per signal of the model, in the order of Model.Signals.
// Build records with [Model.Record], or, on hot paths, allocate Values once
// with len(model.Signals) and fill slots found with [Model.SignalIndex].
type Record struct {
	// ID identifies the record in reports and errors (lead ID, contact ID).
	ID string `json:"id"`
	// Values holds the record's signals, indexed like Model.Signals.
	// Missing signals are zero Values.
	Values []Value `json:"values"`
}

// checkRecord reports a record whose values do not fit the signals. Its
// errors carry no package prefix: callers wrap them with the record ID.
func checkRecord(r *Record, sigs []Signal) error {
	if len(r.Values) != len(sigs) {
		return &revalign.FieldError{Path: "values", Value: len(r.Values),
			Reason: "record must carry one value per model signal (" + strconv.Itoa(len(sigs)) + ")"}
	}
	for i := range r.Values {
		if t := r.Values[i].typ; t != 0 && t != sigs[i].Type {
			return &revalign.FieldError{Path: sigs[i].Name, Value: t.String(),
				Reason: "signal is of type " + sigs[i].Type.String()}
		}
	}
	return nil
}

// Record builds a record from named signal values. Signals the map leaves
// out are missing. A name the model does not declare, or a value of the wrong
// type, is an error naming the signal: a typo in a pipeline would otherwise
// leave a signal silently missing.
func (m Model) Record(id string, facts map[string]Value) (Record, error) {
	r := Record{ID: id, Values: make([]Value, len(m.Signals))}
	var v revalign.Validator // wrapped below with the package and record ID
	for name, val := range facts {
		i := m.SignalIndex(name)
		if i < 0 {
			v.Add(name, nil, "unknown signal (not declared in the model)")
			continue
		}
		if val.typ != 0 && val.typ != m.Signals[i].Type {
			v.Add(name, val.typ.String(), "signal is of type "+m.Signals[i].Type.String())
			continue
		}
		r.Values[i] = val
	}
	if err := v.Err(); err != nil {
		return Record{}, fmt.Errorf("demandstate: record %s: %w", id, err)
	}
	return r, nil
}

// SignalIndex returns the position of the named signal in m.Signals, or -1.
func (m Model) SignalIndex(name string) int {
	for i := range m.Signals {
		if m.Signals[i].Name == name {
			return i
		}
	}
	return -1
}
