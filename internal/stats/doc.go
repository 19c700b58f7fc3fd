// Package stats holds the few order statistics revalign's framework packages
// report (median and percentiles of cycle times, time in state, time between
// stages), so that every package computes them the same way.
//
// The functions are pure and safe for concurrent use; Summarize sorts the
// slice it is given.
package stats
