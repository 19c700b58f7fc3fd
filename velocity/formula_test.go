package velocity

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/config"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// base is 100 opportunities × 10,000 × 25% ÷ 50 days = 5,000 a day.
var base = Inputs{Opportunities: 100, DealSize: dec("10000"), WinRate: 0.25, CycleDays: 50}

func TestVelocity(t *testing.T) {
	cases := []struct {
		name string
		in   Inputs
		want string // computed by hand
	}{
		{"base", base, "5000"},
		{"SMB", Inputs{Opportunities: 120, DealSize: dec("15000"), WinRate: 0.30, CycleDays: 30}, "18000"},
		{"ENT", Inputs{Opportunities: 40, DealSize: dec("150000"), WinRate: 0.15, CycleDays: 120}, "7500"},
		{"thirds", Inputs{Opportunities: 1, DealSize: dec("100"), WinRate: 1, CycleDays: 3}, "33.333333"},
		{"no pipeline", Inputs{DealSize: dec("100"), WinRate: 0.5, CycleDays: 10}, "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.in.Velocity()
			require.NoError(t, err)
			assert.True(t, dec(c.want).Equal(got), "Velocity() = %s, want %s", got, c.want)
		})
	}
}

func TestRevenueDividesByCycle(t *testing.T) {
	// A quarter of 92 days at 5,000 a day is 460,000; the bug that
	// multiplies by L would give 5,000 × 50 × 50 × …
	got, err := base.Revenue(92)
	require.NoError(t, err)
	assert.Equal(t, "460000", got.String())
	_, err = base.Revenue(-1)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = base.Revenue(math.Inf(1))
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestInputsValidate(t *testing.T) {
	cases := []struct {
		name string
		mut  func(*Inputs)
		path string
	}{
		{"zero cycle", func(in *Inputs) { in.CycleDays = 0 }, "cycle_days"},
		{"negative cycle", func(in *Inputs) { in.CycleDays = -3 }, "cycle_days"},
		{"infinite cycle", func(in *Inputs) { in.CycleDays = math.Inf(1) }, "cycle_days"},
		{"win rate above 1", func(in *Inputs) { in.WinRate = 1.2 }, "win_rate"},
		{"NaN win rate", func(in *Inputs) { in.WinRate = math.NaN() }, "win_rate"},
		{"negative opportunities", func(in *Inputs) { in.Opportunities = -1 }, "opportunities"},
		{"negative deal size", func(in *Inputs) { in.DealSize = dec("-1") }, "deal_size"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := base
			c.mut(&in)
			_, err := in.Velocity()
			require.ErrorIs(t, err, revalign.ErrInvalid)
			var fe *revalign.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, c.path, fe.Path)
		})
	}
	assert.Error(t, Inputs{}.Validate(), "the zero value has no cycle")
}

func TestApplyExactRatios(t *testing.T) {
	cases := []struct {
		name  string
		moves []Move
		ratio float64 // by hand
	}{
		{"10% shorter cycle is +11.1%", []Move{{Lever: CycleLength, Relative: -0.10}}, 1 / 0.9},
		{"+10% win rate and −10% cycle is +22.2%", []Move{{Lever: WinRate, Relative: 0.10}, {Lever: CycleLength, Relative: -0.10}}, 1.1 / 0.9},
		{"+10% on N, S and W", []Move{{Lever: Opportunities, Relative: 0.1}, {Lever: DealSize, Relative: 0.1}, {Lever: WinRate, Relative: 0.1}}, 1.331},
		{"+3 win-rate points", []Move{{Lever: WinRate, Absolute: dec("0.03")}}, 0.28 / 0.25},
		{"+5,000 deal size", []Move{{Lever: DealSize, Absolute: dec("5000")}}, 1.5},
		{"+10 days of cycle", []Move{{Lever: CycleLength, Absolute: dec("10")}}, 50.0 / 60},
		{"two moves on one lever compound", []Move{{Lever: Opportunities, Relative: 0.1}, {Lever: Opportunities, Relative: 0.1}}, 1.21},
		{"no move", nil, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := base.Apply(c.moves...)
			require.NoError(t, err)
			assert.InDelta(t, c.ratio, o.Ratio, 1e-12)
			assert.InDelta(t, c.ratio-1, o.Change, 1e-12)
			// Independent check: the ratio of the two velocities.
			want := 5000 * c.ratio
			assert.InDelta(t, want, o.VelocityAfter.InexactFloat64(), 1e-5)
			prod := 1.0
			for _, e := range o.Effects {
				prod *= e.Factor
			}
			assert.InDelta(t, o.Ratio, prod, 1e-12)
		})
	}
}

func TestApplyErrors(t *testing.T) {
	_, err := base.Apply(Move{Lever: WinRate, Relative: 0.1, Absolute: dec("0.01")})
	assert.ErrorIs(t, err, revalign.ErrInvalid, "relative and absolute together")
	_, err = base.Apply(Move{Lever: WinRate, Relative: 4})
	assert.ErrorIs(t, err, revalign.ErrInvalid, "win rate 1.25")
	_, err = base.Apply(Move{Lever: CycleLength, Absolute: dec("-50")})
	assert.ErrorIs(t, err, revalign.ErrInvalid, "cycle of 0 days")
	_, err = base.Apply(Move{Lever: CycleLength, Relative: -1})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = base.Apply(Move{Lever: Lever(9), Relative: 0.1})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	zero := base
	zero.Opportunities = 0
	_, err = zero.Apply(Move{Lever: Opportunities, Absolute: dec("10")})
	assert.ErrorIs(t, err, ErrZeroVelocity)
	_, err = Inputs{}.Apply()
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestRatio(t *testing.T) {
	after := Inputs{Opportunities: 110, DealSize: dec("9000"), WinRate: 0.3, CycleDays: 40}
	r, err := Ratio(base, after)
	require.NoError(t, err)
	v1, _ := after.Velocity()
	assert.InDelta(t, v1.InexactFloat64()/5000, r, 1e-12)
	_, err = Ratio(base, Inputs{})
	assert.Error(t, err)
}

func TestLeverText(t *testing.T) {
	for _, l := range AllLevers() {
		b, err := l.MarshalText()
		require.NoError(t, err)
		var got Lever
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, l, got)
		assert.Equal(t, string(b), l.String())
	}
	assert.Equal(t, []float64{1, 1, 1, -1}, []float64{Opportunities.Elasticity(), DealSize.Elasticity(), WinRate.Elasticity(), CycleLength.Elasticity()})
	assert.Zero(t, Lever(0).Elasticity())
	l, err := ParseLever(" Cycle ")
	require.NoError(t, err)
	assert.Equal(t, CycleLength, l)
	_, err = ParseLever("quality")
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, err = Lever(0).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "Lever(7)", Lever(7).String())
	var bad Lever
	assert.Error(t, json.Unmarshal([]byte(`"speed"`), &bad))
}

func TestOwners(t *testing.T) {
	o := DefaultOwners()
	require.NoError(t, o.Validate())
	assert.Equal(t, revalign.Marketing, o.Of(Opportunities).Owner.Team)
	assert.Equal(t, revalign.Marketing, o.Of(DealSize).Owner.Team)
	assert.Equal(t, revalign.Sales, o.Of(WinRate).Owner.Team)
	assert.Equal(t, revalign.Sales, o.Of(CycleLength).Owner.Team)
	assert.Len(t, o.Quality.Supporting, 2, "quality is joint")
	assert.True(t, o.Of(Lever(0)).Owner.IsZero())

	o.WinRate.Owner = revalign.Owner{}
	o.CycleLength.Supporting = []revalign.Owner{o.CycleLength.Owner}
	err := o.Validate()
	require.ErrorIs(t, err, revalign.ErrInvalid)
	assert.Contains(t, err.Error(), "velocity: win_rate.owner.name: owner needs a name")
	assert.Contains(t, err.Error(), "cycle_length.supporting[0]")
}

func TestOwnersLoadFromYAML(t *testing.T) {
	yaml := `
opportunities: {owner: {name: Dana Reyes, team: marketing}}
deal_size: {owner: {name: Dana Reyes, team: marketing}, supporting: [{name: Sam Ortiz, team: sales}]}
win_rate: {owner: {name: Sam Ortiz, team: sales}}
cycle_length: {owner: {name: Sam Ortiz, team: sales}}
quality: {owner: {name: Kim Lee, team: executive}}
`
	var o Owners
	require.NoError(t, config.Unmarshal([]byte(yaml), &o))
	assert.Equal(t, "Dana Reyes", o.Opportunities.Owner.Name)
	assert.Equal(t, revalign.Sales, o.DealSize.Supporting[0].Team)

	err := config.Unmarshal([]byte("opportunities: {owner: {name: Dana, team: marketing}}\nwin_rat: {}\n"), &o)
	assert.Error(t, err, "unknown field")
	var partial Owners
	err = config.Unmarshal([]byte("opportunities: {owner: {name: Dana, team: marketing}}\n"), &partial)
	assert.True(t, errors.Is(err, revalign.ErrInvalid), "missing owners fail Validate: %v", err)
}

func TestInputsJSON(t *testing.T) {
	b, err := json.Marshal(base)
	require.NoError(t, err)
	assert.JSONEq(t, `{"opportunities":100,"deal_size":"10000","win_rate":0.25,"cycle_days":50}`, string(b))
	var got Inputs
	require.NoError(t, config.Unmarshal(b, &got))
	assert.True(t, got.DealSize.Equal(base.DealSize))
}
