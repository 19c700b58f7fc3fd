// Package config loads revalign configuration — ICP models, SLA pacts,
// demand-state models, bowtie stages, cadences — from YAML or JSON files,
// strictly.
//
// Strict means: an unknown field, a value of the wrong type or a syntax
// error is an error that names the file, the line and the column, so that a
// typo in a signed scoring model is caught when it is loaded, not discovered
// as a silent default a quarter later. JSON is read by the same decoder (JSON
// is YAML), so both formats report errors the same way. Field names are the
// configuration structs' JSON tags (snake_case); after decoding, the value's
// Validate method, when it has one, is called.
//
//	var pact sla.Pact
//	if err := config.Load("pact.yaml", &pact); err != nil {
//		log.Fatal(err) // pact.yaml:12:3: unknown field "acceptance_rat"
//	}
//
// The framework packages do not import config: they define plain structs,
// and config is the one place that knows about files and formats.
//
// # Errors
//
// A file that cannot be read, a syntax error, an unknown field, a value of
// the wrong type, a repeated key or a fraction read into an integer field is
// an *[Error] with the file, line and column (the position is 0 when the
// decoder cannot tell it). A configuration that decodes but fails its own
// Validate returns that error unchanged: it names the field and the value.
//
// # Concurrency
//
// The functions of this package hold no state and are safe for concurrent
// use.
package config
