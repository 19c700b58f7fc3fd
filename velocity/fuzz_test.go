package velocity

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign/config"
)

// FuzzParse checks the text parsers: no panic, and what parses prints back
// to a name that parses to the same value.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"win_rate", "Cycle", "Best case", "closed won", "", " COMMIT ", "Lever(3)", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if l, err := ParseLever(s); err == nil {
			if back, err := ParseLever(l.String()); err != nil || back != l {
				t.Fatalf("lever %q → %v → %v, %v", s, l, back, err)
			}
		}
		if c, err := ParseCategory(s); err == nil {
			if back, err := ParseCategory(c.String()); err != nil || back != c {
				t.Fatalf("category %q → %v → %v, %v", s, c, back, err)
			}
		}
		if st, err := ParseStatus(s); err == nil {
			if back, err := ParseStatus(st.String()); err != nil || back != st {
				t.Fatalf("status %q → %v → %v, %v", s, st, back, err)
			}
		}
	})
}

// FuzzInputs checks the formula on arbitrary numbers: invalid inputs are an
// error, never a panic or an infinity; valid ones give a velocity >= 0, and
// a scenario's ratio is the product of its lever factors.
func FuzzInputs(f *testing.F) {
	f.Add(100.0, int64(10000), 0.25, 50.0, 0.1, -0.1)
	f.Add(0.0, int64(0), 0.0, 0.0, 0.0, 0.0)
	f.Add(math.Inf(1), int64(-5), math.NaN(), 1e-300, 5.0, -1.0)
	f.Fuzz(func(t *testing.T, n float64, s int64, w, l, up, cut float64) {
		in := Inputs{Opportunities: n, DealSize: decimal.New(s, -2), WinRate: w, CycleDays: l}
		v, err := in.Velocity()
		if err != nil {
			if in.Validate() == nil {
				t.Fatalf("valid %+v: %v", in, err)
			}
			return
		}
		if v.IsNegative() {
			t.Fatalf("velocity %s < 0 for %+v", v, in)
		}
		o, err := in.Apply(Move{Lever: Opportunities, Relative: up}, Move{Lever: CycleLength, Relative: cut})
		if err != nil {
			return
		}
		want := (1 + up) / (1 + cut)
		if math.Abs(o.Ratio-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("ratio %v, want %v", o.Ratio, want)
		}
	})
}

// FuzzConfig feeds arbitrary documents to the strict loader for every
// configuration type: errors, never panics.
func FuzzConfig(f *testing.F) {
	for _, s := range []string{
		`{"currency":"USD","no_decision":"loss","cycle_statistic":"mean","opportunity_basis":"open_at_end","min_sample":5}`,
		"step: 0.05\nmax: {opportunities: 0.5}\n",
		"name: p\ncurrency: USD\ntargets: [{segment: all, revenue: 1}]\nfunnels: [{segment: all, deal_size: 1, steps: [{name: o, conversion: 0.5}]}]\n",
		`{"runs": 10, "concentration": -1}`,
		"opportunities: {owner: {name: A, team: marketing}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Config
		_ = config.Unmarshal(data, &c)
		var g Grid
		_ = config.Unmarshal(data, &g)
		var p Plan
		if config.Unmarshal(data, &p) == nil {
			_, _ = p.Work()
		}
		var s Simulation
		_ = config.Unmarshal(data, &s)
		var o Owners
		_ = config.Unmarshal(data, &o)
		var st Stages
		_ = config.Unmarshal(data, &st)
	})
}
