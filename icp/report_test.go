package icp_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/icp"
)

func TestLabels(t *testing.T) {
	l := icp.DefaultLabels()
	require.NoError(t, l.Validate())
	for code, want := range map[string]icp.Label{
		"Accepted": icp.Positive, " bad FIT ": icp.Negative, "nurture": icp.HalfNegative,
		"Duplicate": icp.Excluded, "No Response": icp.Excluded,
	} {
		got, ok := l.Lookup(code)
		assert.True(t, ok, code)
		assert.Equal(t, want, got, code)
	}
	_, ok := l.Lookup("Wrong person")
	assert.False(t, ok)

	bad := icp.Labels{"Accepted": icp.Positive, "accepted ": icp.Negative, "": icp.Excluded, "Lost": icp.Label(9)}
	err := bad.Validate()
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.ErrorContains(t, err, `blank disposition code`)
	assert.ErrorContains(t, err, `same code as`)
	assert.ErrorContains(t, err, `labels.Lost: unknown label, got "Label(9)"`)
	assert.ErrorContains(t, icp.Labels{"Accepted": icp.Positive}.Validate(), "no disposition is labelled negative")
	assert.ErrorContains(t, icp.Labels{"Bad fit": icp.Negative}.Validate(), "no disposition is labelled positive")

	b, err := icp.HalfNegative.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "half_negative", string(b))
	var back icp.Label
	require.NoError(t, back.UnmarshalText([]byte("excluded")))
	assert.Equal(t, icp.Excluded, back)
}

func TestTierReport(t *testing.T) {
	m := icp.DefaultModel()
	res := func(tier string, n int) []icp.Result {
		out := make([]icp.Result, n)
		for i := range out {
			out[i].Tier = tier
		}
		return out
	}
	var results []icp.Result
	var disp []string
	add := func(tier string, dispositions ...string) {
		results = append(results, res(tier, len(dispositions))...)
		disp = append(disp, dispositions...)
	}
	add("A", "Accepted", "Accepted", "Accepted", "Bad fit", "Duplicate")
	add("B", "Accepted", "Nurture", "", "No response")
	add("C", "Bad fit", "Bad fit", "Accepted", "Wrong person")
	add("DQ", "Bad fit")

	rep, err := m.TierReport(results, disp, icp.DefaultLabels())
	require.NoError(t, err)
	assert.Equal(t, 14, rep.Leads)
	assert.Equal(t, 10, rep.Labelled) // A 4, B 2, C 3, DQ 1
	assert.Equal(t, 5, rep.Accepted)
	assert.Equal(t, 0.5, rep.AcceptanceRate)
	assert.Equal(t, 1, rep.Undispositioned)
	assert.Equal(t, 2, rep.Excluded)
	assert.Equal(t, map[string]int{"Wrong person": 1}, rep.Unmapped)
	assert.True(t, rep.Ordered, "A 75% ≥ B 50% ≥ C 33%")
	require.Equal(t, []string{"A", "B", "C", "D", "DQ"}, []string{rep.Tiers[0].Tier, rep.Tiers[1].Tier, rep.Tiers[2].Tier, rep.Tiers[3].Tier, rep.Tiers[4].Tier})
	a := rep.Tiers[0]
	assert.Equal(t, 5, a.Leads)
	assert.InDelta(t, 5.0/14, a.Share, 1e-12)
	assert.Equal(t, 4, a.Labelled)
	assert.Equal(t, 3, a.Accepted)
	assert.Equal(t, 0.75, a.AcceptanceRate)
	assert.Equal(t, map[string]int{"Accepted": 3, "Bad fit": 1, "Duplicate": 1}, a.Dispositions)
	d := rep.Tiers[3]
	assert.Equal(t, icp.TierRow{Tier: "D", Low: 0, High: 1}, d, "an empty tier has the widest interval")

	// The interval against an independent computation: bisection on the
	// regularised incomplete beta function.
	lo, hi := betaQuantile(3.5, 1.5, 0.025), betaQuantile(3.5, 1.5, 0.975)
	assert.InDelta(t, lo, a.Low, 1e-9)
	assert.InDelta(t, hi, a.High, 1e-9)
	c := rep.Tiers[2]
	assert.InDelta(t, betaQuantile(1.5, 2.5, 0.025), c.Low, 1e-9)

	// A tier that accepts more than the tier above breaks the order.
	add("C", "Accepted", "Accepted", "Accepted", "Accepted", "Accepted")
	rep, err = m.TierReport(results, disp, icp.DefaultLabels())
	require.NoError(t, err)
	assert.False(t, rep.Ordered)

	// Without dispositions: the distribution only.
	rep, err = m.TierReport(results, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 5, rep.Tiers[0].Leads)
	assert.Zero(t, rep.Labelled)
	assert.Nil(t, rep.Tiers[0].Dispositions)

	_, err = m.TierReport(results, disp[:2], icp.DefaultLabels())
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = m.TierReport([]icp.Result{{Tier: "Z"}}, nil, nil)
	assert.ErrorContains(t, err, `results[0].tier: not a tier of model Unified ICP 1.0, got "Z"`)
	_, err = m.TierReport(results, disp, icp.Labels{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

// betaQuantile inverts the Beta(a, b) CDF by bisection.
func betaQuantile(a, b, p float64) float64 {
	lo, hi := 0.0, 1.0
	for range 200 {
		mid := (lo + hi) / 2
		if mathext.RegIncBeta(a, b, mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
