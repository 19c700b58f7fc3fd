package icp

import (
	"fmt"
	"strconv"
	"strings"
)

// Change is one difference between two versions of a model, for the
// quarterly ICP review.
type Change struct {
	// Path locates what changed: criteria, signals and disqualifiers by ID
	// ("firmographic[industry_core].points"), bands by label
	// ("tiers[A].min"), other settings by field ("fit_gate.min_fit").
	Path string `json:"path"`
	// Kind is "added", "removed" or "changed".
	Kind string `json:"kind"`
	// Old is the value before, formatted for people ("" when added).
	Old string `json:"old,omitempty"`
	// New is the value after, formatted for people ("" when removed).
	New string `json:"new,omitempty"`
}

// String formats the change as "firmographic[industry_core].points: 10 → 25",
// "technographic[hris] added: technographics in Workday, BambooHR, UKG → +20".
func (c Change) String() string {
	switch c.Kind {
	case "added":
		return c.Path + " added: " + c.New
	case "removed":
		return c.Path + " removed: " + c.Old
	}
	return c.Path + ": " + c.Old + " → " + c.New
}

// Diff lists every difference between old and new that changes what the
// model says: name, version and effective date; every criterion, signal and
// disqualifier added, removed or changed (matched by ID, so reordering is
// not a change), with each changed weight, condition, cap and decay; caps,
// the fit gate, tiers, the grid and demand states (bands matched by label).
// Signatures are not compared: they follow from the content.
func Diff(old, new Model) []Change {
	var d differ
	d.cmp("name", old.Name, new.Name)
	d.cmp("version", old.Version, new.Version)
	d.cmp("effective_date", old.EffectiveDate, new.EffectiveDate)
	d.criteria("firmographic", old.Firmographic, new.Firmographic)
	d.criteria("technographic", old.Technographic, new.Technographic)
	d.signals(old.Behavioural, new.Behavioural)
	d.disqualifiers(old.Disqualifiers, new.Disqualifiers)
	d.cmp("caps.firmographic", num(old.Caps.Firmographic), num(new.Caps.Firmographic))
	d.cmp("caps.technographic", num(old.Caps.Technographic), num(new.Caps.Technographic))
	d.cmp("caps.behavioural", num(old.Caps.Behavioural), num(new.Caps.Behavioural))
	d.cmp("fit_gate.off", strconv.FormatBool(old.FitGate.Off), strconv.FormatBool(new.FitGate.Off))
	d.cmp("fit_gate.min_fit", num(old.FitGate.MinFit), num(new.FitGate.MinFit))
	d.bands("tiers", old.Tiers, new.Tiers)
	d.cmp("disqualified_tier", old.DisqualifiedTier, new.DisqualifiedTier)
	d.bands("grid.fit", old.Grid.Fit, new.Grid.Fit)
	d.bands("grid.engagement", old.Grid.Engagement, new.Grid.Engagement)
	d.bands("demand_states", old.DemandStates, new.DemandStates)
	return d.out
}

type differ struct{ out []Change }

func (d *differ) cmp(path, old, new string) {
	if old != new {
		d.out = append(d.out, Change{Path: path, Kind: "changed", Old: old, New: new})
	}
}

// keyed diffs two lists of items identified by key: removed items in old
// order, then changed and added items in new order.
func keyed[T any](d *differ, path string, old, new []T, key func(T) string, describe func(T) string, fields func(p string, a, b T)) {
	oldBy := map[string]T{}
	for _, o := range old {
		oldBy[key(o)] = o
	}
	newBy := map[string]bool{}
	for _, n := range new {
		newBy[key(n)] = true
	}
	for _, o := range old {
		if !newBy[key(o)] {
			d.out = append(d.out, Change{Path: path + "[" + key(o) + "]", Kind: "removed", Old: describe(o)})
		}
	}
	for _, n := range new {
		p := path + "[" + key(n) + "]"
		if o, ok := oldBy[key(n)]; ok {
			fields(p, o, n)
		} else {
			d.out = append(d.out, Change{Path: p, Kind: "added", New: describe(n)})
		}
	}
}

func (d *differ) criteria(path string, old, new []Criterion) {
	keyed(d, path, old, new, func(c Criterion) string { return c.ID },
		func(c Criterion) string { return c.condition().String() + " → " + signed(c.Points) },
		func(p string, a, b Criterion) {
			d.condition(p, a.condition(), b.condition())
			d.cmp(p+".points", num(a.Points), num(b.Points))
		})
}

func (d *differ) signals(old, new []Signal) {
	keyed(d, "behavioural", old, new, func(s Signal) string { return s.ID },
		func(s Signal) string { return s.String() },
		func(p string, a, b Signal) {
			d.cmp(p+".event", a.Event, b.Event)
			d.cmp(p+".points", num(a.Points), num(b.Points))
			d.cmp(p+".cap", num(a.Cap), num(b.Cap))
			d.cmp(p+".decay", a.Decay.String(), b.Decay.String())
		})
}

func (d *differ) disqualifiers(old, new []Disqualifier) {
	keyed(d, "disqualifiers", old, new, func(q Disqualifier) string { return q.ID },
		func(q Disqualifier) string { return q.condition().String() },
		func(p string, a, b Disqualifier) { d.condition(p, a.condition(), b.condition()) })
}

func (d *differ) condition(p string, a, b condition) {
	d.cmp(p+".field", a.field, b.field)
	d.cmp(p+".op", a.op.String(), b.op.String())
	d.cmp(p+".values", strings.Join(a.values, ", "), strings.Join(b.values, ", "))
	d.cmp(p+".min", bound(a.min), bound(b.min))
	d.cmp(p+".max", bound(a.max), bound(b.max))
}

func (d *differ) bands(path string, old, new []Band) {
	keyed(d, path, old, new, func(b Band) string { return b.Label },
		func(b Band) string { return "≥ " + num(b.Min) },
		func(p string, a, b Band) { d.cmp(p+".min", num(a.Min), num(b.Min)) })
}

// String describes the condition: "industry in Software, Retail",
// "employee_count in [200, 5000]", "is_customer is true".
func (c condition) String() string {
	switch c.op {
	case OpRange:
		return fmt.Sprintf("%s in [%s, %s]", c.field, boundOr(c.min, "-inf"), boundOr(c.max, "+inf"))
	case OpIsTrue:
		return c.field + " is true"
	case OpIsFalse:
		return c.field + " is false"
	case OpNotIn:
		return c.field + " not in " + strings.Join(c.values, ", ")
	case OpDomainIn:
		return c.field + " domain in " + strings.Join(c.values, ", ")
	}
	return c.field + " in " + strings.Join(c.values, ", ")
}

// String describes the signal: "webinar: +10 per event, cap 30, half-life
// 30 days".
func (s Signal) String() string {
	out := fmt.Sprintf("%s: %s per event", s.Event, signed(s.Points))
	if s.Cap > 0 {
		out += ", cap " + num(s.Cap)
	}
	if d := s.Decay.String(); d != "no decay" {
		out += ", " + d
	}
	return out
}

// String describes the decay: "half-life 30 days", "linear over 90 days",
// "no decay, 90-day life".
func (d Decay) String() string {
	var out string
	switch d.Kind {
	case DecayHalfLife:
		out = "half-life " + num(d.HalfLifeDays) + " days"
		if d.LifespanDays > 0 {
			out += ", " + num(d.LifespanDays) + "-day life"
		}
	case DecayLinear:
		out = "linear over " + num(d.LifespanDays) + " days"
	default:
		out = "no decay"
		if d.LifespanDays > 0 {
			out += ", " + num(d.LifespanDays) + "-day life"
		}
	}
	return out
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func signed(x float64) string {
	if x >= 0 {
		return "+" + num(x)
	}
	return num(x)
}

func bound(p *float64) string { return boundOr(p, "") }

func boundOr(p *float64, none string) string {
	if p == nil {
		return none
	}
	return num(*p)
}
