package icp_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/icp"
)

var (
	croSigns = time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	cmoSigns = time.Date(2026, 3, 21, 9, 0, 0, 0, time.UTC)
	// inForce is an instant after validModel's effective date (2026-04-01).
	inForce = time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
)

func signed(t *testing.T) icp.Model {
	t.Helper()
	m, err := validModel().Sign(icp.RoleCRO, "Dana Cole", croSigns)
	require.NoError(t, err)
	m, err = m.Sign(icp.RoleCMO, "Sam Ortiz", cmoSigns)
	require.NoError(t, err)
	return m
}

func TestSignOff(t *testing.T) {
	m := signed(t)
	so, err := m.SignOff(inForce)
	require.NoError(t, err)
	assert.True(t, so.InForce)
	assert.Equal(t, []string{"cro", "cmo"}, so.SignOff.Signed)
	assert.Equal(t, "2026-04-01", so.EffectiveDate)

	// Only the CRO has signed.
	only, err := validModel().Sign(icp.RoleCRO, "Dana Cole", croSigns)
	require.NoError(t, err)
	so, err = only.SignOff(inForce)
	require.NoError(t, err)
	assert.False(t, so.InForce)
	assert.Equal(t, []string{"cmo"}, so.SignOff.Missing)
	assert.Equal(t, "not in force: not signed by cmo", so.Reason())

	// Before the CMO signed.
	so, err = m.SignOff(cmoSigns.Add(-time.Hour))
	require.NoError(t, err)
	assert.False(t, so.InForce)
	assert.Equal(t, []string{"cmo"}, so.SignOff.Future)

	// A malformed effective date is an error, not a silent draft.
	bad := m
	bad.EffectiveDate = "April 1st"
	_, err = bad.SignOff(inForce)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

// TestSignOffWaitsForTheEffectiveDate: a model signed by both leaders is
// in force from its effective date (validModel's is 2026-04-01), on the
// date of the instant checked in that instant's time zone; a model with no
// effective date is a draft, never in force.
func TestSignOffWaitsForTheEffectiveDate(t *testing.T) {
	m := signed(t)
	la, err := time.LoadLocation("America/Los_Angeles")
	require.NoError(t, err)
	tests := []struct {
		name   string
		date   string
		at     time.Time
		force  bool
		reason string
	}{
		{"the day before", "2026-04-01", time.Date(2026, 3, 31, 23, 59, 59, 0, time.UTC), false, "not in force: effective from 2026-04-01"},
		{"the effective day", "2026-04-01", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), true, "in force"},
		{"later", "2026-04-01", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), true, "in force"},
		{"still the day before in Los Angeles", "2026-04-01", time.Date(2026, 4, 1, 6, 0, 0, 0, time.UTC).In(la), false, "not in force: effective from 2026-04-01"},
		{"the effective day in Los Angeles", "2026-04-01", time.Date(2026, 4, 1, 0, 0, 0, 0, la), true, "in force"},
		{"a draft", "", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), false, "not in force: no effective date (a draft)"},
		{"signatures come first", "2026-03-01", cmoSigns.Add(-time.Hour), false, "not in force: signature of cmo is dated later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := m
			c.EffectiveDate = tt.date
			// Re-sign: the effective date is part of the signed content.
			c, err := c.Sign(icp.RoleCRO, "Dana Cole", croSigns)
			require.NoError(t, err)
			c, err = c.Sign(icp.RoleCMO, "Sam Ortiz", cmoSigns)
			require.NoError(t, err)
			so, err := c.SignOff(tt.at)
			require.NoError(t, err)
			assert.Equal(t, tt.force, so.InForce)
			assert.Equal(t, tt.reason, so.Reason())
		})
	}
}

func TestChangingAnyWeightVoidsTheSignatures(t *testing.T) {
	changes := map[string]func(m *icp.Model){
		"criterion points":  func(m *icp.Model) { m.Firmographic[0].Points++ },
		"criterion value":   func(m *icp.Model) { m.Firmographic[0].Values[1] = "Retail" },
		"range bound":       func(m *icp.Model) { *m.Firmographic[1].Max = 10000 },
		"signal decay":      func(m *icp.Model) { m.Behavioural[0].Decay.HalfLifeDays = 30 },
		"tier threshold":    func(m *icp.Model) { m.Tiers[0].Min = 130 },
		"disqualifier list": func(m *icp.Model) { m.Disqualifiers[2].Values = append(m.Disqualifiers[2].Values, "other.com") },
		"gate":              func(m *icp.Model) { m.FitGate.Off = true },
		"version":           func(m *icp.Model) { m.Version = "2026.3" },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			m := signed(t)
			before, err := m.Hash()
			require.NoError(t, err)
			edited := icp.Diff(signed(t), signed(t))
			require.Empty(t, edited)
			c := deepCopy(t, m)
			change(&c)
			after, err := c.Hash()
			require.NoError(t, err)
			assert.NotEqual(t, before, after)
			so, err := c.SignOff(inForce)
			require.NoError(t, err)
			assert.False(t, so.InForce)
			assert.Equal(t, []string{"cro", "cmo"}, so.SignOff.Stale)
			// The original is untouched and still in force.
			so, err = m.SignOff(inForce)
			require.NoError(t, err)
			assert.True(t, so.InForce)
		})
	}
}

// deepCopy copies a model through the Scorer, which keeps its own copy.
func deepCopy(t *testing.T, m icp.Model) icp.Model {
	t.Helper()
	s, err := m.Compile(m.Fields())
	require.NoError(t, err)
	return s.Model()
}

func TestSign(t *testing.T) {
	m := signed(t)
	// Signing again as the same role replaces the earlier signature.
	m2, err := m.Sign("CRO", "Dana Cole", croSigns.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, m2.Signatures, 2)
	assert.Equal(t, "cmo", m2.Signatures[0].Role)
	assert.Len(t, m.Signatures, 2, "Sign returns a copy")

	// Signatures are not part of the hash.
	h1, err := m.Hash()
	require.NoError(t, err)
	h2, err := validModel().Hash()
	require.NoError(t, err)
	assert.Equal(t, h1, h2)

	_, err = m.Sign("", "x", croSigns)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = m.Sign("cro", "", time.Time{})
	assert.ErrorContains(t, err, "signed_at: signature needs a time")

	bad := validModel()
	bad.Firmographic[0].Points = math.NaN()
	_, err = bad.Hash()
	assert.Error(t, err)
	_, err = bad.Sign("cro", "x", croSigns)
	assert.Error(t, err)
	_, err = bad.SignOff(asOf)
	assert.Error(t, err)
}

func TestDiff(t *testing.T) {
	old := validModel()
	next := deepCopy(t, old)
	next.Version = "2026.3"
	next.Firmographic[0].Points = 30                               // changed weight
	next.Firmographic[1].Max = ptr(10000)                          // changed band
	next.Technographic = append(next.Technographic, icp.Criterion{ // added criterion
		ID: "sso", Field: "technographics", Op: icp.OpIn, Values: []string{"Okta"}, Points: 5})
	next.Behavioural = next.Behavioural[:1]                                        // removed signal
	next.Behavioural[0].Decay = icp.Decay{Kind: icp.DecayLinear, LifespanDays: 90} // changed decay
	next.Disqualifiers[3].Values = []string{"US", "CA", "GB"}                      // served one more country
	next.Tiers[0].Min = 130                                                        // changed threshold
	next.FitGate.MinFit = 40
	next.Firmographic[0], next.Firmographic[1] = next.Firmographic[1], next.Firmographic[0] // reordering is no change

	var got []string
	for _, c := range icp.Diff(old, next) {
		got = append(got, c.String())
	}
	assert.Equal(t, []string{
		"version: 2026.2 → 2026.3",
		"firmographic[employees].max: 5000 → 10000",
		"firmographic[industry].points: 25 → 30",
		"technographic[sso] added: technographics in Okta → +5",
		"behavioural[webinar] removed: webinar: +5 per event, cap 10, linear over 90 days",
		"behavioural[pricing].decay: half-life 14 days → linear over 90 days",
		"disqualifiers[unserved_country].values: US, CA → US, CA, GB",
		"fit_gate.min_fit: 50 → 40",
		"tiers[A].min: 140 → 130",
	}, got)
	assert.Empty(t, icp.Diff(old, old))

	// Bands added and removed, conditions described.
	next = deepCopy(t, old)
	next.Tiers = []icp.Band{{"A", 140}, {"B", 100}, {"C", 0}}
	next.DemandStates = append(next.DemandStates[:3], icp.Band{Label: "unaware", Min: 0})
	next.Disqualifiers = append(next.Disqualifiers, icp.Disqualifier{ID: "tiny", Field: "employee_count", Op: icp.OpRange, Max: ptr(10)})
	next.Firmographic[1].Op = icp.OpIn
	got = nil
	for _, c := range icp.Diff(old, next) {
		got = append(got, c.String())
	}
	assert.Contains(t, got, "tiers[D] removed: ≥ 0")
	assert.Contains(t, got, "tiers[C].min: 50 → 0")
	assert.Contains(t, got, "disqualifiers[tiny] added: employee_count in [-inf, 10]")
	assert.Contains(t, got, "firmographic[employees].op: range → in")
}

func TestDescriptions(t *testing.T) {
	assert.Equal(t, "webinar: +10 per event", icp.Signal{Event: "webinar", Points: 10}.String())
	assert.Equal(t, "unsubscribe: -20 per event, no decay, 30-day life", icp.Signal{Event: "unsubscribe", Points: -20, Decay: icp.Decay{LifespanDays: 30}}.String())
	assert.Equal(t, "half-life 30 days, 90-day life", icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 30, LifespanDays: 90}.String())
	d := icp.Diff(icp.Model{Disqualifiers: []icp.Disqualifier{{ID: "a", Field: "x", Op: icp.OpIsFalse}}},
		icp.Model{Disqualifiers: []icp.Disqualifier{{ID: "b", Field: "y", Op: icp.OpNotIn, Values: []string{"1"}}}})
	require.Len(t, d, 2)
	assert.Equal(t, "disqualifiers[a] removed: x is false", d[0].String())
	assert.Equal(t, "disqualifiers[b] added: y not in 1", d[1].String())
}

func TestScorerString(t *testing.T) {
	s, err := validModel().Compile(validModel().Fields())
	require.NoError(t, err)
	assert.Equal(t, "icp.Scorer(Acme ICP 2026.2: 3 criteria, 2 signals, 4 disqualifiers)", s.String())
}
