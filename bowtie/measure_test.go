package bowtie_test

import (
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
)

var (
	mkt   = revalign.Owner{Name: "Maya", Team: revalign.Marketing}
	sales = revalign.Owner{Name: "Sam", Team: revalign.Sales}
	cs    = revalign.Owner{Name: "Cleo", Team: revalign.CustomerSuccess}
)

// smallModel is a four-stage bowtie: A and B (the knot) on the left, C and
// D on the right. Items time out after 30 days in A and 60 in C; B has no
// timeout (only explicit losses count).
func smallModel() bowtie.Model {
	st := func(name string, side bowtie.Side, p revalign.Owner, n string, lost int, last bool) bowtie.Stage {
		s := bowtie.Stage{Name: name, Side: side, Definition: "in " + name,
			Owners:  []bowtie.StageOwner{{Owner: p, Role: bowtie.Primary}},
			Metrics: bowtie.Metrics{Volume: "VM" + n}, LostAfterDays: lost}
		if !last {
			s.Handoff = []string{"ready for the next stage"}
			s.Metrics.Conversion, s.Metrics.Time = "CR"+n, "T"+n
		}
		return s
	}
	return bowtie.Model{Stages: []bowtie.Stage{
		st("A", bowtie.Left, mkt, "1", 30, false),
		st("B", bowtie.Left, sales, "2", 0, false),
		st("C", bowtie.Right, cs, "3", 60, false),
		st("D", bowtie.Right, cs, "4", 0, true),
	}}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func q1() revalign.Period { return revalign.Period{Start: day(2026, 1, 1), End: day(2026, 4, 1)} }

func ev(id, stage string, at time.Time) bowtie.Event {
	return bowtie.Event{Entity: id, Stage: stage, At: at}
}

func lostEv(id, stage string, at time.Time) bowtie.Event {
	return bowtie.Event{Entity: id, Stage: stage, At: at, Lost: true}
}

// handEvents are the events of TestMeasureHandComputed; the comments give
// each entity's fate, worked out by hand.
func handEvents() []bowtie.Event {
	return []bowtie.Event{
		// e1 goes all the way: A→B 5 days, B→C 22, C→D 28.
		ev("e1", "A", day(2026, 1, 5)), ev("e1", "B", day(2026, 1, 10)), ev("e1", "C", day(2026, 2, 1)), ev("e1", "D", day(2026, 3, 1)),
		// e2 skips B: passes A→B and B→C at Jan 20 (B implied, no time
		// counted), then sits in C 71 days > 60: timed out.
		ev("e2", "A", day(2026, 1, 6)), ev("e2", "C", day(2026, 1, 20)),
		// e3 is 12 days into A at the window's end: censored.
		ev("e3", "A", day(2026, 3, 20)),
		// e4 is lost from A.
		ev("e4", "A", day(2026, 1, 2)), lostEv("e4", "A", day(2026, 1, 15)),
		// e5 sits in A 88 days > 30: timed out.
		ev("e5", "A", day(2026, 1, 3)),
		// e6 reached B (and so A) before the window: only its C entry
		// counts, then 86 days in C: timed out.
		ev("e6", "B", day(2025, 12, 15)), ev("e6", "C", day(2026, 1, 5)),
		// e7 converts A→B in 9 days, then is lost from B.
		ev("e7", "A", day(2026, 2, 1)), ev("e7", "B", day(2026, 2, 10)), lostEv("e7", "B", day(2026, 2, 20)),
		// e8 converts A→B in 28 days; B has no timeout: censored in B.
		ev("e8", "A", day(2026, 2, 1)), ev("e8", "B", day(2026, 3, 1)),
		// e9 only appears after the window.
		ev("e9", "A", day(2026, 4, 5)),
		// e10 sits in A 45 days > 30: timed out; its loss from C, a stage
		// it never reached, is a record error.
		ev("e10", "A", day(2026, 2, 15)), lostEv("e10", "C", day(2026, 2, 20)),
		// three bad records
		ev("", "A", day(2026, 1, 1)), ev("e11", "Z", day(2026, 1, 1)), ev("e12", "A", time.Time{}),
	}
}

func TestMeasureHandComputed(t *testing.T) {
	rep, errs, err := smallModel().Measure(handEvents(), q1(), bowtie.Options{Cohort: revalign.Month})
	require.NoError(t, err)

	ids := []string{}
	for _, e := range errs {
		ids = append(ids, e.ID)
		assert.ErrorIs(t, e, revalign.ErrInvalid)
	}
	assert.ElementsMatch(t, []string{"record 20", "e11", "e12", "e10"}, ids)
	assert.Equal(t, 9, rep.Entities) // e1–e8, e10
	assert.Equal(t, 1, rep.AfterWindow)

	type vol struct{ volume, implied, inside int }
	wantVol := []vol{{8, 0, 1}, {4, 1, 1}, {3, 0, 0}, {1, 0, 1}}
	for i, w := range wantVol {
		s := rep.Stages[i]
		assert.Equal(t, w, vol{s.Volume, s.Implied, s.Inside}, "stage %s", s.Name)
	}
	assert.True(t, rep.Stages[1].Knot)
	assert.Equal(t, sales, rep.Stages[1].Primary)

	type cnt struct{ entered, conv, lost, timedOut, censored int }
	// Conversions by hand, censored entities at risk until their age
	// (Aalen–Johansen; S is the share still in the stage):
	//  A→B ages: 5 conv (e1), 9 conv (e7), 12 censored (e3), 13 lost (e4),
	//      14 conv (e2), 28 conv (e8), 30 timed out ×2 (e5, e10, at 30):
	//      1/8 + 7/8·1/7 = 0.25; S = 6/8, then 5 at risk: S = 0.6 after the
	//      loss; + 0.6·1/4 = 0.4; S = 0.45; + 0.45·1/3 = 0.55. (Leaving e3
	//      out, the ratio would be 4/7.)
	//  B→C ages: 0 conv (e2, B skipped), 10 lost (e7), 22 conv (e1), 31
	//      censored (e8): 1/4 + 3/4·2/3·1/2 = 0.5. (Not 2/3: e8 has been
	//      in B longer than e1 took.)
	//  C→D: nothing censored: 1/3.
	want := []struct {
		c    cnt
		conv float64
	}{
		{cnt{8, 4, 1, 2, 1}, 0.55},
		{cnt{4, 2, 1, 0, 1}, 0.5},
		{cnt{3, 1, 0, 2, 0}, 1.0 / 3},
	}
	for i, w := range want {
		tr := rep.Transitions[i]
		assert.Equal(t, w.c, cnt{tr.Entered, tr.Converted, tr.Lost, tr.TimedOut, tr.Censored}, "%s→%s", tr.From, tr.To)
		assert.InDelta(t, w.conv, tr.Conversion, 1e-12)
	}
	assert.Equal(t, bowtie.Left, rep.Transitions[0].Side)
	assert.Equal(t, bowtie.Right, rep.Transitions[1].Side, "the transition out of the knot is right-side")
	assert.Equal(t, mkt, rep.Transitions[0].Owner)
	assert.Equal(t, sales, rep.Transitions[0].Receiver)
	assert.Equal(t, "CR1", rep.Transitions[0].ConversionMetric)

	// A→B times: e1 5, e7 9, e8 28 days (e2 skipped B).
	tm := rep.Transitions[0].Time
	assert.Equal(t, 3, tm.N)
	assert.InDelta(t, 14, tm.MeanDays, 1e-9)
	assert.InDelta(t, 9, tm.MedianDays, 1e-9)
	assert.InDelta(t, 18.5, tm.P75Days, 1e-9) // 9 + 0.5 × (28 − 9)
	assert.Equal(t, 1, rep.Transitions[1].Time.N)
	assert.InDelta(t, 22, rep.Transitions[1].Time.MedianDays, 1e-9)

	p, err := rep.CompoundConversion("A", "D")
	require.NoError(t, err)
	assert.InDelta(t, 0.55*0.5/3, p, 1e-12)
	_, err = rep.CompoundConversion("D", "A")
	assert.ErrorIs(t, err, revalign.ErrInvalid)

	// Cohorts by month of entry into A: Jan e1 e2 e4 e5, Feb e7 e8 e10,
	// Mar e3.
	require.Len(t, rep.Cohorts, 3)
	ab := func(i int) cnt {
		c := rep.Cohorts[i].Transitions[0]
		return cnt{c.Entered, c.Converted, c.Lost, c.TimedOut, c.Censored}
	}
	assert.Equal(t, cnt{4, 2, 1, 1, 0}, ab(0))
	assert.Equal(t, cnt{3, 2, 0, 1, 0}, ab(1))
	assert.Equal(t, cnt{1, 0, 0, 0, 1}, ab(2))
	assert.True(t, rep.Cohorts[2].Transitions[0].Withheld, "nothing decided")
	assert.Equal(t, day(2026, 2, 1), rep.Cohorts[1].Period.Start)
}

func TestMeasureOutOfOrderEntries(t *testing.T) {
	// x enters C before B: B is reached (implied) when C is, and the B
	// entry three days later does not count. No time is measured for
	// A→B or B→C, since B's own entry came after C.
	events := []bowtie.Event{
		ev("x", "A", day(2026, 1, 10)), ev("x", "C", day(2026, 1, 12)), ev("x", "B", day(2026, 1, 15)),
	}
	rep, errs, err := smallModel().Measure(events, q1(), bowtie.Options{})
	require.NoError(t, err)
	assert.Empty(t, errs)
	assert.Equal(t, 1, rep.Stages[1].Implied)
	assert.Equal(t, 1, rep.Transitions[0].Converted)
	assert.Equal(t, 1, rep.Transitions[1].Converted)
	assert.Zero(t, rep.Transitions[0].Time.N)
	assert.Zero(t, rep.Transitions[1].Time.N)
	assert.True(t, rep.Transitions[0].Time.Withheld)
}

func TestMeasureRequiredStageIsNotPassedThrough(t *testing.T) {
	m := smallModel()
	m.Stages[2].Required = true // C: a milestone, as Impact in the default model
	events := []bowtie.Event{
		// r1 goes B → D without C: it never reached C.
		ev("r1", "B", day(2026, 1, 5)), ev("r1", "D", day(2026, 2, 1)),
		// r2 goes B → D, then reaches C afterwards: C counts when entered.
		ev("r2", "B", day(2026, 1, 5)), ev("r2", "D", day(2026, 1, 20)), ev("r2", "C", day(2026, 2, 10)),
		// r3 skips B (not required) on its way to C.
		ev("r3", "A", day(2026, 1, 5)), ev("r3", "C", day(2026, 1, 9)),
	}
	rep, errs, err := m.Measure(events, q1(), bowtie.Options{})
	require.NoError(t, err)
	assert.Empty(t, errs)
	vol := func(i int) [2]int { return [2]int{rep.Stages[i].Volume, rep.Stages[i].Implied} }
	assert.Equal(t, [2]int{3, 1}, vol(1), "B: r1, r2, and r3 passing through")
	assert.Equal(t, [2]int{2, 0}, vol(2), "C: r2 and r3, never r1")
	assert.Equal(t, [2]int{2, 0}, vol(3), "D: r1 and r2")
	bc := rep.Transitions[1]
	assert.Equal(t, [4]int{3, 2, 0, 1}, [4]int{bc.Entered, bc.Converted, bc.Lost + bc.TimedOut, bc.Censored}, "r1 still in B, censored")
	cd := rep.Transitions[2]
	assert.Equal(t, [2]int{2, 1}, [2]int{cd.Entered, cd.Converted}, "r2 converted C→D at once (D came first); r3 censored in C")
	assert.Equal(t, 0, cd.Time.N, "r2's D entry came before its C entry")
}

func TestMeasureMinSampleWithholds(t *testing.T) {
	rep, _, err := smallModel().Measure(handEvents(), q1(), bowtie.Options{MinSample: 4})
	require.NoError(t, err)
	assert.False(t, rep.Transitions[0].Withheld, "7 decided")
	assert.True(t, rep.Transitions[1].Withheld, "3 decided")
	assert.True(t, rep.Transitions[0].Time.Withheld, "3 times")
	assert.Zero(t, rep.Transitions[0].Time.MedianDays)
}

func TestMeasureRejectsBadArguments(t *testing.T) {
	m := smallModel()
	_, _, err := m.Measure(nil, revalign.Period{Start: day(2026, 2, 1), End: day(2026, 1, 1)}, bowtie.Options{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, _, err = m.Measure(nil, q1(), bowtie.Options{Cohort: revalign.Unit(9)})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, _, err = m.Measure(nil, q1(), bowtie.Options{Cohort: revalign.Month, Calendar: revalign.FiscalCalendar{StartMonth: 13}})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	bad := m
	bad.Stages = bad.Stages[:1]
	_, _, err = bad.Measure(nil, q1(), bowtie.Options{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)

	rep, errs, err := m.Measure(nil, q1(), bowtie.Options{})
	require.NoError(t, err)
	assert.Empty(t, errs)
	assert.Len(t, rep.Transitions, 3)
	assert.Zero(t, rep.Transitions[0].Conversion)
	assert.True(t, rep.Transitions[0].Withheld)
}

// naiveMeasure is an independent, slow implementation of the counting rules
// written straight from the documentation, for the differential test.
func naiveMeasure(m bowtie.Model, events []bowtie.Event, w revalign.Period) []bowtie.Counts {
	k := len(m.Stages)
	type hist struct {
		first  []time.Time
		lostAt []time.Time
	}
	hs := map[string]*hist{}
	for _, e := range events {
		if !e.At.Before(w.End) {
			continue
		}
		h := hs[e.Entity]
		if h == nil {
			h = &hist{first: make([]time.Time, k), lostAt: make([]time.Time, k)}
			hs[e.Entity] = h
		}
		s := m.Index(e.Stage)
		if e.Lost {
			if h.lostAt[s].IsZero() || e.At.Before(h.lostAt[s]) {
				h.lostAt[s] = e.At
			}
		} else if h.first[s].IsZero() || e.At.Before(h.first[s]) {
			h.first[s] = e.At
		}
	}
	out := make([]bowtie.Counts, k-1)
	obs := make([][]observation, k-1)
	for _, h := range hs {
		reachAt := func(s int) (time.Time, bool) {
			if m.Stages[s].Required {
				return h.first[s], !h.first[s].IsZero()
			}
			var best time.Time
			for j := s; j < k; j++ {
				if !h.first[j].IsZero() && (best.IsZero() || h.first[j].Before(best)) {
					best = h.first[j]
				}
			}
			return best, !best.IsZero()
		}
		for s := range k - 1 {
			r, ok := reachAt(s)
			if !ok || r.Before(w.Start) {
				continue
			}
			c := &out[s]
			c.Entered++
			nextAt, next := reachAt(s + 1)
			limit := time.Duration(m.Stages[s].LostAfterDays) * 24 * time.Hour
			switch {
			case next:
				c.Converted++
				obs[s] = append(obs[s], observation{max(nextAt.Sub(r), 0), 'c'})
			case !h.lostAt[s].IsZero():
				c.Lost++
				obs[s] = append(obs[s], observation{max(h.lostAt[s].Sub(r), 0), 'l'})
			case limit > 0 && w.End.Sub(r) > limit:
				c.TimedOut++
				obs[s] = append(obs[s], observation{limit, 'l'})
			default:
				c.Censored++
				obs[s] = append(obs[s], observation{w.End.Sub(r), 'x'})
			}
		}
	}
	for s := range out {
		out[s].Conversion = naiveIncidence(obs[s])
	}
	return out
}

type observation struct {
	age  time.Duration
	kind byte // 'c' converted, 'l' lost, 'x' censored
}

// naiveIncidence is the Aalen–Johansen estimate written from its
// definition: at each distinct event age t, with n(t) observations of age
// ≥ t at risk, conversion adds S(t−)·conversions(t)/n(t) and S falls by
// (conversions + losses)(t)/n(t).
func naiveIncidence(obs []observation) float64 {
	ages := map[time.Duration]bool{}
	for _, o := range obs {
		if o.kind != 'x' {
			ages[o.age] = true
		}
	}
	times := slices.Sorted(maps.Keys(ages))
	surv, cif := 1.0, 0.0
	for _, t := range times {
		var n, conv, lost float64
		for _, o := range obs {
			switch {
			case o.age < t:
			case o.age > t || o.kind == 'x':
				n++
			default:
				n++
				if o.kind == 'c' {
					conv++
				} else {
					lost++
				}
			}
		}
		cif += surv * conv / n
		surv *= 1 - (conv+lost)/n
	}
	return cif
}

func TestMeasureMatchesNaive(t *testing.T) {
	m := smallModel()
	stages := []string{"A", "B", "C", "D"}
	for seed := range uint64(20) {
		m.Stages[2].Required = seed%2 == 1
		r := rand.New(rand.NewPCG(seed, 3))
		var events []bowtie.Event
		for range 300 {
			id := string(rune('a' + r.IntN(26)))
			at := day(2025, 11, 1).Add(time.Duration(r.IntN(200*24)) * time.Hour)
			events = append(events, bowtie.Event{Entity: id, Stage: stages[r.IntN(4)], At: at, Lost: r.IntN(8) == 0})
		}
		rep, _, err := m.Measure(events, q1(), bowtie.Options{})
		require.NoError(t, err)
		// Measure reports losses from stages never reached as errors and
		// leaves them out; the naive side is given the events without them.
		want := naiveMeasure(m, keepReachedLosses(m, events, q1().End), q1())
		for i, tr := range rep.Transitions {
			got := tr.Counts
			assert.InDelta(t, want[i].Conversion, got.Conversion, 1e-12, "seed %d, %s→%s", seed, tr.From, tr.To)
			got.Conversion, got.Withheld = 0, false
			want[i].Conversion = 0
			assert.Equal(t, want[i], got, "seed %d, %s→%s", seed, tr.From, tr.To)
			if tr.Censored == 0 && tr.Decided() > 0 {
				assert.InDelta(t, float64(tr.Converted)/float64(tr.Decided()), tr.Conversion, 1e-12)
			}
			// The population splits exactly.
			assert.Equal(t, tr.Entered, tr.Converted+tr.Lost+tr.TimedOut+tr.Censored)
			assert.Equal(t, rep.Stages[i].Volume, tr.Entered)
			if !m.Stages[2].Required { // a required stage may be entered after later ones
				assert.LessOrEqual(t, tr.Converted, rep.Stages[i+1].Volume)
			}
		}
	}
}

// keepReachedLosses drops the lost events for stages beyond the furthest
// stage the entity entered before end (which Measure reports as errors).
func keepReachedLosses(m bowtie.Model, events []bowtie.Event, end time.Time) []bowtie.Event {
	furthest := map[string]int{}
	for _, e := range events {
		if !e.Lost && e.At.Before(end) {
			furthest[e.Entity] = max(furthest[e.Entity], m.Index(e.Stage)+1)
		}
	}
	var out []bowtie.Event
	for _, e := range events {
		if e.Lost && m.Index(e.Stage) >= furthest[e.Entity] {
			continue
		}
		out = append(out, e)
	}
	return out
}

func TestMeasureRecordErrorsAreReported(t *testing.T) {
	rep, errs, err := smallModel().Measure([]bowtie.Event{ev("ok", "A", day(2026, 1, 2)), ev("bad", "nope", day(2026, 1, 2))}, q1(), bowtie.Options{})
	require.NoError(t, err)
	require.Len(t, errs, 1)
	var fe *revalign.FieldError
	require.True(t, errors.As(errs[0], &fe))
	assert.Equal(t, "stage", fe.Path)
	assert.Equal(t, "bad", errs[0].ID)
	assert.Equal(t, 1, rep.Events)
}

// FuzzMeasure feeds arbitrary events: Measure never panics and every
// population splits exactly into converted, lost, timed out and censored,
// with conversions in [0,1].
func FuzzMeasure(f *testing.F) {
	f.Add("e", "A", int64(0), false, "e", "C", int64(86400*20), true)
	f.Add("", "Z", int64(-1<<62), true, "x", "D", int64(1<<62), false)
	f.Fuzz(func(t *testing.T, id1, st1 string, at1 int64, lost1 bool, id2, st2 string, at2 int64, lost2 bool) {
		base := day(2026, 1, 1)
		events := []bowtie.Event{
			{Entity: id1, Stage: st1, At: base.Add(time.Duration(at1)), Lost: lost1},
			{Entity: id2, Stage: st2, At: base.Add(time.Duration(at2)), Lost: lost2},
			ev("fixed", "A", day(2026, 1, 2)),
		}
		rep, errs, err := smallModel().Measure(events, q1(), bowtie.Options{Cohort: revalign.Week})
		require.NoError(t, err)
		assert.LessOrEqual(t, len(errs), 2)
		for _, tr := range rep.Transitions {
			assert.Equal(t, tr.Entered, tr.Converted+tr.Lost+tr.TimedOut+tr.Censored)
			assert.True(t, tr.Conversion >= 0 && tr.Conversion <= 1)
		}
	})
}
