package gen

import (
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign/crm"
)

// forecasts writes both teams' quarter-start forecasts per fiscal quarter
// and segment: sales forecasts close to what closes, marketing forecasts
// optimistically, and the gap widens in recent quarters.
func (w *world) forecasts() {
	r := w.r["fc"]
	cal := calendar()
	quarters := cal.Periods(quarterUnit, start, asOf)
	for qi, q := range quarters {
		for _, seg := range []string{"SMB", "MID", "ENT"} {
			var actual float64
			for _, o := range w.opps {
				if o.won && o.Segment == seg && o.Type == "new_business" && q.Contains(o.closeAt) {
					actual += o.amount * exchange[o.Currency]
				}
			}
			bias := 0.12 + 0.035*float64(qi)
			sales := actual * (0.96 + 0.07*r.NormFloat64())
			mkt := actual * (1 + bias + 0.06*r.NormFloat64())
			label := cal.QuarterLabel(q.Start)
			sub := r.workMoment(q.Start.AddDate(0, 0, 1), ny)
			for _, f := range []struct {
				team string
				amt  float64
			}{{"marketing", mkt}, {"sales", sales}} {
				w.outForecasts = append(w.outForecasts, crm.Forecast{
					Quarter: label, PeriodStart: day(q.Start), Team: f.team, Segment: seg,
					Amount: money(math.Max(f.amt, 0), 1000), Currency: "USD", SubmittedAt: sub,
				})
			}
		}
	}
}

// postSale runs every customer month by month: onboarding, first value (the
// planted leak: barely half of new customers reach it), expansion,
// contraction, renewal and churn, with usage and health.
func (w *world) postSale() {
	r := w.r["post"]
	ru := w.r["usage"]
	for _, o := range w.opps {
		if o.won && o.Type == "new_business" && !o.closeAt.After(asOf) && !o.acct.preexisting && o.acct.wonOpp == nil {
			o.acct.wonOpp = o
		}
	}
	for _, a := range w.accts {
		var since time.Time
		var arr float64
		switch {
		case a.preexisting:
			since, arr = a.customerFrom, a.arr
		case a.wonOpp != nil:
			since, arr = day(a.wonOpp.closeAt.In(a.loc)), a.wonOpp.amount
		default:
			continue
		}
		a.customerFrom = since
		// onboarding and first value
		onb := r.workMoment(since.AddDate(0, 0, r.IntN(8)+2), a.loc)
		w.custEvent(a, "onboarding_started", onb, "")
		if r.chance(0.8) {
			w.custEvent(a, "onboarding_completed", r.workMoment(onb.AddDate(0, 0, r.IntN(25)+20), a.loc), "")
		}
		fvP := 0.35
		if a.preexisting {
			fvP = 0.85
		}
		a.firstValue = r.chance(fvP)
		fvAt := r.workMoment(onb.AddDate(0, 0, r.IntN(40)+30), a.loc)
		if a.firstValue {
			w.custEvent(a, "first_value", fvAt, "first schedule published to frontline staff")
		}
		// monthly ARR, renewals and usage
		w.arrMove(monthStart(since), a, "new", arr, arr)
		m := monthStart(since).AddDate(0, 1, 0)
		active := true
		churnedAt, churnedARR := time.Time{}, 0.0
		seats := int(math.Max(10, math.Round(arr*exchange[a.Currency]/120)))
		limit := seats
		health := 62 + r.IntN(25)
		if !a.firstValue {
			health -= 20
		}
		for ; !m.After(asOf); m = m.AddDate(0, 1, 0) {
			if !active {
				// a few churned customers come back, at 80% of what they paid
				if a.preexisting && !churnedAt.IsZero() && m.Sub(churnedAt) > 100*24*time.Hour && r.chance(0.01) && m.After(start) {
					active = true
					arr = roundTo(churnedARR*0.8, 100)
					w.arrMove(m, a, "reactivation", arr, arr)
					w.custEvent(a, "reactivation", r.workMoment(m, a.loc), "")
				}
				continue
			}
			months := monthsBetween(monthStart(since), m)
			fv := a.firstValue && (a.preexisting || !fvAt.After(m))
			if months > 0 && months%12 == 0 {
				churnP := 0.07
				if a.Segment == "ENT" {
					churnP = 0.04
				}
				if !a.firstValue {
					churnP = 0.6
				}
				if r.chance(churnP) {
					w.arrMove(m, a, "churn", -arr, 0)
					w.custEvent(a, "churn", r.workMoment(m, a.loc), "did not renew")
					active, churnedAt, churnedARR, arr = false, m, arr, 0
					continue
				}
				if !m.Before(start) {
					w.custEvent(a, "renewal", r.workMoment(m, a.loc), "annual renewal")
				}
			}
			if !m.Before(start) {
				switch x := r.Float64(); {
				case fv && x < 0.04:
					inc := roundTo(arr*(0.1+0.3*r.Float64()), 100)
					arr += inc
					limit = int(float64(limit) * (1 + inc/math.Max(arr-inc, 1)))
					w.arrMove(m, a, "expansion", inc, arr)
					w.custEvent(a, "expansion", r.workMoment(m, a.loc), "seats added")
				case x > 0.993:
					dec := roundTo(arr*(0.1+0.2*r.Float64()), 100)
					arr -= dec
					w.arrMove(m, a, "contraction", -dec, arr)
					w.custEvent(a, "contraction", r.workMoment(m, a.loc), "seats removed")
				}
				// usage
				util := 0.45 + 0.25*ru.Float64()
				if fv {
					util = 0.7 + 0.3*ru.Float64()
					if ru.chance(0.05) {
						util = 1.0 + 0.08*ru.Float64() // at or over the plan limit
					}
				}
				health = min(100, max(5, health+ru.IntN(11)-5))
				if ru.chance(0.02) {
					health = max(5, health-25)
				}
				seats = limit
				w.outUsage = append(w.outUsage, crm.AccountUsage{
					Month: m, AccountID: a.ID, ActiveUsers: int(math.Round(float64(seats) * util)),
					Seats: seats, SeatLimit: limit, HealthScore: health, ChampionLeft: ru.chance(0.01),
				})
			}
		}
		a.IsCustomer = active
		if active {
			a.ARR = decimal.NewFromFloat(arr).Round(2)
			a.ContractStart = since
			renew := since
			for !renew.After(asOf) {
				renew = renew.AddDate(1, 0, 0)
			}
			a.RenewalDate = renew
			a.OwnerID = w.csms[int(a.Employees)%len(w.csms)]
		}
	}
	slices.SortStableFunc(w.outARR, func(x, y crm.ARRMovement) int { return x.Month.Compare(y.Month) })
	slices.SortStableFunc(w.outCustEvents, func(x, y crm.CustomerEvent) int { return x.OccurredAt.Compare(y.OccurredAt) })
	slices.SortStableFunc(w.outUsage, func(x, y crm.AccountUsage) int { return x.Month.Compare(y.Month) })
	// post-purchase demand state for the contacts of new customers
	for _, a := range w.accts {
		if a.wonOpp == nil {
			continue
		}
		for _, l := range w.leadsByAcct[a.ID] {
			at := a.wonOpp.closeAt
			if at.After(lastState(l).EnteredAt) {
				l.states = append(l.states, crm.DemandStateChange{DemandState: "post-purchase", EnteredAt: at})
			}
		}
	}
	w.finishAccountsAndLeads()
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

func (w *world) arrMove(m time.Time, a *account, kind string, change, after float64) {
	w.outARR = append(w.outARR, crm.ARRMovement{Month: m, AccountID: a.ID, Movement: kind,
		Change: decimal.NewFromFloat(change).Round(2), ARRAfter: decimal.NewFromFloat(after).Round(2), Currency: a.Currency})
}

func (w *world) custEvent(a *account, ev string, at time.Time, detail string) {
	if at.After(asOf) {
		return
	}
	w.outCustEvents = append(w.outCustEvents, crm.CustomerEvent{AccountID: a.ID, Event: ev, OccurredAt: at.In(a.loc), Detail: detail})
}

func (w *world) finishAccountsAndLeads() {
	for _, a := range w.accts {
		if a.OwnerID == "" {
			a.OwnerID = w.aes[a.Segment][len(a.Name)%len(w.aes[a.Segment])]
		}
		if !a.IsCustomer {
			a.ARR = decimal.Zero
		}
		w.outAccounts = append(w.outAccounts, a.Account)
	}
	for _, l := range w.leadList {
		slices.SortStableFunc(l.states, func(x, y crm.DemandStateChange) int { return x.EnteredAt.Compare(y.EnteredAt) })
		var hist []crm.DemandStateChange
		for _, s := range l.states {
			if s.EnteredAt.After(asOf) {
				break
			}
			if len(hist) > 0 && hist[len(hist)-1].DemandState == s.DemandState {
				continue
			}
			s.LeadID = l.ID
			s.EnteredAt = s.EnteredAt.In(l.loc).Truncate(time.Second)
			hist = append(hist, s)
		}
		// lost deals send the buyer back a state or two
		if l.opp != nil && l.opp.Status == "lost" {
			back := "solution-aware"
			if l.opp.LossReason == "No decision" || l.opp.LossReason == "Timing" {
				back = "problem-aware"
			}
			at := l.opp.closeAt.In(l.loc).Add(time.Hour).Truncate(time.Second)
			if len(hist) > 0 && at.After(hist[len(hist)-1].EnteredAt) && hist[len(hist)-1].DemandState != back {
				hist = append(hist, crm.DemandStateChange{LeadID: l.ID, DemandState: back, EnteredAt: at})
			}
		}
		w.outStates = append(w.outStates, hist...)
		if len(hist) > 0 {
			l.DemandState = hist[len(hist)-1].DemandState
		}
		for _, t := range []*time.Time{&l.CreatedAt, &l.MQLAt, &l.RoutedAt, &l.FirstTouchAt, &l.DispositionAt} {
			if !t.IsZero() {
				*t = t.In(l.loc).Truncate(time.Second)
			}
		}
		w.outLeads = append(w.outLeads, l.Lead)
	}
	slices.SortStableFunc(w.outTouches, func(x, y crm.Touch) int { return x.TouchedAt.Compare(y.TouchedAt) })
	for i := range w.outTouches {
		w.outTouches[i].ID = idf("T", i)
		w.outTouches[i].TouchedAt = w.outTouches[i].TouchedAt.Truncate(time.Second)
	}
	slices.SortStableFunc(w.outEvents, func(x, y crm.Event) int { return x.OccurredAt.Compare(y.OccurredAt) })
	for i := range w.outEvents {
		w.outEvents[i].ID = idf("E", i)
		w.outEvents[i].OccurredAt = w.outEvents[i].OccurredAt.Truncate(time.Second)
	}
}
