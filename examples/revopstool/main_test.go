package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
	"github.com/revalign/revalign/demandstate"
	"github.com/revalign/revalign/examples/internal/fieldstone"
	"github.com/revalign/revalign/icp"
	"github.com/revalign/revalign/sla"
)

var today = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// runTool runs the tool and returns its exit status, its output and the
// problem lines of the output.
func runTool(t *testing.T, args ...string) (int, string, []string) {
	t.Helper()
	var out, errs bytes.Buffer
	code := run(args, &out, &errs, today)
	_, after, _ := strings.Cut(out.String(), "problems:\n")
	if after == "" {
		_, after, _ = strings.Cut(out.String(), "problem:\n")
	}
	var lines []string
	for l := range strings.SplitSeq(strings.TrimSpace(after), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return code, out.String() + errs.String(), lines
}

// The sample company's files, the default, agree with each other and are
// signed.
func TestSampleConfigsAgree(t *testing.T) {
	code, out, probs := runTool(t)
	assert.Equal(t, 0, code, out)
	assert.Empty(t, probs)
	assert.Contains(t, out, "No problems: the five files agree with each other.")
	assert.Contains(t, out, `"Fieldstone Works SLA Pact v1": in force`)
	assert.Contains(t, out, `"Fieldstone MQL score" 2026.4: in force`)

	// Before the review signed 2026.4, the same files are a draft: a note,
	// not a problem.
	code, out, _ = runTool(t, "-as-of", "2026-09-28")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, `"Fieldstone MQL score" 2026.4: not in force: signature of cro, cmo is dated later`)
}

// The sample's own ICP model before the review cannot reach the pact's fit
// line, nor its own grid's A and B: the problem the closedloop example
// shows, found from the files alone.
func TestMarketingsModelAgainstThePact(t *testing.T) {
	code, _, probs := runTool(t, "-icp", filepath.Join("..", "internal", "fieldstone", fieldstone.ICPFile))
	assert.Equal(t, 1, code)
	require.Len(t, probs, 3)
	assert.Equal(t, `examples/internal/fieldstone/pact.yaml: mql.min_fit_score: the MQL test asks for an ICP fit of at least 40, `+
		`but the ICP model "Fieldstone MQL score" 2025.1 (icp.yaml) scores fit 25 at most: no lead can ever pass the test`, probs[0])
	assert.Equal(t, "../internal/fieldstone/icp.yaml: grid.fit[0].min: fit grade A starts at 70, but fit can reach 25 at most: no lead ever gets there", probs[1])
	assert.Contains(t, probs[2], "grid.fit[1].min: fit grade B starts at 50")
}

// testdata/broken holds one of every cross-file problem; each is reported
// once, on the file and field to fix, grouped by file.
func TestBrokenSet(t *testing.T) {
	code, out, probs := runTool(t, "-dir", filepath.Join("testdata", "broken"))
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "13 problems:")
	dir := filepath.Join("testdata", "broken") + string(filepath.Separator)
	want := []struct{ file, field, msg string }{
		{"pact.json", "mql.min_fit_score", "scores fit 25 at most: no lead can ever pass the test"},
		{"pact.json", "mql.disqualifiers[3]", `"spam" is not a disqualifier of the ICP model (icp.yaml has student, existing_customer, competitor, unserved_country)`},
		{"pact.json", "mql.disqualifiers", `does not list the ICP model's disqualifier "existing_customer" (icp.yaml disqualifiers[1])`},
		{"icp.yaml", "grid.fit[0].min", "fit grade A starts at 70, but fit can reach 25 at most"},
		{"icp.yaml", "grid.fit[1].min", "fit grade B starts at 50"},
		{"icp.yaml", "demand_states[1].label", `"warm" is not a state of the demand-state model`},
		{"calibration.yaml", `labels["Nurture"]`, `labels "Nurture" as positive, but the pact counts it as declined (pact.json dispositions[1])`},
		{"calibration.yaml", "labels", `has no label for the pact's disposition code "Wrong person" (pact.json dispositions[5])`},
		{"calibration.yaml", `labels["Disqualified"]`, `"Disqualified" is not one of the pact's disposition codes`},
		{"demandstate.yaml", "states[2].owners[0]", `"Maya  Lindqvist" is written "Maya Lindqvist" in pact.json (signatures[0])`},
		{"demandstate.yaml", "states[3].owners[1]", "Daniel Ortega is on team marketing here, but on team sales in pact.json (signatures[1])"},
		{"router.yaml", "rules[0].states[0]", `"qualified" is not a state of the demand-state model (demandstate.yaml has unaware, problem-aware, solution-aware, partner-aware, decision-ready, post-purchase): rule "qualified → sales conversation" never fires`},
		{"router.yaml", "review_queue.owner", "Sam Whitfield is on team revops here, but on team sales in pact.json (joint.escalate_to)"},
	}
	require.Len(t, probs, len(want), strings.Join(probs, "\n"))
	for i, w := range want {
		assert.True(t, strings.HasPrefix(probs[i], dir+w.file+": "+w.field+": "), "%d: %s", i, probs[i])
		assert.Contains(t, probs[i], w.msg)
	}
}

// A file that does not decode stops at the first unknown field or wrong
// type, reported with its line and column; the checks that need the file
// are skipped.
func TestLineAndColumn(t *testing.T) {
	for _, c := range []struct {
		flag, file string
		line       int
		token      string // what the column points at
		msg        string
	}{
		{"pact", "pact.yaml", 5, "min_fit_scor", `unknown field "min_fit_scor"`},
		{"icp", "icp.json", 6, `"thirty-one"`, "firmographic.points: want a number, got text"},
		{"calibration", "calibration.yaml", 4, "a little", "want a number, got text"},
		{"demandstate", "demandstate.yaml", 9, "opp", `unknown field "opp"`},
		{"router", "router.yaml", 9, "email", `unknown field "email"`},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", "syntax", c.file)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			col := strings.Index(strings.Split(string(data), "\n")[c.line-1], c.token) + 1 // 1-based, in bytes
			require.Positive(t, col)

			code, out, probs := runTool(t, "-"+c.flag, path)
			assert.Equal(t, 1, code)
			require.Len(t, probs, 1, out)
			assert.Equal(t, fmt.Sprintf("%s:%d:%d: %s", path, c.line, col, c.msg), probs[0])
			assert.Contains(t, out, "(not loaded)")
		})
	}
}

// A file that decodes but fails validation reports every bad field on a
// line of its own, by its path (validation knows no lines).
func TestValidationProblems(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "internal", "fieldstone", fieldstone.PactFile))
	require.NoError(t, err)
	s := strings.Replace(string(data), "min_acceptance_rate: 0.75", "min_acceptance_rate: 75", 1)
	s = strings.Replace(s, "first_touch_business_hours: 1 ", "first_touch_business_hours: -1 ", 1)
	path := filepath.Join(t.TempDir(), "pact.yaml")
	require.NoError(t, os.WriteFile(path, []byte(s), 0o644))

	code, _, probs := runTool(t, "-pact", path)
	assert.Equal(t, 1, code)
	require.Len(t, probs, 2, strings.Join(probs, "\n"))
	assert.Equal(t, path+": marketing.min_acceptance_rate: must be in [0,1], got 75", probs[0])
	assert.True(t, strings.HasPrefix(probs[1], path+": sales.first_touch_business_hours: "), probs[1])
}

func TestDirectoryLookup(t *testing.T) {
	dir := t.TempDir()
	code, _, probs := runTool(t, "-dir", dir)
	assert.Equal(t, 1, code)
	require.Len(t, probs, 5)
	assert.Equal(t, dir+": no SLA pact: looked for pact.yaml, pact.yml and pact.json", probs[0])

	for _, f := range []string{"pact.yaml", "pact.json"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), []byte("{}"), 0o644))
	}
	_, _, probs = runTool(t, "-dir", dir)
	assert.Contains(t, probs[0], "two files for the SLA pact")

	// A flag wins over the directory.
	code, _, probs = runTool(t, "-dir", filepath.Join("testdata", "broken"),
		"-pact", filepath.Join("..", "internal", "fieldstone", fieldstone.PactFile),
		"-icp", filepath.Join("..", "internal", "fieldstone", fieldstone.RecalibratedICPFile),
		"-calibration", filepath.Join("..", "internal", "fieldstone", fieldstone.CalibrationFile),
		"-demandstate", filepath.Join("..", "internal", "fieldstone", fieldstone.DemandStateFile))
	assert.Equal(t, 1, code)
	require.Len(t, probs, 1, strings.Join(probs, "\n"))
	assert.Contains(t, probs[0], `"qualified" is not a state`)
}

func TestBadFlags(t *testing.T) {
	code, out, _ := runTool(t, "-as-of", "26/11/2026")
	assert.Equal(t, 2, code)
	assert.Contains(t, out, `-as-of: want a date such as 2026-11-30, got "26/11/2026"`)
	code, out, _ = runTool(t, "pact.yaml")
	assert.Equal(t, 2, code)
	assert.Contains(t, out, `unexpected argument "pact.yaml"`)
	code, _, _ = runTool(t, "-nope")
	assert.Equal(t, 2, code)
}

// sample returns the sample company's configurations, for the checks'
// own tests to break one field at a time.
func sample(t *testing.T) *configs {
	t.Helper()
	c := &configs{files: map[string]string{"pact": "pact.yaml", "icp": "icp.yaml", "calibration": "calibration.yaml",
		"demandstate": "demandstate.yaml", "router": "router.yaml"}}
	pact, err := fieldstone.Pact()
	require.NoError(t, err)
	model, err := fieldstone.RecalibratedICPModel()
	require.NoError(t, err)
	cal, err := fieldstone.Calibration()
	require.NoError(t, err)
	states, err := fieldstone.DemandStateModel()
	require.NoError(t, err)
	router, err := fieldstone.Router()
	require.NoError(t, err)
	c.pact, c.icp, c.cal, c.states, c.router = &pact, &model, &cal, &states, &router
	require.Empty(t, crossCheck(c))
	return c
}

func fields(ps []problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.File+": "+p.Field)
	}
	return out
}

func TestCheckFitLine(t *testing.T) {
	for _, c := range []struct {
		line float64
		ok   bool
		msg  string
	}{
		{75, true, ""}, // 14 + 31 + 10 + 20: exactly reachable
		{75.5, false, "scores fit 75 at most"},
		{1, true, ""},
		{0, false, "which every lead has"},
		{-4, false, "which every lead has"},
	} {
		s := sample(t)
		s.pact.MQL.MinFitScore = c.line
		ps := checkFitLine(s)
		if c.ok {
			assert.Empty(t, ps, "%g", c.line)
			continue
		}
		require.Len(t, ps, 1, "%g", c.line)
		assert.Equal(t, "pact.yaml: mql.min_fit_score", fields(ps)[0])
		assert.Contains(t, ps[0].Msg, c.msg)
	}
	s := sample(t)
	s.icp = nil
	assert.Empty(t, checkFitLine(s), "skipped without the ICP model")
}

func TestCheckBands(t *testing.T) {
	s := sample(t)
	s.icp.Grid.Engagement[0].Min = 75 // the grid before the review: engagement reaches 37
	s.icp.Tiers[0].Min = 113          // the total reaches 75 + 37
	s.icp.DemandStates = []icp.Band{{Label: "decision-ready", Min: 40}, {Label: "unaware", Min: 0}}
	ps := checkBands(s)
	assert.Equal(t, []string{"icp.yaml: tiers[0].min", "icp.yaml: grid.engagement[0].min", "icp.yaml: demand_states[0].min"}, fields(ps))
	assert.Equal(t, "tier A starts at 113, but the total score can reach 112 at most: no lead ever gets there", ps[0].Msg)
	assert.Equal(t, "engagement grade 1 starts at 75, but engagement can reach 37 at most: no lead ever gets there", ps[1].Msg)
}

func TestCheckDisqualifiers(t *testing.T) {
	s := sample(t)
	s.pact.MQL.Disqualifiers = []string{"Competitor ", "student", "unserved_country", "existing_customer"}
	assert.Empty(t, checkDisqualifiers(s), "compared as the pact compares factors: case and space do not matter")

	s.pact.MQL.Disqualifiers = []string{"competitor", "student", "unserved_country", "spam"}
	ps := checkDisqualifiers(s)
	assert.Equal(t, []string{"pact.yaml: mql.disqualifiers[3]", "pact.yaml: mql.disqualifiers"}, fields(ps))
	assert.Contains(t, ps[1].Msg, `"existing_customer" (icp.yaml disqualifiers[1])`)
}

func TestCheckDispositions(t *testing.T) {
	s := sample(t)
	s.cal.Labels = icp.Labels{"accepted": icp.Positive, "BAD FIT": icp.Negative, "Nurture": icp.HalfNegative,
		"Duplicate": icp.Excluded, "No response": icp.Excluded}
	assert.Empty(t, checkDispositions(s), "codes compare case-insensitively, as the packages compare them")

	s = sample(t)
	s.cal.Labels["Accepted"] = icp.Negative
	s.cal.Labels["Bad fit"] = icp.Positive
	delete(s.cal.Labels, "Duplicate")
	s.cal.Labels["Dupe"] = icp.Excluded
	s.pact.Dispositions = append(s.pact.Dispositions, sla.DispositionCode{Name: "Test record", Outcome: sla.Excluded})
	s.cal.Labels["Test record"] = icp.Excluded
	ps := checkDispositions(s)
	assert.Equal(t, []string{`calibration.yaml: labels["Accepted"]`, `calibration.yaml: labels["Bad fit"]`,
		"calibration.yaml: labels", `calibration.yaml: labels["Dupe"]`}, fields(ps))
	assert.Contains(t, ps[0].Msg, "learn that leads sales took were bad")
	assert.Contains(t, ps[1].Msg, "learn that leads sales turned down were good")
	assert.Contains(t, ps[2].Msg, `no label for the pact's disposition code "Duplicate"`)
}

func TestCheckRoutedStates(t *testing.T) {
	s := sample(t)
	s.router.Rules[0].States = append(s.router.Rules[0].States, "qualified")
	s.router.Rules[1].When = []demandstate.Criterion{{Signal: "budget_confirmed", Op: demandstate.Eq, Value: demandstate.Bool(true)}}
	ps := checkRoutedStates(s)
	assert.Equal(t, []string{"router.yaml: rules[0].states[1]", "router.yaml: rules[1].when[0].signal"}, fields(ps))
	assert.Contains(t, ps[0].Msg, `"qualified" is not a state of the demand-state model`)
	assert.Contains(t, ps[1].Msg, "budget_confirmed")
}

func TestCheckICPDemandStates(t *testing.T) {
	s := sample(t)
	s.icp.DemandStates = []icp.Band{{Label: "decision-ready", Min: 20}, {Label: "hot", Min: 10}, {Label: "unaware", Min: 0}}
	ps := checkICPDemandStates(s)
	assert.Equal(t, []string{"icp.yaml: demand_states[1].label"}, fields(ps))
}

func TestCheckOwners(t *testing.T) {
	s := sample(t)
	// Daniel Ortega signs the pact as the marketing leader: his role puts
	// him on marketing, every other place on sales.
	s.pact.Signatures[1].Role = sla.RoleMarketingLeader
	// The router names the RevOps director in lower case.
	s.router.Default.Owner = revalign.Owner{Name: "sam whitfield", Team: revalign.RevOps}
	ps := checkOwners(s)
	// People in the order they are first named: Sam Whitfield (the pact's
	// escalation owner), then Daniel Ortega (its second signer).
	assert.Equal(t, []string{"router.yaml: default.owner", "pact.yaml: signatures[1]"}, fields(ps))
	assert.Equal(t, `"sam whitfield" is written "Sam Whitfield" in pact.yaml (joint.escalate_to): one person, one spelling, or reports count them as two`, ps[0].Msg)
	assert.Equal(t, "Daniel Ortega is on team marketing here, but on team sales in icp.yaml (signatures[0])", ps[1].Msg)
}

func TestPlainDecodeErrors(t *testing.T) {
	for _, c := range []struct{ in, field, out string }{
		{"cannot unmarshal string into Go struct field Pact.MQL of type float64", "", "want a number, got text"},
		{"json: cannot unmarshal string into Go struct field StateDef.states.entry.days of type float64", "states.entry.days", "want a number, got text"},
		{"cannot unmarshal number into firmographic.values of type []string", "firmographic.values", "want a list, got a number"},
		{"cannot unmarshal array into Go value of type sla.Pact", "", "want a section, got a list"},
		{`unknown field "opp"`, "", `unknown field "opp"`},
	} {
		field, out := plainDecodeError(&config.Error{Msg: c.in})
		assert.Equal(t, c.field, field, c.in)
		assert.Equal(t, c.out, out, c.in)
	}
}
