package crm

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// The file names of a CRM export, one file per object.
const (
	FileAccounts          = "accounts.csv"
	FileUsers             = "users.csv"
	FileLeads             = "leads.csv"
	FileDemandStates      = "demand_state_history.csv"
	FileEvents            = "events.csv"
	FileTouches           = "touches.csv"
	FileOpportunities     = "opportunities.csv"
	FileStageHistory      = "opportunity_stage_history.csv"
	FilePipelineSnapshots = "pipeline_snapshots.csv"
	FileForecasts         = "forecasts.csv"
	FileCustomerEvents    = "customer_events.csv"
	FileARRMovements      = "arr_movements.csv"
	FileAccountUsage      = "account_usage.csv"
	FileContentAssets     = "content_assets.csv"
	FileContentUsage      = "content_usage.csv"
	FileSpend             = "marketing_spend.csv"
	FileExchangeRates     = "exchange_rates.csv"
	FileAnswers           = "diagnostic_answers.csv"
)

// Dataset is a whole CRM export: one slice per object, in file order.
type Dataset struct {
	// Accounts holds the rows of accounts.csv.
	Accounts []Account `json:"accounts"`
	// Users holds the rows of users.csv.
	Users []User `json:"users"`
	// Leads holds the rows of leads.csv.
	Leads []Lead `json:"leads"`
	// DemandStateHistory holds the rows of demand_state_history.csv.
	DemandStateHistory []DemandStateChange `json:"demand_state_history"`
	// Events holds the rows of events.csv.
	Events []Event `json:"events"`
	// Touches holds the rows of touches.csv.
	Touches []Touch `json:"touches"`
	// Opportunities holds the rows of opportunities.csv.
	Opportunities []Opportunity `json:"opportunities"`
	// StageHistory holds the rows of opportunity_stage_history.csv.
	StageHistory []StageChange `json:"stage_history"`
	// PipelineSnapshots holds the rows of pipeline_snapshots.csv.
	PipelineSnapshots []PipelineSnapshot `json:"pipeline_snapshots"`
	// Forecasts holds the rows of forecasts.csv.
	Forecasts []Forecast `json:"forecasts"`
	// CustomerEvents holds the rows of customer_events.csv.
	CustomerEvents []CustomerEvent `json:"customer_events"`
	// ARRMovements holds the rows of arr_movements.csv.
	ARRMovements []ARRMovement `json:"arr_movements"`
	// AccountUsage holds the rows of account_usage.csv.
	AccountUsage []AccountUsage `json:"account_usage"`
	// ContentAssets holds the rows of content_assets.csv.
	ContentAssets []ContentAsset `json:"content_assets"`
	// ContentUsage holds the rows of content_usage.csv.
	ContentUsage []ContentUsage `json:"content_usage"`
	// Spend holds the rows of marketing_spend.csv.
	Spend []Spend `json:"spend"`
	// ExchangeRates holds the rows of exchange_rates.csv.
	ExchangeRates []ExchangeRate `json:"exchange_rates"`
	// Answers holds the rows of diagnostic_answers.csv.
	Answers []Answer `json:"answers"`

	// Files lists the files that were present and read.
	Files []string `json:"files"`
}

// Load reads every known export file present in fsys (see the File
// constants); a missing file leaves its slice empty and is not an error, so
// a team can start with the objects it has. Malformed rows are reported
// together as *ParseError values joined into the returned error, while the
// good rows are kept in the returned Dataset.
func Load(fsys fs.FS) (*Dataset, error) {
	d := &Dataset{}
	var errs []error
	load := func(name string, read func(f fs.File) error) {
		f, err := fsys.Open(name)
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("crm: %w", err))
			return
		}
		defer f.Close()
		d.Files = append(d.Files, name)
		if err := read(f); err != nil {
			errs = append(errs, err)
		}
	}
	load(FileAccounts, into(&d.Accounts, FileAccounts))
	load(FileUsers, into(&d.Users, FileUsers))
	load(FileLeads, into(&d.Leads, FileLeads))
	load(FileDemandStates, into(&d.DemandStateHistory, FileDemandStates))
	load(FileEvents, into(&d.Events, FileEvents))
	load(FileTouches, into(&d.Touches, FileTouches))
	load(FileOpportunities, into(&d.Opportunities, FileOpportunities))
	load(FileStageHistory, into(&d.StageHistory, FileStageHistory))
	load(FilePipelineSnapshots, into(&d.PipelineSnapshots, FilePipelineSnapshots))
	load(FileForecasts, into(&d.Forecasts, FileForecasts))
	load(FileCustomerEvents, into(&d.CustomerEvents, FileCustomerEvents))
	load(FileARRMovements, into(&d.ARRMovements, FileARRMovements))
	load(FileAccountUsage, into(&d.AccountUsage, FileAccountUsage))
	load(FileContentAssets, into(&d.ContentAssets, FileContentAssets))
	load(FileContentUsage, into(&d.ContentUsage, FileContentUsage))
	load(FileSpend, into(&d.Spend, FileSpend))
	load(FileExchangeRates, into(&d.ExchangeRates, FileExchangeRates))
	load(FileAnswers, into(&d.Answers, FileAnswers))
	return d, errors.Join(errs...)
}

func into[T Record](dst *[]T, name string) func(fs.File) error {
	return func(f fs.File) error {
		recs, err := Read[T](f, name)
		*dst = recs
		return err
	}
}

// Rates returns the exchange-rate table of the export (exchange_rates.csv)
// as a [revalign.Rates]. Without rates, the reporting currency is the
// given fallback and only amounts already in it convert. Rows naming two
// different reporting currencies are an error.
func (d *Dataset) Rates(fallback string) (revalign.Rates, error) {
	r := revalign.Rates{Base: strings.ToUpper(fallback)}
	for i, x := range d.ExchangeRates {
		base := strings.ToUpper(x.ReportingCurrency)
		if i == 0 {
			r.Base = base
		} else if base != r.Base {
			return revalign.Rates{}, fmt.Errorf("crm: %s: two reporting currencies, %q and %q", FileExchangeRates, r.Base, base)
		}
		if r.Rates == nil {
			r.Rates = map[string]decimal.Decimal{}
		}
		r.Rates[strings.ToUpper(x.Currency)] = x.Rate
	}
	return r, r.Validate()
}

// Summary is an overview of a dataset: counts per object, the time span of
// its activity and the segments and regions present.
type Summary struct {
	// Counts is the number of rows per file name.
	Counts map[string]int `json:"counts"`
	// From is the earliest lead, touch, event or opportunity time.
	From time.Time `json:"from"`
	// To is the latest lead, touch, event or opportunity time.
	To time.Time `json:"to"`
	// Segments counts accounts per segment.
	Segments map[string]int `json:"segments"`
	// Regions counts accounts per region.
	Regions map[string]int `json:"regions"`
	// Customers counts the accounts flagged as customers.
	Customers int `json:"customers"`
	// Currencies lists the currencies of the accounts and opportunities, sorted.
	Currencies []string `json:"currencies"`
}

// Summarize counts the records of the dataset, finds the earliest and latest
// lead, touch, event and opportunity timestamps, and tallies accounts by
// segment and region.
func (d *Dataset) Summarize() Summary {
	s := Summary{
		Counts: map[string]int{
			FileAccounts: len(d.Accounts), FileUsers: len(d.Users), FileLeads: len(d.Leads),
			FileDemandStates: len(d.DemandStateHistory), FileEvents: len(d.Events), FileTouches: len(d.Touches),
			FileOpportunities: len(d.Opportunities), FileStageHistory: len(d.StageHistory),
			FilePipelineSnapshots: len(d.PipelineSnapshots), FileForecasts: len(d.Forecasts),
			FileCustomerEvents: len(d.CustomerEvents), FileARRMovements: len(d.ARRMovements),
			FileAccountUsage: len(d.AccountUsage), FileContentAssets: len(d.ContentAssets),
			FileContentUsage: len(d.ContentUsage), FileSpend: len(d.Spend),
			FileExchangeRates: len(d.ExchangeRates), FileAnswers: len(d.Answers),
		},
		Segments: map[string]int{},
		Regions:  map[string]int{},
	}
	see := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if s.From.IsZero() || t.Before(s.From) {
			s.From = t
		}
		if t.After(s.To) {
			s.To = t
		}
	}
	for _, l := range d.Leads {
		see(l.CreatedAt)
	}
	for _, t := range d.Touches {
		see(t.TouchedAt)
	}
	for _, e := range d.Events {
		see(e.OccurredAt)
	}
	for _, o := range d.Opportunities {
		see(o.CreatedAt)
	}
	cur := map[string]bool{}
	for _, a := range d.Accounts {
		s.Segments[a.Segment]++
		s.Regions[a.Region]++
		if a.IsCustomer {
			s.Customers++
		}
		cur[a.Currency] = true
	}
	for _, o := range d.Opportunities {
		cur[o.Currency] = true
	}
	for c := range cur {
		s.Currencies = append(s.Currencies, c)
	}
	slices.Sort(s.Currencies)
	return s
}
