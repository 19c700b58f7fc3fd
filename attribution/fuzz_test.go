package attribution_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/attribution"
)

// FuzzReadPaths: the parser never panics, and every path it accepts
// prints back to a line it reads again as the same path.
func FuzzReadPaths(f *testing.F) {
	f.Add("path;total_conversions;total_conversion_value;total_null\na > b;1;2.5;3\n")
	f.Add(`"x > y";0;0;1` + "\r\n")
	f.Add("a >> b;1;0;0\n;;\n")
	f.Add("a;1e308;1e308;0\nb;.5;0;0\n")
	f.Fuzz(func(t *testing.T, in string) {
		paths, bad, err := attribution.ReadPaths(strings.NewReader(in))
		if err != nil {
			return // a line beyond the size limit
		}
		for _, b := range bad {
			if !strings.HasPrefix(b.ID, "line ") {
				t.Fatalf("bad line ID %q", b.ID)
			}
		}
		for _, p := range paths {
			again, bad, err := attribution.ReadPaths(strings.NewReader(p.String()))
			if err != nil || len(bad) != 0 || len(again) != 1 {
				t.Fatalf("%q does not read back: %v %v", p.String(), err, bad)
			}
			if strings.Join(again[0].Channels, ">") != strings.Join(p.Channels, ">") ||
				again[0].Conversions != p.Conversions || again[0].Value != p.Value || again[0].Nulls != p.Nulls {
				t.Fatalf("%+v read back as %+v", p, again[0])
			}
		}
	})
}

// FuzzShapeAllocate: any valid shape on any journey gives weights that sum
// to 1 and credits that sum exactly to the amount (or ErrNoCredit).
func FuzzShapeAllocate(f *testing.F) {
	f.Add(0.3, 0.3, 0.3, 0.1, uint8(5), int64(99_99), uint8(0b1011), int64(3), int64(4))
	f.Add(0.0, 0.0, 1.0, 0.0, uint8(1), int64(5), uint8(0), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, a, b, c, mid float64, n uint8, cents int64, kinds uint8, lc, oc int64) {
		s := attribution.Shape{Label: "f", Middle: mid, Positions: []attribution.PositionWeight{
			{Position: attribution.FirstTouch, Weight: a}, {Position: attribution.LeadCreation, Weight: b}, {Position: attribution.OppCreation, Weight: c}}}
		if s.Validate() != nil || cents < 0 || cents > 1<<50 {
			t.Skip("an invalid shape or amount: Validate rejects it, nothing to split")
		}
		j := attribution.Journey{ID: "f", Currency: "USD", Amount: decimal.New(cents, -2),
			LeadCreated: day(int(lc % 20)), OppCreated: day(int(oc % 20))}
		for i := range int(n % 40) {
			typ := "web_visit"
			if kinds&(1<<(i%8)) != 0 {
				typ = "form_fill"
			}
			j.Touches = append(j.Touches, attribution.Touch{Channel: "c", At: day(i), Type: typ})
		}
		if n%3 == 0 {
			s.MiddleTypes = []string{"form_fill"}
		}
		var al attribution.Allocation
		err := attribution.Allocate(&al, s, &j)
		if err != nil {
			if len(j.Touches) > 0 && !isNoCredit(err) {
				t.Fatal(err)
			}
			return
		}
		sum, units := 0.0, int64(0)
		for i, w := range al.Weights {
			if w < 0 || math.IsNaN(w) {
				t.Fatalf("weight %d = %v", i, w)
			}
			sum += w
			units += al.Units[i]
		}
		if math.Abs(sum-1) > 1e-9 || units != cents {
			t.Fatalf("weights sum to %v, units to %d of %d", sum, units, cents)
		}
	})
}

func isNoCredit(err error) bool { return errors.Is(err, attribution.ErrNoCredit) }

// FuzzConfig: decoding and validating any JSON as the package's
// configuration never panics.
func FuzzConfig(f *testing.F) {
	b, _ := json.Marshal(attribution.DefaultReconcileOptions())
	f.Add(string(b))
	b, _ = json.Marshal(attribution.WShaped())
	f.Add(string(b))
	f.Add(`{"channels":[{"name":"a","family":"paid","team":"marketing"}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		var o attribution.ReconcileOptions
		if json.Unmarshal([]byte(in), &o) == nil {
			_ = o.Validate()
		}
		var s attribution.Shape
		if json.Unmarshal([]byte(in), &s) == nil {
			if s.Validate() == nil {
				j := path(1, 2, "a", "b", "c", "d")
				if _, err := s.Weights(nil, &j); err != nil && !isNoCredit(err) {
					t.Fatalf("valid shape %+v: %v", s, err)
				}
			}
		}
		var tax attribution.Taxonomy
		if json.Unmarshal([]byte(in), &tax) == nil {
			_ = tax.Validate()
		}
		var so attribution.SpendOptions
		if json.Unmarshal([]byte(in), &so) == nil {
			_ = so.Validate()
		}
	})
}

// FuzzJourneyValidate: validating any journey never panics, and a valid
// journey always allocates under every rule-based model.
func FuzzJourneyValidate(f *testing.F) {
	f.Add("J1", "paid_social", "email", int64(1), int64(2), int64(3), "1000.50", "USD", uint8(1))
	f.Add("", "tv", "", int64(-1), int64(0), int64(0), "-1", "", uint8(9))
	f.Fuzz(func(t *testing.T, id, c1, c2 string, d1, d2, closeDay int64, amount, currency string, outcome uint8) {
		amt, err := decimal.NewFromString(amount)
		if err != nil {
			t.Skip("the fuzzer's amount is not a decimal number")
		}
		j := attribution.Journey{ID: id, Amount: amt, Currency: currency, Outcome: attribution.Outcome(outcome % 4),
			Touches: []attribution.Touch{{Channel: c1, At: t0.Add(time.Duration(d1%1000) * time.Hour)}, {Channel: c2, At: t0.Add(time.Duration(d2%1000) * time.Hour)}}}
		if closeDay%2 == 0 {
			j.Closed = t0.Add(time.Duration(closeDay%2000) * time.Hour)
		}
		if j.Validate(attribution.DefaultTaxonomy()) != nil {
			return
		}
		var a attribution.Allocation
		for _, m := range attribution.RuleBased() {
			if err := attribution.Allocate(&a, m, &j); err != nil && !isNoCredit(err) {
				if _, tooBig := revalign.ToUnits(j.Amount, revalign.MinorUnits(j.Currency)); tooBig == nil {
					t.Fatalf("%s on a valid journey: %v", m.Name(), err)
				}
			}
		}
	})
}

// FuzzChainUnmarshal: decoding never panics; what decodes encodes to bytes
// that decode to the same chain, and the chain can be fitted and merged.
func FuzzChainUnmarshal(f *testing.F) {
	for order := 1; order <= 2; order++ {
		c, _ := attribution.NewChain(order)
		_, _ = c.ReadPaths(strings.NewReader("a > b > a;2;10.5;1\nb;0;0;3\nc > a;1;0.25;0\n"))
		b, _ := c.MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte("RVMC\x01\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c attribution.Chain
		if c.UnmarshalBinary(data) != nil {
			return
		}
		b, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var again attribution.Chain
		if err := again.UnmarshalBinary(b); err != nil {
			t.Fatalf("re-encoded chain does not decode: %v", err)
		}
		if b2, _ := again.MarshalBinary(); string(b2) != string(b) {
			t.Fatal("encoding is not stable")
		}
		_, _ = c.Fit()
		m, _ := attribution.NewChain(c.Order())
		if err := m.Merge(&c); err != nil && !errors.Is(err, attribution.ErrOverflow) {
			t.Fatal(err)
		}
	})
}

// FuzzCoalitionsUnmarshal: the same for coalitions.
func FuzzCoalitionsUnmarshal(f *testing.F) {
	var c attribution.Coalitions
	_, _ = c.ReadPaths(strings.NewReader("a > b > a;2;10.5;1\nb;0;0;3\nc > a;1;0.25;0\n"))
	b, _ := c.MarshalBinary()
	f.Add(b)
	f.Add([]byte("RVSC\x01\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c attribution.Coalitions
		if c.UnmarshalBinary(data) != nil {
			return
		}
		b, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var again attribution.Coalitions
		if err := again.UnmarshalBinary(b); err != nil {
			t.Fatalf("re-encoded coalitions do not decode: %v", err)
		}
		if b2, _ := again.MarshalBinary(); string(b2) != string(b) {
			t.Fatal("encoding is not stable")
		}
		_, _ = c.Exact(attribution.ConversionRate)
		_, _ = c.Simplified(attribution.ConversionValue)
		_, _ = c.Ordered(attribution.Conversions)
		var m attribution.Coalitions
		if err := m.Merge(&c); err != nil && !errors.Is(err, attribution.ErrOverflow) {
			t.Fatal(err)
		}
	})
}

// FuzzAppendPathIn: whatever the amount and the rate, the converted value
// is Rates.Convert's, as a float, and nothing panics.
func FuzzAppendPathIn(f *testing.F) {
	f.Add("1234.56", "1.08", "USD")
	f.Add("0.0625", "1.08", "JPY")
	f.Add("-0.005", "1", "BHD")
	f.Add("123456789012345678901", "0.000000001", "USD")
	f.Add("9.2e18", "3", "EUR")
	f.Fuzz(func(t *testing.T, amount, rate, base string) {
		a, err1 := decimal.NewFromString(amount)
		r, err2 := decimal.NewFromString(rate)
		if err1 != nil || err2 != nil || a.NumDigits() > 40 || r.NumDigits() > 40 ||
			a.Exponent() < -40 || a.Exponent() > 40 || r.Exponent() < -40 || r.Exponent() > 40 {
			return // decimal arithmetic on huge scales is slow, not wrong
		}
		rates := revalign.Rates{Base: base, Rates: map[string]decimal.Decimal{"XTS": r}}
		j := attribution.Journey{ID: "j", Outcome: attribution.Won, Amount: a, Currency: "XTS",
			Touches: []attribution.Touch{{Channel: "a", At: time.Unix(0, 0)}}}
		if strings.EqualFold(base, "XTS") {
			j.Currency = base
		}
		want, werr := rates.Convert(j.Amount, j.Currency)
		p, ok, err := attribution.AppendPathIn(attribution.Path{}, &j, rates)
		if (err != nil) != (werr != nil) || ok != (err == nil) {
			t.Fatalf("AppendPathIn: ok %v, %v; Convert: %v", ok, err, werr)
		}
		if err == nil && p.Value != want.InexactFloat64() {
			t.Fatalf("%s × %s in %q: got %v, Convert gives %s", a, r, base, p.Value, want)
		}
	})
}
