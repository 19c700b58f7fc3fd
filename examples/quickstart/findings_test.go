package main

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryPlantedFindingAppears runs the whole quickstart and checks that
// each finding planted in the sample dataset (crm/sample/README.md) shows in
// its output, in the phase the seed puts it. The sections' own tests check
// the numbers in detail; this one guards the picture as a whole.
func TestEveryPlantedFindingAppears(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf, false))
	out := buf.String()
	findings := []struct{ name, text string }{
		{"diagnostic score and start step", "Score 7 of 20: Boundaries are leaking"},
		{"diagnostic start step", "Start with Step 2"},
		{"bowtie leak on the right side", "Leak by largest_impact:   Onboard → Impact, owner Aisha Bello (customer-success)"},
		{"ICP acceptance by tier", "3245 MQLs scored as of their MQL, by tier"},
		{"calibration raises fit, cuts webinars", "webinar 15 → 1"},
		{"acceptance red flag, two weeks", "RED FLAG (criteria review): acceptance below 75% 2 weeks running (2026-08-31 49.3%, 2026-09-07 52.6%)"},
		{"single low week raises nothing", "2026-06-15 63.6%"},
		{"APAC first-touch breaches", "APAC 337 of 434 (77.6%)"},
		{"demand-state routing", "Routing by state:"},
		{"security reviewer content gap", "gap: security_reviewer has no live asset in any state"},
		{"decks from scratch", "Decks built from scratch: Mar 11, Apr 10, May 12, Jun 18, Jul 10, Aug 12 (FLAG"},
		{"stalled cluster", `Pattern "Security questionnaire outstanding": 4 deals`},
		{"stalled cluster is structural", "STRUCTURAL → Quarterly loss post-mortem"},
		{"velocity by segment", "ENT  N  29  deal  $160.2k  win  20.9% of 158"},
		{"lever ranking", "Levers ranked by what a 10% improvement is worth"},
		{"forecast P10/P50/P90", "P10 $2.37M · P50 $2.68M · P90 $3.05M"},
		{"forecast variance between teams", "FY2026-Q4 21.9%, FY2027-Q1 35.5%, FY2027-Q2 49.7%"},
		{"first touch over-credits paid social", "first touch over-credits paid_social"},
		{"scorecard verdict", "Verdict:"},
	}
	for _, f := range findings {
		assert.Contains(t, out, f.text, f.name)
	}
	// The seed's order: diagnose, then fix, then prove.
	d, f, p := bytes.Index(buf.Bytes(), []byte("==== DIAGNOSE")), bytes.Index(buf.Bytes(), []byte("==== FIX")), bytes.Index(buf.Bytes(), []byte("==== PROVE"))
	assert.True(t, d > 0 && d < f && f < p, "diagnose %d, fix %d, prove %d", d, f, p)
}

// BenchmarkQuickstart measures the whole picture on the embedded sample; the
// target is well under 10 s per run.
func BenchmarkQuickstart(b *testing.B) {
	for b.Loop() {
		if err := run(io.Discard, false); err != nil {
			b.Fatal(err)
		}
	}
}
