package velocity

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

// TestForecastAccuracy works the table by hand:
//
//	period  F    A    F−A
//	Q1      100  110  −10   |e|/A = 0.0909  hit
//	Q2      120  100  +20           0.2000  miss
//	Q3       90   90    0           0       hit
//	Q4        0    0    0           —       hit (A = 0, F = 0)
//
// MAPE = (0.0909 + 0.2 + 0)/3 over the three A ≠ 0; WAPE = 30/300;
// bias = +10/4 = 2.5; hit rate 3/4.
func TestForecastAccuracy(t *testing.T) {
	points := []Point{
		{"Q1", "SMB", dec("100"), dec("110")},
		{"Q2", "SMB", dec("120"), dec("100")},
		{"Q3", "SMB", dec("90"), dec("90")},
		{"Q4", "SMB", dec("0"), dec("0")},
		{"Q1", "ENT", dec("50"), dec("0")},
		{"Q2", "ENT", dec("200"), dec("100")},
	}
	got, err := ForecastAccuracy(points, 0.10)
	require.NoError(t, err)
	require.Len(t, got, 3)
	s := got[1]
	assert.Equal(t, "SMB", s.Segment)
	assert.Equal(t, 4, s.Points)
	assert.Equal(t, 3, s.MAPEPoints)
	assert.Equal(t, 1, s.ZeroActuals)
	assert.InDelta(t, (10.0/110+0.2)/3, s.MAPE, 1e-12)
	assert.InDelta(t, 0.1, s.WAPE, 1e-12)
	assert.Equal(t, "2.5", s.Bias.String())
	assert.InDelta(t, 10.0/300, s.BiasPct, 1e-12)
	assert.Equal(t, 3, s.Hits)
	assert.InDelta(t, 0.75, s.HitRate, 1e-12)

	e := got[0]
	assert.Equal(t, "ENT", e.Segment)
	assert.Equal(t, 1, e.ZeroActuals, "an actual of 0 has no percentage error")
	assert.InDelta(t, 1.0, e.MAPE, 1e-12)
	assert.InDelta(t, 1.5, e.WAPE, 1e-12, "150 off of 100")
	assert.Zero(t, e.Hits, "a forecast of 50 against 0 is a miss")

	// "all" sums the segments per period: Q1 150/110, Q2 320/200, Q3
	// 90/90, Q4 0/0.
	a := got[2]
	assert.Equal(t, AllSegments, a.Segment)
	assert.Equal(t, 4, a.Points)
	assert.InDelta(t, (40.0/110+120.0/200+0)/3, a.MAPE, 1e-12)
	assert.InDelta(t, 160.0/400, a.WAPE, 1e-12)

	_, err = ForecastAccuracy(points, 1)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	one, err := ForecastAccuracy([]Point{{"Q1", "x", dec("0"), dec("0")}}, 0.1)
	require.NoError(t, err)
	require.Len(t, one, 1, "no 'all' row for one segment")
	assert.Zero(t, one[0].MAPEPoints, "MAPE undefined")
	assert.True(t, one[0].SumActual.IsZero(), "WAPE undefined")
}

func teamForecast(p, s string, team revalign.Team, amt string) TeamForecast {
	return TeamForecast{Period: p, Segment: s, Team: team, Amount: dec(amt)}
}

func TestTeamVariance(t *testing.T) {
	forecasts := []TeamForecast{
		teamForecast("Q2", "SMB", revalign.Marketing, "1200"),
		teamForecast("Q2", "SMB", revalign.Sales, "800"),
		teamForecast("Q2", "ENT", revalign.Marketing, "1000"),
		teamForecast("Q2", "ENT", revalign.Sales, "1050"),
		teamForecast("Q1", "SMB", revalign.Sales, "500"),
		teamForecast("Q1", "SMB", revalign.Sales, "600"),
		teamForecast("Q1", "SMB", revalign.CustomerSuccess, "1"),
	}
	actuals := []Actual{{"Q2", "SMB", dec("900")}, {"Q2", "ENT", dec("1000")}}
	got, rejects, err := TeamVariance(forecasts, actuals, 0.10)
	require.NoError(t, err)
	require.Len(t, rejects, 2)
	assert.Equal(t, "Q1/SMB/sales", rejects[0].ID)
	assert.Equal(t, "Q1/SMB/customer-success", rejects[1].ID)

	require.Len(t, got, 5)
	assert.Equal(t, []string{"Q1/SMB", "Q1/all", "Q2/ENT", "Q2/SMB", "Q2/all"},
		[]string{got[0].Period + "/" + got[0].Segment, got[1].Period + "/" + got[1].Segment, got[2].Period + "/" + got[2].Segment, got[3].Period + "/" + got[3].Segment, got[4].Period + "/" + got[4].Segment})
	assert.Equal(t, revalign.Marketing, got[0].Missing)
	assert.False(t, got[0].Aligned)

	// SMB: 1,200 vs 800, gap 400 ÷ 800 = 50%; actual 900: marketing
	// +33.3%, sales −11.1%, sales closer.
	smb := got[3]
	assert.Equal(t, "400", smb.Gap.String())
	assert.InDelta(t, 0.5, smb.Relative, 1e-12)
	assert.False(t, smb.Aligned)
	assert.InDelta(t, 300.0/900, smb.MarketingError, 1e-12)
	assert.InDelta(t, -100.0/900, smb.SalesError, 1e-12)
	assert.Equal(t, revalign.Sales, smb.Closer)
	// ENT: 1,000 vs 1,050: 50/1,050 = 4.8%, aligned; marketing exact.
	entRow := got[2]
	assert.InDelta(t, 50.0/1050, entRow.Relative, 1e-12)
	assert.True(t, entRow.Aligned)
	assert.Equal(t, revalign.Marketing, entRow.Closer)
	// all: 2,200 vs 1,850; actual 1,900.
	all := got[4]
	assert.Equal(t, "2200", all.Marketing.String())
	assert.Equal(t, "1850", all.Sales.String())
	assert.Equal(t, "1900", all.Actual.String())
	assert.InDelta(t, 350/1850.0, all.Relative, 1e-12)

	zero, _, err := TeamVariance([]TeamForecast{teamForecast("Q3", "x", revalign.Sales, "0"), teamForecast("Q3", "x", revalign.Marketing, "0"),
		teamForecast("Q4", "x", revalign.Sales, "0"), teamForecast("Q4", "x", revalign.Marketing, "5")}, nil, 0.1)
	require.NoError(t, err)
	assert.True(t, zero[0].Aligned, "both zero")
	assert.False(t, zero[2].Aligned, "5 against a zero sales forecast")
	assert.Zero(t, zero[2].Relative)

	_, _, err = TeamVariance(nil, nil, -0.1)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

// An "all" row sums only like with like: when one segment lacks a team's
// forecast, the company totals compare unlike sets of segments, so the row
// is flagged Missing (and names the segments) instead of measuring a gap.
// Actuals without any forecast row are record errors and stay out of the
// "all" actual.
func TestTeamVarianceAllRowComparesLikeWithLike(t *testing.T) {
	forecasts := []TeamForecast{
		teamForecast("Q2", "SMB", revalign.Marketing, "1000"),
		teamForecast("Q2", "SMB", revalign.Sales, "1000"),
		teamForecast("Q2", "ENT", revalign.Sales, "5000"), // marketing has no ENT forecast
		teamForecast("Q3", "SMB", revalign.Marketing, "100"),
		teamForecast("Q3", "SMB", revalign.Sales, "100"),
		teamForecast("Q3", "ENT", revalign.Sales, "300"),
		teamForecast("Q3", "MID", revalign.Marketing, "200"),
		teamForecast("Q3", AllSegments, revalign.Sales, "999"),
	}
	actuals := []Actual{{"Q2", "SMB", dec("900")}, {"Q2", "MID", dec("700")}, {"Q4", "SMB", dec("1")}}
	got, rejects, err := TeamVariance(forecasts, actuals, 0.10)
	require.NoError(t, err)
	require.Len(t, rejects, 3)
	assert.Equal(t, "Q3/all/sales", rejects[0].ID)
	assert.ErrorContains(t, rejects[0], "reserved")
	assert.Equal(t, "Q2/MID", rejects[1].ID)
	assert.ErrorContains(t, rejects[1], "no forecast")
	assert.Equal(t, "Q4/SMB", rejects[2].ID)

	byKey := map[string]Variance{}
	for _, v := range got {
		byKey[v.Period+"/"+v.Segment] = v
	}
	require.Len(t, byKey, 7)
	q2 := byKey["Q2/all"]
	assert.Equal(t, revalign.Marketing, q2.Missing, "1,000 against 6,000 is not a gap between the teams")
	assert.Equal(t, []string{"ENT"}, q2.Incomplete)
	assert.False(t, q2.Aligned)
	assert.Zero(t, q2.Relative)
	assert.Equal(t, "900", q2.Actual.String(), "MID's actual has no forecast row")
	assert.Empty(t, q2.Closer)
	// Q3: marketing lacks ENT and sales lacks MID.
	q3 := byKey["Q3/all"]
	assert.Equal(t, revalign.Marketing, q3.Missing)
	assert.Equal(t, []string{"ENT", "MID"}, q3.Incomplete)
	assert.Equal(t, "400", q3.Sales.String(), "the reserved segment is not summed")
	// Segment rows are unchanged.
	assert.Empty(t, byKey["Q2/SMB"].Missing)
	assert.True(t, byKey["Q2/SMB"].Aligned)
	assert.Empty(t, byKey["Q2/SMB"].Incomplete)
	assert.Equal(t, revalign.Marketing, byKey["Q2/ENT"].Missing)
	assert.Equal(t, revalign.Sales, byKey["Q3/MID"].Missing)
}
