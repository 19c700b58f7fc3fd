package icp

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat"
)

// logit is a fitted logistic model P(y=1 | x) = σ(intercept + Σ coef·x) on
// the original (not standardised) scale of x.
type logit struct {
	intercept float64
	coef      []float64
}

func (l logit) prob(x []float64) float64 {
	z := l.intercept
	for j, c := range l.coef {
		z += c * x[j]
	}
	return sigmoid(z)
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// softplus returns log(1 + e^z) without overflow.
func softplus(z float64) float64 {
	return math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z)))
}

// fitLogit fits an L2-regularised logistic regression to the n rows of x
// (row-major, p columns) with targets y and weights w by minimising
//
//	Σ wᵢ·ℓᵢ / Σ wᵢ + λ/2 · Σⱼ bⱼ²
//
// where ℓ is the log-loss and bⱼ are the coefficients of the standardised
// columns (mean 0, standard deviation 1 over the rows); the intercept is not
// penalised. Constant columns get a coefficient of 0. gonum's L-BFGS does the
// minimisation; the coefficients are returned on the original scale.
func fitLogit(x []float64, p int, y, w []float64, lambda float64) (logit, error) {
	n := len(y)
	if n == 0 || len(x) != n*p || len(w) != n {
		return logit{}, fmt.Errorf("icp: logistic fit: %d rows, %d values, %d weights for %d columns", n, len(x), len(w), p)
	}
	mean := make([]float64, p)
	sd := make([]float64, p)
	col := make([]float64, n)
	for j := range p {
		for i := range n {
			col[i] = x[i*p+j]
		}
		mean[j], sd[j] = stat.PopMeanStdDev(col, nil)
	}
	z := make([]float64, n*p) // standardised columns, 0 for constant ones
	for i := range n {
		for j := range p {
			if sd[j] > 0 {
				z[i*p+j] = (x[i*p+j] - mean[j]) / sd[j]
			}
		}
	}
	var sumW float64
	for _, wi := range w {
		sumW += wi
	}
	if !(sumW > 0) {
		return logit{}, errors.New("icp: logistic fit: weights sum to 0")
	}

	// One pass computes the objective and its gradient; the optimiser asks
	// for both at the same point, so the last pass is cached.
	var lastB, lastG []float64
	var lastF float64
	eval := func(b []float64) {
		if lastB != nil && slices.Equal(lastB, b) {
			return
		}
		g := make([]float64, p+1)
		var f float64
		for i := range n {
			row := z[i*p : i*p+p]
			t := b[0]
			for j, v := range row {
				t += b[j+1] * v
			}
			f += w[i] * (softplus(t) - y[i]*t)
			r := w[i] * (sigmoid(t) - y[i])
			g[0] += r
			for j, v := range row {
				g[j+1] += r * v
			}
		}
		f /= sumW
		for j := range g {
			g[j] /= sumW
		}
		for j := 1; j <= p; j++ {
			f += lambda / 2 * b[j] * b[j]
			g[j] += lambda * b[j]
		}
		lastB, lastF, lastG = slices.Clone(b), f, g
	}
	prob := optimize.Problem{
		Func: func(b []float64) float64 { eval(b); return lastF },
		Grad: func(grad, b []float64) { eval(b); copy(grad, lastG) },
	}
	settings := &optimize.Settings{
		GradientThreshold: 1e-9,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-12, Iterations: 20},
		MajorIterations:   1000,
	}
	res, err := optimize.Minimize(prob, make([]float64, p+1), settings, &optimize.LBFGS{})
	if res == nil {
		return logit{}, fmt.Errorf("icp: logistic fit: %w", err)
	}
	if err != nil {
		// A line search that cannot improve further at a near-zero
		// gradient has converged; anything else is a failure.
		eval(res.X)
		if maxAbs(lastG) > 1e-5 {
			return logit{}, fmt.Errorf("icp: logistic fit did not converge (%v): %w", res.Status, err)
		}
	}
	out := logit{intercept: res.X[0], coef: make([]float64, p)}
	for j := range p {
		if sd[j] > 0 {
			out.coef[j] = res.X[j+1] / sd[j]
			out.intercept -= out.coef[j] * mean[j]
		}
	}
	return out, nil
}

func maxAbs(xs []float64) float64 {
	var m float64
	for _, x := range xs {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// Bin is one bin of a reliability diagram: the leads whose predicted
// acceptance probability falls in [Low, High), the mean prediction and the
// observed acceptance rate (both weighted by the labels' weights).
type Bin struct {
	// Low is the bin's lowest predicted probability (inclusive).
	Low float64 `json:"low"`
	// High is the bin's upper bound (exclusive, but 1 is in the last bin).
	High float64 `json:"high"`
	// Leads is the number of held-out leads in the bin.
	Leads int `json:"leads"`
	// Predicted is the bin's mean predicted acceptance probability.
	Predicted float64 `json:"predicted"`
	// Observed is the bin's observed acceptance rate; a well-calibrated
	// model has Observed close to Predicted in every bin.
	Observed float64 `json:"observed"`
}

// metrics computes the Brier score, log-loss and reliability bins of
// predictions p for targets y with weights w.
func metrics(p, y, w []float64, bins int) (brier, logLoss float64, rel []Bin) {
	var sumW float64
	for i := range p {
		d := p[i] - y[i]
		brier += w[i] * d * d
		q := math.Min(math.Max(p[i], 1e-15), 1-1e-15)
		logLoss -= w[i] * (y[i]*math.Log(q) + (1-y[i])*math.Log(1-q))
		sumW += w[i]
	}
	if sumW > 0 {
		brier /= sumW
		logLoss /= sumW
	}
	rel = make([]Bin, bins)
	sw := make([]float64, bins)
	for b := range rel {
		rel[b].Low, rel[b].High = float64(b)/float64(bins), float64(b+1)/float64(bins)
	}
	for i := range p {
		b := min(int(p[i]*float64(bins)), bins-1)
		rel[b].Leads++
		rel[b].Predicted += w[i] * p[i]
		rel[b].Observed += w[i] * y[i]
		sw[b] += w[i]
	}
	for b := range rel {
		if sw[b] > 0 {
			rel[b].Predicted /= sw[b]
			rel[b].Observed /= sw[b]
		}
	}
	return brier, logLoss, rel
}

// areaUnderROC is the weighted area under the ROC curve of scores s for
// targets y (1 positive, 0 negative): gonum's stat.ROC on the sorted scores,
// integrated by the trapezoid rule (ties count one half). It is 0.5 when a
// class is empty.
func areaUnderROC(s, y, w []float64) float64 {
	xs := slices.Clone(s)
	cls := make([]bool, len(y))
	var pos, neg bool
	for i, v := range y {
		cls[i] = v > 0.5
		pos, neg = pos || cls[i], neg || !cls[i]
	}
	if !pos || !neg {
		return 0.5
	}
	ws := slices.Clone(w)
	stat.SortWeightedLabeled(xs, cls, ws)
	tpr, fpr, _ := stat.ROC(nil, xs, cls, ws)
	var a float64
	for i := 1; i < len(tpr); i++ {
		a += (fpr[i-1] - fpr[i]) * (tpr[i-1] + tpr[i]) / 2
	}
	return math.Abs(a)
}
