package diagnostic

import "testing"

// The diagnostic is scored per team, not per record, so these benchmarks
// guard against regressions rather than chase a target: a RevOps tool that
// rescores every team's saved assessments on each dashboard load should not
// notice the cost.

func BenchmarkScore(b *testing.B) {
	rs := responses([numQuestions]int{1, 0, 1, 0, 1, 0, 2, 0, 1, 1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(rs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRoute(b *testing.B) {
	cfg := DefaultConfig()
	t := Triage{Symptoms: []Symptom{SpendQuestioned, LeadsSuck, RepsIgnoreMQLs, ForecastSlipping}, MQLRejectionRate: 0.46}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cfg.Route(t); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewScorecard(b *testing.B) {
	periods := []PeriodMetrics{
		quarter("Q1", 0.70, 0.80, 0.40, 0.20),
		quarter("Q2", 0.72, 0.85, 0.42, 0.15),
		quarter("Q3", 0.78, 0.91, 0.45, 0.08),
	}
	for i := range periods {
		periods[i].WinRate = Breakdown{Overall: Measure{0.3, 40}, ByState: map[string]Measure{
			"problem_aware": {0.1, 10}, "solution_aware": {0.3, 15}, "decision_ready": {0.45, 15}}}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewScorecard(periods); err != nil {
			b.Fatal(err)
		}
	}
}
