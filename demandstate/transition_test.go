package demandstate_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	ds "github.com/revalign/revalign/demandstate"
)

// day returns midnight UTC of 2026-03-d (d may run past the month).
func day(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }

func hist(id, owner string, changes ...any) ds.History {
	h := ds.History{ID: id, Owner: owner}
	for i := 0; i < len(changes); i += 2 {
		h.Changes = append(h.Changes, ds.Change{State: changes[i].(ds.State), EnteredAt: changes[i+1].(time.Time)})
	}
	return h
}

func TestCheckHistory(t *testing.T) {
	m := ds.DefaultModel()
	tests := []struct {
		name  string
		h     ds.History
		paths []string
	}{
		{"empty", hist("a", ""), nil},
		{"one", hist("a", "", ds.Unaware, day(1)), nil},
		{"regressions and skips are allowed", hist("a", "", ds.Unaware, day(1), ds.DecisionReady, day(2), ds.ProblemAware, day(3)), nil},
		{"out of order", hist("a", "", ds.Unaware, day(5), ds.ProblemAware, day(3)), []string{"changes[1].entered_at"}},
		{"duplicate timestamp", hist("a", "", ds.Unaware, day(5), ds.ProblemAware, day(5)), []string{"changes[1].entered_at"}},
		{"repeated state", hist("a", "", ds.Unaware, day(1), ds.Unaware, day(2)), []string{"changes[1].state"}},
		{"unknown state", hist("a", "", ds.State("mql"), day(1)), []string{"changes[0].state"}},
		{"zero time", hist("a", "", ds.Unaware, time.Time{}, ds.ProblemAware, day(2)), []string{"changes[0].entered_at"}},
		{"several problems at once", hist("a", "", ds.Unaware, day(5), ds.Unaware, day(4), ds.State("x"), day(6)),
			[]string{"changes[1].entered_at", "changes[1].state", "changes[2].state"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := m.CheckHistory(tt.h)
			if tt.paths == nil {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, tt.paths, fieldPaths(t, err))
		})
	}
}

func TestSteps(t *testing.T) {
	m := ds.DefaultModel()
	h := hist("L-1", "", ds.Unaware, day(1), ds.ProblemAware, day(3), ds.DecisionReady, day(10),
		ds.SolutionAware, day(20), ds.DecisionReady, day(25), ds.PostPurchase, day(30))
	steps, err := m.Steps(h)
	require.NoError(t, err)
	want := []ds.Step{
		{From: ds.Unaware, To: ds.ProblemAware, At: day(3), Move: ds.Advance, Distance: 1},
		{From: ds.ProblemAware, To: ds.DecisionReady, At: day(10), Move: ds.Skip, Distance: 3},
		{From: ds.DecisionReady, To: ds.SolutionAware, At: day(20), Move: ds.Regression, Distance: -2},
		{From: ds.SolutionAware, To: ds.DecisionReady, At: day(25), Move: ds.Skip, Distance: 2},
		{From: ds.DecisionReady, To: ds.PostPurchase, At: day(30), Move: ds.Advance, Distance: 1},
	}
	assert.Equal(t, want, steps)

	none, err := m.Steps(hist("L-2", "", ds.Unaware, day(1)))
	require.NoError(t, err)
	assert.Empty(t, none)
	_, err = m.Steps(hist("L-3", "", ds.Unaware, day(2), ds.ProblemAware, day(1)))
	assert.ErrorIs(t, err, revalign.ErrInvalid)

	assert.Equal(t, "advance", ds.Advance.String())
	assert.Equal(t, "skip", ds.Skip.String())
	assert.Equal(t, "regression", ds.Regression.String())
	assert.Equal(t, "Move(7)", ds.Move(7).String())
}

func TestStaysAndTimeInState(t *testing.T) {
	m := ds.DefaultModel()
	h := hist("L-1", "", ds.SolutionAware, day(1), ds.DecisionReady, day(4), ds.SolutionAware, day(10), ds.DecisionReady, day(40))
	asOfDay := day(20).Add(12 * time.Hour)
	stays, err := m.Stays(h, asOfDay)
	require.NoError(t, err)
	assert.Equal(t, []ds.Stay{
		{State: ds.SolutionAware, From: day(1), To: day(4)},
		{State: ds.DecisionReady, From: day(4), To: day(10)},
		{State: ds.SolutionAware, From: day(10), To: asOfDay, Open: true},
	}, stays)
	assert.Equal(t, 6*24*time.Hour, stays[1].Duration())

	tis, err := m.TimeInState(h, asOfDay)
	require.NoError(t, err)
	// Solution-aware: 3 days, then 10.5 days since the regression.
	assert.Equal(t, map[ds.State]time.Duration{ds.SolutionAware: 13*24*time.Hour + 12*time.Hour, ds.DecisionReady: 6 * 24 * time.Hour}, tis)

	_, err = m.TimeInState(hist("x", "", ds.Unaware, day(2), ds.Unaware, day(3)), asOfDay)
	assert.ErrorIs(t, err, revalign.ErrInvalid)

	assert.Equal(t, ds.State(""), h.At(day(0)))
	assert.Equal(t, ds.SolutionAware, h.At(day(1)))
	assert.Equal(t, ds.DecisionReady, h.At(day(9)))
	assert.Equal(t, ds.DecisionReady, h.At(day(50)))
}

func TestReview(t *testing.T) {
	m := ds.DefaultModel()
	march := revalign.Period{Start: day(1), End: day(32)} // 2026-03-01..2026-04-01
	hs := []ds.History{
		// Ann's lead: problem-aware since February, advances in March then regresses.
		hist("L-1", "ann", ds.ProblemAware, day(-9), ds.SolutionAware, day(5), ds.ProblemAware, day(15)),
		// Ann's lead: skips straight to decision-ready on the first of the month.
		hist("L-2", "ann", ds.Unaware, day(-30), ds.DecisionReady, day(1)),
		// Bob's lead: no change in March; its April move is not yet known.
		hist("L-3", "bob", ds.SolutionAware, day(-20), ds.DecisionReady, day(33)),
		// Left before March: not part of the review.
		hist("L-4", "bob", ds.Unaware, day(-60), ds.ProblemAware, day(-40)),
		// Enters in April: not part of the review.
		hist("L-5", "bob", ds.Unaware, day(40)),
		// Bad history: reported, left out.
		hist("L-6", "bob", ds.Unaware, day(3), ds.ProblemAware, day(2)),
	}
	rv, bad := m.Review(hs, march)
	require.Len(t, bad, 1)
	assert.Equal(t, "L-6", bad[0].ID)

	// L-4 is still problem-aware in March (it never left), so it counts.
	assert.Equal(t, 4, rv.Records)
	assert.Equal(t, 3, rv.Transitions) // L-1 ×2, L-2 ×1
	assert.Equal(t, 1, rv.Advances)
	assert.Equal(t, 1, rv.Skips)
	assert.Equal(t, 1, rv.Regressions)
	assert.InDelta(t, 1.0/3, rv.RegressionRate, 1e-12)

	st := map[ds.State]ds.StateReview{}
	for _, s := range rv.States {
		st[s.State] = s
	}
	// Exposed spells: unaware L-2 (ends at March 1); problem-aware L-1
	// twice, L-4; solution-aware L-1, L-3; decision-ready L-2.
	assert.Equal(t, 1, st[ds.Unaware].Exposed)
	assert.Equal(t, 3, st[ds.ProblemAware].Exposed)
	assert.Equal(t, 2, st[ds.SolutionAware].Exposed)
	assert.Equal(t, 1, st[ds.DecisionReady].Exposed)
	assert.Equal(t, 1, st[ds.SolutionAware].Exits)
	assert.Equal(t, 1, st[ds.SolutionAware].Regressions)
	assert.InDelta(t, 0.5, st[ds.SolutionAware].ExitRate, 1e-12)
	assert.InDelta(t, 10.0, st[ds.SolutionAware].MedianDays, 1e-12) // day 5 → day 15
	assert.InDelta(t, 14.0, st[ds.ProblemAware].MedianDays, 1e-12)  // day −9 → day 5
	assert.InDelta(t, 31.0, st[ds.Unaware].MedianDays, 1e-12)       // day −30 → day 1
	assert.Equal(t, 0.0, st[ds.DecisionReady].MedianDays)
	assert.Equal(t, sales, st[ds.DecisionReady].Owner)
	assert.Equal(t, mkt, st[ds.SolutionAware].Owner)

	assert.Equal(t, []ds.Flow{
		{From: ds.Unaware, To: ds.DecisionReady, Move: ds.Skip, Count: 1, Rate: 1},
		{From: ds.ProblemAware, To: ds.SolutionAware, Move: ds.Advance, Count: 1, Rate: 1.0 / 3},
		{From: ds.SolutionAware, To: ds.ProblemAware, Move: ds.Regression, Count: 1, Rate: 0.5},
	}, rv.Flows)

	require.Len(t, rv.Owners, 2)
	assert.Equal(t, ds.OwnerReview{Owner: "ann", Records: 2, Transitions: 3, Regressions: 1, RegressionRate: 1.0 / 3, MedianDays: 14}, rv.Owners[0])
	assert.Equal(t, ds.OwnerReview{Owner: "bob", Records: 2}, rv.Owners[1])

	// Property: per-state exits add up to the transitions, and each
	// state's flow rates add up to its exit rate.
	exits := 0
	for _, s := range rv.States {
		exits += s.Exits
		sum := 0.0
		for _, f := range rv.Flows {
			if f.From == s.State {
				sum += f.Rate
			}
		}
		assert.InDelta(t, s.ExitRate, sum, 1e-12, s.State)
	}
	assert.Equal(t, rv.Transitions, exits)
}

func TestCompact(t *testing.T) {
	tests := []struct {
		name    string
		in      ds.History
		want    ds.History
		removed int
	}{
		{"clean history unchanged", hist("a", "x", ds.Unaware, day(1), ds.ProblemAware, day(2)),
			hist("a", "x", ds.Unaware, day(1), ds.ProblemAware, day(2)), 0},
		{"same instant keeps the last", hist("a", "", ds.Unaware, day(1), ds.ProblemAware, day(1), ds.SolutionAware, day(3)),
			hist("a", "", ds.ProblemAware, day(1), ds.SolutionAware, day(3)), 1},
		{"out of order is sorted", hist("a", "", ds.SolutionAware, day(3), ds.Unaware, day(1)),
			hist("a", "", ds.Unaware, day(1), ds.SolutionAware, day(3)), 0},
		{"repeat dropped", hist("a", "", ds.Unaware, day(1), ds.Unaware, day(2), ds.ProblemAware, day(3)),
			hist("a", "", ds.Unaware, day(1), ds.ProblemAware, day(3)), 1},
		{"collapse creates a repeat", hist("a", "", ds.Unaware, day(1), ds.ProblemAware, day(2), ds.Unaware, day(2)),
			hist("a", "", ds.Unaware, day(1)), 2},
		{"empty", hist("a", ""), hist("a", ""), 0},
	}
	m := ds.DefaultModel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := slices.Clone(tt.in.Changes)
			got, removed := tt.in.Compact()
			assert.Equal(t, append([]ds.Change{}, tt.want.Changes...), append([]ds.Change{}, got.Changes...))
			assert.Equal(t, tt.removed, removed)
			assert.Equal(t, orig, tt.in.Changes, "input untouched")
			assert.NoError(t, m.CheckHistory(got))
		})
	}
}
