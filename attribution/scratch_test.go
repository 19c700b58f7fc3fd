package attribution

import (
	"fmt"
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	paths := []Path{
		{Channels: []string{"A", "B", "A", "B", "B", "A"}, Conversions: 1},
		{Channels: []string{"A", "B", "B", "A", "A"}, Conversions: 1},
		{Channels: []string{"A", "A"}, Conversions: 1},
	}
	m, err := FitMarkov(paths, 1)
	fmt.Println(err)
	fmt.Printf("%+v\n", m.Channels)
	f, _ := os.Open("/work/shared/data/journey-paths-10k.csv")
	for k := 1; k <= 4; k++ {
		f.Seek(0, 0)
		c, _ := NewChain(k)
		bad, err := c.ReadPaths(f)
		fmt.Println(len(bad), err, c.Paths())
		m, err = c.Fit()
		fmt.Println(err, m.Solver, len(m.States), m.ConversionProbability)
		for _, ch := range m.Channels {
			fmt.Printf("%s %.4f %.4f %.1f %.1f\n", ch.Channel, ch.RemovalEffect, ch.ValueRemovalEffect, ch.Conversions, ch.Value)
		}
	}
}
