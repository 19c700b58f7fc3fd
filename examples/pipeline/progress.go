package main

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// meter counts the work done, for the progress line: records (lines)
// finished and input bytes read. The pipeline's goroutines update it; the
// progress line reads it.
type meter struct {
	records atomic.Int64
	bytes   atomic.Int64
}

// countingReader counts the bytes read through it into n.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// isTerminal reports whether f is a terminal (a character device), without
// a dependency on golang.org/x/term.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// startProgress redraws one progress line on w twice a second, "label:
// 412,000 journeys, 203,118/s, 41%, ETA 0:13", until stop is called. The ETA
// comes from totalRecords when known, else from the bytes read against
// totalBytes (the input file's size), else there is none.
func startProgress(w io.Writer, label string, m *meter, totalBytes, totalRecords int64) (stop func()) {
	start := time.Now()
	quit, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				fmt.Fprint(w, "\r\033[K") // clear the line
				return
			case <-tick.C:
			}
			n, elapsed := m.records.Load(), time.Since(start).Seconds()
			rate := float64(n) / elapsed
			line := fmt.Sprintf("%s: %s journeys, %s/s", label, thousands(int(n)), thousands(int(rate)))
			done := -1.0
			switch {
			case totalRecords > 0:
				done = float64(n) / float64(totalRecords)
			case totalBytes > 0:
				done = float64(m.bytes.Load()) / float64(totalBytes)
			}
			if done > 0 {
				eta := time.Duration((1 - done) / done * elapsed * float64(time.Second))
				line += fmt.Sprintf(", %.0f%%, ETA %d:%02d", 100*min(done, 1), int(eta.Minutes()), int(eta.Seconds())%60)
			}
			fmt.Fprint(w, "\r"+line+"\033[K")
		}
	}()
	return func() { close(quit); <-finished }
}
