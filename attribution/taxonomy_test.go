package attribution_test

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
	"github.com/revalign/revalign/config"
)

func TestTaxonomy(t *testing.T) {
	tax := attribution.DefaultTaxonomy()
	require.NoError(t, tax.Validate())
	ch, ok := tax.Channel("paid_social")
	require.True(t, ok)
	assert.Equal(t, attribution.Paid, ch.Family)
	assert.True(t, ch.Marketing())
	sdr, _ := tax.Channel("sdr_outbound")
	assert.False(t, sdr.Marketing())
	_, ok = tax.Channel("tv")
	assert.False(t, ok)
	assert.Len(t, tax.Names(), 10)

	bad := attribution.Taxonomy{
		Channels: []attribution.Channel{
			{Name: "a", Family: attribution.Paid, Team: revalign.Marketing},
			{Name: "a", Family: attribution.Paid, Team: revalign.Marketing},
			{Name: " ", Family: 0, Team: ""},
		},
		Plays: []attribution.Play{{Name: "p", Channel: "zz"}, {Name: "p", Channel: "a"}, {Name: ""}},
	}
	err := bad.Validate()
	require.ErrorIs(t, err, revalign.ErrInvalid)
	var n int
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *revalign.FieldError
		require.True(t, errors.As(e, &fe))
		n++
	}
	assert.Equal(t, 8, n, "%v", err)
	assert.Error(t, attribution.Taxonomy{}.Validate())
}

func TestJourneyValidate(t *testing.T) {
	tax := attribution.DefaultTaxonomy()
	tax.Plays = []attribution.Play{{Name: "Q3 report", Channel: "content_syndication"}}
	good := attribution.Journey{ID: "o1", Touches: []attribution.Touch{
		{Channel: "content_syndication", Play: "Q3 report", At: day(0)},
		{Channel: "email", At: day(1)},
	}, Closed: day(2), Outcome: attribution.Won, Amount: usd("10.50"), Currency: "USD"}
	require.NoError(t, good.Validate(tax))

	tests := []struct {
		name string
		edit func(j *attribution.Journey)
		path string
	}{
		{"blank id", func(j *attribution.Journey) { j.ID = "" }, "id"},
		{"touch after close", func(j *attribution.Journey) { j.Touches[1].At = day(3) }, "touches[1].at"},
		{"out of order", func(j *attribution.Journey) { j.Touches[1].At = day(-1) }, "touches[1].at"},
		{"no time", func(j *attribution.Journey) { j.Touches[0].At = time.Time{} }, "touches[0].at"},
		{"unknown channel", func(j *attribution.Journey) { j.Touches[1].Channel = "tv" }, "touches[1].channel"},
		{"unknown play", func(j *attribution.Journey) { j.Touches[1].Play = "spring promo" }, "touches[1].play"},
		{"play on another channel", func(j *attribution.Journey) { j.Touches[1].Play = "Q3 report" }, "touches[1].play"},
		{"negative amount", func(j *attribution.Journey) { j.Amount = usd("-1") }, "amount"},
		{"too many places", func(j *attribution.Journey) { j.Amount = usd("1.005") }, "amount"},
		{"no currency", func(j *attribution.Journey) { j.Currency = "" }, "currency"},
		{"won without close", func(j *attribution.Journey) { j.Closed = time.Time{} }, "closed"},
		{"bad outcome", func(j *attribution.Journey) { j.Outcome = 9 }, "outcome"},
		{"blank stage", func(j *attribution.Journey) { j.Stages = []attribution.Stage{{At: day(0)}} }, "stages[0].name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := good
			j.Touches = append([]attribution.Touch(nil), good.Touches...)
			tt.edit(&j)
			err := j.Validate(tax)
			require.ErrorIs(t, err, revalign.ErrInvalid)
			var fe *revalign.FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, tt.path, fe.Path)
		})
	}

	bad := good
	bad.ID = ""
	errs := attribution.Validate([]attribution.Journey{good, bad}, tax)
	require.Len(t, errs, 1)
	assert.Equal(t, "journeys[1]", errs[0].ID)
}

// enum is what every text enumeration of the package implements.
type enum interface {
	encoding.TextMarshaler
	fmt.Stringer
}

// roundTrip checks that each value encodes to its name and decodes back,
// that bad is refused on both sides, and that bad prints as Type(n).
func roundTrip[T enum, P interface {
	*T
	encoding.TextUnmarshaler
}](t *testing.T, bad T, badText string, values ...T) {
	t.Helper()
	for _, v := range values {
		b, err := v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, v.String(), string(b))
		var back T
		require.NoError(t, P(&back).UnmarshalText(b))
		assert.Equal(t, v, back)
	}
	_, err := bad.MarshalText()
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	var back T
	assert.ErrorIs(t, P(&back).UnmarshalText([]byte(badText)), revalign.ErrInvalid)
	assert.Contains(t, bad.String(), "(")
}

func TestEnumsText(t *testing.T) {
	roundTrip(t, attribution.FamilyUnknown, "tv",
		attribution.Paid, attribution.Owned, attribution.Earned, attribution.SalesLed, attribution.PartnerLed)
	roundTrip(t, attribution.Outcome(4), "pending", attribution.Open, attribution.Won, attribution.Lost)
	roundTrip(t, attribution.Basis(3), "bookings", attribution.Revenue, attribution.Pipeline)
	roundTrip(t, attribution.Worth(3), "clicks", attribution.Conversions, attribution.ConversionValue, attribution.ConversionRate)
	roundTrip(t, attribution.Recommendation(5), "sell", attribution.Hold, attribution.Increase, attribution.Decrease)
}

// Configuration loads strictly from YAML and JSON and round-trips.
func TestConfigLoads(t *testing.T) {
	var shape attribution.Shape
	require.NoError(t, config.Unmarshal([]byte(`
name: custom
positions:
  - {position: first_touch, weight: 0.4}
  - {position: mql, weight: 0.2}
  - {position: opportunity_creation, weight: 0.3}
middle: 0.1
middle_types: [form_fill]
`), &shape))
	assert.Equal(t, attribution.Position("mql"), shape.Positions[1].Position)
	assert.Error(t, config.Unmarshal([]byte("name: x\npositions: [{position: first_touch, weight: 0.5}]\n"), &shape), "weights must sum to 1")
	assert.Error(t, config.Unmarshal([]byte("name: x\npostions: []\n"), &shape), "unknown field")

	opts := attribution.DefaultReconcileOptions()
	opts.Calendar.StartMonth = time.February
	b, err := json.Marshal(opts)
	require.NoError(t, err)
	var back attribution.ReconcileOptions
	require.NoError(t, config.Unmarshal(b, &back))
	assert.Equal(t, opts.Taxonomy, back.Taxonomy)
	assert.Equal(t, opts.Period, back.Period)
	assert.Equal(t, opts.Source, back.Source)
	assert.Equal(t, time.February, back.Calendar.StartMonth)

	var tax attribution.Taxonomy
	require.NoError(t, config.Unmarshal([]byte(`
channels:
  - {name: paid_social, family: paid, team: marketing}
  - {name: sdr_outbound, family: sales, team: sales}
`), &tax))
	assert.Equal(t, attribution.SalesLed, tax.Channels[1].Family)
	assert.Error(t, config.Unmarshal([]byte("channels: [{name: a, family: tv, team: marketing}]\n"), &tax))

	var so attribution.SpendOptions
	require.NoError(t, config.Unmarshal([]byte("rates: {base: USD}\nquorum: 0.6\n"), &so))
	assert.Equal(t, 0.6, so.Quorum)
	var po attribution.ProposalOptions
	require.NoError(t, config.Unmarshal([]byte("learning_rate: 0.25\nmin_journeys: 50\n"), &po))
	var td attribution.TimeDecay
	require.NoError(t, config.Unmarshal([]byte("half_life_days: 14\n"), &td))
	assert.Error(t, config.Unmarshal([]byte("half_life_days: 0\n"), &td))

	j := sampleJourneys()[0]
	jb, err := json.Marshal(j)
	require.NoError(t, err)
	var jj attribution.Journey
	require.NoError(t, json.Unmarshal(jb, &jj))
	assert.True(t, j.Amount.Equal(jj.Amount))
	assert.Equal(t, j.Touches, jj.Touches)
	assert.Equal(t, attribution.Won, jj.Outcome)
}
