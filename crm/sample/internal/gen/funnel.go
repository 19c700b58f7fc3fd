package gen

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/revalign/revalign/crm"
)

type lead struct {
	crm.Lead
	acct     *account
	loc      *time.Location
	origin   string // channel of the first touch
	senior   bool
	intent   bool // showed pricing-page or demo-request intent in the 30 days before MQL
	disq     string
	campaign string // planted campaign that created the lead, if any
	states   []crm.DemandStateChange
	opp      *opp
}

var roles = []struct {
	role   string
	weight float64
	titles []string // ic, manager, director, vp, c-level
}{
	{"economic_buyer", 12, []string{"", "", "Director of People", "VP People", "Chief People Officer"}},
	{"technical_evaluator", 14, []string{"Systems Analyst", "HRIS Manager", "Director of HR Technology", "VP IT", "CIO"}},
	{"end_user", 22, []string{"Shift Supervisor", "Operations Manager", "Director of Operations", "VP Operations", "COO"}},
	{"procurement", 5, []string{"Buyer", "Procurement Manager", "Director of Procurement", "VP Procurement", ""}},
	{"security_reviewer", 7, []string{"Security Analyst", "Security Manager", "Director of Information Security", "VP Security", "CISO"}},
	{"hr", 21, []string{"HR Generalist", "HR Manager", "HR Director", "VP Human Resources", "CHRO"}},
	{"it", 12, []string{"IT Specialist", "IT Manager", "Director of IT", "VP Infrastructure", "CTO"}},
	{"finance", 7, []string{"Payroll Specialist", "Finance Manager", "Finance Director", "VP Finance", "CFO"}},
}

var seniorities = []string{"ic", "manager", "director", "vp", "c-level"}

var firstNames = []string{"alex", "jordan", "sam", "taylor", "morgan", "casey", "riley", "jamie", "avery", "quinn",
	"drew", "robin", "kim", "lee", "pat", "chris", "dana", "jesse", "skyler", "reese"}
var lastNames = []string{"smith", "garcia", "chen", "patel", "mueller", "dubois", "rossi", "tanaka", "silva", "kowalski",
	"nguyen", "brown", "wilson", "lopez", "khan", "novak", "jensen", "murphy", "cohen", "sato"}

// origins are the channels of a lead's first touch; paid social opens many
// journeys but rarely appears later in them (the planted attribution finding).
var origins = []struct {
	channel string
	weight  float64
	touch   string
}{
	{"paid_social", 28, "ad_click"}, {"paid_search", 12, "ad_click"}, {"organic_search", 16, "web_visit"},
	{"content_syndication", 6, "content_download"}, {"events", 7, "event_attendance"}, {"webinar", 6, "webinar_attendance"},
	{"partner", 6, "partner_referral"}, {"sdr_outbound", 9, "call"}, {"direct", 7, "web_visit"},
}

var middle = []struct {
	channel string
	weight  float64
	touch   string
}{
	{"email", 30, "email_click"}, {"webinar", 12, "webinar_attendance"}, {"organic_search", 14, "web_visit"},
	{"paid_search", 14, "ad_click"}, {"events", 9, "event_attendance"}, {"direct", 12, "web_visit"},
	{"content_syndication", 8, "content_download"}, {"partner", 4, "partner_referral"}, {"paid_social", 1.5, "ad_click"},
}

const (
	campaignSyndication = "FY27 Q3 Syndication - HR Trends Report"
	campaignWebinar     = "Webinar - Future of Shift Work"
)

// Planted weeks (Mondays, New York): two consecutive weeks of a poor-fit
// syndication campaign, and one earlier low week that is not followed by a
// second.
var (
	plantedWeeks = []time.Time{time.Date(2026, 8, 31, 0, 0, 0, 0, ny), time.Date(2026, 9, 7, 0, 0, 0, 0, ny)}
	singleWeek   = time.Date(2026, 6, 15, 0, 0, 0, 0, ny)
)

func (w *world) leads() {
	r := w.r["leads"]
	// Accounts receive leads in proportion to their size.
	aw := make([]float64, len(w.accts))
	for i, a := range w.accts {
		switch a.Segment {
		case "ENT":
			aw[i] = 3
		case "MID":
			aw[i] = 1.6
		default:
			aw[i] = 0.8
		}
		if a.competitor {
			aw[i] = 2.5
		}
	}
	rw := make([]float64, len(roles))
	for i, x := range roles {
		rw[i] = x.weight
	}
	ow := make([]float64, len(origins))
	for i, o := range origins {
		ow[i] = o.weight
	}
	n := 5780
	span := asOf.Add(-36 * time.Hour).Sub(start)
	for i := 0; i < n; i++ {
		// mild growth over the window: density ∝ 1 + x/2 on [0,1], drawn by
		// inverting its CDF (x + x²/4)/1.25
		u := r.Float64()
		f := (-1 + math.Sqrt(1+1.25*u)) / 0.5
		f = min(max(f, 0), 1)
		created := start.Add(time.Duration(f * float64(span)))
		a := w.accts[r.pick(aw)]
		w.newLead(r, a, created, origins[r.pick(ow)].channel, rw, "")
	}
	// The planted syndication campaign: two weeks of poor-fit MQLs.
	small := w.poorFitAccounts()
	for _, wk := range plantedWeeks {
		for i := 0; i < 34; i++ {
			created := r.between(wk, wk.AddDate(0, 0, 5))
			w.newLead(r, small[r.IntN(len(small))], created, "content_syndication", rw, campaignSyndication)
		}
	}
	for i := 0; i < 14; i++ {
		created := r.between(singleWeek, singleWeek.AddDate(0, 0, 4))
		w.newLead(r, small[r.IntN(len(small))], created, "webinar", rw, campaignWebinar)
	}
	slices.SortStableFunc(w.leadList, func(a, b *lead) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for i, l := range w.leadList {
		l.ID = fmt.Sprintf("L%05d", i+1)
		w.leadsByAcct[l.acct.ID] = append(w.leadsByAcct[l.acct.ID], l)
	}
	for _, l := range w.leadList {
		w.engage(l)
	}
	w.dispositions()
}

func (w *world) poorFitAccounts() []*account {
	var out []*account
	for _, a := range w.accts {
		if !a.fitEmp && !a.hris && !a.fitInd && a.served && !a.competitor && !a.preexisting {
			out = append(out, a)
		}
	}
	return out
}

func (w *world) newLead(r rng, a *account, created time.Time, origin string, rw []float64, campaign string) {
	l := &lead{acct: a, loc: a.loc, origin: origin, campaign: campaign}
	ri := r.pick(rw)
	role := roles[ri]
	si := r.pick([]float64{34, 30, 20, 11, 5})
	if campaign != "" {
		si = r.pick([]float64{60, 30, 8, 2, 0})
	}
	title := role.titles[si]
	for title == "" {
		si = (si + 1) % len(seniorities)
		title = role.titles[si]
	}
	seniority := seniorities[si]
	if r.chance(0.015) || (campaign == campaignSyndication && r.chance(0.12)) {
		title, seniority, role.role = "Student", "student", "end_user"
	}
	l.senior = si >= 2 && seniority != "student"
	first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	domain := a.domain
	if seniority == "student" {
		domain = "student.university.edu"
	}
	l.Lead = crm.Lead{
		AccountID: a.ID, Email: fmt.Sprintf("%s.%s%d@%s", first, last, r.IntN(100), domain),
		Title: title, Seniority: seniority, BuyingRole: role.role, LeadSource: origin,
		Country: a.Country, Region: a.Region, TimeZone: a.TimeZone,
		CreatedAt: r.anyMoment(created, a.loc),
	}
	switch {
	case a.competitor:
		l.disq = "Competitor"
	case seniority == "student":
		l.disq = "Student / not a buyer"
	case !a.served:
		l.disq = "Unserved region"
	case a.preexisting:
		l.disq = "Existing customer - routed to CS"
	}
	w.leadList = append(w.leadList, l)
}

// engage draws the lead's touches and behavioural events and decides
// whether and when marketing's scoring made it an MQL. Marketing's current
// rule is engagement-heavy: web visit 2, download 10, webinar 15, pricing
// page 10, demo request 30, intent signal 5; MQL at 30 points.
func (w *world) engage(l *lead) {
	re, rt := w.r["events"], w.r["touches"]
	loc := l.loc
	created := l.CreatedAt
	// touches: the first (anonymous) touch, then the form fill creating the lead
	var first time.Time
	if l.origin == "sdr_outbound" || l.origin == "events" || l.origin == "partner" {
		first = created
	} else {
		first = rt.anyMoment(created.Add(-time.Duration(rt.IntN(21*24)+1)*time.Hour), loc)
		if !first.Before(created) {
			first = created.Add(-time.Hour)
		}
	}
	w.touch(l, l.origin, originTouch(l.origin), first, l.campaignOr(l.origin))
	if !first.Equal(created) {
		lc := l.origin
		if l.origin == "paid_social" || rt.chance(0.3) {
			lc = []string{"organic_search", "paid_search", "webinar", "content_syndication", "direct", "email"}[rt.pick([]float64{28, 22, 16, 12, 14, 8})]
		}
		if l.campaign != "" {
			lc = l.origin
		}
		w.touch(l, lc, "form_fill", created, l.campaignOr(lc))
	}
	if first.Before(created) {
		// an anonymous first touch before the lead existed; leads created by
		// their first touch (an outbound call, an event, a referral) start
		// problem-aware
		l.states = append(l.states, crm.DemandStateChange{DemandState: "unaware", EnteredAt: first})
	}
	l.states = append(l.states, crm.DemandStateChange{DemandState: "problem-aware", EnteredAt: created})

	// behavioural events from creation on, scored as marketing does
	score := 0
	engagement := re.lognormal(1, 0.7)
	if l.campaign == campaignSyndication {
		engagement = 1.6
	}
	l.intent = re.chance(intentProbability(l))
	nEvents := int(math.Round(engagement * 5.6))
	if l.campaign != "" {
		nEvents = max(nEvents, 4)
	}
	t := created
	var mql time.Time
	solution := false
	for k := 0; k < nEvents; k++ {
		if l.campaign != "" && k < 3 {
			t = t.Add(time.Duration(5+k*7) * time.Minute) // campaign leads convert on the spot
		} else {
			t = re.anyMoment(t.Add(time.Duration(re.lognormal(60, 1.0))*time.Hour), loc)
		}
		if t.After(asOf) {
			break
		}
		var typ, detail string
		pts := 0
		switch x := re.Float64(); {
		case l.campaign != "" && k < 3:
			typ, detail, pts = "content_download", "hr-trends-report-2026", 10
			if l.campaign == campaignWebinar {
				typ, detail, pts = "webinar", "future-of-shift-work", 15
			}
		case l.intent && k >= 1 && x < 0.22:
			typ, detail, pts = "pricing_page", "/pricing", 10
		case l.intent && k >= 2 && x < 0.32:
			typ, detail, pts = "demo_request", "/demo", 30
		case x < 0.45:
			typ, detail, pts = "web_visit", webPages[re.IntN(len(webPages))], 2
		case x < 0.68:
			typ, detail, pts = "content_download", assetsSlugs[re.IntN(len(assetsSlugs))], 10
		case x < 0.8:
			typ, detail, pts = "webinar", webinars[re.IntN(len(webinars))], 15
		case x < 0.86:
			typ, detail, pts = "pricing_page", "/pricing", 10
		default:
			typ, detail, pts = "intent_signal", intentTopics[re.IntN(len(intentTopics))], 5
		}
		if typ == "webinar" || typ == "demo_request" {
			t = re.workMoment(t, loc) // webinars and demo requests happen in working hours
			if t.After(asOf) {
				break
			}
		}
		w.outEvents = append(w.outEvents, crm.Event{LeadID: l.ID, AccountID: l.AccountID, Type: typ, OccurredAt: t, Detail: detail})
		score += pts
		if !solution && (typ == "webinar" || typ == "content_download") && k >= 1 {
			solution = true
			l.states = append(l.states, crm.DemandStateChange{DemandState: "solution-aware", EnteredAt: t})
		}
		if mql.IsZero() && score >= 30 {
			mql = t
		}
		// a middle touch now and then (email nurture, events)
		if rt.chance(0.4) {
			m := middle[rt.pick(middleWeights)]
			w.touch(l, m.channel, m.touch, rt.anyMoment(t.Add(time.Duration(rt.IntN(72))*time.Hour), loc), l.campaignOr(m.channel))
		}
	}
	if l.origin == "sdr_outbound" && mql.IsZero() && re.chance(0.5) {
		mql = created.Add(time.Duration(re.IntN(72)+1) * time.Hour) // outbound meetings booked count as MQLs
	}
	// Marketing suppresses most existing customers from MQL scoring.
	if l.acct.preexisting && re.chance(0.85) {
		mql = time.Time{}
	}
	if !mql.IsZero() && mql.Before(asOf.Add(-2*time.Hour)) {
		l.MQLAt = mql
	}
	if l.intent && !l.MQLAt.IsZero() {
		// the intent shows within 30 days before MQL
		it := l.MQLAt.Add(-time.Duration(re.IntN(20*24)+2) * time.Hour)
		if it.Before(created) {
			it = created.Add(time.Hour)
		}
		if it.After(l.MQLAt) {
			it = l.MQLAt
		}
		w.outEvents = append(w.outEvents, crm.Event{LeadID: l.ID, AccountID: l.AccountID, Type: []string{"pricing_page", "demo_request"}[re.IntN(2)], OccurredAt: it, Detail: "/pricing"})
		if !hasState(l, "decision-ready") {
			l.states = append(l.states, crm.DemandStateChange{DemandState: "decision-ready", EnteredAt: maxTime(it, lastState(l).EnteredAt.Add(time.Minute))})
		}
	}
	if l.origin == "partner" || (rt.chance(0.05) && !l.MQLAt.IsZero()) {
		at := maxTime(lastState(l).EnteredAt.Add(time.Hour), created.Add(48*time.Hour))
		if at.Before(asOf) {
			w.touch(l, "partner", "partner_referral", at, l.campaignOr("partner"))
			if !hasState(l, "partner-aware") && !hasState(l, "decision-ready") {
				l.states = append(l.states, crm.DemandStateChange{DemandState: "partner-aware", EnteredAt: at})
			}
		}
	}
}

func intentProbability(l *lead) float64 {
	p := 0.3
	if l.acct.fitEmp {
		p += 0.1
	}
	if l.acct.hris {
		p += 0.1
	}
	if l.campaign != "" {
		p = 0.08
	}
	return p
}

var middleWeights = func() []float64 {
	out := make([]float64, len(middle))
	for i, m := range middle {
		out[i] = m.weight
	}
	return out
}()

func originTouch(ch string) string {
	for _, o := range origins {
		if o.channel == ch {
			return o.touch
		}
	}
	for _, m := range middle {
		if m.channel == ch {
			return m.touch
		}
	}
	return "web_visit"
}

func (l *lead) campaignOr(ch string) string {
	if l.campaign != "" && (ch == "content_syndication" || ch == "webinar") {
		return l.campaign
	}
	return campaigns[ch]
}

var campaigns = map[string]string{
	"paid_social":         "LinkedIn - Frontline Scheduling",
	"paid_search":         "Google Ads - Workforce Management",
	"organic_search":      "SEO - Shift Scheduling Guides",
	"content_syndication": "Syndication - Workforce Benchmark",
	"events":              "Field Events - HR Tech Roadshow",
	"webinar":             "Webinar Series - Frontline Ops",
	"partner":             "Partner - HRIS Alliance",
	"sdr_outbound":        "Outbound - Named Accounts",
	"direct":              "Direct",
	"email":               "Nurture - Frontline Ops",
}

var webPages = []string{"/", "/product", "/product/scheduling", "/product/time-tracking", "/customers", "/blog/shift-swaps", "/integrations", "/security"}
var assetsSlugs = []string{"frontline-ops-guide", "scheduling-roi-calculator", "hr-tech-buyers-guide", "shift-work-benchmark", "time-theft-ebook", "compliance-checklist"}
var webinars = []string{"frontline-ops-live", "scheduling-101", "payroll-accuracy", "retention-playbook"}
var intentTopics = []string{"workforce management", "shift scheduling software", "time and attendance", "employee scheduling"}

func hasState(l *lead, s string) bool {
	for _, x := range l.states {
		if x.DemandState == s {
			return true
		}
	}
	return false
}

func lastState(l *lead) crm.DemandStateChange { return l.states[len(l.states)-1] }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (w *world) touch(l *lead, channel, typ string, at time.Time, campaign string) {
	switch typ {
	case "webinar_attendance", "event_attendance":
		// webinars and events run on weekdays
		if wd := at.In(l.loc).Weekday(); wd == time.Saturday || wd == time.Sunday {
			at = w.r["touches"].weekdayFrom(at, l.loc)
		}
	}
	if at.After(asOf) {
		return
	}
	w.outTouches = append(w.outTouches, crm.Touch{LeadID: l.ID, AccountID: l.AccountID, Channel: channel, Campaign: campaign, TouchType: typ, TouchedAt: at.In(l.loc)})
}

// acceptLogit is the generating truth of sales acceptance: fit and
// high-intent behaviour drive it; webinars and downloads do not.
func acceptLogit(l *lead) float64 {
	x := 0.3
	if l.campaign == campaignSyndication || l.campaign == campaignWebinar {
		x -= 2.5 // the campaign's leads were not in market
	}
	if l.acct.fitEmp {
		x += 1.8
	}
	if l.acct.fitInd {
		x += 1.2
	}
	if l.acct.hris {
		x += 1.4
	}
	if l.senior {
		x += 0.9
	}
	if l.intent {
		x += 1.1
	}
	return x
}

// systematic draws Bernoulli outcomes by systematic sampling over a
// sequence: each draw succeeds with its own probability p, and any run of
// draws succeeds within one of the sum of its probabilities, so weekly
// rates show the leads' mix rather than coin-flip noise.
type systematic struct{ carry float64 }

func (s *systematic) draw(p float64) bool {
	before := s.carry
	s.carry += p
	return math.Floor(s.carry) > math.Floor(before)
}

// dispositions times the handoff (routing, first touch, disposition) and
// draws the sales disposition of every MQL.
func (w *world) dispositions() {
	r := w.r["dispo"]
	sdrIdx := map[string]int{}
	mqls := slices.Clone(w.leadList)
	slices.SortStableFunc(mqls, func(a, b *lead) int { return a.MQLAt.Compare(b.MQLAt) })
	dup, noResp, accept := systematic{r.Float64()}, systematic{r.Float64()}, systematic{r.Float64()}
	for _, l := range mqls {
		if l.MQLAt.IsZero() {
			continue
		}
		queue := l.Region
		switch {
		case l.Region == "NA" && l.TimeZone != "America/New_York" && l.TimeZone != "America/Toronto":
			queue = "NA-west"
		case l.Region == "EMEA" && l.TimeZone != "Europe/London" && l.TimeZone != "Europe/Dublin":
			queue = "EMEA-central"
		}
		sdrs := w.sdrs[queue]
		owner := sdrs[sdrIdx[queue]%len(sdrs)]
		sdrIdx[queue]++
		l.OwnerID = owner
		sdrLoc := mustLoc(w.people[owner].TimeZone)
		// routing: minutes after the MQL trigger; a few stuck in the queue
		routeMin := r.lognormal(2, 0.5)
		if r.chance(0.03) {
			routeMin = 8 + r.Float64()*80
		}
		l.RoutedAt = l.MQLAt.Add(time.Duration(routeMin * float64(time.Minute))).Truncate(time.Second)
		// first touch in the SDR's working hours; APAC waits in the US queue
		delay := time.Duration(r.lognormal(14, 0.75) * float64(time.Minute))
		if l.Region == "APAC" {
			delay = time.Duration(r.lognormal(150, 0.6) * float64(time.Minute))
		}
		ft := addWork(l.RoutedAt, delay, sdrLoc)
		if ft.After(asOf) {
			continue // not yet touched: pending
		}
		l.FirstTouchAt = ft.In(l.loc).Truncate(time.Second)
		w.touch(l, "sdr_outbound", "call", l.FirstTouchAt, campaigns["sdr_outbound"])
		// the SDR dispositions in their working hours: most the same or the
		// next working day, some only days later
		hours := r.lognormal(5, 0.9)
		if r.chance(0.07) {
			hours = 16 + r.Float64()*24
		}
		dt := addWork(l.FirstTouchAt, time.Duration(hours*float64(time.Hour)), sdrLoc).In(l.loc).Truncate(time.Second)
		if dt.After(asOf) {
			continue // not yet dispositioned: pending
		}
		l.DispositionAt = dt
		switch {
		case dup.draw(0.02):
			l.Disposition, l.RejectionReason = "Duplicate", "Duplicate of existing lead"
		case noResp.draw(0.025):
			l.Disposition, l.RejectionReason = "No response", "No response after 6 attempts"
		case l.disq != "":
			l.Disposition, l.RejectionReason = "Bad fit", l.disq
		case accept.draw(sigmoid(acceptLogit(l))):
			l.Disposition = "Accepted"
		default:
			if l.acct.fitEmp || l.acct.hris {
				l.Disposition = "Nurture"
				l.RejectionReason = []string{"Timing: no project this year", "Not ready: revisit next quarter", "No budget this cycle"}[r.IntN(3)]
			} else {
				l.Disposition = "Bad fit"
				l.RejectionReason = []string{"Company too small", "No HRIS in place", "Wrong industry", "Not a decision maker"}[r.IntN(4)]
			}
		}
		// One SDR skips the rejection reason now and then (the 100% rule).
		if l.Disposition != "Accepted" && ((owner == "U012" && r.chance(0.25)) || r.chance(0.015)) {
			l.RejectionReason = ""
		}
		if l.Disposition == "Accepted" {
			l.states = append(l.states, crm.DemandStateChange{DemandState: "decision-ready", EnteredAt: maxTime(l.DispositionAt, lastState(l).EnteredAt.Add(time.Minute))})
		}
	}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

var locCache = map[string]*time.Location{}

func mustLoc(zone string) *time.Location {
	if l, ok := locCache[zone]; ok {
		return l
	}
	l, err := time.LoadLocation(zone)
	if err != nil {
		panic(fmt.Sprintf("gen: time zone %q: %v", zone, err))
	}
	locCache[zone] = l
	return l
}
