// Package sla installs the SLA Pact: a written, signed agreement between
// marketing and sales at the MQL handoff, measured from CRM records.
//
// Most MQL definitions live in a slide sales never signed. The pact turns
// the definition into a binary test ([Criteria.Qualifies]: yes or no, and
// every failed criterion for a no) and the handoff into bilateral
// commitments: marketing owes MQL volume within a tolerance band, a sales
// acceptance rate (the seed's quality line is 75%) and routing in minutes;
// sales owes a first touch within business hours (the seed's 1 business
// hour, kept for at least 90% of MQLs), disposition feedback within 48
// hours and a documented reason on every declined MQL. Both leaders sign
// the exact version ([Pact.Sign], [Pact.Standing]): an unsigned pact, one
// signed by one side, or one edited after signing is not in force, and
// every report says so. Disputes and repeated misses go to a named owner.
//
// [Pact.Evaluate] measures a period's leads against the pact: per week and
// per commitment, met or missed with the measured value and the target;
// every breach with the lead and by how much; leads whose clocks still run
// as pending, with their deadlines; breakdowns by region, time zone and
// owner so that a pattern shows (a region worked from another continent's
// queue breaches in bulk); the seed's red flag — acceptance below the
// threshold for two consecutive weeks means "revisit the criteria, not the
// reps" — raised as a criteria review, not a sales breach; and escalations
// of commitments missed again and again. [CompPlan.Review] turns the same
// report into per-person and per-team compliance scores and bonus
// multipliers, because "if reps aren't measured on disposition, they won't
// disposition".
//
//	pact := sla.DefaultPact()               // the seed's numbers; set yours, then both leaders sign
//	r, err := pact.Evaluate(leads, sla.Options{Weeks: fiscalCalendar, AsOf: asOf})
//	for _, f := range r.Flags { … }           // criteria review
//	for _, b := range r.Breaches { … }        // lead, commitment, by how much
//
// # Business hours
//
// [Calendar] is a business-hours clock in the spirit of Salesforce
// BusinessHours: [Calendar.Add], [Calendar.Between], [Calendar.IsOpen],
// [Calendar.NextOpen]. It owns an IANA time zone; days are built from the
// calendar date, so 09:00–17:00 is eight hours on a 23- or 25-hour day;
// intervals are half-open and a day may have several (lunch breaks) or run
// overnight; holidays are one-off dates or recurring rules (fixed date,
// n-th weekday, Easter-relative) with observed dates and partial days; a
// clock started outside hours starts at the next opening; and
// Between(t, Add(t, d)) == d. Every call takes constant time whatever the
// span. The holiday rules are written here rather than taken from a holiday
// library, so that a pact's holidays are plain configuration both leaders
// can read and sign.
//
// A lead's first-touch clock runs in its own calendar: its time zone and
// its region's holidays ([BusinessHours]).
//
// # Configuration
//
// A [Pact] is a plain struct with snake_case JSON fields that mirror the
// seed's template; load it strictly with [ParsePact] or the config package
// (YAML or JSON, unknown fields rejected). [Pact.Validate] names every bad
// field and its value.
//
// # Errors
//
// Validation errors are [revalign.FieldError] values joined with
// errors.Join, matching [revalign.ErrInvalid]. Evaluate returns an error
// only for an invalid pact, a missing as-of time ([ErrNoAsOf]) or an
// invalid week calendar. A lead it cannot fully use (no ID, unknown time
// zone, unknown disposition code, a disposition without a time) is listed
// in [Report].Errors as a [revalign.RecordError] with its ID, and what can
// still be judged of it is judged; leads outside the window are counted in
// Report.Skipped. Nothing is dropped silently and nothing panics on bad
// input.
//
// # Concurrency
//
// Pact, Criteria, Schedule and the other configuration types are plain
// values. A [Calendar] is immutable after [NewCalendar] and safe for
// concurrent use; compile one per zone and holiday set and share it.
// Evaluate, Qualifies and Review read their receivers and arguments only
// and may run concurrently; a Report is not synchronised for concurrent
// writes.
package sla
