package attribution

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// randomChain fills a chain with random paths over n channels.
func randomChain(t *testing.T, order, n, paths int, seed uint64) *Chain {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	c, err := NewChain(order)
	require.NoError(t, err)
	names := make([]string, n)
	for i := range names {
		names[i] = string(rune('a' + i))
	}
	for range paths {
		p := Path{Channels: make([]string, 1+r.IntN(6))}
		for k := range p.Channels {
			p.Channels[k] = names[r.IntN(n)]
		}
		if r.IntN(3) == 0 {
			p.Conversions, p.Value = 1, float64(1+r.IntN(1000))
		} else {
			p.Nulls = float64(1 + r.IntN(3))
		}
		require.NoError(t, c.Add(p))
	}
	return c
}

// directRemoval solves the chain with channel c's states removed by
// factorising the reduced system itself: the independent check of the
// single-factorisation shortcut.
func directRemoval(f *fitted, removed []int32) (float64, float64) {
	out := make(map[int32]bool, len(removed))
	for _, i := range removed {
		out[i] = true
	}
	var keep []int
	pos := make([]int, f.n)
	for i := range f.n {
		if !out[int32(i)] {
			pos[i] = len(keep)
			keep = append(keep, i)
		}
	}
	k := len(keep)
	a := mat.NewDense(k, k, nil)
	b := mat.NewDense(k, 2, nil)
	for r, i := range keep {
		a.Set(r, r, 1)
		for q, j := range f.cols[i] {
			if !out[j] {
				a.Set(r, pos[j], a.At(r, pos[j])-f.probs[i][q])
			}
		}
		b.Set(r, 0, f.rc[i])
		b.Set(r, 1, f.rv[i])
	}
	var x mat.Dense
	if err := x.Solve(a, b); err != nil {
		panic(err)
	}
	return x.At(0, 0), x.At(0, 1)
}

func TestRemovalShortcutMatchesDirectSolve(t *testing.T) {
	for order := 1; order <= 2; order++ {
		c := randomChain(t, order, 6, 400, uint64(order))
		f := c.canonical()
		x, y, removed, err := f.solveDense()
		require.NoError(t, err)
		bx, by := directRemoval(f, nil)
		assert.InDelta(t, bx, x, 1e-12)
		assert.InDelta(t, by, y, 1e-9)
		for ch, d := range f.contains {
			rx, ry := directRemoval(f, d)
			assert.InDelta(t, rx, removed[ch][0], 1e-12, "order %d channel %d", order, ch)
			assert.InDelta(t, ry, removed[ch][1], 1e-9, "order %d channel %d", order, ch)
		}
	}
}

// Gauss–Seidel and the dense LU factorisation agree on the same chains: a
// synthetic one always, ChannelAttribution's example data when present.
func TestIterativeMatchesDense(t *testing.T) {
	chains := map[string]func(order int) *Chain{
		"synthetic": func(order int) *Chain { return randomChain(t, order, 12, 10_000, 11) },
	}
	if data, err := os.ReadFile("/work/shared/data/journey-paths-10k.csv"); err == nil {
		chains["channelattribution"] = func(order int) *Chain {
			c, _ := NewChain(order)
			_, err := c.ReadPaths(bytes.NewReader(data))
			require.NoError(t, err)
			return c
		}
	} else {
		t.Logf("extra data set not used: %v", err)
	}
	for name, chain := range chains {
		for order := 1; order <= 2; order++ {
			f := chain(order).canonical()
			require.Greater(t, f.n, 12, name)
			dx, dy, dr, err := f.solveDense()
			require.NoError(t, err)
			ix, iy, ir, err := f.solveIterative()
			require.NoError(t, err)
			assert.InDelta(t, dx, ix, 1e-12, name)
			assert.InDelta(t, dy, iy, 1e-9, name)
			require.Len(t, ir, len(dr))
			for i := range dr {
				assert.InDelta(t, dr[i][0], ir[i][0], 1e-12, "%s order %d channel %d", name, order, i)
				assert.InDelta(t, dr[i][1], ir[i][1], 1e-9, "%s order %d channel %d", name, order, i)
			}
		}
	}
}
