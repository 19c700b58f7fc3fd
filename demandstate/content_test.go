package demandstate_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
	ds "github.com/revalign/revalign/demandstate"
)

// contentMap: two states × three roles, four assets, one retired.
func contentMap() ds.ContentMap {
	m := ds.DefaultContentMap()
	m.States = []ds.State{ds.SolutionAware, ds.DecisionReady}
	m.Roles = []ds.Role{ds.EconomicBuyer, ds.TechnicalEvaluator, ds.SecurityReviewer}
	m.Assets = []ds.Asset{
		{ID: "A1", Title: "ROI guide", State: ds.SolutionAware, Role: ds.EconomicBuyer, CreatedAt: daysAgo(400)},
		{ID: "A2", Title: "Architecture paper", State: ds.SolutionAware, Role: ds.TechnicalEvaluator, CreatedAt: daysAgo(300)},
		{ID: "A3", Title: "Business case", State: ds.DecisionReady, Role: ds.EconomicBuyer, CreatedAt: daysAgo(200)},
		{ID: "A4", Title: "Old SOC 2 summary", State: ds.DecisionReady, Role: ds.SecurityReviewer, CreatedAt: daysAgo(500), Retired: true},
		{ID: "A5", Title: "New pricing FAQ", State: ds.DecisionReady, Role: ds.EconomicBuyer, CreatedAt: daysAgo(20)},
	}
	return m
}

func TestContentGaps(t *testing.T) {
	m := contentMap()
	// The retired SOC 2 summary fills nothing.
	assert.Equal(t, []ds.Cell{
		{ds.SolutionAware, ds.SecurityReviewer},
		{ds.DecisionReady, ds.TechnicalEvaluator},
		{ds.DecisionReady, ds.SecurityReviewer},
	}, m.Gaps())
	m.NotNeeded = []ds.Cell{{ds.SolutionAware, ds.SecurityReviewer}}
	assert.Equal(t, []ds.Cell{{ds.DecisionReady, ds.TechnicalEvaluator}, {ds.DecisionReady, ds.SecurityReviewer}}, m.Gaps())
}

func TestContentReport(t *testing.T) {
	m := contentMap()
	cal := revalign.FiscalCalendar{} // calendar months, UTC
	// asOf is 2026-03-31: the lookback months are December, January, February.
	usage := []ds.Usage{
		{ID: "u1", AssetID: "A1", DealID: "O1", At: daysAgo(10)},
		{ID: "u2", AssetID: "A1", DealID: "O9", At: daysAgo(200)},
		{ID: "u3", AssetID: "A2", DealID: "O2", At: daysAgo(120)},        // last use 120 days ago: retire
		{ID: "u4", AssetID: "A3", DealID: "O2", At: daysAgo(89.5)},       // inside the 90 days: keep
		{ID: "u5", AssetID: "A1", DealID: "O1", At: asOf.Add(time.Hour)}, // after asOf: not yet known
		{ID: "s1", FromScratch: true, Role: ds.SecurityReviewer, At: time.Date(2025, 12, 3, 0, 0, 0, 0, time.UTC)},
		{ID: "s2", FromScratch: true, Role: ds.SecurityReviewer, At: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
		{ID: "s3", FromScratch: true, Role: ds.SecurityReviewer, At: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)},
		{ID: "s4", FromScratch: true, Role: ds.EconomicBuyer, At: time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC)},
		{ID: "s5", FromScratch: true, Role: ds.SecurityReviewer, At: time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC)},
		{ID: "s6", FromScratch: true, Role: ds.SecurityReviewer, At: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},   // as-of month: not counted
		{ID: "s7", FromScratch: true, Role: ds.SecurityReviewer, At: time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)}, // before the lookback
		{ID: "bad1", AssetID: "A404", DealID: "O1", At: daysAgo(1)},
		{ID: "bad2", FromScratch: true, AssetID: "A1", At: daysAgo(1)},
		{ID: "bad3", AssetID: "A1"},
		{ID: "bad4", DealID: "O1", At: daysAgo(1)},
	}
	rep, err := m.Report(usage, []string{"O1", "O2", "O3"}, cal, asOf)
	require.NoError(t, err)

	assert.Equal(t, m.Gaps(), rep.Gaps)
	require.Len(t, rep.Retire, 1)
	assert.Equal(t, "A2", rep.Retire[0].Asset.ID)
	assert.Equal(t, daysAgo(120), rep.Retire[0].LastUsed)

	// Active deals O1, O2, O3: O1 and O2 pulled content. Live assets A1,
	// A2, A3, A5: A1, A2, A3 were pulled into active deals.
	assert.Equal(t, ds.Utilization{ActiveDeals: 3, DealsWithContent: 2, DealRate: 2.0 / 3,
		LiveAssets: 4, UsedInActiveDeals: 3, AssetRate: 0.75}, rep.Utilization)

	sc := rep.Scratch
	require.Len(t, sc.Months, 3)
	assert.Equal(t, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), sc.Months[0].Period.Start)
	assert.Equal(t, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), sc.Months[2].Period.End)
	assert.Equal(t, []int{1, 2, 2}, []int{sc.Months[0].Count, sc.Months[1].Count, sc.Months[2].Count})
	assert.Equal(t, []bool{false, true, true}, []bool{sc.Months[0].Flagged, sc.Months[1].Flagged, sc.Months[2].Flagged})
	assert.Equal(t, 5, sc.Total)
	assert.InDelta(t, 5.0/3, sc.PerMonth, 1e-12)
	assert.True(t, sc.Flagged)
	assert.Equal(t, []ds.RoleCount{{ds.SecurityReviewer, 4}, {ds.EconomicBuyer, 1}}, sc.ByRole)

	var badIDs []string
	for _, e := range rep.Invalid {
		badIDs = append(badIDs, e.ID)
		assert.ErrorIs(t, e, revalign.ErrInvalid)
	}
	assert.Equal(t, []string{"bad1", "bad2", "bad3", "bad4"}, badIDs)

	t.Run("once a month is not more than once a month", func(t *testing.T) {
		rep, err := m.Report(usage[5:8], nil, cal, asOf) // 1, 2, 0 → 1 a month
		require.NoError(t, err)
		assert.InDelta(t, 1.0, rep.Scratch.PerMonth, 1e-12)
		assert.False(t, rep.Scratch.Flagged)
		assert.Equal(t, 0.0, rep.Utilization.DealRate)
	})
	t.Run("retirement window is configurable", func(t *testing.T) {
		m := contentMap()
		m.RetireAfterDays = 365
		rep, err := m.Report(usage, nil, cal, asOf)
		require.NoError(t, err)
		assert.Empty(t, rep.Retire)
		m.RetireAfterDays = 5
		rep, err = m.Report(usage, nil, cal, asOf)
		require.NoError(t, err)
		var ids []string
		for _, r := range rep.Retire {
			ids = append(ids, r.Asset.ID)
		}
		assert.Equal(t, []string{"A1", "A2", "A3", "A5"}, ids) // A1 last used 10 days ago; A5 is 20 days old, never used
	})
	t.Run("usage outside a deal keeps no asset alive", func(t *testing.T) {
		// "Assets not pulled into deals within 90 days get retired": A2 was
		// last pulled into a deal 120 days ago; a rep previewing it
		// yesterday, in no deal, does not save it. The view is counted, not
		// dropped.
		outside := append(slices.Clone(usage), ds.Usage{ID: "v1", AssetID: "A2", At: daysAgo(1), By: "rep"})
		rep, err := m.Report(outside, []string{"O1", "O2", "O3"}, cal, asOf)
		require.NoError(t, err)
		require.Len(t, rep.Retire, 1)
		assert.Equal(t, "A2", rep.Retire[0].Asset.ID)
		assert.Equal(t, daysAgo(120), rep.Retire[0].LastUsed)
		assert.Equal(t, 1, rep.OutsideDeals)
		assert.Len(t, rep.Invalid, 4, "a view outside a deal is not an error")
	})
	t.Run("an invalid map is an error", func(t *testing.T) {
		m := contentMap()
		m.RetireAfterDays = 0
		_, err := m.Report(usage, nil, cal, asOf)
		assert.Equal(t, []string{"retire_after_days"}, fieldPaths(t, err))
	})
}

func TestContentMapValidate(t *testing.T) {
	assert.NoError(t, ds.DefaultContentMap().Validate())
	m := contentMap()
	m.States = append(m.States, ds.SolutionAware)
	m.Roles = append(m.Roles, " hr")
	m.NotNeeded = []ds.Cell{{State: "mql", Role: "cfo"}}
	m.Assets = append(m.Assets, ds.Asset{ID: "A1", State: ds.Unaware, Role: "hr"})
	m.ScratchDecksPerMonth = -1
	m.ScratchLookbackMonths = 0
	assert.Equal(t, []string{"states[2]", "roles[3]", "not_needed[0].state", "not_needed[0].role",
		"assets[5].id", "assets[5].state", "assets[5].role", "assets[5].created_at",
		"scratch_decks_per_month", "scratch_lookback_months"}, fieldPaths(t, m.Validate()))
	assert.Equal(t, []string{"states", "roles"}, fieldPaths(t, ds.ContentMap{RetireAfterDays: 90, ScratchLookbackMonths: 3}.Validate()))

	// Ten years of months is the most a lookback holds; a typo of 1e9
	// months would otherwise build a billion periods.
	m = contentMap()
	m.ScratchLookbackMonths = ds.MaxScratchLookbackMonths
	assert.NoError(t, m.Validate())
	m.ScratchLookbackMonths = ds.MaxScratchLookbackMonths + 1
	assert.Equal(t, []string{"scratch_lookback_months"}, fieldPaths(t, m.Validate()))
	assert.EqualError(t, m.Validate(), "demandstate: scratch_lookback_months: must be in 1..120, got 121")
}

func TestContentMapJSONRoundTrip(t *testing.T) {
	m := contentMap()
	m.NotNeeded = []ds.Cell{{ds.SolutionAware, ds.SecurityReviewer}}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	var back ds.ContentMap
	require.NoError(t, config.Unmarshal(b, &back))
	assert.Equal(t, len(m.Assets), len(back.Assets))
	for i := range m.Assets {
		assert.True(t, m.Assets[i].CreatedAt.Equal(back.Assets[i].CreatedAt))
		back.Assets[i].CreatedAt = m.Assets[i].CreatedAt
	}
	assert.Equal(t, m, back)
	assert.Error(t, json.Unmarshal([]byte(`{"states":["a"],"roles":["b"],"assets":[{"id":"x","state":"a","role":"b","created_at":"2026-01-01T00:00:00Z","owner":"z"}]}`), &back))
}
