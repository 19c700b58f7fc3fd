package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/demandstate"
	"github.com/revalign/revalign/examples/internal/fieldstone"
	"github.com/revalign/revalign/icp"
	"github.com/revalign/revalign/sla"
)

// DefaultMaxBody is the largest request body the hook reads: a lead record
// with a few hundred events fits in a tenth of it.
const DefaultMaxBody = 256 << 10

// Config is what the hook scores with: the ICP model, the SLA pact, the
// demand-state model and its router, and the exchange rates that bring
// annual revenue into the ICP model's currency.
type Config struct {
	ICP    icp.Model
	Pact   sla.Pact
	States demandstate.Model
	Router demandstate.Router
	Rates  revalign.Rates
	// MaxBody is the largest body read, in bytes; 0 means DefaultMaxBody.
	MaxBody int64
}

// Handler answers lead webhooks. Everything it scores with is compiled once
// by NewHandler; it is safe for concurrent use by multiple goroutines.
type Handler struct {
	now        func() time.Time
	scorer     *icp.Scorer
	model      string // "name version", for the write-back
	pact       sla.Pact
	states     demandstate.Model
	dispatcher *demandstate.Dispatcher
	rates      revalign.Rates
	regions    []string // the pact's holiday regions; nil when it has none
	maxBody    int64

	mu        sync.Mutex
	calendars map[[2]string]*sla.Calendar // by zone and region
}

// NewHandler compiles the configuration and returns the webhook handler.
// now is the clock every decision is taken at (time.Now in production, a
// fixed instant in tests); the handler reads no other clock.
func NewHandler(cfg Config, now func() time.Time) (*Handler, error) {
	if now == nil {
		return nil, errors.New("crmhook: a clock is required")
	}
	scorer, err := cfg.ICP.Compile(fieldstone.ICPSchema())
	if err != nil {
		return nil, err
	}
	if err := cfg.Pact.Validate(); err != nil {
		return nil, err
	}
	cl, err := demandstate.NewClassifier(cfg.States)
	if err != nil {
		return nil, err
	}
	dispatcher, err := demandstate.NewDispatcher(cl, cfg.Router)
	if err != nil {
		return nil, err
	}
	if err := cfg.Rates.Validate(); err != nil {
		return nil, err
	}
	h := &Handler{
		now: now, scorer: scorer, model: cfg.ICP.Name + " " + cfg.ICP.Version,
		pact: cfg.Pact, states: cfg.States, dispatcher: dispatcher, rates: cfg.Rates,
		maxBody: orDefault(cfg.MaxBody, DefaultMaxBody), calendars: map[[2]string]*sla.Calendar{},
	}
	if rh := cfg.Pact.BusinessHours.RegionHolidays; len(rh) > 0 {
		h.regions = slices.Sorted(maps.Keys(rh))
	}
	return h, nil
}

// ServeHTTP reads a lead record, decides, and answers the fields the CRM
// writes back. A bad request is answered with a JSON error naming the
// field: 405 for a method other than POST, 413 for a body over the limit,
// 400 for anything else wrong with it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, &fieldError{Reason: r.Method + " is not allowed: POST the lead record"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, &fieldError{Reason: fmt.Sprintf("body larger than %d bytes", tooBig.Limit)})
			return
		}
		writeError(w, http.StatusBadRequest, &fieldError{Reason: "reading the body: " + err.Error()})
		return
	}
	var req Request
	if err := decodeStrict(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	resp, err := h.Decide(req, h.now())
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// Decide validates a lead record and decides on it as of now: the ICP
// score, the pact's MQL test, the route by demand state and, for an MQL,
// when the first touch is due. It is ServeHTTP without HTTP.
func (h *Handler) Decide(req Request, now time.Time) (Response, error) {
	if err := req.validate(now, h.regions, h.rates); err != nil {
		return Response{}, err
	}
	l, a := req.Lead, req.Account
	customer := a.IsCustomer // the account's status now

	// 1. The ICP score, with its explanation.
	rec, err := fieldstone.ICPRecord(l, a, customer, fieldstone.ICPEvents(req.Events), h.rates)
	if err != nil {
		return Response{}, err
	}
	score, err := h.scorer.Explain(rec, now, nil)
	if err != nil {
		return Response{}, err
	}
	resp := Response{
		LeadID: l.ID, DecidedAt: now, ICPModel: h.model,
		ICPScore: score.Total, ICPFit: score.Fit, ICPEngagement: score.Engagement,
		ICPTier: score.Tier, ICPGridCell: score.Cell, DisqualifiedBy: score.DisqualifiedBy,
		ICPExplanation: make([]string, len(score.Log)), MQLReasons: []string{},
	}
	for i, e := range score.Log {
		resp.ICPExplanation[i] = e.String()
	}

	// 2. The pact's MQL test, on plain numbers: the fit score and the
	// disqualifier from the ICP model, marketing's engagement score, the
	// latest intent signal.
	resp.MQLEngagement = fieldstone.Engagement(req.Events, now)
	verdict := h.pact.Qualifies(fieldstone.Prospect(score, resp.MQLEngagement, fieldstone.LastIntent(req.Events, now)), now)
	resp.MQL = verdict.Qualified
	for _, f := range verdict.Failed {
		resp.MQLReasons = append(resp.MQLReasons, f.Reason)
	}

	// 3. The route by demand state: the state's next action and owner.
	route := h.dispatcher.Route(fieldstone.DemandStateRecord(h.states, l.ID, customer, req.Events, req.Touches, now), now)
	resp.DemandState, resp.NextAction, resp.Owner, resp.RoutedBy = string(route.State), string(route.Action), route.Owner, route.Why()

	// 4. An MQL's first touch is due within the pact's business hours of
	// the lead's own calendar, from the sales clock's start.
	if resp.MQL {
		cal, err := h.calendar(l.TimeZone, l.Region)
		if err != nil {
			return Response{}, err
		}
		start := now // this decision makes the lead an MQL and routes it
		switch {
		case h.pact.Sales.ClockStart == sla.AtRouting && !l.RoutedAt.IsZero():
			start = l.RoutedAt
		case h.pact.Sales.ClockStart != sla.AtRouting && !l.MQLAt.IsZero():
			start = l.MQLAt // the CRM had marked the MQL already
		}
		hours := h.pact.Sales.FirstTouchBusinessHours
		due := cal.Add(start, time.Duration(hours*float64(time.Hour)))
		resp.FirstTouchDue, resp.FirstTouchHours = &due, hours
		resp.BusinessHoursZone, resp.BusinessHoursRegion = cal.Location().String(), l.Region
	}
	return resp, nil
}

// calendar returns the business-hours calendar of a zone and region,
// compiling it on first use (outside the lock: two requests may compile the
// same calendar once each, and the first stored wins). The cache is
// bounded: zones are validated IANA names and regions the pact's.
func (h *Handler) calendar(zone, region string) (*sla.Calendar, error) {
	key := [2]string{zone, region}
	h.mu.Lock()
	c, ok := h.calendars[key]
	h.mu.Unlock()
	if ok {
		return c, nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, &fieldError{Field: "lead.time_zone", Reason: fmt.Sprintf("unknown IANA time zone %q", zone)}
	}
	if c, err = h.pact.BusinessHours.Calendar(loc, region); err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if first, ok := h.calendars[key]; ok {
		return first, nil
	}
	h.calendars[key] = c
	return c, nil
}

// errorBody is the JSON body of every error answer.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeError(w http.ResponseWriter, status int, err error) {
	body := errorBody{Error: err.Error()}
	var fe *fieldError
	if errors.As(err, &fe) {
		body.Field = fe.Field
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the status is sent; a client gone away is not our error
}

// orDefault returns x, or def when x is not positive.
func orDefault(x, def int64) int64 {
	if x > 0 {
		return x
	}
	return def
}
