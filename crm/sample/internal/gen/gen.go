// Package gen generates the sample company's CRM export. Everything is
// drawn from one PCG stream per object family with fixed seeds, iterating
// slices only, so the output is identical byte for byte on every run.
package gen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/crm/sample"
)

// File is one generated export file.
type File struct {
	// Name is the file name, as crm.Load expects it.
	Name string
	// Data is the CSV content.
	Data []byte
}

// Seed is the generator's fixed seed.
const Seed = 20261128

// Window of the export: leads, touches and opportunities start at the
// beginning of FY2026 (1 February 2025) and stop at AsOf.
var (
	ny    = sample.Calendar().Location
	start = time.Date(2025, 2, 1, 0, 0, 0, 0, ny)
	asOf  = sample.AsOf()
)

// Generate builds the whole export. The generator's own invariants (a known
// time zone, a known column type) are checked with panics, which Generate
// turns into its error.
func Generate() (files []File, err error) { return GenerateSeed(Seed) }

// GenerateSeed builds the export from another seed (to explore how robust
// the planted findings are; the shipped data uses Seed).
func GenerateSeed(seed uint64) (files []File, err error) {
	defer func() {
		if r := recover(); r != nil {
			files, err = nil, fmt.Errorf("gen: %v", r)
		}
	}()
	w := newWorld(seed)
	w.users()
	w.accounts()
	w.leads()
	w.opportunities()
	w.snapshots()
	w.forecasts()
	w.postSale()
	w.content()
	w.spendRatesAnswers()
	var out []File
	add := func(name string, recs any) error {
		b, err := writeCSV(recs)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, File{name, b})
		return nil
	}
	for _, f := range []struct {
		name string
		recs any
	}{
		{crm.FileAccounts, w.outAccounts},
		{crm.FileUsers, w.outUsers},
		{crm.FileLeads, w.outLeads},
		{crm.FileDemandStates, w.outStates},
		{crm.FileEvents, w.outEvents},
		{crm.FileTouches, w.outTouches},
		{crm.FileOpportunities, w.outOpps},
		{crm.FileStageHistory, w.outStages},
		{crm.FilePipelineSnapshots, w.outSnapshots},
		{crm.FileForecasts, w.outForecasts},
		{crm.FileCustomerEvents, w.outCustEvents},
		{crm.FileARRMovements, w.outARR},
		{crm.FileAccountUsage, w.outUsage},
		{crm.FileContentAssets, w.outAssets},
		{crm.FileContentUsage, w.outContentUsage},
		{crm.FileSpend, w.outSpend},
		{crm.FileExchangeRates, w.outRates},
		{crm.FileAnswers, w.outAnswers},
	} {
		if err := add(f.name, f.recs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rng wraps a PCG stream with the draws the generator needs.
type rng struct{ *rand.Rand }

func newRNG(seed, stream uint64) rng { return rng{rand.New(rand.NewPCG(seed, stream))} }

func (r rng) chance(p float64) bool { return r.Float64() < p }

// lognormal draws around a median with log-sd sigma.
func (r rng) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// pick draws an index with probability proportional to weights.
func (r rng) pick(weights []float64) int {
	var total float64
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (r rng) between(a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(r.Int64N(int64(b.Sub(a)))))
}

// workMoment returns a weekday business-hour moment (09:00–17:30 local,
// busier mid-morning and mid-afternoon) at or after day: on day's date when
// it is a weekday and the drawn hour is not already past, otherwise on a
// later weekday. Weekend dates move to a weekday of the following week drawn
// at random, so that Mondays do not collect the weekend's work.
func (r rng) workMoment(day time.Time, loc *time.Location) time.Time {
	d := r.weekdayFrom(day.In(loc), loc)
	y, m, dd := d.Date()
	hour := 9 + r.pick([]float64{6, 9, 8, 5, 4, 6, 7, 6, 3})
	t := time.Date(y, m, dd, hour, r.IntN(60), r.IntN(60), 0, loc)
	for t.Before(day) {
		y, m, dd = t.Date()
		t = time.Date(y, m, dd+1, hour, t.Minute(), t.Second(), 0, loc)
		if wd := t.Weekday(); wd == time.Saturday {
			t = t.AddDate(0, 0, 2)
		} else if wd == time.Sunday {
			t = t.AddDate(0, 0, 1)
		}
	}
	return t
}

// weekdayFrom returns t when it falls on a weekday in loc, else the same
// clock time on a weekday of the following week drawn at random.
func (r rng) weekdayFrom(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	switch lt.Weekday() {
	case time.Saturday:
		return lt.AddDate(0, 0, 2+r.IntN(5))
	case time.Sunday:
		return lt.AddDate(0, 0, 1+r.IntN(5))
	}
	return lt
}

// humanDay returns t, except that a weekend date moves to a weekday of the
// following week with probability p: people do less on weekends.
func (r rng) humanDay(t time.Time, loc *time.Location, p float64) time.Time {
	if wd := t.In(loc).Weekday(); (wd == time.Saturday || wd == time.Sunday) && r.chance(p) {
		if moved := r.weekdayFrom(t, loc); !moved.After(asOf) {
			return moved
		}
	}
	return t
}

// anyMoment returns a moment on day's date with a daytime skew (web
// activity happens at all hours, most of it in the working day).
func (r rng) anyMoment(day time.Time, loc *time.Location) time.Time {
	d := r.humanDay(day, loc, 0.65).In(loc)
	y, m, dd := d.Date()
	w := []float64{1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 8, 9, 8, 7, 5, 4, 4, 3, 3, 2, 1}
	if wd := time.Date(y, m, dd, 12, 0, 0, 0, loc).Weekday(); wd == time.Saturday || wd == time.Sunday {
		w = []float64{1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 1, 1}
	}
	t := time.Date(y, m, dd, r.pick(w), r.IntN(60), r.IntN(60), 0, loc)
	if t.After(asOf) && !day.After(asOf) {
		return day // activity never lands after the export was taken
	}
	return t
}

// nextOpen returns t when it falls in 09:00–17:00 Monday–Friday in loc,
// else the next opening.
func nextOpen(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	for i := 0; i < 14; i++ {
		y, m, d := lt.Date()
		open := time.Date(y, m, d, 9, 0, 0, 0, loc)
		closeT := time.Date(y, m, d, 17, 0, 0, 0, loc)
		if wd := open.Weekday(); wd != time.Saturday && wd != time.Sunday {
			if lt.Before(open) {
				return open
			}
			if lt.Before(closeT) {
				return lt
			}
		}
		lt = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	return lt
}

// addWork adds d of 09:00–17:00 weekday working time in loc to t.
func addWork(t time.Time, d time.Duration, loc *time.Location) time.Time {
	t = nextOpen(t, loc)
	for d > 0 {
		lt := t.In(loc)
		y, m, dd := lt.Date()
		closeT := time.Date(y, m, dd, 17, 0, 0, 0, loc)
		if left := closeT.Sub(lt); d < left {
			return lt.Add(d)
		} else {
			d -= left
			t = nextOpen(closeT, loc)
		}
	}
	return t
}

func money(x float64, step float64) decimal.Decimal {
	return decimal.NewFromFloat(math.Round(x/step) * step).Round(2)
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func monthStart(t time.Time) time.Time {
	y, m, _ := t.Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// writeCSV writes a slice of crm records with a header from their csv tags.
// Timestamps are written with their zone offset; date columns (…_date,
// month) as dates; money with two decimals.
func writeCSV(recs any) ([]byte, error) {
	rv := reflect.ValueOf(recs)
	t := rv.Type().Elem()
	type col struct {
		index int
		name  string
	}
	var cols []col
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("csv")
		if tag == "" || tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		cols = append(cols, col{i, name})
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	row := make([]string, len(cols))
	for i := range rv.Len() {
		rec := rv.Index(i)
		for j, c := range cols {
			row[j] = format(rec.Field(c.index).Interface(), c.name)
		}
		if err := cw.Write(row); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

func format(v any, name string) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		if strings.HasSuffix(name, "_date") || name == "month" {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339)
	case decimal.Decimal:
		if name == "rate_to_reporting" {
			return x.String()
		}
		return x.StringFixed(2)
	case decimal.NullDecimal:
		if !x.Valid {
			return ""
		}
		return x.Decimal.StringFixed(2)
	case []string:
		return strings.Join(x, ";")
	}
	panic(fmt.Sprintf("gen: no format for %T", v))
}
