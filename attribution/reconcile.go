package attribution

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
)

// Basis says which journeys a reconciliation credits and how it dates them.
// It is text in JSON ("revenue", "pipeline"); the zero value is Revenue.
type Basis int

// The bases of a reconciliation.
const (
	// Revenue credits won journeys, dated by their close.
	Revenue Basis = iota
	// Pipeline credits every journey (open, won and lost), dated by the
	// opportunity's creation.
	Pipeline
)

var basisNames = enum.Names[Basis]{Pkg: pkg, Type: "Basis", Path: "basis", Match: enum.Trim | enum.Lower,
	Names: []string{Revenue: "revenue", Pipeline: "pipeline"}, Want: "must be revenue or pipeline"}

// String returns "revenue" or "pipeline".
func (b Basis) String() string { return basisNames.String(b) }

// MarshalText encodes the basis by name.
func (b Basis) MarshalText() ([]byte, error) { return basisNames.Text(b) }

// UnmarshalText decodes "revenue" or "pipeline".
func (b *Basis) UnmarshalText(t []byte) error { return basisNames.Unmarshal(b, t) }

// Unattributed is the channel name under which a reconciliation books the
// amounts a model could not credit to any touch (journeys without touches,
// or without the touch a single-position model needs), so that every
// model's column still sums to the total.
const Unattributed = "(unattributed)"

// ReconcileOptions configures [Reconcile].
type ReconcileOptions struct {
	// Taxonomy is the channel taxonomy journeys are checked against.
	Taxonomy Taxonomy `json:"taxonomy"`
	// Rates converts journey amounts into the reporting currency
	// (Rates.Base); a journey in a currency without a rate is reported as
	// a record error, never summed.
	Rates revalign.Rates `json:"rates"`
	// Basis is revenue (won journeys) or pipeline (all journeys).
	Basis Basis `json:"basis"`
	// Primary names the model whose number the report leads with; empty
	// means the first multi-touch model given.
	Primary string `json:"primary,omitempty"`
	// Consensus names the models whose mean share each model's bias is
	// measured against; empty means every multi-touch model.
	Consensus []string `json:"consensus,omitempty"`
	// Source is the position whose touch sources a deal (first_touch by
	// default, or lead_creation); it must come at or before the
	// opportunity's creation. A deal has at most one source.
	Source Position `json:"source"`
	// Influence is the milestone a touch must precede to influence a deal
	// (closed_won by default: any touch of the journey; use
	// opportunity_creation for pipeline influence). A journey that has not
	// reached it counts all its touches.
	Influence Position `json:"influence"`
	// InfluenceWindowDays limits influence to touches at most this many
	// days before the milestone; 0 means no limit.
	InfluenceWindowDays int `json:"influence_window_days"`
	// RankShift is how far a channel's rank must move across the models
	// for the channel to be flagged directional-only; default 1 (any
	// change of rank).
	RankShift int `json:"rank_shift"`
	// Period groups the journeys for the monthly joint review (default
	// month); zero means no grouping.
	Period revalign.Unit `json:"period,omitempty"`
	// Calendar cuts the periods.
	Calendar revalign.FiscalCalendar `json:"calendar"`
}

// DefaultReconcileOptions returns options for reconciling won revenue in
// USD over [DefaultTaxonomy], sourced by first touch, influenced by any
// touch, grouped by calendar month.
func DefaultReconcileOptions() ReconcileOptions {
	return ReconcileOptions{
		Taxonomy:  DefaultTaxonomy(),
		Rates:     revalign.Rates{Base: "USD"},
		Basis:     Revenue,
		Source:    FirstTouch,
		Influence: Close,
		RankShift: 1,
		Period:    revalign.Month,
	}
}

// Validate reports an invalid taxonomy, rate table, basis, source or
// influence position, a negative window, a rank shift below 1, an unknown
// period unit, or an invalid calendar.
func (o ReconcileOptions) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	v.Nest("taxonomy", o.Taxonomy.Validate())
	v.Nest("rates", o.Rates.Validate())
	v.Check(o.Basis == Revenue || o.Basis == Pipeline, "basis", int(o.Basis), "must be revenue or pipeline")
	v.Check(strings.TrimSpace(string(o.Source)) != "", "source", string(o.Source), "must name a position")
	v.Check(strings.TrimSpace(string(o.Influence)) != "", "influence", string(o.Influence), "must name a position")
	v.Check(o.InfluenceWindowDays >= 0, "influence_window_days", o.InfluenceWindowDays, "must be >= 0")
	v.Check(o.RankShift >= 1, "rank_shift", o.RankShift, "must be >= 1")
	v.Check(o.Period == 0 || (o.Period >= revalign.Week && o.Period <= revalign.Year), "period", int(o.Period), "must be week, month, quarter or year")
	v.Nest("calendar", o.Calendar.Validate())
	return v.Err()
}

// Report is a reconciliation: every model's credit per channel side by side,
// the spread and rank changes per channel, each model's bias against the
// consensus, the primary number with its alternates, sourced and influenced
// amounts, and the same per period.
type Report struct {
	// Basis is revenue or pipeline.
	Basis Basis `json:"basis"`
	// Currency is the reporting currency of every amount.
	Currency string `json:"currency"`
	// Period is the period a per-period report covers; zero at top level.
	Period revalign.Period `json:"period,omitzero"`
	// Journeys is the number of journeys credited.
	Journeys int `json:"journeys"`
	// Outside is the number of valid journeys outside the basis (open and
	// lost journeys on a revenue basis).
	Outside int `json:"outside,omitempty"`
	// Total is the amount credited, the sum of every model's column.
	Total decimal.Decimal `json:"total"`
	// Primary names the model the headline leads with.
	Primary string `json:"primary"`
	// Models summarises each model, in the order given.
	Models []ModelSummary `json:"models"`
	// Channels holds one row per channel, sorted by the primary model's
	// credit; the Unattributed row, when present, comes last.
	Channels []ChannelRow `json:"channels"`
	// Idle lists, in taxonomy order, the taxonomy's channels that no
	// journey of the report touched (no credit, no reach), so that the
	// rows and Idle together are every channel the taxonomy knows.
	Idle []string `json:"idle,omitempty"`
	// Headline is the primary number with the alternates as context.
	Headline Headline `json:"headline"`
	// Reach is sourced versus influenced.
	Reach Reach `json:"reach"`
	// Periods holds a report per period (without further periods).
	Periods []Report `json:"periods,omitempty"`
	// Errors lists the journeys left out, and model failures on journeys
	// (booked as unattributed), each with the journey's ID.
	Errors []revalign.RecordError `json:"errors,omitempty"`
}

// ModelSummary is one model's column of a reconciliation.
type ModelSummary struct {
	// Name is the model's name ([Model.Name]), unique in the report.
	Name string `json:"name"`
	// MultiTouch reports whether the model spreads credit.
	MultiTouch bool `json:"multi_touch"`
	// Consensus reports whether the model is part of the consensus.
	Consensus bool `json:"consensus"`
	// Unattributed is the amount the model could not credit to a touch.
	Unattributed decimal.Decimal `json:"unattributed"`
	// Marketing is the amount credited to marketing channels.
	Marketing decimal.Decimal `json:"marketing"`
	// MarketingShare is Marketing over the total.
	MarketingShare float64 `json:"marketing_share"`
	// Over is the channel the model credits most above the consensus, in
	// share points; the zero ChannelBias when it credits none above.
	Over ChannelBias `json:"over"`
	// Under is the channel the model credits most below the consensus, in
	// share points; the zero ChannelBias when it credits none below.
	Under ChannelBias `json:"under"`
}

// ChannelBias is a model's systematic bias on one channel.
type ChannelBias struct {
	// Channel is the channel's name; empty when there is no such channel.
	Channel string `json:"channel,omitempty"`
	// Share is the model's share of the report's total for the channel,
	// in [0, 1].
	Share float64 `json:"share"`
	// Consensus is the consensus models' mean share for the channel.
	Consensus float64 `json:"consensus"`
	// Points is Share − Consensus, in share points (0.05 is 5 points).
	Points float64 `json:"points"`
	// Relative is Share/Consensus − 1 (0 when the consensus gives the
	// channel nothing).
	Relative float64 `json:"relative"`
}

// ChannelRow is one channel across the models.
type ChannelRow struct {
	// Channel is the taxonomy channel's name, or [Unattributed].
	Channel string `json:"channel"`
	// Family is the channel's family in the taxonomy; zero (unknown) for
	// the Unattributed row.
	Family Family `json:"family,omitzero"`
	// Team is the channel's team in the taxonomy; empty for the
	// Unattributed row.
	Team revalign.Team `json:"team,omitempty"`
	// Cells holds the channel's credit under each model, aligned with
	// Report.Models.
	Cells []Cell `json:"cells"`
	// Consensus is the mean share of the consensus models.
	Consensus float64 `json:"consensus"`
	// Spread is the largest share minus the smallest, across all models.
	Spread float64 `json:"spread"`
	// MinRank is the best (lowest) rank the channel gets across the
	// models (ties share a rank, so credit no model gives moves no rank);
	// 0 for the Unattributed row.
	MinRank int `json:"min_rank"`
	// MaxRank is the worst (highest) rank across the models; 0 for the
	// Unattributed row.
	MaxRank int `json:"max_rank"`
	// Directional flags a channel whose rank moves by RankShift or more
	// across the models: read its credit as a direction, not a number.
	Directional bool `json:"directional"`
}

// Cell is one model's credit for one channel.
type Cell struct {
	// Credit is the amount the model credits the channel, in the
	// report's currency, exact to its minor unit.
	Credit decimal.Decimal `json:"credit"`
	// Share is Credit over the report's total.
	Share float64 `json:"share"`
	// Rank is the channel's rank under the model (1 = most credit);
	// channels with equal credit share the rank (1, 2, 2, 4). It is 0 for
	// the Unattributed row.
	Rank int `json:"rank"`
	// Bias is Share/Consensus − 1, the model's relative bias on the
	// channel (0 when the consensus share is 0).
	Bias float64 `json:"bias"`
	// BiasPoints is Share − Consensus, in share points.
	BiasPoints float64 `json:"bias_points"`
}

// Headline is the report's one number with context: the marketing-credited
// amount under the primary model, and under each alternate.
type Headline struct {
	// Model names the primary model.
	Model string `json:"model"`
	// Marketing is the amount the primary model credits to marketing
	// channels, in the report's currency.
	Marketing decimal.Decimal `json:"marketing"`
	// Share is Marketing over the report's total, in [0, 1].
	Share float64 `json:"share"`
	// Low is the lowest marketing share across all models, the primary
	// included.
	Low float64 `json:"low"`
	// High is the highest marketing share across all models.
	High float64 `json:"high"`
	// Alternates holds the number under every other model, in the order
	// the models were given; empty with a single model.
	Alternates []Alternate `json:"alternates"`
}

// Alternate is the headline number under another model.
type Alternate struct {
	// Model names the model.
	Model string `json:"model"`
	// Marketing is the amount the model credits to marketing channels,
	// in the report's currency.
	Marketing decimal.Decimal `json:"marketing"`
	// Share is Marketing over the report's total, in [0, 1].
	Share float64 `json:"share"`
}

// Reach is sourced versus influenced. Sourced amounts never overlap (a deal
// has one source) and sum with Unsourced to Total; influenced amounts
// overlap (a deal touched by three channels counts for each) and their sum
// may exceed Total, which Overlap reports.
type Reach struct {
	// Total is the amount of the journeys credited, in the report's
	// currency (the report's Total).
	Total decimal.Decimal `json:"total"`
	// Channels holds one row per channel of the report, in taxonomy
	// order.
	Channels []ReachRow `json:"channels"`
	// Teams holds one row per team of those channels, sorted by team
	// name.
	Teams []TeamReach `json:"teams"`
	// Unsourced is the amount of the journeys without a source touch (no
	// touch at the source position, or one after the opportunity's
	// creation).
	Unsourced decimal.Decimal `json:"unsourced"`
	// UnsourcedJourneys counts those journeys.
	UnsourcedJourneys int `json:"unsourced_journeys"`
	// InfluencedSum is the sum of the channels' influenced amounts.
	InfluencedSum decimal.Decimal `json:"influenced_sum"`
	// Overlap reports that InfluencedSum exceeds Total: influenced figures
	// must not be added up.
	Overlap bool `json:"overlap"`
}

// ReachRow is one channel's sourced and influenced amounts.
type ReachRow struct {
	// Channel is the taxonomy channel's name.
	Channel string `json:"channel"`
	// Team is the channel's team in the taxonomy.
	Team revalign.Team `json:"team"`
	// Sourced is the amount of the journeys this channel sourced, in the
	// report's currency.
	Sourced decimal.Decimal `json:"sourced"`
	// SourcedJourneys counts those journeys.
	SourcedJourneys int `json:"sourced_journeys"`
	// Influenced is the amount of the journeys this channel touched
	// before the influence milestone (within the window), in the report's
	// currency; every such journey counts in full.
	Influenced decimal.Decimal `json:"influenced"`
	// InfluencedJourneys counts those journeys.
	InfluencedJourneys int `json:"influenced_journeys"`
}

// TeamReach is one team's sourced and influenced amounts.
type TeamReach struct {
	// Team is the team, e.g. revalign.Marketing.
	Team revalign.Team `json:"team"`
	// Sourced is the amount of the journeys the team's channels sourced,
	// in the report's currency.
	Sourced decimal.Decimal `json:"sourced"`
	// SourcedJourneys counts those journeys.
	SourcedJourneys int `json:"sourced_journeys"`
	// Influenced is the amount of the journeys any of the team's channels
	// influenced, each counted once however many of its channels touched
	// it, in the report's currency.
	Influenced decimal.Decimal `json:"influenced"`
	// InfluencedJourneys counts those journeys.
	InfluencedJourneys int `json:"influenced_journeys"`
}

// group accumulates one report's numbers in minor units.
type group struct {
	period       revalign.Period
	n            int
	total        int64
	credits      [][]int64 // model × channel
	unattributed []int64   // model
	sourced      []int64   // channel
	sourcedN     []int
	influenced   []int64
	influencedN  []int
	unsourced    int64
	unsourcedN   int
	teamInfl     map[revalign.Team]*[2]int64 // amount, count
}

func newGroup(models, channels int) *group {
	g := &group{
		credits: make([][]int64, models), unattributed: make([]int64, models),
		sourced: make([]int64, channels), sourcedN: make([]int, channels),
		influenced: make([]int64, channels), influencedN: make([]int, channels),
	}
	for m := range g.credits {
		g.credits[m] = make([]int64, channels)
	}
	return g
}

// Reconcile runs every model over the same journeys and reconciles them.
// Each journey is checked against the taxonomy, converted to the reporting
// currency and, when it is in the basis, allocated by every model in minor
// units, so every model's column sums exactly to the total. A journey that
// fails validation or conversion is left out and reported in
// Report.Errors; a journey a model cannot credit is booked to the
// Unattributed row of that model. The error is for invalid options, no
// models, duplicate model names, or a primary or consensus model that is
// not among the models.
func Reconcile(journeys []Journey, opts ReconcileOptions, models ...Model) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if len(models) == 0 {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "models", Reason: "need at least one model"}
	}
	names := make([]string, len(models))
	for i, m := range models {
		names[i] = m.Name()
		if slices.Contains(names[:i], names[i]) {
			return nil, &revalign.FieldError{Pkg: pkg, Path: "models", Value: names[i], Reason: "duplicate model name"}
		}
	}
	primary := opts.Primary
	if primary == "" {
		primary = names[0]
		for i, m := range models {
			if multiTouch(m) {
				primary = names[i]
				break
			}
		}
	}
	if !slices.Contains(names, primary) {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "primary", Value: primary, Reason: "not among the models"}
	}
	consensus := make([]bool, len(models))
	for i, m := range models {
		consensus[i] = multiTouch(m)
	}
	if len(opts.Consensus) > 0 {
		clear(consensus)
		for _, c := range opts.Consensus {
			i := slices.Index(names, c)
			if i < 0 {
				return nil, &revalign.FieldError{Pkg: pkg, Path: "consensus", Value: c, Reason: "not among the models"}
			}
			consensus[i] = true
		}
	}
	r := &reconciler{opts: opts, models: models, places: revalign.MinorUnits(opts.Rates.Base)}
	all := newGroup(len(models), len(opts.Taxonomy.Channels))
	periods := map[time.Time]*group{}
	var errs []revalign.RecordError
	outside := 0
	for i := range journeys {
		j := &journeys[i]
		id := journeyID(j, i)
		if err := j.Validate(opts.Taxonomy); err != nil {
			errs = append(errs, revalign.RecordError{ID: id, Err: err})
			continue
		}
		if opts.Basis == Revenue && j.Outcome != Won {
			outside++
			continue
		}
		units, err := opts.Rates.ConvertUnits(j.Amount, j.Currency)
		if err != nil {
			errs = append(errs, revalign.RecordError{ID: id, Err: err})
			continue
		}
		var pg *group
		if opts.Period != 0 {
			at, field := j.Closed, "closed"
			if opts.Basis == Pipeline {
				at, field = j.OppCreated, "opp_created"
			}
			if at.IsZero() {
				errs = append(errs, revalign.RecordError{ID: id, Err: &revalign.FieldError{Pkg: pkg, Path: field, Reason: "needed to group the journey by " + opts.Period.String()}})
				continue
			}
			p := opts.Calendar.Period(opts.Period, at)
			if pg = periods[p.Start]; pg == nil {
				pg = newGroup(len(models), len(opts.Taxonomy.Channels))
				pg.period = p
				periods[p.Start] = pg
			}
		}
		// The models see the journey in the reporting currency, in a copy
		// reused for every journey (a fresh one would escape to the heap).
		r.conv = *j
		if !strings.EqualFold(j.Currency, opts.Rates.Base) {
			r.conv.Amount = r.money(units) // converted; in the base currency, the amount as given
		}
		r.conv.Currency = opts.Rates.Base
		errs = r.add(&r.conv, id, units, all, pg, errs)
	}
	rep := r.report(all, names, primary, consensus)
	rep.Outside = outside
	rep.Errors = errs
	starts := make([]time.Time, 0, len(periods))
	for s := range periods {
		starts = append(starts, s)
	}
	slices.SortFunc(starts, time.Time.Compare)
	for _, s := range starts {
		p := r.report(periods[s], names, primary, consensus)
		rep.Periods = append(rep.Periods, *p)
	}
	return rep, nil
}

type reconciler struct {
	opts   ReconcileOptions
	models []Model
	places int32
	conv   Journey // the journey being booked, in the reporting currency
	alloc  Allocation
	ch     []int
	seen   []bool
	teams  []revalign.Team
}

// add books one journey (amount already converted) into the overall group
// and its period's group, if any.
func (r *reconciler) add(j *Journey, id string, units int64, all, pg *group, errs []revalign.RecordError) []revalign.RecordError {
	tax := r.opts.Taxonomy
	r.ch = r.ch[:0]
	for _, t := range j.Touches {
		r.ch = append(r.ch, tax.index(t.Channel))
	}
	groups := [2]*group{all, pg}
	for _, g := range groups {
		if g != nil {
			g.n++
			g.total += units
		}
	}
	for m, model := range r.models {
		err := Allocate(&r.alloc, model, j)
		if err != nil {
			if !errors.Is(err, ErrNoCredit) {
				errs = append(errs, revalign.RecordError{ID: id, Err: fmt.Errorf("model %s: %w", model.Name(), err)})
			}
			for _, g := range groups {
				if g != nil {
					g.unattributed[m] += units
				}
			}
			continue
		}
		for i, u := range r.alloc.Units {
			for _, g := range groups {
				if g != nil {
					g.credits[m][r.ch[i]] += u
				}
			}
		}
	}
	// Sourced: one source per deal, at or before the opportunity.
	src := r.opts.Source.index(j)
	if src >= 0 && !j.OppCreated.IsZero() && j.Touches[src].At.After(j.OppCreated) {
		src = -1
	}
	// Influenced: every channel touched before the milestone, within the
	// window.
	until := milestoneTime(r.opts.Influence, j)
	if until.IsZero() {
		until = j.end()
	}
	var from time.Time
	if r.opts.InfluenceWindowDays > 0 {
		from = until.AddDate(0, 0, -r.opts.InfluenceWindowDays)
	}
	if cap(r.seen) < len(tax.Channels) {
		r.seen = make([]bool, len(tax.Channels))
	}
	r.seen = r.seen[:len(tax.Channels)]
	clear(r.seen)
	r.teams = r.teams[:0]
	for i, t := range j.Touches {
		if t.At.After(until) || (!from.IsZero() && t.At.Before(from)) {
			continue
		}
		c := r.ch[i]
		if !r.seen[c] {
			r.seen[c] = true
			if team := tax.Channels[c].Team; !slices.Contains(r.teams, team) {
				r.teams = append(r.teams, team)
			}
		}
	}
	for _, g := range groups {
		if g == nil {
			continue
		}
		if src >= 0 {
			c := r.ch[src]
			g.sourced[c] += units
			g.sourcedN[c]++
		} else {
			g.unsourced += units
			g.unsourcedN++
		}
		for c, ok := range r.seen {
			if ok {
				g.influenced[c] += units
				g.influencedN[c]++
			}
		}
		if g.teamInfl == nil {
			g.teamInfl = map[revalign.Team]*[2]int64{}
		}
		for _, team := range r.teams {
			a := g.teamInfl[team]
			if a == nil {
				a = &[2]int64{}
				g.teamInfl[team] = a
			}
			a[0] += units
			a[1]++
		}
	}
	return errs
}

// milestoneTime returns when the journey reached position p, or zero.
func milestoneTime(p Position, j *Journey) time.Time {
	switch p {
	case LeadCreation:
		return j.LeadCreated
	case OppCreation:
		return j.OppCreated
	case Close:
		if j.Outcome != Won {
			return time.Time{}
		}
		return j.Closed
	case FirstTouch, LastTouch:
		if i := p.index(j); i >= 0 {
			return j.Touches[i].At
		}
		return time.Time{}
	}
	for _, s := range j.Stages {
		if s.Name == string(p) {
			return s.At
		}
	}
	return time.Time{}
}

func (r *reconciler) money(units int64) decimal.Decimal { return decimal.New(units, -r.places) }

func share(units, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(units) / float64(total)
}

// report turns a group's sums into a report.
func (r *reconciler) report(g *group, names []string, primary string, consensus []bool) *Report {
	tax := r.opts.Taxonomy
	nm := len(names)
	pi := slices.Index(names, primary)
	rep := &Report{
		Basis: r.opts.Basis, Currency: r.opts.Rates.Base, Period: g.period,
		Journeys: g.n, Total: r.money(g.total), Primary: primary,
	}
	// Channels with any credit or reach, in taxonomy order.
	var chans []int
	for c := range tax.Channels {
		used := g.sourced[c] != 0 || g.influencedN[c] != 0
		for m := range nm {
			used = used || g.credits[m][c] != 0
		}
		if used {
			chans = append(chans, c)
		} else {
			rep.Idle = append(rep.Idle, tax.Channels[c].Name)
		}
	}
	// Ranks per model: competition ranks (1, 2, 2, 4), so that channels
	// with equal credit (typically none, under a single-touch model) share
	// a rank instead of being ordered by the taxonomy.
	rank := make([][]int, nm)
	order := make([]int, len(chans))
	for m := range nm {
		copy(order, chans)
		credit := g.credits[m]
		slices.SortStableFunc(order, func(a, b int) int { return cmpDesc(credit[a], credit[b]) })
		rank[m] = make([]int, len(tax.Channels))
		for k, c := range order {
			rank[m][c] = k + 1
			if k > 0 && credit[c] == credit[order[k-1]] {
				rank[m][c] = rank[m][order[k-1]]
			}
		}
	}
	nCons := 0
	for _, ok := range consensus {
		if ok {
			nCons++
		}
	}
	for _, c := range chans {
		row := ChannelRow{Channel: tax.Channels[c].Name, Family: tax.Channels[c].Family, Team: tax.Channels[c].Team, Cells: make([]Cell, nm)}
		lo, hi := 2.0, -1.0
		row.MinRank, row.MaxRank = len(chans)+1, 0
		for m := range nm {
			s := share(g.credits[m][c], g.total)
			row.Cells[m] = Cell{Credit: r.money(g.credits[m][c]), Share: s, Rank: rank[m][c]}
			lo, hi = min(lo, s), max(hi, s)
			row.MinRank, row.MaxRank = min(row.MinRank, rank[m][c]), max(row.MaxRank, rank[m][c])
			if consensus[m] {
				row.Consensus += s / float64(nCons)
			}
		}
		row.Spread = hi - lo
		row.Directional = row.MaxRank-row.MinRank >= r.opts.RankShift
		for m := range row.Cells {
			cell := &row.Cells[m]
			cell.BiasPoints = cell.Share - row.Consensus
			if row.Consensus > 0 {
				cell.Bias = cell.Share/row.Consensus - 1
			}
		}
		rep.Channels = append(rep.Channels, row)
	}
	slices.SortStableFunc(rep.Channels, func(a, b ChannelRow) int { return a.Cells[pi].Credit.Cmp(b.Cells[pi].Credit) * -1 })
	if slices.ContainsFunc(g.unattributed, func(u int64) bool { return u != 0 }) {
		row := ChannelRow{Channel: Unattributed, Cells: make([]Cell, nm)}
		lo, hi := 2.0, -1.0
		for m := range nm {
			s := share(g.unattributed[m], g.total)
			row.Cells[m] = Cell{Credit: r.money(g.unattributed[m]), Share: s}
			lo, hi = min(lo, s), max(hi, s)
			if consensus[m] {
				row.Consensus += s / float64(nCons)
			}
		}
		row.Spread = hi - lo
		rep.Channels = append(rep.Channels, row)
	}
	// Model summaries and the headline.
	rep.Models = make([]ModelSummary, nm)
	for m := range nm {
		ms := ModelSummary{Name: names[m], MultiTouch: multiTouch(r.models[m]), Consensus: consensus[m], Unattributed: r.money(g.unattributed[m])}
		var mk int64
		for _, c := range chans {
			if tax.Channels[c].Marketing() {
				mk += g.credits[m][c]
			}
		}
		ms.Marketing, ms.MarketingShare = r.money(mk), share(mk, g.total)
		for _, row := range rep.Channels {
			if row.Channel == Unattributed {
				continue
			}
			cell := row.Cells[m]
			b := ChannelBias{Channel: row.Channel, Share: cell.Share, Consensus: row.Consensus, Points: cell.BiasPoints, Relative: cell.Bias}
			if b.Points > 0 && b.Points > ms.Over.Points {
				ms.Over = b
			}
			if b.Points < 0 && b.Points < ms.Under.Points {
				ms.Under = b
			}
		}
		rep.Models[m] = ms
	}
	h := Headline{Model: primary, Marketing: rep.Models[pi].Marketing, Share: rep.Models[pi].MarketingShare, Low: 2, High: -1}
	for m, ms := range rep.Models {
		h.Low, h.High = min(h.Low, ms.MarketingShare), max(h.High, ms.MarketingShare)
		if m != pi {
			h.Alternates = append(h.Alternates, Alternate{Model: ms.Name, Marketing: ms.Marketing, Share: ms.MarketingShare})
		}
	}
	rep.Headline = h
	rep.Reach = r.reach(g, chans)
	return rep
}

func cmpDesc(a, b int64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func (r *reconciler) reach(g *group, chans []int) Reach {
	tax := r.opts.Taxonomy
	re := Reach{Total: r.money(g.total), Unsourced: r.money(g.unsourced), UnsourcedJourneys: g.unsourcedN}
	var infl int64
	teams := map[revalign.Team]*TeamReach{}
	var order []revalign.Team
	team := func(t revalign.Team) *TeamReach {
		tr := teams[t]
		if tr == nil {
			tr = &TeamReach{Team: t, Sourced: r.money(0), Influenced: r.money(0)}
			teams[t] = tr
			order = append(order, t)
		}
		return tr
	}
	srcUnits := map[revalign.Team]int64{}
	for _, c := range chans {
		ch := tax.Channels[c]
		re.Channels = append(re.Channels, ReachRow{
			Channel: ch.Name, Team: ch.Team,
			Sourced: r.money(g.sourced[c]), SourcedJourneys: g.sourcedN[c],
			Influenced: r.money(g.influenced[c]), InfluencedJourneys: g.influencedN[c],
		})
		infl += g.influenced[c]
		tr := team(ch.Team)
		srcUnits[ch.Team] += g.sourced[c]
		tr.SourcedJourneys += g.sourcedN[c]
	}
	for t, a := range g.teamInfl {
		tr := team(t)
		tr.Influenced = r.money(a[0])
		tr.InfluencedJourneys = int(a[1])
	}
	slices.Sort(order)
	for _, t := range order {
		tr := teams[t]
		tr.Sourced = r.money(srcUnits[t])
		re.Teams = append(re.Teams, *tr)
	}
	re.InfluencedSum = r.money(infl)
	re.Overlap = infl > g.total
	return re
}
