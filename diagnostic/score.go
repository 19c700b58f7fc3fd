package diagnostic

import (
	"cmp"
	"errors"
	"slices"
	"time"
)

// Result is a scored diagnostic: the total, the band it falls in, the step
// to start with, and the gaps. It is plain data; it round-trips through JSON.
type Result struct {
	// Total is the sum of the points, 0 to [MaxScore].
	Total int `json:"total"`
	// Max is the highest possible total, [MaxScore].
	Max int `json:"max"`
	// Band is the band the total falls in.
	Band Band `json:"band"`
	// Start is the step to install first, the band's start step.
	Start Step `json:"start"`
	// Answers are the responses in the order of the questions.
	Answers []Response `json:"answers"`
	// Gaps lists every question not answered Yes, grouped by the step it
	// probes, weakest step first (lowest share of its points earned, then
	// most points missing, then model order). Step 1 has no question and so
	// never appears. Empty when every answer is Yes.
	Gaps []StepGap `json:"gaps"`
}

// StepGap is one step with the questions that probe it and were not
// answered Yes.
type StepGap struct {
	// Step is the step probed.
	Step Step `json:"step"`
	// Name is the step's title.
	Name string `json:"name"`
	// Points is what the step's questions earned.
	Points int `json:"points"`
	// Possible is what the step's questions could have earned.
	Possible int `json:"possible"`
	// Questions are the step's questions answered No or Partial, in
	// question order.
	Questions []QuestionGap `json:"questions"`
}

// Missing returns the points the step's questions did not earn.
func (g StepGap) Missing() int { return g.Possible - g.Points }

// QuestionGap is a question not answered Yes.
type QuestionGap struct {
	// QuestionID is the question's stable ID, e.g. "mql_definition".
	QuestionID string `json:"question_id"`
	// Text is the question as asked.
	Text string `json:"text"`
	// Answer is the answer given: No or Partial.
	Answer Answer `json:"answer"`
	// Note is the leaders' note on the answer, if any.
	Note string `json:"note,omitempty"`
}

// Assessment is a diagnostic as a team takes it and saves it: who, when, the
// answers and the prerequisites. Saved as JSON, it can be scored again later
// with [Score] or [Config.Score] on its Answers, under the same or a new
// configuration.
type Assessment struct {
	// Team names the organisation or team assessed.
	Team string `json:"team"`
	// TakenAt is when the leaders answered.
	TakenAt time.Time `json:"taken_at"`
	// Answers are the ten responses.
	Answers []Response `json:"answers"`
	// Prerequisites are the model's prerequisites as the team reports them.
	Prerequisites Prerequisites `json:"prerequisites"`
	// Dimensions are the team's ratings of the five operational dimensions,
	// when it rated them.
	Dimensions []DimensionRating `json:"dimensions,omitempty"`
}

// Score scores the ten answers with the default bands (see [DefaultConfig]).
// Each question must be answered exactly once, No, Partial or Yes; otherwise
// the error joins one [*AnswerError] per problem (missing, duplicate,
// unknown question, answer out of range), each naming the question. The
// order of answers does not matter.
func Score(answers []Response) (Result, error) { return defaultConfig.score(answers) }

// Score is [Score] with the configuration's bands. It first validates c.
func (c Config) Score(answers []Response) (Result, error) {
	if err := c.Validate(); err != nil {
		return Result{}, err
	}
	return c.score(answers)
}

func (c Config) score(answers []Response) (Result, error) {
	// at[q] is 1 + the index in answers of question q's response; 0 if none.
	var at [numQuestions]int
	var errs []error
	bad := func(id string, i int, a Answer, reason error) {
		errs = append(errs, &AnswerError{QuestionID: id, Index: i, Answer: a, Err: reason})
	}
	for i, r := range answers {
		q := questionIndex(r.QuestionID)
		switch {
		case q < 0:
			bad(r.QuestionID, i, Unanswered, ErrUnknownQuestion)
			continue
		case at[q] > 0:
			bad(r.QuestionID, i, Unanswered, ErrDuplicateAnswer)
			continue
		}
		at[q] = i + 1
		switch {
		case r.Answer == Unanswered:
			bad(r.QuestionID, i, Unanswered, ErrMissingAnswer)
		case !r.Answer.Valid():
			bad(r.QuestionID, i, r.Answer, ErrAnswerOutOfRange)
		}
	}
	for q, i := range at {
		if i == 0 {
			bad(questions[q].ID, -1, Unanswered, ErrMissingAnswer)
		}
	}
	if errs != nil {
		return Result{}, errors.Join(errs...)
	}

	res := Result{Max: MaxScore, Answers: make([]Response, numQuestions)}
	// earned and possible points per step, indexed by step number.
	var earned, possible [NumSteps + 1]int
	gapCount := 0
	for q, i := range at {
		r := answers[i-1]
		res.Answers[q] = r
		s := questions[q].Step
		res.Total += r.Answer.Points()
		earned[s] += r.Answer.Points()
		possible[s] += 2
		if r.Answer != Yes {
			gapCount++
		}
	}
	res.Band = c.band(res.Total)
	res.Start = res.Band.Start
	res.Gaps = gaps(res.Answers, earned, possible, gapCount)
	return res, nil
}

// gaps groups the questions not answered Yes by step, weakest step first.
func gaps(answers []Response, earned, possible [NumSteps + 1]int, n int) []StepGap {
	out := []StepGap{}
	if n == 0 {
		return out
	}
	qs := make([]QuestionGap, 0, n) // one backing array for every step's list
	for s := StepDemandStates; s <= StepLossPostMortem; s++ {
		start := len(qs)
		for q := range questions {
			if questions[q].Step == s && answers[q].Answer != Yes {
				qs = append(qs, QuestionGap{QuestionID: questions[q].ID, Text: questions[q].Text, Answer: answers[q].Answer, Note: answers[q].Note})
			}
		}
		if len(qs) > start {
			out = append(out, StepGap{Step: s, Name: model[s-1].Name, Points: earned[s], Possible: possible[s], Questions: qs[start:len(qs):len(qs)]})
		}
	}
	slices.SortStableFunc(out, func(a, b StepGap) int {
		// a.Points/a.Possible < b.Points/b.Possible, compared exactly.
		if c := cmp.Compare(a.Points*b.Possible, b.Points*a.Possible); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Missing(), a.Missing()); c != 0 {
			return c
		}
		return cmp.Compare(a.Step, b.Step)
	})
	return out
}
