package demandstate_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/demandstate"
)

var benchAsOf = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)

// benchModel is the benchmark model: six states with three criteria
// each — a number band, a recency window and a text membership — over
// pre-parsed records.
func benchModel() demandstate.Model {
	sales := revalign.Owner{Name: "VP Sales", Team: revalign.Sales}
	m := demandstate.Model{Signals: []demandstate.Signal{
		{Name: "score", Type: demandstate.TypeNumber},
		{Name: "seen_at", Type: demandstate.TypeTime},
		{Name: "region", Type: demandstate.TypeText},
	}}
	third := []demandstate.Criterion{
		{Signal: "seen_at", Op: demandstate.WithinDays, Days: 365},
		{Signal: "region", Op: demandstate.In, Values: []string{"NA", "EMEA", "APAC"}},
	}
	for i := range 6 {
		m.States = append(m.States, demandstate.StateDef{
			Name: demandstate.State(fmt.Sprintf("s%d", i)),
			Entry: []demandstate.Criterion{
				{Signal: "score", Op: demandstate.Gte, Value: demandstate.Number(float64(i * 10))},
				{Signal: "score", Op: demandstate.Lt, Value: demandstate.Number(float64(i*10 + 10))},
				third[i%2], // alternate, so a recency window and a membership test both run
			},
			Owners: []demandstate.StateOwner{{Owner: sales}},
		})
	}
	return m
}

func benchRecords(n int) []demandstate.Record {
	rng := rand.New(rand.NewPCG(1, 2))
	regions := []string{"NA", "EMEA", "APAC"}
	out := make([]demandstate.Record, n)
	for i := range out {
		out[i] = demandstate.Record{ID: fmt.Sprintf("L-%d", i), Values: []demandstate.Value{
			demandstate.Number(float64(rng.IntN(60))),
			demandstate.Time(benchAsOf.Add(-time.Duration(rng.IntN(300*24)) * time.Hour)),
			demandstate.Text(regions[rng.IntN(3)]),
		}}
	}
	return out
}

func BenchmarkClassify(b *testing.B) {
	cl, err := demandstate.NewClassifier(benchModel())
	if err != nil {
		b.Fatal(err)
	}
	recs := benchRecords(1024)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := cl.Classify(recs[i&1023], benchAsOf); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// defaultRecords builds n records over the default model's signals with a
// spread of recencies, so every default state and the review queue occur.
func defaultRecords(n int) []demandstate.Record {
	rng := rand.New(rand.NewPCG(3, 4))
	ago := func(maxDays int) demandstate.Value {
		if rng.IntN(3) == 0 {
			return demandstate.Value{}
		}
		return demandstate.Time(benchAsOf.Add(-time.Duration(rng.IntN(maxDays*24)) * time.Hour))
	}
	out := make([]demandstate.Record, n)
	for i := range out {
		v := []demandstate.Value{
			demandstate.Bool(rng.IntN(10) == 0), ago(200), ago(200), ago(300), ago(120), ago(120),
		}
		if rng.IntN(50) == 0 {
			v[0] = demandstate.Value{} // no customer flag: unclassified
		}
		out[i] = demandstate.Record{ID: fmt.Sprintf("L-%d", i), Values: v}
	}
	return out
}

func BenchmarkRouteBatch(b *testing.B) {
	cl, err := demandstate.NewClassifier(demandstate.DefaultModel())
	if err != nil {
		b.Fatal(err)
	}
	d, err := demandstate.NewDispatcher(cl, demandstate.DefaultRouter())
	if err != nil {
		b.Fatal(err)
	}
	recs := defaultRecords(100_000)
	dst := make([]demandstate.Decision, 0, len(recs))
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = d.RouteBatch(recs, benchAsOf, dst)
	}
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
