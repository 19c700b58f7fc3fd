package cadence

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
)

// Deal is one open opportunity as it stood in a weekly pipeline snapshot.
// Amounts are in the review's reporting currency: convert them with
// [revalign.Rates.Convert] when you build the deals (the review reports a
// deal in another currency instead of summing it).
//
// CloseDate and NextActionDate are calendar dates: only their year, month
// and day, in their own location, are used. StageEnteredAt is an instant.
type Deal struct {
	// ID is the opportunity ID; it matches the deal across snapshots.
	ID string `json:"id"`
	// Owner is the named person who owns moving the deal; the zero Owner
	// means nobody does.
	Owner revalign.Owner `json:"owner"`
	// Stage is the deal's current stage.
	Stage string `json:"stage"`
	// StageEnteredAt is when the deal entered its current stage.
	StageEnteredAt time.Time `json:"stage_entered_at"`
	// Amount in Currency.
	Amount decimal.Decimal `json:"amount"`
	// Currency of Amount; it must be the review's currency.
	Currency string `json:"currency"`
	// CloseDate is the expected close date.
	CloseDate time.Time `json:"close_date"`
	// ForecastCategory as the CRM has it ("Commit", "Best case",
	// "Pipeline", "Omitted").
	ForecastCategory string `json:"forecast_category,omitempty"`
	// NextAction is the next step.
	NextAction string `json:"next_action,omitempty"`
	// NextActionDate is the next step's date (zero when none is dated).
	NextActionDate time.Time `json:"next_action_date,omitzero"`
	// WaitingOn says whom the next step waits for.
	WaitingOn WaitingOn `json:"waiting_on,omitempty"`
	// StallReason is why the deal is stuck, in the team's words; deals
	// sharing a stall reason form a pattern.
	StallReason string `json:"stall_reason,omitempty"`
}

// WaitingOn says whom a deal's next step waits for. Its text is "" (nobody
// in particular), "buyer" or "internal".
type WaitingOn int

const (
	// NotWaiting is the zero value: the deal waits on nobody in particular.
	NotWaiting WaitingOn = iota
	// Buyer: the deal waits on the buyer, which the seed forbids ("no
	// deals waiting on the buyer").
	Buyer
	// Internal: the deal waits on someone on the revenue team.
	Internal
)

var waitingNames = enum.Names[WaitingOn]{Pkg: pkg, Type: "WaitingOn", Path: "waiting_on", Match: enum.Trim | enum.Lower,
	Names: []string{NotWaiting: "", Buyer: "buyer", Internal: "internal"}, EmptyZero: true,
	Unknown: "unknown value", Want: `must be "", "buyer" or "internal"`}

// ParseWaitingOn parses "", "buyer" or "internal", in any case, with
// surrounding white space ignored.
func ParseWaitingOn(s string) (WaitingOn, error) { return waitingNames.Parse([]byte(s)) }

// String returns "", "buyer" or "internal".
func (w WaitingOn) String() string { return waitingNames.String(w) }

// MarshalText encodes the value by name.
func (w WaitingOn) MarshalText() ([]byte, error) { return waitingNames.Text(w) }

// UnmarshalText decodes the value with [ParseWaitingOn].
func (w *WaitingOn) UnmarshalText(b []byte) error { return waitingNames.Unmarshal(w, b) }

// Closed is the outcome of a deal that left the pipeline between two
// snapshots.
type Closed struct {
	// ID is the opportunity ID.
	ID string `json:"id"`
	// Won is true for a won deal, false for a lost one.
	Won bool `json:"won"`
	// ClosedOn is the close date.
	ClosedOn time.Time `json:"closed_on"`
}

// Flags are the reasons a deal is in passive voice. Every flagged deal
// comes off the reviewed forecast until somebody on the revenue team owns
// moving it with a dated next action.
type Flags uint8

// The passive-voice flags.
const (
	// NoOwner: the deal has no named owner.
	NoOwner Flags = 1 << iota
	// NoNextAction: the deal has no next action with a date.
	NoNextAction
	// PastNextAction: the next action's date is before the review date.
	PastNextAction
	// WaitingOnBuyer: the next step waits on the buyer.
	WaitingOnBuyer
)

var flagNames = []struct {
	f    Flags
	name string
	text string
}{
	{NoOwner, "no_owner", "no owner"},
	{NoNextAction, "no_next_action", "no dated next action"},
	{PastNextAction, "next_action_past", "next action in the past"},
	{WaitingOnBuyer, "waiting_on_buyer", "waiting on the buyer"},
}

// Has reports whether every flag in g is set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// String lists the flags in words: "no owner, waiting on the buyer".
func (f Flags) String() string {
	var b strings.Builder
	for _, n := range flagNames {
		if f&n.f != 0 {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString(n.text)
		}
	}
	return b.String()
}

// MarshalJSON encodes the flags as a list of names ("no_owner",
// "no_next_action", "next_action_past", "waiting_on_buyer").
func (f Flags) MarshalJSON() ([]byte, error) {
	names := make([]string, 0, len(flagNames))
	for _, n := range flagNames {
		if f&n.f != 0 {
			names = append(names, n.name)
		}
	}
	return json.Marshal(names)
}

// UnmarshalJSON decodes a list of flag names.
func (f *Flags) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	var out Flags
next:
	for _, s := range names {
		for _, n := range flagNames {
			if n.name == s {
				out |= n.f
				continue next
			}
		}
		return &revalign.FieldError{Pkg: pkg, Path: "passive_voice", Value: s, Reason: "unknown flag"}
	}
	*f = out
	return nil
}
