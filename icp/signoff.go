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
// exact content ([Model.SignOff]).
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

// SignOff reports whether the model is in force as of asOf: signed by both
// the CRO and the CMO on its current content, with neither signature dated
// after asOf. A signature given before a later edit is stale.
func (m Model) SignOff(asOf time.Time) (revalign.SignOff, error) {
	h, err := m.Hash()
	if err != nil {
		return revalign.SignOff{}, err
	}
	return m.Signatures.Check(h, asOf, RoleCRO, RoleCMO), nil
}
