package bowtie_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/bowtie"
	"github.com/revalign/revalign/config"
)

var usd = revalign.Rates{Base: "USD", Rates: map[string]decimal.Decimal{"EUR": decimal.RequireFromString("1.10")}}

// snap is a snapshot of an account with users active on seats licensed
// seats (the plan's limit).
func snap(acct string, at time.Time, users, seats int) bowtie.Snapshot {
	return bowtie.Snapshot{Account: acct, At: at, ActiveUsers: users, Seats: seats, SeatLimit: seats, HealthScore: 80,
		ARR: dec("1000"), Currency: "USD"}
}

func seatRule() bowtie.Rules {
	return bowtie.Rules{{Name: "seat-limit", When: []bowtie.Condition{{Signal: bowtie.SeatUtilization, Op: bowtie.AtLeast, Value: 1}},
		Play: bowtie.PlayExpansion, Owner: cs, Action: "offer more seats"}}
}

func TestTriggerHoldingTenDaysFiresOnce(t *testing.T) {
	var snaps []bowtie.Snapshot
	// Days 1–3 under the limit, days 4–13 at it (10 days), day 14 under,
	// days 15–16 at it again: two episodes, two triggers.
	for d := 1; d <= 16; d++ {
		users := 9
		if (d >= 4 && d <= 13) || d >= 15 {
			users = 10
		}
		snaps = append(snaps, snap("acme", day(2026, 3, d), users, 10))
	}
	got, errs, err := seatRule().Evaluate(snaps, usd)
	require.NoError(t, err)
	assert.Empty(t, errs)
	require.Len(t, got, 2)
	first, second := got[0], got[1]
	assert.Equal(t, day(2026, 3, 4), first.At)
	assert.Equal(t, day(2026, 3, 13), first.LastSeen)
	assert.Equal(t, day(2026, 3, 14), first.Until)
	assert.False(t, first.Open)
	assert.Equal(t, day(2026, 3, 15), second.At)
	assert.True(t, second.Open)
	assert.True(t, second.Until.IsZero())
	assert.Equal(t, day(2026, 3, 16), second.LastSeen)
	assert.Equal(t, bowtie.PlayExpansion, first.Play)
	assert.Equal(t, cs, first.Owner)
	assert.Equal(t, []bowtie.SignalValue{{Signal: bowtie.SeatUtilization, Value: 1}}, first.Signals)
}

func TestTriggerTenDaysOnlyFiresOnceInAnyInputOrder(t *testing.T) {
	var snaps []bowtie.Snapshot
	for d := 10; d >= 1; d-- { // reversed input
		snaps = append(snaps, snap("acme", day(2026, 3, d), 12, 10))
	}
	got, _, err := seatRule().Evaluate(snaps, usd)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, day(2026, 3, 1), got[0].At)
	assert.True(t, got[0].Open)
}

func TestTriggersOrderedByARRAtStake(t *testing.T) {
	a := snap("small", day(2026, 1, 1), 10, 10)
	b := snap("big", day(2026, 1, 2), 10, 10)
	b.ARR, b.Currency = dec("2000"), "EUR" // 2200 USD
	c := snap("mid", day(2026, 1, 3), 10, 10)
	c.ARR = dec("2100")
	got, _, err := seatRule().Evaluate([]bowtie.Snapshot{a, b, c}, usd)
	require.NoError(t, err)
	var order []string
	for _, tr := range got {
		order = append(order, tr.Account+" "+tr.ARRAtStake.String())
	}
	assert.Equal(t, []string{"big 2200", "mid 2100", "small 1000"}, order)
}

func TestDefaultRulesSignals(t *testing.T) {
	rules := bowtie.DefaultRules()
	require.NoError(t, rules.Validate())
	base := bowtie.Snapshot{Account: "acme", ActiveUsers: 40, Seats: 60, SeatLimit: 60, HealthScore: 80,
		ARR: dec("5000"), Currency: "USD", RenewalDate: day(2026, 12, 31)}
	at := func(s bowtie.Snapshot, t time.Time) bowtie.Snapshot { s.At = t; return s }
	jan := at(base, day(2026, 1, 1))
	feb := at(base, day(2026, 2, 1)) // 31 days later: too soon for a 90-day lookback
	apr := at(base, day(2026, 4, 15))
	apr.ActiveUsers = 50 // +25% on January (105 days back)
	apr.HealthScore = 64 // −16 points
	oct := at(base, day(2026, 10, 5))
	oct.ChampionLeft = true // and 87 days to renewal
	oct.HealthScore = 64
	oct.ActiveUsers = 50
	got, errs, err := rules.Evaluate([]bowtie.Snapshot{jan, feb, apr, oct}, usd)
	require.NoError(t, err)
	assert.Empty(t, errs)
	fired := map[string]time.Time{}
	for _, tr := range got {
		fired[tr.Rule] = tr.At
	}
	assert.Equal(t, map[string]time.Time{
		"usage-growth":  day(2026, 4, 15),
		"health-drop":   day(2026, 4, 15),
		"renewal-due":   day(2026, 10, 5),
		"champion-left": day(2026, 10, 5),
	}, fired)
	for _, tr := range got {
		switch tr.Rule {
		case "usage-growth":
			assert.Equal(t, []bowtie.SignalValue{{Signal: bowtie.UsageGrowth, Value: 0.25}}, tr.Signals)
			assert.Equal(t, bowtie.PlayExpansion, tr.Play)
		case "health-drop":
			assert.Equal(t, []bowtie.SignalValue{{Signal: bowtie.HealthChange, Value: -16}}, tr.Signals)
			assert.Equal(t, bowtie.PlaySave, tr.Play)
		case "renewal-due":
			assert.Equal(t, []bowtie.SignalValue{{Signal: bowtie.DaysToRenewal, Value: 87}}, tr.Signals)
			assert.Equal(t, bowtie.PlayRenewal, tr.Play)
		}
	}
}

func TestSeatAndPlanUtilization(t *testing.T) {
	rules := bowtie.DefaultRules()
	tests := []struct {
		name                    string
		users, seats, planLimit int
		want                    []string
	}{
		{"room on seats and plan", 40, 50, 100, nil},
		{"every seat in use", 50, 50, 100, []string{"seat-limit"}},
		{"plan limit, seats 90% used", 45, 50, 50, []string{"plan-limit"}},
		{"plan limit, seats idle", 20, 50, 50, nil},
		{"no seat count: the plan limit is the seats", 50, 0, 50, []string{"seat-limit"}},
	}
	for _, tt := range tests {
		s := bowtie.Snapshot{Account: "a", At: day(2026, 1, 1), ActiveUsers: tt.users, Seats: tt.seats, SeatLimit: tt.planLimit}
		got, _, err := rules.Evaluate([]bowtie.Snapshot{s}, usd)
		require.NoError(t, err)
		var names []string
		for _, tr := range got {
			names = append(names, tr.Rule)
		}
		assert.Equal(t, tt.want, names, tt.name)
	}
}

func TestTriggerUnknownSignalsDoNotHold(t *testing.T) {
	s := bowtie.Snapshot{Account: "a", At: day(2026, 1, 1)} // no seat limit, no renewal date, no history
	got, errs, err := bowtie.DefaultRules().Evaluate([]bowtie.Snapshot{s}, usd)
	require.NoError(t, err)
	assert.Empty(t, errs, "zero ARR needs no currency")
	assert.Empty(t, got)
}

func TestTriggerRecordErrors(t *testing.T) {
	good := snap("ok", day(2026, 1, 1), 10, 10)
	bad := []bowtie.Snapshot{
		{At: day(2026, 1, 1)},
		{Account: "t"},
		{Account: "n", At: day(2026, 1, 1), Seats: -1},
		{Account: "j", At: day(2026, 1, 1), ARR: dec("100"), Currency: "JPY"},
		{Account: "nocur", At: day(2026, 1, 1), ARR: dec("100")},
	}
	got, errs, err := seatRule().Evaluate(append(bad, good), usd)
	require.NoError(t, err)
	assert.Len(t, got, 1)
	var ids []string
	for _, e := range errs {
		ids = append(ids, e.ID)
	}
	assert.Equal(t, []string{"record 0", "t", "n", "j", "nocur"}, ids)
}

func TestRulesValidate(t *testing.T) {
	r := bowtie.DefaultRules()[:5] // usage-growth, seat-limit, plan-limit, renewal-due, health-drop
	r[1].Name = r[0].Name
	r[2].When = nil
	r[3].Play = 0
	r[3].Owner.Team = ""
	r[4].LookbackDays = 0
	r = append(r, bowtie.Rule{Name: "bad", When: []bowtie.Condition{{Signal: 99, Op: 0, Value: 1}}, Play: bowtie.PlaySave, Owner: cs})
	assert.Equal(t, []string{
		"rules[1].name", "rules[2].when", "rules[3].play", "rules[3].owner.team", "rules[4].lookback_days",
		"rules[5].when[0].signal", "rules[5].when[0].op",
	}, fieldPaths(t, r.Validate()))

	_, _, err := r.Evaluate(nil, usd)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	_, _, err = seatRule().Evaluate(nil, revalign.Rates{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestRulesLoadFromYAML(t *testing.T) {
	y := `
- name: at-limit-and-healthy
  when:
    - {signal: seat_utilization, op: at_least, value: 0.9}
    - {signal: health_score, op: at_least, value: 70}
  play: expansion
  owner: {name: Cleo, team: customer-success}
  action: offer the next plan
`
	var r bowtie.Rules
	require.NoError(t, config.Unmarshal([]byte(y), &r))
	assert.Equal(t, bowtie.AtLeast, r[0].When[1].Op)
	y2 := `[{name: x, when: [{signal: seat_utilization, op: ">", value: 1}], play: save, owner: {name: a, team: sales}}]`
	assert.Error(t, config.Unmarshal([]byte(y2), &r))
}

func FuzzRules(f *testing.F) {
	b, _ := json.Marshal(bowtie.DefaultRules())
	f.Add(b, 10, 10, 80.0)
	f.Add([]byte(`[{"name":"x","when":[{"signal":"active_users","op":"at_most","value":0}],"play":"save","owner":{"name":"a","team":"sales"}}]`), 0, 0, -1.0)
	f.Fuzz(func(t *testing.T, data []byte, seats, limit int, health float64) {
		var r bowtie.Rules
		if json.Unmarshal(data, &r) != nil {
			t.Skip("not JSON for Rules: the decoder rejects it")
		}
		snaps := []bowtie.Snapshot{
			{Account: "a", At: day(2026, 1, 1), Seats: seats, SeatLimit: limit, HealthScore: health},
			{Account: "a", At: day(2026, 6, 1), Seats: seats + 1, SeatLimit: limit, HealthScore: health - 20, ActiveUsers: 3},
		}
		got, errs, err := r.Evaluate(snaps, usd)
		if err != nil {
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			return
		}
		// At most one trigger per rule per snapshot, never more.
		assert.LessOrEqual(t, len(got), len(r)*(len(snaps)-len(errs)))
	})
}
