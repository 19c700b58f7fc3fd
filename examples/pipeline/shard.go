package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
	"github.com/revalign/revalign/icp"
)

// batch is a run of consecutive input lines, the unit the reader hands to
// the shards and the writer puts back in order. Batches are recycled: their
// buffers serve the whole run.
type batch struct {
	seq   int    // position in the input, from 0
	first int    // line number of the first line, from 1
	data  []byte // the lines' bytes, back to back, without newlines
	lines []span
	// Filled by the shard: the CSV rows of the good journeys, in input
	// order, and the rejected lines.
	out      []byte
	rows     int
	rejected []rejected
}

// span locates one line in batch.data; tooLong marks a line longer than the
// reader's buffer, which was skipped.
type span struct {
	start, end int
	tooLong    bool
}

// rejected is an input line the pipeline could not use, with why.
type rejected struct {
	Line int    // line number, from 1
	ID   string // journey ID, when the line got that far
	Err  string
}

func (r rejected) String() string {
	if r.ID == "" {
		return fmt.Sprintf("line %d: %s", r.Line, r.Err)
	}
	return fmt.Sprintf("line %d (%s): %s", r.Line, r.ID, r.Err)
}

// shard is one goroutine's share of the work: its buffers, reused for every
// batch so that the hot loop does not allocate, and its totals, merged with
// the other shards' at the end. A shard is used by one goroutine only.
type shard struct {
	cfg  *config
	asOf time.Time
	t    *totals

	slots   []slot       // one per line of a batch
	recs    []icp.Record // the good lines' records, for ScoreBatch
	good    []int        // recs[k] is slots[good[k]]
	results []icp.Result
	alloc   attribution.Allocation
	credit  []int64 // one journey's credit by column
	path    attribution.Path
}

// slot holds one decoded line.
type slot struct {
	line   journeyLine
	values []icp.Value
	units  int64 // the amount in minor units
}

func newShard(cfg *config, asOf time.Time) (*shard, error) {
	t, err := newTotals(cfg.order, cfg.unattributed()+1)
	if err != nil {
		return nil, err
	}
	return &shard{cfg: cfg, asOf: asOf, t: t, credit: make([]int64, cfg.unattributed()+1)}, nil
}

// process scores, credits and aggregates every line of b, writing b's CSV
// rows and rejected lines. Bad lines are rejected and the rest carry on; the
// error is for a failure of the run itself (totals overflowing).
func (s *shard) process(b *batch) error {
	b.rejected = b.rejected[:0]
	s.decode(b)
	err := s.score(b)
	slices.SortFunc(b.rejected, func(x, y rejected) int { return x.Line - y.Line })
	return err
}

// decode decodes and validates every line of b into the shard's slots, and
// lays the good ones out as ICP records. This is where the per-record
// allocations of the pipeline are: encoding/json allocates the strings and
// the decimal amount of every line.
func (s *shard) decode(b *batch) {
	for len(s.slots) < len(b.lines) {
		s.slots = append(s.slots, slot{})
	}
	s.recs, s.good = s.recs[:0], s.good[:0]
	for i, sp := range b.lines {
		s.t.Lines++
		n := b.first + i
		raw := b.data[sp.start:sp.end]
		switch {
		case sp.tooLong:
			s.reject(b, n, "", fmt.Sprintf("line longer than %d bytes", maxLine))
			continue
		case len(bytes.TrimSpace(raw)) == 0:
			s.t.Blank++
			continue
		}
		sl := &s.slots[i]
		sl.line.reset()
		if err := json.Unmarshal(raw, &sl.line); err != nil {
			// The ID is there when the line is valid JSON with a bad value.
			s.reject(b, n, sl.line.ID, "malformed JSON: "+err.Error())
			continue
		}
		units, err := s.check(&sl.line)
		if err != nil {
			s.reject(b, n, sl.line.ID, oneLine(err))
			continue
		}
		sl.units = units
		sl.values = sl.line.Lead.values(sl.values)
		s.recs = append(s.recs, icp.Record{ID: sl.line.ID, Values: sl.values, Events: sl.line.Events})
		s.good = append(s.good, i)
	}
}

// score scores the decoded journeys of b in one ScoreBatch call, then
// credits and aggregates each in input order and renders its CSV row. It
// allocates nothing once the shard's buffers have grown (the hot loop).
func (s *shard) score(b *batch) error {
	b.out, b.rows = b.out[:0], 0
	var errs []revalign.RecordError
	s.results, errs = s.cfg.scorer.ScoreBatch(s.recs, s.asOf, s.results)
	for k, i := range s.good {
		res := &s.results[k]
		n := b.first + i
		if res.Tier == "" {
			// ScoreBatch leaves a bad record's result with only its ID and
			// reports the errors in record order.
			s.reject(b, n, res.ID, oneLine(errs[0].Err))
			errs = errs[1:]
			continue
		}
		if err := s.add(b, n, &s.slots[i], res); err != nil {
			return err
		}
	}
	return nil
}

// check validates a decoded journey against the taxonomy and the rates and
// returns its amount in minor units.
func (s *shard) check(l *journeyLine) (int64, error) {
	if err := l.Journey.Validate(s.cfg.taxonomy); err != nil {
		return 0, err
	}
	l.Currency = strings.ToUpper(l.Currency) // no allocation when it already is
	if _, ok := s.cfg.toBase[l.Currency]; !ok {
		return 0, fmt.Errorf("currency %s: no exchange rate to %s", l.Currency, s.cfg.rates.Base)
	}
	return revalign.ToUnits(l.Amount, revalign.MinorUnits(l.Currency))
}

// add credits one scored journey with the primary model, books it in the
// totals and writes its CSV row. A journey the model cannot credit (no
// touches) is booked to the unattributed column, so no amount is lost.
func (s *shard) add(b *batch, n int, sl *slot, res *icp.Result) error {
	l := &sl.line
	clear(s.credit)
	switch err := attribution.Allocate(&s.alloc, s.cfg.model, &l.Journey); {
	case err == nil:
		for i, u := range s.alloc.Units {
			s.credit[s.cfg.channels[l.Touches[i].Channel]] += u
		}
	case errors.Is(err, attribution.ErrNoCredit):
		s.credit[s.cfg.unattributed()] = sl.units
	default:
		s.reject(b, n, l.ID, oneLine(err))
		return nil
	}

	places := revalign.MinorUnits(l.Currency)
	if err := s.t.money(l.Currency, places).add(l.Outcome, sl.units, s.credit); err != nil {
		return fmt.Errorf("line %d (%s): %s: %w", n, l.ID, l.Currency, err)
	}
	s.t.Journeys++
	s.t.Outcomes[l.Outcome]++
	s.t.Tiers[res.Tier]++
	if res.Disqualified {
		s.t.Disqualified[res.DisqualifiedBy]++
	}
	if err := s.addPath(l, sl.units, places); err != nil {
		return fmt.Errorf("line %d (%s): %w", n, l.ID, err)
	}
	b.out = appendRow(b.out, l, res, s.credit, places)
	b.rows++
	return nil
}

// addPath adds a closed journey with touches to the data-driven aggregates,
// as attribution.PathOf would, but into the shard's reused path: won is a
// conversion worth the amount in the reporting currency, lost is a null.
// Open journeys have neither converted nor failed yet.
func (s *shard) addPath(l *journeyLine, units int64, places int32) error {
	if l.Outcome == attribution.Open || len(l.Touches) == 0 {
		return nil
	}
	p := &s.path
	p.Channels = p.Channels[:0]
	for _, t := range l.Touches {
		p.Channels = append(p.Channels, t.Channel)
	}
	p.Conversions, p.Value, p.Nulls = 0, 0, 0
	if l.Outcome == attribution.Won {
		p.Conversions = 1
		p.Value = float64(units) / pow10[places] * s.cfg.toBase[l.Currency]
	} else {
		p.Nulls = 1
	}
	if err := s.t.Chain.Add(*p); err != nil {
		return err
	}
	return s.t.Coalitions.Add(*p)
}

var pow10 = [...]float64{1, 10, 100, 1000, 10000}

func (s *shard) reject(b *batch, line int, id, why string) {
	s.t.Rejected++
	b.rejected = append(b.rejected, rejected{Line: line, ID: id, Err: why})
}

// oneLine flattens an error (errors.Join puts one problem per line).
func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }
