package crm

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// ParseError reports a malformed value in a CSV export: the file, the line
// (1-based, the header is line 1), the column (1-based, counted in bytes as
// encoding/csv counts it: the same as characters for ASCII text), the
// column's name and the value. It matches [revalign.ErrInvalid] under errors.Is.
type ParseError struct {
	// File is the name of the file read.
	File string
	// Line is the 1-based line (the header is line 1).
	Line int
	// Column is the 1-based byte position of the value in its line; 0 when
	// the error concerns the whole line or file.
	Column int
	// ColumnName is the header of the column, when the error is a value's.
	ColumnName string
	// Value is the raw value that could not be read.
	Value string
	// Err says what is wrong.
	Err error
}

// Error formats the error as "file:line:column: column_name: reason, got value".
func (e *ParseError) Error() string {
	loc := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Column > 0 {
		loc += fmt.Sprintf(":%d", e.Column)
	}
	msg := loc + ": "
	if e.ColumnName != "" {
		msg += e.ColumnName + ": "
	}
	msg += e.Err.Error()
	if e.ColumnName != "" {
		msg += fmt.Sprintf(", got %q", e.Value)
	}
	return msg
}

// Unwrap returns the reason.
func (e *ParseError) Unwrap() error { return e.Err }

// Is reports whether target is [revalign.ErrInvalid].
func (e *ParseError) Is(target error) bool { return target == revalign.ErrInvalid }

// Record is the set of record types [Read] can decode.
type Record interface {
	Account | User | Lead | DemandStateChange | Event | Touch | Opportunity |
		StageChange | PipelineSnapshot | Forecast | CustomerEvent | ARRMovement |
		AccountUsage | ContentAsset | ContentUsage | Spend | ExchangeRate | Answer
}

// Read decodes a CSV export into records of type T. The header row names the
// columns, in any order; every column T declares must be present, and
// columns T does not know are ignored (exports carry more than revalign
// needs). A row with a malformed value is left out of the result and
// reported as a *ParseError naming file:line:column and the value; every bad
// row is reported (joined with errors.Join) and the good rows are returned,
// so nothing is dropped silently. file names the input in errors.
func Read[T Record](r io.Reader, file string) ([]T, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0 // every row must have as many fields as the header
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{File: file, Line: 1, Err: errors.New("empty file: no header row")}
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	nHeader := len(header)
	var zero T
	plan, err := planFor(reflect.TypeOf(zero), header, file)
	if err != nil {
		return nil, err
	}
	var (
		out  []T
		errs []error
	)
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount) {
				errs = append(errs, &ParseError{File: file, Line: pe.Line, Column: pe.Column,
					Err: fmt.Errorf("%w: the row has %d, the header %d", csv.ErrFieldCount, len(row), nHeader)})
				continue
			}
			errs = append(errs, csvError(file, err))
			if pe != nil {
				continue // a malformed line; the reader resumes at the next one
			}
			break // an I/O error
		}
		line, _ := cr.FieldPos(0)
		var rec T
		if rowErrs := plan.decode(reflect.ValueOf(&rec).Elem(), row, file, line, cr); len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		out = append(out, rec)
	}
	return out, errors.Join(errs...)
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: file, Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	return &ParseError{File: file, Err: err}
}

type fieldPlan struct {
	index    int // field index in the struct
	col      int // column index in the header
	name     string
	required bool
	kind     fieldKind
}

type fieldKind int

const (
	kString fieldKind = iota
	kZone             // an IANA time zone name
	kInt
	kBool
	kTime // a timestamp with a zone offset
	kDate // a calendar date
	kDecimal
	kNullDecimal
	kList
)

type plan struct {
	fields []fieldPlan
	zones  map[string]error // time zone names already checked
}

var (
	timeType        = reflect.TypeOf(time.Time{})
	decimalType     = reflect.TypeOf(decimal.Decimal{})
	nullDecimalType = reflect.TypeOf(decimal.NullDecimal{})
	stringsType     = reflect.TypeOf([]string(nil))
)

type columnSpec struct {
	index    int
	name     string
	required bool
	kind     fieldKind
}

var specCache sync.Map // reflect.Type → []columnSpec

func specsFor(t reflect.Type) []columnSpec {
	if v, ok := specCache.Load(t); ok {
		return v.([]columnSpec)
	}
	var specs []columnSpec
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("csv")
		if tag == "" || tag == "-" {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		s := columnSpec{index: i, name: name, required: opt == "required"}
		switch {
		case f.Type == timeType && (strings.HasSuffix(name, "_date") || name == "month"):
			s.kind = kDate
		case f.Type == timeType:
			s.kind = kTime
		case name == "time_zone":
			s.kind = kZone
		case f.Type == decimalType:
			s.kind = kDecimal
		case f.Type == nullDecimalType:
			s.kind = kNullDecimal
		case f.Type == stringsType:
			s.kind = kList
		case f.Type.Kind() == reflect.Int:
			s.kind = kInt
		case f.Type.Kind() == reflect.Bool:
			s.kind = kBool
		default:
			s.kind = kString
		}
		specs = append(specs, s)
	}
	specCache.Store(t, specs)
	return specs
}

func planFor(t reflect.Type, header []string, file string) (*plan, error) {
	specs := specsFor(t)
	used := make(map[string]bool, len(specs))
	for _, s := range specs {
		used[s.name] = true
	}
	cols := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !used[h] {
			continue // a column this record does not read, or an empty header
		}
		if _, dup := cols[h]; dup {
			return nil, &ParseError{File: file, Line: 1, Column: i + 1, ColumnName: h, Value: h, Err: errors.New("duplicate column")}
		}
		cols[h] = i
	}
	p := &plan{zones: map[string]error{}}
	var missing []string
	for _, s := range specs {
		c, ok := cols[s.name]
		if !ok {
			missing = append(missing, s.name)
			continue
		}
		p.fields = append(p.fields, fieldPlan{index: s.index, col: c, name: s.name, required: s.required, kind: s.kind})
	}
	if len(missing) > 0 {
		return nil, &ParseError{File: file, Line: 1, Err: fmt.Errorf("missing columns: %s", strings.Join(missing, ", "))}
	}
	return p, nil
}

func (p *plan) decode(rv reflect.Value, row []string, file string, line int, cr *csv.Reader) []error {
	var errs []error
	for _, f := range p.fields {
		raw := strings.TrimSpace(row[f.col]) // every row has the header's field count
		if raw == "" {
			if f.required {
				errs = append(errs, fieldErr(file, line, f, cr, raw, errors.New("required value is empty")))
			}
			continue
		}
		fv := rv.Field(f.index)
		if f.kind == kZone {
			zerr, seen := p.zones[raw]
			if !seen {
				if _, err := time.LoadLocation(raw); err != nil || raw == "Local" {
					zerr = errors.New("not an IANA time zone name")
				}
				p.zones[raw] = zerr
			}
			if zerr != nil {
				errs = append(errs, fieldErr(file, line, f, cr, raw, zerr))
				continue
			}
		}
		if err := setField(fv, f.kind, raw); err != nil {
			errs = append(errs, fieldErr(file, line, f, cr, raw, err))
		}
	}
	return errs
}

func fieldErr(file string, line int, f fieldPlan, cr *csv.Reader, raw string, err error) error {
	col := f.col + 1
	if l, c := cr.FieldPos(f.col); l > 0 {
		line, col = l, c
	}
	return &ParseError{File: file, Line: line, Column: col, ColumnName: f.name, Value: raw, Err: err}
}

func setField(fv reflect.Value, kind fieldKind, raw string) error {
	switch kind {
	case kString, kZone:
		fv.SetString(raw)
	case kInt:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return errors.New("not an integer")
		}
		fv.SetInt(int64(n))
	case kBool:
		b, err := ParseBool(raw)
		if err != nil {
			return err
		}
		fv.SetBool(b)
	case kTime:
		t, err := ParseTime(raw)
		if err != nil {
			return err
		}
		fv.Set(reflect.ValueOf(t))
	case kDate:
		t, err := ParseDate(raw)
		if err != nil {
			return err
		}
		fv.Set(reflect.ValueOf(t))
	case kDecimal, kNullDecimal:
		d, err := decimal.NewFromString(raw)
		if err != nil {
			return errors.New("not a decimal number")
		}
		if kind == kDecimal {
			fv.Set(reflect.ValueOf(d))
		} else {
			fv.Set(reflect.ValueOf(decimal.NullDecimal{Decimal: d, Valid: true}))
		}
	case kList:
		parts := strings.Split(raw, ";")
		out := make([]string, 0, len(parts))
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		fv.Set(reflect.ValueOf(out))
	}
	return nil
}

// ParseTime parses a timestamp column: RFC 3339 with a zone offset
// ("2026-03-04T09:15:00-05:00", fractional seconds allowed). A timestamp
// without a zone, or a bare date, is an error: the instant it names would
// depend on the reader's machine (a date-only mql_at would start an SLA
// clock at 19:00 the day before in New York).
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errors.New("not an ISO-8601 timestamp with zone (want 2006-01-02T15:04:05-07:00)")
	}
	return t, nil
}

// ParseDate parses a date column (close_date, month, …): a plain date
// ("2026-03-04", read as midnight UTC: place it in a zone with [DateIn]), or
// a timestamp with zone, of which the calendar date is kept.
func ParseDate(s string) (time.Time, error) {
	if len(s) == len(time.DateOnly) {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, errors.New("not a date (want YYYY-MM-DD)")
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errors.New("not a date (want YYYY-MM-DD)")
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// ParseBool parses "true"/"false" as exports write them, also "1"/"0" and
// "yes"/"no", case-insensitive.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "1", "yes", "y":
		return true, nil
	case "false", "0", "no", "n":
		return false, nil
	}
	return false, errors.New("not a boolean (want true or false)")
}

// DateIn returns midnight, in loc, of the calendar date a date column holds.
// Date columns (close_date, month, …) are read as midnight UTC; they name a
// day, not an instant, so converting them with t.In(loc) would move a deal
// closed on 1 May to 30 April in New York. Use DateIn to place them in a
// fiscal calendar's zone.
func DateIn(d time.Time, loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}
