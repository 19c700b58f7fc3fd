// Package crm reads CRM exports — accounts, leads, behavioural events,
// touches, opportunities with stage history, pipeline snapshots, forecasts,
// post-sale events and ARR movements, content, spend — into plain typed
// records.
//
// The records carry the columns a revenue-operations team exports from
// Salesforce or HubSpot and nothing of the frameworks: each example and each
// integration converts them into a framework's own input types, and those
// conversions are the reference to copy. The embedded sample company lives in
// crm/sample; point the same loader at your own export directory with the
// same columns:
//
//	d, err := crm.Load(os.DirFS("export/"))
//	if err != nil {
//		// every malformed row, as file:line:column with the bad value;
//		// the good rows are still in d
//	}
//
// # Errors
//
// A malformed value is a *[ParseError] with the file, line, column, column
// name and value; [Read] and [Load] report every bad row and keep the good
// ones. A header missing a column the record type needs is an error for the
// whole file.
//
// # Concurrency
//
// Read and Load hold no shared state beyond a read-only cache and are safe
// for concurrent use; a Dataset is plain data.
package crm
