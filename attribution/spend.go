package attribution

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
)

// Cost is money spent on a channel, e.g. one row of a monthly spend
// export.
type Cost struct {
	// Channel is the taxonomy channel the money was spent on, e.g.
	// "paid_search".
	Channel string `json:"channel"`
	// At is when the money was spent (any instant of its period, e.g. the
	// first of the month).
	At time.Time `json:"at"`
	// Amount is the money spent, in Currency; it must not be negative.
	Amount decimal.Decimal `json:"amount"`
	// Currency is the ISO 4217 code of Amount, e.g. "EUR"; it needs a
	// rate in [SpendOptions.Rates] unless it is the report's currency.
	Currency string `json:"currency"`
}

// Recommendation is what the spend rule says about a channel's budget. It
// is text in JSON; the zero value is Hold.
type Recommendation int

// The recommendations of the spend rule.
const (
	// Hold: the models do not agree, so the budget stays; the credit is a
	// direction, not a verdict.
	Hold Recommendation = iota
	// Increase: a quorum of models finds the channel more efficient than
	// the paid portfolio.
	Increase
	// Decrease: a quorum finds it less efficient.
	Decrease
)

var recommendationNames = enum.Names[Recommendation]{Pkg: pkg, Type: "Recommendation", Path: "recommendation", Match: enum.Trim | enum.Lower,
	Names: []string{Hold: "hold", Increase: "increase", Decrease: "decrease"}, Want: "must be hold, increase or decrease"}

// String returns "hold", "increase" or "decrease".
func (r Recommendation) String() string { return recommendationNames.String(r) }

// MarshalText encodes the recommendation by name.
func (r Recommendation) MarshalText() ([]byte, error) { return recommendationNames.Text(r) }

// UnmarshalText decodes "hold", "increase" or "decrease".
func (r *Recommendation) UnmarshalText(b []byte) error { return recommendationNames.Unmarshal(r, b) }

// DefaultQuorum is the share of models that must agree before the spend
// rule moves budget (three in four).
const DefaultQuorum = 0.75

// SpendOptions configures [EvaluateSpend].
type SpendOptions struct {
	// Rates converts costs into the report's currency (Rates.Base must be
	// the report's currency).
	Rates revalign.Rates `json:"rates"`
	// Quorum is the share of voting models, in (0, 1], that must agree
	// before budget moves toward (or away from) a channel.
	Quorum float64 `json:"quorum"`
	// Models names the voting models; empty means every model of the
	// report.
	Models []string `json:"models,omitempty"`
}

// DefaultSpendOptions returns a three-in-four quorum of all models, in USD.
func DefaultSpendOptions() SpendOptions {
	return SpendOptions{Rates: revalign.Rates{Base: "USD"}, Quorum: DefaultQuorum}
}

// Validate reports an invalid rate table or a quorum outside (0, 1].
func (o SpendOptions) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	v.Nest("rates", o.Rates.Validate())
	v.Check(o.Quorum > 0 && o.Quorum <= 1, "quorum", o.Quorum, "must be in (0, 1]")
	for i, m := range o.Models {
		v.Check(strings.TrimSpace(m) != "", revalign.Index("models", i), m, "must not be blank")
	}
	return v.Err()
}

// SpendReport ties a reconciliation to spend: per paid channel and model,
// the cost per credited dollar and the return, each model's vote, and the
// recommendation of the quorum rule.
type SpendReport struct {
	// Currency is the currency of every amount: the reconciliation's.
	Currency string `json:"currency"`
	// Period is the reconciliation's period, the only one whose costs
	// count; zero for a report over every period, which counts every cost.
	Period revalign.Period `json:"period,omitzero"`
	// Cost is the total spend counted.
	Cost decimal.Decimal `json:"cost"`
	// Models are the voting models.
	Models []string `json:"models"`
	// Channels holds one row per channel with spend, most spend first.
	Channels []ChannelSpend `json:"channels"`
	// Errors lists costs that could not be used, as "costs[i]": negative,
	// not convertible, or on a channel the report's taxonomy does not know.
	Errors []revalign.RecordError `json:"errors,omitempty"`
}

// ChannelSpend is one channel's spend against its credit under each model.
type ChannelSpend struct {
	// Channel is the taxonomy channel's name.
	Channel string `json:"channel"`
	// Cost is the channel's spend in the report's period, in the report's
	// currency; always above 0 (channels without spend have no row).
	Cost decimal.Decimal `json:"cost"`
	// Models is aligned with SpendReport.Models.
	Models []ModelSpend `json:"models"`
	// Increase counts the models voting to increase the budget.
	Increase int `json:"increase"`
	// Decrease counts the models voting to decrease it.
	Decrease int `json:"decrease"`
	// Recommendation is the quorum's verdict.
	Recommendation Recommendation `json:"recommendation"`
}

// ModelSpend is a channel's efficiency under one model.
type ModelSpend struct {
	// Model names the voting model.
	Model string `json:"model"`
	// Credit is what the model credits the channel in the reconciliation,
	// in the report's currency; zero for a channel no journey touched.
	Credit decimal.Decimal `json:"credit"`
	// CostPerCredit is the cost per credited unit of currency (cost per
	// credited dollar); 0 when the model credits the channel nothing.
	CostPerCredit float64 `json:"cost_per_credit"`
	// ROI is (credit − cost) / cost.
	ROI float64 `json:"roi"`
	// Vote is +1 when the channel returns more than the paid portfolio as
	// a whole under this model, −1 when less, 0 when equal.
	Vote int `json:"vote"`
}

// EvaluateSpend applies the spend rule to a reconciliation: costs (converted to
// the report's currency; only those inside rep.Period when the report is a
// period's) are summed per channel, each model votes on each channel with
// spend by comparing its return with the portfolio's, and budget moves only
// where a quorum of the voting models agree. A channel of the taxonomy
// that no journey touched (Report.Idle) returned nothing under every model.
// Costs that are negative, cannot be converted or are on a channel the
// report's taxonomy does not know (neither a row nor idle) are reported in
// SpendReport.Errors and left out of every total. The error is for invalid
// options or a voting model the report does not have.
func EvaluateSpend(rep *Report, costs []Cost, opts SpendOptions) (*SpendReport, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if !strings.EqualFold(opts.Rates.Base, rep.Currency) {
		return nil, &revalign.FieldError{Pkg: pkg, Path: "rates.base", Value: opts.Rates.Base, Reason: "must be the report's currency " + rep.Currency}
	}
	voters := opts.Models
	if len(voters) == 0 {
		for _, m := range rep.Models {
			voters = append(voters, m.Name)
		}
	}
	col := make([]int, len(voters))
	for i, name := range voters {
		col[i] = slices.IndexFunc(rep.Models, func(m ModelSummary) bool { return m.Name == name })
		if col[i] < 0 {
			return nil, &revalign.FieldError{Pkg: pkg, Path: revalign.Index("models", i), Value: name, Reason: "not a model of the report"}
		}
	}
	out := &SpendReport{Currency: rep.Currency, Period: rep.Period, Models: voters, Cost: decimal.Zero}
	known := make(map[string]bool, len(rep.Channels)+len(rep.Idle))
	for _, row := range rep.Channels {
		known[row.Channel] = row.Channel != Unattributed
	}
	for _, name := range rep.Idle {
		known[name] = true
	}
	spend := map[string]decimal.Decimal{}
	var order []string
	for i, c := range costs {
		if !rep.Period.IsZero() && !rep.Period.Contains(c.At) {
			continue
		}
		if !known[c.Channel] {
			out.Errors = append(out.Errors, revalign.RecordError{ID: revalign.Index("costs", i), Err: &revalign.FieldError{Pkg: pkg, Path: "channel", Value: c.Channel,
				Reason: "not a channel of the report's taxonomy"}})
			continue
		}
		if c.Amount.IsNegative() {
			out.Errors = append(out.Errors, revalign.RecordError{ID: revalign.Index("costs", i), Err: &revalign.FieldError{Pkg: pkg, Path: "amount", Value: c.Amount.String(), Reason: "must not be negative"}})
			continue
		}
		a, err := opts.Rates.Convert(c.Amount, c.Currency)
		if err != nil {
			out.Errors = append(out.Errors, revalign.RecordError{ID: revalign.Index("costs", i), Err: err})
			continue
		}
		if _, ok := spend[c.Channel]; !ok {
			order = append(order, c.Channel)
			spend[c.Channel] = decimal.Zero
		}
		spend[c.Channel] = spend[c.Channel].Add(a)
		out.Cost = out.Cost.Add(a)
	}
	credit := func(channel string, m int) decimal.Decimal {
		for _, row := range rep.Channels {
			if row.Channel == channel {
				return row.Cells[m].Credit
			}
		}
		return decimal.Zero
	}
	// The portfolio's return under each model: credit of the channels with
	// spend over the total spend.
	portfolio := make([]float64, len(voters))
	totalCost := out.Cost.InexactFloat64()
	for v, m := range col {
		sum := decimal.Zero
		for _, ch := range order {
			if spend[ch].IsPositive() {
				sum = sum.Add(credit(ch, m))
			}
		}
		if totalCost > 0 {
			portfolio[v] = sum.InexactFloat64()/totalCost - 1
		}
	}
	need := int(math.Ceil(opts.Quorum*float64(len(voters)) - 1e-9))
	for _, ch := range order {
		cost := spend[ch]
		if !cost.IsPositive() {
			continue
		}
		row := ChannelSpend{Channel: ch, Cost: cost, Models: make([]ModelSpend, len(voters))}
		fc := cost.InexactFloat64()
		for v, m := range col {
			cr := credit(ch, m)
			ms := ModelSpend{Model: voters[v], Credit: cr}
			fcr := cr.InexactFloat64()
			if fcr > 0 {
				ms.CostPerCredit = fc / fcr
			}
			ms.ROI = (fcr - fc) / fc
			switch {
			case ms.ROI > portfolio[v]:
				ms.Vote = 1
				row.Increase++
			case ms.ROI < portfolio[v]:
				ms.Vote = -1
				row.Decrease++
			}
			row.Models[v] = ms
		}
		switch {
		case row.Increase >= need:
			row.Recommendation = Increase
		case row.Decrease >= need:
			row.Recommendation = Decrease
		}
		out.Channels = append(out.Channels, row)
	}
	slices.SortStableFunc(out.Channels, func(a, b ChannelSpend) int { return -a.Cost.Cmp(b.Cost) })
	return out, nil
}
