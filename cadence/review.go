package cadence

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
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
	// as dropped. A won deal is booked at its amount in Last when its
	// ClosedOn falls in Period. Outcomes of deals in neither snapshot are
	// not part of the delta: count their bookings in BookedBefore.
	Closed []Closed
	// BookedBefore is the value of the deals won in Period before last
	// week's snapshot, in the policy's currency: the revenue already
	// booked. It is part of both weeks' forecasts; zero leaves the
	// forecasts as the open pipeline plus what was won since last week.
	BookedBefore decimal.Decimal
}

// Line is a deal as the review sees it: the deal and what the review found.
type Line struct {
	// Deal is this week's deal; in JSON its fields are inline.
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

var commitmentNames = enum.Names[CommitmentKind]{Pkg: pkg, Type: "CommitmentKind", Path: "kind",
	Names:   []string{NextActionDue: "next_action", FixPassive: "fix_passive_voice", RoutePattern: "route_pattern"},
	Unknown: "unknown commitment kind"}

// String returns "next_action", "fix_passive_voice" or "route_pattern".
func (k CommitmentKind) String() string { return commitmentNames.String(k) }

// MarshalText encodes the kind by name.
func (k CommitmentKind) MarshalText() ([]byte, error) { return commitmentNames.Text(k) }

// The actions of the commitments the review writes itself.
const (
	actionFixPassive   = "Name an owner and a dated next action, or the deal stays off the forecast"
	actionRoutePattern = "Take the pattern to the next loss review as a structural issue"
)

// Commitment is one action commitment of the review: who owns what, by
// when.
type Commitment struct {
	// Kind says where the commitment comes from.
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
	// AsOf is when the review ran.
	AsOf time.Time `json:"as_of"`
	// Currency is the reporting currency, as normalised ("USD").
	Currency string `json:"currency"`
	// Threshold is the deal value at or above which a deal is walked.
	Threshold decimal.Decimal `json:"threshold"`
	// Period is the forecast period.
	Period revalign.Period `json:"period"`
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
	// Commitments are due by CommitmentsDue: by due date, kind and owner,
	// then largest deal first.
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

// rec is what the review knows about one snapshot record. It holds no
// pointers, so the garbage collector never scans the per-deal arrays.
type rec struct {
	units   int64 // amount in minor units
	other   int32 // index in the other snapshot; noMatch or unusable
	days    int32 // days in stage (this week's records), -1 when unknown
	close   int32 // day number of the close date, noDay when none
	next    int32 // day number of the next action's date, noDay when none
	usable  bool
	in      bool // in the forecast
	stalled bool
	flags   Flags
}

// noDay is the day number of a missing date.
const noDay = math.MinInt32

// dayOf returns the day number of a calendar date, or noDay for the zero
// time.
func dayOf(t time.Time) int32 {
	if t.IsZero() {
		return noDay
	}
	return int32(localDays(t))
}

const (
	noMatch  = -1 // the deal is not in the other snapshot
	unusable = -2 // the deal's record in the other snapshot is unusable
)

// move is one deal's part in the forecast delta, pointer-free until the
// changes are written out.
type move struct {
	kind          ChangeKind
	last, this    int32 // indexes, noMatch when absent
	units, effect int64
	booked        bool // a win booked in the period
}

// pledge is an action commitment before it is written out.
type pledge struct {
	kind    CommitmentKind
	deal    int32 // index in this week's snapshot (-1 for a pattern)
	pattern int32 // index in the review's patterns (-1 for a deal)
	due     int   // day number
	owner   int   // rank of the owner's name
	units   int64 // the deal's amount, a sort key
}

// entry is a deal of one of the review's lists with its sort keys.
type entry struct {
	units int64
	days  int32 // days in stage for the stalled list, 0 for the others
	j     int32 // index in this week's snapshot
}

// Review runs the weekly pipeline review of in.This against in.Last.
//
// The forecast is what is booked in in.Period plus the open pipeline
// closing in it: in.BookedBefore, the deals won since last week with a
// close date in the period (this week only), and the open deals whose
// close date falls in the period and whose category is not off forecast.
// A deal won at its forecast amount therefore moves from the pipeline to
// booked with no net effect; a loss, a slip or a downgrade takes its value
// off. Delta reconciles last week's forecast to this week's exactly, deal
// by deal. Every deal of this
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
// reported and ignored; a win without a close date is reported and not
// booked. The error is non-nil only for an invalid policy, a zero AsOf, a
// negative BookedBefore or one with more decimal places than the currency,
// or sums too large to compute exactly.
//
// Review works in minor units on compact, pointer-free per-deal records
// and allocates each list of its result once, at its final size: it does
// not allocate per deal (the ID index grows with the number of deals, the
// result with what it reports).
func (p PipelinePolicy) Review(in ReviewInput) (Review, error) {
	if err := p.Validate(); err != nil {
		return Review{}, err
	}
	p.Currency = currencyCode(p.Currency) // once: the review compares and reports this code
	if in.AsOf.IsZero() {
		return Review{}, &revalign.FieldError{Pkg: pkg, Path: "as_of", Reason: "the review needs an as-of time"}
	}
	places := revalign.MinorUnits(p.Currency)
	threshold, _ := revalign.ToUnits(p.Threshold, places) // checked by Validate
	var sums sums
	if u, err := revalign.ToUnits(in.BookedBefore, places); err != nil || u < 0 {
		return Review{}, &revalign.FieldError{Pkg: pkg, Path: "booked_before", Value: in.BookedBefore.String(),
			Reason: "must be an amount >= 0 with at most the currency's decimal places"}
	} else {
		sums.before = u
	}
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
	last, this := make([]rec, len(in.Last)), make([]rec, len(in.This))
	p.match(in, last, this, places, &rv.Errors)

	// This week: the forecast, the flags and the sizes of the lists.
	var nOver, nPassive, nStalled, nPledges int
	pats := patterns{exact: map[string]int{}, folded: map[string]int{}}
	todayN, dueN := today.days(), due.days()
	for j := range this {
		r := &this[j]
		if !r.usable {
			continue
		}
		d := &in.This[j]
		rv.Deals++
		r.close, r.next = dayOf(d.CloseDate), dayOf(d.NextActionDate)
		r.in = p.inForecast(d.ForecastCategory, r.close, win)
		r.days = -1
		if !d.StageEnteredAt.IsZero() {
			r.days = int32(todayN - localDays(d.StageEnteredAt.In(loc)))
			r.stalled = int(r.days) >= p.StalledAfterDays
			if r.days < 0 {
				rv.Errors = append(rv.Errors, revalign.RecordError{ID: d.ID, Err: errStageInFuture})
			}
		} else {
			rv.Errors = append(rv.Errors, revalign.RecordError{ID: d.ID, Err: errNoStageDate})
		}
		if d.CloseDate.IsZero() && !win.all {
			rv.Errors = append(rv.Errors, revalign.RecordError{ID: d.ID, Err: errNoCloseDate})
		}
		r.flags = passive(d, r.next, todayN)
		if r.in {
			sums.add(&sums.this, r.units)
		}
		if r.units >= threshold {
			nOver++
		}
		if r.flags != 0 && r.in {
			sums.add(&sums.off, r.units)
			rv.Delta.OffForecastDeals++
		}
		if r.flags != 0 {
			nPassive++
		}
		if r.stalled {
			nStalled++
		}
		if r.flags != 0 || nextActionDue(r, threshold, todayN, dueN) {
			nPledges++
		}
		pats.add(d.StallReason, int32(j), r.stalled, r.units)
	}
	for i := range last {
		if r := &last[i]; r.usable {
			r.close = dayOf(in.Last[i].CloseDate)
			r.in = p.inForecast(in.Last[i].ForecastCategory, r.close, win)
			if r.in {
				sums.add(&sums.last, r.units)
			}
		}
	}

	// The forecast delta: one move per deal that changed.
	moves := make([]move, 0, len(this)/2+len(last)/4)
	for j := range this {
		r := &this[j]
		if !r.usable {
			continue
		}
		m := move{last: noMatch, this: int32(j), units: r.units}
		if r.in {
			m.effect = r.units
		}
		switch r.other {
		case unusable:
			m.kind = Excluded
		case noMatch:
			m.kind = New
		default:
			m.last = r.other
			prev, d := &in.Last[r.other], &in.This[j]
			l := &last[r.other]
			if l.in {
				m.effect -= l.units
			}
			moved := stageChanged(prev, d)
			if moved {
				rv.Delta.StageMoves++
			}
			switch {
			case l.in && r.in && r.units > l.units:
				m.kind = Increased
			case l.in && r.in && r.units < l.units:
				m.kind = Decreased
			case l.in && !r.in && !win.has(r.close):
				m.kind = Slipped
			case l.in && !r.in:
				m.kind = Downgraded
			case !l.in && r.in && !win.has(l.close):
				m.kind = PulledIn
			case !l.in && r.in:
				m.kind = Upgraded
			case moved:
				m.kind = Moved
			default:
				continue // nothing changed that the review reports
			}
		}
		moves = append(moves, m)
	}
	var outcomes map[string]Closed
	if len(in.Closed) > 0 {
		outcomes = make(map[string]Closed, len(in.Closed))
		for _, c := range in.Closed {
			outcomes[c.ID] = c
		}
	}
	for i := range last {
		r := &last[i]
		if !r.usable || r.other >= 0 {
			continue
		}
		m := move{last: int32(i), this: noMatch, units: r.units}
		if r.in {
			m.effect = -r.units
		}
		switch o, closed := outcomes[in.Last[i].ID]; {
		case r.other == unusable:
			m.kind = Excluded
		case closed && o.Won:
			m.kind = Won
			switch {
			case o.ClosedOn.IsZero() && !win.all:
				rv.Errors = append(rv.Errors, revalign.RecordError{ID: in.Last[i].ID, Err: errWonNoClose})
			case win.has(dayOf(o.ClosedOn)):
				m.booked = true
				m.effect += r.units
				sums.add(&sums.booked, r.units)
			}
		case closed:
			m.kind = Lost
		default:
			m.kind = Dropped
		}
		moves = append(moves, m)
	}
	for _, m := range moves {
		sums.add(&sums.effects[m.kind], m.effect)
	}
	if sums.overflow {
		return Review{}, fmt.Errorf("cadence: pipeline amounts too large to sum exactly: %w", revalign.ErrCurrency)
	}
	rv.Delta.fill(in, last, this, moves, outcomes, &sums, places)

	// The lists, sorted as index lists and written out once.
	overIdx := make([]entry, 0, nOver)
	passiveIdx := make([]entry, 0, nPassive)
	stalledIdx := make([]entry, 0, nStalled)
	pledges := make([]pledge, 0, nPledges+len(pats.groups))
	for j := range this {
		r := &this[j]
		if !r.usable {
			continue
		}
		if r.units >= threshold {
			overIdx = append(overIdx, entry{units: r.units, j: int32(j)})
		}
		if r.stalled {
			stalledIdx = append(stalledIdx, entry{units: r.units, days: r.days, j: int32(j)})
		}
		switch {
		case r.flags != 0:
			passiveIdx = append(passiveIdx, entry{units: r.units, j: int32(j)})
			pledges = append(pledges, pledge{kind: FixPassive, deal: int32(j), pattern: -1, due: dueN, units: r.units})
		case nextActionDue(r, threshold, todayN, dueN):
			pledges = append(pledges, pledge{kind: NextActionDue, deal: int32(j), pattern: -1, due: int(r.next), units: r.units})
		}
	}
	// Largest first (the stalled list longest in stage first), then by ID;
	// the keys sit in the entries, so sorting reads contiguous memory.
	byKeys := func(a, b entry) int {
		if c := cmp.Compare(b.days, a.days); c != 0 {
			return c
		}
		if c := cmp.Compare(b.units, a.units); c != 0 {
			return c
		}
		return cmp.Compare(in.This[a.j].ID, in.This[b.j].ID)
	}
	slices.SortFunc(overIdx, byKeys)
	slices.SortFunc(passiveIdx, byKeys)
	slices.SortFunc(stalledIdx, byKeys)
	rv.OverThreshold = lines(in.This, this, overIdx)
	rv.Passive = lines(in.This, this, passiveIdx)
	rv.Stalled = lines(in.This, this, stalledIdx)
	rv.Patterns = pats.finish(p, in.This, this, places)
	for k, pt := range rv.Patterns {
		if pt.Structural {
			pledges = append(pledges, pledge{kind: RoutePattern, deal: -1, pattern: int32(k), due: dueN})
		}
	}
	rv.Commitments = p.commitments(in.This, this, rv.Patterns, pledges, loc)
	return rv, nil
}

// nextActionDue reports whether a deal walked in the review (over the
// threshold or stalled) has a dated next action due by the commitment day.
func nextActionDue(r *rec, threshold int64, today, due int) bool {
	if !r.stalled && r.units < threshold || r.next == noDay {
		return false
	}
	return int(r.next) >= today && int(r.next) <= due
}

// match validates the records of both snapshots and links each deal to its
// record in the other snapshot, reporting bad and duplicate records.
func (p PipelinePolicy) match(in ReviewInput, last, this []rec, places int32, errs *[]revalign.RecordError) {
	// seen maps an ID to its index in last (>= 0), unusable, or, for an ID
	// seen only this week, -3 - its index in this.
	seen := make(map[string]int32, max(len(in.Last), len(in.This)))
	for i := range in.Last {
		d := &in.Last[i]
		u, err := p.check(d, places)
		switch _, dup := seen[d.ID]; {
		case dup:
			p.report(errs, "last week", i, d.ID, errDuplicate)
		case err != nil:
			p.report(errs, "last week", i, d.ID, err)
			if !blank(d.ID) {
				seen[d.ID] = unusable
			}
		default:
			seen[d.ID] = int32(i)
			last[i] = rec{units: u, other: noMatch, usable: true}
		}
	}
	for j := range in.This {
		d := &in.This[j]
		u, err := p.check(d, places)
		prev, ok := seen[d.ID]
		switch {
		case ok && (prev <= -3 || prev >= 0 && last[prev].other != noMatch):
			p.report(errs, "this week", j, d.ID, errDuplicate)
			continue
		case err != nil:
			p.report(errs, "this week", j, d.ID, err)
			switch {
			case ok && prev >= 0:
				last[prev].other = unusable
			case !ok && !blank(d.ID):
				seen[d.ID] = -3 - int32(j) // later duplicates are duplicates
			}
			continue
		}
		r := rec{units: u, other: noMatch, usable: true}
		switch {
		case !ok:
			seen[d.ID] = -3 - int32(j)
		case prev == unusable:
			r.other = unusable
			seen[d.ID] = -3 - int32(j)
		default:
			r.other = prev
			last[prev].other = int32(j)
		}
		this[j] = r
	}
}

var errDuplicate = fmt.Errorf("duplicate deal ID, ignored: %w", revalign.ErrInvalid)

func (p PipelinePolicy) report(errs *[]revalign.RecordError, which string, i int, id string, err error) {
	*errs = append(*errs, recordError(id, which, i, fmt.Errorf("%s: %w", which, err)))
}

// lines writes out the deals of the entries.
func lines(deals []Deal, recs []rec, idx []entry) []Line {
	out := make([]Line, len(idx))
	for k, e := range idx {
		j := e.j
		r := &recs[j]
		out[k] = Line{Deal: deals[j], Index: int(j), DaysInStage: int(r.days), Stalled: r.stalled, Flags: r.flags, InForecast: r.in}
	}
	return out
}

// commitments sorts the pledges (by due date, kind, owner, then largest
// deal first, or pattern order) and writes them out.
func (p PipelinePolicy) commitments(deals []Deal, recs []rec, pats []Pattern, pledges []pledge, loc *time.Location) []Commitment {
	owner := func(k *pledge) *revalign.Owner {
		switch {
		case k.kind == RoutePattern:
			return &p.PatternOwner
		case recs[k.deal].flags&NoOwner != 0:
			return &p.DefaultOwner
		}
		return &deals[k.deal].Owner
	}
	// Rank the owners by name once, so that the sort compares integers.
	rank := map[string]int{}
	for i := range pledges {
		rank[owner(&pledges[i]).Name] = 0
	}
	names := slices.Sorted(maps.Keys(rank))
	for i, n := range names {
		rank[n] = i
	}
	for i := range pledges {
		pledges[i].owner = rank[owner(&pledges[i]).Name]
	}
	slices.SortFunc(pledges, func(a, b pledge) int {
		if c := cmp.Compare(a.due, b.due); c != 0 {
			return c
		}
		if c := cmp.Compare(a.kind, b.kind); c != 0 {
			return c
		}
		if c := cmp.Compare(a.owner, b.owner); c != 0 {
			return c
		}
		if a.deal < 0 {
			return cmp.Compare(a.pattern, b.pattern)
		}
		if c := cmp.Compare(b.units, a.units); c != 0 {
			return c
		}
		return strings.Compare(deals[a.deal].ID, deals[b.deal].ID)
	})
	out := make([]Commitment, len(pledges))
	var at time.Time
	atDay := 0
	for i, k := range pledges {
		if i == 0 || k.due != atDay {
			at, atDay = dayNumber(k.due).midnight(loc), k.due
		}
		c := Commitment{Kind: k.kind, Owner: *owner(&k), Due: at}
		switch k.kind {
		case RoutePattern:
			c.Pattern, c.Action = pats[k.pattern].Reason, actionRoutePattern
		case FixPassive:
			c.DealID, c.Action = deals[k.deal].ID, actionFixPassive
		default:
			c.DealID, c.Action = deals[k.deal].ID, deals[k.deal].NextAction
		}
		out[i] = c
	}
	return out
}

func stageChanged(prev, d *Deal) bool {
	return prev.Stage != d.Stage && !strings.EqualFold(strings.TrimSpace(prev.Stage), strings.TrimSpace(d.Stage))
}

var (
	errNoStageDate   = fmt.Errorf("no stage-entered date: cannot tell whether the deal is stalled: %w", revalign.ErrInvalid)
	errStageInFuture = fmt.Errorf("stage entered after the review date: %w", revalign.ErrInvalid)
	errNoCloseDate   = fmt.Errorf("no close date: not in the period's forecast: %w", revalign.ErrInvalid)
	errWonNoClose    = fmt.Errorf("won without a close date: not booked in the period: %w", revalign.ErrInvalid)
	errNoID          = fmt.Errorf("deal needs an ID: %w", revalign.ErrInvalid)
	errNegative      = fmt.Errorf("amount must be >= 0: %w", revalign.ErrInvalid)
)

// check returns the deal's amount in minor units, or why the deal cannot
// be used.
func (p PipelinePolicy) check(d *Deal, places int32) (int64, error) {
	if blank(d.ID) {
		return 0, errNoID
	}
	if d.Currency != p.Currency && !strings.EqualFold(strings.TrimSpace(d.Currency), p.Currency) {
		return 0, fmt.Errorf("amount in %q, the review is in %q: convert it with a rates table first: %w", d.Currency, p.Currency, revalign.ErrCurrency)
	}
	u, err := revalign.ToUnits(d.Amount, places)
	if u < 0 || err != nil && d.Amount.IsNegative() {
		return 0, errNegative
	}
	return u, err
}

// window is the forecast period as a half-open range of day numbers.
type window struct {
	all      bool
	from, to int
}

func (w window) has(day int32) bool {
	if w.all {
		return true
	}
	return day != noDay && int(day) >= w.from && int(day) < w.to
}

func (p PipelinePolicy) inForecast(category string, closeDay int32, w window) bool {
	return w.has(closeDay) && !p.offForecast(category)
}

// passive returns the passive-voice flags of a deal as of today.
func passive(d *Deal, next int32, today int) Flags {
	var f Flags
	if blank(d.Owner.Name) {
		f |= NoOwner
	}
	switch {
	case next == noDay || blank(d.NextAction):
		f |= NoNextAction
	case int(next) < today:
		f |= PastNextAction
	}
	if d.WaitingOn == Buyer {
		f |= WaitingOnBuyer
	}
	return f
}

// sums accumulates minor units, remembering any int64 overflow. last and
// this are the open pipelines in the forecast; before is booked before
// last week, booked what was won since.
type sums struct {
	last, this, off int64
	before, booked  int64
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
	deals   []int32 // indexes in this week's snapshot
	stalled int
	total   int64
}

func (ps *patterns) add(reason string, j int32, stalled bool, units int64) {
	reason = strings.TrimSpace(reason)
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
	pg.deals = append(pg.deals, j)
	pg.total += units
	if stalled {
		pg.stalled++
	}
}

// finish returns the reasons shared by two or more deals, most deals first,
// then largest total, then by reason; each pattern's deals largest first.
func (ps *patterns) finish(p PipelinePolicy, deals []Deal, recs []rec, places int32) []Pattern {
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
		slices.SortFunc(g.deals, func(a, b int32) int {
			if c := cmp.Compare(recs[b].units, recs[a].units); c != 0 {
				return c
			}
			return cmp.Compare(deals[a].ID, deals[b].ID)
		})
		ids := make([]string, len(g.deals))
		for i, j := range g.deals {
			ids[i] = deals[j].ID
		}
		pt := Pattern{Reason: g.reason, Deals: ids, Stalled: g.stalled, Amount: fromUnits(g.total, places), Structural: len(g.deals) >= p.PatternMinDeals}
		if pt.Structural {
			pt.RouteTo = p.PatternRouteTo
		}
		out = append(out, pt)
	}
	return out
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
