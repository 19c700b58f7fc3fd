package icp

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/revalign/revalign"
)

// Scorer is a [Model] compiled against a [Schema]: field names resolved to
// indices, value sets prepared for case-insensitive lookup, points and
// thresholds converted to hundredths of a point. Scoring a [Record] with a
// Scorer allocates nothing.
//
// A Scorer is immutable and safe for concurrent use by multiple goroutines.
type Scorer struct {
	model  Model
	schema Schema

	criteria []criterion // firmographic, then technographic
	nFirmo   int
	signals  []signal
	types    strSet  // the signals' distinct event types
	typeSigs [][]int // typeSigs[t]: the signals counting event type t
	dq       []disqualifier
	groups   []fieldGroup // in/not_in conditions evaluated per field

	capFirmo, capTechno, capBehav int64
	gate                          bool
	minFit                        int64
	tiers, fitBands, engBands     []band
	states                        []band
	cells                         [][]string // [fit band][engagement band] → "A1"
	dqTier                        string
	perSignal                     bool // more signals than stackSignals
}

type criterion struct {
	cond
	id     string
	group  Group
	points int64 // hundredths
}

type disqualifier struct {
	cond
	id string
}

type signal struct {
	id      string
	points  float64
	cap     float64 // 0: none
	kind    DecayKind
	invHalf float64 // 1 / half-life in days
	life    float64 // lifespan in days, +Inf: none
	invLife float64 // 1 / life
	maxOccs float64 // cap / |points| in occurrences, +Inf when uncapped
}

type band struct {
	label string
	min   int64 // hundredths
}

// Compile validates the model and compiles it against schema. Every field a
// criterion or disqualifier reads must be in the schema; a missing one is an
// error naming it (a schema without the field would score every lead as
// unknown on it). The Scorer keeps its own copy of the model: later changes
// to m do not affect it.
func (m Model) Compile(schema Schema) (*Scorer, error) { return m.compile(schema, true) }

// compile is Compile with field groups optional (tests compare both paths).
func (m Model) compile(schema Schema, groups bool) (*Scorer, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	v := revalign.Validator{Pkg: "icp"}
	seen := map[string]bool{}
	for i, f := range schema {
		v.Check(!seen[f], revalign.Index("schema", i), f, "duplicate field")
		seen[f] = true
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	m = m.clone()
	s := &Scorer{
		model:     m,
		schema:    slices.Clone(schema),
		nFirmo:    len(m.Firmographic),
		capFirmo:  hundredths(m.Caps.Firmographic),
		capTechno: hundredths(m.Caps.Technographic),
		capBehav:  hundredths(m.Caps.Behavioural),
		gate:      !m.FitGate.Off,
		minFit:    hundredths(m.FitGate.MinFit),
		tiers:     compileBands(m.Tiers),
		fitBands:  compileBands(m.Grid.Fit),
		engBands:  compileBands(m.Grid.Engagement),
		states:    compileBands(m.DemandStates),
		dqTier:    m.DisqualifiedTier,
	}
	addCriteria := func(path string, cs []Criterion, g Group) {
		for i, c := range cs {
			cc, err := compileCond(c.condition(), schema)
			if err != nil {
				v.Add(revalign.Index(path, i)+".field", c.Field, err.Error())
				continue
			}
			s.criteria = append(s.criteria, criterion{cond: cc, id: c.ID, group: g, points: hundredths(c.Points)})
		}
	}
	addCriteria("firmographic", m.Firmographic, Firmographic)
	addCriteria("technographic", m.Technographic, Technographic)
	for i, d := range m.Disqualifiers {
		cc, err := compileCond(d.condition(), schema)
		if err != nil {
			v.Add(revalign.Index("disqualifiers", i)+".field", d.Field, err.Error())
			continue
		}
		s.dq = append(s.dq, disqualifier{cond: cc, id: d.ID})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var conds []*cond
	for i := range s.criteria {
		conds = append(conds, &s.criteria[i].cond)
	}
	for i := range s.dq {
		conds = append(conds, &s.dq[i].cond)
	}
	if groups {
		s.groups = groupConds(conds)
	}
	var typeNames, lowerTypes []string
	for i, sg := range m.Behavioural {
		c := signal{id: sg.ID, points: sg.Points, cap: sg.Cap, kind: sg.Decay.Kind, life: math.Inf(1), maxOccs: math.Inf(1)}
		if sg.Decay.LifespanDays > 0 {
			c.life, c.invLife = sg.Decay.LifespanDays, 1/sg.Decay.LifespanDays
		}
		if sg.Decay.Kind == DecayHalfLife {
			c.invHalf = 1 / sg.Decay.HalfLifeDays
		}
		if sg.Cap > 0 && sg.Points != 0 {
			c.maxOccs = sg.Cap / math.Abs(sg.Points)
		}
		s.signals = append(s.signals, c)
		lower := asciiLower(strings.TrimSpace(sg.Event))
		j := slices.Index(lowerTypes, lower)
		if j < 0 {
			typeNames, lowerTypes = append(typeNames, strings.TrimSpace(sg.Event)), append(lowerTypes, lower)
			s.typeSigs = append(s.typeSigs, nil)
			j = len(typeNames) - 1
		}
		s.typeSigs[j] = append(s.typeSigs[j], i)
	}
	s.types = newStrSet(typeNames)
	s.perSignal = len(s.signals) > stackSignals
	s.cells = make([][]string, len(s.fitBands))
	for i, f := range s.fitBands {
		s.cells[i] = make([]string, len(s.engBands))
		for j, e := range s.engBands {
			s.cells[i][j] = f.label + e.label
		}
	}
	return s, nil
}

// Model returns a copy of the compiled model.
func (s *Scorer) Model() Model { return s.model.clone() }

// Schema returns a copy of the schema the model was compiled against.
func (s *Scorer) Schema() Schema { return slices.Clone(s.schema) }

// Fields returns the attributes the model reads, in the order of first use
// (fit criteria, then disqualifiers), each once: the schema [Model.Score]
// compiles against.
func (m Model) Fields() Schema {
	var out Schema
	add := func(f string) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, c := range m.Firmographic {
		add(c.Field)
	}
	for _, c := range m.Technographic {
		add(c.Field)
	}
	for _, d := range m.Disqualifiers {
		add(d.Field)
	}
	return out
}

func (c Criterion) condition() condition {
	return condition{c.Field, c.Op, c.Values, c.Min, c.Max}
}

func (d Disqualifier) condition() condition {
	return condition{d.Field, d.Op, d.Values, d.Min, d.Max}
}

func compileBands(bs []Band) []band {
	out := make([]band, len(bs))
	for i, b := range bs {
		out[i] = band{label: b.Label, min: hundredths(b.Min)}
	}
	return out
}

// hundredths converts points to the integer hundredths scores are kept in,
// so that an explanation adds up exactly to its totals.
func hundredths(p float64) int64 { return int64(math.Round(p * 100)) }

// points converts hundredths back to points.
func points(h int64) float64 { return float64(h) / 100 }

// clone returns a deep copy of m: no slice or pointer is shared.
func (m Model) clone() Model {
	c := m
	c.Firmographic = cloneCriteria(m.Firmographic)
	c.Technographic = cloneCriteria(m.Technographic)
	c.Behavioural = slices.Clone(m.Behavioural)
	c.Disqualifiers = slices.Clone(m.Disqualifiers)
	for i := range c.Disqualifiers {
		d := &c.Disqualifiers[i]
		d.Values, d.Min, d.Max = slices.Clone(d.Values), clonePtr(d.Min), clonePtr(d.Max)
	}
	c.Tiers = slices.Clone(m.Tiers)
	c.Grid.Fit = slices.Clone(m.Grid.Fit)
	c.Grid.Engagement = slices.Clone(m.Grid.Engagement)
	c.DemandStates = slices.Clone(m.DemandStates)
	c.Signatures = slices.Clone(m.Signatures)
	return c
}

func cloneCriteria(cs []Criterion) []Criterion {
	out := slices.Clone(cs)
	for i := range out {
		c := &out[i]
		c.Values, c.Min, c.Max = slices.Clone(c.Values), clonePtr(c.Min), clonePtr(c.Max)
	}
	return out
}

func clonePtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	x := *p
	return &x
}

// lookupType returns the index of the event type t among the signals'
// types (ASCII case-insensitively), or -1.
func (s *Scorer) lookupType(t string) int { return s.types.find(t) }

// String describes the scorer: "icp.Scorer(Acme ICP 2026.2: 4 criteria, 2
// signals, 4 disqualifiers)".
func (s *Scorer) String() string {
	return fmt.Sprintf("icp.Scorer(%s %s: %d criteria, %d signals, %d disqualifiers)",
		s.model.Name, s.model.Version, len(s.criteria), len(s.signals), len(s.dq))
}
