package sla

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }

func TestQualifies(t *testing.T) {
	asOf := time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)
	c := Criteria{MinFitScore: 70, IntentWithinDays: 30, MinEngagement: 50, Disqualifiers: []string{"competitor", "student"}}
	good := Prospect{ID: "L1", FitScore: 70, Engagement: 50, LastIntentAt: asOf.AddDate(0, 0, -30)}
	for _, tc := range []struct {
		name string
		edit func(*Prospect)
		want []Failure
	}{
		{"on every threshold", func(*Prospect) {}, nil},
		{"fit below", func(p *Prospect) { p.FitScore = 69.5 }, []Failure{{Criterion: CriterionFit, Reason: "ICP fit 69.5 < 70"}}},
		{"fit unknown", func(p *Prospect) { p.FitScore = nan() }, []Failure{{Criterion: CriterionFit, Reason: "ICP fit unknown < 70"}}},
		{"intent a day too old", func(p *Prospect) { p.LastIntentAt = asOf.AddDate(0, 0, -31) },
			[]Failure{{Criterion: CriterionIntent, Reason: "last intent signal 31 days ago > 30"}}},
		{"no intent", func(p *Prospect) { p.LastIntentAt = time.Time{} }, []Failure{{Criterion: CriterionIntent, Reason: "no intent signal"}}},
		{"intent after the test", func(p *Prospect) { p.LastIntentAt = asOf.Add(time.Second) },
			[]Failure{{Criterion: CriterionIntent, Reason: "intent signal is dated after the test"}}},
		{"engagement below", func(p *Prospect) { p.Engagement = 49 }, []Failure{{Criterion: CriterionEngagement, Reason: "engagement 49 < 50"}}},
		{"disqualified", func(p *Prospect) { p.Factors = []string{"Student"} },
			[]Failure{{Criterion: CriterionDisqualifier, Factor: "student", Reason: "disqualified: student"}}},
		{"a factor the pact does not list", func(p *Prospect) { p.Factors = []string{"partner"} }, nil},
		{"every failure at once", func(p *Prospect) {
			p.FitScore, p.Engagement, p.LastIntentAt, p.Factors = 10, 10, time.Time{}, []string{"competitor", "student"}
		}, []Failure{
			{Criterion: CriterionFit, Reason: "ICP fit 10 < 70"},
			{Criterion: CriterionIntent, Reason: "no intent signal"},
			{Criterion: CriterionEngagement, Reason: "engagement 10 < 50"},
			{Criterion: CriterionDisqualifier, Factor: "competitor", Reason: "disqualified: competitor"},
			{Criterion: CriterionDisqualifier, Factor: "student", Reason: "disqualified: student"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := good
			tc.edit(&p)
			v := c.Qualifies(p, asOf)
			assert.Equal(t, tc.want == nil, v.Qualified)
			assert.Equal(t, tc.want, v.Failed)
		})
	}
	t.Run("the pact delegates to its criteria", func(t *testing.T) {
		p := DefaultPact()
		assert.Equal(t, p.MQL.Qualifies(good, asOf), p.Qualifies(good, asOf))
	})
	t.Run("intent window in calendar days across a clock change", func(t *testing.T) {
		ny := zone(t, "America/New_York")
		at := time.Date(2026, 11, 2, 9, 0, 0, 0, ny) // after the fall-back
		p := good
		p.LastIntentAt = time.Date(2026, 10, 3, 9, 0, 0, 0, ny) // 30 calendar days, 721 hours
		assert.True(t, c.Qualifies(p, at).Qualified)
	})
	t.Run("a qualifying verdict allocates nothing", func(t *testing.T) {
		n := testing.AllocsPerRun(100, func() { _ = c.Qualifies(good, asOf) })
		assert.Zero(t, n)
	})
}
