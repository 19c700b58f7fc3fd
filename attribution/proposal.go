package attribution

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/revalign/revalign"
)

// MiddlePosition labels the middle touches in a [Proposal]'s evidence.
const MiddlePosition Position = "(middle)"

// ErrTooFewJourneys is returned when there are not enough won and lost
// journeys to propose weights.
var ErrTooFewJourneys = errors.New("attribution: too few won and lost journeys")

// ProposalOptions configures [ProposeWeights].
type ProposalOptions struct {
	// LearningRate is how far, in (0, 1], the proposal moves from the
	// current weights toward the weights the evidence alone suggests.
	LearningRate float64 `json:"learning_rate"`
	// MinJourneys is the fewest won and the fewest lost journeys needed.
	MinJourneys int `json:"min_journeys"`
}

// DefaultProposalOptions moves halfway toward the evidence and needs at
// least 30 won and 30 lost journeys.
func DefaultProposalOptions() ProposalOptions {
	return ProposalOptions{LearningRate: 0.5, MinJourneys: 30}
}

// Validate reports a learning rate outside (0, 1] or a negative minimum.
func (o ProposalOptions) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	v.Check(o.LearningRate > 0 && o.LearningRate <= 1, "learning_rate", o.LearningRate, "must be in (0, 1]")
	v.Check(o.MinJourneys >= 0, "min_journeys", o.MinJourneys, "must be >= 0")
	return v.Err()
}

// Proposal is a set of position weights proposed from win-loss evidence,
// for the team to review at the quarterly update. Nothing applies it: a
// team that agrees uses Proposed as its custom model.
type Proposal struct {
	// Current is the shape the proposal starts from, as given.
	Current Shape `json:"current"`
	// Proposed is the same shape, labelled "custom", with the proposed
	// weights, which sum to 1 and are rounded to 0.0001; it equals
	// Current's weights (rounded) when Note is set.
	Proposed Shape `json:"proposed"`
	// Won counts the won journeys with touches used as evidence.
	Won int `json:"won"`
	// Lost counts the lost journeys with touches used as evidence.
	Lost int `json:"lost"`
	// Evidence holds one entry per position of the shape, and one for the
	// middle touches.
	Evidence []PositionEvidence `json:"evidence"`
	// Note explains a proposal equal to the current weights.
	Note string `json:"note,omitempty"`
}

// PositionEvidence is how much the channel holding one position tells a won
// deal from a lost one.
type PositionEvidence struct {
	// Position is the shape's position, or [MiddlePosition] for the
	// middle touches.
	Position Position `json:"position"`
	// Journeys counts the closed journeys that reached the position (for
	// the middle: that had middle touches).
	Journeys int `json:"journeys"`
	// Won counts those of Journeys that were won.
	Won int `json:"won"`
	// Information is the mutual information, in bits, between the channel
	// at the position and the outcome, less its small-sample bias
	// (Miller–Madow), floored at 0.
	Information float64 `json:"information"`
	// Best is the channel at this position with the highest win rate among
	// those seen at least 5 times (the first by name on a tie); empty when
	// no such channel won a deal.
	Best string `json:"best,omitempty"`
	// BestWinRate is Best's win rate at this position, in (0, 1]; 0 when
	// Best is empty.
	BestWinRate float64 `json:"best_win_rate,omitempty"`
	// Current is the position's weight in the current shape, in [0, 1].
	Current float64 `json:"current"`
	// Evidence is the weight the information alone suggests: the
	// position's Information over the sum across positions, in [0, 1];
	// 0 for every position when none carries information.
	Evidence float64 `json:"evidence"`
	// Proposed is the position's proposed weight, in [0, 1], rounded to
	// 0.0001.
	Proposed float64 `json:"proposed"`
}

// ProposeWeights proposes new weights for a positional model from won and
// lost journeys (open ones are ignored). For each position, and for the
// middle touches, it measures the mutual information between the channel
// holding it and the outcome: a position whose channel separates wins from
// losses earns weight. The evidence weights are those informations
// normalised; the proposal moves LearningRate of the way from the current
// weights toward them, so the weights still sum to 1. The middle's channel
// is the channel most frequent among a journey's middle touches. A lost
// deal has no closed-won touch; for that position its evidence is the
// touch at or before its close, the comparable moment.
//
// It returns [ErrTooFewJourneys] below MinJourneys won or lost journeys,
// and an error for an invalid shape or options.
func ProposeWeights(journeys []Journey, current Shape, opts ProposalOptions) (*Proposal, error) {
	if err := current.Validate(); err != nil {
		return nil, err
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	np := len(current.Positions)
	tables := make([]map[string]*[2]int, np+1) // per position: channel → won, lost
	for i := range tables {
		tables[i] = map[string]*[2]int{}
	}
	p := &Proposal{Current: current}
	count := func(t int, channel string, won bool) {
		c := tables[t][channel]
		if c == nil {
			c = &[2]int{}
			tables[t][channel] = c
		}
		if won {
			c[0]++
		} else {
			c[1]++
		}
	}
	freq := map[string]int{}
	for i := range journeys {
		j := &journeys[i]
		if j.Outcome == Open || len(j.Touches) == 0 {
			continue
		}
		won := j.Outcome == Won
		if won {
			p.Won++
		} else {
			p.Lost++
		}
		idx, present, lo, hi := current.layout(j)
		for k := range np {
			i := idx[k]
			if current.Positions[k].Position == Close && !won {
				i = j.lastAtOrBefore(j.Closed) // the counterpart: the touch at the loss
			}
			if i >= 0 {
				count(k, j.Touches[i].Channel, won)
			}
		}
		if present == 0 {
			continue
		}
		clear(freq)
		best, bestN := "", 0
		held := idx[:np]
		for t := lo + 1; t < hi; t++ {
			if !current.eligibleMiddle(t, j, held) {
				continue
			}
			ch := j.Touches[t].Channel
			freq[ch]++
			if freq[ch] > bestN {
				best, bestN = ch, freq[ch]
			}
		}
		if bestN > 0 {
			count(np, best, won)
		}
	}
	if p.Won < opts.MinJourneys || p.Lost < opts.MinJourneys {
		return nil, fmt.Errorf("%w: %d won and %d lost, need %d of each", ErrTooFewJourneys, p.Won, p.Lost, opts.MinJourneys)
	}
	cur := make([]float64, np+1)
	for k, pw := range current.Positions {
		cur[k] = pw.Weight
	}
	cur[np] = current.Middle
	info := make([]float64, np+1)
	sum := 0.0
	for t := range tables {
		pos := MiddlePosition
		if t < np {
			pos = current.Positions[t].Position
		}
		ev := evidence(pos, tables[t])
		ev.Current = cur[t]
		info[t] = ev.Information
		sum += ev.Information
		p.Evidence = append(p.Evidence, ev)
	}
	proposed := slices.Clone(cur)
	if sum > 0 {
		for t := range proposed {
			e := info[t] / sum
			p.Evidence[t].Evidence = e
			proposed[t] = (1-opts.LearningRate)*cur[t] + opts.LearningRate*e
		}
	} else {
		p.Note = "no position's channel tells won deals from lost ones; keep the current weights"
	}
	units, err := revalign.SplitUnits(10000, proposed, nil)
	if err != nil {
		return nil, err
	}
	p.Proposed = Shape{Label: "custom", Middle: float64(units[np]) / 10000, MiddleTypes: slices.Clone(current.MiddleTypes)}
	for k, pw := range current.Positions {
		p.Proposed.Positions = append(p.Proposed.Positions, PositionWeight{Position: pw.Position, Weight: float64(units[k]) / 10000})
		p.Evidence[k].Proposed = float64(units[k]) / 10000
	}
	p.Evidence[np].Proposed = p.Proposed.Middle
	return p, nil
}

// evidence computes the bias-corrected mutual information between the
// channel and the outcome from a channel → (won, lost) table.
func evidence(pos Position, table map[string]*[2]int) PositionEvidence {
	ev := PositionEvidence{Position: pos}
	channels := make([]string, 0, len(table))
	for ch := range table {
		channels = append(channels, ch)
	}
	slices.Sort(channels)
	for _, ch := range channels {
		c := table[ch]
		ev.Journeys += c[0] + c[1]
		ev.Won += c[0]
		if n := c[0] + c[1]; n >= 5 {
			if r := float64(c[0]) / float64(n); r > ev.BestWinRate {
				ev.Best, ev.BestWinRate = ch, r
			}
		}
	}
	if ev.Journeys == 0 {
		return ev
	}
	n := float64(ev.Journeys)
	pw := float64(ev.Won) / n
	mi := entropy(pw)
	for _, ch := range channels {
		c := table[ch]
		nc := float64(c[0] + c[1])
		mi -= nc / n * entropy(float64(c[0])/nc)
	}
	// Miller–Madow: the plug-in estimate is biased up by about
	// (K−1)(2−1)/(2N ln 2) bits for K channels and two outcomes.
	mi -= float64(len(channels)-1) / (2 * n * math.Ln2)
	ev.Information = max(mi, 0)
	return ev
}

// entropy is the binary entropy in bits.
func entropy(p float64) float64 {
	if p <= 0 || p >= 1 {
		return 0
	}
	return -p*math.Log2(p) - (1-p)*math.Log2(1-p)
}
