package icp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
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

// wildModel builds a model meant to be valid but far from the usual shape:
// value lists from 1 to 300 short words that share lookup slots, many
// conditions on one field, more fields than field groups, more signals
// than the stack holds, extreme points, caps, decays and thresholds.
func wildModel(rng *rand.Rand) Model {
	fields := []string{"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11"}
	word := func() string {
		// Few letters and lengths: many words share first byte, last byte
		// and length, so they share slots of the lookup table.
		const letters = "aAbBcCrR.-é"
		n := 1 + rng.IntN(4)
		if rng.IntN(20) == 0 {
			n = 60 + rng.IntN(20) // longer than findMap's stack buffer
		}
		b := make([]byte, 0, n)
		for range n {
			b = append(b, letters[rng.IntN(len(letters))])
		}
		if rng.IntN(10) == 0 {
			return " " + string(b) + " "
		}
		return string(b)
	}
	values := func() []string {
		n := 1 + rng.IntN(8)
		if rng.IntN(4) == 0 {
			n = 1 + rng.IntN(300)
		}
		out := make([]string, n)
		for i := range out {
			out[i] = word()
		}
		return out
	}
	extreme := func() float64 {
		switch rng.IntN(6) {
		case 0:
			return 0
		case 1:
			return []float64{maxPoints, -maxPoints, 1e-9, -1e-9, 0.005, -0.005}[rng.IntN(6)]
		}
		return math.Round((rng.Float64()*200-80)*100) / 100
	}
	cond := func() condition {
		c := condition{field: fields[rng.IntN(len(fields))]}
		switch rng.IntN(6) {
		case 0, 1:
			c.op, c.values = []Op{OpIn, OpNotIn}[rng.IntN(2)], values()
		case 2:
			c.op, c.values = OpDomainIn, values()
		case 3:
			c.op = OpRange
			lo, hi := rng.NormFloat64()*1e3, 0.0
			hi = lo + rng.Float64()*1e4
			switch r := rng.IntN(500); {
			case r < 10:
				c.min = &lo
			case r < 20:
				c.max = &hi
			case r == 20: // invalid: an infinite bound cannot be hashed
				inf := math.Inf(1)
				c.min, c.max = &lo, &inf
			default:
				c.min, c.max = &lo, &hi
			}
		default:
			c.op = []Op{OpIsTrue, OpIsFalse}[rng.IntN(2)]
		}
		return c
	}
	m := Model{Name: "wild", Version: "1", DisqualifiedTier: "DQ"}
	for i := range 1 + rng.IntN(80) {
		c := cond()
		crit := Criterion{ID: fmt.Sprintf("c%d", i), Field: c.field, Op: c.op, Values: c.values, Min: c.min, Max: c.max, Points: extreme()}
		if rng.IntN(2) == 0 {
			m.Firmographic = append(m.Firmographic, crit)
		} else {
			m.Technographic = append(m.Technographic, crit)
		}
	}
	if len(m.Firmographic) == 0 {
		m.Firmographic = append(m.Firmographic, Criterion{ID: "anchor", Field: "f0", Op: OpIn, Values: []string{"a"}, Points: 10})
	}
	m.Firmographic[0].Points = 10
	for i := range rng.IntN(3 * stackSignals / 2) {
		s := Signal{ID: fmt.Sprintf("s%d", i), Event: word(), Points: extreme()}
		if rng.IntN(2) == 0 {
			s.Cap = math.Abs(extreme())
		}
		switch rng.IntN(4) {
		case 0:
			s.Decay = Decay{Kind: DecayHalfLife, HalfLifeDays: []float64{1e-300, 5e-324, 1e-9, 1, 30, 1e300}[rng.IntN(6)]}
		case 1:
			s.Decay = Decay{Kind: DecayLinear, LifespanDays: []float64{1e-300, 5e-324, 1, 90, 1e300}[rng.IntN(5)]}
		case 2:
			s.Decay = Decay{LifespanDays: []float64{0, 1e-300, 7, 1e300}[rng.IntN(4)]}
		}
		m.Behavioural = append(m.Behavioural, s)
	}
	for i := range rng.IntN(6) {
		c := cond()
		m.Disqualifiers = append(m.Disqualifiers, Disqualifier{ID: fmt.Sprintf("dq%d", i), Field: c.field, Op: c.op, Values: c.values, Min: c.min, Max: c.max})
	}
	capOf := func() float64 { return []float64{0.01, 1, 100, maxPoints}[rng.IntN(4)] }
	m.Caps = Caps{Firmographic: capOf(), Technographic: capOf(), Behavioural: capOf()}
	m.FitGate = FitGate{Off: rng.IntN(2) == 0, MinFit: math.Min(0.01+rng.Float64()*50, m.Caps.Firmographic+m.Caps.Technographic)}
	ladder := func(prefix string) []Band {
		n := 1 + rng.IntN(6)
		out := make([]Band, n)
		x := 0.0
		for i := n - 1; i >= 0; i-- {
			out[i] = Band{Label: fmt.Sprintf("%s%d", prefix, i), Min: x}
			x += []float64{0.01, 1, 50, 1e8}[rng.IntN(4)]
		}
		return out
	}
	m.Tiers, m.Grid.Fit, m.Grid.Engagement = ladder("T"), ladder("F"), ladder("E")
	if rng.IntN(2) == 0 {
		m.DemandStates = ladder("D")
	}
	return m
}

// wildRecord builds a record over wildModel's fields with values of any
// kind (a kind a condition cannot read is an error, not a panic), long and
// odd texts, and events from the far past to the future.
func wildRecord(rng *rand.Rand, m Model, schema Schema, asOf time.Time) Record {
	texts := []string{"a", "A", "ab", "aR", "r.a", "@", "a@", "@a", ".", "a..b", strings.Repeat("aB", 40), "é", "\x00", " "}
	r := Record{ID: fmt.Sprint(rng.IntN(1000)), Values: make([]Value, len(schema))}
	for i := range r.Values {
		switch rng.IntN(6) {
		case 0:
			r.Values[i] = Text(texts[rng.IntN(len(texts))])
		case 1:
			r.Values[i] = Number([]float64{0, -1, 1e308, math.Inf(1), math.Inf(-1), rng.NormFloat64() * 1e3}[rng.IntN(6)])
		case 2:
			items := make([]string, rng.IntN(5))
			for j := range items {
				items[j] = texts[rng.IntN(len(texts))]
			}
			r.Values[i] = List(items)
		case 3:
			r.Values[i] = Bool(rng.IntN(2) == 0)
		}
	}
	for range rng.IntN(40) {
		typ := texts[rng.IntN(len(texts))]
		if len(m.Behavioural) > 0 && rng.IntN(2) == 0 {
			typ = strings.ToUpper(m.Behavioural[rng.IntN(len(m.Behavioural))].Event)
		}
		at := asOf.Add(-time.Duration(rng.NormFloat64() * 1e6 * float64(time.Hour)))
		if rng.IntN(20) == 0 {
			at = []time.Time{asOf, asOf.AddDate(-5000, 0, 0), asOf.AddDate(5000, 0, 0), asOf.Add(1)}[rng.IntN(4)]
		}
		r.Events = append(r.Events, Event{Type: typ, At: at})
	}
	return r
}

// TestWildModelsNeverPanic is the property "a valid model compiles, scores
// any record, reports, diffs and hashes without panicking": scores stay in
// [0, caps], the tier is one of the model's, and the explained score is the
// batch score.
func TestWildModelsNeverPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 23))
	asOf := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	valid := 0
	for range 400 {
		m := wildModel(rng)
		if err := m.Validate(); err != nil {
			continue
		}
		valid++
		schema := m.Fields()
		var s *Scorer
		require.NotPanics(t, func() {
			var err error
			s, err = m.Compile(schema)
			require.NoError(t, err)
		})
		recs := make([]Record, 10)
		for i := range recs {
			recs[i] = wildRecord(rng, m, schema, asOf)
		}
		require.NotPanics(t, func() {
			results, errs := s.ScoreBatch(recs, asOf, nil)
			bad := map[string]bool{}
			for _, e := range errs {
				bad[e.ID] = true
			}
			for i, res := range results {
				if res.Tier == "" {
					continue
				}
				explained, err := s.Explain(recs[i], asOf, nil)
				require.NoError(t, err)
				explained.Log = nil
				require.Equal(t, res, explained)
				require.True(t, res.Fit >= 0 && res.Fit <= m.Caps.Firmographic+m.Caps.Technographic, "fit %v", res.Fit)
				require.True(t, res.Engagement >= 0 && res.Engagement <= m.Caps.Behavioural, "engagement %v", res.Engagement)
				require.True(t, res.Tier == m.DisqualifiedTier || containsBand(m.Tiers, res.Tier), "tier %q", res.Tier)
			}
			scored := slices.DeleteFunc(results, func(r Result) bool { return r.Tier == "" })
			_, err := m.TierReport(scored, nil, nil)
			require.NoError(t, err)
			_ = Diff(m, wildModel(rng))
			_, err = m.Hash()
			require.NoError(t, err)
		}, "model %+v", m)
	}
	t.Logf("%d valid models", valid)
	assert.Greater(t, valid, 300, "most wild models are valid")
}

func containsBand(bs []Band, label string) bool {
	for _, b := range bs {
		if b.Label == label {
			return true
		}
	}
	return false
}
