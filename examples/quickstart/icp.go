package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/icp"
)

// icpSection asks "are A leads really accepted more than C leads?" of the
// model marketing scores MQLs with today, then lets sales' dispositions
// calibrate it (catalog: Unified ICP Scoring Framework): every MQL is scored
// as of its MQL time, tallied by tier against its disposition, and an
// L2-regularised logistic regression on the model's criteria proposes new
// points, judged with the current ones on held-out MQLs.
func icpSection(in *input) (section, error) {
	s := section{Key: "icp", Phase: "diagnose", Title: "Unified ICP scoring: acceptance by tier and calibration"}
	d := in.Data

	current := marketingModel()
	scorer, err := current.Compile(icpSchema)
	if err != nil {
		return s, err
	}
	outcomes, err := icpOutcomes(d, in.Rates)
	if err != nil {
		return s, err
	}

	// Every MQL scored as of its MQL: the tier it was handed over in.
	results := make([]icp.Result, len(outcomes))
	dispositions := make([]string, len(outcomes))
	for i, o := range outcomes {
		if results[i], err = scorer.Score(o.Record, o.At); err != nil {
			return s, fmt.Errorf("lead %s: %w", o.Record.ID, err)
		}
		dispositions[i] = o.Disposition
	}
	byTier, err := current.TierReport(results, dispositions, icp.DefaultLabels())
	if err != nil {
		return s, err
	}

	// Sales' dispositions calibrate the model.
	prop, rejected, err := scorer.Calibrate(outcomes, icp.DefaultCalibration())
	if err != nil {
		return s, err
	}
	if len(rejected) > 0 {
		return s, fmt.Errorf("calibration: %d outcomes rejected: %w", len(rejected), rejected[0])
	}
	signOff, err := prop.Model.SignOff(in.AsOf)
	if err != nil {
		return s, err
	}

	c := prop.Counts
	s.Lines = []string{
		fmt.Sprintf("Marketing's model (%s %s): fit criteria worth %g points, behaviour up to %g, no fit gate.",
			current.Name, current.Version, fitPoints(current), current.Caps.Behavioural),
		fmt.Sprintf("%d MQLs scored as of their MQL, by tier (acceptance = Accepted ÷ Accepted + Bad fit + Nurture):", len(outcomes)),
	}
	s.Lines = append(s.Lines, tierLines(byTier)...)
	s.Lines = append(s.Lines,
		fmt.Sprintf("Tiers rank leads the way sales does: %s.", yesNo(byTier.Ordered)),
		"Disqualified at MQL, by rule: "+disqualifierTally(current, results, dispositions)+".",
		fmt.Sprintf("Calibration on %d labelled MQLs (%d accepted, %d rejected; left out: %d disqualified, %s), %d held out.",
			c.Labelled, c.Positive, c.Negative, c.Disqualified, excluded(c.Excluded), c.Holdout),
		"Points, current → proposed:",
	)
	s.Lines = append(s.Lines, weightLines(prop.Weights)...)
	raised, cut := movers(prop.Weights)
	s.Lines = append(s.Lines, fmt.Sprintf("Sales accepts on %s; %s earn nothing.", strings.Join(raised, ", "), strings.Join(cut, ", ")))
	s.Lines = append(s.Lines,
		fmt.Sprintf("Held out: AUC %.3f → %.3f, Brier %.3f → %.3f, log-loss %.3f → %.3f (current → proposed).",
			prop.Current.AUC, prop.Proposed.AUC, prop.Current.Brier, prop.Proposed.Brier, prop.Current.LogLoss, prop.Proposed.LogLoss),
		"Proposed model, held-out MQLs by tier:",
	)
	s.Lines = append(s.Lines, tierLines(prop.Proposed.Tiers)...)
	s.Lines = append(s.Lines, fmt.Sprintf("%d changes for the quarterly ICP review; the proposal is %s.",
		len(prop.Changes), strings.TrimPrefix(signOff.Reason(), "not in force: ")))
	s.Data = icpData{current, byTier, prop}
	return s, nil
}

// icpData is the section's machine-readable part.
type icpData struct {
	Current  icp.Model      `json:"current_model"`
	ByTier   icp.TierReport `json:"acceptance_by_tier"`
	Proposal icp.Proposal   `json:"proposal"`
}

// icpSchema is the lead and account columns the model reads, in record
// order.
var icpSchema = icp.Schema{
	"industry", "employee_count", "annual_revenue", "country", "seniority",
	"email", "technographics", "is_customer",
}

// marketingModel is the sample company's current model as marketing built
// it: generous points for webinars and downloads (the MQL rule of the
// sample's README: web visit 2, download 10, webinar 15, pricing page 10,
// demo request 30, intent 5), five points each for the fit criteria sales
// cares about, no fit gate, and the hard disqualifiers. Tiers start at the
// MQL line of 30 points.
func marketingModel() icp.Model {
	m := icp.DefaultModel()
	m.Name, m.Version, m.EffectiveDate = "Fieldstone MQL score", "2025.1", "2025-02-01"
	m.Firmographic = []icp.Criterion{
		{ID: "industry_core", Field: "industry", Op: icp.OpIn, Points: 5,
			Values: []string{"Software", "Healthcare", "Retail", "Logistics", "Financial Services"}},
		{ID: "employees_200_5000", Field: "employee_count", Op: icp.OpRange, Min: ptrTo(200), Max: ptrTo(5000), Points: 5},
		{ID: "revenue_20m_plus", Field: "annual_revenue", Op: icp.OpRange, Min: ptrTo(20e6), Points: 5}, // USD
		{ID: "director_plus", Field: "seniority", Op: icp.OpIn, Values: []string{"director", "vp", "c-level"}, Points: 5},
	}
	m.Technographic = []icp.Criterion{
		{ID: "hris", Field: "technographics", Op: icp.OpIn, Values: []string{"Workday", "BambooHR", "UKG"}, Points: 5},
	}
	monthly := icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: 30} // HubSpot's 50% a month
	m.Behavioural = []icp.Signal{
		{ID: "web_visit", Event: "web_visit", Points: 2, Cap: 10, Decay: monthly},
		{ID: "content_download", Event: "content_download", Points: 10, Cap: 30, Decay: monthly},
		{ID: "webinar", Event: "webinar", Points: 15, Cap: 45, Decay: monthly},
		{ID: "pricing_page", Event: "pricing_page", Points: 10, Cap: 20, Decay: monthly},
		{ID: "demo_request", Event: "demo_request", Points: 30, Cap: 30, Decay: monthly},
		{ID: "intent_signal", Event: "intent_signal", Points: 5, Cap: 15, Decay: monthly},
	}
	m.FitGate = icp.FitGate{Off: true}
	m.Tiers = []icp.Band{{Label: "A", Min: 70}, {Label: "B", Min: 50}, {Label: "C", Min: 30}, {Label: "D", Min: 0}}
	m.Disqualifiers = append(m.Disqualifiers, // student, existing customer
		icp.Disqualifier{ID: "competitor", Field: "email", Op: icp.OpDomainIn, Values: sample.CompetitorDomains()},
		icp.Disqualifier{ID: "unserved_country", Field: "country", Op: icp.OpNotIn, Values: sample.ServedCountries()},
	)
	return m
}

// icpOutcomes converts every MQL of the export into an icp.Outcome: the
// lead's and its account's attributes laid out by icpSchema, its events,
// the MQL instant and the sales disposition ("" while pending). This is the
// conversion to copy: money in one currency, unknowns left missing, and
// "existing customer" as of the MQL, not as of the export.
func icpOutcomes(d *crm.Dataset, rates revalign.Rates) ([]icp.Outcome, error) {
	accounts := make(map[string]crm.Account, len(d.Accounts))
	for _, a := range d.Accounts {
		accounts[a.ID] = a
	}
	events := map[string][]icp.Event{}
	for _, e := range d.Events {
		events[e.LeadID] = append(events[e.LeadID], icp.Event{Type: e.Type, At: e.OccurredAt})
	}
	since := customersSince(d.ARRMovements)
	var out []icp.Outcome
	for _, l := range d.Leads {
		if l.MQLAt.IsZero() {
			continue
		}
		a, ok := accounts[l.AccountID]
		if !ok {
			return nil, fmt.Errorf("lead %s: no account %q", l.ID, l.AccountID)
		}
		employees, revenue := icp.Value{}, icp.Value{} // an export's 0 means unknown
		if a.Employees > 0 {
			employees = icp.Number(float64(a.Employees))
		}
		if a.AnnualRevenue.IsPositive() {
			usd, err := rates.Convert(a.AnnualRevenue, a.Currency)
			if err != nil {
				return nil, fmt.Errorf("account %s: %w", a.ID, err)
			}
			revenue = icp.Number(usd.InexactFloat64())
		}
		values := []icp.Value{
			icp.Text(a.Industry), employees, revenue, icp.Text(l.Country), icp.Text(l.Seniority),
			icp.Text(l.Email), icp.List(a.Technographics), icp.Bool(customerAt(since, a.ID, l.MQLAt)),
		}
		out = append(out, icp.Outcome{
			Record:      icp.Record{ID: l.ID, Values: values, Events: events[l.ID]},
			At:          l.MQLAt,
			Disposition: l.Disposition,
		})
	}
	return out, nil
}

// customersSince returns, for every account that has been a customer, the
// month of its first ARR movement.
func customersSince(ms []crm.ARRMovement) map[string]time.Time {
	since := map[string]time.Time{}
	for _, m := range ms {
		if first, ok := since[m.AccountID]; !ok || m.Month.Before(first) {
			since[m.AccountID] = m.Month
		}
	}
	return since
}

// customerAt reports whether the account was a customer (paying or churned:
// either way customer success owns it) in the month of t. The export's
// is_customer is today's status, not the status at the MQL.
func customerAt(since map[string]time.Time, account string, t time.Time) bool {
	first, ok := since[account]
	y, m, _ := t.Date()
	return ok && !first.After(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC))
}

func tierLines(r icp.TierReport) []string {
	var out []string
	for _, t := range r.Tiers {
		if t.Leads == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("  %-2s %5d (%4.1f%%)  accepted %3.0f%% of %4d  [%2.0f–%2.0f%%]",
			t.Tier, t.Leads, 100*t.Share, 100*t.AcceptanceRate, t.Labelled, 100*t.Low, 100*t.High))
	}
	return out
}

// disqualifierTally counts the MQLs each hard disqualifier caught and how
// many of them sales accepted anyway: a rule that catches accepted leads is
// a disagreement for the ICP review.
func disqualifierTally(m icp.Model, results []icp.Result, dispositions []string) string {
	leads, accepted := map[string]int{}, map[string]int{}
	for i, r := range results {
		if r.Disqualified {
			leads[r.DisqualifiedBy]++
			if lab, _ := icp.DefaultLabels().Lookup(dispositions[i]); lab == icp.Positive {
				accepted[r.DisqualifiedBy]++
			}
		}
	}
	var parts []string
	for _, q := range m.Disqualifiers {
		parts = append(parts, fmt.Sprintf("%s %d (%d accepted)", q.ID, leads[q.ID], accepted[q.ID]))
	}
	return strings.Join(parts, ", ")
}

func weightLines(ws []icp.Weight) []string {
	var parts []string
	for _, w := range ws {
		parts = append(parts, fmt.Sprintf("%s %g → %g", w.ID, w.Current, w.Proposed))
	}
	var out []string
	for len(parts) > 0 {
		n := min(4, len(parts))
		out = append(out, "  "+strings.Join(parts[:n], ", "))
		parts = parts[n:]
	}
	return out
}

// movers returns the criteria and signals calibration raises, largest rise
// first, and those it cuts to zero or below.
func movers(ws []icp.Weight) (raised, cut []string) {
	ws = slices.Clone(ws)
	slices.SortStableFunc(ws, func(a, b icp.Weight) int {
		return cmp.Compare(b.Proposed-b.Current, a.Proposed-a.Current)
	})
	for _, w := range ws {
		switch {
		case w.Proposed > w.Current:
			raised = append(raised, w.ID)
		case w.Proposed <= 0 && w.Current > 0:
			cut = append(cut, w.ID)
		}
	}
	return raised, cut
}

func fitPoints(m icp.Model) float64 {
	var p float64
	for _, c := range slices.Concat(m.Firmographic, m.Technographic) {
		p += max(c.Points, 0)
	}
	return p
}

func excluded(by map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(by)) {
		parts = append(parts, fmt.Sprintf("%d %s", by[k], k))
	}
	return strings.Join(parts, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func ptrTo(x float64) *float64 { return &x }
