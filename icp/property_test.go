package icp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomModel builds a valid model over the fields f0…f5 (text, number,
// list, bool, email, text) with random criteria, signals, caps, gate and
// disqualifiers.
func randomModel(rng *rand.Rand, nSignals int) Model {
	m := DefaultModel()
	m.Disqualifiers = nil
	words := []string{"a", "b", "c", "Dd", "ee", "F"}
	pick := func() []string {
		n := 1 + rng.IntN(3)
		out := make([]string, n)
		for i := range out {
			out[i] = words[rng.IntN(len(words))]
		}
		return out
	}
	pts := func() float64 { return math.Round((rng.Float64()*90-30)*100) / 100 }
	crit := func(id string) Criterion {
		c := Criterion{ID: id, Points: pts()}
		switch rng.IntN(5) {
		case 0:
			c.Field, c.Op, c.Values = "f0", OpIn, pick()
		case 1:
			lo := rng.Float64() * 50
			c.Field, c.Op, c.Min, c.Max = "f1", OpRange, &lo, nil
			if rng.IntN(2) == 0 {
				hi := lo + rng.Float64()*50
				c.Max = &hi
			}
		case 2:
			c.Field, c.Op, c.Values = "f2", []Op{OpIn, OpNotIn}[rng.IntN(2)], pick()
		case 3:
			c.Field, c.Op = "f3", []Op{OpIsTrue, OpIsFalse}[rng.IntN(2)]
		default:
			c.Field, c.Op, c.Values = "f4", OpDomainIn, []string{"a.com", "b.org"}[:1+rng.IntN(2)]
		}
		return c
	}
	for i := range 1 + rng.IntN(6) {
		m.Firmographic = append(m.Firmographic, crit(fmt.Sprintf("firmo%d", i)))
	}
	m.Firmographic[0].Points = 10 + rng.Float64()*40 // a fit criterion with points
	for i := range rng.IntN(4) {
		m.Technographic = append(m.Technographic, crit(fmt.Sprintf("techno%d", i)))
	}
	for i := range nSignals {
		s := Signal{ID: fmt.Sprintf("sig%d", i), Event: fmt.Sprintf("ev%d", rng.IntN(5)), Points: pts()}
		if rng.IntN(2) == 0 {
			s.Cap = math.Round(rng.Float64() * 60)
		}
		switch rng.IntN(3) {
		case 0:
			s.Decay = Decay{Kind: DecayHalfLife, HalfLifeDays: 1 + rng.Float64()*60}
		case 1:
			s.Decay = Decay{Kind: DecayLinear, LifespanDays: 1 + rng.Float64()*120}
		default:
			s.Decay = Decay{LifespanDays: float64(rng.IntN(2)) * 60}
		}
		m.Behavioural = append(m.Behavioural, s)
	}
	m.Caps = Caps{Firmographic: 20 + float64(rng.IntN(100)), Technographic: 20 + float64(rng.IntN(100)), Behavioural: 20 + float64(rng.IntN(100))}
	m.FitGate = FitGate{Off: rng.IntN(2) == 0, MinFit: 1 + float64(rng.IntN(30))}
	if rng.IntN(2) == 0 {
		m.Disqualifiers = []Disqualifier{{ID: "dq", Field: "f5", Op: OpIn, Values: []string{"x"}}}
	}
	return m
}

var propSchema = Schema{"f0", "f1", "f2", "f3", "f4", "f5"}

func randomRecord(rng *rand.Rand, asOf time.Time, nEvents int) Record {
	maybe := func(v Value) Value {
		if rng.IntN(5) == 0 {
			return Value{}
		}
		return v
	}
	words := []string{"a", "B", "c", "dd", "zz"}
	r := Record{ID: "r", Values: []Value{
		maybe(Text(words[rng.IntN(len(words))])),
		maybe(Number(rng.Float64() * 100)),
		maybe(List([]string{words[rng.IntN(len(words))], words[rng.IntN(len(words))]})),
		maybe(Bool(rng.IntN(2) == 0)),
		maybe(Text([]string{"x@a.com", "y@sub.b.org", "z@c.net"}[rng.IntN(3)])),
		maybe(Text([]string{"x", "y"}[rng.IntN(2)])),
	}}
	for range rng.IntN(nEvents + 1) {
		r.Events = append(r.Events, Event{Type: fmt.Sprintf("EV%d", rng.IntN(6)), At: asOf.Add(-time.Duration(rng.Float64() * 150 * 24 * float64(time.Hour))).Add(time.Hour)})
	}
	return r
}

// TestExplanationAddsUp is the property the issue asks for: the log adds up
// exactly (in hundredths) to Fit, Engagement and Total, for random models
// and leads; groups stay within [0, cap]; and the compiled path without a
// log gives the same result.
func TestExplanationAddsUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	asOf := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for range 300 {
		m := randomModel(rng, rng.IntN(12))
		require.NoError(t, m.Validate())
		s, err := m.Compile(propSchema)
		require.NoError(t, err)
		for range 20 {
			r := randomRecord(rng, asOf, 15)
			res, err := s.Explain(r, asOf, nil)
			require.NoError(t, err)
			var firmo, techno, behav, total int64
			for _, e := range res.Log {
				h := hundredths(e.Points)
				require.Equal(t, e.Points, points(h), "points are whole hundredths")
				switch e.Group {
				case Firmographic:
					firmo += h
				case Technographic:
					techno += h
				case Behavioural:
					behav += h
				}
				total += h
			}
			assert.Equal(t, hundredths(res.Firmographic), firmo)
			assert.Equal(t, hundredths(res.Technographic), techno)
			assert.Equal(t, hundredths(res.Fit), firmo+techno)
			assert.Equal(t, hundredths(res.Engagement), behav)
			assert.Equal(t, hundredths(res.Total), total)
			assert.True(t, res.Firmographic >= 0 && res.Firmographic <= m.Caps.Firmographic)
			assert.True(t, res.Technographic >= 0 && res.Technographic <= m.Caps.Technographic)
			assert.True(t, res.Engagement >= 0 && res.Engagement <= m.Caps.Behavioural)
			assert.Len(t, res.Log, len(m.Firmographic)+len(m.Technographic)+len(m.Behavioural)+adjustments(res.Log))

			plain, err := s.Score(r, asOf)
			require.NoError(t, err)
			res.Log = nil
			assert.Equal(t, res, plain)
		}
	}
}

func adjustments(log []Entry) int {
	n := 0
	for _, e := range log {
		switch e.Status {
		case Capped, Floored, Gated, Disqualified:
			n++
		}
	}
	return n
}

// TestPerSignalPathAgrees checks the path for models with more signals than
// fit on the stack against the stack path, on the same models.
func TestPerSignalPathAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	asOf := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for range 100 {
		m := randomModel(rng, 1+rng.IntN(12))
		fast, err := m.Compile(propSchema)
		require.NoError(t, err)
		slow, err := m.Compile(propSchema)
		require.NoError(t, err)
		slow.perSignal = true
		feats1 := make([]float64, len(fast.criteria)+len(fast.signals))
		feats2 := make([]float64, len(feats1))
		for range 10 {
			r := randomRecord(rng, asOf, 20)
			var a, b Result
			var la, lb []Entry
			require.NoError(t, fast.score(&r, asOf, &a, &la, feats1))
			require.NoError(t, slow.score(&r, asOf, &b, &lb, feats2))
			a.Log, b.Log = la, lb
			assert.Equal(t, a, b)
			assert.Equal(t, feats1, feats2)
		}
	}
	// A model with more signals than the stack holds takes the slow path.
	m := randomModel(rng, stackSignals+1)
	s, err := m.Compile(propSchema)
	require.NoError(t, err)
	assert.True(t, s.perSignal)
}

func TestPow2neg(t *testing.T) {
	for _, x := range []float64{0, 1e-12, 0.03125, 0.5, 1, 1.5, 2, 3.999, 10.25, 52.7, 600, 1021.9} {
		assert.InEpsilon(t, math.Exp2(-x), pow2neg(x), 1e-11, "2^-%v", x)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		x := rng.Float64() * 40
		require.InEpsilon(t, math.Exp2(-x), pow2neg(x), 1e-11, "2^-%v", x)
	}
	assert.Equal(t, 0.0, pow2neg(1022))
	assert.Equal(t, 0.0, pow2neg(math.Inf(1)))
	assert.True(t, math.IsNaN(pow2neg(math.NaN())))
}

func TestClockAgreesWithSub(t *testing.T) {
	asOf := time.Date(2026, 3, 31, 12, 0, 0, 500, time.UTC)
	c := newClock(asOf)
	for _, d := range []time.Duration{0, 1, 999, time.Second + 1, 36 * time.Hour, 400 * 24 * time.Hour, -1, -time.Hour} {
		got := c.of(asOf.Add(-d))
		if d < 0 {
			assert.Less(t, got, 0.0, "an event %v after asOf is in the future", -d)
			continue
		}
		assert.InDelta(t, float64(d)/float64(24*time.Hour), got, 1e-12, "%v", d)
	}
	// The zero time is very old, not in the future.
	assert.Greater(t, c.of(time.Time{}), 700000.0)
}

// TestFieldGroupsAgree checks the grouped evaluation of in/not_in
// conditions against evaluating each condition on its own.
func TestFieldGroupsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	asOf := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	grouped := 0
	for range 200 {
		m := randomModel(rng, 3)
		m.Disqualifiers = append(m.Disqualifiers, Disqualifier{ID: "dq_list", Field: "f2", Op: OpNotIn, Values: []string{"a", "B", "c", "dd"}})
		a, err := m.compile(propSchema, true)
		require.NoError(t, err)
		b, err := m.compile(propSchema, false)
		require.NoError(t, err)
		require.Empty(t, b.groups)
		grouped += len(a.groups)
		for range 20 {
			r := randomRecord(rng, asOf, 5)
			if rng.IntN(10) == 0 {
				r.Values[2] = Number(3) // a list field of the wrong kind
			}
			ra, errA := a.Explain(r, asOf, nil)
			rb, errB := b.Explain(r, asOf, nil)
			assert.Equal(t, errB, errA)
			assert.Equal(t, rb, ra)
		}
	}
	assert.Greater(t, grouped, 100, "the random models do share fields")
}

func TestGroupConds(t *testing.T) {
	m := DefaultModel()
	m.Technographic = []Criterion{
		{ID: "hris", Field: "tools", Op: OpIn, Values: []string{"Workday", "UKG"}, Points: 20},
		{ID: "sso", Field: "tools", Op: OpIn, Values: []string{"okta", "WORKDAY"}, Points: 5},
		{ID: "legacy", Field: "tools", Op: OpNotIn, Values: []string{"LegacyHR"}, Points: 5},
		{ID: "alone", Field: "industry", Op: OpIn, Values: []string{"Retail"}, Points: 5},
	}
	s, err := m.Compile(Schema{"tools", "industry", "seniority", "is_customer"})
	require.NoError(t, err)
	require.Len(t, s.groups, 1, "industry is read by one condition only")
	g := s.groups[0]
	assert.Equal(t, 0, g.field)
	assert.Equal(t, []uint64{0b011, 0b001, 0b010, 0b100}, g.bits, "Workday is listed by hris and sso")
	assert.Equal(t, []int{0, 0, 0, -1}, []int{s.criteria[0].fgroup, s.criteria[1].fgroup, s.criteria[2].fgroup, s.criteria[3].fgroup})
	tools := List([]string{"UKG", "Okta"})
	assert.Equal(t, uint64(0b011), g.mask(&tools))
}
