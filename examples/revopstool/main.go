// Command revopstool checks a company's revalign configuration the way an
// internal RevOps tool would before it is deployed: it loads the SLA pact,
// the ICP model and its calibration, the demand-state model and its router
// from YAML or JSON files, strictly (an unknown field or a value of the
// wrong type is reported with file:line:column), validates each, then
// checks them against each other, and prints what is wrong in terms a RevOps
// admin understands, one line per problem, naming the file and the field.
//
//	go run ./examples/revopstool                       # the sample company's files
//	go run ./examples/revopstool -dir config/          # pact, icp, calibration, demandstate, router (.yaml, .yml or .json)
//	go run ./examples/revopstool -icp examples/internal/fieldstone/icp.yaml
//
// Flags name single files and win over -dir; any file not named comes from
// the sample company (examples/internal/fieldstone). The exit status is 0
// when everything agrees, 1 when there are problems, 2 for bad flags.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/revalign/revalign/examples/internal/fieldstone"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now()))
}

// run is the tool: args are the command-line arguments, today the date the
// signatures are checked on unless -as-of says otherwise.
func run(args []string, stdout, stderr io.Writer, today time.Time) int {
	fs := flag.NewFlagSet("revopstool", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "directory holding pact, icp, calibration, demandstate and router files (.yaml, .yml or .json)")
	asOf := fs.String("as-of", today.Format(time.DateOnly), "date the signatures are checked on (YYYY-MM-DD)")
	paths := map[string]*string{}
	for _, k := range kinds {
		paths[k.key] = fs.String(k.key, "", fmt.Sprintf("the %s file (default: %s/%s)", k.what, fieldstone.Dir, k.def))
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "revopstool: unexpected argument %q: name files with -dir or the file flags\n", fs.Arg(0))
		return 2
	}
	date, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		fmt.Fprintf(stderr, "revopstool: -as-of: want a date such as 2026-11-30, got %q\n", *asOf)
		return 2
	}
	// A signature counts from its instant: check at the end of the day.
	date = date.Add(24*time.Hour - time.Nanosecond)

	var probs []problem
	srcs := map[string]source{}
	for _, k := range kinds {
		switch {
		case *paths[k.key] != "":
			srcs[k.key] = fileSource(*paths[k.key])
		case *dir != "":
			src, p := findIn(*dir, k)
			if p != nil {
				probs = append(probs, *p)
			}
			srcs[k.key] = src
		default:
			srcs[k.key] = sampleSource(k.def)
		}
	}
	c, loadProbs := load(srcs)
	probs = append(probs, loadProbs...)
	probs = append(probs, crossCheck(c)...)

	report(stdout, c, date, probs)
	if len(probs) > 0 {
		return 1
	}
	return 0
}

// report prints what was checked, then every problem grouped by file.
func report(w io.Writer, c *configs, asOf time.Time, probs []problem) {
	fmt.Fprintf(w, "Checked together, signatures as of %s:\n", asOf.Format(time.DateOnly))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, k := range kinds {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.what, c.files[k.key], summary(c, k.key, asOf))
	}
	tw.Flush()
	if len(probs) == 0 {
		fmt.Fprintln(w, "\nNo problems: the five files agree with each other.")
		return
	}
	if len(probs) == 1 {
		fmt.Fprintln(w, "\n1 problem:")
	} else {
		fmt.Fprintf(w, "\n%d problems:\n", len(probs))
	}
	for _, k := range kinds { // one file at a time, as an admin fixes them
		for _, p := range probs {
			if p.File == c.files[k.key] {
				fmt.Fprintln(w, p)
			}
		}
	}
	for _, p := range probs { // a directory without a file
		if !isConfigFile(c, p.File) {
			fmt.Fprintln(w, p)
		}
	}
}

func isConfigFile(c *configs, name string) bool {
	for _, f := range c.files {
		if f == name {
			return true
		}
	}
	return false
}

// summary describes a loaded configuration in a few words, with the
// sign-off of the two signed documents (a note, not a problem: a draft
// awaiting signatures is not wrong).
func summary(c *configs, key string, asOf time.Time) string {
	switch {
	case key == "pact" && c.pact != nil:
		return fmt.Sprintf("%q: %s", c.pact.Name, c.pact.Standing(asOf).Reason)
	case key == "icp" && c.icp != nil:
		so, err := c.icp.SignOff(asOf)
		if err != nil {
			return modelName(*c.icp)
		}
		return fmt.Sprintf("%s: %s", modelName(*c.icp), so.Reason())
	case key == "calibration" && c.cal != nil:
		return fmt.Sprintf("%d disposition labels", len(c.cal.Labels))
	case key == "demandstate" && c.states != nil:
		return fmt.Sprintf("%d states", len(c.states.States))
	case key == "router" && c.router != nil:
		return fmt.Sprintf("%d rules", len(c.router.Rules))
	}
	return "(not loaded)"
}
