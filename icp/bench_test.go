package icp_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/revalign/revalign/icp"
)

// benchModel is the benchmark model: 8 firmographic and 4
// technographic criteria, 10 decaying behavioural signals, 4 disqualifiers.
func benchModel() icp.Model {
	m := icp.DefaultModel()
	served := []string{"US", "CA", "GB", "IE", "DE", "FR", "NL", "BE", "ES", "IT", "SE", "DK", "NO", "FI", "AU", "NZ"}
	m.Firmographic = []icp.Criterion{
		{ID: "industry_core", Field: "industry", Op: icp.OpIn, Values: []string{"Software", "Healthcare", "Retail", "Logistics", "Financial Services"}, Points: 20},
		{ID: "employees_mid", Field: "employee_count", Op: icp.OpRange, Min: ptr(200), Max: ptr(5000), Points: 20},
		{ID: "revenue_band", Field: "annual_revenue", Op: icp.OpRange, Min: ptr(20e6), Max: ptr(1e9), Points: 10},
		{ID: "region_core", Field: "region", Op: icp.OpIn, Values: []string{"NA", "EMEA"}, Points: 5},
		{ID: "country_served", Field: "country", Op: icp.OpIn, Values: served, Points: 5},
		{ID: "seniority_senior", Field: "seniority", Op: icp.OpIn, Values: []string{"director", "vp", "c-level"}, Points: 15},
		{ID: "role_buyer", Field: "buying_role", Op: icp.OpIn, Values: []string{"economic_buyer", "champion"}, Points: 5},
		{ID: "source_inbound", Field: "lead_source", Op: icp.OpIn, Values: []string{"inbound", "referral"}, Points: 5},
	}
	m.Technographic = []icp.Criterion{
		{ID: "hris", Field: "technographics", Op: icp.OpIn, Values: []string{"Workday", "BambooHR", "UKG"}, Points: 20},
		{ID: "sso", Field: "technographics", Op: icp.OpIn, Values: []string{"Okta"}, Points: 5},
		{ID: "chat", Field: "technographics", Op: icp.OpIn, Values: []string{"Slack", "Teams"}, Points: 5},
		{ID: "no_legacy", Field: "technographics", Op: icp.OpNotIn, Values: []string{"LegacyHR"}, Points: 5},
	}
	hl := func(d float64) icp.Decay { return icp.Decay{Kind: icp.DecayHalfLife, HalfLifeDays: d} }
	lin := func(d float64) icp.Decay { return icp.Decay{Kind: icp.DecayLinear, LifespanDays: d} }
	m.Behavioural = []icp.Signal{
		{ID: "web_visit", Event: "web_visit", Points: 1, Cap: 10, Decay: lin(90)},
		{ID: "recent_visit", Event: "web_visit", Points: 2, Cap: 6, Decay: icp.Decay{LifespanDays: 7}},
		{ID: "content_download", Event: "content_download", Points: 5, Cap: 20, Decay: hl(30)},
		{ID: "webinar", Event: "webinar", Points: 10, Cap: 20, Decay: hl(30)},
		{ID: "pricing_page", Event: "pricing_page", Points: 15, Cap: 30, Decay: hl(14)},
		{ID: "demo_request", Event: "demo_request", Points: 40, Cap: 40, Decay: lin(30)},
		{ID: "intent_signal", Event: "intent_signal", Points: 10, Cap: 20, Decay: hl(7)},
		{ID: "email_click", Event: "email_click", Points: 2, Cap: 10, Decay: hl(30)},
		{ID: "form_fill", Event: "form_fill", Points: 10, Cap: 20, Decay: hl(30)},
		{ID: "event_attendance", Event: "event_attendance", Points: 10, Cap: 20, Decay: lin(60)},
	}
	m.Disqualifiers = append(m.Disqualifiers,
		icp.Disqualifier{ID: "competitor", Field: "email", Op: icp.OpDomainIn, Values: []string{"rivalhr.com", "peoplesoftish.com"}},
		icp.Disqualifier{ID: "unserved_country", Field: "country", Op: icp.OpNotIn, Values: served},
	)
	return m
}

func ptr(x float64) *float64 { return &x }

var benchSchema = icp.Schema{"industry", "employee_count", "annual_revenue", "region", "country", "seniority",
	"buying_role", "lead_source", "technographics", "email", "is_customer", "title"}

var benchAsOf = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)

// benchRecord returns a lead with 12 attributes and 10 events; i varies it.
func benchRecord(i int) icp.Record {
	inds := []string{"Software", "Manufacturing", "Retail", "Education"}
	techs := [][]string{{"Workday", "Slack", "Okta", "Salesforce", "ServiceNow"}, {"BambooHR", "Teams"}, {"Greenhouse", "Salesforce"}}
	types := []string{"web_visit", "web_visit", "content_download", "webinar", "pricing_page", "web_visit", "demo_request", "intent_signal", "email_click", "form_fill"}
	r := icp.Record{
		ID: fmt.Sprintf("L%06d", i),
		Values: []icp.Value{
			icp.Text(inds[i%len(inds)]), icp.Number(float64(50 + i%40*150)), icp.Number(float64(5e6 + float64(i%30)*1e7)),
			icp.Text("NA"), icp.Text("US"), icp.Text([]string{"director", "manager", "vp", "ic"}[i%4]),
			icp.Text("champion"), icp.Text("inbound"), icp.List(techs[i%len(techs)]),
			icp.Text(fmt.Sprintf("jo%d@example.com", i)), icp.Bool(false), icp.Text("Director of People"),
		},
	}
	for e, t := range types {
		r.Events = append(r.Events, icp.Event{Type: t, At: benchAsOf.Add(-time.Duration(1+(i+e*7)%80) * 24 * time.Hour)})
	}
	return r
}

func BenchmarkScore(b *testing.B) {
	s, err := benchModel().Compile(benchSchema)
	if err != nil {
		b.Fatal(err)
	}
	r := benchRecord(0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Score(r, benchAsOf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScoreBatchParallel(b *testing.B) {
	s, err := benchModel().Compile(benchSchema)
	if err != nil {
		b.Fatal(err)
	}
	const n = 1_000_000
	pool := make([]icp.Record, 1000)
	for i := range pool {
		pool[i] = benchRecord(i)
	}
	recs := make([]icp.Record, n)
	for i := range recs {
		recs[i] = pool[i%len(pool)]
	}
	dst := make([]icp.Result, n)
	workers := runtime.GOMAXPROCS(0)
	chunk := (n + workers - 1) / workers
	b.ReportAllocs()
	for b.Loop() {
		var wg sync.WaitGroup
		for lo := 0; lo < n; lo += chunk {
			hi := min(lo+chunk, n)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, errs := s.ScoreBatch(recs[lo:hi], benchAsOf, dst[lo:hi]); len(errs) > 0 {
					b.Error(errs[0])
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/lead")
}

func BenchmarkCalibrate(b *testing.B) {
	s, err := benchModel().Compile(benchSchema)
	if err != nil {
		b.Fatal(err)
	}
	const n = 100_000
	rng := rand.New(rand.NewPCG(1, 1))
	pool := make([]icp.Record, 997)
	for i := range pool {
		pool[i] = benchRecord(i)
	}
	data := make([]icp.Outcome, n)
	for i := range data {
		r := pool[i%len(pool)]
		p := 0.2
		if res, _ := s.Score(r, benchAsOf); res.Fit >= 70 {
			p = 0.7
		}
		d := []string{"Bad fit", "Nurture"}[rng.IntN(2)]
		if rng.Float64() < p {
			d = "Accepted"
		}
		data[i] = icp.Outcome{Record: r, At: benchAsOf, Disposition: d}
	}
	if f := len(s.Model().Firmographic) + len(s.Model().Technographic) + len(s.Model().Behavioural); f != 22 {
		b.Fatalf("%d features, want 22", f)
	}
	cfg := icp.DefaultCalibration()
	b.ReportAllocs()
	for b.Loop() {
		if _, errs, err := s.Calibrate(data, cfg); err != nil || len(errs) > 0 {
			b.Fatal(err, errs)
		}
	}
}
