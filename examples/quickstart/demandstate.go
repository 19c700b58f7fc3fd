package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/crm"
	"github.com/revalign/revalign/demandstate"
	"github.com/revalign/revalign/examples/internal/fieldstone"
)

// demandstateSection replaces the funnel with demand states (seed, Step 1
// and Step 5; catalog, Demand State Routing Framework): it classifies every
// lead from signals derived from its events, touches and account, audits a
// first-draft definition set for ambiguity, routes the population, reviews
// last month's transitions and reviews the content map with its usage
// telemetry.
func demandstateSection(in *input) (section, error) {
	s := section{Key: "demandstate", Phase: "fix", Title: "Demand states: classification, routing and the content map"}
	d, asOf := in.Data, in.AsOf

	// The demand-state map (examples/internal/fieldstone/demandstate.yaml):
	// the default taxonomy and criteria, with the sample company's leaders
	// as owners. Each lead's signals are derived from its events and
	// touches up to asOf (fieldstone.DemandStateRecord: the conversion to
	// copy).
	model, err := fieldstone.DemandStateModel()
	if err != nil {
		return s, err
	}
	cl, err := demandstate.NewClassifier(model)
	if err != nil {
		return s, err
	}
	records := fieldstone.DemandStateRecords(d, model, asOf)

	// 1. The first draft, one signal per state as teams usually write
	// them, audited before anything is routed.
	draft, err := demandstate.NewClassifier(firstDraft(model))
	if err != nil {
		return s, err
	}
	draftAudit := draft.Audit(records, asOf)
	audit := cl.Audit(records, asOf)

	// 2. Routing with the tightened model.
	router, err := fieldstone.Router() // the default routing, reviewed by the RevOps Director
	if err != nil {
		return s, err
	}
	disp, err := demandstate.NewDispatcher(cl, router)
	if err != nil {
		return s, err
	}
	decisions, bad := disp.RouteBatch(records, asOf, nil)
	if len(bad) > 0 {
		return s, fmt.Errorf("demandstate: %d records do not fit the model: %w", len(bad), bad[0])
	}
	routing := demandstate.Summarize(decisions)
	committees, err := buyingCommittees(model, d.Leads, decisions)
	if err != nil {
		return s, err
	}

	// 3. Last month's demand-state review from the recorded history.
	histories, compacted := leadHistories(d)
	lastMonth := in.Calendar.Month(in.Calendar.Month(asOf).Start.Add(-time.Hour))
	review, badHist := model.Review(histories, lastMonth)

	// 4. The content map and its telemetry.
	cmap := contentMap(d)
	cmap.ScratchLookbackMonths = 6
	content, err := cmap.Report(contentUsage(d), openDeals(d), in.Calendar, asOf)
	if err != nil {
		return s, err
	}

	var counts []string
	for _, c := range audit.States {
		counts = append(counts, fmt.Sprintf("%s %d", c.State, c.Count))
	}
	s.Lines = append(s.Lines,
		fmt.Sprintf("States of %d leads as of %s (default six-state model): %s.",
			audit.Total, asOf.Format(time.DateOnly), strings.Join(counts, ", ")),
		fmt.Sprintf("Ambiguity audit of the first draft (one signal per state, no exclusions): %d of %d leads (%.0f%%) meet two or more states, %d none.",
			draftAudit.Ambiguous, draftAudit.Total, pct(draftAudit.Ambiguous, draftAudit.Total), len(draftAudit.Unclassified)))
	for _, p := range draftAudit.Pairs[:min(3, len(draftAudit.Pairs))] {
		s.Lines = append(s.Lines, fmt.Sprintf("  %s / %s: %d leads, e.g. %s",
			p.States[0], p.States[1], p.Count, strings.Join(p.Examples[:min(3, len(p.Examples))], ", ")))
	}
	s.Lines = append(s.Lines,
		fmt.Sprintf("  Tightened (each state excludes the later states' signals): %d ambiguous, %d unclassified — two people can no longer disagree.",
			audit.Ambiguous, len(audit.Unclassified)),
		"Routing by state: "+routingLine(routing),
		fmt.Sprintf("Buying committees: %d accounts with 2+ leads, %d with members in different states; decision-ready accounts: %d by most advanced member, %d by role weight (economic buyer 3, technical evaluator 2, others 1).",
			committees.accounts, committees.split, committees.mostAdvanced, committees.weighted),
		fmt.Sprintf("Demand-state review %s: %d transitions, %d skips, %d regressions (%.0f%%); %d histories had same-instant entries compacted first, %d rejected.",
			lastMonth.Start.Format("January 2006"), review.Transitions, review.Skips, review.Regressions,
			100*review.RegressionRate, compacted, len(badHist)),
		fmt.Sprintf("Content map: %d live assets over %d states × %d roles; %d of %d cells have no live asset.",
			content.Utilization.LiveAssets, len(cmap.States), len(cmap.Roles), len(content.Gaps), len(cmap.States)*len(cmap.Roles)))
	for _, role := range []demandstate.Role{demandstate.SecurityReviewer, demandstate.Procurement} {
		s.Lines = append(s.Lines, fmt.Sprintf("  gap: %s has no live asset in %s.", role, gapStates(content.Gaps, role, len(cmap.States))))
	}
	sc := content.Scratch
	var months []string
	for _, m := range sc.Months {
		months = append(months, fmt.Sprintf("%s %d", m.Period.Start.Format("Jan"), m.Count))
	}
	flag := "within the rule"
	if sc.Flagged {
		flag = fmt.Sprintf("FLAG: %.1f a month, more than %g a month — fill the gap before new top-of-funnel content", sc.PerMonth, sc.Threshold)
	}
	s.Lines = append(s.Lines,
		fmt.Sprintf("Decks built from scratch: %s (%s).", strings.Join(months, ", "), flag),
		fmt.Sprintf("  by role: %s.", roleCounts(sc.ByRole)),
		fmt.Sprintf("Retire: %d live assets not pulled into a deal in %d days (%.0f%% of the live library; %d never used), e.g. %s.",
			len(content.Retire), cmap.RetireAfterDays, pct(len(content.Retire), content.Utilization.LiveAssets),
			neverUsed(content.Retire), retireExamples(content.Retire, 2)),
		fmt.Sprintf("Utilization: %d of %d open deals pulled in mapped content (%.0f%%); %d of %d live assets are in an open deal.",
			content.Utilization.DealsWithContent, content.Utilization.ActiveDeals, 100*content.Utilization.DealRate,
			content.Utilization.UsedInActiveDeals, content.Utilization.LiveAssets),
	)
	s.Data = demandstateData{audit, draftAudit, routing, review, content}
	return s, nil
}

// demandstateData is the section's machine-readable part.
type demandstateData struct {
	Audit      demandstate.AuditReport    `json:"audit"`
	DraftAudit demandstate.AuditReport    `json:"draft_audit"`
	Routing    demandstate.RoutingSummary `json:"routing"`
	Review     demandstate.Review         `json:"review"`
	Content    demandstate.ContentReport  `json:"content"`
}

// leader returns the user holding role as an owner, or fallback.
func leader(users []crm.User, role string, fallback revalign.Owner) revalign.Owner {
	for _, u := range users {
		if u.Role == role {
			return revalign.Owner{Name: u.Name, Team: revalign.Team(u.Team)}
		}
	}
	return fallback
}

// firstDraft is the definition set a team writes first: each state by its
// own signal, with nothing excluding the others.
func firstDraft(m demandstate.Model) demandstate.Model {
	entry := map[demandstate.State][]demandstate.Criterion{
		demandstate.Unaware:       {{Signal: demandstate.SignalEngagedAt, Op: demandstate.Absent}},
		demandstate.ProblemAware:  {{Signal: demandstate.SignalEngagedAt, Op: demandstate.Present}},
		demandstate.SolutionAware: {{Signal: demandstate.SignalContentAt, Op: demandstate.WithinDays, Days: 90}},
		demandstate.PartnerAware:  {{Signal: demandstate.SignalPartnerAt, Op: demandstate.WithinDays, Days: 90}},
		demandstate.DecisionReady: {{Any: []demandstate.Criterion{
			{Signal: demandstate.SignalPricingAt, Op: demandstate.WithinDays, Days: 14},
			{Signal: demandstate.SignalDemoAt, Op: demandstate.WithinDays, Days: 14}}}},
		demandstate.PostPurchase: {{Signal: demandstate.SignalCustomer, Op: demandstate.Eq, Value: demandstate.Bool(true)}},
	}
	m.Name = "first draft"
	m.States = slices.Clone(m.States)
	for i := range m.States {
		m.States[i].Entry = entry[m.States[i].Name]
	}
	return m
}

// leadHistories groups demand_state_history.csv by lead, with the lead's
// owner, and compacts the same-instant entries the CRM logs when a lead is
// created straight into a later state. It returns how many histories
// needed it.
func leadHistories(d *crm.Dataset) ([]demandstate.History, int) {
	owner := map[string]string{}
	for _, l := range d.Leads {
		owner[l.ID] = l.OwnerID
	}
	byLead := map[string]*demandstate.History{}
	var order []string
	for _, c := range d.DemandStateHistory {
		h := byLead[c.LeadID]
		if h == nil {
			h = &demandstate.History{ID: c.LeadID, Owner: owner[c.LeadID]}
			byLead[c.LeadID] = h
			order = append(order, c.LeadID)
		}
		h.Changes = append(h.Changes, demandstate.Change{State: demandstate.State(c.DemandState), EnteredAt: c.EnteredAt})
	}
	out := make([]demandstate.History, 0, len(order))
	compacted := 0
	for _, id := range order {
		h, removed := byLead[id].Compact()
		if removed > 0 {
			compacted++
		}
		out = append(out, h)
	}
	return out, compacted
}

// contentMap maps content_assets.csv onto the six states and the sample's
// eight buying roles (the seed's five plus HR, IT and finance).
func contentMap(d *crm.Dataset) demandstate.ContentMap {
	m := demandstate.DefaultContentMap()
	m.Roles = append(m.Roles, "hr", "it", "finance")
	for _, a := range d.ContentAssets {
		m.Assets = append(m.Assets, demandstate.Asset{
			ID: a.ID, Title: a.Title, Type: a.Type, State: demandstate.State(a.DemandState),
			Role: demandstate.Role(a.BuyingRole), CreatedAt: a.CreatedAt, Retired: a.Status == "retired",
		})
	}
	return m
}

// contentUsage converts content_usage.csv into usage telemetry.
func contentUsage(d *crm.Dataset) []demandstate.Usage {
	out := make([]demandstate.Usage, len(d.ContentUsage))
	for i, u := range d.ContentUsage {
		out[i] = demandstate.Usage{ID: u.ID, AssetID: u.AssetID, DealID: u.OpportunityID, At: u.UsedAt,
			By: u.UsedBy, Role: demandstate.Role(u.BuyingRole), FromScratch: u.BuiltFromScratch}
	}
	return out
}

// openDeals returns the IDs of the open opportunities: the active deals.
func openDeals(d *crm.Dataset) []string {
	var out []string
	for _, o := range d.Opportunities {
		if o.Status == "open" {
			out = append(out, o.ID)
		}
	}
	return out
}

func routingLine(r demandstate.RoutingSummary) string {
	var parts []string
	for _, a := range r.ByAction {
		parts = append(parts, fmt.Sprintf("%s %d", a.Action, a.Count))
	}
	var owners []string
	for _, o := range r.ByOwner {
		owners = append(owners, fmt.Sprintf("%s %d", o.Owner.Name, o.Count))
	}
	return fmt.Sprintf("%s; by owner %s; %d to the review queue.", strings.Join(parts, ", "), strings.Join(owners, ", "), r.Review)
}

func gapStates(gaps []demandstate.Cell, role demandstate.Role, nStates int) string {
	var states []string
	for _, g := range gaps {
		if g.Role == role {
			states = append(states, string(g.State))
		}
	}
	if len(states) == nStates {
		return "any state (" + strings.Join(states, ", ") + ")"
	}
	return strings.Join(states, ", ")
}

func roleCounts(rc []demandstate.RoleCount) string {
	var parts []string
	for _, r := range rc {
		parts = append(parts, fmt.Sprintf("%s %d", r.Role, r.Count))
	}
	return strings.Join(parts, ", ")
}

func retireExamples(rs []demandstate.RetireCandidate, n int) string {
	var parts []string
	for _, r := range rs[:min(n, len(rs))] {
		parts = append(parts, fmt.Sprintf("%s %q", r.Asset.ID, r.Asset.Title))
	}
	return strings.Join(parts, ", ")
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func neverUsed(rs []demandstate.RetireCandidate) int {
	n := 0
	for _, r := range rs {
		if r.LastUsed.IsZero() {
			n++
		}
	}
	return n
}

// committeeStats summarises the buying committees.
type committeeStats struct {
	accounts, split, mostAdvanced, weighted int
}

// buyingCommittees rolls each account's classified leads up to an
// account-level state under two policies: the most advanced member, and a
// weighting by buying role.
func buyingCommittees(m demandstate.Model, leads []crm.Lead, decisions []demandstate.Decision) (committeeStats, error) {
	members := map[string][]demandstate.Member{}
	var order []string
	for i, l := range leads {
		if l.AccountID == "" {
			continue
		}
		if members[l.AccountID] == nil {
			order = append(order, l.AccountID)
		}
		members[l.AccountID] = append(members[l.AccountID], demandstate.Member{ID: l.ID, Role: l.BuyingRole, State: decisions[i].State})
	}
	most := demandstate.Policy{Aggregation: demandstate.MostAdvanced}
	weighted := demandstate.Policy{Aggregation: demandstate.Weighted, DefaultWeight: 1,
		Weights: map[string]float64{string(demandstate.EconomicBuyer): 3, string(demandstate.TechnicalEvaluator): 2}}
	var st committeeStats
	for _, id := range order {
		ms := members[id]
		if len(ms) < 2 {
			continue
		}
		st.accounts++
		a, err := m.AccountState(ms, most)
		if err != nil {
			return st, fmt.Errorf("account %s: %w", id, err)
		}
		if len(a.Spread) > 1 {
			st.split++
		}
		if a.State == demandstate.DecisionReady {
			st.mostAdvanced++
		}
		w, err := m.AccountState(ms, weighted)
		if err != nil {
			return st, fmt.Errorf("account %s: %w", id, err)
		}
		if w.State == demandstate.DecisionReady {
			st.weighted++
		}
	}
	return st, nil
}
