package attribution

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/revalign/revalign"
)

// Path is one line of the de-facto interchange format of data-driven
// attribution (ChannelAttribution's): the channels of a journey in order,
// with how many journeys took this path and converted (Conversions), their
// total conversion value (Value), and how many took it and did not convert
// (Nulls). Counts may be fractional.
type Path struct {
	// Channels are the channel names of the journey's touches, in touch
	// order; repeats are kept. A path needs at least one, none blank.
	Channels []string `json:"channels"`
	// Conversions counts the journeys on this path that converted; >= 0.
	Conversions float64 `json:"conversions"`
	// Value is the total conversion value of those journeys, >= 0; 0 when
	// the path has no conversion or carries no value. It is in whatever
	// currency the path was built in: [PathsOf] and [AppendPathIn] convert
	// it into one reporting currency, [PathOf] and [AppendPath] leave it in
	// the journey's. Paths added to one [Chain] or [Coalitions] must share
	// a currency.
	Value float64 `json:"value"`
	// Nulls counts the journeys on this path that did not convert; >= 0.
	// Conversions plus Nulls must be above 0.
	Nulls float64 `json:"nulls"`
}

// String formats the path as an interchange line:
// "a > b > c;conversions;value;nulls".
func (p Path) String() string {
	return strings.Join(p.Channels, " > ") + ";" + fmtCount(p.Conversions) + ";" + fmtCount(p.Value) + ";" + fmtCount(p.Nulls)
}

func fmtCount(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// check reports what is wrong with a path's numbers, or nil.
func (p Path) check() error {
	if len(p.Channels) == 0 {
		return errEmptyPath
	}
	for i, c := range p.Channels {
		if strings.TrimSpace(c) == "" {
			return &revalign.FieldError{Pkg: pkg, Path: revalign.Index("channels", i), Reason: "blank channel"}
		}
	}
	return checkCounts(p.Conversions, p.Value, p.Nulls)
}

var errEmptyPath = &revalign.FieldError{Pkg: pkg, Path: "channels", Reason: "empty path"}

func checkCounts(conv, value, nulls float64) error {
	for _, f := range [...]struct {
		name string
		x    float64
	}{{"conversions", conv}, {"value", value}, {"nulls", nulls}} {
		if !(f.x >= 0) || math.IsInf(f.x, 1) {
			return &revalign.FieldError{Pkg: pkg, Path: f.name, Value: f.x, Reason: "must be finite and >= 0"}
		}
	}
	if conv+nulls == 0 {
		return &revalign.FieldError{Pkg: pkg, Path: "conversions", Value: 0, Reason: "a path needs conversions or nulls"}
	}
	return nil
}

// PathOf returns the interchange path of a closed journey: its channels in
// touch order, one conversion when won, one null when lost. The value of a
// won journey's conversion is its amount as it stands, in the journey's own
// currency, with no conversion: paths of journeys in different currencies
// must not be added to one [Chain] or [Coalitions] as they are, or their
// values would be summed across currencies. Convert them, or build the
// paths with [AppendPathIn] (or [PathsOf]), which converts the value into
// one reporting currency. Open journeys have not converted or failed yet
// and give ok = false, as do journeys without touches.
func PathOf(j *Journey) (p Path, ok bool) {
	return AppendPath(Path{}, j)
}

// AppendPath is [PathOf] into a path the caller reuses, as append does:
// the channels are written over dst.Channels' array when it has the
// capacity, so that a pipeline turning journey after journey into paths
// (for [Chain.Add] and [Coalitions.Add], which copy what they keep)
// allocates nothing once the array has grown to the longest journey.
// The result's Channels share dst.Channels' array; the channel names are
// the journey's. For a journey without a path (open, or no touches) it
// returns dst emptied and ok = false.
//
// Like PathOf, it leaves a won journey's value in the journey's own
// currency, unconverted. Unless every journey is in the same currency, use
// [AppendPathIn], which converts the value into one reporting currency.
func AppendPath(dst Path, j *Journey) (p Path, ok bool) {
	if p, ok = appendPath(dst, j); ok && j.Outcome == Won {
		p.Value = j.Amount.InexactFloat64()
	}
	return p, ok
}

// AppendPathIn is [AppendPath] with the value of a won journey converted
// into rates.Base, as [PathsOf] converts it: the amount in rates.Base,
// rounded to its minor units (see [revalign.Rates.Convert]), as a float.
// Paths built with it can be added to one [Chain] or [Coalitions] whatever
// the journeys' currencies. A lost journey's path carries no value and
// needs no rate.
//
// A won journey whose currency has no rate gives dst emptied, ok = false
// and a [revalign.RecordError] carrying the journey's ID and matching
// [revalign.ErrCurrency]; nothing is guessed. Like AppendPath it allocates
// nothing once dst's array has grown to the longest journey, for a journey
// in rates.Base and, in the common case (an amount and a rate of up to 18
// significant digits, converting to less than 2^53 minor units), in any
// other currency.
//
//	var p attribution.Path
//	for i := range journeys {
//		var ok bool
//		var err error
//		p, ok, err = attribution.AppendPathIn(p, &journeys[i], rates)
//		switch {
//		case err != nil:
//			bad = append(bad, err) // no rate for the journey's currency
//		case ok:
//			err = chain.Add(p)
//		}
//	}
func AppendPathIn(dst Path, j *Journey, rates revalign.Rates) (p Path, ok bool, err error) {
	p, ok, err = appendPathIn(dst, j, rates)
	if err != nil {
		return p, false, revalign.RecordError{ID: j.ID, Err: err}
	}
	return p, ok, nil
}

// appendPathIn is AppendPathIn with the conversion error as it is.
func appendPathIn(dst Path, j *Journey, rates revalign.Rates) (Path, bool, error) {
	p, ok := appendPath(dst, j)
	if !ok || j.Outcome != Won {
		return p, ok, nil
	}
	v, err := valueIn(rates, j.Amount, j.Currency)
	if err != nil {
		return Path{Channels: p.Channels[:0]}, false, err
	}
	p.Value = v
	return p, true, nil
}

// appendPath builds j's path into dst without its value: the channels, and
// one conversion or one null.
func appendPath(dst Path, j *Journey) (p Path, ok bool) {
	p = Path{Channels: dst.Channels[:0]}
	if j.Outcome == Open || len(j.Touches) == 0 {
		return p, false
	}
	p.Channels = slices.Grow(p.Channels, len(j.Touches))
	for _, t := range j.Touches {
		p.Channels = append(p.Channels, t.Channel)
	}
	if j.Outcome == Won {
		p.Conversions = 1
	} else {
		p.Nulls = 1
	}
	return p, true
}

// PathsOf converts the closed journeys to paths, with values converted to
// rates.Base as [AppendPathIn] converts them. Open journeys are left out
// (they are neither conversions nor nulls yet), and so are journeys without
// touches, which no channel can explain; both are counted in skipped. A won
// journey whose currency has no rate is reported as a revalign.RecordError
// carrying its ID (or "journeys[i]" when it has none) and left out.
func PathsOf(journeys []Journey, rates revalign.Rates) (paths []Path, skipped int, bad []revalign.RecordError) {
	for i := range journeys {
		j := &journeys[i]
		p, ok, err := appendPathIn(Path{}, j, rates)
		switch {
		case err != nil:
			bad = append(bad, revalign.RecordError{ID: journeyID(j, i), Err: err})
		case !ok:
			skipped++
		default:
			paths = append(paths, p)
		}
	}
	return paths, skipped, bad
}

// ReadPaths reads paths in the interchange format, one per line:
//
//	path;conversions;value;nulls
//
// where path is channel names joined by ">" (spaces around names are
// trimmed); value and nulls may be left out (zero), the fields may be
// double-quoted, and a first line whose numeric fields are not numbers is a
// header and skipped. A malformed line is reported as a
// revalign.RecordError with ID "line N" and the rest is read; the error is
// for a failure to read r.
func ReadPaths(r io.Reader) ([]Path, []revalign.RecordError, error) {
	var out []Path
	bad, err := scanPaths(r, func(ch [][]byte, conv, value, nulls float64) error {
		p := Path{Channels: make([]string, len(ch)), Conversions: conv, Value: value, Nulls: nulls}
		for i, c := range ch {
			p.Channels[i] = string(c)
		}
		out = append(out, p)
		return nil
	})
	return out, bad, err
}

// maxLine bounds the length of one interchange line.
const maxLine = 16 << 20

// scanPaths parses interchange lines and hands each good one to add, with
// the channel names as sub-slices of the line (valid only during the call).
// An error from add is reported for that line.
func scanPaths(r io.Reader, add func(channels [][]byte, conv, value, nulls float64) error) ([]revalign.RecordError, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var bad []revalign.RecordError
	var fields [4][]byte
	var channels [][]byte
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(b) > 0 && b[len(b)-1] == '\r' {
			b = b[:len(b)-1]
		}
		if len(b) == 0 || (isSpace(b[0]) && len(bytes.TrimSpace(b)) == 0) {
			continue
		}
		n := 0
		for n < 4 {
			k := bytes.IndexByte(b, ';')
			if k < 0 {
				fields[n] = b
				n++
				b = nil
				break
			}
			fields[n] = b[:k]
			n++
			b = b[k+1:]
		}
		if b != nil {
			bad = append(bad, lineError(line, errors.New("more than 4 fields")))
			continue
		}
		if n < 2 {
			bad = append(bad, lineError(line, errors.New("need at least path;conversions")))
			continue
		}
		var nums [3]float64
		var numErr error
		for i := 1; i < n; i++ {
			x, err := parseCount(unquote(fields[i]))
			if err != nil && numErr == nil {
				numErr = fmt.Errorf("field %d: %w", i+1, err)
			}
			nums[i-1] = x
		}
		if numErr != nil {
			if line == 1 {
				continue // header
			}
			bad = append(bad, lineError(line, numErr))
			continue
		}
		var chErr error
		channels, chErr = splitPath(channels[:0], unquote(fields[0]))
		if chErr == nil {
			chErr = checkCounts(nums[0], nums[1], nums[2])
		}
		if chErr == nil {
			chErr = add(channels, nums[0], nums[1], nums[2])
		}
		if chErr != nil {
			bad = append(bad, lineError(line, chErr))
		}
	}
	if err := sc.Err(); err != nil {
		return bad, fmt.Errorf("attribution: reading paths after line %d: %w", line, err)
	}
	return bad, nil
}

// splitPath appends the channel names of an interchange path ("a > b")
// to dst, trimmed, in one pass over the bytes.
func splitPath(dst [][]byte, path []byte) ([][]byte, error) {
	start, end := -1, -1
	for i, c := range path {
		if c <= ' ' { // white space and control bytes are trimmed
			continue
		}
		if c == '>' {
			if start < 0 {
				return dst, errEmptyChannel
			}
			dst = append(dst, path[start:end+1])
			start = -1
			continue
		}
		if start < 0 {
			start = i
		}
		end = i
	}
	if start < 0 {
		return dst, errEmptyChannel
	}
	return append(dst, path[start:end+1]), nil
}

var errEmptyChannel = errors.New("empty channel name")

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n'
}

func lineError(line int, err error) revalign.RecordError {
	return revalign.RecordError{ID: "line " + strconv.Itoa(line), Err: fmt.Errorf("%w: %w", revalign.ErrInvalid, err)}
}

func unquote(b []byte) []byte {
	b = bytes.TrimSpace(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		return bytes.TrimSpace(b[1 : len(b)-1])
	}
	return b
}

// parseCount parses a non-negative decimal number quickly, falling back to
// strconv for anything unusual (exponents, long mantissas).
func parseCount(b []byte) (float64, error) {
	if len(b) == 0 {
		return 0, errors.New("empty number")
	}
	var mant uint64
	digits, frac := 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if digits >= 15 {
				return parseSlow(b)
			}
			mant = mant*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0 && i+1 < len(b):
			frac = 0
		default:
			return parseSlow(b)
		}
	}
	if digits == 0 {
		return parseSlow(b)
	}
	x := float64(mant)
	if frac > 0 {
		x /= float64(pow10[frac])
	}
	return x, nil
}

func parseSlow(b []byte) (float64, error) {
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", b)
	}
	return x, nil
}
