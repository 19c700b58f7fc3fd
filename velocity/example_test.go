package velocity_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/velocity"
)

// The formula: 120 open opportunities × $15,000 × 30% ÷ 30 days.
func ExampleInputs_Velocity() {
	in := velocity.Inputs{Opportunities: 120, DealSize: decimal.NewFromInt(15_000), WinRate: 0.30, CycleDays: 30}
	perDay, _ := in.Velocity()
	quarter, _ := in.Revenue(92)
	fmt.Println(perDay, "a day;", quarter, "a 92-day quarter")

	in.CycleDays = 0
	_, err := in.Velocity()
	fmt.Println(err)
	// Output:
	// 18000 a day; 1656000 a 92-day quarter
	// velocity: cycle_days: must be a finite number of days > 0, got 0
}

// A scenario moves several levers together: stricter qualification raises
// the win rate by 10% and shortens the cycle by 10%, at the cost of 5% fewer
// opportunities.
func ExampleInputs_Apply() {
	in := velocity.Inputs{Opportunities: 120, DealSize: decimal.NewFromInt(15_000), WinRate: 0.30, CycleDays: 30}
	cut, _ := in.Apply(velocity.Move{Lever: velocity.CycleLength, Relative: -0.10})
	fmt.Printf("10%% shorter cycle: %+.1f%%\n", 100*cut.Change)

	o, _ := in.Apply(
		velocity.Move{Lever: velocity.WinRate, Relative: 0.10},
		velocity.Move{Lever: velocity.CycleLength, Relative: -0.10},
		velocity.Move{Lever: velocity.Opportunities, Relative: -0.05},
	)
	fmt.Printf("qualification: %s → %s a day (%+.1f%%)\n", o.VelocityBefore, o.VelocityAfter.StringFixed(2), 100*o.Change)
	// Output:
	// 10% shorter cycle: +11.1%
	// qualification: 18000 → 20900.00 a day (+16.1%)
}

// Rank the levers of two segments by what a 10% improvement is worth, and
// find the smallest path to twice the SMB velocity.
func ExampleRank() {
	segments := []velocity.Segment{
		{Name: "SMB", Inputs: velocity.Inputs{Opportunities: 120, DealSize: decimal.NewFromInt(15_000), WinRate: 0.30, CycleDays: 30}},
		{Name: "ENT", Inputs: velocity.Inputs{Opportunities: 40, DealSize: decimal.NewFromInt(150_000), WinRate: 0.15, CycleDays: 120}},
	}
	ranked, _ := velocity.Rank(segments, 0.10, velocity.DefaultOwners())
	for _, p := range ranked[:3] {
		fmt.Printf("%s %-13s +%s/day  %s\n", p.Segment, p.Lever, p.GainPerDay.StringFixed(0), p.Owner)
	}
	smb := segments[0].Inputs
	v, _ := smb.Velocity()
	path, _ := smb.PathTo(v.Mul(decimal.NewFromInt(2)), velocity.DefaultGrid())
	fmt.Printf("path to 2x (%d steps of 5%%):", path.Steps)
	for _, m := range path.Moves {
		fmt.Printf(" %s %+.0f%%", m.Lever, 100*m.Relative)
	}
	fmt.Printf(" = %.3fx\n", path.Outcome.Ratio)
	// Output:
	// SMB cycle_length  +2000/day  Sales leader (sales)
	// SMB opportunities +1800/day  Marketing leader (marketing)
	// SMB deal_size     +1800/day  Marketing leader (marketing)
	// path to 2x (10 steps of 5%): cycle_length -50% = 2.000x
}

// Decompose a year-over-year change into lever contributions that sum to
// the change exactly.
func ExampleDecompose() {
	before := velocity.Inputs{Opportunities: 100, DealSize: decimal.NewFromInt(10_000), WinRate: 0.25, CycleDays: 50}
	after := velocity.Inputs{Opportunities: 110, DealSize: decimal.NewFromInt(9_500), WinRate: 0.25, CycleDays: 45}
	d, _ := velocity.Decompose(before, after)
	fmt.Printf("%s → %s a day (%s)\n", d.Before, d.After.StringFixed(2), d.Change.StringFixed(2))
	for _, c := range d.Contributions {
		fmt.Printf("  %-13s %8s  %5.1f%%\n", c.Lever, c.PerDay.StringFixed(2), 100*c.Share)
	}
	// Output:
	// 5000 → 5805.56 a day (805.56)
	//   opportunities   513.98   63.8%
	//   deal_size      -276.61  -34.3%
	//   win_rate          0.00    0.0%
	//   cycle_length    568.18   70.5%
}

// One revenue plan worked backward from $140,000 in a quarter: 14 deals ←
// 35 proposals ← 70 second meetings ← 200 first meetings ← 2,000 calls, each
// shifted earlier by its lead time, signed by both leaders.
func ExamplePlan_Work() {
	cal := revalign.FiscalCalendar{StartMonth: time.February, Location: time.UTC}
	q1 := cal.Quarter(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC))
	plan := velocity.Plan{
		Name: "FY2028", Currency: "USD", Calendar: cal,
		Targets: []velocity.Target{{Period: q1, Segment: "all", Revenue: decimal.NewFromInt(140_000)}},
		Funnels: []velocity.Funnel{{
			Segment: "all", DealSize: decimal.NewFromInt(10_000),
			Steps: []velocity.Step{
				{Name: "proposals", Conversion: 0.40, LagDays: 30},
				{Name: "second meetings", Conversion: 0.50, LagDays: 14},
				{Name: "first meetings", Conversion: 0.35, LagDays: 7},
				{Name: "calls", Conversion: 0.10, LagDays: 3},
			},
			CostStep: "calls", CostPerUnit: decimal.RequireFromString("5.00"),
		}},
		Channels: []velocity.Channel{{Name: "sdr_outbound", Share: 2}, {Name: "events", Share: 1}},
	}
	ws, _ := plan.Work()
	for _, s := range ws.Funnels[0].Steps {
		fmt.Printf("%-15s %5d  %d days ahead\n", s.Name, s.Whole, s.LeadDays)
	}
	for _, m := range ws.ByChannel {
		fmt.Println(m.Quarter, m.Channel, m.Amount)
	}
	signedAt := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	plan, _ = plan.Sign(velocity.RoleMarketing, "Dana Reyes", signedAt)
	plan, _ = plan.Sign(velocity.RoleSales, "Sam Ortiz", signedAt)
	so, _ := plan.SignOff(signedAt)
	fmt.Println(so.Reason())
	plan.Targets[0].Revenue = decimal.NewFromInt(150_000)
	so, _ = plan.SignOff(signedAt)
	fmt.Println(so.Reason())
	// Output:
	// won deals          14  0 days ahead
	// proposals          35  30 days ahead
	// second meetings    70  44 days ahead
	// first meetings    200  51 days ahead
	// calls            2000  54 days ahead
	// FY2027-Q4 sdr_outbound 4044.95
	// FY2027-Q4 events 2022.47
	// FY2028-Q1 sdr_outbound 2621.72
	// FY2028-Q1 events 1310.86
	// in force
	// not in force: changed after marketing_leader, sales_leader signed
}

// Forecast the rest of a quarter: the stage-weighted expectation and a
// Monte Carlo with a fixed seed. The deals are due late in the quarter, so
// the default 14 ± 21 days of slip pushes many of them out of it.
func ExampleMonteCarlo() {
	q := revalign.Period{Start: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	var deals []velocity.OpenDeal
	for i := range 60 {
		deals = append(deals, velocity.OpenDeal{
			ID:          fmt.Sprintf("OPP-%03d", i),
			Amount:      decimal.NewFromInt(int64(20_000 + 5_000*(i%7))),
			Probability: []float64{0.1, 0.25, 0.5, 0.75}[i%4],
			Close:       q.Start.AddDate(0, 0, 60+i%30),
		})
	}
	e, _ := velocity.StageWeighted(deals)
	goal := velocity.Goal{Period: q, AsOf: q.Start.AddDate(0, 0, 58), Booked: decimal.NewFromInt(400_000), Target: decimal.NewFromInt(1_000_000)}
	o, _ := velocity.MonteCarlo(deals, goal, velocity.DefaultSimulation(), 42)
	fmt.Printf("booked + stage-weighted: %s ± %.0f (no slip)\n", o.StageWeighted.StringFixed(0), e.StdDev)
	fmt.Printf("P10 %s  P50 %s  P90 %s\n", o.P10.StringFixed(0), o.P50.StringFixed(0), o.P90.StringFixed(0))
	fmt.Printf("P(reach %s) = %.0f%%\n", o.Target, 100*o.ProbTarget)
	// Output:
	// booked + stage-weighted: 1233500 ± 117776 (no slip)
	// P10 719052  P50 855395  P90 1003543
	// P(reach 1000000) = 11%
}

// Measure velocity from deals over the trailing year, by segment. A deal
// closed before it was created is rejected by ID; a deal with no amount is
// counted and reported.
func ExampleFromDeals() {
	asOf := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)
	var deals []velocity.Deal
	add := func(segment string, n int, status velocity.Status, amount int64, cycle int) {
		for range n {
			d := velocity.Deal{
				ID: fmt.Sprintf("OPP-%03d", len(deals)), Segment: segment, Status: status,
				Amount:  decimal.NewNullDecimal(decimal.NewFromInt(amount)),
				Created: asOf.AddDate(0, 0, -200),
			}
			d.Closed = d.Created.AddDate(0, 0, cycle)
			if status == velocity.Open {
				d.Created, d.Closed = asOf.AddDate(0, 0, -20), asOf.AddDate(0, 0, 30)
			}
			deals = append(deals, d)
		}
	}
	add("SMB", 6, velocity.Won, 15_000, 30)
	add("SMB", 14, velocity.Lost, 15_000, 40)
	add("SMB", 12, velocity.Open, 15_000, 0)
	add("ENT", 5, velocity.Won, 150_000, 120)
	add("ENT", 28, velocity.Lost, 150_000, 90)
	add("ENT", 10, velocity.Open, 150_000, 0)
	deals[0].Amount = decimal.NullDecimal{}                // a won deal with no amount
	deals[40].Closed = deals[40].Created.AddDate(0, 0, -1) // closed before it was created

	year := revalign.Period{Start: asOf.AddDate(-1, 0, 0), End: asOf}
	rep, rejected, _ := velocity.FromDeals(deals, year, velocity.DefaultConfig())
	for _, m := range rep.Segments {
		fmt.Println(m)
	}
	fmt.Println(rep.Overall)
	fmt.Println(rejected[0])
	smb, _ := rep.Segment("SMB")
	fmt.Printf("SMB: %d won, %d of them without an amount\n", smb.Won, smb.NoAmount.Won)
	// Output:
	// ENT: N=10 S=150000 W=15.6% L=120.0d → 1953.13/day
	// SMB: N=12 S=15000 W=30.0% L=30.0d → 1800.00/day
	// all: N=22 S=82500 W=21.2% L=70.9d → 5414.57/day
	// record OPP-040: velocity: closed: 2026-03-11 is before the creation date 2026-03-12 (negative cycle)
	// SMB: 6 won, 1 of them without an amount
}
