// Package attribution installs the Multi-Touch Attribution Reconciliation
// Framework: it runs first-touch, last-touch, weighted and data-driven
// models side by side on the same journeys and reconciles the gaps, so that
// a CMO can report one primary number with the alternate views as context.
// Attribution is a directional signal for allocating spend, not a verdict
// for assigning blame: use it to allocate, not to adjudicate.
//
// A [Journey] is one opportunity's touches in time order with its
// milestones (first touch, lead creation, opportunity creation, close), its
// outcome and its amount, checked against a [Taxonomy] of channels, their
// family (paid, owned, earned, sales, partner) and their team (marketing or
// sales, which decides sourced versus influenced). Every model is a value
// implementing [Model]: the positional [Shape]s (first touch, lead
// creation, last touch, U-, W-, J- and inverse-J-shaped, full path,
// position-based, custom weights), [Linear], [TimeDecay], and the
// data-driven [Markov] removal effect (order 1 to 4, solved exactly on the
// absorbing chain) and [Shapley] values (exact, Zhao's simplified form,
// ordered). [Allocate] splits a journey's amount in minor units by largest
// remainder, so credits always sum to the cent; [Reconcile] lays the models
// side by side; [EvaluateSpend] ties the result to spend (cost per credited
// dollar per model, budget moved only where a quorum of models agree);
// [ProposeWeights] proposes position weights from win-loss evidence for the
// quarterly review, never applying them. [Chain] and [Coalitions] are
// mergeable aggregates that cross process boundaries as bytes
// ([Chain.MarshalBinary], or a JSON string), so the shards of a
// distributed engine merge exactly into the single-pass result; paths come
// from journeys ([PathsOf], or [AppendPathIn] into a reused path, both
// converting values into one reporting currency) or the de-facto
// interchange format "a > b > c;conversions;value;nulls" ([ReadPaths]).
//
//	paths, _, _ := attribution.PathsOf(journeys, rates) // won = conversion, lost = null
//	markov, err := attribution.FitMarkov(paths, 1)      // exact removal effects
//	…
//	opts := attribution.DefaultReconcileOptions()
//	opts.Rates = rates
//	models := append(attribution.RuleBased(), markov.ValueModel())
//	rep, err := attribution.Reconcile(journeys, opts, models...)
//	// rep.Channels: channel × model credit, share, rank, spread, bias
//	// rep.Headline: the primary number and its alternates
//	// rep.Reach: sourced (never overlapping) versus influenced (overlapping)
//
// # Errors
//
// Configuration errors ([Shape.Validate], [Taxonomy.Validate],
// [ReconcileOptions.Validate], …) are revalign.FieldError values joined with
// errors.Join and match revalign.ErrInvalid. Batch functions never stop at
// a bad record: [Reconcile] reports each invalid journey (a touch after
// close, an unknown channel, a negative amount, a currency without a rate)
// as a revalign.RecordError carrying the journey's ID, and so do [PathsOf]
// and [AppendPathIn] for a won journey whose currency has no rate (matching
// revalign.ErrCurrency); path readers report malformed lines as "line N".
// A journey a model cannot credit ([ErrNoCredit]) is booked to the
// [Unattributed] row, so no amount is dropped. Adding or merging past what
// a [Chain] or [Coalitions] total holds (about 9.2 trillion of conversion
// value, summed exactly) returns [ErrOverflow] and changes nothing. Fitting
// a chain without conversions returns [ErrNoConversions]; proposing weights
// from too few closed deals returns [ErrTooFewJourneys]. Nothing in the
// package panics on bad input.
//
// # Concurrency
//
// Models, fitted [Markov] chains, [Shapley] results, options and reports
// are values, safe for concurrent use once built. [Allocation], [Chain] and
// [Coalitions] are accumulators and not safe for concurrent use: give each
// goroutine its own and combine chains and coalitions with Merge. The
// package holds no global mutable state and never reads the clock.
package attribution
