package cadence

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// PipelinePolicy configures the weekly pipeline review (the seed's Step 4):
// the threshold over which both leaders walk a deal, when a deal counts as
// stalled, how many deals make a stall pattern structural, and where
// commitments and patterns go.
type PipelinePolicy struct {
	// Currency is the reporting currency every deal's amount is in, a
	// three-letter code read without surrounding space and in upper case
	// (" usd" is "USD"). Defaults to "USD".
	Currency string `json:"currency"`
	// Threshold is the deal value at or above which a deal is walked in
	// the review. Defaults to 50,000.
	Threshold decimal.Decimal `json:"threshold"`
	// StalledAfterDays is the number of days without stage movement after
	// which a deal is stalled inventory. Defaults to 21 (the seed).
	StalledAfterDays int `json:"stalled_after_days"`
	// PatternMinDeals is the number of deals sharing a stall reason that
	// makes it a structural issue, routed to the loss review. Defaults to 3
	// (the seed).
	PatternMinDeals int `json:"pattern_min_deals"`
	// PatternRouteTo is the key of the ritual structural patterns go to.
	// Defaults to the quarterly loss post-mortem.
	PatternRouteTo string `json:"pattern_route_to"`
	// PatternOwner carries structural patterns to that ritual. Defaults to
	// the RevOps lead, the loss review's neutral facilitator.
	PatternOwner revalign.Owner `json:"pattern_owner"`
	// DefaultOwner owns fixing deals that have no owner. Defaults to the
	// VP Sales.
	DefaultOwner revalign.Owner `json:"default_owner"`
	// CommitmentDay is the week day action commitments are due by: the
	// first such day after the review. Defaults to Friday (the seed's "by
	// next Friday").
	CommitmentDay Weekday `json:"commitment_day"`
	// OffForecastCategories are forecast categories that are not in the
	// forecast, compared case-insensitively. Defaults to "Omitted" and
	// "Closed".
	OffForecastCategories []string `json:"off_forecast_categories"`
}

// DefaultPipelinePolicy returns the seed's weekly review: deals of 50,000
// USD and more walked, stalled after 21 days without stage movement, a stall
// reason in 3 or more deals routed to the loss post-mortem, commitments due
// by Friday.
func DefaultPipelinePolicy() PipelinePolicy {
	return PipelinePolicy{
		Currency:              "USD",
		Threshold:             decimal.NewFromInt(50000),
		StalledAfterDays:      21,
		PatternMinDeals:       3,
		PatternRouteTo:        LossPostMortem,
		PatternOwner:          revopsLead,
		DefaultOwner:          vpSales,
		CommitmentDay:         Friday,
		OffForecastCategories: []string{"Omitted", "Closed"},
	}
}

// Validate reports a missing currency, a negative threshold or one with
// more decimal places than the currency has, non-positive day and deal
// counts, and missing owners.
func (p PipelinePolicy) Validate() error {
	v := validator()
	if checkCurrency(&v, p.Currency) {
		_, err := revalign.ToUnits(p.Threshold, revalign.MinorUnits(currencyCode(p.Currency)))
		v.Check(err == nil, "threshold", p.Threshold.String(), "has more decimal places than the currency, or is too large")
	}
	v.Check(!p.Threshold.IsNegative(), "threshold", p.Threshold.String(), "must be >= 0")
	v.Check(p.StalledAfterDays > 0, "stalled_after_days", p.StalledAfterDays, "must be > 0")
	v.Check(p.PatternMinDeals >= 2, "pattern_min_deals", p.PatternMinDeals, "must be >= 2: one deal is not a pattern")
	v.Check(!blank(p.PatternRouteTo), "pattern_route_to", p.PatternRouteTo, "structural patterns need a ritual to go to")
	checkOwner(&v, "pattern_owner", p.PatternOwner, "structural patterns need an owner")
	checkOwner(&v, "default_owner", p.DefaultOwner, "deals without an owner need someone who assigns one")
	v.Check(p.CommitmentDay.valid(), "commitment_day", int(p.CommitmentDay), "must be a week day")
	for i, c := range p.OffForecastCategories {
		v.Check(!blank(c), revalign.Index("off_forecast_categories", i), c, "must not be blank")
	}
	return v.Err()
}

func (p PipelinePolicy) offForecast(category string) bool {
	for _, c := range p.OffForecastCategories {
		if c == category {
			return true
		}
	}
	category = strings.TrimSpace(category)
	for _, c := range p.OffForecastCategories {
		if strings.EqualFold(strings.TrimSpace(c), category) {
			return true
		}
	}
	return false
}

// currencyCode returns a currency code as the review uses it: without
// surrounding space, in upper case.
func currencyCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// checkCurrency records an error unless s is a three-letter code once
// normalised, and reports whether it is.
func checkCurrency(v *revalign.Validator, s string) bool {
	c := currencyCode(s)
	ok := len(c) == 3
	for i := 0; ok && i < 3; i++ {
		ok = c[i] >= 'A' && c[i] <= 'Z'
	}
	return v.Check(ok, "currency", s, "must be a three-letter currency code")
}

// fromUnits returns minor units as a decimal amount.
func fromUnits(units int64, places int32) decimal.Decimal { return decimal.New(units, -places) }
