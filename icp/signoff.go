package icp

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
)

// Hash returns the model's content hash: the SHA-256 of its JSON with the
// signatures left out. Any change to a weight, a threshold, a disqualifier or
// the version changes it, and so voids the signatures given before. A model
// whose numbers cannot be encoded (NaN points) has no hash.
func (m Model) Hash() (string, error) {
	c := m
	c.Signatures = nil
	h, err := revalign.ContentHash(c)
	if err != nil {
		return "", fmt.Errorf("icp: model %s %s: %w", m.Name, m.Version, err)
	}
	return h, nil
}

// Sign returns a copy of m signed by name as role at the given time, on its
// current content hash. An earlier signature of the same role is replaced.
// The model is in force once both [RoleCRO] and [RoleCMO] have signed this
// exact content and its effective date has come ([Model.SignOff]).
func (m Model) Sign(role, name string, at time.Time) (Model, error) {
	v := revalign.Validator{Pkg: "icp"}
	v.Check(strings.TrimSpace(role) != "", "role", role, "signature needs a role")
	v.Check(strings.TrimSpace(name) != "", "name", name, "signature needs a name")
	v.Check(!at.IsZero(), "signed_at", nil, "signature needs a time")
	if err := v.Err(); err != nil {
		return m, err
	}
	h, err := m.Hash()
	if err != nil {
		return m, err
	}
	out := m.clone()
	out.Signatures = slices.DeleteFunc(out.Signatures, func(s revalign.Signature) bool { return strings.EqualFold(s.Role, role) })
	out.Signatures = append(out.Signatures, revalign.Sign(h, role, name, at))
	return out, nil
}

// Standing says whether a model is in force as of an instant, and why not.
type Standing struct {
	// InForce is true when the CRO and the CMO have both signed the model's
	// current content on or before the instant checked and the model's
	// effective date has come.
	InForce bool `json:"in_force"`
	// EffectiveDate is the model's effective date, "YYYY-MM-DD", or "" for
	// a draft.
	EffectiveDate string `json:"effective_date,omitempty"`
	// SignOff details the signatures: the roles that signed this content,
	// and those missing, stale (they signed an earlier content) or dated
	// after the instant checked. SignOff.InForce says whether the
	// signatures alone are complete.
	SignOff revalign.SignOff `json:"sign_off"`
}

// Reason explains in one line why the model is not in force ("not in
// force: effective from 2026-04-01", "not in force: not signed by cmo"), or
// returns "in force". Missing signatures are reported before a pending
// effective date.
func (s Standing) Reason() string {
	switch {
	case s.InForce:
		return "in force"
	case !s.SignOff.InForce:
		return s.SignOff.Reason()
	case s.EffectiveDate == "":
		return "not in force: no effective date (a draft)"
	}
	return "not in force: effective from " + s.EffectiveDate
}

// SignOff reports whether the model is in force as of asOf: signed by both
// the CRO and the CMO on its current content, with neither signature dated
// after asOf, and effective: its EffectiveDate is on or before the date of
// asOf in asOf's time zone. A signature given before a later edit is stale;
// a model without an effective date is a draft and not in force, however
// signed (as an SLA pact without one).
//
// An error means the model cannot be hashed (a NaN point) or its
// effective date is malformed.
func (m Model) SignOff(asOf time.Time) (Standing, error) {
	h, err := m.Hash()
	if err != nil {
		return Standing{}, err
	}
	var eff time.Time
	if m.EffectiveDate != "" {
		if eff, err = time.Parse(time.DateOnly, m.EffectiveDate); err != nil {
			return Standing{}, &revalign.FieldError{Pkg: "icp", Path: "effective_date", Value: m.EffectiveDate, Reason: "must be a date YYYY-MM-DD"}
		}
	}
	st := Standing{EffectiveDate: m.EffectiveDate, SignOff: m.Signatures.Check(h, asOf, RoleCRO, RoleCMO)}
	if !st.SignOff.InForce || m.EffectiveDate == "" {
		return st, nil
	}
	y, mo, d := asOf.Date()
	st.InForce = !time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Before(eff)
	return st, nil
}
