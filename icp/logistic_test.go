package icp

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// TestFitLogitMatchesNewton checks the L-BFGS fit against Newton's method on
// the same objective, written out independently here (dense Hessian, exact
// solve).
func TestFitLogitMatchesNewton(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	const n, p = 600, 3
	x := make([]float64, n*p)
	y := make([]float64, n)
	w := make([]float64, n)
	for i := range n {
		x[i*p] = float64(rng.IntN(2))
		x[i*p+1] = rng.NormFloat64()*3 + 10
		x[i*p+2] = float64(rng.IntN(5))
		z := -1 + 1.5*x[i*p] + 0.2*(x[i*p+1]-10) - 0.4*x[i*p+2]
		if rng.Float64() < 1/(1+math.Exp(-z)) {
			y[i] = 1
		}
		w[i] = []float64{1, 0.5}[rng.IntN(2)]
	}
	const lambda = 0.01
	got, err := fitLogit(x, p, y, w, lambda)
	require.NoError(t, err)

	// Newton on the standardised columns.
	mean, sd := make([]float64, p), make([]float64, p)
	for j := range p {
		for i := range n {
			mean[j] += x[i*p+j] / n
		}
		for i := range n {
			d := x[i*p+j] - mean[j]
			sd[j] += d * d / n
		}
		sd[j] = math.Sqrt(sd[j])
	}
	var sumW float64
	for _, v := range w {
		sumW += v
	}
	b := make([]float64, p+1)
	for range 50 {
		g := mat.NewVecDense(p+1, nil)
		h := mat.NewSymDense(p+1, nil)
		for i := range n {
			row := []float64{1, 0, 0, 0}
			for j := range p {
				row[j+1] = (x[i*p+j] - mean[j]) / sd[j]
			}
			var z float64
			for j := range row {
				z += b[j] * row[j]
			}
			q := 1 / (1 + math.Exp(-z))
			for j := range row {
				g.SetVec(j, g.AtVec(j)+w[i]*(q-y[i])*row[j]/sumW)
				for k := j; k <= p; k++ {
					h.SetSym(j, k, h.At(j, k)+w[i]*q*(1-q)*row[j]*row[k]/sumW)
				}
			}
		}
		for j := 1; j <= p; j++ {
			g.SetVec(j, g.AtVec(j)+lambda*b[j])
			h.SetSym(j, j, h.At(j, j)+lambda)
		}
		var step mat.VecDense
		require.NoError(t, step.SolveVec(h, g))
		for j := range b {
			b[j] -= step.AtVec(j)
		}
	}
	want := logit{intercept: b[0], coef: make([]float64, p)}
	for j := range p {
		want.coef[j] = b[j+1] / sd[j]
		want.intercept -= want.coef[j] * mean[j]
	}
	assert.InDelta(t, want.intercept, got.intercept, 1e-4)
	for j := range p {
		assert.InDelta(t, want.coef[j], got.coef[j], 1e-4, "coef %d", j)
	}
}

func TestFitLogitEdgeCases(t *testing.T) {
	// A constant column gets 0; the intercept is the log-odds of the mean.
	x := []float64{1, 1, 1, 1}
	y := []float64{1, 0, 0, 0}
	w := []float64{1, 1, 1, 1}
	got, err := fitLogit(x, 1, y, w, 0)
	require.NoError(t, err)
	assert.Equal(t, 0.0, got.coef[0])
	assert.InDelta(t, math.Log(1.0/3), got.intercept, 1e-6)

	_, err = fitLogit(nil, 1, nil, nil, 0)
	assert.Error(t, err)
	_, err = fitLogit(x, 1, y, []float64{0, 0, 0, 0}, 0)
	assert.ErrorContains(t, err, "weights sum to 0")
	_, err = fitLogit(x, 2, y, w, 0)
	assert.Error(t, err)
}

func TestAreaUnderROC(t *testing.T) {
	// Hand-computed: scores 1..4 with labels 0 1 0 1: pairs (pos, neg) are
	// (2,1) ok, (2,3) wrong, (4,1) ok, (4,3) ok → 3/4.
	assert.Equal(t, 0.75, areaUnderROC([]float64{1, 2, 3, 4}, []float64{0, 1, 0, 1}, []float64{1, 1, 1, 1}))
	// Ties count one half.
	assert.Equal(t, 0.5, areaUnderROC([]float64{1, 1}, []float64{0, 1}, []float64{1, 1}))
	// Weights: the negative at 3 weighs 3 → ok pairs weigh 1·1 + 1·1 + 1·3 = 5 of 1·(1+3)·2 = 8.
	assert.Equal(t, 5.0/8, areaUnderROC([]float64{1, 2, 3, 4}, []float64{0, 1, 0, 1}, []float64{1, 1, 3, 1}))
	assert.Equal(t, 0.5, areaUnderROC([]float64{1, 2}, []float64{1, 1}, []float64{1, 1}), "one class")
	// Against pair counting on random data with ties.
	rng := rand.New(rand.NewPCG(9, 9))
	s, y, w := make([]float64, 500), make([]float64, 500), make([]float64, 500)
	for i := range s {
		s[i] = float64(rng.IntN(40))
		y[i] = float64(rng.IntN(2))
		w[i] = 1 + float64(rng.IntN(2))
	}
	var good, all float64
	for i := range s {
		for j := range s {
			if y[i] == 1 && y[j] == 0 {
				all += w[i] * w[j]
				switch {
				case s[i] > s[j]:
					good += w[i] * w[j]
				case s[i] == s[j]:
					good += w[i] * w[j] / 2
				}
			}
		}
	}
	assert.InDelta(t, good/all, areaUnderROC(s, y, w), 1e-12)
}

func TestMetrics(t *testing.T) {
	p := []float64{0.9, 0.2, 0.6, 0.05}
	y := []float64{1, 0, 0, 0}
	w := []float64{1, 1, 0.5, 1}
	brier, ll, rel := metrics(p, y, w, 2)
	// Hand-computed: Σw(p−y)² = 0.01 + 0.04 + 0.5·0.36 + 0.0025 = 0.2325 over Σw = 3.5.
	assert.InDelta(t, 0.2325/3.5, brier, 1e-12)
	wantLL := -(math.Log(0.9) + math.Log(0.8) + 0.5*math.Log(0.4) + math.Log(0.95)) / 3.5
	assert.InDelta(t, wantLL, ll, 1e-12)
	require.Len(t, rel, 2)
	assert.Equal(t, Bin{Low: 0, High: 0.5, Leads: 2, Predicted: 0.125, Observed: 0}, rel[0])
	assert.Equal(t, 2, rel[1].Leads)
	assert.InDelta(t, (0.9+0.5*0.6)/1.5, rel[1].Predicted, 1e-12)
	assert.InDelta(t, 1/1.5, rel[1].Observed, 1e-12)
	// A probability of exactly 1 falls in the last bin.
	_, _, rel = metrics([]float64{1}, []float64{1}, []float64{1}, 4)
	assert.Equal(t, 1, rel[3].Leads)
}

func TestSplitIsStratified(t *testing.T) {
	y := make([]float64, 1000)
	for i := range 200 {
		y[i*5] = 1
	}
	train, hold := split(y, 0.3, 42)
	assert.Len(t, hold, 300)
	assert.Len(t, train, 700)
	var pos int
	for _, i := range hold {
		pos += int(y[i])
	}
	assert.Equal(t, 60, pos, "30% of the 200 positives")
	seen := map[int]bool{}
	for _, i := range append(train, hold...) {
		assert.False(t, seen[i])
		seen[i] = true
	}
	train2, hold2 := split(y, 0.3, 42)
	assert.Equal(t, train, train2)
	assert.Equal(t, hold, hold2)
	_, hold3 := split(y, 0.3, 43)
	assert.NotEqual(t, hold, hold3)
}
