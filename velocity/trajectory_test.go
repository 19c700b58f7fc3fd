package velocity

import (
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func nextQuarters(n int) []revalign.Period {
	return fy.Periods(revalign.Quarter, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 2+time.Month(3*n), 1, 0, 0, 0, 0, time.UTC))
}

func TestTrajectoryGeometric(t *testing.T) {
	tr, err := NewTrajectory(dec("100"), dec("200"), nextQuarters(4), Geometric)
	require.NoError(t, err)
	require.Len(t, tr.Milestones, 4)
	// 100 · 2^(k/4): 118.92, 141.42, 168.18, 200.
	for k, m := range tr.Milestones {
		assert.InDelta(t, 100*math.Pow(2, float64(k+1)/4), m.Velocity.InexactFloat64(), 1e-6)
	}
	assert.Equal(t, "200", tr.Milestones[3].Velocity.String(), "ends on the target exactly")
	assert.Equal(t, time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC), tr.Milestones[1].Period.Start)

	p, err := tr.Progress([]decimal.Decimal{dec("120"), dec("130")})
	require.NoError(t, err)
	require.Len(t, p, 2)
	assert.True(t, p[0].OnTrack)
	assert.False(t, p[1].OnTrack)
	assert.InDelta(t, 130/(100*math.Sqrt2), p[1].Attainment, 1e-6)
	_, err = tr.Progress(make([]decimal.Decimal, 5))
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestTrajectoryLinear(t *testing.T) {
	tr, err := NewTrajectory(dec("0"), dec("400"), nextQuarters(4), Linear)
	require.NoError(t, err)
	for k, want := range []string{"100", "200", "300", "400"} {
		assert.Equal(t, want, tr.Milestones[k].Velocity.String())
	}
	p, err := tr.Progress([]decimal.Decimal{dec("100")})
	require.NoError(t, err)
	assert.True(t, p[0].OnTrack)
	assert.InDelta(t, 1, p[0].Attainment, 0)
	zero := Trajectory{Milestones: []Milestone{{}}}
	p, _ = zero.Progress([]decimal.Decimal{dec("1")})
	assert.Zero(t, p[0].Attainment, "no target, no attainment")
}

func TestTrajectoryErrors(t *testing.T) {
	cases := []struct {
		b, t  string
		n     int
		shape Shape
		path  string
	}{
		{"0", "100", 4, Geometric, "baseline"},
		{"100", "0", 4, Geometric, "target"},
		{"100", "200", 0, Geometric, "periods"},
		{"100", "200", 4, "s-curve", "shape"},
		{"-1", "200", 4, Linear, "baseline"},
	}
	for _, c := range cases {
		_, err := NewTrajectory(dec(c.b), dec(c.t), nextQuarters(c.n), c.shape)
		assert.ErrorContains(t, err, "velocity: "+c.path+":", "%+v", c)
	}
	_, err := NewTrajectory(dec("1"), dec("2"), []revalign.Period{{}}, Linear)
	assert.ErrorContains(t, err, "periods[0]")
}
