package icp

import (
	"slices"
	"strings"

	"github.com/revalign/revalign"
)

// Label is how calibration and the tier report read a sales disposition. In
// JSON it is text: "positive", "negative", "half_negative", "excluded".
type Label uint8

// The labels. The zero Label is invalid.
const (
	labelUnset Label = iota
	// Positive: sales accepted the lead (y = 1).
	Positive
	// Negative: sales rejected the lead for fit (y = 0).
	Negative
	// HalfNegative: a negative at half weight, for Nurture: right enough to
	// keep, not ready to work.
	HalfNegative
	// Excluded: left out of calibration and of acceptance rates. Duplicate
	// and No response measure data quality and SLA execution, not fit.
	Excluded
)

var labelNames = []string{Positive: "positive", Negative: "negative", HalfNegative: "half_negative", Excluded: "excluded"}

// String returns the label's JSON name.
func (l Label) String() string { return enumString(labelNames, int(l), "Label") }

// MarshalText returns the label's JSON name.
func (l Label) MarshalText() ([]byte, error) { return enumMarshal(labelNames, int(l), "label") }

// UnmarshalText parses a label's JSON name.
func (l *Label) UnmarshalText(text []byte) error {
	i, err := enumParse(labelNames, text, "label")
	*l = Label(i)
	return err
}

// y returns the label's target and weight; ok is false for Excluded.
func (l Label) y() (y, w float64, ok bool) {
	switch l {
	case Positive:
		return 1, 1, true
	case Negative:
		return 0, 1, true
	case HalfNegative:
		return 0, 0.5, true
	}
	return 0, 0, false
}

// Labels maps disposition codes to labels. Codes compare ASCII
// case-insensitively, ignoring surrounding space. Add your own codes
// ("Wrong person", "Already in pipeline") to the defaults.
type Labels map[string]Label

// DefaultLabels returns the catalog's disposition codes: Accepted is
// positive, Bad fit negative, Nurture a negative at half weight, Duplicate
// and No response excluded.
func DefaultLabels() Labels {
	return Labels{
		"Accepted":    Positive,
		"Bad fit":     Negative,
		"Nurture":     HalfNegative,
		"Duplicate":   Excluded,
		"No response": Excluded,
	}
}

// Validate reports blank codes, two codes that differ only in case, invalid
// labels, and a mapping with no positive or no negative label (nothing to
// learn from).
func (l Labels) Validate() error {
	v := revalign.Validator{Pkg: "icp"}
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var pos, neg bool
	seen := map[string]string{}
	for _, k := range keys {
		p := "labels." + k
		norm := asciiLower(strings.TrimSpace(k))
		if !v.Check(norm != "", "labels", k, "blank disposition code") {
			continue
		}
		if prev, dup := seen[norm]; dup {
			v.Add(p, k, "same code as "+prev)
		}
		seen[norm] = k
		lab := l[k]
		v.Check(lab >= Positive && lab <= Excluded, p, lab.String(), "unknown label")
		pos = pos || lab == Positive
		neg = neg || lab == Negative || lab == HalfNegative
	}
	v.Check(pos, "labels", nil, "no disposition is labelled positive")
	v.Check(neg, "labels", nil, "no disposition is labelled negative")
	return v.Err()
}

// Lookup returns the label of a disposition code; ok is false when the
// mapping does not know it.
func (l Labels) Lookup(disposition string) (lab Label, ok bool) {
	return l.index().lookup(disposition)
}

// labelIndex is Labels keyed by trimmed, lower-cased code.
type labelIndex map[string]Label

func (l Labels) index() labelIndex {
	ix := make(labelIndex, len(l))
	for k, lab := range l {
		ix[asciiLower(strings.TrimSpace(k))] = lab
	}
	return ix
}

func (ix labelIndex) lookup(disposition string) (Label, bool) {
	d := strings.TrimSpace(disposition)
	var buf [64]byte
	if len(d) <= len(buf) {
		b := buf[:len(d)]
		for i := 0; i < len(d); i++ {
			b[i] = lowerByte(d[i])
		}
		lab, ok := ix[string(b)]
		return lab, ok
	}
	lab, ok := ix[asciiLower(d)]
	return lab, ok
}
