package attribution_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func day(d int) time.Time { return t0.AddDate(0, 0, d) }

// path builds a won USD journey with one touch a day on the given channels
// (day 0, 1, …), lead creation at touch lc, opportunity creation at touch
// oc and close at the last touch; -1 leaves a milestone unset.
func path(lc, oc int, channels ...string) attribution.Journey {
	j := attribution.Journey{ID: "opp-1", Outcome: attribution.Won, Amount: decimal.RequireFromString("1000"), Currency: "USD"}
	for i, c := range channels {
		j.Touches = append(j.Touches, attribution.Touch{Channel: c, At: day(i), Type: "form_fill"})
	}
	if lc >= 0 {
		j.LeadCreated = day(lc)
	}
	if oc >= 0 {
		j.OppCreated = day(oc)
	}
	j.Closed = day(len(channels) - 1).Add(time.Hour)
	return j
}

func weights(t *testing.T, m attribution.Model, j attribution.Journey) []float64 {
	t.Helper()
	w, err := m.Weights(nil, &j)
	require.NoError(t, err, m.Name())
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	assert.InDelta(t, 1, sum, 1e-12, "%s weights must sum to 1", m.Name())
	return w
}

const third = 1.0 / 3

// Splits computed by hand from the rules in REFERENCE §5.
func TestRuleBasedSplits(t *testing.T) {
	one := path(0, 0, "a")
	two := path(1, 1, "a", "b")        // LC and OC stacked on the second touch
	three := path(1, 1, "a", "b", "c") // LC = OC on the middle touch
	eight := path(2, 5, "a", "b", "c", "a", "d", "b", "e", "f")
	tests := []struct {
		model attribution.Model
		j     attribution.Journey
		want  []float64
	}{
		// One touch: every model gives it everything.
		{attribution.FirstTouchModel(), one, []float64{1}},
		{attribution.LastTouchModel(), one, []float64{1}},
		{attribution.LeadCreationModel(), one, []float64{1}},
		{attribution.Linear{}, one, []float64{1}},
		{attribution.UShaped(), one, []float64{1}},
		{attribution.WShaped(), one, []float64{1}},
		{attribution.FullPath(), one, []float64{1}},
		{attribution.JShaped(), one, []float64{1}},
		{attribution.InverseJ(), one, []float64{1}},
		{attribution.PositionBased(), one, []float64{1}},
		{attribution.DefaultTimeDecay(), one, []float64{1}},
		// Two touches: no middle, so the middle share is split evenly
		// among the positions.
		{attribution.FirstTouchModel(), two, []float64{1, 0}},
		{attribution.LastTouchModel(), two, []float64{0, 1}},
		{attribution.LeadCreationModel(), two, []float64{0, 1}},
		{attribution.Linear{}, two, []float64{0.5, 0.5}},
		{attribution.UShaped(), two, []float64{0.5, 0.5}},         // 40+10 / 40+10
		{attribution.UShaped5050(), two, []float64{0.5, 0.5}},     //
		{attribution.WShaped(), two, []float64{third, 2 * third}}, // 30+10/3 / 60+20/3
		{attribution.FullPath(), two, []float64{0.25, 0.75}},      // 22.5+2.5 / 67.5+7.5
		{attribution.JShaped(), two, []float64{0.3, 0.7}},         // 20+10 / 60+10
		{attribution.InverseJ(), two, []float64{0.7, 0.3}},
		{attribution.PositionBased(), two, []float64{0.5, 0.5}},
		// Three touches, LC = OC on the middle one.
		{attribution.FullPath(), three, []float64{0.25, 0.5, 0.25}},    // REFERENCE's example
		{attribution.WShaped(), three, []float64{third, 2 * third, 0}}, // touches after OC get nothing
		{attribution.UShaped(), three, []float64{0.5, 0.5, 0}},         // touches after LC get nothing
		{attribution.PositionBased(), three, []float64{0.4, 0.2, 0.4}}, // the middle touch holds 20%
		{attribution.JShaped(), three, []float64{0.2, 0.2, 0.6}},       //
		{attribution.InverseJ(), three, []float64{0.6, 0.2, 0.2}},      //
		{attribution.Linear{}, three, []float64{third, third, third}},  //
		{attribution.LeadCreationModel(), three, []float64{0, 1, 0}},   //
		// Eight touches: a b c a d b e f, LC at touch 2, OC at touch 5,
		// close at touch 7.
		{attribution.FirstTouchModel(), eight, []float64{1, 0, 0, 0, 0, 0, 0, 0}},
		{attribution.LastTouchModel(), eight, []float64{0, 0, 0, 0, 0, 0, 0, 1}},
		{attribution.LeadCreationModel(), eight, []float64{0, 0, 1, 0, 0, 0, 0, 0}},
		{attribution.Linear{}, eight, []float64{0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125}},
		// Once: six distinct channels, each held by its first touch.
		{attribution.Linear{Once: true}, eight, []float64{1. / 6, 1. / 6, 1. / 6, 0, 1. / 6, 0, 1. / 6, 1. / 6}},
		// U: 40 FT, 40 LC, 20 on the one touch between.
		{attribution.UShaped(), eight, []float64{0.4, 0.2, 0.4, 0, 0, 0, 0, 0}},
		{attribution.UShaped5050(), eight, []float64{0.5, 0, 0.5, 0, 0, 0, 0, 0}},
		// W: 30 each to touches 0, 2, 5; 10 over touches 1, 3, 4.
		{attribution.WShaped(), eight, []float64{0.3, 0.1 / 3, 0.3, 0.1 / 3, 0.1 / 3, 0.3, 0, 0}},
		// Full path: 22.5 each to touches 0, 2, 5, 7; 10 over 1, 3, 4, 6.
		{attribution.FullPath(), eight, []float64{0.225, 0.025, 0.225, 0.025, 0.025, 0.225, 0.025, 0.225}},
		// J, inverse J, position-based: 20% over the six middle touches.
		{attribution.JShaped(), eight, []float64{0.2, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.6}},
		{attribution.InverseJ(), eight, []float64{0.6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2}},
		{attribution.PositionBased(), eight, []float64{0.4, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.2 / 6, 0.4}},
	}
	for _, tt := range tests {
		t.Run(tt.model.Name()+"/"+string(rune('0'+len(tt.j.Touches))), func(t *testing.T) {
			assert.InDeltaSlice(t, tt.want, weights(t, tt.model, tt.j), 1e-12)
		})
	}
}

func TestStackedAndMissingMilestones(t *testing.T) {
	// Lead created at the first touch: FT and LC are one touch, which
	// takes U-shaped's whole 100%; the later touches come after LC.
	stacked := path(0, 2, "a", "b", "c")
	assert.InDeltaSlice(t, []float64{1, 0, 0}, weights(t, attribution.UShaped(), stacked), 1e-12)
	// W: FT=LC on touch 0 (60%), OC on touch 2 (30%), touch 1 between
	// (10%).
	assert.InDeltaSlice(t, []float64{0.6, 0.1, 0.3}, weights(t, attribution.WShaped(), stacked), 1e-12)

	// No opportunity-creation time: W's OC drops out and FT 30 / LC 30 /
	// middle 10 are scaled to 100; with no middle touch the 10 is split
	// between the two positions: 35/70 and 35/70.
	noOC := path(1, -1, "a", "b", "c")
	assert.InDeltaSlice(t, []float64{0.5, 0.5, 0}, weights(t, attribution.WShaped(), noOC), 1e-12)

	// Lead created before any touch: no lead-creation touch.
	early := path(-1, 1, "a", "b")
	early.LeadCreated = day(-3)
	_, err := attribution.LeadCreationModel().Weights(nil, &early)
	assert.ErrorIs(t, err, attribution.ErrNoCredit)
	// U-shaped keeps the first touch only.
	assert.InDeltaSlice(t, []float64{1, 0}, weights(t, attribution.UShaped(), early), 1e-12)

	// An open deal has not reached close: full path scales FT, LC, OC.
	open := path(0, 1, "a", "b", "c")
	open.Outcome, open.Closed = attribution.Open, time.Time{}
	// FT=LC on touch 0 (45), OC on touch 1 (22.5), no middle: 10 split
	// over three positions → (45+6.67)/77.5... computed: weights over 0.775+0.1.
	w := weights(t, attribution.FullPath(), open)
	assert.InDelta(t, (0.45+0.2/3)/0.775, w[0], 1e-12)
	assert.InDelta(t, (0.225+0.1/3)/0.775, w[1], 1e-12)
	assert.Zero(t, w[2])

	// No touches at all.
	empty := attribution.Journey{ID: "x", Currency: "USD"}
	for _, m := range attribution.RuleBased() {
		_, err := m.Weights(nil, &empty)
		assert.ErrorIs(t, err, attribution.ErrNoCredit, m.Name())
	}
}

func TestMiddleEligibility(t *testing.T) {
	j := path(2, 5, "a", "b", "c", "a", "d", "b", "e", "f")
	for i := range j.Touches {
		j.Touches[i].Type = "web_visit"
	}
	j.Touches[3].Type = "form_fill"
	w := attribution.WShaped()
	w.MiddleTypes = []string{"form_fill"}
	// Only touch 3 is an eligible middle touch: it takes the whole 10%.
	assert.InDeltaSlice(t, []float64{0.3, 0, 0.3, 0.1, 0, 0.3, 0, 0}, weights(t, w, j), 1e-12)
	// No eligible middle touch: the 10% goes to the three positions.
	j.Touches[3].Type = "web_visit"
	assert.InDeltaSlice(t, []float64{third, 0, third, 0, 0, third, 0, 0}, weights(t, w, j), 1e-12)
}

func TestCustomStagePosition(t *testing.T) {
	j := path(1, 3, "a", "b", "c", "d", "e")
	j.Stages = []attribution.Stage{{Name: "mql", At: day(2)}}
	custom := attribution.Shape{Label: "custom", Positions: []attribution.PositionWeight{
		{Position: attribution.FirstTouch, Weight: 0.25}, {Position: "mql", Weight: 0.25},
		{Position: attribution.OppCreation, Weight: 0.25}, {Position: attribution.Close, Weight: 0.15},
	}, Middle: 0.1}
	require.NoError(t, custom.Validate())
	// Positions at touches 0, 2, 3, 4; the middle touch is touch 1.
	assert.InDeltaSlice(t, []float64{0.25, 0.1, 0.25, 0.25, 0.15}, weights(t, custom, j), 1e-12)
	// A stage the journey does not have drops out: the rest is scaled by
	// 1/0.75, and touches 1 and 2 now share the middle.
	j.Stages = nil
	assert.InDeltaSlice(t, []float64{0.25 / 0.75, 0.05 / 0.75, 0.05 / 0.75, 0.25 / 0.75, 0.15 / 0.75},
		weights(t, custom, j), 1e-12)
	assert.True(t, custom.MultiTouch())
	assert.False(t, attribution.FirstTouchModel().MultiTouch())
}

func TestTimeDecay(t *testing.T) {
	// Touches 22, 15, 8 and 1 days before the conversion weigh ⅛, ¼, ½, 1
	// before normalising (Google's example): 1/15, 2/15, 4/15, 8/15.
	conv := day(30)
	j := attribution.Journey{ID: "td", Currency: "USD", Closed: conv, Outcome: attribution.Won}
	for _, d := range []int{22, 15, 8, 1} {
		j.Touches = append(j.Touches, attribution.Touch{Channel: "a", At: conv.AddDate(0, 0, -d)})
	}
	assert.InDeltaSlice(t, []float64{1. / 15, 2. / 15, 4. / 15, 8. / 15}, weights(t, attribution.DefaultTimeDecay(), j), 1e-12)
	// A 14-day half-life halves every 14 days: 2^(-21/14), 2^(-14/14), 2^(-7/14), 1.
	w := weights(t, attribution.TimeDecay{HalfLifeDays: 14}, j)
	raw := []float64{math.Pow(2, -1.5), 0.5, math.Sqrt(0.5), 1}
	sum := raw[0] + raw[1] + raw[2] + raw[3]
	for i := range raw {
		assert.InDelta(t, raw[i]/sum, w[i], 1e-12)
	}
	// Long journeys do not underflow.
	long := attribution.Journey{ID: "long", Currency: "USD", Touches: []attribution.Touch{
		{Channel: "a", At: day(0)}, {Channel: "b", At: day(40000)},
	}}
	assert.InDeltaSlice(t, []float64{0, 1}, weights(t, attribution.DefaultTimeDecay(), long), 1e-12)

	_, err := attribution.TimeDecay{}.Weights(nil, &j)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.Error(t, attribution.TimeDecay{HalfLifeDays: -1}.Validate())
	assert.NoError(t, attribution.DefaultTimeDecay().Validate())
}

func TestShapeValidate(t *testing.T) {
	for _, m := range attribution.RuleBased() {
		if s, ok := m.(attribution.Shape); ok {
			assert.NoError(t, s.Validate(), s.Name())
		}
	}
	bad := []attribution.Shape{
		{Label: "", Positions: []attribution.PositionWeight{{Position: attribution.FirstTouch, Weight: 1}}},
		{Label: "none"},
		{Label: "sum", Positions: []attribution.PositionWeight{{Position: attribution.FirstTouch, Weight: 0.5}}},
		{Label: "neg", Positions: []attribution.PositionWeight{{Position: attribution.FirstTouch, Weight: 1.5}, {Position: attribution.LastTouch, Weight: -0.5}}},
		{Label: "dup", Positions: []attribution.PositionWeight{{Position: attribution.FirstTouch, Weight: 0.5}, {Position: attribution.FirstTouch, Weight: 0.5}}},
		{Label: "blank", Positions: []attribution.PositionWeight{{Position: " ", Weight: 1}}},
		{Label: "nan", Positions: []attribution.PositionWeight{{Position: attribution.FirstTouch, Weight: 1}}, Middle: math.NaN()},
	}
	for _, s := range bad {
		err := s.Validate()
		assert.ErrorIs(t, err, revalign.ErrInvalid, s.Label)
	}
	many := attribution.Shape{Label: "many"}
	for i := range attribution.MaxPositions + 1 {
		many.Positions = append(many.Positions, attribution.PositionWeight{Position: attribution.Position(rune('a' + i)), Weight: 1.0 / float64(attribution.MaxPositions+1)})
	}
	assert.Error(t, many.Validate())
	j := path(0, 0, "a")
	_, err := many.Weights(nil, &j)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	neg := attribution.Shape{Label: "neg", Positions: []attribution.PositionWeight{{Position: attribution.FirstTouch, Weight: -1}}}
	_, err = neg.Weights(nil, &j)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	zero := attribution.Shape{Label: "zero", Positions: []attribution.PositionWeight{{Position: attribution.FirstTouch, Weight: 0}}}
	_, err = zero.Weights(nil, &j)
	assert.ErrorIs(t, err, attribution.ErrNoCredit)
}

// The money cases every split must get right (REFERENCE §5).
func TestAllocateKnownCases(t *testing.T) {
	split := func(a, b float64) attribution.Shape {
		return attribution.Shape{Label: "split", Positions: []attribution.PositionWeight{
			{Position: attribution.FirstTouch, Weight: a}, {Position: attribution.LastTouch, Weight: b}}}
	}
	tests := []struct {
		amount, currency string
		shape            attribution.Shape
		want             []string
	}{
		{"99.99", "EUR", split(0.75, 0.25), []string{"74.99", "25"}},
		{"0.05", "USD", split(0.45, 0.55), []string{"0.02", "0.03"}},
		{"0.03", "USD", split(0.75, 0.25), []string{"0.02", "0.01"}},
		{"1000", "JPY", split(third, 2*third), []string{"333", "667"}},
		{"0.001", "KWD", split(0.5, 0.5), []string{"0.001", "0"}},                     // tie: earlier touch
		{"100", "USD", split(0.5, 0.5), []string{"50", "50"}},                         //
		{"0", "USD", split(0.5, 0.5), []string{"0", "0"}},                             //
		{"1e3", "USD", split(0.5, 0.5), []string{"500", "500"}},                       // positive exponent
		{"12345678.91", "USD", split(0.5, 0.5), []string{"6172839.46", "6172839.45"}}, // tie: earlier touch
	}
	var a attribution.Allocation
	for _, tt := range tests {
		j := path(0, 0, "a", "b")
		j.Amount, j.Currency = decimal.RequireFromString(tt.amount), tt.currency
		require.NoError(t, attribution.Allocate(&a, tt.shape, &j), tt.amount)
		got := []string{a.Credit(0).String(), a.Credit(1).String()}
		assert.Equal(t, tt.want, got, "%s %s", tt.amount, tt.currency)
	}
	// Errors: too many places, negative, too large, a bad model.
	j := path(0, 0, "a", "b")
	j.Amount = decimal.RequireFromString("1.001")
	assert.ErrorIs(t, attribution.Allocate(&a, split(0.5, 0.5), &j), revalign.ErrCurrency)
	j.Amount = decimal.RequireFromString("-1")
	assert.ErrorIs(t, attribution.Allocate(&a, split(0.5, 0.5), &j), revalign.ErrInvalid)
	j.Amount = decimal.RequireFromString("1e30")
	assert.ErrorIs(t, attribution.Allocate(&a, split(0.5, 0.5), &j), revalign.ErrCurrency)
	j.Amount = decimal.RequireFromString("10")
	assert.Error(t, attribution.Allocate(&a, badModel{}, &j))
}

type badModel struct{}

func (badModel) Name() string { return "bad" }
func (badModel) Weights(dst []float64, j *attribution.Journey) ([]float64, error) {
	return append(dst[:0], 1), nil
}

var errBoom = errors.New("boom")

type failingModel struct{}

func (failingModel) Name() string { return "failing" }
func (failingModel) Weights(dst []float64, j *attribution.Journey) ([]float64, error) {
	return dst[:0], errBoom
}

// The closed-won position exists only on a won deal: on a lost journey
// full path credits first touch, lead and opportunity creation, with the
// middle share spread over them (no touch lies strictly between the first
// touch and opportunity creation without a position) and nothing for the
// touches after the opportunity was created.
func TestFullPathOnLostJourney(t *testing.T) {
	lost := path(1, 2, "a", "b", "c", "d", "e")
	lost.Outcome = attribution.Lost
	// (0.225 + 0.1/3) ÷ (3 × 0.225 + 0.1) = ⅓ each.
	assert.InDeltaSlice(t, []float64{third, third, third, 0, 0}, weights(t, attribution.FullPath(), lost), 1e-12)
	// Won, the same touches give the closed-won touch its 22.5% and the
	// touch between opportunity creation and close the middle 10%.
	won := path(1, 2, "a", "b", "c", "d", "e")
	assert.InDeltaSlice(t, []float64{0.225, 0.225, 0.225, 0.1, 0.225}, weights(t, attribution.FullPath(), won), 1e-12)
	// An open deal has not reached close either.
	open := won
	open.Outcome, open.Closed = attribution.Open, time.Time{}
	assert.InDeltaSlice(t, []float64{third, third, third, 0, 0}, weights(t, attribution.FullPath(), open), 1e-12)
	// A custom shape weighting only closed-won has nothing to credit on a
	// lost deal.
	cw := attribution.Shape{Label: "cw", Positions: []attribution.PositionWeight{{Position: attribution.Close, Weight: 1}}}
	_, err := cw.Weights(nil, &lost)
	assert.ErrorIs(t, err, attribution.ErrNoCredit)
}

// A shape with a bad middle weight is an error naming the field, like a
// bad position weight, never ErrNoCredit: Reconcile reports it in Errors
// instead of booking every journey to Unattributed without a word.
func TestShapeBadMiddleWeight(t *testing.T) {
	j := path(0, 1, "a", "b", "c")
	for _, middle := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		s := attribution.Shape{Label: "bad", Positions: []attribution.PositionWeight{{Position: attribution.FirstTouch, Weight: 1}}, Middle: middle}
		_, err := s.Weights(nil, &j)
		assert.ErrorIs(t, err, revalign.ErrInvalid, "%v", middle)
		assert.NotErrorIs(t, err, attribution.ErrNoCredit, "%v", middle)
		assert.ErrorContains(t, err, "middle", "%v", middle)

		j.Touches = touches("paid_social", "email", "sdr_outbound")
		rep, err := attribution.Reconcile([]attribution.Journey{j}, sampleOptions(), s)
		require.NoError(t, err)
		require.Len(t, rep.Errors, 1, "%v", middle)
		assert.Equal(t, "opp-1", rep.Errors[0].ID)
		assert.ErrorContains(t, rep.Errors[0], "model bad")
	}
}
