package diagnostic

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

// responses builds a full set of responses from points per question, in
// question order: points[i] is 0, 1 or 2 for questions[i].
func responses(points [numQuestions]int) []Response {
	out := make([]Response, numQuestions)
	for i, p := range points {
		a, err := AnswerFromPoints(p)
		if err != nil {
			panic(err) // test helper: a bad literal is a bug in the test
		}
		out[i] = Response{QuestionID: questions[i].ID, Answer: a}
	}
	return out
}

// withTotal returns responses worth total points: Yes on the first
// total/2 questions, Partial on the next when total is odd, No elsewhere.
func withTotal(total int) []Response {
	var p [numQuestions]int
	for i := 0; i < numQuestions && total > 0; i++ {
		p[i] = min(2, total)
		total -= p[i]
	}
	return responses(p)
}

// messages returns the messages of the errors joined in err, in order; it
// fails the test when err is nil or not a joined error.
func messages(t *testing.T, err error) []string {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	j, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "%T is not a joined error", err)
	var out []string
	for _, e := range j.Unwrap() {
		out = append(out, e.Error())
	}
	return out
}

// roundTrip encodes v as JSON, decodes it into a new T, asserts that the
// two are equal and returns the decoded value.
func roundTrip[T any](t *testing.T, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, v, back)
	return back
}
