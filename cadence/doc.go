// Package cadence installs the Revenue Operating Cadence Framework: the
// recurring rituals that keep sales and marketing aligned after the kickoff.
// Alignment that survives the kickoff but dies between QBRs is not an
// alignment problem but a cadence problem. The cadence names the weekly,
// monthly and quarterly rituals (the weekly pipeline review, the monthly
// demand-state and SLA reviews, the quarterly ICP and scoring review, SLA
// recalibration and loss post-mortem), what each one reviews, who owns its
// artifact, who has which decision rights and which triggers escalate out
// of it; the decision layer is concrete: which review surfaced the issue,
// who owns it, and what changes in the next 30 days as a result. Yes, this
// is boring. That is why it works.
//
// Two rituals carry the seed's rules. The weekly pipeline review (Step 4)
// runs 45 minutes: the forecast delta (what changed since last week), every
// deal over a threshold walked with a named owner and a dated next action
// ("no deals in passive voice, no deals waiting on the buyer": a deal
// without them comes off the forecast), the stalled inventory (no movement
// for 21+ days), pattern flags (a stall reason in three or more deals is
// structural and goes to the loss review) and the action commitments due
// by Friday. The quarterly loss post-mortem (Step 6) reviews 5 to 10
// losses with both teams and produces 3 to 5 structural changes to the
// ICP, qualification, content, pricing or sales motion: structural
// patterns, never a list of individual mistakes, run by a neutral
// facilitator. The governance table keeps it honest: the SLA owned by
// marketing operations and countersigned by sales operations, one
// dashboard owned by RevOps, disputes to the Step 1 tie-breaker and then the
// CRO, a monthly review and a quarterly rewrite.
//
// The weekly review:
//
//	policy := cadence.DefaultPipelinePolicy() // 50,000 USD threshold, 21 days, 3 deals
//	review, err := policy.Review(cadence.ReviewInput{
//		AsOf: asOf, Period: cal.Quarter(asOf), This: thisWeek, Last: lastWeek,
//		Closed: closed, BookedBefore: booked, // won since last week; won in the quarter before it
//	})
//	// review.Delta.Last + Σ review.Delta.Buckets[i].Effect == review.Delta.This
//	// review.Passive, review.Stalled, review.Structural(), review.Commitments
//
// A [Cadence] is configuration: [DefaultCadence] holds the six rituals,
// each with owners, an owned artifact, decision rights, inputs and
// escalation triggers ([Cadence.Assign] puts your people in its roles);
// [Cadence.Schedule] dates them, DST-correct, skipping the holidays the
// caller sets (DefaultCadence has none). [PipelinePolicy.Review] runs the
// weekly review on two snapshots; its forecast is the revenue booked in the
// period plus the open pipeline closing in it, so a win moves money from
// pipeline to booked and the delta reconciles to the cent.
// [PostMortemPolicy.Run] selects a quarter's losses and ranks the
// structural changes, warning when the output is a list of individual
// mistakes. [Governance] is the seed's governance table, and
// [Governance.FailureModes] detects its common failure modes;
// [Cadence.Decisions] reports the 30-day decision log.
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
