package crm_test

import (
	"fmt"
	"strings"
	"testing/fstest"

	"github.com/revalign/revalign/crm"
)

// Read decodes one export file; a malformed row is reported with
// file:line:column and its value, and the good rows are kept.
func ExampleRead() {
	export := `opportunity_id,account_id,opportunity_name,type,owner_id,segment,amount,currency,created_at,close_date,status,stage,loss_reason,next_action,next_action_date,forecast_category,demand_state_at_entry,primary_contact_id,lead_source
O1,A1,Acme,new_business,U1,MID,48000.00,USD,2026-03-04T09:15:00-05:00,2026-06-30,won,Closed Won,,,,Closed,decision-ready,L1,webinar
O2,A2,Globex,new_business,U2,ENT,lots,EUR,2026-04-01T10:00:00+02:00,2026-09-30,open,Proposal,,,,Commit,solution-aware,L2,events
`
	opps, err := crm.Read[crm.Opportunity](strings.NewReader(export), "opportunities.csv")
	fmt.Println(len(opps), opps[0].ID, opps[0].Amount.Decimal)
	fmt.Println(err)
	// Output:
	// 1 O1 48000
	// opportunities.csv:3:34: amount: not a decimal number, got "lots"
}

// Load reads every export file present in a directory (here an in-memory
// one); files that are missing are simply not loaded.
func ExampleLoad() {
	dir := fstest.MapFS{
		crm.FileExchangeRates: {Data: []byte("reporting_currency,currency,rate_to_reporting\nUSD,EUR,1.08\n")},
	}
	d, err := crm.Load(dir)
	fmt.Println(d.Files, err)
	rates, _ := d.Rates("USD")
	fmt.Println(rates.Base, rates.Rates["EUR"])
	// Output:
	// [exchange_rates.csv] <nil>
	// USD 1.08
}
