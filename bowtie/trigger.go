package bowtie

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// Play is what a trigger suggests doing. It is text in JSON ("expansion",
// "renewal", "save"); the zero value is not a play.
type Play uint8

// The plays of the right side.
const (
	// PlayExpansion is an expansion motion: more seats, a higher plan.
	PlayExpansion Play = iota + 1
	// PlayRenewal prepares a renewal on documented impact.
	PlayRenewal
	// PlaySave is a churn-risk save.
	PlaySave
)

var playNames = newNames[Play]("Play", "play", []string{PlayExpansion: "expansion", PlayRenewal: "renewal", PlaySave: "save"})

// String returns the play's name.
func (p Play) String() string { return playNames.String(p) }

// MarshalText encodes the play by name.
func (p Play) MarshalText() ([]byte, error) { return playNames.Text(p) }

// UnmarshalText decodes a play name.
func (p *Play) UnmarshalText(b []byte) error {
	return playNames.Unmarshal(p, b)
}

// Signal is an account signal a trigger condition tests. Growth and change
// signals compare a snapshot with the account's latest snapshot at least
// the rule's LookbackDays earlier. It is text in JSON.
type Signal uint8

// The account signals.
const (
	// ActiveUsers is the number of active users.
	ActiveUsers Signal = iota + 1
	// UsageGrowth is the relative growth of active users over the
	// lookback: 0.25 is +25%. Unknown without an earlier snapshot with
	// users.
	UsageGrowth
	// SeatUtilization is active users ÷ licensed seats (the seat limit
	// when seats are not given): 1 means every seat is in use. Unknown
	// without either.
	SeatUtilization
	// HealthScore is the account's health score.
	HealthScore
	// HealthChange is the change of the health score over the lookback,
	// in points (negative for a drop). Unknown without an earlier
	// snapshot.
	HealthChange
	// DaysToRenewal is the number of calendar days from the snapshot to the
	// renewal date (negative once past). Unknown without a renewal date.
	DaysToRenewal
	// ChampionLeft is 1 when the account's champion has left, else 0.
	ChampionLeft
	// PlanUtilization is licensed seats ÷ the plan's seat limit: 1 means
	// the plan's limit is reached. Unknown without both.
	PlanUtilization
)

var signalNames = newNames[Signal]("Signal", "signal", []string{
	ActiveUsers: "active_users", UsageGrowth: "usage_growth", SeatUtilization: "seat_utilization",
	HealthScore: "health_score", HealthChange: "health_change", DaysToRenewal: "days_to_renewal",
	ChampionLeft: "champion_left", PlanUtilization: "plan_utilization",
})

// String returns the signal's name.
func (s Signal) String() string { return signalNames.String(s) }

// MarshalText encodes the signal by name.
func (s Signal) MarshalText() ([]byte, error) { return signalNames.Text(s) }

// UnmarshalText decodes a signal name.
func (s *Signal) UnmarshalText(b []byte) error {
	return signalNames.Unmarshal(s, b)
}

// Op compares a signal with a value. It is text in JSON ("at_least",
// "at_most"); the zero value is not an operator.
type Op uint8

// The comparison operators.
const (
	AtLeast Op = iota + 1 // >=
	AtMost                // <=
)

var opNames = newNames[Op]("Op", "op", []string{AtLeast: "at_least", AtMost: "at_most"})

// String returns "at_least" or "at_most".
func (o Op) String() string { return opNames.String(o) }

// MarshalText encodes the operator.
func (o Op) MarshalText() ([]byte, error) { return opNames.Text(o) }

// UnmarshalText decodes "at_least" or "at_most".
func (o *Op) UnmarshalText(b []byte) error {
	return opNames.Unmarshal(o, b)
}

// Condition is one test of a rule: Signal Op Value, e.g. seat_utilization
// at_least 1 (seats ÷ seat limit ≥ 1). A condition on an unknown signal
// does not hold.
type Condition struct {
	// Signal is the account signal tested.
	Signal Signal `json:"signal"`
	// Op compares the signal with Value: at_least (>=) or at_most (<=).
	Op Op `json:"op"`
	// Value is the threshold, finite, in the signal's unit (a ratio for
	// growth and utilization, points for health, days for renewal, 1 for
	// a departed champion).
	Value float64 `json:"value"`
}

func (c Condition) holds(x float64, known bool) bool {
	if !known {
		return false
	}
	if c.Op == AtLeast {
		return x >= c.Value
	}
	return x <= c.Value
}

// Rule is a declarative expansion or renewal trigger: when every condition
// holds for an account, the rule fires once, dated by the first snapshot of
// the episode, and fires again only after the conditions stopped holding
// and hold anew.
type Rule struct {
	// Name identifies the rule, unique in a rule set.
	Name string `json:"name"`
	// When lists the conditions; all must hold.
	When []Condition `json:"when"`
	// LookbackDays is the span of the growth and change signals. Rules
	// with usage_growth or health_change need it.
	LookbackDays int `json:"lookback_days,omitempty"`
	// Play is the play the rule suggests.
	Play Play `json:"play"`
	// Owner is who runs the play; the rule's triggers carry it.
	Owner revalign.Owner `json:"owner"`
	// Action describes the play in a line, for the owner's queue.
	Action string `json:"action"`
}

func (r Rule) needsLookback() bool {
	for _, c := range r.When {
		if c.Signal == UsageGrowth || c.Signal == HealthChange {
			return true
		}
	}
	return false
}

// Rules is a set of trigger rules.
type Rules []Rule

// DefaultRules returns revalign's starting set of right-side triggers,
// owned by customer success: usage growth of 25% or more over 90 days,
// every licensed seat in use, and the plan's seat limit reached with 90% of
// the seats in use (expansion); renewal within 90 days (renewal); a
// health-score drop of 15 points or more over 90 days and a departed
// champion (save). The thresholds are revalign's assumptions; tune them to
// your product.
func DefaultRules() Rules {
	cs := revalign.Owner{Name: "VP Customer Success", Team: revalign.CustomerSuccess}
	return Rules{
		{Name: "usage-growth", When: []Condition{{Signal: UsageGrowth, Op: AtLeast, Value: 0.25}}, LookbackDays: 90,
			Play: PlayExpansion, Owner: cs, Action: "expansion call: usage grew 25%+ in 90 days"},
		{Name: "seat-limit", When: []Condition{{Signal: SeatUtilization, Op: AtLeast, Value: 1}},
			Play: PlayExpansion, Owner: cs, Action: "expansion offer: every seat in use"},
		{Name: "plan-limit", When: []Condition{{Signal: PlanUtilization, Op: AtLeast, Value: 1}, {Signal: SeatUtilization, Op: AtLeast, Value: 0.9}},
			Play: PlayExpansion, Owner: cs, Action: "upgrade offer: plan limit reached, seats 90%+ used"},
		{Name: "renewal-due", When: []Condition{{Signal: DaysToRenewal, Op: AtMost, Value: 90}, {Signal: DaysToRenewal, Op: AtLeast, Value: 0}},
			Play: PlayRenewal, Owner: cs, Action: "renewal prep: impact review before the renewal date"},
		{Name: "health-drop", When: []Condition{{Signal: HealthChange, Op: AtMost, Value: -15}}, LookbackDays: 90,
			Play: PlaySave, Owner: cs, Action: "save play: health score fell 15+ points in 90 days"},
		{Name: "champion-left", When: []Condition{{Signal: ChampionLeft, Op: AtLeast, Value: 1}},
			Play: PlaySave, Owner: cs, Action: "save play: re-establish a champion"},
	}
}

// Validate reports a rule without a name or with a repeated one, without
// conditions, with an unknown signal or operator or a non-finite value, a
// growth or change signal without LookbackDays, an unknown play or an
// invalid owner.
func (rs Rules) Validate() error {
	v := revalign.Validator{Pkg: "bowtie"}
	names := map[string]int{}
	for i, r := range rs {
		p := revalign.Index("rules", i)
		if v.Check(strings.TrimSpace(r.Name) != "", p+".name", r.Name, "rule needs a name") {
			if j, dup := names[r.Name]; dup {
				v.Add(p+".name", r.Name, "repeats the name of "+revalign.Index("rules", j))
			}
			names[r.Name] = i
		}
		v.Check(len(r.When) > 0, p+".when", nil, "rule needs at least one condition")
		for j, c := range r.When {
			cp := revalign.Index(p+".when", j)
			v.Check(signalNames.Valid(c.Signal), cp+".signal", int(c.Signal), "unknown signal")
			v.Check(opNames.Valid(c.Op), cp+".op", int(c.Op), "must be at_least or at_most")
			v.Check(!math.IsNaN(c.Value) && !math.IsInf(c.Value, 0), cp+".value", c.Value, "must be finite")
		}
		v.Check(r.LookbackDays >= 0, p+".lookback_days", r.LookbackDays, "must be >= 0")
		v.Check(!r.needsLookback() || r.LookbackDays > 0, p+".lookback_days", r.LookbackDays, "usage_growth and health_change need a lookback")
		v.Check(playNames.Valid(r.Play), p+".play", int(r.Play), "must be expansion, renewal or save")
		v.Nest(p+".owner", r.Owner.Validate())
	}
	return v.Err()
}

// Snapshot is an account's signals at one instant: a row of a daily or
// monthly usage export joined with the account's ARR and renewal date.
type Snapshot struct {
	// Account is the account's ID; it must not be empty.
	Account string `json:"account"`
	// At is when the signals were read; it must be set.
	At time.Time `json:"at"`
	// ActiveUsers is the number of active users at At, >= 0.
	ActiveUsers int `json:"active_users"`
	// Seats is the number of licensed seats, >= 0; zero means unknown.
	Seats int `json:"seats"`
	// SeatLimit is the most seats the account's plan allows, >= 0; zero
	// means unknown.
	SeatLimit int `json:"seat_limit"`
	// HealthScore is the account's health score on the team's own scale
	// (health_change is in its points); any finite number, and zero is a
	// score, not unknown.
	HealthScore float64 `json:"health_score"`
	// ChampionLeft reports that the account's champion has left.
	ChampionLeft bool `json:"champion_left"`
	// RenewalDate is the next renewal date known at At; zero if unknown.
	RenewalDate time.Time `json:"renewal_date"`
	// ARR is the account's ARR at At, in Currency: the ARR at stake.
	ARR decimal.Decimal `json:"arr"`
	// Currency is the ISO 4217 code of ARR, converted with the rates
	// given to [Rules.Evaluate]; it may be empty when ARR is zero.
	Currency string `json:"currency"`
}

// Trigger is one firing of a rule for an account: one condition episode.
type Trigger struct {
	// Rule is the name of the rule that fired.
	Rule string `json:"rule"`
	// Account is the account it fired for.
	Account string `json:"account"`
	// At is the first snapshot of the episode.
	At time.Time `json:"at"`
	// LastSeen is the last snapshot at which the conditions held.
	LastSeen time.Time `json:"last_seen"`
	// Until is the first snapshot at which the conditions no longer held;
	// zero while the episode is open (Open): the conditions held at the
	// account's last snapshot (see LastSeen for how recent that is).
	Until time.Time `json:"until"`
	// Open reports that the episode had not ended at the account's last
	// snapshot; Until is then zero.
	Open bool `json:"open"`
	// Play is the rule's play.
	Play Play `json:"play"`
	// Owner is the rule's owner, who runs the play.
	Owner revalign.Owner `json:"owner"`
	// Action is the rule's suggested play.
	Action string `json:"action"`
	// ARRAtStake is the account's ARR at At, in the reporting currency.
	ARRAtStake decimal.Decimal `json:"arr_at_stake"`
	// Signals are the values of the rule's signals at At.
	Signals []SignalValue `json:"signals"`
}

// SignalValue is one signal's value.
type SignalValue struct {
	// Signal names what was measured; a trigger lists each signal of its
	// rule's conditions once.
	Signal Signal `json:"signal"`
	// Value is its value, in the signal's unit (see [Signal]).
	Value float64 `json:"value"`
}

// Evaluate runs the rules over account snapshots and returns a trigger per
// rule per condition episode, ordered by ARR at stake (largest first), then
// date, account and rule. Snapshots are taken in time order per account, in
// any input order. ARR is converted into rates.Base.
//
// A snapshot with no account or time, negative counts, a non-finite health
// score, or an ARR whose currency cannot be converted is reported as a
// record error (ID: the account) and left out. The error is non-nil for
// invalid rules or rates.
func (rs Rules) Evaluate(snaps []Snapshot, rates revalign.Rates) ([]Trigger, []revalign.RecordError, error) {
	var v revalign.Validator
	v.Nest("", rs.Validate())
	v.Nest("rates", rates.Validate())
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	var errs []revalign.RecordError
	byAcct := map[string][]int{}
	var accts []string
	arr := make([]decimal.Decimal, len(snaps))
	for i := range snaps {
		s := &snaps[i]
		var bad, path string
		var val any
		switch {
		case s.Account == "":
			bad, path = "account ID is empty", "account"
		case !timeOK(s.At):
			bad, path, val = "time is missing or out of range", "at", s.At.String()
		case s.ActiveUsers < 0 || s.Seats < 0 || s.SeatLimit < 0:
			bad, path, val = "counts must be >= 0", "seats", s.Seats
		case math.IsNaN(s.HealthScore) || math.IsInf(s.HealthScore, 0):
			bad, path, val = "must be finite", "health_score", s.HealthScore
		}
		if bad == "" {
			a, err := convertARR(rates, s.ARR, s.Currency)
			if err != nil {
				bad, path, val = err.Error(), "currency", s.Currency
			}
			arr[i] = a
		}
		if bad != "" {
			errs = append(errs, recordErr(s.Account, i, path, val, bad))
			continue
		}
		if _, ok := byAcct[s.Account]; !ok {
			accts = append(accts, s.Account)
		}
		byAcct[s.Account] = append(byAcct[s.Account], i)
	}
	var out []Trigger
	for _, a := range accts {
		idx := byAcct[a]
		slices.SortStableFunc(idx, func(x, y int) int { return snaps[x].At.Compare(snaps[y].At) })
		for _, r := range rs {
			out = r.episodes(out, snaps, idx, arr)
		}
	}
	slices.SortStableFunc(out, func(x, y Trigger) int {
		return cmp.Or(y.ARRAtStake.Cmp(x.ARRAtStake), x.At.Compare(y.At),
			strings.Compare(x.Account, y.Account), strings.Compare(x.Rule, y.Rule))
	})
	return out, errs, nil
}

func convertARR(rates revalign.Rates, amount decimal.Decimal, currency string) (decimal.Decimal, error) {
	if amount.IsZero() && currency == "" {
		return decimal.Decimal{}, nil
	}
	return rates.Convert(amount, currency)
}

// episodes appends the rule's triggers for one account's snapshots (idx, in
// time order).
func (r Rule) episodes(out []Trigger, snaps []Snapshot, idx []int, arr []decimal.Decimal) []Trigger {
	open := -1 // index in out of the open episode
	for k, i := range idx {
		holds := true
		for _, c := range r.When {
			x, known := r.signal(c.Signal, snaps, idx, k)
			if !c.holds(x, known) {
				holds = false
				break
			}
		}
		switch {
		case holds && open >= 0:
			out[open].LastSeen = snaps[i].At
		case holds:
			t := Trigger{Rule: r.Name, Account: snaps[i].Account, At: snaps[i].At, LastSeen: snaps[i].At, Open: true,
				Play: r.Play, Owner: r.Owner, Action: r.Action, ARRAtStake: arr[i]}
			for _, c := range r.When {
				if x, _ := r.signal(c.Signal, snaps, idx, k); !slices.ContainsFunc(t.Signals, func(s SignalValue) bool { return s.Signal == c.Signal }) {
					t.Signals = append(t.Signals, SignalValue{Signal: c.Signal, Value: x})
				}
			}
			open = len(out)
			out = append(out, t)
		case !holds && open >= 0:
			out[open].Until, out[open].Open = snaps[i].At, false
			open = -1
		}
	}
	return out
}

// signal returns the value of sig at snapshot idx[k] and whether it is known.
func (r Rule) signal(sig Signal, snaps []Snapshot, idx []int, k int) (float64, bool) {
	s := &snaps[idx[k]]
	switch sig {
	case ActiveUsers:
		return float64(s.ActiveUsers), true
	case SeatUtilization:
		seats := s.Seats
		if seats == 0 {
			seats = s.SeatLimit
		}
		if seats == 0 {
			return 0, false
		}
		return float64(s.ActiveUsers) / float64(seats), true
	case PlanUtilization:
		if s.Seats == 0 || s.SeatLimit == 0 {
			return 0, false
		}
		return float64(s.Seats) / float64(s.SeatLimit), true
	case HealthScore:
		return s.HealthScore, true
	case DaysToRenewal:
		if s.RenewalDate.IsZero() {
			return 0, false
		}
		return float64(revalign.DaysBetween(s.At, s.RenewalDate)), true
	case ChampionLeft:
		if s.ChampionLeft {
			return 1, true
		}
		return 0, true
	}
	// Growth and change: the latest snapshot at least LookbackDays earlier.
	cut := s.At.AddDate(0, 0, -r.LookbackDays)
	j, found := slices.BinarySearchFunc(idx[:k], cut, func(i int, t time.Time) int { return snaps[i].At.Compare(t) })
	if !found {
		j--
	}
	if j < 0 {
		return 0, false
	}
	then := &snaps[idx[j]]
	if sig == HealthChange {
		return s.HealthScore - then.HealthScore, true
	}
	if then.ActiveUsers == 0 {
		return 0, false
	}
	return float64(s.ActiveUsers-then.ActiveUsers) / float64(then.ActiveUsers), true
}
