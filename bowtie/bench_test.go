package bowtie_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
)

// benchEvents returns n stage-entry events over entities: each entity
// enters the bowtie at a random day of two years and moves on stage by
// stage with a random delay until its events run out, now and then skipping
// a stage or being lost.
func benchEvents(n, entities int, seed uint64) []bowtie.Event {
	r := rand.New(rand.NewPCG(seed, 1))
	stages := bowtie.DefaultModel().Stages
	names := make([]string, entities)
	for i := range names {
		names[i] = fmt.Sprintf("acct-%07d", i)
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]bowtie.Event, 0, n)
	per := n / entities
	for e := 0; len(out) < n; e = (e + 1) % entities {
		t := base.Add(time.Duration(r.IntN(730*24)) * time.Hour)
		s := 0
		for k := 0; k < per && len(out) < n && s < len(stages); k++ {
			ev := bowtie.Event{Entity: names[e], Stage: stages[s].Name, At: t}
			out = append(out, ev)
			if r.IntN(20) == 0 && len(out) < n {
				ev.Lost, ev.At = true, t.Add(time.Duration(1+r.IntN(30*24))*time.Hour)
				out = append(out, ev)
				break
			}
			t = t.Add(time.Duration(1+r.IntN(60*24)) * time.Hour)
			s += 1 + r.IntN(10)/9 // skip a stage one time in ten
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func BenchmarkMeasure(b *testing.B) {
	events := benchEvents(1_000_000, 200_000, 7)
	m := bowtie.DefaultModel()
	window := revalign.Period{Start: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	opts := bowtie.Options{Cohort: revalign.Quarter, MinSample: 30}
	b.ReportAllocs()
	for b.Loop() {
		rep, errs, err := m.Measure(events, window, opts)
		if err != nil || len(errs) != 0 || rep.Entities != 200_000 {
			b.Fatal(err, len(errs), rep.Entities)
		}
	}
}

// benchMovements returns five years of monthly movements for customers:
// every customer starts in the first year and moves every month.
func benchMovements(customers int, seed uint64) []bowtie.Movement {
	r := rand.New(rand.NewPCG(seed, 2))
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]bowtie.Movement, 0, customers*60)
	for c := range customers {
		id := fmt.Sprintf("cust-%06d", c)
		arr := int64(0)
		for m := range 60 {
			var k bowtie.MovementKind
			var d int64
			switch {
			case arr == 0 && m == 0:
				k, d = bowtie.NewLogo, int64(1000+r.IntN(100_000))*100
			case arr == 0:
				k, d = bowtie.Reactivation, int64(1000+r.IntN(50_000))*100
			case r.IntN(100) < 2:
				k, d = bowtie.Churn, -arr
			case r.IntN(2) == 0 || arr < 100:
				k, d = bowtie.Expansion, int64(1+r.IntN(5000))*100+int64(r.IntN(100))
			default:
				k, d = bowtie.Contraction, -min(arr/2, int64(1+r.IntN(3000))*100)
			}
			arr += d
			out = append(out, bowtie.Movement{Account: id, Month: base.AddDate(0, m, 0), Kind: k,
				Change: decimal.New(d, -2), ARRAfter: decimal.New(arr, -2), Currency: "USD"})
		}
	}
	return out
}

func BenchmarkRetention(b *testing.B) {
	movements := benchMovements(50_000, 11)
	cal := revalign.FiscalCalendar{StartMonth: time.February}
	periods := cal.Periods(revalign.Quarter, time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	opts := bowtie.RetentionOptions{Rates: revalign.Rates{Base: "USD"}}
	b.ReportAllocs()
	for b.Loop() {
		out, errs, err := bowtie.Retention(movements, periods, opts)
		if err != nil || len(errs) != 0 || len(out) != len(periods) {
			b.Fatal(err, errs[:min(3, len(errs))])
		}
	}
}
