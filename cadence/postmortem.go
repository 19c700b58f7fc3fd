package cadence

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
	"github.com/revalign/revalign/internal/enum"
)

// Category is a structural category a loss post-mortem routes its findings
// to: the seed's "ICP, qualification, content, pricing, or sales motion".
type Category int

// The structural categories. Unclassified (the zero value) marks a reason or
// finding no rule matched.
const (
	Unclassified Category = iota
	ICP
	Qualification
	Content
	Pricing
	SalesMotion
	numCategories
)

// categoryNames is the text of the categories; categoryTitles their String.
var (
	categoryNames = enum.Names[Category]{Pkg: pkg, Type: "Category", Path: "category", Match: enum.Lower,
		Names: []string{Unclassified: "unclassified", ICP: "icp", Qualification: "qualification",
			Content: "content", Pricing: "pricing", SalesMotion: "sales_motion"},
		Want: "must be icp, qualification, content, pricing or sales_motion"}
	categoryTitles = enum.Names[Category]{Type: "Category",
		Names: []string{Unclassified: "Unclassified", ICP: "ICP", Qualification: "Qualification",
			Content: "Content", Pricing: "Pricing", SalesMotion: "Sales motion"}}
)

// String returns the category's name as people write it ("Sales motion").
func (c Category) String() string { return categoryTitles.String(c) }

// MarshalText encodes the category as "icp", "qualification", "content",
// "pricing", "sales_motion" or "unclassified".
func (c Category) MarshalText() ([]byte, error) { return categoryNames.Text(c) }

// UnmarshalText decodes a category name.
func (c *Category) UnmarshalText(b []byte) error { return categoryNames.Unmarshal(c, b) }

// Loss is one lost deal for the post-mortem. Amount is in the post-mortem's
// reporting currency (convert with [revalign.Rates.Convert]); ClosedOn is a
// calendar date.
type Loss struct {
	// ID is the opportunity ID.
	ID string `json:"id"`
	// Owner owned the deal; findings naming the owner are about a person.
	Owner revalign.Owner `json:"owner"`
	// Amount in Currency.
	Amount decimal.Decimal `json:"amount"`
	// Currency of Amount; it must be the post-mortem's currency.
	Currency string `json:"currency"`
	// ClosedOn is the date the deal was lost.
	ClosedOn time.Time `json:"closed_on"`
	// Reason is the recorded loss reason ("No decision", "Price", …).
	Reason string `json:"reason"`
	// Findings are what the review and the prospect interview found, one
	// sentence each.
	Findings []string `json:"findings,omitempty"`
}

// Rule routes a loss reason or a finding to a category when it contains
// Match (case-insensitively). Rules are tried in order; the first match
// wins.
type Rule struct {
	// Match is the text to look for, e.g. "security".
	Match string `json:"match"`
	// Category is where a matching reason or finding goes.
	Category Category `json:"category"`
}

// Actions are the structural change proposed for each category; the
// post-mortem names the pattern and the evidence, the team words the change.
type Actions struct {
	// ICP is the change proposed for an ICP pattern.
	ICP string `json:"icp"`
	// Qualification is the change proposed for a qualification pattern.
	Qualification string `json:"qualification"`
	// Content is the change proposed for a content pattern.
	Content string `json:"content"`
	// Pricing is the change proposed for a pricing pattern.
	Pricing string `json:"pricing"`
	// SalesMotion is the change proposed for a sales-motion pattern.
	SalesMotion string `json:"sales_motion"`
}

func (a Actions) of(c Category) string {
	switch c {
	case ICP:
		return a.ICP
	case Qualification:
		return a.Qualification
	case Content:
		return a.Content
	case Pricing:
		return a.Pricing
	case SalesMotion:
		return a.SalesMotion
	}
	return ""
}

// PostMortemPolicy configures the quarterly loss post-mortem (the seed's
// Step 6): how many losses to review and how to pick them, the interview
// questions, how reasons and findings map to structural categories, and how
// many structural changes to produce.
type PostMortemPolicy struct {
	// Currency is the reporting currency of the losses, a three-letter
	// code read without surrounding space and in upper case. Defaults to
	// "USD".
	Currency string `json:"currency"`
	// MinLosses is the fewest losses a quarter should have to review;
	// fewer is a warning. Defaults to 5.
	MinLosses int `json:"min_losses"`
	// MaxLosses is the most losses selected for review. Defaults to 10.
	MaxLosses int `json:"max_losses"`
	// DiverseReasons picks losses round-robin across loss reasons (the
	// largest loss of each reason first) rather than purely by value.
	// Defaults to true.
	DiverseReasons bool `json:"diverse_reasons"`
	// Questions are the interview questions carried to each review.
	Questions []string `json:"questions"`
	// Rules map loss reasons and findings to categories.
	Rules []Rule `json:"rules"`
	// IndividualMarkers are phrases that make a finding about a person's
	// mistake rather than a structure ("forgot", "should have").
	IndividualMarkers []string `json:"individual_markers"`
	// PatternMinLosses is the number of losses a category needs to be a
	// structural pattern rather than an individual case. Defaults to 2.
	PatternMinLosses int `json:"pattern_min_losses"`
	// MinChanges is the fewest structural changes the post-mortem should
	// produce; fewer patterns is a warning. Defaults to 3.
	MinChanges int `json:"min_changes"`
	// MaxChanges is the most structural changes it produces. Defaults to 5.
	MaxChanges int `json:"max_changes"`
	// Actions are the changes proposed per category.
	Actions Actions `json:"actions"`
}

// DefaultPostMortemPolicy returns the seed's loss post-mortem: 5 to 10
// losses chosen by value and diversity of reason, the five interview
// questions, rules for the common loss reasons, 3 to 5 structural changes.
func DefaultPostMortemPolicy() PostMortemPolicy {
	return PostMortemPolicy{
		Currency:       "USD",
		MinLosses:      5,
		MaxLosses:      10,
		DiverseReasons: true,
		Questions: []string{
			"What problem were you trying to solve when we first talked?",
			"Who else was in the decision and what did they need?",
			"Where in the process did our fit weaken?",
			"What did a competitor or status quo do better?",
			`What would have made this an easier "yes"?`,
		},
		Rules: []Rule{
			{Match: "security", Category: Content},
			{Match: "questionnaire", Category: Content},
			{Match: "case stud", Category: Content},
			{Match: "collateral", Category: Content},
			{Match: "content", Category: Content},
			{Match: "integration", Category: ICP},
			{Match: "bad fit", Category: ICP},
			{Match: "poor fit", Category: ICP},
			{Match: "not a fit", Category: ICP},
			{Match: "too small", Category: ICP},
			{Match: "budget", Category: Qualification},
			{Match: "no decision", Category: Qualification},
			{Match: "timing", Category: Qualification},
			{Match: "compelling event", Category: Qualification},
			{Match: "price", Category: Pricing},
			{Match: "pricing", Category: Pricing},
			{Match: "discount", Category: Pricing},
			{Match: "competitor", Category: SalesMotion},
			{Match: "champion", Category: SalesMotion},
			{Match: "single-thread", Category: SalesMotion},
			{Match: "multi-thread", Category: SalesMotion},
		},
		IndividualMarkers: []string{"forgot", "should have", "didn't follow", "did not follow", "dropped the ball", "mistake", "was late", "lazy"},
		PatternMinLosses:  2,
		MinChanges:        3,
		MaxChanges:        5,
		Actions: Actions{
			ICP:           "Tighten the ICP: make the pattern a fit criterion or a hard disqualifier in the scoring model",
			Qualification: "Add a qualification exit criterion (compelling event, decision process, budget) before a deal advances",
			Content:       "Fill the content gap for the buying-committee role that stalled these deals",
			Pricing:       "Review packaging and pricing, and where in the sales motion price is introduced",
			SalesMotion:   "Change the sales motion: multi-thread every deal and run the competitive play before the evaluation",
		},
	}
}

// Validate reports a missing currency, bounds out of order, rules without a
// match or category, and missing questions or actions.
func (p PostMortemPolicy) Validate() error {
	v := validator()
	checkCurrency(&v, p.Currency)
	v.Check(p.MinLosses >= 1, "min_losses", p.MinLosses, "must be >= 1")
	v.Check(p.MaxLosses >= p.MinLosses, "max_losses", p.MaxLosses, fmt.Sprintf("must be >= min_losses (%d)", p.MinLosses))
	v.Check(len(p.Questions) > 0, "questions", nil, "the post-mortem needs interview questions")
	for i, q := range p.Questions {
		v.Check(!blank(q), revalign.Index("questions", i), q, "must not be blank")
	}
	for i, r := range p.Rules {
		path := revalign.Index("rules", i)
		v.Check(!blank(r.Match), path+".match", r.Match, "must not be blank")
		v.Check(r.Category > Unclassified && r.Category < numCategories, path+".category", int(r.Category), categoryNames.Want)
	}
	for i, m := range p.IndividualMarkers {
		v.Check(!blank(m), revalign.Index("individual_markers", i), m, "must not be blank")
	}
	v.Check(p.PatternMinLosses >= 2, "pattern_min_losses", p.PatternMinLosses, "must be >= 2: one loss is an individual case")
	v.Check(p.MinChanges >= 1, "min_changes", p.MinChanges, "must be >= 1")
	v.Check(p.MaxChanges >= p.MinChanges, "max_changes", p.MaxChanges, fmt.Sprintf("must be >= min_changes (%d)", p.MinChanges))
	for c := ICP; c < numCategories; c++ {
		v.Check(!blank(p.Actions.of(c)), "actions."+categoryNames.Names[c], p.Actions.of(c), "each category needs a structural change")
	}
	return v.Err()
}

// Classify returns the category of a loss reason or finding: the category
// of the first rule whose Match it contains, ignoring case, or
// Unclassified.
func (p PostMortemPolicy) Classify(text string) Category {
	for _, r := range p.Rules {
		if containsFold(text, r.Match) {
			return r.Category
		}
	}
	return Unclassified
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(strings.TrimSpace(sub)))
}

// Case is a loss selected for review, with its reason's category.
type Case struct {
	// Loss is the loss selected; in JSON its fields are inline.
	Loss
	// Category is the category of the loss reason.
	Category Category `json:"category"`
}

// Finding is one classified finding of the post-mortem.
type Finding struct {
	// LossID is the loss the finding is about.
	LossID string `json:"loss_id"`
	// Text is the finding as written.
	Text string `json:"text"`
	// Category of the finding (Unclassified when no rule matched).
	Category Category `json:"category"`
	// Individual is true when the finding is about a person's mistake (it
	// names the deal's owner, by a word of their name as a whole word, or
	// uses an individual marker), which the seed says a post-mortem must
	// not produce.
	Individual bool `json:"individual"`
}

// StructuralChange is one change for next quarter's plan: a category with
// the losses that show it.
type StructuralChange struct {
	// Rank, from 1, by the number of losses, then the value lost.
	Rank int `json:"rank"`
	// Category is the structural category to change.
	Category Category `json:"category"`
	// Reasons are the loss reasons behind the change, most frequent first
	// (matched ignoring case, as first spelled).
	Reasons []string `json:"reasons"`
	// Losses counts the quarter's losses in this category.
	Losses int `json:"losses"`
	// Selected counts how many of them the session reviews.
	Selected int `json:"selected"`
	// Value is the value lost in those losses.
	Value decimal.Decimal `json:"value"`
	// LossIDs are the losses, largest first.
	LossIDs []string `json:"loss_ids"`
	// Action is the proposed structural change.
	Action string `json:"action"`
}

// Warning is a check of the post-mortem that failed.
type Warning struct {
	// Code is "too_few_losses", "unclassified", "too_few_patterns" or
	// "individual_mistakes".
	Code string `json:"code"`
	// Message explains the warning.
	Message string `json:"message"`
}

// PostMortem is the quarterly loss post-mortem.
type PostMortem struct {
	// Quarter is the quarter reviewed.
	Quarter revalign.Period `json:"quarter"`
	// Currency is the reporting currency.
	Currency string `json:"currency"`
	// Losses counts the usable losses of the quarter.
	Losses int `json:"losses"`
	// ValueLost is their total value.
	ValueLost decimal.Decimal `json:"value_lost"`
	// Selected are the losses to review, in selection order.
	Selected []Case `json:"selected"`
	// Questions to ask in each prospect interview.
	Questions []string `json:"questions"`
	// Findings of the quarter's losses, classified.
	Findings []Finding `json:"findings,omitempty"`
	// Changes are the structural changes, ranked.
	Changes []StructuralChange `json:"changes"`
	// IndividualMistakes is the seed's warning: the output is a list of
	// individual mistakes instead of structural patterns.
	IndividualMistakes bool `json:"individual_mistakes"`
	// Warnings lists the checks that failed.
	Warnings []Warning `json:"warnings,omitempty"`
	// Errors lists the losses that could not be used.
	Errors []revalign.RecordError `json:"errors,omitempty"`
}

// Run runs the loss post-mortem of the quarter (a half-open period, e.g.
// cal.Quarter(t) of the last complete fiscal quarter) over losses.
//
// Losses closed in the quarter are candidates. The selection takes up to
// MaxLosses of them: with DiverseReasons, round-robin over loss reasons
// (reasons ordered by their largest loss, each reason's losses by value),
// otherwise by value; ties by ID, so the selection is deterministic. Every
// candidate's reason, and every finding that is not about an individual,
// is classified; a category shared by PatternMinLosses losses or more is a
// structural pattern, and up to MaxChanges of them become the ranked
// structural changes (by number of losses, then value lost). Patterns are
// counted over the whole quarter, not only the selected losses, so a
// pattern the session does not sample still shows.
//
// Losses without an ID or close date, duplicated, in another currency or
// with a negative amount are reported in Errors. The error is non-nil only
// for an invalid policy or a zero quarter.
func (p PostMortemPolicy) Run(losses []Loss, quarter revalign.Period) (PostMortem, error) {
	if err := p.Validate(); err != nil {
		return PostMortem{}, err
	}
	p.Currency = currencyCode(p.Currency) // once: the post-mortem compares and reports this code
	if quarter.IsZero() || !quarter.End.After(quarter.Start) {
		return PostMortem{}, &revalign.FieldError{Pkg: pkg, Path: "quarter", Value: quarter.String(), Reason: "the post-mortem needs a quarter"}
	}
	places := revalign.MinorUnits(p.Currency)
	win := window{from: dateOf(quarter.Start).days(), to: dateOf(quarter.End).days()}
	pm := PostMortem{Quarter: quarter, Currency: p.Currency, Questions: slices.Clone(p.Questions)}
	type cand struct {
		loss  *Loss
		units int64
	}
	var cands []cand
	seen := map[string]bool{}
	var total int64
	for i := range losses {
		l := &losses[i]
		if err := p.checkLoss(l, seen); err != nil {
			pm.Errors = append(pm.Errors, recordError(l.ID, "losses", i, err))
			continue
		}
		seen[l.ID] = true
		if !win.has(dayOf(l.ClosedOn)) {
			continue
		}
		u, _ := revalign.ToUnits(l.Amount, places) // checked by checkLoss
		cands = append(cands, cand{l, u})
		total += u
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.units, a.units); c != 0 {
			return c
		}
		return cmp.Compare(a.loss.ID, b.loss.ID)
	})
	pm.Losses, pm.ValueLost = len(cands), fromUnits(total, places)

	// Selection: by value, round-robin over reasons when diverse.
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	if p.DiverseReasons {
		order = roundRobin(len(cands), func(i int) string { return strings.ToLower(strings.TrimSpace(cands[i].loss.Reason)) })
	}
	selected := map[string]bool{}
	for _, i := range order[:min(len(order), p.MaxLosses)] {
		l := cands[i].loss
		pm.Selected = append(pm.Selected, Case{Loss: *l, Category: p.Classify(l.Reason)})
		selected[l.ID] = true
	}

	// Patterns: each loss counts once per category, from its reason and
	// its structural findings.
	type tally struct {
		losses, selected int
		units            int64
		ids              []string
		reasons          []string
		reasonCount      map[string]int
	}
	var tallies [numCategories]tally
	unclassified := map[string]bool{}
	individual, structural := 0, 0
	for _, c := range cands {
		l := c.loss
		var cats [numCategories]bool
		rc := p.Classify(l.Reason)
		if rc == Unclassified {
			unclassified[strings.TrimSpace(l.Reason)] = true
		}
		cats[rc] = true
		for _, f := range l.Findings {
			fd := Finding{LossID: l.ID, Text: f, Category: p.Classify(f), Individual: p.individual(f, l.Owner)}
			pm.Findings = append(pm.Findings, fd)
			if fd.Individual {
				individual++
				continue
			}
			structural++
			cats[fd.Category] = true
		}
		for k := ICP; k < numCategories; k++ {
			if !cats[k] {
				continue
			}
			t := &tallies[k]
			t.losses++
			t.units += c.units
			t.ids = append(t.ids, l.ID)
			if selected[l.ID] {
				t.selected++
			}
			reason := strings.TrimSpace(l.Reason)
			key := strings.ToLower(reason)
			if t.reasonCount == nil {
				t.reasonCount = map[string]int{}
			}
			if t.reasonCount[key] == 0 {
				t.reasons = append(t.reasons, reason)
			}
			t.reasonCount[key]++
		}
	}
	type ranked struct {
		change StructuralChange
		units  int64
	}
	var rs []ranked
	for k := ICP; k < numCategories; k++ {
		t := tallies[k]
		if t.losses < p.PatternMinLosses {
			continue
		}
		slices.SortStableFunc(t.reasons, func(a, b string) int {
			return cmp.Compare(t.reasonCount[strings.ToLower(b)], t.reasonCount[strings.ToLower(a)])
		})
		rs = append(rs, ranked{StructuralChange{Category: k, Reasons: t.reasons, Losses: t.losses, Selected: t.selected,
			Value: fromUnits(t.units, places), LossIDs: t.ids, Action: p.Actions.of(k)}, t.units})
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if c := cmp.Compare(b.change.Losses, a.change.Losses); c != 0 {
			return c
		}
		return cmp.Compare(b.units, a.units)
	})
	patternsFound := len(rs)
	for i, r := range rs[:min(len(rs), p.MaxChanges)] {
		r.change.Rank = i + 1
		pm.Changes = append(pm.Changes, r.change)
	}

	// The checks.
	if pm.Losses < p.MinLosses {
		pm.Warnings = append(pm.Warnings, Warning{"too_few_losses",
			fmt.Sprintf("%d losses in %s; the post-mortem reviews %d to %d", pm.Losses, quarter, p.MinLosses, p.MaxLosses)})
	}
	if len(unclassified) > 0 {
		names := slices.Sorted(maps.Keys(unclassified))
		pm.Warnings = append(pm.Warnings, Warning{"unclassified",
			fmt.Sprintf("no rule classifies the loss reason(s) %q: add rules", names)})
	}
	if patternsFound < p.MinChanges {
		pm.Warnings = append(pm.Warnings, Warning{"too_few_patterns",
			fmt.Sprintf("%d structural pattern(s) shared by %d or more losses; the post-mortem produces %d to %d structural changes", patternsFound, p.PatternMinLosses, p.MinChanges, p.MaxChanges)})
	}
	if individual > structural || (pm.Losses > 0 && patternsFound == 0) {
		pm.IndividualMistakes = true
		pm.Warnings = append(pm.Warnings, Warning{"individual_mistakes",
			fmt.Sprintf("the output is a list of individual mistakes instead of structural patterns (%d findings about individuals, %d structural, %d patterns): run it with a neutral facilitator and ask the structural questions", individual, structural, patternsFound)})
	}
	return pm, nil
}

func (p PostMortemPolicy) checkLoss(l *Loss, seen map[string]bool) error {
	switch {
	case blank(l.ID):
		return errNoID
	case seen[l.ID]:
		return fmt.Errorf("duplicate loss ID, ignored: %w", revalign.ErrInvalid)
	case l.ClosedOn.IsZero():
		return fmt.Errorf("no close date: %w", revalign.ErrInvalid)
	case !strings.EqualFold(strings.TrimSpace(l.Currency), p.Currency):
		return fmt.Errorf("amount in %q, the post-mortem is in %q: convert it with a rates table first: %w", l.Currency, p.Currency, revalign.ErrCurrency)
	case l.Amount.IsNegative():
		return errNegative
	}
	_, err := revalign.ToUnits(l.Amount, revalign.MinorUnits(p.Currency))
	return err
}

// individual reports whether a finding is about a person: it names the
// deal's owner or contains an individual marker.
func (p PostMortemPolicy) individual(f string, owner revalign.Owner) bool {
	if namesOwner(f, owner.Name) {
		return true
	}
	for _, m := range p.IndividualMarkers {
		if containsFold(f, m) {
			return true
		}
	}
	return false
}

// namesOwner reports whether text names the owner: any word of the name of
// two letters or more ("Isabel", "Moreau", "Jean-Luc") appears in text as a
// whole word, ignoring case. "Al" names nobody in "Final approval"; "Isabel
// forgot" names Isabel Moreau.
func namesOwner(text, name string) bool {
	for _, tok := range strings.Fields(name) {
		tok = strings.TrimFunc(tok, func(r rune) bool { return !wordRune(r) })
		if utf8.RuneCountInString(tok) >= 2 && containsWord(text, tok) {
			return true
		}
	}
	return false
}

// containsWord reports whether word occurs in text, ignoring case, with no
// letter or digit directly before or after it.
func containsWord(text, word string) bool {
	lt, lw := strings.ToLower(text), strings.ToLower(word)
	for i := 0; ; {
		j := strings.Index(lt[i:], lw)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(lw)
		before, _ := utf8.DecodeLastRuneInString(lt[:start])
		after, _ := utf8.DecodeRuneInString(lt[end:])
		if (start == 0 || !wordRune(before)) && (end == len(lt) || !wordRune(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(lt[start:])
		i = start + size
	}
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// roundRobin orders n items, already sorted by priority, by taking the
// first remaining item of each key in turn; keys are ordered by their first
// item.
func roundRobin(n int, key func(int) string) []int {
	groupOf := map[string]int{}
	var groups [][]int
	for i := range n {
		k := key(i)
		g, ok := groupOf[k]
		if !ok {
			g = len(groups)
			groupOf[k] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	out := make([]int, 0, n)
	for round := 0; len(out) < n; round++ {
		for _, g := range groups {
			if round < len(g) {
				out = append(out, g[round])
			}
		}
	}
	return out
}
