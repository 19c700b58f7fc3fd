// Command quickstart prints the whole alignment picture of the sample
// company shipped with revalign, in the order the frameworks are used:
// diagnose, fix, prove.
//
//	go run ./examples/quickstart          # human-readable
//	go run ./examples/quickstart -json    # one machine-readable document
//
// Each framework contributes one section (one file of this directory). The
// conversions from CRM records into each framework's input types are the
// reference to copy into your own integration.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/crm/sample"
)

// input is what every section receives: the dataset and the facts needed to
// read it (the as-of date, the fiscal calendar, the currency table).
type input struct {
	Data     *crm.Dataset
	AsOf     time.Time
	Calendar revalign.FiscalCalendar
	Rates    revalign.Rates
}

// section is one part of the picture: lines for people, data for machines.
type section struct {
	Key   string   `json:"key"`
	Phase string   `json:"phase"`
	Title string   `json:"title"`
	Lines []string `json:"lines"`
	Data  any      `json:"data,omitempty"`
}

// sections lists the parts of the picture in the order they are printed.
var sections = []func(*input) (section, error){
	datasetSection,
	// diagnose
	diagnosticSection,
	bowtieSection,
	icpSection,
	// fix
	slaSection,
	demandstateSection,
	cadenceSection,
	// prove
	velocitySection,
	attributionSection,
	scorecardSection,
}

func main() {
	asJSON := flag.Bool("json", false, "print one JSON document instead of text")
	flag.Parse()
	if err := run(os.Stdout, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, asJSON bool) error {
	d, err := sample.Load()
	if err != nil {
		return err
	}
	rates, err := d.Rates(sample.ReportingCurrency)
	if err != nil {
		return err
	}
	in := &input{Data: d, AsOf: sample.AsOf(), Calendar: sample.Calendar(), Rates: rates}
	var out []section
	for _, f := range sections {
		s, err := f(in)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Key, err)
		}
		out = append(out, s)
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Company  string    `json:"company"`
			AsOf     time.Time `json:"as_of"`
			Sections []section `json:"sections"`
		}{sample.Company, in.AsOf, out})
	}
	fmt.Fprintf(w, "%s — revenue alignment picture as of %s\n", sample.Company, in.AsOf.Format(time.DateOnly))
	phase := ""
	for _, s := range out {
		if s.Phase != phase {
			phase = s.Phase
			fmt.Fprintf(w, "\n==== %s ====\n", strings.ToUpper(phase))
		}
		fmt.Fprintf(w, "\n## %s\n", s.Title)
		for _, l := range s.Lines {
			fmt.Fprintln(w, l)
		}
	}
	return nil
}
