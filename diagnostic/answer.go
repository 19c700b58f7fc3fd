package diagnostic

import (
	"errors"
	"fmt"

	"github.com/revalign/revalign"
)

const pkg = "diagnostic"

// Answer is a leader's answer to one diagnostic question: [No], [Partial] or
// [Yes], worth 0, 1 and 2 points. The zero value is [Unanswered], so a
// response whose answer was never set is reported as missing instead of
// being scored silently as No. In JSON an Answer is "no", "partial" or
// "yes"; [ParseAnswer] also reads the points 0, 1 and 2.
type Answer int8

// The answers to a diagnostic question.
const (
	Unanswered Answer = iota // no answer given
	No                       // 0 points
	Partial                  // 1 point
	Yes                      // 2 points
)

var answerNames = newNames[Answer]("answer", "", "no", "partial", "yes")

// ParseAnswer reads an answer as the leaders wrote it: "no", "partial"
// ("partially" too) or "yes", in any case, or the points "0", "1" or "2".
func ParseAnswer(s string) (Answer, error) {
	switch match.Normalize(s) {
	case "0":
		return No, nil
	case "1", "partially":
		return Partial, nil
	case "2":
		return Yes, nil
	case "":
		return Unanswered, &revalign.FieldError{Pkg: pkg, Path: "answer", Value: s, Reason: "must be no, partial or yes (or 0, 1, 2)"}
	}
	v, err := answerNames.Parse([]byte(s))
	if err != nil {
		return Unanswered, &revalign.FieldError{Pkg: pkg, Path: "answer", Value: s, Reason: "must be no, partial or yes (or 0, 1, 2)"}
	}
	return v, nil
}

// AnswerFromPoints returns the answer worth n points (0, 1 or 2).
func AnswerFromPoints(n int) (Answer, error) {
	if n < 0 || n > 2 {
		return Unanswered, &revalign.FieldError{Pkg: pkg, Path: "answer", Value: n, Reason: "points must be 0, 1 or 2"}
	}
	return Answer(n + 1), nil
}

// Valid reports whether a is No, Partial or Yes.
func (a Answer) Valid() bool { return a >= No && a <= Yes }

// Points returns 0 for No, 1 for Partial and 2 for Yes; 0 for any other value.
func (a Answer) Points() int {
	if !a.Valid() {
		return 0
	}
	return int(a) - 1
}

// String returns "no", "partial", "yes", "none" for Unanswered, or
// "answer(n)" for a value out of range.
func (a Answer) String() string { return answerNames.String(a) }

// MarshalText encodes the answer as "no", "partial" or "yes"; Unanswered is
// "". A value out of range is an error.
func (a Answer) MarshalText() ([]byte, error) { return answerNames.Text(a) }

// UnmarshalText decodes what [ParseAnswer] reads; "" decodes to Unanswered.
func (a *Answer) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*a = Unanswered
		return nil
	}
	v, err := ParseAnswer(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Response is one answered question: what a CRM or survey export holds per
// row (question ID, answer, free-text note).
type Response struct {
	// QuestionID is the stable ID of the question, e.g. "mql_definition".
	QuestionID string `json:"question_id"`
	// Answer is No, Partial or Yes.
	Answer Answer `json:"answer"`
	// Note is the leaders' comment, kept for the record; it is not scored.
	Note string `json:"note,omitempty"`
}

// The reasons a set of responses cannot be scored. An [*AnswerError] wraps
// one of them and [revalign.ErrInvalid], so both errors.Is checks work.
var (
	ErrMissingAnswer    = errors.New("missing answer")
	ErrDuplicateAnswer  = errors.New("duplicate answer")
	ErrUnknownQuestion  = errors.New("unknown question")
	ErrAnswerOutOfRange = errors.New("answer out of range")
)

// AnswerError reports one response that cannot be scored, naming the
// question.
type AnswerError struct {
	// QuestionID is the question the problem concerns.
	QuestionID string
	// Index is the position of the offending response in the slice given to
	// Score, or -1 for a missing answer.
	Index int
	// Answer is the offending answer for ErrAnswerOutOfRange.
	Answer Answer
	// Err is ErrMissingAnswer, ErrDuplicateAnswer, ErrUnknownQuestion or
	// ErrAnswerOutOfRange.
	Err error
}

// Error formats the error as
// `diagnostic: answers[3]: question "response_time": answer out of range, got 7`.
func (e *AnswerError) Error() string {
	where := "answers"
	if e.Index >= 0 {
		where = revalign.Index("answers", e.Index)
	}
	msg := fmt.Sprintf("%s: %s: question %q: %v", pkg, where, e.QuestionID, e.Err)
	if errors.Is(e.Err, ErrAnswerOutOfRange) {
		msg += fmt.Sprintf(", got %d", int(e.Answer))
	}
	return msg
}

// Unwrap returns the reason and [revalign.ErrInvalid].
func (e *AnswerError) Unwrap() []error { return []error{e.Err, revalign.ErrInvalid} }
