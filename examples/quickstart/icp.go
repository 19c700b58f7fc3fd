package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/examples/internal/fieldstone"
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

	// Marketing's model as the sample company keeps it
	// (examples/internal/fieldstone/icp.yaml): generous points for webinars
	// and downloads, five points for each fit criterion sales cares about,
	// no fit gate, the hard disqualifiers; tiers start at the MQL line of 30.
	current, err := fieldstone.ICPModel()
	if err != nil {
		return s, err
	}
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

// icpSchema is the lead and account columns the sample's ICP models read,
// in record order.
var icpSchema = fieldstone.ICPSchema()

// icpOutcomes converts every MQL of the export into an icp.Outcome: the
// lead's and its account's attributes laid out by icpSchema, its events,
// the MQL instant and the sales disposition ("" while pending). This is the
// conversion to copy (fieldstone.ICPRecord): money in one currency,
// unknowns left missing, and "existing customer" as of the MQL, not as of
// the export.
func icpOutcomes(d *crm.Dataset, rates revalign.Rates) ([]icp.Outcome, error) {
	return fieldstone.ICPOutcomes(d, rates)
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
