package diagnostic

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRateDimensions(t *testing.T) {
	report, err := RateDimensions([]DimensionRating{
		{Dimension: QuotaAccountability, Rating: Aligned},
		{Dimension: LeadHandoff, Rating: Misaligned, Note: "sales rejects what it doesn't like"},
		{Dimension: PipelineOwnership, Rating: Mixed},
		{Dimension: ContentUsage, Rating: Aligned},
		{Dimension: Reporting, Rating: Misaligned},
	})
	require.NoError(t, err)
	assert.Equal(t, []Dimension{LeadHandoff, Reporting}, report.Misaligned)
	assert.Equal(t, []Dimension{PipelineOwnership}, report.Mixed)
	// Lead handoff → 2; pipeline ownership → 1, 4; reporting → 3, 4.
	assert.Equal(t, []Step{1, 2, 3, 4}, report.Steps)
	require.Len(t, report.Dimensions, 5)
	assert.Equal(t, LeadHandoff, report.Dimensions[0].Dimension)
	assert.Equal(t, "sales rejects what it doesn't like", report.Dimensions[0].Note)
	assert.Equal(t, QuotaAccountability, report.Dimensions[4].Dimension)
	assert.Equal(t, Aligned, report.Dimensions[4].Rating)

	roundTrip(t, report)
}

func TestRateDimensionsAllAligned(t *testing.T) {
	var rs []DimensionRating
	for _, d := range Dimensions() {
		rs = append(rs, DimensionRating{Dimension: d.Dimension, Rating: Aligned})
	}
	report, err := RateDimensions(rs)
	require.NoError(t, err)
	assert.Empty(t, report.Misaligned)
	assert.Empty(t, report.Mixed)
	assert.Empty(t, report.Steps)
}

func TestRateDimensionsBadInput(t *testing.T) {
	all := func() []DimensionRating {
		var rs []DimensionRating
		for d := LeadHandoff; d <= QuotaAccountability; d++ {
			rs = append(rs, DimensionRating{Dimension: d, Rating: Mixed})
		}
		return rs
	}
	cases := []struct {
		name string
		in   func() []DimensionRating
		want []string
	}{
		{"missing", func() []DimensionRating { return all()[:4] }, []string{
			`diagnostic: dimensions: dimension not rated, got "quota_accountability"`}},
		{"repeated", func() []DimensionRating { return append(all(), DimensionRating{Dimension: Reporting, Rating: Aligned}) }, []string{
			`diagnostic: dimensions[5].dimension: rated twice (first at dimensions[3]), got "reporting"`}},
		{"unknown", func() []DimensionRating { return append(all(), DimensionRating{Dimension: 9, Rating: Aligned}) }, []string{
			`diagnostic: dimensions[5].dimension: unknown dimension, got 9`}},
		{"unrated", func() []DimensionRating { r := all(); r[1].Rating = Unrated; return r }, []string{
			`diagnostic: dimensions[1].rating: dimension pipeline_ownership: must be misaligned, mixed or aligned, got "none"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := RateDimensions(c.in())
			assert.Equal(t, c.want, messages(t, err))
		})
	}
}

func TestDimensionsTable(t *testing.T) {
	ds := Dimensions()
	require.Len(t, ds, 5)
	for i, d := range ds {
		assert.Equal(t, Dimension(i+1), d.Dimension)
		assert.NotEmpty(t, d.Misaligned)
		assert.NotEmpty(t, d.Aligned)
		assert.NotEmpty(t, d.FixedBy)
	}
	ds[0].FixedBy[0] = StepLossPostMortem
	assert.Equal(t, StepWrittenSLA, Dimensions()[0].FixedBy[0], "a deep copy")

	var r DimensionRating
	require.NoError(t, json.Unmarshal([]byte(`{"dimension":"Lead-Handoff","rating":"MIXED"}`), &r))
	assert.Equal(t, DimensionRating{Dimension: LeadHandoff, Rating: Mixed}, r)
	assert.Error(t, json.Unmarshal([]byte(`{"dimension":"leads"}`), &r))
}
