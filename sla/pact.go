package sla

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
)

// The roles that must sign a pact for it to be in force.
const (
	RoleMarketingLeader = "marketing_leader"
	RoleSalesLeader     = "sales_leader"
)

// Pact is the SLA Pact: the written, signed agreement between marketing and
// sales at the MQL handoff. Its fields mirror every blank of the seed's
// template, plus the rules that make it enforceable (red flag, escalation,
// comp tie-in). Build one with [DefaultPact] and change what your teams
// agree on, or load it from YAML/JSON with the config package or
// [ParsePact].
//
// A pact is in force only when both leaders have signed its current
// version and its effective date has come (see [Pact.Standing]); any edit
// after signing voids the signatures. Pact is a plain value: copy it, compare
// its JSON, log it.
type Pact struct {
	// Name identifies the agreement, e.g. "Acme SLA Pact v3".
	Name string `json:"name,omitempty"`
	// Effective is the date the pact takes effect.
	Effective Date `json:"effective,omitzero"`
	// ReviewCadence is how often the pact is reviewed; the seed says
	// monthly.
	ReviewCadence revalign.Unit `json:"review_cadence,omitempty"`
	// Recalibration is how often the MQL criteria are recalibrated; the
	// seed says quarterly.
	Recalibration revalign.Unit `json:"recalibration,omitempty"`

	// MQL is the binary test a lead must pass to be handed to sales.
	MQL Criteria `json:"mql"`
	// Marketing is what marketing commits to.
	Marketing MarketingCommitments `json:"marketing"`
	// Sales is what sales commits to.
	Sales SalesCommitments `json:"sales"`
	// Joint is what both teams commit to, and who settles disputes.
	Joint JointCommitments `json:"joint"`

	// BusinessHours are the hours sales' business-hour timers run in.
	BusinessHours BusinessHours `json:"business_hours"`
	// Dispositions is the closed set of disposition codes.
	Dispositions []DispositionCode `json:"dispositions"`
	// RedFlag is the seed's rule on low acceptance.
	RedFlag RedFlagRule `json:"red_flag"`
	// Escalation says when repeated misses go to the dispute owner.
	Escalation EscalationRule `json:"escalation"`
	// Comp turns compliance into a bonus multiplier.
	Comp CompPlan `json:"comp"`

	// Signatures of the marketing and sales leaders (roles
	// [RoleMarketingLeader] and [RoleSalesLeader]) on the pact's content
	// hash. Use [Pact.Sign].
	Signatures revalign.Signatures `json:"signatures,omitempty"`
}

// Criteria is the MQL definition as a binary, observable test: all must be
// true. No judgement calls, no partial credit.
type Criteria struct {
	// MinFitScore is the lowest ICP fit score that qualifies, on the ICP
	// model's scale (0–100 in revalign's icp package).
	MinFitScore float64 `json:"min_fit_score"`
	// IntentWithinDays: the latest intent signal must be at most this many
	// calendar days old.
	IntentWithinDays int `json:"intent_within_days"`
	// MinEngagement is the lowest engagement score that qualifies.
	MinEngagement float64 `json:"min_engagement"`
	// Disqualifiers are factors that rule a lead out whatever its scores
	// (e.g. "competitor", "student"); matched case-insensitively.
	Disqualifiers []string `json:"disqualifiers,omitempty"`
}

// MarketingCommitments is what marketing owes sales.
type MarketingCommitments struct {
	// MQLVolumePerWeek is the weekly MQL volume marketing commits to.
	MQLVolumePerWeek int `json:"mql_volume_per_week"`
	// VolumeTolerance is the band around the volume, as a fraction: 0.2
	// accepts 80–120 MQLs for a commitment of 100. Above the band is a miss
	// too: flooding sales breaks the pact as surely as starving it.
	VolumeTolerance float64 `json:"volume_tolerance"`
	// MinAcceptanceRate is the quality threshold: the share of
	// dispositioned MQLs sales accepts, at least this (seed: 0.75).
	MinAcceptanceRate float64 `json:"min_acceptance_rate"`
	// RoutingMinutes: every MQL reaches its owner in under this many
	// minutes of elapsed time from the trigger (the MQL timestamp).
	RoutingMinutes float64 `json:"routing_minutes"`
	// RoutingCompliance is the weekly share of MQLs that must be routed in
	// time for the commitment to be met.
	RoutingCompliance float64 `json:"routing_compliance"`
}

// SalesCommitments is what sales owes marketing.
type SalesCommitments struct {
	// FirstTouchBusinessHours: the first touch comes within this many
	// business hours (seed: 1) of the clock start.
	FirstTouchBusinessHours float64 `json:"first_touch_business_hours"`
	// FirstTouchCompliance is the weekly share of MQLs that must be touched
	// in time (seed: first-touch SLA compliance ≥ 90%).
	FirstTouchCompliance float64 `json:"first_touch_compliance"`
	// DispositionHours: disposition feedback comes within this many hours
	// (seed: 48) of the clock start, in elapsed time unless
	// DispositionInBusinessHours.
	DispositionHours float64 `json:"disposition_hours"`
	// DispositionInBusinessHours counts DispositionHours in business hours.
	DispositionInBusinessHours bool `json:"disposition_in_business_hours,omitempty"`
	// DispositionCompliance is the weekly share of MQLs that must be
	// dispositioned in time.
	DispositionCompliance float64 `json:"disposition_compliance"`
	// RejectionReasonRate is the share of declined MQLs that must carry a
	// documented rejection reason (seed: 100%).
	RejectionReasonRate float64 `json:"rejection_reason_rate"`
	// ClockStart is when sales' timers start: at the MQL trigger (the
	// default, as lead-response studies and speed-to-lead reports measure
	// it) or at routing (the moment sales has the lead, so that late routing
	// stays marketing's miss alone).
	ClockStart ClockStart `json:"clock_start,omitempty"`
}

// ClockStart is the event that starts sales' timers.
type ClockStart string

// The clock starts.
const (
	// AtMQL starts sales' timers at the MQL trigger. The default ("").
	AtMQL ClockStart = ""
	// AtRouting starts sales' timers when the lead is routed to its owner;
	// a lead with no routing time starts at its MQL time.
	AtRouting ClockStart = "routed"
)

// JointCommitments is what both teams owe the pact.
type JointCommitments struct {
	// Commitments are the joint rituals in words, e.g. "Monthly review of
	// rejection reasons".
	Commitments []string `json:"commitments,omitempty"`
	// EscalateTo is the named owner disputes and repeated breaches go to.
	EscalateTo revalign.Owner `json:"escalate_to"`
}

// BusinessHours are the hours sales' business-hour timers run in.
type BusinessHours struct {
	// TimeZone is an IANA zone the hours are kept in for every lead; empty
	// means each lead's own time zone (the seed's reading: a lead's business
	// hour is its own). "Local", the host's zone, is refused.
	TimeZone string `json:"time_zone,omitempty"`
	// Week is the opening hours of each weekday.
	Week Week `json:"week"`
	// Holidays apply to every lead.
	Holidays []Holiday `json:"holidays,omitempty"`
	// RegionHolidays are the public holidays of each region (keyed by the
	// region as leads carry it, e.g. "EMEA"), added to Holidays for leads of
	// that region.
	RegionHolidays map[string][]Holiday `json:"region_holidays,omitempty"`
}

// RedFlagRule is the seed's red flag: acceptance below the threshold for
// consecutive weeks means the criteria need revisiting, not the reps.
type RedFlagRule struct {
	// ConsecutiveWeeks of acceptance below Marketing.MinAcceptanceRate
	// that raise the flag (seed: 2).
	ConsecutiveWeeks int `json:"consecutive_weeks"`
}

// EscalationRule says when repeated misses of one commitment escalate to
// the dispute owner: when the commitment is missed in MissedWeeks of
// WindowWeeks consecutive complete weeks.
type EscalationRule struct {
	// MissedWeeks is how many missed weeks in the window escalate.
	// Default 3.
	MissedWeeks int `json:"missed_weeks"`
	// WindowWeeks is the length of the sliding window, in consecutive
	// complete weeks. Default 4.
	WindowWeeks int `json:"window_weeks"`
}

// DefaultPact returns the seed's template filled in. The seed's numbers:
// first touch within 1 business hour with ≥ 90% compliance, disposition
// within 48 hours, a rejection reason on 100% of declined MQLs, acceptance
// ≥ 75% with the red flag after 2 consecutive weeks below, monthly review,
// quarterly recalibration, disputes to the CRO (governance: "named
// tie-breaker, then CRO"). The template's blanks get illustrative values to
// replace with your own: ICP fit ≥ 70, intent within 30 days, engagement ≥
// 50, 100 MQLs a week ± 20%, routing under 5 minutes (the lead-response
// studies' line) for 90% of MQLs, disposition compliance 90%, business
// hours 09:00–17:00 Monday to Friday in each lead's zone with no holidays,
// escalation after 3 missed weeks in 4, and the comp plan of
// [DefaultCompPlan]. It is unsigned, so not in force.
func DefaultPact() Pact {
	return Pact{
		ReviewCadence: revalign.Month,
		Recalibration: revalign.Quarter,
		MQL: Criteria{
			MinFitScore:      70,
			IntentWithinDays: 30,
			MinEngagement:    50,
			Disqualifiers:    []string{"competitor", "student", "existing_customer"},
		},
		Marketing: MarketingCommitments{
			MQLVolumePerWeek:  100,
			VolumeTolerance:   0.20,
			MinAcceptanceRate: 0.75,
			RoutingMinutes:    5,
			RoutingCompliance: 0.90,
		},
		Sales: SalesCommitments{
			FirstTouchBusinessHours: 1,
			FirstTouchCompliance:    0.90,
			DispositionHours:        48,
			DispositionCompliance:   0.90,
			RejectionReasonRate:     1,
		},
		Joint: JointCommitments{
			Commitments: []string{"Monthly review of rejection reasons", "Quarterly recalibration of criteria"},
			EscalateTo:  revalign.Owner{Name: "CRO", Team: revalign.Executive},
		},
		BusinessHours: BusinessHours{Week: Weekdays(Hours(9, 17))},
		Dispositions:  DefaultDispositions(),
		RedFlag:       RedFlagRule{ConsecutiveWeeks: 2},
		Escalation:    EscalationRule{MissedWeeks: 3, WindowWeeks: 4},
		Comp:          DefaultCompPlan(),
	}
}

// ParsePact decodes a pact from JSON strictly (an unknown field is an
// error) and validates it.
func ParsePact(data []byte) (Pact, error) {
	var p Pact
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Pact{}, fmt.Errorf("sla: pact: %w", err)
	}
	if dec.More() {
		return Pact{}, errors.New("sla: pact: trailing data after the JSON object")
	}
	return p, p.Validate()
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func rate(x float64) bool { return x >= 0 && x <= 1 }

// Validate reports every field that is out of range, naming the field
// and the value.
func (p Pact) Validate() error {
	v := revalign.Validator{Pkg: "sla"}
	v.Check(p.Effective.IsZero() || p.Effective.Valid(), "effective", p.Effective.String(), "not a calendar date")
	v.Check(p.ReviewCadence >= revalign.Week && p.ReviewCadence <= revalign.Year, "review_cadence", int(p.ReviewCadence), "must be week, month, quarter or year")
	v.Check(p.Recalibration >= revalign.Week && p.Recalibration <= revalign.Year, "recalibration", int(p.Recalibration), "must be week, month, quarter or year")

	m := p.MQL
	v.Check(finite(m.MinFitScore), "mql.min_fit_score", m.MinFitScore, "must be a finite number")
	v.Check(m.IntentWithinDays >= 1, "mql.intent_within_days", m.IntentWithinDays, "must be >= 1")
	v.Check(finite(m.MinEngagement), "mql.min_engagement", m.MinEngagement, "must be a finite number")
	for i, d := range m.Disqualifiers {
		v.Check(strings.TrimSpace(d) != "", revalign.Index("mql.disqualifiers", i), d, "must not be blank")
	}

	mk := p.Marketing
	v.Check(mk.MQLVolumePerWeek >= 1, "marketing.mql_volume_per_week", mk.MQLVolumePerWeek, "must be >= 1")
	v.Check(rate(mk.VolumeTolerance), "marketing.volume_tolerance", mk.VolumeTolerance, "must be in [0,1]")
	v.Check(rate(mk.MinAcceptanceRate), "marketing.min_acceptance_rate", mk.MinAcceptanceRate, "must be in [0,1]")
	v.Check(finite(mk.RoutingMinutes) && mk.RoutingMinutes > 0 && mk.RoutingMinutes <= 1e6, "marketing.routing_minutes", mk.RoutingMinutes, "must be > 0")
	v.Check(rate(mk.RoutingCompliance), "marketing.routing_compliance", mk.RoutingCompliance, "must be in [0,1]")

	s := p.Sales
	v.Check(finite(s.FirstTouchBusinessHours) && s.FirstTouchBusinessHours > 0 && s.FirstTouchBusinessHours <= 1e5, "sales.first_touch_business_hours", s.FirstTouchBusinessHours, "must be > 0")
	v.Check(rate(s.FirstTouchCompliance), "sales.first_touch_compliance", s.FirstTouchCompliance, "must be in [0,1]")
	v.Check(finite(s.DispositionHours) && s.DispositionHours > 0 && s.DispositionHours <= 1e5, "sales.disposition_hours", s.DispositionHours, "must be > 0")
	v.Check(rate(s.DispositionCompliance), "sales.disposition_compliance", s.DispositionCompliance, "must be in [0,1]")
	v.Check(rate(s.RejectionReasonRate), "sales.rejection_reason_rate", s.RejectionReasonRate, "must be in [0,1]")
	v.Check(s.ClockStart == AtMQL || s.ClockStart == AtRouting, "sales.clock_start", string(s.ClockStart), `must be "" (the MQL) or "routed"`)

	v.Nest("joint.escalate_to", p.Joint.EscalateTo.Validate())
	for i, c := range p.Joint.Commitments {
		v.Check(strings.TrimSpace(c) != "", revalign.Index("joint.commitments", i), c, "must not be blank")
	}

	v.Nest("business_hours", p.BusinessHours.Validate())
	validateDispositions(&v, p.Dispositions)
	v.Check(p.RedFlag.ConsecutiveWeeks >= 1, "red_flag.consecutive_weeks", p.RedFlag.ConsecutiveWeeks, "must be >= 1")
	v.Check(p.Escalation.WindowWeeks >= 1, "escalation.window_weeks", p.Escalation.WindowWeeks, "must be >= 1")
	v.Check(p.Escalation.MissedWeeks >= 1 && p.Escalation.MissedWeeks <= p.Escalation.WindowWeeks,
		"escalation.missed_weeks", p.Escalation.MissedWeeks, "must be between 1 and window_weeks")
	v.Nest("comp", p.Comp.Validate())
	return v.Err()
}

// Validate reports an unknown time zone, bad hours or bad holidays.
func (b BusinessHours) Validate() error {
	v := revalign.Validator{Pkg: "sla"}
	if b.TimeZone != "" {
		if _, err := loadZone(b.TimeZone); err != nil {
			v.Nest("", err)
		}
	}
	v.Nest("week", b.Week.Validate())
	for i, h := range b.Holidays {
		v.Nest(revalign.Index("holidays", i), h.Validate())
	}
	for _, region := range slices.Sorted(maps.Keys(b.RegionHolidays)) {
		v.Check(strings.TrimSpace(region) != "", "region_holidays", region, "region must not be blank")
		for i, h := range b.RegionHolidays[region] {
			v.Nest(revalign.Index("region_holidays."+region, i), h.Validate())
		}
	}
	return v.Err()
}

// Calendar compiles the business-hours calendar of a lead in zone loc and
// region (the pact's own zone, when BusinessHours.TimeZone is set, wins
// over loc). The region's holidays are added to the common ones. As for
// [NewCalendar], time.Local is an error.
func (b BusinessHours) Calendar(loc *time.Location, region string) (*Calendar, error) {
	if b.TimeZone != "" {
		l, err := loadZone(b.TimeZone)
		if err != nil {
			return nil, err
		}
		loc = l
	}
	hs := b.Holidays
	if rh := b.RegionHolidays[region]; len(rh) > 0 {
		hs = slices.Concat(b.Holidays, rh)
	}
	return NewCalendar(loc, b.Week, hs)
}

// Hash returns the pact's content hash with its signatures left out: the
// value each leader signs. Any edit changes it and voids the signatures.
func (p Pact) Hash() (string, error) {
	p.Signatures = nil
	return revalign.ContentHash(p)
}

// Sign signs the pact's current version by name, as role, at the given
// time. An earlier signature of the same role (roles compare
// case-insensitively) is replaced, so re-signing after an edit leaves one
// signature per role. A blank role or name, or a zero time, is an error and
// leaves the signatures unchanged.
func (p *Pact) Sign(role, name string, at time.Time) error {
	v := revalign.Validator{Pkg: "sla"}
	v.Check(strings.TrimSpace(role) != "", "signatures.role", role, "a signature needs a role")
	v.Check(strings.TrimSpace(name) != "", "signatures.name", name, "a signature needs a name")
	v.Check(!at.IsZero(), "signatures.signed_at", nil, "a signature needs a time")
	if err := v.Err(); err != nil {
		return err
	}
	h, err := p.Hash()
	if err != nil {
		return err
	}
	sigs := slices.DeleteFunc(slices.Clone(p.Signatures), func(s revalign.Signature) bool { return strings.EqualFold(s.Role, role) })
	p.Signatures = append(sigs, revalign.Sign(h, role, name, at))
	return nil
}

// Standing says whether a pact is in force on a date, and why not.
type Standing struct {
	// InForce is true when both leaders signed this version on or before
	// the date checked and the effective date has come.
	InForce bool `json:"in_force"`
	// Reason is "in force" or says what is missing.
	Reason string `json:"reason"`
	// SignOff details the signatures.
	SignOff revalign.SignOff `json:"sign_off"`
}

// Standing reports whether the pact is in force at asOf: signed by both the
// marketing and the sales leader on its current content, with its effective
// date on or before asOf's date. An unsigned pact, or one signed by only one
// side, is not in force.
func (p Pact) Standing(asOf time.Time) Standing {
	h, err := p.Hash()
	if err != nil {
		return Standing{Reason: "not in force: " + err.Error()}
	}
	so := p.Signatures.Check(h, asOf, RoleMarketingLeader, RoleSalesLeader)
	st := Standing{InForce: so.InForce, Reason: so.Reason(), SignOff: so}
	if !st.InForce {
		return st
	}
	switch {
	case p.Effective.IsZero():
		st.InForce, st.Reason = false, "not in force: no effective date"
	case dayNumber(p.Effective) > dayNumber(DateOf(asOf)):
		st.InForce, st.Reason = false, "not in force: effective from "+p.Effective.String()
	}
	return st
}

func dayNumber(d Date) int64 { return daysFromCivil(d.Year, d.Month, d.Day) }

func hoursDur(h float64) time.Duration { return time.Duration(math.Round(h * float64(time.Hour))) }

func minutesDur(m float64) time.Duration { return time.Duration(math.Round(m * float64(time.Minute))) }
