package icp_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
	"github.com/revalign/revalign/icp"
)

func TestDefaultModel(t *testing.T) {
	m := icp.DefaultModel()
	require.NoError(t, m.Validate())
	assert.Equal(t, icp.Caps{Firmographic: 100, Technographic: 100, Behavioural: 100}, m.Caps)
	assert.Equal(t, icp.FitGate{MinFit: 50}, m.FitGate, "the gate is on by default")
	assert.Equal(t, []string{"A", "B", "C", "D"}, labels(m.Tiers))
	assert.Equal(t, []string{"student", "existing_customer"}, []string{m.Disqualifiers[0].ID, m.Disqualifiers[1].ID})
	assert.Empty(t, m.Firmographic, "only the teams can agree on fit")

	// Adding behaviour before fit does not validate: the seed's warning.
	m.Behavioural = []icp.Signal{{ID: "webinar", Event: "webinar", Points: 20}}
	err := m.Validate()
	assert.ErrorContains(t, err, "icp: firmographic: behavioural signals need at least one fit criterion with points")
	m.Technographic = []icp.Criterion{{ID: "hris", Field: "technographics", Op: icp.OpIn, Values: []string{"Workday"}, Points: 20}}
	assert.NoError(t, m.Validate())
}

func labels(bs []icp.Band) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Label)
	}
	return out
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *icp.Model)
		want   string
	}{
		{"name", func(m *icp.Model) { m.Name = " " }, `icp: name: model needs a name, got " "`},
		{"version", func(m *icp.Model) { m.Version = "" }, `icp: version: model needs a version, got ""`},
		{"effective date", func(m *icp.Model) { m.EffectiveDate = "2026-13-01" }, `icp: effective_date: must be a date YYYY-MM-DD, got "2026-13-01"`},
		{"criterion id", func(m *icp.Model) { m.Firmographic[0].ID = "" }, `icp: firmographic[0].id: needs an id without surrounding space, got ""`},
		{"duplicate id", func(m *icp.Model) { m.Technographic[0].ID = "industry" },
			`icp: technographic[0].id: duplicate id (also firmographic[0]), got "industry"`},
		{"duplicate id across kinds", func(m *icp.Model) { m.Behavioural[0].ID = "student" },
			`icp: disqualifiers[0].id: duplicate id (also behavioural[0]), got "student"`},
		{"field", func(m *icp.Model) { m.Firmographic[0].Field = "" }, `icp: firmographic[0].field: needs a field, got ""`},
		{"op", func(m *icp.Model) { m.Firmographic[0].Op = 0 }, `icp: firmographic[0].op: unknown op, got "Op(0)"`},
		{"values", func(m *icp.Model) { m.Firmographic[0].Values = nil }, `icp: firmographic[0].values: in needs at least one value`},
		{"blank value", func(m *icp.Model) { m.Firmographic[0].Values = []string{"Software", " "} }, `icp: firmographic[0].values[1]: must not be blank, got " "`},
		{"in with min", func(m *icp.Model) { m.Firmographic[0].Min = ptr(1) }, `icp: firmographic[0].min: in takes values, not min or max`},
		{"range without bounds", func(m *icp.Model) { m.Firmographic[1].Min, m.Firmographic[1].Max = nil, nil }, `icp: firmographic[1].min: range needs min, max or both`},
		{"range with values", func(m *icp.Model) { m.Firmographic[1].Values = []string{"x"} }, `icp: firmographic[1].values: range takes min and max, not values`},
		{"range reversed", func(m *icp.Model) { m.Firmographic[1].Min = ptr(6000) }, `icp: firmographic[1].max: must be >= min, got 5000`},
		{"range NaN", func(m *icp.Model) { m.Firmographic[1].Max = ptr(math.NaN()) }, `icp: firmographic[1].max: must be a finite number (leave max out for no upper bound), got NaN`},
		{"range infinite", func(m *icp.Model) { m.Firmographic[1].Min = ptr(math.Inf(-1)) }, `icp: firmographic[1].min: must be a finite number (leave min out for no lower bound), got -Inf`},
		{"is_true with values", func(m *icp.Model) { m.Disqualifiers[1].Values = []string{"yes"} }, `icp: disqualifiers[1].values: is_true takes no values, min or max`},
		{"points", func(m *icp.Model) { m.Firmographic[0].Points = math.Inf(1) }, `icp: firmographic[0].points: must be a number of points within ±1e9, got +Inf`},
		{"points too large", func(m *icp.Model) { m.Behavioural[1].Points = 2e9 }, `icp: behavioural[1].points: must be a number of points within ±1e9, got 2e+09`},
		{"signal event", func(m *icp.Model) { m.Behavioural[0].Event = "" }, `icp: behavioural[0].event: signal needs an event type, got ""`},
		{"signal cap", func(m *icp.Model) { m.Behavioural[0].Cap = -1 }, `icp: behavioural[0].cap: must be >= 0 (0: no cap), got -1`},
		{"half-life without days", func(m *icp.Model) { m.Behavioural[0].Decay = icp.Decay{Kind: icp.DecayHalfLife} },
			`icp: behavioural[0].decay.half_life_days: a half_life decay needs half_life_days > 0, got 0`},
		{"linear without lifespan", func(m *icp.Model) { m.Behavioural[0].Decay = icp.Decay{Kind: icp.DecayLinear} },
			`icp: behavioural[0].decay.lifespan_days: a linear decay needs lifespan_days > 0, got 0`},
		{"linear with half-life", func(m *icp.Model) {
			m.Behavioural[0].Decay = icp.Decay{Kind: icp.DecayLinear, LifespanDays: 90, HalfLifeDays: 30}
		}, `icp: behavioural[0].decay.half_life_days: a linear decay has no half-life, got 30`},
		{"none with half-life", func(m *icp.Model) { m.Behavioural[0].Decay = icp.Decay{HalfLifeDays: 30} },
			`icp: behavioural[0].decay.half_life_days: only a half_life decay has a half-life, got 30`},
		{"negative lifespan", func(m *icp.Model) { m.Behavioural[0].Decay = icp.Decay{LifespanDays: -1} },
			`icp: behavioural[0].decay.lifespan_days: must be >= 0 (0: no limit), got -1`},
		{"decay kind", func(m *icp.Model) { m.Behavioural[0].Decay.Kind = 9 }, `icp: behavioural[0].decay.kind: unknown decay kind, got "DecayKind(9)"`},
		{"cap", func(m *icp.Model) { m.Caps.Behavioural = 0 }, `icp: caps.behavioural: must be > 0, got 0`},
		{"gate on at 0", func(m *icp.Model) { m.FitGate.MinFit = 0 },
			`icp: fit_gate.min_fit: must be > 0 while the gate is on (set off: true to score behaviour regardless of fit), got 0`},
		{"gate that never opens", func(m *icp.Model) { m.FitGate.MinFit = 250 },
			`icp: fit_gate.min_fit: exceeds the most fit points the caps allow: the gate would never open, got 250`},
		{"tiers", func(m *icp.Model) { m.Tiers = nil }, `icp: tiers: needs at least one band`},
		{"tier order", func(m *icp.Model) { m.Tiers[1].Min = 150 }, `icp: tiers[1].min: thresholds must decrease from the first band to the last, got 150`},
		{"tier floor", func(m *icp.Model) { m.Tiers[3].Min = 10 }, `icp: tiers[3].min: the last band must start at 0 so that every score has one, got 10`},
		{"tier label", func(m *icp.Model) { m.Tiers[2].Label = "B" }, `icp: tiers[2].label: duplicate label, got "B"`},
		{"disqualified tier", func(m *icp.Model) { m.DisqualifiedTier = "D" }, `icp: disqualified_tier: must differ from every tier label, got "D"`},
		{"grid", func(m *icp.Model) { m.Grid.Engagement[0].Label = "" }, `icp: grid.engagement[0].label: needs a label, got ""`},
		{"demand state", func(m *icp.Model) { m.DemandStates[0].Min = math.NaN() }, `icp: demand_states[0].min: must be a number of points within ±1e9, got NaN`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validModel()
			require.NoError(t, m.Validate())
			tt.change(&m)
			err := m.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	m := validModel()
	m.Name, m.Caps.Firmographic, m.Tiers = "", -1, nil
	errs := err2list(m.Validate())
	assert.Len(t, errs, 3)
}

func err2list(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// validModel is a complete model, the way a team would write one.
func validModel() icp.Model {
	m := icp.DefaultModel()
	m.Name, m.Version, m.EffectiveDate = "Acme ICP", "2026.2", "2026-04-01"
	m.Firmographic = []icp.Criterion{
		{ID: "industry", Field: "industry", Op: icp.OpIn, Values: []string{"Software", "Healthcare"}, Points: 25},
		{ID: "employees", Field: "employee_count", Op: icp.OpRange, Min: ptr(200), Max: ptr(5000), Points: 25},
	}
	m.Technographic = []icp.Criterion{{ID: "hris", Field: "technographics", Op: icp.OpIn, Values: []string{"Workday", "BambooHR", "UKG"}, Points: 30}}
	m.Behavioural = []icp.Signal{
		{ID: "pricing", Event: "pricing_page", Points: 15, Cap: 30, Decay: icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 14}},
		{ID: "webinar", Event: "webinar", Points: 5, Cap: 10, Decay: icp.Decay{Kind: icp.DecayLinear, LifespanDays: 90}},
	}
	m.Disqualifiers = append(m.Disqualifiers,
		icp.Disqualifier{ID: "competitor", Field: "email", Op: icp.OpDomainIn, Values: []string{"rivalhr.com"}},
		icp.Disqualifier{ID: "unserved_country", Field: "country", Op: icp.OpNotIn, Values: []string{"US", "CA"}})
	return m
}

func TestModelJSONRoundTrip(t *testing.T) {
	m := validModel()
	m, err := m.Sign(icp.RoleCRO, "Dana Cole", time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"op":"domain_in"`)
	assert.Contains(t, string(b), `"decay":{"kind":"half_life","half_life_days":14}`)
	var back icp.Model
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, m, back)

	var viaConfig icp.Model
	require.NoError(t, config.Unmarshal(b, &viaConfig))
	assert.Equal(t, m, viaConfig)
}

const modelYAML = `
name: Acme ICP
version: "2026.2"
effective_date: "2026-04-01"
firmographic:
  - {id: industry, field: industry, op: in, values: [Software, Healthcare], points: 25}
  - {id: employees, field: employee_count, op: range, min: 200, max: 5000, points: 25}
technographic:
  - {id: hris, field: technographics, op: in, values: [Workday, BambooHR, UKG], points: 30}
behavioural:
  - {id: pricing, event: pricing_page, points: 15, cap: 30, decay: {kind: half_life, half_life_days: 14}}
  - {id: webinar, event: webinar, points: 5, cap: 10, decay: {kind: linear, lifespan_days: 90}}
disqualifiers:
  - {id: student, field: seniority, op: in, values: [student]}
  - {id: existing_customer, field: is_customer, op: is_true}
  - {id: competitor, field: email, op: domain_in, values: [rivalhr.com]}
  - {id: unserved_country, field: country, op: not_in, values: [US, CA]}
caps: {firmographic: 100, technographic: 100, behavioural: 100}
fit_gate: {min_fit: 50}
tiers: [{label: A, min: 140}, {label: B, min: 100}, {label: C, min: 50}, {label: D, min: 0}]
disqualified_tier: DQ
grid:
  fit: [{label: A, min: 70}, {label: B, min: 50}, {label: C, min: 0}]
  engagement: [{label: "1", min: 75}, {label: "2", min: 50}, {label: "3", min: 0}]
demand_states:
  - {label: decision-ready, min: 75}
  - {label: solution-aware, min: 50}
  - {label: problem-aware, min: 25}
  - {label: unaware, min: 0}
`

func TestModelLoadsStrictlyFromYAML(t *testing.T) {
	var m icp.Model
	require.NoError(t, config.Unmarshal([]byte(modelYAML), &m))
	assert.Equal(t, validModel(), m)

	var bad icp.Model
	err := config.Unmarshal([]byte(modelYAML+"thresholds: 3\n"), &bad)
	assert.ErrorContains(t, err, "unknown field \"thresholds\"")

	err = config.Unmarshal([]byte(`{"name": "x", "version": "1", "firmographic": [{"id": "a", "field": "f", "op": "inside", "points": 1}]}`), &bad)
	assert.ErrorContains(t, err, `unknown op "inside" (want one of in, not_in, range, is_true, is_false, domain_in)`)

	// A loaded model is validated.
	var empty icp.Model
	err = config.Unmarshal([]byte("name: x\nversion: \"1\"\n"), &empty)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestEnumText(t *testing.T) {
	for _, op := range []icp.Op{icp.OpIn, icp.OpNotIn, icp.OpRange, icp.OpIsTrue, icp.OpIsFalse, icp.OpDomainIn} {
		b, err := op.MarshalText()
		require.NoError(t, err)
		var back icp.Op
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, op, back)
		assert.Equal(t, string(b), op.String())
	}
	_, err := icp.Op(0).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "Op(42)", icp.Op(42).String())
	for _, st := range []icp.Status{icp.Matched, icp.Missed, icp.Unknown, icp.Counted, icp.Capped, icp.Floored, icp.Gated, icp.Disqualified} {
		b, err := st.MarshalText()
		require.NoError(t, err)
		var back icp.Status
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, st, back)
	}
	for _, g := range []icp.Group{icp.Firmographic, icp.Technographic, icp.Behavioural, icp.Total} {
		b, err := g.MarshalText()
		require.NoError(t, err)
		var back icp.Group
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, g, back)
	}
	var g icp.Group
	assert.Error(t, g.UnmarshalText([]byte("fit")))
	var k icp.DecayKind
	assert.ErrorContains(t, k.UnmarshalText([]byte("exponential")), `unknown decay kind "exponential"`)
}

// TestEnumErrorsAreInvalid checks that a name no enumeration value has, and
// a value that has no name, are validation errors like every other one
// (they match revalign.ErrInvalid), with their message unchanged: the
// accepted names are listed unquoted, so that the config loader finds the
// bad value by its quoted text. The expected messages are written out from
// the names each type documents.
func TestEnumErrorsAreInvalid(t *testing.T) {
	tests := []struct {
		name      string
		parse     func([]byte) error
		marshal   func() error
		bad       string
		parseMsg  string
		marshalMs string
	}{
		{"label",
			func(b []byte) error { var l icp.Label; return l.UnmarshalText(b) },
			func() error { _, err := icp.Label(9).MarshalText(); return err },
			"maybe", `icp: unknown label "maybe" (want one of positive, negative, half_negative, excluded)`, "icp: invalid label 9"},
		{"op",
			func(b []byte) error { var o icp.Op; return o.UnmarshalText(b) },
			func() error { _, err := icp.Op(0).MarshalText(); return err },
			"inside", `icp: unknown op "inside" (want one of in, not_in, range, is_true, is_false, domain_in)`, "icp: invalid op 0"},
		{"decay kind",
			func(b []byte) error { var k icp.DecayKind; return k.UnmarshalText(b) },
			func() error { _, err := icp.DecayKind(9).MarshalText(); return err },
			"exponential", `icp: unknown decay kind "exponential" (want one of none, half_life, linear)`, "icp: invalid decay kind 9"},
		{"group",
			func(b []byte) error { var g icp.Group; return g.UnmarshalText(b) },
			func() error { _, err := icp.Group(0).MarshalText(); return err },
			"fit", `icp: unknown group "fit" (want one of firmographic, technographic, behavioural, total)`, "icp: invalid group 0"},
		{"status",
			func(b []byte) error { var s icp.Status; return s.UnmarshalText(b) },
			func() error { _, err := icp.Status(0).MarshalText(); return err },
			"Matched", `icp: unknown status "Matched" (want one of matched, missed, unknown, counted, capped, floored, gated, disqualified)`, "icp: invalid status 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse([]byte(tt.bad))
			require.Error(t, err)
			assert.EqualError(t, err, tt.parseMsg)
			assert.ErrorIs(t, err, revalign.ErrInvalid)

			err = tt.parse(nil) // an empty name is no name either
			assert.ErrorIs(t, err, revalign.ErrInvalid)

			err = tt.marshal()
			require.Error(t, err)
			assert.EqualError(t, err, tt.marshalMs)
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			assert.False(t, errors.Is(err, revalign.ErrCurrency), "matches ErrInvalid only")
		})
	}

	// Through the decoders users call, the error still matches.
	var c icp.Criterion
	err := json.Unmarshal([]byte(`{"op": "inside"}`), &c)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	var m icp.Model
	err = config.Unmarshal([]byte(`{"name": "x", "version": "1", "firmographic": [{"id": "a", "field": "f", "op": "inside", "points": 1}]}`), &m)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.ErrorContains(t, err, `unknown op "inside"`)
	// In YAML the loader still places the error on the bad value.
	err = config.Unmarshal([]byte("name: x\nversion: \"1\"\nfirmographic:\n  - {id: a, field: f, op: inside, points: 1}\n"), &m)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	var ce *config.Error
	require.True(t, errors.As(err, &ce), "%T", err)
	assert.Equal(t, [2]int{4, 27}, [2]int{ce.Line, ce.Column}) // line 4, column of "inside"
}

func TestResultJSON(t *testing.T) {
	m, lead, evs := dqModel()
	res := score(t, m, lead, evs...)
	b, err := json.Marshal(res)
	require.NoError(t, err)
	assert.Contains(t, string(b), `{"group":"firmographic","id":"industry","status":"matched","points":50}`)
	assert.Contains(t, string(b), `{"group":"behavioural","id":"demo","status":"counted","points":60,"events":1}`)
	var back icp.Result
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, res, back)
	assert.Equal(t, "firmographic industry matched +50", res.Log[0].String())
	assert.Equal(t, "behavioural demo counted +60 (1 events)", res.Log[3].String())
	assert.Equal(t, "firmographic capped -30", icp.Entry{Group: icp.Firmographic, Status: icp.Capped, Points: -30}.String())
}

// FuzzModelJSON decodes arbitrary JSON as a model. Whatever decodes and
// validates must compile, score a lead without panicking, hash, and survive
// a JSON round trip unchanged.
func FuzzModelJSON(f *testing.F) {
	b, _ := json.Marshal(validModel())
	f.Add(b)
	b, _ = json.Marshal(icp.DefaultModel())
	f.Add(b)
	f.Add([]byte(`{"name":"x","version":"1","firmographic":[{"id":"a","field":"f","op":"range","min":1,"max":0,"points":1}]}`))
	// Long value lists whose items share slots of the lookup table: three
	// items in one slot used to panic at compile time.
	long := validModel()
	long.Firmographic[0].Values = []string{"Retail", "Rental", "Reseal", "Resell"}
	var codes []string
	for i := range 130 {
		codes = append(codes, string(rune('A'+i/26%26))+string(rune('A'+i%26)))
	}
	long.Disqualifiers = append(long.Disqualifiers, icp.Disqualifier{ID: "unserved", Field: "country", Op: icp.OpNotIn, Values: codes[:100]})
	b, _ = json.Marshal(long)
	f.Add(b)
	long.Disqualifiers[len(long.Disqualifiers)-1].Values = codes
	b, _ = json.Marshal(long)
	f.Add(b)
	f.Add([]byte(`{"behavioural":[{"id":"s","event":"e","points":1e308,"cap":1e-300,"decay":{"kind":"linear","lifespan_days":1e-300}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m icp.Model
		if err := json.Unmarshal(data, &m); err != nil {
			return
		}
		if err := m.Validate(); err != nil {
			require.ErrorIs(t, err, revalign.ErrInvalid)
			return
		}
		s, err := m.Compile(m.Fields())
		require.NoError(t, err)
		vals := make([]icp.Value, len(m.Fields()))
		for i := range vals {
			vals[i] = []icp.Value{icp.Text("Software"), icp.Number(300), icp.List([]string{"Workday"}), icp.Bool(true), {}}[i%5]
		}
		rec := icp.Record{ID: "x", Values: vals, Events: []icp.Event{{Type: "e", At: asOf.Add(-time.Hour)}, {Type: "webinar", At: asOf}}}
		res, err := s.Explain(rec, asOf, nil)
		if err == nil {
			require.GreaterOrEqual(t, res.Total, 0.0)
			require.NotEmpty(t, res.Tier)
		}
		if _, err := m.Hash(); err != nil {
			return // a number JSON cannot encode
		}
		out, err := json.Marshal(m)
		require.NoError(t, err)
		var back icp.Model
		require.NoError(t, json.Unmarshal(out, &back))
		require.Equal(t, icp.Diff(m, back), []icp.Change(nil))
	})
}
