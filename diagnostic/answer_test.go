package diagnostic

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func TestParseAnswer(t *testing.T) {
	ok := []struct {
		in   string
		want Answer
	}{
		{"no", No}, {"partial", Partial}, {"yes", Yes},
		{"NO", No}, {" Yes ", Yes}, {"Partially", Partial},
		{"0", No}, {"1", Partial}, {"2", Yes},
	}
	for _, c := range ok {
		got, err := ParseAnswer(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, "ParseAnswer(%q)", c.in)
	}
	for _, in := range []string{"", "maybe", "3", "-1", "y", "yess"} {
		_, err := ParseAnswer(in)
		assert.ErrorIs(t, err, revalign.ErrInvalid, "ParseAnswer(%q)", in)
	}
}

func TestAnswerPoints(t *testing.T) {
	for pts, want := range []Answer{No, Partial, Yes} {
		a, err := AnswerFromPoints(pts)
		require.NoError(t, err)
		assert.Equal(t, want, a)
		assert.Equal(t, pts, a.Points())
		assert.True(t, a.Valid())
	}
	for _, bad := range []int{-1, 3} {
		_, err := AnswerFromPoints(bad)
		assert.ErrorIs(t, err, revalign.ErrInvalid)
	}
	assert.Equal(t, 0, Unanswered.Points())
	assert.Equal(t, 0, Answer(9).Points())
	assert.False(t, Unanswered.Valid())
	assert.Equal(t, "none", Unanswered.String())
	assert.Equal(t, "answer(9)", Answer(9).String())
}

func TestAnswerJSON(t *testing.T) {
	r := Response{QuestionID: QRevenuePlan, Answer: Partial, Note: "two plans, one dashboard"}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"question_id":"revenue_plan","answer":"partial","note":"two plans, one dashboard"}`, string(b))
	var back Response
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r, back)

	// Points are accepted on the way in; a blank answer is Unanswered.
	require.NoError(t, json.Unmarshal([]byte(`{"question_id":"x","answer":"2"}`), &back))
	assert.Equal(t, Yes, back.Answer)
	require.NoError(t, json.Unmarshal([]byte(`{"question_id":"x","answer":""}`), &back))
	assert.Equal(t, Unanswered, back.Answer)
	assert.Error(t, json.Unmarshal([]byte(`{"question_id":"x","answer":"sometimes"}`), &back))

	_, err = json.Marshal(Response{Answer: Answer(7)})
	assert.Error(t, err)
}

func TestAnswerError(t *testing.T) {
	e := &AnswerError{QuestionID: QResponseTime, Index: 3, Answer: Answer(7), Err: ErrAnswerOutOfRange}
	assert.Equal(t, `diagnostic: answers[3]: question "response_time": answer out of range, got 7`, e.Error())
	assert.ErrorIs(t, e, ErrAnswerOutOfRange)
	assert.ErrorIs(t, e, revalign.ErrInvalid)
	e = &AnswerError{QuestionID: QLossPostmortem, Index: -1, Err: ErrMissingAnswer}
	assert.Equal(t, `diagnostic: answers: question "loss_postmortem": missing answer`, e.Error())
	assert.False(t, errors.Is(e, ErrDuplicateAnswer))
}
