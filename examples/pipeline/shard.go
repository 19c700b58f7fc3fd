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
	failed  []bool // failed[k]: ScoreBatch reported recs[k]
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
	// Each record error carries its record's index in s.recs as an
	// icp.BatchError: that, not the journey ID (which a broken export may
	// repeat) nor the order of the errors, says which line it belongs to.
	s.failed = append(s.failed[:0], make([]bool, len(s.recs))...)
	for _, e := range errs {
		var be *icp.BatchError
		if !errors.As(e, &be) || be.Index < 0 || be.Index >= len(s.recs) {
			return fmt.Errorf("icp: a record error without the index of its record: %w", e)
		}
		s.failed[be.Index] = true
		i := s.good[be.Index]
		s.reject(b, b.first+i, s.slots[i].line.ID, oneLine(be.Err))
	}
	for k, i := range s.good {
		if s.failed[k] {
			continue
		}
		if err := s.add(b, b.first+i, &s.slots[i], &s.results[k]); err != nil {
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
	if _, ok := s.cfg.rates.Rates[l.Currency]; !ok && l.Currency != s.cfg.rates.Base {
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
	if err := s.addPath(l); err != nil {
		return fmt.Errorf("line %d (%s): %w", n, l.ID, err)
	}
	b.out = appendRow(b.out, l, res, s.credit, places)
	b.rows++
	return nil
}

// addPath adds a closed journey with touches to the data-driven aggregates:
// attribution.AppendPathIn builds its path into the shard's reused one (won
// is a conversion worth the amount converted to the reporting currency,
// exactly as attribution.PathsOf converts it, so that every path's value is
// in one currency; lost is a null; an open journey, or one without touches,
// has no path). It allocates nothing, and check has made sure the
// journey's currency has a rate.
func (s *shard) addPath(l *journeyLine) error {
	var ok bool
	var err error
	if s.path, ok, err = attribution.AppendPathIn(s.path, &l.Journey, s.cfg.rates); !ok {
		return err
	}
	if err := s.t.Chain.Add(s.path); err != nil {
		return err
	}
	return s.t.Coalitions.Add(s.path)
}

func (s *shard) reject(b *batch, line int, id, why string) {
	s.t.Rejected++
	b.rejected = append(b.rejected, rejected{Line: line, ID: id, Err: why})
}

// oneLine flattens an error (errors.Join puts one problem per line).
func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }
