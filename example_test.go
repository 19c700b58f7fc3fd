package revalign_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// Splitting 99.99 by 75/25 in cents gives 74.99 and 25.00: the leftover cent
// goes to the larger fractional remainder, and the shares sum exactly.
func ExampleSplit() {
	shares, err := revalign.Split(decimal.RequireFromString("99.99"), []float64{0.75, 0.25}, revalign.MinorUnits("USD"))
	fmt.Println(shares, err)
	// Output: [74.99 25] <nil>
}

// A fiscal year that starts in February, with Monday weeks, cut in New York
// time.
func ExampleFiscalCalendar() {
	ny, _ := time.LoadLocation("America/New_York")
	cal, _ := revalign.NewFiscalCalendar(time.February, time.Monday, ny)
	t := time.Date(2026, 9, 28, 9, 0, 0, 0, ny)
	fmt.Println(cal.QuarterLabel(t), cal.Quarter(t))
	fmt.Println(cal.Week(t))
	// Output:
	// FY2027-Q3 2026-08-01..2026-11-01
	// 2026-09-28..2026-10-05
}

// A document is in force only when every required role signed this exact
// version; an edit after signing voids the signatures.
func ExampleSignatures_Check() {
	type pact struct {
		AcceptanceTarget float64             `json:"acceptance_target"`
		Signatures       revalign.Signatures `json:"signatures"`
	}
	hash := func(p pact) string { p.Signatures = nil; h, _ := revalign.ContentHash(p); return h }
	p := pact{AcceptanceTarget: 0.75}
	signed := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	p.Signatures = revalign.Signatures{
		revalign.Sign(hash(p), "marketing_leader", "Maya Lindqvist", signed),
		revalign.Sign(hash(p), "sales_leader", "Daniel Ortega", signed),
	}
	fmt.Println(p.Signatures.Check(hash(p), signed, "marketing_leader", "sales_leader").Reason())
	p.AcceptanceTarget = 0.7
	fmt.Println(p.Signatures.Check(hash(p), signed, "marketing_leader", "sales_leader").Reason())
	// Output:
	// in force
	// not in force: changed after marketing_leader, sales_leader signed
}

// A signed document hashes itself without its signatures; an edit changes
// the hash.
func ExampleContentHash() {
	type threshold struct {
		MinFitScore float64 `json:"min_fit_score"`
	}
	a, _ := revalign.ContentHash(threshold{MinFitScore: 40})
	b, _ := revalign.ContentHash(threshold{MinFitScore: 40})
	c, _ := revalign.ContentHash(threshold{MinFitScore: 45})
	fmt.Println(a == b, a == c, len(a))
	// Output: true false 64
}

// Amounts in other currencies convert through an explicit table; a currency
// without a rate is an error, never a silent sum.
func ExampleRates_Convert() {
	rates := revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": decimal.RequireFromString("1.08")}}
	fmt.Println(rates.Convert(decimal.RequireFromString("48000"), "EUR"))
	_, err := rates.Convert(decimal.RequireFromString("100"), "GBP")
	fmt.Println(err)
	// Output:
	// 51840 <nil>
	// revalign: no exchange rate from "GBP" to "USD": currency
}
