package crm_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
)

const oppCSV = `opportunity_id,account_id,opportunity_name,type,owner_id,segment,amount,currency,created_at,close_date,status,stage,loss_reason,next_action,next_action_date,forecast_category,demand_state_at_entry,primary_contact_id,lead_source,extra_column
O1,A1,Acme expansion,new_business,U1,MID,48000.00,USD,2026-03-04T09:15:00-05:00,2026-06-30,won,Closed Won,,,,Closed,decision-ready,L1,webinar,ignored
O2,A2,Globex,new_business,U2,ENT,,EUR,2026-04-01T10:00:00+02:00,2026-09-30,open,Proposal,,Send MSA,2026-10-02,Commit,solution-aware,L2,paid_search,x
`

func TestReadOpportunities(t *testing.T) {
	opps, err := crm.Read[crm.Opportunity](strings.NewReader(oppCSV), "opportunities.csv")
	require.NoError(t, err)
	require.Len(t, opps, 2)
	o := opps[0]
	assert.Equal(t, "O1", o.ID)
	assert.True(t, o.Amount.Valid)
	assert.True(t, o.Amount.Decimal.Equal(decimal.RequireFromString("48000")))
	assert.Equal(t, time.Date(2026, 3, 4, 14, 15, 0, 0, time.UTC), o.CreatedAt.UTC())
	_, off := o.CreatedAt.Zone()
	assert.Equal(t, -5*3600, off, "the export's zone offset is kept")
	assert.Equal(t, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), o.CloseDate)
	assert.False(t, opps[1].Amount.Valid, "an empty amount is not a zero amount")
	assert.Equal(t, time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), opps[1].NextActionDate)
}

func TestReadReportsEveryBadRowAndKeepsTheRest(t *testing.T) {
	src := "lead_id,account_id,email,title,seniority,buying_role,lead_source,country,region,time_zone,created_at,mql_at,routed_at,first_touch_at,disposition_at,disposition,rejection_reason,owner_id,demand_state\n" +
		"L1,A1,a@x.com,CTO,exec,economic_buyer,webinar,US,NA,America/New_York,2026-01-05T10:00:00-05:00,,,,,,,,unaware\n" +
		"L2,A1,b@x.com,CTO,exec,economic_buyer,webinar,US,NA,America/New_York,2026-13-05T10:00:00-05:00,,,,,,,,unaware\n" +
		",A1,c@x.com,CTO,exec,economic_buyer,webinar,US,NA,America/New_York,2026-01-05T10:00:00-05:00,,,,,,,,unaware\n" +
		"L4,A1,d@x.com,CTO,exec,economic_buyer,webinar,US,NA,America/New_York,2026-01-05 10:00,,,,,,,,unaware\n"
	leads, err := crm.Read[crm.Lead](strings.NewReader(src), "leads.csv")
	require.Len(t, leads, 1)
	assert.Equal(t, "L1", leads[0].ID)
	require.Error(t, err)
	assert.True(t, errors.Is(err, revalign.ErrInvalid))
	msgs := strings.Split(err.Error(), "\n")
	require.Len(t, msgs, 3)
	assert.Equal(t, `leads.csv:3:70: created_at: not an ISO-8601 timestamp with zone (want 2006-01-02T15:04:05-07:00), got "2026-13-05T10:00:00-05:00"`, msgs[0])
	assert.Equal(t, `leads.csv:4:1: lead_id: required value is empty, got ""`, msgs[1])
	assert.Contains(t, msgs[2], `leads.csv:5:70: created_at:`)
	var pe *crm.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 3, pe.Line)
	assert.Equal(t, 70, pe.Column)
	assert.Equal(t, "created_at", pe.ColumnName)
}

func TestReadTypeErrors(t *testing.T) {
	cases := []struct {
		name, row, want string
	}{
		{"int", "2026-01-01,A1,many,10,10,80,false", `account_usage.csv:2:15: active_users: not an integer, got "many"`},
		{"bool", "2026-01-01,A1,3,10,10,80,perhaps", `account_usage.csv:2:26: champion_left: not a boolean (want true or false), got "perhaps"`},
		{"date", "2026-02-30,A1,3,10,10,80,false", `account_usage.csv:2:1: month: not a date (want YYYY-MM-DD), got "2026-02-30"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := "month,account_id,active_users,seats,seat_limit,health_score,champion_left\n" + tc.row + "\n"
			_, err := crm.Read[crm.AccountUsage](strings.NewReader(src), "account_usage.csv")
			assert.EqualError(t, err, tc.want)
		})
	}
	_, err := crm.Read[crm.Spend](strings.NewReader("month,channel,amount,currency\n2026-01-01,email,12.x,USD\n"), "marketing_spend.csv")
	assert.EqualError(t, err, `marketing_spend.csv:2:18: amount: not a decimal number, got "12.x"`)
}

func TestReadHeaderProblems(t *testing.T) {
	_, err := crm.Read[crm.Spend](strings.NewReader("month,channel,currency\n"), "marketing_spend.csv")
	assert.EqualError(t, err, "marketing_spend.csv:1: missing columns: amount")
	_, err = crm.Read[crm.Spend](strings.NewReader(""), "marketing_spend.csv")
	assert.EqualError(t, err, "marketing_spend.csv:1: empty file: no header row")
	_, err = crm.Read[crm.Spend](strings.NewReader("month,month,channel,amount,currency\n"), "marketing_spend.csv")
	assert.EqualError(t, err, `marketing_spend.csv:1:2: month: duplicate column, got "month"`)
}

func TestReadMalformedCSV(t *testing.T) {
	src := "month,channel,amount,currency\n2026-01-01,\"email,12,USD\n"
	recs, err := crm.Read[crm.Spend](strings.NewReader(src), "marketing_spend.csv")
	assert.Empty(t, recs)
	var pe *crm.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "marketing_spend.csv", pe.File)
	assert.Positive(t, pe.Line)
}

func TestReadLists(t *testing.T) {
	src := "account_id,account_name,industry,employee_count,annual_revenue,billing_country,region,time_zone,segment,technographics,is_customer,arr,currency,contract_start_date,renewal_date,owner_id,created_at\n" +
		"A1,Acme,Software,250,12000000,US,NA,America/Chicago,MID,Workday; Okta;;Slack,true,48000,USD,2025-04-01,2026-04-01,U1,2024-01-10T08:00:00-06:00\n"
	accts, err := crm.Read[crm.Account](strings.NewReader(src), "accounts.csv")
	require.NoError(t, err)
	assert.Equal(t, []string{"Workday", "Okta", "Slack"}, accts[0].Technographics)
	assert.True(t, accts[0].IsCustomer)
	assert.Equal(t, 250, accts[0].Employees)
}

func TestLoadAndRates(t *testing.T) {
	fsys := fstest.MapFS{
		crm.FileOpportunities: {Data: []byte(oppCSV)},
		crm.FileExchangeRates: {Data: []byte("reporting_currency,currency,rate_to_reporting\nUSD,EUR,1.08\nUSD,GBP,1.27\n")},
	}
	d, err := crm.Load(fsys)
	require.NoError(t, err)
	assert.Equal(t, []string{crm.FileOpportunities, crm.FileExchangeRates}, d.Files)
	r, err := d.Rates("USD")
	require.NoError(t, err)
	got, err := r.Convert(decimal.RequireFromString("100"), "EUR")
	require.NoError(t, err)
	assert.Equal(t, "108", got.String())
	_, err = r.Convert(decimal.RequireFromString("100"), "JPY")
	assert.ErrorIs(t, err, revalign.ErrCurrency)

	s := d.Summarize()
	assert.Equal(t, 2, s.Counts[crm.FileOpportunities])
	assert.Equal(t, []string{"EUR", "USD"}, s.Currencies)

	fsys[crm.FileExchangeRates] = &fstest.MapFile{Data: []byte("reporting_currency,currency,rate_to_reporting\nUSD,EUR,1.08\nEUR,GBP,1.1\n")}
	d, err = crm.Load(fsys)
	require.NoError(t, err)
	_, err = d.Rates("USD")
	assert.ErrorContains(t, err, "two reporting currencies")
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(oppCSV))
	f.Add([]byte("opportunity_id\n\"unterminated"))
	f.Add([]byte("month,channel,amount,currency\n2026-01-01,email,1e400,USD\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opps, err := crm.Read[crm.Opportunity](strings.NewReader(string(data)), "f.csv")
		for _, o := range opps {
			assert.NotEmpty(t, o.ID, "a required column is never empty in a returned record")
		}
		if err != nil {
			assert.NotEmpty(t, err.Error())
		}
		_, _ = crm.Read[crm.Spend](strings.NewReader(string(data)), "f.csv")
	})
}

func TestReadShortRow(t *testing.T) {
	src := "month,channel,amount,currency\n2026-01-01,email\n2026-02-01,email,5.00,USD\n"
	recs, err := crm.Read[crm.Spend](strings.NewReader(src), "marketing_spend.csv")
	require.Len(t, recs, 1)
	assert.EqualError(t, err, "marketing_spend.csv:2:1: wrong number of fields: the row has 2, the header 4")
}

func TestDateIn(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	d, err := crm.ParseDate("2026-05-01")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 4, 30, 20, 0, 0, 0, ny), d.In(ny), "the trap DateIn avoids")
	assert.Equal(t, time.Date(2026, 5, 1, 0, 0, 0, 0, ny), crm.DateIn(d, ny))
}

func TestReadTimestampsNeedAZoneDatesDoNot(t *testing.T) {
	src := "event_id,lead_id,account_id,event_type,occurred_at,detail\nE1,L1,A1,web_visit,2026-01-05,/\nE2,L1,A1,web_visit,2026-01-05T10:00:00+01:00,/\n"
	evs, err := crm.Read[crm.Event](strings.NewReader(src), "events.csv")
	require.Len(t, evs, 1)
	assert.EqualError(t, err, `events.csv:2:20: occurred_at: not an ISO-8601 timestamp with zone (want 2006-01-02T15:04:05-07:00), got "2026-01-05"`)
	// a date column takes a date, or a timestamp of which it keeps the date
	src = "month,channel,amount,currency\n2026-01-01,email,1.00,USD\n2026-02-01T00:00:00-05:00,email,2.00,USD\n"
	sp, err := crm.Read[crm.Spend](strings.NewReader(src), "marketing_spend.csv")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), sp[1].Month)
}

func TestReadHeaderIgnoresUnusedColumns(t *testing.T) {
	// spreadsheets add empty trailing headers; other tools repeat columns the
	// record does not read
	src := "month,channel,amount,currency,note,note,,\n2026-01-01,email,1.00,USD,a,b,,\n"
	sp, err := crm.Read[crm.Spend](strings.NewReader(src), "marketing_spend.csv")
	require.NoError(t, err)
	assert.Len(t, sp, 1)
}

func TestReadChecksTimeZones(t *testing.T) {
	src := "user_id,name,team,role,region,time_zone,manager_id\nU1,Ann,sales,AE,NA,America/Chicago,\nU2,Bob,sales,AE,NA,Mars/Base,\nU3,Cy,sales,AE,NA,Local,\n"
	us, err := crm.Read[crm.User](strings.NewReader(src), "users.csv")
	require.Len(t, us, 1)
	msgs := strings.Split(err.Error(), "\n")
	require.Len(t, msgs, 2)
	assert.Equal(t, `users.csv:3:20: time_zone: not an IANA time zone name, got "Mars/Base"`, msgs[0])
	assert.Contains(t, msgs[1], `got "Local"`)
}
