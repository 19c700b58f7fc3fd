// Package revalign holds the small vocabulary shared by revalign's framework
// packages, and this page is the map of the SDK.
//
// revalign turns B2B sales-and-marketing alignment frameworks into code a
// revenue-operations team installs: configuration a team signs, functions
// that score, route, time, measure and reconcile CRM records, and reports a
// review meeting can act on. Each framework is one package, usable on its
// own; no framework package imports another. Values cross from one framework
// to another as plain data (an ICP score is a float64 by the time the SLA's
// MQL test sees it; a demand state is a name by the time the bowtie maps it),
// in the user's code or in the SDK's examples.
//
// # The catalog
//
// The frameworks fall into three categories, used in this order: diagnose
// where alignment breaks, then fix it with operational definitions and
// rituals, then prove the fix with measurement.
//
// Diagnostic — where alignment breaks:
//
//   - diagnostic: the 0–20 Revenue Alignment Diagnostic, the six-step
//     alignment model, symptom → framework routing, readiness and the
//     minimum viable alignment scorecard.
//   - bowtie: the revenue bowtie, pre- and post-sale stages with owners,
//     conversions, the leak point, retention math, expansion and renewal
//     triggers.
//   - icp: unified ICP scoring, fit before behaviour, hard disqualifiers,
//     tiers, dual sign-off and calibration from sales dispositions — a
//     diagnostic ("these leads suck" becomes a data question) that becomes
//     operational once both leaders sign the model.
//
// Operational — definitions, SLAs, handoffs, cadence:
//
//   - demandstate: demand states instead of a funnel, owners, unambiguous
//     classification, transitions, state-based routing and the content map.
//   - sla: the SLA Pact, a binary MQL test, bilateral commitments,
//     business-hours timers, compliance, red flags and escalation.
//   - cadence: the revenue operating cadence, rituals with owners and
//     decision rights, the weekly pipeline review, loss post-mortems and
//     governance.
//
// Measurement — velocity, attribution, contribution:
//
//   - velocity: pipeline velocity with owned levers, scenarios, one revenue
//     plan worked backward, and forecasts that can be held to account.
//   - attribution: first-touch, last-touch, weighted and data-driven models
//     run in parallel and reconciled, with every cent accounted for.
//
// # Three root conflicts
//
// Alignment programmes fail in three repeatable ways, and every framework
// targets one of them:
//
//   - definition conflicts: the teams do not agree on the ideal customer or on
//     what "qualified" means (icp, demandstate, bowtie);
//   - incentive conflicts: compensation rewards opposite behaviours (sla's
//     comp tie-in, velocity's one revenue plan, cadence's decision rights);
//   - instrumentation conflicts: nobody can measure the handoff (sla timers,
//     attribution, velocity, the diagnostic scorecard).
//
// Start with the diagnostic when you do not know where it breaks; go straight
// to the framework the diagnostic routes you to when you do.
//
// # The shared vocabulary
//
// This package holds only what several framework packages need:
//
//   - [Team] and [Owner]: every framework names an accountable person.
//   - [Signatures], [ContentHash]: sign-off by content hash; the ICP model,
//     the SLA pact and the revenue plan are in force only when both leaders
//     signed that exact version.
//   - [FiscalCalendar] and [Period]: weeks, months, quarters and years that
//     follow a fiscal-year start and week start in one time zone.
//   - [Split], [SplitUnits], [MinorUnits], [Rates]: exact money splits by
//     largest remainder, and explicit currency conversion.
//   - [ErrInvalid], [FieldError], [Validator], [RecordError]: every Validate
//     reports "pkg: path: reason, got value" the same way; batch functions
//     report bad records by ID and keep going.
//
// The crm package loads CRM exports (and the embedded sample company in
// crm/sample); the config package loads any configuration from strict YAML
// or JSON.
//
// # Errors
//
// Every validation error matches [ErrInvalid] under errors.Is and reads
// "pkg: path: reason, got value" ([FieldError]); Validate methods report all
// their problems at once, joined with errors.Join. Amounts that cannot be
// used — no exchange rate, more decimal places than the currency has, too
// large to split exactly — match [ErrCurrency]. Nothing in revalign panics
// on bad input.
//
// # Concurrency
//
// Every type in this package is a value or read-only after construction and
// safe for concurrent use, except [Validator], which collects the errors of
// one Validate call.
package revalign
