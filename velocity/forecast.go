package velocity

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// Category is a forecast category. It is text in JSON ("Commit", "Best
// case", …); the zero value is no category.
type Category int

// The forecast categories in common use, plus Closed for closed deals and
// Slipped for open deals past their expected close date.
const (
	Commit Category = iota + 1
	BestCase
	Pipeline
	Omitted
	Closed
	Slipped
)

var categoryNames = [...]string{Commit: "Commit", BestCase: "Best case", Pipeline: "Pipeline", Omitted: "Omitted", Closed: "Closed", Slipped: "Slipped"}

// String returns the category's name, e.g. "Best case"; the zero value is "".
func (c Category) String() string {
	if c >= Commit && c <= Slipped {
		return categoryNames[c]
	}
	if c == 0 {
		return ""
	}
	return fmt.Sprintf("Category(%d)", int(c))
}

// MarshalText encodes the category by name; the zero value is "".
func (c Category) MarshalText() ([]byte, error) {
	if c < 0 || c > Slipped {
		return nil, &revalign.FieldError{Pkg: "velocity", Path: "category", Value: int(c), Reason: "unknown forecast category"}
	}
	return []byte(c.String()), nil
}

// UnmarshalText decodes a category name (see [ParseCategory]).
func (c *Category) UnmarshalText(b []byte) error {
	got, err := ParseCategory(string(b))
	if err != nil {
		return err
	}
	*c = got
	return nil
}

// ParseCategory parses "Commit", "Best case" (also "best_case",
// "bestcase", "upside"), "Pipeline", "Omitted", "Closed" or "Slipped",
// case-insensitively; "" is the zero Category.
func ParseCategory(s string) (Category, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return 0, nil
	case "commit":
		return Commit, nil
	case "best case", "best_case", "bestcase", "upside":
		return BestCase, nil
	case "pipeline":
		return Pipeline, nil
	case "omitted":
		return Omitted, nil
	case "closed":
		return Closed, nil
	case "slipped":
		return Slipped, nil
	}
	return 0, &revalign.FieldError{Pkg: "velocity", Path: "category", Value: s,
		Reason: "must be Commit, Best case, Pipeline, Omitted, Closed or Slipped"}
}

// CategoryOf returns a deal's category as of a date: Closed for a won or
// lost deal, Slipped for an open deal whose expected close date is before
// asOf's date (in asOf's zone), and the owner's category otherwise.
func CategoryOf(d Deal, asOf time.Time) Category {
	if d.Status == Won || d.Status == Lost {
		return Closed
	}
	if !d.Closed.IsZero() && revalign.DaysBetween(d.Closed.In(asOf.Location()), asOf) > 0 {
		return Slipped
	}
	return d.Category
}

// StageRates maps stages to win probabilities, with optional overrides per
// segment (an enterprise proposal converts less often than an SMB one).
// Build it from [StageReport.Rates] or from the team's agreed table.
type StageRates struct {
	// Default maps a stage name to its win probability, in [0,1], for
	// every segment without an override.
	Default map[string]float64 `json:"default"`
	// Segments maps a segment name to its own stage → probability
	// overrides; a stage it does not list falls back to Default.
	Segments map[string]map[string]float64 `json:"segments,omitempty"`
}

// Of returns the probability of a stage in a segment, the segment's
// override first.
func (r StageRates) Of(segment, stage string) (float64, bool) {
	if p, ok := r.Segments[segment][stage]; ok {
		return p, true
	}
	p, ok := r.Default[stage]
	return p, ok
}

// Validate reports probabilities outside [0,1].
func (r StageRates) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	check := func(path string, m map[string]float64) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			v.Check(m[k] >= 0 && m[k] <= 1, path+"."+k, m[k], "must be in [0,1]")
		}
	}
	check("default", r.Default)
	for _, s := range slices.Sorted(maps.Keys(r.Segments)) {
		check("segments."+s, r.Segments[s])
	}
	return v.Err()
}

// OpenDeal is an open deal ready to forecast: an amount in the reporting
// currency, a win probability and an expected close date.
type OpenDeal struct {
	// ID identifies the deal in record errors.
	ID string `json:"id"`
	// Segment is the deal's segment; empty when it has none.
	Segment string `json:"segment,omitempty"`
	// Stage is the deal's stage, whose probability Probability is.
	Stage string `json:"stage,omitempty"`
	// Category is the deal's forecast category as of the forecast date
	// ([OpenPipeline] sets Slipped once past the expected close); zero
	// when the owner gave none.
	Category Category `json:"category,omitempty"`
	// Amount is the deal amount in the reporting currency, >= 0.
	Amount decimal.Decimal `json:"amount"`
	// Probability is the deal's win probability, in [0,1].
	Probability float64 `json:"probability"`
	// Close is the expected close date; it must be set.
	Close time.Time `json:"close"`
}

// Validate reports a negative amount, a probability outside [0,1] and a
// missing close date.
func (d OpenDeal) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	if d.Amount.IsNegative() {
		v.Add("amount", d.Amount.String(), "must be >= 0")
	}
	v.Check(d.Probability >= 0 && d.Probability <= 1, "probability", d.Probability, "must be in [0,1]")
	v.Check(!d.Close.IsZero(), "close", nil, "needs an expected close date")
	return v.Err()
}

// valid is Validate() == nil without building errors.
func (d *OpenDeal) valid() bool {
	return !d.Amount.IsNegative() && d.Probability >= 0 && d.Probability <= 1 && !d.Close.IsZero()
}

// OpenPipeline returns the deals open as of asOf (open now, or closed after
// asOf, so a backtest sees the pipeline as it stood), each with its stage's
// probability from rates and its category as of asOf (Slipped when past its
// close date). Deals with no amount, an unknown stage, no expected close or
// a foreign currency are returned as record errors; nothing else is left
// out. Deals created after asOf are not in the pipeline yet. For a
// backtest, set each deal's Stage to its stage at asOf ([Journey.StageAt]).
func OpenPipeline(deals []Deal, rates StageRates, asOf time.Time, currency string) ([]OpenDeal, []revalign.RecordError, error) {
	if err := rates.Validate(); err != nil {
		return nil, nil, err
	}
	var out []OpenDeal
	var rejects []revalign.RecordError
	reject := func(id, reason string) {
		rejects = append(rejects, revalign.RecordError{ID: id, Err: &revalign.FieldError{Pkg: "velocity", Reason: reason}})
	}
	for i := range deals {
		d := &deals[i]
		if err := d.check(currency); err != nil {
			rejects = append(rejects, revalign.RecordError{ID: d.ID, Err: err})
			continue
		}
		if d.Created.After(asOf) || d.Status != Open && !d.Closed.After(asOf) {
			continue
		}
		p, ok := rates.Of(d.Segment, d.Stage)
		switch {
		case !d.Amount.Valid:
			reject(d.ID, "open deal has no amount: it cannot be forecast")
		case !ok:
			reject(d.ID, fmt.Sprintf("no win probability for stage %q", d.Stage))
		case d.Closed.IsZero():
			reject(d.ID, "open deal has no expected close date")
		default:
			c := CategoryOf(Deal{Status: Open, Closed: d.Closed, Category: d.Category}, asOf)
			out = append(out, OpenDeal{ID: d.ID, Segment: d.Segment, Stage: d.Stage, Category: c,
				Amount: d.Amount.Decimal, Probability: p, Close: d.Closed})
		}
	}
	return out, rejects, nil
}

// CategoryTotal sums the deals of one forecast category.
type CategoryTotal struct {
	// Category is the forecast category; zero for deals without one.
	Category Category `json:"category"`
	// Deals counts the category's valid deals.
	Deals int `json:"deals"`
	// Amount sums their amounts, in the reporting currency.
	Amount decimal.Decimal `json:"amount"`
	// Expected is Σ amountᵢ·pᵢ over them, rounded to [Places].
	Expected decimal.Decimal `json:"expected"`
}

// Expectation is the stage-weighted forecast of a set of open deals.
type Expectation struct {
	// Deals counts the valid deals forecast.
	Deals int `json:"deals"`
	// Amount sums their amounts, in the reporting currency.
	Amount decimal.Decimal `json:"amount"`
	// Expected is Σ amountᵢ·pᵢ, rounded to [Places].
	Expected decimal.Decimal `json:"expected"`
	// Variance is Σ amountᵢ²·pᵢ(1−pᵢ): deals won or lost independently.
	Variance float64 `json:"variance"`
	// StdDev is √Variance, in the reporting currency.
	StdDev float64 `json:"std_dev"`
	// ByCategory has one entry per category present, in category order
	// (deals without a category last).
	ByCategory []CategoryTotal `json:"by_category"`
}

// StageWeighted returns the expected revenue of deals, Σ amount·p, with its
// variance under independence, overall and by forecast category. Invalid
// deals are returned as record errors and left out of every total.
func StageWeighted(deals []OpenDeal) (Expectation, []revalign.RecordError) {
	var e Expectation
	var rejects []revalign.RecordError
	byCat := map[Category]*CategoryTotal{}
	for _, d := range deals {
		if err := d.Validate(); err != nil {
			rejects = append(rejects, revalign.RecordError{ID: d.ID, Err: err})
			continue
		}
		x := d.Amount.Mul(decimal.NewFromFloat(d.Probability))
		e.Deals++
		e.Amount = e.Amount.Add(d.Amount)
		e.Expected = e.Expected.Add(x)
		a := toFloat(d.Amount)
		e.Variance += a * a * d.Probability * (1 - d.Probability)
		t := byCat[d.Category]
		if t == nil {
			t = &CategoryTotal{Category: d.Category}
			byCat[d.Category] = t
		}
		t.Deals++
		t.Amount = t.Amount.Add(d.Amount)
		t.Expected = t.Expected.Add(x)
	}
	e.Expected = e.Expected.Round(Places)
	e.StdDev = math.Sqrt(e.Variance)
	for _, c := range slices.Sorted(maps.Keys(byCat)) {
		t := *byCat[c]
		t.Expected = t.Expected.Round(Places)
		e.ByCategory = append(e.ByCategory, t)
	}
	if len(e.ByCategory) > 0 && e.ByCategory[0].Category == 0 {
		e.ByCategory = append(e.ByCategory[1:], e.ByCategory[0])
	}
	return e, rejects
}

// Coverage returns the pipeline coverage of a period: the open pipeline
// closing in it ÷ the target still to win (target − booked). It is an
// error when nothing remains to win.
func Coverage(pipeline, target, booked decimal.Decimal) (float64, error) {
	remaining := target.Sub(booked)
	if !remaining.IsPositive() {
		return 0, &revalign.FieldError{Pkg: "velocity", Path: "target", Value: target.String(),
			Reason: "is already booked; coverage needs a remaining target > 0"}
	}
	return pipeline.Div(remaining).InexactFloat64(), nil
}

// RequiredCoverage returns the pipeline coverage a win rate needs: 1 ÷ win
// rate (the "3×" rule assumes 33%). A zero win rate needs infinite
// coverage and is an error.
func RequiredCoverage(winRate float64) (float64, error) {
	if !(winRate > 0 && winRate <= 1) {
		return 0, &revalign.FieldError{Pkg: "velocity", Path: "win_rate", Value: winRate, Reason: "must be in (0,1]"}
	}
	return 1 / winRate, nil
}
