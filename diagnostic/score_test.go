package diagnostic

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func TestScoreBandEdges(t *testing.T) {
	// The seed's bands: 16–20 → Step 6, 10–15 → Step 3, 5–9 → Step 2,
	// 0–4 → Step 1. Every edge of every band.
	cases := []struct {
		total int
		band  string
		start Step
	}{
		{0, "structural", StepDemandStates},
		{4, "structural", StepDemandStates},
		{5, "leaking_boundaries", StepWrittenSLA},
		{9, "leaking_boundaries", StepWrittenSLA},
		{10, "partial_ownership", StepRevenuePlan},
		{15, "partial_ownership", StepRevenuePlan},
		{16, "mostly_aligned", StepLossPostMortem},
		{20, "mostly_aligned", StepLossPostMortem},
	}
	for _, c := range cases {
		res, err := Score(withTotal(c.total))
		require.NoError(t, err, "total %d", c.total)
		assert.Equal(t, c.total, res.Total)
		assert.Equal(t, MaxScore, res.Max)
		assert.Equal(t, c.band, res.Band.Name, "total %d", c.total)
		assert.Equal(t, c.start, res.Start, "total %d", c.total)
		assert.Equal(t, c.start, res.Band.Start)
	}
}

func TestScoreGaps(t *testing.T) {
	// Points by question, in question order:
	// mql_definition 1, response_time 0 (Step 2: 1 of 4)
	// revenue_plan 1, marketing_comp 0, one_dashboard 1 (Step 3: 2 of 6)
	// content_mapping 1, content_tracking 0 (Step 5: 1 of 4)
	// pipeline_review 2, stalled_owner 0 (Step 4: 2 of 4)
	// loss_postmortem 1 (Step 6: 1 of 2)
	// Total 7. Shares earned: S2 .25, S5 .25, S3 .33, S4 .5, S6 .5; the
	// S2/S5 tie has equal points missing (3), so model order; S4 misses 2
	// points, S6 one, so S4 comes first.
	res, err := Score(responses([numQuestions]int{1, 0, 1, 0, 1, 0, 2, 0, 1, 1}))
	require.NoError(t, err)
	assert.Equal(t, 7, res.Total)
	assert.Equal(t, StepWrittenSLA, res.Start)

	var order []Step
	for _, g := range res.Gaps {
		order = append(order, g.Step)
	}
	assert.Equal(t, []Step{StepWrittenSLA, StepContentMap, StepRevenuePlan, StepPipelineReview, StepLossPostMortem}, order)

	s2 := res.Gaps[0]
	assert.Equal(t, 1, s2.Points)
	assert.Equal(t, 4, s2.Possible)
	assert.Equal(t, 3, s2.Missing())
	assert.Equal(t, "Define the MQL and SQL boundary in writing", s2.Name)
	require.Len(t, s2.Questions, 2)
	assert.Equal(t, QMQLDefinition, s2.Questions[0].QuestionID)
	assert.Equal(t, Partial, s2.Questions[0].Answer)
	assert.Equal(t, QResponseTime, s2.Questions[1].QuestionID)
	assert.Equal(t, No, s2.Questions[1].Answer)

	// Step 4: pipeline_review was Yes, so only stalled_owner is a gap.
	s4 := res.Gaps[3]
	require.Len(t, s4.Questions, 1)
	assert.Equal(t, QStalledOwner, s4.Questions[0].QuestionID)

	// Every question not answered Yes appears exactly once.
	n := 0
	for _, g := range res.Gaps {
		n += len(g.Questions)
	}
	assert.Equal(t, 9, n)
}

func TestScoreAllYesHasNoGaps(t *testing.T) {
	res, err := Score(withTotal(MaxScore))
	require.NoError(t, err)
	assert.Empty(t, res.Gaps)
	assert.NotNil(t, res.Gaps, "empty, not null, in JSON")
}

func TestScoreKeepsNotesAndQuestionOrder(t *testing.T) {
	rs := responses([numQuestions]int{0, 1, 2, 0, 1, 2, 0, 1, 2, 0})
	rs[1].Note = "first touch averages three hours"
	// Reverse the order: the result is in question order regardless.
	rev := make([]Response, len(rs))
	for i := range rs {
		rev[len(rs)-1-i] = rs[i]
	}
	res, err := Score(rev)
	require.NoError(t, err)
	assert.Equal(t, rs, res.Answers)
	// Step 2 is weakest (1 of 4, tied with Step 4 and first in model
	// order); its second question carries the note.
	require.Equal(t, StepWrittenSLA, res.Gaps[0].Step)
	assert.Equal(t, QResponseTime, res.Gaps[0].Questions[1].QuestionID)
	assert.Equal(t, "first touch averages three hours", res.Gaps[0].Questions[1].Note)
}

func TestScoreBadInput(t *testing.T) {
	full := func() []Response { return withTotal(10) }
	cases := []struct {
		name  string
		input func() []Response
		want  []AnswerError // Index, QuestionID, Err
	}{
		{"nil", func() []Response { return nil }, nil}, // ten missing answers, checked below
		{"missing one", func() []Response { return full()[1:] },
			[]AnswerError{{QuestionID: QMQLDefinition, Index: -1, Err: ErrMissingAnswer}}},
		{"unanswered", func() []Response { r := full(); r[4].Answer = Unanswered; return r },
			[]AnswerError{{QuestionID: QContentMapping, Index: 4, Err: ErrMissingAnswer}}},
		{"duplicate", func() []Response { r := full(); return append(r, Response{QuestionID: QRevenuePlan, Answer: Yes}) },
			[]AnswerError{{QuestionID: QRevenuePlan, Index: 10, Err: ErrDuplicateAnswer}}},
		{"duplicate same answer", func() []Response { r := full(); return append(r, r[0]) },
			[]AnswerError{{QuestionID: QMQLDefinition, Index: 10, Err: ErrDuplicateAnswer}}},
		{"unknown question", func() []Response { r := full(); return append(r, Response{QuestionID: "mql_defintion", Answer: No}) },
			[]AnswerError{{QuestionID: "mql_defintion", Index: 10, Err: ErrUnknownQuestion}}},
		{"out of range high", func() []Response { r := full(); r[2].Answer = Answer(4); return r },
			[]AnswerError{{QuestionID: QRevenuePlan, Index: 2, Answer: 4, Err: ErrAnswerOutOfRange}}},
		{"out of range negative", func() []Response { r := full(); r[9].Answer = Answer(-1); return r },
			[]AnswerError{{QuestionID: QOneDashboard, Index: 9, Answer: -1, Err: ErrAnswerOutOfRange}}},
		{"several at once", func() []Response {
			r := full()
			r[0].QuestionID = "typo"
			r[3].Answer = Answer(12)
			return r
		}, []AnswerError{
			{QuestionID: "typo", Index: 0, Err: ErrUnknownQuestion},
			{QuestionID: QMarketingComp, Index: 3, Answer: 12, Err: ErrAnswerOutOfRange},
			{QuestionID: QMQLDefinition, Index: -1, Err: ErrMissingAnswer},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Score(c.input())
			require.Error(t, err)
			assert.Equal(t, Result{}, res)
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			got := answerErrors(err)
			if c.want == nil {
				require.Len(t, got, numQuestions)
				for i, e := range got {
					assert.Equal(t, questions[i].ID, e.QuestionID)
					assert.ErrorIs(t, e, ErrMissingAnswer)
				}
				return
			}
			require.Len(t, got, len(c.want))
			for i, w := range c.want {
				assert.Equal(t, w.QuestionID, got[i].QuestionID)
				assert.Equal(t, w.Index, got[i].Index)
				assert.Equal(t, w.Answer, got[i].Answer)
				assert.ErrorIs(t, got[i], w.Err)
			}
		})
	}
}

// answerErrors unpacks the joined errors of Score.
func answerErrors(err error) []*AnswerError {
	var out []*AnswerError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ae *AnswerError
		if errors.As(e, &ae) {
			out = append(out, ae)
		}
	}
	return out
}

// TestScoreProperties checks, over random answer sets, that the total is the
// sum of the points, the gaps hold exactly the questions not answered Yes,
// each step's points add up, the order of the answers does not matter, and
// the gaps are ordered weakest first.
func TestScoreProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for range 500 {
		var p [numQuestions]int
		sum, notYes := 0, 0
		for i := range p {
			p[i] = rng.IntN(3)
			sum += p[i]
			if p[i] < 2 {
				notYes++
			}
		}
		rs := responses(p)
		res, err := Score(rs)
		require.NoError(t, err)
		assert.Equal(t, sum, res.Total)
		assert.True(t, res.Band.Contains(sum))

		n := 0
		for i, g := range res.Gaps {
			n += len(g.Questions)
			pts, poss := 0, 0
			for q := range questions {
				if questions[q].Step == g.Step {
					pts += p[q]
					poss += 2
				}
			}
			assert.Equal(t, pts, g.Points)
			assert.Equal(t, poss, g.Possible)
			if i > 0 {
				prev := res.Gaps[i-1]
				assert.LessOrEqual(t, float64(prev.Points)/float64(prev.Possible), float64(g.Points)/float64(g.Possible))
			}
		}
		assert.Equal(t, notYes, n)

		rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		again, err := Score(rs)
		require.NoError(t, err)
		assert.Equal(t, res, again)
	}
}

func TestAssessmentRoundTripRescores(t *testing.T) {
	a := Assessment{
		Team:          "Northwind revenue team",
		TakenAt:       time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC),
		Answers:       responses([numQuestions]int{1, 0, 1, 0, 1, 0, 2, 0, 1, 1}),
		Prerequisites: Prerequisites{DocumentedICP: true},
		Dimensions:    []DimensionRating{{Dimension: Reporting, Rating: Misaligned}},
	}
	back := roundTrip(t, a)

	first, err := Score(a.Answers)
	require.NoError(t, err)
	later, err := Score(back.Answers)
	require.NoError(t, err)
	assert.Equal(t, first, later)

	// The result itself round-trips.
	roundTrip(t, first)

	// Rescored under stricter bands, the same answers land elsewhere.
	cfg := DefaultConfig()
	cfg.Bands = []Band{
		{Name: "not_there", Min: 0, Max: 17, Start: StepDemandStates},
		{Name: "there", Min: 18, Max: 20, Start: StepLossPostMortem},
	}
	strict, err := cfg.Score(back.Answers)
	require.NoError(t, err)
	assert.Equal(t, "not_there", strict.Band.Name)
	assert.Equal(t, StepDemandStates, strict.Start)
}

func TestConfigScoreRejectsBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Bands = cfg.Bands[:3] // 0–4 uncovered
	_, err := cfg.Score(withTotal(3))
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestQuestions(t *testing.T) {
	qs := Questions()
	require.Len(t, qs, numQuestions)
	ids := []string{QMQLDefinition, QResponseTime, QRevenuePlan, QMarketingComp, QContentMapping,
		QContentTracking, QPipelineReview, QStalledOwner, QLossPostmortem, QOneDashboard}
	perStep := map[Step]int{}
	for i, q := range qs {
		assert.Equal(t, ids[i], q.ID)
		assert.NotEmpty(t, q.Text)
		assert.True(t, q.Step.Valid())
		perStep[q.Step]++
		got, ok := QuestionByID(q.ID)
		assert.True(t, ok)
		assert.Equal(t, q, got)
	}
	// Step 1 has no question; every other step has at least one.
	assert.Equal(t, map[Step]int{StepWrittenSLA: 2, StepRevenuePlan: 3, StepPipelineReview: 2, StepContentMap: 2, StepLossPostMortem: 1}, perStep)
	qs[0].Text = "changed"
	assert.NotEqual(t, "changed", Questions()[0].Text, "Questions returns a copy")
	_, ok := QuestionByID("nope")
	assert.False(t, ok)
}
