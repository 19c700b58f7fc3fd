// Package sla installs the SLA Pact: a written, signed agreement between
// marketing and sales at the MQL handoff, measured from CRM records. Most
// MQL definitions live in a slide sales never signed. A [Pact] turns the
// definition into a binary test ([Criteria.Qualifies]: yes or no, and every
// failed criterion for a no) and the handoff into bilateral commitments:
// marketing owes MQL volume within a tolerance band, a sales acceptance rate
// (the seed's quality line is 75%) and routing in minutes; sales owes a
// first touch within business hours (the seed's 1 business hour, kept for
// at least 90% of MQLs), disposition feedback within 48 hours and a
// documented reason on every declined MQL. Both leaders sign the exact
// version ([Pact.Sign], [Pact.Standing]): an unsigned pact, one signed by
// one side, or one edited after signing is not in force, and every report
// says so. A pact is plain configuration with snake_case JSON fields that
// mirror the seed's template: load it strictly with [ParsePact] or the
// config package.
//
// [Pact.Evaluate] measures a period's leads against the pact: per week and
// per commitment, met or missed with the measured value and the target;
// every breach with the lead and by how much; leads whose clocks still run,
// with their deadlines; breakdowns by region, time zone and owner so that a
// pattern shows; the seed's red flag — acceptance below the threshold for
// two consecutive weeks means "revisit the criteria, not the reps" — raised
// as a criteria review, not a sales breach; and escalations of commitments
// missed again and again. [CompPlan.Review] turns the report into per-person
// and per-team bonus multipliers, because "if reps aren't measured on
// disposition, they won't disposition". Business time comes from a
// [Calendar], a clock in the spirit of Salesforce BusinessHours that owns an
// IANA zone and honours clock changes, lunch breaks, overnight shifts and
// holidays; a lead's first touch runs in its own zone with its region's
// holidays. A [Timer] adds pauses, resets and ServiceNow's breach time on
// top of a Calendar.
//
//	pact := sla.DefaultPact() // the seed's numbers; set yours, then both leaders sign
//	r, err := pact.Evaluate(leads, sla.Options{Weeks: fiscalCalendar, AsOf: asOf})
//	if err != nil {
//		return err // an invalid pact, or an AsOf outside the covered years
//	}
//	// r.Weeks, r.Breaches, r.Flags (criteria review), r.Escalations, r.Errors
//
// # Errors
//
// Validation errors are [revalign.FieldError] values joined with
// errors.Join, naming the field and the value and matching
// [revalign.ErrInvalid]; a time zone that is unknown, or "Local" (the
// host's, which would make results depend on the machine), is one.
// Evaluate returns an error only for an invalid pact, a missing AsOf
// ([ErrNoAsOf]), an AsOf or From outside the years a Calendar covers, or an
// invalid week calendar. A lead it cannot fully use (no ID, an unknown
// time zone, an unknown disposition code, a disposition without a time) is
// listed in [Report].Errors as a [revalign.RecordError] with its ID, and
// what can still be judged of it is judged; a lead with a time outside the
// covered years is listed there and left out. Leads left out are counted
// in Report.Skipped. Nothing is dropped silently and nothing panics on bad
// input.
//
// # Concurrency
//
// Pact, Criteria, Schedule and the other configuration types are plain
// values. A [Calendar] is immutable after [NewCalendar] and a [Timer] after
// [NewTimer]; both are safe for concurrent use: compile one calendar per
// zone and holiday set and share it. Evaluate, Qualifies and Review read
// their receivers and arguments only and may run concurrently; a Report is
// not synchronised for concurrent writes.
package sla
