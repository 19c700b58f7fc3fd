package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign/attribution"
	"github.com/revalign/revalign/icp"
)

// The generated journeys follow the sample company (crm/sample): its
// countries, industries, company sizes, technographics, seniorities, channel
// mix (paid social opens many journeys and rarely appears later), event
// types and deal shapes by segment. Opportunities are created between the
// start of its fiscal year 2026 and its as-of instant.
var (
	genStart = time.Date(2025, 2, 1, 5, 0, 0, 0, time.UTC)
	genAsOf  = time.Date(2026, 9, 28, 13, 0, 0, 0, time.UTC) // Monday 09:00 in New York
)

// generator draws journeys deterministically: journey i is a pure function
// of (seed, i), drawn from its own PCG stream, so a file is the same
// whatever the number of goroutines that wrote it, and any journey can be
// drawn again on its own.
type generator struct {
	seed uint64
	// bad is the share of lines deliberately broken (malformed JSON, an
	// unknown channel, a negative amount), as real exports have.
	bad float64
}

type country struct {
	code, currency string
	utcOffset      float64 // hours, for a daytime skew of activity
	weight         float64
}

var countries = func() weighted[country] {
	list := []country{
		{"US", "USD", -5, 48}, {"CA", "USD", -5, 6}, {"GB", "GBP", 0, 10}, {"IE", "EUR", 0, 2},
		{"DE", "EUR", 1, 6}, {"FR", "EUR", 1, 3}, {"NL", "EUR", 1, 3}, {"SE", "EUR", 1, 1},
		{"AU", "USD", 10, 5}, {"SG", "USD", 8, 3}, {"IN", "USD", 5.5, 3}, {"JP", "USD", 9, 1},
		{"BR", "USD", -3, 4}, {"MX", "USD", -6, 3},
		{"CN", "USD", 8, 1}, {"RU", "USD", 3, 0.6}, {"TR", "USD", 3, 0.6}, // unserved
	}
	w := make([]float64, len(list))
	for i, c := range list {
		w[i] = c.weight
	}
	return newWeighted(list, w)
}()

var (
	industries = newWeighted([]string{
		"Software", "Healthcare", "Retail", "Logistics", "Financial Services",
		"Manufacturing", "Education", "Government", "Hospitality", "Media",
	}, []float64{16, 13, 12, 9, 10, 12, 8, 5, 9, 6})
	seniorities = newWeighted([]string{"ic", "manager", "director", "vp", "c-level"}, []float64{34, 30, 20, 11, 5})
)

type channelTouch struct{ channel, touch string }

// origins open journeys; middle touches follow (email nurture, events,
// search). Paid social is a frequent origin and a rare middle touch.
var (
	origins = newWeighted([]channelTouch{
		{"paid_social", "ad_click"}, {"paid_search", "ad_click"}, {"organic_search", "web_visit"},
		{"content_syndication", "content_download"}, {"events", "event_attendance"}, {"webinar", "webinar_attendance"},
		{"partner", "partner_referral"}, {"sdr_outbound", "call"}, {"direct", "web_visit"},
	}, []float64{28, 12, 16, 6, 7, 6, 6, 9, 7})
	middle = newWeighted([]channelTouch{
		{"email", "email_click"}, {"webinar", "webinar_attendance"}, {"organic_search", "web_visit"},
		{"paid_search", "ad_click"}, {"events", "event_attendance"}, {"direct", "web_visit"},
		{"content_syndication", "content_download"}, {"partner", "partner_referral"}, {"paid_social", "ad_click"},
	}, []float64{30, 12, 14, 14, 9, 12, 8, 4, 1.5})
	formFills = newWeighted([]string{"organic_search", "paid_search", "webinar", "content_syndication", "direct", "email"},
		[]float64{28, 22, 16, 12, 14, 8})
)

// segments shape deals: win rate, median cycle in days, median amount in
// USD, and their log-spreads.
var segments = map[string]struct{ win, cycle, cycleSigma, amount, amountSigma float64 }{
	"SMB": {0.33, 26, 0.45, 14000, 0.45},
	"MID": {0.24, 55, 0.45, 42000, 0.5},
	"ENT": {0.16, 110, 0.4, 140000, 0.55},
}

var exchange = map[string]float64{"USD": 1, "EUR": 1.08, "GBP": 1.27}

var (
	namePartsA = []string{"north", "blue", "iron", "silver", "bright", "cedar", "harbor", "summit", "pioneer", "granite",
		"maple", "atlas", "beacon", "crescent", "evergreen", "falcon", "golden", "horizon", "keystone", "lakeside"}
	namePartsB = []string{"systems", "health", "logistics", "retail", "labs", "group", "partners", "works", "foods", "capital",
		"clinics", "freight", "stores", "analytics", "networks", "industries", "holdings", "media", "learning", "hotels"}
	firstNames = []string{"alex", "jordan", "sam", "taylor", "morgan", "casey", "riley", "jamie", "avery", "quinn"}
	lastNames  = []string{"smith", "garcia", "chen", "patel", "mueller", "dubois", "rossi", "tanaka", "silva", "nguyen"}
	otherTools = []struct {
		name string
		p    float64
	}{{"Okta", 0.3}, {"Slack", 0.45}, {"Microsoft Teams", 0.4}, {"Salesforce", 0.35}, {"ServiceNow", 0.12},
		{"Greenhouse", 0.15}, {"Jira", 0.3}, {"Zoom", 0.5}, {"HubSpot", 0.2}}
)

// journey draws journey number i (from 0) into l.
func (g *generator) journey(r rng, i int, l *journeyLine) {
	l.reset()
	l.ID = fmt.Sprintf("OPP-%09d", i+1)
	l.Lead.ID = fmt.Sprintf("LEAD-%09d", i+1)
	c := countries.pick(r)

	// The account and the lead.
	l.Lead.Country = c.code
	l.Lead.Industry = industries.pick(r)
	employees := min(max(int(math.Round(r.lognormal(260, 1.35))), 12), 60000)
	l.Segment = "SMB"
	switch {
	case employees >= 2000:
		l.Segment = "ENT"
	case employees >= 200:
		l.Segment = "MID"
	}
	if !r.chance(0.03) { // an export has no head count for a few accounts
		l.Lead.Employees = employees
	}
	fitEmployees := employees >= 200 && employees <= 5000
	hris := false
	switch x := r.Float64(); {
	case x < 0.16:
		l.Lead.Technographics, hris = append(l.Lead.Technographics, "Workday"), true
	case x < 0.29:
		l.Lead.Technographics, hris = append(l.Lead.Technographics, "BambooHR"), true
	case x < 0.37:
		l.Lead.Technographics, hris = append(l.Lead.Technographics, "UKG"), true
	case x < 0.47:
		l.Lead.Technographics = append(l.Lead.Technographics, "ADP")
	}
	for _, t := range otherTools {
		if r.chance(t.p) {
			l.Lead.Technographics = append(l.Lead.Technographics, t.name)
		}
	}
	domain := namePartsA[r.IntN(len(namePartsA))] + namePartsB[r.IntN(len(namePartsB))] + ".com"
	if r.chance(0.004) {
		domain, l.Lead.Industry = competitorDomains[r.IntN(len(competitorDomains))], "Software"
	}
	l.Lead.Seniority = seniorities.pick(r)
	if r.chance(0.015) {
		l.Lead.Seniority, domain = "student", "student.university.edu"
	}
	l.Lead.Email = fmt.Sprintf("%s.%s%d@%s", firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))], r.IntN(100), domain)
	l.Lead.IsCustomer = r.chance(0.07) // a customer's new opportunity: routed to CS by the ICP

	// The timeline: opportunities grow over the window (density ∝ 1 + x/2,
	// drawn by inverting its CDF); the lead came a few weeks before.
	span := genAsOf.Add(-48 * time.Hour).Sub(genStart)
	f := min(max((-1+math.Sqrt(1+1.25*r.Float64()))/0.5, 0), 1)
	l.OppCreated = r.workMoment(genStart.Add(time.Duration(f*float64(span))), c.utcOffset)
	l.LeadCreated = l.OppCreated.Add(-time.Duration(r.lognormal(18*24, 0.8) * float64(time.Hour))).Truncate(time.Second)
	origin := origins.pick(r)
	first := l.LeadCreated
	if origin.channel != "sdr_outbound" && origin.channel != "events" && origin.channel != "partner" {
		first = r.anyMoment(l.LeadCreated.Add(-time.Duration(r.IntN(21*24)+1)*time.Hour), c.utcOffset)
		if !first.Before(l.LeadCreated) {
			first = l.LeadCreated.Add(-time.Hour)
		}
	}

	// The outcome: win rate and cycle by segment; intent and fit help.
	shape := segments[l.Segment]
	intent := r.chance(0.3 + 0.1*b2f(fitEmployees) + 0.1*b2f(hris))
	win := shape.win
	if intent {
		win *= 1.25
	}
	if fitEmployees && hris {
		win *= 1.15
	}
	won := r.chance(min(win, 0.9))
	cycle := r.lognormal(shape.cycle, shape.cycleSigma)
	if !won {
		cycle *= 0.85
	}
	closeAt := r.workMoment(l.OppCreated.Add(time.Duration(max(cycle, 5)*24)*time.Hour), c.utcOffset)
	end := genAsOf
	switch {
	case closeAt.After(genAsOf):
		l.Outcome = attribution.Open
	case won:
		l.Outcome, l.Closed, end = attribution.Won, closeAt, closeAt
	default:
		l.Outcome, l.Closed, end = attribution.Lost, closeAt, closeAt
	}
	l.Currency = c.currency
	l.Amount = decimal.NewFromInt(int64(math.Round(r.lognormal(shape.amount, shape.amountSigma)/exchange[c.currency]/100)) * 100)

	// Behavioural events from the lead's creation on.
	var middleAt []time.Time
	t := l.LeadCreated
	for k := range int(math.Round(r.lognormal(1, 0.7) * 5.6)) {
		t = r.anyMoment(t.Add(time.Duration(r.lognormal(60, 1.0)*float64(time.Hour))), c.utcOffset)
		if t.After(end) {
			break
		}
		var typ string
		switch x := r.Float64(); {
		case intent && k >= 1 && x < 0.22:
			typ = "pricing_page"
		case intent && k >= 2 && x < 0.32:
			typ = "demo_request"
		case x < 0.45:
			typ = "web_visit"
		case x < 0.68:
			typ = "content_download"
		case x < 0.8:
			typ = "webinar"
		case x < 0.86:
			typ = "pricing_page"
		default:
			typ = "intent_signal"
		}
		l.Events = append(l.Events, icp.Event{Type: typ, At: t})
		if r.chance(0.4) { // a middle touch now and then
			middleAt = append(middleAt, t.Add(time.Duration(r.IntN(72))*time.Hour))
		}
	}
	if intent { // the intent shows in the weeks before the opportunity
		at := l.OppCreated.Add(-time.Duration(r.IntN(20*24)+2) * time.Hour)
		l.Events = append(l.Events, icp.Event{Type: []string{"pricing_page", "demo_request"}[r.IntN(2)], At: maxTime(at, l.LeadCreated)})
	}

	// Touches: the origin, the form fill that created the lead, middle
	// touches, the SDR's call, the meeting that created the opportunity, and
	// the buying committee's touches until the close.
	if !r.chance(0.004) { // an offline deal: no touch was tracked
		l.touch(origin.channel, origin.touch, first)
		if !first.Equal(l.LeadCreated) {
			lc := origin.channel
			if origin.channel == "paid_social" || r.chance(0.3) {
				lc = formFills.pick(r)
			}
			l.touch(lc, "form_fill", l.LeadCreated)
		}
		for _, at := range middleAt {
			m := middle.pick(r)
			l.touch(m.channel, m.touch, at)
		}
		if call := l.LeadCreated.Add(time.Duration(r.lognormal(20, 0.7) * float64(time.Hour))); call.Before(l.OppCreated) {
			l.touch("sdr_outbound", "call", call)
		}
		l.touch("sdr_outbound", "meeting", l.OppCreated)
		for range 1 + r.IntN(5) {
			m := middle.pick(r)
			l.touch(m.channel, m.touch, r.between(l.OppCreated, end))
		}
		l.Touches = slices.DeleteFunc(l.Touches, func(t attribution.Touch) bool { return t.At.After(end) })
		slices.SortStableFunc(l.Touches, func(a, b attribution.Touch) int { return a.At.Compare(b.At) })
	}
}

func (l *journeyLine) touch(channel, typ string, at time.Time) {
	l.Touches = append(l.Touches, attribution.Touch{Channel: channel, Type: typ, At: at.Truncate(time.Second)})
}

// The bad lines real exports carry.
const (
	good = iota
	cutOff
	unknownChannel
	negativeAmount
)

// spoil draws whether line l goes bad, and how; it breaks the record itself
// for an unknown channel or a negative amount (a cut-off line is cut once
// encoded).
func (g *generator) spoil(r rng, l *journeyLine) int {
	if g.bad == 0 || !r.chance(g.bad) {
		return good
	}
	kind := cutOff + r.IntN(3)
	switch kind {
	case unknownChannel:
		if len(l.Touches) == 0 {
			l.Touches = append(l.Touches, attribution.Touch{At: l.OppCreated})
		}
		l.Touches[r.IntN(len(l.Touches))].Channel = "tv"
	case negativeAmount:
		l.Amount = l.Amount.Neg()
	}
	return kind
}

// writeJourneys writes journeys [0, n) as JSON lines to w, generating
// blocks of them on workers goroutines and writing the blocks in order.
// progress, when not nil, is called with the number of journeys written.
func (g *generator) writeJourneys(w io.Writer, n, workers int, progress func(done int)) error {
	const block = 1000
	blocks := (n + block - 1) / block
	workers = max(1, min(workers, blocks))
	type chunk struct {
		buf bytes.Buffer
		err error
	}
	out := make([]chan *chunk, workers)
	free := make([]chan *chunk, workers)
	stop := make(chan struct{})
	for k := range workers {
		out[k], free[k] = make(chan *chunk, 2), make(chan *chunk, 3)
		for range 3 {
			free[k] <- new(chunk)
		}
		go func() {
			defer close(out[k])
			src := rand.NewPCG(0, 0)
			r := rng{rand.New(src)}
			var l journeyLine
			for b := k; b < blocks; b += workers {
				var c *chunk
				select {
				case c = <-free[k]:
				case <-stop:
					return
				}
				c.buf.Reset()
				enc := json.NewEncoder(&c.buf)
				enc.SetEscapeHTML(false)
				for i := b * block; i < min(n, (b+1)*block); i++ {
					src.Seed(g.seed, uint64(i))
					g.journey(r, i, &l)
					kind := g.spoil(r, &l)
					mark := c.buf.Len()
					if c.err = enc.Encode(&l); c.err != nil {
						break
					}
					if kind == cutOff {
						c.buf.Truncate(mark + (c.buf.Len()-mark)/2)
						c.buf.WriteByte('\n')
					}
				}
				out[k] <- c
			}
		}()
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var err error
	for b := range blocks {
		c := <-out[b%workers]
		if err == nil {
			err = c.err
		}
		if err == nil {
			_, err = bw.Write(c.buf.Bytes())
		}
		if err != nil {
			break
		}
		free[b%workers] <- c
		if progress != nil {
			progress(min(n, (b+1)*block))
		}
	}
	close(stop)
	for k := range workers { // let every worker finish
		for range out[k] {
		}
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// rng wraps a PCG stream with the draws the generator needs.
type rng struct{ *rand.Rand }

func (r rng) chance(p float64) bool { return r.Float64() < p }

// lognormal draws around a median with log-sd sigma.
func (r rng) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

func (r rng) between(a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(r.Int64N(int64(b.Sub(a)))))
}

// dayHours weighs the hours of a working day (web activity happens at all
// hours, most of it in the day); workHours those of 09:00–17:00.
var (
	dayHours  = newWeighted(seq(24), []float64{1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 8, 9, 8, 7, 5, 4, 4, 3, 3, 2, 1})
	workHours = newWeighted([]int{9, 10, 11, 12, 13, 14, 15, 16}, []float64{6, 9, 8, 5, 4, 6, 7, 6})
)

// anyMoment returns a moment of t's local day (offset hours from UTC) with
// a daytime skew, in UTC.
func (r rng) anyMoment(t time.Time, offset float64) time.Time {
	return r.onDay(t, offset, dayHours.pick(r))
}

// workMoment returns a business-hour moment of the first weekday on or after
// t's local day, in UTC.
func (r rng) workMoment(t time.Time, offset float64) time.Time {
	for {
		wd := t.Add(time.Duration(offset * float64(time.Hour))).Weekday()
		if wd != time.Saturday && wd != time.Sunday {
			break
		}
		t = t.Add(24 * time.Hour)
	}
	return r.onDay(t, offset, workHours.pick(r))
}

func (r rng) onDay(t time.Time, offset float64, hour int) time.Time {
	off := time.Duration(offset * float64(time.Hour))
	y, m, d := t.Add(off).Date()
	local := time.Date(y, m, d, hour, r.IntN(60), r.IntN(60), 0, time.UTC)
	return local.Add(-off)
}

// weighted picks items with probability proportional to their weights.
type weighted[T any] struct {
	items []T
	cum   []float64 // running sums of the weights
}

func newWeighted[T any](items []T, weights []float64) weighted[T] {
	w := weighted[T]{items: items, cum: make([]float64, len(weights))}
	total := 0.0
	for i, x := range weights {
		total += x
		w.cum[i] = total
	}
	return w
}

func (w *weighted[T]) pick(r rng) T {
	x := r.Float64() * w.cum[len(w.cum)-1]
	i, _ := slices.BinarySearch(w.cum, x)
	return w.items[min(i, len(w.items)-1)]
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// parseCount reads a journey count such as "1000000", "1_000_000" or "1e6".
func parseCount(s string) (int, error) {
	s = strings.ReplaceAll(s, "_", "")
	x, err := decimal.NewFromString(s)
	if err != nil || !x.IsInteger() || !x.IsPositive() || x.GreaterThan(decimal.NewFromInt(1e9)) {
		return 0, fmt.Errorf("journey count %q: must be a whole number from 1 to 1e9", s)
	}
	return int(x.IntPart()), nil
}
