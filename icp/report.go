package icp

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/revalign/revalign"
)

// TierReport answers "are A leads really accepted more than C leads?": how
// a population of scored leads spreads over the tiers, and how sales
// dispositioned each tier.
type TierReport struct {
	// Tiers lists the model's tiers best first, then the disqualified tier.
	Tiers []TierRow `json:"tiers"`
	// Leads is the number of results.
	Leads int `json:"leads"`
	// Labelled counts leads whose disposition is labelled positive or
	// negative (any weight).
	Labelled int `json:"labelled"`
	// Accepted counts leads whose disposition is labelled positive.
	Accepted int `json:"accepted"`
	// AcceptanceRate is Accepted ÷ Labelled (0 when nothing is labelled).
	AcceptanceRate float64 `json:"acceptance_rate"`
	// Undispositioned counts leads with no disposition yet.
	Undispositioned int `json:"undispositioned"`
	// Excluded counts leads whose disposition is labelled excluded
	// (Duplicate, No response): not in Labelled, nor in any rate.
	Excluded int `json:"excluded"`
	// Unmapped counts dispositions the labels do not know, by code: add
	// them to the labels.
	Unmapped map[string]int `json:"unmapped,omitempty"`
	// Ordered is true when the acceptance rate never rises from one tier to
	// a lower one (among the tiers, not counting the disqualified tier, that
	// have labelled leads): the tiers rank leads the way sales does.
	Ordered bool `json:"ordered"`
}

// TierRow is one tier of a [TierReport].
type TierRow struct {
	// Tier is the tier's label.
	Tier string `json:"tier"`
	// Leads counts the results in the tier.
	Leads int `json:"leads"`
	// Share is Leads ÷ all leads of the report.
	Share float64 `json:"share"`
	// Labelled counts the tier's leads labelled positive or negative.
	Labelled int `json:"labelled"`
	// Accepted counts the tier's leads labelled positive.
	Accepted int `json:"accepted"`
	// AcceptanceRate is Accepted ÷ Labelled (0 when nothing is labelled).
	AcceptanceRate float64 `json:"acceptance_rate"`
	// Low is the lower bound of the acceptance rate with 95% confidence
	// (Jeffreys interval, Beta(accepted+½, rejected+½)); 0 when nothing is
	// labelled.
	Low float64 `json:"low"`
	// High is the upper bound of that interval; 1 when nothing is
	// labelled.
	High float64 `json:"high"`
	// Dispositions counts the tier's dispositions by code as given ("" for
	// none yet).
	Dispositions map[string]int `json:"dispositions,omitempty"`
}

// TierReport tallies results by tier and, when dispositions is not nil
// (dispositions[i] is the sales disposition of results[i], "" while there is
// none), acceptance by tier under labels. Results must come from this model
// (their tiers are the model's); a result with another tier, or slices of
// different lengths, is an error.
func (m Model) TierReport(results []Result, dispositions []string, labels Labels) (TierReport, error) {
	if dispositions != nil && len(dispositions) != len(results) {
		return TierReport{}, &revalign.FieldError{Pkg: "icp", Path: "dispositions", Value: len(dispositions),
			Reason: fmt.Sprintf("need one disposition per result (%d results)", len(results))}
	}
	var ix labelIndex
	if dispositions != nil {
		if err := labels.Validate(); err != nil {
			return TierReport{}, err
		}
		ix = labels.index()
	}
	rep := TierReport{Leads: len(results)}
	pos := map[string]int{}
	for _, t := range m.Tiers {
		pos[t.Label] = len(rep.Tiers)
		rep.Tiers = append(rep.Tiers, TierRow{Tier: t.Label})
	}
	pos[m.DisqualifiedTier] = len(rep.Tiers)
	rep.Tiers = append(rep.Tiers, TierRow{Tier: m.DisqualifiedTier})
	for i, r := range results {
		k, ok := pos[r.Tier]
		if !ok {
			return TierReport{}, &revalign.FieldError{Pkg: "icp", Path: revalign.Index("results", i) + ".tier", Value: r.Tier,
				Reason: "not a tier of model " + m.Name + " " + m.Version}
		}
		row := &rep.Tiers[k]
		row.Leads++
		if dispositions == nil {
			continue
		}
		d := strings.TrimSpace(dispositions[i])
		if row.Dispositions == nil {
			row.Dispositions = map[string]int{}
		}
		row.Dispositions[d]++
		if d == "" {
			rep.Undispositioned++
			continue
		}
		lab, ok := ix.lookup(d)
		switch {
		case !ok:
			if rep.Unmapped == nil {
				rep.Unmapped = map[string]int{}
			}
			rep.Unmapped[d]++
		case lab == Excluded:
			rep.Excluded++
		default:
			row.Labelled++
			rep.Labelled++
			if lab == Positive {
				row.Accepted++
				rep.Accepted++
			}
		}
	}
	rep.AcceptanceRate = rate(rep.Accepted, rep.Labelled)
	rep.Ordered = true
	prev := 2.0
	for i := range rep.Tiers {
		row := &rep.Tiers[i]
		row.Share = rate(row.Leads, rep.Leads)
		row.AcceptanceRate = rate(row.Accepted, row.Labelled)
		row.Low, row.High = jeffreys(row.Accepted, row.Labelled)
		if i < len(m.Tiers) && row.Labelled > 0 {
			if row.AcceptanceRate > prev {
				rep.Ordered = false
			}
			prev = row.AcceptanceRate
		}
	}
	return rep, nil
}

func rate(a, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(a) / float64(n)
}

// jeffreys returns the 95% Jeffreys interval of a binomial proportion with
// a successes in n trials: the 2.5% and 97.5% quantiles of
// Beta(a+½, n−a+½), with the bound at 0 (a = 0) or 1 (a = n) made exact.
func jeffreys(a, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	b := distuv.Beta{Alpha: float64(a) + 0.5, Beta: float64(n-a) + 0.5}
	lo, hi = b.Quantile(0.025), b.Quantile(0.975)
	if a == 0 {
		lo = 0
	}
	if a == n {
		hi = 1
	}
	return lo, hi
}
