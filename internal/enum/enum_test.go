package enum

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

type color uint8

const (
	red color = iota + 1
	green
	darkBlue
)

// colors has no name for its zero value: it is "not set".
var colors = Names[color]{Pkg: "paint", Type: "Color", Path: "color", Names: []string{red: "red", green: "green", darkBlue: "dark_blue"}}

type level int8

// levels is diagnostic-style: the zero value reads and writes as "".
var levels = Names[level]{Pkg: "diag", Path: "level", Names: []string{"", "low", "high"}, Match: Trim | Lower | Separators, EmptyZero: true, None: "none"}

func TestString(t *testing.T) {
	tests := []struct {
		name string
		n    *Names[level]
		v    level
		want string
	}{
		{"named", &levels, 2, "high"},
		{"zero with None", &levels, 0, "none"},
		{"out of range, Type defaults to Path", &levels, 3, "level(3)"},
		{"negative", &levels, -4, "level(-4)"},
		{"zero under EmptyZero without None", &Names[level]{Names: []string{"", "a"}, EmptyZero: true}, 0, ""},
		{"zero without a name", &Names[level]{Type: "Level", Names: []string{"", "a"}}, 0, "Level(0)"},
		{"zero without a name, None", &Names[level]{Type: "Level", Names: []string{"", "a"}, None: "missing"}, 0, "missing"},
		{"named zero ignores None", &Names[level]{Names: []string{"off", "on"}, None: "none"}, 0, "off"},
		{"None is for the zero value only", &Names[level]{Type: "Level", Names: []string{"", "a"}, None: "missing"}, 5, "Level(5)"},
		{"an empty name in the middle", &Names[level]{Type: "Level", Names: []string{"a", "", "c"}}, 1, "Level(1)"},
		{"no names", &Names[level]{Type: "Level"}, 0, "Level(0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.n.String(tt.v))
		})
	}
	assert.Equal(t, "Color(0)", colors.String(0))
	assert.Equal(t, "Color(255)", colors.String(255))
	assert.Equal(t, "dark_blue", colors.String(darkBlue))
}

func TestText(t *testing.T) {
	b, err := colors.Text(green)
	require.NoError(t, err)
	assert.Equal(t, "green", string(b))

	for _, v := range []color{0, 4, 200} {
		b, err := colors.Text(v)
		assert.Nil(t, b)
		require.ErrorIs(t, err, revalign.ErrInvalid)
		var fe *revalign.FieldError
		require.ErrorAs(t, err, &fe)
		// The value is an int, not a color, so that the message shows the
		// number rather than a String.
		assert.Equal(t, &revalign.FieldError{Pkg: "paint", Path: "color", Value: int(v), Reason: "unknown color"}, fe)
	}
	_, err = colors.Text(9)
	assert.EqualError(t, err, "paint: color: unknown color, got 9")

	b, err = levels.Text(0)
	require.NoError(t, err)
	assert.Equal(t, "", string(b))
	_, err = levels.Text(-1)
	assert.EqualError(t, err, "diag: level: unknown level, got -1")

	custom := Names[color]{Pkg: "paint", Path: "kind", Names: colors.Names, Unknown: "unknown paint kind"}
	_, err = custom.Text(0)
	assert.EqualError(t, err, "paint: kind: unknown paint kind, got 0")
}

func TestParse(t *testing.T) {
	exact := colors
	lower := colors
	lower.Match = Lower
	trimLower := colors
	trimLower.Match = Trim | Lower
	loose := colors
	loose.Match = Trim | Lower | Separators
	// The values expected under each Match, worked out by hand.
	tests := []struct {
		in                             string
		exact, lower, trimLower, loose color // 0: an error
		comment                        string
	}{
		{"red", red, red, red, red, ""},
		{"dark_blue", darkBlue, darkBlue, darkBlue, darkBlue, ""},
		{"RED", 0, red, red, red, ""},
		{" red\t", 0, 0, red, red, ""},
		{" RED ", 0, 0, red, red, ""},
		{"Dark-Blue", 0, 0, 0, darkBlue, ""},
		{" dark blue ", 0, 0, 0, darkBlue, "inner space, outer trimmed"},
		{"dark__blue", 0, 0, 0, 0, ""},
		{"", 0, 0, 0, 0, "the empty name of the zero value is not a name"},
		{"  ", 0, 0, 0, 0, ""},
		{"re", 0, 0, 0, 0, ""},
		{"redd", 0, 0, 0, 0, ""},
		{"\u00a0red\u2003", 0, 0, red, red, "Unicode white space, as strings.TrimSpace"},
		{"GREEN\u0085", 0, 0, green, green, ""},
		{"DAR\u212a_BLUE", 0, darkBlue, darkBlue, darkBlue, "the Kelvin sign lower-cases to k, as strings.ToLower has it"},
		{"dark_blue\u212a", 0, 0, 0, 0, ""},
		{"re\xffd", 0, 0, 0, 0, ""},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			n    *Names[color]
			want color
		}{{&exact, tt.exact}, {&lower, tt.lower}, {&trimLower, tt.trimLower}, {&loose, tt.loose}} {
			msg := fmt.Sprintf("%q match %b %s", tt.in, c.n.Match, tt.comment)
			v, err := c.n.Parse([]byte(tt.in))
			if c.want == 0 {
				assert.Equal(t, color(0), v, msg)
				require.ErrorIs(t, err, revalign.ErrInvalid, msg)
				var fe *revalign.FieldError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, &revalign.FieldError{Pkg: "paint", Path: "color", Value: tt.in, Reason: "must be one of red, green, dark_blue"}, fe)
				continue
			}
			require.NoError(t, err, msg)
			assert.Equal(t, c.want, v, msg)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		m        Match
		in, want string
	}{
		{0, " Dark-Blue ", " Dark-Blue "},
		{Trim, " Dark-Blue\u00a0", "Dark-Blue"},
		{Lower, " Dark-Blue ", " dark-blue "},
		{Separators, " Dark-Blue ", "_Dark_Blue_"},
		{Trim | Lower | Separators, " Dark-Blue ", "dark_blue"},
		{Trim | Lower | Separators, "\tNOT YET\n", "not_yet"},
		{Lower, "WEE\u212a", "week"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.m.Normalize(tt.in), "%q match %b", tt.in, tt.m)
	}
}

func TestParseEmptyZero(t *testing.T) {
	for _, in := range []string{"", " ", "\t\n", "\u00a0"} {
		v, err := levels.Parse([]byte(in))
		require.NoError(t, err, "%q", in)
		assert.Equal(t, level(0), v)
	}
	v, err := levels.Parse([]byte(" HIGH "))
	require.NoError(t, err)
	assert.Equal(t, level(2), v)

	_, err = levels.Parse([]byte("medium"))
	assert.EqualError(t, err, `diag: level: must be one of low, high, got "medium"`)

	strict := Names[level]{Pkg: "cadence", Path: "waiting_on", Names: []string{"", "buyer"}, EmptyZero: true, Want: `must be "" or "buyer"`}
	v, err = strict.Parse(nil)
	require.NoError(t, err)
	assert.Equal(t, level(0), v)
	_, err = strict.Parse([]byte(" "))
	assert.EqualError(t, err, `cadence: waiting_on: must be "" or "buyer", got " "`)
}

func TestUnmarshal(t *testing.T) {
	c := green
	require.NoError(t, colors.Unmarshal(&c, []byte("red")))
	assert.Equal(t, red, c)
	err := colors.Unmarshal(&c, []byte("purple"))
	assert.EqualError(t, err, `paint: color: must be one of red, green, dark_blue, got "purple"`)
	assert.Equal(t, red, c, "left unchanged on error")
}

func TestValid(t *testing.T) {
	assert.False(t, colors.Valid(0))
	assert.True(t, colors.Valid(red))
	assert.True(t, colors.Valid(darkBlue))
	assert.False(t, colors.Valid(4))
	assert.True(t, levels.Valid(0), "EmptyZero")
	assert.False(t, levels.Valid(-1))
	assert.False(t, levels.Valid(3))
}

func TestRoundTrip(t *testing.T) {
	for _, m := range matches() {
		n := Names[color]{Path: "color", Names: colors.Names, Match: m}
		for v := range color(255) {
			b, err := n.Text(v)
			if err != nil {
				assert.False(t, n.Valid(v))
				continue
			}
			back, err := n.Parse(b)
			require.NoError(t, err)
			assert.Equal(t, v, back)
			assert.Equal(t, string(b), n.String(v))
		}
	}
}

func TestAllocations(t *testing.T) {
	var sink string
	assert.Zero(t, testing.AllocsPerRun(100, func() { sink = colors.String(green) }), "String")
	assert.Zero(t, testing.AllocsPerRun(100, func() { sink = levels.String(0) }), "String of None")
	n := Names[color]{Names: colors.Names, Match: Trim | Lower | Separators}
	for _, text := range [][]byte{[]byte("green"), []byte(" Dark-Blue ")} {
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			if _, err := n.Parse(text); err != nil {
				t.Fatal(err)
			}
		}), "Parse %q", text)
	}
	assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { b, _ := colors.Text(red); sink = string(b[:0]) }), 1.0, "Text")
	_ = sink
}

func matches() []Match {
	var all []Match
	for m := range Separators << 1 {
		all = append(all, m)
	}
	return all
}

// reference is Parse's index written over Normalize, the standard library's
// rules (checked on their own by TestNormalize): the definition the fast
// ASCII path must agree with.
func reference(names []string, emptyZero bool, m Match, text string) int {
	s := m.Normalize(text)
	for i, name := range names {
		if name == s && (name != "" || i == 0 && emptyZero) {
			return i
		}
	}
	return -1
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", " ", "red", "RED", " dark-blue ", "Dark Blue", "week", "WEE\u212a", "\u00a0low", "re\xffd", "high\t"} {
		f.Add(s)
	}
	names := []string{"", "red", "green", "dark_blue", "week", "low", "high"}
	f.Fuzz(func(t *testing.T, text string) {
		for _, m := range matches() {
			for _, emptyZero := range []bool{false, true} {
				n := Names[int]{Pkg: "p", Path: "x", Names: names, Match: m, EmptyZero: emptyZero}
				want := reference(names, emptyZero, m, text)
				v, err := n.Parse([]byte(text))
				if want < 0 {
					if err == nil {
						t.Fatalf("match %b, emptyZero %v: %q parsed as %d, want an error", m, emptyZero, text, v)
					}
					if !errors.Is(err, revalign.ErrInvalid) || v != 0 {
						t.Fatalf("match %b: %q: got %d, %v", m, text, v, err)
					}
					continue
				}
				if err != nil || v != want {
					t.Fatalf("match %b, emptyZero %v: %q parsed as %d, %v, want %d", m, emptyZero, text, v, err, want)
				}
				// A name read back writes as the name.
				b, err := n.Text(v)
				if err != nil || string(b) != names[want] {
					t.Fatalf("Text(%d) = %q, %v", v, b, err)
				}
			}
		}
	})
}

func FuzzString(f *testing.F) {
	f.Add(int64(0))
	f.Add(int64(-1))
	f.Add(int64(3))
	f.Fuzz(func(t *testing.T, i int64) {
		v := level(i)
		s := levels.String(v)
		b, err := levels.Text(v)
		if levels.Valid(v) != (err == nil) {
			t.Fatalf("%d: Valid %v, Text error %v", v, levels.Valid(v), err)
		}
		if err == nil && string(b) != s && !(v == 0 && s == "none") {
			t.Fatalf("%d: Text %q, String %q", v, b, s)
		}
		if err != nil && s != "level("+strconv.Itoa(int(v))+")" {
			t.Fatalf("%d: String %q of an unnamed value", v, s)
		}
	})
}

func BenchmarkString(b *testing.B) {
	b.ReportAllocs()
	var sink string
	for b.Loop() {
		sink = colors.String(darkBlue)
	}
	_ = sink
}

func BenchmarkParse(b *testing.B) {
	n := Names[color]{Names: colors.Names, Match: Trim | Lower | Separators}
	text := []byte(" Dark-Blue ")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := n.Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}
