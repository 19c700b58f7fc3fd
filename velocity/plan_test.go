package velocity

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

// fy is a fiscal year starting in February; FY2028-Q1 is
// [2027-02-01, 2027-05-01), 89 days.
var fy = revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: time.UTC}

func quarterOf(y int, m time.Month) revalign.Period {
	return fy.Quarter(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC))
}

// worked is the reference's example: 14 deals ← 35 proposals (40%) ← 70
// second meetings (50%) ← 200 first meetings (35%) ← 2,000 calls (10%).
func worked(lags ...int) Plan {
	steps := []Step{{"proposals", 0.40, 0}, {"second meetings", 0.50, 0}, {"first meetings", 0.35, 0}, {"calls", 0.10, 0}}
	for i, l := range lags {
		steps[i].LagDays = l
	}
	return Plan{
		Name:     "FY2028",
		Currency: "USD",
		Calendar: fy,
		Targets:  []Target{{Period: quarterOf(2027, 2), Segment: "all", Revenue: dec("140000")}},
		Funnels:  []Funnel{{Segment: "all", DealSize: dec("10000"), Steps: steps, CostStep: "calls", CostPerUnit: dec("5.00")}},
		Channels: []Channel{{"paid_search", 1}, {"events", 1}, {"partner", 1}},
	}
}

func TestWorkedExample(t *testing.T) {
	ws, err := worked().Work()
	require.NoError(t, err)
	require.Len(t, ws.Funnels, 1)
	f := ws.Funnels[0]
	want := []struct {
		name  string
		total float64
	}{{"won deals", 14}, {"proposals", 35}, {"second meetings", 70}, {"first meetings", 200}, {"calls", 2000}}
	require.Len(t, f.Steps, len(want))
	for i, w := range want {
		assert.Equal(t, w.name, f.Steps[i].Name)
		assert.InDelta(t, w.total, f.Steps[i].Total, 1e-9, w.name)
		assert.Equal(t, int(w.total), f.Steps[i].Whole, w.name)
		require.Len(t, f.Steps[i].Quarters, 1, "no lag: all in the target quarter")
		assert.Equal(t, "FY2028-Q1", f.Steps[i].Quarters[0].Quarter)
	}
	assert.InDelta(t, 2.5, f.RequiredCoverage, 1e-12, "1 ÷ 40%")
	assert.Equal(t, "10000", ws.Investment.String(), "2,000 calls × 5.00")
	require.Len(t, ws.ByQuarter, 1)
	assert.Equal(t, "FY2028-Q1", ws.ByQuarter[0].Quarter)
	assert.Equal(t, "10000.00", ws.ByQuarter[0].Amount.StringFixed(2))
	// 10,000.00 in thirds: 3,333.34 + 3,333.33 + 3,333.33.
	require.Len(t, ws.ByChannel, 3)
	assert.Equal(t, "3333.34", ws.ByChannel[0].Amount.String())
	assert.Equal(t, "3333.33", ws.ByChannel[1].Amount.String())
	assert.Equal(t, "3333.33", ws.ByChannel[2].Amount.String())
	assert.Equal(t, "140000", ws.Revenue.String())
	h, _ := worked().Hash()
	assert.Equal(t, h, ws.Hash)
}

func TestWorkShiftsByLeadTime(t *testing.T) {
	ws, err := worked(30, 14, 7, 3).Work()
	require.NoError(t, err)
	f := ws.Funnels[0]
	assert.Equal(t, []int{0, 30, 44, 51, 54}, []int{f.Steps[0].LeadDays, f.Steps[1].LeadDays, f.Steps[2].LeadDays, f.Steps[3].LeadDays, f.Steps[4].LeadDays})
	// Proposals happen 30 days earlier: [Jan 2, Apr 1) — 30 days in
	// FY2027-Q4 (Nov–Jan), 59 in FY2028-Q1.
	p := f.Steps[1].Quarters
	require.Len(t, p, 2)
	assert.Equal(t, "FY2027-Q4", p[0].Quarter)
	assert.InDelta(t, 35*30.0/89, p[0].Volume, 1e-9)
	assert.InDelta(t, 35*59.0/89, p[1].Volume, 1e-9)
	// Calls 54 days earlier: 54 days in Q4, 35 in Q1; 10,000.00 of
	// investment split 54:35 is 6,067.42 + 3,932.58 (largest remainder).
	c := f.Steps[4].Quarters
	assert.InDelta(t, 2000*54.0/89, c[0].Volume, 1e-9)
	require.Len(t, ws.ByQuarter, 2)
	assert.Equal(t, Money{Quarter: "FY2027-Q4", Amount: dec("6067.42")}, ws.ByQuarter[0])
	assert.Equal(t, Money{Quarter: "FY2028-Q1", Amount: dec("3932.58")}, ws.ByQuarter[1])
	assertSums(t, ws)
}

// assertSums checks that quarters and channels add up to the investment
// exactly.
func assertSums(t *testing.T, ws Worksheet) {
	t.Helper()
	q, c, f := decimal.Zero, decimal.Zero, decimal.Zero
	for _, m := range ws.ByQuarter {
		q = q.Add(m.Amount)
	}
	for _, m := range ws.ByChannel {
		c = c.Add(m.Amount)
	}
	for _, fp := range ws.Funnels {
		f = f.Add(fp.Investment)
	}
	assert.True(t, ws.Investment.Equal(q), "quarters %s ≠ %s", q, ws.Investment)
	assert.True(t, ws.Investment.Equal(c), "channels %s ≠ %s", c, ws.Investment)
	assert.True(t, ws.Investment.Equal(f), "funnels %s ≠ %s", f, ws.Investment)
}

func TestWorkYearBySegment(t *testing.T) {
	p := worked(60, 20, 10, 5)
	p.Funnels = append(p.Funnels, Funnel{Segment: "ENT", DealSize: dec("150000"),
		Steps:    []Step{{"opportunities", 0.15, 120}, {"mqls", 0.3, 30}},
		CostStep: "mqls", CostPerUnit: dec("410.37")})
	p.Targets = nil
	for i, m := range []time.Month{2, 5, 8, 11} {
		p.Targets = append(p.Targets,
			Target{Period: quarterOf(2027, m), Segment: "all", Revenue: decimal.New(int64(100_000*(i+1)), 0)},
			Target{Period: quarterOf(2027, m), Segment: "ENT", Revenue: dec("1000000.01")})
	}
	p.Channels = []Channel{{"a", 0.5}, {"b", 0.3}, {"c", 0.2}}
	ws, err := p.Work()
	require.NoError(t, err)
	assertSums(t, ws)
	assert.Equal(t, "5000000.04", ws.Revenue.String())
	ent := ws.Funnels[1]
	// Per quarter: 1,000,000.01 / 150,000 = 6.6667 won, /0.15 = 44.44
	// opportunities, /0.3 = 148.15 MQLs → 149 bought at 410.37.
	assert.Equal(t, 149, whole(1000000.01/150000/0.15/0.3))
	assert.Equal(t, decimal.New(4*149, 0).Mul(dec("410.37")).String(), ent.Investment.String())
	assert.InDelta(t, 1/0.15, ent.RequiredCoverage, 1e-12)
	// MQLs are 150 days ahead: FY2028-Q1's land from 2026-09-04, in
	// FY2027-Q3 (Aug–Oct) and Q4.
	assert.Equal(t, "FY2027-Q3", ent.Steps[2].Quarters[0].Quarter)
	total := 0.0
	for _, v := range ent.Steps[2].Quarters {
		total += v.Volume
	}
	assert.InDelta(t, ent.Steps[2].Total, total, 1e-9, "shifting keeps every unit")
}

func TestPlanSignOff(t *testing.T) {
	signedAt := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	p := worked()
	so, err := p.SignOff(signedAt)
	require.NoError(t, err)
	assert.False(t, so.InForce)
	assert.Equal(t, []string{RoleMarketing, RoleSales}, so.Missing)

	p1, err := p.Sign(RoleMarketing, "Dana Reyes", signedAt)
	require.NoError(t, err)
	p2, err := p1.Sign(RoleSales, "Sam Ortiz", signedAt)
	require.NoError(t, err)
	assert.Len(t, p1.Signatures, 1, "Sign returns a copy")
	so, err = p2.SignOff(signedAt)
	require.NoError(t, err)
	assert.True(t, so.InForce, so.Reason())

	// A changed number voids both signatures.
	changed := p2
	changed.Targets = []Target{{Period: changed.Targets[0].Period, Segment: "all", Revenue: dec("150000")}}
	so, err = changed.SignOff(signedAt)
	require.NoError(t, err)
	assert.False(t, so.InForce)
	assert.Equal(t, []string{RoleMarketing, RoleSales}, so.Stale)
	so, _ = p2.SignOff(signedAt)
	assert.True(t, so.InForce, "the original is untouched")

	// Custom roles.
	p3 := p2
	p3.Roles = []string{"cro"}
	so, _ = p3.SignOff(signedAt)
	assert.Equal(t, []string{"cro"}, so.Missing)
	assert.Len(t, so.Stale, 0)
}

func TestPlanValidate(t *testing.T) {
	p := worked()
	p.Name = " "
	p.Currency = "dollars"
	p.Targets = append(p.Targets, Target{Segment: "SMB", Revenue: dec("-1")})
	p.Funnels[0].Steps[1].Conversion = 0
	p.Funnels[0].Steps[2].Name = "calls"
	p.Funnels[0].CostStep = "mqls"
	p.Funnels = append(p.Funnels, Funnel{Segment: "all"})
	p.Channels = []Channel{{"", -1}}
	p.Roles = []string{""}
	err := p.Validate()
	require.ErrorIs(t, err, revalign.ErrInvalid)
	for _, path := range []string{"name", "currency", "targets[1].period", "targets[1].revenue", "targets[1].segment",
		"funnels[0].steps[1].conversion", "funnels[0].steps[3].name", "funnels[0].cost_step", "funnels[1].deal_size",
		"funnels[1].steps", "funnels[1].segment", "channels[0].name", "channels[0].share", "channels", "roles[0]"} {
		assert.Contains(t, err.Error(), "velocity: "+path+":", path)
	}
	_, err = p.Work()
	assert.Error(t, err)
	assert.ErrorContains(t, Plan{}.Validate(), "targets: needs at least one target")
}

func TestPlanLoadsFromYAML(t *testing.T) {
	yaml := `
name: FY2028 revenue plan
currency: USD
calendar: {start_month: 2, week_start: monday, time_zone: UTC}
targets:
  - {period: {start: "2027-02-01T00:00:00Z", end: "2027-05-01T00:00:00Z"}, segment: all, revenue: 140000}
funnels:
  - segment: all
    deal_size: 10000
    steps:
      - {name: opportunities, conversion: 0.4, lag_days: 45}
      - {name: mqls, conversion: 0.2, lag_days: 10}
    cost_step: mqls
    cost_per_unit: 250
channels: [{name: paid_search, share: 0.6}, {name: events, share: 0.4}]
`
	var p Plan
	require.NoError(t, config.Unmarshal([]byte(yaml), &p))
	ws, err := p.Work()
	require.NoError(t, err)
	assert.InDelta(t, 175, ws.Funnels[0].Steps[2].Total, 1e-9, "14 ÷ 0.4 ÷ 0.2")
	assert.Equal(t, "43750", ws.Investment.String())
	assertSums(t, ws)

	// The JSON form round-trips and hashes the same.
	b, err := json.Marshal(p)
	require.NoError(t, err)
	var back Plan
	require.NoError(t, config.Unmarshal(b, &back))
	h1, _ := p.Hash()
	h2, _ := back.Hash()
	assert.Equal(t, h1, h2)

	assert.Error(t, config.Unmarshal([]byte("name: x\ncurrency: USD\nfunels: []\n"), &p), "unknown field")
}
