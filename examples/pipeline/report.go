package main

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign/attribution"
)

// summary is what a run reports: the accounting of every line, the ICP
// tiers, the primary model's credit per channel, and the data-driven views
// of the merged aggregates. It is printed for people, and written as JSON
// with -summary.
type summary struct {
	Input            string         `json:"input"`
	Shards           int            `json:"shards"`
	AsOf             time.Time      `json:"as_of"`
	ICPModel         string         `json:"icp_model"`
	AttributionModel string         `json:"attribution_model"`
	Lines            int            `json:"lines"`
	Blank            int            `json:"blank"`
	Rejected         int            `json:"rejected"`
	Journeys         int            `json:"journeys"`
	CSVRows          int            `json:"csv_rows"`
	Outcomes         map[string]int `json:"outcomes"`
	Tiers            []tierCount    `json:"tiers"`
	Disqualified     map[string]int `json:"disqualified"`
	// Currencies accounts for every amount in its own currency, exactly.
	Currencies []currencyTotal `json:"currencies"`
	// ReportingCurrency is the currency of Channels.
	ReportingCurrency string          `json:"reporting_currency"`
	Channels          []channelCredit `json:"channels"`
	// Markov is the fit of the merged chain; absent when no journey won.
	Markov *attribution.Markov `json:"markov,omitempty"`
	// Shapley is the simplified Shapley value of the won amounts.
	Shapley           *attribution.Shapley `json:"shapley,omitempty"`
	Seconds           float64              `json:"seconds"`
	JourneysPerSecond float64              `json:"journeys_per_second"`
}

type tierCount struct {
	Tier     string `json:"tier"`
	Journeys int    `json:"journeys"`
}

// currencyTotal is one currency's amounts: Amount = Credited +
// Unattributed, to the cent.
type currencyTotal struct {
	Currency     string          `json:"currency"`
	Amount       decimal.Decimal `json:"amount"`
	Credited     decimal.Decimal `json:"credited"`
	Unattributed decimal.Decimal `json:"unattributed"`
}

// channelCredit is one channel's credit in the reporting currency: the
// primary model's (exact sums, converted once per currency) on won
// journeys and on every journey, and the data-driven models' value credit.
type channelCredit struct {
	Channel       string          `json:"channel"`
	Won           decimal.Decimal `json:"won"`
	Pipeline      decimal.Decimal `json:"pipeline"`
	RemovalEffect float64         `json:"markov_removal_effect"`
	MarkovValue   float64         `json:"markov_value"`
	ShapleyValue  float64         `json:"shapley_value"`
}

// summarize turns merged totals into the summary.
func summarize(cfg *config, t *totals, rows int) (*summary, error) {
	m := cfg.scorer.Model()
	s := &summary{
		ICPModel: m.Name + " " + m.Version, AttributionModel: cfg.model.Name(),
		Lines: t.Lines, Blank: t.Blank, Rejected: t.Rejected, Journeys: t.Journeys, CSVRows: rows,
		Outcomes: map[string]int{}, Disqualified: t.Disqualified, ReportingCurrency: cfg.rates.Base,
	}
	for o, n := range t.Outcomes {
		s.Outcomes[attribution.Outcome(o).String()] = n
	}
	for _, b := range m.Tiers {
		s.Tiers = append(s.Tiers, tierCount{b.Label, t.Tiers[b.Label]})
	}
	s.Tiers = append(s.Tiers, tierCount{m.DisqualifiedTier, t.Tiers[m.DisqualifiedTier]})

	// Money: exact per currency, then converted to the reporting currency
	// exactly (amount × rate, unrounded: decimal multiplication is exact)
	// once per currency and column, never per journey. Channels therefore
	// sum exactly to the converted amounts; only the display rounds.
	names := append(cfg.taxonomy.Names(), attribution.Unattributed)
	s.Channels = make([]channelCredit, len(names))
	for i, name := range names {
		s.Channels[i].Channel = name
	}
	for _, cur := range slices.Sorted(mapKeys(t.Money)) {
		mo := t.Money[cur]
		amount := func(units int64) decimal.Decimal { return decimal.New(units, -mo.Places) }
		ct := currencyTotal{Currency: cur}
		for o := range mo.Amount {
			ct.Amount = ct.Amount.Add(amount(mo.Amount[o]))
			ct.Unattributed = ct.Unattributed.Add(amount(mo.Credit[cfg.unattributed()][o]))
		}
		ct.Credited = ct.Amount.Sub(ct.Unattributed)
		s.Currencies = append(s.Currencies, ct)
		rate, ok := cfg.rates.Rates[cur]
		switch {
		case cur == cfg.rates.Base:
			rate = decimal.NewFromInt(1)
		case !ok: // cannot happen: journeys without a rate are rejected
			return nil, fmt.Errorf("%s: no exchange rate to %s", cur, cfg.rates.Base)
		}
		for col, c := range mo.Credit {
			won := amount(c[attribution.Won]).Mul(rate)
			all := amount(c[attribution.Open] + c[attribution.Won] + c[attribution.Lost]).Mul(rate)
			s.Channels[col].Won = s.Channels[col].Won.Add(won)
			s.Channels[col].Pipeline = s.Channels[col].Pipeline.Add(all)
		}
	}

	// The data-driven views of the merged aggregates.
	markov, err := t.Chain.Fit()
	switch {
	case errors.Is(err, attribution.ErrNoConversions):
	case err != nil:
		return nil, err
	default:
		s.Markov = markov
		for _, mc := range markov.Channels {
			if i := slices.Index(names, mc.Channel); i >= 0 {
				s.Channels[i].RemovalEffect, s.Channels[i].MarkovValue = mc.RemovalEffect, mc.Value
			}
		}
	}
	if s.Shapley, err = t.Coalitions.Simplified(attribution.ConversionValue); err != nil {
		return nil, err
	}
	for _, sc := range s.Shapley.Channels {
		if i := slices.Index(names, sc.Channel); i >= 0 {
			s.Channels[i].ShapleyValue = sc.Value
		}
	}
	return s, nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// print writes the summary for people.
func (s *summary) print(w io.Writer) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	p("%s: %s lines with %d shard(s) in %.1f s (%s journeys/s)", s.Input, thousands(s.Lines), s.Shards, s.Seconds, thousands(int(s.JourneysPerSecond)))
	p("  %s journeys scored and credited (%s CSV rows), %s rejected, %s blank: every line accounted for",
		thousands(s.Journeys), thousands(s.CSVRows), thousands(s.Rejected), thousands(s.Blank))
	p("  outcomes: %s won, %s lost, %s open", thousands(s.Outcomes["won"]), thousands(s.Outcomes["lost"]), thousands(s.Outcomes["open"]))

	p("ICP tiers as of %s (%s):", s.AsOf.Format(time.RFC3339), s.ICPModel)
	var parts []string
	for _, t := range s.Tiers {
		parts = append(parts, fmt.Sprintf("%s %s (%.1f%%)", t.Tier, thousands(t.Journeys), pct(t.Journeys, s.Journeys)))
	}
	p("  %s", strings.Join(parts, ", "))
	parts = parts[:0]
	for _, k := range slices.Sorted(mapKeys(s.Disqualified)) {
		parts = append(parts, fmt.Sprintf("%s %s", k, thousands(s.Disqualified[k])))
	}
	if len(parts) > 0 {
		p("  disqualified by: %s", strings.Join(parts, ", "))
	}

	p("Credit per channel in %s: %s (exact sums per currency, converted exactly) beside the data-driven models:", s.ReportingCurrency, s.AttributionModel)
	p("  %-20s %16s %16s %8s %14s %14s", "channel", "won revenue", "all pipeline", "removal", "markov value", "shapley value")
	var won, all decimal.Decimal
	for _, c := range s.Channels {
		won, all = won.Add(c.Won), all.Add(c.Pipeline)
		if c.Channel == attribution.Unattributed { // no touch: nothing for a data-driven model
			p("  %-20s %16s %16s %8s %14s %14s", c.Channel, money2(c.Won), money2(c.Pipeline), "-", "-", "-")
			continue
		}
		p("  %-20s %16s %16s %7.1f%% %14s %14s", c.Channel, money2(c.Won), money2(c.Pipeline), 100*c.RemovalEffect,
			money0(c.MarkovValue), money0(c.ShapleyValue))
	}
	p("  %-20s %16s %16s", "total", money2(won), money2(all))
	parts = parts[:0]
	for _, c := range s.Currencies {
		parts = append(parts, fmt.Sprintf("%s %s = %s credited + %s unattributed", c.Currency,
			money2(c.Amount), money2(c.Credited), money2(c.Unattributed)))
	}
	p("  every amount in its own currency: %s", strings.Join(parts, "; "))
	if s.Markov != nil {
		p("  markov (order %d): %s closed paths, conversion probability %.1f%%; shapley: simplified, on won amounts",
			s.Markov.Order, thousands(s.Markov.Paths), 100*s.Markov.ConversionProbability)
	} else {
		p("  markov: no won journey, no fit")
	}
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// thousands formats n with thousands separators: 1234567 is "1,234,567".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// money2 formats an amount with cents and separators: "1,234,567.89".
func money2(d decimal.Decimal) string {
	whole, frac, _ := strings.Cut(d.StringFixed(2), ".")
	n, _ := strconv.Atoi(whole)
	return thousands(n) + "." + frac
}

// money0 formats a float amount to the unit: "1,234,568".
func money0(x float64) string { return thousands(int(x + 0.5)) }

// compare lists every difference between two runs' totals and CSV, exactly:
// counts, tiers and money compare as integers; the data-driven results
// compare bit for bit (the aggregates promise the same result whatever the
// order of the shards), as does the CSV's SHA-256.
func compare(a, b *totals, csvA, csvB string) []string {
	checks := []struct {
		name string
		a, b any
	}{
		{"line counts", [4]int{a.Lines, a.Blank, a.Rejected, a.Journeys}, [4]int{b.Lines, b.Blank, b.Rejected, b.Journeys}},
		{"outcomes", a.Outcomes, b.Outcomes},
		{"tier counts", a.Tiers, b.Tiers},
		{"disqualifier counts", a.Disqualified, b.Disqualified},
		{"amounts and credit per channel (minor units)", a.Money, b.Money},
		{"markov paths", a.Chain.Paths(), b.Chain.Paths()},
		{"markov fit", fitOf(a.Chain.Fit()), fitOf(b.Chain.Fit())},
		{"coalition paths", a.Coalitions.Paths(), b.Coalitions.Paths()},
		{"shapley conversions", fitOf(a.Coalitions.Simplified(attribution.Conversions)), fitOf(b.Coalitions.Simplified(attribution.Conversions))},
		{"shapley value", fitOf(a.Coalitions.Simplified(attribution.ConversionValue)), fitOf(b.Coalitions.Simplified(attribution.ConversionValue))},
		{"shapley conversion rate (exact)", fitOf(a.Coalitions.Exact(attribution.ConversionRate)), fitOf(b.Coalitions.Exact(attribution.ConversionRate))},
		{"ordered shapley", fitOf(a.Coalitions.Ordered(attribution.Conversions)), fitOf(b.Coalitions.Ordered(attribution.Conversions))},
		{"CSV SHA-256", csvA, csvB},
	}
	var diffs []string
	for _, c := range checks {
		if !reflect.DeepEqual(c.a, c.b) {
			diffs = append(diffs, c.name)
		}
	}
	return diffs
}

// fitOf pairs a result with its error text, so that two failures compare
// equal when they fail the same way.
func fitOf[T any](v T, err error) any {
	if err != nil {
		return "error: " + err.Error()
	}
	return v
}

// byteSize formats a byte count: "1.5 GB".
func byteSize(n int64) string {
	units := []string{"B", "kB", "MB", "GB", "TB"}
	x := float64(n)
	i := 0
	for x >= 1000 && i < len(units)-1 {
		x /= 1000
		i++
	}
	prec := 1
	if i == 0 {
		prec = 0
	}
	return strconv.FormatFloat(x, 'f', prec, 64) + " " + units[i]
}
