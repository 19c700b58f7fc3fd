package gen

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign/crm"
)

type stageAt struct {
	stage string
	at    time.Time
}

type opp struct {
	crm.Opportunity
	acct    *account
	lead    *lead
	loc     *time.Location
	won     bool      // the deal's fate, known to the generator even while open
	closeAt time.Time // when it closes (or will)
	stages  []stageAt // full history including the future
	amount  float64   // in the account's currency
	// snapshot details
	prevAmount   float64 // amount on the first snapshot when it changed since
	prevClose    time.Time
	stallReason  string
	waitingOn    string
	noOwner      bool
	origOwner    string
	pastAction   bool
	noNextAction bool
}

var openStages = []string{"Discovery", "Evaluation", "Proposal", "Negotiation"}

var lossReasons = []struct {
	reason string
	weight float64
}{
	{"No decision", 25}, {"Lost to competitor", 22}, {"Price", 14}, {"Timing", 10},
	{"Security review failed", 11}, {"Missing integration", 10}, {"Champion left", 8},
}

var segmentShape = map[string]struct {
	win, cycle, cycleSigma, amount, amountSigma float64
}{
	"SMB": {0.33, 26, 0.45, 14000, 0.45},
	"MID": {0.24, 55, 0.45, 42000, 0.5},
	"ENT": {0.16, 110, 0.4, 140000, 0.55},
}

func (w *world) opportunities() {
	r := w.r["opps"]
	busy := map[string]bool{} // accounts with a live or won deal
	for _, l := range w.leadList {
		if l.Disposition != "Accepted" || busy[l.AccountID] {
			continue
		}
		p := 0.5
		if l.acct.Segment == "SMB" {
			p = 0.42
		}
		if !r.chance(p) {
			continue
		}
		created := r.workMoment(l.DispositionAt.Add(time.Duration(r.IntN(96)+4)*time.Hour), l.loc)
		if created.After(asOf) {
			continue
		}
		o := w.newOpp(r, l.acct, l, created, "new_business")
		w.dealTouches(r, l, o)
		if o.won || o.closeAt.After(asOf) {
			busy[l.AccountID] = true
		}
		l.opp = o
	}
	// Expansion deals on existing customers.
	for _, a := range w.accts {
		if !a.preexisting || !r.chance(0.36) {
			continue
		}
		created := r.workMoment(r.between(start, asOf.AddDate(0, 0, -3)), a.loc)
		w.newOpp(r, a, nil, created, "expansion")
	}
	slices.SortStableFunc(w.opps, func(a, b *opp) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for i, o := range w.opps {
		o.ID = fmt.Sprintf("O%05d", i+1)
	}
	w.plantStalls()
	for _, o := range w.opps {
		w.finishOpp(o)
	}
}

func (w *world) newOpp(r rng, a *account, l *lead, created time.Time, typ string) *opp {
	shape := segmentShape[a.Segment]
	o := &opp{acct: a, lead: l, loc: a.loc}
	win := shape.win
	cycleMed := shape.cycle
	amount := r.lognormal(shape.amount, shape.amountSigma) / exchange[a.Currency]
	state := "decision-ready"
	if l != nil {
		state = stateAt(l, created)
		switch state {
		case "decision-ready":
			win *= 1.25
		case "problem-aware", "unaware":
			win *= 0.6
		case "partner-aware":
			win *= 1.15
		}
		if l.acct.fitEmp && l.acct.hris {
			win *= 1.15
		}
	}
	if typ == "expansion" {
		win, cycleMed = 0.5, 35
		amount = a.arr * (0.12 + 0.25*r.Float64())
	}
	o.won = r.chance(min(win, 0.9))
	cycle := r.lognormal(cycleMed, shape.cycleSigma)
	if !o.won {
		cycle *= 0.85
	}
	cycle = max(cycle, 5)
	o.closeAt = r.workMoment(created.Add(time.Duration(cycle*24)*time.Hour), a.loc)
	o.amount = roundTo(amount, 100)
	o.Opportunity = crm.Opportunity{
		AccountID: a.ID, Type: typ, Segment: a.Segment, Currency: a.Currency, CreatedAt: created,
		DemandStateAtEntry: state, OwnerID: w.aeFor(r, a),
	}
	if l != nil {
		o.PrimaryContactID = l.ID
		o.LeadSource = l.LeadSource
	} else {
		o.LeadSource = "customer_success"
	}
	suffix := "New Business"
	if typ == "expansion" {
		suffix = "Expansion"
	}
	o.Name = a.Name + " - " + suffix
	// stage path: Discovery → Evaluation → Proposal → Negotiation → close;
	// lost deals stop early; some deals skip a stage.
	last := 3
	if !o.won {
		last = r.pick([]float64{30, 30, 25, 15})
	}
	total := o.closeAt.Sub(created)
	fr := []float64{0, 0.2 + 0.1*r.Float64(), 0.45 + 0.12*r.Float64(), 0.72 + 0.1*r.Float64()}
	skip := -1
	if r.chance(0.12) {
		skip = []int{1, 3}[r.IntN(2)]
	}
	for i := 0; i <= last; i++ {
		if i == skip && i != last {
			continue
		}
		at := created.Add(time.Duration(fr[i] * float64(total)))
		o.stages = append(o.stages, stageAt{openStages[i], at})
	}
	if o.won {
		o.stages = append(o.stages, stageAt{"Closed Won", o.closeAt})
	} else {
		o.stages = append(o.stages, stageAt{"Closed Lost", o.closeAt})
		o.LossReason = lossReasons[r.pick(lossWeights)].reason
	}
	w.opps = append(w.opps, o)
	return o
}

var lossWeights = func() []float64 {
	out := make([]float64, len(lossReasons))
	for i, x := range lossReasons {
		out[i] = x.weight
	}
	return out
}()

func roundTo(x, step float64) float64 { return float64(int64(x/step+0.5)) * step }

func (w *world) aeFor(r rng, a *account) string {
	list := w.aes[a.Segment]
	if a.Segment != "ENT" {
		if a.Region == "EMEA" {
			list = []string{"U021", "U022"}
		} else {
			list = []string{"U017", "U018", "U019", "U020"}
		}
	} else if a.Region == "EMEA" {
		list = []string{"U024"}
	} else {
		list = []string{"U023"}
	}
	return list[r.IntN(len(list))]
}

func stateAt(l *lead, t time.Time) string {
	s := "unaware"
	for _, x := range l.states {
		if !x.EnteredAt.After(t) {
			s = x.DemandState
		}
	}
	return s
}

// snapshot dates of the weekly pipeline export
var (
	snap1 = time.Date(2026, 9, 21, 9, 0, 0, 0, ny)
	snap2 = time.Date(2026, 9, 28, 9, 0, 0, 0, ny)
)

// plantStalls picks open deals for the planted weekly-review findings: four
// deals stuck in Evaluation on the same security questionnaire, two in
// Negotiation on legal redlines, two singular stalls, and the passive-voice
// flags.
func (w *world) plantStalls() {
	r := w.r["snap"]
	var evalCands, negCands, others []*opp
	for _, o := range w.opps {
		if o.Type != "new_business" || !o.closeAt.After(asOf.AddDate(0, 0, 10)) || o.CreatedAt.After(time.Date(2026, 9, 14, 0, 0, 0, 0, ny)) {
			continue
		}
		old := o.CreatedAt.Before(time.Date(2026, 8, 1, 0, 0, 0, 0, ny))
		switch {
		case old && (o.Segment == "MID" || o.Segment == "ENT") && len(evalCands) < 4:
			evalCands = append(evalCands, o)
		case old && (o.Segment == "MID" || o.Segment == "ENT") && len(negCands) < 2:
			negCands = append(negCands, o)
		default:
			others = append(others, o)
		}
	}
	// the two singular stalls need deals old enough to have sat 21+ days
	slices.SortStableFunc(others, func(a, b *opp) int { return a.CreatedAt.Compare(b.CreatedAt) })
	stall := func(o *opp, stage string, entered time.Time, reason, waiting string) {
		// rebuild the path so that the deal entered stage at entered and
		// stays there past the snapshots
		var path []stageAt
		for _, s := range o.stages {
			if s.stage == stage || isClosed(s.stage) || s.at.After(entered) {
				break
			}
			path = append(path, s)
		}
		path = append(path, stageAt{stage, entered})
		rest := false
		for _, s := range o.stages {
			if rest && s.at.After(asOf) {
				path = append(path, s)
			}
			if s.stage == stage {
				rest = true
			}
		}
		if !rest {
			path = append(path, o.stages[len(o.stages)-1])
		}
		o.stages = path
		o.stallReason, o.waitingOn = reason, waiting
	}
	for i, o := range evalCands {
		stall(o, "Evaluation", r.workMoment(time.Date(2026, 8, 10+i*6, 0, 0, 0, 0, ny), o.loc), "Security questionnaire outstanding", "internal")
	}
	for i, o := range negCands {
		stall(o, "Negotiation", r.workMoment(time.Date(2026, 8, 24+i*5, 0, 0, 0, 0, ny), o.loc), "Legal redlines", "buyer")
	}
	if len(others) >= 8 {
		stall(others[0], "Proposal", r.workMoment(time.Date(2026, 8, 19, 0, 0, 0, 0, ny), others[0].loc), "Budget freeze", "buyer")
		stall(others[1], "Evaluation", r.workMoment(time.Date(2026, 9, 1, 0, 0, 0, 0, ny), others[1].loc), "Champion on leave", "buyer")
		others[2].waitingOn = "buyer"
		others[3].pastAction = true
		others[4].pastAction = true
		others[5].noNextAction = true
		others[6].noNextAction = true
		others[7].noOwner = true
	}
}

func isClosed(stage string) bool { return stage == "Closed Won" || stage == "Closed Lost" }

var nextActions = map[string][]string{
	"Discovery":   {"Discovery call with HR lead", "Confirm pain and timeline", "Book technical demo"},
	"Evaluation":  {"Technical deep-dive", "Pilot kickoff", "Send reference customers", "Security review call"},
	"Proposal":    {"Send proposal", "Pricing review with finance", "Exec sponsor meeting"},
	"Negotiation": {"Send MSA redlines", "Procurement call", "Final pricing approval"},
}

func (w *world) finishOpp(o *opp) {
	r := w.r["snap"]
	status, stage := "open", ""
	for _, s := range o.stages {
		if !s.at.After(asOf) {
			stage = s.stage
		}
	}
	switch {
	case !o.closeAt.After(asOf) && o.won:
		status = "won"
	case !o.closeAt.After(asOf):
		status = "lost"
	}
	o.Status, o.Stage = status, stage
	o.Amount = decimal.NullDecimal{Decimal: decimal.NewFromFloat(o.amount).Round(2), Valid: true}
	if status == "open" {
		o.CloseDate = day(o.closeAt.In(o.loc))
		o.ForecastCategory = map[string]string{"Discovery": "Pipeline", "Evaluation": "Pipeline", "Proposal": "Best case", "Negotiation": "Commit"}[stage]
		if r.chance(0.06) {
			o.ForecastCategory = "Omitted"
		}
		o.NextAction = nextActions[stage][r.IntN(len(nextActions[stage]))]
		o.NextActionDate = day(r.workMoment(asOf.AddDate(0, 0, r.IntN(9)+1), o.loc))
		if o.stallReason == "Security questionnaire outstanding" {
			o.NextAction = "Return security questionnaire"
		}
		if o.pastAction {
			o.NextActionDate = day(asOf.AddDate(0, 0, -(r.IntN(9) + 3)))
		}
		if o.noNextAction {
			o.NextAction, o.NextActionDate = "", time.Time{}
		}
		if o.noOwner {
			o.origOwner, o.OwnerID = o.OwnerID, ""
		}
		// early-stage deals without an amount yet: counted, never summed as 0
		if stage == "Discovery" && o.CreatedAt.After(asOf.AddDate(0, 0, -30)) && r.chance(0.3) {
			o.Amount = decimal.NullDecimal{}
		}
		// some deals slipped or changed amount since last week
		if o.CreatedAt.Before(snap1) && r.chance(0.05) {
			o.prevClose = o.CloseDate.AddDate(0, 0, -(r.IntN(20) + 10))
		}
		if o.CreatedAt.Before(snap1) && o.Amount.Valid && r.chance(0.04) {
			o.prevAmount = roundTo(o.amount*(0.8+0.3*r.Float64()), 100)
		}
	} else {
		o.CloseDate = day(o.closeAt.In(o.loc))
		o.ForecastCategory = "Closed"
	}
	w.outOpps = append(w.outOpps, o.Opportunity)
	for _, s := range o.stages {
		if s.at.After(asOf) {
			break
		}
		w.outStages = append(w.outStages, crm.StageChange{OpportunityID: o.ID, Stage: s.stage, EnteredAt: s.at.In(o.loc).Truncate(time.Second)})
	}
}

func (w *world) snapshots() {
	for _, at := range []time.Time{snap1, snap2} {
		for _, o := range w.opps {
			if o.CreatedAt.After(at) || !o.closeAt.After(at) {
				continue
			}
			var cur stageAt
			for _, s := range o.stages {
				if !s.at.After(at) {
					cur = s
				}
			}
			s := crm.PipelineSnapshot{
				SnapshotDate: day(at), OpportunityID: o.ID, OwnerID: o.OwnerID, Stage: cur.stage,
				StageEnteredAt: cur.at.In(o.loc).Truncate(time.Second), Currency: o.Currency,
				ForecastCategory: map[string]string{"Discovery": "Pipeline", "Evaluation": "Pipeline", "Proposal": "Best case", "Negotiation": "Commit"}[cur.stage],
				StallReason:      o.stallReason, WaitingOn: o.waitingOn,
			}
			s.Amount = o.Amount
			closeDate := day(o.closeAt.In(o.loc))
			if o.Status == "open" {
				closeDate = o.CloseDate
				s.ForecastCategory = o.ForecastCategory
			}
			s.CloseDate = closeDate
			if at.Equal(snap2) {
				s.NextAction, s.NextActionDate = o.NextAction, o.NextActionDate
			} else {
				s.NextAction = nextActions[cur.stage][0]
				s.NextActionDate = day(at.AddDate(0, 0, 3))
				if o.prevClose.After(time.Time{}) {
					s.CloseDate = o.prevClose
				}
				if o.prevAmount > 0 {
					s.Amount = decimal.NullDecimal{Decimal: decimal.NewFromFloat(o.prevAmount).Round(2), Valid: true}
				}
				if o.noOwner {
					s.OwnerID = o.origOwner
				}
			}
			w.outSnapshots = append(w.outSnapshots, s)
		}
	}
}

// dealTouches adds the touches of a live deal: the meeting that created it,
// then nurture, events and visits from the buying committee until it closes.
func (w *world) dealTouches(r rng, l *lead, o *opp) {
	w.touch(l, "sdr_outbound", "meeting", o.CreatedAt, campaigns["sdr_outbound"])
	n := 1 + r.IntN(5)
	for k := 0; k < n; k++ {
		at := r.anyMoment(r.between(o.CreatedAt, o.closeAt), l.loc)
		m := middle[r.pick(middleWeights)]
		w.touch(l, m.channel, m.touch, at, l.campaignOr(m.channel))
	}
}
