package attribution_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
)

// sharedSample is ChannelAttribution's example data (10,000 interchange
// lines over 12 channels), present on the development machines only.
const sharedSample = "/work/shared/data/journey-paths-10k.csv"

// dataset is interchange text, header first, to run a property on.
type dataset struct {
	name     string
	data     []byte
	lines    int // paths, header excluded
	channels int
}

// datasets returns the synthetic interchange data every property runs on,
// and ChannelAttribution's example data as an extra when the file is
// there. Its absence is logged, never a skip: the synthetic data carries
// the proof on a clean checkout.
func datasets(t *testing.T) []dataset {
	t.Helper()
	out := []dataset{{name: "synthetic", data: syntheticLines(10_000, 12, 7), lines: 10_000, channels: 12}}
	if b, err := os.ReadFile(sharedSample); err == nil {
		out = append(out, dataset{name: "channelattribution", data: b, lines: 10_000, channels: 12})
	} else {
		t.Logf("extra data set not used: %v", err)
	}
	return out
}

// syntheticLines writes n interchange lines over the given number of
// channels, deterministically from seed, shaped like real exports: paths of
// 1–12 touches with repeats (consecutive and not), counts of conversions
// and nulls from 0 to several on one line (never both 0), and values with
// three decimals. Channel names are drawn at random, so shards of the
// lines meet the channels in different orders.
func syntheticLines(n, channels int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 99))
	names := make([]string, channels)
	for i := range names {
		names[i] = fmt.Sprintf("ch%02d", i)
	}
	var b bytes.Buffer
	b.WriteString("path;total_conversions;total_conversion_value;total_null\n")
	for range n {
		k := 1 + r.IntN(12)
		c := r.IntN(channels)
		for t := range k {
			if t > 0 {
				b.WriteString(" > ")
				if r.IntN(3) > 0 { // a third of the touches repeat the channel
					c = r.IntN(channels)
				}
			}
			b.WriteString(names[c])
		}
		conv, nulls := r.IntN(4), r.IntN(7)
		if conv+nulls == 0 {
			nulls = 1
		}
		value := 0.0
		if conv > 0 {
			value = float64(r.IntN(9_000_000)) / 1000
		}
		fmt.Fprintf(&b, ";%d;%s;%d\n", conv, fmtValue(value), nulls)
	}
	return b.Bytes()
}

func fmtValue(v float64) string { return fmt.Sprintf("%.3f", v) }
