package sample_test

// The planted findings, recomputed from the CSV files with plain code that
// shares nothing with the framework packages, so that the dataset's README
// and the frameworks can both be checked against them.

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/crm/sample"
)

type findings struct {
	leads, mqls, accepted int
	weekly                map[string][2]float64 // week → acceptance (all dispositions, A/(A+N+BF))
	weeklyN               map[string]int
	lowWeeks              []string // weeks below 75% on both definitions
	lowAny                []string // MQL weeks below 75% on either definition
	noAmount              int
	ftBreach              map[string][2]int // region → breaches, first-touched MQLs
	ftShare               map[string]float64
	linShare              map[string]float64
	posShare              map[string]float64
	bowtie                []float64 // adjacent conversions
	bowtieN               []int
	stalled               map[string]int // stall reason → deals stalled 21+ days
	stalledTotal          int
	securityLive          int
	scratchByMonth        map[string]int
	segments              map[string]segStat
	answers               int
	cohort, churnedLogos  int
	nrr, grr              float64
	forecastVar           map[string]float64
}

type segStat struct {
	won, lost, open int
	wonAmount       float64
	cycle           []float64
}

func load(t *testing.T) *crm.Dataset {
	t.Helper()
	d, err := sample.Load()
	require.NoError(t, err)
	return d
}

func usd(t *testing.T, d *crm.Dataset, amt decimal.Decimal, cur string) float64 {
	r, err := d.Rates(sample.ReportingCurrency)
	require.NoError(t, err)
	v, err := r.Convert(amt, cur)
	require.NoError(t, err)
	f, _ := v.Float64()
	return f
}

// workHours is the 09:00–17:00 Monday–Friday time between a and b in loc,
// exactly: each local day's opening hours, built from its date, intersected
// with [a, b).
func workHours(a, b time.Time, loc *time.Location) float64 {
	var total time.Duration
	la := a.In(loc)
	for d := time.Date(la.Year(), la.Month(), la.Day(), 0, 0, 0, 0, loc); d.Before(b); d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		open := time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, loc)
		closing := time.Date(d.Year(), d.Month(), d.Day(), 17, 0, 0, 0, loc)
		from, to := open, closing
		if a.After(from) {
			from = a
		}
		if b.Before(to) {
			to = b
		}
		if to.After(from) {
			total += to.Sub(from)
		}
	}
	return total.Hours()
}

func compute(t *testing.T, d *crm.Dataset) findings {
	cal := sample.Calendar()
	asOf := sample.AsOf()
	f := findings{weekly: map[string][2]float64{}, weeklyN: map[string]int{}, ftBreach: map[string][2]int{},
		stalled: map[string]int{}, scratchByMonth: map[string]int{}, segments: map[string]segStat{}}
	f.leads = len(d.Leads)
	type wk struct{ all, acc, core int }
	weeks, dweeks := map[string]*wk{}, map[string]*wk{}
	for _, l := range d.Leads {
		if l.MQLAt.IsZero() {
			continue
		}
		f.mqls++
		if !l.FirstTouchAt.IsZero() {
			loc, err := time.LoadLocation(l.TimeZone)
			require.NoError(t, err)
			b := f.ftBreach[l.Region]
			if workHours(l.MQLAt, l.FirstTouchAt, loc) > 1 {
				b[0]++
			}
			b[1]++
			f.ftBreach[l.Region] = b
		}
		if l.Disposition == "" {
			continue
		}
		for _, key := range []struct {
			m     map[string]*wk
			start string
		}{{weeks, date(cal.Week(l.MQLAt).Start)}, {dweeks, date(cal.Week(l.DispositionAt).Start)}} {
			x := key.m[key.start]
			if x == nil {
				x = &wk{}
				key.m[key.start] = x
			}
			x.all++
			switch l.Disposition {
			case "Accepted":
				x.acc++
				x.core++
			case "Nurture", "Bad fit":
				x.core++
			}
		}
		if l.Disposition == "Accepted" {
			f.accepted++
		}
	}
	seen := map[string]bool{}
	for _, m := range []map[string]*wk{weeks} {
		for w, x := range m {
			if (float64(x.acc)/float64(x.all) < 0.75 || float64(x.acc)/float64(x.core) < 0.75) && !seen[w] {
				seen[w] = true
				f.lowAny = append(f.lowAny, w)
			}
		}
	}
	slices.Sort(f.lowAny)
	for w, x := range weeks {
		f.weekly[w] = [2]float64{float64(x.acc) / float64(x.all), float64(x.acc) / float64(x.core)}
		f.weeklyN[w] = x.all
		if f.weekly[w][0] < 0.75 && f.weekly[w][1] < 0.75 {
			f.lowWeeks = append(f.lowWeeks, w)
		}
	}
	slices.Sort(f.lowWeeks)

	// attribution on won new-business deals: first touch, linear, 40/20/40
	touchesByAcct := map[string][]crm.Touch{}
	for _, tc := range d.Touches {
		touchesByAcct[tc.AccountID] = append(touchesByAcct[tc.AccountID], tc)
	}
	ft, lin, pos := map[string]float64{}, map[string]float64{}, map[string]float64{}
	var total float64
	for _, o := range d.Opportunities {
		if o.Status != "won" || o.Type != "new_business" {
			continue
		}
		end := o.CloseDate.AddDate(0, 0, 1)
		var js []crm.Touch
		for _, tc := range touchesByAcct[o.AccountID] {
			if tc.TouchedAt.Before(end) {
				js = append(js, tc)
			}
		}
		if len(js) == 0 {
			continue
		}
		sort.SliceStable(js, func(i, j int) bool { return js[i].TouchedAt.Before(js[j].TouchedAt) })
		amt := usd(t, d, o.Amount.Decimal, o.Currency)
		total += amt
		ft[js[0].Channel] += amt
		for _, tc := range js {
			lin[tc.Channel] += amt / float64(len(js))
		}
		switch n := len(js); n {
		case 1:
			pos[js[0].Channel] += amt
		case 2:
			pos[js[0].Channel] += amt / 2
			pos[js[1].Channel] += amt / 2
		default:
			pos[js[0].Channel] += 0.4 * amt
			pos[js[n-1].Channel] += 0.4 * amt
			for _, tc := range js[1 : n-1] {
				pos[tc.Channel] += 0.2 * amt / float64(n-2)
			}
		}
	}
	f.ftShare, f.linShare, f.posShare = map[string]float64{}, map[string]float64{}, map[string]float64{}
	for ch := range lin {
		f.ftShare[ch], f.linShare[ch], f.posShare[ch] = ft[ch]/total, lin[ch]/total, pos[ch]/total
	}

	// bowtie: accounts reaching each stage
	reach := make([]map[string]bool, 7)
	for i := range reach {
		reach[i] = map[string]bool{}
	}
	for _, tc := range d.Touches {
		reach[0][tc.AccountID] = true
	}
	for _, l := range d.Leads {
		if !l.MQLAt.IsZero() {
			reach[1][l.AccountID] = true
		}
	}
	for _, o := range d.Opportunities {
		if o.Type == "new_business" {
			reach[2][o.AccountID] = true
			if o.Status == "won" {
				reach[3][o.AccountID] = true
			}
		}
	}
	for _, e := range d.CustomerEvents {
		if !reach[3][e.AccountID] {
			continue // the new customers of the window
		}
		switch e.Event {
		case "onboarding_started":
			reach[4][e.AccountID] = true
		case "first_value":
			reach[5][e.AccountID] = true
		case "expansion", "renewal":
			reach[6][e.AccountID] = true
		}
	}
	for i := 0; i+1 < len(reach); i++ {
		n, k := len(reach[i]), 0
		for id := range reach[i+1] {
			if reach[i][id] {
				k++
			}
		}
		f.bowtie = append(f.bowtie, float64(k)/float64(n))
		f.bowtieN = append(f.bowtieN, n)
	}

	// stalled deals in this week's snapshot
	for _, s := range d.PipelineSnapshots {
		if !s.SnapshotDate.Equal(time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)) {
			continue
		}
		// days in stage are calendar days in New York, as a CRM shows them
		if revalign.DaysBetween(s.StageEnteredAt.In(cal.Location), asOf) >= 21 {
			f.stalledTotal++
			if s.StallReason != "" {
				f.stalled[s.StallReason]++
			}
		}
	}
	for _, a := range d.ContentAssets {
		if a.BuyingRole == "security_reviewer" && a.Status == "live" {
			f.securityLive++
		}
	}
	for _, u := range d.ContentUsage {
		if u.BuiltFromScratch {
			f.scratchByMonth[date(cal.Month(u.UsedAt).Start)]++
		}
	}
	for _, o := range d.Opportunities {
		if !o.Amount.Valid {
			f.noAmount++
		}
		if o.Type != "new_business" {
			continue
		}
		s := f.segments[o.Segment]
		switch o.Status {
		case "won":
			s.won++
			s.wonAmount += usd(t, d, o.Amount.Decimal, o.Currency)
			s.cycle = append(s.cycle, float64(o.CloseDate.Sub(time.Date(o.CreatedAt.Year(), o.CreatedAt.Month(), o.CreatedAt.Day(), 0, 0, 0, 0, time.UTC)).Hours()/24))
		case "lost":
			s.lost++
		default:
			s.open++
		}
		f.segments[o.Segment] = s
	}
	// retention of the customers at 2025-08-01 over the next four fiscal
	// quarters (to 2026-08-01)
	from, to := time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	arrAt := func(m time.Time) map[string]float64 {
		out := map[string]float64{}
		for _, x := range d.ARRMovements {
			if x.Month.Before(m) {
				out[x.AccountID] = usd(t, d, x.ARRAfter, x.Currency)
			}
		}
		return out
	}
	s0, s1 := arrAt(from), arrAt(to)
	var startARR, endARR, down float64
	for id, v := range s0 {
		if v <= 0 {
			continue
		}
		f.cohort++
		startARR += v
		endARR += s1[id]
		if s1[id] == 0 {
			f.churnedLogos++
		}
	}
	for _, x := range d.ARRMovements {
		if !x.Month.Before(from) && x.Month.Before(to) && s0[x.AccountID] > 0 && (x.Movement == "contraction" || x.Movement == "churn") {
			down += usd(t, d, x.Change, x.Currency)
		}
	}
	f.nrr, f.grr = endARR/startARR, (startARR+down)/startARR
	f.forecastVar = map[string]float64{}
	fc := map[string][2]float64{}
	for _, x := range d.Forecasts {
		v := fc[x.Quarter]
		amt := usd(t, d, x.Amount, x.Currency)
		if x.Team == "marketing" {
			v[0] += amt
		} else {
			v[1] += amt
		}
		fc[x.Quarter] = v
	}
	for q, v := range fc {
		f.forecastVar[q] = math.Abs(v[0]-v[1]) / v[1]
	}
	for _, a := range d.Answers {
		f.answers += map[string]int{"no": 0, "partial": 1, "yes": 2}[a.Answer]
	}
	return f
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

// TestPlantedFindings asserts every finding the README documents, with its
// numbers. Run with -v to see them all.
func TestPlantedFindings(t *testing.T) {
	d := load(t)
	f := compute(t, d)
	t.Log("\n" + f.String())

	t.Run("volumes", func(t *testing.T) {
		assert.Equal(t, 1500, len(d.Accounts))
		assert.Equal(t, 5862, f.leads)
		assert.Equal(t, 3245, f.mqls)
		assert.Equal(t, 2633, f.accepted)
		assert.Equal(t, 1114, len(d.Opportunities))
		assert.Equal(t, 5, f.noAmount, "opportunities with an empty amount")
	})
	t.Run("acceptance below 75% two weeks running", func(t *testing.T) {
		assert.InDelta(t, 0.493, f.weekly["2026-08-31"][0], 0.0005)
		assert.InDelta(t, 0.514, f.weekly["2026-08-31"][1], 0.0005)
		assert.Equal(t, 73, f.weeklyN["2026-08-31"])
		assert.InDelta(t, 0.526, f.weekly["2026-09-07"][0], 0.0005)
		assert.InDelta(t, 0.547, f.weekly["2026-09-07"][1], 0.0005)
		assert.Equal(t, 78, f.weeklyN["2026-09-07"])
		assert.InDelta(t, 0.636, f.weekly["2026-06-15"][0], 0.0005, "the single low week")
		assert.Equal(t, []string{"2026-06-15", "2026-08-31", "2026-09-07"}, f.lowWeeks)
		// Under either definition, counting MQLs by the week of their MQL,
		// the only two consecutive weeks below 75% are the planted ones.
		var pairs [][2]string
		for i := 1; i < len(f.lowAny); i++ {
			a, _ := time.Parse(time.DateOnly, f.lowAny[i-1])
			b, _ := time.Parse(time.DateOnly, f.lowAny[i])
			if b.Sub(a) <= 8*24*time.Hour {
				pairs = append(pairs, [2]string{f.lowAny[i-1], f.lowAny[i]})
			}
		}
		assert.Equal(t, [][2]string{{"2026-08-31", "2026-09-07"}}, pairs)
	})
	t.Run("first-touch breaches concentrated in APAC", func(t *testing.T) {
		assert.Equal(t, map[string][2]int{"APAC": {341, 431}, "EMEA": {43, 779}, "LATAM": {38, 286}, "NA": {121, 1735}}, f.ftBreach)
	})
	t.Run("first touch over-credits paid social", func(t *testing.T) {
		assert.InDelta(t, 0.379, f.ftShare["paid_social"], 0.0005)
		assert.InDelta(t, 0.056, f.linShare["paid_social"], 0.0005)
		assert.InDelta(t, 0.175, f.posShare["paid_social"], 0.0005)
		for ch := range f.linShare {
			if ch != "paid_social" {
				assert.Less(t, f.ftShare[ch]-f.posShare[ch], f.ftShare["paid_social"]-f.posShare["paid_social"], ch)
			}
		}
	})
	t.Run("bowtie leak on the right side", func(t *testing.T) {
		want := []float64{0.830, 0.605, 0.411, 0.986, 0.313, 0.385}
		require.Len(t, f.bowtie, len(want))
		for i := range want {
			assert.InDelta(t, want[i], f.bowtie[i], 0.0005, "transition %d", i)
		}
		assert.Equal(t, []int{1429, 1186, 718, 295, 291, 91}, f.bowtieN)
		assert.Equal(t, 4, slices.Index(f.bowtie, slices.Min(f.bowtie)), "Onboard→Impact converts least")
		assert.Equal(t, 248, f.cohort)
		assert.Equal(t, 48, f.churnedLogos)
		assert.InDelta(t, 0.867, f.nrr, 0.0005)
		assert.InDelta(t, 0.778, f.grr, 0.0005)
	})
	t.Run("stalled cluster", func(t *testing.T) {
		assert.Equal(t, map[string]int{"Security questionnaire outstanding": 4, "Legal redlines": 2, "Budget freeze": 1, "Champion on leave": 1}, f.stalled)
		assert.Equal(t, 30, f.stalledTotal)
	})
	t.Run("passive voice and the week's changes", func(t *testing.T) {
		var buyer, past, noNext, noOwner []string
		this, last := map[string]bool{}, map[string]bool{}
		for _, s := range d.PipelineSnapshots {
			if s.SnapshotDate.Format(time.DateOnly) == "2026-09-21" {
				last[s.OpportunityID] = true
				continue
			}
			this[s.OpportunityID] = true
			if s.WaitingOn == "buyer" {
				buyer = append(buyer, s.OpportunityID)
			}
			if !s.NextActionDate.IsZero() && s.NextActionDate.Before(time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)) {
				past = append(past, s.OpportunityID)
			}
			if s.NextAction == "" || s.NextActionDate.IsZero() {
				noNext = append(noNext, s.OpportunityID)
			}
			if s.OwnerID == "" {
				noOwner = append(noOwner, s.OpportunityID)
			}
		}
		assert.Equal(t, []string{"O00809", "O00839", "O00926", "O00940", "O00954"}, buyer)
		assert.Equal(t, []string{"O00975", "O00991"}, past)
		assert.Equal(t, []string{"O01001", "O01003"}, noNext)
		assert.Equal(t, []string{"O01004"}, noOwner)
		status := map[string]string{}
		for _, o := range d.Opportunities {
			status[o.ID] = o.Status
		}
		closed := map[string]int{}
		for id := range last {
			if !this[id] {
				closed[status[id]]++
			}
		}
		created := 0
		for id := range this {
			if !last[id] {
				created++
			}
		}
		assert.Equal(t, map[string]int{"won": 4, "lost": 8}, closed)
		assert.Equal(t, 12, created)
		assert.Equal(t, 90, len(this))
	})
	t.Run("security reviewer content gap", func(t *testing.T) {
		assert.Zero(t, f.securityLive)
		got := []int{}
		for m := 3; m <= 8; m++ {
			got = append(got, f.scratchByMonth[fmt.Sprintf("2026-%02d-01", m)])
		}
		assert.Equal(t, []int{11, 10, 12, 18, 10, 12}, got, "decks built from scratch, March–August 2026")
	})
	t.Run("segments", func(t *testing.T) {
		type row struct{ won, lost, open int }
		got := map[string]row{}
		for s, x := range f.segments {
			got[s] = row{x.won, x.lost, x.open}
		}
		assert.Equal(t, map[string]row{"SMB": {95, 140, 10}, "MID": {167, 393, 47}, "ENT": {33, 125, 29}}, got)
		// median cycle (close date − created date of won deals, numpy's
		// median) and average won deal in USD
		for seg, want := range map[string][2]float64{"SMB": {28, 15807}, "MID": {54, 45217}, "ENT": {101, 160168}} {
			x := f.segments[seg]
			c := slices.Sorted(slices.Values(x.cycle))
			med := c[len(c)/2]
			if len(c)%2 == 0 {
				med = (c[len(c)/2-1] + c[len(c)/2]) / 2
			}
			assert.Equal(t, want[0], med, seg)
			assert.InDelta(t, want[1], x.wonAmount/float64(x.won), 0.5, seg)
		}
	})
	t.Run("diagnostic answers", func(t *testing.T) {
		assert.Equal(t, 7, f.answers)
	})
	t.Run("forecast variance", func(t *testing.T) {
		want := map[string]float64{"FY2026-Q1": 0.183, "FY2026-Q2": 0.122, "FY2026-Q3": 0.336, "FY2026-Q4": 0.219,
			"FY2027-Q1": 0.355, "FY2027-Q2": 0.497, "FY2027-Q3": 0.297}
		require.Len(t, f.forecastVar, len(want))
		for q, v := range want {
			assert.InDelta(t, v, f.forecastVar[q], 0.0005, q)
		}
	})
	t.Run("file sizes", func(t *testing.T) {
		got := map[string]int{}
		for name, n := range d.Summarize().Counts {
			got[name] = n
		}
		assert.Equal(t, map[string]int{
			crm.FileAccounts: 1500, crm.FileUsers: 28, crm.FileLeads: 5862, crm.FileDemandStates: 19479,
			crm.FileEvents: 41072, crm.FileTouches: 34012, crm.FileOpportunities: 1114, crm.FileStageHistory: 4031,
			crm.FilePipelineSnapshots: 180, crm.FileForecasts: 42, crm.FileCustomerEvents: 1856,
			crm.FileARRMovements: 816, crm.FileAccountUsage: 5888, crm.FileContentAssets: 139,
			crm.FileContentUsage: 1202, crm.FileSpend: 160, crm.FileExchangeRates: 2, crm.FileAnswers: 10,
		}, got)
	})
	t.Run("not planted, but there", func(t *testing.T) {
		assert.Equal(t, []string{"2026-01-12", "2026-06-15", "2026-08-31", "2026-09-07"}, f.lowAny,
			"MQL weeks below 75% under either definition")
		slow, decided := 0, 0
		for _, l := range d.Leads {
			if l.MQLAt.IsZero() || l.DispositionAt.IsZero() {
				continue
			}
			decided++
			if l.DispositionAt.Sub(l.MQLAt) > 48*time.Hour {
				slow++
			}
		}
		assert.Equal(t, [2]int{1042, 3215}, [2]int{slow, decided}, "dispositioned more than 48 h after the MQL")
		react := 0
		for _, m := range d.ARRMovements {
			if m.Movement == "reactivation" {
				react++
			}
		}
		assert.Equal(t, 7, react)
	})
}

func (f findings) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "leads %d mqls %d accepted %d\n", f.leads, f.mqls, f.accepted)
	for _, w := range slices.Sorted(maps.Keys(f.weekly)) {
		fmt.Fprintf(&b, "week %s n=%d acc=%.3f core=%.3f\n", w, f.weeklyN[w], f.weekly[w][0], f.weekly[w][1])
	}
	fmt.Fprintf(&b, "low weeks %v\nlow any %v\nno amount %d\n", f.lowWeeks, f.lowAny, f.noAmount)
	fmt.Fprintf(&b, "ft breaches %v\n", f.ftBreach)
	for _, ch := range slices.Sorted(maps.Keys(f.linShare)) {
		fmt.Fprintf(&b, "channel %-20s ft %.3f lin %.3f pos %.3f\n", ch, f.ftShare[ch], f.linShare[ch], f.posShare[ch])
	}
	fmt.Fprintf(&b, "bowtie %.3f n=%v\n", f.bowtie, f.bowtieN)
	fmt.Fprintf(&b, "stalled %v total %d\n", f.stalled, f.stalledTotal)
	fmt.Fprintf(&b, "security live %d scratch %v\n", f.securityLive, f.scratchByMonth)
	for _, s := range slices.Sorted(maps.Keys(f.segments)) {
		x := f.segments[s]
		c := slices.Sorted(slices.Values(x.cycle))
		fmt.Fprintf(&b, "seg %s won %d lost %d open %d win %.3f avg %.0f cycle med %.0f\n", s, x.won, x.lost, x.open, float64(x.won)/float64(x.won+x.lost), x.wonAmount/float64(x.won), c[len(c)/2])
	}
	fmt.Fprintf(&b, "answers %d\ncohort %d churned %d nrr %.4f grr %.4f\nforecast var %v\n", f.answers, f.cohort, f.churnedLogos, f.nrr, f.grr, f.forecastVar)
	return b.String()
}
