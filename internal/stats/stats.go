package stats

import (
	"math"
	"slices"
	"time"
)

// Percentile returns the p-th quantile (p in [0,1]) of sorted, ascending
// data by linear interpolation between closest ranks — the definition of
// numpy's default, R's type 7 and spreadsheet PERCENTILE.INC, which analysts
// check revalign against. The median of 1, 2, 3, 4 is 2.5. It returns NaN
// for empty data or p outside [0,1].
func Percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	h := p * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// Median is Percentile(sorted, 0.5).
func Median(sorted []float64) float64 { return Percentile(sorted, 0.5) }

// Summary is the mean, median and 75th percentile of a sample, with its
// size. A sample smaller than the minimum a report asks for is withheld:
// Withheld is true and the statistics are zero.
type Summary struct {
	// N is the sample size.
	N int `json:"n"`
	// Mean is the arithmetic mean.
	Mean float64 `json:"mean"`
	// Median is the 50th percentile (see Percentile).
	Median float64 `json:"median"`
	// P75 is the 75th percentile.
	P75 float64 `json:"p75"`
	// Withheld is true when the sample was too small to report.
	Withheld bool `json:"withheld,omitempty"`
}

// Summarize sorts x in place and returns its summary, withheld when
// len(x) < minN.
func Summarize(x []float64, minN int) Summary {
	s := Summary{N: len(x)}
	if len(x) == 0 || len(x) < minN {
		s.Withheld = true
		return s
	}
	slices.Sort(x)
	var sum float64
	for _, v := range x {
		sum += v
	}
	s.Mean = sum / float64(len(x))
	s.Median = Median(x)
	s.P75 = Percentile(x, 0.75)
	return s
}

// Days converts a duration to fractional days of 24 hours.
func Days(d time.Duration) float64 { return d.Hours() / 24 }
