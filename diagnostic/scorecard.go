package diagnostic

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/revalign/revalign"
)

// Metric is one of the seven minimum viable alignment metrics. In JSON a
// Metric is its name ("mql_acceptance").
type Metric int8

// The seven minimum viable metrics, in the seed's order. The first four are
// the core measures: if they improve together, alignment is real.
const (
	MQLAcceptance        Metric = iota + 1 // MQLs accepted ÷ MQLs dispositioned; target ≥ 75%
	FirstTouchCompliance                   // MQLs first-touched within the SLA ÷ MQLs; target ≥ 90%
	InfluencedShare                        // marketing-influenced closed-won revenue ÷ all closed-won revenue
	ForecastVariance                       // |marketing − sales| ÷ sales quarter-start forecast; lower is better
	PipelineCoverage                       // open pipeline ÷ target, by demand state
	ContentUtilization                     // share of active deals that used mapped content
	WinRate                                // won ÷ decided deals, by demand state of entry
)

// metrics lists the seven metrics in order.
var metrics = [...]Metric{MQLAcceptance, FirstTouchCompliance, InfluencedShare, ForecastVariance, PipelineCoverage, ContentUtilization, WinRate}

var metricNames = newNames[Metric]("metric", "", "mql_acceptance", "first_touch_compliance", "influenced_share", "forecast_variance", "pipeline_coverage", "content_utilization", "win_rate")

var metricTitles = []string{"",
	"MQL acceptance rate",
	"First-touch SLA compliance",
	"Marketing-influenced share of closed-won revenue",
	"Forecast variance between teams at quarter start",
	"Pipeline coverage by demand state",
	"Content utilization in active deals",
	"Win rate by demand state of entry",
}

// String returns the metric's name, e.g. "mql_acceptance".
func (m Metric) String() string { return metricNames.String(m) }

// Title returns the metric's title, e.g. "MQL acceptance rate".
func (m Metric) Title() string {
	if m < 1 || int(m) >= len(metricTitles) {
		return m.String()
	}
	return metricTitles[m]
}

// Core reports whether m is one of the four core measures: acceptance, SLA
// compliance, influenced share and forecast variance.
func (m Metric) Core() bool { return m >= MQLAcceptance && m <= ForecastVariance }

// LowerIsBetter reports whether a fall in m is an improvement (forecast
// variance).
func (m Metric) LowerIsBetter() bool { return m == ForecastVariance }

// isRate reports whether m is a fraction in [0,1]; forecast variance and
// pipeline coverage are non-negative ratios that may exceed 1.
func (m Metric) isRate() bool { return m != ForecastVariance && m != PipelineCoverage }

// MarshalText encodes the metric by name.
func (m Metric) MarshalText() ([]byte, error) { return metricNames.Text(m) }

// UnmarshalText decodes a metric name.
func (m *Metric) UnmarshalText(b []byte) error {
	var err error
	*m, err = metricNames.Parse(b)
	return err
}

// Measure is one metric's value in one period and the size of the sample it
// rests on (MQLs dispositioned, deals won, forecast pairs, deals decided…).
// The zero Measure, N = 0, means "not measured".
type Measure struct {
	// Value is the metric's value in its unit: a rate as a fraction in
	// [0,1], forecast variance and pipeline coverage as non-negative ratios.
	Value float64 `json:"value"`
	// N is the size of the sample Value rests on; 0 means not measured.
	N int `json:"n"`
}

// Known reports whether the metric was measured (N > 0).
func (m Measure) Known() bool { return m.N > 0 }

// Breakdown is a metric measured overall and by demand state. The overall
// value is what the scorecard compares and holds to the target; the states
// are reported alongside.
type Breakdown struct {
	// Overall is the metric over every demand state.
	Overall Measure `json:"overall"`
	// ByState is the metric per demand state, keyed by the state's name
	// ("decision-ready"); nil when not broken down.
	ByState map[string]Measure `json:"by_state,omitempty"`
}

// PeriodMetrics are the seven metrics of one period, however they were
// computed (by hand, by a BI tool, by the sla, attribution and velocity
// packages). Leave a metric zero when it was not measured.
type PeriodMetrics struct {
	// Period labels the period, e.g. "FY2027-Q1"; labels must be unique.
	Period string `json:"period"`
	// MQLAcceptance is MQLs accepted ÷ MQLs dispositioned, N the MQLs
	// dispositioned.
	MQLAcceptance Measure `json:"mql_acceptance"`
	// FirstTouchCompliance is MQLs first-touched within the SLA ÷ MQLs, N
	// the MQLs judged.
	FirstTouchCompliance Measure `json:"first_touch_compliance"`
	// InfluencedShare is marketing-influenced closed-won revenue ÷ all
	// closed-won revenue, N the deals won.
	InfluencedShare Measure `json:"influenced_share"`
	// ForecastVariance is |marketing − sales| ÷ sales' quarter-start
	// forecast, N the forecast pairs.
	ForecastVariance Measure `json:"forecast_variance"`
	// PipelineCoverage is open pipeline ÷ target, overall and by demand
	// state, N the open deals.
	PipelineCoverage Breakdown `json:"pipeline_coverage"`
	// ContentUtilization is the share of active deals that used mapped
	// content, N the active deals.
	ContentUtilization Measure `json:"content_utilization"`
	// WinRate is won ÷ decided deals, overall and by demand state of
	// entry, N the deals decided.
	WinRate Breakdown `json:"win_rate"`
}

// Measure returns the period's value of metric m (the overall value for a
// breakdown metric).
func (p PeriodMetrics) Measure(m Metric) Measure {
	switch m {
	case MQLAcceptance:
		return p.MQLAcceptance
	case FirstTouchCompliance:
		return p.FirstTouchCompliance
	case InfluencedShare:
		return p.InfluencedShare
	case ForecastVariance:
		return p.ForecastVariance
	case PipelineCoverage:
		return p.PipelineCoverage.Overall
	case ContentUtilization:
		return p.ContentUtilization
	case WinRate:
		return p.WinRate.Overall
	}
	return Measure{}
}

// byState returns the demand-state values of a breakdown metric, or nil.
func (p PeriodMetrics) byState(m Metric) map[string]Measure {
	switch m {
	case PipelineCoverage:
		return p.PipelineCoverage.ByState
	case WinRate:
		return p.WinRate.ByState
	}
	return nil
}

// Status says whether a reading meets its target. In JSON a Status is "met",
// "missed", "no_target" or "no_data".
type Status int8

// The target statuses of a reading.
const (
	Met      Status = iota + 1 // the value meets the target
	Missed                     // the value misses the target
	NoTarget                   // the team has set no target for the metric
	NoData                     // the metric was not measured in the period
)

var statusNames = newNames[Status]("status", "", "met", "missed", "no_target", "no_data")

// String returns the status's name.
func (s Status) String() string { return statusNames.String(s) }

// MarshalText encodes the status by name.
func (s Status) MarshalText() ([]byte, error) { return statusNames.Text(s) }

// UnmarshalText decodes a status name.
func (s *Status) UnmarshalText(b []byte) error {
	var err error
	*s, err = statusNames.Parse(b)
	return err
}

// Trend is the direction of a metric from the baseline period to the latest
// one, read in the metric's good direction (a fall in forecast variance is
// an improvement). A metric has improved only when it moved in the good
// direction overall and never fell back on the way: a metric that is
// better in the latest period than in the baseline but went backwards
// between two measured periods in between is Reversed, not Improved. In
// JSON a Trend is "improved", "declined", "flat", "unknown" or "reversed".
type Trend int8

// The trends of a metric. Changes are compared with [Config.MinChange];
// a change within float rounding noise is never a move.
const (
	Improved     Trend = iota + 1 // moved in the good direction by more than MinChange, with no reversal on the way
	Declined                      // moved in the bad direction by more than MinChange
	Flat                          // moved by at most MinChange
	TrendUnknown                  // not measured in the baseline or the latest period
	Reversed                      // better than the baseline, but fell back by more than MinChange between two periods on the way
)

var trendNames = newNames[Trend]("trend", "", "improved", "declined", "flat", "unknown", "reversed")

// String returns the trend's name.
func (t Trend) String() string { return trendNames.String(t) }

// MarshalText encodes the trend by name.
func (t Trend) MarshalText() ([]byte, error) { return trendNames.Text(t) }

// UnmarshalText decodes a trend name.
func (t *Trend) UnmarshalText(b []byte) error {
	var err error
	*t, err = trendNames.Parse(b)
	return err
}

// Verdict is the scorecard's reading of the four core measures. In JSON a
// Verdict is its name ("alignment_is_real").
type Verdict int8

// The verdicts of a scorecard.
const (
	AlignmentIsReal      Verdict = iota + 1 // all four core measures improved together, none reversing on the way
	PartialImprovement                      // two or three core measures improved
	ActivityNotAlignment                    // exactly one core measure improved
	NoImprovement                           // no core measure improved
	Inconclusive                            // fewer than two periods, or a core measure not measured at both ends
)

var verdictNames = newNames[Verdict]("verdict", "", "alignment_is_real", "partial_improvement", "activity_not_alignment", "no_improvement", "inconclusive")

var verdictTexts = []string{"",
	"the four core measures improved together, period after period: alignment is real",
	"some core measures improved, but not together: alignment is not yet proven",
	"only one core measure improved: that is activity, not alignment",
	"no core measure improved",
	"not enough data: the four core measures need values in at least two periods",
}

// String returns the verdict's name.
func (v Verdict) String() string { return verdictNames.String(v) }

// Explain returns the verdict in words.
func (v Verdict) Explain() string {
	if v < 1 || int(v) >= len(verdictTexts) {
		return v.String()
	}
	return verdictTexts[v]
}

// MarshalText encodes the verdict by name.
func (v Verdict) MarshalText() ([]byte, error) { return verdictNames.Text(v) }

// UnmarshalText decodes a verdict name.
func (v *Verdict) UnmarshalText(b []byte) error {
	var err error
	*v, err = verdictNames.Parse(b)
	return err
}

// Reading is a metric's value in one period with its target status.
type Reading struct {
	// Measure is the value and its sample size; in JSON its fields are
	// inline.
	Measure
	// Status says whether the value meets the target.
	Status Status `json:"status"`
}

// StateTrend is a breakdown metric's values for one demand state.
type StateTrend struct {
	// State is the demand state's name.
	State string `json:"state"`
	// Values has one entry per period; a zero Measure where the state was
	// not measured.
	Values []Measure `json:"values"`
	// Trend is the state's trend, read as the metric's.
	Trend Trend `json:"trend"`
	// Change is latest − baseline; 0 when unknown.
	Change float64 `json:"change"`
}

// MetricResult is one row of the scorecard.
type MetricResult struct {
	// Metric is the row's metric.
	Metric Metric `json:"metric"`
	// Title is the metric's title, e.g. "MQL acceptance rate".
	Title string `json:"title"`
	// Core reports one of the four core measures the verdict reads.
	Core bool `json:"core"`
	// LowerIsBetter reports a metric whose fall is an improvement.
	LowerIsBetter bool `json:"lower_is_better"`
	// Target is the team's target, 0 when none is set.
	Target float64 `json:"target"`
	// Readings has one entry per period, in the order given.
	Readings []Reading `json:"readings"`
	// Trend compares the latest period with the baseline (the first) and
	// checks the periods in between for a reversal.
	Trend Trend `json:"trend"`
	// Change is latest − baseline in the metric's unit; 0 when unknown.
	Change float64 `json:"change"`
	// States are the demand-state values of a breakdown metric, sorted by
	// state name; nil for the other metrics.
	States []StateTrend `json:"states,omitempty"`
}

// Latest returns the reading of the latest period.
func (r MetricResult) Latest() Reading {
	if len(r.Readings) == 0 {
		return Reading{Status: NoData}
	}
	return r.Readings[len(r.Readings)-1]
}

// Scorecard is the alignment scorecard over a run of periods: the seven
// metrics with their targets, their trends from the baseline to the latest
// period, and the verdict on the four core measures.
type Scorecard struct {
	// Periods are the period labels, baseline first.
	Periods []string `json:"periods"`
	// Metrics are the seven metrics in the seed's order.
	Metrics []MetricResult `json:"metrics"`
	// Improved lists the metrics that improved, in the seed's order.
	Improved []Metric `json:"improved"`
	// Declined lists the metrics that declined, in the seed's order.
	Declined []Metric `json:"declined"`
	// Reversed lists the metrics that ended better than the baseline but
	// fell back on the way, in the seed's order; they do not count as
	// improved.
	Reversed []Metric `json:"reversed"`
	// CoreImproved counts the core measures that improved.
	CoreImproved int `json:"core_improved"`
	// Verdict is the seed's reading of the four core measures.
	Verdict Verdict `json:"verdict"`
}

// Metric returns the scorecard's row for m.
func (s Scorecard) Metric(m Metric) (MetricResult, bool) {
	for _, r := range s.Metrics {
		if r.Metric == m {
			return r, true
		}
	}
	return MetricResult{}, false
}

// NewScorecard builds the scorecard with the default targets (see
// [DefaultConfig]).
func NewScorecard(periods []PeriodMetrics) (Scorecard, error) {
	return defaultConfig.scorecard(periods)
}

// NewScorecard builds the scorecard of periods, given in chronological
// order, the first being the baseline. Each metric reports its target status
// in every period and its trend from the baseline to the latest period; the
// verdict applies the seed's rule to the four core measures: all four
// improving together means alignment is real, only one improving means
// activity, not alignment. "Together" is read strictly: a measure that fell
// back between two periods on the way is [Reversed] and does not count as
// improved, so a quarter in which the measures went backwards cannot hide
// between a good baseline and a good latest quarter. One period gives
// target statuses and an Inconclusive verdict.
//
// No period, a blank or repeated label, a rate outside [0,1], a negative or
// non-finite value, a negative sample size or a value given with N = 0 are
// errors naming the period and the field.
func (c Config) NewScorecard(periods []PeriodMetrics) (Scorecard, error) {
	if err := c.Validate(); err != nil {
		return Scorecard{}, err
	}
	return c.scorecard(periods)
}

func (c Config) scorecard(periods []PeriodMetrics) (Scorecard, error) {
	if err := validatePeriods(periods); err != nil {
		return Scorecard{}, err
	}
	out := Scorecard{
		Periods:  make([]string, len(periods)),
		Metrics:  make([]MetricResult, 0, len(metrics)),
		Improved: []Metric{},
		Declined: []Metric{},
		Reversed: []Metric{},
	}
	for i, p := range periods {
		out.Periods[i] = p.Period
	}
	coreKnown := true
	for _, m := range metrics {
		row := MetricResult{
			Metric: m, Title: m.Title(), Core: m.Core(), LowerIsBetter: m.LowerIsBetter(),
			Target:   c.Targets.target(m),
			Readings: make([]Reading, len(periods)),
		}
		values := make([]Measure, len(periods))
		for i, p := range periods {
			values[i] = p.Measure(m)
			row.Readings[i] = Reading{Measure: values[i], Status: status(m, values[i], row.Target)}
		}
		row.Trend, row.Change = c.trend(m, values)
		row.States = c.states(m, periods)
		switch row.Trend {
		case Improved:
			out.Improved = append(out.Improved, m)
			if m.Core() {
				out.CoreImproved++
			}
		case Declined:
			out.Declined = append(out.Declined, m)
		case Reversed:
			out.Reversed = append(out.Reversed, m)
		case TrendUnknown:
			if m.Core() {
				coreKnown = false
			}
		}
		out.Metrics = append(out.Metrics, row)
	}
	switch {
	case len(periods) < 2 || !coreKnown:
		out.Verdict = Inconclusive
	case out.CoreImproved == 4:
		out.Verdict = AlignmentIsReal
	case out.CoreImproved == 1:
		out.Verdict = ActivityNotAlignment
	case out.CoreImproved == 0:
		out.Verdict = NoImprovement
	default:
		out.Verdict = PartialImprovement
	}
	return out, nil
}

func status(m Metric, v Measure, target float64) Status {
	switch {
	case !v.Known():
		return NoData
	case target == 0:
		return NoTarget
	case m.LowerIsBetter() && v.Value <= target, !m.LowerIsBetter() && v.Value >= target:
		return Met
	}
	return Missed
}

// noise is the relative size of a change that is float rounding rather
// than movement: 0.1+0.2 and 0.3 differ by 5.6e-17.
const noise = 1e-9

// trend compares the last value with the first and, for an improvement,
// checks every step between measured periods for a reversal.
func (c Config) trend(m Metric, values []Measure) (Trend, float64) {
	if len(values) < 2 || !values[0].Known() || !values[len(values)-1].Known() {
		return TrendUnknown, 0
	}
	first, last := values[0].Value, values[len(values)-1].Value
	d := last - first
	switch {
	case !c.moved(first, last):
		return Flat, d
	case !m.better(first, last):
		return Declined, d
	}
	prev := first
	for _, v := range values[1:] {
		if !v.Known() {
			continue // not measured: compare the periods on either side
		}
		if c.moved(prev, v.Value) && !m.better(prev, v.Value) {
			return Reversed, d
		}
		prev = v.Value
	}
	return Improved, d
}

// moved reports whether a change from a to b is larger than MinChange and
// than float rounding noise.
func (c Config) moved(a, b float64) bool {
	return math.Abs(b-a) > c.MinChange+noise*max(1, math.Abs(a), math.Abs(b))
}

// better reports whether b is better than a for metric m.
func (m Metric) better(a, b float64) bool {
	if m.LowerIsBetter() {
		return b < a
	}
	return b > a
}

// states returns the demand-state rows of a breakdown metric, or nil.
func (c Config) states(m Metric, periods []PeriodMetrics) []StateTrend {
	names := map[string]bool{}
	for _, p := range periods {
		for s := range p.byState(m) {
			names[s] = true
		}
	}
	if len(names) == 0 {
		return nil
	}
	out := make([]StateTrend, 0, len(names))
	for _, s := range slices.Sorted(maps.Keys(names)) {
		st := StateTrend{State: s, Values: make([]Measure, len(periods))}
		for i, p := range periods {
			st.Values[i] = p.byState(m)[s]
		}
		st.Trend, st.Change = c.trend(m, st.Values)
		out = append(out, st)
	}
	return out
}

func validatePeriods(periods []PeriodMetrics) error {
	v := revalign.Validator{Pkg: pkg}
	if len(periods) == 0 {
		v.Add("periods", nil, "need at least one period")
		return v.Err()
	}
	for i, p := range periods {
		switch {
		case strings.TrimSpace(p.Period) == "":
			v.Add(revalign.Index("periods", i)+".period", p.Period, "period needs a label")
		default:
			if j := slices.IndexFunc(periods[:i], func(o PeriodMetrics) bool { return o.Period == p.Period }); j >= 0 {
				v.Add(revalign.Index("periods", i)+".period", p.Period, fmt.Sprintf("repeats the label of periods[%d]", j))
			}
		}
		for _, m := range metrics {
			validateMeasure(&v, i, m, nil, p.Measure(m))
			states := p.byState(m)
			if len(states) == 0 {
				continue
			}
			for _, s := range slices.Sorted(maps.Keys(states)) {
				if strings.TrimSpace(s) == "" {
					v.Add(measurePath(i, m, &s), s, "demand state needs a name")
				}
				validateMeasure(&v, i, m, &s, states[s])
			}
		}
	}
	return v.Err()
}

// measurePath is the path of metric m in periods[i]: the overall value of a
// breakdown metric when state is nil, else the state's.
func measurePath(i int, m Metric, state *string) string {
	p := revalign.Index("periods", i) + "." + m.String()
	switch {
	case m != PipelineCoverage && m != WinRate:
		return p
	case state == nil:
		return p + ".overall"
	}
	return p + ".by_state." + *state
}

// validateMeasure checks one value; it builds paths only for bad values.
func validateMeasure(v *revalign.Validator, i int, m Metric, state *string, x Measure) {
	if x.N < 0 {
		v.Add(measurePath(i, m, state)+".n", x.N, "must be >= 0")
	}
	switch {
	case !finite(x.Value):
		v.Add(measurePath(i, m, state)+".value", x.Value, "must be finite")
	case x.N == 0 && x.Value != 0:
		v.Add(measurePath(i, m, state)+".value", x.Value, "a value needs its sample size: set n > 0 (n = 0 means not measured)")
	case m.isRate() && !unit(x.Value):
		v.Add(measurePath(i, m, state)+".value", x.Value, "must be in [0,1]")
	case x.Value < 0:
		v.Add(measurePath(i, m, state)+".value", x.Value, "must be >= 0")
	}
}
