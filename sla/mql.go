package sla

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Prospect is what the MQL test looks at for one lead: plain numbers and
// times computed upstream (the fit score by an ICP model, the engagement
// score by a scoring engine, the last intent signal from events).
type Prospect struct {
	// ID of the lead, carried into errors and reports.
	ID string `json:"id"`
	// FitScore is the lead's ICP fit score. NaN (unknown) fails.
	FitScore float64 `json:"fit_score"`
	// Engagement is the lead's engagement score. NaN (unknown) fails.
	Engagement float64 `json:"engagement"`
	// LastIntentAt is the time of the lead's latest intent signal; zero
	// means none.
	LastIntentAt time.Time `json:"last_intent_at"`
	// Factors are the disqualifying factors observed on the lead (e.g.
	// "competitor"); any factor the criteria list disqualifies.
	Factors []string `json:"factors,omitempty"`
}

// Criterion names one part of the MQL test.
type Criterion string

// The criteria of the MQL test.
const (
	CriterionFit          Criterion = "icp_fit"
	CriterionIntent       Criterion = "intent"
	CriterionEngagement   Criterion = "engagement"
	CriterionDisqualifier Criterion = "disqualifier"
)

// Failure is one criterion a lead failed, with the observed value and the
// threshold in words.
type Failure struct {
	// Criterion is the criterion failed.
	Criterion Criterion `json:"criterion"`
	// Factor is the disqualifying factor found, for CriterionDisqualifier.
	Factor string `json:"factor,omitempty"`
	// Reason explains the failure, e.g. "ICP fit 62 < 70".
	Reason string `json:"reason"`
}

// Verdict is the MQL test's answer: yes or no, and for a no every failed
// criterion.
type Verdict struct {
	// Qualified is true when the lead passes every criterion.
	Qualified bool `json:"qualified"`
	// Failed lists every criterion failed: fit, intent, engagement, then
	// each disqualifying factor found.
	Failed []Failure `json:"failed,omitempty"`
}

// Qualifies applies the binary MQL test to a lead at asOf: ICP fit at
// least MinFitScore, an intent signal no older than IntentWithinDays
// calendar days (and not after asOf), engagement at least MinEngagement, and
// none of the disqualifying factors. Every criterion is checked, so a "no"
// lists all the reasons at once. A qualifying verdict allocates nothing.
func (c Criteria) Qualifies(l Prospect, asOf time.Time) Verdict {
	var failed []Failure
	if !(l.FitScore >= c.MinFitScore) {
		failed = append(failed, Failure{Criterion: CriterionFit, Reason: fmt.Sprintf("ICP fit %s < %s", num(l.FitScore), num(c.MinFitScore))})
	}
	cutoff := asOf.AddDate(0, 0, -c.IntentWithinDays)
	switch {
	case l.LastIntentAt.IsZero():
		failed = append(failed, Failure{Criterion: CriterionIntent, Reason: "no intent signal"})
	case l.LastIntentAt.After(asOf):
		failed = append(failed, Failure{Criterion: CriterionIntent, Reason: "intent signal is dated after the test"})
	case l.LastIntentAt.Before(cutoff):
		days := int(asOf.Sub(l.LastIntentAt).Hours() / 24)
		failed = append(failed, Failure{Criterion: CriterionIntent, Reason: fmt.Sprintf("last intent signal %d days ago > %d", days, c.IntentWithinDays)})
	}
	if !(l.Engagement >= c.MinEngagement) {
		failed = append(failed, Failure{Criterion: CriterionEngagement, Reason: fmt.Sprintf("engagement %s < %s", num(l.Engagement), num(c.MinEngagement))})
	}
	for _, f := range l.Factors {
		for _, d := range c.Disqualifiers {
			if strings.EqualFold(strings.TrimSpace(f), strings.TrimSpace(d)) {
				failed = append(failed, Failure{Criterion: CriterionDisqualifier, Factor: d, Reason: "disqualified: " + d})
				break
			}
		}
	}
	return Verdict{Qualified: len(failed) == 0, Failed: failed}
}

// Qualifies applies the pact's MQL criteria; see [Criteria.Qualifies].
func (p Pact) Qualifies(l Prospect, asOf time.Time) Verdict { return p.MQL.Qualifies(l, asOf) }

func num(x float64) string {
	if math.IsNaN(x) {
		return "unknown"
	}
	return fmt.Sprintf("%g", x)
}
