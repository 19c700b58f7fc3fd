// Command pipeline is the reference for running revalign in a data pipeline
// over millions of records: it streams a file of opportunity journeys (JSON
// lines), scores each lead with a compiled ICP model, credits each amount to
// its channels in minor units with a rule-based attribution model, and
// accumulates the mergeable Markov and Shapley aggregates, in as many
// shards as there are cores; then it merges the shards and writes one CSV
// row per journey and a summary that accounts for every line and every cent.
//
//	go run ./examples/pipeline -generate 1000000 -out journeys.jsonl       # a deterministic test file
//	go run ./examples/pipeline -in journeys.jsonl -out scores.csv          # the pipeline
//	go run ./examples/pipeline -in journeys.jsonl -out scores.csv -verify  # and prove shards = single pass
//
// Input and output files ending in .gz are read and written through gzip;
// "-" is stdin or stdout. Progress (journeys/s and ETA) goes to stderr when
// it is a terminal, never to stdout. The summary goes to stdout, or to
// stderr when stdout carries the CSV. See README.md.
package main

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// options are the command's flags.
type options struct {
	generate string
	seed     uint64
	bad      float64
	in, out  string
	rejects  string
	summary  string
	shards   int
	model    string
	order    int
	asOf     string
	verify   bool
	quiet    bool
}

func main() {
	err := cli(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		os.Exit(1)
	}
}

// cli runs the command with the given arguments and standard streams.
// Progress is drawn only when stderr is a terminal *os.File.
func cli(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("pipeline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.generate, "generate", "", "write `N` generated journeys (e.g. 1000000 or 1e6) as JSON lines to -out, instead of processing")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed: the same seed and N give the same file")
	fs.Float64Var(&o.bad, "bad", 0, "share of generated lines deliberately broken (malformed JSON, unknown channel, negative amount)")
	fs.StringVar(&o.in, "in", "", "journey file to process (JSON lines; .gz is gunzipped; - is stdin)")
	fs.StringVar(&o.out, "out", "-", "output: the CSV, or the journeys with -generate (.gz is gzipped; - is stdout)")
	fs.StringVar(&o.rejects, "rejects", "", "write every rejected line (line, id, error) to this CSV file")
	fs.StringVar(&o.summary, "summary", "", "write the summary as JSON to this file")
	fs.IntVar(&o.shards, "shards", runtime.GOMAXPROCS(0), "goroutines processing the input")
	fs.StringVar(&o.model, "model", "w_shaped", "primary rule-based attribution model (an attribution.RuleBased name)")
	fs.IntVar(&o.order, "order", 1, "order of the Markov chain (1 to 4)")
	fs.StringVar(&o.asOf, "asof", genAsOf.Format(time.RFC3339), "instant the leads are scored as of (RFC 3339 or YYYY-MM-DD)")
	fs.BoolVar(&o.verify, "verify", false, "process the input again in one shard and fail unless every aggregate, count, cent and CSV byte is equal")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags only)", fs.Arg(0))
	}
	if o.quiet || !isTerminalWriter(stderr) {
		o.quiet = true
	}
	if o.generate != "" {
		return generateFile(o, stdout, stderr)
	}
	if o.in == "" {
		fs.Usage()
		return errors.New("-in or -generate is required")
	}
	return processFile(o, stdin, stdout, stderr)
}

func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// generateFile writes the -generate journeys.
func generateFile(o options, stdout, stderr io.Writer) error {
	n, err := parseCount(o.generate)
	if err != nil {
		return err
	}
	if o.bad < 0 || o.bad > 1 {
		return fmt.Errorf("-bad %g: must be a share from 0 to 1", o.bad)
	}
	out, finish, err := create(o.out, stdout)
	if err != nil {
		return err
	}
	var m meter
	stopProgress := func() {}
	if !o.quiet {
		stopProgress = startProgress(stderr, "generating", &m, 0, int64(n))
	}
	start := time.Now()
	g := generator{seed: o.seed, bad: o.bad}
	err = g.writeJourneys(out, n, runtime.GOMAXPROCS(0), func(done int) { m.records.Store(int64(done)) })
	stopProgress()
	if err = errors.Join(err, finish()); err != nil {
		return err
	}
	fmt.Fprintf(reportTo(o.out, stdout, stderr), "wrote %s journeys (seed %d) to %s in %.1f s\n",
		thousands(n), o.seed, o.out, time.Since(start).Seconds())
	return nil
}

// processFile runs the pipeline over -in, and with -verify runs it again in
// one shard and compares.
func processFile(o options, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := newConfig(o.model, o.order)
	if err != nil {
		return err
	}
	asOf, err := parseAsOf(o.asOf)
	if err != nil {
		return err
	}
	if o.shards < 1 {
		return fmt.Errorf("-shards %d: must be at least 1", o.shards)
	}
	if o.verify && o.in == "-" {
		return errors.New("-verify reads the input twice: give a file, not stdin")
	}
	report := reportTo(o.out, stdout, stderr)

	// The rejected lines: all of them to -rejects, the first few to stderr.
	const shown = 10
	var rejects *csv.Writer
	finishRejects := func() error { return nil }
	if o.rejects != "" {
		w, finish, err := create(o.rejects, stdout)
		if err != nil {
			return err
		}
		rejects, finishRejects = csv.NewWriter(w), finish
		if err := rejects.Write([]string{"line", "id", "error"}); err != nil {
			return err
		}
	}
	nRejected := 0
	reject := func(r rejected) error {
		if nRejected < shown {
			fmt.Fprintln(stderr, "rejected", r)
		}
		nRejected++
		if rejects == nil {
			return nil
		}
		return rejects.Write([]string{strconv.Itoa(r.Line), r.ID, r.Err})
	}

	// The run; with -verify, the CSV is hashed on its way out.
	out, finishOut, err := create(o.out, stdout)
	if err != nil {
		return err
	}
	csvHash := sha256.New()
	if o.verify {
		out = io.MultiWriter(out, csvHash)
	}
	start := time.Now()
	// With -verify, the shards' totals are merged from their marshalled
	// bytes, as a distributed engine's driver merges its workers'.
	r := &run{cfg: cfg, shards: o.shards, asOf: asOf, reject: reject, wire: o.verify}
	t, rows, err := pass(o, r, stdin, out, stderr, "pipeline")
	if rejects != nil {
		rejects.Flush()
		err = errors.Join(err, rejects.Error())
	}
	if err = errors.Join(err, finishOut(), finishRejects()); err != nil {
		return err
	}
	elapsed := time.Since(start).Seconds()
	s, err := summarize(cfg, t, rows)
	if err != nil {
		return err
	}
	s.Input, s.Shards, s.AsOf, s.Seconds = o.in, o.shards, asOf, elapsed
	s.JourneysPerSecond = float64(t.Lines) / elapsed
	s.print(report)
	if nRejected > shown {
		where := "-rejects FILE lists them all"
		if o.rejects != "" {
			where = o.rejects + " lists them all"
		}
		fmt.Fprintf(stderr, "… %s more rejected lines (%s)\n", thousands(nRejected-shown), where)
	}
	if o.summary != "" {
		if err := writeJSON(o.summary, s); err != nil {
			return err
		}
	}
	if !o.verify {
		return nil
	}

	// -verify: the same input in one shard, merged in memory, must give
	// exactly the same.
	single := sha256.New()
	start = time.Now()
	r1 := &run{cfg: cfg, shards: 1, asOf: asOf, reject: func(rejected) error { return nil }}
	t1, rows1, err := pass(o, r1, stdin, single, stderr, "verify (1 shard)")
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	hashN, hash1 := hex.EncodeToString(csvHash.Sum(nil)), hex.EncodeToString(single.Sum(nil))
	diffs := compare(t, t1, hashN, hash1)
	if rows != rows1 {
		diffs = append(diffs, "CSV rows")
	}
	if len(diffs) > 0 {
		return fmt.Errorf("verify: the %d-shard run differs from the single pass in: %s", o.shards, strings.Join(diffs, ", "))
	}
	fmt.Fprintf(report, "verify: the %d-shard run equals the single pass (%.1f s) exactly: line counts, outcomes, tiers, "+
		"credit per channel and currency in minor units, Markov fit and Shapley values bit for bit, and the CSV (SHA-256 %s…); "+
		"its shards' totals were merged from their marshalled bytes, as a distributed engine's driver merges its workers'\n",
		o.shards, time.Since(start).Seconds(), hashN[:16])
	return nil
}

// pass opens the input and runs r over it once, with a progress line
// unless quiet, and checks the accounting.
func pass(o options, r *run, stdin io.Reader, csvOut io.Writer, stderr io.Writer, label string) (*totals, int, error) {
	var m meter
	in, size, finish, err := open(o.in, stdin, &m.bytes)
	if err != nil {
		return nil, 0, err
	}
	defer finish()
	stopProgress := func() {}
	if !o.quiet {
		stopProgress = startProgress(stderr, label, &m, size, 0)
	}
	r.meter = &m
	t, rows, err := r.process(in, csvOut)
	stopProgress()
	if err != nil {
		return nil, rows, err
	}
	if err := t.check(); err != nil {
		return nil, rows, fmt.Errorf("accounting: %w", err)
	}
	if rows != t.Journeys {
		return nil, rows, fmt.Errorf("accounting: %d CSV rows for %d journeys", rows, t.Journeys)
	}
	return t, rows, nil
}

// open opens the input ("-" is stdin; .gz is gunzipped), counting the bytes
// read from the file (compressed bytes for .gz) into n. size is the file's
// size, 0 when unknown.
func open(path string, stdin io.Reader, n *atomic.Int64) (r io.Reader, size int64, finish func() error, err error) {
	var raw io.Reader = stdin
	finish = func() error { return nil }
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, nil, err
		}
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
		raw, finish = f, f.Close
	}
	r = &countingReader{r: raw, n: n}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bufio.NewReaderSize(r, 1<<20))
		if err != nil {
			finish()
			return nil, 0, nil, fmt.Errorf("%s: %w", path, err)
		}
		r = zr
	}
	return r, size, finish, nil
}

// create creates an output ("-" is stdout; .gz is gzipped); finish flushes
// and closes it, and must be called.
func create(path string, stdout io.Writer) (w io.Writer, finish func() error, err error) {
	if path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, f.Close, nil
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	return zw, func() error { return errors.Join(zw.Close(), f.Close()) }, nil
}

// reportTo is where the summary goes: stdout, unless stdout carries the
// output.
func reportTo(out string, stdout, stderr io.Writer) io.Writer {
	if out == "-" {
		return stderr
	}
	return stdout
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// parseAsOf reads an RFC 3339 instant or a date (midnight UTC).
func parseAsOf(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("-asof %q: want RFC 3339 (2026-09-28T13:00:00Z) or a date (2026-09-28)", s)
	}
	return t, nil
}
