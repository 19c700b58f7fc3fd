package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/examples/internal/fieldstone"
	"github.com/revalign/revalign/sla"
)

// slaSection installs the SLA Pact (seed, Step 2 and its template;
// catalog, SLA Pact Framework): the sample company's pact, signed by both
// leaders, measured over every MQL of the export — compliance per
// commitment for the latest complete weeks, the two-week acceptance red
// flag, first-touch breaches by region and owner, escalations to the
// dispute owner and the last quarter's comp review.
func slaSection(in *input) (section, error) {
	s := section{Key: "sla", Phase: "fix", Title: "SLA Pact: commitments, compliance and red flags"}
	d, asOf := in.Data, in.AsOf
	pact, err := samplePact(d.Users)
	if err != nil {
		return s, err
	}
	leads := slaLeads(d.Leads)
	from := pact.Effective.In(in.Calendar.Location)
	r, err := pact.Evaluate(leads, sla.Options{Weeks: in.Calendar, From: from, AsOf: asOf})
	if err != nil {
		return s, err
	}
	if len(r.Errors) > 0 {
		return s, fmt.Errorf("sla: %d lead records could not be evaluated, first %w", len(r.Errors), r.Errors[0])
	}
	names := userNames(d.Users)

	// The pact and the window.
	var signers []string
	for _, sig := range pact.Signatures {
		signers = append(signers, fmt.Sprintf("%s (%s, %s)", sig.Name, sig.Role, sig.SignedAt.Format(time.DateOnly)))
	}
	complete := r.LastComplete(len(r.Weeks))
	current := r.Weeks[len(r.Weeks)-1]
	s.Lines = append(s.Lines,
		fmt.Sprintf("%q, effective %s, signed by %s: %s; disputes and escalations go to %s.",
			pact.Name, pact.Effective, strings.Join(signers, " and "), r.Standing.Reason, pact.Joint.EscalateTo),
		fmt.Sprintf("%d MQLs in %d complete weeks from %s; the week of %s is in progress (%d MQLs, %d clocks still running).",
			r.Leads-current.MQLs, len(complete), complete[0].Period.Start.Format(time.DateOnly),
			current.Period.Start.Format(time.DateOnly), current.MQLs, len(r.Pending)))

	// Per-commitment compliance, latest complete weeks.
	last := r.LastComplete(4)
	head := fmt.Sprintf("  %-30s", "week of")
	for _, w := range last {
		head += fmt.Sprintf(" %9s", w.Period.Start.Format("01-02"))
	}
	s.Lines = append(s.Lines, head+"  target")
	for _, c := range sla.Commitments {
		row := fmt.Sprintf("  %-30s", commitmentLabel(pact, c))
		for _, w := range last {
			row += fmt.Sprintf(" %9s", cell(w.Result(c)))
		}
		s.Lines = append(s.Lines, row+"  "+targetLabel(pact, c))
	}

	// The seed's red flag, and the single low week that does not fire it.
	for _, f := range r.Flags {
		var weeks []string
		for i, p := range f.Weeks {
			weeks = append(weeks, fmt.Sprintf("%s %.1f%%", p.Start.Format(time.DateOnly), 100*f.Rates[i]))
		}
		s.Lines = append(s.Lines, fmt.Sprintf("RED FLAG (criteria review): acceptance below %.0f%% %d weeks running (%s): %s.",
			100*f.Threshold, len(f.Weeks), strings.Join(weeks, ", "), f.Action))
	}
	if lone := loneLowWeeks(r); len(lone) > 0 {
		s.Lines = append(s.Lines, fmt.Sprintf("  Single low weeks, not followed by a second, raise nothing: %s.", strings.Join(lone, ", ")))
	}

	// The binary MQL test on the same leads, at each one's MQL time: what
	// the criteria would have let through, and what sales made of it.
	flagged := map[time.Time]bool{}
	for _, f := range r.Flags {
		for _, p := range f.Weeks {
			flagged[p.Start] = true
		}
	}
	var pass, passAcc, fail, failAcc, inFlag, inFlagFit, other, otherFit int
	var example string
	for _, pr := range prospects(d) {
		v := pact.Qualifies(pr.Prospect, pr.mqlAt)
		accepted := pr.disposition == "Accepted"
		if v.Qualified {
			pass, passAcc = pass+1, passAcc+b2i(accepted)
		} else {
			fail, failAcc = fail+1, failAcc+b2i(accepted)
		}
		fitFails := slices.ContainsFunc(v.Failed, func(f sla.Failure) bool { return f.Criterion == sla.CriterionFit })
		if flagged[in.Calendar.Week(pr.mqlAt).Start] {
			inFlag, inFlagFit = inFlag+1, inFlagFit+b2i(fitFails)
			if example == "" && fitFails && len(v.Failed) > 1 {
				example = fmt.Sprintf("%s: %s", pr.ID, failures(v))
			}
		} else {
			other, otherFit = other+1, otherFit+b2i(fitFails)
		}
	}
	s.Lines = append(s.Lines,
		fmt.Sprintf("  The written MQL test (ICP fit ≥ %g, engagement ≥ %g, intent within %d days, no disqualifier) passes %d of %d MQLs: sales accepted %.0f%% of those, %.0f%% of the rest.",
			pact.MQL.MinFitScore, pact.MQL.MinEngagement, pact.MQL.IntentWithinDays, pass, pass+fail, pct(passAcc, pass), pct(failAcc, fail)),
		fmt.Sprintf("  In the flagged weeks %.0f%% of MQLs fail on ICP fit (%.0f%% elsewhere), e.g. %s.", pct(inFlagFit, inFlag), pct(otherFit, other), example))

	// Where first-touch breaches concentrate.
	regions := slices.Clone(r.ByRegion)
	slices.SortFunc(regions, func(a, b sla.Breakdown) int { return cmp.Compare(b.FirstTouch.Broken, a.FirstTouch.Broken) })
	var byRegion []string
	touched, broken := 0, 0
	for _, g := range regions {
		byRegion = append(byRegion, fmt.Sprintf("%s %d of %d (%.1f%%)", g.Key, g.FirstTouch.Broken, g.FirstTouch.Kept+g.FirstTouch.Broken, 100*(1-g.FirstTouch.Rate())))
		touched += g.FirstTouch.Kept + g.FirstTouch.Broken
		broken += g.FirstTouch.Broken
	}
	top := regions[0]
	s.Lines = append(s.Lines,
		"First touch later than 1 business hour (lead's zone and region holidays): "+strings.Join(byRegion, ", ")+".",
		fmt.Sprintf("  %s holds %.0f%% of first-touch judgements and %.0f%% of the breaches; its leads are worked by %s.",
			top.Key, pct(top.FirstTouch.Kept+top.FirstTouch.Broken, touched), pct(top.FirstTouch.Broken, broken),
			workedBy(d, top.Key, names)))

	// Owners, escalations, comp.
	s.Lines = append(s.Lines, "By owner, breaches of first touch / disposition / rejection reasons: "+ownerLine(r.ByOwner, names)+".")
	for _, e := range r.Escalations {
		if e.Ongoing {
			s.Lines = append(s.Lines, fmt.Sprintf("ESCALATED to %s: %s (%s) missed in %d weeks of the episode running since the week of %s.",
				e.To.Name, e.Commitment.Title(), e.Team, len(e.Missed), e.Triggered.Format(time.DateOnly)))
		}
	}
	review, quarter, err := compReview(pact, leads, in)
	if err != nil {
		return s, err
	}
	var people []string
	for _, p := range review.People {
		people = append(people, fmt.Sprintf("%s %.2f→%.2f×", firstName(names[p.Who]), p.Score, p.Multiplier))
	}
	s.Lines = append(s.Lines, fmt.Sprintf("Comp review %s (score → bonus multiplier): %s; teams: marketing %.2f→%.2f×, sales %.2f→%.2f×.",
		quarter, strings.Join(people, ", "), review.Teams[0].Score, review.Teams[0].Multiplier, review.Teams[1].Score, review.Teams[1].Multiplier))

	s.Data = slaData{Pact: pact, Report: summary(r), Comp: review}
	return s, nil
}

// slaData is the section's machine-readable part: the pact, the report
// without its lead-by-lead lists (their counts instead), and the comp
// review.
type slaData struct {
	Pact   sla.Pact       `json:"pact"`
	Report slaSummary     `json:"report"`
	Comp   sla.CompReview `json:"comp_review"`
}

type slaSummary struct {
	*sla.Report
	Breaches int `json:"breaches"`
	Pending  int `json:"pending"`
}

func summary(r *sla.Report) slaSummary {
	c := *r
	c.Breaches, c.Pending = nil, nil
	return slaSummary{Report: &c, Breaches: len(r.Breaches), Pending: len(r.Pending)}
}

// samplePact is the pact Fieldstone Works' CMO and CRO signed at the start
// of fiscal 2026, as the company keeps it
// (examples/internal/fieldstone/pact.yaml): the seed's numbers, an MQL test
// (fit at least 40 of the simple score of prospects, marketing's own MQL
// line of 30 engagement points, intent within 30 days, the sample's
// disqualifiers), the typical weekly volume (40 MQLs ± 20%: the median
// complete week is 38 over the export, 42 in 2026), business hours
// 09:00–17:00 Monday to Friday in each lead's own zone with its region's
// public holidays, disputes to the RevOps Director. The people it names
// must be users of the export, on the team it says.
func samplePact(users []crm.User) (sla.Pact, error) {
	p, err := fieldstone.Pact()
	if err != nil {
		return p, err
	}
	teams := make(map[string]string, len(users))
	for _, u := range users {
		teams[u.Name] = u.Team
	}
	named := []revalign.Owner{p.Joint.EscalateTo}
	for _, sig := range p.Signatures {
		named = append(named, revalign.Owner{Name: sig.Name})
	}
	for _, o := range named {
		team, ok := teams[o.Name]
		if !ok || (o.Team != "" && team != string(o.Team)) {
			return p, fmt.Errorf("the pact names %s, who is not a user of the export on that team", o)
		}
	}
	return p, nil
}

// prospect is an MQL as the MQL test sees it, with its MQL time.
type prospect struct {
	sla.Prospect
	mqlAt       time.Time
	disposition string
}

// prospects derives the MQL test's inputs for every MQL with plain rules
// (an ICP model from the icp package would supply the fit score in
// production, as in examples/closedloop): fit 0–100 from the account (200–5,000 employees 40, a
// target industry 30, an HRIS in the stack 30); engagement from marketing's
// points for the events of the 30 days up to the MQL
// (fieldstone.Engagement); the latest intent signal (intent topic, pricing
// page or demo request) before the MQL; and the disqualifying factors found
// on the lead.
func prospects(d *crm.Dataset) []prospect {
	accounts := make(map[string]crm.Account, len(d.Accounts))
	for _, a := range d.Accounts {
		accounts[a.ID] = a
	}
	events := map[string][]crm.Event{}
	for _, e := range d.Events {
		events[e.LeadID] = append(events[e.LeadID], e)
	}
	industries := []string{"Software", "Healthcare", "Retail", "Logistics", "Financial Services"}
	var out []prospect
	for _, l := range d.Leads {
		if l.MQLAt.IsZero() {
			continue
		}
		a := accounts[l.AccountID]
		p := prospect{Prospect: sla.Prospect{ID: l.ID}, mqlAt: l.MQLAt, disposition: l.Disposition}
		if a.Employees >= 200 && a.Employees <= 5000 {
			p.FitScore += 40
		}
		if slices.Contains(industries, a.Industry) {
			p.FitScore += 30
		}
		if slices.ContainsFunc(a.Technographics, func(t string) bool { return t == "Workday" || t == "BambooHR" || t == "UKG" }) {
			p.FitScore += 30
		}
		p.Engagement = fieldstone.Engagement(events[l.ID], l.MQLAt)
		p.LastIntentAt = fieldstone.LastIntent(events[l.ID], l.MQLAt)
		_, domain, _ := strings.Cut(l.Email, "@")
		if slices.Contains(sample.CompetitorDomains(), domain) {
			p.Factors = append(p.Factors, "competitor")
		}
		if l.Seniority == "student" {
			p.Factors = append(p.Factors, "student")
		}
		if !slices.Contains(sample.ServedCountries(), l.Country) {
			p.Factors = append(p.Factors, "unserved_country")
		}
		if a.IsCustomer && !a.ContractStart.IsZero() && a.ContractStart.Before(l.MQLAt) {
			p.Factors = append(p.Factors, "existing_customer")
		}
		out = append(out, p)
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func failures(v sla.Verdict) string {
	var s []string
	for _, f := range v.Failed {
		s = append(s, f.Reason)
	}
	return strings.Join(s, "; ")
}

// slaLeads converts CRM leads into the pact's lead records
// (fieldstone.SLALead): the lead's IANA zone and region pick its
// business-hours calendar.
func slaLeads(leads []crm.Lead) []sla.Lead { return fieldstone.SLALeads(leads) }

// compReview scores the last complete fiscal quarter for the comp review.
func compReview(p sla.Pact, leads []sla.Lead, in *input) (sla.CompReview, string, error) {
	q := in.Calendar.Quarter(in.Calendar.Quarter(in.AsOf).Start.Add(-time.Hour))
	r, err := p.Evaluate(leads, sla.Options{Weeks: in.Calendar, From: q.Start, AsOf: q.End})
	if err != nil {
		return sla.CompReview{}, "", err
	}
	return p.Comp.Review(r), in.Calendar.QuarterLabel(q.Start), nil
}

func commitmentLabel(p sla.Pact, c sla.Commitment) string {
	switch c {
	case sla.MQLVolume:
		return "MQL volume"
	case sla.AcceptanceRate:
		return "Acceptance"
	case sla.Routing:
		return fmt.Sprintf("Routed in < %g min", p.Marketing.RoutingMinutes)
	case sla.FirstTouch:
		return fmt.Sprintf("First touch ≤ %g business h", p.Sales.FirstTouchBusinessHours)
	case sla.Disposition:
		return fmt.Sprintf("Disposition ≤ %g h", p.Sales.DispositionHours)
	}
	return "Rejection reason given"
}

func targetLabel(p sla.Pact, c sla.Commitment) string {
	switch c {
	case sla.MQLVolume:
		return fmt.Sprintf("%d ± %.0f%%", p.Marketing.MQLVolumePerWeek, 100*p.Marketing.VolumeTolerance)
	case sla.AcceptanceRate:
		return fmt.Sprintf("≥ %.0f%%", 100*p.Marketing.MinAcceptanceRate)
	case sla.Routing:
		return fmt.Sprintf("≥ %.0f%% of MQLs", 100*p.Marketing.RoutingCompliance)
	case sla.FirstTouch:
		return fmt.Sprintf("≥ %.0f%% of MQLs", 100*p.Sales.FirstTouchCompliance)
	case sla.Disposition:
		return fmt.Sprintf("≥ %.0f%% of MQLs", 100*p.Sales.DispositionCompliance)
	}
	return fmt.Sprintf("%.0f%% of declined", 100*p.Sales.RejectionReasonRate)
}

// cell renders a week's result: the measured value and a mark.
func cell(r sla.Result) string {
	mark := map[sla.Status]string{sla.Met: "✓", sla.Missed: "✗", sla.Pending: "…", sla.NoData: " "}[r.Status]
	if r.Commitment == sla.MQLVolume {
		return fmt.Sprintf("%.0f %s", r.Measured, mark)
	}
	if r.Status == sla.NoData {
		return "—"
	}
	return fmt.Sprintf("%.0f%% %s", 100*r.Measured, mark)
}

// loneLowWeeks lists the complete weeks below the acceptance threshold
// that no red flag covers.
func loneLowWeeks(r *sla.Report) []string {
	flagged := map[time.Time]bool{}
	for _, f := range r.Flags {
		for _, p := range f.Weeks {
			flagged[p.Start] = true
		}
	}
	var out []string
	for _, w := range r.Weeks {
		if res := w.Result(sla.AcceptanceRate); w.Complete && res.Status == sla.Missed && !flagged[w.Period.Start] {
			out = append(out, fmt.Sprintf("%s %.1f%%", w.Period.Start.Format(time.DateOnly), 100*res.Measured))
		}
	}
	return out
}

// workedBy names the owners of a region's leads and their zones.
func workedBy(d *crm.Dataset, region string, names map[string]string) string {
	zones := map[string]string{}
	for _, u := range d.Users {
		zones[u.ID] = u.TimeZone
	}
	seen := map[string]bool{}
	var who []string
	for _, l := range d.Leads {
		if l.Region == region && !l.MQLAt.IsZero() && !seen[l.OwnerID] {
			seen[l.OwnerID] = true
			who = append(who, fmt.Sprintf("%s (%s)", names[l.OwnerID], zones[l.OwnerID]))
		}
	}
	slices.Sort(who)
	return strings.Join(who, ", ")
}

func ownerLine(owners []sla.Breakdown, names map[string]string) string {
	var parts []string
	for _, o := range owners {
		parts = append(parts, fmt.Sprintf("%s %d/%d/%d", firstName(names[o.Key]), o.FirstTouch.Broken, o.Disposition.Broken, o.RejectionReason.Broken))
	}
	return strings.Join(parts, ", ")
}

func userNames(users []crm.User) map[string]string {
	m := make(map[string]string, len(users))
	for _, u := range users {
		m[u.ID] = u.Name
	}
	return m
}

func firstName(name string) string {
	first, _, _ := strings.Cut(name, " ")
	return first
}
