package main

import (
	"github.com/revalign/revalign/attribution"
	"github.com/revalign/revalign/icp"
)

// journeyLine is one line of the journey file: an opportunity's
// attribution.Journey (its JSON fields: id, touches, lead_created,
// opp_created, closed, outcome, amount, currency, segment) with the lead's
// attributes the ICP model scores and the lead's behavioural events.
//
//	{"id":"OPP-000000042","touches":[{"channel":"paid_social","type":"ad_click","at":"2025-06-02T14:11:09Z"},…],
//	 "lead_created":"…","opp_created":"…","closed":"…","outcome":"won","amount":"42000","currency":"USD","segment":"MID",
//	 "lead":{"id":"LEAD-000000042","email":"sam.chen7@cedarhealth.com","seniority":"director","industry":"Healthcare",
//	         "employee_count":850,"country":"US","technographics":["Workday","Slack"],"is_customer":false},
//	 "events":[{"type":"pricing_page","at":"…"},…]}
type journeyLine struct {
	attribution.Journey
	Lead   leadFields  `json:"lead"`
	Events []icp.Event `json:"events,omitempty"`
}

// leadFields are the lead's and its account's attributes.
type leadFields struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	Seniority string `json:"seniority"`
	Industry  string `json:"industry"`
	// Employees is the account's head count; 0 means unknown (as CRM
	// exports write it).
	Employees      int      `json:"employee_count,omitempty"`
	Country        string   `json:"country"`
	Technographics []string `json:"technographics,omitempty"`
	IsCustomer     bool     `json:"is_customer"`
}

// values lays the lead out by schema into dst (reused), without allocating.
// Unknowns stay missing: an unknown head count must score as unknown, not as
// a company of 0 people.
func (l *leadFields) values(dst []icp.Value) []icp.Value {
	employees := icp.Value{}
	if l.Employees > 0 {
		employees = icp.Number(float64(l.Employees))
	}
	return append(dst[:0],
		icp.Text(l.Industry), employees, icp.Text(l.Country), icp.Text(l.Seniority),
		icp.Text(l.Email), icp.List(l.Technographics), icp.Bool(l.IsCustomer))
}

// reset empties the line for the next json.Unmarshal while keeping its
// slices' memory. encoding/json decodes a JSON array into the existing
// elements of a reused slice without zeroing them first, so a touch without
// "type" would keep the previous line's type: the used elements are cleared
// here.
func (l *journeyLine) reset() {
	clear(l.Touches)
	clear(l.Events)
	clear(l.Lead.Technographics)
	touches, events, tech := l.Touches[:0], l.Events[:0], l.Lead.Technographics[:0]
	*l = journeyLine{}
	l.Touches, l.Events, l.Lead.Technographics = touches, events, tech
}
