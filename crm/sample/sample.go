package sample

import (
	"embed"
	"io/fs"
	"time"
	_ "time/tzdata" // the sample's time zones resolve on machines without zoneinfo

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
)

//go:generate go run gen.go

//go:embed data/*.csv
var files embed.FS

// Company is the sample company's name.
const Company = "Fieldstone Works"

// ReportingCurrency is the currency the sample company reports in; its
// export holds USD, EUR and GBP amounts and an exchange-rate table.
const ReportingCurrency = "USD"

// FS returns the export's files, named as crm.Load expects.
func FS() fs.FS {
	sub, err := fs.Sub(files, "data")
	if err != nil { // cannot happen: "data" is a valid path embedded above
		return files
	}
	return sub
}

// Load reads the embedded export.
func Load() (*crm.Dataset, error) { return crm.Load(FS()) }

// AsOf is the moment the export was taken: Monday 28 September 2026, 09:00
// in New York, the morning of the weekly pipeline review.
func AsOf() time.Time { return time.Date(2026, 9, 28, 9, 0, 0, 0, newYork()) }

// Calendar is the sample company's fiscal calendar: the fiscal year starts
// in February (FY2027 runs February 2026 – January 2027), weeks start on
// Monday, periods are cut in New York time.
func Calendar() revalign.FiscalCalendar {
	return revalign.FiscalCalendar{StartMonth: time.February, WeekStart: time.Monday, Location: newYork()}
}

// CompetitorDomains are the e-mail domains of the sample company's
// competitors; a lead from one of them is disqualified.
func CompetitorDomains() []string { return []string{"shiftly.io", "rosterline.com", "crewboard.app"} }

// ServedCountries are the ISO country codes the sample company sells in; a
// lead from anywhere else is disqualified as an unserved region.
func ServedCountries() []string {
	return []string{"US", "CA", "GB", "IE", "DE", "FR", "NL", "SE", "AU", "SG", "IN", "JP", "BR", "MX"}
}

func newYork() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil { // cannot happen: time/tzdata is linked in
		return time.UTC
	}
	return loc
}
