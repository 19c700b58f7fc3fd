// Package sample is the sample company shipped with revalign: a generated,
// deterministic CRM export of Fieldstone Works, a worktech SaaS vendor,
// embedded so that examples, benchmarks and users run with no setup.
//
// The export has one CSV file per object (accounts, users, leads and their
// demand-state history, behavioural events, touches, opportunities with
// stage history, pipeline snapshots, forecasts, post-sale events, ARR
// movements, usage, content and its usage, marketing spend, exchange rates
// and the leaders' diagnostic answers), in the columns crm reads. Findings
// were planted in it on purpose — an acceptance red flag, a channel first
// touch over-credits, a right-side bowtie leak, a stalled-deal cluster, a
// content gap, SLA breaches concentrated in one region — and the package
// README documents each with the numbers a framework should recover.
//
//	d, err := sample.Load()
//
// The files are re-created byte for byte by `go generate` from a fixed seed
// (see gen.go); a test proves it.
//
// # Concurrency
//
// The embedded files are read-only; every function returns fresh values and
// is safe for concurrent use.
package sample
