package attribution_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/revalign/revalign/attribution"
)

// AppendPath is PathOf into a reused path: same path, no allocation once
// the array is large enough.
func TestAppendPath(t *testing.T) {
	won := path(1, 2, "paid_social", "email", "webinar")
	won.Amount = usd("1234.56")
	lost := path(0, 0, "events", "direct")
	lost.Outcome = attribution.Lost
	open := path(0, 0, "a")
	open.Outcome = attribution.Open

	var p attribution.Path
	for _, j := range []attribution.Journey{won, lost, open, won} {
		want, wantOK := attribution.PathOf(&j)
		var ok bool
		p, ok = attribution.AppendPath(p, &j)
		assert.Equal(t, wantOK, ok)
		if ok {
			assert.Equal(t, want, p)
		} else {
			assert.Empty(t, p.Channels)
			assert.Zero(t, p.Conversions+p.Nulls+p.Value)
		}
	}
	assert.Equal(t, 1234.56, p.Value)
	allocs := testing.AllocsPerRun(100, func() { p, _ = attribution.AppendPath(p, &won) })
	assert.Zero(t, allocs)
	c, _ := attribution.NewChain(1)
	allocs = testing.AllocsPerRun(100, func() {
		if p, _ = attribution.AppendPath(p, &lost); c.Add(p) != nil {
			t.Fatal("add")
		}
	})
	assert.Zero(t, allocs, "a pipeline adds journeys to a chain without allocating")
}
