package sample_test

import (
	"fmt"

	"github.com/revalign/revalign/crm/sample"
)

// The sample company loads with no setup.
func ExampleLoad() {
	d, err := sample.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sample.Company, len(d.Accounts), len(d.Leads), len(d.Opportunities))
	fmt.Println(sample.AsOf().Format("2006-01-02 15:04 MST"), sample.Calendar().QuarterLabel(sample.AsOf()))
	// Output:
	// Fieldstone Works 1500 5862 1114
	// 2026-09-28 09:00 EDT FY2027-Q3
}
