package bowtie

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// Definition is an explicit definition of "the leak". Different
// definitions name different transitions, so a diagnosis always says which
// one it used. Definition is text in JSON.
type Definition uint8

// The leak definitions, in the order a [Diagnosis] reports them.
const (
	// LowestConversion names the transition that converts worst.
	LowestConversion Definition = iota + 1
	// LargestGap names the transition furthest below its benchmark, in
	// conversion points.
	LargestGap
	// LargestImpact names the transition where closing the gap to the
	// benchmark is worth the most revenue over the horizon.
	LargestImpact
)

var definitionNames = newNames[Definition]("Definition", "definition", []string{LowestConversion: "lowest_conversion", LargestGap: "largest_gap", LargestImpact: "largest_impact"})

// definitions lists every leak definition in the order of a Diagnosis.
var definitions = [...]Definition{LowestConversion, LargestGap, LargestImpact}

// String returns "lowest_conversion", "largest_gap" or "largest_impact".
func (d Definition) String() string { return definitionNames.String(d) }

// MarshalText encodes the definition by name.
func (d Definition) MarshalText() ([]byte, error) {
	return definitionNames.Text(d)
}

// UnmarshalText decodes a definition name.
func (d *Definition) UnmarshalText(b []byte) error {
	return definitionNames.Unmarshal(d, b)
}

// Benchmark is a target conversion for one transition, with where the
// figure comes from.
type Benchmark struct {
	// From names the stage the transition leaves.
	From string `json:"from"`
	// To names the stage it enters, the one right after From in the
	// model.
	To string `json:"to"`
	// Conversion is the benchmark rate in [0,1].
	Conversion float64 `json:"conversion"`
	// Source says where the figure comes from, so that nobody mistakes an
	// assumption for a measurement.
	Source string `json:"source"`
}

// Benchmarks is a set of benchmark conversions, at most one per transition.
type Benchmarks []Benchmark

// ThirdPartyBenchmarks returns published third-party conversion figures
// mapped onto the left side of the default model: Lead→MQL 20% for
// Awareness→Education, MQL→SQL 40% × SQL→Opp 60% = 24% for
// Education→Selection, Opp→Won 20% for Selection→Commit (the median win
// rate is nearer 17%: about 30% in SMB, low 20s mid-market, mid-teens
// enterprise). There are no comparable published figures for the right
// side's stage conversions.
func ThirdPartyBenchmarks() Benchmarks {
	return Benchmarks{
		{From: "Awareness", To: "Education", Conversion: 0.20, Source: "third-party: Lead→MQL 20%"},
		{From: "Education", To: "Selection", Conversion: 0.24, Source: "third-party: MQL→SQL 40% × SQL→Opp 60%"},
		{From: "Selection", To: "Commit", Conversion: 0.20, Source: "third-party: Opp→Won 20% (median win rate ~17%)"},
	}
}

// DefaultBenchmarks returns [ThirdPartyBenchmarks] for the left side and, for
// the right side, revalign's own assumptions, labelled as such in Source:
// Commit→Onboard 95% (nearly every signed customer should start
// onboarding), Onboard→Impact 90% (a customer that never reaches first
// value rarely renews, so a base with median GRR cannot lose many there),
// Impact→Growth 91% (the median GRR of 91%, used as a renewal-rate proxy).
// Replace them with your own targets.
func DefaultBenchmarks() Benchmarks {
	return append(ThirdPartyBenchmarks(),
		Benchmark{From: "Commit", To: "Onboard", Conversion: 0.95, Source: "revalign assumption (configurable): signed customers that start onboarding"},
		Benchmark{From: "Onboard", To: "Impact", Conversion: 0.90, Source: "revalign assumption (configurable): onboarded customers that reach first value"},
		Benchmark{From: "Impact", To: "Growth", Conversion: 0.91, Source: "revalign assumption (configurable): median GRR 91% as a renewal-rate proxy"},
	)
}

// Validate reports a benchmark with a blank stage name, a conversion outside
// [0,1], or a transition benchmarked twice.
func (b Benchmarks) Validate() error {
	v := revalign.Validator{Pkg: "bowtie"}
	seen := map[[2]string]int{}
	for i, x := range b {
		p := revalign.Index("benchmarks", i)
		v.Check(strings.TrimSpace(x.From) != "", p+".from", x.From, "stage name required")
		v.Check(strings.TrimSpace(x.To) != "", p+".to", x.To, "stage name required")
		v.Check(x.Conversion >= 0 && x.Conversion <= 1, p+".conversion", x.Conversion, "must be in [0,1]")
		key := [2]string{x.From, x.To}
		if j, dup := seen[key]; dup {
			v.Add(p, x.From+" → "+x.To, "transition already benchmarked by "+revalign.Index("benchmarks", j))
		}
		seen[key] = i
	}
	return v.Err()
}

// Economics values conversions in money, to rank leaks by revenue impact.
// Amounts are in one reporting currency. The zero value means "no
// economics": the impact ranking is then left empty.
type Economics struct {
	// Currency of the amounts (ISO 4217), used for rounding.
	Currency string `json:"currency"`
	// AverageDealARR is the new ARR of a won deal: what one more entity
	// reaching the knot is worth, once.
	AverageDealARR decimal.Decimal `json:"average_deal_arr"`
	// AverageCustomerARR is the ARR of a customer on the right side: what
	// one more customer kept is worth, every year.
	AverageCustomerARR decimal.Decimal `json:"average_customer_arr"`
	// NRR is the net revenue retention the kept ARR compounds at each year
	// (1.1 for 110%).
	NRR float64 `json:"nrr"`
	// Years is the horizon over which right-side gains recur.
	Years int `json:"years"`
}

// IsZero reports whether e carries no amounts.
func (e Economics) IsZero() bool { return e.AverageDealARR.IsZero() && e.AverageCustomerARR.IsZero() }

// Validate reports a missing currency, negative amounts, an NRR that is
// negative or not finite, or a horizon outside 1–100 years. The zero value
// is valid.
func (e Economics) Validate() error {
	if e.IsZero() && e.Currency == "" && e.NRR == 0 && e.Years == 0 {
		return nil
	}
	v := revalign.Validator{Pkg: "bowtie"}
	v.Check(len(e.Currency) == 3, "economics.currency", e.Currency, "must be a three-letter currency code")
	v.Check(!e.AverageDealARR.IsNegative(), "economics.average_deal_arr", e.AverageDealARR.String(), "must be >= 0")
	v.Check(!e.AverageCustomerARR.IsNegative(), "economics.average_customer_arr", e.AverageCustomerARR.String(), "must be >= 0")
	v.Check(e.NRR >= 0 && !math.IsInf(e.NRR, 0), "economics.nrr", e.NRR, "must be finite and >= 0")
	v.Check(e.Years >= 1 && e.Years <= 100, "economics.years", e.Years, "must be 1..100")
	return v.Err()
}

// Compound returns what an ARR kept every year is worth over the horizon
// when it compounds at NRR: total = arr × (1 + NRR + NRR² + … + NRR^(Years−1))
// and the run-rate in the last year, arr × NRR^(Years−1), both rounded to
// the currency's minor units. ARR 100 over 4 years is 400 at NRR 100% and
// 464.10 at NRR 110%, with a year-4 run-rate of 133.10. Invalid economics
// (an NRR that is negative, NaN or infinite, a horizon outside 1–100
// years; see [Economics.Validate]) are an error.
func (e Economics) Compound(arr decimal.Decimal) (total, runRate decimal.Decimal, err error) {
	if err := e.Validate(); err != nil {
		return decimal.Decimal{}, decimal.Decimal{}, err
	}
	places := revalign.MinorUnits(e.Currency)
	r := decimal.NewFromFloat(e.NRR)
	term := arr
	for y := range e.Years {
		total = total.Add(term)
		runRate = term
		if y < e.Years-1 {
			term = term.Mul(r).Round(places + 6)
		}
	}
	return total.Round(places), runRate.Round(places), nil
}

// Impact is the revenue won by lifting one transition to its benchmark.
type Impact struct {
	// Extra is how many more entities of the window's population would
	// cross the transition at the benchmark conversion.
	Extra float64 `json:"extra"`
	// ARR is what they are worth: on the left side, new ARR booked once
	// for the cohort (Extra × downstream conversions to the knot ×
	// AverageDealARR); on the right side, ARR kept each year (Extra ×
	// downstream conversions to the last stage × AverageCustomerARR).
	ARR decimal.Decimal `json:"arr"`
	// Recurring is true on the right side: the gain recurs every year and
	// compounds at NRR. Left-side gains happen once per cohort.
	Recurring bool `json:"recurring"`
	// Total is the gain over Economics.Years: ARR once on the left side,
	// ARR compounded over the horizon on the right (see
	// [Economics.Compound]). Rankings by impact compare Total.
	Total decimal.Decimal `json:"total"`
	// RunRate is the kept ARR in the horizon's last year (right side
	// only; zero on the left).
	RunRate decimal.Decimal `json:"run_rate"`
}

// Candidate is one transition as a leak diagnosis sees it.
type Candidate struct {
	// From names the stage the transition leaves.
	From string `json:"from"`
	// To names the stage it enters.
	To string `json:"to"`
	// Side is the side of the To stage: the transition out of the knot is
	// the first of the right side.
	Side Side `json:"side"`
	// Owner is the accountable owner of the leak: the primary owner of the
	// From stage.
	Owner revalign.Owner `json:"owner"`
	// Conversion is the measured conversion ([Counts.Conversion]), in
	// [0,1].
	Conversion float64 `json:"conversion"`
	// Decided is the sample behind Conversion: items converted, lost or
	// timed out ([Counts.Decided]).
	Decided int `json:"decided"`
	// HasBenchmark says whether Benchmark, BenchmarkSource and Gap are set.
	HasBenchmark bool `json:"has_benchmark"`
	// Benchmark is the transition's benchmark conversion, in [0,1]; 0
	// without one.
	Benchmark float64 `json:"benchmark,omitempty"`
	// BenchmarkSource is the benchmark's [Benchmark.Source]; empty
	// without one.
	BenchmarkSource string `json:"benchmark_source,omitempty"`
	// Gap is Benchmark − Conversion, in conversion points (negative when
	// the transition beats its benchmark).
	Gap float64 `json:"gap,omitempty"`
	// Impact of closing the gap; zero without a benchmark, economics or a
	// positive gap.
	Impact Impact `json:"impact"`
}

// Excluded is a transition a ranking could not rank, and why.
type Excluded struct {
	// From names the stage the transition leaves.
	From string `json:"from"`
	// To names the stage it enters.
	To string `json:"to"`
	// Reason says why it is not ranked: "sample too small: N decided",
	// "no benchmark" or "no economics".
	Reason string `json:"reason"`
}

// Ranking orders the transitions by one leak definition, the leak first.
type Ranking struct {
	// Definition is the leak definition the transitions are ranked by.
	Definition Definition `json:"definition"`
	// Leak is the transition the definition names, or nil when no
	// transition qualifies (no benchmark is missed, nothing can be ranked).
	Leak *Candidate `json:"leak"`
	// Ranked lists the rankable transitions, worst first; ties keep bowtie
	// order.
	Ranked []Candidate `json:"ranked"`
	// Unranked lists the transitions left out, with the reason.
	Unranked []Excluded `json:"unranked,omitempty"`
}

// Diagnosis is the leak-point diagnosis: one ranking per definition.
type Diagnosis struct {
	// Rankings holds one ranking per leak definition, in the order
	// LowestConversion, LargestGap, LargestImpact.
	Rankings []Ranking `json:"rankings"`
	// Economics used for the impact ranking.
	Economics Economics `json:"economics"`
}

// Leak returns the transition the given definition names, if any.
func (d Diagnosis) Leak(def Definition) (Candidate, bool) {
	for _, r := range d.Rankings {
		if r.Definition == def && r.Leak != nil {
			return *r.Leak, true
		}
	}
	return Candidate{}, false
}

// Diagnose ranks the report's transitions by each leak definition and names
// the leak under each, with its owner. A withheld conversion (too small a
// sample) is never named. The gap and impact rankings need a benchmark for
// the transition; the impact ranking needs economics. Benchmarks must name
// adjacent stages of the report. A report built by hand is checked too:
// conversions outside [0,1] (or NaN) and negative populations are errors.
//
// The impact of closing a gap multiplies through: more entities crossing a
// left-side transition become more wins only at the downstream conversions
// to the knot, and on the right side more kept customers stay only at the
// downstream conversions to the last stage. A downstream transition with
// nothing decided counts at its benchmark, or at 1 without one.
func Diagnose(r Report, b Benchmarks, e Economics) (Diagnosis, error) {
	v := revalign.Validator{Pkg: "bowtie"}
	v.Nest("", b.Validate())
	v.Nest("", e.Validate())
	index := make(map[[2]string]int, len(r.Transitions))
	for i, t := range r.Transitions {
		index[[2]string{t.From, t.To}] = i
	}
	bench := make([]*Benchmark, len(r.Transitions))
	for i := range b {
		j, ok := index[[2]string{b[i].From, b[i].To}]
		if !ok {
			v.Add(revalign.Index("benchmarks", i), b[i].From+" → "+b[i].To, "not a transition of the report")
			continue
		}
		bench[j] = &b[i]
	}
	for i, t := range r.Transitions {
		p := revalign.Index("transitions", i)
		v.Check(t.Conversion >= 0 && t.Conversion <= 1, p+".conversion", t.Conversion, "must be in [0,1]")
		v.Check(t.Entered >= 0, p+".entered", t.Entered, "must be >= 0")
	}
	if err := v.Err(); err != nil {
		return Diagnosis{}, err
	}
	knot := -1
	for i, s := range r.Stages {
		if s.Knot {
			knot = i
		}
	}
	cands := make([]Candidate, len(r.Transitions))
	for i, t := range r.Transitions {
		c := Candidate{From: t.From, To: t.To, Side: t.Side, Owner: t.Owner, Conversion: t.Conversion, Decided: t.Decided()}
		if bm := bench[i]; bm != nil {
			c.HasBenchmark, c.Benchmark, c.BenchmarkSource = true, bm.Conversion, bm.Source
			c.Gap = bm.Conversion - t.Conversion
		}
		if c.HasBenchmark && c.Gap > 0 && !e.IsZero() {
			c.Impact = impact(r.Transitions, bench, i, knot, c.Gap, e)
		}
		cands[i] = c
	}
	d := Diagnosis{Economics: e}
	for _, def := range definitions {
		d.Rankings = append(d.Rankings, rank(def, r.Transitions, cands, e))
	}
	return d, nil
}

func impact(ts []Transition, bench []*Benchmark, i, knot int, gap float64, e Economics) Impact {
	t := ts[i]
	extra := float64(t.Entered) * gap
	last, value := len(ts), e.AverageCustomerARR
	if t.Side == Left {
		last, value = knot, e.AverageDealARR
	}
	down := 1.0
	for j := i + 1; j < last && j < len(ts); j++ {
		switch {
		case ts[j].Decided() > 0:
			down *= ts[j].Conversion
		case bench[j] != nil:
			down *= bench[j].Conversion
		}
	}
	places := revalign.MinorUnits(e.Currency)
	arr := value.Mul(decimal.NewFromFloat(extra * down)).Round(places)
	im := Impact{Extra: extra, ARR: arr, Total: arr}
	if t.Side == Right {
		im.Recurring = true
		im.Total, im.RunRate, _ = e.Compound(arr) // e is validated by Diagnose
	}
	return im
}

func rank(def Definition, ts []Transition, cands []Candidate, e Economics) Ranking {
	rk := Ranking{Definition: def, Ranked: []Candidate{}}
	for i, c := range cands {
		reason := ""
		switch {
		case ts[i].Withheld:
			reason = fmt.Sprintf("sample too small: %d decided", c.Decided)
		case def != LowestConversion && !c.HasBenchmark:
			reason = "no benchmark"
		case def == LargestImpact && e.IsZero():
			reason = "no economics"
		}
		if reason != "" {
			rk.Unranked = append(rk.Unranked, Excluded{From: c.From, To: c.To, Reason: reason})
			continue
		}
		rk.Ranked = append(rk.Ranked, c)
	}
	slices.SortStableFunc(rk.Ranked, func(a, b Candidate) int {
		switch def {
		case LowestConversion:
			return cmp.Compare(a.Conversion, b.Conversion)
		case LargestGap:
			return cmp.Compare(b.Gap, a.Gap)
		}
		return b.Impact.Total.Cmp(a.Impact.Total)
	})
	if len(rk.Ranked) > 0 {
		top := rk.Ranked[0]
		if def == LowestConversion || (def == LargestGap && top.Gap > 0) || (def == LargestImpact && top.Impact.Total.IsPositive()) {
			rk.Leak = &top
		}
	}
	return rk
}
