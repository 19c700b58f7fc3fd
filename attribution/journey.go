package attribution

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
)

const pkg = "attribution"

// Touch is one marketing or sales touch on a journey.
type Touch struct {
	// Channel is the taxonomy channel, e.g. "paid_social".
	Channel string `json:"channel"`
	// Play is the play or campaign, e.g. "Q3 analyst report"; optional.
	Play string `json:"play,omitempty"`
	// Type says what happened, e.g. "form_fill", "web_visit", "meeting";
	// models can restrict middle-touch credit to some types.
	Type string `json:"type,omitempty"`
	// At is when the touch happened.
	At time.Time `json:"at"`
	// Contact identifies the person touched (lead or contact ID). The first
	// touch and the lead-creation touch of one opportunity may be different
	// people of the buying committee.
	Contact string `json:"contact,omitempty"`
}

// Outcome is where a journey ended: open, won or lost. It is text in JSON;
// the zero value is Open.
type Outcome int

// The outcomes of a journey.
const (
	Open Outcome = iota
	Won
	Lost
)

var outcomeNames = enum.Names[Outcome]{Pkg: pkg, Type: "Outcome", Path: "outcome", Match: enum.Trim | enum.Lower,
	Names: []string{Open: "open", Won: "won", Lost: "lost"}, Want: "must be open, won or lost"}

// String returns "open", "won" or "lost".
func (o Outcome) String() string { return outcomeNames.String(o) }

// MarshalText encodes the outcome by name.
func (o Outcome) MarshalText() ([]byte, error) { return outcomeNames.Text(o) }

// UnmarshalText decodes "open", "won" or "lost".
func (o *Outcome) UnmarshalText(b []byte) error { return outcomeNames.Unmarshal(o, b) }

// Stage is an extra milestone of a journey beyond the four standard ones
// (e.g. "mql" or "sal"), which custom position weights can credit.
type Stage struct {
	// Name identifies the milestone, e.g. "mql"; a custom position of
	// the same name credits it. It must not be blank.
	Name string `json:"name"`
	// At is when the journey reached the milestone. The milestone's touch
	// is the last touch at or before At; a zero At, or one before every
	// touch, gives the milestone no touch.
	At time.Time `json:"at"`
}

// Journey is the path of one opportunity (or converting account): its
// touches in time order, its milestones, its outcome and its amount.
//
// The milestones are the first touch (the earliest touch), lead creation
// (LeadCreated), opportunity creation (OppCreated) and close (Closed, the
// closed-won date of a won deal). A milestone's touch is the last touch at
// or before the milestone; a milestone whose time is zero, or that precedes
// every touch, has no touch. Touches after Closed are invalid: a journey's
// touches are those up to close (or up to the as-of date of an open deal).
//
// Journey is a plain value; models read it and never modify it.
type Journey struct {
	// ID identifies the journey in errors and reports (the opportunity ID).
	ID string `json:"id"`
	// Touches in time order (ties keep their order).
	Touches []Touch `json:"touches"`
	// LeadCreated is when the lead was created; zero when unknown.
	LeadCreated time.Time `json:"lead_created,omitzero"`
	// OppCreated is when the opportunity was created; zero when unknown.
	OppCreated time.Time `json:"opp_created,omitzero"`
	// Closed is when the deal was won or lost; zero while open.
	Closed time.Time `json:"closed,omitzero"`
	// Stages are extra milestones custom weights may credit.
	Stages []Stage `json:"stages,omitempty"`
	// Outcome is open, won or lost.
	Outcome Outcome `json:"outcome"`
	// Amount is the deal amount in Currency; it must not be negative and
	// may not have more decimal places than the currency has minor units.
	Amount decimal.Decimal `json:"amount"`
	// Currency is the ISO 4217 code of Amount, e.g. "USD".
	Currency string `json:"currency"`
	// Segment is the customer segment, e.g. "mid-market"; optional.
	Segment string `json:"segment,omitempty"`
}

// Validate checks the journey against a taxonomy and returns every problem
// as field errors (matching revalign.ErrInvalid): a blank ID, touches out of
// time order or without a time, touches after close, channels or plays the
// taxonomy does not know, a negative amount or one with more decimal places
// than its currency, a missing currency, and a closed outcome without a
// close time. Batch functions wrap the result in a revalign.RecordError
// carrying the journey's ID.
func (j *Journey) Validate(t Taxonomy) error {
	v := revalign.Validator{Pkg: pkg}
	// Paths and values (boxed into an interface, which allocates) are only
	// built for what fails, so that validating a clean batch does not
	// allocate per journey or per touch.
	if strings.TrimSpace(j.ID) == "" {
		v.Add("id", j.ID, "must not be blank")
	}
	for i := range j.Touches {
		tc := &j.Touches[i]
		switch {
		case tc.At.IsZero():
			v.Add(revalign.Index("touches", i)+".at", nil, "missing touch time")
		case i > 0 && tc.At.Before(j.Touches[i-1].At):
			v.Add(revalign.Index("touches", i)+".at", tc.At.Format(time.RFC3339), "touches must be in time order")
		case !j.Closed.IsZero() && tc.At.After(j.Closed):
			v.Add(revalign.Index("touches", i)+".at", tc.At.Format(time.RFC3339), "touch after close ("+j.Closed.Format(time.RFC3339)+")")
		}
		if t.index(tc.Channel) < 0 {
			v.Add(revalign.Index("touches", i)+".channel", tc.Channel, "unknown channel")
		} else if tc.Play != "" && len(t.Plays) > 0 {
			if pl, ok := t.play(tc.Play); !ok {
				v.Add(revalign.Index("touches", i)+".play", tc.Play, "unknown play")
			} else if pl.Channel != tc.Channel {
				v.Add(revalign.Index("touches", i)+".play", tc.Play, "play runs on "+pl.Channel+", not "+tc.Channel)
			}
		}
	}
	if j.Amount.IsNegative() {
		v.Add("amount", j.Amount.String(), "must not be negative")
	}
	if len(j.Currency) != 3 {
		v.Add("currency", j.Currency, "must be a three-letter currency code")
	} else if places := revalign.MinorUnits(j.Currency); !fitsPlaces(j.Amount, places) {
		v.Add("amount", j.Amount.String(), fmt.Sprintf("has more than %d decimal places for %s", places, j.Currency))
	}
	if j.Outcome < Open || j.Outcome > Lost {
		v.Add("outcome", int(j.Outcome), "must be open, won or lost")
	} else if j.Outcome != Open && j.Closed.IsZero() {
		v.Add("closed", nil, "a "+j.Outcome.String()+" journey needs a close time")
	}
	for i, s := range j.Stages {
		if strings.TrimSpace(s.Name) == "" {
			v.Add(revalign.Index("stages", i)+".name", s.Name, "must not be blank")
		}
	}
	return v.Err()
}

// fitsPlaces reports whether d has at most places decimal places.
func fitsPlaces(d decimal.Decimal, places int32) bool {
	return d.Exponent() >= -places || d.Shift(places).IsInteger()
}

// Validate checks every journey against the taxonomy and returns one
// revalign.RecordError, carrying the journey's ID (or "journeys[i]" when it
// has none), for each journey that fails.
func Validate(journeys []Journey, t Taxonomy) []revalign.RecordError {
	var out []revalign.RecordError
	for i := range journeys {
		if err := journeys[i].Validate(t); err != nil {
			out = append(out, revalign.RecordError{ID: journeyID(&journeys[i], i), Err: err})
		}
	}
	return out
}

func journeyID(j *Journey, i int) string {
	if strings.TrimSpace(j.ID) != "" {
		return j.ID
	}
	return revalign.Index("journeys", i)
}

// lastAtOrBefore returns the index of the last touch at or before t, or -1
// when t is zero or precedes every touch.
func (j *Journey) lastAtOrBefore(t time.Time) int {
	if t.IsZero() {
		return -1
	}
	for i := len(j.Touches) - 1; i >= 0; i-- {
		if !j.Touches[i].At.After(t) {
			return i
		}
	}
	return -1
}

// end is the journey's reference time for time decay and look-back
// windows: the close when there is one, else its last touch.
func (j *Journey) end() time.Time {
	if !j.Closed.IsZero() {
		return j.Closed
	}
	if n := len(j.Touches); n > 0 {
		return j.Touches[n-1].At
	}
	return time.Time{}
}
