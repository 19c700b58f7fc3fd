package diagnostic

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
