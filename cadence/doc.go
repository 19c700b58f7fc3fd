// Package cadence installs the Revenue Operating Cadence Framework: the
// recurring rituals that keep sales and marketing aligned after the kickoff,
// what each one reviews, who owns its artifact, who decides what, and what
// changes in the next 30 days as a result. Alignment that survives the
// kickoff but dies between QBRs is a cadence problem.
//
// A [Cadence] is configuration: [DefaultCadence] holds the seed's six
// rituals (the weekly 45-minute pipeline review, the monthly demand-state
// and SLA reviews, the quarterly ICP and scoring review, SLA recalibration
// and loss post-mortem), each with owners, an owned artifact, decision
// rights, inputs and escalation triggers ([Cadence.Assign] puts your people
// in its roles); [Cadence.Schedule] dates them, DST-correct, skipping the
// caller's holidays. [PipelinePolicy.Review] runs
// the weekly pipeline review on two snapshots: the forecast delta reconciled
// to the cent, every deal over the threshold with its owner and dated next
// action, the rule "no deals in passive voice" (flagged deals come off the
// forecast), stalled inventory (21+ days without stage movement), stall
// patterns in three or more deals routed to the loss review, and the action
// commitments due by Friday. [PostMortemPolicy.Run] selects 5 to 10 losses
// of a quarter and turns them into 3 to 5 ranked structural changes, warning
// when the output is a list of individual mistakes. [Governance] is the
// seed's governance table, and [Governance.FailureModes] detects its common
// failure modes; [Cadence.Decisions] reports the 30-day decision log.
//
// The weekly review:
//
//	policy := cadence.DefaultPipelinePolicy() // 50,000 USD threshold, 21 days, 3 deals
//	review, err := policy.Review(cadence.ReviewInput{
//		AsOf: asOf, Period: cal.Quarter(asOf), This: thisWeek, Last: lastWeek, Closed: closed,
//	})
//	// review.Delta.Last + Σ review.Delta.Buckets[i].Effect == review.Delta.This
//	// review.Passive, review.Stalled, review.Structural(), review.Commitments
//
// Deal and loss amounts are in one reporting currency: convert them with
// [revalign.Rates.Convert] when you build the deals. Dates that are
// calendar dates (close dates, next-action dates) are compared by their
// year, month and day; days are counted in the as-of time's location.
//
// # Errors
//
// Every configuration type has a Validate method that reports every bad
// field at once as [revalign.FieldError] values ("cadence:
// rituals[2].artifact.owner: artifact needs an owner") matching
// [revalign.ErrInvalid]. Batch functions — the pipeline review, the loss
// post-mortem, the decision report — report each unusable record as a
// [revalign.RecordError] with its ID in the result's Errors and go on with
// the rest; a deal in another currency matches [revalign.ErrCurrency]. They
// return an error only for an invalid configuration or a missing as-of
// time or period. Nothing panics on bad input.
//
// # Concurrency
//
// Configuration types are plain values and every function and method is
// pure (no clock, no global state): all are safe for concurrent use as long
// as the caller does not modify a value while another goroutine uses it.
// [PipelinePolicy.Review] reads its input slices without modifying them.
package cadence
