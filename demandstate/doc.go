// Package demandstate replaces the funnel with demand states: states with
// named owners, classification that exposes loose definitions,
// transitions, state-based routing and the content map.
//
// Real B2B buyers do not move down a funnel. They cycle through demand
// states — unaware, problem-aware, solution-aware, partner-aware,
// decision-ready, post-purchase — at different speeds, regress, and sit in
// different states in parallel across a buying committee (seed, Step 1).
// A [Model] is a team's demand-state map: ordered states, each with a
// definition, entry and exit criteria over declared signals, and owners —
// marketing owns the early states, sales the late ones, and the handoff
// states are joint with a single named tie-breaker ([DefaultModel]). A
// [Classifier] puts a record in exactly one state; when a record meets the
// criteria of two states it says so ([ErrAmbiguous]) instead of picking one,
// because "if two people can disagree about which demand state a deal is
// in, the definitions are not tight enough". [Classifier.Audit] runs a
// whole population through the model so a team can tighten its definitions
// before routing anything. [Model.Review] is the monthly demand-state
// review of transition and regression rates; [Model.AccountState] rolls a
// buying committee up to one state under a named policy.
//
// The Demand State Routing Framework (catalog) matches each record to the
// next action for its state rather than its score: a [Router] holds ordered
// rules, a default and a named review queue, so records that cannot be
// classified reach a person and are never dropped ([DefaultRouter],
// [Dispatcher]). The [ContentMap] (seed, Step 5) maps assets to a state and
// a buying-committee role and, with usage telemetry, reports the empty
// cells, the assets to retire after 90 days unused, utilization in active
// deals, and the seed's flag when reps build decks from scratch more than
// once a month.
//
//	cl, err := demandstate.NewClassifier(demandstate.DefaultModel())
//	if err != nil { … }
//	audit := cl.Audit(records, asOf)          // per state, ambiguous pairs, unclassified
//	d, err := demandstate.NewDispatcher(cl, demandstate.DefaultRouter())
//	decisions, bad := d.RouteBatch(records, asOf, nil)
//
// Records carry one [Value] per signal of the model, in the order of
// Model.Signals; build them with [Model.Record] or fill the slots found with
// [Model.SignalIndex]. Time windows ("pricing page within 14 days") are
// measured back from the asOf instant every call takes; nothing reads the
// clock.
//
// # Errors
//
// Validate methods report every problem at once as *revalign.FieldError
// values joined with errors.Join, with paths such as
// "states[2].entry[1].op", all matching revalign.ErrInvalid. Configuration
// types (Model, Router, ContentMap, Policy, Criterion) reject unknown JSON
// fields. [Classifier.Classify] returns an [*AmbiguousError] (matching
// [ErrAmbiguous]) naming the states a record meets, an error matching
// [ErrUnclassified], or, for a record that does not fit the model's
// signals, one matching revalign.ErrInvalid. Batch functions (Audit,
// RouteBatch, Review, ContentMap.Report) never stop at a bad record: they
// report it with its ID as a revalign.RecordError and go on. Nothing
// panics on bad input.
//
// # Concurrency
//
// Configuration values are plain data whose methods (Validate, Record,
// AccountState, Review, Report) only read them: safe for concurrent use as
// long as nobody modifies the value meanwhile. [Classifier] and
// [Dispatcher] are immutable once built and safe for concurrent use by
// multiple goroutines (TestConcurrentUse checks it under the race
// detector); Classify, Match and RouteBatch (each goroutine with its own
// dst) do not allocate on clean records.
package demandstate
