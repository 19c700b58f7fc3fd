package fieldstone

import (
	"fmt"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/demandstate"
	"github.com/revalign/revalign/icp"
	"github.com/revalign/revalign/sla"
)

// The conversions below are the bridge from CRM records to the frameworks:
// each framework defines its own input types, and nothing but these
// functions knows both sides. Copy them into your integration and change
// the columns to yours.

// ICPSchema returns the lead and account columns the sample's ICP models
// read, in the order of an icp.Record's Values (see [ICPRecord]).
func ICPSchema() icp.Schema {
	return icp.Schema{
		"industry", "employee_count", "annual_revenue", "country", "seniority",
		"email", "technographics", "is_customer",
	}
}

// ICPRecord lays a lead and its account out by [ICPSchema], with the lead's
// behavioural events. An export's 0 employees or revenue means unknown and
// stays missing (an unknown is never scored as a miss); revenue is converted
// into the rates' base currency (the models' thresholds are in USD); customer
// says whether the account was a customer at the instant the lead is scored
// (the export's is_customer is today's status, not the status at an MQL
// months ago).
func ICPRecord(l crm.Lead, a crm.Account, customer bool, events []icp.Event, rates revalign.Rates) (icp.Record, error) {
	employees, revenue := icp.Value{}, icp.Value{}
	if a.Employees > 0 {
		employees = icp.Number(float64(a.Employees))
	}
	if a.AnnualRevenue.IsPositive() {
		base, err := rates.Convert(a.AnnualRevenue, a.Currency)
		if err != nil {
			return icp.Record{}, fmt.Errorf("account %s: %w", a.ID, err)
		}
		revenue = icp.Number(base.InexactFloat64())
	}
	return icp.Record{
		ID: l.ID,
		Values: []icp.Value{
			icp.Text(a.Industry), employees, revenue, icp.Text(l.Country), icp.Text(l.Seniority),
			icp.Text(l.Email), icp.List(a.Technographics), icp.Bool(customer),
		},
		Events: events,
	}, nil
}

// ICPEvents converts a lead's behavioural events. All of them may be passed:
// scoring as of an instant ignores the events after it.
func ICPEvents(events []crm.Event) []icp.Event {
	out := make([]icp.Event, len(events))
	for i, e := range events {
		out[i] = icp.Event{Type: e.Type, At: e.OccurredAt}
	}
	return out
}

// ICPOutcomes converts every MQL of the export into an icp.Outcome: the
// lead's record as of its MQL (customer status included), the MQL instant
// and the sales disposition ("" while pending), in the order of d.Leads.
// This is what calibration learns from and what acceptance by tier counts.
func ICPOutcomes(d *crm.Dataset, rates revalign.Rates) ([]icp.Outcome, error) {
	accounts := make(map[string]crm.Account, len(d.Accounts))
	for _, a := range d.Accounts {
		accounts[a.ID] = a
	}
	events := map[string][]icp.Event{}
	for _, e := range d.Events {
		events[e.LeadID] = append(events[e.LeadID], icp.Event{Type: e.Type, At: e.OccurredAt})
	}
	customers := CustomersFrom(d.ARRMovements)
	var out []icp.Outcome
	for _, l := range d.Leads {
		if l.MQLAt.IsZero() {
			continue
		}
		a, ok := accounts[l.AccountID]
		if !ok {
			return nil, fmt.Errorf("lead %s: no account %q", l.ID, l.AccountID)
		}
		rec, err := ICPRecord(l, a, customers.At(a.ID, l.MQLAt), events[l.ID], rates)
		if err != nil {
			return nil, err
		}
		out = append(out, icp.Outcome{Record: rec, At: l.MQLAt, Disposition: l.Disposition})
	}
	return out, nil
}

// CustomerSince maps each account that has ever been a customer to the
// month of its first ARR movement.
type CustomerSince map[string]time.Time

// CustomersFrom reads CustomerSince from the ARR movements.
func CustomersFrom(ms []crm.ARRMovement) CustomerSince {
	since := CustomerSince{}
	for _, m := range ms {
		if first, ok := since[m.AccountID]; !ok || m.Month.Before(first) {
			since[m.AccountID] = m.Month
		}
	}
	return since
}

// At reports whether the account was a customer (paying or churned: either
// way customer success owns it) in the month of t.
func (c CustomerSince) At(account string, t time.Time) bool {
	first, ok := c[account]
	y, m, _ := t.Date()
	return ok && !first.After(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC))
}

// SLALead converts a CRM lead into the pact's handoff record. The CRM's
// timestamps carry their zone offsets; the lead's IANA zone and region pick
// its business-hours calendar.
func SLALead(l crm.Lead) sla.Lead {
	return sla.Lead{
		ID:              l.ID,
		Owner:           l.OwnerID,
		Region:          l.Region,
		TimeZone:        l.TimeZone,
		MQLAt:           l.MQLAt,
		RoutedAt:        l.RoutedAt,
		FirstTouchAt:    l.FirstTouchAt,
		DispositionAt:   l.DispositionAt,
		Disposition:     l.Disposition,
		RejectionReason: l.RejectionReason,
	}
}

// SLALeads converts every lead. Leads that never became MQLs are passed
// along too: Evaluate counts them as not covered.
func SLALeads(leads []crm.Lead) []sla.Lead {
	out := make([]sla.Lead, len(leads))
	for i, l := range leads {
		out[i] = SLALead(l)
	}
	return out
}

// IsIntent reports whether an event type is an intent signal for the pact's
// MQL test: an intent topic, a pricing-page visit or a demo request.
func IsIntent(eventType string) bool {
	return eventType == "intent_signal" || eventType == "pricing_page" || eventType == "demo_request"
}

// LastIntent returns the latest intent signal (see [IsIntent]) at or before
// at, or the zero time when there is none.
func LastIntent(events []crm.Event, at time.Time) time.Time {
	var last time.Time
	for _, e := range events {
		if IsIntent(e.Type) && !e.OccurredAt.After(at) && e.OccurredAt.After(last) {
			last = e.OccurredAt
		}
	}
	return last
}

// Prospect is what the pact's MQL test sees of a lead: by the time the pact
// sees it, the ICP score is a plain number (r.Fit) and the ICP disqualifier
// that fired is a factor named by its ID (pact.yaml mql.disqualifiers lists
// the ICP models' disqualifier IDs); engagement is marketing's score
// ([Engagement]) and lastIntent the latest intent signal ([LastIntent]).
func Prospect(r icp.Result, engagement float64, lastIntent time.Time) sla.Prospect {
	p := sla.Prospect{ID: r.ID, FitScore: r.Fit, Engagement: engagement, LastIntentAt: lastIntent}
	if r.Disqualified {
		p.Factors = []string{r.DisqualifiedBy}
	}
	return p
}

// DemandStateRecord derives the demand-state model's signals for one lead
// from what was known at asOf (events and touches after it are ignored):
//
//	customer         the lead's account is a customer
//	engaged_at       the last event or touch of any kind
//	content_at       the last content download or webinar
//	partner_at       the last touch through the partner channel
//	pricing_page_at  the last pricing-page visit
//	demo_request_at  the last demo request
//
// Signals the model does not declare are skipped; those with nothing to
// report stay missing.
func DemandStateRecord(m demandstate.Model, id string, customer bool, events []crm.Event, touches []crm.Touch, asOf time.Time) demandstate.Record {
	vals := make([]demandstate.Value, len(m.Signals))
	latest := make([]time.Time, len(m.Signals))
	see := func(signal string, t time.Time) {
		if s := m.SignalIndex(signal); s >= 0 && !t.After(asOf) && t.After(latest[s]) {
			latest[s] = t
		}
	}
	for _, e := range events {
		see(demandstate.SignalEngagedAt, e.OccurredAt)
		switch e.Type {
		case "content_download", "webinar":
			see(demandstate.SignalContentAt, e.OccurredAt)
		case "pricing_page":
			see(demandstate.SignalPricingAt, e.OccurredAt)
		case "demo_request":
			see(demandstate.SignalDemoAt, e.OccurredAt)
		}
	}
	for _, t := range touches {
		see(demandstate.SignalEngagedAt, t.TouchedAt)
		if t.Channel == "partner" {
			see(demandstate.SignalPartnerAt, t.TouchedAt)
		}
	}
	for s, t := range latest {
		vals[s] = demandstate.Time(t) // the zero time is missing
	}
	if s := m.SignalIndex(demandstate.SignalCustomer); s >= 0 {
		vals[s] = demandstate.Bool(customer)
	}
	return demandstate.Record{ID: id, Values: vals}
}

// Activity is an export's behavioural events and touches grouped by lead,
// each in the export's order.
type Activity struct {
	Events  map[string][]crm.Event
	Touches map[string][]crm.Touch
}

// ActivityByLead groups d's events and touches by lead.
func ActivityByLead(d *crm.Dataset) Activity {
	a := Activity{Events: map[string][]crm.Event{}, Touches: map[string][]crm.Touch{}}
	for _, e := range d.Events {
		a.Events[e.LeadID] = append(a.Events[e.LeadID], e)
	}
	for _, t := range d.Touches {
		a.Touches[t.LeadID] = append(a.Touches[t.LeadID], t)
	}
	return a
}

// DemandStateRecords derives every lead's record as of asOf, in the order
// of d.Leads, with the account's customer flag of the export.
func DemandStateRecords(d *crm.Dataset, m demandstate.Model, asOf time.Time) []demandstate.Record {
	act := ActivityByLead(d)
	isCustomer := map[string]bool{}
	for _, a := range d.Accounts {
		isCustomer[a.ID] = a.IsCustomer
	}
	out := make([]demandstate.Record, len(d.Leads))
	for i, l := range d.Leads {
		out[i] = DemandStateRecord(m, l.ID, isCustomer[l.AccountID], act.Events[l.ID], act.Touches[l.ID], asOf)
	}
	return out
}

// EngagementWindowDays is how far back marketing's engagement score looks.
const EngagementWindowDays = 30

// engagementPoints are marketing's points per event (the sample's MQL rule;
// crm/sample/README.md).
var engagementPoints = map[string]float64{
	"web_visit": 2, "content_download": 10, "webinar": 15,
	"pricing_page": 10, "demo_request": 30, "intent_signal": 5,
}

// Engagement is marketing automation's engagement score of a lead at an
// instant: marketing's points for each event in the EngagementWindowDays
// calendar days up to and including at (web visit 2, content download 10,
// webinar 15, pricing page 10, demo request 30, intent signal 5), with no
// decay or cap. It is the engagement the pact's MQL test reads
// (min_engagement: 30 is marketing's MQL line); the ICP model's own
// behavioural score is separate and changes when the model is recalibrated.
func Engagement(events []crm.Event, at time.Time) float64 {
	from := at.AddDate(0, 0, -EngagementWindowDays)
	var points float64
	for _, e := range events {
		if !e.OccurredAt.After(at) && !e.OccurredAt.Before(from) {
			points += engagementPoints[e.Type]
		}
	}
	return points
}
