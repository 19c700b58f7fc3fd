package attribution_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/revalign/revalign/attribution"
)

func eightTouches() attribution.Journey {
	j := path(2, 5, "paid_social", "email", "webinar", "paid_social", "content_syndication", "sdr_outbound", "email", "events")
	j.Amount = usd("48250.75")
	return j
}

func benchAllocate(b *testing.B, m attribution.Model) {
	j := eightTouches()
	var a attribution.Allocation
	if err := attribution.Allocate(&a, m, &j); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := attribution.Allocate(&a, m, &j); err != nil {
			b.Fatal(err)
		}
	}
}

// One 8-touch journey, exact minor-unit allocation into a caller buffer.
func BenchmarkLinear(b *testing.B)  { benchAllocate(b, attribution.Linear{}) }
func BenchmarkWShaped(b *testing.B) { benchAllocate(b, attribution.WShaped()) }

// synthetic generates n paths over the given number of channels, 1–12
// touches each, with channel-dependent conversion odds, deterministically.
func synthetic(n, channels int, seed uint64) []attribution.Path {
	r := rand.New(rand.NewPCG(seed, 42))
	names := make([]string, channels)
	lift := make([]float64, channels)
	for i := range names {
		names[i] = fmt.Sprintf("channel_%02d", i)
		lift[i] = 0.02 + 0.1*float64(i%7)/6
	}
	out := make([]attribution.Path, n)
	for i := range out {
		k := 1 + r.IntN(12)
		p := attribution.Path{Channels: make([]string, k)}
		odds := 0.0
		for t := range p.Channels {
			c := r.IntN(channels)
			p.Channels[t] = names[c]
			odds += lift[c]
		}
		if r.Float64() < min(odds/float64(k)*2, 0.9) {
			p.Conversions, p.Value = 1, float64(1000+r.IntN(90000))/10
		} else {
			p.Nulls = 1
		}
		out[i] = p
	}
	return out
}

var (
	millionOnce  sync.Once
	millionPaths []attribution.Path
)

func million20() []attribution.Path {
	millionOnce.Do(func() { millionPaths = synthetic(1_000_000, 20, 1) })
	return millionPaths
}

// Fit and exact removal effects over 1,000,000 paths and 20 channels.
func BenchmarkMarkov(b *testing.B) {
	paths := million20()
	for _, order := range []int{1, 2} {
		b.Run("order="+strconv.Itoa(order), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, err := attribution.NewChain(order)
				if err != nil {
					b.Fatal(err)
				}
				for _, p := range paths {
					if err := c.Add(p); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := c.Fit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// End to end: parse 1,000,000 interchange lines from memory, fit order 1,
// removal effects and credits.
func BenchmarkMarkovFromPaths(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("path;total_conversions;total_conversion_value;total_null\n")
	for _, p := range million20() {
		buf.WriteString(p.String())
		buf.WriteByte('\n')
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		c, _ := attribution.NewChain(1)
		bad, err := c.ReadPaths(bytes.NewReader(data))
		if err != nil || len(bad) > 0 {
			b.Fatal(err, bad)
		}
		if _, err := c.Fit(); err != nil {
			b.Fatal(err)
		}
	}
}

// 1,000,000 journeys over 15 channels: coalitions, the exact
// value-weighted Shapley values and the simplified ones.
func BenchmarkShapley(b *testing.B) {
	paths := synthetic(1_000_000, 15, 2)
	b.ReportAllocs()
	for b.Loop() {
		var c attribution.Coalitions
		for _, p := range paths {
			if err := c.Add(p); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := c.Exact(attribution.ConversionValue); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Simplified(attribution.ConversionValue); err != nil {
			b.Fatal(err)
		}
	}
}

// 100,000 journeys × every rule-based model.
func BenchmarkReconcile(b *testing.B) {
	js := randomJourneys(rand.New(rand.NewPCG(3, 3)), 100_000)
	opts := sampleOptions()
	models := attribution.RuleBased()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := attribution.Reconcile(js, opts, models...); err != nil {
			b.Fatal(err)
		}
	}
}
