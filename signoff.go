package revalign

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// ContentHash returns the hex SHA-256 of v's JSON encoding. encoding/json
// writes struct fields in declaration order and map keys sorted, so equal
// values hash equal. Documents that are signed (an ICP model, an SLA pact, a
// revenue plan) hash themselves with their signatures left out, so that any
// edit after signing changes the hash and voids the signatures.
func ContentHash(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("revalign: content hash: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// Signature is one leader's sign-off on one exact version of a document,
// identified by its content hash.
type Signature struct {
	// Role the signer signs as, e.g. "cro", "cmo", "marketing_leader".
	Role string `json:"role"`
	// Name of the signer.
	Name string `json:"name"`
	// SignedAt is when the signature was given.
	SignedAt time.Time `json:"signed_at"`
	// Hash is the document's content hash at signing.
	Hash string `json:"hash"`
}

// Sign returns a signature by name, as role, on the document with the given
// content hash.
func Sign(hash, role, name string, at time.Time) Signature {
	return Signature{Role: role, Name: name, SignedAt: at, Hash: hash}
}

// Signatures is the list of sign-offs a document carries.
type Signatures []Signature

// SignOff says whether a document is in force and, if not, why.
type SignOff struct {
	// InForce is true when every required role has signed the current
	// version on or before the date checked.
	InForce bool `json:"in_force"`
	// Signed lists the roles with a valid signature on the current version.
	Signed []string `json:"signed,omitempty"`
	// Missing lists required roles with no signature at all.
	Missing []string `json:"missing,omitempty"`
	// Stale lists required roles whose signature is on another version:
	// the document changed after they signed.
	Stale []string `json:"stale,omitempty"`
	// Future lists required roles whose signature is dated after the date
	// checked.
	Future []string `json:"future,omitempty"`
	// Doubled lists required roles signed by a person who already signed
	// for another required role: dual sign-off takes two people.
	Doubled []string `json:"doubled,omitempty"`
}

// Check reports whether the document with content hash hash is signed, as of
// asOf, by every required role, each by a different person. A signature on
// another hash is stale; one dated after asOf does not count yet; one
// without a signer's name or a hash does not count at all. Roles and names
// compare case-insensitively. An empty hash is never in force.
func (s Signatures) Check(hash string, asOf time.Time, required ...string) SignOff {
	var out SignOff
	signers := map[string]bool{}
	for _, role := range required {
		state, by := "missing", ""
		for _, sig := range s {
			if !strings.EqualFold(sig.Role, role) || strings.TrimSpace(sig.Name) == "" || sig.Hash == "" {
				continue
			}
			switch {
			case sig.Hash != hash:
				if state == "missing" {
					state = "stale"
				}
			case sig.SignedAt.After(asOf):
				if state != "signed" {
					state = "future"
				}
			default:
				state, by = "signed", strings.ToLower(strings.TrimSpace(sig.Name))
			}
		}
		if state == "signed" && signers[by] {
			state = "doubled"
		}
		switch state {
		case "signed":
			signers[by] = true
			out.Signed = append(out.Signed, role)
		case "stale":
			out.Stale = append(out.Stale, role)
		case "future":
			out.Future = append(out.Future, role)
		case "doubled":
			out.Doubled = append(out.Doubled, role)
		default:
			out.Missing = append(out.Missing, role)
		}
	}
	out.InForce = hash != "" && len(required) > 0 && len(out.Signed) == len(required)
	return out
}

// Reason explains in one line why the document is not in force, or returns
// "in force".
func (o SignOff) Reason() string {
	if o.InForce {
		return "in force"
	}
	var parts []string
	if len(o.Missing) > 0 {
		parts = append(parts, "not signed by "+strings.Join(o.Missing, ", "))
	}
	if len(o.Stale) > 0 {
		parts = append(parts, "changed after "+strings.Join(o.Stale, ", ")+" signed")
	}
	if len(o.Future) > 0 {
		parts = append(parts, "signature of "+strings.Join(o.Future, ", ")+" is dated later")
	}
	if len(o.Doubled) > 0 {
		parts = append(parts, strings.Join(o.Doubled, ", ")+" signed by someone who already signed for another role")
	}
	if len(parts) == 0 {
		return "no signatures required"
	}
	return "not in force: " + strings.Join(parts, "; ")
}
