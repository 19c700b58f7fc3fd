package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/cadence"
	"github.com/revalign/revalign/crm"
)

// cadenceSection runs the revenue operating cadence on the sample company
// (seed Steps 4 and 6; catalog, Revenue Operating Cadence Framework): this
// week's pipeline review of the two Monday snapshots, the loss post-mortem
// of the last complete fiscal quarter, and the next quarter's rituals.
func cadenceSection(in *input) (section, error) {
	s := section{Key: "cadence", Phase: "fix", Title: "Operating cadence: this week's pipeline review, the loss post-mortem, next quarter's rituals"}
	d, asOf, cal := in.Data, in.AsOf, in.Calendar
	people := cadencePeople(d.Users)

	// 1. The weekly pipeline review: this Monday's snapshot against last
	// Monday's, the deals closed in between, the revenue booked in the
	// quarter before last Monday, the current fiscal quarter's forecast, a
	// 50,000 USD threshold.
	quarter := cal.Quarter(asOf)
	thisWeek, lastWeek, closed, booked, err := cadenceSnapshots(in, people, quarter)
	if err != nil {
		return s, err
	}
	policy := cadence.DefaultPipelinePolicy()
	policy.Currency = in.Rates.Base
	policy.Threshold = decimal.NewFromInt(50000)
	policy.PatternOwner = people.role("RevOps Director")
	policy.DefaultOwner = people.role("CRO")
	review, err := policy.Review(cadence.ReviewInput{AsOf: asOf, Period: quarter, This: thisWeek, Last: lastWeek, Closed: closed, BookedBefore: booked})
	if err != nil {
		return s, err
	}
	if err := review.Err(); err != nil {
		return s, fmt.Errorf("cadence: unusable snapshot records: %w", err)
	}

	// 2. The loss post-mortem of the last complete fiscal quarter.
	lastQuarter := cal.Quarter(quarter.Start.Add(-time.Hour))
	losses, err := cadenceLosses(in, people)
	if err != nil {
		return s, err
	}
	pmPolicy := cadence.DefaultPostMortemPolicy()
	pmPolicy.Currency = in.Rates.Base
	pm, err := pmPolicy.Run(losses, lastQuarter)
	if err != nil {
		return s, err
	}

	// 3. Next quarter's rituals: the default cadence with the company's
	// people, its fiscal calendar and its US holidays, in New York.
	c := cadence.DefaultCadence().Assign(map[string]revalign.Owner{
		"VP Sales": people.role("CRO"), "CRO": people.role("CRO"),
		"VP Marketing": people.role("CMO"), "CMO": people.role("CMO"),
		"RevOps lead":               people.role("RevOps Director"),
		"Marketing operations lead": people.role("Marketing Operations Lead"),
		"Sales operations lead":     people.role("Sales Operations Lead"),
	})
	c.Calendar = cal
	c.Holidays = []cadence.Holiday{
		cadence.Fixed("New Year's Day", time.January, 1, true),
		cadence.Floating("Martin Luther King Jr. Day", time.January, 3, cadence.Monday),
		cadence.Floating("Memorial Day", time.May, -1, cadence.Monday),
		cadence.Fixed("Independence Day", time.July, 4, true),
		cadence.Floating("Labor Day", time.September, 1, cadence.Monday),
		cadence.Floating("Thanksgiving", time.November, 4, cadence.Thursday),
		cadence.Fixed("Christmas Day", time.December, 25, true),
	}
	next := cal.Quarter(quarter.End)
	tt, err := c.Schedule(next.Start, next.End, cal.Location)
	if err != nil {
		return s, err
	}

	s.Lines = cadenceLines(in, review, pm, c, tt)
	s.Data = cadenceData{review, pm, tt}
	return s, nil
}

// cadenceData is the section's machine-readable part.
type cadenceData struct {
	Review     cadence.Review     `json:"pipeline_review"`
	PostMortem cadence.PostMortem `json:"loss_postmortem"`
	Schedule   cadence.Timetable  `json:"next_quarter"`
}

// cadenceTeam resolves owner IDs of the CRM export into named owners.
type cadenceTeam struct {
	byID   map[string]revalign.Owner
	byRole map[string]revalign.Owner
}

func cadencePeople(users []crm.User) cadenceTeam {
	t := cadenceTeam{byID: map[string]revalign.Owner{}, byRole: map[string]revalign.Owner{}}
	for _, u := range users {
		o := revalign.Owner{Name: u.Name, Team: revalign.Team(u.Team)}
		t.byID[u.ID] = o
		if _, ok := t.byRole[u.Role]; !ok {
			t.byRole[u.Role] = o
		}
	}
	return t
}

// owner returns the user with the ID; an empty ID is no owner, an unknown
// one keeps the ID as the name so that the deal is not shown unowned.
func (t cadenceTeam) owner(id string) revalign.Owner {
	if id == "" {
		return revalign.Owner{}
	}
	if o, ok := t.byID[id]; ok {
		return o
	}
	return revalign.Owner{Name: id, Team: revalign.Sales}
}

func (t cadenceTeam) role(role string) revalign.Owner { return t.byRole[role] }

// cadenceSnapshots converts pipeline_snapshots.csv into the review's two
// snapshots, amounts converted to the reporting currency (an amount in a
// currency without a rate is an error naming the deal; a deal without an
// amount counts as 0), lists the deals won or lost between the snapshot
// dates, and sums the revenue booked in the quarter before last week's
// snapshot: deals won in the quarter that had left the pipeline by then.
func cadenceSnapshots(in *input, people cadenceTeam, quarter revalign.Period) (this, last []cadence.Deal, closed []cadence.Closed, booked decimal.Decimal, err error) {
	// Snapshot and close dates are plain dates, read as midnight UTC.
	date := func(t time.Time) time.Time {
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	today := date(in.AsOf.In(in.Calendar.Location))
	lastDate := today.AddDate(0, 0, -7)
	inLast := map[string]bool{}
	for _, r := range in.Data.PipelineSnapshots {
		// A deal not priced yet counts as 0 in the forecast, as in the CRM;
		// it is still reviewed for owner, next action and stalls.
		amount, err := in.Rates.Convert(r.Amount.Decimal, r.Currency)
		if err != nil {
			return nil, nil, nil, booked, fmt.Errorf("snapshot %s of %s: %w", r.OpportunityID, r.SnapshotDate.Format(time.DateOnly), err)
		}
		waiting, err := cadence.ParseWaitingOn(r.WaitingOn)
		if err != nil {
			return nil, nil, nil, booked, fmt.Errorf("snapshot %s: %w", r.OpportunityID, err)
		}
		deal := cadence.Deal{
			ID: r.OpportunityID, Owner: people.owner(r.OwnerID), Stage: r.Stage, StageEnteredAt: r.StageEnteredAt,
			Amount: amount, Currency: in.Rates.Base, CloseDate: r.CloseDate, ForecastCategory: r.ForecastCategory,
			NextAction: r.NextAction, NextActionDate: r.NextActionDate, WaitingOn: waiting, StallReason: r.StallReason,
		}
		switch {
		case r.SnapshotDate.Equal(today):
			this = append(this, deal)
		case r.SnapshotDate.Equal(lastDate):
			last = append(last, deal)
			inLast[deal.ID] = true
		}
	}
	from, to := date(quarter.Start), date(quarter.End)
	booked = decimal.Zero
	for _, o := range in.Data.Opportunities {
		if o.Status != "won" && o.Status != "lost" {
			continue
		}
		if !o.CloseDate.Before(lastDate) && !o.CloseDate.After(today) {
			closed = append(closed, cadence.Closed{ID: o.ID, Won: o.Status == "won", ClosedOn: o.CloseDate})
		}
		// Booked before last week: won in the quarter, on or before last
		// week's snapshot date and no longer in that snapshot.
		if o.Status == "won" && !o.CloseDate.Before(from) && o.CloseDate.Before(to) && !o.CloseDate.After(lastDate) && !inLast[o.ID] {
			amount, err := in.Rates.Convert(o.Amount.Decimal, o.Currency)
			if err != nil {
				return nil, nil, nil, booked, fmt.Errorf("opportunity %s: %w", o.ID, err)
			}
			booked = booked.Add(amount)
		}
	}
	return this, last, closed, booked, nil
}

// cadenceLosses converts the lost opportunities into post-mortem losses
// in the reporting currency.
func cadenceLosses(in *input, people cadenceTeam) ([]cadence.Loss, error) {
	var out []cadence.Loss
	for _, o := range in.Data.Opportunities {
		if o.Status != "lost" {
			continue
		}
		amount := decimal.Zero
		if o.Amount.Valid {
			var err error
			if amount, err = in.Rates.Convert(o.Amount.Decimal, o.Currency); err != nil {
				return nil, fmt.Errorf("opportunity %s: %w", o.ID, err)
			}
		}
		out = append(out, cadence.Loss{ID: o.ID, Owner: people.owner(o.OwnerID), Amount: amount, Currency: in.Rates.Base,
			ClosedOn: o.CloseDate, Reason: o.LossReason})
	}
	return out, nil
}

func cadenceLines(in *input, rv cadence.Review, pm cadence.PostMortem, c cadence.Cadence, tt cadence.Timetable) []string {
	usd := func(x decimal.Decimal) string { return "$" + grouped(x) }
	signed := func(x decimal.Decimal) string {
		switch {
		case x.IsNegative():
			return "−$" + grouped(x.Neg())
		case x.IsZero():
			return "±$0"
		}
		return "+$" + grouped(x)
	}
	dl := rv.Delta
	var lines []string
	lines = append(lines, fmt.Sprintf("Weekly pipeline review, %s: %d open deals (threshold %s; amounts in %s).",
		rv.AsOf.Format("Mon 2006-01-02"), rv.Deals, usd(rv.Threshold), rv.Currency))

	// Forecast delta: the forecast is booked revenue plus the open
	// pipeline closing in the quarter, so a win moves money from one to
	// the other.
	var parts []string
	for _, b := range dl.Buckets {
		switch b.Kind {
		case cadence.Moved:
			parts = append(parts, fmt.Sprintf("%d only moved stage", b.Deals))
		case cadence.Won:
			parts = append(parts, fmt.Sprintf("won %d %s (%s moved from pipeline to booked)", b.Deals, signed(b.Effect), usd(dl.ThisBooked.Sub(dl.LastBooked))))
		default:
			parts = append(parts, fmt.Sprintf("%s %d %s", strings.ReplaceAll(b.Kind.String(), "_", " "), b.Deals, signed(b.Effect)))
		}
	}
	lines = append(lines,
		fmt.Sprintf("Forecast delta %s (booked + pipeline closing %s, not omitted): %s → %s (%s), reconciled to the cent: %t.",
			in.Calendar.QuarterLabel(rv.Period.Start), rv.Period, usd(dl.Last), usd(dl.This), signed(dl.Net()), dl.Reconciles),
		fmt.Sprintf("  Booked %s → %s; open pipeline %s → %s.", usd(dl.LastBooked), usd(dl.ThisBooked), usd(dl.Last.Sub(dl.LastBooked)), usd(dl.This.Sub(dl.ThisBooked))),
		"  "+strings.Join(parts, "; ")+".",
		fmt.Sprintf("  Reviewed forecast %s: %d deals in passive voice (%s) come off it.", usd(dl.Reviewed), dl.OffForecastDeals, usd(dl.OffForecast)))

	// Deals over the threshold.
	var top []string
	for _, l := range rv.OverThreshold[:min(3, len(rv.OverThreshold))] {
		top = append(top, fmt.Sprintf("%s %s %s, next %q %s", l.ID, usd(l.Amount), l.Owner.Name, l.NextAction, l.NextActionDate.Format("Jan 2")))
	}
	lines = append(lines, fmt.Sprintf("Deals over %s: %d to walk, e.g. %s.", usd(rv.Threshold), len(rv.OverThreshold), strings.Join(top, "; ")))

	// Passive voice, by flag.
	byFlag := map[cadence.Flags][]string{}
	for _, l := range rv.Passive {
		for _, f := range []cadence.Flags{cadence.WaitingOnBuyer, cadence.PastNextAction, cadence.NoNextAction, cadence.NoOwner} {
			if l.Flags.Has(f) {
				id := l.ID
				if f == cadence.PastNextAction {
					id += " (" + l.NextActionDate.Format("Jan 2") + ")"
				}
				byFlag[f] = append(byFlag[f], id)
			}
		}
	}
	lines = append(lines, fmt.Sprintf("No deals in passive voice: %d flagged — waiting on the buyer %s; next action in the past %s; no dated next action %s; no owner %s.",
		len(rv.Passive), strings.Join(byFlag[cadence.WaitingOnBuyer], ", "), strings.Join(byFlag[cadence.PastNextAction], ", "),
		strings.Join(byFlag[cadence.NoNextAction], ", "), strings.Join(byFlag[cadence.NoOwner], ", ")))

	// Stalled inventory and pattern flags.
	stalledValue := decimal.Zero
	for _, l := range rv.Stalled {
		stalledValue = stalledValue.Add(l.Amount)
	}
	var oldest []string
	for _, l := range rv.Stalled[:min(3, len(rv.Stalled))] {
		oldest = append(oldest, fmt.Sprintf("%s %d days in %s", l.ID, l.DaysInStage, l.Stage))
	}
	lines = append(lines, fmt.Sprintf("Stalled inventory (no stage movement for 21+ days): %d deals, %s; longest %s.",
		len(rv.Stalled), usd(stalledValue), strings.Join(oldest, ", ")))
	carrier := map[string]string{}
	for _, cm := range rv.Commitments {
		if cm.Kind == cadence.RoutePattern {
			carrier[cm.Pattern] = cm.Owner.Name
		}
	}
	for _, p := range rv.Patterns {
		verdict := "below the 3-deal rule, no flag"
		if p.Structural {
			verdict = fmt.Sprintf("STRUCTURAL → %s, carried by %s", routeName(c, p.RouteTo), carrier[p.Reason])
		}
		lines = append(lines, fmt.Sprintf("  Pattern %q: %d deals (%s), %d stalled, %s — %s.",
			p.Reason, len(p.Deals), strings.Join(p.Deals, ", "), p.Stalled, usd(p.Amount), verdict))
	}
	kinds := map[cadence.CommitmentKind]int{}
	for _, cm := range rv.Commitments {
		kinds[cm.Kind]++
	}
	lines = append(lines, fmt.Sprintf("Action commitments by %s: %d dated next actions due, %d passive-voice deals to own or take off the forecast, %d pattern to the loss review.",
		rv.CommitmentsDue.Format("Mon Jan 2"), kinds[cadence.NextActionDue], kinds[cadence.FixPassive], kinds[cadence.RoutePattern]))

	// The loss post-mortem.
	var sel []string
	reasons := map[string]bool{}
	for _, cs := range pm.Selected {
		sel = append(sel, cs.ID)
		reasons[strings.ToLower(cs.Reason)] = true
	}
	lines = append(lines, fmt.Sprintf("Loss post-mortem %s (%s): %d losses, %s lost; review %d across %d reasons: %s.",
		in.Calendar.QuarterLabel(pm.Quarter.Start), pm.Quarter, pm.Losses, usd(pm.ValueLost), len(sel), len(reasons), strings.Join(sel, ", ")))
	for _, ch := range pm.Changes {
		lines = append(lines, fmt.Sprintf("  %d. %s (%s): %d losses, %s — %s.", ch.Rank, ch.Category, strings.Join(ch.Reasons, ", "), ch.Losses, usd(ch.Value), ch.Action))
	}
	for _, w := range pm.Warnings {
		lines = append(lines, "  check: "+w.Message+".")
	}

	// Next quarter's rituals.
	var counts []string
	for _, r := range c.Rituals {
		n := tt.Count(r.Key)
		if n == 1 {
			for _, o := range tt.Meetings {
				if o.Ritual == r.Key {
					counts = append(counts, fmt.Sprintf("%s %s", r.Name, o.Start.Format("Mon Jan 2")))
				}
			}
			continue
		}
		counts = append(counts, fmt.Sprintf("%d× %s", n, r.Name))
	}
	var skipped []string
	for _, o := range tt.Skipped {
		skipped = append(skipped, fmt.Sprintf("%s %s (%s)", o.Name, o.Nominal.Format("Mon Jan 2"), o.Holiday))
	}
	lines = append(lines, fmt.Sprintf("Next quarter %s (%s, %s): %d meetings — %s; skipped: %s.",
		in.Calendar.QuarterLabel(tt.From), revalign.Period{Start: tt.From, End: tt.To}, in.Calendar.Location, len(tt.Meetings),
		strings.Join(counts, ", "), strings.Join(skipped, ", ")))
	return lines
}

func routeName(c cadence.Cadence, key string) string {
	if r, ok := c.Ritual(key); ok {
		return r.Name
	}
	return key
}

// grouped formats a non-negative amount in whole units with thousands
// separators: 1234567.89 → "1,234,568".
func grouped(x decimal.Decimal) string {
	s := x.StringFixed(0)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
