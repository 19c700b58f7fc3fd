package demandstate_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
	ds "github.com/revalign/revalign/demandstate"
)

func TestValueJSONKeepsType(t *testing.T) {
	at := time.Date(2026, 3, 4, 9, 15, 0, 123456789, time.FixedZone("EST", -5*3600))
	cases := []struct {
		v    ds.Value
		json string
	}{
		{ds.Number(-1.25), `-1.25`},
		{ds.Text("2026-03-04T14:15:00Z"), `"2026-03-04T14:15:00Z"`}, // text that looks like a time stays text
		{ds.Bool(true), `true`},
		{ds.Time(at), `{"time":"2026-03-04T14:15:00.123456789Z"}`},
		{ds.Value{}, `null`},
	}
	for _, c := range cases {
		b, err := json.Marshal(c.v)
		require.NoError(t, err)
		assert.Equal(t, c.json, string(b))
		var back ds.Value
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, c.v, back, c.json)
		assert.Equal(t, c.v.Type(), back.Type(), c.json)
	}
	// Any RFC 3339 offset reads back as the same instant.
	var v ds.Value
	require.NoError(t, json.Unmarshal([]byte(` { "time" : "2026-03-04T09:15:00-05:00" } `), &v))
	tm, ok := v.Time()
	require.True(t, ok)
	assert.True(t, tm.Equal(time.Date(2026, 3, 4, 14, 15, 0, 0, time.UTC)))

	for _, bad := range []string{`{"time":"yesterday"}`, `{"time":1}`, `{"when":"2026-03-04T09:15:00Z"}`, `{}`, `{"time":"2026-03-04T09:15:00Z","x":1}`, `[1]`} {
		var v ds.Value
		err := json.Unmarshal([]byte(bad), &v)
		assert.Error(t, err, bad)
	}
	var v2 ds.Value
	err := json.Unmarshal([]byte(`{"time":"03/04/2026"}`), &v2)
	var fe *revalign.FieldError
	require.True(t, errors.As(err, &fe), "%v", err)
	assert.Equal(t, "value.time", fe.Path)
}

// A decision-ready record stored as JSON and read back is still
// decision-ready: its times come back as times, not as text that no
// longer fits the model's signals.
func TestRecordJSONRoundTripRoutes(t *testing.T) {
	m := ds.DefaultModel()
	cl, err := ds.NewClassifier(m)
	require.NoError(t, err)
	d, err := ds.NewDispatcher(cl, ds.DefaultRouter())
	require.NoError(t, err)
	rec, err := m.Record("L-1", map[string]ds.Value{
		ds.SignalCustomer:  ds.Bool(false),
		ds.SignalEngagedAt: ds.Time(daysAgo(2)),
		ds.SignalPricingAt: ds.Time(daysAgo(2)),
	})
	require.NoError(t, err)
	before := d.Route(rec, asOf)
	require.Equal(t, ds.SalesConversation, before.Action)

	b, err := json.Marshal(rec)
	require.NoError(t, err)
	var back ds.Record
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, rec, back)
	after := d.Route(back, asOf)
	assert.Equal(t, before, after)
	assert.Equal(t, ds.ByRule, after.Reason, after.Why())
}

// FuzzValueJSON decodes arbitrary JSON into a Value: never a panic, and a
// value that decodes encodes and decodes again to itself, with its type.
func FuzzValueJSON(f *testing.F) {
	for _, s := range []string{`3`, `"x"`, `true`, `null`, `{"time":"2026-03-04T14:15:00Z"}`, `{"time":"9999-12-31T00:00:00Z"}`, `{"time":""}`, `1e400`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v ds.Value
		if json.Unmarshal(data, &v) != nil {
			return
		}
		b, err := json.Marshal(v)
		require.NoError(t, err)
		var back ds.Value
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		require.Equal(t, v, back, string(b))
	})
}

func TestTimeOutOfRange(t *testing.T) {
	lo, hi := time.Unix(0, math.MinInt64).UTC(), time.Unix(0, math.MaxInt64).UTC()
	for _, tm := range []time.Time{lo, hi, time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)} {
		back, ok := ds.Time(tm).Time()
		require.True(t, ok, tm)
		assert.True(t, back.Equal(tm), "%v kept to the nanosecond, got %v", tm, back)
	}
	// Outside 1677-09-21..2262-04-11 a time cannot be kept to the
	// nanosecond; 9999-12-31 is how CRM exports write "never". It is
	// missing, never wrapped round to another century.
	for _, tm := range []time.Time{
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC),
		hi.Add(time.Nanosecond), lo.Add(-time.Nanosecond),
	} {
		v := ds.Time(tm)
		assert.True(t, v.IsMissing(), "%v became %v", tm, v)
	}
	var v ds.Value
	require.NoError(t, json.Unmarshal([]byte(`{"time":"9999-12-31T00:00:00Z"}`), &v))
	assert.True(t, v.IsMissing())

	// A lead whose last engagement and demo request are "never" has not
	// engaged: it is unaware. (Wrapped round to 1816, the engagement made
	// it problem-aware.)
	m := ds.DefaultModel()
	cl, err := ds.NewClassifier(m)
	require.NoError(t, err)
	never := ds.Time(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	rec, err := m.Record("L-9", map[string]ds.Value{ds.SignalCustomer: ds.Bool(false), ds.SignalEngagedAt: never, ds.SignalDemoAt: never})
	require.NoError(t, err)
	state, err := cl.Classify(rec, asOf)
	require.NoError(t, err)
	assert.Equal(t, ds.Unaware, state)
}
