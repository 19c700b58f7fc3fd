package bowtie_test

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// craftedReport is the small model's bowtie with chosen counts, so that each
// leak definition names a different transition:
//
//	A→B (left)  1000 in, 10% (benchmark 12%): lowest conversion
//	B→C (right)   50 in, 50% (benchmark 90%): largest gap, 40 points
//	C→D (right)  400 in, 80% (benchmark 95%): largest impact
//
// Impacts, by hand, at deal ARR 10,000, customer ARR 1,000, NRR 100%, 4
// years: A→B 1000 × 0.02 = 20 more wins × 10,000 = 200,000 once; B→C 50 ×
// 0.4 = 20 more customers × 0.8 (C→D) × 1,000 = 16,000 a year, 64,000 over
// 4 years; C→D 400 × 0.15 = 60 × 1,000 = 60,000 a year, 240,000.
func craftedReport() bowtie.Report {
	tr := func(from, to string, side bowtie.Side, owner revalign.Owner, entered, conv, lost int) bowtie.Transition {
		c := bowtie.Counts{Entered: entered, Converted: conv, Lost: lost, Conversion: float64(conv) / float64(conv+lost)}
		return bowtie.Transition{From: from, To: to, Side: side, Owner: owner, Counts: c}
	}
	return bowtie.Report{
		Stages: []bowtie.StageReport{{Name: "A", Side: bowtie.Left}, {Name: "B", Side: bowtie.Left, Knot: true}, {Name: "C", Side: bowtie.Right}, {Name: "D", Side: bowtie.Right}},
		Transitions: []bowtie.Transition{
			tr("A", "B", bowtie.Left, mkt, 1000, 100, 900),
			tr("B", "C", bowtie.Right, sales, 50, 25, 25),
			tr("C", "D", bowtie.Right, cs, 400, 320, 80),
		},
	}
}

func craftedBenchmarks() bowtie.Benchmarks {
	return bowtie.Benchmarks{
		{From: "A", To: "B", Conversion: 0.12, Source: "test"},
		{From: "B", To: "C", Conversion: 0.90, Source: "test"},
		{From: "C", To: "D", Conversion: 0.95, Source: "test"},
	}
}

func craftedEconomics() bowtie.Economics {
	return bowtie.Economics{Currency: "USD", AverageDealARR: dec("10000"), AverageCustomerARR: dec("1000"), NRR: 1, Years: 4}
}

func TestDiagnoseEachDefinitionNamesADifferentLeak(t *testing.T) {
	d, err := bowtie.Diagnose(craftedReport(), craftedBenchmarks(), craftedEconomics())
	require.NoError(t, err)
	want := map[bowtie.Definition]string{
		bowtie.LowestConversion: "A→B",
		bowtie.LargestGap:       "B→C",
		bowtie.LargestImpact:    "C→D",
	}
	require.Len(t, d.Rankings, 3)
	for def, tr := range want {
		leak, ok := d.Leak(def)
		require.True(t, ok, def.String())
		assert.Equal(t, tr, leak.From+"→"+leak.To, def.String())
	}
	leak, _ := d.Leak(bowtie.LargestImpact)
	assert.Equal(t, cs, leak.Owner)

	imp := func(from string) bowtie.Impact {
		for _, c := range d.Rankings[2].Ranked {
			if c.From == from {
				return c.Impact
			}
		}
		t.Fatalf("no candidate from %s", from)
		return bowtie.Impact{}
	}
	a, b, c := imp("A"), imp("B"), imp("C")
	assert.False(t, a.Recurring)
	assert.InDelta(t, 20, a.Extra, 1e-9)
	assert.Equal(t, "200000", a.ARR.String())
	assert.Equal(t, "200000", a.Total.String())
	assert.True(t, a.RunRate.IsZero())
	assert.True(t, b.Recurring)
	assert.Equal(t, "16000", b.ARR.String())
	assert.Equal(t, "64000", b.Total.String())
	assert.Equal(t, "60000", c.ARR.String())
	assert.Equal(t, "240000", c.Total.String())
	assert.Equal(t, "60000", c.RunRate.String())

	// Rankings are worst first.
	order := func(def int) []string {
		var out []string
		for _, c := range d.Rankings[def].Ranked {
			out = append(out, c.From)
		}
		return out
	}
	assert.Equal(t, []string{"A", "B", "C"}, order(0)) // 10%, 50%, 80%
	assert.Equal(t, []string{"B", "C", "A"}, order(1)) // 40, 15, 2 points
	assert.Equal(t, []string{"C", "A", "B"}, order(2)) // 240k, 200k, 64k
}

func TestDiagnoseRecurringGainsCompound(t *testing.T) {
	// At NRR 110% the right-side gains grow: C→D's 60,000 a year is worth
	// 60,000 × (1 + 1.1 + 1.21 + 1.331) = 278,460 over 4 years.
	e := craftedEconomics()
	e.NRR = 1.1
	d, err := bowtie.Diagnose(craftedReport(), craftedBenchmarks(), e)
	require.NoError(t, err)
	leak, _ := d.Leak(bowtie.LargestImpact)
	assert.Equal(t, "C", leak.From)
	assert.Equal(t, "278460", leak.Impact.Total.String())
	assert.Equal(t, "79860", leak.Impact.RunRate.String()) // 60,000 × 1.331
}

func TestEconomicsCompound(t *testing.T) {
	// REFERENCE §4: cohort ARR 100 over 4 years is 400 at NRR 100%, 464 at
	// NRR 110%, with a year-4 run-rate of 133.
	tests := []struct {
		nrr        float64
		years      int
		total, run string
		currency   string
		arr        string
	}{
		{1.0, 4, "400", "100", "USD", "100"},
		{1.1, 4, "464.1", "133.1", "USD", "100"},
		{0.9, 1, "100", "100", "USD", "100"},
		{1.1, 3, "331", "121", "JPY", "100"}, // 100 + 110 + 121, 0 places
		{1.07, 2, "2.07", "1.07", "USD", "1"},
		{0.95, 3, "1.43", "0.45", "USD", "0.5"}, // 0.5 + 0.475 + 0.45125
	}
	for _, tt := range tests {
		e := bowtie.Economics{Currency: tt.currency, NRR: tt.nrr, Years: tt.years}
		total, run, err := e.Compound(dec(tt.arr))
		require.NoError(t, err)
		assert.Equal(t, tt.total, total.String(), "%v", tt)
		assert.Equal(t, tt.run, run.String(), "%v", tt)
	}
}

func TestDiagnoseExclusions(t *testing.T) {
	rep := craftedReport()
	rep.Transitions[1].Withheld = true
	bench := craftedBenchmarks()[:1] // only A→B
	d, err := bowtie.Diagnose(rep, bench, bowtie.Economics{})
	require.NoError(t, err)

	low := d.Rankings[0]
	assert.Equal(t, []bowtie.Excluded{{From: "B", To: "C", Reason: "sample too small: 50 decided"}}, low.Unranked)
	gap := d.Rankings[1]
	assert.Len(t, gap.Ranked, 1)
	assert.Equal(t, "no benchmark", gap.Unranked[1].Reason)
	imp := d.Rankings[2]
	assert.Empty(t, imp.Ranked)
	assert.Nil(t, imp.Leak)
	assert.Equal(t, "no economics", imp.Unranked[0].Reason)
	_, ok := d.Leak(bowtie.LargestImpact)
	assert.False(t, ok)
}

func TestDiagnoseNoLeakWhenBenchmarksAreMet(t *testing.T) {
	bench := bowtie.Benchmarks{{From: "A", To: "B", Conversion: 0.05}, {From: "B", To: "C", Conversion: 0.2}, {From: "C", To: "D", Conversion: 0.5}}
	d, err := bowtie.Diagnose(craftedReport(), bench, craftedEconomics())
	require.NoError(t, err)
	_, ok := d.Leak(bowtie.LargestGap)
	assert.False(t, ok, "every transition beats its benchmark")
	_, ok = d.Leak(bowtie.LargestImpact)
	assert.False(t, ok)
	leak, ok := d.Leak(bowtie.LowestConversion)
	assert.True(t, ok, "the lowest conversion always exists")
	assert.Equal(t, "A", leak.From)
	assert.InDelta(t, -0.05, leak.Gap, 1e-12)
}

func TestDiagnoseDownstreamWithoutDecisionsUsesBenchmark(t *testing.T) {
	rep := craftedReport()
	rep.Transitions[2].Counts = bowtie.Counts{Entered: 10, Censored: 10, Withheld: true}
	d, err := bowtie.Diagnose(rep, craftedBenchmarks(), craftedEconomics())
	require.NoError(t, err)
	// B→C: 20 more customers × 0.95 (C→D's benchmark) × 1,000 = 19,000.
	for _, c := range d.Rankings[2].Ranked {
		if c.From == "B" {
			assert.Equal(t, "19000", c.Impact.ARR.String())
		}
	}
}

func TestDiagnoseRejectsBadInput(t *testing.T) {
	tests := []struct {
		name  string
		bench bowtie.Benchmarks
		econ  bowtie.Economics
		path  string
	}{
		{"unknown transition", bowtie.Benchmarks{{From: "A", To: "C", Conversion: 0.1}}, bowtie.Economics{}, "benchmarks[0]"},
		{"conversion above 1", bowtie.Benchmarks{{From: "A", To: "B", Conversion: 1.5}}, bowtie.Economics{}, "benchmarks[0].conversion"},
		{"twice", bowtie.Benchmarks{{From: "A", To: "B", Conversion: 0.1}, {From: "A", To: "B", Conversion: 0.2}}, bowtie.Economics{}, "benchmarks[1]"},
		{"blank stage", bowtie.Benchmarks{{From: "", To: "B", Conversion: 0.1}}, bowtie.Economics{}, "benchmarks[0].from"},
		{"negative ARR", nil, bowtie.Economics{Currency: "USD", AverageDealARR: dec("-1"), NRR: 1, Years: 4}, "economics.average_deal_arr"},
		{"no years", nil, bowtie.Economics{Currency: "USD", AverageDealARR: dec("1"), NRR: 1}, "economics.years"},
		{"no currency", nil, bowtie.Economics{AverageDealARR: dec("1"), NRR: 1, Years: 1}, "economics.currency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bowtie.Diagnose(craftedReport(), tt.bench, tt.econ)
			assert.Contains(t, fieldPaths(t, err), tt.path)
		})
	}
}

func TestDefaultBenchmarks(t *testing.T) {
	require.NoError(t, bowtie.DefaultBenchmarks().Validate())
	third := bowtie.ThirdPartyBenchmarks()
	assert.Len(t, third, 3)
	for _, b := range third {
		assert.Contains(t, b.Source, "third-party")
	}
	all := bowtie.DefaultBenchmarks()
	assert.Len(t, all, 6)
	for _, b := range all[3:] {
		assert.Contains(t, b.Source, "revalign assumption")
	}
	assert.InDelta(t, 0.4*0.6, all[1].Conversion, 1e-12, "MQL→SQL × SQL→Opp")
	// Every default benchmark names a transition of the default model.
	rep, _, err := bowtie.DefaultModel().Measure(nil, q1(), bowtie.Options{})
	require.NoError(t, err)
	_, err = bowtie.Diagnose(rep, all, bowtie.Economics{})
	assert.NoError(t, err)
}

func FuzzDiagnose(f *testing.F) {
	f.Add("A", "B", 0.5, "USD", "100", 1.1, 4)
	f.Add("", "B", -1.0, "", "-1", -1.0, 0)
	f.Add("C", "D", 2.0, "JPY", "1e9", 1e300, 100)
	f.Fuzz(func(t *testing.T, from, to string, conv float64, cur, arr string, nrr float64, years int) {
		amount, err := decimal.NewFromString(arr)
		if err != nil {
			t.Skip("the fuzzer's ARR is not a decimal number")
		}
		b := bowtie.Benchmarks{{From: from, To: to, Conversion: conv}}
		e := bowtie.Economics{Currency: cur, AverageDealARR: amount, AverageCustomerARR: amount, NRR: nrr, Years: years}
		d, err := bowtie.Diagnose(craftedReport(), b, e)
		if err != nil {
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			return
		}
		for _, r := range d.Rankings {
			assert.Equal(t, 3, len(r.Ranked)+len(r.Unranked))
		}
	})
}

// An NRR that is not a number, or infinite, is an error from Compound and
// Diagnose, never a panic inside decimal; so is a hand-built report whose
// conversions are not rates.
func TestEconomicsAndDiagnoseRejectNonFinite(t *testing.T) {
	for _, nrr := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), -0.5} {
		e := craftedEconomics()
		e.NRR = nrr
		_, _, err := e.Compound(dec("100"))
		assert.ErrorIs(t, err, revalign.ErrInvalid, "%v", nrr)
		assert.ErrorContains(t, err, "economics.nrr")
		_, err = bowtie.Diagnose(craftedReport(), craftedBenchmarks(), e)
		assert.ErrorIs(t, err, revalign.ErrInvalid, "%v", nrr)
	}
	for _, conv := range []float64{math.NaN(), math.Inf(1), -0.1, 1.5} {
		rep := craftedReport()
		rep.Transitions[2].Conversion = conv // downstream of B→C, whose impact multiplies by it
		assert.NotPanics(t, func() {
			_, err := bowtie.Diagnose(rep, craftedBenchmarks(), craftedEconomics())
			assert.ErrorIs(t, err, revalign.ErrInvalid, "%v", conv)
			assert.ErrorContains(t, err, "transitions[2].conversion", "%v", conv)
		}, "%v", conv)
	}
	rep := craftedReport()
	rep.Transitions[0].Entered = -5
	_, err := bowtie.Diagnose(rep, craftedBenchmarks(), craftedEconomics())
	assert.ErrorContains(t, err, "transitions[0].entered")
}
