package cadence

import (
	"fmt"
	"slices"
	"time"

	"github.com/revalign/revalign"
)

// The keys of the default rituals. Governance checks look the pipeline
// review and the loss post-mortem up by these keys.
const (
	PipelineReview    = "weekly_pipeline_review"
	DemandStateReview = "monthly_demand_state_review"
	SLAReview         = "monthly_sla_review"
	ICPReview         = "quarterly_icp_scoring_review"
	SLARecalibration  = "quarterly_sla_recalibration"
	LossPostMortem    = "quarterly_loss_postmortem"
)

// The keys of the weekly pipeline review's agenda items (the seed's 45
// minutes). A pipeline review whose agenda has no time for pattern flags
// is a deal inspection (see [Governance.FailureModes]).
const (
	AgendaForecastDelta     = "forecast_delta"
	AgendaOverThreshold     = "deals_over_threshold"
	AgendaStalledInventory  = "stalled_inventory"
	AgendaPatternFlags      = "pattern_flags"
	AgendaActionCommitments = "action_commitments"
)

// Recurrence says when a ritual meets: every week on a weekday, or on the
// Nth weekday of every month, fiscal quarter or fiscal year, at a wall-clock
// time, for a number of minutes.
//
//	{Every: revalign.Week, Weekday: Monday, At: At(10, 0), DurationMinutes: 45}             // weekly, Monday 10:00
//	{Every: revalign.Month, Nth: 2, Weekday: Tuesday, At: At(14, 0), DurationMinutes: 60}   // second Tuesday monthly
//	{Every: revalign.Quarter, Nth: 1, Weekday: Tuesday, At: At(13, 0), DurationMinutes: 90} // first week of the quarter
type Recurrence struct {
	// Every is the period the ritual recurs in: week, month, quarter or
	// year. Quarters and years are fiscal (see [Cadence.Calendar]).
	Every revalign.Unit `json:"every"`
	// Nth picks the Nth Weekday of the month, quarter or year (1 is the
	// first, -1 the last); 0 means the first. It must be 0 for weekly
	// rituals.
	Nth int `json:"nth,omitempty"`
	// Weekday the ritual meets on.
	Weekday Weekday `json:"weekday"`
	// At is the wall-clock start time in the schedule's time zone.
	At Clock `json:"at"`
	// DurationMinutes is the length of the meeting in elapsed minutes.
	DurationMinutes int `json:"duration_minutes"`
}

// maxNth bounds Nth per unit: five of a weekday in a month, fourteen in a
// quarter, fifty-three in a year.
var maxNth = [...]int{revalign.Week: 0, revalign.Month: 5, revalign.Quarter: 14, revalign.Year: 53}

// Validate reports an unknown unit or weekday, an Nth outside its period, a
// time of day outside 00:00–23:59 or a duration outside 1 minute to 24 hours.
func (r Recurrence) Validate() error {
	v := validator()
	if v.Check(r.Every >= revalign.Week && r.Every <= revalign.Year, "every", int(r.Every), "must be week, month, quarter or year") {
		limit := maxNth[r.Every]
		if r.Every == revalign.Week {
			v.Check(r.Nth == 0, "nth", r.Nth, "a weekly ritual has no nth")
		} else {
			v.Check(r.Nth >= -limit && r.Nth <= limit, "nth", r.Nth, fmt.Sprintf("must be within ±%d for a %s", limit, r.Every))
		}
	}
	v.Check(r.Weekday.valid(), "weekday", int(r.Weekday), "must be a week day")
	v.Check(r.At.valid(), "at", int(r.At), "must be a time of day 00:00..23:59")
	v.Check(r.DurationMinutes > 0 && r.DurationMinutes <= 24*60, "duration_minutes", r.DurationMinutes, "must be 1..1440")
	return v.Err()
}

// String describes the recurrence: "every Monday at 10:00 (45 min)",
// "2nd Tuesday of every month at 14:00 (60 min)".
func (r Recurrence) String() string {
	if r.Every == revalign.Week {
		return fmt.Sprintf("every %s at %s (%d min)", r.Weekday, r.At, r.DurationMinutes)
	}
	n := r.Nth
	if n == 0 {
		n = 1
	}
	which := ordinal(n)
	if n == -1 {
		which = "last"
	} else if n < 0 {
		which = ordinal(-n) + " last"
	}
	return fmt.Sprintf("%s %s of every %s at %s (%d min)", which, r.Weekday, r.Every, r.At, r.DurationMinutes)
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// Artifact is what a ritual maintains (the forecast, the SLA pact, the
// demand-state map) and the one person who owns it.
type Artifact struct {
	// Name of the artifact.
	Name string `json:"name"`
	// Owner keeps the artifact current between meetings.
	Owner revalign.Owner `json:"owner"`
}

// DecisionRight names who decides what in a ritual. Decisions are owned by
// one person; a countersign makes a decision binding on a second team (the
// SLA is owned by marketing operations and countersigned by sales
// operations).
type DecisionRight struct {
	// Decision the owner makes, e.g. "which deals come off the forecast".
	Decision string `json:"decision"`
	// Owner makes the decision.
	Owner revalign.Owner `json:"owner"`
	// Countersign, when set, must agree before the decision is binding.
	Countersign revalign.Owner `json:"countersign,omitzero"`
}

// AgendaItem is one time-boxed item of a ritual's agenda.
type AgendaItem struct {
	// Key identifies the item, e.g. [AgendaPatternFlags].
	Key string `json:"key"`
	// Topic says what is reviewed.
	Topic string `json:"topic"`
	// Minutes allotted.
	Minutes int `json:"minutes"`
}

// Escalation is a trigger that takes an issue out of the ritual: to another
// ritual (RouteTo, a ritual key), to a person (Owner), or both.
type Escalation struct {
	// Trigger is the condition, e.g. "same stall pattern in 3+ deals".
	Trigger string `json:"trigger"`
	// RouteTo is the key of the ritual that takes the issue up.
	RouteTo string `json:"route_to,omitempty"`
	// Owner takes the issue up.
	Owner revalign.Owner `json:"owner,omitzero"`
}

// Ritual is one recurring meeting of the revenue operating cadence: when it
// meets, who runs it, the artifact it keeps, who decides what, what it
// reads and what it escalates. A ritual without an artifact owner or a
// decision owner does not validate: "if nobody owns the boundary, both
// teams own the blame".
type Ritual struct {
	// Key identifies the ritual (decisions and escalations refer to it).
	Key string `json:"key"`
	// Name is the ritual's display name.
	Name string `json:"name"`
	// Purpose says in one sentence why the ritual exists.
	Purpose string `json:"purpose,omitempty"`
	// When the ritual meets.
	When Recurrence `json:"when"`
	// Owners run the ritual (both leaders, for the pipeline review).
	Owners []revalign.Owner `json:"owners"`
	// Facilitator, when set, runs the session without a stake in its
	// outcome (the loss post-mortem needs a neutral one).
	Facilitator revalign.Owner `json:"facilitator,omitzero"`
	// Artifact the ritual maintains and its owner.
	Artifact Artifact `json:"artifact"`
	// Decisions the ritual makes and who makes them.
	Decisions []DecisionRight `json:"decision_rights"`
	// Inputs the ritual reads.
	Inputs []string `json:"inputs,omitempty"`
	// Agenda is the time-boxed agenda; its minutes may not exceed the
	// meeting's duration.
	Agenda []AgendaItem `json:"agenda,omitempty"`
	// Escalations are the triggers that take an issue out of the ritual.
	Escalations []Escalation `json:"escalations,omitempty"`
}

// Validate reports a ritual without a key, name, owner, artifact owner or
// decision owner, an invalid recurrence, or an agenda longer than the
// meeting.
func (r Ritual) Validate() error {
	v := validator()
	v.Check(!blank(r.Key), "key", r.Key, "ritual needs a key")
	v.Check(!blank(r.Name), "name", r.Name, "ritual needs a name")
	v.Nest("when", r.When.Validate())
	if v.Check(len(r.Owners) > 0, "owners", nil, "ritual needs at least one owner") {
		for i, o := range r.Owners {
			checkOwner(&v, revalign.Index("owners", i), o, "owner needs a name and team")
		}
	}
	checkOptionalOwner(&v, "facilitator", r.Facilitator)
	v.Check(!blank(r.Artifact.Name), "artifact.name", r.Artifact.Name, "ritual needs an artifact")
	checkOwner(&v, "artifact.owner", r.Artifact.Owner, "artifact needs an owner")
	if v.Check(len(r.Decisions) > 0, "decision_rights", nil, "ritual needs at least one decision right with an owner") {
		for i, d := range r.Decisions {
			p := revalign.Index("decision_rights", i)
			v.Check(!blank(d.Decision), p+".decision", d.Decision, "decision right needs a decision")
			checkOwner(&v, p+".owner", d.Owner, "decision needs an owner")
			checkOptionalOwner(&v, p+".countersign", d.Countersign)
			v.Check(d.Countersign.IsZero() || d.Countersign != d.Owner, p+".countersign", d.Countersign.String(), "countersign must be someone other than the owner")
		}
	}
	total := 0
	for i, a := range r.Agenda {
		p := revalign.Index("agenda", i)
		v.Check(!blank(a.Topic), p+".topic", a.Topic, "agenda item needs a topic")
		v.Check(a.Minutes > 0, p+".minutes", a.Minutes, "must be > 0")
		total += a.Minutes
	}
	v.Check(r.When.DurationMinutes <= 0 || total <= r.When.DurationMinutes, "agenda", total, fmt.Sprintf("agenda minutes exceed the %d-minute meeting", r.When.DurationMinutes))
	for i, e := range r.Escalations {
		p := revalign.Index("escalations", i)
		v.Check(!blank(e.Trigger), p+".trigger", e.Trigger, "escalation needs a trigger")
		v.Check(!blank(e.RouteTo) || !e.Owner.IsZero(), p, nil, "escalation needs a ritual to route to or an owner")
		checkOptionalOwner(&v, p+".owner", e.Owner)
	}
	return v.Err()
}

// Cadence is the revenue operating cadence: the rituals, the fiscal
// calendar their months and quarters follow, the holidays they skip, and
// the window in which their decisions must change something.
//
// Cadence is a plain value, safe for concurrent use once built; in JSON and
// YAML its fields are snake_case.
type Cadence struct {
	// Calendar gives the fiscal-year start and week start; quarterly
	// rituals follow fiscal quarters. Its time zone is the default for
	// [Cadence.Schedule].
	Calendar revalign.FiscalCalendar `json:"calendar"`
	// Rituals of the cadence; keys are unique.
	Rituals []Ritual `json:"rituals"`
	// Holidays on which no ritual meets.
	Holidays []Holiday `json:"holidays,omitempty"`
	// OnHoliday says whether an occurrence on a holiday is skipped (the
	// default) or moved to the next business day.
	OnHoliday HolidayRule `json:"on_holiday"`
	// Weekend lists the days that are not business days, for
	// NextBusinessDay. Defaults to Saturday and Sunday.
	Weekend []Weekday `json:"weekend"`
	// DecisionWindowDays is the window in which a ritual's decision must
	// change something (the catalog's "next 30 days"), 1 to
	// MaxDecisionWindowDays. Defaults to 30.
	DecisionWindowDays int `json:"decision_window_days"`
}

// MaxDecisionWindowDays is the longest decision window a [Cadence]
// accepts: a year. A decision that changes nothing for longer is not a
// cadence decision, and the window bounds the meetings [Cadence.Decisions]
// schedules.
const MaxDecisionWindowDays = 366

// Validate reports every invalid ritual, holiday and setting, duplicate
// ritual keys and escalations routed to a ritual that does not exist.
func (c Cadence) Validate() error {
	v := validator()
	v.Nest("calendar", c.Calendar.Validate())
	keys := make(map[string]bool, len(c.Rituals))
	if v.Check(len(c.Rituals) > 0, "rituals", nil, "cadence needs at least one ritual") {
		for i, r := range c.Rituals {
			p := revalign.Index("rituals", i)
			v.Nest(p, r.Validate())
			v.Check(!keys[r.Key], p+".key", r.Key, "duplicate ritual key")
			keys[r.Key] = true
		}
	}
	for i, r := range c.Rituals {
		for j, e := range r.Escalations {
			v.Check(e.RouteTo == "" || keys[e.RouteTo], revalign.Index(revalign.Index("rituals", i)+".escalations", j)+".route_to", e.RouteTo, "no ritual with this key")
		}
	}
	for i, h := range c.Holidays {
		v.Nest(revalign.Index("holidays", i), h.Validate())
	}
	v.Check(c.OnHoliday == Skip || c.OnHoliday == NextBusinessDay, "on_holiday", int(c.OnHoliday), "must be skip or next_business_day")
	for i, d := range c.Weekend {
		v.Check(d.valid(), revalign.Index("weekend", i), int(d), "must be a week day")
	}
	v.Check(len(c.Weekend) < 7, "weekend", len(c.Weekend), "at least one business day is needed")
	v.Check(c.DecisionWindowDays > 0 && c.DecisionWindowDays <= MaxDecisionWindowDays, "decision_window_days", c.DecisionWindowDays,
		fmt.Sprintf("must be in 1..%d", MaxDecisionWindowDays))
	return v.Err()
}

// Ritual returns the ritual with the given key.
func (c Cadence) Ritual(key string) (Ritual, bool) {
	for _, r := range c.Rituals {
		if r.Key == key {
			return r, true
		}
	}
	return Ritual{}, false
}

// The default role holders. Organisations replace them with names.
var (
	vpSales     = revalign.Owner{Name: "VP Sales", Team: revalign.Sales}
	vpMarketing = revalign.Owner{Name: "VP Marketing", Team: revalign.Marketing}
	cro         = revalign.Owner{Name: "CRO", Team: revalign.Executive}
	cmo         = revalign.Owner{Name: "CMO", Team: revalign.Marketing}
	revopsLead  = revalign.Owner{Name: "RevOps lead", Team: revalign.RevOps}
	mopsLead    = revalign.Owner{Name: "Marketing operations lead", Team: revalign.Marketing}
	sopsLead    = revalign.Owner{Name: "Sales operations lead", Team: revalign.Sales}
	// tieBreaker is the seed's "single named tie-breaker" of Step 1, the
	// one role that settles handoff disputes before the CRO: the VP
	// Marketing, owner of the demand-state map, as in
	// demandstate.DefaultModel.
	tieBreaker = vpMarketing
)

// DefaultCadence returns the seed's operating cadence: the weekly pipeline
// review (45 minutes with the seed's agenda), the monthly demand-state
// review, the monthly SLA review of rejection reasons, the quarterly ICP and
// scoring review, the quarterly SLA recalibration and the quarterly loss
// post-mortem, each with owners, an owned artifact, decision rights, inputs
// and escalation triggers. Owners are role holders ("VP Sales"); replace
// them with names. The calendar is the calendar year with weeks starting on
// Monday; set the organisation's fiscal calendar.
func DefaultCadence() Cadence {
	return Cadence{
		Calendar:           revalign.FiscalCalendar{StartMonth: time.January, WeekStart: time.Monday, Location: time.UTC},
		OnHoliday:          Skip,
		Weekend:            []Weekday{Saturday, Sunday},
		DecisionWindowDays: 30,
		Rituals: []Ritual{
			{
				Key:      PipelineReview,
				Name:     "Weekly pipeline review",
				Purpose:  "Both leaders walk every deal over the threshold; every stalled deal gets a named owner and a dated next action, or it comes off the forecast.",
				When:     Recurrence{Every: revalign.Week, Weekday: Monday, At: At(10, 0), DurationMinutes: 45},
				Owners:   []revalign.Owner{vpSales, vpMarketing},
				Artifact: Artifact{Name: "Weekly forecast and action-commitment log", Owner: vpSales},
				Decisions: []DecisionRight{
					{Decision: "Which deals come off the forecast", Owner: vpSales},
					{Decision: "Who owns each unowned or passive deal, and its dated next action", Owner: vpSales},
					{Decision: "Which stall patterns go to the next loss review", Owner: vpMarketing, Countersign: vpSales},
				},
				Inputs: []string{"this week's pipeline snapshot", "last week's pipeline snapshot", "deals won and lost since last week", "deal threshold value"},
				Agenda: []AgendaItem{
					{Key: AgendaForecastDelta, Topic: "Forecast delta: what changed since last week", Minutes: 5},
					{Key: AgendaOverThreshold, Topic: "Deals over threshold: walk each, name the owner and the dated next action", Minutes: 20},
					{Key: AgendaStalledInventory, Topic: "Stalled inventory: no stage movement for 21+ days", Minutes: 10},
					{Key: AgendaPatternFlags, Topic: "Pattern flags: recurring objections, stage drop-offs, content gaps", Minutes: 5},
					{Key: AgendaActionCommitments, Topic: "Action commitments: who owns what by next Friday", Minutes: 5},
				},
				Escalations: []Escalation{
					{Trigger: "The same stall pattern in 3 or more deals", RouteTo: LossPostMortem},
					{Trigger: "A deal over the threshold with no owner after the review", Owner: cro},
				},
			},
			{
				Key:      DemandStateReview,
				Name:     "Monthly demand-state review",
				Purpose:  "Review state-transition rates and win rate by demand state with both teams; tighten definitions two people disagree on.",
				When:     Recurrence{Every: revalign.Month, Nth: 1, Weekday: Wednesday, At: At(14, 0), DurationMinutes: 60},
				Owners:   []revalign.Owner{vpMarketing, vpSales},
				Artifact: Artifact{Name: "Demand-state map with owners and entry/exit criteria", Owner: vpMarketing},
				Decisions: []DecisionRight{
					{Decision: "Rewrite a demand-state definition two people can disagree on", Owner: tieBreaker},
					{Decision: "Change the routing of a demand state", Owner: vpMarketing, Countersign: vpSales},
				},
				Inputs: []string{"demand-state transition rates", "win rate by demand state of entry", "content utilisation by demand state"},
				Escalations: []Escalation{
					{Trigger: "Two people disagree which state a deal is in", Owner: tieBreaker},
					{Trigger: "The tie-breaker cannot settle a dispute", Owner: cro},
				},
			},
			{
				Key:      SLAReview,
				Name:     "Monthly SLA review of rejection reasons",
				Purpose:  "Review every rejection reason and SLA breach of the month; fix the process, not the reps.",
				When:     Recurrence{Every: revalign.Month, Nth: 2, Weekday: Tuesday, At: At(14, 0), DurationMinutes: 60},
				Owners:   []revalign.Owner{mopsLead, sopsLead},
				Artifact: Artifact{Name: "SLA pact and compliance report", Owner: mopsLead},
				Decisions: []DecisionRight{
					{Decision: "Which rejection reasons call for a criteria change at the next recalibration", Owner: mopsLead, Countersign: sopsLead},
					{Decision: "Which SLA breaches escalate", Owner: sopsLead},
				},
				Inputs: []string{"rejection reasons of declined MQLs", "first-touch and disposition SLA compliance", "MQL acceptance rate by week"},
				Escalations: []Escalation{
					{Trigger: "Acceptance rate below 75% for two consecutive weeks", RouteTo: SLARecalibration},
					{Trigger: "A dispute the two operations leads cannot settle", Owner: tieBreaker},
				},
			},
			{
				Key:      ICPReview,
				Name:     "Quarterly ICP and scoring review",
				Purpose:  "Recalibrate fit criteria, signal weights and disqualifiers from sales dispositions and the loss post-mortem.",
				When:     Recurrence{Every: revalign.Quarter, Nth: 1, Weekday: Thursday, At: At(13, 0), DurationMinutes: 90},
				Owners:   []revalign.Owner{cmo, cro},
				Artifact: Artifact{Name: "ICP scoring model (signed)", Owner: mopsLead},
				Decisions: []DecisionRight{
					{Decision: "Change fit criteria, weights, tiers and disqualifiers", Owner: cmo, Countersign: cro},
				},
				Inputs: []string{"sales dispositions with reasons", "scoring calibration report", "loss post-mortem structural changes"},
				Escalations: []Escalation{
					{Trigger: "Sales rejects 40% or more of MQLs as low quality", RouteTo: SLARecalibration},
				},
			},
			{
				Key:      SLARecalibration,
				Name:     "Quarterly SLA recalibration",
				Purpose:  "Rewrite the MQL criteria and the commitments of the SLA pact for the next quarter; both leaders sign again.",
				When:     Recurrence{Every: revalign.Quarter, Nth: 2, Weekday: Thursday, At: At(13, 0), DurationMinutes: 90},
				Owners:   []revalign.Owner{mopsLead, sopsLead},
				Artifact: Artifact{Name: "SLA pact (signed)", Owner: mopsLead},
				Decisions: []DecisionRight{
					{Decision: "Rewrite MQL criteria and response-time commitments", Owner: mopsLead, Countersign: sopsLead},
				},
				Inputs: []string{"three monthly SLA reviews", "ICP and scoring review outcome"},
				Escalations: []Escalation{
					{Trigger: "The leaders do not sign the rewritten pact", Owner: cro},
				},
			},
			{
				Key:         LossPostMortem,
				Name:        "Quarterly loss post-mortem",
				Purpose:     "Review 5 to 10 losses of the last quarter with both teams and produce 3 to 5 structural changes for next quarter's plan.",
				When:        Recurrence{Every: revalign.Quarter, Nth: 1, Weekday: Tuesday, At: At(13, 0), DurationMinutes: 90},
				Owners:      []revalign.Owner{vpSales, vpMarketing},
				Facilitator: revopsLead,
				Artifact:    Artifact{Name: "Structural changes for next quarter's plan", Owner: revopsLead},
				Decisions: []DecisionRight{
					{Decision: "Which structural changes enter next quarter's plan", Owner: cro},
				},
				Inputs: []string{"the quarter's losses with reasons and values", "prospect interviews", "stall patterns routed from the pipeline review"},
				Escalations: []Escalation{
					{Trigger: "A change to the ICP or scoring", RouteTo: ICPReview},
					{Trigger: "A change to the MQL criteria", RouteTo: SLARecalibration},
				},
			},
		},
	}
}

// Assign returns a copy of the cadence in which every owner named as a key
// of people (a ritual's owners and facilitator, artifact owners, decision
// owners and countersigns, escalation owners) is replaced by the matching
// value: Assign(map[string]revalign.Owner{"VP Sales": {Name: "Dana Cruz",
// Team: revalign.Sales}}) puts a person in the default cadence's role. The
// receiver is not modified.
func (c Cadence) Assign(people map[string]revalign.Owner) Cadence {
	swap := func(o *revalign.Owner) {
		if p, ok := people[o.Name]; ok && !o.IsZero() {
			*o = p
		}
	}
	out := c
	out.Rituals = make([]Ritual, len(c.Rituals))
	for i, r := range c.Rituals {
		r.Owners = slices.Clone(r.Owners)
		r.Decisions = slices.Clone(r.Decisions)
		r.Escalations = slices.Clone(r.Escalations)
		for j := range r.Owners {
			swap(&r.Owners[j])
		}
		swap(&r.Facilitator)
		swap(&r.Artifact.Owner)
		for j := range r.Decisions {
			swap(&r.Decisions[j].Owner)
			swap(&r.Decisions[j].Countersign)
		}
		for j := range r.Escalations {
			swap(&r.Escalations[j].Owner)
		}
		out.Rituals[i] = r
	}
	return out
}
