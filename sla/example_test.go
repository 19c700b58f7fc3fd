package sla_test

import (
	"fmt"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/sla"
)

// The binary MQL test: yes or no, and for a no every failed criterion.
func ExampleCriteria_Qualifies() {
	c := sla.Criteria{MinFitScore: 70, IntentWithinDays: 30, MinEngagement: 50, Disqualifiers: []string{"competitor", "student"}}
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)

	v := c.Qualifies(sla.Prospect{ID: "L1", FitScore: 82, Engagement: 64, LastIntentAt: asOf.AddDate(0, 0, -3)}, asOf)
	fmt.Println("L1 qualifies:", v.Qualified)

	v = c.Qualifies(sla.Prospect{ID: "L2", FitScore: 55, Engagement: 90, LastIntentAt: asOf.AddDate(0, 0, -45),
		Factors: []string{"competitor"}}, asOf)
	fmt.Println("L2 qualifies:", v.Qualified)
	for _, f := range v.Failed {
		fmt.Printf("  %s: %s\n", f.Criterion, f.Reason)
	}
	// Output:
	// L1 qualifies: true
	// L2 qualifies: false
	//   icp_fit: ICP fit 55 < 70
	//   intent: last intent signal 45 days ago > 30
	//   disqualifier: disqualified: competitor
}

// A business-hours calendar: 09:00–17:00 Monday to Friday in New York
// with US holidays. Deadlines skip nights, weekends and holidays, and a
// clock started outside hours starts at the next opening.
func ExampleCalendar() {
	ny, _ := time.LoadLocation("America/New_York")
	cal, err := sla.NewCalendar(ny, sla.Weekdays(sla.Hours(9, 17)), []sla.Holiday{
		sla.Fixed("Independence Day", time.July, 4, sla.NearestWeekday),
		sla.NthWeekday("Labor Day", time.September, time.Monday, 1),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	friday := time.Date(2026, 9, 4, 16, 0, 0, 0, ny) // the Friday before Labor Day
	fmt.Println("deadline:", cal.Add(friday, 2*time.Hour).Format("Mon Jan 2 15:04"))
	fmt.Println("business time to Tuesday 09:30:", cal.Between(friday, time.Date(2026, 9, 8, 9, 30, 0, 0, ny)))
	fmt.Println("open Saturday:", cal.IsOpen(friday.AddDate(0, 0, 1)))
	fmt.Println("next opening:", cal.NextOpen(friday.Add(3*time.Hour)).Format("Mon Jan 2 15:04"))
	h, _ := cal.Holiday(time.Date(2026, 7, 3, 12, 0, 0, 0, ny))
	fmt.Println("holiday:", h)
	// Output:
	// deadline: Tue Sep 8 10:00
	// business time to Tuesday 09:30: 1h30m0s
	// open Saturday: false
	// next opening: Tue Sep 8 09:00
	// holiday: 2026-07-03 Independence Day (observed)
}

// A pausable timer: 4 business hours to answer a lead, paused while sales
// waits on the prospect, across Thanksgiving. The pause keeps the time
// elapsed and pushes the breach time back by its length in business hours.
func ExampleTimer() {
	ny, _ := time.LoadLocation("America/New_York")
	cal, err := sla.NewCalendar(ny, sla.Weekdays(sla.Hours(9, 17)), []sla.Holiday{
		sla.NthWeekday("Thanksgiving", time.November, time.Thursday, 4),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(day, h, m int) time.Time { return time.Date(2026, time.November, day, h, m, 0, 0, ny) }
	timer, err := sla.NewTimer(cal, 4*time.Hour, []sla.TimerEvent{
		{Action: sla.TimerStart, At: at(25, 15, 0)},  // Wednesday 15:00
		{Action: sla.TimerPause, At: at(25, 16, 0)},  // waiting on the prospect
		{Action: sla.TimerResume, At: at(27, 9, 30)}, // Friday, after Thanksgiving
		{Action: sla.TimerStop, At: at(27, 12, 0)},   // answered
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, asOf := range []time.Time{at(25, 16, 30), at(27, 11, 0), at(27, 13, 0)} {
		st := timer.Status(asOf)
		fmt.Printf("%s %-7s elapsed %-7s paused %-7s breached %-5t", asOf.Format("Mon 15:04"), st.State, st.Elapsed, st.Paused, st.Breached)
		if !st.BreachAt.IsZero() {
			fmt.Printf(" breach at %s", st.BreachAt.Format("Mon 15:04"))
		}
		fmt.Println()
	}
	// Output:
	// Wed 16:30 paused  elapsed 1h0m0s  paused 30m0s   breached false breach at Fri 11:30
	// Fri 11:00 running elapsed 2h30m0s paused 1h30m0s breached false breach at Fri 12:30
	// Fri 13:00 stopped elapsed 3h30m0s paused 1h30m0s breached false
}

// A schedule loaded from configuration: lunch breaks and a half day.
func ExampleSchedule() {
	eve := sla.Fixed("Christmas Eve", time.December, 24, sla.Actual)
	eve.OpenHours = []sla.Interval{sla.Hours(9, 12)}
	s := sla.Schedule{TimeZone: "Europe/Berlin", Week: sla.Weekdays(sla.Hours(8, 12), sla.Hours(13, 17)), Holidays: []sla.Holiday{eve}}
	cal, err := s.Calendar()
	if err != nil {
		fmt.Println(err)
		return
	}
	ber := cal.Location()
	// Wednesday 11:00–12:00 and 13:00–17:00, then the half day.
	fmt.Println(cal.Between(time.Date(2026, 12, 23, 11, 0, 0, 0, ber), time.Date(2026, 12, 24, 23, 0, 0, 0, ber)))
	fmt.Println(cal.WeeklyHours())
	// Output:
	// 8h0m0s
	// 40h0m0s
}

// The pact is in force only when both leaders signed its current version.
func ExamplePact_Standing() {
	p := sla.DefaultPact()
	p.Effective = sla.Date{Year: 2026, Month: time.February, Day: 2}
	p.Joint.EscalateTo = revalign.Owner{Name: "Sam Whitfield", Team: revalign.RevOps}
	_ = p.Sign(sla.RoleMarketingLeader, "Maya Lindqvist", time.Date(2026, 1, 28, 10, 0, 0, 0, time.UTC))
	asOf := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	fmt.Println(p.Standing(asOf).Reason)

	_ = p.Sign(sla.RoleSalesLeader, "Daniel Ortega", time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC))
	fmt.Println(p.Standing(asOf).Reason)

	p.Marketing.MinAcceptanceRate = 0.6 // edited after signing
	fmt.Println(p.Standing(asOf).Reason)
	// Output:
	// not in force: not signed by sales_leader
	// in force
	// not in force: changed after marketing_leader, sales_leader signed
}

// Evaluate a week of MQLs against the pact: verdicts per commitment, every
// breach with by how much, and what is still pending.
func ExamplePact_Evaluate() {
	ny, _ := time.LoadLocation("America/New_York")
	at := func(d, h, m int) time.Time { return time.Date(2026, 9, d, h, m, 0, 0, ny) }
	p := sla.DefaultPact()
	p.Marketing.MQLVolumePerWeek = 3

	// L2 arrives at 09:00 in Sydney and is touched from New York at 23:30
	// Sydney time: a whole Sydney business day late.
	leads := []sla.Lead{
		{ID: "L1", Owner: "U010", Region: "NA", TimeZone: "America/New_York", MQLAt: at(21, 10, 0), RoutedAt: at(21, 10, 2),
			FirstTouchAt: at(21, 10, 40), DispositionAt: at(22, 9, 0), Disposition: "Accepted"},
		{ID: "L2", Owner: "U013", Region: "APAC", TimeZone: "Australia/Sydney", MQLAt: at(22, 19, 0), RoutedAt: at(22, 19, 3),
			FirstTouchAt: at(23, 9, 30), DispositionAt: at(23, 15, 0), Disposition: "Bad fit"},
		{ID: "L3", Owner: "U010", Region: "NA", TimeZone: "America/Chicago", MQLAt: at(25, 14, 0), RoutedAt: at(25, 14, 9),
			FirstTouchAt: at(25, 14, 30), DispositionAt: at(26, 10, 0), Disposition: "Nurture", RejectionReason: "no budget this year"},
		{ID: "L4", Owner: "U010", Region: "NA", TimeZone: "America/New_York", MQLAt: at(28, 8, 45), RoutedAt: at(28, 8, 46)},
	}
	weeks := revalign.FiscalCalendar{WeekStart: time.Monday, Location: ny}
	r, err := p.Evaluate(leads, sla.Options{Weeks: weeks, AsOf: at(28, 9, 30)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Standing.Reason)
	w := r.Weeks[0]
	fmt.Printf("week of %s, %d MQLs:\n", w.Period.Start.Format("Jan 2"), w.MQLs)
	for _, res := range w.Results {
		fmt.Printf("  %-20s %-7s %.2f (target %.2f)\n", res.Commitment.Title(), res.Status, res.Measured, res.Target)
	}
	for _, b := range r.Breaches {
		fmt.Printf("breach %s %s over by %v\n", b.LeadID, b.Commitment, b.Over)
	}
	for _, pl := range r.Pending {
		fmt.Printf("pending %s %s due %s\n", pl.LeadID, pl.Commitment, pl.Deadline.Format("Mon 15:04"))
	}
	// Output:
	// not in force: not signed by marketing_leader, sales_leader
	// week of Sep 21, 3 MQLs:
	//   MQL volume           met     3.00 (target 3.00)
	//   Acceptance rate      missed  0.33 (target 0.75)
	//   Routing speed        missed  0.67 (target 0.90)
	//   First touch          missed  0.67 (target 0.90)
	//   Disposition feedback met     1.00 (target 0.90)
	//   Rejection reasons    missed  0.50 (target 1.00)
	// breach L2 first_touch over by 7h0m0s
	// breach L2 rejection_reason over by 0s
	// breach L3 routing over by 4m0s
	// pending L4 first_touch due Mon 10:00
	// pending L4 disposition due Wed 08:45
}

// The comp tie-in: compliance scores and bonus multipliers per person and
// per team.
func ExampleCompPlan_Review() {
	ny, _ := time.LoadLocation("America/New_York")
	mql := time.Date(2026, 9, 22, 10, 0, 0, 0, ny)
	lead := func(id, owner string, touch time.Duration) sla.Lead {
		return sla.Lead{ID: id, Owner: owner, TimeZone: "America/New_York", MQLAt: mql, RoutedAt: mql.Add(time.Minute),
			FirstTouchAt: mql.Add(touch), DispositionAt: mql.Add(5 * time.Hour), Disposition: "Accepted"}
	}
	leads := []sla.Lead{lead("a", "U010", 20*time.Minute), lead("b", "U010", 30*time.Minute), lead("c", "U013", 3*time.Hour), lead("d", "U013", 10*time.Minute)}
	p := sla.DefaultPact()
	r, _ := p.Evaluate(leads, sla.Options{Weeks: revalign.FiscalCalendar{WeekStart: time.Monday, Location: ny}, AsOf: mql.AddDate(0, 0, 6)})
	for _, s := range p.Comp.Review(r).People {
		fmt.Printf("%s score %.2f multiplier %.2f\n", s.Who, s.Score, s.Multiplier)
	}
	// Output:
	// U010 score 1.00 multiplier 1.10
	// U013 score 0.75 multiplier 0.90
}
