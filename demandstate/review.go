package demandstate

import (
	"cmp"
	"slices"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/stats"
)

// Review is the monthly demand-state review (catalog, Demand State Routing
// Framework: "review state-transition rates monthly with both teams") over
// one period: how records moved between states, how often they regressed,
// how long they stayed, per state owner and per record owner.
//
// A spell is one stay of a record in a state; a record that regressed and
// came back has two spells in that state. Rates divide by the spells
// exposed in the period, so they lie in [0,1] and a state's flow rates add
// up to its exit rate.
type Review struct {
	// Period is the period reviewed, half-open.
	Period revalign.Period `json:"period"`
	// Records is the number of records with a spell in the period.
	Records int `json:"records"`
	// Transitions is the number of transitions in the period.
	Transitions int `json:"transitions"`
	// Advances counts the transitions to the next state.
	Advances int `json:"advances"`
	// Skips counts the transitions forward past one or more states.
	Skips int `json:"skips"`
	// Regressions counts the transitions back to an earlier state.
	Regressions int `json:"regressions"`
	// RegressionRate is Regressions ÷ Transitions (0 without transitions).
	RegressionRate float64 `json:"regression_rate"`
	// Flows lists every from→to pair seen in the period, in model order.
	Flows []Flow `json:"flows"`
	// States reviews each state of the model, in order.
	States []StateReview `json:"states"`
	// Owners reviews each record owner, by name; records without an owner
	// are grouped under "".
	Owners []OwnerReview `json:"owners"`
}

// Flow is the number of transitions from one state to another in the
// period, and its rate: Count ÷ the spells in From exposed in the period.
type Flow struct {
	// From is the state left.
	From State `json:"from"`
	// To is the state entered.
	To State `json:"to"`
	// Move is the kind of move from From to To.
	Move Move `json:"move"`
	// Count is the number of such transitions in the period.
	Count int `json:"count"`
	// Rate is Count ÷ the spells in From exposed in the period.
	Rate float64 `json:"rate"`
}

// StateReview is one state's line of the review.
type StateReview struct {
	// State is the state reviewed.
	State State `json:"state"`
	// Owner is the state's accountable owner in the model.
	Owner revalign.Owner `json:"owner"`
	// Exposed is the number of spells in the state that overlap the
	// period, counting a spell that ended exactly at its start (that exit
	// is a transition of the period).
	Exposed int `json:"exposed"`
	// Exits is the number of those spells that ended in the period.
	Exits int `json:"exits"`
	// Regressions is how many of the exits moved back to an earlier state.
	Regressions int `json:"regressions"`
	// ExitRate is Exits ÷ Exposed (0 when nothing was exposed).
	ExitRate float64 `json:"exit_rate"`
	// MedianDays is the median length in days of the spells that ended in
	// the period (0 when none did; see Exits).
	MedianDays float64 `json:"median_days"`
}

// OwnerReview is one record owner's line of the review.
type OwnerReview struct {
	// Owner is the records' owner as the histories name it ("" for none).
	Owner string `json:"owner"`
	// Records is the number of the owner's records with a spell in the
	// period.
	Records int `json:"records"`
	// Transitions is the number of their transitions in the period.
	Transitions int `json:"transitions"`
	// Regressions is how many of those transitions moved back.
	Regressions int `json:"regressions"`
	// RegressionRate is Regressions ÷ Transitions (0 without transitions).
	RegressionRate float64 `json:"regression_rate"`
	// MedianDays is the median length of the owner's records' spells that
	// ended in the period (0 when none did).
	MedianDays float64 `json:"median_days"`
}

// Review runs the demand-state review over histories for the period p (use
// a FiscalCalendar's Month for the monthly review). Changes at or after
// p.End are not yet known and are left out. A history that fails
// CheckHistory is reported as a RecordError with its ID and left out of the
// figures; the rest are reviewed.
func (m Model) Review(histories []History, p revalign.Period) (Review, []revalign.RecordError) {
	n := len(m.States)
	rv := Review{Period: p, States: make([]StateReview, n)}
	for i, s := range m.States {
		rv.States[i] = StateReview{State: s.Name, Owner: s.Accountable()}
	}
	type ownerAcc struct {
		OwnerReview
		days []float64
	}
	flows := map[[2]int]int{}
	owners := map[string]*ownerAcc{}
	stateDays := make([][]float64, n)
	var bad []revalign.RecordError
	for _, h := range histories {
		stays, err := m.Stays(h, p.End)
		if err != nil {
			bad = append(bad, revalign.RecordError{ID: h.ID, Err: err})
			continue
		}
		var oa *ownerAcc
		for j, s := range stays {
			if !s.From.Before(p.End) || s.To.Before(p.Start) {
				continue // the spell neither overlaps the period nor ends at its start
			}
			if oa == nil {
				rv.Records++
				if oa = owners[h.Owner]; oa == nil {
					oa = &ownerAcc{OwnerReview: OwnerReview{Owner: h.Owner}}
					owners[h.Owner] = oa
				}
				oa.Records++
			}
			si := m.Index(s.State)
			rv.States[si].Exposed++
			if s.Open || !s.To.Before(p.End) {
				continue // still in the state at the end of the period
			}
			// The spell ended in [p.Start, p.End): a transition of the period.
			next := stays[j+1].State
			st := m.step(s.State, next, s.To)
			days := stats.Days(s.Duration())
			rv.States[si].Exits++
			stateDays[si] = append(stateDays[si], days)
			oa.days = append(oa.days, days)
			flows[[2]int{si, m.Index(next)}]++
			rv.Transitions++
			oa.Transitions++
			switch st.Move {
			case Advance:
				rv.Advances++
			case Skip:
				rv.Skips++
			case Regression:
				rv.Regressions++
				rv.States[si].Regressions++
				oa.Regressions++
			}
		}
	}
	rv.RegressionRate = ratio(rv.Regressions, rv.Transitions)
	for i := range rv.States {
		rv.States[i].ExitRate = ratio(rv.States[i].Exits, rv.States[i].Exposed)
		rv.States[i].MedianDays = median(stateDays[i])
	}
	for k, c := range flows {
		from, to := m.States[k[0]].Name, m.States[k[1]].Name
		rv.Flows = append(rv.Flows, Flow{From: from, To: to, Move: m.step(from, to, p.Start).Move,
			Count: c, Rate: ratio(c, rv.States[k[0]].Exposed)})
	}
	slices.SortFunc(rv.Flows, func(a, b Flow) int {
		return cmp.Or(cmp.Compare(m.Index(a.From), m.Index(b.From)), cmp.Compare(m.Index(a.To), m.Index(b.To)))
	})
	for _, oa := range owners {
		oa.RegressionRate = ratio(oa.Regressions, oa.Transitions)
		oa.MedianDays = median(oa.days)
		rv.Owners = append(rv.Owners, oa.OwnerReview)
	}
	slices.SortFunc(rv.Owners, func(a, b OwnerReview) int { return cmp.Compare(a.Owner, b.Owner) })
	return rv, bad
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// median sorts x and returns its median, or 0 for no data.
func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	slices.Sort(x)
	return stats.Median(x)
}
