package revalign_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

type doc struct {
	Threshold  float64             `json:"threshold"`
	Signatures revalign.Signatures `json:"signatures,omitempty"`
}

func (d doc) hash(t *testing.T) string {
	d.Signatures = nil
	h, err := revalign.ContentHash(d)
	require.NoError(t, err)
	return h
}

func TestSignOff(t *testing.T) {
	d := doc{Threshold: 60}
	h := d.hash(t)
	assert.Len(t, h, 64)
	day := func(n int) time.Time { return time.Date(2026, 1, n, 12, 0, 0, 0, time.UTC) }

	d.Signatures = append(d.Signatures, revalign.Sign(h, "cmo", "Maya Lindqvist", day(5)))
	so := d.Signatures.Check(d.hash(t), day(10), "cmo", "cro")
	assert.False(t, so.InForce)
	assert.Equal(t, []string{"cro"}, so.Missing)
	assert.Equal(t, "not in force: not signed by cro", so.Reason())

	d.Signatures = append(d.Signatures, revalign.Sign(h, "CRO", "Daniel Ortega", day(12)))
	so = d.Signatures.Check(d.hash(t), day(10), "cmo", "cro")
	assert.False(t, so.InForce, "the CRO signed after the date checked")
	assert.Equal(t, []string{"cro"}, so.Future)
	assert.Contains(t, so.Reason(), "dated later")

	so = d.Signatures.Check(d.hash(t), day(12), "cmo", "cro")
	assert.True(t, so.InForce)
	assert.Equal(t, "in force", so.Reason())
	assert.Equal(t, []string{"cmo", "cro"}, so.Signed)

	d.Threshold = 65 // any edit after signing voids both signatures
	so = d.Signatures.Check(d.hash(t), day(20), "cmo", "cro")
	assert.False(t, so.InForce)
	assert.Equal(t, []string{"cmo", "cro"}, so.Stale)
	assert.Equal(t, "not in force: changed after cmo, cro signed", so.Reason())

	assert.False(t, revalign.Signatures{}.Check(h, day(1)).InForce, "nothing required is never in force")
	assert.Equal(t, "no signatures required", revalign.Signatures{}.Check(h, day(1)).Reason())

	_, err := revalign.ContentHash(func() {})
	assert.Error(t, err)
}

func TestSignOffNeedsTwoPeopleAndAHash(t *testing.T) {
	at := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	h := "abc123"
	one := revalign.Signatures{revalign.Sign(h, "cro", "Maya Lindqvist", at), revalign.Sign(h, "cmo", "maya lindqvist ", at)}
	so := one.Check(h, at, "cro", "cmo")
	assert.False(t, so.InForce)
	assert.Equal(t, []string{"cmo"}, so.Doubled)
	assert.Equal(t, "not in force: cmo signed by someone who already signed for another role", so.Reason())

	anonymous := revalign.Signatures{revalign.Sign(h, "cro", "", at), revalign.Sign(h, "cmo", "Maya", at)}
	assert.Equal(t, []string{"cro"}, anonymous.Check(h, at, "cro", "cmo").Missing)

	noHash := revalign.Signatures{revalign.Sign("", "cro", "Dan", at), revalign.Sign("", "cmo", "Maya", at)}
	so = noHash.Check("", at, "cro", "cmo")
	assert.False(t, so.InForce, "a document whose hash could not be computed is never in force")
}
