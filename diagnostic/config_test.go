package diagnostic

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	require.NoError(t, c.Validate())
	assert.Equal(t, 0.40, c.RejectionThreshold)
	assert.Equal(t, 0.75, c.Targets.MQLAcceptance)
	assert.Equal(t, 0.90, c.Targets.FirstTouchCompliance)
	// Every total 0–20 falls in exactly one band.
	for total := 0; total <= MaxScore; total++ {
		n := 0
		for _, b := range c.Bands {
			if b.Contains(total) {
				n++
			}
		}
		assert.Equal(t, 1, n, "total %d", total)
	}
}

func TestConfigValidate(t *testing.T) {
	band := func(name string, lo, hi int, s Step) Band { return Band{Name: name, Min: lo, Max: hi, Start: s} }
	cases := []struct {
		name   string
		edit   func(*Config)
		errors []string // the messages, in order
	}{
		{"overlap", func(c *Config) { c.Bands[1].Max = 16 }, []string{
			`diagnostic: bands[1]: overlaps bands[0] at total 16, got "10..16"`}},
		{"hole", func(c *Config) { c.Bands[1].Min = 11; c.Bands[2].Max = 8 }, []string{
			`diagnostic: bands: leave totals uncovered, got "9,10"`}},
		{"no bands", func(c *Config) { c.Bands = nil }, []string{
			`diagnostic: bands: need at least one band`}},
		{"out of range", func(c *Config) { c.Bands[0].Max = 21; c.Bands[3].Min = -1 }, []string{
			`diagnostic: bands[0].max: must be in 0..20, got 21`,
			`diagnostic: bands[3].min: must be in 0..20, got -1`}},
		{"inverted", func(c *Config) { c.Bands[2] = band("leaking_boundaries", 9, 5, StepWrittenSLA) }, []string{
			`diagnostic: bands[2]: min must not exceed max, got "9..5"`}},
		{"blank and repeated names", func(c *Config) { c.Bands[1].Name = " "; c.Bands[3].Name = "mostly_aligned" }, []string{
			`diagnostic: bands[1].name: band needs a name, got " "`,
			`diagnostic: bands[3].name: repeats the name of bands[0], got "mostly_aligned"`}},
		{"bad step", func(c *Config) { c.Bands[0].Start = 7 }, []string{
			`diagnostic: bands[0].start: must be a step 1–6, got 7`}},
		{"threshold", func(c *Config) { c.RejectionThreshold = 1.2; c.MinChange = math.NaN() }, []string{
			`diagnostic: rejection_threshold: must be in [0,1], got 1.2`,
			`diagnostic: min_change: must be finite and >= 0, got NaN`}},
		{"targets", func(c *Config) {
			c.Targets.MQLAcceptance = 75
			c.Targets.ForecastVariance = -0.1
			c.Targets.PipelineCoverage = math.Inf(1)
		}, []string{
			`diagnostic: targets.mql_acceptance: must be in [0,1], got 75`,
			`diagnostic: targets.forecast_variance: must be finite and >= 0, got -0.1`,
			`diagnostic: targets.pipeline_coverage: must be finite and >= 0, got +Inf`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			c.edit(&cfg)
			assert.Equal(t, c.errors, messages(t, cfg.Validate()))
		})
	}
}

func TestConfigCustomBands(t *testing.T) {
	// Two bands in any order are fine as long as they tile 0–20.
	cfg := Config{Bands: []Band{
		{Name: "high", Min: 11, Max: 20, Start: StepPipelineReview},
		{Name: "low", Min: 0, Max: 10, Start: StepDemandStates},
	}}
	require.NoError(t, cfg.Validate())
	for _, c := range []struct {
		total int
		band  string
	}{{10, "low"}, {11, "high"}, {0, "low"}, {20, "high"}} {
		res, err := cfg.Score(withTotal(c.total))
		require.NoError(t, err)
		assert.Equal(t, c.band, res.Band.Name, "total %d", c.total)
	}
}

func TestConfigJSONRoundTrip(t *testing.T) {
	c := DefaultConfig()
	c.Targets.InfluencedShare = 0.5
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"start":"loss_post_mortem"`)
	assert.Contains(t, string(b), `"rejection_threshold":0.4`)
	var back Config
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c, back)
}

func TestConfigLoadsFromYAML(t *testing.T) {
	yaml := `
bands:
  - {name: aligned, min: 12, max: 20, start: loss_post_mortem, reading: "Hold the line."}
  - {name: sla_first, min: 6, max: 11, start: 2}
  - {name: rebuild, min: 0, max: 5, start: demand_states}
rejection_threshold: 0.35
targets:
  mql_acceptance: 0.8
  first_touch_compliance: 0.9
  forecast_variance: 0.1
min_change: 0.01
`
	var c Config
	require.NoError(t, config.Unmarshal([]byte(yaml), &c))
	assert.Equal(t, StepWrittenSLA, c.Bands[1].Start)
	assert.Equal(t, 0.35, c.RejectionThreshold)
	assert.Equal(t, 0.1, c.Targets.ForecastVariance)

	// Strict: a typo is an error with its line, an overlap fails Validate.
	err := config.Unmarshal([]byte("rejection_treshold: 0.3\n"), &c)
	var ce *config.Error
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.Equal(t, 1, ce.Line)

	var bad Config
	err = config.Unmarshal([]byte(`
bands:
  - {name: a, min: 0, max: 12, start: 1}
  - {name: b, min: 10, max: 20, start: 6}
`), &bad)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.ErrorContains(t, err, "overlaps bands[0] at total 10")

	err = config.Unmarshal([]byte("bands:\n  - {name: a, min: 0, max: 20, start: step_nine}\n"), &bad)
	assert.Error(t, err)
}
