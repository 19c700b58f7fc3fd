package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/attribution"
)

// journeys returns n generated journey lines, with the given share broken.
func journeys(t testing.TB, n int, seed uint64, bad float64) []byte {
	t.Helper()
	var buf bytes.Buffer
	g := generator{seed: seed, bad: bad}
	require.NoError(t, g.writeJourneys(&buf, n, 3, nil))
	return buf.Bytes()
}

func testConfig(t testing.TB) *config {
	t.Helper()
	cfg, err := newConfig("w_shaped", 1)
	require.NoError(t, err)
	return cfg
}

// result is one run's output.
type result struct {
	totals   *totals
	csv      []byte
	rows     int
	rejected []rejected
}

func runPipeline(t testing.TB, cfg *config, input []byte, shards int) result {
	t.Helper()
	return runOver(t, &run{cfg: cfg, shards: shards, asOf: genAsOf}, input)
}

// runOver runs r over input, collecting the rejected lines.
func runOver(t testing.TB, r *run, input []byte) result {
	t.Helper()
	var res result
	var out bytes.Buffer
	r.reject = func(rj rejected) error {
		res.rejected = append(res.rejected, rj)
		return nil
	}
	tot, rows, err := r.process(bytes.NewReader(input), &out)
	require.NoError(t, err)
	require.NoError(t, tot.check())
	res.totals, res.csv, res.rows = tot, out.Bytes(), rows
	return res
}

func TestShardsEqualSinglePass(t *testing.T) {
	cfg := testConfig(t)
	input := journeys(t, 3000, 7, 0.01)
	single := runPipeline(t, cfg, input, 1)
	require.Equal(t, 3000, single.totals.Lines)
	require.NotZero(t, single.totals.Rejected, "the input has broken lines")
	for _, shards := range []int{2, 3, 8} {
		// wire: the shards' totals are merged from their marshalled bytes,
		// as -verify merges them.
		for _, wire := range []bool{false, true} {
			sharded := runOver(t, &run{cfg: cfg, shards: shards, asOf: genAsOf, wire: wire}, input)
			assert.Empty(t, compare(sharded.totals, single.totals, "", ""), "%d shards, wire %v", shards, wire)
			assert.Equal(t, single.csv, sharded.csv, "%d shards: the CSV, byte for byte", shards)
			assert.Equal(t, single.rejected, sharded.rejected, "%d shards: rejected lines in input order", shards)
		}
	}
}

// A distributed engine partitions records however it likes (here by a hash
// of the line number, not in runs of lines), moves each worker's partial
// aggregates to the driver as bytes, and combines them in any order: the
// merged totals still equal the single pass.
func TestMergeOfAnyPartitionEqualsSinglePass(t *testing.T) {
	cfg := testConfig(t)
	input := journeys(t, 2000, 11, 0.01)
	single := runPipeline(t, cfg, input, 1)

	parts := make([][]byte, 3)
	for i, line := range bytes.SplitAfter(input, []byte("\n")) {
		k := (i * 7919) % len(parts)
		parts[k] = append(parts[k], line...)
	}
	var partial []*totals
	var sent [][]byte // what each worker sends the driver
	for _, p := range parts {
		tot := runPipeline(t, cfg, p, 1).totals
		b, err := tot.MarshalBinary()
		require.NoError(t, err)
		partial, sent = append(partial, tot), append(sent, b)
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 0, 1}} {
		merged, err := newTotals(cfg.order, cfg.unattributed()+1)
		require.NoError(t, err)
		received, err := newTotals(cfg.order, cfg.unattributed()+1)
		require.NoError(t, err)
		for _, k := range order {
			require.NoError(t, merged.merge(partial[k]))
			var o totals
			require.NoError(t, o.UnmarshalBinary(sent[k]))
			require.NoError(t, received.merge(&o))
		}
		require.NoError(t, merged.check())
		assert.Empty(t, compare(merged, single.totals, "", ""), "merge order %v", order)
		require.NoError(t, received.check())
		assert.Empty(t, compare(received, single.totals, "", ""), "merge order %v, from bytes", order)
	}
}

// The totals a worker sends survive the trip exactly, the Chain and the
// Coalitions included; bytes that are not totals, or totals of another
// configuration, are an error at the driver, never a panic or a wrong sum.
func TestTotalsTravelAsBytes(t *testing.T) {
	cfg := testConfig(t)
	tot := runPipeline(t, cfg, journeys(t, 1000, 13, 0), 2).totals
	b, err := tot.MarshalBinary()
	require.NoError(t, err)
	var got totals
	require.NoError(t, got.UnmarshalBinary(b))
	assert.Empty(t, compare(&got, tot, "", ""))
	assert.Equal(t, tot.Lines, got.Lines)
	chain, err := tot.Chain.MarshalBinary()
	require.NoError(t, err)
	gotChain, err := got.Chain.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, chain, gotChain, "the chain's bytes are the same after the trip")

	for name, data := range map[string][]byte{
		"empty":     nil,
		"truncated": b[:len(b)/2],
		"not gob":   []byte("OPP-1,won,USD,100"),
	} {
		var o totals
		assert.Error(t, o.UnmarshalBinary(data), name)
	}

	// A driver with another taxonomy (fewer credit columns) or Markov
	// order refuses the totals.
	other, err := newTotals(cfg.order, cfg.unattributed())
	require.NoError(t, err)
	assert.ErrorContains(t, other.merge(&got), "another configuration")
	order2, err := newTotals(2, cfg.unattributed()+1)
	require.NoError(t, err)
	assert.ErrorContains(t, order2.merge(&got), "another configuration")
	assert.Zero(t, other.Lines+order2.Lines, "a refused merge adds nothing")
}

func TestBadLinesAreReportedAndCounted(t *testing.T) {
	cfg := testConfig(t)
	good := bytes.Split(bytes.TrimSuffix(journeys(t, 3, 1, 0), []byte("\n")), []byte("\n"))
	j := make([]journeyLine, len(good))
	for i, line := range good {
		require.NoError(t, json.Unmarshal(line, &j[i]))
	}
	edit := func(line []byte, from, to string) []byte {
		require.Contains(t, string(line), from)
		return []byte(strings.Replace(string(line), from, to, 1))
	}
	amount0 := `"amount":"` + j[0].Amount.String() + `"`
	lines := [][]byte{
		good[0],                             // 1
		[]byte(`{"id":"OPP-X","touches":[`), // 2: cut off
		edit(good[1], `"channel":"`, `"channel":"tv`),                  // 3: unknown channel
		edit(good[0], amount0, `"amount":"-`+j[0].Amount.String()+`"`), // 4: negative amount
		[]byte("   \r"), // 5: blank
		edit(good[2], `"currency":"`+j[2].Currency+`"`, `"currency":"JPY"`), // 6: no rate
		[]byte(`{"id":"OPP-Y","outcome":"maybe"}`),                          // 7: unknown outcome
		bytes.Repeat([]byte("x"), maxLine+10),                               // 8: too long
		edit(good[1], `"amount":"`, `"amount":"0.001`),                      // 9: fractions of a cent
		good[2], // 10, without a final newline
	}
	res := runPipeline(t, cfg, bytes.Join(lines, []byte("\n")), 2)
	tot := res.totals
	assert.Equal(t, 10, tot.Lines)
	assert.Equal(t, 1, tot.Blank)
	assert.Equal(t, 7, tot.Rejected)
	assert.Equal(t, 2, tot.Journeys)
	assert.Equal(t, 2, res.rows)

	want := []rejected{
		{2, "", "malformed JSON: unexpected end of JSON input"},
		{3, j[1].ID, `unknown channel, got "tv`},
		{4, j[0].ID, "amount: must not be negative"},
		{6, j[2].ID, "currency JPY: no exchange rate to USD"},
		{7, "OPP-Y", `malformed JSON: attribution: outcome: must be open, won or lost, got "maybe"`},
		{8, "", fmt.Sprintf("line longer than %d bytes", maxLine)},
		{9, j[1].ID, "has more than 2 decimal places"},
	}
	require.Len(t, res.rejected, len(want))
	for i, w := range want {
		got := res.rejected[i]
		assert.Equal(t, w.Line, got.Line, "rejected[%d]", i)
		assert.Equal(t, w.ID, got.ID, "rejected[%d]", i)
		assert.Contains(t, got.Err, w.Err, "rejected[%d]", i)
	}

	// The two good journeys' amounts, and nothing else, are booked.
	in := map[string]decimal.Decimal{}
	for _, l := range []journeyLine{j[0], j[2]} {
		in[l.Currency] = in[l.Currency].Add(l.Amount)
	}
	for cur, m := range tot.Money {
		booked := decimal.New(m.Amount[0]+m.Amount[1]+m.Amount[2], -m.Places)
		assert.True(t, in[cur].Equal(booked), "%s: %s in, %s booked", cur, in[cur], booked)
		delete(in, cur)
	}
	assert.Empty(t, in)
}

// A record ScoreBatch cannot score (here a counted event without a time)
// is matched to its line by the index its icp.BatchError carries, even
// when lines rejected earlier shift the records against the lines and the
// journey ID is repeated.
func TestScoringErrorsAreMatchedByIndex(t *testing.T) {
	cfg := testConfig(t)
	good := bytes.Split(bytes.TrimSuffix(journeys(t, 5, 4, 0), []byte("\n")), []byte("\n"))
	ids := make([]string, len(good))
	for i, line := range good {
		ids[i] = idOf(t, line)
	}
	untimed := func(line []byte) []byte {
		require.Contains(t, string(line), `"events":[`)
		return []byte(strings.Replace(string(line), `"events":[`, `"events":[{"type":"pricing_page"},`, 1))
	}
	sameID := func(line []byte, id string) []byte {
		return []byte(strings.Replace(string(line), `"id":"`+idOf(t, line)+`"`, `"id":"`+id+`"`, 1))
	}
	lines := [][]byte{
		good[0],                          // 1
		untimed(good[1]),                 // 2: cannot be scored
		[]byte(`{"id":"OPP-X",`),         // 3: rejected before scoring
		good[2],                          // 4
		untimed(sameID(good[3], ids[2])), // 5: cannot be scored, and line 4's ID
		good[4],                          // 6
	}
	for _, shards := range []int{1, 2} {
		res := runPipeline(t, cfg, bytes.Join(lines, []byte("\n")), shards)
		require.Len(t, res.rejected, 3)
		for k, w := range []struct {
			line int
			id   string
			err  string
		}{
			{2, ids[1], `events[0].at: "pricing_page" event needs a time`},
			{3, "", "malformed JSON"},
			{5, ids[2], `events[0].at: "pricing_page" event needs a time`},
		} {
			got := res.rejected[k]
			assert.Equal(t, w.line, got.Line)
			assert.Equal(t, w.id, got.ID, "line %d", w.line)
			assert.Contains(t, got.Err, w.err, "line %d", w.line)
		}
		rows, err := csv.NewReader(bytes.NewReader(res.csv)).ReadAll()
		require.NoError(t, err)
		var gotIDs []string
		for _, row := range rows[1:] {
			gotIDs = append(gotIDs, row[0])
		}
		assert.Equal(t, []string{ids[0], ids[2], ids[4]}, gotIDs, "%d shards", shards)
		assert.Equal(t, 3, res.totals.Journeys)
		assert.Equal(t, 3, res.totals.Rejected)
	}
}

func TestCSVHasOneRowPerGoodJourney(t *testing.T) {
	cfg := testConfig(t)
	input := journeys(t, 2000, 3, 0.01)
	res := runPipeline(t, cfg, input, 3)

	rows, err := csv.NewReader(bytes.NewReader(res.csv)).ReadAll()
	require.NoError(t, err)
	header := rows[0]
	assert.Equal(t, []string{"id", "outcome", "currency", "amount", "fit", "engagement", "total", "tier", "cell", "disqualified_by"}, header[:10])
	assert.Equal(t, append(cfg.taxonomy.Names(), "unattributed"), header[10:])
	rows = rows[1:]
	require.Len(t, rows, res.totals.Journeys)
	assert.Equal(t, 2000, len(rows)+len(res.rejected))

	// Rows come in input order, for exactly the lines not rejected.
	rejectedLine := map[int]bool{}
	for _, r := range res.rejected {
		rejectedLine[r.Line] = true
	}
	var wantIDs []string
	for i, line := range bytes.Split(bytes.TrimSuffix(input, []byte("\n")), []byte("\n")) {
		if !rejectedLine[i+1] {
			wantIDs = append(wantIDs, idOf(t, line))
		}
	}
	gotIDs := make([]string, len(rows))
	for i, row := range rows {
		gotIDs[i] = row[0]
		// Each row's credit columns sum exactly to its amount.
		amount := decimal.RequireFromString(row[3])
		sum := decimal.Zero
		for _, c := range row[10:] {
			sum = sum.Add(decimal.RequireFromString(c))
		}
		require.True(t, amount.Equal(sum), "row %d (%s): credit %s, amount %s", i, row[0], sum, amount)
	}
	assert.Equal(t, wantIDs, gotIDs)
}

// The per-channel credit agrees with attribution.Reconcile, an independent
// path through the package (it validates, converts and allocates every
// journey itself): on the USD journeys, where no conversion rounds, the
// W-shaped pipeline credit of every channel is the same to the cent.
func TestCreditMatchesReconcile(t *testing.T) {
	cfg := testConfig(t)
	input := journeys(t, 1500, 5, 0)
	res := runPipeline(t, cfg, input, 2)

	var usd []attribution.Journey
	for _, line := range bytes.Split(bytes.TrimSuffix(input, []byte("\n")), []byte("\n")) {
		var l journeyLine
		require.NoError(t, json.Unmarshal(line, &l))
		if l.Currency == "USD" {
			usd = append(usd, l.Journey)
		}
	}
	opts := attribution.DefaultReconcileOptions()
	opts.Basis, opts.Period = attribution.Pipeline, 0
	rep, err := attribution.Reconcile(usd, opts, attribution.WShaped())
	require.NoError(t, err)
	require.Empty(t, rep.Errors)

	m := res.totals.Money["USD"]
	names := append(cfg.taxonomy.Names(), attribution.Unattributed)
	got := map[string]string{}
	for col, c := range m.Credit {
		if units := c[0] + c[1] + c[2]; units != 0 {
			got[names[col]] = decimal.New(units, -2).StringFixed(2)
		}
	}
	want := map[string]string{}
	for _, row := range rep.Channels {
		if !row.Cells[0].Credit.IsZero() {
			want[row.Channel] = row.Cells[0].Credit.StringFixed(2)
		}
	}
	assert.Equal(t, want, got)
	assert.Contains(t, got, attribution.Unattributed, "journeys without touches are booked, not dropped")
}

// The merged chain fits to what attribution.FitMarkov gives on the same
// journeys' paths (attribution.PathsOf), exactly: the pipeline builds its
// paths with attribution.AppendPathIn, which converts won amounts to the
// reporting currency as PathsOf does, and a chain's fit does not depend on
// the order or the sharding of its paths.
func TestMarkovMatchesFitMarkov(t *testing.T) {
	cfg := testConfig(t)
	input := journeys(t, 1500, 9, 0)
	res := runPipeline(t, cfg, input, 2)
	got, err := res.totals.Chain.Fit()
	require.NoError(t, err)

	var all []attribution.Journey
	for _, line := range bytes.Split(bytes.TrimSuffix(input, []byte("\n")), []byte("\n")) {
		var l journeyLine
		require.NoError(t, json.Unmarshal(line, &l))
		all = append(all, l.Journey)
	}
	paths, _, bad := attribution.PathsOf(all, cfg.rates)
	require.Empty(t, bad)
	want, err := attribution.FitMarkov(paths, 1)
	require.NoError(t, err)

	assert.Equal(t, want, got)
}

func TestGeneratorIsDeterministic(t *testing.T) {
	a := journeys(t, 2500, 42, 0.01)
	var b bytes.Buffer
	g := generator{seed: 42, bad: 0.01}
	require.NoError(t, g.writeJourneys(&b, 2500, 1, nil))
	assert.Equal(t, a, b.Bytes(), "the same file whatever the number of goroutines")
	assert.NotEqual(t, a, journeys(t, 2500, 43, 0.01), "another seed, another file")

	// Journey i can be drawn on its own.
	lines := bytes.Split(a, []byte("\n"))
	var l journeyLine
	r := rng{rand.New(rand.NewPCG(42, 1234))}
	g.journey(r, 1234, &l)
	require.Equal(t, good, g.spoil(r, &l))
	one, err := json.Marshal(&l)
	require.NoError(t, err)
	assert.Equal(t, string(lines[1234]), string(one))
}

func TestGeneratedJourneysAreValid(t *testing.T) {
	cfg := testConfig(t)
	res := runPipeline(t, cfg, journeys(t, 3000, 2, 0), 2)
	assert.Empty(t, res.rejected)
	tot := res.totals
	// The shapes of the sample company: about 30% of closed deals won,
	// about a tenth still open, every tier used.
	closed := tot.Outcomes[attribution.Won] + tot.Outcomes[attribution.Lost]
	assert.InDelta(t, 0.3, float64(tot.Outcomes[attribution.Won])/float64(closed), 0.05)
	assert.InDelta(t, 0.1, float64(tot.Outcomes[attribution.Open])/float64(tot.Journeys), 0.05)
	for _, tier := range []string{"A", "B", "C", "D", "DQ"} {
		assert.NotZero(t, tot.Tiers[tier], tier)
	}
	for _, dq := range []string{"student", "existing_customer", "competitor", "unserved_country"} {
		assert.NotZero(t, tot.Disqualified[dq], dq)
	}
}

func TestReadLine(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader("a\r\nbb\n"+strings.Repeat("x", 40)+"\n\nlast"), 16)
	var got []string
	for {
		line, tooLong, err := readLine(r)
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if tooLong {
			got = append(got, "(too long)")
			continue
		}
		got = append(got, string(line))
	}
	assert.Equal(t, []string{"a", "bb", "(too long)", "", "last"}, got)
}

func TestAppendUnits(t *testing.T) {
	for _, c := range []struct {
		units  int64
		places int32
		want   string
	}{
		{495000, 2, "4950.00"}, {5, 2, "0.05"}, {50, 2, "0.50"}, {0, 2, "0.00"}, {-1234, 2, "-12.34"},
		{7, 0, "7"}, {1005, 3, "1.005"}, {100000, 4, "10.0000"},
	} {
		assert.Equal(t, c.want, string(appendUnits(nil, c.units, c.places)), "%d units, %d places", c.units, c.places)
	}
}

func TestAppendField(t *testing.T) {
	// Quoted as encoding/csv quotes (an independent writer).
	for _, s := range []string{"OPP-1", "", "a,b", `say "hi"`, "two\nlines", " lead", "plain text"} {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		require.NoError(t, w.Write([]string{s}))
		w.Flush()
		assert.Equal(t, strings.TrimSuffix(want.String(), "\n"), string(appendField(nil, s)), "%q", s)
	}
}

// A small end-to-end run through the command line: generate a file with
// bad lines, process it with -verify, and read what it wrote.
func TestEndToEnd(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "journeys.jsonl.gz"), filepath.Join(dir, "scores.csv")
	rejects, summaryPath := filepath.Join(dir, "rejects.csv"), filepath.Join(dir, "summary.json")
	var stdout, stderr bytes.Buffer
	require.NoError(t, cli([]string{"-generate", "3e3", "-bad", "0.01", "-seed", "5", "-out", in}, nil, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "wrote 3,000 journeys (seed 5)")

	stdout.Reset()
	err := cli([]string{"-in", in, "-out", out, "-rejects", rejects, "-summary", summaryPath, "-shards", "3", "-verify"}, nil, &stdout, &stderr)
	require.NoError(t, err, stderr.String())
	assert.Contains(t, stdout.String(), "every line accounted for")
	assert.Contains(t, stdout.String(), "verify: the 3-shard run equals the single pass")
	assert.Contains(t, stderr.String(), "rejected line ", "the first rejected lines are shown on stderr")

	var s summary
	b, err := os.ReadFile(summaryPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &s))
	assert.Equal(t, 3000, s.Lines)
	assert.Equal(t, s.Lines, s.Blank+s.Rejected+s.Journeys)
	assert.NotZero(t, s.Rejected)
	assert.NotNil(t, s.Markov)

	csvRows, err := csv.NewReader(mustOpen(t, out)).ReadAll()
	require.NoError(t, err)
	assert.Len(t, csvRows, 1+s.Journeys)
	rejRows, err := csv.NewReader(mustOpen(t, rejects)).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rejRows, 1+s.Rejected)

	// The CSV goes to stdout by default; the summary then goes to stderr.
	stdout.Reset()
	stderr.Reset()
	require.NoError(t, cli([]string{"-in", in, "-shards", "2"}, nil, &stdout, &stderr))
	assert.True(t, strings.HasPrefix(stdout.String(), "id,outcome,"))
	assert.Contains(t, stderr.String(), "every line accounted for")
	assert.NotContains(t, stdout.String(), "accounted")
}

func TestFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-in", "x.jsonl", "-model", "nine_shaped"},
		{"-in", "x.jsonl", "-order", "5"},
		{"-in", "-", "-verify"},
		{"-in", "x.jsonl", "-asof", "yesterday"},
		{"-generate", "ten"},
		{"-generate", "10", "-bad", "2"},
		{"-in", filepath.Join(t.TempDir(), "missing.jsonl")},
	} {
		var stdout, stderr bytes.Buffer
		assert.Error(t, cli(args, strings.NewReader(""), &stdout, &stderr), "%v", args)
	}
}

func mustOpen(t *testing.T, path string) io.Reader {
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

var (
	benchOnce  sync.Once
	benchInput []byte
)

// 100,000 generated journeys, in memory.
func benchJourneys(b *testing.B) []byte {
	benchOnce.Do(func() { benchInput = journeys(b, 100_000, 1, 0) })
	return benchInput
}

// BenchmarkPipeline is the whole pipeline over 100,000 journeys in memory:
// decode, score, credit, aggregate, merge and write the CSV, with one shard
// per core.
func BenchmarkPipeline(b *testing.B) {
	cfg := testConfig(b)
	input := benchJourneys(b)
	r := &run{cfg: cfg, shards: runtime.GOMAXPROCS(0), asOf: genAsOf, reject: func(rejected) error { return nil }}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := r.process(bytes.NewReader(input), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*100_000/b.Elapsed().Seconds(), "journeys/s")
}

// BenchmarkScoreAndCredit is the hot loop of one shard on decoded journeys:
// ScoreBatch, Allocate, the per-channel totals, the Markov and Shapley
// aggregates and the CSV row, for a batch of 1,000 journeys. It allocates
// nothing.
func BenchmarkScoreAndCredit(b *testing.B) {
	cfg := testConfig(b)
	input := benchJourneys(b)
	s, err := newShard(cfg, genAsOf)
	require.NoError(b, err)
	bt := &batch{first: 1}
	for _, line := range bytes.SplitN(input, []byte("\n"), batchLines+1)[:batchLines] {
		start := len(bt.data)
		bt.data = append(bt.data, line...)
		bt.lines = append(bt.lines, span{start: start, end: len(bt.data)})
	}
	s.decode(bt)
	require.Len(b, s.recs, batchLines)
	require.NoError(b, s.score(bt)) // grow the buffers
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := s.score(bt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batchLines, "ns/journey")
}

func idOf(t *testing.T, line []byte) string {
	t.Helper()
	var l journeyLine
	require.NoError(t, json.Unmarshal(line, &l))
	return l.ID
}
