package diagnostic

// Question is one of the ten questions of the Revenue Alignment Diagnostic:
// a stable ID for storage and joins, the SDK's wording, and the step of the
// alignment model whose structure it probes.
type Question struct {
	// ID is stable across releases; saved assessments refer to it.
	ID string `json:"id"`
	// Text is the question as the SDK words it.
	Text string `json:"text"`
	// Step is the step of the model a No or Partial points to.
	Step Step `json:"step"`
}

// The stable IDs of the ten questions, in the order the diagnostic asks
// them.
const (
	QMQLDefinition   = "mql_definition"
	QResponseTime    = "response_time"
	QRevenuePlan     = "revenue_plan"
	QMarketingComp   = "marketing_comp"
	QContentMapping  = "content_mapping"
	QContentTracking = "content_tracking"
	QPipelineReview  = "pipeline_review"
	QStalledOwner    = "stalled_owner"
	QLossPostmortem  = "loss_postmortem"
	QOneDashboard    = "one_dashboard"
)

// MaxScore is the highest total of the diagnostic: ten questions, two points
// each.
const MaxScore = 20

const numQuestions = MaxScore / 2

// questions is the diagnostic. Step 1 (demand states) has no question of its
// own: the seed routes to it only when the whole structure is missing (a
// total of 0–4). The dashboard question belongs to Step 3, whose ownership
// artifact is the one revenue plan with a shared dashboard.
var questions = [numQuestions]Question{
	{QMQLDefinition, "Do sales and marketing share one written definition of MQL and SQL, signed by both leaders?", StepWrittenSLA},
	{QResponseTime, "Is first touch on an MQL under one business hour, with disposition feedback inside 48 hours?", StepWrittenSLA},
	{QRevenuePlan, "Do both teams operate from one revenue plan with shared pipeline and revenue targets?", StepRevenuePlan},
	{QMarketingComp, "Does marketing's compensation include sourced and influenced revenue, not just MQL volume?", StepRevenuePlan},
	{QContentMapping, "Is every piece of content mapped to a specific demand state and buying-committee role?", StepContentMap},
	{QContentTracking, "Are content usage and influence tracked in live deals, with retirement rules for unused assets?", StepContentMap},
	{QPipelineReview, "Is there a weekly pipeline review where both leaders walk every deal over a threshold value?", StepPipelineReview},
	{QStalledOwner, "Does every stalled deal have a named owner and a dated next action?", StepPipelineReview},
	{QLossPostmortem, "Do both teams run a quarterly loss post-mortem that produces structural changes?", StepLossPostMortem},
	{QOneDashboard, "Is there one revenue dashboard both teams use, with no parallel system of truth?", StepRevenuePlan},
}

// Questions returns the ten questions in the order the diagnostic asks them.
// The slice is a fresh copy the caller may keep or change.
func Questions() []Question {
	out := make([]Question, numQuestions)
	copy(out, questions[:])
	return out
}

// QuestionByID returns the question with the given ID and whether it exists.
func QuestionByID(id string) (Question, bool) {
	if i := questionIndex(id); i >= 0 {
		return questions[i], true
	}
	return Question{}, false
}

// questionIndex returns the position of id in questions, or -1. A linear
// scan of ten short strings beats a map and allocates nothing.
func questionIndex(id string) int {
	for i := range questions {
		if questions[i].ID == id {
			return i
		}
	}
	return -1
}
