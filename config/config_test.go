package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

type tier struct {
	Name string  `json:"name"`
	Min  float64 `json:"min"`
}

type model struct {
	Name      string                  `json:"name"`
	Effective time.Time               `json:"effective"`
	Budget    decimal.Decimal         `json:"budget"`
	Owner     revalign.Owner          `json:"owner"`
	Calendar  revalign.FiscalCalendar `json:"calendar"`
	Tiers     []tier                  `json:"tiers"`
}

func (m model) Validate() error {
	v := revalign.Validator{Pkg: "test"}
	for i, t := range m.Tiers {
		v.Check(t.Min >= 0, revalign.Index("tiers", i)+".min", t.Min, "must be >= 0")
	}
	return v.Err()
}

const goodYAML = `name: default
effective: 2026-01-01T00:00:00Z
budget: "1250.50"
owner: {name: Dana Reyes, team: marketing}
calendar: {start_month: 2, week_start: monday, time_zone: America/New_York}
tiers:
  - name: A
    min: 80
`

const goodJSON = `{"name": "default", "effective": "2026-01-01T00:00:00Z", "budget": "1250.50",
 "owner": {"name": "Dana Reyes", "team": "marketing"},
 "calendar": {"start_month": 2, "week_start": "monday", "time_zone": "America/New_York"},
 "tiers": [{"name": "A", "min": 80}]}`

func TestUnmarshalGood(t *testing.T) {
	for name, src := range map[string]string{"yaml": goodYAML, "json": goodJSON} {
		t.Run(name, func(t *testing.T) {
			var m model
			require.NoError(t, config.Unmarshal([]byte(src), &m))
			assert.Equal(t, "default", m.Name)
			assert.True(t, m.Budget.Equal(decimal.RequireFromString("1250.50")))
			assert.Equal(t, revalign.Owner{Name: "Dana Reyes", Team: revalign.Marketing}, m.Owner)
			assert.Equal(t, time.February, m.Calendar.StartMonth)
			assert.Equal(t, time.Monday, m.Calendar.WeekStart)
			assert.Equal(t, "America/New_York", m.Calendar.Location.String())
			assert.Equal(t, []tier{{"A", 80}}, m.Tiers)
			assert.Equal(t, 2026, m.Effective.Year())
		})
	}
}

func TestUnmarshalStrictErrors(t *testing.T) {
	cases := []struct {
		name       string
		src        string
		line, col  int
		msgContain string
	}{
		{"unknown top-level field", "name: x\nbugdet: 3\n", 2, 1, `unknown field "bugdet"`},
		{"unknown nested field", "name: x\ntiers:\n  - name: A\n    minn: 3\n", 4, 5, `unknown field "minn"`},
		{"type error", "name: x\ntiers:\n  - name: A\n    min: high\n", 4, 10, "cannot unmarshal"},
		{"json unknown field", "{\"name\": \"x\",\n \"tiers\": [{\"name\": \"A\", \"extra\": 1}]}", 2, 26, `unknown field "extra"`},
		{"syntax", "name: [1,2\n", 1, 7, "]"},
		{"custom type error located by value", "name: x\ncalendar:\n  time_zone: Mars/Olympus\n", 3, 14, "unknown IANA time zone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var m model
			err := config.Unmarshal([]byte(tc.src), &m)
			var ce *config.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.line, ce.Line, "line")
			assert.Equal(t, tc.col, ce.Column, "column")
			assert.Contains(t, ce.Error(), tc.msgContain)
		})
	}
}

func TestUnmarshalRunsValidate(t *testing.T) {
	var m model
	err := config.Unmarshal([]byte("name: x\ntiers:\n  - {name: A, min: -1}\n"), &m)
	require.Error(t, err)
	assert.True(t, errors.Is(err, revalign.ErrInvalid))
	assert.EqualError(t, err, "test: tiers[0].min: must be >= 0, got -1")
}

func TestEmpty(t *testing.T) {
	var m model
	assert.ErrorContains(t, config.Unmarshal([]byte("  \n"), &m), "empty configuration")
}

func TestLoadNamesFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "model.yaml")
	require.NoError(t, os.WriteFile(p, []byte("name: x\nbogus: 1\n"), 0o600))
	var m model
	err := config.Load(p, &m)
	assert.EqualError(t, err, p+`:2:1: unknown field "bogus"`)

	err = config.Load(filepath.Join(dir, "missing.yaml"), &m)
	var ce *config.Error
	require.ErrorAs(t, err, &ce)
	assert.ErrorIs(t, err, os.ErrNotExist)

	require.NoError(t, os.WriteFile(p, []byte(goodYAML), 0o600))
	require.NoError(t, config.LoadFS(os.DirFS(dir), "model.yaml", &m))
	assert.Equal(t, "default", m.Name)
}

func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte(goodYAML))
	f.Add([]byte(goodJSON))
	f.Add([]byte("tiers: [{min: x}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m model
		err := config.Unmarshal(data, &m)
		if err != nil {
			assert.NotEmpty(t, err.Error())
		}
	})
}

type op string

func (o *op) UnmarshalText(b []byte) error {
	if string(b) != ">=" && string(b) != "<" {
		return errors.New("unknown operator")
	}
	*o = op(b)
	return nil
}

type rule struct {
	Op    op      `json:"op"`
	Value float64 `json:"value"`
}

// json.Marshal escapes <, > and & in strings; a configuration written by Go
// must load back.
func TestJSONEscapesLoad(t *testing.T) {
	var r rule
	require.NoError(t, config.Unmarshal([]byte(`{"op": "\u003e=", "value": 3}`), &r))
	assert.Equal(t, op(">="), r.Op)
	require.NoError(t, config.Unmarshal([]byte("op: '<'\nvalue: 1\n"), &r))
	assert.Equal(t, op("<"), r.Op)
}

func TestJSONErrorPositions(t *testing.T) {
	cases := []struct {
		name, src string
		line, col int
		contains  string
	}{
		{"type", "{\"op\": \">=\",\n \"value\": \"x\"}", 2, 11, "cannot unmarshal string into value of type float64"},
		{"syntax", "{\"op\": \">=\",\n \"value\": 3,,}", 2, 13, "invalid character"},
		{"unknown", "{\"op\": \">=\",\n \"valu\": 3}", 2, 2, `unknown field "valu"`},
		{"trailing", "{\"op\": \">=\"}\n{}", 2, 1, "unexpected data after the JSON document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r rule
			err := config.Unmarshal([]byte(tc.src), &r)
			var ce *config.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.line, ce.Line, "line")
			assert.Equal(t, tc.col, ce.Column, "column")
			assert.Contains(t, ce.Error(), tc.contains)
		})
	}
	var r rule
	assert.ErrorContains(t, config.Unmarshal([]byte(`{"op": "=="}`), &r), "unknown operator")
}

type limits struct {
	Days  int     `json:"days"`
	Share float64 `json:"share"`
	Inner struct {
		Count int `json:"count"`
	} `json:"inner"`
}

func TestStrictKeysAndNumbers(t *testing.T) {
	cases := []struct {
		name, src string
		line, col int
		contains  string
	}{
		{"json key in the wrong case", "{\"days\": 3,\n \"DAYS\": 10}", 2, 2, `unknown field "DAYS"`},
		{"json duplicate key", "{\"days\": 3,\n \"days\": 10}", 2, 2, `mapping key "days" already defined`},
		{"yaml duplicate key", "days: 3\nshare: 1\ndays: 4\n", 3, 1, `mapping key "days" already defined`},
		{"yaml fraction into an int", "share: 0.5\ndays: 13.9\n", 2, 7, "days: want a whole number, got 13.9"},
		{"yaml fraction into a nested int", "inner:\n  count: 2.5\n", 2, 10, "inner.count: want a whole number, got 2.5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var l limits
			err := config.Unmarshal([]byte(tc.src), &l)
			var ce *config.Error
			require.ErrorAs(t, err, &ce)
			assert.Contains(t, ce.Error(), tc.contains)
			assert.Equal(t, tc.line, ce.Line, "line")
			assert.Equal(t, tc.col, ce.Column, "column")
		})
	}
	var l limits
	require.NoError(t, config.Unmarshal([]byte("days: 14\nshare: 0.5\ninner: {count: 3}\n"), &l))
	assert.Equal(t, 14, l.Days)
	require.NoError(t, config.Unmarshal([]byte(`{"days": 14, "share": 1e-1}`), &l))
}
