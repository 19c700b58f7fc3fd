package revalign

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is the sentinel every validation error in revalign matches with
// [errors.Is]. A failed Validate, a malformed record or an out-of-range
// argument all report errors for which errors.Is(err, ErrInvalid) is true.
var ErrInvalid = errors.New("invalid")

// FieldError reports one bad value in a configuration or a record: the
// package that found it, the path of the field, the value and the reason.
// Its message reads the same in every package:
//
//	icp: firmographic[2].weight: must be >= 0, got -3
//
// FieldError matches [ErrInvalid] under [errors.Is].
type FieldError struct {
	// Pkg is the package that reports the error, e.g. "icp". It may be empty.
	Pkg string
	// Path locates the field, e.g. "firmographic[2].weight". It may be empty
	// when the error concerns the whole value.
	Path string
	// Value is the offending value. A nil Value is left out of the message
	// (used for missing fields).
	Value any
	// Reason says what is wrong, e.g. "must be >= 0".
	Reason string
}

// Error formats the error as "pkg: path: reason, got value".
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Pkg != "" {
		b.WriteString(e.Pkg)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	if e.Value != nil {
		b.WriteString(", got ")
		switch v := e.Value.(type) {
		case string:
			fmt.Fprintf(&b, "%q", v)
		case fmt.Stringer:
			fmt.Fprintf(&b, "%q", v.String())
		default:
			fmt.Fprintf(&b, "%v", v)
		}
	}
	return b.String()
}

// Is reports whether target is [ErrInvalid].
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// Validator collects the field errors of one Validate call so that a user
// sees every problem at once, not only the first. The zero value is ready to
// use; set Pkg to prefix messages with the package name.
//
//	var v revalign.Validator
//	v.Pkg = "sla"
//	v.Check(p.AcceptanceRate >= 0 && p.AcceptanceRate <= 1, "marketing.acceptance_rate", p.AcceptanceRate, "must be in [0,1]")
//	return v.Err()
//
// A Validator is not safe for concurrent use.
type Validator struct {
	// Pkg prefixes every error the Validator records.
	Pkg  string
	errs []error
}

// Add records a field error.
func (v *Validator) Add(path string, value any, reason string) {
	v.errs = append(v.errs, &FieldError{Pkg: v.Pkg, Path: path, Value: value, Reason: reason})
}

// Check records a field error when ok is false and reports ok.
func (v *Validator) Check(ok bool, path string, value any, reason string) bool {
	if !ok {
		v.Add(path, value, reason)
	}
	return ok
}

// Nest records the errors of a nested Validate under prefix: a FieldError
// with path "weight" nested under "firmographic[2]" becomes
// "firmographic[2].weight". Other errors are wrapped with the prefix. A nil
// err records nothing.
func (v *Validator) Nest(prefix string, err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			v.Nest(prefix, e)
		}
		return
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		v.errs = append(v.errs, &FieldError{Pkg: v.Pkg, Path: JoinPath(prefix, fe.Path), Value: fe.Value, Reason: fe.Reason})
		return
	}
	if prefix == "" {
		v.errs = append(v.errs, err)
		return
	}
	v.errs = append(v.errs, &FieldError{Pkg: v.Pkg, Path: prefix, Reason: err.Error()})
}

// Len reports how many errors have been recorded.
func (v *Validator) Len() int { return len(v.errs) }

// Err returns the recorded errors joined with [errors.Join], or nil.
func (v *Validator) Err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return errors.Join(v.errs...)
}

// JoinPath joins two field paths: JoinPath("stages[1]", "owner.name") is
// "stages[1].owner.name" and JoinPath("tiers", "[0]") is "tiers[0]".
func JoinPath(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "":
		return prefix
	case path[0] == '[':
		return prefix + path
	default:
		return prefix + "." + path
	}
}

// Index returns the path of the i-th element of a list field: Index("tiers", 2)
// is "tiers[2]".
func Index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// RecordError reports one bad record of a batch: its ID and what is wrong.
// Batch functions return a RecordError for every record they cannot use and
// keep going, so nothing is dropped silently.
type RecordError struct {
	// ID is the record's identifier as the caller knows it (lead ID,
	// opportunity ID, journey ID, …), or "line N" when the record has none.
	ID string `json:"id"`
	// Err says what is wrong with the record.
	Err error `json:"-"`
}

// Error formats the error as "record ID: reason".
func (e RecordError) Error() string { return fmt.Sprintf("record %s: %v", e.ID, e.Err) }

// Unwrap returns the underlying error.
func (e RecordError) Unwrap() error { return e.Err }

// MarshalJSON encodes the error as {"id": …, "error": …} so that reports
// carrying record errors stay machine-readable.
func (e RecordError) MarshalJSON() ([]byte, error) {
	msg := ""
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return marshalJSON(struct {
		ID    string `json:"id"`
		Error string `json:"error"`
	}{e.ID, msg})
}

// UnmarshalJSON decodes the form written by MarshalJSON; the error text
// becomes a plain error.
func (e *RecordError) UnmarshalJSON(data []byte) error {
	var v struct {
		ID    string `json:"id"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	e.ID = v.ID
	e.Err = nil
	if v.Error != "" {
		e.Err = errors.New(v.Error)
	}
	return nil
}

func marshalJSON(v any) ([]byte, error) { return json.Marshal(v) }
