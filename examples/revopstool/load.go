package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
	"github.com/revalign/revalign/demandstate"
	"github.com/revalign/revalign/examples/internal/fieldstone"
	"github.com/revalign/revalign/icp"
	"github.com/revalign/revalign/sla"
)

// A problem is one thing wrong, located as precisely as the check knows:
// the file, the line and column when the loader knows them, and the field
// by its path in the file.
type problem struct {
	File      string
	Line, Col int
	Field     string
	Msg       string
}

func (p problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// kind is one of the five configuration files the tool checks together.
type kind struct {
	key  string // flag name and base file name, "pact"
	what string // for people, "SLA pact"
	def  string // the sample's file in fieldstone
}

var kinds = []kind{
	{"pact", "SLA pact", fieldstone.PactFile},
	{"icp", "ICP model", fieldstone.RecalibratedICPFile},
	{"calibration", "ICP calibration", fieldstone.CalibrationFile},
	{"demandstate", "demand-state model", fieldstone.DemandStateFile},
	{"router", "demand-state router", fieldstone.RouterFile},
}

// source says where one configuration comes from: a path given as a flag
// or found in -dir, or the sample's embedded file.
type source struct {
	name string // as shown to people
	load func(v any) error
}

func fileSource(path string) source {
	return source{name: path, load: func(v any) error { return config.Load(path, v) }}
}

func sampleSource(name string) source {
	return source{name: fieldstone.Dir + "/" + name, load: func(v any) error { return config.LoadFS(fieldstone.FS(), name, v) }}
}

// findIn looks for the file of k in dir: k.yaml, k.yml or k.json, exactly
// one of them.
func findIn(dir string, k kind) (source, *problem) {
	var found []string
	for _, ext := range []string{".yaml", ".yml", ".json"} {
		p := filepath.Join(dir, k.key+ext)
		if _, err := os.Stat(p); err == nil {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return source{}, &problem{File: dir, Msg: fmt.Sprintf("no %s: looked for %s.yaml, %s.yml and %s.json", k.what, k.key, k.key, k.key)}
	case 1:
		return fileSource(found[0]), nil
	}
	return source{}, &problem{File: dir, Msg: fmt.Sprintf("two files for the %s, %s: keep one", k.what, strings.Join(found, " and "))}
}

// configs holds the five configurations; a nil one did not load, and the
// checks that need it are skipped.
type configs struct {
	files  map[string]string // by kind key
	pact   *sla.Pact
	icp    *icp.Model
	cal    *icp.Calibration
	states *demandstate.Model
	router *demandstate.Router
}

// base is the file name of a configuration without its directory, for
// messages about another file than the one they are reported on.
func (c *configs) base(kind string) string { return filepath.Base(c.files[kind]) }

// load reads every configuration from its source, strictly, and validates
// each on its own. A configuration that fails is reported and left nil.
func load(srcs map[string]source) (*configs, []problem) {
	c := &configs{files: map[string]string{}}
	var probs []problem
	for _, k := range kinds {
		c.files[k.key] = srcs[k.key].name
	}
	c.pact = loadOne[sla.Pact](srcs["pact"], &probs)
	c.icp = loadOne[icp.Model](srcs["icp"], &probs)
	c.cal = loadOne[icp.Calibration](srcs["calibration"], &probs)
	c.states = loadOne[demandstate.Model](srcs["demandstate"], &probs)
	c.router = loadOne[demandstate.Router](srcs["router"], &probs)
	if c.states != nil {
		// A state nothing can enter validates but never classifies a lead.
		if _, err := demandstate.NewClassifier(*c.states); err != nil {
			probs = append(probs, explain(c.files["demandstate"], err)...)
			c.states = nil
		}
	}
	return c, probs
}

func loadOne[T any](src source, probs *[]problem) *T {
	if src.load == nil { // not found; already reported
		return nil
	}
	var v T
	if err := src.load(&v); err != nil {
		*probs = append(*probs, explain(src.name, err)...)
		return nil
	}
	return &v
}

// explain turns a loading error into problems: a decoding error with its
// line and column, each field of a failed validation on a line of its own.
func explain(file string, err error) []problem {
	var ce *config.Error
	if errors.As(err, &ce) {
		field, msg := plainDecodeError(ce)
		return []problem{{File: file, Line: ce.Line, Col: ce.Column, Field: field, Msg: msg}}
	}
	var out []problem
	for _, e := range leaves(err) {
		var fe *revalign.FieldError
		if errors.As(e, &fe) {
			bare := *fe
			bare.Pkg, bare.Path = "", ""
			out = append(out, problem{File: file, Field: fe.Path, Msg: bare.Error()})
		} else {
			out = append(out, problem{File: file, Msg: e.Error()})
		}
	}
	return out
}

// leaves flattens errors joined with errors.Join.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

var unmarshalError = regexp.MustCompile(`cannot unmarshal (\w+) into (.+?) of type (\S+)`)

// plainDecodeError rewrites a decoder's message in a RevOps admin's terms:
// "cannot unmarshal string into Go struct field StateDef.states.entry.days
// of type float64" becomes field "states.entry.days", "want a number, got
// text". Go names in the path (Pact.MQL) say nothing to an admin and are
// dropped; the line and column point at the value.
func plainDecodeError(ce *config.Error) (field, plain string) {
	msg := strings.TrimPrefix(ce.Msg, "json: ")
	m := unmarshalError.FindStringSubmatch(msg)
	if m == nil {
		return "", msg
	}
	path := m[2] // "firmographic.points", "Go struct field StateDef.states.entry.days", "Go value"
	if p, ok := strings.CutPrefix(path, "Go struct field "); ok {
		_, path, _ = strings.Cut(p, ".")
	}
	if !strings.HasPrefix(path, "Go ") && strings.ToLower(path) == path {
		field = path
	}
	got := map[string]string{"string": "text", "number": "a number", "bool": "true or false", "array": "a list", "object": "a section"}[m[1]]
	if got == "" {
		got = m[1]
	}
	kind := goKind(m[3])
	var te *json.UnmarshalTypeError
	if errors.As(ce, &te) && te.Type != nil {
		kind = te.Type.Kind()
	}
	want := map[reflect.Kind]string{
		reflect.String: "text", reflect.Bool: "true or false", reflect.Slice: "a list", reflect.Array: "a list",
		reflect.Map: "a section of names and values", reflect.Struct: "a section",
	}[kind]
	if kind >= reflect.Int && kind <= reflect.Float64 {
		want = "a number"
	}
	if want == "" {
		want = "a " + m[3]
	}
	return field, fmt.Sprintf("want %s, got %s", want, got)
}

// goKind guesses the kind of a Go type from its name in a message; a named
// type from another package is taken for a struct (a section).
func goKind(name string) reflect.Kind {
	switch {
	case strings.HasPrefix(name, "float"):
		return reflect.Float64
	case strings.HasPrefix(name, "int"), strings.HasPrefix(name, "uint"):
		return reflect.Int
	case name == "string":
		return reflect.String
	case name == "bool":
		return reflect.Bool
	case strings.HasPrefix(name, "[]"):
		return reflect.Slice
	case strings.HasPrefix(name, "map["):
		return reflect.Map
	}
	return reflect.Struct
}
