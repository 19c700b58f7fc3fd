package demandstate

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/revalign/revalign"
)

// Role is a buying-committee role, text in JSON. The constants are the
// seed's roles; add your own ("hr", "it", "finance": "buying committees in
// worktech routinely include HR, IT, security, and finance").
type Role string

// The seed's buying-committee roles (Step 5).
const (
	EconomicBuyer      Role = "economic_buyer"
	TechnicalEvaluator Role = "technical_evaluator"
	EndUser            Role = "end_user"
	Procurement        Role = "procurement"
	SecurityReviewer   Role = "security_reviewer"
)

// Asset is one content asset mapped to a demand state and a
// buying-committee role.
type Asset struct {
	// ID identifies the asset, unique on the map.
	ID string `json:"id"`
	// Title is the asset's title, for people.
	Title string `json:"title,omitempty"`
	// Type is the kind of asset ("case study", "security overview").
	Type string `json:"type,omitempty"`
	// State is the demand state the asset serves.
	State State `json:"state"`
	// Role is the buying-committee role the asset serves.
	Role Role `json:"role"`
	// CreatedAt is when the asset was published; an asset younger than
	// the retirement window is not judged yet.
	CreatedAt time.Time `json:"created_at"`
	// Retired assets stay on the map for history but fill no cell.
	Retired bool `json:"retired,omitempty"`
}

// Cell is one demand state × role cell of the content map.
type Cell struct {
	// State is the cell's demand state.
	State State `json:"state"`
	// Role is the cell's buying-committee role.
	Role Role `json:"role"`
}

// ContentMap maps content to demand states and buying-committee roles
// (seed, Step 5: "map every content asset to a demand state and a
// buying-committee role, then instrument usage; assets not pulled into
// deals within 90 days get retired; gaps in the map get filled"). It is
// configuration: JSON round-trips, unknown fields are rejected.
type ContentMap struct {
	// States are the map's demand states, in report order.
	States []State `json:"states"`
	// Roles are the map's buying-committee roles, in report order; with
	// States they span the map's cells.
	Roles []Role `json:"roles"`
	// NotNeeded lists cells the team decided need no asset; they are never
	// reported as gaps.
	NotNeeded []Cell `json:"not_needed,omitempty"`
	// Assets on the map.
	Assets []Asset `json:"assets"`
	// RetireAfterDays: a live asset not pulled into a deal for this many
	// days is to be retired. Defaults to 90. Assets younger than this are
	// not judged yet.
	RetireAfterDays int `json:"retire_after_days"`
	// ScratchDecksPerMonth: building decks from scratch more often than
	// this per month flags a gap in the map. Defaults to 1.
	ScratchDecksPerMonth float64 `json:"scratch_decks_per_month"`
	// ScratchLookbackMonths is how many complete months before the as-of
	// month the scratch-deck flag looks at, 1 to MaxScratchLookbackMonths.
	// Defaults to 3.
	ScratchLookbackMonths int `json:"scratch_lookback_months"`
}

// MaxScratchLookbackMonths is the longest scratch-deck lookback a
// [ContentMap] accepts: ten years of months.
const MaxScratchLookbackMonths = 120

// UnmarshalJSON decodes a content map strictly.
func (m *ContentMap) UnmarshalJSON(data []byte) error {
	type plain ContentMap
	var p plain
	if err := decodeStrict(data, &p); err != nil {
		return err
	}
	*m = ContentMap(p)
	return nil
}

// DefaultContentMap returns an empty map over the six default states and the
// seed's five roles, retiring assets after 90 days unused and flagging more
// than one scratch-built deck a month over the last three months.
func DefaultContentMap() ContentMap {
	return ContentMap{
		States:                []State{Unaware, ProblemAware, SolutionAware, PartnerAware, DecisionReady, PostPurchase},
		Roles:                 []Role{EconomicBuyer, TechnicalEvaluator, EndUser, Procurement, SecurityReviewer},
		RetireAfterDays:       90,
		ScratchDecksPerMonth:  1,
		ScratchLookbackMonths: 3,
	}
}

// Validate reports blank or repeated states, roles and asset IDs, assets in
// a state or role outside the map, assets without a creation time, unknown
// not-needed cells and out-of-range thresholds.
func (m ContentMap) Validate() error {
	v := revalign.Validator{Pkg: pkg}
	states := uniqueNames(&v, "states", m.States)
	roles := uniqueNames(&v, "roles", m.Roles)
	for i, c := range m.NotNeeded {
		p := revalign.Index("not_needed", i)
		v.Check(states[c.State], p+".state", string(c.State), "not a state of the map")
		v.Check(roles[c.Role], p+".role", string(c.Role), "not a role of the map")
	}
	ids := map[string]bool{}
	for i, a := range m.Assets {
		p := revalign.Index("assets", i)
		if v.Check(validName(a.ID), p+".id", a.ID, "asset needs an ID") {
			v.Check(!ids[a.ID], p+".id", a.ID, "repeats an earlier asset")
			ids[a.ID] = true
		}
		v.Check(states[a.State], p+".state", string(a.State), "not a state of the map")
		v.Check(roles[a.Role], p+".role", string(a.Role), "not a role of the map")
		v.Check(!a.CreatedAt.IsZero(), p+".created_at", nil, "asset needs a creation time")
	}
	v.Check(m.RetireAfterDays > 0, "retire_after_days", m.RetireAfterDays, "must be > 0")
	v.Check(m.ScratchDecksPerMonth >= 0 && !math.IsInf(m.ScratchDecksPerMonth, 0), "scratch_decks_per_month", m.ScratchDecksPerMonth, "must be a finite number >= 0")
	v.Check(m.ScratchLookbackMonths >= 1 && m.ScratchLookbackMonths <= MaxScratchLookbackMonths, "scratch_lookback_months", m.ScratchLookbackMonths,
		"must be in 1.."+strconv.Itoa(MaxScratchLookbackMonths))
	return v.Err()
}

func uniqueNames[T ~string](v *revalign.Validator, path string, names []T) map[T]bool {
	seen := make(map[T]bool, len(names))
	v.Check(len(names) > 0, path, nil, "needs at least one")
	for i, n := range names {
		p := revalign.Index(path, i)
		if v.Check(validName(string(n)), p, string(n), "needs a name without surrounding space") {
			v.Check(!seen[n], p, string(n), "repeats an earlier one")
			seen[n] = true
		}
	}
	return seen
}

// Gaps returns the state × role cells with no live asset, in the map's
// state then role order, leaving out the NotNeeded cells.
func (m ContentMap) Gaps() []Cell {
	filled := map[Cell]bool{}
	for _, a := range m.Assets {
		if !a.Retired {
			filled[Cell{a.State, a.Role}] = true
		}
	}
	for _, c := range m.NotNeeded {
		filled[c] = true
	}
	var out []Cell
	for _, s := range m.States {
		for _, r := range m.Roles {
			if c := (Cell{s, r}); !filled[c] {
				out = append(out, c)
			}
		}
	}
	return out
}

// Usage is one usage-telemetry event: an asset pulled into a deal, an asset
// used outside any deal (no DealID; it does not count as pulled into a
// deal), or a deck a rep built from scratch (FromScratch, no AssetID).
type Usage struct {
	// ID identifies the event in errors.
	ID string `json:"id"`
	// AssetID is the asset used; empty for a deck built from scratch.
	AssetID string `json:"asset_id,omitempty"`
	// DealID is the opportunity the asset was pulled into; empty for a use
	// outside any deal.
	DealID string `json:"deal_id,omitempty"`
	// At is when the content was used or built.
	At time.Time `json:"at"`
	// By is the rep who used or built the content.
	By string `json:"by,omitempty"`
	// Role is the buying-committee role the content was for.
	Role Role `json:"role,omitempty"`
	// FromScratch marks a deck a rep built from scratch instead of using
	// a mapped asset.
	FromScratch bool `json:"from_scratch,omitempty"`
}

// ContentReport is the content map's review as of a date.
type ContentReport struct {
	// AsOf is the date of the review.
	AsOf time.Time `json:"as_of"`
	// Gaps are the cells with no live asset.
	Gaps []Cell `json:"gaps"`
	// Retire lists the live assets to retire.
	Retire []RetireCandidate `json:"retire"`
	// Utilization in active deals.
	Utilization Utilization `json:"utilization"`
	// Scratch is the scratch-deck review and the seed's flag.
	Scratch ScratchReview `json:"scratch"`
	// OutsideDeals counts the uses of an asset in no deal (a preview, a
	// send outside an opportunity) up to AsOf. They are valid telemetry but
	// not "pulled into a deal": they keep no asset from retiring and count
	// in no utilization figure.
	OutsideDeals int `json:"outside_deals"`
	// Invalid lists usage events that could not be used.
	Invalid []revalign.RecordError `json:"invalid,omitempty"`
}

// RetireCandidate is a live asset not pulled into any deal within the
// retirement window (uses outside a deal do not count).
type RetireCandidate struct {
	// Asset is the asset to retire.
	Asset Asset `json:"asset"`
	// LastUsed is the last time the asset was pulled into a deal, or the
	// zero time if never.
	LastUsed time.Time `json:"last_used,omitzero"`
}

// Utilization measures content use in active deals ("content utilization
// rate in active deals", one of the seed's minimum viable metrics), from
// both sides.
type Utilization struct {
	// ActiveDeals is the number of active deals.
	ActiveDeals int `json:"active_deals"`
	// DealsWithContent is how many active deals pulled in at least one
	// mapped asset.
	DealsWithContent int `json:"deals_with_content"`
	// DealRate is DealsWithContent ÷ ActiveDeals (0 without active deals).
	DealRate float64 `json:"deal_rate"`
	// LiveAssets is the number of assets not retired.
	LiveAssets int `json:"live_assets"`
	// UsedInActiveDeals is how many live assets were pulled into an
	// active deal.
	UsedInActiveDeals int `json:"used_in_active_deals"`
	// AssetRate is UsedInActiveDeals ÷ LiveAssets (0 without live assets).
	AssetRate float64 `json:"asset_rate"`
}

// ScratchReview counts the decks reps built from scratch in the complete
// months before the as-of month.
type ScratchReview struct {
	// Months, oldest first, each with its count and whether it exceeded the
	// threshold.
	Months []ScratchMonth `json:"months"`
	// Total is the number of scratch decks over the months.
	Total int `json:"total"`
	// PerMonth is Total ÷ the number of months.
	PerMonth float64 `json:"per_month"`
	// Threshold is the map's ScratchDecksPerMonth.
	Threshold float64 `json:"threshold"`
	// Flagged is true when PerMonth exceeds the threshold: "if sales builds
	// decks from scratch more than once a month, the content map has a
	// gap. Fill it before producing new top-of-funnel assets."
	Flagged bool `json:"flagged"`
	// ByRole counts the scratch decks per buying role, most first: the
	// roles the map fails.
	ByRole []RoleCount `json:"by_role"`
}

// ScratchMonth is one month of the scratch-deck review.
type ScratchMonth struct {
	// Period is the month, from the calendar.
	Period revalign.Period `json:"period"`
	// Count is the number of decks built from scratch in the month.
	Count int `json:"count"`
	// Flagged is true when Count exceeds the threshold.
	Flagged bool `json:"flagged"`
}

// RoleCount is a number of scratch decks for one role ("" when the
// telemetry did not say).
type RoleCount struct {
	// Role is the buying-committee role the decks were for.
	Role Role `json:"role"`
	// Count is the number of decks.
	Count int `json:"count"`
}

// Report reviews the map as of asOf with the usage telemetry: gaps, assets
// to retire, utilization in the given active deals and the scratch-deck
// flag over the calendar's months. Usage after asOf is not yet known and is
// left out. Only an asset pulled into a deal (a usage event with a DealID)
// counts as used, for retirement as for utilization ("assets not pulled
// into deals within 90 days get retired"); uses outside any deal are
// counted in OutsideDeals. A usage event without a time, naming an asset the
// map does not hold, or built from scratch yet naming an asset, is reported
// in Invalid and left out of the figures. An invalid map is an error.
func (m ContentMap) Report(usage []Usage, activeDeals []string, cal revalign.FiscalCalendar, asOf time.Time) (ContentReport, error) {
	if err := m.Validate(); err != nil {
		return ContentReport{}, err
	}
	rep := ContentReport{AsOf: asOf, Gaps: m.Gaps()}
	assets := make(map[string]int, len(m.Assets))
	for i, a := range m.Assets {
		assets[a.ID] = i
	}
	lastUsed := make([]time.Time, len(m.Assets))
	active := make(map[string]bool, len(activeDeals))
	for _, d := range activeDeals {
		active[d] = true
	}
	dealsWith := map[string]bool{}
	usedActive := make([]bool, len(m.Assets))
	lookback := cal.Periods(revalign.Month, monthsBack(cal, asOf, m.ScratchLookbackMonths), cal.Month(asOf).Start)
	scratch := make([]int, len(lookback))
	byRole := map[Role]int{}
	for _, u := range usage {
		if err := checkUsage(u, assets); err != nil {
			rep.Invalid = append(rep.Invalid, revalign.RecordError{ID: u.ID, Err: err})
			continue
		}
		if u.At.After(asOf) {
			continue
		}
		if u.FromScratch {
			if i := monthIndex(lookback, u.At); i >= 0 {
				scratch[i]++
				byRole[u.Role]++
			}
			continue
		}
		if u.DealID == "" {
			rep.OutsideDeals++
			continue
		}
		ai := assets[u.AssetID]
		if u.At.After(lastUsed[ai]) {
			lastUsed[ai] = u.At
		}
		if active[u.DealID] {
			dealsWith[u.DealID] = true
			usedActive[ai] = true
		}
	}
	cutoff := asOf.Add(-time.Duration(m.RetireAfterDays) * 24 * time.Hour)
	for i, a := range m.Assets {
		if a.Retired {
			continue
		}
		rep.Utilization.LiveAssets++
		if usedActive[i] {
			rep.Utilization.UsedInActiveDeals++
		}
		// An asset younger than the window has not had its chance yet.
		if a.CreatedAt.After(cutoff) || lastUsed[i].After(cutoff) {
			continue
		}
		rep.Retire = append(rep.Retire, RetireCandidate{Asset: a, LastUsed: lastUsed[i]})
	}
	rep.Utilization.ActiveDeals = len(active)
	rep.Utilization.DealsWithContent = len(dealsWith)
	rep.Utilization.DealRate = ratio(len(dealsWith), len(active))
	rep.Utilization.AssetRate = ratio(rep.Utilization.UsedInActiveDeals, rep.Utilization.LiveAssets)
	rep.Scratch = m.scratchReview(lookback, scratch, byRole)
	return rep, nil
}

func (m ContentMap) scratchReview(months []revalign.Period, counts []int, byRole map[Role]int) ScratchReview {
	s := ScratchReview{Threshold: m.ScratchDecksPerMonth}
	for i, p := range months {
		s.Months = append(s.Months, ScratchMonth{Period: p, Count: counts[i], Flagged: float64(counts[i]) > s.Threshold})
		s.Total += counts[i]
	}
	if len(months) > 0 {
		s.PerMonth = float64(s.Total) / float64(len(months))
	}
	s.Flagged = s.PerMonth > s.Threshold
	for r, n := range byRole {
		s.ByRole = append(s.ByRole, RoleCount{r, n})
	}
	slices.SortFunc(s.ByRole, func(a, b RoleCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Role, b.Role))
	})
	return s
}

func checkUsage(u Usage, assets map[string]int) error {
	switch {
	case u.At.IsZero():
		return &revalign.FieldError{Pkg: pkg, Path: "at", Reason: "usage needs a time"}
	case u.FromScratch && u.AssetID != "":
		return &revalign.FieldError{Pkg: pkg, Path: "asset_id", Value: u.AssetID, Reason: "a deck built from scratch names no asset"}
	case !u.FromScratch && u.AssetID == "":
		return &revalign.FieldError{Pkg: pkg, Path: "asset_id", Reason: "usage names no asset and is not built from scratch"}
	case !u.FromScratch:
		if _, ok := assets[u.AssetID]; !ok {
			return &revalign.FieldError{Pkg: pkg, Path: "asset_id", Value: u.AssetID, Reason: "asset not on the content map"}
		}
	}
	return nil
}

// monthsBack returns the start of the month n months before the month of t.
func monthsBack(cal revalign.FiscalCalendar, t time.Time, n int) time.Time {
	start := cal.Month(t).Start
	y, mo, _ := start.Date()
	return time.Date(y, mo-time.Month(n), 1, 0, 0, 0, 0, start.Location())
}

func monthIndex(months []revalign.Period, t time.Time) int {
	for i, p := range months {
		if p.Contains(t) {
			return i
		}
	}
	return -1
}
