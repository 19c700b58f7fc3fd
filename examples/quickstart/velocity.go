package main

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/internal/stats"
	"github.com/revalign/revalign/velocity"
)

// The quickstart's planning and forecasting assumptions, stated once.
const (
	planGrowth   = 0.30 // FY2028 target: the last four complete quarters' new business + 30%
	forecastSeed = 2027 // Monte Carlo seed: the same seed gives the same forecast
)

// velocitySection proves the alignment with the Pipeline Velocity Framework
// (catalog) and the seed's Step 3, one revenue plan: velocity by segment and
// overall with owned levers, the levers ranked, next fiscal year's plan
// worked backward and signed by both leaders, the forecast of the rest of
// the quarter, and the gap between marketing's and sales' quarter-start
// forecasts.
func velocitySection(in *input) (section, error) {
	s := section{Key: "velocity", Phase: "prove", Title: "Pipeline velocity: owned levers, one revenue plan, forecasts held to account"}
	cal, asOf := in.Calendar, in.AsOf
	deals, rejected := velocityDeals(in)

	// 1. Velocity by segment: deals closed since the start of last fiscal
	// year give S, W and L; N is the open pipeline today.
	window := revalign.Period{Start: cal.Year(asOf).Start.AddDate(-1, 0, 0), End: asOf}
	rep, bad, err := velocity.FromDeals(deals, window, velocity.DefaultConfig())
	if err != nil {
		return s, err
	}
	rejected = append(rejected, bad...)

	// 2. The levers, ranked by a 10% improvement, with their owners.
	owners := velocityOwners(in.Data.Users)
	ranked, err := velocity.Rank(rep.Inputs(), 0.10, owners)
	if err != nil {
		return s, err
	}
	v := rep.Overall.Velocity
	path, err := rep.Overall.Inputs.PathTo(v.Mul(decimal.NewFromInt(2)), velocity.DefaultGrid())
	if err != nil {
		return s, err
	}

	// 3. One revenue plan for FY2028, worked backward and signed.
	plan, planNote, err := velocityPlan(in, rep, deals)
	if err != nil {
		return s, err
	}
	sheet, err := plan.Work()
	if err != nil {
		return s, err
	}
	cmo := leader(in.Data.Users, "CMO", revalign.Owner{Name: "CMO"})
	cro := leader(in.Data.Users, "CRO", revalign.Owner{Name: "CRO"})
	if plan, err = plan.Sign(velocity.RoleMarketing, cmo.Name, asOf); err != nil {
		return s, err
	}
	if plan, err = plan.Sign(velocity.RoleSales, cro.Name, asOf); err != nil {
		return s, err
	}
	signed, _ := plan.SignOff(asOf)
	edited := plan
	edited.Targets = slices.Clone(plan.Targets)
	edited.Targets[0].Revenue = edited.Targets[0].Revenue.Add(decimal.NewFromInt(1))
	voided, _ := edited.SignOff(asOf)

	// 4. The rest of this quarter: stage-weighted and Monte Carlo.
	fv, err := velocityForecast(in, deals)
	if err != nil {
		return s, err
	}
	outlook := fv.Outlook

	// 5. Marketing's and sales' quarter-start forecasts against what was won.
	variance, accuracy, err := velocityVariance(in, deals)
	if err != nil {
		return s, err
	}

	// The report.
	s.Lines = append(s.Lines, fmt.Sprintf("Velocity of new business (won/lost %s → %s; N = open pipeline now; cycle in days, mean/median):",
		cal.QuarterLabel(window.Start), asOf.Format(time.DateOnly)))
	for _, m := range append(slices.Clone(rep.Segments), rep.Overall) {
		s.Lines = append(s.Lines, fmt.Sprintf("  %-4s N %3d  deal %8s  win %5.1f%% of %3d  cycle %3.0f/%5.1f  → %s/day",
			m.Segment, m.Open, money(m.DealSize), 100*m.WinRate, m.Won+m.Lost, m.Cycle.Mean, m.Cycle.Median, money(m.Velocity)))
	}
	s.Lines = append(s.Lines, fmt.Sprintf("  (segments add to %s/day; %d no-decision losses count as losses, %.1f%% without them; %d open deals have no amount yet: in N, not valued; %d rejected)",
		money(rep.SegmentSum), rep.Overall.NoDecision, 100*rep.Overall.WinRateDecided, rep.Overall.NoAmount.Open, len(rejected)))
	s.Lines = append(s.Lines, "Levers ranked by what a 10% improvement is worth (owner):")
	for i := 0; i < 6 && i < len(ranked); i += 3 {
		var row []string
		for j, p := range ranked[i:min(i+3, len(ranked))] {
			row = append(row, fmt.Sprintf("%d. %s %s %+.0f%% +%s/day (%s)", i+j+1, p.Segment, p.Lever, 100*p.Move.Relative, money(p.GainPerDay), p.Owner.Name))
		}
		s.Lines = append(s.Lines, "  "+strings.Join(row, "  "))
	}
	s.Lines = append(s.Lines, "  Smallest path to 2× overall velocity (5% steps): "+pathLine(path))

	s.Lines = append(s.Lines, fmt.Sprintf("FY2028 revenue plan, worked backward (%s): target %s", planNote, money(sheet.Revenue)))
	s.Lines = append(s.Lines, planTable(sheet)...)
	s.Lines = append(s.Lines,
		fmt.Sprintf("  Marketing investment %s (%s); coverage needed %s",
			money(sheet.Investment), quarterMoney(sheet.ByQuarter), coverageLine(sheet)),
		fmt.Sprintf("  Signed by %s and %s: %s; one target +$1 → %s", cmo.Name, cro.Name, signed.Reason(), voided.Reason()))

	s.Lines = append(s.Lines,
		fmt.Sprintf("%s forecast as of %s: booked %s; %d open deals, stage-weighted %s ± %s due this quarter",
			cal.QuarterLabel(asOf), asOf.Format(time.DateOnly), money(outlook.Booked), outlook.Deals, money(fv.Weighted.Expected), money(decimal.NewFromFloat(fv.Weighted.StdDev))),
		fmt.Sprintf("  Monte Carlo (%d runs, seed %d, slips of 14 ± 21 days): P10 %s · P50 %s · P90 %s; P(reach sales' forecast %s) = %.0f%%",
			outlook.Runs, outlook.Seed, money(outlook.P10), money(outlook.P50), money(outlook.P90), money(outlook.Target), 100*outlook.ProbTarget),
		"  Coverage in hand (due this quarter ÷ left to win): "+fv.coverage,
		"  Open pipeline by category: "+fv.categories)

	var gaps []string
	for _, x := range variance {
		if x.Segment == velocity.AllSegments {
			gaps = append(gaps, fmt.Sprintf("%s %.1f%%", x.Period, 100*x.Relative))
		}
	}
	s.Lines = append(s.Lines,
		"Forecast variance at quarter start, |marketing − sales| ÷ sales: "+strings.Join(gaps[max(0, len(gaps)-4):], ", "),
		"  "+accuracy)

	s.Data = velocityData{rep, ranked, path, plan, sheet, signed, fv, variance, rejected}
	return s, nil
}

// velocityData is the section's machine-readable result.
type velocityData struct {
	Velocity  velocity.Report        `json:"velocity"`
	Levers    []velocity.Priority    `json:"levers"`
	PathTo2x  velocity.Path          `json:"path_to_2x"`
	Plan      velocity.Plan          `json:"plan"`
	Worksheet velocity.Worksheet     `json:"worksheet"`
	SignOff   revalign.SignOff       `json:"sign_off"`
	Forecast  forecastView           `json:"forecast"`
	Variance  []velocity.Variance    `json:"forecast_variance"`
	Rejected  []revalign.RecordError `json:"rejected"`
}

// velocityDeals converts new-business opportunities into velocity deals:
// this is the conversion to copy. Amounts go to the reporting currency
// with the explicit rate table; created_at is an instant, close_date a
// calendar date placed in the fiscal calendar's zone (crm.DateIn); a
// "No decision" loss is flagged; the owner's forecast category is kept. A
// record that cannot be converted is returned with its ID, never dropped
// silently. Expansion deals are a different motion and stay out.
func velocityDeals(in *input) ([]velocity.Deal, []revalign.RecordError) {
	loc := in.Calendar.Location
	var deals []velocity.Deal
	var rejected []revalign.RecordError
	for _, o := range in.Data.Opportunities {
		if o.Type != "new_business" {
			continue
		}
		status, err := velocity.ParseStatus(o.Status)
		if err != nil {
			rejected = append(rejected, revalign.RecordError{ID: o.ID, Err: err})
			continue
		}
		category, err := velocity.ParseCategory(o.ForecastCategory)
		if err != nil {
			rejected = append(rejected, revalign.RecordError{ID: o.ID, Err: err})
			continue
		}
		d := velocity.Deal{
			ID: o.ID, Segment: o.Segment, Currency: in.Rates.Base,
			Created: o.CreatedAt.In(loc), Status: status, Stage: o.Stage, Category: category,
			NoDecision: strings.EqualFold(o.LossReason, "No decision"),
		}
		if !o.CloseDate.IsZero() {
			d.Closed = crm.DateIn(o.CloseDate, loc)
		}
		if o.Amount.Valid {
			usd, err := in.Rates.Convert(o.Amount.Decimal, o.Currency)
			if err != nil {
				rejected = append(rejected, revalign.RecordError{ID: o.ID, Err: err})
				continue
			}
			d.Amount = decimal.NewNullDecimal(usd)
		}
		deals = append(deals, d)
	}
	return deals, rejected
}

// velocityJourneys groups the stage history of the given deals by deal.
func velocityJourneys(d *crm.Dataset, deals []velocity.Deal, segment string) []velocity.Journey {
	entries := map[string][]velocity.Entry{}
	for _, h := range d.StageHistory {
		entries[h.OpportunityID] = append(entries[h.OpportunityID], velocity.Entry{Stage: h.Stage, EnteredAt: h.EnteredAt})
	}
	var out []velocity.Journey
	for _, x := range deals {
		if segment == "" || x.Segment == segment {
			out = append(out, velocity.Journey{ID: x.ID, Segment: x.Segment, Status: x.Status, Closed: x.Closed, Entries: entries[x.ID]})
		}
	}
	return out
}

// velocityOwners puts the sample company's leaders on the catalog's lever
// ownership: the CMO owns volume and deal size, the CRO win rate, cycle and
// (as tie-breaker) quality.
func velocityOwners(users []crm.User) velocity.Owners {
	o := velocity.DefaultOwners()
	cmo := leader(users, "CMO", revalign.Owner{Name: "Marketing leader", Team: revalign.Marketing})
	cro := leader(users, "CRO", revalign.Owner{Name: "Sales leader", Team: revalign.Sales})
	swap := func(x revalign.Owner) revalign.Owner {
		switch x.Name {
		case "Marketing leader":
			return cmo
		case "Sales leader", "CRO":
			return cro
		}
		return x
	}
	for _, w := range []*velocity.Ownership{&o.Opportunities, &o.DealSize, &o.WinRate, &o.CycleLength, &o.Quality} {
		w.Owner = swap(w.Owner)
		var sup []revalign.Owner
		for _, x := range w.Supporting {
			if x = swap(x); x != w.Owner {
				sup = append(sup, x)
			}
		}
		w.Supporting = sup
	}
	return o
}

// velocityPlan builds the FY2028 plan: per segment, a target of the last
// four complete quarters' new business + 30%, spread evenly over the four
// quarters, and a funnel measured over the velocity window: opportunities
// (win rate, mean cycle) ← accepted MQLs (opportunities created per
// accepted MQL, median days from MQL to opportunity) ← MQLs (acceptance
// rate, median days to disposition) ← leads (MQLs per lead, median days to
// MQL). Marketing buys MQLs at the window's spend per MQL, split over the
// channels by their share of that spend.
func velocityPlan(in *input, rep velocity.Report, deals []velocity.Deal) (velocity.Plan, string, error) {
	cal, asOf, d := in.Calendar, in.AsOf, in.Data
	window := rep.Window
	next := cal.Year(cal.Year(asOf).End)
	last := cal.Quarter(asOf).Start
	base := revalign.Period{Start: last.AddDate(0, -12, 0), End: last}
	plan := velocity.Plan{Name: fmt.Sprintf("FY%d revenue plan", cal.FiscalYear(next.Start)), Currency: in.Rates.Base, Calendar: cal}

	segOf := map[string]string{}
	for _, a := range d.Accounts {
		segOf[a.ID] = a.Segment
	}
	type funnelCounts struct {
		leads, mqls, disposed, accepted, opps int
		toMQL, toDisp, toOpp                  []float64
	}
	fc := map[string]*funnelCounts{}
	get := func(seg string) *funnelCounts {
		if fc[seg] == nil {
			fc[seg] = &funnelCounts{}
		}
		return fc[seg]
	}
	mqlAt := map[string]time.Time{}
	mqls := 0
	for _, l := range d.Leads {
		c := get(segOf[l.AccountID])
		if window.Contains(l.CreatedAt) {
			c.leads++
		}
		if l.MQLAt.IsZero() || !window.Contains(l.MQLAt) {
			continue
		}
		mqls++
		c.mqls++
		c.toMQL = append(c.toMQL, days(l.MQLAt.Sub(l.CreatedAt)))
		if l.Disposition != "" {
			c.disposed++
			c.toDisp = append(c.toDisp, days(l.DispositionAt.Sub(l.MQLAt)))
		}
		if l.Disposition == "Accepted" {
			c.accepted++
			mqlAt[l.ID] = l.MQLAt
		}
	}
	for _, o := range d.Opportunities {
		if o.Type == "new_business" && window.Contains(o.CreatedAt) {
			c := get(o.Segment)
			c.opps++
			if at, ok := mqlAt[o.PrimaryContactID]; ok {
				c.toOpp = append(c.toOpp, days(o.CreatedAt.Sub(at)))
			}
		}
	}
	spend, byChannel := decimal.Zero, map[string]decimal.Decimal{}
	for _, x := range d.Spend {
		if !window.Contains(crm.DateIn(x.Month, cal.Location)) {
			continue
		}
		usd, err := in.Rates.Convert(x.Amount, x.Currency)
		if err != nil {
			return plan, "", err
		}
		spend = spend.Add(usd)
		byChannel[x.Channel] = byChannel[x.Channel].Add(usd)
	}
	if mqls == 0 {
		return plan, "", fmt.Errorf("velocity: no MQLs in %s to price the plan", window)
	}
	perMQL := spend.DivRound(decimal.NewFromInt(int64(mqls)), 2)
	for _, ch := range slices.Sorted(maps.Keys(byChannel)) {
		plan.Channels = append(plan.Channels, velocity.Channel{Name: ch, Share: byChannel[ch].InexactFloat64()})
	}

	won := map[string]decimal.Decimal{}
	for _, x := range deals {
		if x.Status == velocity.Won && x.Amount.Valid && base.Contains(x.Closed) {
			won[x.Segment] = won[x.Segment].Add(x.Amount.Decimal)
		}
	}
	quarters := cal.Periods(revalign.Quarter, next.Start, next.End)
	for _, m := range rep.Segments {
		if len(m.Withheld) > 0 {
			continue
		}
		c := get(m.Segment)
		annual := won[m.Segment].Mul(decimal.NewFromFloat(1 + planGrowth)).Round(2)
		parts, err := revalign.Split(annual, []float64{1, 1, 1, 1}, 2)
		if err != nil {
			return plan, "", err
		}
		for i, q := range quarters {
			plan.Targets = append(plan.Targets, velocity.Target{Period: q, Segment: m.Segment, Revenue: parts[i]})
		}
		plan.Funnels = append(plan.Funnels, velocity.Funnel{
			Segment: m.Segment, DealSize: m.DealSize, CostStep: "MQLs", CostPerUnit: perMQL,
			Steps: []velocity.Step{
				{Name: "opportunities", Conversion: m.WinRate, LagDays: int(math.Round(m.Cycle.Mean))},
				{Name: "accepted MQLs", Conversion: min(1, float64(c.opps)/float64(c.accepted)), LagDays: medianDays(c.toOpp)},
				{Name: "MQLs", Conversion: float64(c.accepted) / float64(c.disposed), LagDays: medianDays(c.toDisp)},
				{Name: "leads", Conversion: float64(c.mqls) / float64(c.leads), LagDays: medianDays(c.toMQL)},
			},
		})
	}
	note := fmt.Sprintf("new business won %s–%s + %.0f%%; %s per MQL", cal.QuarterLabel(base.Start),
		cal.QuarterLabel(base.End.AddDate(0, 0, -1)), 100*planGrowth, money(perMQL))
	return plan, note, nil
}

// forecastView is the forecast of the rest of the quarter as the section
// prints it.
type forecastView struct {
	Outlook    velocity.Outlook     `json:"outlook"`
	Weighted   velocity.Expectation `json:"stage_weighted"`
	categories string
	coverage   string
}

// velocityForecast forecasts the rest of the current quarter: the open
// new-business deals with their stage's win rate (measured per segment from
// the stage history as it stood at asOf, the pooled rate where a segment has
// too few deals), what is already booked, and sales' quarter-start forecast
// as the target; and the coverage in hand per segment, pipeline due this
// quarter ÷ what is left to win of sales' forecast.
func velocityForecast(in *input, deals []velocity.Deal) (forecastView, error) {
	var fv forecastView
	cal, asOf := in.Calendar, in.AsOf
	stages := velocity.DefaultStages()
	pooled, _, err := velocity.Conversions(velocityJourneys(in.Data, deals, ""), stages, asOf, 5)
	if err != nil {
		return fv, err
	}
	segments := []string{"ENT", "MID", "SMB"}
	rates := velocity.StageRates{Default: pooled.Rates(), Segments: map[string]map[string]float64{}}
	for _, seg := range segments {
		r, _, err := velocity.Conversions(velocityJourneys(in.Data, deals, seg), stages, asOf, 5)
		if err != nil {
			return fv, err
		}
		rates.Segments[seg] = r.Rates()
	}
	open, _, err := velocity.OpenPipeline(deals, rates, asOf, in.Rates.Base)
	if err != nil {
		return fv, err
	}
	quarter, label := cal.Quarter(asOf), cal.QuarterLabel(asOf)
	booked, target, due := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	goal := velocity.Goal{Period: quarter, AsOf: asOf}
	for _, d := range deals {
		if d.Status == velocity.Won && d.Amount.Valid && quarter.Contains(d.Closed) && !d.Closed.After(asOf) {
			goal.Booked = goal.Booked.Add(d.Amount.Decimal)
			booked[d.Segment] = booked[d.Segment].Add(d.Amount.Decimal)
		}
	}
	for _, f := range in.Data.Forecasts {
		if f.Quarter == label && f.Team == string(revalign.Sales) {
			usd, err := in.Rates.Convert(f.Amount, f.Currency)
			if err != nil {
				return fv, err
			}
			goal.Target = goal.Target.Add(usd)
			target[f.Segment] = target[f.Segment].Add(usd)
		}
	}
	if fv.Outlook, err = velocity.MonteCarlo(open, goal, velocity.DefaultSimulation(), forecastSeed); err != nil {
		return fv, err
	}
	var inQuarter []velocity.OpenDeal
	for _, d := range open {
		if d.Close.Before(quarter.End) {
			inQuarter = append(inQuarter, d)
			due[d.Segment] = due[d.Segment].Add(d.Amount)
		}
	}
	fv.Weighted, _ = velocity.StageWeighted(inQuarter)
	all, _ := velocity.StageWeighted(open)
	var cats, cover []string
	for _, c := range all.ByCategory {
		cats = append(cats, fmt.Sprintf("%s %s (%d)", c.Category, money(c.Amount), c.Deals))
	}
	for _, seg := range segments {
		c, err := velocity.Coverage(due[seg], target[seg], booked[seg])
		if err != nil {
			cover = append(cover, seg+" forecast already booked")
			continue
		}
		cover = append(cover, fmt.Sprintf("%s %.1f× of %s", seg, c, money(target[seg].Sub(booked[seg]))))
	}
	fv.categories, fv.coverage = strings.Join(cats, ", "), strings.Join(cover, ", ")
	return fv, nil
}

// velocityVariance compares marketing's and sales' quarter-start forecasts
// with each other and with the new business won in each quarter.
func velocityVariance(in *input, deals []velocity.Deal) ([]velocity.Variance, string, error) {
	cal := in.Calendar
	current := cal.QuarterLabel(in.AsOf)
	var forecasts []velocity.TeamForecast
	points := map[revalign.Team][]velocity.Point{}
	for _, f := range in.Data.Forecasts {
		usd, err := in.Rates.Convert(f.Amount, f.Currency)
		if err != nil {
			return nil, "", err
		}
		forecasts = append(forecasts, velocity.TeamForecast{Period: f.Quarter, Segment: f.Segment, Team: revalign.Team(f.Team), Amount: usd})
	}
	wonBy := map[[2]string]decimal.Decimal{}
	for _, d := range deals {
		if d.Status == velocity.Won && d.Amount.Valid {
			k := [2]string{cal.QuarterLabel(d.Closed), d.Segment}
			wonBy[k] = wonBy[k].Add(d.Amount.Decimal)
		}
	}
	var actuals []velocity.Actual
	for _, f := range forecasts {
		if f.Period == current || f.Team != revalign.Sales {
			continue
		}
		actuals = append(actuals, velocity.Actual{Period: f.Period, Segment: f.Segment, Amount: wonBy[[2]string{f.Period, f.Segment}]})
	}
	for _, f := range forecasts {
		if f.Period != current {
			points[f.Team] = append(points[f.Team], velocity.Point{Period: f.Period, Segment: f.Segment, Forecast: f.Amount, Actual: wonBy[[2]string{f.Period, f.Segment}]})
		}
	}
	variance, rejected, err := velocity.TeamVariance(forecasts, actuals, 0.10)
	if err != nil {
		return nil, "", err
	}
	if len(rejected) > 0 {
		return nil, "", rejected[0]
	}
	var parts []string
	for _, team := range []revalign.Team{revalign.Marketing, revalign.Sales} {
		acc, err := velocity.ForecastAccuracy(points[team], 0.10)
		if err != nil {
			return nil, "", err
		}
		a := acc[len(acc)-1] // the company number
		parts = append(parts, fmt.Sprintf("%s WAPE %.1f%%, bias %+.1f%%, %d of %d quarters within ±10%%",
			team, 100*a.WAPE, 100*a.BiasPct, a.Hits, a.Points))
	}
	higher, total := 0, 0
	for _, x := range variance {
		if x.Segment == velocity.AllSegments {
			total++
			if x.Gap.IsPositive() {
				higher++
			}
		}
	}
	line := fmt.Sprintf("Marketing above sales in %d of %d quarters; against actuals: %s", higher, total, strings.Join(parts, "; "))
	return variance, line, nil
}

// planTable lays the plan's volumes out by quarter, every funnel summed by
// step name, in the quarters the volume must happen in.
func planTable(ws velocity.Worksheet) []string {
	var names, quarters []string
	vol := map[[2]string]float64{}
	for _, f := range ws.Funnels {
		for _, st := range f.Steps {
			if !slices.Contains(names, st.Name) {
				names = append(names, st.Name)
			}
			for _, q := range st.Quarters {
				if !slices.Contains(quarters, q.Quarter) {
					quarters = append(quarters, q.Quarter)
				}
				vol[[2]string{st.Name, q.Quarter}] += q.Volume
			}
		}
	}
	slices.Sort(quarters)
	head := fmt.Sprintf("  %-14s", "needed in")
	for _, q := range quarters {
		head += fmt.Sprintf(" %9s", q)
	}
	out := []string{head}
	for _, n := range names {
		row := fmt.Sprintf("  %-14s", n)
		for _, q := range quarters {
			row += fmt.Sprintf(" %9.0f", vol[[2]string{n, q}])
		}
		out = append(out, row)
	}
	return out
}

func quarterMoney(ms []velocity.Money) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%s %s", m.Quarter, money(m.Amount)))
	}
	return strings.Join(parts, ", ")
}

func coverageLine(ws velocity.Worksheet) string {
	var parts []string
	for _, f := range ws.Funnels {
		parts = append(parts, fmt.Sprintf("%s %.1f×", f.Segment, f.RequiredCoverage))
	}
	return strings.Join(parts, ", ") + " (1 ÷ win rate)"
}

func pathLine(p velocity.Path) string {
	var parts []string
	for _, m := range p.Moves {
		parts = append(parts, fmt.Sprintf("%s %+.0f%%", m.Lever, 100*m.Relative))
	}
	if len(parts) == 0 {
		parts = append(parts, "no move")
	}
	return fmt.Sprintf("%s → %.2f× (%s/day)", strings.Join(parts, ", "), p.Outcome.Ratio, money(p.Outcome.VelocityAfter))
}

// money formats an amount as $7,931, $15.4k or $2.46M.
func money(d decimal.Decimal) string {
	f := d.InexactFloat64()
	switch a := math.Abs(f); {
	case a >= 1e6:
		return fmt.Sprintf("$%.2fM", f/1e6)
	case a >= 1e4:
		return fmt.Sprintf("$%.1fk", f/1e3)
	case a >= 1e3:
		return fmt.Sprintf("$%d,%03d", int(f)/1000, int(math.Abs(math.Round(f)))%1000)
	default:
		return fmt.Sprintf("$%.0f", f)
	}
}

func days(d time.Duration) float64 { return d.Hours() / 24 }

// medianDays returns the median of x rounded to whole days (0 for none).
func medianDays(x []float64) int {
	if len(x) == 0 {
		return 0
	}
	return int(math.Round(stats.Median(slices.Sorted(slices.Values(x)))))
}
