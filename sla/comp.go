package sla

import (
	"math"
	"slices"

	"github.com/revalign/revalign"
)

// CompPlan ties pact compliance to pay, as the catalog insists ("if reps
// aren't measured on disposition, they won't disposition"): a compliance
// score is the weighted mean of the compliance rates of the commitments a
// person or team owes, and tiers map the score to a bonus multiplier for the
// quarterly comp review.
type CompPlan struct {
	// Weights of each commitment in the score.
	Weights CompWeights `json:"weights"`
	// Tiers map a score to a multiplier: the tier with the highest
	// MinScore at or below the score applies. One tier must start at 0.
	Tiers []Tier `json:"tiers"`
}

// CompWeights weighs each commitment in a compliance score. A zero weight
// leaves the commitment out.
type CompWeights struct {
	// MQLVolume weighs the share of complete weeks within the volume band
	// (marketing). Default 1.
	MQLVolume float64 `json:"mql_volume"`
	// AcceptanceRate weighs the share of complete weeks at or above the
	// acceptance threshold (marketing). Default 1.
	AcceptanceRate float64 `json:"acceptance_rate"`
	// Routing weighs the share of MQLs routed in time (marketing).
	// Default 1.
	Routing float64 `json:"routing"`
	// FirstTouch weighs the share of MQLs touched in time (sales).
	// Default 1.
	FirstTouch float64 `json:"first_touch"`
	// Disposition weighs the share of MQLs dispositioned in time (sales).
	// Default 1.
	Disposition float64 `json:"disposition"`
	// RejectionReason weighs the share of declined MQLs with a documented
	// reason (sales). Default 1.
	RejectionReason float64 `json:"rejection_reason"`
}

// Of returns the weight of commitment c.
func (w CompWeights) Of(c Commitment) float64 {
	switch c {
	case MQLVolume:
		return w.MQLVolume
	case AcceptanceRate:
		return w.AcceptanceRate
	case Routing:
		return w.Routing
	case FirstTouch:
		return w.FirstTouch
	case Disposition:
		return w.Disposition
	case RejectionReason:
		return w.RejectionReason
	}
	return 0
}

// Tier is one step of the score-to-multiplier mapping.
type Tier struct {
	// MinScore is the lowest compliance score of the tier, in [0,1].
	MinScore float64 `json:"min_score"`
	// Multiplier is the bonus multiplier the tier pays, e.g. 1.10.
	Multiplier float64 `json:"multiplier"`
}

// DefaultCompPlan weighs every commitment equally and pays 1.10× at a
// score of 0.95 or more, 1.00× from 0.90 (the seed's 90% compliance
// target), 0.90× from 0.75 and 0.75× below. The tiers are illustrative; the
// seed gives no numbers.
func DefaultCompPlan() CompPlan {
	return CompPlan{
		Weights: CompWeights{MQLVolume: 1, AcceptanceRate: 1, Routing: 1, FirstTouch: 1, Disposition: 1, RejectionReason: 1},
		Tiers: []Tier{
			{MinScore: 0.95, Multiplier: 1.10},
			{MinScore: 0.90, Multiplier: 1.00},
			{MinScore: 0.75, Multiplier: 0.90},
			{MinScore: 0, Multiplier: 0.75},
		},
	}
}

// Validate reports negative or non-finite weights, weights that are all
// zero, and tiers that are out of range, repeated or do not start at 0.
func (c CompPlan) Validate() error {
	v := revalign.Validator{Pkg: "sla"}
	var sum float64
	for _, k := range Commitments {
		w := c.Weights.Of(k)
		v.Check(finite(w) && w >= 0, "weights."+k.String(), w, "must be >= 0")
		if finite(w) && w > 0 {
			sum += w
		}
	}
	v.Check(sum > 0, "weights", nil, "at least one weight must be > 0")
	zero := false
	seen := map[float64]bool{}
	for i, t := range c.Tiers {
		p := revalign.Index("tiers", i)
		v.Check(rate(t.MinScore), p+".min_score", t.MinScore, "must be in [0,1]")
		v.Check(!seen[t.MinScore], p+".min_score", t.MinScore, "duplicate tier")
		v.Check(finite(t.Multiplier) && t.Multiplier >= 0, p+".multiplier", t.Multiplier, "must be >= 0")
		seen[t.MinScore] = true
		zero = zero || t.MinScore == 0
	}
	v.Check(zero, "tiers", nil, "one tier must have min_score 0 so that every score maps")
	return v.Err()
}

// Multiplier returns the multiplier of the tier a score falls in, or NaN
// for a NaN score (nothing to judge).
func (c CompPlan) Multiplier(score float64) float64 {
	if math.IsNaN(score) {
		return math.NaN()
	}
	best, m := math.Inf(-1), math.NaN()
	for _, t := range c.Tiers {
		if t.MinScore <= score && t.MinScore > best {
			best, m = t.MinScore, t.Multiplier
		}
	}
	return m
}

// CompScore is one person's or team's compliance for the comp review.
type CompScore struct {
	// Who is the owner ID for a person, the team name for a team.
	Who string `json:"who"`
	// Team owing the commitments scored.
	Team revalign.Team `json:"team"`
	// Score is the weighted mean of the rates, in [0,1].
	Score float64 `json:"score"`
	// Multiplier is the tier's bonus multiplier for Score.
	Multiplier float64 `json:"multiplier"`
	// NoData is true when nothing could be judged; Score and Multiplier
	// are then 0 and mean nothing.
	NoData bool `json:"no_data,omitempty"`
	// Rates are the compliance rates that went into the score.
	Rates []Rate `json:"rates"`
}

// Rate is the compliance rate of one commitment: kept ÷ judged. For
// per-lead commitments the units are leads; for volume and acceptance they
// are complete weeks.
type Rate struct {
	// Commitment is the commitment rated.
	Commitment Commitment `json:"commitment"`
	// Kept counts the leads (or weeks) that kept it.
	Kept int `json:"kept"`
	// Judged counts the leads (or weeks) judged: kept or broken, pending
	// ones left out.
	Judged int `json:"judged"`
}

// Value returns Kept ÷ Judged, or NaN when nothing was judged.
func (r Rate) Value() float64 {
	if r.Judged == 0 {
		return math.NaN()
	}
	return float64(r.Kept) / float64(r.Judged)
}

// CompReview is the quarterly comp review: a score and multiplier per
// person (lead owners, for the sales commitments they owe) and per team.
type CompReview struct {
	// People scores each lead owner on the sales commitments they owe,
	// sorted by owner ID.
	People []CompScore `json:"people"`
	// Teams scores marketing, then sales.
	Teams []CompScore `json:"teams"`
}

// Review scores a report: each lead owner on first touch, disposition and
// rejection reasons (lead by lead); the sales team on the same, pooled; and
// the marketing team on routing (lead by lead) and on the share of complete
// weeks that met the volume band and the acceptance threshold. People are
// sorted by owner ID. Evaluate the quarter under review (Options.From) to
// get the quarter's review.
func (c CompPlan) Review(r *Report) CompReview {
	var out CompReview
	for _, g := range r.ByOwner {
		out.People = append(out.People, c.score(g.Key, revalign.Sales, []Rate{
			g.tally(FirstTouch).rate(FirstTouch), g.tally(Disposition).rate(Disposition), g.tally(RejectionReason).rate(RejectionReason),
		}))
	}
	slices.SortFunc(out.People, func(a, b CompScore) int {
		switch {
		case a.Who < b.Who:
			return -1
		case a.Who > b.Who:
			return 1
		}
		return 0
	})
	tot := func(k Commitment) Rate { return r.Total(k).rate() }
	weeks := func(k Commitment) Rate {
		rt := Rate{Commitment: k}
		for _, w := range r.Weeks {
			if res := w.Result(k); res.Status == Met || res.Status == Missed {
				rt.Judged++
				if res.Status == Met {
					rt.Kept++
				}
			}
		}
		return rt
	}
	out.Teams = []CompScore{
		c.score(string(revalign.Marketing), revalign.Marketing, []Rate{weeks(MQLVolume), weeks(AcceptanceRate), tot(Routing)}),
		c.score(string(revalign.Sales), revalign.Sales, []Rate{tot(FirstTouch), tot(Disposition), tot(RejectionReason)}),
	}
	return out
}

func (c CompPlan) score(who string, team revalign.Team, rates []Rate) CompScore {
	var num, den float64
	for _, r := range rates {
		w := c.Weights.Of(r.Commitment)
		if r.Judged == 0 || w <= 0 {
			continue
		}
		num += w * r.Value()
		den += w
	}
	if den == 0 {
		return CompScore{Who: who, Team: team, NoData: true, Rates: rates}
	}
	s := num / den
	return CompScore{Who: who, Team: team, Score: s, Multiplier: c.Multiplier(s), Rates: rates}
}
