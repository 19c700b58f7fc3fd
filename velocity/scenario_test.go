package velocity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

var (
	smb = Inputs{Opportunities: 120, DealSize: dec("15000"), WinRate: 0.30, CycleDays: 30}  // 18,000/day
	ent = Inputs{Opportunities: 40, DealSize: dec("150000"), WinRate: 0.15, CycleDays: 120} // 7,500/day
)

func TestRank(t *testing.T) {
	owners := DefaultOwners()
	got, err := Rank([]Segment{{"ENT", ent}, {"SMB", smb}}, 0.10, owners)
	require.NoError(t, err)
	require.Len(t, got, 8)
	// By hand: a 10% cycle cut is worth V/9, a 10% rise of N, S or W V/10.
	want := []struct {
		seg    string
		lever  Lever
		gain   float64
		perDay string
	}{
		{"SMB", CycleLength, 1/0.9 - 1, "2000"},
		{"SMB", Opportunities, 0.1, "1800"},
		{"SMB", DealSize, 0.1, "1800"},
		{"SMB", WinRate, 0.1, "1800"},
		{"ENT", CycleLength, 1/0.9 - 1, "833.333333"},
		{"ENT", Opportunities, 0.1, "750"},
		{"ENT", DealSize, 0.1, "750"},
		{"ENT", WinRate, 0.1, "750"},
	}
	for i, w := range want {
		assert.Equal(t, w.seg, got[i].Segment, "rank %d", i)
		assert.Equal(t, w.lever, got[i].Lever, "rank %d", i)
		assert.InDelta(t, w.gain, got[i].Gain, 1e-12, "rank %d", i)
		assert.True(t, dec(w.perDay).Equal(got[i].GainPerDay), "rank %d: %s, want %s", i, got[i].GainPerDay, w.perDay)
		assert.Equal(t, owners.Of(w.lever).Owner, got[i].Owner)
	}
	assert.Equal(t, -0.1, got[0].Move.Relative, "the cycle improves by getting shorter")
}

func TestRankCapsWinRate(t *testing.T) {
	in := smb
	in.WinRate = 0.95
	got, err := Rank([]Segment{{"x", in}}, 0.10, DefaultOwners())
	require.NoError(t, err)
	for _, p := range got {
		if p.Lever == WinRate {
			assert.True(t, p.Capped)
			assert.InDelta(t, 1/0.95-1, p.Gain, 1e-12)
		}
	}
}

func TestRankErrors(t *testing.T) {
	_, err := Rank(nil, 0, DefaultOwners())
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = Rank([]Segment{{"x", Inputs{}}}, 0.1, DefaultOwners())
	assert.ErrorContains(t, err, "segments[0].inputs.cycle_days")
	_, err = Rank(nil, 0.1, Owners{})
	assert.ErrorContains(t, err, "owners.opportunities.owner.name")
}

func TestPathToHandCases(t *testing.T) {
	g := Grid{Step: 0.10, Max: Limits{Opportunities: 0.5, DealSize: 0.5, WinRate: 0.5, CycleLength: 0.5}}
	// +10% is reached in one step by N, S, W (×1.1) or the cycle (×1.111);
	// equally small, the cycle cut goes further.
	p, err := base.PathTo(dec("5500"), g)
	require.NoError(t, err)
	assert.True(t, p.Reached)
	assert.Equal(t, 1, p.Steps)
	assert.Equal(t, []Move{{Lever: CycleLength, Relative: -0.1}}, p.Moves)

	// +11.2% needs two steps: the best pair is two cycle steps (1/0.8 = 1.25).
	p, err = base.PathTo(dec("5560"), g)
	require.NoError(t, err)
	assert.Equal(t, 2, p.Steps)
	assert.Equal(t, []Move{{Lever: CycleLength, Relative: -0.2}}, p.Moves)

	// Already there: no move.
	p, err = base.PathTo(dec("4000"), g)
	require.NoError(t, err)
	assert.True(t, p.Reached)
	assert.Zero(t, p.Steps)
	assert.Empty(t, p.Moves)
	assert.InDelta(t, 1, p.Outcome.Ratio, 0)

	// Out of reach: 1.5³/0.5 = 6.75× at most.
	p, err = base.PathTo(dec("50000"), g)
	require.NoError(t, err)
	assert.False(t, p.Reached)
	assert.InDelta(t, 6.75, p.Outcome.Ratio, 1e-9)
	assert.Equal(t, 20, p.Steps)
}

// TestPathToIsSmallest checks the path to 2× against an independent search:
// breadth first over total steps, stopping at the first size that reaches.
func TestPathToIsSmallest(t *testing.T) {
	g := DefaultGrid()
	for _, in := range []Inputs{base, smb, ent, {Opportunities: 10, DealSize: dec("1000"), WinRate: 0.9, CycleDays: 10}} {
		v, _ := in.Velocity()
		p, err := in.PathTo(v.Mul(decimal.NewFromInt(2)), g)
		require.NoError(t, err)
		require.True(t, p.Reached)
		assert.GreaterOrEqual(t, p.Outcome.Ratio, 2-1e-9)
		assert.Equal(t, smallestSteps(in, 2, 0.05, 10), p.Steps, "%+v", in)
		if in.WinRate == 0.9 {
			for _, m := range p.Moves {
				assert.LessOrEqual(t, in.WinRate*(1+m.Relative), 1.0, "win rate kept <= 1")
			}
		}
	}
}

func smallestSteps(in Inputs, want, step float64, max int) int {
	for total := 0; total <= 4*max; total++ {
		for a := 0; a <= min(total, max); a++ {
			for b := 0; b <= min(total-a, max); b++ {
				for c := 0; c <= min(total-a-b, max); c++ {
					d := total - a - b - c
					if d > max || in.WinRate*(1+float64(c)*step) > 1 {
						continue
					}
					r := (1 + float64(a)*step) * (1 + float64(b)*step) * (1 + float64(c)*step) / (1 - float64(d)*step)
					if r >= want-1e-12 {
						return total
					}
				}
			}
		}
	}
	return -1
}

func TestGridValidate(t *testing.T) {
	require.NoError(t, DefaultGrid().Validate())
	cases := []Grid{
		{Step: 0},
		{Step: 0.05, Max: Limits{CycleLength: 1}},
		{Step: 0.05, Max: Limits{WinRate: -0.1}},
		{Step: 0.0001, Max: Limits{Opportunities: 1, DealSize: 1, WinRate: 1, CycleLength: 0.9}},
	}
	for _, g := range cases {
		assert.ErrorIs(t, g.Validate(), revalign.ErrInvalid, "%+v", g)
		_, err := base.PathTo(dec("1"), g)
		assert.Error(t, err)
	}
	_, err := Inputs{DealSize: dec("1"), WinRate: 0.5, CycleDays: 1}.PathTo(dec("1"), DefaultGrid())
	assert.ErrorIs(t, err, ErrZeroVelocity)
	var g Grid
	require.NoError(t, config.Unmarshal([]byte("step: 0.05\nmax: {opportunities: 0.2, deal_size: 0, win_rate: 0.2, cycle_length: 0.3}\n"), &g))
	assert.Equal(t, 0.3, g.Max.CycleLength)
}

func TestDecomposeHand(t *testing.T) {
	after := Inputs{Opportunities: 110, DealSize: dec("10000"), WinRate: 0.25, CycleDays: 45}
	d, err := Decompose(base, after)
	require.NoError(t, err)
	// V₁ = 110×10000×0.25/45 = 6111.111111; ln(1.1) and ln(50/45) by hand.
	assert.Equal(t, "6111.111111", d.After.String())
	assert.Equal(t, "1111.111111", d.Change.String())
	lnN, lnL := math.Log(1.1), math.Log(50.0/45)
	assert.InDelta(t, lnN, d.Contributions[0].LogRatio, 1e-12)
	assert.Zero(t, d.Contributions[1].LogRatio)
	assert.Zero(t, d.Contributions[2].LogRatio)
	assert.InDelta(t, lnL, d.Contributions[3].LogRatio, 1e-12)
	assert.InDelta(t, lnN/(lnN+lnL), d.Contributions[0].Share, 1e-12)
	// LMDI: ΔV × share.
	assert.InDelta(t, 1111.111111*lnN/(lnN+lnL), d.Contributions[0].PerDay.InexactFloat64(), 1e-5)
}

// randomInputs draws valid inputs with every lever positive.
func randomInputs(r *rand.Rand) Inputs {
	return Inputs{
		Opportunities: float64(1 + r.IntN(500)),
		DealSize:      decimal.New(int64(1000+r.IntN(300000)), 0),
		WinRate:       0.01 + 0.98*r.Float64(),
		CycleDays:     float64(1 + r.IntN(300)),
	}
}

// TestDecomposeSumsExactly is the property: for random pairs of inputs the
// log contributions sum to ln(V₁/V₀) and the money contributions sum to
// V₁ − V₀ to the last decimal.
func TestDecomposeSumsExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		a, b := randomInputs(r), randomInputs(r)
		d, err := Decompose(a, b)
		require.NoError(t, err)
		va, _ := a.Velocity()
		vb, _ := b.Velocity()
		logSum, shareSum, money := 0.0, 0.0, decimal.Zero
		for _, c := range d.Contributions {
			logSum += c.LogRatio
			shareSum += c.Share
			money = money.Add(c.PerDay)
		}
		assert.InDelta(t, math.Log(vb.InexactFloat64()/va.InexactFloat64()), logSum, 1e-6)
		assert.InDelta(t, d.LogChange, logSum, 1e-12)
		assert.InDelta(t, 1, shareSum, 1e-9)
		assert.True(t, money.Equal(vb.Sub(va)), "contributions %s, change %s", money, vb.Sub(va))
	}
}

func TestDecomposeUnchanged(t *testing.T) {
	// Offsetting moves: +25% deal size, −20% win rate.
	after := base
	after.DealSize = dec("12500")
	after.WinRate = 0.2
	d, err := Decompose(base, after)
	require.NoError(t, err)
	assert.True(t, d.Change.IsZero())
	total := decimal.Zero
	for _, c := range d.Contributions {
		total = total.Add(c.PerDay)
		assert.Zero(t, c.Share)
	}
	assert.True(t, total.IsZero())
	assert.InDelta(t, 5000*math.Log(1.25), d.Contributions[1].PerDay.InexactFloat64(), 1e-5)

	_, err = Decompose(base, Inputs{DealSize: dec("1"), WinRate: 0.5, CycleDays: 1})
	assert.ErrorIs(t, err, ErrZeroVelocity)
	_, err = Decompose(Inputs{}, base)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

// A velocity too small to show at [Places] (1 × 0.000001 × 0.01 ÷ 1000 =
// 1e-11 per day) has no ratio to a target: an error, not a division by
// zero.
func TestPathToVelocityRoundsToZero(t *testing.T) {
	tiny := Inputs{Opportunities: 1, DealSize: dec("0.000001"), WinRate: 0.01, CycleDays: 1000}
	v, err := tiny.Velocity()
	require.NoError(t, err)
	require.True(t, v.IsZero())
	_, err = tiny.PathTo(dec("1"), DefaultGrid())
	assert.ErrorIs(t, err, ErrZeroVelocity)
	assert.ErrorContains(t, err, "1e-11 a day rounds to 0")
}

func TestDecomposeSegmentsHand(t *testing.T) {
	before := []Segment{
		{Name: "SMB", Inputs: base},
		{Name: "ENT", Inputs: Inputs{Opportunities: 10, DealSize: dec("90000"), WinRate: 0.2, CycleDays: 120}},
		{Name: "Partner", Inputs: Inputs{Opportunities: 5, DealSize: dec("20000"), WinRate: 0.3, CycleDays: 60}},
	}
	after := []Segment{
		{Name: "ENT", Inputs: Inputs{Opportunities: 12, DealSize: dec("90000"), WinRate: 0.2, CycleDays: 100}},
		{Name: "SMB", Inputs: Inputs{Opportunities: 110, DealSize: dec("10000"), WinRate: 0.25, CycleDays: 45}},
		{Name: "MID", Inputs: Inputs{Opportunities: 20, DealSize: dec("30000"), WinRate: 0.25, CycleDays: 75}},
	}
	got, rejects := DecomposeSegments(before, after)
	require.Empty(t, rejects)
	require.Len(t, got.Segments, 2)
	assert.Equal(t, "ENT", got.Segments[0].Segment)
	assert.Equal(t, "SMB", got.Segments[1].Segment)
	// ENT: 1500 → 2160 a day (12×90000×0.2/100); ln(12/10) + ln(120/100).
	ent := got.Segments[0]
	assert.Equal(t, "1500", ent.Before.String())
	assert.Equal(t, "2160", ent.After.String())
	assert.InDelta(t, math.Log(1.2), ent.Contributions[0].LogRatio, 1e-12)
	assert.InDelta(t, math.Log(1.2), ent.Contributions[3].LogRatio, 1e-12)
	assert.InDelta(t, math.Log(2160.0/1500), ent.LogChange, 1e-12)
	// SMB is TestDecomposeHand's case.
	assert.Equal(t, "1111.111111", got.Segments[1].Change.String())
	// MID (2000 a day) is new; Partner (500 a day) is gone.
	require.Len(t, got.Added, 1)
	require.Len(t, got.Dropped, 1)
	assert.Equal(t, "MID 2000", got.Added[0].Segment+" "+got.Added[0].Velocity.String())
	assert.Equal(t, "Partner 500", got.Dropped[0].Segment+" "+got.Dropped[0].Velocity.String())
	assert.Equal(t, "7000", got.Before.String())        // 5000 + 1500 + 500
	assert.Equal(t, "10271.111111", got.After.String()) // 6111.111111 + 2160 + 2000
	assert.Equal(t, "3271.111111", got.Change.String()) // 1111.111111 + 660 + 2000 − 500
	assert.True(t, got.Change.Equal(got.After.Sub(got.Before)))
}

func TestDecomposeSegmentsRejects(t *testing.T) {
	zero := base
	zero.WinRate = 0
	before := []Segment{{Name: "A", Inputs: base}, {Name: "A", Inputs: base}, {Name: "B", Inputs: Inputs{}}, {Name: "C", Inputs: base}, {Name: "D", Inputs: base}}
	after := []Segment{{Name: "A", Inputs: base}, {Name: "B", Inputs: base}, {Name: "C", Inputs: zero}, {Name: "D", Inputs: base}}
	got, rejects := DecomposeSegments(before, after)
	require.Len(t, rejects, 3)
	assert.Equal(t, "A", rejects[0].ID)
	assert.ErrorContains(t, rejects[0], "before[1].name: segment named twice")
	assert.Equal(t, "B", rejects[1].ID)
	assert.ErrorContains(t, rejects[1], "before[2].inputs.cycle_days")
	assert.Equal(t, "C", rejects[2].ID)
	assert.ErrorIs(t, rejects[2], ErrZeroVelocity)
	// Only D is used; a rejected segment is not reported as added or
	// dropped either.
	require.Len(t, got.Segments, 1)
	assert.Equal(t, "D", got.Segments[0].Segment)
	assert.Empty(t, got.Added)
	assert.Empty(t, got.Dropped)
	assert.True(t, got.Change.IsZero())
}

// TestDecomposeSegmentsSumsExactly is the property by segment: for random
// segments in two periods, each segment's log contributions sum to the log
// of its own velocity ratio, its money contributions to its change, and
// the segments' changes with the added and dropped velocities to the
// total change.
func TestDecomposeSegmentsSumsExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		var before, after []Segment
		for k := range 1 + r.IntN(8) {
			name := fmt.Sprintf("s%d", k)
			if r.IntN(5) > 0 {
				before = append(before, Segment{Name: name, Inputs: randomInputs(r)})
			}
			if r.IntN(5) > 0 {
				after = append(after, Segment{Name: name, Inputs: randomInputs(r)})
			}
		}
		r.Shuffle(len(after), func(i, j int) { after[i], after[j] = after[j], after[i] })
		got, rejects := DecomposeSegments(before, after)
		require.Empty(t, rejects)
		total := decimal.Zero
		for _, s := range got.Segments {
			v0, v1 := velocityOf(t, before, s.Segment), velocityOf(t, after, s.Segment)
			logSum, money := 0.0, decimal.Zero
			for _, c := range s.Contributions {
				logSum += c.LogRatio
				money = money.Add(c.PerDay)
			}
			// Independent check: the log of the ratio of the two velocities.
			assert.InDelta(t, math.Log(v1.InexactFloat64()/v0.InexactFloat64()), logSum, 1e-6, s.Segment)
			assert.InDelta(t, s.LogChange, logSum, 1e-12)
			assert.True(t, money.Equal(v1.Sub(v0)), "%s: contributions %s, change %s", s.Segment, money, v1.Sub(v0))
			total = total.Add(s.Change)
		}
		for _, s := range got.Added {
			total = total.Add(s.Velocity)
		}
		for _, s := range got.Dropped {
			total = total.Sub(s.Velocity)
		}
		assert.True(t, total.Equal(got.Change), "total %s, change %s", total, got.Change)
		assert.Equal(t, len(before)+len(after), 2*len(got.Segments)+len(got.Added)+len(got.Dropped))
	}
}

func velocityOf(t *testing.T, segs []Segment, name string) decimal.Decimal {
	t.Helper()
	for _, s := range segs {
		if s.Name == name {
			v, err := s.Inputs.Velocity()
			require.NoError(t, err)
			return v
		}
	}
	t.Fatalf("no segment %s", name)
	return decimal.Zero
}
