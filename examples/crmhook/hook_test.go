package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/examples/internal/fieldstone"
)

// friday is the instant of the sample request: Friday 27 November 2026,
// 16:30 in Chicago, half an hour before the lead's business day ends.
var friday = time.Date(2026, 11, 27, 16, 30, 0, 0, chicago())

func chicago() *time.Location {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		panic(err)
	}
	return loc
}

func testHandler(t testing.TB, now time.Time, maxBody int64) *Handler {
	t.Helper()
	var cfg Config
	var err error
	cfg.ICP, err = fieldstone.RecalibratedICPModel()
	require.NoError(t, err)
	cfg.Pact, err = fieldstone.Pact()
	require.NoError(t, err)
	cfg.States, err = fieldstone.DemandStateModel()
	require.NoError(t, err)
	cfg.Router, err = fieldstone.Router()
	require.NoError(t, err)
	cfg.Rates, err = fieldstone.Rates()
	require.NoError(t, err)
	cfg.MaxBody = maxBody
	h, err := NewHandler(cfg, func() time.Time { return now })
	require.NoError(t, err)
	return h
}

func sampleBody(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/lead.json")
	require.NoError(t, err)
	return b
}

// post sends body to the handler and returns the status and the decoded
// answer.
func post(t *testing.T, h http.Handler, body []byte) (int, Response, errorBody) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/leads", bytes.NewReader(body)))
	assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
	var resp Response
	var e errorBody
	if rec.Code == http.StatusOK {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	} else {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
	}
	return rec.Code, resp, e
}

// TestGoodLead checks every field written back against values worked out
// by hand from the request and the sample's configuration files.
func TestGoodLead(t *testing.T) {
	code, r, _ := post(t, testHandler(t, friday, 0), sampleBody(t))
	require.Equal(t, http.StatusOK, code)

	assert.Equal(t, "L-20931", r.LeadID)
	assert.True(t, r.DecidedAt.Equal(friday))
	assert.Equal(t, "Fieldstone MQL score 2026.4", r.ICPModel)

	// icp-2026.4.yaml: Logistics +15, 1,200 employees +30, $180M revenue
	// +1, director +8; Workday +21.
	assert.Equal(t, 75.0, r.ICPFit)
	// Behaviour: each event's points halve every 30 days, each signal
	// capped in absolute value.
	ev := func(points float64, at string) float64 {
		ts, err := time.Parse(time.RFC3339, at)
		require.NoError(t, err)
		return points * math.Pow(2, -friday.Sub(ts).Hours()/24/30)
	}
	// Each signal's points are capped, then kept to a hundredth.
	capped := func(x, c float64) float64 { return math.Round(max(-c, min(c, x))*100) / 100 }
	engagement := capped(ev(-1, "2026-11-10T14:20:00-06:00"), 3) + // content download
		capped(ev(1, "2026-11-17T11:00:00-06:00"), 3) + // webinar
		capped(ev(3, "2026-11-19T00:00:00Z"), 9) + // intent
		capped(ev(1, "2026-11-20T10:05:00-06:00"), 5) + // web visit
		capped(ev(6, "2026-11-24T09:40:00-06:00")+ev(6, "2026-11-25T15:10:00-06:00"), 12) + // pricing page ×2
		capped(ev(8, "2026-11-25T15:14:00-06:00"), 8) // demo request
	assert.InDelta(t, engagement, r.ICPEngagement, 1e-9)
	assert.InDelta(t, 75+engagement, r.ICPScore, 1e-9)
	assert.Equal(t, "A", r.ICPTier, "total ≥ 70")
	assert.Equal(t, "A1", r.ICPGridCell, "fit ≥ 70, engagement ≥ 10")
	assert.Empty(t, r.DisqualifiedBy)
	assert.Len(t, r.ICPExplanation, 5+6)
	assert.Contains(t, r.ICPExplanation, "firmographic employees_200_5000 matched +30")

	// The pact's test: fit 75 ≥ 40; marketing's points over the last 30
	// days 10 + 15 + 5 + 2 + 10 + 10 + 30 = 82 ≥ 30; a demo request two
	// days ago; no disqualifier.
	assert.True(t, r.MQL)
	assert.Empty(t, r.MQLReasons)
	assert.Equal(t, 82.0, r.MQLEngagement)

	// A pricing page and a demo request this week: decision-ready, a sales
	// conversation with the state's owner.
	assert.Equal(t, "decision-ready", r.DemandState)
	assert.Equal(t, "sales_conversation", r.NextAction)
	assert.Equal(t, "Daniel Ortega", r.Owner.Name)
	assert.Equal(t, "sales", string(r.Owner.Team))
	assert.Contains(t, r.RoutedBy, "decision-ready")

	// One business hour from Friday 16:30: 30 minutes before the close,
	// 30 after Monday's opening.
	require.NotNil(t, r.FirstTouchDue)
	assert.Equal(t, "2026-11-30T09:30:00-06:00", r.FirstTouchDue.Format(time.RFC3339))
	assert.Equal(t, 1.0, r.FirstTouchHours)
	assert.Equal(t, "America/Chicago", r.BusinessHoursZone)
	assert.Equal(t, "NA", r.BusinessHoursRegion)
}

// The due-by time follows the lead's region's holidays and its own zone.
func TestFirstTouchDueOnHolidays(t *testing.T) {
	body := sampleBody(t)
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	for _, c := range []struct {
		name         string
		now          time.Time
		zone, region string
		due          string
	}{
		// Thanksgiving, Thursday 26 November: the clock starts Friday 09:00.
		{"thanksgiving", time.Date(2026, 11, 26, 9, 0, 0, 0, chicago()), "America/Chicago", "NA", "2026-11-27T10:00:00-06:00"},
		// Christmas on Friday, Boxing Day on Saturday observed on Monday 28
		// (EMEA's next_weekday rule): the clock starts Tuesday 29.
		{"christmas", time.Date(2026, 12, 25, 10, 0, 0, 0, london), "Europe/London", "EMEA", "2026-12-29T10:00:00Z"},
		// The same instant in New York, with NA's holidays: Christmas is
		// Friday, Monday 28 is a working day.
		{"christmas in NA", time.Date(2026, 12, 25, 10, 0, 0, 0, london), "America/New_York", "NA", "2026-12-28T10:00:00-05:00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := bytes.Replace(body, []byte(`"America/Chicago"`), []byte(`"`+c.zone+`"`), 1)
			b = bytes.Replace(b, []byte(`"region": "NA"`), []byte(`"region": "`+c.region+`"`), 1)
			code, r, e := post(t, testHandler(t, c.now, 0), b)
			require.Equal(t, http.StatusOK, code, e.Error)
			require.True(t, r.MQL, r.MQLReasons)
			require.NotNil(t, r.FirstTouchDue)
			assert.Equal(t, c.due, r.FirstTouchDue.Format(time.RFC3339))
		})
	}
}

// A lead the pact's test turns down: every reason, no SLA clock.
func TestNotAnMQL(t *testing.T) {
	b := bytes.Replace(sampleBody(t), []byte("northwindfreight.com"), []byte("shiftly.io"), 1) // a competitor
	b = bytes.Replace(b, []byte(`"seniority": "director"`), []byte(`"seniority": "manager"`), 1)
	code, r, _ := post(t, testHandler(t, friday.AddDate(0, 0, 40), 0), b) // 40 days later: the activity has aged
	require.Equal(t, http.StatusOK, code)
	assert.False(t, r.MQL)
	assert.Equal(t, "DQ", r.ICPTier)
	assert.Equal(t, "competitor", r.DisqualifiedBy)
	assert.Equal(t, []string{"last intent signal 42 days ago > 30", "engagement 0 < 30", "disqualified: competitor"}, r.MQLReasons)
	assert.Nil(t, r.FirstTouchDue)
	assert.Empty(t, r.BusinessHoursZone)
}

func TestBadRequests(t *testing.T) {
	good := string(sampleBody(t))
	edit := func(old, new string) string {
		require.Contains(t, good, old)
		return strings.Replace(good, old, new, 1)
	}
	for _, c := range []struct {
		name, body string
		field      string // "" for the body as a whole
		error      string
	}{
		{"empty", "", "", "empty body"},
		{"malformed", `{"lead": {"lead_id": "L1"`, "", "malformed JSON"},
		{"syntax", `{"lead": {"lead_id": L1}}`, "", "malformed JSON at byte 22: invalid character 'L'"}, // the 22nd byte is the L,
		{"two documents", `{"lead": {}} {}`, "", "malformed JSON"},
		{"not an object", `[]`, "", "want an object, got a list"},
		{"number as text", edit(`"employee_count": 1200`, `"employee_count": "1200"`), "account.employee_count", `want a whole number, got text "1200"`},
		{"bool as text", edit(`"is_customer": false`, `"is_customer": "no"`), "account.is_customer", "want true or false"},
		{"list as text", edit(`["Workday", "Slack"]`, `"Workday"`), "account.technographics", "want a list of text"},
		{"bad timestamp", edit(`"created_at": "2026-11-10T14:20:00-06:00"`, `"created_at": "10/11/2026"`), "lead.created_at", "want a timestamp"},
		{"timestamp as number", edit(`"occurred_at": "2026-11-17T11:00:00-06:00"`, `"occurred_at": 1763398800`), "events[1].occurred_at", "want a timestamp"},
		{"bad amount", edit(`"180000000"`, `"lots"`), "account.annual_revenue", "want an amount"},
		{"events not a list", `{"lead": {"lead_id": "L1"}, "events": {}}`, "events", "want a list, got an object"},
		{"unknown field", edit(`"lead_id": "L-20931"`, `"lead_idd": "L-20931"`), "lead.lead_idd", "unknown field"},
		{"unknown field in a list", edit(`"detail": "C0042"`, `"details": "C0042"`), "events[0].details", "unknown field"},
		{"unknown top-level field", `{"lead": {"lead_id": "L1"}, "score": 99}`, "score", "unknown field"},
		{"no lead id", edit(`"lead_id": "L-20931"`, `"lead_id": ""`), "lead.lead_id", "required"},
		{"no time zone", edit(`"time_zone": "America/Chicago"`, `"time_zone": ""`), "lead.time_zone", "required"},
		{"unknown time zone", edit(`"America/Chicago"`, `"Mars/Olympus_Mons"`), "lead.time_zone", `unknown IANA time zone "Mars/Olympus_Mons"`},
		{"server's zone", edit(`"America/Chicago"`, `"Local"`), "lead.time_zone", "unknown IANA time zone"},
		{"unknown region", edit(`"region": "NA"`, `"region": "North America"`), "lead.region", `one of the pact's regions (APAC, EMEA, LATAM, NA), got "North America"`},
		{"MQL in the future", edit(`"created_at"`, `"mql_at": "2026-12-01T09:00:00-06:00", "created_at"`), "lead.mql_at", "after the current time"},
		{"negative employees", edit(`"employee_count": 1200`, `"employee_count": -5`), "account.employee_count", "must be >= 0"},
		{"no currency", edit(`"currency": "USD"`, `"currency": ""`), "account.currency", "required with annual_revenue"},
		{"currency without a rate", edit(`"currency": "USD"`, `"currency": "JPY"`), "account.currency", `no exchange rate from "JPY" to USD`},
		{"event without a type", edit(`"event_type": "webinar", `, ``), "events[1].event_type", "required"},
		{"event without a time", edit(`, "occurred_at": "2026-11-17T11:00:00-06:00"`, ``), "events[1].occurred_at", "required"},
		{"another lead's event", edit(`{"event_type": "webinar"`, `{"lead_id": "L-1", "event_type": "webinar"`), "events[1].lead_id", `another lead than "L-20931"`},
		{"touch without a channel", edit(`"channel": "email", `, ``), "touches[0].channel", "required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, e := post(t, testHandler(t, friday, 0), []byte(c.body))
			assert.Equal(t, http.StatusBadRequest, code)
			assert.Equal(t, c.field, e.Field)
			assert.Contains(t, e.Error, c.error)
			if c.field != "" {
				assert.True(t, strings.HasPrefix(e.Error, c.field+": "), e.Error)
			}
		})
	}
}

func TestOversizedBody(t *testing.T) {
	body := sampleBody(t)
	code, _, e := post(t, testHandler(t, friday, int64(len(body)-1)), body)
	assert.Equal(t, http.StatusRequestEntityTooLarge, code)
	assert.Equal(t, fmt.Sprintf("body larger than %d bytes", len(body)-1), e.Error)

	huge := append([]byte(`{"lead": {"lead_id": "`), bytes.Repeat([]byte("x"), DefaultMaxBody)...)
	code, _, e = post(t, testHandler(t, friday, 0), append(huge, `"}}`...))
	assert.Equal(t, http.StatusRequestEntityTooLarge, code)
	assert.Contains(t, e.Error, "body larger than 262144 bytes")
}

func TestWrongMethod(t *testing.T) {
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		rec := httptest.NewRecorder()
		testHandler(t, friday, 0).ServeHTTP(rec, httptest.NewRequest(m, "/leads", nil))
		assert.Equal(t, http.StatusMethodNotAllowed, rec.Code, m)
		assert.Equal(t, http.MethodPost, rec.Header().Get("Allow"))
		assert.JSONEq(t, `{"error": "`+m+` is not allowed: POST the lead record"}`, rec.Body.String())
	}
}

// TestConcurrentRequests sends leads of four regions at once through one
// handler (run it with -race): every answer equals the one a lone request
// gets, and the calendar cache fills without a race.
func TestConcurrentRequests(t *testing.T) {
	h := testHandler(t, friday, 0)
	srv := httptest.NewServer(h)
	defer srv.Close()
	body := sampleBody(t)
	variants := [][]byte{body}
	for _, zr := range [][2]string{{"Europe/London", "EMEA"}, {"Asia/Singapore", "APAC"}, {"America/Sao_Paulo", "LATAM"}} {
		b := bytes.Replace(body, []byte(`"America/Chicago"`), []byte(`"`+zr[0]+`"`), 1)
		variants = append(variants, bytes.Replace(b, []byte(`"region": "NA"`), []byte(`"region": "`+zr[1]+`"`), 1))
	}
	want := make([]Response, len(variants))
	for i, v := range variants {
		r, err := testHandler(t, friday, 0).Decide(decoded(t, v), friday)
		require.NoError(t, err)
		want[i] = r
	}

	const n = 64
	var wg sync.WaitGroup
	got := make([]Response, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(variants[i%len(variants)]))
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				errs[i] = &fieldError{Reason: resp.Status + " " + string(b)}
				return
			}
			errs[i] = json.Unmarshal(b, &got[i])
		}()
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		w := want[i%len(variants)]
		assert.Equal(t, w.FirstTouchDue.UTC(), got[i].FirstTouchDue.UTC(), "request %d", i)
		assert.Equal(t, w.ICPScore, got[i].ICPScore)
		assert.Equal(t, w.Owner, got[i].Owner)
	}
	assert.Len(t, h.calendars, len(variants))
}

func decoded(t testing.TB, body []byte) Request {
	t.Helper()
	var r Request
	require.NoError(t, decodeStrict(body, &r))
	return r
}

func TestNewHandlerNeedsAClock(t *testing.T) {
	_, err := NewHandler(Config{}, nil)
	assert.EqualError(t, err, "crmhook: a clock is required")
}

// TestServeOnce is what .ci/run does through ci.sh: one request over a
// loopback connection, the answer on stdout.
func TestServeOnce(t *testing.T) {
	h := testHandler(t, friday, 0)
	var out bytes.Buffer
	require.NoError(t, serveOnce(h, bytes.NewReader(sampleBody(t)), &out))
	assert.Contains(t, out.String(), `"first_touch_due": "2026-11-30T09:30:00-06:00"`)

	out.Reset()
	err := serveOnce(h, strings.NewReader(`{"lead": {}}`), &out)
	assert.EqualError(t, err, "400 Bad Request")
	assert.JSONEq(t, `{"error": "lead.lead_id: required", "field": "lead.lead_id"}`, out.String())
}

// BenchmarkDecide measures one webhook's decision once the calendars are
// compiled: the cost per lead a CRM integration pays.
func BenchmarkDecide(b *testing.B) {
	h := testHandler(b, friday, 0)
	req := decoded(b, sampleBody(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Decide(req, friday); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServeHTTP is the same through HTTP decoding and encoding.
func BenchmarkServeHTTP(b *testing.B) {
	h := testHandler(b, friday, 0)
	body := sampleBody(b)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/leads", bytes.NewReader(body)))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body.String())
		}
	}
}
