package diagnostic

import (
	"strings"

	"github.com/revalign/revalign"
)

// Org describes an organisation for the readiness check: the catalog's
// prerequisites for any framework and the situations it does not fit. The
// zero value is an organisation that meets no prerequisite.
type Org struct {
	// CROSponsor reports executive sponsorship from the chief revenue
	// officer. It is needed, as is CMOSponsor.
	CROSponsor bool `json:"cro_sponsor"`
	// CMOSponsor reports executive sponsorship from the chief marketing
	// officer. It is needed, as is CROSponsor.
	CMOSponsor bool `json:"cmo_sponsor"`
	// CRM reports a working, installed CRM.
	CRM bool `json:"crm"`
	// CRMHygiene is the state of its data.
	CRMHygiene CRMHygiene `json:"crm_hygiene"`
	// Analysts counts the people who can pull the underlying numbers; at
	// least one is needed.
	Analysts int `json:"analysts"`
	// FullSalesTeam reports at least one full sales team. Below that scale
	// alignment is a hallway conversation, not a methodology problem.
	FullSalesTeam bool `json:"full_sales_team"`
	// FullMarketingTeam reports at least one full marketing team; it is
	// needed for the same reason as FullSalesTeam.
	FullMarketingTeam bool `json:"full_marketing_team"`
	// MarketingAutomation reports some form of marketing automation. The
	// catalog "fits best" with it, but it is not a prerequisite: without
	// it the readiness check adds a note, not a reason to wait.
	MarketingAutomation bool `json:"marketing_automation"`
	// FounderLedSales reports an early-stage, founder-led sales motion.
	FounderLedSales bool `json:"founder_led_sales"`
	// SelfServeOnly reports pure self-serve, product-led growth with no
	// sales motion.
	SelfServeOnly bool `json:"self_serve_only"`
	// Reorganizing reports an active reorganisation, during which ownership
	// is unstable.
	Reorganizing bool `json:"reorganizing"`
}

// Fit is the verdict of the readiness check. In JSON a Fit is "ready",
// "not_yet" or "does_not_fit".
type Fit int8

// The verdicts of the readiness check.
const (
	Ready      Fit = iota + 1 // every prerequisite is met and nothing rules the frameworks out
	NotYet                    // a prerequisite is missing: fix it first
	DoesNotFit                // the organisation is in a situation the frameworks do not fit
)

var fitNames = newNames[Fit]("fit", "", "ready", "not_yet", "does_not_fit")

// String returns the verdict's name.
func (f Fit) String() string { return fitNames.String(f) }

// MarshalText encodes the verdict by name.
func (f Fit) MarshalText() ([]byte, error) { return fitNames.Text(f) }

// UnmarshalText decodes a verdict name.
func (f *Fit) UnmarshalText(b []byte) error {
	var err error
	*f, err = fitNames.Parse(b)
	return err
}

// Reason is one reason of a readiness verdict, or a note: a stable code and
// the words.
type Reason struct {
	// Code is stable: "founder_led_sales", "self_serve_only",
	// "reorganizing", "cro_sponsor", "cmo_sponsor", "crm", "crm_hygiene",
	// "analyst", "full_sales_team", "full_marketing_team" for reasons,
	// "marketing_automation" for notes.
	Code string `json:"code"`
	// Text says it in words, e.g. "the CMO is not an executive sponsor".
	Text string `json:"text"`
	// Blocking is true for a situation the frameworks do not fit, false for
	// a missing prerequisite that can be fixed (and for a note).
	Blocking bool `json:"blocking"`
}

// Readiness is the verdict of the readiness check, its reasons and its
// notes.
type Readiness struct {
	// Fit is the verdict.
	Fit Fit `json:"fit"`
	// Reasons explain a verdict other than Ready: the situations that rule
	// the frameworks out first, then the missing prerequisites.
	Reasons []Reason `json:"reasons"`
	// Notes are conditions under which the frameworks fit best that the
	// organisation does not meet (some marketing automation); they never
	// change the verdict.
	Notes []Reason `json:"notes"`
}

// String explains the verdict in one line: "ready", "not yet, because …" or
// "does not fit: …", followed by any notes in parentheses.
func (r Readiness) String() string {
	if len(r.Notes) == 0 {
		return r.verdict()
	}
	notes := make([]string, len(r.Notes))
	for i, n := range r.Notes {
		notes[i] = n.Text
	}
	return r.verdict() + " (note: " + strings.Join(notes, "; ") + ")"
}

func (r Readiness) verdict() string {
	var fit, fix []string
	for _, x := range r.Reasons {
		if x.Blocking {
			fit = append(fit, x.Text)
		} else {
			fix = append(fix, x.Text)
		}
	}
	switch r.Fit {
	case Ready:
		return "ready"
	case NotYet:
		return "not yet, because " + strings.Join(fix, "; ")
	case DoesNotFit:
		s := "does not fit: " + strings.Join(fit, "; ")
		if len(fix) > 0 {
			s += " (also missing: " + strings.Join(fix, "; ") + ")"
		}
		return s
	}
	return "unknown"
}

// Readiness checks the organisation against the catalog's prerequisites
// (executive sponsorship from both the CRO and the CMO, a working CRM with
// reasonable data hygiene, at least one analyst who can pull the numbers,
// at least one full sales and one full marketing team) and the situations
// it does not fit (early-stage founder-led sales, pure self-serve
// product-led growth, an active reorganisation). Without the prerequisites
// "the frameworks become whiteboard art": the verdict says "not yet" and
// why. Marketing automation is where the catalog "fits best", not a
// prerequisite: without it the verdict is unchanged and Notes says so. A
// negative analyst count is an error.
func (o Org) Readiness() (Readiness, error) {
	if o.Analysts < 0 {
		return Readiness{}, &revalign.FieldError{Pkg: pkg, Path: "analysts", Value: o.Analysts, Reason: "must be >= 0"}
	}
	out := Readiness{Reasons: []Reason{}, Notes: []Reason{}}
	block := func(ok bool, code, text string) {
		if !ok {
			out.Reasons = append(out.Reasons, Reason{Code: code, Text: text, Blocking: true})
		}
	}
	need := func(ok bool, code, text string) {
		if !ok {
			out.Reasons = append(out.Reasons, Reason{Code: code, Text: text})
		}
	}
	block(!o.FounderLedSales, "founder_led_sales", "sales is early-stage and founder-led")
	block(!o.SelfServeOnly, "self_serve_only", "growth is pure self-serve with no sales motion")
	block(!o.Reorganizing, "reorganizing", "an active reorganisation leaves ownership unstable")
	blocked := len(out.Reasons) > 0
	need(o.CROSponsor, "cro_sponsor", "the CRO is not an executive sponsor")
	need(o.CMOSponsor, "cmo_sponsor", "the CMO is not an executive sponsor")
	need(o.CRM, "crm", "there is no working CRM")
	if o.CRM && !o.CRMHygiene.OK() {
		need(false, "crm_hygiene", "CRM hygiene is missing: "+hygieneGaps(o.CRMHygiene))
	}
	need(o.Analysts > 0, "analyst", "nobody can pull the underlying numbers")
	need(o.FullSalesTeam, "full_sales_team", "there is no full sales team")
	need(o.FullMarketingTeam, "full_marketing_team", "there is no full marketing team")
	if !o.MarketingAutomation {
		out.Notes = append(out.Notes, Reason{Code: "marketing_automation", Text: "there is no marketing automation: the frameworks fit best with some"})
	}
	switch {
	case blocked:
		out.Fit = DoesNotFit
	case len(out.Reasons) > 0:
		out.Fit = NotYet
	default:
		out.Fit = Ready
	}
	return out, nil
}

func hygieneGaps(h CRMHygiene) string {
	var gaps []string
	if !h.DeduplicatedAccounts {
		gaps = append(gaps, "deduplicated accounts")
	}
	if !h.StageDefinitions {
		gaps = append(gaps, "stage definitions")
	}
	if !h.OwnerFields {
		gaps = append(gaps, "owner fields")
	}
	return strings.Join(gaps, ", ")
}
