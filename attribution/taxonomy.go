package attribution

import (
	"strings"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
)

// Family groups channels by how the touch is bought or earned. It is text in
// JSON ("paid", "owned", "earned", "sales", "partner"); the zero value is
// unknown and fails validation.
type Family int

// The channel families of the touch taxonomy.
const (
	FamilyUnknown Family = iota
	Paid                 // bought media: paid search, paid social, syndication
	Owned                // the company's own programmes: email, webinars, events
	Earned               // organic search, direct, word of mouth
	SalesLed             // sales-originated outreach: SDR calls and sequences
	PartnerLed           // partner referrals and co-selling
)

var familyNames = enum.Names[Family]{Pkg: pkg, Type: "Family", Path: "family", Match: enum.Trim | enum.Lower,
	Names: []string{FamilyUnknown: "", Paid: "paid", Owned: "owned", Earned: "earned", SalesLed: "sales", PartnerLed: "partner"},
	Want:  "must be paid, owned, earned, sales or partner"}

// String returns the family's name, or "Family(n)" for an unknown value.
func (f Family) String() string { return familyNames.String(f) }

// MarshalText encodes the family by name.
func (f Family) MarshalText() ([]byte, error) { return familyNames.Text(f) }

// UnmarshalText decodes "paid", "owned", "earned", "sales" or "partner".
func (f *Family) UnmarshalText(b []byte) error { return familyNames.Unmarshal(f, b) }

// Channel is one entry of the channel taxonomy: its name as touches carry
// it, its family, and the team whose channel it is. The team drives sourced
// versus influenced reporting: a deal whose source touch is on a
// marketing channel is marketing-sourced.
type Channel struct {
	// Name is the channel as touches name it, e.g. "paid_social".
	Name string `json:"name"`
	// Family groups the channel (paid, owned, earned, sales, partner).
	Family Family `json:"family"`
	// Team is revalign.Marketing or revalign.Sales (or another team name an
	// organisation uses, e.g. "partnerships").
	Team revalign.Team `json:"team"`
}

// Marketing reports whether the channel is a marketing channel.
func (c Channel) Marketing() bool { return c.Team == revalign.Marketing }

// Play is a named programme (campaign family) run on one channel, e.g.
// "Q3 analyst report" on content_syndication.
type Play struct {
	// Name is the play as touches name it.
	Name string `json:"name"`
	// Channel is the channel the play runs on.
	Channel string `json:"channel"`
}

// Taxonomy is the channel and play taxonomy: the configuration every touch
// is checked against. A touch on a channel the taxonomy does not list is an
// error naming its journey. When Plays is empty, plays are free text; when
// it lists plays, a touch naming a play must name a listed one, on the
// play's channel.
//
// Taxonomy is a plain value, safe for concurrent use once built.
type Taxonomy struct {
	// Channels lists the channels touches may name, each name once; at
	// least one. Reports keep this order for idle channels and reach
	// rows, and for channel rows of equal credit.
	Channels []Channel `json:"channels"`
	// Plays lists the plays touches may name, each on a listed channel;
	// empty leaves plays free text.
	Plays []Play `json:"plays,omitempty"`
}

// DefaultTaxonomy returns the channels of a typical B2B revenue team: paid
// search, paid social and content syndication (paid); email, webinars and
// events (owned); organic search and direct (earned), all marketing; partner
// referrals (partner) and SDR outbound (sales), both sales.
func DefaultTaxonomy() Taxonomy {
	m, s := revalign.Marketing, revalign.Sales
	return Taxonomy{Channels: []Channel{
		{"paid_search", Paid, m},
		{"paid_social", Paid, m},
		{"content_syndication", Paid, m},
		{"email", Owned, m},
		{"webinar", Owned, m},
		{"events", Owned, m},
		{"organic_search", Earned, m},
		{"direct", Earned, m},
		{"partner", PartnerLed, s},
		{"sdr_outbound", SalesLed, s},
	}}
}

// Channel returns the taxonomy entry named name.
func (t Taxonomy) Channel(name string) (Channel, bool) {
	i := t.index(name)
	if i < 0 {
		return Channel{}, false
	}
	return t.Channels[i], true
}

func (t Taxonomy) index(name string) int {
	for i := range t.Channels {
		if t.Channels[i].Name == name {
			return i
		}
	}
	return -1
}

func (t Taxonomy) play(name string) (Play, bool) {
	for _, p := range t.Plays {
		if p.Name == name {
			return p, true
		}
	}
	return Play{}, false
}

// Validate reports channels without a name, a family or a team, duplicate
// channel names, and plays on unknown channels.
func (t Taxonomy) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	v.Check(len(t.Channels) > 0, "channels", nil, "need at least one channel")
	seen := make(map[string]bool, len(t.Channels))
	for i, c := range t.Channels {
		p := revalign.Index("channels", i)
		if v.Check(strings.TrimSpace(c.Name) != "", p+".name", c.Name, "must not be blank") {
			v.Check(!seen[c.Name], p+".name", c.Name, "duplicate channel")
		}
		seen[c.Name] = true
		v.Check(familyNames.Valid(c.Family), p+".family", int(c.Family), familyNames.Want)
		v.Check(c.Team.Valid(), p+".team", string(c.Team), "must name a team")
	}
	plays := make(map[string]bool, len(t.Plays))
	for i, pl := range t.Plays {
		p := revalign.Index("plays", i)
		if v.Check(strings.TrimSpace(pl.Name) != "", p+".name", pl.Name, "must not be blank") {
			v.Check(!plays[pl.Name], p+".name", pl.Name, "duplicate play")
		}
		plays[pl.Name] = true
		v.Check(seen[pl.Channel], p+".channel", pl.Channel, "unknown channel")
	}
	return v.Err()
}

// Names returns the channel names in taxonomy order.
func (t Taxonomy) Names() []string {
	out := make([]string, len(t.Channels))
	for i, c := range t.Channels {
		out[i] = c.Name
	}
	return out
}
