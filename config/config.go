package config

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Error is a configuration that could not be loaded: where, and why.
type Error struct {
	// File is the file name, or empty when decoding bytes.
	File string
	// Line and Column locate the problem (1-based); 0 when unknown.
	Line, Column int
	// Msg says what is wrong.
	Msg string
	// Err is the underlying error, when there is one.
	Err error
}

// Error formats the error as "file:line:column: message".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", e.Line, e.Column)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Validator is implemented by every revalign configuration struct.
type Validator interface {
	Validate() error
}

// Unmarshal decodes YAML or JSON data into v strictly and, when v implements
// [Validator], validates it. Errors are *Error values with line and column
// when the decoder knows them; a failed Validate is returned as is (it names
// the field and the value).
func Unmarshal(data []byte, v any) error {
	return decode("", data, v)
}

// Load reads the file at path and decodes it with [Unmarshal]; errors name
// the file.
func Load(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &Error{File: path, Msg: err.Error(), Err: err}
	}
	return decode(path, data, v)
}

// LoadFS is [Load] on a file system, for embedded or packaged configuration.
func LoadFS(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return &Error{File: name, Msg: err.Error(), Err: err}
	}
	return decode(name, data, v)
}

func decode(file string, data []byte, v any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return &Error{File: file, Msg: "empty configuration"}
	}
	if err := duplicateKeys(file, data); err != nil {
		return err
	}
	var err error
	if trimmed[0] == '{' || trimmed[0] == '[' {
		err = decodeJSON(file, data, v)
	} else if err = yaml.UnmarshalWithOptions(data, v, yaml.Strict(), yaml.UseJSONUnmarshaler()); err != nil {
		err = locate(file, data, err)
	} else {
		err = checkYAMLNumbers(file, data, v)
	}
	if err != nil {
		return err
	}
	if val, ok := v.(Validator); ok {
		if err := val.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// decodeJSON decodes a JSON document with encoding/json, which reads every
// JSON string escape the way the types' own UnmarshalJSON and UnmarshalText
// expect (json.Marshal writes "<" as "\u003c"). Errors get a line and
// column: from the decoder's offset for syntax and type errors, and from the
// YAML decoder, which knows positions, for unknown fields.
func decodeJSON(file string, data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		// encoding/json matches keys case-insensitively and lets the last of
		// two equal keys win; the YAML decoder, strict, does neither. Its
		// unknown-field and duplicate-key verdicts (with positions) count.
		scratch := reflect.New(reflect.TypeOf(v).Elem()).Interface()
		if yerr := yaml.UnmarshalWithOptions(data, scratch, yaml.Strict(), yaml.UseJSONUnmarshaler()); yerr != nil {
			var (
				unknown *yaml.UnknownFieldError
				dup     *yaml.DuplicateKeyError
			)
			if errors.As(yerr, &unknown) || errors.As(yerr, &dup) {
				return locate(file, data, yerr)
			}
		}
		if dec.More() {
			off := int(dec.InputOffset())
			for off < len(data) && (data[off] == ' ' || data[off] == '\t' || data[off] == '\n' || data[off] == '\r') {
				off++
			}
			line, col := position(data, off)
			return &Error{File: file, Line: line, Column: col, Msg: "unexpected data after the JSON document"}
		}
		return nil
	}
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn):
		line, col := position(data, int(syn.Offset)-1) // the offending byte
		return &Error{File: file, Line: line, Column: col, Msg: syn.Error(), Err: err}
	case errors.As(err, &typ):
		line, col := position(data, valueStart(data, int(typ.Offset)))
		return &Error{File: file, Line: line, Column: col, Msg: fmt.Sprintf("cannot unmarshal %s into %s of type %s", typ.Value, typ.Field, typ.Type), Err: err}
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		var scratch any = reflect.New(reflect.TypeOf(v).Elem()).Interface()
		if yerr := yaml.UnmarshalWithOptions(data, scratch, yaml.Strict(), yaml.UseJSONUnmarshaler()); yerr != nil {
			var ye yaml.Error
			if errors.As(yerr, &ye) && strings.Contains(ye.GetMessage(), "unknown field") {
				return locate(file, data, yerr)
			}
		}
		return &Error{File: file, Msg: strings.TrimPrefix(err.Error(), "json: "), Err: err}
	}
	return locate(file, data, err)
}

// duplicateKeys reports a key repeated in one mapping, which encoding/json
// would let through (the last one winning, silently); the YAML parser finds
// it, with its position.
func duplicateKeys(file string, data []byte) error {
	if _, err := parser.ParseBytes(data, 0); err != nil && strings.Contains(err.Error(), "already defined") {
		return locate(file, data, err)
	}
	return nil
}

// checkYAMLNumbers catches what the YAML decoder lets through: a number with
// a fraction decoded into an integer field (13.9 read as 13). It decodes the
// document again through encoding/json, which refuses that, and reports the
// field with its position.
func checkYAMLNumbers(file string, data []byte, v any) error {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil // the YAML decoder accepted it; nothing more to say
	}
	scratch := reflect.New(reflect.TypeOf(v).Elem()).Interface()
	var typ *json.UnmarshalTypeError
	if err := json.Unmarshal(js, scratch); !errors.As(err, &typ) || !strings.HasPrefix(typ.Value, "number") {
		return nil
	}
	switch typ.Type.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
	default:
		return nil
	}
	ptr := reflect.PointerTo(typ.Type)
	if ptr.Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) || ptr.Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil // the type reads its own text (an enum given by number)
	}
	e := &Error{File: file, Msg: fmt.Sprintf("%s: want a whole number, got %s", typ.Field, strings.TrimPrefix(typ.Value, "number ")), Err: err}
	if p, perr := yaml.PathString("$." + typ.Field); perr == nil {
		if f, ferr := parser.ParseBytes(data, 0); ferr == nil {
			if n, nerr := p.FilterFile(f); nerr == nil && n != nil {
				if tk := n.GetToken(); tk != nil && tk.Position != nil {
					e.Line, e.Column = tk.Position.Line, tk.Position.Column
				}
			}
		}
	}
	return e
}

// valueStart finds where the scalar that ends just before end begins: the
// opening quote of a string, the first character of a number or literal.
func valueStart(data []byte, end int) int {
	i := min(end, len(data)) - 1
	if i < 0 {
		return 0
	}
	if data[i] == '"' {
		for j := i - 1; j >= 0; j-- {
			if data[j] == '"' && (j == 0 || data[j-1] != '\\') {
				return j
			}
		}
		return i
	}
	for i > 0 && strings.IndexByte("0123456789abcdefghijklmnopqrstuvwxyz.+-E", data[i-1]) >= 0 {
		i--
	}
	return i
}

// position converts a byte offset into a 1-based line and column.
func position(data []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(data))
	line = 1 + bytes.Count(data[:offset], []byte("\n"))
	col = offset - bytes.LastIndexByte(data[:offset], '\n')
	return line, col
}

// locate turns a decoder error into an *Error with a position. Errors raised
// by a type's own UnmarshalJSON or UnmarshalText carry no position; for those
// the first scalar of the document whose quoted text appears in the message
// is taken as the place (revalign's field errors quote the bad value).
func locate(file string, data []byte, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		e := &Error{File: file, Msg: ye.GetMessage(), Err: err}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
		return e
	}
	e := &Error{File: file, Msg: err.Error(), Err: err}
	if f, perr := parser.ParseBytes(data, 0); perr == nil {
		msg := err.Error()
		for _, doc := range f.Docs {
			found := false
			ast.Walk(visitor(func(n ast.Node) bool {
				if found {
					return false
				}
				if s, ok := n.(ast.ScalarNode); ok {
					if _, isKey := n.(*ast.MappingKeyNode); isKey {
						return true
					}
					text := fmt.Sprint(s.GetValue())
					if text != "" && strings.Contains(msg, strconv.Quote(text)) {
						tk := n.GetToken()
						if tk != nil && tk.Position != nil {
							e.Line, e.Column = tk.Position.Line, tk.Position.Column
							found = true
						}
					}
				}
				return true
			}), doc)
			if found {
				break
			}
		}
	}
	return e
}

type visitor func(ast.Node) bool

func (f visitor) Visit(n ast.Node) ast.Visitor {
	if f(n) {
		return f
	}
	return nil
}
