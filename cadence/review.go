package cadence

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// ReviewInput is what one weekly pipeline review reads.
type ReviewInput struct {
	// AsOf is the time of the review; days are counted as calendar dates
	// in AsOf's location.
	AsOf time.Time
	// Period is the forecast window: a deal is in the forecast when its
	// close date falls in it (and its category is not off forecast). The
	// zero Period puts every open deal's close date in the window. Use the
	// fiscal quarter: cal.Quarter(asOf).
	Period revalign.Period
	// This and Last are this week's and last week's snapshots of the open
	// pipeline.
	This, Last []Deal
	// Closed are the outcomes of deals that left the pipeline since last
	// week. A deal in Last, absent from This and not in Closed is reported
	// as dropped.
	Closed []Closed
}

// Line is a deal as the review sees it: the deal and what the review found.
type Line struct {
	Deal
	// Index is the deal's position in ReviewInput.This.
	Index int `json:"-"`
	// DaysInStage counts calendar days since the deal entered its stage
	// (-1 when the stage-entered date is missing).
	DaysInStage int `json:"days_in_stage"`
	// Stalled reports DaysInStage >= the policy's StalledAfterDays.
	Stalled bool `json:"stalled"`
	// Flags are the passive-voice flags; a flagged deal is off the
	// reviewed forecast.
	Flags Flags `json:"passive_voice,omitempty"`
	// InForecast reports whether the deal counts in this week's forecast
	// (before the passive-voice rule).
	InForecast bool `json:"in_forecast"`
}

// Pattern is a stall reason shared by open deals. Shared by PatternMinDeals
// deals or more, it is structural and goes to the loss review.
type Pattern struct {
	// Reason is the stall reason, as first spelled in the snapshot (reasons
	// are matched ignoring case and surrounding spaces).
	Reason string `json:"reason"`
	// Deals are the IDs of the deals with this reason, largest first.
	Deals []string `json:"deals"`
	// Stalled counts the deals that are also stalled inventory.
	Stalled int `json:"stalled"`
	// Amount is the deals' total value.
	Amount decimal.Decimal `json:"amount"`
	// Structural is true when the pattern appears in PatternMinDeals deals
	// or more: a structural issue, not a deal problem.
	Structural bool `json:"structural"`
	// RouteTo is the ritual a structural pattern goes to.
	RouteTo string `json:"route_to,omitempty"`
}

// CommitmentKind says where an action commitment comes from.
type CommitmentKind int

const (
	// NextActionDue is a deal's own dated next action that falls due by the
	// commitment day (deals over threshold or stalled).
	NextActionDue CommitmentKind = iota + 1
	// FixPassive is a deal in passive voice: its owner (or the default
	// owner, for an unowned deal) names an owner and a dated next action,
	// or the deal stays off the forecast.
	FixPassive
	// RoutePattern is a structural pattern carried to the loss review.
	RoutePattern
)

var commitmentNames = [...]string{NextActionDue: "next_action", FixPassive: "fix_passive_voice", RoutePattern: "route_pattern"}

// String returns "next_action", "fix_passive_voice" or "route_pattern".
func (k CommitmentKind) String() string {
	if k >= NextActionDue && k <= RoutePattern {
		return commitmentNames[k]
	}
	return fmt.Sprintf("CommitmentKind(%d)", int(k))
}

// MarshalText encodes the kind by name.
func (k CommitmentKind) MarshalText() ([]byte, error) {
	if k < NextActionDue || k > RoutePattern {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "kind", Value: int(k), Reason: "unknown commitment kind"}
	}
	return []byte(commitmentNames[k]), nil
}

// The actions of the commitments the review writes itself.
const (
	actionFixPassive   = "Name an owner and a dated next action, or the deal stays off the forecast"
	actionRoutePattern = "Take the pattern to the next loss review as a structural issue"
)

// Commitment is one action commitment of the review: who owns what, by
// when.
type Commitment struct {
	Kind CommitmentKind `json:"kind"`
	// DealID is the deal concerned (not set for a pattern).
	DealID string `json:"deal_id,omitempty"`
	// Pattern is the stall reason concerned (RoutePattern only).
	Pattern string `json:"pattern,omitempty"`
	// Owner owns the action.
	Owner revalign.Owner `json:"owner"`
	// Action to take.
	Action string `json:"action"`
	// Due is the date the action is due by (midnight, in AsOf's location).
	Due time.Time `json:"due"`
}

// Review is the computed weekly pipeline review, following the
// seed's agenda: forecast delta, deals over threshold, stalled inventory,
// pattern flags and action commitments, plus the deals in passive voice.
type Review struct {
	AsOf      time.Time       `json:"as_of"`
	Currency  string          `json:"currency"`
	Threshold decimal.Decimal `json:"threshold"`
	Period    revalign.Period `json:"period"`
	// Deals counts this week's usable deals.
	Deals int `json:"deals"`
	// Delta explains the change of the forecast since last week.
	Delta Delta `json:"forecast_delta"`
	// OverThreshold are the deals at or above the threshold, largest
	// first: each walked with its owner and dated next action.
	OverThreshold []Line `json:"over_threshold"`
	// Passive are the deals in passive voice, largest first.
	Passive []Line `json:"passive_voice"`
	// Stalled is the stalled inventory, longest in stage first.
	Stalled []Line `json:"stalled"`
	// Patterns are the stall reasons shared by two or more deals, most
	// deals first; structural ones go to the loss review.
	Patterns []Pattern `json:"patterns"`
	// CommitmentsDue is the commitment day after the review (midnight, in
	// AsOf's location).
	CommitmentsDue time.Time `json:"commitments_due"`
	// Commitments are due by CommitmentsDue, earliest first.
	Commitments []Commitment `json:"commitments"`
	// Errors lists the records the review could not use, or not fully.
	Errors []revalign.RecordError `json:"errors,omitempty"`
}

// Structural returns the structural patterns.
func (r Review) Structural() []Pattern {
	var out []Pattern
	for _, p := range r.Patterns {
		if p.Structural {
			out = append(out, p)
		}
	}
	return out
}

// slot tracks one deal ID across the two snapshots.
type slot struct {
	last, this       int32
	lastBad, thisBad bool
}

// Review runs the weekly pipeline review of in.This against in.Last.
//
// The forecast is the sum of the open deals whose close date falls in
// in.Period and whose category is not off forecast; Delta reconciles last
// week's forecast to this week's exactly, deal by deal. Every deal of this
// week is checked against the rule "no deals in passive voice" (no owner, no
// dated next action, a next action in the past, waiting on the buyer);
// flagged deals come off the reviewed forecast. Deals at or over the
// threshold, stalled deals (no stage movement for StalledAfterDays or more)
// and stall reasons shared by PatternMinDeals deals or more are listed, with
// the action commitments due by the next commitment day.
//
// A deal without an ID, in another currency, with a negative amount or
// with more decimal places than the currency is reported in Errors and left
// out of its snapshot; a second deal with the same ID in one snapshot is
// reported and ignored. The error is non-nil only for an invalid policy, a
// zero AsOf, or sums too large to compute exactly.
func (p PipelinePolicy) Review(in ReviewInput) (Review, error) {
	if err := p.Validate(); err != nil {
		return Review{}, err
	}
	if in.AsOf.IsZero() {
		return Review{}, &revalign.FieldError{Pkg: pkg, Path: "as_of", Reason: "the review needs an as-of time"}
	}
	places := revalign.MinorUnits(p.Currency)
	threshold, _ := toUnits(p.Threshold, places) // checked by Validate
	loc := in.AsOf.Location()
	today := dateOf(in.AsOf)
	due := today.add((int(p.CommitmentDay)-int(today.weekday())+6)%7 + 1)
	rv := Review{
		AsOf: in.AsOf, Currency: p.Currency, Threshold: p.Threshold, Period: in.Period,
		CommitmentsDue: due.midnight(loc),
	}
	win := window{all: in.Period.IsZero()}
	if !win.all {
		win.from, win.to = dateOf(in.Period.Start).days(), dateOf(in.Period.End).days()
	}

	// Index both snapshots by ID, validating every record.
	ids := make(map[string]slot, max(len(in.Last), len(in.This)))
	lastUnits := make([]int64, len(in.Last))
	thisUnits := make([]int64, len(in.This))
	p.index(in.Last, lastUnits, ids, places, false, &rv.Errors)
	p.index(in.This, thisUnits, ids, places, true, &rv.Errors)
	var outcomes map[string]Closed
	if len(in.Closed) > 0 {
		outcomes = make(map[string]Closed, len(in.Closed))
		for _, c := range in.Closed {
			outcomes[c.ID] = c
		}
	}

	var sums sums
	var changes []keyedChange
	pats := patterns{exact: map[string]int{}, folded: map[string]int{}}
	for j := range in.This {
		d := &in.This[j]
		s, ok := ids[d.ID]
		if !ok || s.thisBad || s.this != int32(j) {
			continue
		}
		rv.Deals++
		a1 := thisUnits[j]
		ln := Line{Deal: *d, Index: j, DaysInStage: -1, InForecast: p.inForecast(d, win)}
		if !d.StageEnteredAt.IsZero() {
			ln.DaysInStage = today.days() - dateOf(d.StageEnteredAt.In(loc)).days()
			ln.Stalled = ln.DaysInStage >= p.StalledAfterDays
			if ln.DaysInStage < 0 {
				rv.Errors = append(rv.Errors, revalign.RecordError{ID: d.ID, Err: errStageInFuture})
			}
		} else {
			rv.Errors = append(rv.Errors, revalign.RecordError{ID: d.ID, Err: errNoStageDate})
		}
		if d.CloseDate.IsZero() && !win.all {
			rv.Errors = append(rv.Errors, revalign.RecordError{ID: d.ID, Err: errNoCloseDate})
		}
		ln.Flags = passive(d, today)
		if ln.InForecast {
			sums.add(&sums.this, a1)
		}
		if a1 >= threshold {
			rv.OverThreshold = append(rv.OverThreshold, ln)
		}
		if ln.Flags != 0 {
			rv.Passive = append(rv.Passive, ln)
			if ln.InForecast {
				sums.add(&sums.off, a1)
				rv.Delta.OffForecastDeals++
			}
			owner := d.Owner
			if ln.Flags.Has(NoOwner) {
				owner = p.DefaultOwner
			}
			rv.Commitments = append(rv.Commitments, Commitment{Kind: FixPassive, DealID: d.ID, Owner: owner, Action: actionFixPassive, Due: rv.CommitmentsDue})
		} else if (ln.Stalled || a1 >= threshold) && !dateOf(d.NextActionDate).before(today) && !due.before(dateOf(d.NextActionDate)) {
			rv.Commitments = append(rv.Commitments, Commitment{Kind: NextActionDue, DealID: d.ID, Owner: d.Owner, Action: d.NextAction, Due: dateOf(d.NextActionDate).midnight(loc)})
		}
		if ln.Stalled {
			rv.Stalled = append(rv.Stalled, ln)
		}
		pats.add(d, ln.Stalled, a1)

		// The deal's part in the forecast delta.
		c := keyedChange{Change: Change{ID: d.ID, Amount: d.Amount}, units: a1}
		if ln.InForecast {
			c.After, c.effect = d.Amount, a1
		}
		switch {
		case s.lastBad:
			c.Kind = Excluded
		case s.last < 0:
			c.Kind = New
		default:
			prev := &in.Last[s.last]
			a0 := lastUnits[s.last]
			wasIn := p.inForecast(prev, win)
			if wasIn {
				c.Before, c.effect = prev.Amount, c.effect-a0
			}
			if !strings.EqualFold(strings.TrimSpace(prev.Stage), strings.TrimSpace(d.Stage)) {
				c.FromStage, c.ToStage = prev.Stage, d.Stage
				rv.Delta.StageMoves++
			}
			if !dateOf(prev.CloseDate).equal(dateOf(d.CloseDate)) {
				c.FromClose, c.ToClose = prev.CloseDate, d.CloseDate
			}
			closeIn, closeWasIn := win.has(d.CloseDate), win.has(prev.CloseDate)
			switch {
			case wasIn && ln.InForecast && a1 > a0:
				c.Kind = Increased
			case wasIn && ln.InForecast && a1 < a0:
				c.Kind = Decreased
			case wasIn && !ln.InForecast && !closeIn:
				c.Kind = Slipped
			case wasIn && !ln.InForecast:
				c.Kind = Downgraded
			case !wasIn && ln.InForecast && !closeWasIn:
				c.Kind = PulledIn
			case !wasIn && ln.InForecast:
				c.Kind = Upgraded
			case c.FromStage != "":
				c.Kind = Moved
			default:
				continue // nothing changed that the review reports
			}
		}
		changes = append(changes, c)
	}
	// Deals that left the pipeline, and last week's forecast.
	for i := range in.Last {
		d := &in.Last[i]
		s, ok := ids[d.ID]
		if !ok || s.lastBad || s.last != int32(i) {
			continue
		}
		a0 := lastUnits[i]
		wasIn := p.inForecast(d, win)
		if wasIn {
			sums.add(&sums.last, a0)
		}
		if s.this >= 0 && !s.thisBad {
			continue
		}
		c := keyedChange{Change: Change{ID: d.ID, Amount: d.Amount}, units: a0}
		if wasIn {
			c.Before, c.effect = d.Amount, -a0
		}
		switch o, closed := outcomes[d.ID]; {
		case s.thisBad:
			c.Kind = Excluded
		case closed && o.Won:
			c.Kind, c.ToClose = Won, o.ClosedOn
		case closed:
			c.Kind, c.ToClose = Lost, o.ClosedOn
		default:
			c.Kind = Dropped
		}
		changes = append(changes, c)
	}
	for _, c := range changes {
		sums.add(&sums.effects[c.Kind], c.effect)
	}
	if sums.overflow {
		return Review{}, fmt.Errorf("cadence: pipeline amounts too large to sum exactly: %w", revalign.ErrCurrency)
	}
	rv.Delta.fill(changes, &sums, places)
	rv.Patterns = pats.finish(p, places)
	for _, pt := range rv.Patterns {
		if pt.Structural {
			rv.Commitments = append(rv.Commitments, Commitment{Kind: RoutePattern, Pattern: pt.Reason, Owner: p.PatternOwner, Action: actionRoutePattern, Due: rv.CommitmentsDue})
		}
	}
	p.sort(&rv, thisUnits)
	return rv, nil
}

var (
	errNoStageDate   = fmt.Errorf("no stage-entered date: cannot tell whether the deal is stalled: %w", revalign.ErrInvalid)
	errStageInFuture = fmt.Errorf("stage entered after the review date: %w", revalign.ErrInvalid)
	errNoCloseDate   = fmt.Errorf("no close date: not in the period's forecast: %w", revalign.ErrInvalid)
	errNoID          = fmt.Errorf("deal needs an ID: %w", revalign.ErrInvalid)
	errNegative      = fmt.Errorf("amount must be >= 0: %w", revalign.ErrInvalid)
)

// index validates the deals of one snapshot, records their minor units and
// enters them in ids, reporting bad and duplicate records.
func (p PipelinePolicy) index(deals []Deal, units []int64, ids map[string]slot, places int32, this bool, errs *[]revalign.RecordError) {
	which := "last week"
	if this {
		which = "this week"
	}
	for i := range deals {
		d := &deals[i]
		u, err := p.check(d, places)
		s, seen := ids[d.ID]
		if !seen {
			s = slot{last: -1, this: -1}
		}
		switch {
		case err != nil:
			id := d.ID
			if blank(id) {
				id = fmt.Sprintf("%s[%d]", which, i)
			}
			*errs = append(*errs, revalign.RecordError{ID: id, Err: fmt.Errorf("%s: %w", which, err)})
			if blank(d.ID) {
				continue
			}
			if this {
				s.thisBad = true
			} else {
				s.lastBad = true
			}
		case this && (s.this >= 0 || s.thisBad), !this && (s.last >= 0 || s.lastBad):
			*errs = append(*errs, revalign.RecordError{ID: d.ID, Err: fmt.Errorf("%s: duplicate deal ID, ignored: %w", which, revalign.ErrInvalid)})
			continue
		case this:
			s.this = int32(i)
		default:
			s.last = int32(i)
		}
		units[i] = u
		ids[d.ID] = s
	}
}

// check returns the deal's amount in minor units, or why the deal cannot
// be used.
func (p PipelinePolicy) check(d *Deal, places int32) (int64, error) {
	if blank(d.ID) {
		return 0, errNoID
	}
	if !strings.EqualFold(strings.TrimSpace(d.Currency), p.Currency) {
		return 0, fmt.Errorf("amount in %q, the review is in %q: convert it with a rates table first: %w", d.Currency, p.Currency, revalign.ErrCurrency)
	}
	if d.Amount.IsNegative() {
		return 0, errNegative
	}
	return toUnits(d.Amount, places)
}

// window is the forecast period as a half-open range of day numbers.
type window struct {
	all      bool
	from, to int
}

func (w window) has(t time.Time) bool {
	if w.all {
		return true
	}
	if t.IsZero() {
		return false
	}
	n := dateOf(t).days()
	return n >= w.from && n < w.to
}

func (p PipelinePolicy) inForecast(d *Deal, w window) bool {
	return w.has(d.CloseDate) && !p.offForecast(d.ForecastCategory)
}

// passive returns the passive-voice flags of a deal as of today.
func passive(d *Deal, today date) Flags {
	var f Flags
	if blank(d.Owner.Name) {
		f |= NoOwner
	}
	switch {
	case d.NextActionDate.IsZero() || blank(d.NextAction):
		f |= NoNextAction
	case dateOf(d.NextActionDate).before(today):
		f |= PastNextAction
	}
	if d.WaitingOn == Buyer {
		f |= WaitingOnBuyer
	}
	return f
}

func (d date) equal(e date) bool { return d == e }

// sums accumulates minor units, remembering any int64 overflow.
type sums struct {
	last, this, off int64
	effects         [numKinds]int64
	overflow        bool
}

func (s *sums) add(dst *int64, v int64) {
	r := *dst + v
	if (v > 0 && r < *dst) || (v < 0 && r > *dst) {
		s.overflow = true
	}
	*dst = r
}

// patterns groups deals by stall reason, ignoring case and surrounding
// space, allocating once per distinct spelling rather than per deal.
type patterns struct {
	exact, folded map[string]int
	groups        []patternGroup
}

type patternGroup struct {
	reason  string
	deals   []string
	units   []int64
	stalled int
	total   int64
}

func (ps *patterns) add(d *Deal, stalled bool, units int64) {
	reason := strings.TrimSpace(d.StallReason)
	if reason == "" {
		return
	}
	g, ok := ps.exact[reason]
	if !ok {
		lower := strings.ToLower(reason)
		if g, ok = ps.folded[lower]; !ok {
			g = len(ps.groups)
			ps.groups = append(ps.groups, patternGroup{reason: reason})
			ps.folded[lower] = g
		}
		ps.exact[reason] = g
	}
	pg := &ps.groups[g]
	pg.deals = append(pg.deals, d.ID)
	pg.units = append(pg.units, units)
	pg.total += units
	if stalled {
		pg.stalled++
	}
}

// finish returns the reasons shared by two or more deals, most deals first,
// then largest total, then by reason.
func (ps *patterns) finish(p PipelinePolicy, places int32) []Pattern {
	slices.SortFunc(ps.groups, func(a, b patternGroup) int {
		if c := cmp.Compare(len(b.deals), len(a.deals)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.total, a.total); c != 0 {
			return c
		}
		return cmp.Compare(a.reason, b.reason)
	})
	var out []Pattern
	for _, g := range ps.groups {
		if len(g.deals) < 2 {
			continue
		}
		order := make([]int, len(g.deals))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(g.units[b], g.units[a]) })
		ids := make([]string, len(order))
		for i, k := range order {
			ids[i] = g.deals[k]
		}
		pt := Pattern{Reason: g.reason, Deals: ids, Stalled: g.stalled, Amount: fromUnits(g.total, places), Structural: len(g.deals) >= p.PatternMinDeals}
		if pt.Structural {
			pt.RouteTo = p.PatternRouteTo
		}
		out = append(out, pt)
	}
	return out
}

// sort orders the review's lists: by amount (largest first) for deals
// over threshold and in passive voice, by days in stage for stalled deals,
// by due date for commitments; ties by deal ID.
func (p PipelinePolicy) sort(rv *Review, units []int64) {
	byAmount := func(a, b Line) int {
		if c := cmp.Compare(units[b.Index], units[a.Index]); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	}
	slices.SortFunc(rv.OverThreshold, byAmount)
	slices.SortFunc(rv.Passive, byAmount)
	slices.SortFunc(rv.Stalled, func(a, b Line) int {
		if c := cmp.Compare(b.DaysInStage, a.DaysInStage); c != 0 {
			return c
		}
		return byAmount(a, b)
	})
	slices.SortFunc(rv.Commitments, func(a, b Commitment) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Owner.Name, b.Owner.Name); c != 0 {
			return c
		}
		if c := cmp.Compare(a.DealID, b.DealID); c != 0 {
			return c
		}
		return cmp.Compare(a.Pattern, b.Pattern)
	})
}

// Err returns the record errors of the review joined with [errors.Join], or
// nil when every record was usable.
func (r Review) Err() error {
	if len(r.Errors) == 0 {
		return nil
	}
	errs := make([]error, len(r.Errors))
	for i, e := range r.Errors {
		errs[i] = e
	}
	return errors.Join(errs...)
}
