package sla

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
)

// Lead is one MQL's handoff record, as the pact measures it. Times are
// instants (any location); a zero time means the event has not happened.
type Lead struct {
	// ID of the lead.
	ID string `json:"id"`
	// Owner is the ID of the person who works the lead (the SDR).
	Owner string `json:"owner"`
	// Region of the lead (e.g. "EMEA"); selects the region's holidays.
	Region string `json:"region"`
	// TimeZone is the lead's IANA time zone; business hours run in it
	// unless the pact fixes one zone for all leads. "Local" (the host's
	// zone) is a record error.
	TimeZone string `json:"time_zone"`
	// MQLAt is the trigger: when the lead became an MQL. A lead with no
	// MQL time is not covered by the pact.
	MQLAt time.Time `json:"mql_at"`
	// RoutedAt is when the lead reached its owner.
	RoutedAt time.Time `json:"routed_at"`
	// FirstTouchAt is the owner's first touch (call, email, meeting).
	FirstTouchAt time.Time `json:"first_touch_at"`
	// DispositionAt is when sales recorded the disposition.
	DispositionAt time.Time `json:"disposition_at"`
	// Disposition is the code recorded (one of the pact's codes), empty
	// while undispositioned.
	Disposition string `json:"disposition"`
	// RejectionReason is the documented reason for a declined MQL.
	RejectionReason string `json:"rejection_reason"`
}

// Options says which weeks Evaluate looks at.
type Options struct {
	// Weeks cuts time into weeks (week start and time zone); a lead
	// belongs to the week of its MQL time. Its Location must not be
	// time.Local, the host's zone.
	Weeks revalign.FiscalCalendar
	// From leaves out leads whose MQL time is before it. When From falls
	// inside a week, that week is incomplete. Zero means from the week of
	// the earliest MQL.
	From time.Time
	// AsOf is the evaluation instant: leads whose MQL time is at or after
	// it are left out, and events after it have not happened yet.
	// Required.
	AsOf time.Time
}

// Report is the pact's compliance over a window of weeks.
type Report struct {
	// AsOf is the evaluation instant.
	AsOf time.Time `json:"as_of"`
	// Standing says whether the pact was in force at AsOf. A report on a
	// pact not in force is a dry run: nobody is bound by it.
	Standing Standing `json:"standing"`
	// Leads is the number of MQLs evaluated.
	Leads int `json:"leads"`
	// Skipped counts the leads left out, by reason.
	Skipped Skipped `json:"skipped"`
	// Weeks holds each week's verdict per commitment, oldest first.
	Weeks []WeekReport `json:"weeks"`
	// Totals are the verdicts over the complete weeks, one per commitment.
	Totals []Result `json:"totals"`
	// Breaches lists every broken per-lead commitment, in input order.
	Breaches []Breach `json:"breaches"`
	// Pending lists every per-lead commitment still running at AsOf.
	Pending []PendingLead `json:"pending"`
	// ByRegion breaks the per-lead commitments down by the leads' region,
	// sorted by region, so that a pattern shows.
	ByRegion []Breakdown `json:"by_region"`
	// ByTimeZone breaks them down by the leads' time zone, sorted.
	ByTimeZone []Breakdown `json:"by_time_zone"`
	// ByOwner breaks them down by lead owner, sorted by owner ID.
	ByOwner []Breakdown `json:"by_owner"`
	// Flags are the red flags raised (criteria review).
	Flags []Flag `json:"flags"`
	// Escalations are repeated misses sent to the dispute owner.
	Escalations []Escalation `json:"escalations"`
	// Errors lists the records that could not be fully evaluated; what
	// could be judged of them is judged.
	Errors []revalign.RecordError `json:"errors"`
}

// Skipped counts the leads Evaluate left out.
type Skipped struct {
	// NotMQL counts the leads with no MQL time: not covered by the pact.
	NotMQL int `json:"not_mql"`
	// BeforeFrom counts the leads whose MQL time is before Options.From.
	BeforeFrom int `json:"before_from"`
	// AfterAsOf counts the leads whose MQL time is at or after
	// Options.AsOf.
	AfterAsOf int `json:"after_as_of"`
	// OutOfRange counts the leads with a time outside the years a
	// Calendar covers (a bad date: year 1, 9999); each is also listed in
	// Report.Errors.
	OutOfRange int `json:"out_of_range"`
}

// WeekReport is one week's verdict on every commitment.
type WeekReport struct {
	// Period is the week, half-open, in the week calendar's zone.
	Period revalign.Period `json:"period"`
	// Complete is false for a week AsOf (or From) cuts through; its
	// results are Pending.
	Complete bool `json:"complete"`
	// MQLs is the number of MQLs of the week.
	MQLs int `json:"mqls"`
	// Results has one entry per commitment, in the order of [Commitments].
	Results []Result `json:"results"`
}

// Result returns the week's result for commitment c.
func (w WeekReport) Result(c Commitment) Result { return resultOf(w.Results, c) }

func resultOf(rs []Result, c Commitment) Result {
	for _, r := range rs {
		if r.Commitment == c {
			return r
		}
	}
	return Result{Commitment: c, Team: c.Team()}
}

// Result is the verdict on one commitment over a week or a window.
//
// Per-lead commitments (routing, first touch, disposition): Kept, Broken
// and Pending count leads, Measured is Kept ÷ (Kept + Broken) and Target the
// compliance rate required. Rejection reasons: the same over declined MQLs.
// Acceptance: Kept counts accepted MQLs, Broken declined ones, Pending the
// undispositioned; Measured is the acceptance rate and Target the minimum.
// Volume: Measured is the number of MQLs (the weekly mean in totals), Target
// the commitment and Low..High the tolerance band.
type Result struct {
	// Commitment is the commitment judged.
	Commitment Commitment `json:"commitment"`
	// Team is the team that owes it.
	Team revalign.Team `json:"team"`
	// Status is the verdict: met, missed, pending (the week is not over,
	// or every lead is still open) or no_data.
	Status Status `json:"status"`
	// Measured is the measured value: a rate in [0,1], or the number of
	// MQLs for the volume.
	Measured float64 `json:"measured"`
	// Target is the value the pact requires (a minimum rate, or the volume
	// committed).
	Target float64 `json:"target"`
	// Low is the bottom of the volume's tolerance band (volume only).
	Low float64 `json:"low,omitempty"`
	// High is the top of the volume's tolerance band (volume only).
	High float64 `json:"high,omitempty"`
	// Kept counts the leads that kept the commitment (accepted MQLs, for
	// the acceptance rate).
	Kept int `json:"kept"`
	// Broken counts the leads that broke it (declined MQLs, for the
	// acceptance rate).
	Broken int `json:"broken"`
	// Pending counts the leads still open (undispositioned MQLs, for the
	// acceptance rate).
	Pending int `json:"pending"`
	// Excluded counts, for the acceptance rate, the dispositioned MQLs
	// whose code is excluded from it (Duplicate and No response by
	// default): in neither Kept nor Broken, listed here so that no MQL goes
	// unaccounted.
	Excluded int `json:"excluded,omitempty"`
	// Median is the median elapsed time of the leads decided (timers
	// only): business time for first touch, elapsed time for routing.
	Median time.Duration `json:"median_ns,omitempty"`
}

func (r Result) rate() Rate {
	return Rate{Commitment: r.Commitment, Kept: r.Kept, Judged: r.Kept + r.Broken}
}

// Breach is one lead that broke a per-lead commitment.
type Breach struct {
	// LeadID is the lead's ID ("#i" for the i-th lead when it has none).
	LeadID string `json:"lead_id"`
	// Commitment is the commitment broken.
	Commitment Commitment `json:"commitment"`
	// Week is the start of the lead's week.
	Week time.Time `json:"week"`
	// Owner is the lead's owner.
	Owner string `json:"owner,omitempty"`
	// Region is the lead's region.
	Region string `json:"region,omitempty"`
	// TimeZone is the lead's time zone.
	TimeZone string `json:"time_zone,omitempty"`
	// Elapsed is the time taken (business time for business-hour
	// commitments); for an open lead, the time so far. Zero for a missing
	// rejection reason.
	Elapsed time.Duration `json:"elapsed_ns"`
	// Target is the time allowed.
	Target time.Duration `json:"target_ns"`
	// Over is Elapsed − Target: by how much the commitment was broken.
	Over time.Duration `json:"over_ns"`
	// Open is true when the event still has not happened at AsOf (the
	// deadline passed with the lead untouched).
	Open bool `json:"open,omitempty"`
	// Disposition is the lead's code, for a missing rejection reason.
	Disposition string `json:"disposition,omitempty"`
}

// PendingLead is a per-lead commitment whose timer still runs at AsOf:
// neither kept nor broken yet.
type PendingLead struct {
	// LeadID is the lead's ID.
	LeadID string `json:"lead_id"`
	// Commitment is the commitment whose timer runs.
	Commitment Commitment `json:"commitment"`
	// Owner is the lead's owner.
	Owner string `json:"owner,omitempty"`
	// Deadline is when the commitment will be broken.
	Deadline time.Time `json:"deadline"`
}

// Breakdown is the per-lead compliance of one region, time zone or owner.
type Breakdown struct {
	// Key is the region, time zone or owner ID ("" for leads without one).
	Key string `json:"key"`
	// MQLs counts the MQLs evaluated under the key.
	MQLs int `json:"mqls"`
	// Routing tallies the routing commitment.
	Routing Tally `json:"routing"`
	// FirstTouch tallies the first-touch commitment.
	FirstTouch Tally `json:"first_touch"`
	// Disposition tallies the disposition-feedback commitment.
	Disposition Tally `json:"disposition"`
	// RejectionReason tallies the rejection reasons of declined MQLs.
	RejectionReason Tally `json:"rejection_reason"`
}

// Tally counts leads that kept, broke, or are still running on one
// commitment.
type Tally struct {
	// Kept counts the leads that kept the commitment.
	Kept int `json:"kept"`
	// Broken counts the leads that broke it.
	Broken int `json:"broken"`
	// Pending counts the leads whose timer still runs.
	Pending int `json:"pending"`
}

// Rate returns Kept ÷ (Kept + Broken), or 0 when nothing was decided.
func (t Tally) Rate() float64 {
	if t.Kept+t.Broken == 0 {
		return 0
	}
	return float64(t.Kept) / float64(t.Kept+t.Broken)
}

func (t Tally) rate(c Commitment) Rate {
	return Rate{Commitment: c, Kept: t.Kept, Judged: t.Kept + t.Broken}
}

func (b Breakdown) tally(c Commitment) Tally {
	if t := b.at(c); t != nil {
		return *t
	}
	return Tally{}
}

// at returns the tally of a per-lead commitment, or nil.
func (b *Breakdown) at(c Commitment) *Tally {
	switch c {
	case Routing:
		return &b.Routing
	case FirstTouch:
		return &b.FirstTouch
	case Disposition:
		return &b.Disposition
	case RejectionReason:
		return &b.RejectionReason
	}
	return nil
}

// Breaches returns the number of broken per-lead commitments.
func (b Breakdown) Breaches() int {
	return b.Routing.Broken + b.FirstTouch.Broken + b.Disposition.Broken + b.RejectionReason.Broken
}

// Total returns the report's total for commitment c.
func (r *Report) Total(c Commitment) Result { return resultOf(r.Totals, c) }

// LastComplete returns the last n complete weeks (fewer if there are not n),
// oldest first.
func (r *Report) LastComplete(n int) []WeekReport {
	var out []WeekReport
	for i := len(r.Weeks) - 1; i >= 0 && len(out) < n; i-- {
		if r.Weeks[i].Complete {
			out = append(out, r.Weeks[i])
		}
	}
	slices.Reverse(out)
	return out
}

// ErrNoAsOf is returned by Evaluate when Options.AsOf is zero.
var ErrNoAsOf = errors.New("sla: Options.AsOf is required")

// Evaluate measures the pact over leads: per week and per commitment,
// met or missed with the measured value and the target; every breach with
// the lead and by how much; the leads still pending; breakdowns by region,
// time zone and owner; the criteria-review red flag; and the escalations.
//
// Routing is timed in elapsed time from the MQL trigger and is kept when
// under RoutingMinutes. First touch is timed in business hours of the
// lead's calendar (its zone and its region's holidays), disposition in
// elapsed hours (or business hours), both from the sales clock start, and
// each is kept when within the target. An event that precedes its clock
// start counts as immediate. A lead whose event has not happened at AsOf is
// pending while its deadline is ahead, and broken (Open) once it has
// passed: a lead left untouched past its deadline cannot be kept any more.
//
// A pact that fails Validate is an error, and so is an AsOf (or a From)
// outside the years a [Calendar] covers: from 2 January [MinYear] to 30
// December [MaxYear], UTC. Records that cannot be fully used are listed in
// Report.Errors with their ID, and whatever can be judged of them still is;
// a lead with a time outside the covered years (a bad date, year 1 or
// 9999) is listed there and left out entirely, since it would stretch the
// weeks or clamp its timers. Leads left out are counted in Report.Skipped.
// Nothing is dropped silently.
func (p Pact) Evaluate(leads []Lead, opt Options) (*Report, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if opt.AsOf.IsZero() {
		return nil, ErrNoAsOf
	}
	if !covered(opt.AsOf) {
		return nil, rangeError("as_of", opt.AsOf)
	}
	if !opt.From.IsZero() && !covered(opt.From) {
		return nil, rangeError("from", opt.From)
	}
	if err := opt.Weeks.Validate(); err != nil {
		return nil, err
	}
	if opt.Weeks.Location == time.Local {
		return nil, errLocal("weeks.location")
	}
	e := newEvaluator(&p, opt)
	e.rep.Standing = p.Standing(opt.AsOf)
	e.prepareWeeks(leads)
	for i := range leads {
		e.lead(i, &leads[i])
	}
	e.finish()
	return e.rep, nil
}

type calKey struct{ zone, region string }

type calEntry struct {
	cal *Calendar
	err error
}

type counts [RejectionReason + 1]Tally

type weekAcc struct {
	mqls     int
	c        counts
	excluded int                       // dispositioned MQLs with an excluded code
	times    [FirstTouch + 1][]float64 // elapsed seconds of decided leads: routing, first touch
	disp     []float64
}

type group struct {
	idx map[string]int
	out []Breakdown
}

func (g *group) get(key string) *Breakdown {
	i, ok := g.idx[key]
	if !ok {
		i = len(g.out)
		g.idx[key] = i
		g.out = append(g.out, Breakdown{Key: key})
	}
	return &g.out[i]
}

func (g *group) sorted() []Breakdown {
	out := slices.Clone(g.out)
	slices.SortFunc(out, func(a, b Breakdown) int { return strings.Compare(a.Key, b.Key) })
	return out
}

type evaluator struct {
	p   *Pact
	opt Options
	rep *Report

	wloc    *time.Location
	firstWk int64 // local day number of the first week's start
	weeks   []weekAcc
	periods []revalign.Period

	routing, firstTouch, disposition time.Duration

	cals    map[calKey]calEntry
	lastKey calKey
	last    calEntry

	region, zone, owner group
}

func newEvaluator(p *Pact, opt Options) *evaluator {
	loc := opt.Weeks.Location
	if loc == nil {
		loc = time.UTC
	}
	return &evaluator{
		p:           p,
		opt:         opt,
		rep:         &Report{AsOf: opt.AsOf},
		wloc:        loc,
		routing:     minutesDur(p.Marketing.RoutingMinutes),
		firstTouch:  hoursDur(p.Sales.FirstTouchBusinessHours),
		disposition: hoursDur(p.Sales.DispositionHours),
		cals:        map[calKey]calEntry{},
		region:      group{idx: map[string]int{}},
		zone:        group{idx: map[string]int{}},
		owner:       group{idx: map[string]int{}},
	}
}

// localDay returns the day number of t in the week calendar's zone.
func (e *evaluator) localDay(t time.Time) int64 {
	_, off := t.In(e.wloc).Zone()
	return floorDiv(t.Unix()+int64(off), secsPerDay)
}

func (e *evaluator) inWindow(l *Lead) bool {
	return !l.MQLAt.IsZero() && (e.opt.From.IsZero() || !l.MQLAt.Before(e.opt.From)) && l.MQLAt.Before(e.opt.AsOf) &&
		outOfRange(l) == nil
}

// The instants Evaluate accepts: from 2 January of MinYear to the end of
// 30 December of MaxYear, UTC. No zone is a day away from UTC, so the date
// of such an instant is inside the years a Calendar covers in every zone.
var (
	firstCovered = time.Date(MinYear, time.January, 2, 0, 0, 0, 0, time.UTC)
	endCovered   = time.Date(MaxYear, time.December, 31, 0, 0, 0, 0, time.UTC)
)

// covered reports whether t is an instant Evaluate accepts.
func covered(t time.Time) bool { return !t.Before(firstCovered) && t.Before(endCovered) }

// rangeError reports an instant outside the covered years.
func rangeError(path string, t time.Time) error {
	return &revalign.FieldError{Pkg: "sla", Path: path, Value: t.Format(time.RFC3339Nano),
		Reason: "outside the years a calendar covers (" + firstCovered.Format(time.DateOnly) + " to " +
			endCovered.AddDate(0, 0, -1).Format(time.DateOnly) + " UTC)"}
}

// outOfRange returns the error of the first time of l that is set and
// outside the covered years, or nil.
func outOfRange(l *Lead) error {
	for _, f := range [...]struct {
		path string
		t    time.Time
	}{{"mql_at", l.MQLAt}, {"routed_at", l.RoutedAt}, {"first_touch_at", l.FirstTouchAt}, {"disposition_at", l.DispositionAt}} {
		if !f.t.IsZero() && !covered(f.t) {
			return rangeError(f.path, f.t)
		}
	}
	return nil
}

// prepareWeeks finds the first week and lays out every week up to AsOf.
func (e *evaluator) prepareWeeks(leads []Lead) {
	start := e.opt.From
	if start.IsZero() {
		for i := range leads {
			if l := &leads[i]; e.inWindow(l) && (start.IsZero() || l.MQLAt.Before(start)) {
				start = l.MQLAt
			}
		}
	}
	if start.IsZero() {
		return
	}
	ws := e.opt.Weeks.Week(start).Start
	e.firstWk = e.localDay(ws)
	for t := ws; t.Before(e.opt.AsOf); {
		w := e.opt.Weeks.Week(t)
		e.periods = append(e.periods, w)
		t = w.End
	}
	e.weeks = make([]weekAcc, len(e.periods))
}

func (e *evaluator) weekOf(t time.Time) int {
	i := int(floorDiv(e.localDay(t)-e.firstWk, 7))
	return min(max(i, 0), len(e.weeks)-1)
}

// calendar returns the business-hours calendar of a lead.
func (e *evaluator) calendar(l *Lead) calEntry {
	bh := &e.p.BusinessHours
	k := calKey{zone: l.TimeZone}
	if bh.TimeZone != "" {
		k.zone = ""
	}
	if _, ok := bh.RegionHolidays[l.Region]; ok {
		k.region = l.Region
	}
	if k == e.lastKey && (e.last.cal != nil || e.last.err != nil) {
		return e.last
	}
	ce, ok := e.cals[k]
	if !ok {
		var loc *time.Location
		if bh.TimeZone == "" {
			if k.zone == "" {
				ce.err = &revalign.FieldError{Pkg: "sla", Path: "time_zone", Reason: "lead has no time zone and the pact sets none"}
			} else if l, err := loadZone(k.zone); err != nil {
				ce.err = err
			} else {
				loc = l
			}
		}
		if ce.err == nil {
			ce.cal, ce.err = bh.Calendar(loc, k.region)
		}
		e.cals[k] = ce
	}
	e.lastKey, e.last = k, ce
	return ce
}

// seen returns t when it happened by AsOf, else the zero time.
func (e *evaluator) seen(t time.Time) time.Time {
	if t.After(e.opt.AsOf) {
		return time.Time{}
	}
	return t
}

// leadCtx is the lead being evaluated and where its counts go.
type leadCtx struct {
	id string
	l  *Lead
	wi int
	w  *weekAcc
	g  [3]*Breakdown // region, time zone, owner
}

func (lc *leadCtx) mark(c Commitment, st Status) {
	for _, b := range lc.g {
		if t := b.at(c); t != nil {
			bump(t, st)
		}
	}
	bump(&lc.w.c[c], st)
}

func (e *evaluator) breach(lc *leadCtx, c Commitment, elapsed, target time.Duration, open bool) {
	e.rep.Breaches = append(e.rep.Breaches, Breach{
		LeadID: lc.id, Commitment: c, Week: e.periods[lc.wi].Start, Owner: lc.l.Owner, Region: lc.l.Region,
		TimeZone: lc.l.TimeZone, Elapsed: elapsed, Target: target, Over: elapsed - target, Open: open,
	})
}

func (e *evaluator) pending(lc *leadCtx, c Commitment, deadline time.Time) {
	e.rep.Pending = append(e.rep.Pending, PendingLead{LeadID: lc.id, Commitment: c, Owner: lc.l.Owner, Deadline: deadline})
}

func (e *evaluator) lead(i int, l *Lead) {
	if l.MQLAt.IsZero() {
		e.rep.Skipped.NotMQL++
		return
	}
	if err := outOfRange(l); err != nil {
		// A bad date would stretch the weeks to year 1 or 9999, or clamp a
		// timer to nothing and judge it kept: leave the lead out.
		e.rep.Skipped.OutOfRange++
		e.rep.Errors = append(e.rep.Errors, revalign.RecordError{ID: leadID(l.ID, i), Err: err})
		return
	}
	switch {
	case !e.opt.From.IsZero() && l.MQLAt.Before(e.opt.From):
		e.rep.Skipped.BeforeFrom++
		return
	case !l.MQLAt.Before(e.opt.AsOf):
		e.rep.Skipped.AfterAsOf++
		return
	}
	e.rep.Leads++
	var errs []error
	lc := leadCtx{id: leadID(l.ID, i), l: l}
	if l.ID == "" {
		errs = append(errs, &revalign.FieldError{Pkg: "sla", Path: "lead_id", Reason: "lead has no ID"})
	}
	lc.wi = e.weekOf(l.MQLAt)
	lc.w = &e.weeks[lc.wi]
	lc.w.mqls++
	lc.g = [3]*Breakdown{e.region.get(l.Region), e.zone.get(l.TimeZone), e.owner.get(l.Owner)}
	for _, b := range lc.g {
		b.MQLs++
	}
	asOf := e.opt.AsOf

	// Routing: elapsed time from the trigger, kept when under the target.
	routed := e.seen(l.RoutedAt)
	if routed.IsZero() {
		if el := asOf.Sub(l.MQLAt); el >= e.routing {
			lc.mark(Routing, Missed)
			e.breach(&lc, Routing, el, e.routing, true)
		} else {
			lc.mark(Routing, Pending)
			e.pending(&lc, Routing, l.MQLAt.Add(e.routing))
		}
	} else {
		el := max(routed.Sub(l.MQLAt), 0)
		lc.w.times[Routing] = append(lc.w.times[Routing], el.Seconds())
		if el < e.routing {
			lc.mark(Routing, Met)
		} else {
			lc.mark(Routing, Missed)
			e.breach(&lc, Routing, el, e.routing, false)
		}
	}

	start := l.MQLAt
	if e.p.Sales.ClockStart == AtRouting && routed.After(start) {
		start = routed
	}

	// First touch: business hours of the lead's calendar.
	ce := e.calendar(l)
	if ce.err != nil {
		errs = append(errs, ce.err)
	}
	if ce.cal != nil {
		e.timer(&lc, FirstTouch, ce.cal, start, e.seen(l.FirstTouchAt), e.firstTouch)
	}

	// Disposition: its time, then its code.
	dispAt := e.seen(l.DispositionAt)
	code := l.Disposition
	if dispAt.IsZero() && !l.DispositionAt.IsZero() {
		code = "" // recorded after AsOf: not known yet
	}
	switch {
	case code != "" && dispAt.IsZero():
		errs = append(errs, &revalign.FieldError{Pkg: "sla", Path: "disposition_at", Value: code, Reason: "disposition has no time"})
	case e.p.Sales.DispositionInBusinessHours && ce.cal == nil:
		// no calendar: reported above
	default:
		if code == "" && !dispAt.IsZero() {
			errs = append(errs, &revalign.FieldError{Pkg: "sla", Path: "disposition", Reason: "disposition time without a code"})
		}
		var dcal *Calendar
		if e.p.Sales.DispositionInBusinessHours {
			dcal = ce.cal
		}
		e.timer(&lc, Disposition, dcal, start, dispAt, e.disposition)
	}
	if code == "" {
		if dispAt.IsZero() {
			bump(&lc.w.c[AcceptanceRate], Pending)
		}
	} else if k := lookupDisposition(e.p.Dispositions, code); k < 0 {
		errs = append(errs, &revalign.FieldError{Pkg: "sla", Path: "disposition", Value: code, Reason: "not one of the pact's disposition codes"})
	} else {
		switch e.p.Dispositions[k].Outcome {
		case Accepted:
			bump(&lc.w.c[AcceptanceRate], Met)
		case Excluded:
			lc.w.excluded++
		case Declined:
			bump(&lc.w.c[AcceptanceRate], Missed)
			if strings.TrimSpace(l.RejectionReason) != "" {
				lc.mark(RejectionReason, Met)
			} else {
				lc.mark(RejectionReason, Missed)
				e.rep.Breaches = append(e.rep.Breaches, Breach{
					LeadID: lc.id, Commitment: RejectionReason, Week: e.periods[lc.wi].Start, Owner: l.Owner,
					Region: l.Region, TimeZone: l.TimeZone, Disposition: e.p.Dispositions[k].Name,
				})
			}
		}
	}
	if len(errs) > 0 {
		e.rep.Errors = append(e.rep.Errors, revalign.RecordError{ID: lc.id, Err: errors.Join(errs...)})
	}
}

// leadID returns id, or "#i" for the i-th lead when it has none.
func leadID(id string, i int) string {
	if id == "" {
		return fmt.Sprintf("#%d", i)
	}
	return id
}

// timer judges one timed commitment of a lead: business time on cal, or
// elapsed time when cal is nil.
func (e *evaluator) timer(lc *leadCtx, c Commitment, cal *Calendar, start, done time.Time, target time.Duration) {
	elapsed := func(a, b time.Time) time.Duration {
		if cal != nil {
			return cal.Between(a, b)
		}
		return b.Sub(a)
	}
	if done.IsZero() {
		if el := elapsed(start, e.opt.AsOf); el > target {
			lc.mark(c, Missed)
			e.breach(lc, c, el, target, true)
		} else {
			lc.mark(c, Pending)
			if cal != nil {
				e.pending(lc, c, cal.Add(start, target))
			} else {
				e.pending(lc, c, start.Add(target))
			}
		}
		return
	}
	el := max(elapsed(start, done), 0)
	if c == FirstTouch {
		lc.w.times[FirstTouch] = append(lc.w.times[FirstTouch], el.Seconds())
	} else {
		lc.w.disp = append(lc.w.disp, el.Seconds())
	}
	if el <= target {
		lc.mark(c, Met)
	} else {
		lc.mark(c, Missed)
		e.breach(lc, c, el, target, false)
	}
}

func bump(t *Tally, st Status) {
	switch st {
	case Met:
		t.Kept++
	case Missed:
		t.Broken++
	default:
		t.Pending++
	}
}

// finish turns the accumulators into week results, totals, breakdowns,
// flags and escalations.
func (e *evaluator) finish() {
	r := e.rep
	var all weekAcc
	completeWeeks := 0
	var nt [3]int
	for i := range e.weeks {
		nt[0] += len(e.weeks[i].times[Routing])
		nt[1] += len(e.weeks[i].times[FirstTouch])
		nt[2] += len(e.weeks[i].disp)
	}
	all.times[Routing] = make([]float64, 0, nt[0])
	all.times[FirstTouch] = make([]float64, 0, nt[1])
	all.disp = make([]float64, 0, nt[2])
	for i := range e.weeks {
		w := &e.weeks[i]
		per := e.periods[i]
		complete := !per.End.After(e.opt.AsOf) && (e.opt.From.IsZero() || !per.Start.Before(e.opt.From))
		r.Weeks = append(r.Weeks, WeekReport{Period: per, Complete: complete, MQLs: w.mqls, Results: e.results(w, float64(w.mqls), complete)})
		if complete {
			completeWeeks++
			all.mqls += w.mqls
			all.excluded += w.excluded
			for k := range all.c {
				all.c[k].Kept += w.c[k].Kept
				all.c[k].Broken += w.c[k].Broken
				all.c[k].Pending += w.c[k].Pending
			}
			all.times[Routing] = append(all.times[Routing], w.times[Routing]...)
			all.times[FirstTouch] = append(all.times[FirstTouch], w.times[FirstTouch]...)
			all.disp = append(all.disp, w.disp...)
		}
	}
	if completeWeeks > 0 {
		r.Totals = e.results(&all, float64(all.mqls)/float64(completeWeeks), true)
	} else {
		r.Totals = e.results(&all, 0, true)
		for i := range r.Totals {
			r.Totals[i].Status = NoData
		}
	}
	r.ByRegion, r.ByTimeZone, r.ByOwner = e.region.sorted(), e.zone.sorted(), e.owner.sorted()
	r.Flags = e.flags()
	r.Escalations = e.escalations()
}

func (e *evaluator) results(w *weekAcc, volume float64, complete bool) []Result {
	mk, s := e.p.Marketing, e.p.Sales
	out := make([]Result, 0, len(Commitments))
	for _, c := range Commitments {
		res := Result{Commitment: c, Team: c.Team()}
		t := w.c[c]
		res.Kept, res.Broken, res.Pending = t.Kept, t.Broken, t.Pending
		decided := t.Kept + t.Broken
		if decided > 0 {
			res.Measured = float64(t.Kept) / float64(decided)
		}
		switch c {
		case MQLVolume:
			res.Kept, res.Broken, res.Pending = 0, 0, 0
			res.Measured = volume
			res.Target = float64(mk.MQLVolumePerWeek)
			res.Low, res.High = res.Target*(1-mk.VolumeTolerance), res.Target*(1+mk.VolumeTolerance)
			res.Status = Met
			if volume < res.Low || volume > res.High {
				res.Status = Missed
			}
		case AcceptanceRate:
			res.Target = mk.MinAcceptanceRate
			res.Excluded = w.excluded
			res.Status = verdict(decided, res.Measured >= res.Target)
		case Routing:
			res.Target = mk.RoutingCompliance
			res.Median = medianOf(w.times[Routing])
			res.Status = verdict(decided, res.Measured >= res.Target)
		case FirstTouch:
			res.Target = s.FirstTouchCompliance
			res.Median = medianOf(w.times[FirstTouch])
			res.Status = verdict(decided, res.Measured >= res.Target)
		case Disposition:
			res.Target = s.DispositionCompliance
			res.Median = medianOf(w.disp)
			res.Status = verdict(decided, res.Measured >= res.Target)
		case RejectionReason:
			res.Target = s.RejectionReasonRate
			res.Status = verdict(decided, res.Measured >= res.Target)
		}
		if decided == 0 && t.Pending > 0 {
			res.Status = Pending
		}
		if !complete {
			res.Status = Pending
		}
		out = append(out, res)
	}
	return out
}

func verdict(decided int, ok bool) Status {
	switch {
	case decided == 0:
		return NoData
	case ok:
		return Met
	}
	return Missed
}

// medianOf returns the median of secs (seconds), reordering secs.
func medianOf(secs []float64) time.Duration {
	n := len(secs)
	if n == 0 {
		return 0
	}
	m := selectKth(secs, n/2)
	if n%2 == 0 {
		// The lower middle is the largest value left of n/2.
		m = (m + slices.Max(secs[:n/2])) / 2
	}
	return time.Duration(m * float64(time.Second)).Round(time.Second)
}

// selectKth returns the k-th smallest value of x (0-based), partially
// reordering x so that x[:k] holds values ≤ it (Hoare's quickselect with a
// median-of-three pivot: expected linear time, no allocation).
func selectKth(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		p := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < p {
				i++
			}
			for x[j] > p {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}

// Flag is a red flag the pact raises about itself rather than about a
// team's behaviour.
type Flag struct {
	// Kind is "criteria_review".
	Kind string `json:"kind"`
	// Weeks are the consecutive weeks that raised it.
	Weeks []revalign.Period `json:"weeks"`
	// Rates are the acceptance rates of those weeks.
	Rates []float64 `json:"rates"`
	// Threshold is the minimum acceptance rate.
	Threshold float64 `json:"threshold"`
	// Action says what to do.
	Action string `json:"action"`
}

// FlagCriteriaReview is the kind of the seed's red flag.
const FlagCriteriaReview = "criteria_review"

// flags raises the criteria-review flag for every run of at least
// RedFlag.ConsecutiveWeeks complete weeks with acceptance below the
// minimum. A week with no dispositioned MQL breaks a run.
func (e *evaluator) flags() []Flag {
	var out []Flag
	var run []int
	emit := func() {
		if len(run) >= e.p.RedFlag.ConsecutiveWeeks {
			f := Flag{Kind: FlagCriteriaReview, Threshold: e.p.Marketing.MinAcceptanceRate,
				Action: "revisit the MQL criteria, not the reps"}
			for _, i := range run {
				f.Weeks = append(f.Weeks, e.rep.Weeks[i].Period)
				f.Rates = append(f.Rates, e.rep.Weeks[i].Result(AcceptanceRate).Measured)
			}
			out = append(out, f)
		}
		run = run[:0]
	}
	for i, w := range e.rep.Weeks {
		if w.Complete && w.Result(AcceptanceRate).Status == Missed {
			run = append(run, i)
			continue
		}
		emit()
	}
	emit()
	return out
}

// Escalation is a commitment missed repeatedly, sent to the pact's
// dispute owner.
type Escalation struct {
	// Commitment is the commitment missed again and again.
	Commitment Commitment `json:"commitment"`
	// Team is the team that owes it.
	Team revalign.Team `json:"team"`
	// To is the dispute owner the escalation goes to (Joint.EscalateTo).
	To revalign.Owner `json:"to"`
	// Triggered is the start of the week in which the rule first fired.
	Triggered time.Time `json:"triggered"`
	// Missed are the starts of the missed weeks of the episode.
	Missed []time.Time `json:"missed"`
	// Ongoing is true when the rule still fires in the latest complete
	// week.
	Ongoing bool `json:"ongoing"`
}

// escalations finds, per commitment, the episodes in which the commitment
// was missed in at least MissedWeeks of WindowWeeks consecutive complete
// weeks. An episode is a run of consecutive weeks in which the rule fires;
// it lists the missed weeks of its windows.
func (e *evaluator) escalations() []Escalation {
	var weeks []WeekReport
	for _, w := range e.rep.Weeks {
		if w.Complete {
			weeks = append(weeks, w)
		}
	}
	rule := e.p.Escalation
	var out []Escalation
	for _, c := range Commitments {
		missed := make([]bool, len(weeks))
		for i, w := range weeks {
			missed[i] = w.Result(c).Status == Missed
		}
		var cur *Escalation
		lastEnd := -1 // last week index already listed in cur.Missed
		count := 0
		for i := range weeks {
			if missed[i] {
				count++
			}
			if i >= rule.WindowWeeks && missed[i-rule.WindowWeeks] {
				count--
			}
			if count < rule.MissedWeeks {
				cur = nil
				continue
			}
			if cur == nil {
				out = append(out, Escalation{Commitment: c, Team: c.Team(), To: e.p.Joint.EscalateTo, Triggered: weeks[i].Period.Start})
				cur = &out[len(out)-1]
				lastEnd = -1
			}
			for j := max(i-rule.WindowWeeks+1, lastEnd+1, 0); j <= i; j++ {
				if missed[j] {
					cur.Missed = append(cur.Missed, weeks[j].Period.Start)
				}
			}
			lastEnd = i
			cur.Ongoing = i == len(weeks)-1
		}
	}
	return out
}
