package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
	"github.com/revalign/revalign/crm"
)

// attributionSection runs the Multi-Touch Attribution Reconciliation
// Framework (catalog) on the sample company's won new-business revenue:
// first touch, last touch, weighted and data-driven models side by side,
// the spread and bias of each, one primary number with the alternates as
// context, sourced versus influenced, and spend decisions that move budget
// only where the models agree.
func attributionSection(in *input) (section, error) {
	s := section{Key: "attribution", Phase: "prove", Title: "Attribution: every model side by side, reconciled"}
	journeys, noAmount := attributionJourneys(in.Data, in.AsOf)

	// The data-driven model: a first-order Markov chain fitted exactly on
	// the closed new-business journeys (won = conversion worth its amount
	// in USD, lost = null), applied journey by journey.
	paths, _, bad := attribution.PathsOf(journeys, in.Rates)
	if len(bad) > 0 {
		return s, fmt.Errorf("attribution: %w", bad[0])
	}
	markov, err := attribution.FitMarkov(paths, 1)
	if err != nil {
		return s, err
	}
	models := []attribution.Model{
		attribution.FirstTouchModel(), attribution.LastTouchModel(), attribution.Linear{},
		attribution.PositionBased(), attribution.WShaped(), attribution.FullPath(),
		attribution.DefaultTimeDecay(), markov.ValueModel(),
	}
	// W-shaped is the primary number (the B2B default: it credits the
	// moments a lead and an opportunity were created); a channel whose rank
	// moves three places or more across the models is read as a direction.
	opts := attribution.DefaultReconcileOptions()
	opts.Rates, opts.Calendar, opts.Period = in.Rates, in.Calendar, revalign.Quarter
	opts.Primary, opts.RankShift = "w_shaped", 3
	rep, err := attribution.Reconcile(journeys, opts, models...)
	if err != nil {
		return s, err
	}
	if len(rep.Errors) > 0 {
		return s, fmt.Errorf("attribution: %d journeys rejected, first: %w", len(rep.Errors), rep.Errors[0])
	}
	spend, err := attribution.EvaluateSpend(rep, attributionCosts(in.Data), attribution.SpendOptions{Rates: in.Rates, Quorum: attribution.DefaultQuorum})
	if err != nil {
		return s, err
	}

	s.Lines = append(s.Lines,
		fmt.Sprintf("Won new-business revenue %s, %d deals (a journey is the account's touches up to the close day; %d lost and %d open deals also feed the Markov fit, %d open ones have no amount yet).",
			attrMoney(rep.Total), rep.Journeys, countOutcome(journeys, attribution.Lost), countOutcome(journeys, attribution.Open), noAmount),
		"Share by model, credit under W-shaped (the primary); * = rank moves 3+ places across the models: read as a direction only.")
	s.Lines = append(s.Lines, attrTable(rep)...)
	s.Lines = append(s.Lines, attrFindings(rep, spend, attrWindow(in.Data.Spend), in.Calendar)...)
	s.Data = attributionData{Report: rep, Markov: markov, Spend: spend}
	return s, nil
}

// attributionData is the section's machine-readable part.
type attributionData struct {
	Report *attribution.Report      `json:"report"`
	Markov *attribution.Markov      `json:"markov"`
	Spend  *attribution.SpendReport `json:"spend"`
}

// attributionJourneys converts the CRM export into journeys, one per
// new-business opportunity: the touches of the opportunity's account up to
// the close day (up to asOf while open), lead creation at the primary
// contact's creation, opportunity creation and close from the deal.
// Close dates are days: a touch on the close day counts. Open deals without
// an amount yet are left out and counted.
func attributionJourneys(d *crm.Dataset, asOf time.Time) ([]attribution.Journey, int) {
	leadCreated := map[string]time.Time{}
	for _, l := range d.Leads {
		leadCreated[l.ID] = l.CreatedAt
	}
	byAccount := map[string][]attribution.Touch{}
	for _, t := range d.Touches {
		byAccount[t.AccountID] = append(byAccount[t.AccountID], attribution.Touch{
			Channel: t.Channel, Play: t.Campaign, Type: t.TouchType, At: t.TouchedAt, Contact: t.LeadID})
	}
	for _, ts := range byAccount {
		slices.SortStableFunc(ts, func(a, b attribution.Touch) int { return a.At.Compare(b.At) })
	}
	var out []attribution.Journey
	noAmount := 0
	for _, o := range d.Opportunities {
		if o.Type != "new_business" {
			continue
		}
		if !o.Amount.Valid {
			noAmount++
			continue
		}
		j := attribution.Journey{
			ID: o.ID, LeadCreated: leadCreated[o.PrimaryContactID], OppCreated: o.CreatedAt,
			Amount: o.Amount.Decimal, Currency: o.Currency, Segment: o.Segment,
		}
		end := asOf
		switch o.Status {
		case "won", "lost":
			j.Outcome = map[string]attribution.Outcome{"won": attribution.Won, "lost": attribution.Lost}[o.Status]
			j.Closed = o.CloseDate.Add(24*time.Hour - time.Second) // the end of the close day
			end = j.Closed
		}
		for _, t := range byAccount[o.AccountID] {
			if t.At.After(end) {
				break
			}
			j.Touches = append(j.Touches, t)
		}
		out = append(out, j)
	}
	return out, noAmount
}

// attributionCosts converts marketing_spend.csv into costs.
func attributionCosts(d *crm.Dataset) []attribution.Cost {
	out := make([]attribution.Cost, len(d.Spend))
	for i, sp := range d.Spend {
		out[i] = attribution.Cost{Channel: sp.Channel, At: sp.Month, Amount: sp.Amount, Currency: sp.Currency}
	}
	return out
}

func countOutcome(js []attribution.Journey, o attribution.Outcome) int {
	n := 0
	for _, j := range js {
		if j.Outcome == o {
			n++
		}
	}
	return n
}

// attrShort abbreviates model names for the table's header.
var attrShort = map[string]string{
	"first_touch": "first", "last_touch": "last", "linear": "linear", "position_based": "40/20/40",
	"w_shaped": "W", "full_path": "full", "time_decay": "decay", "markov": "markov",
}

// attrTable renders the channel × model shares with the W-shaped credit.
func attrTable(rep *attribution.Report) []string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %-19s %8s", "channel", "credit")
	for _, m := range rep.Models {
		fmt.Fprintf(&b, " %7s", cmp.Or(attrShort[m.Name], m.Name))
	}
	fmt.Fprintf(&b, " %7s", "spread")
	lines := []string{b.String()}
	primary := slices.IndexFunc(rep.Models, func(m attribution.ModelSummary) bool { return m.Name == rep.Primary })
	for _, r := range rep.Channels {
		b.Reset()
		fmt.Fprintf(&b, "  %-19s %8s", r.Channel, attrMoney(r.Cells[primary].Credit))
		for _, c := range r.Cells {
			fmt.Fprintf(&b, " %6.1f%%", 100*c.Share)
		}
		mark := ""
		if r.Directional {
			mark = " *"
		}
		fmt.Fprintf(&b, " %6.1fpt%s", 100*r.Spread, mark)
		lines = append(lines, b.String())
	}
	return lines
}

// attrFindings renders the primary number, the biases, sourced versus
// influenced and the spend rule.
func attrFindings(rep *attribution.Report, spend *attribution.SpendReport, spendWindow string, cal revalign.FiscalCalendar) []string {
	var lines []string
	h := rep.Headline
	var alts []string
	for _, a := range h.Alternates {
		alts = append(alts, fmt.Sprintf("%s %.0f%%", cmp.Or(attrShort[a.Model], a.Model), 100*a.Share))
	}
	lines = append(lines, fmt.Sprintf("Primary number: marketing-credited revenue %s (%.1f%%) under %s; alternates %.0f%%–%.0f%% (%s).",
		attrMoney(h.Marketing), 100*h.Share, h.Model, 100*h.Low, 100*h.High, strings.Join(alts, ", ")))
	var bias []string
	for _, m := range rep.Models {
		if m.Consensus || m.Over.Channel == "" {
			continue
		}
		bias = append(bias, fmt.Sprintf("%s over-credits %s by %+.0f%% (%.1f%% vs %.1f%%) and under-credits %s (%.1f%% vs %.1f%%)",
			strings.ReplaceAll(m.Name, "_", " "), m.Over.Channel, 100*m.Over.Relative, 100*m.Over.Share, 100*m.Over.Consensus,
			m.Under.Channel, 100*m.Under.Share, 100*m.Under.Consensus))
	}
	lines = append(lines, "Bias against the mean of the multi-touch models: "+strings.Join(bias, "; ")+".")
	lines = append(lines, attrQuarters(rep, cal))

	re := rep.Reach
	var sourced []string
	for _, t := range re.Teams {
		sourced = append(sourced, fmt.Sprintf("%s %s (%.0f%%)", t.Team, attrMoney(t.Sourced), 100*attrRatio(t.Sourced, re.Total)))
	}
	mkInfl := ""
	for _, t := range re.Teams {
		if t.Team == revalign.Marketing {
			mkInfl = fmt.Sprintf("%s (%.0f%%, %d deals)", attrMoney(t.Influenced), 100*attrRatio(t.Influenced, re.Total), t.InfluencedJourneys)
		}
	}
	overlap := "they do not overlap"
	if re.Overlap {
		overlap = fmt.Sprintf("they overlap: the channels' influenced totals add up to %s, %.1f× the revenue, and must not be summed", attrMoney(re.InfluencedSum), attrRatio(re.InfluencedSum, re.Total))
	}
	lines = append(lines,
		fmt.Sprintf("Sourced (first touch before the opportunity, one source a deal): %s, unsourced %s — sums to the revenue.",
			strings.Join(sourced, ", "), attrMoney(re.Unsourced)),
		fmt.Sprintf("Influenced (any touch up to close): marketing %s; %s.", mkInfl, overlap))

	lines = append(lines, fmt.Sprintf("Spend %s (%s): cost per credited dollar by model; budget moves only where %.0f%% of the %d models agree:",
		attrMoney(spend.Cost), spendWindow, 100*attribution.DefaultQuorum, len(spend.Models)))
	var hdr strings.Builder
	fmt.Fprintf(&hdr, "  %-19s %8s", "channel", "spend")
	for _, m := range spend.Models {
		fmt.Fprintf(&hdr, " %7s", cmp.Or(attrShort[m], m))
	}
	lines = append(lines, hdr.String()+"  votes")
	for _, c := range spend.Channels {
		var b strings.Builder
		fmt.Fprintf(&b, "  %-19s %8s", c.Channel, attrMoney(c.Cost))
		for _, m := range c.Models {
			if m.CostPerCredit == 0 {
				fmt.Fprintf(&b, " %7s", "—")
				continue
			}
			fmt.Fprintf(&b, " %7.2f", m.CostPerCredit)
		}
		fmt.Fprintf(&b, "  %d up/%d down → %s", c.Increase, c.Decrease, c.Recommendation)
		lines = append(lines, b.String())
	}
	return lines
}

func attrRatio(a, b interface{ InexactFloat64() float64 }) float64 {
	if b.InexactFloat64() == 0 {
		return 0
	}
	return a.InexactFloat64() / b.InexactFloat64()
}

// attrMoney formats an amount in thousands or millions of dollars.
func attrMoney(d interface{ InexactFloat64() float64 }) string {
	x := d.InexactFloat64()
	switch {
	case x >= 1e6:
		return fmt.Sprintf("$%.2fM", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("$%.0fk", x/1e3)
	}
	return fmt.Sprintf("$%.0f", x)
}

// attrWindow names the months the spend export covers.
func attrWindow(sp []crm.Spend) string {
	if len(sp) == 0 {
		return "no spend"
	}
	lo, hi := sp[0].Month, sp[0].Month
	for _, x := range sp {
		if x.Month.Before(lo) {
			lo = x.Month
		}
		if x.Month.After(hi) {
			hi = x.Month
		}
	}
	return lo.Format("Jan 2006") + "–" + hi.Format("Jan 2006")
}

// attrQuarters shows that first touch's bias on paid social is systematic:
// quarter by quarter, against the multi-touch consensus.
func attrQuarters(rep *attribution.Report, cal revalign.FiscalCalendar) string {
	var parts []string
	for _, p := range rep.Periods {
		for _, r := range p.Channels {
			if r.Channel == "paid_social" && p.Journeys >= 10 {
				parts = append(parts, fmt.Sprintf("%s %.0f%% vs %.0f%%", cal.QuarterLabel(p.Period.Start), 100*r.Cells[0].Share, 100*r.Consensus))
			}
		}
	}
	return "Quarter by quarter (quarters with 10+ won deals), paid_social under first touch vs the multi-touch mean: " + strings.Join(parts, ", ") + "."
}
