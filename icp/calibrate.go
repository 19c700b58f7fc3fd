package icp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/revalign/revalign"
)

// ErrTooFewOutcomes is matched by the error [Scorer.Calibrate] returns when
// there are too few labelled outcomes to fit a model that means anything.
var ErrTooFewOutcomes = errors.New("too few labelled outcomes")

// Calibration configures closed-loop calibration: how dispositions become
// labels, how strongly the regression is regularised, how much data is held
// out to judge the proposal, and how much data is enough.
type Calibration struct {
	// Labels maps disposition codes to labels.
	Labels Labels `json:"labels"`
	// L2 is the regularisation strength λ: the regression minimises the
	// mean log-loss plus λ/2 times the sum of squared coefficients of the
	// standardised features. Default 0.001.
	L2 float64 `json:"l2"`
	// HoldoutFraction of the labelled outcomes (of each class) is held out
	// to compare the current and proposed models. Default 0.3.
	HoldoutFraction float64 `json:"holdout_fraction"`
	// MinLabelled is the least number of labelled outcomes to calibrate at
	// all. Default 1,000, the minimum Salesforce Einstein asks for.
	MinLabelled int `json:"min_labelled"`
	// MinPerClass is the least number of outcomes of each class (accepted,
	// rejected) to calibrate at all. Default 120, as Salesforce Einstein.
	MinPerClass int `json:"min_per_class"`
	// PointsPerLogit is k in points = round(k·β); 0 chooses k so that the
	// proposed weights have the same total size as the current ones
	// (Σ|points| ÷ Σ|β|).
	PointsPerLogit float64 `json:"points_per_logit"`
	// ReliabilityBins is the number of equal-width bins of the reliability
	// diagram. Default 10.
	ReliabilityBins int `json:"reliability_bins"`
	// Seed seeds the holdout split, so that a calibration can be repeated.
	Seed uint64 `json:"seed"`
}

// DefaultCalibration returns the defaults: the catalog's disposition labels,
// λ = 0.001, 30% held out, at least 1,000 labelled outcomes with 120 of
// each class, automatic k, 10 reliability bins, seed 1.
func DefaultCalibration() Calibration {
	return Calibration{
		Labels:          DefaultLabels(),
		L2:              0.001,
		HoldoutFraction: 0.3,
		MinLabelled:     1000,
		MinPerClass:     120,
		ReliabilityBins: 10,
		Seed:            1,
	}
}

// Validate reports every bad setting, naming field and value.
func (c Calibration) Validate() error {
	v := revalign.Validator{Pkg: "icp"}
	v.Nest("", c.Labels.Validate())
	v.Check(finite(c.L2) && c.L2 >= 0, "l2", c.L2, "must be >= 0")
	v.Check(c.HoldoutFraction > 0 && c.HoldoutFraction < 1, "holdout_fraction", c.HoldoutFraction, "must be in (0,1)")
	v.Check(c.MinLabelled >= 2, "min_labelled", c.MinLabelled, "must be >= 2")
	v.Check(c.MinPerClass >= 1, "min_per_class", c.MinPerClass, "must be >= 1")
	v.Check(finite(c.PointsPerLogit) && c.PointsPerLogit >= 0, "points_per_logit", c.PointsPerLogit, "must be >= 0 (0: automatic)")
	v.Check(c.ReliabilityBins >= 1 && c.ReliabilityBins <= 100, "reliability_bins", c.ReliabilityBins, "must be in [1,100]")
	return v.Err()
}

// Outcome is a lead as it was handed to sales and what sales said: the
// record, the instant it was handed over (it is scored as of then, so later
// events do not leak into the past) and the disposition code.
type Outcome struct {
	// Record is the lead, laid out by the scorer's schema, with its events.
	Record Record `json:"record"`
	// At is when the lead was handed to sales; it is scored as of then.
	// The zero time is an error.
	At time.Time `json:"at"`
	// Disposition is the sales disposition code ("Accepted", "Bad fit",
	// …), or "" while there is none.
	Disposition string `json:"disposition"`
}

// Proposal is what calibration proposes, with the evidence the quarterly
// review decides on.
type Proposal struct {
	// Model is the current model with the proposed points: criteria and
	// signals reweighted, signal caps scaled to the same number of events,
	// disqualifiers, caps, gate and thresholds untouched, signatures
	// removed (a new version needs a new sign-off). Its Version is still
	// the current one's: name the new version before it is signed.
	Model Model `json:"model"`
	// Weights lists each criterion and signal with its current points, the
	// fitted coefficient and the proposed points.
	Weights []Weight `json:"weights"`
	// Intercept of the fitted regression (log-odds of acceptance with no
	// criterion matched and no event).
	Intercept float64 `json:"intercept"`
	// PointsPerLogit is the k used in points = round(k·β).
	PointsPerLogit float64 `json:"points_per_logit"`
	// Counts says which outcomes were used and why others were not.
	Counts Counts `json:"counts"`
	// Current judges the current model on the held-out outcomes.
	Current Quality `json:"current"`
	// Proposed judges the proposed model on the same outcomes.
	Proposed Quality `json:"proposed"`
	// Changes lists every difference between the current and proposed
	// models ([Diff]).
	Changes []Change `json:"changes"`
}

// Weight is one criterion's or signal's calibration.
type Weight struct {
	// ID is the criterion's or signal's ID.
	ID string `json:"id"`
	// Group is the group the criterion or signal counts toward.
	Group Group `json:"group"`
	// Current is the current points: per match for a criterion, per event
	// for a signal.
	Current float64 `json:"current"`
	// Proposed is the proposed points, round(k·Beta), in the same unit.
	Proposed float64 `json:"proposed"`
	// Beta is the fitted change in log-odds of acceptance per match (per
	// event, undecayed, for a signal).
	Beta float64 `json:"beta"`
	// Share is the fraction of training outcomes where the feature is
	// present (criterion matched, or at least one counted event).
	Share float64 `json:"share"`
}

// Counts accounts for every outcome given to [Scorer.Calibrate].
type Counts struct {
	// Outcomes is the number of outcomes given: Labelled + Excluded +
	// Undispositioned + Disqualified + Rejected.
	Outcomes int `json:"outcomes"`
	// Labelled outcomes were used: Positive + Negative = Train + Holdout.
	Labelled int `json:"labelled"`
	// Positive counts the labelled outcomes sales accepted.
	Positive int `json:"positive"`
	// Negative counts the labelled outcomes sales rejected (half-weight
	// ones, Nurture by default, included).
	Negative int `json:"negative"`
	// Train counts the labelled outcomes the regression was fitted on.
	Train int `json:"train"`
	// Holdout counts the labelled outcomes held out to judge both models.
	Holdout int `json:"holdout"`
	// Excluded outcomes carry a disposition labelled excluded, by code.
	Excluded map[string]int `json:"excluded,omitempty"`
	// Undispositioned outcomes have no disposition yet.
	Undispositioned int `json:"undispositioned"`
	// Disqualified outcomes carry a positive or negative disposition but
	// were caught by a hard disqualifier: the rules stay rules and are not
	// trained on.
	Disqualified int `json:"disqualified"`
	// Rejected outcomes are bad records or unknown disposition codes,
	// reported as record errors.
	Rejected int `json:"rejected"`
}

// Quality judges a model on the held-out outcomes. Its score is turned into
// an acceptance probability by a sigmoid fitted on the training outcomes
// (Platt scaling), so that models on different point scales compare.
type Quality struct {
	// AUC is the probability that an accepted lead outscores a rejected one
	// (0.5 is chance, 1 perfect).
	AUC float64 `json:"auc"`
	// Brier is the mean squared error of the predicted probability: lower
	// is better.
	Brier float64 `json:"brier"`
	// LogLoss is the mean log-loss of the predicted probability: lower is
	// better.
	LogLoss float64 `json:"log_loss"`
	// Reliability compares predicted and observed acceptance by bin.
	Reliability []Bin `json:"reliability"`
	// Tiers is acceptance by tier on the held-out outcomes.
	Tiers TierReport `json:"tiers"`
}

// Calibrate fits the model's criteria and signals to sales dispositions and
// proposes new points. Each outcome is scored as of its At; its features
// are the criteria that hold (1 or 0) and each signal's decayed event count
// (capped where the signal is). Accepted outcomes are positive, Bad fit
// negative, Nurture negative at half weight, Duplicate and No response left
// out (as cfg.Labels says); disqualified leads are left out, since hard
// disqualifiers stay rules. An L2-regularised logistic regression (gonum
// optimize, L-BFGS) is fitted on a stratified training split and the
// proposed points are round(k·β). Both models are then judged on the
// held-out split: AUC, Brier score, log-loss, reliability bins and
// acceptance by tier.
//
// Bad records and unknown disposition codes are returned as record errors
// (each with its index in data, as a [BatchError]) and left out. Fewer labelled outcomes than cfg asks for is an error
// matching [ErrTooFewOutcomes]; an invalid cfg is an error matching
// revalign.ErrInvalid.
func (s *Scorer) Calibrate(data []Outcome, cfg Calibration) (Proposal, []revalign.RecordError, error) {
	if err := cfg.Validate(); err != nil {
		return Proposal{}, nil, err
	}
	ix := cfg.Labels.index()
	nc, p := len(s.criteria), len(s.criteria)+len(s.signals)
	counts := Counts{Outcomes: len(data)}
	var errs []revalign.RecordError
	// Room for every outcome: growing these slices by appending would copy
	// the feature matrix several times over.
	rows := make([]int, 0, len(data)) // indices into data of labelled outcomes
	x := make([]float64, 0, len(data)*p)
	y := make([]float64, 0, len(data))
	w := make([]float64, 0, len(data))
	cur := make([]Result, 0, len(data))
	feats := make([]float64, p)
	for i := range data {
		o := &data[i]
		lab, ok := ix.lookup(o.Disposition)
		switch {
		case o.Disposition == "" || isBlank(o.Disposition):
			counts.Undispositioned++
			continue
		case !ok:
			counts.Rejected++
			errs = append(errs, batchError(o.Record.ID, i, &revalign.FieldError{Pkg: "icp", Path: "disposition",
				Value: o.Disposition, Reason: "no label for this disposition code: add it to the calibration labels"}))
			continue
		case lab == Excluded:
			if counts.Excluded == nil {
				counts.Excluded = map[string]int{}
			}
			counts.Excluded[o.Disposition]++
			continue
		}
		if o.At.IsZero() {
			counts.Rejected++
			errs = append(errs, batchError(o.Record.ID, i, &revalign.FieldError{Pkg: "icp", Path: "at",
				Reason: "outcome needs the instant the lead was handed over"}))
			continue
		}
		var res Result
		if err := s.score(&o.Record, o.At, &res, nil, feats); err != nil {
			counts.Rejected++
			errs = append(errs, batchError(o.Record.ID, i, err))
			continue
		}
		if res.Disqualified {
			counts.Disqualified++
			continue
		}
		yi, wi, _ := lab.y()
		rows = append(rows, i)
		x = append(x, feats...)
		y = append(y, yi)
		w = append(w, wi)
		cur = append(cur, res)
		if yi == 1 {
			counts.Positive++
		} else {
			counts.Negative++
		}
	}
	counts.Labelled = len(rows)
	if counts.Labelled < cfg.MinLabelled || counts.Positive < cfg.MinPerClass || counts.Negative < cfg.MinPerClass {
		return Proposal{Counts: counts}, errs, fmt.Errorf(
			"icp: calibrate: %d labelled outcomes (%d accepted, %d rejected); need %d with %d of each: %w",
			counts.Labelled, counts.Positive, counts.Negative, cfg.MinLabelled, cfg.MinPerClass, ErrTooFewOutcomes)
	}

	train, hold := split(y, cfg.HoldoutFraction, cfg.Seed)
	counts.Train, counts.Holdout = len(train), len(hold)
	pick := func(idx []int) (xs, ys, ws []float64) {
		xs = make([]float64, 0, len(idx)*p)
		for _, i := range idx {
			xs = append(xs, x[i*p:i*p+p]...)
			ys = append(ys, y[i])
			ws = append(ws, w[i])
		}
		return xs, ys, ws
	}
	xt, yt, wt := pick(train)
	fit, err := fitLogit(xt, p, yt, wt, cfg.L2)
	if err != nil {
		return Proposal{Counts: counts}, errs, err
	}

	prop := Proposal{Intercept: fit.intercept, Counts: counts}
	k := cfg.PointsPerLogit
	if k == 0 {
		k = s.autoScale(fit.coef)
	}
	prop.PointsPerLogit = k
	prop.Model = s.reweight(fit.coef, k)
	for j := range p {
		wgt := Weight{Beta: fit.coef[j]}
		if j < nc {
			c := s.criteria[j]
			wgt.ID, wgt.Group, wgt.Current = c.id, c.group, points(c.points)
		} else {
			sg := s.signals[j-nc]
			wgt.ID, wgt.Group, wgt.Current = sg.id, Behavioural, sg.points
		}
		wgt.Proposed = roundPoints(k * fit.coef[j])
		var present int
		for _, i := range train {
			if x[i*p+j] > 0 {
				present++
			}
		}
		wgt.Share = rate(present, len(train))
		prop.Weights = append(prop.Weights, wgt)
	}
	if err := prop.Model.Validate(); err != nil {
		return prop, errs, fmt.Errorf("icp: calibrate: the proposed weights do not make a valid model (try another points_per_logit or more data): %w", err)
	}
	next, err := prop.Model.Compile(s.schema)
	if err != nil {
		return prop, errs, err
	}
	proposed := make([]Result, len(rows))
	for r, i := range rows {
		o := &data[i]
		if err := next.score(&o.Record, o.At, &proposed[r], nil, nil); err != nil {
			return prop, errs, err // the current model read this record, so cannot happen
		}
	}
	if prop.Current, err = judge(s.model, cur, y, w, train, hold, rows, data, cfg); err != nil {
		return prop, errs, err
	}
	if prop.Proposed, err = judge(prop.Model, proposed, y, w, train, hold, rows, data, cfg); err != nil {
		return prop, errs, err
	}
	prop.Changes = Diff(s.model, prop.Model)
	return prop, errs, nil
}

func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return false
		}
	}
	return true
}

// split divides the labelled rows into a training and a held-out part,
// stratified by class: frac of each class, shuffled with a PCG seeded by
// seed, is held out.
func split(y []float64, frac float64, seed uint64) (train, hold []int) {
	rng := rand.New(rand.NewPCG(seed, 0x1c9))
	for _, cls := range []bool{true, false} {
		var idx []int
		for i, v := range y {
			if (v == 1) == cls {
				idx = append(idx, i)
			}
		}
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		h := int(math.Round(frac * float64(len(idx))))
		hold = append(hold, idx[:h]...)
		train = append(train, idx[h:]...)
	}
	return train, hold
}

// autoScale returns k such that Σ|k·β| equals Σ|current points| over the
// criteria and signals, or 10 points per unit of log-odds when either sum is
// 0.
func (s *Scorer) autoScale(beta []float64) float64 {
	var cur, b float64
	for _, c := range s.criteria {
		cur += math.Abs(points(c.points))
	}
	for _, sg := range s.signals {
		cur += math.Abs(sg.points)
	}
	for _, v := range beta {
		b += math.Abs(v)
	}
	if cur == 0 || b == 0 {
		return 10
	}
	return cur / b
}

// reweight returns the scorer's model with points round(k·β): criteria
// points, signal points per event, and signal caps scaled so that a signal
// still caps at the same number of events.
func (s *Scorer) reweight(beta []float64, k float64) Model {
	m := s.model.clone()
	m.Signatures = nil
	j := 0
	for _, cs := range [][]Criterion{m.Firmographic, m.Technographic} {
		for i := range cs {
			cs[i].Points = roundPoints(k * beta[j])
			j++
		}
	}
	for i := range m.Behavioural {
		sg := &m.Behavioural[i]
		next := roundPoints(k * beta[j])
		if sg.Cap > 0 && sg.Points != 0 {
			sg.Cap = math.Round(sg.Cap/math.Abs(sg.Points)*math.Abs(next)*100) / 100
		}
		sg.Points = next
		j++
	}
	return m
}

// roundPoints rounds to whole points, without a negative zero.
func roundPoints(x float64) float64 {
	if r := math.Round(x); r != 0 {
		return r
	}
	return 0
}

// judge fits Platt scaling of the model's total score on the training rows
// and measures the held-out rows.
func judge(m Model, res []Result, y, w []float64, train, hold, rows []int, data []Outcome, cfg Calibration) (Quality, error) {
	score := func(idx []int) (xs, ys, ws []float64) {
		for _, i := range idx {
			xs = append(xs, res[i].Total)
			ys = append(ys, y[i])
			ws = append(ws, w[i])
		}
		return xs, ys, ws
	}
	xs, ys, ws := score(train)
	platt, err := fitLogit(xs, 1, ys, ws, 1e-6)
	if err != nil {
		return Quality{}, err
	}
	xh, yh, wh := score(hold)
	ph := make([]float64, len(xh))
	for i := range xh {
		ph[i] = platt.prob(xh[i : i+1])
	}
	// AUC ranks the raw scores: a sigmoid with a negative slope (a model
	// that ranks backwards) must not look good.
	q := Quality{AUC: areaUnderROC(xh, yh, wh)}
	q.Brier, q.LogLoss, q.Reliability = metrics(ph, yh, wh, cfg.ReliabilityBins)
	hr := make([]Result, len(hold))
	disp := make([]string, len(hold))
	for r, i := range hold {
		hr[r] = res[i]
		disp[r] = data[rows[i]].Disposition
	}
	q.Tiers, err = m.TierReport(hr, disp, cfg.Labels)
	return q, err
}
