package main

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/revalign/revalign/crm"
)

// datasetSection summarises the sample export: what was loaded and the span
// of activity it covers.
func datasetSection(in *input) (section, error) {
	s := in.Data.Summarize()
	lines := []string{
		fmt.Sprintf("Activity from %s to %s; fiscal year starts in %s, weeks start %s (%s).",
			s.From.In(in.Calendar.Location).Format(time.DateOnly), s.To.In(in.Calendar.Location).Format(time.DateOnly),
			in.Calendar.StartMonth, in.Calendar.WeekStart, in.Calendar.Location),
		fmt.Sprintf("%d accounts (%d customers) by segment: %s; by region: %s.",
			s.Counts[crm.FileAccounts], s.Customers, tally(s.Segments), tally(s.Regions)),
		fmt.Sprintf("Currencies: %v, reported in %s.", s.Currencies, in.Rates.Base),
	}
	for _, f := range in.Data.Files {
		lines = append(lines, fmt.Sprintf("  %-32s %7d rows", f, s.Counts[f]))
	}
	return section{Key: "dataset", Phase: "data", Title: "The sample company's CRM export", Lines: lines, Data: s}, nil
}

func tally(m map[string]int) string {
	out := ""
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s %d", k, m[k])
	}
	return out
}
