package cadence

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func modeKeys(fms []FailureMode) []string {
	var out []string
	for _, f := range fms {
		out = append(out, f.Key)
	}
	return out
}

// TestOneTieBreaker checks the seed's "named tie-breaker from Step 1":
// every dispute of the default cadence goes to one role, the VP Marketing
// (demandstate.DefaultModel's tie-breaker of both handoff states), and then
// to the CRO.
func TestOneTieBreaker(t *testing.T) {
	want := revalign.Owner{Name: "VP Marketing", Team: revalign.Marketing}
	g := DefaultGovernance()
	assert.Equal(t, []revalign.Owner{want, cro}, g.DisputeEscalation)
	c := DefaultCadence()
	review, ok := c.Ritual(DemandStateReview)
	require.True(t, ok)
	assert.Equal(t, want, review.Decisions[0].Owner, review.Decisions[0].Decision)
	var disputes []revalign.Owner
	for _, r := range c.Rituals {
		for _, e := range r.Escalations {
			switch {
			case strings.Contains(e.Trigger, "tie-breaker cannot"):
				assert.Equal(t, cro, e.Owner, "then the CRO")
			case strings.Contains(e.Trigger, "disagree"), strings.Contains(e.Trigger, "dispute"):
				disputes = append(disputes, e.Owner)
			}
		}
	}
	assert.Equal(t, []revalign.Owner{want, want}, disputes)
}

func TestFailureModes(t *testing.T) {
	require.NoError(t, DefaultGovernance().Validate())
	assert.Empty(t, DefaultGovernance().FailureModes(DefaultCadence()), "the seed's governance has none")

	ops := revalign.Owner{Name: "Ops", Team: revalign.RevOps}
	tests := []struct {
		name string
		edit func(g *Governance, c *Cadence)
		want []string
	}{
		{"RevOps owns the SLA", func(g *Governance, c *Cadence) { g.SLAOwner = ops }, []string{"revops_owns_everything"}},
		{"RevOps holds most decisions", func(g *Governance, c *Cadence) {
			for i := range c.Rituals {
				c.Rituals[i].Artifact.Owner = ops
				for j := range c.Rituals[i].Decisions {
					c.Rituals[i].Decisions[j].Owner = ops
				}
			}
		}, []string{"revops_owns_everything"}},
		{"two dashboard owners", func(g *Governance, c *Cadence) {
			g.DashboardOwners = []revalign.Owner{mopsLead, sopsLead}
		}, []string{"two_sources_of_truth"}},
		{"SLA not in comp", func(g *Governance, c *Cadence) { g.SLAComplianceInComp = false }, []string{"sla_not_in_comp"}},
		{"review grades reps", func(g *Governance, c *Cadence) { g.ReviewGradesReps = true }, []string{"review_is_deal_inspection"}},
		{"no time for patterns", func(g *Governance, c *Cadence) {
			c.Rituals[0].Agenda = c.Rituals[0].Agenda[:3]
		}, []string{"review_is_deal_inspection"}},
		{"sales leader facilitates the loss review", func(g *Governance, c *Cadence) {
			c.Rituals[5].Facilitator = vpSales
		}, []string{"loss_review_not_neutral"}},
		{"no facilitator", func(g *Governance, c *Cadence) { c.Rituals[5].Facilitator = revalign.Owner{} }, []string{"loss_review_not_neutral"}},
		{"no loss review", func(g *Governance, c *Cadence) { c.Rituals = c.Rituals[:5] }, []string{"loss_review_not_neutral"}},
		{"all at once", func(g *Governance, c *Cadence) {
			g.SLAOwner, g.SLAComplianceInComp, g.ReviewGradesReps = ops, false, true
			g.DashboardOwners = append(g.DashboardOwners, mopsLead)
			c.Rituals[5].Facilitator = vpMarketing
		}, []string{"revops_owns_everything", "two_sources_of_truth", "sla_not_in_comp", "review_is_deal_inspection", "loss_review_not_neutral"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, c := DefaultGovernance(), DefaultCadence()
			tc.edit(&g, &c)
			fms := g.FailureModes(c)
			assert.Equal(t, tc.want, modeKeys(fms))
			for _, f := range fms {
				assert.NotEmpty(t, f.Name)
				assert.NotEmpty(t, f.Evidence)
				assert.NotEmpty(t, f.Fix)
			}
		})
	}
	g := DefaultGovernance()
	g.DashboardOwners = []revalign.Owner{mopsLead, sopsLead}
	assert.Equal(t, "2 dashboard owners: Marketing operations lead (marketing), Sales operations lead (sales)", g.FailureModes(DefaultCadence())[0].Evidence)
}

func TestGovernanceValidate(t *testing.T) {
	g := DefaultGovernance()
	g.SLACountersign = g.SLAOwner
	g.DashboardOwners = nil
	g.DisputeEscalation = []revalign.Owner{{Name: "CRO"}}
	g.RecalibrationReview, g.RecalibrationRewrite = revalign.Quarter, revalign.Month
	g.NeutralTeams = []revalign.Team{" "}
	assert.Equal(t, []string{"sla_countersign", "dashboard_owners", "dispute_escalation[0].team", "recalibration_review", "neutral_teams[0]"},
		fieldPaths(t, g.Validate()))
	g = Governance{RecalibrationReview: 9}
	assert.Equal(t, []string{"sla_owner", "sla_countersign", "dashboard_owners", "dispute_escalation", "recalibration_review", "recalibration_rewrite"},
		fieldPaths(t, g.Validate()))
}

func TestDecisions(t *testing.T) {
	c := DefaultCadence()
	c.Calendar = revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: newYork}
	asOf := time.Date(2026, 9, 28, 12, 0, 0, 0, newYork)
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 11, 0, 0, 0, newYork) }
	log := []Decision{
		// Done within the window, with what changed.
		{ID: "d1", Ritual: PipelineReview, MadeAt: at(9, 14), What: "Route security questionnaires to the loss review", Owner: revopsLead,
			Due: at(9, 18), DoneAt: at(9, 17), Change: "Security questionnaire pack added to the content map"},
		// Open, due in the next 30 days.
		{ID: "d2", Ritual: PipelineReview, MadeAt: at(9, 21), What: "Assign owners to unowned deals", Owner: vpSales, Due: at(10, 2)},
		// Open and overdue.
		{ID: "d3", Ritual: SLAReview, MadeAt: at(9, 8), What: "Add 'no budget' to the disqualifiers", Owner: mopsLead, Due: at(9, 22)},
		// Due more than 30 days after it was made: slow, and not due in the next 30 days.
		{ID: "d4", Ritual: DemandStateReview, MadeAt: at(9, 2), What: "Rewrite the solution-aware exit criteria", Owner: tieBreaker, Due: at(11, 30)},
		// Done before the window: neither changed nor open.
		{ID: "d5", Ritual: PipelineReview, MadeAt: at(7, 6), What: "Old", Owner: vpSales, Due: at(7, 10), DoneAt: at(7, 9)},
		// Bad records.
		{ID: "d1", Ritual: PipelineReview, MadeAt: at(9, 1), What: "dup", Owner: vpSales, Due: at(9, 2)},
		{ID: "d6", Ritual: "standup", MadeAt: at(9, 1), What: "x", Owner: vpSales, Due: at(9, 2)},
		{ID: "d7", Ritual: SLAReview, MadeAt: at(9, 10), What: "x", Owner: vpSales, Due: at(9, 9)},
		{ID: "", Ritual: SLAReview, What: "", Owner: revalign.Owner{}},
		{ID: "d8", Ritual: SLAReview, MadeAt: at(9, 10), What: "x", Owner: vpSales, Due: at(9, 12), DoneAt: at(9, 9)},
	}
	rep, err := c.Decisions(log, asOf)
	require.NoError(t, err)
	did := func(ds []Decision) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	assert.Equal(t, []string{"d1"}, did(rep.Changed))
	assert.Equal(t, []string{"d2"}, did(rep.Upcoming))
	assert.Equal(t, []string{"d3"}, did(rep.Overdue))
	assert.Equal(t, []string{"d4"}, did(rep.Slow))
	var bad []string
	for _, e := range rep.Errors {
		bad = append(bad, e.ID)
		assert.ErrorIs(t, e, revalign.ErrInvalid)
	}
	assert.Equal(t, []string{"d1", "d6", "d7", "log[8]", "d8"}, bad)

	// Meetings from 29 August to 28 September 12:00: pipeline reviews on
	// 31 Aug, 14, 21, 28 Sep (7 Sep is not a holiday here) = 5 with 7 Sep;
	// demand-state review 2 Sep; SLA review 8 Sep. The ICP review, the
	// recalibration and the loss review (first weeks of August) did not
	// meet.
	want := []RitualDecisions{
		{Ritual: PipelineReview, Made: 2, Changed: 1, Upcoming: 1, Met: 5},
		{Ritual: DemandStateReview, Made: 1, Met: 1},
		{Ritual: SLAReview, Made: 1, Overdue: 1, Met: 1},
		{Ritual: ICPReview}, {Ritual: SLARecalibration}, {Ritual: LossPostMortem},
	}
	assert.Equal(t, want, rep.Rituals)
	assert.Empty(t, rep.Silent)

	rep, err = c.Decisions(nil, asOf)
	require.NoError(t, err)
	assert.Equal(t, []string{PipelineReview, DemandStateReview, SLAReview}, rep.Silent, "met and decided nothing")

	_, err = c.Decisions(nil, time.Time{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	c.DecisionWindowDays = 0
	_, err = c.Decisions(nil, asOf)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

// TestDecisionsInCadenceZone: meetings are counted in the cadence's time
// zone whatever the zone of asOf. At 16:00 UTC on Wednesday 7 October it
// is 12:00 in New York: the monthly demand-state review (first Wednesday,
// 14:00 New York) has not met yet, and September's (2 September) is
// before the 30-day window. Read in UTC, the review would have met at
// 14:00 UTC and be reported silent.
func TestDecisionsInCadenceZone(t *testing.T) {
	c := DefaultCadence()
	c.Calendar = revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: newYork}
	asOf := time.Date(2026, 10, 7, 16, 0, 0, 0, time.UTC)
	utc, err := c.Decisions(nil, asOf)
	require.NoError(t, err)
	ny, err := c.Decisions(nil, asOf.In(newYork))
	require.NoError(t, err)
	met := map[string]int{}
	for _, r := range utc.Rituals {
		met[r.Ritual] = r.Met
	}
	assert.Zero(t, met[DemandStateReview], "not met yet at 12:00 in New York")
	assert.NotContains(t, utc.Silent, DemandStateReview)
	assert.Equal(t, ny.Rituals, utc.Rituals, "the zone of asOf changes nothing")
	assert.Equal(t, ny.Silent, utc.Silent)

	// A calendar without a zone is UTC: asOf given in New York is read
	// there, and the demand-state review met at 14:00 UTC.
	c.Calendar.Location = nil
	rep, err := c.Decisions(nil, asOf.In(newYork))
	require.NoError(t, err)
	assert.Equal(t, time.UTC, rep.AsOf.Location())
	assert.Equal(t, 1, rep.Rituals[1].Met, rep.Rituals[1].Ritual)
}

func TestTextTypes(t *testing.T) {
	for _, tc := range []struct {
		v    interface{ MarshalText() ([]byte, error) }
		text string
	}{
		{Tuesday, "tuesday"}, {At(9, 5), "09:05"}, {NextBusinessDay, "next_business_day"}, {Skip, "skip"},
		{Buyer, "buyer"}, {NotWaiting, ""}, {Slipped, "slipped"}, {SalesMotion, "sales_motion"}, {RoutePattern, "route_pattern"},
	} {
		b, err := tc.v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, tc.text, string(b))
	}
	for _, v := range []interface{ MarshalText() ([]byte, error) }{
		Weekday(7), Clock(24 * 60), HolidayRule(2), WaitingOn(3), ChangeKind(0), numKinds, Category(-1), CommitmentKind(0),
	} {
		_, err := v.MarshalText()
		assert.ErrorIs(t, err, revalign.ErrInvalid, "%v", v)
	}
	var w Weekday
	require.NoError(t, w.UnmarshalText([]byte("Thu")))
	assert.Equal(t, Thursday, w)
	var c Clock
	require.NoError(t, c.UnmarshalText([]byte(" 9:30 ")))
	assert.Equal(t, At(9, 30), c)
	assert.Equal(t, 9, c.Hour())
	assert.Equal(t, 30, c.Minute())
	assert.ErrorIs(t, c.UnmarshalText([]byte("25:00")), revalign.ErrInvalid)
	assert.Equal(t, "Clock(-1)", Clock(-1).String())
	var r HolidayRule
	assert.ErrorIs(t, r.UnmarshalText([]byte("move")), revalign.ErrInvalid)
	var wo WaitingOn
	require.NoError(t, wo.UnmarshalText([]byte(" Internal")))
	assert.Equal(t, Internal, wo)
	assert.ErrorIs(t, wo.UnmarshalText([]byte("customer")), revalign.ErrInvalid)
	var k ChangeKind
	require.NoError(t, k.UnmarshalText([]byte("pulled_in")))
	assert.Equal(t, PulledIn, k)
	assert.ErrorIs(t, k.UnmarshalText([]byte("gone")), revalign.ErrInvalid)
	var cat Category
	require.NoError(t, cat.UnmarshalText([]byte("ICP")))
	assert.Equal(t, ICP, cat)
	assert.ErrorIs(t, cat.UnmarshalText([]byte("luck")), revalign.ErrInvalid)
	for _, s := range []string{HolidayRule(5).String(), WaitingOn(5).String(), ChangeKind(50).String(), Category(9).String(), CommitmentKind(9).String()} {
		assert.Contains(t, s, "(")
	}
	assert.Equal(t, "Sales motion", SalesMotion.String())
	assert.Equal(t, "fix_passive_voice", FixPassive.String())
}

// FuzzText feeds arbitrary text to every parser: each either fails with an
// error matching revalign.ErrInvalid or round-trips.
func FuzzText(f *testing.F) {
	for _, s := range []string{"monday", "Tue", "09:30", "skip", "next_business_day", "buyer", "", "slipped", "sales_motion", "\x00", "24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(v interface {
			UnmarshalText([]byte) error
			MarshalText() ([]byte, error)
		}, again interface{ UnmarshalText([]byte) error }) {
			if err := v.UnmarshalText([]byte(s)); err != nil {
				if !assert.ErrorIs(t, err, revalign.ErrInvalid) {
					t.FailNow()
				}
				return
			}
			b, err := v.MarshalText()
			require.NoError(t, err)
			require.NoError(t, again.UnmarshalText(b))
		}
		var w, w2 Weekday
		check(&w, &w2)
		assert.Equal(t, w, w2)
		var c, c2 Clock
		check(&c, &c2)
		assert.Equal(t, c, c2)
		var r, r2 HolidayRule
		check(&r, &r2)
		var o, o2 WaitingOn
		check(&o, &o2)
		assert.Equal(t, o, o2)
		var k, k2 ChangeKind
		check(&k, &k2)
		var g, g2 Category
		check(&g, &g2)
		assert.Equal(t, g, g2)
	})
}
