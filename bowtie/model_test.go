package bowtie_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
	"github.com/revalign/revalign/config"
)

func TestDefaultModel(t *testing.T) {
	m := bowtie.DefaultModel()
	require.NoError(t, m.Validate())
	names := []string{}
	for _, s := range m.Stages {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"Awareness", "Education", "Selection", "Commit", "Onboard", "Impact", "Growth"}, names)
	assert.Equal(t, 3, m.Knot())
	assert.Equal(t, "Commit", m.Stages[m.Knot()].Name)
	assert.Equal(t, revalign.Marketing, m.Stages[0].Primary().Team)
	assert.Equal(t, revalign.Sales, m.Stages[3].Primary().Team)
	for _, s := range m.Stages[4:] {
		assert.Equal(t, bowtie.Right, s.Side)
		assert.Equal(t, revalign.CustomerSuccess, s.Primary().Team, "the right side is owned by customer success")
		assert.Len(t, s.Secondary(), 1)
	}
	assert.Equal(t, "CR5", m.Stages[4].Metrics.Conversion)
	assert.Equal(t, 4, m.Index("Onboard"))
	assert.Equal(t, -1, m.Index("Nope"))
}

// fieldPaths returns the paths of the field errors in err.
func fieldPaths(t *testing.T, err error) []string {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, revalign.ErrInvalid)
	var out []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *revalign.FieldError
		require.True(t, errors.As(e, &fe), "%v", e)
		out = append(out, fe.Path)
	}
	return out
}

func TestModelValidateRejects(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(m *bowtie.Model)
		paths  []string
		reason string
	}{
		{"no primary owner", func(m *bowtie.Model) { m.Stages[4].Owners[0].Role = bowtie.Secondary },
			[]string{"stages[4].owners"}, "no primary owner"},
		{"two primaries", func(m *bowtie.Model) { m.Stages[2].Owners[1].Role = bowtie.Primary },
			[]string{"stages[2].owners[1].role"}, "exactly one primary"},
		{"no right side", func(m *bowtie.Model) {
			for i := range m.Stages {
				m.Stages[i].Side = bowtie.Left
			}
		}, []string{"stages"}, "right side has no stages"},
		{"no left side", func(m *bowtie.Model) {
			for i := range m.Stages {
				m.Stages[i].Side = bowtie.Right
			}
		}, []string{"stages"}, "left side has no stages"},
		{"handoff missing", func(m *bowtie.Model) { m.Stages[3].Handoff = nil },
			[]string{"stages[3].handoff"}, `handoff criteria to "Onboard" missing`},
		{"blank handoff", func(m *bowtie.Model) { m.Stages[0].Handoff = []string{" "} },
			[]string{"stages[0].handoff[0]"}, "blank"},
		{"sides out of order", func(m *bowtie.Model) { m.Stages[5].Side = bowtie.Left },
			[]string{"stages[5].side"}, "cannot follow a right stage"},
		{"unknown side", func(m *bowtie.Model) { m.Stages[1].Side = 0 },
			[]string{"stages[1].side"}, "left or right"},
		{"repeated name", func(m *bowtie.Model) { m.Stages[2].Name = "Awareness" },
			[]string{"stages[2].name"}, "repeats"},
		{"blank name", func(m *bowtie.Model) { m.Stages[2].Name = " Selection" },
			[]string{"stages[2].name"}, "non-blank"},
		{"no definition", func(m *bowtie.Model) { m.Stages[6].Definition = "" },
			[]string{"stages[6].definition"}, "definition"},
		{"repeated metric", func(m *bowtie.Model) { m.Stages[1].Metrics.Conversion = "CR1" },
			[]string{"stages[1].metrics.conversion"}, "already used"},
		{"missing metric", func(m *bowtie.Model) { m.Stages[1].Metrics.Time = "" },
			[]string{"stages[1].metrics.time"}, "required"},
		{"last stage conversion", func(m *bowtie.Model) { m.Stages[6].Metrics.Conversion = "CR7" },
			[]string{"stages[6].metrics"}, "last stage"},
		{"owner without name", func(m *bowtie.Model) { m.Stages[0].Owners[1].Name = "" },
			[]string{"stages[0].owners[1].name"}, "name"},
		{"owner twice", func(m *bowtie.Model) { m.Stages[0].Owners[1].Owner = m.Stages[0].Owners[0].Owner },
			[]string{"stages[0].owners[1]"}, "already listed"},
		{"unknown role", func(m *bowtie.Model) { m.Stages[0].Owners[1].Role = 7 },
			[]string{"stages[0].owners[1].role"}, "primary or secondary"},
		{"negative lost after", func(m *bowtie.Model) { m.Stages[0].LostAfterDays = -1 },
			[]string{"stages[0].lost_after_days"}, ">= 0"},
		{"one stage", func(m *bowtie.Model) { m.Stages = m.Stages[:1] },
			[]string{"stages"}, "at least two"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := cloneModel(bowtie.DefaultModel())
			tt.edit(&m)
			err := m.Validate()
			assert.Equal(t, tt.paths, fieldPaths(t, err))
			assert.Contains(t, err.Error(), tt.reason)
			assert.True(t, strings.HasPrefix(err.Error(), "bowtie: "), err.Error())
		})
	}
}

func TestModelValidateReportsEverything(t *testing.T) {
	m := cloneModel(bowtie.DefaultModel())
	m.Stages[4].Owners = nil
	m.Stages[1].Handoff = nil
	m.Stages[2].LostAfterDays = -5
	assert.Equal(t, []string{"stages[1].handoff", "stages[2].lost_after_days", "stages[4].owners"}, fieldPaths(t, m.Validate()))
}

func TestModelConfigurableStages(t *testing.T) {
	// A five-stage variant with other names and metric IDs.
	y := `
stages:
  - name: Lead
    side: left
    definition: a known contact
    handoff: [meets the MQL test]
    owners: [{name: Ann, team: marketing, role: primary}]
    metrics: {volume: M1, conversion: C1, time: T1}
    lost_after_days: 90
  - name: Won
    side: left
    definition: signed
    handoff: [kickoff booked]
    owners: [{name: Bo, team: sales, role: primary}, {name: Cy, team: customer-success, role: secondary}]
    metrics: {volume: M2, conversion: C2, time: T2}
  - name: Live
    side: right
    definition: in production
    handoff: [value confirmed]
    owners: [{name: Cy, team: customer-success, role: primary}]
    metrics: {volume: M3, conversion: C3, time: T3}
  - name: Renewed
    side: right
    definition: renewed once
    handoff: [second renewal]
    owners: [{name: Cy, team: customer-success, role: primary}]
    metrics: {volume: M4, conversion: C4, time: T4}
  - name: Advocate
    side: right
    definition: refers others
    owners: [{name: Cy, team: customer-success, role: primary}]
    metrics: {volume: M5}
`
	var m bowtie.Model
	require.NoError(t, config.Unmarshal([]byte(y), &m))
	assert.Len(t, m.Stages, 5)
	assert.Equal(t, 1, m.Knot())
	assert.Equal(t, bowtie.Secondary, m.Stages[1].Owners[1].Role)
	assert.Equal(t, revalign.Owner{Name: "Cy", Team: revalign.CustomerSuccess}, m.Stages[1].Secondary()[0])

	// Strict: an unknown field and a bad enum are errors; Validate runs.
	err := config.Unmarshal([]byte(strings.Replace(y, "lost_after_days", "lost_after_dayz", 1)), &m)
	assert.ErrorContains(t, err, "lost_after_dayz")
	err = config.Unmarshal([]byte(strings.Replace(y, "side: right", "side: middle", 1)), &m)
	assert.Error(t, err)
	err = config.Unmarshal([]byte(strings.Replace(y, "role: secondary", "role: primary", 1)), &m)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestJSONRoundTrip(t *testing.T) {
	roundTrip(t, bowtie.DefaultModel())
	roundTrip(t, bowtie.DefaultBenchmarks())
	roundTrip(t, bowtie.DefaultRules())
	cal := revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: time.UTC}
	roundTrip(t, bowtie.Options{Cohort: revalign.Quarter, Calendar: cal, MinSample: 30})
	roundTrip(t, craftedEconomics())
	roundTrip(t, bowtie.Economics{Currency: "JPY", AverageDealARR: dec("1200000"), AverageCustomerARR: dec("350000.5"), NRR: 1.07, Years: 3})
	roundTrip(t, bowtie.Economics{}) // "no economics" stays valid

	b, err := json.Marshal(bowtie.DefaultModel().Stages[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"side":"left"`)
	assert.Contains(t, string(b), `{"name":"VP Marketing","team":"marketing","role":"primary"}`)
	assert.Contains(t, string(b), `"lost_after_days":180`)
}

// roundTrip encodes v as JSON, loads it back strictly through config and
// checks that the value encodes the same (decimals compare by value: 1.10
// comes back as 1.1).
func roundTrip[T any](t *testing.T, v T) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, config.Unmarshal(b, &back), string(b))
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
}

func TestEnumsText(t *testing.T) {
	type enum interface {
		String() string
		MarshalText() ([]byte, error)
	}
	all := []enum{bowtie.Left, bowtie.Right, bowtie.Primary, bowtie.Secondary,
		bowtie.LowestConversion, bowtie.LargestGap, bowtie.LargestImpact,
		bowtie.NewLogo, bowtie.Expansion, bowtie.Contraction, bowtie.Churn, bowtie.Reactivation,
		bowtie.ReactivationExcluded, bowtie.ReactivationCounted,
		bowtie.PlayExpansion, bowtie.PlayRenewal, bowtie.PlaySave,
		bowtie.ActiveUsers, bowtie.UsageGrowth, bowtie.SeatUtilization, bowtie.HealthScore,
		bowtie.HealthChange, bowtie.DaysToRenewal, bowtie.ChampionLeft, bowtie.PlanUtilization, bowtie.AtLeast, bowtie.AtMost,
		bowtie.Uncovered, bowtie.MixedOwners, bowtie.SplitState, bowtie.OwnerMismatch}
	for _, e := range all {
		b, err := e.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, e.String(), string(b))
	}
	_, err := bowtie.Side(0).MarshalText()
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.Equal(t, "Side(9)", bowtie.Side(9).String())
	k, err := bowtie.ParseMovementKind(" Churn ")
	require.NoError(t, err)
	assert.Equal(t, bowtie.Churn, k)
	_, err = bowtie.ParseMovementKind("downgrade")
	assert.ErrorContains(t, err, "must be one of new, expansion, contraction, churn, reactivation")
	var d bowtie.Definition
	assert.Error(t, d.UnmarshalText([]byte("worst")))
	require.NoError(t, d.UnmarshalText([]byte("largest_gap")))
	assert.Equal(t, bowtie.LargestGap, d)
}

// cloneModel deep-copies a model so tests can edit it.
func cloneModel(m bowtie.Model) bowtie.Model {
	b, _ := json.Marshal(m)
	var out bowtie.Model
	_ = json.Unmarshal(b, &out)
	return out
}

func FuzzModel(f *testing.F) {
	b, _ := json.Marshal(bowtie.DefaultModel())
	f.Add(b)
	f.Add([]byte(`{"stages":[{"name":"a","side":"left"},{"name":"b","side":"right"}]}`))
	f.Add([]byte(`{"stages":[{"owners":[{"role":"primary"},{"role":"primary"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m bowtie.Model
		if json.Unmarshal(data, &m) != nil {
			t.Skip("not JSON for a Model: the decoder rejects it")
		}
		if err := m.Validate(); err != nil {
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			return
		}
		// A valid model measures an empty batch without trouble.
		_, _, err := m.Measure(nil, q1(), bowtie.Options{})
		assert.NoError(t, err)
	})
}

func FuzzEnums(f *testing.F) {
	for _, s := range []string{"left", "primary", "churn", "largest_gap", "counted", "save", "usage_growth", "at_most", "split_state", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var (
			side bowtie.Side
			role bowtie.Role
			def  bowtie.Definition
			pol  bowtie.ReactivationPolicy
			play bowtie.Play
			sig  bowtie.Signal
			op   bowtie.Op
			amb  bowtie.AmbiguityKind
		)
		for _, u := range []interface {
			UnmarshalText([]byte) error
			MarshalText() ([]byte, error)
		}{&side, &role, &def, &pol, &play, &sig, &op, &amb} {
			if err := u.UnmarshalText([]byte(s)); err != nil {
				assert.ErrorIs(t, err, revalign.ErrInvalid)
				continue
			}
			b, err := u.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, strings.ToLower(strings.TrimSpace(s)), string(b))
		}
		if k, err := bowtie.ParseMovementKind(s); err == nil {
			assert.Equal(t, strings.ToLower(strings.TrimSpace(s)), k.String())
		}
	})
}
