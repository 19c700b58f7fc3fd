package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/diagnostic"
)

func sampleInput(t *testing.T) *input {
	t.Helper()
	d, err := sample.Load()
	require.NoError(t, err)
	rates, err := d.Rates(sample.ReportingCurrency)
	require.NoError(t, err)
	return &input{Data: d, AsOf: sample.AsOf(), Calendar: sample.Calendar(), Rates: rates}
}

// TestMetricsRecoverPlantedFindings checks the metric code on the numbers
// the sample's README documents.
func TestMetricsRecoverPlantedFindings(t *testing.T) {
	in := sampleInput(t)
	m, err := newMetricInputs(in)
	require.NoError(t, err)

	// Finding 1: acceptance, Accepted ÷ Accepted + Nurture + Bad fit, of
	// the MQL weeks of 2026-08-31 and 2026-09-07: 51.4% and 54.7%.
	for _, c := range []struct {
		week time.Time
		want float64
	}{{time.Date(2026, 8, 31, 12, 0, 0, 0, in.Calendar.Location), 0.514}, {time.Date(2026, 9, 7, 12, 0, 0, 0, in.Calendar.Location), 0.547}} {
		got := m.acceptance(in.Calendar.Week(c.week))
		assert.InDelta(t, c.want, got.Value, 0.0005, "week of %s", c.week)
	}

	// Finding 2, as the signed pact judges it (region holidays, untouched
	// leads past their deadline broken): APAC 337 of 434, NA 118 of 1,736,
	// EMEA 42 of 779, LATAM 38 of 286 — the sla section's numbers.
	breach, decided := map[string]int{}, map[string]int{}
	for _, l := range in.Data.Leads {
		if l.MQLAt.IsZero() || m.firstTouchPending[l.ID] {
			continue
		}
		decided[l.Region]++
		if m.firstTouchBroken[l.ID] {
			breach[l.Region]++
		}
	}
	assert.Equal(t, map[string]int{"APAC": 337, "NA": 118, "EMEA": 42, "LATAM": 38}, breach)
	assert.Equal(t, map[string]int{"APAC": 434, "NA": 1736, "EMEA": 779, "LATAM": 286}, decided)

	// Finding 8: forecast variance 21.9%, 35.5%, 49.7%.
	for label, want := range map[string]float64{"FY2026-Q4": 0.219, "FY2027-Q1": 0.355, "FY2027-Q2": 0.497} {
		_, v := m.forecasts(label)
		assert.InDelta(t, want, v.Value, 0.0005, label)
	}
}

func TestLastCompleteQuarters(t *testing.T) {
	in := sampleInput(t)
	var labels []string
	for _, q := range lastCompleteQuarters(in.Calendar, in.AsOf, 3) {
		labels = append(labels, in.Calendar.QuarterLabel(q.Start))
	}
	// As of 2026-09-28, FY2027-Q3 (August–October) is still running.
	assert.Equal(t, []string{"FY2026-Q4", "FY2027-Q1", "FY2027-Q2"}, labels)
}

func TestDiagnosticSections(t *testing.T) {
	in := sampleInput(t)
	s, err := diagnosticSection(in)
	require.NoError(t, err)
	text := strings.Join(s.Lines, "\n")
	// Finding 9: 7 of 20, boundaries are leaking, start with Step 2.
	assert.Contains(t, text, "Score 7 of 20: Boundaries are leaking.")
	assert.Contains(t, text, "Start with Step 2")
	assert.Contains(t, text, "no owner on deal O01004")
	assert.LessOrEqual(t, len(s.Lines), 25)

	s, err = scorecardSection(in)
	require.NoError(t, err)
	data := s.Data.(struct {
		Periods   []diagnostic.PeriodMetrics `json:"periods"`
		Scorecard diagnostic.Scorecard       `json:"scorecard"`
	})
	assert.Equal(t, []string{"FY2026-Q4", "FY2027-Q1", "FY2027-Q2"}, data.Scorecard.Periods)
	row, ok := data.Scorecard.Metric(diagnostic.ForecastVariance)
	require.True(t, ok)
	assert.Equal(t, diagnostic.Declined, row.Trend, "the variance widens")
	assert.LessOrEqual(t, len(s.Lines), 25)
}
