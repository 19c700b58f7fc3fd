package icp_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/icp"
)

func TestValueConstructors(t *testing.T) {
	tests := []struct {
		v    icp.Value
		kind icp.Kind
		str  string
	}{
		{icp.Value{}, icp.Missing, "(missing)"},
		{icp.Text("Software"), icp.TextKind, "Software"},
		{icp.Text("  "), icp.Missing, "(missing)"},
		{icp.Number(1200), icp.NumberKind, "1200"},
		{icp.Number(0), icp.NumberKind, "0"},
		{icp.Number(math.NaN()), icp.Missing, "(missing)"},
		{icp.List([]string{"Workday", "Slack"}), icp.ListKind, "Workday; Slack"},
		{icp.List([]string{}), icp.Missing, "(missing)"},
		{icp.Bool(false), icp.BoolKind, "false"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.kind, tt.v.Kind(), tt.str)
		assert.Equal(t, tt.str, tt.v.String())
		assert.Equal(t, tt.kind == icp.Missing, tt.v.IsMissing())
	}
	s, ok := icp.Text("x").AsText()
	assert.True(t, ok)
	assert.Equal(t, "x", s)
	_, ok = icp.Number(1).AsText()
	assert.False(t, ok)
	n, ok := icp.Number(2.5).AsNumber()
	assert.True(t, ok)
	assert.Equal(t, 2.5, n)
	l, ok := icp.List([]string{"a"}).AsList()
	assert.True(t, ok)
	assert.Equal(t, []string{"a"}, l)
	b, ok := icp.Bool(true).AsBool()
	assert.True(t, ok && b)
	_, ok = icp.Text("true").AsBool()
	assert.False(t, ok)
	assert.Equal(t, "missing text number list bool Kind(9)",
		icp.Missing.String()+" "+icp.TextKind.String()+" "+icp.NumberKind.String()+" "+icp.ListKind.String()+" "+icp.BoolKind.String()+" "+icp.Kind(9).String())
}

func TestValueJSON(t *testing.T) {
	lead := icp.Lead{ID: "L1", Attributes: map[string]icp.Value{
		"industry": icp.Text("Software"), "employee_count": icp.Number(1200), "technographics": icp.List([]string{"Workday"}),
		"is_customer": icp.Bool(false), "region": {},
	}}
	b, err := json.Marshal(lead)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"L1","attributes":{"industry":"Software","employee_count":1200,"technographics":["Workday"],"is_customer":false,"region":null}}`, string(b))
	var back icp.Lead
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, lead, back)

	var v icp.Value
	require.NoError(t, json.Unmarshal([]byte(`""`), &v))
	assert.True(t, v.IsMissing(), "blank text is missing")
	require.NoError(t, json.Unmarshal([]byte(`[]`), &v))
	assert.True(t, v.IsMissing(), "an empty list is missing")
	assert.ErrorContains(t, json.Unmarshal([]byte(`[1, 2]`), &v), "a list holds only strings")
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"a": 1}`), &v), "want a string, number, list, boolean or null")
	assert.Error(t, v.UnmarshalJSON(nil))
	_, err = icp.Number(math.Inf(1)).MarshalJSON()
	assert.Error(t, err)
}

// FuzzValueJSON parses arbitrary JSON as a value: no panic, and whatever
// parses encodes back to an equal value.
func FuzzValueJSON(f *testing.F) {
	for _, s := range []string{`"Software"`, `12.5`, `["a","b"]`, `true`, `null`, `""`, `[]`, `{"x":1}`, `[1]`, `-0`, `1e400`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v icp.Value
		if err := json.Unmarshal(data, &v); err != nil {
			return
		}
		b, err := json.Marshal(v)
		require.NoError(t, err)
		var back icp.Value
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, v.Kind(), back.Kind())
		require.Equal(t, v.String(), back.String())
	})
}

func TestSchema(t *testing.T) {
	s := icp.Schema{"industry", "country"}
	assert.Equal(t, 1, s.Index("country"))
	assert.Equal(t, -1, s.Index("Country"), "field names are exact")
	r := s.Record(icp.Lead{ID: "L1", Attributes: map[string]icp.Value{"country": icp.Text("US"), "other": icp.Text("x")}})
	assert.Equal(t, icp.Record{ID: "L1", Values: []icp.Value{{}, icp.Text("US")}}, r)
	assert.Equal(t, icp.Schema{"industry", "employee_count", "technographics", "seniority", "is_customer", "email", "country"}, validModel().Fields())
}
