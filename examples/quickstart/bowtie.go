package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
	"github.com/revalign/revalign/crm"
)

// bowtieSection draws the sample company's revenue bowtie over its whole
// export: volumes, conversions and owners per stage, the leak under each
// definition, retention over the last four fiscal quarters and the open
// expansion, renewal and save triggers by ARR at stake.
func bowtieSection(in *input) (section, error) {
	sec := section{Key: "bowtie", Phase: "diagnose", Title: "Revenue bowtie: where revenue leaks, and who owns it"}
	d := in.Data
	people := leaders(d.Users)
	m := bowtieModel(people)

	loc := in.Calendar.Location
	window := revalign.Period{Start: d.Summarize().From, End: in.AsOf}
	rep, badEvents, err := m.Measure(bowtieEvents(d, loc), window, bowtie.Options{MinSample: 30})
	if err != nil {
		return sec, err
	}

	// Retention over each of the last four complete fiscal quarters, and
	// over the four together.
	quarters := in.Calendar.Periods(revalign.Quarter, in.Calendar.Quarter(in.AsOf).Start.AddDate(-1, 0, 0), in.Calendar.Quarter(in.AsOf).Start)
	periods := append(quarters, revalign.Period{Start: quarters[0].Start, End: quarters[3].End})
	renewals := renewalDates(d, in.AsOf, loc)
	ret, badMoves, err := bowtie.Retention(arrMovements(d, loc), periods, bowtie.RetentionOptions{
		Rates: in.Rates, Reactivation: bowtie.ReactivationCounted, Customers: customers(d, renewals),
	})
	if err != nil {
		return sec, err
	}
	year := ret[len(quarters)]

	econ, err := economics(d, in.Rates, year.NRR)
	if err != nil {
		return sec, err
	}
	diag, err := bowtie.Diagnose(rep, bowtie.DefaultBenchmarks(), econ)
	if err != nil {
		return sec, err
	}

	snaps := snapshots(d, renewals, loc)
	rules := bowtie.DefaultRules()
	for i := range rules {
		if p, ok := people[rules[i].Owner.Team]; ok {
			rules[i].Owner = p
		}
	}
	triggers, badSnaps, err := rules.Evaluate(snaps, in.Rates)
	if err != nil {
		return sec, err
	}
	// The triggers that hold in the latest usage month.
	var latest time.Time
	for _, s := range snaps {
		if s.At.After(latest) {
			latest = s.At
		}
	}
	var open []bowtie.Trigger
	plays := map[bowtie.Play]int{}
	for _, t := range triggers {
		if t.Open && t.LastSeen.Equal(latest) {
			open = append(open, t)
			plays[t.Play]++
		}
	}

	// The report.
	l := func(format string, a ...any) { sec.Lines = append(sec.Lines, fmt.Sprintf(format, a...)) }
	l("Window %s, accounts as entities; conversion counts items still inside a stage as censored, not lost.", window)
	l("  %-9s %-5s %6s  %-30s %s", "stage", "side", "volume", "primary owner", "→ next: conversion (decided, censored), median days")
	for i, s := range rep.Stages {
		next := ""
		if i < len(rep.Transitions) {
			t := rep.Transitions[i]
			next = fmt.Sprintf("→ %5.1f%% (%d, %d), %.0f d", 100*t.Conversion, t.Decided(), t.Censored, t.Time.MedianDays)
		}
		knot := ""
		if s.Knot {
			knot = " (knot)"
		}
		l("  %-9s %-5s %6d  %-30s %s%s", s.Name, s.Side, s.Volume, s.Primary, next, knot)
	}
	for _, r := range diag.Rankings {
		if r.Leak == nil {
			l("Leak by %s: none", r.Definition)
			continue
		}
		c := r.Leak
		detail := fmt.Sprintf("%.1f%%", 100*c.Conversion)
		if c.HasBenchmark {
			detail += fmt.Sprintf(" vs %.0f%% benchmark", 100*c.Benchmark)
		}
		if r.Definition == bowtie.LargestImpact {
			if c.Impact.Recurring {
				detail += fmt.Sprintf("; at benchmark %s more ARR kept, recurring: %s over %d years at NRR %.1f%%",
					kUSD(c.Impact.ARR), kUSD(c.Impact.Total), econ.Years, 100*econ.NRR)
			} else {
				detail += fmt.Sprintf("; at benchmark %s more new ARR, once", kUSD(c.Impact.ARR))
			}
		}
		l("Leak by %-17s %s → %s, owner %s: %s", r.Definition.String()+":", c.From, c.To, c.Owner, detail)
	}
	l("Retention, cohort fixed at each start, new logos excluded, reactivations %s:", year.Reactivation)
	for i, r := range ret {
		label := in.Calendar.QuarterLabel(r.Period.Start)
		if i == len(quarters) {
			label = "4 quarters"
		}
		l("  %-10s NRR %5.1f%%  GRR %5.1f%%  logo churn %4.1f%% (%d of %d; at renewal %d of %d)",
			label, 100*r.NRR, 100*r.GRR, 100*r.LogoChurn, r.LostLogos, r.Cohort.Accounts, r.LostAtRenewal, r.RenewalsDue)
	}
	b := year.Bridge
	l("  ARR bridge, 4 quarters: %s + new %s + reactivation %s + expansion %s − contraction %s − churn %s = %s",
		kUSD(b.Start), kUSD(b.New), kUSD(b.Reactivation), kUSD(b.Expansion), kUSD(b.Contraction), kUSD(b.Churn), kUSD(b.End))
	if cs := year.ChurnSplit; cs != nil {
		l("  churn: onboarding (before first value) %d logos %s, usage %d logos %s",
			cs.Onboarding.Logos, kUSD(cs.Onboarding.ARR), cs.Usage.Logos, kUSD(cs.Usage.ARR))
	}
	l("Triggers holding in %s: %d expansion, %d renewal, %d save; the largest by ARR at stake:",
		latest.Format("January 2006"), plays[bowtie.PlayExpansion], plays[bowtie.PlayRenewal], plays[bowtie.PlaySave])
	for _, t := range open[:min(3, len(open))] {
		l("  %s %-8s %-9s since %s, %s: %s", t.Account, kUSD(t.ARRAtStake), t.Play, t.At.Format(time.DateOnly), t.Owner.Name, t.Action)
	}
	for _, bad := range []struct {
		what string
		errs []revalign.RecordError
	}{{"stage events", badEvents}, {"ARR movements", badMoves}, {"usage rows", badSnaps}} {
		if len(bad.errs) > 0 {
			l("Left out: %d %s (%s).", len(bad.errs), bad.what, reasons(bad.errs))
		}
	}
	sec.Data = bowtieData{Report: rep, Diagnosis: diag, Retention: ret, Triggers: open}
	return sec, nil
}

// bowtieData is the section's machine-readable part.
type bowtieData struct {
	Report    bowtie.Report            `json:"report"`
	Diagnosis bowtie.Diagnosis         `json:"diagnosis"`
	Retention []bowtie.PeriodRetention `json:"retention"` // the four quarters, then the four together
	Triggers  []bowtie.Trigger         `json:"open_triggers"`
}

// leaders are the sample company's team leaders (users.csv): the CMO, the
// CRO and the VP Customer Success.
func leaders(users []crm.User) map[revalign.Team]revalign.Owner {
	out := map[revalign.Team]revalign.Owner{}
	for _, u := range users {
		switch u.Role {
		case "CMO", "CRO", "VP Customer Success":
			out[revalign.Team(u.Team)] = revalign.Owner{Name: u.Name, Team: revalign.Team(u.Team)}
		}
	}
	return out
}

// bowtieModel is the default seven-stage bowtie with the team leaders in
// place of the default's role holders on their teams' stages.
func bowtieModel(people map[revalign.Team]revalign.Owner) bowtie.Model {
	m := bowtie.DefaultModel()
	for i := range m.Stages {
		for j, o := range m.Stages[i].Owners {
			if p, ok := people[o.Team]; ok {
				m.Stages[i].Owners[j].Owner = p
			}
		}
	}
	return m
}

// bowtieEvents derives stage-entry events per account from the CRM records.
// Measure keeps each account's first entry into each stage, so every record
// can be passed.
//
//	Awareness  a touch                  Onboard  onboarding_started
//	Education  a lead's MQL             Impact   first_value
//	Selection  a new-business deal      Growth   expansion or renewal
//	Commit     a won new-business deal
//
// A lost deal is a loss from Selection; a churn is a loss from Impact when
// the account had reached first value by then, from Onboard otherwise.
func bowtieEvents(d *crm.Dataset, loc *time.Location) []bowtie.Event {
	var out []bowtie.Event
	add := func(account, stage string, at time.Time, lost bool) {
		if account != "" && !at.IsZero() {
			out = append(out, bowtie.Event{Entity: account, Stage: stage, At: at, Lost: lost})
		}
	}
	for _, t := range d.Touches {
		add(t.AccountID, "Awareness", t.TouchedAt, false)
	}
	for _, l := range d.Leads {
		add(l.AccountID, "Education", l.MQLAt, false)
	}
	for _, o := range d.Opportunities {
		if o.Type != "new_business" {
			continue
		}
		add(o.AccountID, "Selection", o.CreatedAt, false)
		switch o.Status {
		case "won":
			add(o.AccountID, "Commit", crm.DateIn(o.CloseDate, loc), false)
		case "lost":
			add(o.AccountID, "Selection", crm.DateIn(o.CloseDate, loc), true)
		}
	}
	firstValue := firstValues(d)
	for _, e := range d.CustomerEvents {
		switch e.Event {
		case "onboarding_started":
			add(e.AccountID, "Onboard", e.OccurredAt, false)
		case "first_value":
			add(e.AccountID, "Impact", e.OccurredAt, false)
		case "expansion", "renewal":
			add(e.AccountID, "Growth", e.OccurredAt, false)
		case "churn":
			fv, ok := firstValue[e.AccountID]
			stage := "Onboard"
			if ok && fv.Before(e.OccurredAt) {
				stage = "Impact"
			}
			add(e.AccountID, stage, e.OccurredAt, true)
		}
	}
	return out
}

func firstValues(d *crm.Dataset) map[string]time.Time {
	out := map[string]time.Time{}
	for _, e := range d.CustomerEvents {
		if t, ok := out[e.AccountID]; e.Event == "first_value" && (!ok || e.OccurredAt.Before(t)) {
			out[e.AccountID] = e.OccurredAt
		}
	}
	return out
}

// arrMovements converts arr_movements.csv rows; Retention converts the
// currencies with the export's rates.
func arrMovements(d *crm.Dataset, loc *time.Location) []bowtie.Movement {
	out := make([]bowtie.Movement, 0, len(d.ARRMovements))
	for _, x := range d.ARRMovements {
		k, _ := bowtie.ParseMovementKind(x.Movement) // an unknown kind stays zero and is reported by Retention
		out = append(out, bowtie.Movement{Account: x.AccountID, Month: crm.DateIn(x.Month, loc), Kind: k,
			Change: x.Change, ARRAfter: x.ARRAfter, Currency: x.Currency})
	}
	return out
}

// renewalDates are each customer's contract anniversaries up to a year
// after asOf: contracts renew yearly on the anniversary of the contract
// start (accounts.csv), or, for accounts that no longer have one, of their
// first ARR.
func renewalDates(d *crm.Dataset, asOf time.Time, loc *time.Location) map[string][]time.Time {
	start := map[string]time.Time{}
	for _, x := range d.ARRMovements {
		if s, ok := start[x.AccountID]; x.Movement == "new" && (!ok || x.Month.Before(s)) {
			start[x.AccountID] = x.Month
		}
	}
	for _, a := range d.Accounts {
		if !a.ContractStart.IsZero() {
			start[a.ID] = a.ContractStart
		}
	}
	for id, t := range start {
		start[id] = crm.DateIn(t, loc)
	}
	out := map[string][]time.Time{}
	for id, s := range start {
		for r := s.AddDate(1, 0, 0); r.Before(asOf.AddDate(1, 0, 0)); r = r.AddDate(1, 0, 0) {
			out[id] = append(out[id], r)
		}
	}
	return out
}

func customers(d *crm.Dataset, renewals map[string][]time.Time) []bowtie.Customer {
	fv := firstValues(d)
	out := make([]bowtie.Customer, 0, len(renewals))
	for _, a := range d.Accounts {
		if r, ok := renewals[a.ID]; ok {
			out = append(out, bowtie.Customer{Account: a.ID, FirstValue: fv[a.ID], Renewals: r})
		}
	}
	return out
}

// snapshots joins account_usage.csv with each account's ARR in that month
// (its last ARR movement up to the month) and its next renewal date.
func snapshots(d *crm.Dataset, renewals map[string][]time.Time, loc *time.Location) []bowtie.Snapshot {
	history := map[string][]crm.ARRMovement{} // in file order, which is by month
	for _, x := range d.ARRMovements {
		history[x.AccountID] = append(history[x.AccountID], x)
	}
	out := make([]bowtie.Snapshot, 0, len(d.AccountUsage))
	for _, u := range d.AccountUsage {
		at := crm.DateIn(u.Month, loc)
		s := bowtie.Snapshot{Account: u.AccountID, At: at, ActiveUsers: u.ActiveUsers, Seats: u.Seats,
			SeatLimit: u.SeatLimit, HealthScore: float64(u.HealthScore), ChampionLeft: u.ChampionLeft}
		for _, x := range history[u.AccountID] {
			if !x.Month.After(u.Month) {
				s.ARR, s.Currency = x.ARRAfter, x.Currency
			}
		}
		for _, r := range renewals[u.AccountID] {
			if !r.Before(at) {
				s.RenewalDate = r
				break
			}
		}
		out = append(out, s)
	}
	return out
}

// economics values the leaks: the average won new-business deal and the
// average customer's ARR, in the reporting currency, with the NRR measured.
func economics(d *crm.Dataset, rates revalign.Rates, nrr float64) (bowtie.Economics, error) {
	var deals, arr decimal.Decimal
	var nDeals, nCust int64
	for _, o := range d.Opportunities {
		if o.Type == "new_business" && o.Status == "won" && o.Amount.Valid {
			v, err := rates.Convert(o.Amount.Decimal, o.Currency)
			if err != nil {
				return bowtie.Economics{}, fmt.Errorf("opportunity %s: %w", o.ID, err)
			}
			deals, nDeals = deals.Add(v), nDeals+1
		}
	}
	for _, a := range d.Accounts {
		if a.IsCustomer && a.ARR.IsPositive() {
			v, err := rates.Convert(a.ARR, a.Currency)
			if err != nil {
				return bowtie.Economics{}, fmt.Errorf("account %s: %w", a.ID, err)
			}
			arr, nCust = arr.Add(v), nCust+1
		}
	}
	avg := func(sum decimal.Decimal, n int64) decimal.Decimal {
		if n == 0 {
			return decimal.Zero
		}
		return sum.DivRound(decimal.NewFromInt(n), 2)
	}
	return bowtie.Economics{Currency: rates.Base, AverageDealARR: avg(deals, nDeals),
		AverageCustomerARR: avg(arr, nCust), NRR: nrr, Years: 4}, nil
}

// money formats a reporting-currency amount in thousands: "$1,234k".
// kUSD formats an amount in thousands of dollars with separators: $7,581k.
func kUSD(d decimal.Decimal) string {
	k := d.Div(decimal.NewFromInt(1000)).Round(0).IntPart()
	sign := ""
	if k < 0 {
		sign, k = "-", -k
	}
	s := fmt.Sprintf("%d", k)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + "$" + s + "k"
}

// reasons counts record errors by what is wrong: "43 × kind: must add ARR".
func reasons(errs []revalign.RecordError) string {
	count := map[string]int{}
	var order []string
	for _, e := range errs {
		key := e.Err.Error()
		var fe *revalign.FieldError
		if errors.As(e.Err, &fe) {
			key = fe.Path + " " + fmt.Sprint(fe.Value) + ": " + fe.Reason
		}
		if count[key] == 0 {
			order = append(order, key)
		}
		count[key]++
	}
	out := ""
	for i, k := range order {
		if i > 0 {
			out += "; "
		}
		out += fmt.Sprintf("%d × %s", count[k], k)
	}
	return out
}
