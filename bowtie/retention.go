package bowtie

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// MovementKind is the kind of a monthly ARR movement. It is text in JSON
// ("new", "expansion", "contraction", "churn", "reactivation"); the zero
// value is not a kind.
type MovementKind uint8

// The kinds of ARR movement of the ARR bridge.
const (
	// NewLogo is a new logo's first ARR.
	NewLogo MovementKind = iota + 1
	// Expansion is more ARR from an existing customer.
	Expansion
	// Contraction is less ARR from a customer that stays.
	Contraction
	// Churn is a customer's ARR going to zero.
	Churn
	// Reactivation is a churned customer coming back.
	Reactivation
)

var movementNames = newNames[MovementKind]("MovementKind", "kind", []string{NewLogo: "new", Expansion: "expansion", Contraction: "contraction", Churn: "churn", Reactivation: "reactivation"})

// String returns the kind's name.
func (k MovementKind) String() string { return movementNames.String(k) }

// MarshalText encodes the kind by name.
func (k MovementKind) MarshalText() ([]byte, error) {
	return movementNames.Text(k)
}

// UnmarshalText decodes a kind name.
func (k *MovementKind) UnmarshalText(b []byte) error {
	return movementNames.Unmarshal(k, b)
}

// ParseMovementKind parses "new", "expansion", "contraction", "churn" or
// "reactivation", case insensitive.
func ParseMovementKind(s string) (MovementKind, error) {
	return movementNames.Parse([]byte(s))
}

// Movement is one customer's ARR change in one month, as an ARR (or MRR ×
// 12) export lists them.
type Movement struct {
	// Account is the customer.
	Account string `json:"account"`
	// Month is when the movement took effect; a movement belongs to the
	// period containing it and counts in every balance from then on.
	Month time.Time `json:"month"`
	// Kind is what happened; it must agree with the balances (a churn
	// brings ARR to zero, an expansion adds to a positive balance, …).
	Kind MovementKind `json:"kind"`
	// Change is the signed change (negative for contraction and churn).
	Change decimal.Decimal `json:"change"`
	// ARRAfter is the customer's ARR after the movement: 0 after churn
	// (ARR in the churn month is 0, not missing).
	ARRAfter decimal.Decimal `json:"arr_after"`
	// Currency of Change and ARRAfter.
	Currency string `json:"currency"`
}

// ReactivationPolicy says how a customer of the start cohort that churns
// and comes back within the period counts. It is text in JSON ("excluded",
// "counted"); the zero value is ReactivationExcluded.
type ReactivationPolicy uint8

// The reactivation policies.
const (
	// ReactivationExcluded treats a cohort customer that churned in the
	// period as lost for NRR and logo churn even if it came back: its
	// reactivation, and anything after it, shows in the bridge only, like
	// a new logo. NRR is then (start + expansion − contraction − churn) ÷
	// start, the textbook formula.
	ReactivationExcluded ReactivationPolicy = iota
	// ReactivationCounted counts the cohort customer's ARR at the period's
	// end, reactivation included, in NRR, and does not count it as a lost
	// logo. GRR never counts a reactivation under either policy.
	ReactivationCounted
)

var reactivationNames = newNames[ReactivationPolicy]("ReactivationPolicy", "reactivation", []string{ReactivationExcluded: "excluded", ReactivationCounted: "counted"})

// String returns "excluded" or "counted".
func (p ReactivationPolicy) String() string {
	return reactivationNames.String(p)
}

// MarshalText encodes the policy by name.
func (p ReactivationPolicy) MarshalText() ([]byte, error) {
	return reactivationNames.Text(p)
}

// UnmarshalText decodes "excluded" or "counted".
func (p *ReactivationPolicy) UnmarshalText(b []byte) error {
	return reactivationNames.Unmarshal(p, b)
}

// Customer carries the facts about a customer that retention needs beyond
// its ARR: when it reached first value (to tell onboarding churn from usage
// churn) and when its contract was up for renewal.
type Customer struct {
	// Account is the customer's account ID, as in [Movement.Account]; a
	// customer without movements is ignored.
	Account string `json:"account"`
	// FirstValue is when the customer first reached value (entered
	// Impact); zero if it never did.
	FirstValue time.Time `json:"first_value"`
	// Renewals are the dates its contract was or is up for renewal. A
	// customer on a three-year contract has one every three years.
	Renewals []time.Time `json:"renewals,omitempty"`
}

// RetentionOptions configure [Retention].
type RetentionOptions struct {
	// Rates converts amounts into the reporting currency, Rates.Base.
	Rates revalign.Rates `json:"rates"`
	// Reactivation says how cohort customers that churn and come back
	// count; the zero value excludes them.
	Reactivation ReactivationPolicy `json:"reactivation"`
	// Customers, when given, split churn into onboarding churn (before
	// first value) and usage churn, and give the renewal dates for logo
	// churn against customers up for renewal. A customer listed twice has
	// its renewals merged and its earliest first value kept.
	Customers []Customer `json:"customers,omitempty"`
}

// PeriodRetention is the right side's retention over one period, for the
// cohort of customers with ARR at the period's start (new logos of the
// period are excluded from both sides of NRR and GRR), and the ARR bridge
// of every customer.
type PeriodRetention struct {
	// Period is the period measured, as given to [Retention].
	Period revalign.Period `json:"period"`
	// Currency is the reporting currency of every amount
	// (RetentionOptions.Rates.Base).
	Currency string `json:"currency"`
	// Reactivation is the reactivation policy the figures use.
	Reactivation ReactivationPolicy `json:"reactivation"`
	// Cohort is the customers with ARR at the period's start, fixed then.
	Cohort RetentionCohort `json:"cohort"`
	// NRR is Cohort.EndARR ÷ Cohort.StartARR: (start + expansion −
	// contraction − churn [+ reactivation when counted]) ÷ start.
	NRR float64 `json:"nrr"`
	// GRR is gross revenue retention measured customer by customer:
	// Cohort.RetainedARR ÷ Cohort.StartARR, where each cohort customer
	// retains min(its ARR at the start, its ARR at the end), or 0 if it
	// churned in the period (a reactivation never counts). A customer's
	// expansion in the period offsets its own contraction in the period
	// (100 → 80 → 110 retains 100: GRR 100%), never another customer's
	// contraction or churn. At most 1; equal to GRRFormula when no cohort
	// customer both contracts and expands in the period, and never below
	// it.
	GRR float64 `json:"grr"`
	// GRRFormula is REFERENCE §4's movement formula: (Cohort.StartARR −
	// Cohort.Contraction − Cohort.Churn) ÷ Cohort.StartARR. Every
	// contraction counts, even one the same customer won back in the period
	// (100 → 80 → 110 gives 80%), and churn counts at the ARR churned,
	// expansion included. Floored at 0 (a cohort can churn more than it
	// started with) and never above 1. Under ReactivationCounted, Contraction
	// and Churn include movements after a cohort customer's reactivation.
	GRRFormula float64 `json:"grr_formula"`
	// LostLogos counts the cohort customers lost in the period: without
	// ARR at its end or, under ReactivationExcluded, churned in it at all.
	LostLogos int `json:"lost_logos"`
	// LogoChurn is LostLogos ÷ Cohort.Accounts, in [0, 1]; 0 for an
	// empty cohort.
	LogoChurn float64 `json:"logo_churn"`
	// RenewalsDue counts the cohort customers with a renewal date in the
	// period (from RetentionOptions.Customers; 0 without it).
	RenewalsDue int `json:"renewals_due"`
	// LostAtRenewal counts those of RenewalsDue that were lost.
	LostAtRenewal int `json:"lost_at_renewal"`
	// RenewalLogoChurn is LostAtRenewal ÷ RenewalsDue, in [0, 1] (0 when
	// none was due): logo churn for multi-year contracts.
	RenewalLogoChurn float64 `json:"renewal_logo_churn"`
	// Bridge explains the change in ARR of every customer.
	Bridge Bridge `json:"bridge"`
	// ChurnSplit splits the bridge's churn by whether the customer had
	// reached first value by the end of the churn month; nil without
	// RetentionOptions.Customers.
	ChurnSplit *ChurnSplit `json:"churn_split,omitempty"`
}

// RetentionCohort is the customers with ARR at a period's start and what
// happened to their ARR. Two identities hold exactly:
//
//	StartARR + Expansion − Contraction − Churn + Reactivation = EndARR
//	StartARR − NetContraction − ChurnedStartARR = RetainedARR
//
// The first is the cohort's movements (NRR and GRRFormula); the second is
// customer by customer (GRR).
type RetentionCohort struct {
	// Accounts counts the customers with ARR above zero at the period's
	// start.
	Accounts int `json:"accounts"`
	// StartARR is their ARR at the period's start. Like every amount
	// here it is in the reporting currency.
	StartARR decimal.Decimal `json:"start_arr"`
	// Expansion is the ARR their expansions added in the period.
	Expansion decimal.Decimal `json:"expansion"`
	// Contraction is the ARR their contractions removed, a positive
	// amount.
	Contraction decimal.Decimal `json:"contraction"`
	// Churn is the ARR they churned, a positive amount, expansion in the
	// period included.
	Churn decimal.Decimal `json:"churn"`
	// Reactivation is the ARR of cohort customers that churned and came
	// back; counted only under ReactivationCounted, zero otherwise. Under
	// ReactivationExcluded no movement after a customer's churn counts in
	// the cohort's figures.
	Reactivation decimal.Decimal `json:"reactivation"`
	// EndARR is their ARR at the period's end, the NRR numerator; a
	// customer that churned in the period counts 0 under
	// ReactivationExcluded.
	EndARR decimal.Decimal `json:"end_arr"`
	// RetainedARR is the GRR numerator: Σ min(start, end) over the cohort
	// customers that did not churn in the period.
	RetainedARR decimal.Decimal `json:"retained_arr"`
	// NetContraction is Σ max(0, start − end) over the cohort customers
	// that did not churn: the contraction their own expansion in the period
	// did not win back.
	NetContraction decimal.Decimal `json:"net_contraction"`
	// ChurnedStartARR is the ARR at the start of the cohort customers that
	// churned in the period (whatever came back after).
	ChurnedStartARR decimal.Decimal `json:"churned_start_arr"`
}

// Bridge is the ARR bridge of a period over every customer: Start + New +
// Reactivation + Expansion − Contraction − Churn = End, exactly. Contraction
// and Churn are positive amounts.
type Bridge struct {
	// Start is every customer's ARR at the period's start, in the
	// reporting currency (as every amount here).
	Start decimal.Decimal `json:"start"`
	// New is the ARR new logos brought in the period.
	New decimal.Decimal `json:"new"`
	// Reactivation is the ARR churned customers brought back.
	Reactivation decimal.Decimal `json:"reactivation"`
	// Expansion is the ARR added by expansions.
	Expansion decimal.Decimal `json:"expansion"`
	// Contraction is the ARR removed by contractions, a positive amount.
	Contraction decimal.Decimal `json:"contraction"`
	// Churn is the ARR lost to churn, a positive amount.
	Churn decimal.Decimal `json:"churn"`
	// End is every customer's ARR at the period's end.
	End decimal.Decimal `json:"end"`
}

// Change returns End − Start, the ΔARR the bridge explains.
func (b Bridge) Change() decimal.Decimal { return b.End.Sub(b.Start) }

// Check reports whether the bridge sums: Start + New + Reactivation +
// Expansion − Contraction − Churn = End.
func (b Bridge) Check() error {
	got := b.Start.Add(b.New).Add(b.Reactivation).Add(b.Expansion).Sub(b.Contraction).Sub(b.Churn)
	if !got.Equal(b.End) {
		return fmt.Errorf("bowtie: bridge does not sum: start + movements = %s, end = %s: %w", got, b.End, revalign.ErrInvalid)
	}
	return nil
}

// ChurnSplit separates onboarding churn (customers that never reached
// first value) from usage churn (customers that did, then left).
type ChurnSplit struct {
	// Onboarding is the churn of customers without a first value by the
	// end of the churn month (customers missing from
	// RetentionOptions.Customers count here).
	Onboarding ChurnPart `json:"onboarding"`
	// Usage is the churn of customers that had reached first value by
	// then.
	Usage ChurnPart `json:"usage"`
}

// ChurnPart is a number of churn movements and their ARR.
type ChurnPart struct {
	// Logos counts the churn movements (a customer that churns twice in
	// the period counts twice).
	Logos int `json:"logos"`
	// ARR is the ARR they churned, a positive amount in the reporting
	// currency.
	ARR decimal.Decimal `json:"arr"`
}

// ErrOverflow is matched by the error of [Retention] when totals exceed
// what int64 minor units hold (about 92 quadrillion in a two-decimal
// currency).
var ErrOverflow = errors.New("bowtie: amounts too large")

// Retention computes retention and the ARR bridge for each period from
// monthly ARR movements, in one pass over them.
//
// Balances come from ARRAfter: a customer's ARR at an instant is the
// ARRAfter of its last movement before it, its opening balance (before its
// first movement) is that movement's ARRAfter − Change, and each movement
// moves the bridge by the difference of balances, converted into the
// reporting currency as balances so that rounding never breaks the bridge.
//
// A movement is rejected, reported as a record error (ID: the account) and
// left out when its account, month or kind is missing, its currency cannot
// be converted or has fewer decimal places than the amount, its ARRAfter is
// negative, or it contradicts its kind: new and reactivation need a zero
// balance before and add ARR, expansion adds to a positive balance,
// contraction lowers one and stays above zero, churn goes to zero. A
// rejected movement's change then shows in the account's next movement. A
// movement whose Change disagrees with its ARRAfter minus the previous one
// (in the same currency) is reported as well, and kept: the balances win.
//
// The error is non-nil for invalid options or periods, or on overflow.
func Retention(movements []Movement, periods []revalign.Period, opts RetentionOptions) ([]PeriodRetention, []revalign.RecordError, error) {
	if err := opts.validate(periods); err != nil {
		return nil, nil, err
	}
	places := revalign.MinorUnits(opts.Rates.Base)
	g, errs := groupByAccount(movements)
	ids := g.ids
	cust := indexCustomers(opts.Customers, ids, &errs)
	ps := make([]periodSpan, len(periods))
	for i, p := range periods {
		ps[i] = periodSpan{start: p.Start.UnixNano(), end: p.End.UnixNano()}
	}
	acc := make([]periodAcc, len(periods))
	w := walker{opts: opts, places: places, movements: movements}
	for a := range len(ids) {
		idx := g.order[g.offset[a]:g.offset[a+1]]
		byMonth := func(x, y int32) int { return movements[x].Month.Compare(movements[y].Month) }
		if !slices.IsSortedFunc(idx, byMonth) {
			slices.SortStableFunc(idx, byMonth)
		}
		if !w.load(idx, &errs) {
			continue
		}
		for p := range ps {
			w.account(&acc[p], ps[p], cust.of(a), opts.Reactivation)
		}
	}
	out := make([]PeriodRetention, len(periods))
	for p := range periods {
		if acc[p].overflowed() {
			return nil, errs, fmt.Errorf("%w: period %s", ErrOverflow, periods[p])
		}
		out[p] = acc[p].result(periods[p], opts, places, len(opts.Customers) > 0)
	}
	return out, errs, nil
}

// accounts groups movement indexes by account: account a's movements are
// order[offset[a]:offset[a+1]], in input order.
type accounts struct {
	ids    map[string]int32
	offset []int32
	order  []int32
}

// groupByAccount checks the fields every movement needs and groups the
// movements by account (a counting sort, stable).
func groupByAccount(movements []Movement) (accounts, []revalign.RecordError) {
	var errs []revalign.RecordError
	ids := make(map[string]int32, min(len(movements)/8+16, 1<<20))
	acct := make([]int32, len(movements))
	var perAcct []int32
	for i := range movements {
		mv := &movements[i]
		acct[i] = -1
		switch {
		case mv.Account == "":
			errs = append(errs, recordErr("", i, "account", nil, "account ID is empty"))
		case !timeOK(mv.Month):
			errs = append(errs, recordErr(mv.Account, i, "month", mv.Month.String(), "month is missing or out of range"))
		case !movementNames.Valid(mv.Kind):
			errs = append(errs, recordErr(mv.Account, i, "kind", int(mv.Kind), "unknown movement kind"))
		default:
			a, ok := ids[mv.Account]
			if !ok {
				a = int32(len(ids))
				ids[mv.Account] = a
				perAcct = append(perAcct, 0)
			}
			acct[i] = a
			perAcct[a]++
		}
	}
	g := accounts{ids: ids, offset: make([]int32, len(ids)+1)}
	for a, n := range perAcct {
		g.offset[a+1] = g.offset[a] + n
	}
	g.order = make([]int32, g.offset[len(ids)])
	fill := slices.Clone(g.offset[:len(ids)])
	for i, a := range acct {
		if a >= 0 {
			g.order[fill[a]] = int32(i)
			fill[a]++
		}
	}
	return g, errs
}

func (o RetentionOptions) validate(periods []revalign.Period) error {
	v := revalign.Validator{Pkg: "bowtie"}
	v.Nest("rates", o.Rates.Validate())
	v.Check(reactivationNames.Valid(o.Reactivation), "reactivation", int(o.Reactivation), "unknown reactivation policy")
	for i, p := range periods {
		if err := checkWindow(p); err != nil {
			v.Add(revalign.Index("periods", i), p.String(), "need a start before the end")
		}
	}
	return v.Err()
}

type periodSpan struct{ start, end int64 }

// customers holds the per-account facts of RetentionOptions.Customers.
type customers struct {
	firstValue []int64   // never when unknown
	renewals   [][]int64 // sorted
}

func (c customers) of(a int) customerFacts {
	if c.firstValue == nil {
		return customerFacts{firstValue: never}
	}
	return customerFacts{firstValue: c.firstValue[a], renewals: c.renewals[a]}
}

type customerFacts struct {
	firstValue int64
	renewals   []int64
}

func (f customerFacts) renewalIn(s periodSpan) bool {
	i, _ := slices.BinarySearch(f.renewals, s.start)
	return i < len(f.renewals) && f.renewals[i] < s.end
}

func indexCustomers(cs []Customer, ids map[string]int32, errs *[]revalign.RecordError) customers {
	if len(cs) == 0 {
		return customers{}
	}
	c := customers{firstValue: make([]int64, len(ids)), renewals: make([][]int64, len(ids))}
	for i := range c.firstValue {
		c.firstValue[i] = never
	}
	for i, x := range cs {
		if x.Account == "" {
			*errs = append(*errs, recordErr("", i, "customers.account", nil, "account ID is empty"))
			continue
		}
		a, ok := ids[x.Account]
		if !ok {
			continue // no ARR movements: nothing to retain
		}
		if !x.FirstValue.IsZero() {
			if !timeOK(x.FirstValue) {
				*errs = append(*errs, recordErr(x.Account, i, "customers.first_value", x.FirstValue.String(), "out of range"))
			} else {
				c.firstValue[a] = min(c.firstValue[a], x.FirstValue.UnixNano())
			}
		}
		for _, r := range x.Renewals {
			if !timeOK(r) {
				*errs = append(*errs, recordErr(x.Account, i, "customers.renewals", r.String(), "renewal date missing or out of range"))
				continue
			}
			c.renewals[a] = append(c.renewals[a], r.UnixNano())
		}
		slices.Sort(c.renewals[a])
	}
	return c
}

// walker holds one account's validated movements, reused across accounts.
type walker struct {
	opts      RetentionOptions
	places    int32
	movements []Movement
	opening   int64
	idx       []int32
	month     []int64
	delta     []int64
	bal       []int64
	kind      []MovementKind
}

// load validates and converts one account's movements (idx, in month
// order) into the walker's buffers. It reports false when none is usable.
func (w *walker) load(idx []int32, errs *[]revalign.RecordError) bool {
	w.idx, w.month, w.delta, w.bal, w.kind = w.idx[:0], w.month[:0], w.delta[:0], w.bal[:0], w.kind[:0]
	var prevOwn, prevRep int64
	prevCur := ""
	for _, i := range idx {
		mv := &w.movements[i]
		reject := func(path string, value any, reason string) {
			*errs = append(*errs, recordErr(mv.Account, int(i), path, value, reason))
		}
		if mv.Currency == "" {
			reject("currency", nil, "currency is required")
			continue
		}
		own := revalign.MinorUnits(mv.Currency)
		change, ok1 := toUnits(mv.Change, own)
		after, ok2 := toUnits(mv.ARRAfter, own)
		if !ok1 || !ok2 {
			reject("arr_after", mv.ARRAfter.String(), fmt.Sprintf("amounts must fit %s minor units (%d places)", mv.Currency, own))
			continue
		}
		afterRep, err := w.convert(mv.ARRAfter, after, mv.Currency)
		if err != nil {
			reject("currency", mv.Currency, err.Error())
			continue
		}
		first := prevCur == ""
		if first {
			prevOwn, prevRep = after-change, afterRep-change
			if !strings.EqualFold(mv.Currency, w.opts.Rates.Base) {
				if prevRep, err = w.convert(mv.ARRAfter.Sub(mv.Change), prevOwn, mv.Currency); err != nil {
					reject("currency", mv.Currency, err.Error())
					continue
				}
			}
		}
		if reason := kindContradiction(mv.Kind, prevRep, afterRep); reason != "" {
			reject("kind", mv.Kind.String(), reason)
			continue
		}
		if !first && strings.EqualFold(prevCur, mv.Currency) && prevOwn+change != after {
			*errs = append(*errs, recordErr(mv.Account, int(i), "arr_change", mv.Change.String(),
				fmt.Sprintf("disagrees with arr_after − previous arr_after = %s; the balances are used", fromUnits(after-prevOwn, own))))
		}
		if first {
			w.opening = prevRep
		}
		w.idx = append(w.idx, i)
		w.month = append(w.month, mv.Month.UnixNano())
		w.delta = append(w.delta, afterRep-prevRep)
		w.bal = append(w.bal, afterRep)
		w.kind = append(w.kind, mv.Kind)
		prevOwn, prevRep, prevCur = after, afterRep, mv.Currency
	}
	return len(w.month) > 0
}

// convert returns amount (units in its own currency) in reporting units.
func (w *walker) convert(amount decimal.Decimal, units int64, currency string) (int64, error) {
	if strings.EqualFold(currency, w.opts.Rates.Base) {
		return units, nil
	}
	c, err := w.opts.Rates.Convert(amount, currency)
	if err != nil {
		return 0, err
	}
	u, ok := toUnits(c, w.places)
	if !ok {
		return 0, fmt.Errorf("converted amount %s too large", c)
	}
	return u, nil
}

func kindContradiction(k MovementKind, before, after int64) string {
	switch {
	case after < 0:
		return "arr_after is negative"
	case (k == NewLogo || k == Reactivation) && before != 0:
		return "needs a zero balance before it"
	case (k == NewLogo || k == Reactivation) && after <= before:
		return "must add ARR"
	case k != NewLogo && k != Reactivation && before <= 0:
		return "needs a positive balance before it"
	case k == Expansion && after <= before:
		return "must add ARR"
	case k == Contraction && (after >= before || after == 0):
		return "must lower ARR and stay above zero (zero is churn)"
	case k == Churn && after != 0:
		return "must bring ARR to zero"
	}
	return ""
}

// periodAcc accumulates one period over all accounts, in minor units.
type periodAcc struct {
	accounts, lost, due, lostDue         int
	start, exp, contr, churn, react, end sum
	retained, netContr, churnedStart     sum
	bStart, bNew, bReact, bExp, bContr   sum
	bChurn, bEnd                         sum
	onbLogos, useLogos                   int
	onbARR, useARR                       sum
}

// account adds the walker's current account to one period.
func (w *walker) account(acc *periodAcc, s periodSpan, f customerFacts, policy ReactivationPolicy) {
	lo, _ := slices.BinarySearch(w.month, s.start)
	hi, _ := slices.BinarySearch(w.month, s.end)
	startBal, endBal := w.opening, w.opening
	if lo > 0 {
		startBal = w.bal[lo-1]
	}
	if hi > 0 {
		endBal = w.bal[hi-1]
	}
	acc.bStart.add(startBal)
	acc.bEnd.add(endBal)
	cohort := startBal > 0
	churned := false
	var exp, contr, churn, react int64
	for j := lo; j < hi; j++ {
		d := w.delta[j]
		switch w.kind[j] {
		case NewLogo:
			acc.bNew.add(d)
		case Reactivation:
			acc.bReact.add(d)
		case Expansion:
			acc.bExp.add(d)
		case Contraction:
			acc.bContr.add(-d)
		case Churn:
			acc.bChurn.add(-d)
			if f.firstValue < w.movements[w.idx[j]].Month.AddDate(0, 1, 0).UnixNano() {
				acc.useLogos++
				acc.useARR.add(-d)
			} else {
				acc.onbLogos++
				acc.onbARR.add(-d)
			}
		}
		if !cohort || (churned && policy == ReactivationExcluded) {
			continue
		}
		switch w.kind[j] {
		case Expansion:
			exp += d
		case Contraction:
			contr -= d
		case Churn:
			churn -= d
			churned = true
		case Reactivation:
			react += d
		}
	}
	if !cohort {
		return
	}
	nrrEnd := endBal
	if churned && policy == ReactivationExcluded {
		nrrEnd = 0
	}
	retained := min(startBal, endBal)
	if churned {
		retained = 0
		acc.churnedStart.add(startBal)
	} else {
		acc.netContr.add(startBal - retained)
	}
	acc.accounts++
	acc.start.add(startBal)
	acc.exp.add(exp)
	acc.contr.add(contr)
	acc.churn.add(churn)
	acc.react.add(react)
	acc.end.add(nrrEnd)
	acc.retained.add(retained)
	lost := nrrEnd == 0
	if lost {
		acc.lost++
	}
	if f.renewalIn(s) {
		acc.due++
		if lost {
			acc.lostDue++
		}
	}
}

// grrFormula is (start − contraction − churn) ÷ start in [0, 1], in
// float64 so that the difference cannot overflow.
func grrFormula(start, contr, churn int64) float64 {
	if start == 0 {
		return 0
	}
	return min(max((float64(start)-float64(contr)-float64(churn))/float64(start), 0), 1)
}

func (a *periodAcc) overflowed() bool {
	for _, s := range []*sum{&a.start, &a.exp, &a.contr, &a.churn, &a.react, &a.end, &a.retained, &a.netContr, &a.churnedStart,
		&a.bStart, &a.bNew, &a.bReact, &a.bExp, &a.bContr, &a.bChurn, &a.bEnd, &a.onbARR, &a.useARR} {
		if s.overflow {
			return true
		}
	}
	return false
}

func (a *periodAcc) result(p revalign.Period, o RetentionOptions, places int32, split bool) PeriodRetention {
	d := func(s sum) decimal.Decimal { return fromUnits(s.v, places) }
	r := PeriodRetention{
		Period: p, Currency: o.Rates.Base, Reactivation: o.Reactivation,
		Cohort: RetentionCohort{
			Accounts: a.accounts, StartARR: d(a.start), Expansion: d(a.exp), Contraction: d(a.contr),
			Churn: d(a.churn), Reactivation: d(a.react), EndARR: d(a.end), RetainedARR: d(a.retained),
			NetContraction: d(a.netContr), ChurnedStartARR: d(a.churnedStart),
		},
		NRR:        ratio(a.end.v, a.start.v),
		GRR:        min(ratio(a.retained.v, a.start.v), 1),
		GRRFormula: grrFormula(a.start.v, a.contr.v, a.churn.v),
		LostLogos:  a.lost, LogoChurn: share(a.lost, a.accounts),
		RenewalsDue: a.due, LostAtRenewal: a.lostDue, RenewalLogoChurn: share(a.lostDue, a.due),
		Bridge: Bridge{
			Start: d(a.bStart), New: d(a.bNew), Reactivation: d(a.bReact), Expansion: d(a.bExp),
			Contraction: d(a.bContr), Churn: d(a.bChurn), End: d(a.bEnd),
		},
	}
	if split {
		r.ChurnSplit = &ChurnSplit{
			Onboarding: ChurnPart{Logos: a.onbLogos, ARR: d(a.onbARR)},
			Usage:      ChurnPart{Logos: a.useLogos, ARR: d(a.useARR)},
		}
	}
	return r
}
