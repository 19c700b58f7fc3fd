// Package diagnostic answers "where is alignment breaking, and what do we
// fix first?" as code: the 0–20 Revenue Alignment Diagnostic, the six-step
// Revenue Alignment Model as data, the misaligned/aligned dimension table,
// symptom → framework routing, a readiness check and the alignment
// scorecard of the seven minimum viable metrics.
//
// Misalignment between sales and marketing is treated as an ownership
// problem, not a communication problem: nobody owns the boundaries where
// revenue changes hands. Both leaders answer ten questions No (0), Partial
// (1) or Yes (2); the total places the team in a band that names the step of
// the model to start with — 16–20 mostly aligned, reinforce governance
// (Step 6); 10–15 partial ownership, one revenue plan (Step 3); 5–9 leaking
// boundaries, a written SLA (Step 2); 0–4 structural, demand states (Step 1).
// The six steps are installed in order (demand states, a written SLA, one
// revenue plan, shared pipeline reviews, a content map, quarterly loss
// post-mortems), each forcing a decision about who owns what and leaving an
// ownership artifact, on the prerequisites of a documented ICP and baseline
// CRM hygiene. The catalog's routing matrix sends named symptoms to the
// frameworks that treat them (the bowtie, icp, sla, demandstate, cadence,
// velocity and attribution packages), ordered diagnose → fix → prove; the
// scorecard then proves the fix: when MQL acceptance, first-touch SLA
// compliance, marketing-influenced revenue share and forecast variance
// improve together (no measure falling back on the way), alignment is real;
// when only one does, it is activity.
//
// The main call scores a team's answers and plans the installation:
//
//	res, err := diagnostic.Score(answers) // []diagnostic.Response, one per question
//	if err != nil {
//		return err // names every missing, repeated or bad answer
//	}
//	fmt.Println(res.Total, res.Band.Name, res.Start) // 7 leaking_boundaries Step 2
//	plan, err := res.Plan(diagnostic.Prerequisites{DocumentedICP: true})
//
// Routing and the scorecard follow the same shape:
//
//	routing, err := diagnostic.Route(diagnostic.LeadsSuck, diagnostic.ForecastSlipping)
//	card, err := diagnostic.NewScorecard(quarters) // []diagnostic.PeriodMetrics
//	fmt.Println(card.Verdict.Explain())
//
// The package-level functions use [DefaultConfig], which carries the seeds'
// numbers (the four bands, the 40% rejection threshold of the routing rule,
// the 75% acceptance and 90% SLA-compliance targets); the methods of
// [Config] take a team's own. Every input and result is a plain struct with
// snake_case JSON tags, so a saved [Assessment] can be scored again later and
// results can be stored and compared over time.
//
// # Errors
//
// Bad input is reported, never panicked on. [Score] joins one
// [*AnswerError] per problem, naming the question, wrapping
// [ErrMissingAnswer], [ErrDuplicateAnswer], [ErrUnknownQuestion] or
// [ErrAnswerOutOfRange]. [Config.Validate], [RateDimensions],
// [Config.Route], [Org.Readiness] and [NewScorecard] report
// [*revalign.FieldError] values ("diagnostic: bands[1]: overlaps bands[0] at
// total 15, got "10..16""), joined with [errors.Join]. Every error of the
// package matches [revalign.ErrInvalid] under [errors.Is].
//
// # Concurrency
//
// The package holds no mutable state; its tables are read-only and the
// accessors ([Questions], [Model], [Dimensions], [Frameworks],
// [RoutingMatrix]) return copies. Every function and method is safe for
// concurrent use, provided a [Config] is not modified while in use.
package diagnostic
