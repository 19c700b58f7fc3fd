// Package velocity installs the Pipeline Velocity Framework: pipeline
// velocity with owned levers, exact scenarios, one revenue plan worked
// backward, and forecasts that can be held to account.
//
// Velocity is revenue per day: open qualified opportunities × average won
// deal size × win rate ÷ sales-cycle length in days ([Inputs.Velocity]); a
// quarter yields velocity × its days. Every input is a lever with a named
// owner ([Owners]: marketing owns opportunity volume and, through
// targeting, deal size; sales owns win rate and cycle length; quality is
// joint), so "how's pipeline?" becomes a conversation about specific levers
// and the people who move them. [FromDeals] measures the inputs from CRM
// deals by segment; [Inputs.Apply] runs scenarios with the exact ratio
// V′/V = (1+n)(1+s)(1+w)/(1+ℓ) (a 10% shorter cycle is +11.1%, not +10%);
// [Rank] ranks levers by what the same improvement is worth;
// [Inputs.PathTo] finds the smallest set of moves that reaches a target;
// [Decompose] splits a change between periods into lever contributions
// that sum exactly (ln V₁/V₀ = Σ ln xᵢ₁/xᵢ₀), and [DecomposeSegments] does
// it segment by segment; [NewTrajectory] sets a
// four-quarter target path.
//
// The seed's Step 3, one revenue plan, starts from the revenue number and
// works backward ([Plan.Work]): won deals, opportunities, each earlier
// stage, MQLs, leads and the marketing investment, each placed in the
// quarter it must happen by the lead time of the funnel, with the required
// pipeline coverage (1 ÷ win rate). Both leaders sign the plan
// ([Plan.Sign], [Plan.SignOff]); a changed number voids the signatures.
// Forecasts close the loop: [StageWeighted] expectation and variance,
// [MonteCarlo] P10/P50/P90 with the probability of reaching a target,
// [ForecastAccuracy] (MAPE, WAPE, bias, hit rate) and [TeamVariance], the
// gap between marketing's and sales' quarter-start forecasts.
//
//	rep, rejected, err := velocity.FromDeals(deals, cal.Year(asOf), velocity.DefaultConfig())
//	fmt.Println(rep.Overall.Velocity, len(rejected)) // revenue per day; deals not used
//	ranked, err := velocity.Rank(rep.Inputs(), 0.10, velocity.DefaultOwners())
//
// Money is [decimal.Decimal] in one reporting currency: deals in another
// currency are rejected by ID (convert them with [revalign.Rates] first),
// velocities are rounded to [Places] decimals and plan investments are
// split with [revalign.Split] so that quarters and channels sum exactly.
// Ratios, elasticities and simulations are float64.
//
// # Errors
//
// Invalid configuration and inputs are errors matching
// [revalign.ErrInvalid] that name the field and value ("velocity:
// cycle_days: must be a finite number of days > 0, got 0"); a zero cycle is
// an error, never an infinity or a panic. Batch functions ([FromDeals],
// [OpenPipeline], [Conversions], [StageWeighted], [TeamVariance],
// [DecomposeSegments]) return a [revalign.RecordError] for every record
// they cannot use, with its ID and an error value of its own, and measure
// the rest: nothing is dropped silently. A deal closed before it was
// created is a [NegativeCycleError] carrying both dates. Deals without an
// amount are counted and reported (Measures.NoAmount). Ratios of a zero
// velocity match [ErrZeroVelocity]; deals in a foreign currency match
// [revalign.ErrCurrency]. Statistics from fewer deals than the minimum
// sample are withheld, and say so.
//
// # Concurrency
//
// Every function is pure: no global state, no clock (as-of dates are
// parameters) and no global random source (the Monte Carlo takes a seed and
// gives the same result for it on any number of workers). All types are
// plain values, safe for concurrent use once built; do not modify a value
// while another goroutine reads it.
package velocity
