package attribution_test

import (
	"io"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

// Conversion values are summed exactly in int64 millionths: 4e12 is 4e18
// millionths, two such lines fit (8e18 < 2^63 ≈ 9.2e18), a third would
// wrap to a negative total. It is an error, and the aggregate keeps the
// first two.
const big = "a > b;1;4000000000000;1\n"

// aggregate is what Chain and Coalitions share.
type aggregate interface {
	ReadPaths(io.Reader) ([]revalign.RecordError, error)
	Paths() int
}

// readThreeBig reads three big lines into a and checks that the third
// overflows and is left out.
func readThreeBig(t *testing.T, a aggregate) {
	t.Helper()
	bad, err := a.ReadPaths(strings.NewReader(big + big + big))
	require.NoError(t, err)
	require.Len(t, bad, 1)
	assert.Equal(t, "line 3", bad[0].ID)
	assert.ErrorIs(t, bad[0], attribution.ErrOverflow)
	assert.Equal(t, 2, a.Paths())
}

func TestChainValueOverflow(t *testing.T) {
	c, _ := attribution.NewChain(1)
	readThreeBig(t, c)
	m, err := c.Fit()
	require.NoError(t, err)
	assert.Equal(t, 8e12, m.Value)
	for _, ch := range m.Channels {
		assert.Positive(t, ch.Value, ch.Channel)
		assert.InDelta(t, 4e12, ch.Value, 1, ch.Channel)
	}

	// Add and Merge check the same way and leave the chain unchanged.
	err = c.Add(p("a > b", 1, 4e12, 1))
	assert.ErrorIs(t, err, attribution.ErrOverflow)
	assert.Equal(t, 2, c.Paths())
	other, _ := attribution.NewChain(1)
	require.NoError(t, other.Add(p("c", 1, 2e12, 0)))
	assert.ErrorIs(t, c.Merge(other), attribution.ErrOverflow)
	again, err := c.Fit()
	require.NoError(t, err)
	assert.Equal(t, m, again, "a failed Merge adds nothing, not even channel c")

	// Counts overflow float64 only past 1.8e308, and say so too.
	huge, _ := attribution.NewChain(1)
	require.NoError(t, huge.Add(p("a", math.MaxFloat64, 0, 0)))
	assert.ErrorIs(t, huge.Add(p("a", math.MaxFloat64, 0, 0)), attribution.ErrOverflow)
}

func TestCoalitionsValueOverflow(t *testing.T) {
	var c attribution.Coalitions
	readThreeBig(t, &c)
	s, err := c.Exact(attribution.ConversionValue)
	require.NoError(t, err)
	assert.Equal(t, 8e12, s.Total)
	for _, ch := range s.Channels {
		assert.Equal(t, 4e12, ch.Value, ch.Channel)
	}

	assert.ErrorIs(t, c.Add(p("a > b", 1, 4e12, 1)), attribution.ErrOverflow)
	var other attribution.Coalitions
	require.NoError(t, other.Add(p("c", 1, 2e12, 0)))
	assert.ErrorIs(t, c.Merge(&other), attribution.ErrOverflow)
	again, err := c.Exact(attribution.ConversionValue)
	require.NoError(t, err)
	assert.Equal(t, s, again, "a failed Merge adds nothing, not even channel c")
	assert.Equal(t, 2, c.Paths())
}
