package demandstate_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	ds "github.com/revalign/revalign/demandstate"
)

// TestConcurrentUse backs the package's claim that a Classifier and a
// Dispatcher are safe for concurrent use: goroutines sharing one of each
// classify, match, audit and route the same records (each with its own
// dst buffer) and must all get what one goroutine gets alone. Run it with
// -race: a write to shared state fails the test even when the results
// agree.
func TestConcurrentUse(t *testing.T) {
	m := ds.DefaultModel()
	cl, err := ds.NewClassifier(m)
	require.NoError(t, err)
	d, err := ds.NewDispatcher(cl, ds.DefaultRouter())
	require.NoError(t, err)
	const never = -1
	records := []ds.Record{
		lead(t, "u", false, never, never, never, never, never),
		lead(t, "p", false, 10, never, never, never, never),
		lead(t, "s", false, 10, 10, never, never, never),
		lead(t, "pa", false, 10, 10, 10, never, never),
		lead(t, "d", false, 1, 10, 10, 1, never),
		lead(t, "c", true, 1, never, never, never, never),
		{ID: "bad", Values: []ds.Value{ds.Number(1)}}, // does not fit the signals
	}
	want, wantBad := d.RouteBatch(records, asOf, nil)
	wantAudit := cl.Audit(records, asOf)
	policy := ds.Policy{Aggregation: ds.MostAdvanced}
	members := []ds.Member{{ID: "a", State: ds.SolutionAware}, {ID: "b", State: ds.DecisionReady}}
	wantAccount, err := m.AccountState(members, policy)
	require.NoError(t, err)

	const workers, rounds = 8, 50
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst []ds.Decision
			for range rounds {
				var bad []revalign.RecordError
				dst, bad = d.RouteBatch(records, asOf, dst)
				if !assert.ObjectsAreEqual(want, dst) || len(bad) != len(wantBad) {
					errs <- "RouteBatch differs"
					return
				}
				for _, r := range records[:6] {
					if s, err := cl.Classify(r, asOf); err != nil || s == "" {
						errs <- "Classify failed: " + r.ID
						return
					}
				}
				if !assert.ObjectsAreEqual(wantAudit, cl.Audit(records, asOf)) {
					errs <- "Audit differs"
					return
				}
				if a, err := m.AccountState(members, policy); err != nil || !assert.ObjectsAreEqual(wantAccount, a) {
					errs <- "AccountState differs"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
