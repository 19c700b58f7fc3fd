package main

import (
	"strconv"
	"strings"

	"github.com/revalign/revalign/icp"
)

// The CSV has one row per good journey, in input order:
//
//	id,outcome,currency,amount,fit,engagement,total,tier,cell,disqualified_by,<channel>…,unattributed
//
// with the primary model's credit for each taxonomy channel in the journey's
// currency; the credit columns of a row sum exactly to its amount. Rows are
// appended to a byte slice rather than written with encoding/csv, whose
// Writer takes []string and would allocate a string per number.

// csvHeader returns the header row for the taxonomy's channels.
func csvHeader(c *config) []byte {
	b := []byte("id,outcome,currency,amount,fit,engagement,total,tier,cell,disqualified_by")
	for _, name := range c.taxonomy.Names() {
		b = appendField(append(b, ','), name)
	}
	return append(b, ",unattributed\n"...)
}

// appendRow appends one journey's row.
func appendRow(b []byte, l *journeyLine, r *icp.Result, credit []int64, places int32) []byte {
	b = appendField(b, l.ID)
	b = append(append(b, ','), l.Outcome.String()...)
	b = append(append(b, ','), l.Currency...)
	var units int64
	for _, u := range credit {
		units += u
	}
	b = appendUnits(append(b, ','), units, places)
	b = strconv.AppendFloat(append(b, ','), r.Fit, 'f', -1, 64)
	b = strconv.AppendFloat(append(b, ','), r.Engagement, 'f', -1, 64)
	b = strconv.AppendFloat(append(b, ','), r.Total, 'f', -1, 64)
	b = appendField(append(b, ','), r.Tier)
	b = appendField(append(b, ','), r.Cell)
	b = appendField(append(b, ','), r.DisqualifiedBy)
	for _, u := range credit {
		b = appendUnits(append(b, ','), u, places)
	}
	return append(b, '\n')
}

// appendUnits appends a count of minor units as a decimal amount with the
// currency's places: 495000 with 2 places is "4950.00".
func appendUnits(b []byte, units int64, places int32) []byte {
	if units < 0 {
		b = append(b, '-')
		units = -units
	}
	if places == 0 {
		return strconv.AppendInt(b, units, 10)
	}
	scale := int64(1)
	for range places {
		scale *= 10
	}
	b = strconv.AppendInt(b, units/scale, 10)
	b = append(b, '.')
	frac := units % scale
	for s := scale / 10; s > frac && s > 1; s /= 10 { // leading zeros
		b = append(b, '0')
	}
	return strconv.AppendInt(b, frac, 10)
}

// appendField appends s as a CSV field, quoted when it holds a comma, a
// quote, a line break or leading space (as encoding/csv does).
func appendField(b []byte, s string) []byte {
	if s == "" || (strings.IndexAny(s, ",\"\r\n") < 0 && s[0] != ' ' && s[0] != '\t') {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := range len(s) {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
