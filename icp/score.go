package icp

import (
	"fmt"
	"time"

	"github.com/revalign/revalign"
)

// Result is a lead's score: fit, engagement and total, the tier, the grid
// cell, the demand state its engagement signals, and whether a hard
// disqualifier fired.
//
// A disqualified lead keeps its Fit, Engagement and explanation (what it
// would have scored) but has a Total of 0, the disqualified tier as its
// Tier and Cell, and no DemandState.
//
// Points are kept to a hundredth of a point, so that an explanation (Log)
// adds up exactly: the entries of the firmographic and technographic groups
// sum to Fit, those of the behavioural group to Engagement, and all entries
// to Total (compare them in hundredths, math.Round(p*100)).
type Result struct {
	// ID is the record's ID.
	ID string `json:"id"`
	// Fit is the firmographic plus the technographic score, each group
	// floored at 0 and capped.
	Fit float64 `json:"fit"`
	// Firmographic is the firmographic part of Fit, floored and capped.
	Firmographic float64 `json:"firmographic"`
	// Technographic is the technographic part of Fit, floored and capped.
	Technographic float64 `json:"technographic"`
	// Engagement is the behavioural score, floored at 0 and capped.
	Engagement float64 `json:"engagement"`
	// Total is Fit plus Engagement, or Fit alone while the fit gate is
	// closed; 0 for a disqualified lead.
	Total float64 `json:"total"`
	// Tier is the tier of Total, or the model's DisqualifiedTier.
	Tier string `json:"tier"`
	// Cell is the grid cell, fit letter + engagement digit ("A1"), or the
	// model's DisqualifiedTier for a disqualified lead: disqualifiers
	// override any score, so a disqualified lead is in no cell of the grid,
	// whatever its Fit and Engagement.
	Cell string `json:"cell"`
	// DemandState is the state the engagement score signals; "" when the
	// model maps none, and for a disqualified lead, which is not demand
	// whatever its engagement.
	DemandState string `json:"demand_state,omitempty"`
	// Gated is true when the fit gate held engagement out of Total.
	Gated bool `json:"gated,omitempty"`
	// Disqualified is true when a hard disqualifier fired.
	Disqualified bool `json:"disqualified,omitempty"`
	// DisqualifiedBy is the ID of the disqualifier that fired (the first,
	// in model order), or "".
	DisqualifiedBy string `json:"disqualified_by,omitempty"`
	// Unknown counts the fit criteria that could not be evaluated because
	// the lead lacks the attribute.
	Unknown int `json:"unknown,omitempty"`
	// Log explains the score, one entry per criterion and signal plus the
	// adjustments (caps, floors, the gate, a disqualifier). It is filled by
	// [Model.Score] and [Scorer.Explain], not by [Scorer.Score].
	Log []Entry `json:"log,omitempty"`
}

// Entry is one line of a score's explanation.
type Entry struct {
	// Group the points count toward; adjustments of the total (the gate, a
	// disqualifier) are in group Total.
	Group Group `json:"group"`
	// ID of the criterion, signal or disqualifier; empty for caps and
	// floors, which concern the whole group.
	ID string `json:"id,omitempty"`
	// Status says what happened.
	Status Status `json:"status"`
	// Points added to (or, for adjustments, subtracted from) the group.
	Points float64 `json:"points"`
	// Events is the number of events a signal counted.
	Events int `json:"events,omitempty"`
}

// String formats the entry as "firmographic industry_core matched +20".
func (e Entry) String() string {
	s := fmt.Sprintf("%s %s %s %+g", e.Group, e.ID, e.Status, e.Points)
	if e.ID == "" {
		s = fmt.Sprintf("%s %s %+g", e.Group, e.Status, e.Points)
	}
	if e.Status == Counted {
		s += fmt.Sprintf(" (%d events)", e.Events)
	}
	return s
}

// Score scores one lead as of asOf, with its explanation in Result.Log. It
// compiles the model against the lead's fields on every call: the
// convenience path for one-off calls. To score many leads, compile once
// ([Model.Compile]) and score [Record] values.
//
// An invalid model, an attribute of a kind a criterion cannot read (an
// employee count given as text), an event the model counts with a zero
// time, or a zero asOf is an error.
func (m Model) Score(lead Lead, asOf time.Time) (Result, error) {
	s, err := m.Compile(m.Fields())
	if err != nil {
		return Result{}, err
	}
	return s.Explain(s.schema.Record(lead), asOf, nil)
}

// Score scores r as of asOf: events after asOf do not count. It allocates
// nothing. Result.Log is left nil; use [Scorer.Explain] for the explanation.
//
// A record whose Values do not match the schema's length, whose attribute
// is of a kind a criterion cannot read, or whose event of a type the model
// counts has a zero time (its age would be unknown: counted at full points
// forever by a signal without decay), is an error matching
// revalign.ErrInvalid; so is a zero asOf, which would count no event.
// Events of types no signal counts are not read.
func (s *Scorer) Score(r Record, asOf time.Time) (Result, error) {
	var res Result
	err := s.score(&r, asOf, &res, nil, nil)
	return res, err
}

// Explain is [Scorer.Score] with the explanation: the entries are appended
// to buf[:0] and returned in Result.Log, so that passing the previous
// result's Log as buf scores without allocating.
func (s *Scorer) Explain(r Record, asOf time.Time, buf []Entry) (Result, error) {
	res := Result{Log: buf[:0]}
	if err := s.score(&r, asOf, &res, &res.Log, nil); err != nil {
		return Result{ID: r.ID, Log: buf[:0]}, err
	}
	return res, nil
}

// ScoreBatch scores recs as of asOf into dst, grown to len(recs) when it is
// shorter, and returns it: dst[i] is the result of recs[i]. A bad record is
// reported in the returned errors, in record order, with its ID and, as the
// error's [BatchError], its index in recs; its result is left with only the
// ID set, while the others are scored. A zero asOf makes every record an
// error. Reusing dst, a batch without bad records allocates nothing.
//
// ScoreBatch runs on the calling goroutine; to use every core, split recs
// and dst into chunks and score each chunk on its own goroutine, with the
// same Scorer.
func (s *Scorer) ScoreBatch(recs []Record, asOf time.Time, dst []Result) ([]Result, []revalign.RecordError) {
	if cap(dst) < len(recs) {
		dst = make([]Result, len(recs))
	}
	dst = dst[:len(recs)]
	var errs []revalign.RecordError
	for i := range recs {
		dst[i] = Result{}
		if err := s.score(&recs[i], asOf, &dst[i], nil, nil); err != nil {
			dst[i] = Result{ID: recs[i].ID}
			errs = append(errs, batchError(recs[i].ID, i, err))
		}
	}
	return dst, errs
}

// BatchError is the Err of each record error [Scorer.ScoreBatch] and
// [Scorer.Calibrate] return: the record's index in the batch and what is
// wrong with it. IDs may be empty or repeated; the index is what matches an
// error back to its record:
//
//	results, errs := scorer.ScoreBatch(recs, asOf, results)
//	for _, e := range errs {
//		var be *icp.BatchError
//		if errors.As(e, &be) {
//			quarantine(recs[be.Index], e)
//		}
//	}
type BatchError struct {
	// Index is the record's position in the batch: recs[Index] of
	// ScoreBatch, data[Index] of Calibrate.
	Index int
	// Err is what is wrong with the record; it matches revalign.ErrInvalid.
	Err error
}

// Error returns Err's message: the record error around a BatchError
// already names the record ("record L3: icp: employee_count: …"), and the
// index is for programs.
func (e *BatchError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *BatchError) Unwrap() error { return e.Err }

// batchError reports the i-th record of a batch, with its ID or, when it
// has none, "record i".
func batchError(id string, i int, err error) revalign.RecordError {
	return revalign.RecordError{ID: recordID(id, i), Err: &BatchError{Index: i, Err: err}}
}

func recordID(id string, i int) string {
	if id != "" {
		return id
	}
	return fmt.Sprintf("record %d", i)
}

// clock measures the age of events in days as of one instant, from Unix
// seconds and nanoseconds (cheaper than time.Time.Sub, and defined for any
// date). A future event has a negative age.
type clock struct {
	sec  int64
	nsec int32
}

func newClock(asOf time.Time) clock { return clock{asOf.Unix(), int32(asOf.Nanosecond())} }

func (c clock) of(t time.Time) float64 {
	ds, dn := c.sec-t.Unix(), c.nsec-int32(t.Nanosecond())
	if ds == 0 {
		if dn < 0 {
			return -1 // after asOf, however slightly
		}
		return float64(dn) * (1.0 / 86400e9)
	}
	return (float64(ds) + float64(dn)*1e-9) * (1.0 / 86400)
}

// score computes r's result into res. When log is not nil it appends the
// explanation; when feats is not nil (len = criteria + signals) it writes
// the calibration features: 1 for a fit criterion that holds, else 0, and a
// signal's decayed event count, capped at cap/|points|.
func (s *Scorer) score(r *Record, asOf time.Time, res *Result, log *[]Entry, feats []float64) error {
	res.ID = r.ID
	if asOf.IsZero() {
		return errZeroAsOf
	}
	if len(r.Values) != len(s.schema) {
		return &revalign.FieldError{Pkg: "icp", Path: "values", Value: len(r.Values),
			Reason: fmt.Sprintf("record has %d values, schema has %d fields", len(r.Values), len(s.schema))}
	}

	// Fields read by several in/not_in conditions are looked up once.
	var masks [maxGroups]uint64
	for g := range s.groups {
		masks[g] = s.groups[g].mask(&r.Values[s.groups[g].field])
	}

	// Fit: every criterion, group by group.
	firmo, err := s.fit(r, 0, s.nFirmo, &masks, res, log, feats)
	if err != nil {
		return err
	}
	techno, err := s.fit(r, s.nFirmo, len(s.criteria), &masks, res, log, feats)
	if err != nil {
		return err
	}
	firmo = s.bound(firmo, s.capFirmo, Firmographic, log)
	techno = s.bound(techno, s.capTechno, Technographic, log)
	fit := firmo + techno

	behav, err := s.engagement(r, asOf, log, feats)
	if err != nil {
		return err
	}
	behav = s.bound(behav, s.capBehav, Behavioural, log)

	// Disqualifiers override any score.
	dq := -1
	for i := range s.dq {
		o, err := s.dq[i].eval(&r.Values[s.dq[i].field], &masks)
		if err != nil {
			return err
		}
		if o == holds {
			dq = i
			break
		}
	}

	total := fit + behav
	gated := s.gate && fit < s.minFit
	if gated {
		total = fit
		if log != nil && behav != 0 {
			*log = append(*log, Entry{Group: Total, ID: "fit_gate", Status: Gated, Points: points(-behav)})
		}
	}
	if dq >= 0 {
		if log != nil {
			*log = append(*log, Entry{Group: Total, ID: s.dq[dq].id, Status: Disqualified, Points: points(-total)})
		}
		total = 0
	}

	res.Fit, res.Engagement, res.Total = points(fit), points(behav), points(total)
	res.Firmographic, res.Technographic = points(firmo), points(techno)
	res.Gated = gated
	if dq >= 0 {
		// Disqualifiers override any score: no tier, cell or demand state
		// from the points.
		res.Disqualified, res.DisqualifiedBy = true, s.dq[dq].id
		res.Tier, res.Cell, res.DemandState = s.dqTier, s.dqTier, ""
		return nil
	}
	res.Tier = s.tiers[bandOf(s.tiers, total)].label
	res.Cell = s.cells[bandOf(s.fitBands, fit)][bandOf(s.engBands, behav)]
	if len(s.states) > 0 {
		res.DemandState = s.states[bandOf(s.states, behav)].label
	}
	return nil
}

// fit sums the hundredths of criteria [from, to), counting unknowns in res
// and writing features and explanation entries when asked.
func (s *Scorer) fit(r *Record, from, to int, masks *[maxGroups]uint64, res *Result, log *[]Entry, feats []float64) (int64, error) {
	var sum int64
	for i := from; i < to; i++ {
		c := &s.criteria[i]
		o, err := c.eval(&r.Values[c.field], masks)
		if err != nil {
			return 0, err
		}
		var pts int64
		st := Missed
		switch o {
		case holds:
			pts, st = c.points, Matched
			sum += pts
		case unknown:
			st = Unknown
			res.Unknown++
		}
		if feats != nil {
			feats[i] = 0
			if o == holds {
				feats[i] = 1
			}
		}
		if log != nil {
			*log = append(*log, Entry{Group: c.group, ID: c.id, Status: st, Points: points(pts)})
		}
	}
	return sum, nil
}

// engagement sums the signals' capped hundredths: each event adds its
// decayed points to the signals of its type. The accumulators live on the
// stack for models of up to stackSignals signals; larger models take one
// pass over the events per signal. An event of a counted type with a zero
// time is an error.
func (s *Scorer) engagement(r *Record, asOf time.Time, log *[]Entry, feats []float64) (int64, error) {
	var behav int64
	ages := newClock(asOf)
	if !s.perSignal {
		var acc [stackSignals]struct {
			occ float64 // decayed event count
			n   int32   // events counted
		}
		for e := range r.Events {
			ev := &r.Events[e]
			t := s.lookupType(ev.Type)
			if t < 0 {
				continue
			}
			if ev.At.IsZero() {
				return 0, zeroEventError(e, ev)
			}
			age := ages.of(ev.At)
			for _, j := range s.typeSigs[t] {
				if w := s.signals[j].weight(age); w > 0 {
					acc[j].occ += w
					acc[j].n++
				}
			}
		}
		for j := range s.signals {
			if acc[j].n == 0 && log == nil {
				if feats != nil {
					feats[len(s.criteria)+j] = 0
				}
				continue
			}
			behav += s.signalPoints(j, acc[j].occ, int(acc[j].n), log, feats)
		}
	} else {
		for j := range s.signals {
			var occ float64
			var cnt int
			for e := range r.Events {
				ev := &r.Events[e]
				if t := s.lookupType(ev.Type); t < 0 || !containsInt(s.typeSigs[t], j) {
					continue
				}
				if ev.At.IsZero() {
					return 0, zeroEventError(e, ev)
				}
				if w := s.signals[j].weight(ages.of(ev.At)); w > 0 {
					occ += w
					cnt++
				}
			}
			behav += s.signalPoints(j, occ, cnt, log, feats)
		}
	}
	return behav, nil
}

// errZeroAsOf is the error of scoring as of the zero time, which would
// count no event (every event would be in the future).
var errZeroAsOf error = &revalign.FieldError{Pkg: "icp", Path: "as_of",
	Reason: "scoring needs the instant to score as of, not the zero time.Time"}

// zeroEventError reports event e of a record, of a type the model counts,
// with a zero time: its age would be two thousand years, or forever full
// points on a signal without decay.
func zeroEventError(e int, ev *Event) error {
	return &revalign.FieldError{Pkg: "icp", Path: revalign.Index("events", e) + ".at",
		Reason: fmt.Sprintf("%q event needs a time, not the zero time.Time", ev.Type)}
}

// stackSignals is the number of signals whose accumulators fit on the stack;
// a model with more is scored one signal at a time (Scorer.perSignal).
const stackSignals = 32

// signalPoints turns signal j's decayed event count into capped
// hundredths, logs it and writes its feature.
func (s *Scorer) signalPoints(j int, occ float64, n int, log *[]Entry, feats []float64) int64 {
	sg := &s.signals[j]
	sum := occ * sg.points
	if sg.cap > 0 {
		if sum > sg.cap {
			sum = sg.cap
		} else if sum < -sg.cap {
			sum = -sg.cap
		}
	}
	h := hundredths(sum)
	if feats != nil {
		if occ > sg.maxOccs {
			occ = sg.maxOccs
		}
		feats[len(s.criteria)+j] = occ
	}
	if log != nil {
		*log = append(*log, Entry{Group: Behavioural, ID: sg.id, Status: Counted, Points: points(h), Events: n})
	}
	return h
}

// weight returns the share of its points an event of the given age (in
// days) still carries: 0 for a future event or one past the lifespan.
func (sg *signal) weight(age float64) float64 {
	if age < 0 || age >= sg.life {
		return 0
	}
	switch sg.kind {
	case DecayHalfLife:
		return pow2neg(age * sg.invHalf)
	case DecayLinear:
		return 1 - age*sg.invLife
	}
	return 1
}

// bound floors a group's hundredths at 0 and caps them, logging the
// adjustment.
func (s *Scorer) bound(h, capH int64, g Group, log *[]Entry) int64 {
	switch {
	case h < 0:
		if log != nil {
			*log = append(*log, Entry{Group: g, Status: Floored, Points: points(-h)})
		}
		return 0
	case h > capH:
		if log != nil {
			*log = append(*log, Entry{Group: g, Status: Capped, Points: points(capH - h)})
		}
		return capH
	}
	return h
}

// bandOf returns the index of the first band whose threshold h reaches; the
// last band starts at 0 and h is never negative.
func bandOf(bs []band, h int64) int {
	for i := range bs {
		if h >= bs[i].min {
			return i
		}
	}
	return len(bs) - 1
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Group is the group an explanation entry counts toward. In JSON it is text:
// "firmographic", "technographic", "behavioural", "total".
type Group uint8

// The groups. Firmographic and Technographic make up fit, Behavioural is
// engagement, Total holds the adjustments of the total (gate,
// disqualifier).
const (
	groupUnset Group = iota
	Firmographic
	Technographic
	Behavioural
	Total
)

var groupNames = []string{Firmographic: "firmographic", Technographic: "technographic", Behavioural: "behavioural", Total: "total"}

// String returns the group's JSON name.
func (g Group) String() string { return enumString(groupNames, int(g), "Group") }

// MarshalText returns the group's JSON name.
func (g Group) MarshalText() ([]byte, error) { return enumMarshal(groupNames, int(g), "group") }

// UnmarshalText parses a group's JSON name.
func (g *Group) UnmarshalText(text []byte) error {
	i, err := enumParse(groupNames, text, "group")
	*g = Group(i)
	return err
}

// Status says what an explanation entry records. In JSON it is text.
type Status uint8

// The statuses of an explanation entry.
const (
	statusUnset Status = iota
	// Matched: the criterion holds; its points count.
	Matched
	// Missed: the criterion does not hold; no points.
	Missed
	// Unknown: the lead lacks the attribute; no points, and not a miss.
	Unknown
	// Counted: a signal's decayed, capped points from its events.
	Counted
	// Capped: the group's points exceeded its cap; the entry takes the
	// excess off.
	Capped
	// Floored: the group's points were negative; the entry brings them back
	// to 0.
	Floored
	// Gated: fit is below the gate; the entry takes engagement off the
	// total.
	Gated
	// Disqualified: a hard disqualifier fired; the entry takes the whole
	// total off.
	Disqualified
)

var statusNames = []string{Matched: "matched", Missed: "missed", Unknown: "unknown", Counted: "counted",
	Capped: "capped", Floored: "floored", Gated: "gated", Disqualified: "disqualified"}

// String returns the status's JSON name.
func (s Status) String() string { return enumString(statusNames, int(s), "Status") }

// MarshalText returns the status's JSON name.
func (s Status) MarshalText() ([]byte, error) { return enumMarshal(statusNames, int(s), "status") }

// UnmarshalText parses a status's JSON name.
func (s *Status) UnmarshalText(text []byte) error {
	i, err := enumParse(statusNames, text, "status")
	*s = Status(i)
	return err
}
