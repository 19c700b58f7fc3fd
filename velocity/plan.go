package velocity

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// The roles that sign a revenue plan by default: one plan, both leaders.
const (
	RoleMarketing = "marketing_leader"
	RoleSales     = "sales_leader"
)

// Step is one stage of a plan's funnel, counted backward from revenue.
type Step struct {
	// Name of the volume, e.g. "opportunities", "mqls", "leads".
	Name string `json:"name"`
	// Conversion is the share of this step's volume that becomes the next
	// step toward revenue: the win rate for opportunities, the acceptance
	// rate for MQLs.
	Conversion float64 `json:"conversion"`
	// LagDays is how many days this step comes before the next step toward
	// revenue: the sales cycle for opportunities.
	LagDays int `json:"lag_days"`
}

// Funnel is the path from volume to revenue of one segment (or of the
// whole business), read backward: won deals ← Steps[0] ← Steps[1] ← ….
type Funnel struct {
	// Segment names the funnel; targets refer to it.
	Segment string `json:"segment"`
	// DealSize is the average won deal.
	DealSize decimal.Decimal `json:"deal_size"`
	// Steps run from the one closest to revenue to the earliest.
	Steps []Step `json:"steps"`
	// CostStep names the step marketing buys (e.g. "mqls" or "leads") at
	// CostPerUnit each; empty plans no investment.
	CostStep string `json:"cost_step,omitempty"`
	// CostPerUnit is what one unit of CostStep costs, in the plan's
	// currency, >= 0; unused without a CostStep.
	CostPerUnit decimal.Decimal `json:"cost_per_unit,omitzero"`
}

// Validate reports a non-positive deal size, no steps, conversions outside
// (0,1], negative lags, repeated step names and an unknown cost step.
func (f Funnel) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(f.DealSize.IsPositive(), "deal_size", f.DealSize.String(), "must be > 0")
	v.Check(len(f.Steps) > 0, "steps", nil, "needs at least one step (the opportunities)")
	names := map[string]bool{}
	for i, s := range f.Steps {
		p := revalign.Index("steps", i)
		v.Check(strings.TrimSpace(s.Name) != "", p+".name", s.Name, "must not be blank")
		v.Check(!names[s.Name], p+".name", s.Name, "repeats a step")
		names[s.Name] = true
		v.Check(s.Conversion > 0 && s.Conversion <= 1, p+".conversion", s.Conversion, "must be in (0,1]")
		v.Check(s.LagDays >= 0, p+".lag_days", s.LagDays, "must be >= 0")
	}
	if f.CostStep != "" {
		v.Check(names[f.CostStep], "cost_step", f.CostStep, "is not a step of the funnel")
		v.Check(!f.CostPerUnit.IsNegative(), "cost_per_unit", f.CostPerUnit.String(), "must be >= 0")
	}
	return v.Err()
}

// Target is the revenue a segment must win in a fiscal quarter.
type Target struct {
	// Period is the quarter the revenue must be won in (any non-empty
	// period; a fiscal quarter of the plan's calendar in practice).
	Period revalign.Period `json:"period"`
	// Segment names the funnel that produces the revenue.
	Segment string `json:"segment"`
	// Revenue is the revenue to win, in the plan's currency, >= 0.
	Revenue decimal.Decimal `json:"revenue"`
}

// Channel is a marketing channel and its share of the investment.
type Channel struct {
	// Name names the channel, e.g. "paid_search"; it must not be blank.
	Name string `json:"name"`
	// Share is the channel's weight in the split of the investment,
	// finite and >= 0; shares are relative (they need not sum to 1, but
	// their sum must be above 0).
	Share float64 `json:"share"`
}

// Plan is one revenue plan for both teams: revenue targets per quarter,
// the funnels that produce them, and the marketing channels that fund
// them, signed by both leaders. A plan is in force only while every
// required role has signed its current content: any changed number voids
// the signatures. Plan is a plain value; [Plan.Sign] returns a copy.
type Plan struct {
	// Name names the plan, e.g. "FY2027 revenue plan"; it must not be
	// blank.
	Name string `json:"name"`
	// Currency of every amount, e.g. "USD"; investments are split to its
	// minor units.
	Currency string `json:"currency"`
	// Calendar cuts and labels the fiscal quarters volumes and
	// investments are placed in.
	Calendar revalign.FiscalCalendar `json:"calendar"`
	// Targets are the revenue targets, at least one; each names a
	// segment with a funnel.
	Targets []Target `json:"targets"`
	// Funnels are the funnels producing the targets, one per segment.
	Funnels []Funnel `json:"funnels"`
	// Channels split the investment; empty leaves it unsplit (no
	// Worksheet.ByChannel).
	Channels []Channel `json:"channels,omitempty"`
	// Roles that must sign; defaults to marketing_leader and sales_leader
	// when empty.
	Roles []string `json:"roles,omitempty"`
	// Signatures are the sign-offs collected with [Plan.Sign]; they are
	// left out of the plan's hash, and any other change voids them.
	Signatures revalign.Signatures `json:"signatures,omitempty"`
}

func (p Plan) roles() []string {
	if len(p.Roles) == 0 {
		return []string{RoleMarketing, RoleSales}
	}
	return p.Roles
}

// Validate reports every problem of the plan: no name, a malformed
// currency, empty periods, negative revenue, targets of a segment with no
// funnel, invalid funnels and channels.
func (p Plan) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(strings.TrimSpace(p.Name) != "", "name", p.Name, "must not be blank")
	v.Check(len(p.Currency) == 3, "currency", p.Currency, "must be a three-letter currency code")
	v.Nest("calendar", p.Calendar.Validate())
	v.Check(len(p.Targets) > 0, "targets", nil, "needs at least one target")
	funnels := map[string]bool{}
	for i, f := range p.Funnels {
		path := revalign.Index("funnels", i)
		v.Nest(path, f.Validate())
		v.Check(!funnels[f.Segment], path+".segment", f.Segment, "repeats a funnel")
		funnels[f.Segment] = true
	}
	for i, t := range p.Targets {
		path := revalign.Index("targets", i)
		v.Check(t.Period.End.After(t.Period.Start), path+".period", t.Period.String(), "must end after it starts")
		v.Check(!t.Revenue.IsNegative(), path+".revenue", t.Revenue.String(), "must be >= 0")
		v.Check(funnels[t.Segment], path+".segment", t.Segment, "has no funnel")
	}
	var total float64
	for i, c := range p.Channels {
		path := revalign.Index("channels", i)
		v.Check(strings.TrimSpace(c.Name) != "", path+".name", c.Name, "must not be blank")
		v.Check(finite(c.Share) && c.Share >= 0, path+".share", c.Share, "must be a finite number >= 0")
		total += c.Share
	}
	v.Check(len(p.Channels) == 0 || total > 0, "channels", total, "shares must have a positive sum")
	for i, r := range p.Roles {
		v.Check(strings.TrimSpace(r) != "", revalign.Index("roles", i), r, "must not be blank")
	}
	return v.Err()
}

// Hash returns the plan's content hash: everything but its signatures.
func (p Plan) Hash() (string, error) {
	p.Signatures = nil
	return revalign.ContentHash(p)
}

// Sign returns a copy of the plan signed by name, as role, at the given
// time, on its current content.
func (p Plan) Sign(role, name string, at time.Time) (Plan, error) {
	h, err := p.Hash()
	if err != nil {
		return Plan{}, err
	}
	p.Signatures = append(slices.Clip(p.Signatures), revalign.Sign(h, role, name, at))
	return p, nil
}

// SignOff reports whether the plan is in force as of asOf: signed by every
// required role on its current content.
func (p Plan) SignOff(asOf time.Time) (revalign.SignOff, error) {
	h, err := p.Hash()
	if err != nil {
		return revalign.SignOff{}, err
	}
	return p.Signatures.Check(h, asOf, p.roles()...), nil
}

// Volume is a planned volume in one fiscal quarter.
type Volume struct {
	// Quarter labels the fiscal quarter, e.g. "FY2027-Q2".
	Quarter string `json:"quarter"`
	// Period is the quarter's span in the plan's calendar.
	Period revalign.Period `json:"period"`
	// Volume is the planned volume in the quarter, fractional (it is the
	// quarter's share of the days of every target shifted into it).
	Volume float64 `json:"volume"`
}

// StepPlan is the volume one step needs, by the quarter it must happen in.
type StepPlan struct {
	// Name names the step: "won deals" for the first, then the funnel's
	// step names.
	Name string `json:"name"`
	// LeadDays is how long before the revenue the step happens: the sum of
	// the lags from it to the win.
	LeadDays int `json:"lead_days"`
	// Total is the exact volume over every target, fractional.
	Total float64 `json:"total"`
	// Whole is Total rounded up to whole units.
	Whole int `json:"whole"`
	// Quarters splits Total by the fiscal quarter it must happen in, in
	// time order.
	Quarters []Volume `json:"quarters"`
}

// FunnelPlan is one funnel worked backward from its targets.
type FunnelPlan struct {
	// Segment names the funnel.
	Segment string `json:"segment"`
	// Revenue sums the funnel's targets, in the plan's currency.
	Revenue decimal.Decimal `json:"revenue"`
	// Steps start with "won deals" (in the target quarters) and follow the
	// funnel backward, each shifted earlier by its lead time.
	Steps []StepPlan `json:"steps"`
	// RequiredCoverage is 1 ÷ the win rate (the first step's conversion).
	RequiredCoverage float64 `json:"required_coverage"`
	// Investment is the funnel's marketing investment: per target, the
	// whole units of the cost step × its cost per unit, in the plan's
	// currency; zero without a cost step.
	Investment decimal.Decimal `json:"investment"`
}

// Money is an amount in a quarter, optionally for a channel.
type Money struct {
	// Quarter labels the fiscal quarter, e.g. "FY2027-Q2".
	Quarter string `json:"quarter"`
	// Channel names the channel; empty in a by-quarter total.
	Channel string `json:"channel,omitempty"`
	// Amount is the amount in the plan's currency, exact to its minor
	// units.
	Amount decimal.Decimal `json:"amount"`
}

// Worksheet is a plan worked backward: the volumes each funnel needs by
// quarter, and the investment by quarter and channel, every split summing
// exactly to its total.
type Worksheet struct {
	// Plan is the plan's name.
	Plan string `json:"plan"`
	// Hash is the content hash of the plan worked ([Plan.Hash]), to tell
	// which signed version the worksheet belongs to.
	Hash string `json:"hash"`
	// Revenue sums every target, in the plan's currency.
	Revenue decimal.Decimal `json:"revenue"`
	// Funnels holds one plan per funnel, in the plan's order.
	Funnels []FunnelPlan `json:"funnels"`
	// Investment is the total marketing investment, in the plan's
	// currency.
	Investment decimal.Decimal `json:"investment"`
	// ByQuarter splits Investment into the quarters the bought volume
	// must happen in, in time order; the parts sum exactly to it.
	ByQuarter []Money `json:"by_quarter"`
	// ByChannel splits each quarter over the channels (quarter order, then
	// channel order); empty when the plan has no channels.
	ByChannel []Money `json:"by_channel,omitempty"`
}

// Work works the plan backward from revenue: per target, won deals =
// revenue ÷ deal size, then each step's volume = the next step's volume ÷
// its conversion (14 deals ← 35 at 40% ← 70 at 50% ← 200 at 35% ← 2,000 at
// 10%), each placed in the quarters it must happen in by shifting the
// target quarter earlier by the step's lead time (a quarter shifted by 45
// days lands half in each of two quarters, by days). The investment of a
// target is the cost per unit × the whole units of the cost step; it is
// split over quarters by the same days and over channels by their shares
// with [revalign.Split], so every split sums exactly.
func (p Plan) Work() (Worksheet, error) {
	if err := p.Validate(); err != nil {
		return Worksheet{}, err
	}
	hash, err := p.Hash()
	if err != nil {
		return Worksheet{}, err
	}
	places := revalign.MinorUnits(p.Currency)
	ws := Worksheet{Plan: p.Name, Hash: hash}
	invest := map[time.Time]decimal.Decimal{} // quarter start → amount
	for _, f := range p.Funnels {
		fp := FunnelPlan{Segment: f.Segment, RequiredCoverage: 1 / f.Steps[0].Conversion}
		rows := make([]map[time.Time]float64, len(f.Steps)+1)
		for i := range rows {
			rows[i] = map[time.Time]float64{}
		}
		fp.Steps = make([]StepPlan, len(f.Steps)+1)
		fp.Steps[0].Name = "won deals"
		lead := 0
		for i, s := range f.Steps {
			lead += s.LagDays
			fp.Steps[i+1] = StepPlan{Name: s.Name, LeadDays: lead}
		}
		for _, t := range p.Targets {
			if t.Segment != f.Segment {
				continue
			}
			fp.Revenue = fp.Revenue.Add(t.Revenue)
			vol := t.Revenue.Div(f.DealSize).InexactFloat64()
			for i := range fp.Steps {
				if i > 0 {
					vol /= f.Steps[i-1].Conversion
				}
				fp.Steps[i].Total += vol
				parts := p.shift(t.Period, fp.Steps[i].LeadDays)
				for _, q := range parts {
					rows[i][q.Period.Start] += vol * q.Volume
				}
				if i > 0 && f.Steps[i-1].Name == f.CostStep {
					amount := f.CostPerUnit.Mul(decimal.NewFromInt(int64(whole(vol))))
					fp.Investment = fp.Investment.Add(amount)
					if err := spread(invest, amount, parts, places); err != nil {
						return Worksheet{}, err
					}
				}
			}
		}
		for i := range fp.Steps {
			fp.Steps[i].Whole = whole(fp.Steps[i].Total)
			fp.Steps[i].Quarters = p.volumes(rows[i])
		}
		ws.Revenue = ws.Revenue.Add(fp.Revenue)
		ws.Investment = ws.Investment.Add(fp.Investment)
		ws.Funnels = append(ws.Funnels, fp)
	}
	weights := make([]float64, len(p.Channels))
	for i, c := range p.Channels {
		weights[i] = c.Share
	}
	for _, start := range slices.SortedFunc(maps.Keys(invest), time.Time.Compare) {
		label := p.Calendar.QuarterLabel(start)
		ws.ByQuarter = append(ws.ByQuarter, Money{Quarter: label, Amount: invest[start]})
		if len(p.Channels) == 0 {
			continue
		}
		shares, err := revalign.Split(invest[start], weights, places)
		if err != nil {
			return Worksheet{}, err
		}
		for i, c := range p.Channels {
			ws.ByChannel = append(ws.ByChannel, Money{Quarter: label, Channel: c.Name, Amount: shares[i]})
		}
	}
	return ws, nil
}

// shift moves a period earlier by lead days and returns the fiscal quarters
// it then overlaps, each with the share of its days (Volume holds the
// share).
func (p Plan) shift(period revalign.Period, lead int) []Volume {
	from, to := period.Start.AddDate(0, 0, -lead), period.End.AddDate(0, 0, -lead)
	total := float64(revalign.DaysBetween(from, to))
	var out []Volume
	for _, q := range p.Calendar.Periods(revalign.Quarter, from, to) {
		lo, hi := q.Start, q.End
		if from.After(lo) {
			lo = from
		}
		if to.Before(hi) {
			hi = to
		}
		if days := revalign.DaysBetween(lo, hi); days > 0 {
			out = append(out, Volume{Quarter: p.Calendar.QuarterLabel(q.Start), Period: q, Volume: float64(days) / total})
		}
	}
	return out
}

// spread adds amount to the quarters of parts in proportion to their
// shares, exactly.
func spread(into map[time.Time]decimal.Decimal, amount decimal.Decimal, parts []Volume, places int32) error {
	w := make([]float64, len(parts))
	for i, q := range parts {
		w[i] = q.Volume
	}
	shares, err := revalign.Split(amount, w, places)
	if err != nil {
		return errors.Join(errors.New("velocity: cannot split the investment"), err)
	}
	for i, q := range parts {
		into[q.Period.Start] = into[q.Period.Start].Add(shares[i])
	}
	return nil
}

// volumes turns a quarter → volume map into a sorted list.
func (p Plan) volumes(m map[time.Time]float64) []Volume {
	out := make([]Volume, 0, len(m))
	for _, start := range slices.SortedFunc(maps.Keys(m), time.Time.Compare) {
		out = append(out, Volume{Quarter: p.Calendar.QuarterLabel(start), Period: p.Calendar.Quarter(start), Volume: m[start]})
	}
	return out
}

// whole rounds a planned volume up to whole units, forgiving float noise
// (35.000000001 is 35).
func whole(x float64) int { return int(math.Ceil(x - 1e-9)) }
