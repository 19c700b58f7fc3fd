package velocity

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// AllSegments is the segment name of rows that pool every segment.
const AllSegments = "all"

// Point is a forecast frozen at the start of a period and what actually
// happened.
type Point struct {
	// Period labels the period, e.g. "FY2027-Q2".
	Period string `json:"period"`
	// Segment names the segment forecast, e.g. "mid-market"; points of
	// one segment are measured together.
	Segment string `json:"segment"`
	// Forecast is the amount forecast at the period's start, in the
	// reporting currency shared by all points.
	Forecast decimal.Decimal `json:"forecast"`
	// Actual is the amount actually won in the period, same currency.
	Actual decimal.Decimal `json:"actual"`
}

// Accuracy is how well forecasts matched actuals over past periods.
type Accuracy struct {
	// Segment names the segment, or [AllSegments] for the company row.
	Segment string `json:"segment"`
	// Points is the number of periods measured.
	Points int `json:"points"`
	// MAPE is the mean of |F − A| ÷ A over the MAPEPoints with A ≠ 0; a
	// period with A = 0 has no percentage error and is counted in
	// ZeroActuals instead. MAPE is 0 and undefined when MAPEPoints is 0.
	MAPE float64 `json:"mape"`
	// MAPEPoints counts the periods with a non-zero actual, those MAPE
	// averages over.
	MAPEPoints int `json:"mape_points"`
	// ZeroActuals counts the periods whose actual is 0.
	ZeroActuals int `json:"zero_actuals"`
	// WAPE is Σ|F − A| ÷ Σ|A|; it is 0 and undefined when SumActual is 0.
	WAPE float64 `json:"wape"`
	// SumActual is Σ|A|, the WAPE and BiasPct denominator, in the points'
	// currency.
	SumActual decimal.Decimal `json:"sum_actual"`
	// Bias is the mean signed error F − A per period (positive:
	// over-forecast), in the points' currency, rounded to [Places].
	Bias decimal.Decimal `json:"bias"`
	// BiasPct is Σ(F − A) ÷ Σ|A| (0.05 is 5% over-forecast); 0 when
	// SumActual is 0.
	BiasPct float64 `json:"bias_pct"`
	// Hits counts periods within ±band of the actual (an actual of 0 is hit
	// only by a forecast of 0).
	Hits int `json:"hits"`
	// HitRate is Hits ÷ Points, in [0, 1]; 0 without points.
	HitRate float64 `json:"hit_rate"`
}

// ForecastAccuracy measures forecasts against actuals per segment, sorted
// by name, followed by an "all" row that compares, period by period, the
// sum of the segments' forecasts with the sum of their actuals (the
// company number). band is the hit tolerance (0.10 = ±10%).
func ForecastAccuracy(points []Point, band float64) ([]Accuracy, error) {
	if !(band >= 0 && band < 1) {
		return nil, &revalign.FieldError{Pkg: "velocity", Path: "band", Value: band, Reason: "must be in [0,1)"}
	}
	bySeg := map[string][]Point{}
	totals := map[string]*Point{}
	var periods []string
	for _, p := range points {
		bySeg[p.Segment] = append(bySeg[p.Segment], p)
		t := totals[p.Period]
		if t == nil {
			t = &Point{Period: p.Period, Segment: AllSegments}
			totals[p.Period] = t
			periods = append(periods, p.Period)
		}
		t.Forecast = t.Forecast.Add(p.Forecast)
		t.Actual = t.Actual.Add(p.Actual)
	}
	var out []Accuracy
	for _, s := range slices.Sorted(maps.Keys(bySeg)) {
		out = append(out, accuracy(s, bySeg[s], band))
	}
	all := make([]Point, len(periods))
	for i, p := range periods {
		all[i] = *totals[p]
	}
	if len(bySeg) > 1 {
		out = append(out, accuracy(AllSegments, all, band))
	}
	return out, nil
}

func accuracy(segment string, points []Point, band float64) Accuracy {
	a := Accuracy{Segment: segment, Points: len(points)}
	var absErr, signed decimal.Decimal
	for _, p := range points {
		e := p.Forecast.Sub(p.Actual)
		absErr = absErr.Add(e.Abs())
		signed = signed.Add(e)
		a.SumActual = a.SumActual.Add(p.Actual.Abs())
		if p.Actual.IsZero() {
			a.ZeroActuals++
			if p.Forecast.IsZero() {
				a.Hits++
			}
			continue
		}
		rel := e.Abs().Div(p.Actual.Abs()).InexactFloat64()
		a.MAPE += rel
		a.MAPEPoints++
		if rel <= band+1e-12 {
			a.Hits++
		}
	}
	if a.MAPEPoints > 0 {
		a.MAPE /= float64(a.MAPEPoints)
	}
	if a.SumActual.IsPositive() {
		a.WAPE = absErr.Div(a.SumActual).InexactFloat64()
		a.BiasPct = signed.Div(a.SumActual).InexactFloat64()
	}
	a.Bias = mean(signed, len(points), Places)
	a.HitRate = ratio(a.Hits, a.Points)
	return a
}

// TeamForecast is one team's forecast for a period and segment, frozen at
// the period's start.
type TeamForecast struct {
	// Period labels the period, e.g. "FY2027-Q2".
	Period string `json:"period"`
	// Segment names the segment; "all" is reserved for the rows that sum
	// the segments.
	Segment string `json:"segment"`
	// Team is revalign.Marketing or revalign.Sales; forecasts of other
	// teams are rejected.
	Team revalign.Team `json:"team"`
	// Amount is the revenue the team forecast, in the reporting currency
	// shared by all forecasts and actuals.
	Amount decimal.Decimal `json:"amount"`
}

// Actual is what a segment actually won in a period.
type Actual struct {
	// Period labels the period, as in [TeamForecast.Period].
	Period string `json:"period"`
	// Segment names the segment; actuals of one period and segment add
	// up.
	Segment string `json:"segment"`
	// Amount is the revenue won, in the forecasts' currency.
	Amount decimal.Decimal `json:"amount"`
}

// Variance compares marketing's and sales' quarter-start forecasts of one
// period and segment: one of the seed's minimum viable metrics ("forecast
// variance between teams at quarter start").
type Variance struct {
	// Period labels the period.
	Period string `json:"period"`
	// Segment names the segment, or [AllSegments] for the row summing the
	// period's segments.
	Segment string `json:"segment"`
	// Marketing is marketing's forecast (0 when Missing names marketing),
	// in the forecasts' currency.
	Marketing decimal.Decimal `json:"marketing"`
	// Sales is sales' forecast (0 when Missing names sales).
	Sales decimal.Decimal `json:"sales"`
	// Missing names a team with no forecast for the row. On an "all" row
	// it names a team with no forecast for one of the period's segments
	// (marketing when both teams lack one): the two totals then cover
	// different segments and are not compared.
	Missing revalign.Team `json:"missing,omitempty"`
	// Incomplete lists, on an "all" row, the period's segments that lack a
	// forecast from either team, sorted.
	Incomplete []string `json:"incomplete,omitempty"`
	// Gap is Marketing − Sales (positive: marketing forecast more).
	Gap decimal.Decimal `json:"gap"`
	// Relative is |Gap| ÷ |Sales|, sales' being the forecast the company
	// commits to; 0 when sales forecast nothing or a team is Missing.
	Relative float64 `json:"relative"`
	// Aligned is Relative ≤ the tolerance (with a zero sales forecast,
	// only when marketing also forecast zero); false when a team is
	// Missing.
	Aligned bool `json:"aligned"`
	// HasActual says whether an actual was given for the row; the fields
	// below are zero without one.
	HasActual bool `json:"has_actual"`
	// Actual is the amount won: the row's actuals summed (on an "all"
	// row, those of the segments with a row).
	Actual decimal.Decimal `json:"actual"`
	// MarketingError is marketing's signed error (F − A) ÷ A (0.1 is 10%
	// over); 0 when the actual is 0 or a team is Missing.
	MarketingError float64 `json:"marketing_error"`
	// SalesError is sales' signed error (F − A) ÷ A, likewise.
	SalesError float64 `json:"sales_error"`
	// Closer is the team whose forecast was closer to the actual; empty
	// on a tie, without a usable actual or when a team is Missing.
	Closer revalign.Team `json:"closer,omitempty"`
}

type varKey struct{ period, segment string }

// TeamVariance pairs marketing's and sales' forecasts by period and segment
// and measures the gap between them, with an "all" row per period summing
// the segments, sorted by period then segment ("all" last). The "all" row
// compares the teams only when both forecast every segment of the period;
// otherwise it is marked Missing and lists the Incomplete segments.
// Actuals, when given, say which team was closer; the "all" actual sums
// the actuals of the segments with a row.
//
// Returned as record errors: forecasts of other teams, repeated forecasts
// and forecasts for the reserved segment "all" (ID "period/segment/team"),
// and actuals for a period and segment neither team forecast (ID
// "period/segment"), which no row can compare.
func TeamVariance(forecasts []TeamForecast, actuals []Actual, tolerance float64) ([]Variance, []revalign.RecordError, error) {
	if !(tolerance >= 0 && tolerance < 1) {
		return nil, nil, &revalign.FieldError{Pkg: "velocity", Path: "tolerance", Value: tolerance, Reason: "must be in [0,1)"}
	}
	type pair struct {
		m, s       decimal.Decimal
		hasM, hasS bool
	}
	rows := map[varKey]*pair{}
	var rejects []revalign.RecordError
	reject := func(id, path string, value any, reason string) {
		rejects = append(rejects, revalign.RecordError{ID: id, Err: &revalign.FieldError{Pkg: "velocity", Path: path, Value: value, Reason: reason}})
	}
	get := func(k varKey) *pair {
		if rows[k] == nil {
			rows[k] = &pair{}
		}
		return rows[k]
	}
	for _, f := range forecasts {
		id := f.Period + "/" + f.Segment + "/" + string(f.Team)
		if f.Team != revalign.Marketing && f.Team != revalign.Sales {
			reject(id, "team", string(f.Team), "must be marketing or sales")
			continue
		}
		if f.Segment == AllSegments {
			reject(id, "segment", f.Segment, `is reserved for the row that sums the segments`)
			continue
		}
		p := get(varKey{f.Period, f.Segment})
		amount, has := &p.s, &p.hasS
		if f.Team == revalign.Marketing {
			amount, has = &p.m, &p.hasM
		}
		if *has {
			reject(id, "", nil, "repeats a forecast")
			continue
		}
		*amount, *has = f.Amount, true
	}
	// The "all" rows sum the segment rows; a segment one team did not
	// forecast makes them incomplete.
	incomplete := map[string][]string{}
	for _, k := range slices.SortedFunc(maps.Keys(rows), compareKeys) {
		p := rows[k]
		all := get(varKey{k.period, AllSegments})
		all.m, all.s = all.m.Add(p.m), all.s.Add(p.s)
		all.hasM, all.hasS = all.hasM || p.hasM, all.hasS || p.hasS
		if !p.hasM || !p.hasS {
			incomplete[k.period] = append(incomplete[k.period], k.segment)
		}
	}
	act := map[varKey]decimal.Decimal{}
	for _, a := range actuals {
		k := varKey{a.Period, a.Segment}
		if _, ok := rows[k]; !ok || a.Segment == AllSegments {
			reject(a.Period+"/"+a.Segment, "", nil, "actual with no forecast from either team: nothing to compare it with")
			continue
		}
		act[k] = act[k].Add(a.Amount)
		all := varKey{a.Period, AllSegments}
		act[all] = act[all].Add(a.Amount)
	}
	keys := slices.SortedFunc(maps.Keys(rows), compareKeys)
	out := make([]Variance, 0, len(keys))
	for _, k := range keys {
		p := rows[k]
		v := Variance{Period: k.period, Segment: k.segment, Marketing: p.m, Sales: p.s, Gap: p.m.Sub(p.s)}
		if k.segment == AllSegments {
			v.Incomplete = incomplete[k.period]
		}
		switch {
		case !p.hasM || !p.hasS:
			v.Missing = revalign.Sales
			if !p.hasM {
				v.Missing = revalign.Marketing
			}
		case len(v.Incomplete) > 0:
			v.Missing = revalign.Sales
			for _, seg := range v.Incomplete {
				if !rows[varKey{k.period, seg}].hasM {
					v.Missing = revalign.Marketing
					break
				}
			}
		default:
			if p.s.IsZero() {
				v.Aligned = p.m.IsZero()
				break
			}
			v.Relative = v.Gap.Abs().Div(p.s.Abs()).InexactFloat64()
			v.Aligned = v.Relative <= tolerance+1e-12
		}
		if a, ok := act[k]; ok {
			v.HasActual, v.Actual = true, a
			if !a.IsZero() && v.Missing == "" {
				v.MarketingError = p.m.Sub(a).Div(a).InexactFloat64()
				v.SalesError = p.s.Sub(a).Div(a).InexactFloat64()
				switch me, se := math.Abs(v.MarketingError), math.Abs(v.SalesError); {
				case me < se:
					v.Closer = revalign.Marketing
				case se < me:
					v.Closer = revalign.Sales
				}
			}
		}
		out = append(out, v)
	}
	return out, rejects, nil
}

// compareKeys orders rows by period, then segment, with "all" last.
func compareKeys(a, b varKey) int {
	return cmp.Or(strings.Compare(a.period, b.period),
		cmp.Compare(b2i(a.segment == AllSegments), b2i(b.segment == AllSegments)),
		strings.Compare(a.segment, b.segment))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
