package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
)

// Request is the webhook's body: the CRM's lead record, its account, and
// the lead's recent activity (the last 30 days at least: marketing's
// engagement score and the MQL test's intent window look that far back).
// The records are crm's, with their JSON names (lead_id, employee_count,
// occurred_at, …); fields the hook does not read (a disposition, an owner)
// may be sent and are ignored, fields crm does not know are rejected.
//
//	{"lead": {"lead_id": "L-20931", "email": "dana@northwind.com", "seniority": "director",
//	          "country": "US", "region": "NA", "time_zone": "America/Chicago"},
//	 "account": {"account_id": "A-1187", "industry": "Software", "employee_count": 1200,
//	             "annual_revenue": "180000000", "currency": "USD", "technographics": ["Workday"]},
//	 "events": [{"event_type": "demo_request", "occurred_at": "2026-11-25T10:12:00-06:00"}],
//	 "touches": [{"channel": "partner", "touched_at": "2026-11-02T14:00:00-06:00"}]}
type Request struct {
	Lead    crm.Lead    `json:"lead"`
	Account crm.Account `json:"account"`
	Events  []crm.Event `json:"events"`
	Touches []crm.Touch `json:"touches"`
}

// Response is what the CRM writes back on the lead: flat fields, ready to
// map onto custom fields.
type Response struct {
	LeadID    string    `json:"lead_id"`
	DecidedAt time.Time `json:"decided_at"`

	// The ICP score (icp): model, total, fit, engagement, tier, grid cell,
	// the disqualifier that fired, and the explanation line by line.
	ICPModel       string   `json:"icp_model"`
	ICPScore       float64  `json:"icp_score"`
	ICPFit         float64  `json:"icp_fit"`
	ICPEngagement  float64  `json:"icp_engagement"`
	ICPTier        string   `json:"icp_tier"`
	ICPGridCell    string   `json:"icp_grid_cell"`
	DisqualifiedBy string   `json:"disqualified_by,omitempty"`
	ICPExplanation []string `json:"icp_explanation"`

	// The pact's binary MQL test (sla): yes or no, every reason for a no,
	// and marketing's engagement score it read.
	MQL           bool     `json:"mql"`
	MQLReasons    []string `json:"mql_reasons"`
	MQLEngagement float64  `json:"mql_engagement"`

	// Routing by demand state (demandstate): the state, the next action,
	// the owner who carries it out and why.
	DemandState string         `json:"demand_state"`
	NextAction  string         `json:"next_action"`
	Owner       revalign.Owner `json:"owner"`
	RoutedBy    string         `json:"routed_by"`

	// The pact's first-touch commitment for an MQL: due by this instant,
	// in business hours of the lead's zone and region (null when the lead
	// is not an MQL).
	FirstTouchDue       *time.Time `json:"first_touch_due"`
	FirstTouchHours     float64    `json:"first_touch_business_hours,omitempty"`
	BusinessHoursZone   string     `json:"business_hours_zone,omitempty"`
	BusinessHoursRegion string     `json:"business_hours_region,omitempty"`
}

// validate checks what decoding cannot: the fields the hook needs, values
// that must name something the configuration knows, and times that cannot
// be in the future. regions are the pact's holiday regions (nil: any).
func (r *Request) validate(now time.Time, regions []string, rates revalign.Rates) error {
	l, a := r.Lead, r.Account
	switch {
	case strings.TrimSpace(l.ID) == "":
		return &fieldError{Field: "lead.lead_id", Reason: "required"}
	case l.TimeZone == "":
		return &fieldError{Field: "lead.time_zone", Reason: "required: the pact's business hours run in the lead's zone"}
	case !validZone(l.TimeZone):
		return &fieldError{Field: "lead.time_zone", Reason: fmt.Sprintf("unknown IANA time zone %q", l.TimeZone)}
	case regions != nil && !slices.Contains(regions, l.Region):
		return &fieldError{Field: "lead.region", Reason: fmt.Sprintf("must be one of the pact's regions (%s), got %q", strings.Join(regions, ", "), l.Region)}
	case l.MQLAt.After(now):
		return &fieldError{Field: "lead.mql_at", Reason: "is after the current time"}
	case a.Employees < 0:
		return &fieldError{Field: "account.employee_count", Reason: fmt.Sprintf("must be >= 0, got %d", a.Employees)}
	case a.AnnualRevenue.IsNegative():
		return &fieldError{Field: "account.annual_revenue", Reason: "must be >= 0, got " + a.AnnualRevenue.String()}
	}
	if a.AnnualRevenue.IsPositive() {
		if a.Currency == "" {
			return &fieldError{Field: "account.currency", Reason: "required with annual_revenue"}
		}
		if _, err := rates.Convert(a.AnnualRevenue, a.Currency); err != nil {
			return &fieldError{Field: "account.currency", Reason: fmt.Sprintf("no exchange rate from %q to %s", a.Currency, rates.Base)}
		}
	}
	for i, e := range r.Events {
		at := func(f string) string { return fmt.Sprintf("events[%d].%s", i, f) }
		switch {
		case e.Type == "":
			return &fieldError{Field: at("event_type"), Reason: "required"}
		case e.OccurredAt.IsZero():
			return &fieldError{Field: at("occurred_at"), Reason: "required"}
		case e.LeadID != "" && e.LeadID != l.ID:
			return &fieldError{Field: at("lead_id"), Reason: fmt.Sprintf("is %q, another lead than %q", e.LeadID, l.ID)}
		}
	}
	for i, t := range r.Touches {
		at := func(f string) string { return fmt.Sprintf("touches[%d].%s", i, f) }
		switch {
		case t.Channel == "":
			return &fieldError{Field: at("channel"), Reason: "required"}
		case t.TouchedAt.IsZero():
			return &fieldError{Field: at("touched_at"), Reason: "required"}
		case t.LeadID != "" && t.LeadID != l.ID:
			return &fieldError{Field: at("lead_id"), Reason: fmt.Sprintf("is %q, another lead than %q", t.LeadID, l.ID)}
		}
	}
	return nil
}

// validZone reports whether name is an IANA zone (not "Local", which would
// be whatever zone the server runs in).
func validZone(name string) bool {
	if name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}
