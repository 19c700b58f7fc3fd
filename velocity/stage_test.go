package velocity

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

func at(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }

func TestConversions(t *testing.T) {
	asOf := at(9, 1)
	journeys := []Journey{
		// Through every stage and won: Discovery 10 days, Evaluation 20,
		// Proposal 5, Negotiation until the close.
		{ID: "A", Status: Won, Closed: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Entries: []Entry{
			{"Negotiation", at(2, 4)}, {"Discovery", at(1, 1)}, {"Evaluation", at(1, 11)}, {"Proposal", at(1, 31)}, {"Closed Won", at(3, 1)},
		}},
		// Skips Evaluation, lost at Proposal.
		{ID: "B", Status: Lost, Closed: at(3, 10), Entries: []Entry{{"Discovery", at(1, 1)}, {"Proposal", at(2, 1)}}},
		// Starts at Evaluation (never reached Discovery), still open there.
		{ID: "C", Status: Open, Entries: []Entry{{"Evaluation", at(8, 1)}}},
		// Lost at Discovery.
		{ID: "D", Status: Lost, Closed: at(2, 1), Entries: []Entry{{"Discovery", at(1, 21)}}},
		// Won without entering Negotiation: skipped it.
		{ID: "E", Status: Won, Closed: at(4, 1), Entries: []Entry{{"Discovery", at(3, 1)}, {"Evaluation", at(3, 2)}, {"Proposal", at(3, 3)}}},
		// Regresses from Proposal to Evaluation, open.
		{ID: "F", Status: Open, Entries: []Entry{{"Discovery", at(5, 1)}, {"Proposal", at(5, 2)}, {"Evaluation", at(5, 3)}}},
		// Won after asOf: open as things stood; the later entry is unseen.
		{ID: "G", Status: Won, Closed: at(10, 1), Entries: []Entry{{"Discovery", at(8, 1)}, {"Proposal", at(9, 15)}}},
		// No open stage entered: not counted.
		{ID: "H", Status: Lost, Closed: at(1, 2), Entries: []Entry{{"Closed Lost", at(1, 2)}}},
	}
	r, rejects, err := Conversions(journeys, DefaultStages(), asOf, 1)
	require.NoError(t, err)
	require.Empty(t, rejects)
	assert.Equal(t, 7, r.Deals)
	assert.Equal(t, 1, r.Regressions)

	// By hand, per stage: reached / skipped / advanced / lost / censored.
	want := []struct{ reached, skipped, advanced, lost, censored int }{
		{6, 0, 4, 1, 1}, // Discovery: A B D E F G; D lost; G open there
		{5, 1, 4, 0, 1}, // Evaluation: A B(skip) C E F; C open there
		{4, 0, 2, 1, 1}, // Proposal: A B E F; B lost; F moved back to Evaluation, unresolved
		{2, 1, 2, 0, 0}, // Negotiation: A, E(skip, won)
	}
	for i, w := range want {
		s := r.Stages[i]
		assert.Equal(t, w.reached, s.Reached, "%s reached", s.Stage)
		assert.Equal(t, w.skipped, s.Skipped, "%s skipped", s.Stage)
		assert.Equal(t, w.advanced, s.Advanced, "%s advanced", s.Stage)
		assert.Equal(t, w.lost, s.Lost, "%s lost", s.Stage)
		assert.Equal(t, w.censored, s.Censored, "%s censored", s.Stage)
	}
	assert.InDelta(t, 0.8, r.Stages[0].Conversion, 1e-12)
	assert.InDelta(t, 1, r.Stages[1].Conversion, 1e-12)
	assert.InDelta(t, 2.0/3, r.Stages[2].Conversion, 1e-12)
	assert.InDelta(t, 1, r.Stages[3].Conversion, 1e-12)
	assert.InDelta(t, 0.8*2/3, r.Stages[0].WinRate, 1e-12)
	assert.InDelta(t, 2.0/3, r.Stages[2].WinRate, 1e-12)

	// Time in Discovery: A 10, B 31, D 11 (to its close), E 1, F 1 days;
	// G is still there.
	d := r.Stages[0].Days
	assert.Equal(t, 5, d.N)
	assert.InDelta(t, 54.0/5, d.Mean, 1e-9)
	assert.Equal(t, 1, r.Stages[0].OpenStays)
	assert.Equal(t, 2, r.Stages[1].OpenStays, "C and F sit in Evaluation")

	rates := r.Rates()
	assert.InDelta(t, 0.8*2/3, rates["Discovery"], 1e-12)
	assert.Len(t, rates, 4)
}

func TestConversionsWithheld(t *testing.T) {
	journeys := []Journey{
		{ID: "A", Status: Won, Closed: at(3, 1), Entries: []Entry{{"Discovery", at(1, 1)}}},
		{ID: "B", Status: Lost, Closed: at(3, 1), Entries: []Entry{{"Discovery", at(1, 1)}}},
	}
	r, _, err := Conversions(journeys, DefaultStages(), at(9, 1), 5)
	require.NoError(t, err)
	for _, s := range r.Stages {
		assert.True(t, s.Withheld, s.Stage)
	}
	assert.Empty(t, r.Rates())
}

func TestConversionsRejects(t *testing.T) {
	journeys := []Journey{
		{ID: "unknown", Status: Open, Entries: []Entry{{"Demo", at(1, 1)}}},
		{ID: "after", Status: Lost, Closed: at(2, 1), Entries: []Entry{{"Discovery", at(1, 1)}, {"Proposal", at(2, 5)}}},
		{ID: "status", Entries: []Entry{{"Discovery", at(1, 1)}}},
		{ID: "noclose", Status: Won, Entries: []Entry{{"Discovery", at(1, 1)}}},
		{ID: "ok", Status: Open, Entries: []Entry{{"discovery", at(1, 1)}}},
	}
	r, rejects, err := Conversions(journeys, DefaultStages(), at(9, 1), 1)
	require.NoError(t, err)
	require.Len(t, rejects, 4)
	for i, id := range []string{"unknown", "after", "status", "noclose"} {
		assert.Equal(t, id, rejects[i].ID)
		assert.ErrorIs(t, rejects[i], revalign.ErrInvalid)
	}
	assert.Equal(t, 1, r.Deals)

	_, _, err = Conversions(nil, Stages{Open: []string{"A", "a"}, Won: "W", Lost: ""}, at(1, 1), 1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "open[1]: repeats a stage")
	assert.Contains(t, err.Error(), "lost: must not be blank")
}

func TestStagesConfig(t *testing.T) {
	var s Stages
	require.NoError(t, config.Unmarshal([]byte("open: [Qualify, Demo, Quote]\nwon: Won\nlost: Lost\n"), &s))
	assert.Equal(t, 2, s.index("quote"))
	assert.Equal(t, 3, s.index("Won"))
	assert.Equal(t, -1, s.index("Lost"))
	assert.Equal(t, -2, s.index("Negotiation"))
	assert.Error(t, config.Unmarshal([]byte("open: []\nwon: Won\nlost: Lost\n"), &s))
}

func TestStageAt(t *testing.T) {
	j := Journey{Entries: []Entry{{"Proposal", at(3, 1)}, {"Discovery", at(1, 1)}, {"Evaluation", at(2, 1)}, {"Evaluation", at(3, 1)}}}
	assert.Equal(t, "", j.StageAt(at(12, 31).AddDate(-1, 0, 0)))
	assert.Equal(t, "Discovery", j.StageAt(at(1, 1)))
	assert.Equal(t, "Evaluation", j.StageAt(at(2, 15)))
	assert.Equal(t, "Evaluation", j.StageAt(at(3, 2)), "the later entry of two at the same instant")
}

// A young pipeline: an old cohort has fully resolved (5 advanced after 30
// days in Discovery, 5 lost after 10), a recent one is half lost after 10
// days and half still open after 15. Leaving the open deals out counts the
// recent cohort's quick losses but none of its wins yet: 5 ÷ (5 + 10) =
// 33%. The Aalen–Johansen estimate keeps the open deals at risk for their
// 15 days and recovers the 50% both cohorts convert at (by hand: day 10,
// 10 of 20 lost, survival ½; day 15, 5 leave; day 30, 5 of 5 advance:
// CIF_adv = ½, CIF_lost = ½).
func TestConversionsCensoringAware(t *testing.T) {
	stages := Stages{Open: []string{"Discovery", "Evaluation"}, Won: "Closed Won", Lost: "Closed Lost"}
	old, recent := at(1, 1), at(6, 1)
	asOf := recent.AddDate(0, 0, 15)
	var js []Journey
	for k := range 5 {
		id := func(s string) string { return fmt.Sprintf("%s%d", s, k) }
		js = append(js,
			Journey{ID: id("won"), Status: Won, Closed: old.AddDate(0, 0, 40), Entries: []Entry{{"Discovery", old}, {"Evaluation", old.AddDate(0, 0, 30)}}},
			Journey{ID: id("lostOld"), Status: Lost, Closed: old.AddDate(0, 0, 10), Entries: []Entry{{"Discovery", old}}},
			Journey{ID: id("lostNew"), Status: Lost, Closed: recent.AddDate(0, 0, 10), Entries: []Entry{{"Discovery", recent}}},
			Journey{ID: id("open"), Status: Open, Entries: []Entry{{"Discovery", recent}}},
		)
	}
	r, rejects, err := Conversions(js, stages, asOf, 1)
	require.NoError(t, err)
	require.Empty(t, rejects)
	d := r.Stages[0]
	assert.Equal(t, 5, d.Censored)
	assert.InDelta(t, 1.0/3, d.Conversion, 1e-12)
	assert.InDelta(t, 0.5, d.AJConversion, 1e-12)
	assert.InDelta(t, 0.5, d.AJWinRate, 1e-12)
	assert.InDelta(t, 1.0/3, d.WinRate, 1e-12)
	assert.InDelta(t, 0.5, r.AJRates()["Discovery"], 1e-12)
	assert.InDelta(t, 1, r.AJRates()["Evaluation"], 1e-12)

	// With every deal resolved the two estimates agree (TestConversions'
	// deals as of a date after every close, open ones dropped).
	var closed []Journey
	for _, j := range js {
		if j.Status != Open {
			closed = append(closed, j)
		}
	}
	r, _, err = Conversions(closed, stages, asOf, 1)
	require.NoError(t, err)
	for _, s := range r.Stages {
		assert.InDelta(t, s.Conversion, s.AJConversion, 1e-12, s.Stage)
		assert.InDelta(t, s.WinRate, s.AJWinRate, 1e-12, s.Stage)
	}
}

// Skipped stages are passed at once, a regression counts as passed, and a
// deal won without a closing entry stays until the close.
func TestAalenJohansenTiming(t *testing.T) {
	assert.Zero(t, aalenJohansen(nil))
	assert.Zero(t, aalenJohansen([]stageEvent{{days: 3, kind: censored}}))
	// Ties: events of a day come before the censorings of that day; a
	// later loss then counts against the one deal left.
	got := aalenJohansen([]stageEvent{{days: 5, kind: censored}, {days: 5, kind: advanced}, {days: 9, kind: lost}})
	// day 5: 1 of 3 advances (CIF_adv ⅓, survival ⅔), 1 leaves; day 9: the
	// last one is lost (CIF_lost ⅔).
	assert.InDelta(t, 1.0/3, got, 1e-12)

	stages := DefaultStages()
	buf := []Entry{{"Discovery", at(1, 1)}, {"Proposal", at(1, 5)}, {"Evaluation", at(1, 6)}}
	assert.InDelta(t, 4, advanceDays(buf, 0, 0, stages, Open, time.Time{}), 1e-12)
	assert.Zero(t, advanceDays(buf, 2, 1, stages, Open, time.Time{}), "regressed into Evaluation after Proposal")
	assert.InDelta(t, 10, advanceDays(buf, 2, 1, stages, Won, at(1, 16)), 1e-12, "won from Evaluation")
}
