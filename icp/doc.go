// Package icp installs the Unified ICP Scoring Framework: one shared, signed
// definition of the ideal customer, and one scoring model that flows from it,
// so that "these leads suck" becomes a data question. A [Model] is
// configuration both leaders sign: firmographic and technographic fit criteria
// with weights, behavioural signals with points, per-signal caps and decay (a
// half-life, as HubSpot's "50% per month", or a linear lifespan, as
// MadKudu's), hard disqualifiers that override any score (competitor, student,
// existing customer, unserved country), tiers (A/B/C/D), the fit × engagement
// grid (A1…C3) and the demand states engagement signals. Groups are capped
// (100 points each by default) and floored at 0. Fit comes before behaviour:
// engagement counts toward the tier only once fit reaches the fit gate, and a
// model with signals but no fit criteria does not validate. Every score is
// explained: one log entry per criterion (matched, missed, or unknown when the
// lead lacks the attribute — never a silent miss) and per signal, plus the
// caps, floors, gate and disqualifier, adding up exactly to the scores, which
// are kept in hundredths of a point.
//
// A model is in force once the CRO and the CMO have both signed its exact
// content and its effective date has come ([Model.SignOff]); changing any
// weight voids the signatures, and [Diff] lists what changed for the
// quarterly review. The loop closes with [Scorer.Calibrate]: sales
// dispositions (Accepted, Nurture, Bad fit; Duplicate and No response left
// out) label the leads, an L2-regularised logistic regression on the
// model's criteria proposes new points, and the current and proposed models
// are compared on held-out leads (AUC, Brier score, log-loss, reliability,
// acceptance by tier). [Model.TierReport] answers "are A leads really
// accepted more than C leads?".
//
// Compile the model once against the columns of an export, then score
// records as of an instant into a reused slice, without allocating:
//
//	scorer, err := model.Compile(icp.Schema{"industry", "employee_count", "technographics"})
//	if err != nil {
//		return err // the model does not validate, or reads a field the schema lacks
//	}
//	results, errs := scorer.ScoreBatch(records, asOf, results)
//	// results[i].Tier, .Cell, .Total, .DemandState; errs name the bad records
//
// [Model.Score] scores one lead by field name, with its explanation.
//
// # Errors
//
// Validate methods report every problem at once as revalign field errors
// naming the field and the value (icp: behavioural[1].decay.half_life_days:
// a half_life decay needs half_life_days > 0, got 0), all matching
// revalign.ErrInvalid. So is decoding an enumeration name the package does
// not know ("op": "inside"), with a message that quotes the bad name and
// lists the accepted ones. Scoring a record whose values do not fit the
// schema, whose attribute is of a kind its criterion cannot read (an
// employee count given as text), or whose counted event has a zero time, or
// scoring as of the zero time, is an error matching revalign.ErrInvalid.
// Batch scoring and calibration report such records as revalign.RecordError
// values with their IDs, each wrapping a [BatchError] with the record's
// index, and carry on. Calibration with too few labelled outcomes is an
// error matching [ErrTooFewOutcomes]. Nothing panics on bad input.
//
// # Concurrency
//
// Models, values and results are plain values. A [Scorer] is immutable once
// compiled and safe for concurrent use by multiple goroutines: split a large
// batch into chunks and score each on its own goroutine with the same
// Scorer. Scoring reads no clock; every computation takes asOf.
package icp
