// Package icp installs the Unified ICP Scoring Framework: one shared, signed
// definition of the ideal customer, and one scoring model that flows from it,
// so that "these leads suck" becomes a data question.
//
// A [Model] is configuration both leaders sign: firmographic and
// technographic fit criteria with weights, behavioural signals with points,
// per-signal caps and decay (a half-life, as HubSpot's "50% per month", or a
// linear lifespan, as MadKudu's), demand states read from the engagement
// score, hard disqualifiers that override any score (competitor, student,
// existing customer, unserved country), tiers (A/B/C/D) and the fit ×
// engagement grid (A1…C3). Groups are capped (100 points each by default)
// and floored at 0. Fit comes before behaviour: behavioural points count
// toward the tier only once fit reaches the fit gate, and a model with
// signals but no fit criteria does not validate. A model is in force when
// the CRO and the CMO have both signed its exact content ([Model.SignOff]);
// changing any weight voids the signatures, and [Diff] lists what changed
// for the quarterly review. The loop closes with [Scorer.Calibrate]: sales
// dispositions (Accepted, Nurture, Bad fit, Duplicate, No response) label
// the leads, an L2-regularised logistic regression on the model's criteria
// proposes new points, and the current and proposed models are compared on
// held-out leads (AUC, Brier score, log-loss, reliability, acceptance by
// tier). [Model.TierReport] answers "are A leads really accepted more than
// C leads?".
//
// Score one lead by field name, with its explanation:
//
//	res, err := model.Score(icp.Lead{ID: "L-1042", Attributes: map[string]icp.Value{
//		"industry":       icp.Text("Software"),
//		"employee_count": icp.Number(1200),
//		"technographics": icp.List([]string{"Workday", "Slack"}),
//	}, Events: events}, asOf)
//	fmt.Println(res.Tier, res.Cell, res.Total) // B A3 114.77
//	for _, e := range res.Log {
//		fmt.Println(e) // firmographic industry matched +25, …
//	}
//
// or compile once against the columns of an export and score records
// without allocating:
//
//	scorer, err := model.Compile(icp.Schema{"industry", "employee_count", "technographics"})
//	results, errs := scorer.ScoreBatch(records, asOf, results)
//
// Every score is explained: the log has one entry per criterion (matched,
// missed, or unknown when the lead lacks the attribute — never a silent
// miss) and per signal, plus the adjustments (caps, floors, the gate, a
// disqualifier), and it adds up exactly to Fit, Engagement and Total, since
// points are kept in hundredths.
//
// # Errors
//
// Validate methods report every problem at once as revalign field errors
// naming the field and the value (icp: behavioural[1].decay.half_life_days:
// a half_life decay needs half_life_days > 0, got 0), all matching
// revalign.ErrInvalid. Scoring a record whose values do not fit the schema,
// or whose attribute is of a kind its criterion cannot read (an employee
// count given as text), is an error matching revalign.ErrInvalid; batch
// scoring and calibration report such records as revalign.RecordError
// values with their IDs and carry on. Calibration with too few labelled
// outcomes is an error matching [ErrTooFewOutcomes]. Nothing panics on bad
// input.
//
// # Concurrency
//
// Models, values and results are plain values. A [Scorer] is immutable once
// compiled and safe for concurrent use by multiple goroutines: split a large
// batch into chunks and score each on its own goroutine with the same
// Scorer. Scoring reads no clock; every computation takes asOf.
package icp
