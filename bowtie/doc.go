// Package bowtie installs the Revenue Bowtie Diagnostic: the full revenue
// motion as one picture, from the first touch through the signature (the
// knot) to onboarding, impact, renewal and expansion, with an owner and a
// conversion at every stage, so that a team can say where revenue leaks and
// who owns the leak.
//
// Most alignment conversations stop at closed-won; the bowtie carries the
// diagnosis through the right side, where most recurring revenue lives. A
// [Model] is the stages as configuration — by default Winning by Design's
// seven: Awareness, Education, Selection and Commit on the left, owned by
// marketing and sales, Onboard, Impact and Growth on the right, owned by
// customer success — each with a definition, handoff criteria to the next
// stage, one primary and any secondary owners, and metric IDs (names and IDs
// differ between published versions, so both are configurable).
// [Model.Measure] turns stage-entry events into volumes, conversions and
// times; entities may skip stages (except Required milestones, such as
// Impact), and items still inside a stage at the window's end are censored
// rather than lost, so a conversion estimates what share moves on without
// counting the not-yet-decided as failures or leaving out only them. Volumes
// add; conversions multiply ([Report.CompoundConversion]). [Diagnose] names the leak under each
// explicit definition — lowest conversion, largest gap to a benchmark,
// largest revenue impact of closing the gap — knowing that left-side gains
// happen once per cohort while right-side gains recur and compound at NRR
// ([Economics.Compound]). [Retention] computes NRR, GRR (customer by
// customer, and by REFERENCE's movement formula), logo churn and the
// exact ARR bridge from monthly ARR movements; [Rules.Evaluate] turns account
// signals into dated expansion, renewal and save triggers ordered by ARR at
// stake; [Model.MapDemandStates] lays a team's demand states onto the bowtie
// and shows where ownership and definitions become ambiguous.
//
//	m := bowtie.DefaultModel()
//	rep, bad, err := m.Measure(events, window, bowtie.Options{MinSample: 30})
//	d, err := bowtie.Diagnose(rep, bowtie.DefaultBenchmarks(), econ)
//	leak, _ := d.Leak(bowtie.LargestImpact)
//	fmt.Println(leak.From, "→", leak.To, "owned by", leak.Owner)
//
// The default benchmarks combine published third-party figures for the
// left side ([ThirdPartyBenchmarks]) with revalign's own assumptions for the
// right side, labelled as such; replace them with your targets.
//
// # Errors
//
// Validate methods report every problem at once as [revalign.FieldError]
// values joined with errors.Join, matching [revalign.ErrInvalid]:
//
//	bowtie: stages[4].owners: stage has no primary owner
//
// Batch functions ([Model.Measure], [Retention], [Rules.Evaluate]) return
// a [revalign.RecordError] for every record they cannot use, named by its
// entity or account ID, and go on with the rest; their error result is
// non-nil only for invalid configuration or arguments (or, in Retention,
// [ErrOverflow]). Amounts in different currencies are converted with an
// explicit [revalign.Rates] table or reported, never summed silently.
// Nothing panics on bad input.
//
// # Concurrency
//
// Models, benchmarks, rules and reports are plain values; every function
// and method reads its arguments and allocates its own results, so all are
// safe for concurrent use provided callers do not modify the slices they
// pass while a call runs.
package bowtie
