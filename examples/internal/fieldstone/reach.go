package fieldstone

import (
	"math"

	"github.com/revalign/revalign/icp"
)

// Reach is the most an ICP model can score. Each group is floored at 0, so
// the least is always 0; the most adds up every criterion's positive points
// (and every signal's cap) within the group caps. It is an upper bound:
// criteria on the same field may exclude each other.
//
// The icp package does not report it; the examples need it to check that a
// threshold written elsewhere — the pact's MQL fit line, the model's own
// tiers and grid — can be met by the model at all.
type Reach struct {
	Fit        float64 `json:"fit"`
	Engagement float64 `json:"engagement"`
	// Total is fit plus engagement, or fit alone when the fit gate can
	// never open.
	Total float64 `json:"total"`
}

// ReachOf returns the most m can score.
func ReachOf(m icp.Model) Reach {
	group := func(cs []icp.Criterion, limit float64) float64 {
		var sum float64
		for _, c := range cs {
			sum += max(c.Points, 0)
		}
		return min(sum, limit)
	}
	r := Reach{Fit: group(m.Firmographic, m.Caps.Firmographic) + group(m.Technographic, m.Caps.Technographic)}
	var eng float64
	for _, s := range m.Behavioural {
		switch {
		case s.Points <= 0:
		case s.Cap > 0:
			eng += s.Cap
		default:
			eng = math.Inf(1) // no cap: enough events reach the group cap
		}
	}
	r.Engagement = min(eng, m.Caps.Behavioural)
	r.Total = r.Fit + r.Engagement
	if !m.FitGate.Off && r.Fit < m.FitGate.MinFit {
		r.Total = r.Fit
	}
	return r
}
