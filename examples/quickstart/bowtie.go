package main

import (
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
	m := bowtieModel(d.Users)

	window := revalign.Period{Start: d.Summarize().From, End: in.AsOf}
	rep, badEvents, err := m.Measure(bowtieEvents(d), window, bowtie.Options{MinSample: 30})
	if err != nil {
		return sec, err
	}

	// Retention over each of the last four complete fiscal quarters, and
	// over the four together.
	quarters := in.Calendar.Periods(revalign.Quarter, in.Calendar.Quarter(in.AsOf).Start.AddDate(-1, 0, 0), in.Calendar.Quarter(in.AsOf).Start)
	periods := append(quarters, revalign.Period{Start: quarters[0].Start, End: quarters[3].End})
	renewals := renewalDates(d, in.AsOf)
	ret, badMoves, err := bowtie.Retention(arrMovements(d), periods, bowtie.RetentionOptions{
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

	triggers, badSnaps, err := bowtie.DefaultRules().Evaluate(snapshots(d, renewals), in.Rates)
	if err != nil {
		return sec, err
	}
	var open []bowtie.Trigger
	for _, t := range triggers {
		if t.Open {
			open = append(open, t)
		}
	}

	// The report.
	l := func(format string, a ...any) { sec.Lines = append(sec.Lines, fmt.Sprintf(format, a...)) }
	l("Window %s, accounts as entities; conversion = converted ÷ decided (censored items excluded).", window)
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
			kind := "one-off"
			if c.Impact.Recurring {
				kind = fmt.Sprintf("%s a year, recurring", money(c.Impact.ARR))
			}
			detail += fmt.Sprintf("; closing the gap is worth %s over %d years (%s)", money(c.Impact.Total), econ.Years, kind)
		}
		l("Leak by %-17s %s → %s, owner %s: %s", r.Definition.String()+":", c.From, c.To, c.Owner, detail)
	}
	l("Retention (reactivations %s), cohort fixed at each start, new logos excluded:", year.Reactivation)
	for i, r := range ret {
		label := in.Calendar.QuarterLabel(r.Period.Start)
		if i == len(quarters) {
			label = "4 quarters"
		}
		b := r.Bridge
		l("  %-10s NRR %5.1f%%  GRR %5.1f%%  logo churn %4.1f%% (%d of %d)  ARR %s → %s (+new %s +react %s +exp %s −contr %s −churn %s)",
			label, 100*r.NRR, 100*r.GRR, 100*r.LogoChurn, r.LostLogos, r.Start.Accounts,
			money(b.Start), money(b.End), money(b.New), money(b.Reactivation), money(b.Expansion), money(b.Contraction), money(b.Churn))
	}
	if cs := year.ChurnSplit; cs != nil {
		l("  churn over 4 quarters: onboarding (before first value) %d logos %s, usage %d logos %s; at renewal %d of %d due",
			cs.Onboarding.Logos, money(cs.Onboarding.ARR), cs.Usage.Logos, money(cs.Usage.ARR), year.LostAtRenewal, year.RenewalsDue)
	}
	l("Open triggers: %d; the largest by ARR at stake:", len(open))
	for _, t := range open[:min(5, len(open))] {
		l("  %s %-9s %-10s %-13s since %s: %s", t.Account, money(t.ARRAtStake), t.Play, t.Rule, t.At.Format(time.DateOnly), t.Action)
	}
	if n := len(badEvents) + len(badMoves) + len(badSnaps); n > 0 {
		l("Records left out: %d events, %d ARR movements, %d usage rows.", len(badEvents), len(badMoves), len(badSnaps))
	}
	sec.Data = struct {
		Report    bowtie.Report            `json:"report"`
		Diagnosis bowtie.Diagnosis         `json:"diagnosis"`
		Retention []bowtie.PeriodRetention `json:"retention"`
		Triggers  []bowtie.Trigger         `json:"open_triggers"`
	}{rep, diag, ret, open}
	return sec, nil
}

// bowtieModel is the default seven-stage bowtie with the sample company's
// leaders as owners: the CMO, the CRO and the VP Customer Success take the
// place of the default's role holders on their teams' stages.
func bowtieModel(users []crm.User) bowtie.Model {
	leaders := map[revalign.Team]revalign.Owner{}
	for _, u := range users {
		switch u.Role {
		case "CMO", "CRO", "VP Customer Success":
			leaders[revalign.Team(u.Team)] = revalign.Owner{Name: u.Name, Team: revalign.Team(u.Team)}
		}
	}
	m := bowtie.DefaultModel()
	for i := range m.Stages {
		for j, o := range m.Stages[i].Owners {
			if p, ok := leaders[o.Team]; ok {
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
func bowtieEvents(d *crm.Dataset) []bowtie.Event {
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
			add(o.AccountID, "Commit", o.CloseDate, false)
		case "lost":
			add(o.AccountID, "Selection", o.CloseDate, true)
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
func arrMovements(d *crm.Dataset) []bowtie.Movement {
	out := make([]bowtie.Movement, 0, len(d.ARRMovements))
	for _, x := range d.ARRMovements {
		k, _ := bowtie.ParseMovementKind(x.Movement) // an unknown kind stays zero and is reported by Retention
		out = append(out, bowtie.Movement{Account: x.AccountID, Month: x.Month, Kind: k,
			Change: x.Change, ARRAfter: x.ARRAfter, Currency: x.Currency})
	}
	return out
}

// renewalDates are each customer's contract anniversaries up to a year
// after asOf: contracts renew yearly on the anniversary of the contract
// start (accounts.csv), or, for accounts that no longer have one, of their
// first ARR.
func renewalDates(d *crm.Dataset, asOf time.Time) map[string][]time.Time {
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

// snapshots joins account_usage.csv with each account's ARR and its next
// renewal date at the snapshot.
func snapshots(d *crm.Dataset, renewals map[string][]time.Time) []bowtie.Snapshot {
	acct := map[string]crm.Account{}
	for _, a := range d.Accounts {
		acct[a.ID] = a
	}
	out := make([]bowtie.Snapshot, 0, len(d.AccountUsage))
	for _, u := range d.AccountUsage {
		a := acct[u.AccountID]
		s := bowtie.Snapshot{Account: u.AccountID, At: u.Month, ActiveUsers: u.ActiveUsers, Seats: u.Seats,
			SeatLimit: u.SeatLimit, HealthScore: float64(u.HealthScore), ChampionLeft: u.ChampionLeft,
			ARR: a.ARR, Currency: a.Currency}
		for _, r := range renewals[u.AccountID] {
			if !r.Before(u.Month) {
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
func money(d decimal.Decimal) string {
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
