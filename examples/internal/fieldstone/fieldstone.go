// Package fieldstone is the configuration of Fieldstone Works, the sample
// company of crm/sample, kept the way a RevOps team keeps it: YAML files, one
// per framework, embedded here and loaded strictly with revalign's config
// package. It also holds the conversions from the company's CRM export (crm
// records) into each framework's input types that the examples share.
//
// The files, a starting point for your own:
//
//	icp.yaml           marketing's lead score (ICP model 2025.1), unsigned
//	icp-2026.4.yaml    the ICP model the FY2027-Q4 review adopted from calibration, signed
//	calibration.yaml   how sales' dispositions recalibrate the ICP model
//	pact.yaml          the SLA Pact both leaders signed
//	demandstate.yaml   the demand-state map and its owners
//	router.yaml        where each demand state is routed
//
// Every loader returns a fresh value: modify it freely.
//
// The conversions (convert.go) are the bridge every example crosses from
// CRM rows to a framework: [ICPRecord] and [ICPOutcomes] for the icp
// package, [SLALead] for the pact's handoff records, [Prospect] with
// [Engagement] and [LastIntent] for the pact's MQL test, and
// [DemandStateRecord] for the demand-state classifier. [ReachOf] says how
// far an ICP model's points can go, which the icp package does not.
package fieldstone

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/demandstate"
	"github.com/revalign/revalign/icp"
	"github.com/revalign/revalign/sla"
)

//go:embed *.yaml
var files embed.FS

// The names of the configuration files in [FS].
const (
	ICPFile             = "icp.yaml"
	RecalibratedICPFile = "icp-2026.4.yaml"
	CalibrationFile     = "calibration.yaml"
	PactFile            = "pact.yaml"
	DemandStateFile     = "demandstate.yaml"
	RouterFile          = "router.yaml"
)

// Dir is where the files live in the repository, for messages that point a
// reader at them.
const Dir = "examples/internal/fieldstone"

// FS returns the embedded configuration files.
func FS() fs.FS { return files }

// ICPModel returns marketing's lead score, ICP model 2025.1: the model the
// sample's MQLs were scored with, engagement-heavy and never signed.
func ICPModel() (icp.Model, error) { return load[icp.Model](ICPFile) }

// RecalibratedICPModel returns ICP model 2026.4: the points calibration on
// sales' dispositions proposes for ICPModel (the closedloop example
// reproduces them), adopted at the FY2027-Q4 ICP review and signed by the
// CRO and the CMO. It is the model in force after the review.
func RecalibratedICPModel() (icp.Model, error) { return load[icp.Model](RecalibratedICPFile) }

// Calibration returns the calibration settings of the quarterly ICP review.
func Calibration() (icp.Calibration, error) { return load[icp.Calibration](CalibrationFile) }

// Pact returns the SLA Pact the CMO and the CRO signed at the start of
// fiscal 2026.
func Pact() (sla.Pact, error) { return load[sla.Pact](PactFile) }

// DemandStateModel returns the demand-state map with the sample company's
// leaders as owners.
func DemandStateModel() (demandstate.Model, error) { return load[demandstate.Model](DemandStateFile) }

// Router returns the routing of each demand state to a next action.
func Router() (demandstate.Router, error) { return load[demandstate.Router](RouterFile) }

// Rates returns the sample export's exchange-rate table (USD base), read
// from its exchange_rates.csv alone.
func Rates() (revalign.Rates, error) {
	f, err := sample.FS().Open(crm.FileExchangeRates)
	if err != nil {
		return revalign.Rates{}, err
	}
	defer f.Close()
	rows, err := crm.Read[crm.ExchangeRate](f, crm.FileExchangeRates)
	if err != nil {
		return revalign.Rates{}, err
	}
	d := crm.Dataset{ExchangeRates: rows}
	return d.Rates(sample.ReportingCurrency)
}

// load decodes one embedded file strictly and validates it. The files are
// tested, so an error here means a file was edited into an invalid state.
func load[T any](name string) (T, error) {
	var v T
	if err := config.LoadFS(files, name, &v); err != nil {
		if !strings.HasPrefix(err.Error(), name) { // validation errors do not name the file
			err = fmt.Errorf("%s: %w", name, err)
		}
		return v, err
	}
	return v, nil
}
