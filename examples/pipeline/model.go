package main

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
	"github.com/revalign/revalign/icp"
)

// The configuration a pipeline runs with. In production these come from
// config files both teams sign (see examples/revopstool); here they are
// written out so that the example is self-contained.

// schema is the ICP attribute columns of a record, in order: the lead and
// account fields of a journey line (see leadFields.values).
var schema = icp.Schema{"industry", "employee_count", "country", "seniority", "email", "technographics", "is_customer"}

// icpModel is the sample company's unified ICP: fit first (the criteria sales
// accepts on, worth 100 points), then a few decaying high-intent signals,
// and the hard disqualifiers (student and existing customer come with
// icp.DefaultModel).
func icpModel() icp.Model {
	m := icp.DefaultModel()
	m.Name, m.Version, m.EffectiveDate = "Fieldstone unified ICP", "2026.3", "2026-08-01"
	m.Firmographic = []icp.Criterion{
		{ID: "industry_core", Field: "industry", Op: icp.OpIn, Points: 25,
			Values: []string{"Software", "Healthcare", "Retail", "Logistics", "Financial Services"}},
		{ID: "employees_200_5000", Field: "employee_count", Op: icp.OpRange, Min: ptr(200), Max: ptr(5000), Points: 35},
		{ID: "director_plus", Field: "seniority", Op: icp.OpIn, Values: []string{"director", "vp", "c-level"}, Points: 15},
	}
	m.Technographic = []icp.Criterion{
		{ID: "hris", Field: "technographics", Op: icp.OpIn, Values: []string{"Workday", "BambooHR", "UKG"}, Points: 25},
	}
	monthly := icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 30}
	m.Behavioural = []icp.Signal{
		{ID: "demo_request", Event: "demo_request", Points: 40, Cap: 40, Decay: monthly},
		{ID: "pricing_page", Event: "pricing_page", Points: 15, Cap: 30, Decay: monthly},
		{ID: "intent_signal", Event: "intent_signal", Points: 5, Cap: 15, Decay: monthly},
		{ID: "webinar", Event: "webinar", Points: 5, Cap: 10, Decay: monthly},
		{ID: "content_download", Event: "content_download", Points: 2, Cap: 6, Decay: monthly},
	}
	m.Disqualifiers = append(m.Disqualifiers,
		icp.Disqualifier{ID: "competitor", Field: "email", Op: icp.OpDomainIn, Values: competitorDomains},
		icp.Disqualifier{ID: "unserved_country", Field: "country", Op: icp.OpNotIn, Values: servedCountries},
	)
	return m
}

// The sample company's competitors and served countries (as crm/sample
// lists them).
var (
	competitorDomains = []string{"shiftly.io", "rosterline.com", "crewboard.app"}
	servedCountries   = []string{"US", "CA", "GB", "IE", "DE", "FR", "NL", "SE", "AU", "SG", "IN", "JP", "BR", "MX"}
)

func ptr(x float64) *float64 { return &x }

// rates is the exchange-rate table amounts are reported in (USD). Credit is
// summed per currency, exactly, and converted only for the report; a journey
// in a currency without a rate is rejected, never summed.
func rates() revalign.Rates {
	return revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{
		"EUR": decimal.RequireFromString("1.08"),
		"GBP": decimal.RequireFromString("1.27"),
	}}
}

// config is everything a run needs, compiled once and shared read-only by
// every shard.
type config struct {
	scorer   *icp.Scorer
	model    attribution.Model // the primary rule-based model
	taxonomy attribution.Taxonomy
	channels map[string]int // channel name → column (taxonomy order)
	rates    revalign.Rates
	order    int // Markov order
}

// newConfig compiles the ICP model and looks up the primary model by name
// among attribution.RuleBased().
func newConfig(modelName string, order int) (*config, error) {
	scorer, err := icpModel().Compile(schema)
	if err != nil {
		return nil, err
	}
	var primary attribution.Model
	var names []string
	for _, m := range attribution.RuleBased() {
		if m.Name() == modelName {
			primary = m
		}
		names = append(names, m.Name())
	}
	if primary == nil {
		return nil, fmt.Errorf("unknown model %q (one of %v)", modelName, names)
	}
	if order < 1 || order > attribution.MaxOrder {
		return nil, fmt.Errorf("markov order %d: must be 1 to %d", order, attribution.MaxOrder)
	}
	c := &config{
		scorer: scorer, model: primary, taxonomy: attribution.DefaultTaxonomy(),
		channels: map[string]int{}, rates: rates(), order: order,
	}
	if len(c.taxonomy.Channels) > attribution.MaxShapleyChannels {
		return nil, fmt.Errorf("%d channels: Shapley coalitions hold at most %d", len(c.taxonomy.Channels), attribution.MaxShapleyChannels)
	}
	for i, name := range c.taxonomy.Names() {
		c.channels[name] = i
	}
	return c, nil
}

// unattributed is the credit column of journeys the model cannot credit
// (no touches): the column after the taxonomy's channels.
func (c *config) unattributed() int { return len(c.taxonomy.Channels) }
