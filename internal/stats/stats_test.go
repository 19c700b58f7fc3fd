package stats

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPercentile(t *testing.T) {
	cases := []struct {
		data []float64
		p    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{1, 2, 3, 4}, 0.75, 3.25}, // numpy.percentile([1,2,3,4], 75)
		{[]float64{1, 2, 3, 4}, 0, 1},
		{[]float64{1, 2, 3, 4}, 1, 4},
		{[]float64{7}, 0.75, 7},
		{[]float64{10, 20, 30, 40, 50}, 0.75, 40},
		{[]float64{15, 20, 35, 40, 50}, 0.4, 29}, // numpy: 29.0
	}
	for _, c := range cases {
		assert.InDelta(t, c.want, Percentile(c.data, c.p), 1e-12, "%v p=%v", c.data, c.p)
	}
	assert.True(t, math.IsNaN(Percentile(nil, 0.5)))
	assert.True(t, math.IsNaN(Percentile([]float64{1}, 1.5)))
	assert.True(t, math.IsNaN(Percentile([]float64{1}, math.NaN())))
}

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{4, 1, 3, 2}, 3)
	assert.Equal(t, Summary{N: 4, Mean: 2.5, Median: 2.5, P75: 3.25}, s)
	assert.Equal(t, Summary{N: 2, Withheld: true}, Summarize([]float64{4, 1}, 3))
	assert.Equal(t, Summary{Withheld: true}, Summarize(nil, 0))
	assert.Equal(t, 1.5, Days(36*time.Hour))
}
