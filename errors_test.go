package revalign_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func TestFieldErrorMessages(t *testing.T) {
	cases := []struct {
		err  revalign.FieldError
		want string
	}{
		{revalign.FieldError{Pkg: "icp", Path: "firmographic[2].weight", Value: -3, Reason: "must be >= 0"}, "icp: firmographic[2].weight: must be >= 0, got -3"},
		{revalign.FieldError{Pkg: "sla", Path: "owner", Reason: "missing"}, "sla: owner: missing"},
		{revalign.FieldError{Path: "name", Value: "", Reason: "must not be empty"}, `name: must not be empty, got ""`},
		{revalign.FieldError{Reason: "empty model", Value: time.Monday}, `empty model, got "Monday"`},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.err.Error())
		assert.ErrorIs(t, &tc.err, revalign.ErrInvalid)
	}
}

type inner struct{ Weight float64 }

func (i inner) Validate() error {
	v := revalign.Validator{Pkg: "inner"}
	v.Check(i.Weight >= 0, "weight", i.Weight, "must be >= 0")
	return v.Err()
}

func TestValidatorNest(t *testing.T) {
	v := revalign.Validator{Pkg: "icp"}
	assert.NoError(t, v.Err())
	v.Nest("firmographic[0]", inner{1}.Validate())
	assert.Zero(t, v.Len())
	v.Nest("firmographic[1]", inner{-2}.Validate())
	v.Nest("owner", revalign.Owner{}.Validate())
	v.Nest("calendar", fmt.Errorf("plain error"))
	v.Nest("", fmt.Errorf("top"))
	assert.False(t, v.Check(false, "tiers", "[]", "need a tier"))
	assert.True(t, v.Check(true, "tiers", nil, "unused"))
	err := v.Err()
	require.Error(t, err)
	assert.Equal(t, 6, v.Len())
	assert.Equal(t, "icp: firmographic[1].weight: must be >= 0, got -2\n"+
		"icp: owner.name: owner needs a name, got \"\"\n"+
		"icp: owner.team: owner needs a team, got \"\"\n"+
		"icp: calendar: plain error\n"+
		"top\n"+
		"icp: tiers: need a tier, got \"[]\"", err.Error())
	var fe *revalign.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "firmographic[1].weight", fe.Path)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestPaths(t *testing.T) {
	assert.Equal(t, "stages[1].owner.name", revalign.JoinPath("stages[1]", "owner.name"))
	assert.Equal(t, "tiers[0]", revalign.JoinPath("tiers", "[0]"))
	assert.Equal(t, "a", revalign.JoinPath("", "a"))
	assert.Equal(t, "a", revalign.JoinPath("a", ""))
	assert.Equal(t, "tiers[2]", revalign.Index("tiers", 2))
}

func TestRecordError(t *testing.T) {
	e := revalign.RecordError{ID: "L00042", Err: errors.New("first touch before MQL")}
	assert.Equal(t, "record L00042: first touch before MQL", e.Error())
	assert.Equal(t, e.Err, errors.Unwrap(e))
	b, err := json.Marshal([]revalign.RecordError{e})
	require.NoError(t, err)
	assert.JSONEq(t, `[{"id":"L00042","error":"first touch before MQL"}]`, string(b))
	var back []revalign.RecordError
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "record L00042: first touch before MQL", back[0].Error())
	assert.Error(t, json.Unmarshal([]byte(`{"id": 3}`), &back[0]))
}

func TestOwner(t *testing.T) {
	o := revalign.Owner{Name: "Dana Reyes", Team: revalign.Marketing}
	assert.NoError(t, o.Validate())
	assert.Equal(t, "Dana Reyes (marketing)", o.String())
	assert.Equal(t, "(nobody)", revalign.Owner{}.String())
	assert.True(t, revalign.Owner{}.IsZero())
	assert.False(t, revalign.Team(" sales").Valid())
	assert.True(t, revalign.Team("partnerships").Valid())
}
