package icp

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isoCountries lists the ISO 3166-1 alpha-2 codes in alphabetical order:
// the list a "served countries" criterion or disqualifier is cut from.
var isoCountries = strings.Fields(`AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK
DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI
LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG
NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH
SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY
UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`)

// findLinear is the independent method strSet.find is checked against: a
// scan comparing ASCII case-insensitively (the test values are ASCII).
func findLinear(values []string, x string) int {
	for i, v := range values {
		if x != "" && strings.EqualFold(strings.TrimSpace(v), x) {
			return i
		}
	}
	return -1
}

// TestStrSetCollisions covers sets whose values share slots of the lookup
// table: three or more values in one slot used to read items[-2] and panic.
func TestStrSetCollisions(t *testing.T) {
	require.Len(t, isoCountries, 249)
	require.Equal(t, slot("retail"), slot("rental"), "the three values share a slot")
	require.Equal(t, slot("retail"), slot("reseal"))
	tests := []struct {
		name   string
		values []string
		probes []string
	}{
		{"three values in one slot", []string{"Retail", "Rental", "Reseal"},
			[]string{"Retail", "RENTAL", "reseal", "Resell", "Rxxxxl", "Retai", "retail "}},
		{"a fourth value and a duplicate in the shared slot", []string{"Retail", "Rental", "retail", "Reseal", "Rebuil"},
			[]string{"retail", "Rebuil", "REBUIL", "Rxxxxl"}},
		{"the first 39 ISO codes", isoCountries[:39], append([]string{"bz", "Bw", "ca", "US", "A", "ADX"}, isoCountries[:39]...)},
		{"100 ISO codes", isoCountries[:100], append([]string{"ie", "zw", "xx", "I"}, isoCountries...)},
		{"127 ISO codes (largest table)", isoCountries[:127], isoCountries},
		{"249 ISO codes (map)", isoCountries, append([]string{"xx", "", "U"}, isoCountries...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s strSet
			require.NotPanics(t, func() { s = newStrSet(tt.values) })
			for _, x := range tt.probes {
				for _, p := range []string{x, strings.ToLower(x), strings.ToUpper(x)} {
					assert.Equal(t, findLinear(tt.values, p), s.find(p), "find(%q)", p)
				}
			}
		})
	}
}

// TestLongValueListsScore scores leads against in/not_in conditions on
// long country lists, through the model: every code of the list matches,
// every other code misses.
func TestLongValueListsScore(t *testing.T) {
	asOf := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for _, n := range []int{3, 39, 100, 127, 128, 249} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			m := DefaultModel()
			m.Firmographic = []Criterion{{ID: "served", Field: "country", Op: OpIn, Values: isoCountries[:n], Points: 10}}
			m.Disqualifiers = []Disqualifier{{ID: "unserved", Field: "country", Op: OpNotIn, Values: isoCountries[:n]}}
			s, err := m.Compile(m.Fields())
			require.NoError(t, err)
			for i, c := range isoCountries {
				res, err := s.Score(Record{ID: c, Values: []Value{Text(strings.ToLower(c))}}, asOf)
				require.NoError(t, err)
				assert.Equal(t, i >= n, res.Disqualified, "%s", c)
				if i < n {
					assert.Equal(t, 10.0, res.Fit, "%s", c)
				}
			}
		})
	}
}
