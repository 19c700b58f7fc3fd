package attribution_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/attribution"
)

// shardLines splits interchange data (header first) into k shards.
func shardLines(data []byte, k int) [][]byte {
	lines := bytes.SplitAfter(data, []byte("\n"))[1:]
	out := make([][]byte, k)
	for i, l := range lines {
		out[i%k] = append(out[i%k], l...)
	}
	return out
}

// Workers of a distributed engine: each shard is counted in its own
// process, sent as bytes, decoded and merged. The merge of the decoded
// shards fits exactly like one pass over all the lines, for every order,
// and through every encoding (binary, JSON text, gob).
func TestChainEncodingMergesLikeTheOriginal(t *testing.T) {
	data := syntheticLines(4_000, 9, 3)
	codecs := map[string]func(*testing.T, *attribution.Chain) *attribution.Chain{
		"binary": func(t *testing.T, c *attribution.Chain) *attribution.Chain {
			b, err := c.MarshalBinary()
			require.NoError(t, err)
			var back attribution.Chain
			require.NoError(t, back.UnmarshalBinary(b))
			again, err := back.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, b, again, "the encoding is deterministic and loses nothing")
			return &back
		},
		"json": func(t *testing.T, c *attribution.Chain) *attribution.Chain {
			b, err := json.Marshal(map[string]*attribution.Chain{"shard": c})
			require.NoError(t, err)
			var back map[string]*attribution.Chain
			require.NoError(t, json.Unmarshal(b, &back))
			return back["shard"]
		},
		"gob": func(t *testing.T, c *attribution.Chain) *attribution.Chain {
			var buf bytes.Buffer
			require.NoError(t, gob.NewEncoder(&buf).Encode(c))
			var back attribution.Chain
			require.NoError(t, gob.NewDecoder(&buf).Decode(&back))
			return &back
		},
	}
	for order := 1; order <= attribution.MaxOrder; order++ {
		one, _ := attribution.NewChain(order)
		_, err := one.ReadPaths(bytes.NewReader(data))
		require.NoError(t, err)
		want, err := one.Fit()
		require.NoError(t, err)
		for name, codec := range codecs {
			merged, _ := attribution.NewChain(order)
			for _, shard := range shardLines(data, 3) {
				s, _ := attribution.NewChain(order)
				_, err := s.ReadPaths(bytes.NewReader(shard))
				require.NoError(t, err)
				back := codec(t, s)
				assert.Equal(t, order, back.Order())
				assert.Equal(t, s.Paths(), back.Paths())
				require.NoError(t, merged.Merge(back))
			}
			got, err := merged.Fit()
			require.NoError(t, err)
			assert.Equal(t, want, got, "%s, order %d", name, order)
		}
		// A decoded chain keeps accumulating like the original.
		b, _ := one.MarshalBinary()
		var back attribution.Chain
		require.NoError(t, back.UnmarshalBinary(b))
		require.NoError(t, one.Add(p("ch01 > ch02", 1, 5, 0)))
		require.NoError(t, back.Add(p("ch01 > ch02", 1, 5, 0)))
		a, _ := one.Fit()
		c, _ := back.Fit()
		assert.Equal(t, a, c)
	}
}

func TestCoalitionsEncodingMergesLikeTheOriginal(t *testing.T) {
	data := syntheticLines(4_000, 9, 4)
	var one attribution.Coalitions
	_, err := one.ReadPaths(bytes.NewReader(data))
	require.NoError(t, err)
	var merged, mergedJSON attribution.Coalitions
	for _, shard := range shardLines(data, 3) {
		var s attribution.Coalitions
		_, err := s.ReadPaths(bytes.NewReader(shard))
		require.NoError(t, err)
		b, err := s.MarshalBinary()
		require.NoError(t, err)
		var back attribution.Coalitions
		require.NoError(t, back.UnmarshalBinary(b))
		again, _ := back.MarshalBinary()
		assert.Equal(t, b, again)
		require.NoError(t, merged.Merge(&back))

		j, err := json.Marshal(&s)
		require.NoError(t, err)
		var fromJSON attribution.Coalitions
		require.NoError(t, json.Unmarshal(j, &fromJSON))
		require.NoError(t, mergedJSON.Merge(&fromJSON))
	}
	for _, m := range []*attribution.Coalitions{&merged, &mergedJSON} {
		assert.Equal(t, one.Paths(), m.Paths())
		for _, w := range []attribution.Worth{attribution.Conversions, attribution.ConversionValue, attribution.ConversionRate} {
			a, err := one.Exact(w)
			require.NoError(t, err)
			b, err := m.Exact(w)
			require.NoError(t, err)
			assert.Equal(t, a, b, w.String())
		}
		oa, _ := one.Ordered(attribution.ConversionValue)
		ob, _ := m.Ordered(attribution.ConversionValue)
		assert.Equal(t, oa, ob)
	}
	// The zero value round-trips too.
	var zero, back attribution.Coalitions
	b, err := zero.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, back.UnmarshalBinary(b))
	assert.Zero(t, back.Paths())
	require.NoError(t, back.Add(p("a", 1, 1, 0)))
}

// Corrupt or foreign bytes are errors, never a panic, and leave the value
// as it was: every truncation of a valid encoding, a flipped byte, a wrong
// tag or version, trailing bytes.
func TestEncodingRejectsCorruptData(t *testing.T) {
	c, _ := attribution.NewChain(2)
	require.NoError(t, c.Add(p("a > b > c", 2, 10.5, 1)))
	require.NoError(t, c.Add(p("b", 0, 0, 3)))
	good, err := c.MarshalBinary()
	require.NoError(t, err)
	var co attribution.Coalitions
	require.NoError(t, co.Add(p("a > b > a", 2, 10.5, 1)))
	goodCo, err := co.MarshalBinary()
	require.NoError(t, err)

	target, _ := attribution.NewChain(1)
	require.NoError(t, target.Add(p("x", 1, 1, 0)))
	before, _ := target.MarshalBinary()
	var targetCo attribution.Coalitions
	require.NoError(t, targetCo.Add(p("x", 1, 1, 0)))
	beforeCo, _ := targetCo.MarshalBinary()
	check := func(name string, chain, coal []byte) {
		assert.Error(t, target.UnmarshalBinary(chain), name)
		assert.Error(t, targetCo.UnmarshalBinary(coal), name)
	}
	for k := range good {
		check("truncated", good[:k], goodCo[:min(k, len(goodCo)-1)])
	}
	check("trailing", append(good[:len(good):len(good)], 0), append(goodCo[:len(goodCo):len(goodCo)], 0))
	check("swapped", goodCo, good)
	for _, i := range []int{4, 5} { // the version, the order or channel count
		bad, badCo := bytes.Clone(good), bytes.Clone(goodCo)
		bad[i]++
		badCo[i] += 70
		check("flipped", bad, badCo)
	}
	after, _ := target.MarshalBinary()
	assert.Equal(t, before, after, "a failed decode leaves the chain as it was")
	afterCo, _ := targetCo.MarshalBinary()
	assert.Equal(t, beforeCo, afterCo)
	assert.Error(t, target.UnmarshalText([]byte("not base64!")))

	var zero attribution.Chain
	_, err = zero.MarshalBinary()
	assert.Error(t, err, "a Chain not made by NewChain has no order")
}
