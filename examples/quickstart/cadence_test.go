package main

import (
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/cadence"
	"github.com/revalign/revalign/crm/sample"
)

// TestCadenceSectionFindings checks that the section shows the sample's
// planted pipeline findings (crm/sample/README.md, finding 5).
func TestCadenceSectionFindings(t *testing.T) {
	d, err := sample.Load()
	require.NoError(t, err)
	rates, err := d.Rates(sample.ReportingCurrency)
	require.NoError(t, err)
	in := &input{Data: d, AsOf: sample.AsOf(), Calendar: sample.Calendar(), Rates: rates}
	s, err := cadenceSection(in)
	require.NoError(t, err)
	assert.Equal(t, "fix", s.Phase)
	assert.GreaterOrEqual(t, len(s.Lines), 8)
	assert.LessOrEqual(t, len(s.Lines), 25)

	data := s.Data.(cadenceData)
	rv := data.Review
	assert.Equal(t, 90, rv.Deals)
	assert.True(t, rv.Delta.Reconciles)
	assert.Equal(t, 12, rv.Delta.Bucket(cadence.New).Deals)
	assert.Equal(t, 4, rv.Delta.Bucket(cadence.Won).Deals)
	assert.Equal(t, 8, rv.Delta.Bucket(cadence.Lost).Deals)
	assert.Zero(t, rv.Delta.Bucket(cadence.Dropped).Deals, "every deal that left has an outcome")

	// The forecast is booked + open pipeline: the four wins move their
	// value from the pipeline to booked and change the forecast by
	// nothing. Booked before last week plus this week's wins is every deal
	// won in the quarter to date, summed here straight from the
	// opportunities (USD at the sample's rates).
	won := rv.Delta.Bucket(cadence.Won)
	assert.True(t, won.Effect.IsZero(), "won effect %s", won.Effect)
	wonThisWeek := decimal.Zero
	for _, c := range rv.Delta.Changes {
		if c.Kind == cadence.Won {
			wonThisWeek = wonThisWeek.Add(c.Amount)
		}
	}
	assert.True(t, rv.Delta.ThisBooked.Sub(rv.Delta.LastBooked).Equal(wonThisWeek))
	y, m, dd := in.Calendar.Quarter(in.AsOf).Start.Date()
	qStart := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) // close dates are dates, read as midnight UTC
	y, m, dd = in.Calendar.Quarter(in.AsOf).End.Date()
	qEnd := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	usd := func(amount decimal.NullDecimal, currency string) decimal.Decimal {
		x, err := rates.Convert(amount.Decimal, currency)
		require.NoError(t, err)
		return x
	}
	wonInQuarter := decimal.Zero
	for _, o := range d.Opportunities {
		if o.Status == "won" && !o.CloseDate.Before(qStart) && o.CloseDate.Before(in.AsOf) {
			wonInQuarter = wonInQuarter.Add(usd(o.Amount, o.Currency))
		}
	}
	assert.True(t, rv.Delta.ThisBooked.Equal(wonInQuarter), "booked %s, won in the quarter %s", rv.Delta.ThisBooked, wonInQuarter)
	// The open pipeline of each snapshot, straight from the CSV rows.
	pipeline := map[string]decimal.Decimal{}
	for _, r := range d.PipelineSnapshots {
		if !r.CloseDate.Before(qStart) && r.CloseDate.Before(qEnd) && r.ForecastCategory != "Omitted" && r.ForecastCategory != "Closed" {
			k := r.SnapshotDate.Format(time.DateOnly)
			pipeline[k] = pipeline[k].Add(usd(r.Amount, r.Currency))
		}
	}
	assert.True(t, rv.Delta.Last.Sub(rv.Delta.LastBooked).Equal(pipeline["2026-09-21"]), "last week's pipeline %s", pipeline["2026-09-21"])
	assert.True(t, rv.Delta.This.Sub(rv.Delta.ThisBooked).Equal(pipeline["2026-09-28"]), "this week's pipeline %s", pipeline["2026-09-28"])

	// The cluster: four stalled deals share the security questionnaire
	// (structural, to the loss review); legal redlines in two is not.
	require.GreaterOrEqual(t, len(rv.Patterns), 2)
	sec, legal := rv.Patterns[0], rv.Patterns[1]
	assert.Equal(t, "Security questionnaire outstanding", sec.Reason)
	assert.ElementsMatch(t, []string{"O00729", "O00767", "O00790", "O00801"}, sec.Deals)
	assert.Equal(t, 4, sec.Stalled)
	assert.True(t, sec.Structural)
	assert.Equal(t, cadence.LossPostMortem, sec.RouteTo)
	assert.Equal(t, "Legal redlines", legal.Reason)
	assert.ElementsMatch(t, []string{"O00809", "O00839"}, legal.Deals)
	assert.False(t, legal.Structural)
	assert.Len(t, rv.Structural(), 1)

	// Passive voice, flag by flag.
	byFlag := map[cadence.Flags][]string{}
	for _, l := range rv.Passive {
		for _, f := range []cadence.Flags{cadence.WaitingOnBuyer, cadence.PastNextAction, cadence.NoNextAction, cadence.NoOwner} {
			if l.Flags.Has(f) {
				byFlag[f] = append(byFlag[f], l.ID)
			}
		}
	}
	for f := range byFlag {
		slices.Sort(byFlag[f])
	}
	assert.Equal(t, map[cadence.Flags][]string{
		cadence.WaitingOnBuyer: {"O00809", "O00839", "O00926", "O00940", "O00954"},
		cadence.PastNextAction: {"O00975", "O00991"},
		cadence.NoNextAction:   {"O01001", "O01003"},
		cadence.NoOwner:        {"O01004"},
	}, byFlag)

	// Stalled inventory counted in calendar days in New York, as the
	// README counts it: 30 deals, the four of the cluster among them.
	var stalled []string
	for _, l := range rv.Stalled {
		stalled = append(stalled, l.ID)
		assert.GreaterOrEqual(t, l.DaysInStage, 21)
	}
	assert.Len(t, stalled, 30)
	assert.Subset(t, stalled, []string{"O00729", "O00767", "O00790", "O00801", "O00809", "O00839", "O00926", "O00940"})

	pm := data.PostMortem
	assert.Equal(t, "FY2027-Q2", in.Calendar.QuarterLabel(pm.Quarter.Start))
	assert.Len(t, pm.Selected, 10)
	assert.False(t, pm.IndividualMistakes)
	assert.GreaterOrEqual(t, len(pm.Changes), 3)

	assert.Equal(t, 12, data.Schedule.Count(cadence.PipelineReview))
	require.Len(t, data.Schedule.Skipped, 1)
	assert.Equal(t, "Martin Luther King Jr. Day", data.Schedule.Skipped[0].Holiday)
}
