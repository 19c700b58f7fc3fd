package main

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"math"

	"github.com/revalign/revalign/attribution"
)

// totals are the aggregates of a set of input lines: counts, exact money
// per currency, and the data-driven attribution aggregates. Every field is a
// sum, so the totals of shards merge by adding, in any order, into exactly
// the totals of a single pass. This is the whole contract a distributed
// engine needs: add a record in the map step, merge two totals in the
// combine step.
type totals struct {
	// Lines counts every input line: Blank + Rejected + Journeys.
	Lines, Blank, Rejected, Journeys int
	// Outcomes counts the journeys by outcome (open, won, lost).
	Outcomes [3]int
	// Tiers counts the journeys by ICP tier, Disqualified by the hard
	// disqualifier that fired.
	Tiers, Disqualified map[string]int
	// Money holds each currency's amounts, by currency code.
	Money map[string]*money
	// Chain and Coalitions are the inputs of the Markov removal effects and
	// the Shapley values: closed journeys with touches (won = a conversion
	// worth its amount in the reporting currency, lost = a null).
	Chain      *attribution.Chain
	Coalitions *attribution.Coalitions

	columns int // credit columns per currency
}

// money is one currency's amounts in minor units: exact integers, summed
// without rounding and converted only for the report.
type money struct {
	Places int32
	// Amount is the journeys' amount by outcome.
	Amount [3]int64
	// Credit is the primary model's credit by column (the taxonomy's
	// channels, then unattributed) and outcome. For each outcome the column
	// sums to Amount: the proof that no cent was dropped.
	Credit [][3]int64
}

// errOverflow reports totals beyond 64-bit minor units: an error, never a
// wrapped total.
var errOverflow = errors.New("amounts overflow 64-bit minor units")

func newTotals(order, columns int) (*totals, error) {
	chain, err := attribution.NewChain(order)
	if err != nil {
		return nil, err
	}
	return &totals{
		Tiers: map[string]int{}, Disqualified: map[string]int{}, Money: map[string]*money{},
		Chain: chain, Coalitions: &attribution.Coalitions{}, columns: columns,
	}, nil
}

// money returns the amounts of a currency, adding them if new.
func (t *totals) money(currency string, places int32) *money {
	m := t.Money[currency]
	if m == nil {
		m = &money{Places: places, Credit: make([][3]int64, t.columns)}
		t.Money[currency] = m
	}
	return m
}

// add books one journey: its amount in minor units and its credit per
// column. A journey's amount is at most 2^40 units (revalign.ToUnits), so
// only millions of enormous amounts can overflow; a credit cannot overflow
// when its amount does not, since it is at most the amount.
func (m *money) add(outcome attribution.Outcome, units int64, credit []int64) error {
	if m.Amount[outcome] > math.MaxInt64-units {
		return errOverflow
	}
	m.Amount[outcome] += units
	for col, u := range credit {
		m.Credit[col][outcome] += u
	}
	return nil
}

// merge adds o's totals into t; o is unchanged. Totals of another
// configuration (other credit columns, another Markov order) are an error,
// and leave t unchanged.
func (t *totals) merge(o *totals) error {
	if err := t.compatible(o); err != nil {
		return err
	}
	t.Lines += o.Lines
	t.Blank += o.Blank
	t.Rejected += o.Rejected
	t.Journeys += o.Journeys
	for i, n := range o.Outcomes {
		t.Outcomes[i] += n
	}
	for k, n := range o.Tiers {
		t.Tiers[k] += n
	}
	for k, n := range o.Disqualified {
		t.Disqualified[k] += n
	}
	for cur, om := range o.Money {
		m := t.money(cur, om.Places)
		for outcome, units := range om.Amount {
			if m.Amount[outcome] > math.MaxInt64-units {
				return fmt.Errorf("%s: %w", cur, errOverflow)
			}
			m.Amount[outcome] += units
		}
		for col := range om.Credit {
			for outcome, units := range om.Credit[col] {
				m.Credit[col][outcome] += units
			}
		}
	}
	if err := t.Chain.Merge(o.Chain); err != nil {
		return err
	}
	return t.Coalitions.Merge(o.Coalitions)
}

// compatible reports whether o's totals can be merged into t's: made with
// the same credit columns and Markov order (the totals a driver receives
// from its workers could have been made with another configuration).
func (t *totals) compatible(o *totals) error {
	if o.Chain.Order() != t.Chain.Order() {
		return fmt.Errorf("a Markov chain of order %d, want %d: totals of another configuration", o.Chain.Order(), t.Chain.Order())
	}
	for cur, om := range o.Money {
		if m := t.Money[cur]; len(om.Credit) != t.columns || m != nil && m.Places != om.Places {
			return fmt.Errorf("%s: %d credit columns, %d decimal places: totals of another configuration (want %d columns)",
				cur, len(om.Credit), om.Places, t.columns)
		}
	}
	return nil
}

// MarshalBinary encodes the totals as a worker of a distributed engine
// sends them to the driver: with encoding/gob, which writes the counts and
// the money as they are and the Chain and Coalitions as the bytes of their
// own MarshalBinary methods. Everything in it is exact (integers, and the
// float64 counts of the chain and coalitions bit for bit), so the driver
// merges the decoded totals into exactly what the worker had.
func (t *totals) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode((*totalsFields)(t)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// totalsFields is totals without its methods, for gob, which would
// otherwise call totals.MarshalBinary on itself.
type totalsFields totals

// UnmarshalBinary decodes what MarshalBinary encodes, into totals to merge
// from (the driver merges them into totals of its own, made by newTotals).
// Malformed data is an error.
func (t *totals) UnmarshalBinary(data []byte) error {
	var d totals
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode((*totalsFields)(&d)); err != nil {
		return fmt.Errorf("decoding totals: %w", err)
	}
	if d.Chain == nil || d.Coalitions == nil {
		return errors.New("decoding totals: no Markov chain or Shapley coalitions")
	}
	for cur, m := range d.Money {
		if m == nil {
			return fmt.Errorf("decoding totals: %s: no amounts", cur)
		}
	}
	*t = d
	return nil
}

// roundTrip returns t as the driver receives it from a worker: marshalled
// and unmarshalled.
func (t *totals) roundTrip() (*totals, error) {
	b, err := t.MarshalBinary()
	if err != nil {
		return nil, err
	}
	var o totals
	if err := o.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return &o, nil
}

// credited returns the credit of every column for one outcome.
func (m *money) credited(outcome attribution.Outcome) int64 {
	var sum int64
	for _, c := range m.Credit {
		sum += c[outcome]
	}
	return sum
}

// check proves the accounting: every line is a blank line, a rejected line
// or a journey, and in every currency and outcome the credit columns sum
// exactly to the journeys' amount.
func (t *totals) check() error {
	if t.Blank+t.Rejected+t.Journeys != t.Lines {
		return fmt.Errorf("%d lines read, but %d blank + %d rejected + %d journeys", t.Lines, t.Blank, t.Rejected, t.Journeys)
	}
	for cur, m := range t.Money {
		for outcome, amount := range m.Amount {
			o := attribution.Outcome(outcome)
			if got := m.credited(o); got != amount {
				return fmt.Errorf("%s %s journeys: credit sums to %d minor units, their amount to %d", cur, o, got, amount)
			}
		}
	}
	return nil
}
