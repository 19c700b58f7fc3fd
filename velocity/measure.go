package velocity

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/stats"
)

// NoDecisionPolicy says how a lost deal the buyer never decided counts in
// the win rate. It is text in JSON: "loss" or "exclude".
type NoDecisionPolicy string

// The ways of counting "no decision". With 12 wins, 26 decided losses and 9
// no-decisions the win rate is 12/47 = 25.5% as losses and 12/38 = 31.6%
// excluded.
const (
	NoDecisionAsLoss  NoDecisionPolicy = "loss"
	NoDecisionExclude NoDecisionPolicy = "exclude"
)

// Statistic names the cycle statistic the velocity formula uses: "mean"
// (Little's law: open pipeline ÷ mean cycle is the closing rate) or
// "median".
type Statistic string

// The cycle statistics.
const (
	Mean   Statistic = "mean"
	Median Statistic = "median"
)

// Basis names what counts as N, the opportunities of the formula:
// "open_at_end" (the open pipeline on the window's last day, rebuilt from
// creation and close dates so a backtest never peeks at the future) or
// "created_in_window".
type Basis string

// The opportunity bases.
const (
	OpenAtEnd       Basis = "open_at_end"
	CreatedInWindow Basis = "created_in_window"
)

// Config says how [FromDeals] turns deals into velocity inputs.
type Config struct {
	// Currency is the reporting currency; averages are rounded to its minor
	// units and deals in another currency are rejected. Defaults to "USD".
	Currency string `json:"currency"`
	// NoDecision counts no-decision losses as losses (the default) or
	// leaves them out of the win rate. Both rates are always reported.
	NoDecision NoDecisionPolicy `json:"no_decision"`
	// Cycle is the statistic used as L. Defaults to the mean.
	Cycle Statistic `json:"cycle_statistic"`
	// Basis is what counts as N. Defaults to the open pipeline at the end.
	Basis Basis `json:"opportunity_basis"`
	// MinSample withholds a win rate or cycle computed from fewer deals.
	// Defaults to 5.
	MinSample int `json:"min_sample"`
}

// DefaultConfig returns USD, no-decision as loss, the mean cycle, the open
// pipeline at the window's end and a minimum sample of 5.
func DefaultConfig() Config {
	return Config{Currency: "USD", NoDecision: NoDecisionAsLoss, Cycle: Mean, Basis: OpenAtEnd, MinSample: 5}
}

// Validate reports a malformed currency, an unknown policy, statistic or
// basis, and a negative minimum sample.
func (c Config) Validate() error {
	v := revalign.Validator{Pkg: "velocity"}
	v.Check(len(c.Currency) == 3, "currency", c.Currency, "must be a three-letter currency code")
	v.Check(c.NoDecision == NoDecisionAsLoss || c.NoDecision == NoDecisionExclude, "no_decision", string(c.NoDecision), "must be loss or exclude")
	v.Check(c.Cycle == Mean || c.Cycle == Median, "cycle_statistic", string(c.Cycle), "must be mean or median")
	v.Check(c.Basis == OpenAtEnd || c.Basis == CreatedInWindow, "opportunity_basis", string(c.Basis), "must be open_at_end or created_in_window")
	v.Check(c.MinSample >= 0, "min_sample", c.MinSample, "must be >= 0")
	return v.Err()
}

// Counts are deal counts by status.
type Counts struct {
	// Open counts open deals.
	Open int `json:"open"`
	// Won counts won deals.
	Won int `json:"won"`
	// Lost counts lost deals, no-decisions included.
	Lost int `json:"lost"`
}

// Measures are the velocity inputs of one segment (or of all deals) over a
// window, with the counts behind them.
type Measures struct {
	// Segment names the segment, or [AllSegments] for the overall
	// measures.
	Segment string `json:"segment"`
	// Open counts deals open on the window's last day: created before the
	// window's end and not closed before it.
	Open int `json:"open"`
	// Created counts deals created in the window.
	Created int `json:"created"`
	// Won counts deals won in the window.
	Won int `json:"won"`
	// Lost counts deals lost in the window, no-decisions included.
	Lost int `json:"lost"`
	// NoDecision counts the lost deals the buyer never decided (a part of
	// Lost).
	NoDecision int `json:"no_decision"`
	// NoAmount counts, by status, the deals above that have no amount: they
	// are in every count and in no amount.
	NoAmount Counts `json:"no_amount"`
	// OpenAmount sums the amounts of the Open deals that have one, in the
	// reporting currency.
	OpenAmount decimal.Decimal `json:"open_amount"`
	// WonAmount sums the amounts of the Won deals that have one.
	WonAmount decimal.Decimal `json:"won_amount"`
	// LostAmount sums the amounts of the Lost deals that have one.
	LostAmount decimal.Decimal `json:"lost_amount"`
	// WinRate is the win rate under the configured no-decision policy
	// (WinRateAll or WinRateDecided), in [0,1].
	WinRate float64 `json:"win_rate"`
	// WinRateAll is Won ÷ (Won + Lost), no-decisions counted as losses;
	// 0 with no deal closed.
	WinRateAll float64 `json:"win_rate_all"`
	// WinRateDecided is Won ÷ (Won + Lost − NoDecision), no-decisions
	// left out; 0 with no deal decided.
	WinRateDecided float64 `json:"win_rate_decided"`
	// ValueWinRate is won amount ÷ (won + lost amount).
	ValueWinRate float64 `json:"value_win_rate"`
	// DealSize is the mean amount of the won deals that have one.
	DealSize decimal.Decimal `json:"deal_size"`
	// Cycle summarises the won deals' days from creation to close in the
	// window's time zone; it is withheld below the minimum sample.
	Cycle stats.Summary `json:"cycle_days"`
	// Inputs are the levers measured: N by the configured basis, the
	// deal size, the win rate and the configured cycle statistic.
	Inputs Inputs `json:"inputs"`
	// Velocity is the Inputs' velocity in revenue per day, rounded to
	// [Places]; zero when Withheld is not empty.
	Velocity decimal.Decimal `json:"velocity"`
	// Withheld says, one reason per entry, why the velocity is not
	// computed (a win rate or cycle below the minimum sample, no won deal
	// with an amount, a 0-day cycle); empty when it is.
	Withheld []string `json:"withheld,omitempty"`
}

// Report is the result of [FromDeals]: the velocity inputs over a window
// for all deals and by segment.
type Report struct {
	// Window is the measured period; its start's time zone counts the
	// cycle days.
	Window revalign.Period `json:"window"`
	// Overall pools every deal, named [AllSegments].
	Overall Measures `json:"overall"`
	// Segments are sorted by name.
	Segments []Measures `json:"segments"`
	// SegmentSum is the sum of the segments' velocities; it differs from
	// Overall.Velocity by the mix of segments (pooled averages are not
	// averages of velocities).
	SegmentSum decimal.Decimal `json:"segment_sum"`
	// Rejected counts deals returned as record errors.
	Rejected int `json:"rejected"`
}

// Inputs returns the segments whose velocity could be computed, for
// [Rank] and [Decompose].
func (r Report) Inputs() []Segment {
	var out []Segment
	for _, m := range r.Segments {
		if len(m.Withheld) == 0 {
			out = append(out, Segment{Name: m.Segment, Inputs: m.Inputs})
		}
	}
	return out
}

// Segment returns the measures of a named segment.
func (r Report) Segment(name string) (Measures, bool) {
	for _, m := range r.Segments {
		if m.Segment == name {
			return m, true
		}
	}
	return Measures{}, false
}

type tally struct {
	m               Measures
	open, won, lost sum
	wonWithAmount   int
	cycles          []float64
}

func (t *tally) merge(o *tally) {
	t.m.Open += o.m.Open
	t.m.Created += o.m.Created
	t.m.Won += o.m.Won
	t.m.Lost += o.m.Lost
	t.m.NoDecision += o.m.NoDecision
	t.m.NoAmount.Open += o.m.NoAmount.Open
	t.m.NoAmount.Won += o.m.NoAmount.Won
	t.m.NoAmount.Lost += o.m.NoAmount.Lost
	t.open.merge(o.open)
	t.won.merge(o.won)
	t.lost.merge(o.lost)
	t.wonWithAmount += o.wonWithAmount
	t.cycles = append(t.cycles, o.cycles...)
}

// FromDeals measures the velocity inputs of deals over a window, overall
// and by segment: N (the open pipeline at the window's end, or the deals
// created in it), the mean won deal size, count- and value-based win rates
// of the deals closed in the window (open deals excluded, no-decisions
// counted as the config says), and the cycle of the won deals in calendar
// days in the zone of window.Start. Win rates and cycles from fewer than
// cfg.MinSample deals are withheld, and so is the velocity built on them.
//
// Deals that cannot be used (unknown status, no dates, a close before the
// creation date, a foreign currency, a negative amount) are returned as
// record errors with their IDs while the rest are measured. Deals without
// an amount are in every count and reported in NoAmount. An invalid config
// or window is an error.
func FromDeals(deals []Deal, window revalign.Period, cfg Config) (Report, []revalign.RecordError, error) {
	if err := cfg.Validate(); err != nil {
		return Report{}, nil, err
	}
	if !window.End.After(window.Start) {
		return Report{}, nil, &revalign.FieldError{Pkg: "velocity", Path: "window", Value: window.String(), Reason: "must end after it starts"}
	}
	loc := window.Start.Location()
	var (
		tallies []tally
		index   = map[string]int{}
		rejects []revalign.RecordError
	)
	for i := range deals {
		d := &deals[i]
		if err := d.check(cfg.Currency); err != nil {
			rejects = append(rejects, revalign.RecordError{ID: d.ID, Err: err})
			continue
		}
		days := 0
		closedIn := d.Status != Open && window.Contains(d.Closed)
		if closedIn {
			var err error
			if days, err = d.cycleDays(loc); err != nil {
				rejects = append(rejects, revalign.RecordError{ID: d.ID, Err: err})
				continue
			}
		}
		k, ok := index[d.Segment]
		if !ok {
			k = len(tallies)
			index[d.Segment] = k
			tallies = append(tallies, tally{m: Measures{Segment: d.Segment}})
		}
		t := &tallies[k]
		if window.Contains(d.Created) {
			t.m.Created++
		}
		if d.Created.Before(window.End) && (d.Status == Open || !d.Closed.Before(window.End)) {
			t.m.Open++
			count(&t.open, &t.m.NoAmount.Open, d.Amount)
		}
		if !closedIn {
			continue
		}
		if d.Status == Won {
			t.m.Won++
			if count(&t.won, &t.m.NoAmount.Won, d.Amount) {
				t.wonWithAmount++
			}
			t.cycles = append(t.cycles, float64(days))
			continue
		}
		t.m.Lost++
		if d.NoDecision {
			t.m.NoDecision++
		}
		count(&t.lost, &t.m.NoAmount.Lost, d.Amount)
	}
	sortSegments(tallies)
	r := Report{Window: window, Rejected: len(rejects), Segments: make([]Measures, len(tallies))}
	all := tally{m: Measures{Segment: AllSegments}}
	n := 0
	for i := range tallies {
		n += len(tallies[i].cycles)
	}
	all.cycles = make([]float64, 0, n)
	places := revalign.MinorUnits(cfg.Currency)
	for i := range tallies {
		all.merge(&tallies[i])
		r.Segments[i] = tallies[i].finish(cfg, places)
		r.SegmentSum = r.SegmentSum.Add(r.Segments[i].Velocity)
	}
	r.Overall = all.finish(cfg, places)
	return r, rejects, nil
}

// count adds an amount to s, or counts a missing one; it reports whether
// the amount was there.
func count(s *sum, missing *int, a decimal.NullDecimal) bool {
	if !a.Valid {
		*missing++
		return false
	}
	s.add(a.Decimal)
	return true
}

func sortSegments(t []tally) {
	slices.SortFunc(t, func(a, b tally) int { return strings.Compare(a.m.Segment, b.m.Segment) })
}

func (t *tally) finish(cfg Config, places int32) Measures {
	m := t.m
	m.OpenAmount, m.WonAmount, m.LostAmount = t.open.total(), t.won.total(), t.lost.total()
	m.WinRateAll = ratio(m.Won, m.Won+m.Lost)
	m.WinRateDecided = ratio(m.Won, m.Won+m.Lost-m.NoDecision)
	decided := m.Won + m.Lost
	m.WinRate = m.WinRateAll
	if cfg.NoDecision == NoDecisionExclude {
		decided -= m.NoDecision
		m.WinRate = m.WinRateDecided
	}
	if closed := m.WonAmount.Add(m.LostAmount); closed.IsPositive() {
		m.ValueWinRate = m.WonAmount.Div(closed).InexactFloat64()
	}
	m.DealSize = mean(m.WonAmount, t.wonWithAmount, places)
	m.Cycle = stats.Summarize(t.cycles, cfg.MinSample)
	m.Inputs = Inputs{Opportunities: float64(m.Open), DealSize: m.DealSize, WinRate: m.WinRate, CycleDays: m.Cycle.Mean}
	if cfg.Basis == CreatedInWindow {
		m.Inputs.Opportunities = float64(m.Created)
	}
	if cfg.Cycle == Median {
		m.Inputs.CycleDays = m.Cycle.Median
	}
	if decided < cfg.MinSample || decided == 0 {
		m.Withheld = append(m.Withheld, fmt.Sprintf("win rate: %d decided deals, fewer than %d", decided, max(cfg.MinSample, 1)))
	}
	if t.wonWithAmount == 0 {
		m.Withheld = append(m.Withheld, "deal size: no won deal with an amount")
	}
	switch {
	case m.Cycle.Withheld:
		m.Withheld = append(m.Withheld, fmt.Sprintf("cycle: %d won deals, fewer than %d", m.Cycle.N, max(cfg.MinSample, 1)))
	case m.Inputs.CycleDays <= 0:
		m.Withheld = append(m.Withheld, "cycle: won deals closed the day they were created (0 days)")
	}
	if len(m.Withheld) == 0 {
		m.Velocity, _ = m.Inputs.Velocity()
	}
	return m
}

func ratio(a, b int) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// String formats the measures on one line, for logs.
func (m Measures) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: N=%g S=%s W=%.1f%% L=%.1fd", m.Segment, m.Inputs.Opportunities, m.DealSize.StringFixed(0), 100*m.Inputs.WinRate, m.Inputs.CycleDays)
	if len(m.Withheld) > 0 {
		fmt.Fprintf(&b, " (withheld: %s)", strings.Join(m.Withheld, "; "))
	} else {
		fmt.Fprintf(&b, " → %s/day", m.Velocity.StringFixed(2))
	}
	return b.String()
}
