package icp

import (
	"math"
	"strings"
	"time"

	"github.com/revalign/revalign"
)

// Model is one signed, shared definition of the ideal customer and the
// scoring model that flows from it: firmographic and technographic fit
// criteria with weights, behavioural signals with points, caps and decay,
// demand states inferred from engagement, hard disqualifiers, tiers and the
// fit × engagement grid. It is plain configuration: load it from YAML or
// JSON (unknown fields rejected by revalign's config package), check it with
// [Model.Validate], compile it with [Model.Compile] to score records.
//
// A Model is a value; methods never modify it. Its Signatures are the CRO's
// and CMO's sign-off on its exact content ([Model.SignOff]).
type Model struct {
	// Name of the model, e.g. "Unified ICP".
	Name string `json:"name"`
	// Version as the review names it, e.g. "2026.2".
	Version string `json:"version"`
	// EffectiveDate is the date the model takes effect, "YYYY-MM-DD", or
	// empty while it is a draft. A signed model is in force from this date
	// on ([Model.SignOff]); a draft is never in force.
	EffectiveDate string `json:"effective_date,omitempty"`

	// Firmographic criteria: what kind of company the lead works for
	// (industry, employee count, revenue, region, …).
	Firmographic []Criterion `json:"firmographic"`
	// Technographic criteria: the tools the account runs, present or absent.
	Technographic []Criterion `json:"technographic"`
	// Behavioural signals: points per event, with caps and decay.
	Behavioural []Signal `json:"behavioural"`
	// Disqualifiers are hard rules that override any score: a lead matching
	// one is disqualified whatever its fit and engagement.
	Disqualifiers []Disqualifier `json:"disqualifiers"`

	// Caps bound each group's points.
	Caps Caps `json:"caps"`
	// FitGate keeps behavioural points out of the total until fit reaches a
	// minimum: fit before behaviour.
	FitGate FitGate `json:"fit_gate"`
	// Tiers cut the total score (fit + gated engagement), best first; the
	// last tier must start at 0.
	Tiers []Band `json:"tiers"`
	// DisqualifiedTier is the tier of a disqualified lead, e.g. "DQ".
	DisqualifiedTier string `json:"disqualified_tier"`
	// Grid is the fit × engagement grid (A1…C3).
	Grid Grid `json:"grid"`
	// DemandStates maps the engagement score to the demand state it signals,
	// highest threshold first (may be empty).
	DemandStates []Band `json:"demand_states,omitempty"`

	// Signatures are the leaders' sign-offs on this exact content. They are
	// left out of the content hash.
	Signatures revalign.Signatures `json:"signatures,omitempty"`
}

// Criterion is one fit rule: a condition on one attribute and the points a
// lead earns when it holds. A lead whose attribute is missing scores the
// criterion as unknown: no points, listed as unknown in the explanation.
//
// Points may be negative (a mismatch that should count against the lead);
// a group's total is floored at 0 and capped ([Caps]). A criterion with 0
// points scores nothing but is a feature for [Scorer.Calibrate], which can
// propose a weight for it.
type Criterion struct {
	// ID names the criterion in explanations, diffs and calibration, e.g.
	// "industry_core". IDs are unique across the whole model.
	ID string `json:"id"`
	// Field is the attribute the condition reads, e.g. "industry".
	Field string `json:"field"`
	// Op is the condition.
	Op Op `json:"op"`
	// Values are the items of an in, not_in or domain_in condition. They
	// match ASCII case-insensitively.
	Values []string `json:"values,omitempty"`
	// Min is the lower bound of a range condition, inclusive and finite;
	// nil is unbounded.
	Min *float64 `json:"min,omitempty"`
	// Max is the upper bound of a range condition, inclusive and finite;
	// nil is unbounded.
	Max *float64 `json:"max,omitempty"`
	// Points earned when the condition holds.
	Points float64 `json:"points"`
}

// Disqualifier is a hard rule: a lead whose attribute meets the condition is
// disqualified, whatever it scores. A missing attribute never disqualifies.
type Disqualifier struct {
	// ID names the disqualifier, e.g. "competitor", "student",
	// "existing_customer", "unserved_country".
	ID string `json:"id"`
	// Field is the attribute the condition reads, e.g. "email".
	Field string `json:"field"`
	// Op is the condition, as in [Criterion].
	Op Op `json:"op"`
	// Values are the items of an in, not_in or domain_in condition
	// (competitor domains, served countries), matched ASCII
	// case-insensitively.
	Values []string `json:"values,omitempty"`
	// Min is the inclusive lower bound of a range condition; nil is
	// unbounded.
	Min *float64 `json:"min,omitempty"`
	// Max is the inclusive upper bound of a range condition; nil is
	// unbounded.
	Max *float64 `json:"max,omitempty"`
}

// Signal gives points for each behavioural event of a type, decaying with the
// event's age and capped per signal. Events after the scoring instant do not
// count.
type Signal struct {
	// ID names the signal, e.g. "pricing_page". IDs are unique across the
	// whole model.
	ID string `json:"id"`
	// Event is the event type the signal counts, e.g. "pricing_page".
	Event string `json:"event"`
	// Points per event, before decay. May be negative (an unsubscribe).
	Points float64 `json:"points"`
	// Cap bounds the signal's points (in absolute value) however many events
	// there are; 0 means no cap.
	Cap float64 `json:"cap,omitempty"`
	// Decay says how an event's points fade with its age.
	Decay Decay `json:"decay"`
}

// Decay says how an event's points fade with age.
//
//   - none: full points for the whole lifespan (or forever when LifespanDays
//     is 0);
//   - half_life: points × 2^(−age/HalfLifeDays), as HubSpot's "50% per
//     month" (a half-life of one month); events older than LifespanDays, when
//     set, count nothing;
//   - linear: points × (1 − age/LifespanDays), reaching 0 at the end of the
//     lifespan, as MadKudu's (9 points, 90-day life, 3 days old: 8.7).
type Decay struct {
	// Kind is the decay curve: none (the zero Kind), half_life or linear.
	Kind DecayKind `json:"kind"`
	// HalfLifeDays is the age in days at which a half_life decay has
	// halved an event's points; only a half_life decay has one.
	HalfLifeDays float64 `json:"half_life_days,omitempty"`
	// LifespanDays is the age in days from which an event counts nothing;
	// 0 is no limit, except for a linear decay, which needs one.
	LifespanDays float64 `json:"lifespan_days,omitempty"`
}

// Caps bound the points of each group (default 100 each, as HubSpot's score
// groups). Each group's total is also floored at 0.
type Caps struct {
	// Firmographic caps the firmographic group's points. Default 100.
	Firmographic float64 `json:"firmographic"`
	// Technographic caps the technographic group's points. Default 100.
	Technographic float64 `json:"technographic"`
	// Behavioural caps the engagement score. Default 100.
	Behavioural float64 `json:"behavioural"`
}

// FitGate keeps engagement out of the total (and so out of the tier) until
// the fit score reaches MinFit: "teams score behaviours before they agree on
// fit, and the model amplifies the wrong accounts". The gate is on unless
// Off is true; when on, MinFit must be > 0.
type FitGate struct {
	// Off turns the gate off: engagement counts whatever the fit.
	Off bool `json:"off,omitempty"`
	// MinFit is the fit score from which engagement counts toward the
	// total. Default 50.
	MinFit float64 `json:"min_fit"`
}

// Band is one step of a threshold ladder: scores at or above Min (and below
// the previous band's Min) get Label.
type Band struct {
	// Label names the band: a tier ("A"), a grid letter or digit, a demand
	// state ("decision-ready").
	Label string `json:"label"`
	// Min is the band's threshold in points, inclusive.
	Min float64 `json:"min"`
}

// Grid is the fit × engagement grid users know from HubSpot: fit letters
// (A, B, C) by fit score and engagement digits (1, 2, 3) by engagement score;
// a lead's cell is letter + digit ("A1" is the best fit, most engaged). A
// disqualified lead is in no cell: its Cell is the disqualified tier.
type Grid struct {
	// Fit cuts the fit score into letters, best first; the last starts at
	// 0.
	Fit []Band `json:"fit"`
	// Engagement cuts the engagement score into digits, most engaged
	// first; the last starts at 0.
	Engagement []Band `json:"engagement"`
}

// Defaults of [DefaultModel].
const (
	// DefaultGroupCap is the cap of each group, as HubSpot's score groups.
	DefaultGroupCap = 100
	// DefaultMinFit is the fit gate's threshold: MadKudu's "medium" fit
	// segment starts at 50.
	DefaultMinFit = 50
	// RoleCRO and RoleCMO are the two roles whose sign-off puts a model in
	// force.
	RoleCRO = "cro"
	RoleCMO = "cmo"
)

// DefaultModel returns the frame of a Unified ICP model with the field's
// defaults, to which you add your fit criteria and behavioural signals:
//
//   - group caps of 100 points (HubSpot), scores floored at 0 (Marketo's
//     trap: a score below zero never comes back);
//   - the fit gate on at a fit of 50 (MadKudu's medium fit segment);
//   - tiers on fit + engagement (0–200): A ≥ 140, B ≥ 100, C ≥ 50, D ≥ 0,
//     and "DQ" for disqualified leads;
//   - the grid: fit A ≥ 70, B ≥ 50, C (MadKudu's fit segments); engagement
//     1 ≥ 75, 2 ≥ 50, 3;
//   - demand states by engagement: decision-ready ≥ 75, solution-aware ≥ 50,
//     problem-aware ≥ 25, unaware;
//   - the disqualifiers every team needs and that need no list: a student
//     (field "seniority" is "student") and an existing customer (field
//     "is_customer" is true). Competitor domains and served countries are
//     yours to list.
//
// It has no fit criteria and no signals: only your teams can agree on fit,
// and agreeing on fit comes first.
func DefaultModel() Model {
	return Model{
		Name:    "Unified ICP",
		Version: "1.0",
		Disqualifiers: []Disqualifier{
			{ID: "student", Field: "seniority", Op: OpIn, Values: []string{"student"}},
			{ID: "existing_customer", Field: "is_customer", Op: OpIsTrue},
		},
		Caps:             Caps{Firmographic: DefaultGroupCap, Technographic: DefaultGroupCap, Behavioural: DefaultGroupCap},
		FitGate:          FitGate{MinFit: DefaultMinFit},
		Tiers:            []Band{{"A", 140}, {"B", 100}, {"C", 50}, {"D", 0}},
		DisqualifiedTier: "DQ",
		Grid: Grid{
			Fit:        []Band{{"A", 70}, {"B", 50}, {"C", 0}},
			Engagement: []Band{{"1", 75}, {"2", 50}, {"3", 0}},
		},
		DemandStates: []Band{{"decision-ready", 75}, {"solution-aware", 50}, {"problem-aware", 25}, {"unaware", 0}},
	}
}

// Validate reports every problem of the model at once, each naming the field
// and the value:
//
//	icp: firmographic[2].points: must be a number of points within ±1e9, got NaN
//
// It also enforces fit before behaviour: a model with behavioural signals
// must have at least one fit criterion with points.
func (m Model) Validate() error {
	v := revalign.Validator{Pkg: "icp"}
	v.Check(strings.TrimSpace(m.Name) != "", "name", m.Name, "model needs a name")
	v.Check(strings.TrimSpace(m.Version) != "", "version", m.Version, "model needs a version")
	if m.EffectiveDate != "" {
		_, err := time.Parse(time.DateOnly, m.EffectiveDate)
		v.Check(err == nil, "effective_date", m.EffectiveDate, "must be a date YYYY-MM-DD")
	}
	ids := map[string]string{}
	checkID := func(path, id string) {
		if !v.Check(strings.TrimSpace(id) != "" && strings.TrimSpace(id) == id, path+".id", id, "needs an id without surrounding space") {
			return
		}
		if prev, dup := ids[id]; dup {
			v.Add(path+".id", id, "duplicate id (also "+prev+")")
			return
		}
		ids[id] = path
	}
	fitPoints := false
	for _, g := range []struct {
		name string
		cs   []Criterion
	}{{"firmographic", m.Firmographic}, {"technographic", m.Technographic}} {
		for i, c := range g.cs {
			p := revalign.Index(g.name, i)
			checkID(p, c.ID)
			v.Nest(p, c.Validate())
			fitPoints = fitPoints || c.Points != 0
		}
	}
	for i, s := range m.Behavioural {
		p := revalign.Index("behavioural", i)
		checkID(p, s.ID)
		v.Nest(p, s.Validate())
	}
	if len(m.Behavioural) > 0 && !fitPoints {
		v.Add("firmographic", nil, "behavioural signals need at least one fit criterion with points: agree on fit before scoring behaviour")
	}
	for i, d := range m.Disqualifiers {
		p := revalign.Index("disqualifiers", i)
		checkID(p, d.ID)
		v.Nest(p, condition{d.Field, d.Op, d.Values, d.Min, d.Max}.validate())
	}
	v.Nest("caps", m.Caps.Validate())
	if !m.FitGate.Off {
		v.Check(pointsOK(m.FitGate.MinFit) && m.FitGate.MinFit > 0, "fit_gate.min_fit", m.FitGate.MinFit, "must be > 0 while the gate is on (set off: true to score behaviour regardless of fit)")
		v.Check(!(m.FitGate.MinFit > m.Caps.Firmographic+m.Caps.Technographic), "fit_gate.min_fit", m.FitGate.MinFit, "exceeds the most fit points the caps allow: the gate would never open")
	}
	validateBands(&v, "tiers", m.Tiers, true)
	v.Check(strings.TrimSpace(m.DisqualifiedTier) != "", "disqualified_tier", m.DisqualifiedTier, "needs a label")
	for _, t := range m.Tiers {
		v.Check(t.Label != m.DisqualifiedTier, "disqualified_tier", m.DisqualifiedTier, "must differ from every tier label")
	}
	validateBands(&v, "grid.fit", m.Grid.Fit, true)
	validateBands(&v, "grid.engagement", m.Grid.Engagement, true)
	validateBands(&v, "demand_states", m.DemandStates, false)
	return v.Err()
}

// Validate reports a criterion without a field, with a malformed condition
// or with points that are not finite. The criterion's id is checked by
// [Model.Validate], which sees all ids.
func (c Criterion) Validate() error {
	v := revalign.Validator{Pkg: "icp"}
	v.Nest("", condition{c.Field, c.Op, c.Values, c.Min, c.Max}.validate())
	v.Check(pointsOK(c.Points), "points", c.Points, mustBePoints)
	return v.Err()
}

// Validate reports a signal without an event type, with points or a cap that
// are not finite, or with an inconsistent decay.
func (s Signal) Validate() error {
	v := revalign.Validator{Pkg: "icp"}
	v.Check(strings.TrimSpace(s.Event) != "", "event", s.Event, "signal needs an event type")
	v.Check(pointsOK(s.Points), "points", s.Points, mustBePoints)
	v.Check(pointsOK(s.Cap) && s.Cap >= 0, "cap", s.Cap, "must be >= 0 (0: no cap)")
	v.Nest("decay", s.Decay.Validate())
	return v.Err()
}

// Validate reports a decay whose kind and parameters disagree: half_life
// needs half_life_days > 0, linear needs lifespan_days > 0 and no half-life,
// none has no half-life; lifespan_days is >= 0 in every case.
func (d Decay) Validate() error {
	v := revalign.Validator{Pkg: "icp"}
	v.Check(finite(d.LifespanDays) && d.LifespanDays >= 0, "lifespan_days", d.LifespanDays, "must be >= 0 (0: no limit)")
	v.Check(finite(d.HalfLifeDays) && d.HalfLifeDays >= 0, "half_life_days", d.HalfLifeDays, "must be >= 0")
	switch d.Kind {
	case DecayNone:
		v.Check(d.HalfLifeDays == 0, "half_life_days", d.HalfLifeDays, "only a half_life decay has a half-life")
	case DecayHalfLife:
		v.Check(d.HalfLifeDays > 0, "half_life_days", d.HalfLifeDays, "a half_life decay needs half_life_days > 0")
	case DecayLinear:
		v.Check(d.LifespanDays > 0, "lifespan_days", d.LifespanDays, "a linear decay needs lifespan_days > 0")
		v.Check(d.HalfLifeDays == 0, "half_life_days", d.HalfLifeDays, "a linear decay has no half-life")
	default:
		v.Add("kind", d.Kind.String(), "unknown decay kind")
	}
	return v.Err()
}

// Validate reports a cap that is not a positive finite number.
func (c Caps) Validate() error {
	v := revalign.Validator{Pkg: "icp"}
	v.Check(pointsOK(c.Firmographic) && c.Firmographic > 0, "firmographic", c.Firmographic, "must be > 0")
	v.Check(pointsOK(c.Technographic) && c.Technographic > 0, "technographic", c.Technographic, "must be > 0")
	v.Check(pointsOK(c.Behavioural) && c.Behavioural > 0, "behavioural", c.Behavioural, "must be > 0")
	return v.Err()
}

// validateBands checks a ladder: labels present and unique, thresholds
// finite and strictly decreasing, the last at 0 so that every score (floored
// at 0) has a band. An empty ladder is an error when required.
func validateBands(v *revalign.Validator, path string, bands []Band, required bool) {
	if len(bands) == 0 {
		if required {
			v.Add(path, nil, "needs at least one band")
		}
		return
	}
	seen := map[string]bool{}
	for i, b := range bands {
		p := revalign.Index(path, i)
		if v.Check(strings.TrimSpace(b.Label) != "", p+".label", b.Label, "needs a label") {
			v.Check(!seen[b.Label], p+".label", b.Label, "duplicate label")
			seen[b.Label] = true
		}
		if !v.Check(pointsOK(b.Min), p+".min", b.Min, mustBePoints) {
			continue
		}
		if i > 0 && pointsOK(bands[i-1].Min) {
			v.Check(b.Min < bands[i-1].Min, p+".min", b.Min, "thresholds must decrease from the first band to the last")
		}
	}
	last := bands[len(bands)-1]
	v.Check(last.Min == 0, revalign.Index(path, len(bands)-1)+".min", last.Min, "the last band must start at 0 so that every score has one")
}

// condition is the shared shape of a criterion's and a disqualifier's test.
type condition struct {
	field    string
	op       Op
	values   []string
	min, max *float64
}

func (c condition) validate() error {
	v := revalign.Validator{Pkg: "icp"}
	v.Check(strings.TrimSpace(c.field) != "", "field", c.field, "needs a field")
	switch c.op {
	case OpIn, OpNotIn, OpDomainIn:
		if v.Check(len(c.values) > 0, "values", nil, c.op.String()+" needs at least one value") {
			for i, s := range c.values {
				v.Check(strings.TrimSpace(s) != "", revalign.Index("values", i), s, "must not be blank")
			}
		}
		v.Check(c.min == nil && c.max == nil, "min", nil, c.op.String()+" takes values, not min or max")
	case OpRange:
		v.Check(len(c.values) == 0, "values", nil, "range takes min and max, not values")
		v.Check(c.min != nil || c.max != nil, "min", nil, "range needs min, max or both")
		// An infinite bound would make the model impossible to encode in
		// JSON, and so to hash and sign: leave the bound out instead.
		if c.min != nil {
			v.Check(finite(*c.min), "min", *c.min, "must be a finite number (leave min out for no lower bound)")
		}
		if c.max != nil {
			v.Check(finite(*c.max), "max", *c.max, "must be a finite number (leave max out for no upper bound)")
		}
		if c.min != nil && c.max != nil {
			v.Check(*c.min <= *c.max, "max", *c.max, "must be >= min")
		}
	case OpIsTrue, OpIsFalse:
		v.Check(len(c.values) == 0 && c.min == nil && c.max == nil, "values", nil, c.op.String()+" takes no values, min or max")
	default:
		v.Add("op", c.op.String(), "unknown op")
	}
	return v.Err()
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// maxPoints bounds every number of points in a model, so that scores kept
// in int64 hundredths cannot overflow.
const maxPoints = 1e9

const mustBePoints = "must be a number of points within ±1e9"

// pointsOK reports whether x is a usable number of points.
func pointsOK(x float64) bool { return finite(x) && math.Abs(x) <= maxPoints }

// Op is the test a criterion or disqualifier applies to an attribute. In
// JSON it is text: "in", "not_in", "range", "is_true", "is_false",
// "domain_in". Text comparisons are ASCII case-insensitive; other characters
// must match exactly.
type Op uint8

// The ops. The zero Op is invalid: a condition must say what it tests.
const (
	opUnset Op = iota
	// OpIn holds when a text attribute, or any item of a list attribute
	// (the tools an account runs), is one of Values.
	OpIn
	// OpNotIn holds when a text attribute, or every item of a list
	// attribute, is none of Values ("served countries" turned around, a tool
	// that must be absent).
	OpNotIn
	// OpRange holds when a numeric attribute is within [Min, Max].
	OpRange
	// OpIsTrue holds when a boolean attribute is true.
	OpIsTrue
	// OpIsFalse holds when a boolean attribute is false.
	OpIsFalse
	// OpDomainIn holds when the domain of a text attribute (the part after
	// the last "@" of an email address, or the whole text) is one of Values
	// or a subdomain of one: "jo@eu.rival.com" is in "rival.com".
	OpDomainIn
)

var opNames = []string{OpIn: "in", OpNotIn: "not_in", OpRange: "range", OpIsTrue: "is_true", OpIsFalse: "is_false", OpDomainIn: "domain_in"}

// String returns the op's JSON name.
func (o Op) String() string { return enumString(opNames, int(o), "Op") }

// MarshalText returns the op's JSON name; an invalid op is an error.
func (o Op) MarshalText() ([]byte, error) { return enumMarshal(opNames, int(o), "op") }

// UnmarshalText parses an op's JSON name.
func (o *Op) UnmarshalText(text []byte) error {
	i, err := enumParse(opNames, text, "op")
	*o = Op(i)
	return err
}

// DecayKind says how a signal's points fade: "none", "half_life" or
// "linear" (see [Decay]). The zero DecayKind is none.
type DecayKind uint8

// The decay kinds.
const (
	DecayNone DecayKind = iota
	DecayHalfLife
	DecayLinear
)

var decayNames = []string{DecayNone: "none", DecayHalfLife: "half_life", DecayLinear: "linear"}

// String returns the kind's JSON name.
func (k DecayKind) String() string { return enumString(decayNames, int(k), "DecayKind") }

// MarshalText returns the kind's JSON name.
func (k DecayKind) MarshalText() ([]byte, error) {
	return enumMarshal(decayNames, int(k), "decay kind")
}

// UnmarshalText parses a decay kind's JSON name.
func (k *DecayKind) UnmarshalText(text []byte) error {
	i, err := enumParse(decayNames, text, "decay kind")
	*k = DecayKind(i)
	return err
}
