package main

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/demandstate"
	"github.com/revalign/revalign/examples/internal/fieldstone"
	"github.com/revalign/revalign/icp"
	"github.com/revalign/revalign/sla"
)

// crossCheck runs every check of the configurations against each other.
// Each check needs some of the files and is skipped when one of them did
// not load.
func crossCheck(c *configs) []problem {
	var out []problem
	for _, check := range []func(*configs) []problem{
		checkFitLine, checkBands, checkDisqualifiers, checkDispositions,
		checkRoutedStates, checkICPDemandStates, checkOwners,
	} {
		out = append(out, check(c)...)
	}
	return out
}

// checkFitLine: the pact's MQL test reads the ICP model's fit score, so its
// line must be one the model can reach, and one that excludes somebody.
func checkFitLine(c *configs) []problem {
	if c.pact == nil || c.icp == nil {
		return nil
	}
	line, reach := c.pact.MQL.MinFitScore, fieldstone.ReachOf(*c.icp).Fit
	p := problem{File: c.files["pact"], Field: "mql.min_fit_score"}
	switch {
	case line > reach:
		p.Msg = fmt.Sprintf("the MQL test asks for an ICP fit of at least %g, but the ICP model %s (%s) scores fit %g at most: no lead can ever pass the test",
			line, modelName(*c.icp), c.base("icp"), reach)
	case line <= 0:
		p.Msg = fmt.Sprintf("the MQL test asks for an ICP fit of at least %g, which every lead has (the ICP model %s scores fit from 0 to %g): the test ignores fit",
			line, modelName(*c.icp), reach)
	default:
		return nil
	}
	return []problem{p}
}

// checkBands: every tier, grid band and demand-state band of the ICP model
// must be reachable by its own points.
func checkBands(c *configs) []problem {
	if c.icp == nil {
		return nil
	}
	m, r := *c.icp, fieldstone.ReachOf(*c.icp)
	var out []problem
	check := func(path, band string, bands []icp.Band, score string, most float64) {
		for i, b := range bands {
			if b.Min > most {
				out = append(out, problem{File: c.files["icp"], Field: fmt.Sprintf("%s[%d].min", path, i),
					Msg: fmt.Sprintf("%s %s starts at %g, but %s can reach %g at most: no lead ever gets there", band, b.Label, b.Min, score, most)})
			}
		}
	}
	check("tiers", "tier", m.Tiers, "the total score", r.Total)
	check("grid.fit", "fit grade", m.Grid.Fit, "fit", r.Fit)
	check("grid.engagement", "engagement grade", m.Grid.Engagement, "engagement", r.Engagement)
	check("demand_states", "demand state", m.DemandStates, "engagement", r.Engagement)
	return out
}

// checkDisqualifiers: the pact's MQL test rules a lead out by the ID of the
// ICP disqualifier that fired, so the two lists must name the same rules.
func checkDisqualifiers(c *configs) []problem {
	if c.pact == nil || c.icp == nil {
		return nil
	}
	var ids []string
	for _, q := range c.icp.Disqualifiers {
		ids = append(ids, q.ID)
	}
	has := func(list []string, s string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(s)) })
	}
	var out []problem
	for i, d := range c.pact.MQL.Disqualifiers {
		if !has(ids, d) {
			out = append(out, problem{File: c.files["pact"], Field: fmt.Sprintf("mql.disqualifiers[%d]", i),
				Msg: fmt.Sprintf("%q is not a disqualifier of the ICP model (%s has %s): the MQL test can never apply it", d, c.base("icp"), strings.Join(ids, ", "))})
		}
	}
	for j, id := range ids {
		if !has(c.pact.MQL.Disqualifiers, id) {
			out = append(out, problem{File: c.files["pact"], Field: "mql.disqualifiers",
				Msg: fmt.Sprintf("does not list the ICP model's disqualifier %q (%s disqualifiers[%d]): a lead the model disqualifies can still pass the MQL test", id, c.base("icp"), j)})
		}
	}
	return out
}

// checkDispositions: calibration learns from the codes sales records under
// the pact, so every code needs a label, every label a code, and an
// accepted code must be the positive label.
func checkDispositions(c *configs) []problem {
	if c.pact == nil || c.cal == nil {
		return nil
	}
	var out []problem
	var codes []string
	for i, d := range c.pact.Dispositions {
		codes = append(codes, d.Name)
		lab, ok := c.cal.Labels.Lookup(d.Name)
		at := fmt.Sprintf("%s dispositions[%d]", c.base("pact"), i)
		switch {
		case !ok:
			out = append(out, problem{File: c.files["calibration"], Field: "labels",
				Msg: fmt.Sprintf("has no label for the pact's disposition code %q (%s): calibration would reject every MQL sales marks %q", d.Name, at, d.Name)})
		case d.Outcome == sla.Accepted && lab != icp.Positive:
			out = append(out, problem{File: c.files["calibration"], Field: labelPath(c.cal.Labels, d.Name),
				Msg: fmt.Sprintf("labels %q as %s, but the pact counts it as accepted (%s): calibration would learn that leads sales took were bad", d.Name, lab, at)})
		case d.Outcome != sla.Accepted && lab == icp.Positive:
			out = append(out, problem{File: c.files["calibration"], Field: labelPath(c.cal.Labels, d.Name),
				Msg: fmt.Sprintf("labels %q as positive, but the pact counts it as %s (%s): calibration would learn that leads sales turned down were good", d.Name, d.Outcome, at)})
		}
	}
	for _, code := range slices.Sorted(maps.Keys(c.cal.Labels)) {
		if !slices.ContainsFunc(codes, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(code)) }) {
			out = append(out, problem{File: c.files["calibration"], Field: fmt.Sprintf("labels[%q]", code),
				Msg: fmt.Sprintf("%q is not one of the pact's disposition codes (%s): sales can never record it — a typo, or a code the pact should list", code, strings.Join(codes, ", "))})
		}
	}
	return out
}

// labelPath is the path of the label a disposition code matched.
func labelPath(l icp.Labels, code string) string {
	for k := range l {
		if strings.EqualFold(strings.TrimSpace(k), strings.TrimSpace(code)) {
			return fmt.Sprintf("labels[%q]", k)
		}
	}
	return "labels"
}

// checkRoutedStates: every state a rule routes must be a state of the
// demand-state model; then the router must compile against the model (its
// conditions name the model's signals).
func checkRoutedStates(c *configs) []problem {
	if c.router == nil || c.states == nil {
		return nil
	}
	names := c.states.Names()
	var out []problem
	clean := *c.router
	clean.Rules = slices.Clone(c.router.Rules)
	for i, r := range c.router.Rules {
		clean.Rules[i].States = nil
		for j, s := range r.States {
			if c.states.Index(s) < 0 {
				out = append(out, problem{File: c.files["router"], Field: fmt.Sprintf("rules[%d].states[%d]", i, j),
					Msg: fmt.Sprintf("%q is not a state of the demand-state model (%s has %s): rule %q never fires", s, c.base("demandstate"), stateList(names), r.Name)})
				continue
			}
			clean.Rules[i].States = append(clean.Rules[i].States, s)
		}
		if len(r.States) > 0 && len(clean.Rules[i].States) == 0 && len(names) > 0 {
			clean.Rules[i].States = []demandstate.State{names[0]} // keep the rule from matching every state
		}
	}
	cl, err := demandstate.NewClassifier(*c.states)
	if err != nil {
		return out // reported when loading
	}
	if _, err := demandstate.NewDispatcher(cl, clean); err != nil {
		out = append(out, explain(c.files["router"], err)...)
	}
	return out
}

// checkICPDemandStates: the demand states the ICP model reads off the
// engagement score must be states of the demand-state model.
func checkICPDemandStates(c *configs) []problem {
	if c.icp == nil || c.states == nil {
		return nil
	}
	var out []problem
	for i, b := range c.icp.DemandStates {
		if c.states.Index(demandstate.State(b.Label)) < 0 {
			out = append(out, problem{File: c.files["icp"], Field: fmt.Sprintf("demand_states[%d].label", i),
				Msg: fmt.Sprintf("%q is not a state of the demand-state model (%s has %s)", b.Label, c.base("demandstate"), stateList(c.states.Names()))})
		}
	}
	return out
}

func stateList(states []demandstate.State) string {
	s := make([]string, len(states))
	for i, x := range states {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// mention is one place a configuration names a person.
type mention struct {
	name string
	team revalign.Team // "" when the place does not say
	file string
	path string
}

// signerTeams are the teams the signing roles belong to.
var signerTeams = map[string]revalign.Team{
	sla.RoleMarketingLeader: revalign.Marketing, sla.RoleSalesLeader: revalign.Sales,
	icp.RoleCMO: revalign.Marketing, icp.RoleCRO: revalign.Sales,
}

// checkOwners: a person named in several places is one person: spelled the
// same and on the same team everywhere. The spelling and the team most
// places use are taken as right; every other place is reported.
func checkOwners(c *configs) []problem {
	var ms []mention
	add := func(kind string, o revalign.Owner, path string) {
		if !o.IsZero() {
			ms = append(ms, mention{o.Name, o.Team, c.files[kind], path})
		}
	}
	signers := func(kind string, sigs revalign.Signatures) {
		for i, s := range sigs {
			add(kind, revalign.Owner{Name: s.Name, Team: signerTeams[s.Role]}, fmt.Sprintf("signatures[%d]", i))
		}
	}
	if c.pact != nil {
		add("pact", c.pact.Joint.EscalateTo, "joint.escalate_to")
		signers("pact", c.pact.Signatures)
	}
	if c.icp != nil {
		signers("icp", c.icp.Signatures)
	}
	if c.states != nil {
		for i, s := range c.states.States {
			for j, o := range s.Owners {
				add("demandstate", o.Owner, fmt.Sprintf("states[%d].owners[%d]", i, j))
			}
		}
	}
	if c.router != nil {
		for i, r := range c.router.Rules {
			add("router", r.Owner, fmt.Sprintf("rules[%d].owner", i))
		}
		add("router", c.router.Default.Owner, "default.owner")
		add("router", c.router.ReviewQueue.Owner, "review_queue.owner")
	}

	byPerson := map[string][]mention{}
	var order []string
	for _, m := range ms {
		k := strings.ToLower(strings.Join(strings.Fields(m.name), " "))
		if byPerson[k] == nil {
			order = append(order, k)
		}
		byPerson[k] = append(byPerson[k], m)
	}
	var out []problem
	for _, k := range order {
		group := byPerson[k]
		spelling := majority(group, func(m mention) string { return m.name })
		team := majority(group, func(m mention) string { return string(m.team) })
		for _, m := range group {
			if m.name != spelling.name {
				out = append(out, problem{File: m.file, Field: m.path,
					Msg: fmt.Sprintf("%q is written %q in %s (%s): one person, one spelling, or reports count them as two", m.name, spelling.name, filepath.Base(spelling.file), spelling.path)})
			}
			if m.team != "" && team.team != "" && m.team != team.team {
				out = append(out, problem{File: m.file, Field: m.path,
					Msg: fmt.Sprintf("%s is on team %s here, but on team %s in %s (%s)", spelling.name, m.team, team.team, filepath.Base(team.file), team.path)})
			}
		}
	}
	return out
}

// majority returns the first mention carrying the value most mentions
// carry (ties go to the earliest); empty values do not vote.
func majority(ms []mention, value func(mention) string) mention {
	votes := map[string]int{}
	for _, m := range ms {
		if v := value(m); v != "" {
			votes[v]++
		}
	}
	best := mention{}
	for _, m := range ms {
		if v := value(m); v != "" && (value(best) == "" || votes[v] > votes[value(best)]) {
			best = m
		}
	}
	return best
}

func modelName(m icp.Model) string { return fmt.Sprintf("%q %s", m.Name, m.Version) }
