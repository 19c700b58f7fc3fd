package main

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/icp"
)

// TestICPSectionFindings checks the planted ICP finding: sales acceptance is
// driven by fit (employees 200–5,000, core industry, an HRIS, seniority) and
// high intent, not by webinars and downloads, so calibration on the
// dispositions raises the fit weights, lowers the webinar and download
// points, and ranks held-out MQLs better.
func TestICPSectionFindings(t *testing.T) {
	s, err := icpSection(sampleInput(t))
	require.NoError(t, err)
	data := s.Data.(icpData)
	w := map[string]icp.Weight{}
	for _, x := range data.Proposal.Weights {
		w[x.ID] = x
	}
	for _, id := range []string{"hris", "employees_200_5000", "industry_core", "director_plus"} {
		assert.Greater(t, w[id].Proposed, w[id].Current, "%s is raised", id)
		assert.Greater(t, w[id].Beta, 0.4, id)
	}
	for _, id := range []string{"webinar", "content_download"} {
		// the generating truth gives them no weight: what calibration finds
		// is noise around zero, a point or two at most
		assert.LessOrEqual(t, w[id].Proposed, 2.0, "%s is cut to almost nothing", id)
		assert.Less(t, math.Abs(w[id].Beta), 0.3, "%s carries no weight", id)
		assert.Less(t, w[id].Proposed, w[id].Current, id)
	}
	assert.Greater(t, w["employees_200_5000"].Proposed, w["webinar"].Proposed)
	assert.Greater(t, w["demo_request"].Beta, 0.0, "high intent still counts")

	p := data.Proposal
	assert.Greater(t, p.Proposed.AUC, p.Current.AUC+0.05)
	assert.Less(t, p.Proposed.Brier, p.Current.Brier)
	assert.Less(t, p.Proposed.LogLoss, p.Current.LogLoss)
	assert.GreaterOrEqual(t, p.Counts.Labelled, 1000)
	assert.Equal(t, p.Counts.Outcomes, p.Counts.Labelled+p.Counts.Undispositioned+p.Counts.Disqualified+p.Counts.Rejected+
		p.Counts.Excluded["Duplicate"]+p.Counts.Excluded["No response"])

	// Students, competitors and unserved countries are never accepted.
	assert.Contains(t, strings.Join(s.Lines, "\n"), "student 59 (0 accepted)")
	assert.Contains(t, strings.Join(s.Lines, "\n"), "competitor 17 (0 accepted)")
	assert.Contains(t, strings.Join(s.Lines, "\n"), "unserved_country 63 (0 accepted)")
	assert.LessOrEqual(t, len(s.Lines), 25)
}

// TestICPOutcomes checks the conversion of CRM rows against the export
// itself: one outcome per MQL, scored as of the MQL, revenue in USD, an
// export's 0 left unknown.
func TestICPOutcomes(t *testing.T) {
	in := sampleInput(t)
	outs, err := icpOutcomes(in.Data, in.Rates)
	require.NoError(t, err)
	var mqls int
	leads := map[string]crm.Lead{}
	for _, l := range in.Data.Leads {
		leads[l.ID] = l
		if !l.MQLAt.IsZero() {
			mqls++
		}
	}
	require.Len(t, outs, mqls)
	for _, o := range outs {
		l := leads[o.Record.ID]
		assert.Equal(t, l.MQLAt, o.At)
		assert.Equal(t, l.Disposition, o.Disposition)
		require.Len(t, o.Record.Values, len(icpSchema))
	}

	// An EUR account's revenue is converted at the sample's rate (1.08).
	accounts := map[string]crm.Account{}
	for _, a := range in.Data.Accounts {
		accounts[a.ID] = a
	}
	rev := icpSchema.Index("annual_revenue")
	var checked int
	for _, o := range outs {
		a := accounts[leads[o.Record.ID].AccountID]
		if a.Currency != "EUR" || !a.AnnualRevenue.IsPositive() {
			continue
		}
		got, ok := o.Record.Values[rev].AsNumber()
		require.True(t, ok)
		assert.InDelta(t, a.AnnualRevenue.InexactFloat64()*1.08, got, 0.01)
		checked++
	}
	assert.Positive(t, checked)

	_, err = icpOutcomes(&crm.Dataset{Leads: []crm.Lead{{ID: "L1", AccountID: "nope", MQLAt: in.AsOf}}}, in.Rates)
	assert.ErrorContains(t, err, `lead L1: no account "nope"`)
}
