package velocity

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/stats"
)

// Stages is a sales process: the open stages in order and the names of the
// two closing stages.
type Stages struct {
	// Open lists the open stages in process order, at least one.
	// Stage names are unique and matched case-insensitively.
	Open []string `json:"open"`
	// Won names the closing stage of a won deal, e.g. "Closed Won".
	Won string `json:"won"`
	// Lost names the closing stage of a lost deal, e.g. "Closed Lost".
	Lost string `json:"lost"`
}

// DefaultStages returns Discovery, Evaluation, Proposal, Negotiation, then
// Closed Won or Closed Lost.
func DefaultStages() Stages {
	return Stages{Open: []string{"Discovery", "Evaluation", "Proposal", "Negotiation"}, Won: "Closed Won", Lost: "Closed Lost"}
}

// Validate reports an empty process, blank or repeated stage names.
func (s Stages) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(len(s.Open) > 0, "open", nil, "needs at least one open stage")
	seen := map[string]bool{}
	for i, name := range append(slices.Clip(s.Open), s.Won, s.Lost) {
		path := revalign.Index("open", i)
		switch i {
		case len(s.Open):
			path = "won"
		case len(s.Open) + 1:
			path = "lost"
		}
		key := strings.ToLower(strings.TrimSpace(name))
		if v.Check(key != "", path, name, "must not be blank") {
			v.Check(!seen[key], path, name, "repeats a stage")
		}
		seen[key] = true
	}
	return v.Err()
}

// index returns the position of an open stage, len(Open) for the won
// stage, -1 for the lost stage and -2 for an unknown name.
func (s Stages) index(name string) int {
	for i, o := range s.Open {
		if strings.EqualFold(o, name) {
			return i
		}
	}
	switch {
	case strings.EqualFold(s.Won, name):
		return len(s.Open)
	case strings.EqualFold(s.Lost, name):
		return -1
	}
	return -2
}

// Entry is one stage change of a deal: the stage entered and when.
type Entry struct {
	// Stage names the stage entered: an open stage or a closing one of
	// the process.
	Stage string `json:"stage"`
	// EnteredAt is when the deal entered it.
	EnteredAt time.Time `json:"entered_at"`
}

// Journey is a deal's stage history with its outcome. Entries may be in
// any order, skip stages or move backwards.
type Journey struct {
	// ID identifies the deal (the opportunity ID) in record errors.
	ID string `json:"id"`
	// Segment is the deal's segment; empty when it has none.
	Segment string `json:"segment,omitempty"`
	// Status is the deal's status today; a deal closed after the as-of
	// date is measured as open.
	Status Status `json:"status"`
	// Closed is when a won or lost deal closed (required then); it is
	// not read for an open deal.
	Closed time.Time `json:"closed"`
	// Entries are the deal's stage changes, in any order.
	Entries []Entry `json:"entries"`
}

// StageAt returns the stage the deal was in at t: the last stage entered
// at or before t (of entries at the same instant, the later in the list),
// or "" before the first entry. A backtest takes an open
// deal's stage from here, never from today's CRM value.
func (j Journey) StageAt(t time.Time) string {
	stage, at := "", time.Time{}
	for _, e := range j.Entries {
		if !e.EnteredAt.After(t) && (stage == "" || !e.EnteredAt.Before(at)) {
			stage, at = e.Stage, e.EnteredAt
		}
	}
	return stage
}

// StageStat is the conversion and time in one open stage.
type StageStat struct {
	// Stage names the open stage.
	Stage string `json:"stage"`
	// Reached counts deals that entered the stage or passed it (a deal
	// that entered an earlier stage and later a later one, or won).
	Reached int `json:"reached"`
	// Skipped counts the reached deals with no entry in the stage.
	Skipped int `json:"skipped"`
	// Advanced counts deals that moved on from the stage (to a later stage
	// or a win).
	Advanced int `json:"advanced"`
	// Lost counts the deals lost with this as their furthest stage.
	Lost int `json:"lost"`
	// Censored counts the open deals still sitting at it, neither
	// advanced nor lost.
	Censored int `json:"censored"`
	// Conversion is Advanced ÷ (Advanced + Lost): censored deals are not
	// counted as losses, but they are left out, and that is biased in a
	// young or fast-growing pipeline. Of the deals that entered the stage
	// recently, only those that resolved quickly are in the ratio, so it
	// leans toward whichever outcome comes faster: when losses come quickly
	// (disqualified in days) and wins take the whole cycle, Conversion is
	// too low, and too high in the opposite case. AJConversion corrects
	// for it.
	Conversion float64 `json:"conversion"`
	// WinRate is the probability that a deal at this stage is won: the
	// product of the conversions from here on.
	WinRate float64 `json:"win_rate"`
	// AJConversion is the censoring-aware conversion: the Aalen–Johansen
	// estimate with advancing and losing as competing outcomes, timed from
	// the deal's first entry into the stage (a skipped stage is passed at
	// once), and each open deal at risk for as long as it has sat in the
	// stage. It is the share of advances among the outcomes the estimator
	// expects by the longest stay observed, so deals open longer than that
	// are taken to resolve like the rest. With no open deal it equals
	// Conversion.
	AJConversion float64 `json:"aj_conversion"`
	// AJWinRate is the product of the AJConversions from here on.
	AJWinRate float64 `json:"aj_win_rate"`
	// Withheld marks a conversion from fewer resolved deals than the
	// minimum sample (and every win rate that depends on it).
	Withheld bool `json:"withheld,omitempty"`
	// Days summarises the completed stays in the stage in days; stays of
	// open deals still in the stage are counted in OpenStays.
	Days stats.Summary `json:"days"`
	// OpenStays counts the stays still running at the as-of date, left
	// out of Days.
	OpenStays int `json:"open_stays"`
}

// StageReport is the result of [Conversions].
type StageReport struct {
	// AsOf is the date the histories were read as of.
	AsOf time.Time `json:"as_of"`
	// Deals counts the journeys measured: not rejected, with an open
	// stage entered by AsOf.
	Deals int `json:"deals"`
	// Stages holds one entry per open stage, in process order.
	Stages []StageStat `json:"stages"`
	// Regressions counts moves back to an earlier stage.
	Regressions int `json:"regressions"`
}

// Rates returns the win rate of every stage that is not withheld, for
// [StageRates] and [OpenPipeline].
func (r StageReport) Rates() map[string]float64 {
	return r.rates(func(s StageStat) float64 { return s.WinRate })
}

// AJRates is [StageReport.Rates] from the censoring-aware win rates
// (StageStat.AJWinRate): the choice for a young or fast-growing pipeline.
func (r StageReport) AJRates() map[string]float64 {
	return r.rates(func(s StageStat) float64 { return s.AJWinRate })
}

func (r StageReport) rates(rate func(StageStat) float64) map[string]float64 {
	out := map[string]float64{}
	for _, s := range r.Stages {
		if !s.Withheld {
			out[s.Stage] = rate(s)
		}
	}
	return out
}

// Conversions measures stage-to-stage conversion, stage win rates and time
// in stage from deals' stage histories as they stood at asOf: entries after
// asOf are ignored and a deal closed after asOf is still open, so a
// backtest never sees the future. Open deals are censored, not losses. A
// deal that skips a stage counts as having reached it (and is counted in
// Skipped); stages before a deal's first entry are not reached. Conversions
// from fewer than minSample resolved deals are withheld.
//
// Conversion leaves open deals out, which biases it toward the faster
// outcome while many deals are still open; AJConversion and AJWinRate
// count each open deal for as long as it has been in the stage (see
// [StageStat]). Use [StageReport.AJRates] for a young pipeline.
//
// Journeys with an unknown status, an unknown stage name or a stage entered
// after the close are returned as record errors; the rest are measured.
func Conversions(journeys []Journey, stages Stages, asOf time.Time, minSample int) (StageReport, []revalign.RecordError, error) {
	if err := stages.Validate(); err != nil {
		return StageReport{}, nil, err
	}
	n := len(stages.Open)
	rep := StageReport{AsOf: asOf, Stages: make([]StageStat, n)}
	days := make([][]float64, n)
	var rejects []revalign.RecordError
	var buf []Entry
	entered := make([]bool, n)
	firstPos := make([]int, n) // position in buf of the first entry of each stage
	events := make([][]stageEvent, n)
	for _, j := range journeys {
		status, closed := j.Status, j.Closed
		if status != Open && closed.After(asOf) {
			status = Open
		}
		if status < Open || status > Lost {
			rejects = append(rejects, revalign.RecordError{ID: j.ID, Err: statusError(status)})
			continue
		}
		if status != Open && closed.IsZero() {
			rejects = append(rejects, revalign.RecordError{ID: j.ID, Err: closedError()})
			continue
		}
		buf = buf[:0]
		bad := ""
		for _, e := range j.Entries {
			if e.EnteredAt.After(asOf) {
				continue
			}
			i := stages.index(e.Stage)
			if i == -2 {
				bad = fmt.Sprintf("unknown stage %q", e.Stage)
				break
			}
			if status != Open && i >= 0 && i < n && revalign.DaysBetween(closed, e.EnteredAt.In(closed.Location())) > 0 {
				bad = fmt.Sprintf("stage %q entered after the deal closed", e.Stage)
				break
			}
			buf = append(buf, e)
		}
		slices.SortStableFunc(buf, func(a, b Entry) int { return a.EnteredAt.Compare(b.EnteredAt) })
		if bad != "" {
			rejects = append(rejects, revalign.RecordError{ID: j.ID, Err: &revalign.FieldError{Pkg: "velocity", Path: "entries", Reason: bad}})
			continue
		}
		first, furthest, prev := n, -1, -1
		clear(entered)
		for k, e := range buf {
			i := stages.index(e.Stage)
			if i < 0 || i >= n {
				continue // closing stages mark the end of the last stay
			}
			if !entered[i] {
				firstPos[i] = k
			}
			entered[i] = true
			first, furthest = min(first, i), max(furthest, i)
			if i < prev {
				rep.Regressions++
			}
			prev = i
			// The stay lasts until the next entry, the close, or is open.
			switch {
			case k+1 < len(buf):
				days[i] = append(days[i], stats.Days(buf[k+1].EnteredAt.Sub(e.EnteredAt)))
			case status != Open:
				days[i] = append(days[i], max(0, stats.Days(closed.Sub(e.EnteredAt))))
			default:
				rep.Stages[i].OpenStays++
			}
		}
		if first == n {
			continue // no open stage entered: nothing to convert
		}
		rep.Deals++
		last := furthest
		if status == Won {
			last = n - 1
		}
		for i := first; i <= last; i++ {
			st := &rep.Stages[i]
			st.Reached++
			if !entered[i] {
				st.Skipped++
			}
			ev := stageEvent{kind: advanced}
			switch {
			case i < last || status == Won:
				st.Advanced++
				if entered[i] {
					ev.days = advanceDays(buf, firstPos[i], i, stages, status, closed)
				}
			case status == Lost:
				st.Lost++
				ev = stageEvent{kind: lost, days: max(0, stats.Days(closed.Sub(buf[firstPos[i]].EnteredAt)))}
			default:
				st.Censored++
				ev = stageEvent{kind: censored, days: max(0, stats.Days(asOf.Sub(buf[firstPos[i]].EnteredAt)))}
			}
			events[i] = append(events[i], ev)
		}
	}
	win, ajWin, withheld := 1.0, 1.0, false
	for i := n - 1; i >= 0; i-- {
		st := &rep.Stages[i]
		st.Stage = stages.Open[i]
		st.Conversion = ratio(st.Advanced, st.Advanced+st.Lost)
		st.AJConversion = aalenJohansen(events[i])
		withheld = withheld || st.Advanced+st.Lost < max(minSample, 1)
		win *= st.Conversion
		ajWin *= st.AJConversion
		st.WinRate, st.AJWinRate, st.Withheld = win, ajWin, withheld
		st.Days = stats.Summarize(days[i], minSample)
	}
	return rep, rejects, nil
}

// The outcomes of a deal in a stage.
const (
	advanced = iota
	lost
	censored
)

// stageEvent is one deal's outcome in a stage and when it came, in days
// after the deal first entered the stage.
type stageEvent struct {
	days float64
	kind int
}

// advanceDays returns how long a deal stayed in stage i before it entered
// a later stage (or won), from its first entry into i at buf[from]. A deal
// that had passed the stage before entering it (a regression) advanced at
// once.
func advanceDays(buf []Entry, from, i int, stages Stages, status Status, closed time.Time) float64 {
	start := buf[from].EnteredAt
	for _, e := range buf[from+1:] {
		if stages.index(e.Stage) > i {
			return stats.Days(e.EnteredAt.Sub(start))
		}
	}
	if status == Won {
		return max(0, stats.Days(closed.Sub(start)))
	}
	return 0
}

// aalenJohansen returns the share of advances among the resolved outcomes
// the Aalen–Johansen estimator expects with advance and loss as competing
// events and censored deals at risk until their time: CIF_adv ÷ (CIF_adv
// + CIF_lost) at the last event. Censored deals leave the risk set after
// the events of their day. It sorts events.
func aalenJohansen(events []stageEvent) float64 {
	slices.SortFunc(events, func(a, b stageEvent) int {
		return cmp.Or(cmp.Compare(a.days, b.days), cmp.Compare(a.kind, b.kind))
	})
	atRisk := float64(len(events))
	surv, adv, lose := 1.0, 0.0, 0.0
	for k := 0; k < len(events); {
		var a, l, c float64
		j := k
		for ; j < len(events) && events[j].days == events[k].days; j++ {
			switch events[j].kind {
			case advanced:
				a++
			case lost:
				l++
			default:
				c++
			}
		}
		if a+l > 0 {
			adv += surv * a / atRisk
			lose += surv * l / atRisk
			surv *= 1 - (a+l)/atRisk
		}
		atRisk -= a + l + c
		k = j
	}
	if adv+lose == 0 {
		return 0
	}
	return adv / (adv + lose)
}
