package main

import (
	"strings"
	"testing"
	"time"

	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func slaInput(t *testing.T) *input {
	d, err := sample.Load()
	require.NoError(t, err)
	return &input{Data: d, AsOf: sample.AsOf(), Calendar: sample.Calendar()}
}

func TestSLASectionShowsThePlantedFindings(t *testing.T) {
	s, err := slaSection(slaInput(t))
	require.NoError(t, err)
	out := strings.Join(s.Lines, "\n")
	assert.Contains(t, out, ": in force;")
	assert.Contains(t, out, "RED FLAG (criteria review): acceptance below 75% 2 weeks running (2026-08-31 49.3%, 2026-09-07 52.6%)")
	assert.Contains(t, out, "2026-06-15 63.6%", "the single low week is listed as raising nothing")
	assert.Equal(t, 1, strings.Count(out, "RED FLAG"))
	assert.Contains(t, out, "First touch later than 1 business hour (lead's zone and region holidays): APAC ")
	assert.Contains(t, out, "its leads are worked by Evan Cho (America/New_York), Jonah Pierce (America/New_York), Keisha Grant (America/New_York)")
	assert.Contains(t, out, "ESCALATED to Sam Whitfield")
	assert.LessOrEqual(t, len(s.Lines), 25)
}

// Without holidays, and counting only first-touched MQLs as the sample's
// findings test does, the pact's first-touch breaches by region are the
// README's numbers exactly; the region holidays of the sample pact move a
// few.
func TestSLAFirstTouchMatchesTheREADME(t *testing.T) {
	in := slaInput(t)
	pact, err := samplePact(in.Data.Users)
	require.NoError(t, err)
	pact.BusinessHours.RegionHolidays = nil
	r, err := pact.Evaluate(slaLeads(in.Data.Leads), sla.Options{Weeks: in.Calendar, AsOf: in.AsOf})
	require.NoError(t, err)
	open := map[string]int{}
	for _, b := range r.Breaches {
		if b.Commitment == sla.FirstTouch && b.Open {
			open[b.Region]++
		}
	}
	got := map[string][2]int{}
	for _, g := range r.ByRegion {
		got[g.Key] = [2]int{g.FirstTouch.Broken - open[g.Key], g.FirstTouch.Kept + g.FirstTouch.Broken - open[g.Key]}
	}
	assert.Equal(t, map[string][2]int{"APAC": {341, 431}, "EMEA": {43, 779}, "LATAM": {38, 286}, "NA": {121, 1735}}, got)

	// The acceptance of the planted weeks, by MQL week, as the README has it.
	for _, w := range r.Weeks {
		switch w.Period.Start.Format(time.DateOnly) {
		case "2026-08-31":
			a := w.Result(sla.AcceptanceRate)
			assert.Equal(t, 73, a.Kept+a.Broken)
			assert.InDelta(t, 0.493, a.Measured, 0.0005)
		case "2026-09-07":
			a := w.Result(sla.AcceptanceRate)
			assert.Equal(t, 78, a.Kept+a.Broken)
			assert.InDelta(t, 0.526, a.Measured, 0.0005)
		case "2026-06-15":
			assert.InDelta(t, 0.636, w.Result(sla.AcceptanceRate).Measured, 0.0005)
		}
	}
}
