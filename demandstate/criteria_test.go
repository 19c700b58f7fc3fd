package demandstate_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	ds "github.com/revalign/revalign/demandstate"
)

var asOf = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)

// daysAgo is asOf minus d days of 24 hours.
func daysAgo(d float64) time.Time { return asOf.Add(-time.Duration(d * float64(24*time.Hour))) }

var testSignals = []ds.Signal{
	{Name: "n", Type: ds.TypeNumber},
	{Name: "t", Type: ds.TypeText},
	{Name: "b", Type: ds.TypeBool},
	{Name: "at", Type: ds.TypeTime},
}

// holds reports whether criterion c holds for the values, through a
// one-state classifier.
func holds(t *testing.T, c ds.Criterion, facts map[string]ds.Value) bool {
	t.Helper()
	m := ds.Model{Signals: testSignals, States: []ds.StateDef{{Name: "in", Entry: []ds.Criterion{c}, Owners: []ds.StateOwner{{Owner: mkt}}}}}
	cl, err := ds.NewClassifier(m)
	require.NoError(t, err)
	r, err := m.Record("r", facts)
	require.NoError(t, err)
	match, err := cl.Match(r, asOf)
	require.NoError(t, err)
	return match.Count == 1
}

func TestCriterionEvaluation(t *testing.T) {
	num, txt := ds.Number, ds.Text
	type facts = map[string]ds.Value
	tests := []struct {
		name  string
		c     ds.Criterion
		facts facts
		want  bool
	}{
		{"eq number", ds.Criterion{Signal: "n", Op: ds.Eq, Value: num(3)}, facts{"n": num(3)}, true},
		{"eq number differs", ds.Criterion{Signal: "n", Op: ds.Eq, Value: num(3)}, facts{"n": num(4)}, false},
		{"ne number", ds.Criterion{Signal: "n", Op: ds.Ne, Value: num(3)}, facts{"n": num(4)}, true},
		{"ne number missing", ds.Criterion{Signal: "n", Op: ds.Ne, Value: num(3)}, facts{}, false},
		{"gt", ds.Criterion{Signal: "n", Op: ds.Gt, Value: num(3)}, facts{"n": num(3)}, false},
		{"gte", ds.Criterion{Signal: "n", Op: ds.Gte, Value: num(3)}, facts{"n": num(3)}, true},
		{"lt", ds.Criterion{Signal: "n", Op: ds.Lt, Value: num(3)}, facts{"n": num(3)}, false},
		{"lte", ds.Criterion{Signal: "n", Op: ds.Lte, Value: num(3)}, facts{"n": num(3)}, true},
		{"gt missing", ds.Criterion{Signal: "n", Op: ds.Gt, Value: num(-1)}, facts{}, false},
		{"eq text", ds.Criterion{Signal: "t", Op: ds.Eq, Value: txt("hr")}, facts{"t": txt("hr")}, true},
		{"ne text", ds.Criterion{Signal: "t", Op: ds.Ne, Value: txt("hr")}, facts{"t": txt("it")}, true},
		{"ne text same", ds.Criterion{Signal: "t", Op: ds.Ne, Value: txt("hr")}, facts{"t": txt("hr")}, false},
		{"in", ds.Criterion{Signal: "t", Op: ds.In, Values: []string{"hr", "it"}}, facts{"t": txt("it")}, true},
		{"in absent value", ds.Criterion{Signal: "t", Op: ds.In, Values: []string{"hr", "it"}}, facts{"t": txt("finance")}, false},
		{"not_in", ds.Criterion{Signal: "t", Op: ds.NotIn, Values: []string{"hr", "it"}}, facts{"t": txt("finance")}, true},
		{"not_in member", ds.Criterion{Signal: "t", Op: ds.NotIn, Values: []string{"hr", "it"}}, facts{"t": txt("hr")}, false},
		{"not_in missing", ds.Criterion{Signal: "t", Op: ds.NotIn, Values: []string{"hr"}}, facts{}, false},
		{"eq bool true", ds.Criterion{Signal: "b", Op: ds.Eq, Value: ds.Bool(true)}, facts{"b": ds.Bool(true)}, true},
		{"eq bool false", ds.Criterion{Signal: "b", Op: ds.Eq, Value: ds.Bool(false)}, facts{"b": ds.Bool(true)}, false},
		{"eq bool missing is not false", ds.Criterion{Signal: "b", Op: ds.Eq, Value: ds.Bool(false)}, facts{}, false},
		{"ne bool", ds.Criterion{Signal: "b", Op: ds.Ne, Value: ds.Bool(false)}, facts{"b": ds.Bool(true)}, true},
		{"within", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 14}, facts{"at": ds.Time(daysAgo(13.9))}, true},
		{"within boundary", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 14}, facts{"at": ds.Time(daysAgo(14))}, true},
		{"within just past", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 14}, facts{"at": ds.Time(daysAgo(14).Add(-time.Nanosecond))}, false},
		{"within at asOf", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 14}, facts{"at": ds.Time(asOf)}, true},
		{"within future is not yet known", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 14}, facts{"at": ds.Time(asOf.Add(time.Hour))}, false},
		{"within missing", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 14}, facts{}, false},
		{"within zero time is missing", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 14}, facts{"at": ds.Time(time.Time{})}, false},
		{"not within old", ds.Criterion{Signal: "at", Op: ds.NotWithinDays, Days: 14}, facts{"at": ds.Time(daysAgo(15))}, true},
		{"not within recent", ds.Criterion{Signal: "at", Op: ds.NotWithinDays, Days: 14}, facts{"at": ds.Time(daysAgo(2))}, false},
		{"not within missing: never happened", ds.Criterion{Signal: "at", Op: ds.NotWithinDays, Days: 14}, facts{}, true},
		{"not within future", ds.Criterion{Signal: "at", Op: ds.NotWithinDays, Days: 14}, facts{"at": ds.Time(asOf.Add(time.Hour))}, true},
		{"fractional window", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 0.5}, facts{"at": ds.Time(asOf.Add(-11 * time.Hour))}, true},
		{"present", ds.Criterion{Signal: "t", Op: ds.Present}, facts{"t": txt("")}, true},
		{"present missing", ds.Criterion{Signal: "t", Op: ds.Present}, facts{}, false},
		{"absent", ds.Criterion{Signal: "n", Op: ds.Absent}, facts{}, true},
		{"absent present", ds.Criterion{Signal: "n", Op: ds.Absent}, facts{"n": num(0)}, false},
		{"nan is missing", ds.Criterion{Signal: "n", Op: ds.Absent}, facts{"n": ds.Number(nan())}, true},
		{"any one holds", ds.Criterion{Any: []ds.Criterion{{Signal: "n", Op: ds.Gt, Value: num(5)}, {Signal: "t", Op: ds.Eq, Value: txt("hr")}}},
			facts{"n": num(1), "t": txt("hr")}, true},
		{"any none holds", ds.Criterion{Any: []ds.Criterion{{Signal: "n", Op: ds.Gt, Value: num(5)}, {Signal: "t", Op: ds.Eq, Value: txt("hr")}}},
			facts{"n": num(1), "t": txt("it")}, false},
		{"all inside any", ds.Criterion{Any: []ds.Criterion{{All: []ds.Criterion{{Signal: "n", Op: ds.Gt, Value: num(0)}, {Signal: "b", Op: ds.Eq, Value: ds.Bool(true)}}}}},
			facts{"n": num(1), "b": ds.Bool(false)}, false},
		{"all holds", ds.Criterion{All: []ds.Criterion{{Signal: "n", Op: ds.Gt, Value: num(0)}, {Signal: "b", Op: ds.Eq, Value: ds.Bool(true)}}},
			facts{"n": num(1), "b": ds.Bool(true)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, holds(t, tt.c, tt.facts), tt.c.String())
		})
	}
}

func nan() float64 { var z float64; return z / z }

func TestCriterionValidate(t *testing.T) {
	tests := []struct {
		name string
		c    ds.Criterion
		path string
	}{
		{"no signal", ds.Criterion{Op: ds.Present}, "states[0].entry[0].signal"},
		{"unknown signal", ds.Criterion{Signal: "zz", Op: ds.Present}, "states[0].entry[0].signal"},
		{"no op", ds.Criterion{Signal: "n"}, "states[0].entry[0].op"},
		{"unknown op", ds.Criterion{Signal: "n", Op: "about"}, "states[0].entry[0].op"},
		{"eq on time", ds.Criterion{Signal: "at", Op: ds.Eq, Value: ds.Number(1)}, "states[0].entry[0].op"},
		{"eq wrong operand type", ds.Criterion{Signal: "n", Op: ds.Eq, Value: ds.Text("3")}, "states[0].entry[0].value"},
		{"eq without operand", ds.Criterion{Signal: "b", Op: ds.Eq}, "states[0].entry[0].value"},
		{"gt on text", ds.Criterion{Signal: "t", Op: ds.Gt, Value: ds.Number(1)}, "states[0].entry[0].op"},
		{"gt without number", ds.Criterion{Signal: "n", Op: ds.Gt}, "states[0].entry[0].value"},
		{"in on number", ds.Criterion{Signal: "n", Op: ds.In, Values: []string{"1"}}, "states[0].entry[0].op"},
		{"in without values", ds.Criterion{Signal: "t", Op: ds.In}, "states[0].entry[0].values"},
		{"in with a value", ds.Criterion{Signal: "t", Op: ds.In, Values: []string{"a"}, Value: ds.Text("a")}, "states[0].entry[0].value"},
		{"within on bool", ds.Criterion{Signal: "b", Op: ds.WithinDays, Days: 3}, "states[0].entry[0].op"},
		{"within without days", ds.Criterion{Signal: "at", Op: ds.WithinDays}, "states[0].entry[0].days"},
		{"within negative days", ds.Criterion{Signal: "at", Op: ds.NotWithinDays, Days: -1}, "states[0].entry[0].days"},
		{"within huge days", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 1e9}, "states[0].entry[0].days"},
		{"within with values", ds.Criterion{Signal: "at", Op: ds.WithinDays, Days: 3, Values: []string{"x"}}, "states[0].entry[0].values"},
		{"eq with days", ds.Criterion{Signal: "n", Op: ds.Eq, Value: ds.Number(1), Days: 3}, "states[0].entry[0].days"},
		{"present with value", ds.Criterion{Signal: "n", Op: ds.Present, Value: ds.Number(1)}, "states[0].entry[0].value"},
		{"leaf and group", ds.Criterion{Signal: "n", Op: ds.Present, Any: []ds.Criterion{{Signal: "n", Op: ds.Absent}}}, "states[0].entry[0]"},
		{"two groups", ds.Criterion{All: []ds.Criterion{{Signal: "n", Op: ds.Absent}}, Any: []ds.Criterion{{Signal: "n", Op: ds.Absent}}}, "states[0].entry[0]"},
		{"empty group", ds.Criterion{Any: []ds.Criterion{}}, "states[0].entry[0].any"},
		{"bad member", ds.Criterion{All: []ds.Criterion{{Signal: "n", Op: ds.Absent}, {Signal: "q", Op: ds.Absent}}}, "states[0].entry[0].all[1].signal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ds.Model{Signals: testSignals, States: []ds.StateDef{{Name: "s", Entry: []ds.Criterion{tt.c}, Owners: []ds.StateOwner{{Owner: mkt}}}}}
			assert.Equal(t, []string{tt.path}, fieldPaths(t, m.Validate()))
			_, err := ds.NewClassifier(m)
			assert.ErrorIs(t, err, revalign.ErrInvalid)
		})
	}
}

func TestCriterionString(t *testing.T) {
	tests := []struct {
		c    ds.Criterion
		want string
	}{
		{ds.Criterion{Signal: "pricing_page_at", Op: ds.WithinDays, Days: 14}, "pricing_page_at within 14 days"},
		{ds.Criterion{Signal: "x", Op: ds.NotWithinDays, Days: 1}, "x not within 1 day"},
		{ds.Criterion{Signal: "role", Op: ds.In, Values: []string{"hr", "it"}}, "role in [hr, it]"},
		{ds.Criterion{Signal: "budget", Op: ds.Eq, Value: ds.Bool(true)}, "budget eq true"},
		{ds.Criterion{Signal: "region", Op: ds.Ne, Value: ds.Text("EMEA")}, `region ne "EMEA"`},
		{ds.Criterion{Signal: "x", Op: ds.Absent}, "x absent"},
		{ds.Criterion{Any: []ds.Criterion{{Signal: "a", Op: ds.Present}, {All: []ds.Criterion{{Signal: "b", Op: ds.Gt, Value: ds.Number(2.5)}}}}},
			"any(a present, all(b gt 2.5))"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.c.String())
	}
}

func TestValue(t *testing.T) {
	at := time.Date(2026, 3, 4, 9, 15, 0, 0, time.FixedZone("EST", -5*3600))
	tm, ok := ds.Time(at).Time()
	assert.True(t, ok)
	assert.True(t, at.Equal(tm))
	_, ok = ds.Number(1).Time()
	assert.False(t, ok)
	s, ok := ds.Text("x").Text()
	assert.Equal(t, "x", s)
	assert.True(t, ok)
	f, ok := ds.Number(2.5).Number()
	assert.Equal(t, 2.5, f)
	assert.True(t, ok)
	assert.Equal(t, ds.TypeTime, ds.Time(at).Type())
	assert.Equal(t, "2026-03-04T14:15:00Z", ds.Time(at).String())
	assert.Equal(t, "(missing)", ds.Value{}.String())
	assert.Equal(t, "missing", ds.Value{}.Type().String())

	for _, v := range []ds.Value{ds.Number(-1.25), ds.Text("a\"b"), ds.Bool(true), ds.Bool(false), {}} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		var back ds.Value
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, v, back, string(b))
	}
	b, err := json.Marshal(ds.Time(at))
	require.NoError(t, err)
	assert.Equal(t, `{"time":"2026-03-04T14:15:00Z"}`, string(b))
	_, err = json.Marshal(ds.Number(1 / zero()))
	assert.ErrorIs(t, err, revalign.ErrInvalid)

	for _, typ := range []ds.Type{ds.TypeNumber, ds.TypeText, ds.TypeBool, ds.TypeTime} {
		b, err := typ.MarshalText()
		require.NoError(t, err)
		var back ds.Type
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, typ, back)
	}
	_, err = ds.Type(9).MarshalText()
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.Equal(t, "Type(9)", ds.Type(9).String())
}

func zero() float64 { return 0 }

// FuzzCriteriaJSON decodes arbitrary criteria JSON into a model and
// validates it: it must never panic, and an invalid criterion must be an
// error naming the field.
func FuzzCriteriaJSON(f *testing.F) {
	for _, s := range []string{
		`[{"signal":"at","op":"within_days","days":14}]`,
		`[{"signal":"n","op":"gte","value":3},{"signal":"t","op":"in","values":["a","b"]}]`,
		`[{"any":[{"signal":"b","op":"eq","value":true},{"all":[{"signal":"t","op":"absent"}]}]}]`,
		`[{"signal":"at","op":"within_dayz","days":14}]`,
		`[{"signal":"n","op":"eq","value":"3"}]`,
		`[{"any":[]}]`,
		`[{"signal":"x","op":"present","days":-1e308}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var cs []ds.Criterion
		if err := json.Unmarshal(data, &cs); err != nil {
			return
		}
		m := ds.Model{Signals: testSignals, States: []ds.StateDef{{Name: "s", Entry: cs, Owners: []ds.StateOwner{{Owner: mkt}}}}}
		err := m.Validate()
		if err == nil {
			cl, err := ds.NewClassifier(m)
			if len(cs) == 0 {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			r, _ := m.Record("r", map[string]ds.Value{"n": ds.Number(1), "at": ds.Time(asOf)})
			_, _ = cl.Classify(r, asOf)
			return
		}
		var fe *revalign.FieldError
		require.True(t, errors.As(err, &fe), "error %v names no field", err)
		require.NotEmpty(t, fe.Path)
	})
}
