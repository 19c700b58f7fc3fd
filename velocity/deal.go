package velocity

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// Status is where a deal stands: open, won or lost. It is text in JSON.
// The zero value is not a status.
type Status int

// The statuses of a deal.
const (
	Open Status = iota + 1
	Won
	Lost
)

var statusNames = [...]string{Open: "open", Won: "won", Lost: "lost"}

// String returns "open", "won" or "lost".
func (s Status) String() string {
	if s >= Open && s <= Lost {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// MarshalText encodes the status by name.
func (s Status) MarshalText() ([]byte, error) {
	if s < Open || s > Lost {
		return nil, &revalign.FieldError{Pkg: "velocity", Path: "status", Value: int(s), Reason: "unknown status"}
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText decodes a status; "closed won"/"closed lost" are accepted.
func (s *Status) UnmarshalText(b []byte) error {
	got, err := ParseStatus(string(b))
	if err != nil {
		return err
	}
	*s = got
	return nil
}

// ParseStatus parses "open", "won", "lost", "closed won" or "closed lost",
// case-insensitively.
func ParseStatus(s string) (Status, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "open":
		return Open, nil
	case "won", "closed won", "closed_won":
		return Won, nil
	case "lost", "closed lost", "closed_lost":
		return Lost, nil
	}
	return 0, &revalign.FieldError{Pkg: "velocity", Path: "status", Value: s, Reason: "must be open, won or lost"}
}

// Deal is one opportunity as the velocity framework reads it. Convert CRM
// records into Deals once; every computation of this package takes them.
//
// Amount is in the reporting currency (convert with [revalign.Rates]
// first); an invalid Amount means the CRM has none, and such deals are
// counted and reported, never silently left out. Closed is the actual close
// date of a won or lost deal and the expected one of an open deal; give a
// date-only value as midnight in the reporting time zone.
type Deal struct {
	// ID identifies the deal (the opportunity ID) in record errors.
	ID string `json:"id"`
	// Segment is the deal's segment, e.g. "mid-market"; deals are
	// measured by segment, and an empty Segment is a segment of its own.
	Segment string `json:"segment,omitempty"`
	// Amount is the deal amount in the reporting currency, >= 0; not
	// Valid when the CRM has none.
	Amount decimal.NullDecimal `json:"amount"`
	// Currency is the amount's currency; empty means the reporting
	// currency. A deal in another currency is rejected with its ID.
	Currency string `json:"currency,omitempty"`
	// Created is when the opportunity was created; it must be set.
	Created time.Time `json:"created"`
	// Closed is the close date: actual for a won or lost deal (required),
	// expected for an open one (zero when unknown).
	Closed time.Time `json:"closed"`
	// Status is open, won or lost; the zero value is rejected.
	Status Status `json:"status"`
	// NoDecision marks a lost deal the buyer never decided (status quo).
	NoDecision bool `json:"no_decision,omitempty"`
	// Stage is the current stage of an open deal.
	Stage string `json:"stage,omitempty"`
	// Category is the forecast category the owner gave an open deal.
	Category Category `json:"category,omitempty"`
}

// fieldError returns a new error about one field of a deal, for a
// [revalign.RecordError]. Each call builds its own value, so that a caller
// changing one error cannot change another.
func fieldError(path string, value any, reason string) error {
	return &revalign.FieldError{Pkg: "velocity", Path: path, Value: value, Reason: reason}
}

// NegativeCycleError reports a deal closed before it was created: a
// negative sales cycle. Created and Closed are in the zone the days were
// counted in. It matches [revalign.ErrInvalid].
type NegativeCycleError struct {
	// Created is the deal's creation date.
	Created time.Time
	// Closed is its close date, before Created.
	Closed time.Time
}

// Error reads "velocity: closed: 2026-06-01 is before the creation date
// 2026-06-10 (negative cycle)".
func (e *NegativeCycleError) Error() string {
	return fmt.Sprintf("velocity: closed: %s is before the creation date %s (negative cycle)",
		e.Closed.Format(time.DateOnly), e.Created.Format(time.DateOnly))
}

// Is reports whether target is [revalign.ErrInvalid].
func (e *NegativeCycleError) Is(target error) bool { return target == revalign.ErrInvalid }

// check returns why a deal cannot be used, or nil. The cycle of a closed
// deal is checked by [Deal.cycleDays].
func (d *Deal) check(currency string) error {
	switch {
	case d.Status < Open || d.Status > Lost:
		return statusError(d.Status)
	case d.Created.IsZero():
		return fieldError("created", nil, "no creation date")
	case d.Status != Open && d.Closed.IsZero():
		return closedError()
	case d.Currency != "" && currency != "" && !strings.EqualFold(d.Currency, currency):
		return fmt.Errorf("velocity: amount in %s, not the reporting currency %s (convert it first): %w",
			d.Currency, currency, revalign.ErrCurrency)
	case d.Amount.Valid && d.Amount.Decimal.IsNegative():
		return fieldError("amount", d.Amount.Decimal.String(), "must be >= 0")
	}
	return nil
}

func statusError(s Status) error { return fieldError("status", int(s), "unknown status") }

func closedError() error { return fieldError("closed", nil, "a closed deal needs a close date") }

// cycleDays returns the calendar days from creation to close in loc, so a
// deal created at 15:00 and closed on the same date has a 0-day cycle, not
// a negative one. A close date before the creation date is a
// [NegativeCycleError].
func (d *Deal) cycleDays(loc *time.Location) (int, error) {
	created, closed := d.Created.In(loc), d.Closed.In(loc)
	n := revalign.DaysBetween(created, closed)
	if n < 0 {
		return 0, &NegativeCycleError{Created: created, Closed: closed}
	}
	return n, nil
}
