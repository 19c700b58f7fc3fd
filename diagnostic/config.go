package diagnostic

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/revalign/revalign"
)

// Band is a range of diagnostic totals with its reading and the step to
// start with.
type Band struct {
	// Name is the band's stable ID, e.g. "leaking_boundaries".
	Name string `json:"name"`
	// Min is the lowest total in the band, inclusive.
	Min int `json:"min"`
	// Max is the highest total in the band, inclusive.
	Max int `json:"max"`
	// Start is the step a team in this band installs first.
	Start Step `json:"start"`
	// Reading is the band's diagnosis in one sentence.
	Reading string `json:"reading"`
}

// Contains reports whether total lies in [b.Min, b.Max].
func (b Band) Contains(total int) bool { return total >= b.Min && total <= b.Max }

// Config holds the numbers of the diagnostic, the routing threshold and the
// scorecard. [DefaultConfig] carries the seeds' numbers; a Config must pass
// [Config.Validate] before use (the methods validate it for you).
//
// A Config is a value; it is safe for concurrent use as long as nobody
// modifies it (its Bands slice is shared by copies).
type Config struct {
	// Bands split the totals 0–20 into readings. Together they must cover
	// every total exactly once. Defaults: 16–20 mostly aligned (Step 6),
	// 10–15 partial ownership (Step 3), 5–9 leaking boundaries (Step 2),
	// 0–4 structural (Step 1).
	Bands []Band `json:"bands"`
	// RejectionThreshold is the MQL-to-SQL rejection rate above which a team
	// runs the bowtie and ICP scoring first, whatever its symptoms. Defaults
	// to 0.40.
	RejectionThreshold float64 `json:"rejection_threshold"`
	// Targets are the scorecard's targets.
	Targets Targets `json:"targets"`
	// MinChange is the largest change that is still flat: between the
	// baseline and the latest period, a larger change is an improvement or
	// a decline, and between two periods on the way, a larger fall is a
	// reversal. It is in the metric's own unit (rates as fractions: 0.01 is
	// one percentage point). Defaults to 0: any real change counts. Float
	// rounding noise (changes within a billionth of the values, such as
	// 0.1+0.2 against 0.3) is flat whatever MinChange is.
	MinChange float64 `json:"min_change"`
}

// Targets are the scorecard's targets, one per metric, in the metric's unit
// (rates as fractions in [0,1], coverage as a multiple of the target). A
// zero target means the team has not set one: the metric is tracked for
// improvement but reports no target status. Forecast variance is met when at
// or below its target; every other metric when at or above it.
type Targets struct {
	// MQLAcceptance defaults to 0.75.
	MQLAcceptance float64 `json:"mql_acceptance"`
	// FirstTouchCompliance defaults to 0.90.
	FirstTouchCompliance float64 `json:"first_touch_compliance"`
	// InfluencedShare has no default.
	InfluencedShare float64 `json:"influenced_share"`
	// ForecastVariance has no default.
	ForecastVariance float64 `json:"forecast_variance"`
	// PipelineCoverage has no default.
	PipelineCoverage float64 `json:"pipeline_coverage"`
	// ContentUtilization has no default.
	ContentUtilization float64 `json:"content_utilization"`
	// WinRate has no default.
	WinRate float64 `json:"win_rate"`
}

// target returns the target of metric m.
func (t Targets) target(m Metric) float64 {
	switch m {
	case MQLAcceptance:
		return t.MQLAcceptance
	case FirstTouchCompliance:
		return t.FirstTouchCompliance
	case InfluencedShare:
		return t.InfluencedShare
	case ForecastVariance:
		return t.ForecastVariance
	case PipelineCoverage:
		return t.PipelineCoverage
	case ContentUtilization:
		return t.ContentUtilization
	case WinRate:
		return t.WinRate
	}
	return 0
}

// DefaultConfig returns the seeds' numbers: the four bands of the 0–20
// diagnostic, the catalog's 40% rejection threshold, and the scorecard's
// targets of 75% MQL acceptance and 90% first-touch SLA compliance.
func DefaultConfig() Config {
	return Config{
		Bands: []Band{
			{Name: "mostly_aligned", Min: 16, Max: 20, Start: StepLossPostMortem, Reading: "You are mostly aligned. Reinforce governance."},
			{Name: "partial_ownership", Min: 10, Max: 15, Start: StepRevenuePlan, Reading: "Ownership is partial. Start with one revenue plan."},
			{Name: "leaking_boundaries", Min: 5, Max: 9, Start: StepWrittenSLA, Reading: "Boundaries are leaking. Start with a written SLA."},
			{Name: "structural", Min: 0, Max: 4, Start: StepDemandStates, Reading: "Misalignment is structural. Start with demand states and rebuild."},
		},
		RejectionThreshold: 0.40,
		Targets:            Targets{MQLAcceptance: 0.75, FirstTouchCompliance: 0.90},
	}
}

// defaultConfig backs the package-level functions. It is never modified.
var defaultConfig = DefaultConfig()

// Validate reports every problem of the configuration: bands that overlap,
// leave a total uncovered or fall outside 0–20, blank or repeated band
// names, unknown start steps, and thresholds or targets out of range.
func (c Config) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	validateBands(&v, c.Bands)
	if !unit(c.RejectionThreshold) {
		v.Add("rejection_threshold", c.RejectionThreshold, "must be in [0,1]")
	}
	if !finite(c.MinChange) || c.MinChange < 0 {
		v.Add("min_change", c.MinChange, "must be finite and >= 0")
	}
	for _, m := range metrics {
		t := c.Targets.target(m)
		switch {
		case m.isRate() && !unit(t):
			v.Add("targets."+m.String(), t, "must be in [0,1]")
		case !m.isRate() && !(finite(t) && t >= 0):
			v.Add("targets."+m.String(), t, "must be finite and >= 0")
		}
	}
	return v.Err()
}

func validateBands(v *revalign.Validator, bands []Band) {
	if len(bands) == 0 {
		v.Add("bands", nil, "need at least one band")
		return
	}
	before := v.Len()
	// owner[t] is the index of the band covering total t, or -1.
	var owner [MaxScore + 1]int
	for i := range owner {
		owner[i] = -1
	}
	// Paths and messages are built only for bad bands: a valid
	// configuration validates without allocating.
	path := func(i int, field string) string { return revalign.JoinPath(revalign.Index("bands", i), field) }
	span := func(b Band) string { return fmt.Sprintf("%d..%d", b.Min, b.Max) }
	for i, b := range bands {
		switch {
		case strings.TrimSpace(b.Name) == "":
			v.Add(path(i, "name"), b.Name, "band needs a name")
		default:
			if j := slices.IndexFunc(bands[:i], func(o Band) bool { return o.Name == b.Name }); j >= 0 {
				v.Add(path(i, "name"), b.Name, fmt.Sprintf("repeats the name of bands[%d]", j))
			}
		}
		if !b.Start.Valid() {
			v.Add(path(i, "start"), int(b.Start), "must be a step 1–6")
		}
		okMin, okMax := b.Min >= 0 && b.Min <= MaxScore, b.Max >= 0 && b.Max <= MaxScore
		if !okMin {
			v.Add(path(i, "min"), b.Min, fmt.Sprintf("must be in 0..%d", MaxScore))
		}
		if !okMax {
			v.Add(path(i, "max"), b.Max, fmt.Sprintf("must be in 0..%d", MaxScore))
		}
		if !okMin || !okMax {
			continue
		}
		if b.Min > b.Max {
			v.Add(path(i, ""), span(b), "min must not exceed max")
			continue
		}
		for t := b.Min; t <= b.Max; t++ {
			if j := owner[t]; j >= 0 {
				v.Add(path(i, ""), span(b), fmt.Sprintf("overlaps bands[%d] at total %d", j, t))
				break
			}
			owner[t] = i
		}
	}
	if v.Len() > before {
		return // holes are meaningless until the bands themselves are sound
	}
	var holes []string
	for t := 0; t <= MaxScore; t++ {
		if owner[t] < 0 {
			holes = append(holes, fmt.Sprint(t))
		}
	}
	v.Check(len(holes) == 0, "bands", strings.Join(holes, ","), "leave totals uncovered")
}

// band returns the band containing total; Validate guarantees there is one.
func (c Config) band(total int) Band {
	i := slices.IndexFunc(c.Bands, func(b Band) bool { return b.Contains(total) })
	if i < 0 {
		return Band{}
	}
	return c.Bands[i]
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func unit(x float64) bool { return x >= 0 && x <= 1 }
