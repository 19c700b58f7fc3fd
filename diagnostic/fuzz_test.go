package diagnostic

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/revalign/revalign"
)

// FuzzScore feeds arbitrary answer slices to Score: it never panics, and
// either the total is in 0..MaxScore and lies in the result's band, or the
// error is an invalid-input error.
func FuzzScore(f *testing.F) {
	f.Add([]byte{1, 2, 3, 1, 2, 3, 1, 2, 3, 1}, uint16(0))
	f.Add([]byte{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, uint16(0))
	f.Add([]byte{1, 1, 1}, uint16(3))
	f.Add([]byte{0, 4, 255, 1, 2, 3, 1, 2, 3, 1, 2}, uint16(0x5a5))
	f.Fuzz(func(t *testing.T, data []byte, ids uint16) {
		// Byte i is the answer to a question; bits of ids choose whether
		// response i names the next question or a wrong/repeated one.
		rs := make([]Response, len(data))
		for i, b := range data {
			id := questions[i%numQuestions].ID
			if i < 16 && ids&(1<<i) != 0 {
				id = questions[int(b)%numQuestions].ID
				if b > 200 {
					id = "unknown"
				}
			}
			rs[i] = Response{QuestionID: id, Answer: Answer(int8(b))}
		}
		res, err := Score(rs)
		if err != nil {
			if !errors.Is(err, revalign.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if res.Total < 0 || res.Total > MaxScore {
			t.Fatalf("total %d outside 0..%d", res.Total, MaxScore)
		}
		if !res.Band.Contains(res.Total) || !res.Start.Valid() {
			t.Fatalf("total %d in band %+v, start %v", res.Total, res.Band, res.Start)
		}
		if _, err := res.Plan(Prerequisites{}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzParseAnswer checks that ParseAnswer never panics and that every
// answer it accepts marshals back to a name it reads again.
func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{"yes", "No", "partially", "2", "", " maybe ", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAnswer(s)
		if err != nil {
			return
		}
		b, err := a.MarshalText()
		if err != nil {
			t.Fatalf("ParseAnswer(%q) = %v, which does not marshal: %v", s, a, err)
		}
		again, err := ParseAnswer(string(b))
		if err != nil || again != a {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
	})
}

// FuzzUnmarshalText decodes arbitrary text into every enumeration: never a
// panic, and whatever decodes re-encodes to a name that decodes the same.
func FuzzUnmarshalText(f *testing.F) {
	for _, s := range []string{"written_sla", "4", "leads-suck", "MIXED", "", "step(9)", "no_data"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range []struct {
			dec func([]byte) (textEnum, error)
		}{
			{decoder[Answer]()}, {decoder[Step]()}, {decoder[Prerequisite]()}, {decoder[Dimension]()},
			{decoder[Rating]()}, {decoder[Category]()}, {decoder[Conflict]()}, {decoder[Symptom]()},
			{decoder[Fit]()}, {decoder[Metric]()}, {decoder[Status]()}, {decoder[Trend]()}, {decoder[Verdict]()},
		} {
			v, err := c.dec([]byte(s))
			if err != nil {
				continue
			}
			b, err := v.MarshalText()
			if err != nil {
				t.Fatalf("%q decoded to %v which does not encode: %v", s, v, err)
			}
			w, err := c.dec(b)
			if err != nil || w.String() != v.String() {
				t.Fatalf("%q: %v re-decodes to %v, %v", s, v, w, err)
			}
		}
	})
}

// FuzzConfig decodes arbitrary JSON into a Config: Validate never panics,
// and a valid configuration places every total 0–20 in exactly one band.
func FuzzConfig(f *testing.F) {
	good, _ := json.Marshal(DefaultConfig())
	f.Add(good)
	f.Add([]byte(`{"bands":[{"name":"a","min":0,"max":20,"start":"3"}],"rejection_threshold":0.5}`))
	f.Add([]byte(`{"bands":[{"name":"a","min":0,"max":9,"start":1},{"name":"b","min":9,"max":20,"start":2}]}`))
	f.Add([]byte(`{"bands":[{"name":"a","min":-5,"max":99,"start":1}],"targets":{"win_rate":-1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Config
		if json.Unmarshal(data, &c) != nil {
			return
		}
		if err := c.Validate(); err != nil {
			if !errors.Is(err, revalign.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		for total := 0; total <= MaxScore; total++ {
			n := 0
			for _, b := range c.Bands {
				if b.Contains(total) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("valid config puts total %d in %d bands: %+v", total, n, c.Bands)
			}
			res, err := c.Score(withTotal(total))
			if err != nil || res.Total != total || !res.Start.Valid() {
				t.Fatalf("score %d: %+v, %v", total, res, err)
			}
		}
	})
}

// FuzzScorecard builds scorecards from arbitrary numbers: never a panic,
// invalid numbers are reported, and a valid card has seven rows, one
// reading per period, and a verdict.
func FuzzScorecard(f *testing.F) {
	f.Add(0.7, 0.8, 0.4, 0.2, 2.5, 100, 0.78, 0.91, 0.45, 0.1, 3.0, 100)
	f.Add(math.NaN(), -1.0, 2.0, math.Inf(1), -3.0, -1, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
	f.Fuzz(func(t *testing.T, a1, c1, i1, v1, p1 float64, n1 int, a2, c2, i2, v2, p2 float64, n2 int) {
		mk := func(label string, a, c, i, v, p float64, n int) PeriodMetrics {
			return PeriodMetrics{Period: label,
				MQLAcceptance: Measure{a, n}, FirstTouchCompliance: Measure{c, n}, InfluencedShare: Measure{i, n},
				ForecastVariance: Measure{v, n}, PipelineCoverage: Breakdown{Overall: Measure{p, n}, ByState: map[string]Measure{"x": {a, n}}},
				ContentUtilization: Measure{c, n}, WinRate: Breakdown{Overall: Measure{i, n}},
			}
		}
		card, err := NewScorecard([]PeriodMetrics{mk("a", a1, c1, i1, v1, p1, n1), mk("b", a2, c2, i2, v2, p2, n2)})
		if err != nil {
			if !errors.Is(err, revalign.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if len(card.Metrics) != 7 || card.Verdict < AlignmentIsReal || card.Verdict > Inconclusive {
			t.Fatalf("card %+v", card)
		}
		for _, r := range card.Metrics {
			if len(r.Readings) != 2 || r.Trend < Improved || r.Trend > Reversed {
				t.Fatalf("row %+v", r)
			}
		}
		if _, err := json.Marshal(card); err != nil {
			t.Fatalf("valid card does not marshal: %v", err)
		}
	})
}
