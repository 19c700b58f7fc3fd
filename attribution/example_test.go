package attribution_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

func at(d int) time.Time { return time.Date(2026, 3, 2+d, 10, 0, 0, 0, time.UTC) }

// A W-shaped split of one deal, to the cent: 30% each to the first-touch,
// lead-creation and opportunity-creation touches, 10% over the touches
// between them, nothing after the opportunity was created.
func ExampleAllocate() {
	deal := attribution.Journey{
		ID: "opp-42",
		Touches: []attribution.Touch{
			{Channel: "paid_social", At: at(0)},
			{Channel: "webinar", At: at(3)},
			{Channel: "email", At: at(5)}, // the lead is created here
			{Channel: "content_syndication", At: at(9)},
			{Channel: "sdr_outbound", At: at(12)}, // the opportunity is created here
			{Channel: "events", At: at(20)},
		},
		LeadCreated: at(5), OppCreated: at(12), Closed: at(30),
		Outcome: attribution.Won, Amount: decimal.RequireFromString("48250.75"), Currency: "USD",
	}
	var a attribution.Allocation
	if err := attribution.Allocate(&a, attribution.WShaped(), &deal); err != nil {
		fmt.Println(err)
		return
	}
	for i, t := range deal.Touches {
		fmt.Printf("%-20s %5.1f%% %10s\n", t.Channel, 100*a.Weights[i], a.Credit(i).StringFixed(2))
	}
	// Output:
	// paid_social           30.0%   14475.23
	// webinar                5.0%    2412.54
	// email                 30.0%   14475.22
	// content_syndication    5.0%    2412.54
	// sdr_outbound          30.0%   14475.22
	// events                 0.0%       0.00
}

// The whitepaper example: A is on every path, B on two of three; the exact
// absorbing-chain solve gives A a removal effect of 1 and B of 0.5, so A
// earns two of the three conversions.
func ExampleFitMarkov() {
	paths, _, err := attribution.ReadPaths(strings.NewReader(
		"A > B > A > B > B > A;1;0;0\n" +
			"A > B > B > A > A;1;0;0\n" +
			"A > A;1;0;0\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := attribution.FitMarkov(paths, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range m.Channels {
		fmt.Printf("%s removal effect %.2f, %.1f conversions\n", c.Channel, c.RemovalEffect, c.Conversions)
	}
	// Output:
	// A removal effect 1.00, 2.0 conversions
	// B removal effect 0.50, 1.0 conversions
}

// Value-weighted Shapley values of three channels, by the exact coalition
// formula and by Zhao's simplified form, which agree.
func ExampleCoalitions_Exact() {
	var c attribution.Coalitions
	for _, line := range []string{"a;3;300;3", "b > a;2;100;2", "b > c > b;1;60;3", "c > a > b > a;3;90;1"} {
		f := strings.Split(line, ";")
		var conv, value, nulls float64
		fmt.Sscan(f[1], &conv)
		fmt.Sscan(f[2], &value)
		fmt.Sscan(f[3], &nulls)
		if err := c.Add(attribution.Path{Channels: strings.Split(f[0], " > "), Conversions: conv, Value: value, Nulls: nulls}); err != nil {
			fmt.Println(err)
			return
		}
	}
	exact, _ := c.Exact(attribution.ConversionValue)
	simple, _ := c.Simplified(attribution.ConversionValue)
	for i, ch := range exact.Channels {
		fmt.Printf("%s exact %.2f simplified %.2f\n", ch.Channel, ch.Value, simple.Channels[i].Value)
	}
	// Output:
	// a exact 380.00 simplified 380.00
	// b exact 110.00 simplified 110.00
	// c exact 60.00 simplified 60.00
}

// Reconcile three models over three won deals: first touch hands paid
// social both deals it opened (83%), while the multi-touch models give it
// about a quarter; W-shaped credits the lead- and opportunity-creation
// touches and nothing after the opportunity (events).
func ExampleReconcile() {
	deal := func(id, amount string, channels ...string) attribution.Journey {
		j := attribution.Journey{ID: id, LeadCreated: at(1), OppCreated: at(2), Closed: at(10),
			Outcome: attribution.Won, Amount: decimal.RequireFromString(amount), Currency: "USD"}
		for i, c := range channels {
			j.Touches = append(j.Touches, attribution.Touch{Channel: c, At: at(i)})
		}
		return j
	}
	journeys := []attribution.Journey{
		deal("o1", "30000", "paid_social", "webinar", "sdr_outbound"),
		deal("o2", "20000", "paid_social", "email", "email", "events"),
		deal("o3", "10000", "organic_search", "webinar"),
	}
	opts := attribution.DefaultReconcileOptions()
	opts.Period = 0
	rep, err := attribution.Reconcile(journeys, opts,
		attribution.FirstTouchModel(), attribution.Linear{}, attribution.WShaped())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%-15s %12s %12s %12s\n", "channel", "first_touch", "linear", "w_shaped")
	for _, r := range rep.Channels {
		fmt.Printf("%-15s", r.Channel)
		for _, c := range r.Cells {
			fmt.Printf(" %11.1f%%", 100*c.Share)
		}
		fmt.Println()
	}
	ft := rep.Models[0]
	fmt.Printf("first touch over-credits %s by %+.0f%% versus the multi-touch mean\n", ft.Over.Channel, 100*ft.Over.Relative)
	fmt.Printf("marketing-credited revenue: %s (%s), range %.0f%%–%.0f%%\n",
		rep.Headline.Marketing.StringFixed(0), rep.Headline.Model, 100*rep.Headline.Low, 100*rep.Headline.High)
	// Output:
	// channel          first_touch       linear     w_shaped
	// paid_social            83.3%        25.0%        27.8%
	// webinar                 0.0%        25.0%        27.8%
	// email                   0.0%        16.7%        22.2%
	// sdr_outbound            0.0%        16.7%        16.7%
	// events                  0.0%         8.3%         0.0%
	// organic_search         16.7%         8.3%         5.6%
	// first touch over-credits paid_social by +216% versus the multi-touch mean
	// marketing-credited revenue: 50000 (linear), range 83%–100%
}

// Tie the reconciliation to spend: budget moves only where the models
// agree.
func ExampleEvaluateSpend() {
	deal := func(id, amount string, channels ...string) attribution.Journey {
		j := attribution.Journey{ID: id, OppCreated: at(2), Closed: at(10),
			Outcome: attribution.Won, Amount: decimal.RequireFromString(amount), Currency: "USD"}
		for i, c := range channels {
			j.Touches = append(j.Touches, attribution.Touch{Channel: c, At: at(i)})
		}
		return j
	}
	opts := attribution.DefaultReconcileOptions()
	opts.Period = 0
	rep, _ := attribution.Reconcile([]attribution.Journey{
		deal("o1", "40000", "paid_search", "webinar"),
		deal("o2", "20000", "paid_social", "paid_search"),
		deal("o3", "10000", "paid_social", "webinar"),
	}, opts, attribution.FirstTouchModel(), attribution.LastTouchModel(), attribution.Linear{})
	costs := []attribution.Cost{
		{Channel: "paid_search", At: at(0), Amount: decimal.RequireFromString("8000"), Currency: "USD"},
		{Channel: "paid_social", At: at(0), Amount: decimal.RequireFromString("12000"), Currency: "USD"},
	}
	sr, err := attribution.EvaluateSpend(rep, costs, attribution.SpendOptions{Rates: revalign.Rates{Base: "USD"}, Quorum: 2.0 / 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range sr.Channels {
		fmt.Printf("%s: cost per credited dollar", c.Channel)
		for _, m := range c.Models {
			fmt.Printf(" %s %.2f", m.Model, m.CostPerCredit)
		}
		fmt.Printf(" → %s\n", c.Recommendation)
	}
	// Output:
	// paid_social: cost per credited dollar first_touch 0.40 last_touch 0.00 linear 0.80 → decrease
	// paid_search: cost per credited dollar first_touch 0.20 last_touch 0.40 linear 0.27 → increase
}

// Shards of a distributed engine: each worker counts its journeys into its
// own chain and sends it as bytes; the coordinator decodes and merges them
// into exactly the chain of a single pass.
func ExampleChain_MarshalBinary() {
	shards := []string{
		"paid_search > email;1;1000;0\nevents;0;0;2\n",
		"email > webinar;1;500;1\npaid_search;0;0;1\n",
	}
	var sent [][]byte
	for _, lines := range shards { // on each worker
		c, _ := attribution.NewChain(1)
		if _, err := c.ReadPaths(strings.NewReader(lines)); err != nil {
			panic(err)
		}
		b, _ := c.MarshalBinary()
		sent = append(sent, b)
	}
	all, _ := attribution.NewChain(1) // on the coordinator
	for _, b := range sent {
		var shard attribution.Chain
		if err := shard.UnmarshalBinary(b); err != nil {
			panic(err)
		}
		if err := all.Merge(&shard); err != nil {
			panic(err)
		}
	}
	m, _ := all.Fit()
	fmt.Printf("%d paths, %.0f conversions worth %.0f\n", m.Paths, m.Conversions, m.Value)
	for _, ch := range m.Channels {
		fmt.Printf("%-11s removal effect %.3f, value %.2f\n", ch.Channel, ch.RemovalEffect, ch.Value)
	}
	// Output:
	// 4 paths, 2 conversions worth 1500
	// email       removal effect 1.000, value 900.00
	// events      removal effect 0.000, value 0.00
	// paid_search removal effect 0.333, value 300.00
	// webinar     removal effect 0.500, value 300.00
}

// A pipeline turns journeys in several currencies into paths for one
// chain: AppendPathIn converts each won deal's value into the reporting
// currency (AppendPath would leave 40,000 euros as 40,000), reuses one
// path's array, and reports a deal in a currency without a rate instead of
// guessing.
func ExampleAppendPathIn() {
	rates := revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{
		"EUR": decimal.RequireFromString("1.08"),
		"GBP": decimal.RequireFromString("1.27"),
	}}
	deal := func(id string, outcome attribution.Outcome, amount, currency string, channels ...string) attribution.Journey {
		j := attribution.Journey{ID: id, Outcome: outcome, Amount: decimal.RequireFromString(amount), Currency: currency}
		for i, c := range channels {
			j.Touches = append(j.Touches, attribution.Touch{Channel: c, At: at(i)})
		}
		return j
	}
	journeys := []attribution.Journey{
		deal("opp-1", attribution.Won, "50000", "USD", "paid_search", "email"),
		deal("opp-2", attribution.Won, "40000", "EUR", "webinar", "email"),
		deal("opp-3", attribution.Lost, "30000", "GBP", "paid_search"),
		deal("opp-4", attribution.Won, "12345.60", "GBP", "events", "sdr_outbound"),
		deal("opp-5", attribution.Won, "9000", "CHF", "webinar"),
	}
	chain, _ := attribution.NewChain(1)
	var p attribution.Path
	for i := range journeys {
		var ok bool
		var err error
		p, ok, err = attribution.AppendPathIn(p, &journeys[i], rates)
		switch {
		case err != nil:
			fmt.Println("skipped:", err)
		case ok:
			fmt.Println(p)
			if err := chain.Add(p); err != nil {
				fmt.Println(err)
			}
		}
	}
	m, _ := chain.Fit()
	fmt.Printf("%d paths, %.0f conversions worth %.2f USD\n", m.Paths, m.Conversions, m.Value)
	// Output:
	// paid_search > email;1;50000;0
	// webinar > email;1;43200;0
	// paid_search;0;0;1
	// events > sdr_outbound;1;15678.91;0
	// skipped: record opp-5: revalign: no exchange rate from "CHF" to "USD": currency
	// 4 paths, 3 conversions worth 108878.91 USD
}
