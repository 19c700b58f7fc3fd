package main

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// fieldError is a bad request body: what is wrong, and where in the payload
// ("events[2].occurred_at"; empty for the body as a whole).
type fieldError struct {
	Field  string
	Reason string
}

func (e *fieldError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

// decodeStrict decodes the JSON object data into the struct v field by
// field, so that every problem names its place in the payload: an unknown
// field ("lead.lead_idd"), a value of the wrong type ("account.employee_count:
// want a number, got text") or one its type cannot parse
// ("events[2].occurred_at: want a timestamp …"). encoding/json reports a
// field without its index, and a timestamp or an amount it cannot parse
// without any field at all; a CRM admin reading the error needs the field.
//
// Structs are read by their json tags (no embedded structs); null leaves a
// field as it is.
func decodeStrict(data []byte, v any) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return &fieldError{Reason: "empty body: POST the lead record as a JSON object"}
	}
	if !json.Valid(data) {
		var syn *json.SyntaxError
		if err := json.Unmarshal(data, new(any)); errors.As(err, &syn) {
			return &fieldError{Reason: fmt.Sprintf("malformed JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))}
		}
		return &fieldError{Reason: "malformed JSON: the body ends before the document does"}
	}
	return decodeValue(data, "", reflect.ValueOf(v).Elem())
}

func decodeValue(data []byte, path string, v reflect.Value) error {
	switch {
	case string(data) == "null":
		return nil
	case v.Kind() == reflect.Struct && !decodesItself(v):
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return &fieldError{Field: path, Reason: "want an object, got " + jsonKind(data)}
		}
		fields := map[string]int{}
		for i := range v.NumField() {
			if name := jsonName(v.Type().Field(i)); name != "" {
				fields[name] = i
			}
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if _, ok := fields[k]; !ok {
				return &fieldError{Field: join(path, k), Reason: "unknown field"}
			}
		}
		for i := range v.NumField() {
			name := jsonName(v.Type().Field(i))
			if raw, ok := obj[name]; ok && name != "" {
				if err := decodeValue(raw, join(path, name), v.Field(i)); err != nil {
					return err
				}
			}
		}
		return nil
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct && !decodesItself(reflect.New(v.Type().Elem()).Elem()):
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return &fieldError{Field: path, Reason: "want a list, got " + jsonKind(data)}
		}
		s := reflect.MakeSlice(v.Type(), len(items), len(items))
		for i, raw := range items {
			if err := decodeValue(raw, fmt.Sprintf("%s[%d]", path, i), s.Index(i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	}
	if err := json.Unmarshal(data, v.Addr().Interface()); err != nil {
		return &fieldError{Field: path, Reason: "want " + describe(v.Type()) + ", got " + jsonKind(data)}
	}
	return nil
}

// decodesItself reports whether v's type reads its own JSON (a timestamp,
// an amount).
func decodesItself(v reflect.Value) bool {
	p := v.Addr().Interface()
	_, j := p.(json.Unmarshaler)
	_, t := p.(encoding.TextUnmarshaler)
	return j || t
}

// jsonName returns the name a struct field has in JSON, or "" when it has
// none.
func jsonName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch name {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return name
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// describe names what a field of type t accepts, for people.
func describe(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[time.Time]():
		return `a timestamp with its zone offset (RFC 3339, e.g. "2026-11-27T16:30:00-06:00")`
	case reflect.TypeFor[decimal.Decimal]():
		return `an amount (e.g. 25000000 or "25000000.00")`
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list of " + describe(t.Elem())
	}
	return t.String()
}

// jsonKind names the kind of a JSON value, for people.
func jsonKind(data []byte) string {
	switch data[0] {
	case '"':
		if len(data) > 40 {
			return "text " + string(data[:37]) + `…"`
		}
		return "text " + string(data)
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		return string(data)
	case 'n':
		return "null"
	}
	return "the number " + string(data)
}
