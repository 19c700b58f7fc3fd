package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"
)

// Limits of the reader: lines longer than maxLine are rejected (and
// skipped, not loaded); a batch holds up to batchLines lines or batchBytes
// bytes.
const (
	maxLine    = 4 << 20
	batchLines = 1000
	batchBytes = 2 << 20
)

// run is one pass over a journey file.
type run struct {
	cfg    *config
	shards int
	asOf   time.Time
	// reject is called, in input order, for every line that cannot be used.
	reject func(rejected) error
	// meter counts the work done for the progress display; may be nil.
	meter *meter
	// wire merges the shards as the driver of a distributed engine does:
	// each shard's totals are marshalled, as a worker sends them, and
	// unmarshalled before they are merged. -verify sets it, so that the
	// comparison with the single pass proves the trip exact too.
	wire bool
}

// process streams journey lines from in and writes the CSV to out. The
// stages:
//
//   - one reader cuts the input into batches of lines (never loading it
//     whole: a fixed set of batches is recycled);
//   - r.shards goroutines each take batches as they come, decode, score,
//     credit and aggregate them into the shard's own totals, and render the
//     CSV rows;
//   - the calling goroutine writes the batches' rows back in input order
//     and reports rejected lines.
//
// At the end the shards' totals are merged. Which batch went to which shard
// depends on scheduling; the merged totals do not.
func (r *run) process(in io.Reader, out io.Writer) (*totals, int, error) {
	shards := make([]*shard, max(1, r.shards))
	for i := range shards {
		s, err := newShard(r.cfg, r.asOf)
		if err != nil {
			return nil, 0, err
		}
		shards[i] = s
	}
	nb := 4 * len(shards)
	free := make(chan *batch, nb)
	for range nb {
		free <- &batch{}
	}
	// work and done can hold every batch, so sends on them never block.
	work, done := make(chan *batch, nb), make(chan *batch, nb)
	stop := make(chan struct{})
	var (
		once     sync.Once
		firstErr error
	)
	fail := func(err error) {
		once.Do(func() { firstErr = err; close(stop) })
	}

	go func() { // the reader
		defer close(work)
		if err := readBatches(in, free, work, stop); err != nil {
			fail(fmt.Errorf("reading: %w", err))
		}
	}()
	var wg sync.WaitGroup
	for _, s := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				select {
				case <-stop: // drain after a failure
					continue
				default:
				}
				if err := s.process(b); err != nil {
					fail(err)
					continue
				}
				done <- b
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	// The writer: batches come back in any order and leave in input order.
	w := bufio.NewWriterSize(out, 1<<20)
	rows := 0
	write := func(b *batch) error {
		if _, err := w.Write(b.out); err != nil {
			return fmt.Errorf("writing CSV: %w", err)
		}
		rows += b.rows
		for _, rj := range b.rejected {
			if err := r.reject(rj); err != nil {
				return fmt.Errorf("reporting rejected lines: %w", err)
			}
		}
		if r.meter != nil {
			r.meter.records.Add(int64(len(b.lines)))
		}
		return nil
	}
	if _, err := w.Write(csvHeader(r.cfg)); err != nil {
		fail(fmt.Errorf("writing CSV: %w", err))
	}
	pending := map[int]*batch{}
	next := 0
	for b := range done {
		pending[b.seq] = b
		for b, ok := pending[next]; ok; b, ok = pending[next] {
			delete(pending, next)
			next++
			select {
			case <-stop: // failed: drain without writing
			default:
				if err := write(b); err != nil {
					fail(err)
				}
			}
			free <- b
		}
	}
	// Every goroutine that could fail has finished (done is closed after
	// the shards, which finish after the reader).
	if firstErr != nil {
		return nil, rows, firstErr
	}
	if err := w.Flush(); err != nil {
		return nil, rows, fmt.Errorf("writing CSV: %w", err)
	}

	// Combine: merge every shard's totals into the first, or, over the
	// wire, every shard's decoded totals into new ones.
	total, rest := shards[0].t, shards[1:]
	if r.wire {
		var err error
		if total, err = newTotals(r.cfg.order, r.cfg.unattributed()+1); err != nil {
			return nil, rows, err
		}
		rest = shards
	}
	for _, s := range rest {
		t := s.t
		if r.wire {
			var err error
			if t, err = t.roundTrip(); err != nil {
				return nil, rows, err
			}
		}
		if err := total.merge(t); err != nil {
			return nil, rows, err
		}
	}
	return total, rows, nil
}

// readBatches cuts in into batches of lines taken from free and sends them
// on work, until the input ends or stop is closed.
func readBatches(in io.Reader, free <-chan *batch, work chan<- *batch, stop <-chan struct{}) error {
	br := bufio.NewReaderSize(in, maxLine)
	line := 1
	for seq := 0; ; seq++ {
		var b *batch
		select {
		case b = <-free:
		case <-stop:
			return nil
		}
		b.seq, b.first = seq, line
		b.data, b.lines = b.data[:0], b.lines[:0]
		var err error
		for len(b.lines) < batchLines && len(b.data) < batchBytes {
			var raw []byte
			var tooLong bool
			if raw, tooLong, err = readLine(br); err != nil {
				break
			}
			start := len(b.data)
			b.data = append(b.data, raw...)
			b.lines = append(b.lines, span{start: start, end: len(b.data), tooLong: tooLong})
		}
		line += len(b.lines)
		if len(b.lines) > 0 {
			work <- b
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readLine returns the next line without its line ending, or io.EOF after
// the last one. A line longer than the reader's buffer is skipped up to its
// end and reported with tooLong.
func readLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	line, err = r.ReadSlice('\n')
	for err == bufio.ErrBufferFull {
		line, tooLong = nil, true
		_, err = r.ReadSlice('\n')
	}
	if err == io.EOF && (len(line) > 0 || tooLong) {
		err = nil // the last line has no newline
	}
	if err != nil {
		return nil, false, err
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), tooLong, nil
}
