package bowtie

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/stats"
)

// Event is one entity entering a stage of the bowtie, or leaving the bowtie
// from a stage. An entity is whatever moves through the bowtie: an account,
// a lead, an opportunity. Entities may skip stages and may enter stages out
// of order; only an entity's first entry into each stage counts.
type Event struct {
	// Entity identifies what moves through the bowtie, e.g. an account ID.
	Entity string `json:"entity"`
	// Stage is the name of a stage of the model.
	Stage string `json:"stage"`
	// At is when the entity entered the stage (or was lost from it).
	At time.Time `json:"at"`
	// Lost marks an explicit exit: the entity left the bowtie from Stage at
	// At (a lost deal, a churned customer, a disqualified lead). An entity
	// lost from a stage it later moves beyond counts as converted.
	Lost bool `json:"lost,omitempty"`
}

// Options tune [Model.Measure]. The zero value measures without cohorts and
// reports every conversion and time, however small its sample.
type Options struct {
	// Cohort cuts the window into periods of this unit (revalign.Month,
	// revalign.Quarter, …) and reports each transition per period of entry
	// into its first stage. Zero means no cohorts.
	Cohort revalign.Unit `json:"cohort,omitempty"`
	// Calendar cuts the cohorts. Its zero value is calendar months and
	// quarters in UTC.
	Calendar revalign.FiscalCalendar `json:"calendar"`
	// MinSample withholds a conversion whose decided items (converted plus
	// lost) are fewer, and a time whose sample is smaller. Withheld
	// conversions are still reported, flagged, and are not named as leaks.
	MinSample int `json:"min_sample,omitempty"`
}

// Report is the measured bowtie over a window: a volume per stage, a
// conversion and a time per transition, with owners, so that a chart can
// draw it. Entities in a stage at the window's end that are neither lost
// nor past the stage's LostAfterDays are censored: counted as inside, not as
// lost.
type Report struct {
	// Window is the measured period; its end is the as-of instant.
	Window revalign.Period `json:"window"`
	// Stages in model order.
	Stages []StageReport `json:"stages"`
	// Transitions between adjacent stages, in order.
	Transitions []Transition `json:"transitions"`
	// Cohorts per entry period, when Options.Cohort is set.
	Cohorts []Cohort `json:"cohorts,omitempty"`
	// Entities is the number of distinct entities seen.
	Entities int `json:"entities"`
	// Events is the number of events used: the valid ones before the
	// window's end, those before its start included (they give history).
	Events int `json:"events"`
	// AfterWindow is the number of valid events at or after the window's
	// end, which are left out (they had not happened at the as-of
	// instant).
	AfterWindow int `json:"after_window"`
}

// StageReport is one stage as measured: its volume and owners.
type StageReport struct {
	// Name is the stage's name in the model.
	Name string `json:"name"`
	// Side is the stage's side of the bowtie.
	Side Side `json:"side"`
	// Knot marks the last stage of the left side.
	Knot bool `json:"knot,omitempty"`
	// Primary is the stage's primary owner.
	Primary revalign.Owner `json:"primary"`
	// Secondary lists the stage's secondary owners in model order; empty
	// when it has none.
	Secondary []revalign.Owner `json:"secondary,omitempty"`
	// VolumeMetric is the stage's volume metric ID.
	VolumeMetric string `json:"volume_metric"`
	// Volume counts the entities that reached the stage in the window.
	Volume int `json:"volume"`
	// Implied counts those of Volume that reached it without an entry of
	// their own at that time: they skipped it, or entered a later stage
	// first. A skipped stage is passed through at the time of the next
	// stage entered.
	Implied int `json:"implied"`
	// Inside counts those of Volume still in the stage at the window's end
	// and not lost: the censored items (for the last stage, every item).
	Inside int `json:"inside"`
}

// Transition is the conversion from one stage to the next for the entities
// that reached the first stage in the window (the transition's population).
type Transition struct {
	// From names the stage the transition leaves.
	From string `json:"from"`
	// To names the next stage of the model, the one it enters.
	To string `json:"to"`
	// Side is the side of the To stage: the transition out of the knot is
	// the first of the right side.
	Side Side `json:"side"`
	// Owner is the primary owner of the From stage, accountable for moving
	// items on.
	Owner revalign.Owner `json:"owner"`
	// Receiver is the primary owner of the To stage, who takes the items
	// over.
	Receiver revalign.Owner `json:"receiver"`
	// ConversionMetric is the From stage's conversion metric ID, e.g.
	// "CR3".
	ConversionMetric string `json:"conversion_metric"`
	// TimeMetric is the From stage's time metric ID, e.g. "T3".
	TimeMetric string `json:"time_metric"`
	// Counts is the transition's population split by outcome, with the
	// conversion estimate.
	Counts `json:",inline"`
	// Time from entering From to entering To, for the converted entities
	// that entered both stages themselves, in order.
	Time Durations `json:"time"`
}

// Counts splits a transition's population: every entity that reached the
// From stage is exactly one of converted, lost, timed out or censored.
type Counts struct {
	// Entered is the population: entities that reached From in the window.
	Entered int `json:"entered"`
	// Converted reached To (or a later stage) before the window's end.
	Converted int `json:"converted"`
	// Lost were explicitly lost from From.
	Lost int `json:"lost"`
	// TimedOut stayed in From longer than its LostAfterDays.
	TimedOut int `json:"timed_out"`
	// Censored are still in From at the window's end: neither converted
	// nor lost yet.
	Censored int `json:"censored"`
	// Conversion is the estimated share of the population that moves on,
	// with censored items counted for as long as they were observed: the
	// Aalen–Johansen cumulative incidence of conversion (the Kaplan–Meier
	// idea with losses as the competing outcome), a loss by time-out
	// counting at LostAfterDays. With nothing censored it is exactly
	// Converted ÷ (Converted + Lost + TimedOut). Leaving censored items out
	// of that ratio instead would overstate conversion: of the recent
	// entries, only the quick converters could have been seen yet.
	Conversion float64 `json:"conversion"`
	// Withheld is true when fewer items are decided than Options.MinSample
	// (or none): the conversion is not reliable enough to act on.
	Withheld bool `json:"withheld,omitempty"`
}

// Decided returns Converted + Lost + TimedOut.
func (c Counts) Decided() int { return c.Converted + c.Lost + c.TimedOut }

// finish sets the conversion estimate from the population's outcome keys
// (sorted here) and the withheld flag.
func (c *Counts) finish(keys []int64, minSample int) {
	d := c.Decided()
	switch {
	case d == 0:
		c.Conversion = 0
	case c.Censored == 0:
		c.Conversion = float64(c.Converted) / float64(d) // what incidence gives, without rounding
	default:
		slices.Sort(keys)
		c.Conversion = min(max(incidence(keys), 0), 1)
	}
	c.Withheld = d == 0 || d < minSample
}

// Durations summarises times between stages in days.
type Durations struct {
	// N is the number of times measured.
	N int `json:"n"`
	// MeanDays is their mean, in days of 24 hours (to the second).
	MeanDays float64 `json:"mean_days"`
	// MedianDays is their median, in days (linear interpolation).
	MedianDays float64 `json:"median_days"`
	// P75Days is their 75th percentile, in days (linear interpolation).
	P75Days float64 `json:"p75_days"`
	// Withheld is true when N is below Options.MinSample (or zero); the
	// statistics are then zero.
	Withheld bool `json:"withheld,omitempty"`
}

// Cohort is the transitions of the entities that entered each transition's
// From stage in one period.
type Cohort struct {
	// Period is the entry period, cut by Options.Calendar in units of
	// Options.Cohort.
	Period revalign.Period `json:"period"`
	// Transitions holds one entry per transition of the model, in bowtie
	// order; a transition nobody entered in the period has zero counts
	// and is withheld.
	Transitions []CohortCounts `json:"transitions"`
}

// CohortCounts is one transition within a cohort.
type CohortCounts struct {
	// From names the stage the transition leaves.
	From string `json:"from"`
	// To names the stage it enters.
	To string `json:"to"`
	// Counts is the cohort's population of the transition split by
	// outcome, with its conversion estimate.
	Counts `json:",inline"`
}

// CompoundConversion returns the product of the conversions from stage
// from to stage to (from before to): conversions multiply, volumes add. The
// product from the first stage to the knot is the win rate the bowtie
// implies.
func (r Report) CompoundConversion(from, to string) (float64, error) {
	i, j := -1, -1
	for k, s := range r.Stages {
		if s.Name == from {
			i = k
		}
		if s.Name == to {
			j = k
		}
	}
	if i < 0 || j < 0 || i >= j {
		return 0, &revalign.FieldError{Pkg: "bowtie", Path: "stages", Value: from + " → " + to, Reason: "need two stages of the report, the first before the second"}
	}
	p := 1.0
	for _, t := range r.Transitions[i:j] {
		p *= t.Conversion
	}
	return p, nil
}

// unixNano range that time.Time.UnixNano represents exactly.
var (
	minTime = time.Unix(0, math.MinInt64+1)
	maxTime = time.Unix(0, math.MaxInt64-1)
)

const never = math.MaxInt64

// Measure measures the bowtie over window from stage-entry events: the
// volume of each stage, the conversion and time of each transition, and,
// with opts.Cohort, the same per entry period.
//
// Events before the window establish history (an entity that entered
// Selection last year and was won this month converts in this window's
// Commit volume, not in its Selection volume); events at or after the
// window's end are left out and counted in AfterWindow. An entity reaches a
// stage when it enters it or any later stage; its time of reaching a stage
// is the earliest of those entries, so skipped stages are passed through.
// The population of a transition is the entities that reached its From
// stage within the window.
//
// Events with an empty entity, an unknown stage or no time are returned as
// record errors (ID: the entity) and left out; so is a lost event for a
// stage the entity never reached. The error is non-nil only for an invalid
// model, window or options.
func (m Model) Measure(events []Event, window revalign.Period, opts Options) (Report, []revalign.RecordError, error) {
	periods, err := m.checkMeasure(window, opts)
	if err != nil {
		return Report{}, nil, err
	}
	rep := Report{Window: window}
	h, errs := m.collect(events, window.End.UnixNano(), &rep)
	t := m.tally(h, window, periods)
	if t.badLost {
		errs = append(errs, h.lostErrors(events, m, window.End.UnixNano())...)
	}
	m.finish(&rep, t, periods, opts.MinSample)
	return rep, errs, nil
}

// checkMeasure validates Measure's arguments and returns the cohort periods.
func (m Model) checkMeasure(window revalign.Period, opts Options) ([]revalign.Period, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := checkWindow(window); err != nil {
		return nil, err
	}
	if opts.Cohort == 0 {
		return nil, nil
	}
	if err := opts.Calendar.Validate(); err != nil {
		return nil, err
	}
	if opts.Cohort < revalign.Week || opts.Cohort > revalign.Year {
		return nil, &revalign.FieldError{Pkg: "bowtie", Path: "cohort", Value: int(opts.Cohort), Reason: "unknown unit"}
	}
	periods := opts.Calendar.Periods(opts.Cohort, window.Start, window.End)
	if len(periods) > maxCohorts {
		return nil, &revalign.FieldError{Pkg: "bowtie", Path: "cohort", Value: opts.Cohort.String(), Reason: fmt.Sprintf("window holds %d periods, more than %d", len(periods), maxCohorts)}
	}
	return periods, nil
}

// history is every entity's earliest entry into and loss from each stage:
// first[e*k+s] and lostAt[e*k+s], never when there is none.
type history struct {
	k      int
	ids    map[string]int32
	first  []int64
	lostAt []int64
}

// collect reads the events before end into a history, counting them in rep
// and reporting the bad ones.
func (m Model) collect(events []Event, end int64, rep *Report) (history, []revalign.RecordError) {
	k := len(m.Stages)
	stageOf := make(map[string]int, k)
	for i, s := range m.Stages {
		stageOf[s.Name] = i
	}
	hint := min(len(events), 1<<20)*k/4 + k
	h := history{k: k, ids: make(map[string]int32, min(len(events)/4+16, 1<<20)),
		first: make([]int64, 0, hint), lostAt: make([]int64, 0, hint)}
	var errs []revalign.RecordError
	for i := range events {
		ev := &events[i]
		s, ok := stageOf[ev.Stage]
		switch {
		case ev.Entity == "":
			errs = append(errs, recordErr(ev.Entity, i, "entity", nil, "entity ID is empty"))
			continue
		case !ok:
			errs = append(errs, recordErr(ev.Entity, i, "stage", ev.Stage, "unknown stage"))
			continue
		case !timeOK(ev.At):
			errs = append(errs, recordErr(ev.Entity, i, "at", ev.At.String(), "time is missing or out of range"))
			continue
		}
		t := ev.At.UnixNano()
		if t >= end {
			rep.AfterWindow++
			continue
		}
		rep.Events++
		e, seen := h.ids[ev.Entity]
		if !seen {
			e = int32(len(h.ids))
			h.ids[ev.Entity] = e
			for range k {
				h.first = append(h.first, never)
				h.lostAt = append(h.lostAt, never)
			}
		}
		p := &h.first[int(e)*k+s]
		if ev.Lost {
			p = &h.lostAt[int(e)*k+s]
		}
		*p = min(*p, t)
	}
	rep.Entities = len(h.ids)
	return h, errs
}

// tallies are the counts of a Measure before the conversions are estimated.
type tallies struct {
	stages []StageReport
	counts []Counts // per transition
	cohort []Counts // per cohort period × transition
	// keys holds one outcome key (see outcomeKey) per entity of each
	// transition's population: transition s's are keys[s*n : s*n+counts[s].Entered].
	keys    []int64
	n       int
	badLost bool
}

// tally classifies every entity of every transition's population.
func (m Model) tally(h history, window revalign.Period, periods []revalign.Period) tallies {
	k, nt, n := h.k, h.k-1, len(h.ids)
	start, end := window.Start.UnixNano(), window.End.UnixNano()
	starts := make([]int64, len(periods))
	for i, p := range periods {
		starts[i] = p.Start.UnixNano()
	}
	lostAfter, required := make([]int64, k), make([]bool, k)
	for i, s := range m.Stages {
		lostAfter[i], required[i] = int64(s.LostAfterDays)*int64(24*time.Hour), s.Required
	}
	t := tallies{stages: make([]StageReport, k), counts: make([]Counts, nt),
		cohort: make([]Counts, len(periods)*nt), keys: make([]int64, n*nt), n: n}
	reach := make([]int64, k)
	for e := range n {
		row, lost := h.first[e*k:e*k+k], h.lostAt[e*k:e*k+k]
		later := int64(never) // earliest entry into this stage or a later one
		for s := k - 1; s >= 0; s-- {
			later = min(later, row[s])
			reach[s] = later
			if required[s] {
				reach[s] = row[s]
			}
		}
		for s := range k {
			if lost[s] != never && !enteredFrom(row, s) {
				t.badLost = true
			}
			r := reach[s]
			if r < start || r >= end {
				continue
			}
			st := &t.stages[s]
			st.Volume++
			if row[s] != r {
				st.Implied++
			}
			if s == nt {
				st.Inside++
				continue
			}
			o, age := decide(r, reach[s+1], lost[s], lostAfter[s], end)
			// The time between stages is measured for entities that entered
			// both stages themselves, in order.
			timed := o == converted && row[s] == r && row[s+1] == reach[s+1] && reach[s+1] >= r
			key := outcomeKey(o, age, timed)
			if periods != nil {
				p, _ := slices.BinarySearch(starts, r+1)
				tally(&t.cohort[(p-1)*nt+s], o)
				key |= int64(p-1) << cohortShift
			}
			t.keys[s*n+t.counts[s].Entered] = key
			tally(&t.counts[s], o)
			if o == censored {
				st.Inside++
			}
		}
	}
	return t
}

// finish fills the report from the tallies: stages with owners, cohorts,
// and each transition's conversion estimate and times.
func (m Model) finish(rep *Report, t tallies, periods []revalign.Period, minSample int) {
	nt := len(t.counts)
	knot := m.Knot()
	for i, s := range m.Stages {
		st := &t.stages[i]
		st.Name, st.Side, st.Knot = s.Name, s.Side, i == knot
		st.Primary, st.Secondary, st.VolumeMetric = s.Primary(), s.Secondary(), s.Metrics.Volume
	}
	rep.Stages = t.stages
	for p, per := range periods {
		co := Cohort{Period: per, Transitions: make([]CohortCounts, nt)}
		for i := range nt {
			co.Transitions[i] = CohortCounts{From: m.Stages[i].Name, To: m.Stages[i+1].Name, Counts: t.cohort[p*nt+i]}
			co.Transitions[i].finish(nil, minSample) // estimated below when the cohort has entities
		}
		rep.Cohorts = append(rep.Cohorts, co)
	}
	rep.Transitions = make([]Transition, nt)
	var days []float64
	for i := range nt {
		from, to := m.Stages[i], m.Stages[i+1]
		keys := t.keys[i*t.n : i*t.n+t.counts[i].Entered]
		slices.Sort(keys)
		if periods != nil {
			// Each cohort's keys are contiguous; then strip the cohort and
			// sort by age alone for the whole population.
			for rest := keys; len(rest) > 0; {
				p := rest[0] >> cohortShift
				j, _ := slices.BinarySearch(rest, (p+1)<<cohortShift)
				rep.Cohorts[p].Transitions[i].finish(rest[:j], minSample)
				rest = rest[j:]
			}
			for j := range keys {
				keys[j] &= 1<<cohortShift - 1
			}
			slices.Sort(keys)
		}
		c := t.counts[i]
		c.finish(keys, minSample)
		days = timedDays(keys, days[:0])
		sum := stats.Summarize(days, max(minSample, 1))
		rep.Transitions[i] = Transition{
			From: from.Name, To: to.Name, Side: to.Side,
			Owner: from.Primary(), Receiver: to.Primary(),
			ConversionMetric: from.Metrics.Conversion, TimeMetric: from.Metrics.Time,
			Counts: c,
			Time:   Durations{N: sum.N, MeanDays: sum.Mean, MedianDays: sum.Median, P75Days: sum.P75, Withheld: sum.Withheld},
		}
	}
}

// maxCohorts bounds the cohort periods of one Measure (the cohort index
// shares a key with the age).
const (
	cohortShift = 48
	maxCohorts  = 1 << 14
)

type outcome uint8

// The outcomes, in the order ties of equal age are processed: events
// before censoring.
const (
	converted outcome = iota
	lostOutcome
	timedOut
	censored
)

// decide classifies an entity that reached a stage at r, and returns the
// age (time in the stage) at which its outcome was observed: converted when
// it reached the next stage (at next, before end), lost when it was lost
// from the stage (at lost), timed out when it stayed longer than lostAfter
// (its loss counts at lostAfter), censored otherwise (at its age at end).
func decide(r, next, lost, lostAfter, end int64) (outcome, int64) {
	switch {
	case next < end:
		return converted, max(next-r, 0) // a Required next stage may be entered after later ones
	case lost < end:
		return lostOutcome, max(lost-r, 0)
	case lostAfter > 0 && end-r > lostAfter:
		return timedOut, lostAfter
	}
	return censored, end - r
}

// enteredFrom reports whether row has an entry into stage s or a later one.
func enteredFrom(row []int64, s int) bool {
	for _, t := range row[s:] {
		if t != never {
			return true
		}
	}
	return false
}

// An outcome key packs, from the high bits down, the cohort index, the
// age in seconds, the kind (0 converted, 1 lost or timed out, 2 censored:
// sorted keys of equal age put events before censoring, as the estimator
// needs) and whether a conversion is timed.
const (
	ageShift = 3
	ageMask  = 1<<(cohortShift-ageShift) - 1
)

func outcomeKey(o outcome, age int64, timed bool) int64 {
	kind := int64(o)
	if o == timedOut {
		kind = int64(lostOutcome)
	} else if o == censored {
		kind = 2
	}
	key := (age/int64(time.Second))<<ageShift | kind<<1
	if timed {
		key |= 1
	}
	return key
}

func keyAge(k int64) int64    { return k >> ageShift & ageMask }
func keyKind(k int64) outcome { return outcome(k >> 1 & 3) }
func keyTimed(k int64) bool   { return k&1 == 1 }

// timedDays appends to dst, in order, the ages in days of the timed
// conversions among sorted keys.
func timedDays(keys []int64, dst []float64) []float64 {
	for _, k := range keys {
		if keyKind(k) == converted && keyTimed(k) {
			dst = append(dst, float64(keyAge(k))/86400)
		}
	}
	return dst
}

// incidence estimates, from sorted outcome keys, the share of entities that
// convert: the Aalen–Johansen cumulative incidence of conversion with losses
// as the competing event and censored entities at risk until their age.
// Without censored entities it equals converted ÷ all.
func incidence(keys []int64) float64 {
	n := len(keys)
	surv, cif := 1.0, 0.0
	for i := 0; i < n; {
		age := keyAge(keys[i])
		var conv, lost int
		j := i
		for ; j < n && keyAge(keys[j]) == age; j++ {
			switch keyKind(keys[j]) {
			case converted:
				conv++
			case lostOutcome:
				lost++
			}
		}
		atRisk := float64(n - i)
		cif += surv * float64(conv) / atRisk
		surv *= 1 - float64(conv+lost)/atRisk
		i = j
	}
	return cif
}

func tally(c *Counts, o outcome) {
	c.Entered++
	switch o {
	case converted:
		c.Converted++
	case lostOutcome:
		c.Lost++
	case timedOut:
		c.TimedOut++
	default:
		c.Censored++
	}
}

// lostErrors finds, on the rare slow path, the lost events (before end)
// for stages their entity never entered, nor any later stage.
func (h history) lostErrors(events []Event, m Model, end int64) []revalign.RecordError {
	var errs []revalign.RecordError
	for i := range events {
		ev := &events[i]
		e, ok := h.ids[ev.Entity]
		s := m.Index(ev.Stage)
		if !ev.Lost || !ok || s < 0 || !timeOK(ev.At) || ev.At.UnixNano() >= end {
			continue
		}
		if !enteredFrom(h.first[int(e)*h.k:int(e)*h.k+h.k], s) {
			errs = append(errs, recordErr(ev.Entity, i, "stage", ev.Stage, "lost from a stage it never reached"))
		}
	}
	return errs
}

// recordErr reports record i of a batch; a record without an ID is named
// by its position ("record 12").
func recordErr(id string, i int, path string, value any, reason string) revalign.RecordError {
	if strings.TrimSpace(id) == "" {
		id = fmt.Sprintf("record %d", i)
	}
	return revalign.RecordError{ID: id, Err: &revalign.FieldError{Pkg: "bowtie", Path: path, Value: value, Reason: reason}}
}

func timeOK(t time.Time) bool { return !t.IsZero() && !t.Before(minTime) && !t.After(maxTime) }

func checkWindow(w revalign.Period) error {
	if w.Start.IsZero() || w.End.IsZero() || !w.End.After(w.Start) {
		return &revalign.FieldError{Pkg: "bowtie", Path: "window", Value: w.String(), Reason: "need a start before the end"}
	}
	if w.Start.Before(minTime) || w.End.After(maxTime) {
		return &revalign.FieldError{Pkg: "bowtie", Path: "window", Value: w.String(), Reason: "out of range (years 1678–2262)"}
	}
	return nil
}
