package cadence

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

var q2 = revalign.Period{Start: time.Date(2026, 5, 1, 0, 0, 0, 0, newYork), End: time.Date(2026, 8, 1, 0, 0, 0, 0, newYork)}

func handLosses() []Loss {
	loss := func(id, reason, amount string, closed time.Time) Loss {
		return Loss{ID: id, Owner: rep("Rep " + id), Amount: dec(amount), Currency: "USD", ClosedOn: closed, Reason: reason}
	}
	ls := []Loss{
		loss("L1", "Security review failed", "120000", day(2026, 5, 4)),
		loss("L2", "Security review failed", "90000", day(2026, 6, 1)),
		loss("L3", "Price", "80000", day(2026, 6, 2)),
		loss("L4", "No decision", "70000", day(2026, 6, 3)),
		loss("L5", "Lost to competitor", "60000", day(2026, 6, 4)),
		loss("L6", "No decision", "50000", day(2026, 6, 5)),
		loss("L7", "security review failed", "40000", day(2026, 6, 6)),
		loss("L8", "Missing integration", "30000", day(2026, 6, 7)),
		loss("L9", "Price", "20000", day(2026, 6, 8)),
		loss("L10", "Champion left", "15000", day(2026, 6, 9)),
		loss("L11", "Timing", "10000", day(2026, 7, 31)),
		loss("L12", "Weird reason", "5000", day(2026, 7, 1)),
		loss("L13", "Price", "500000", day(2026, 8, 1)), // next quarter
		loss("L14", "Lost to competitor", "8000", day(2026, 5, 1)),
	}
	ls[0].Findings = []string{"Buyer's security team needed a SOC 2 questionnaire we did not have"}
	ls[7].Owner = rep("Ann")
	ls[7].Findings = []string{"Ann forgot to ask about the HRIS integration"}
	ls[2].Findings = []string{"Procurement compared our per-seat price with a competitor's bundle"}
	return ls
}

func caseIDs(cs []Case) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func TestPostMortemHandWorked(t *testing.T) {
	pm, err := DefaultPostMortemPolicy().Run(handLosses(), q2)
	require.NoError(t, err)
	require.Empty(t, pm.Errors)
	assert.Equal(t, 13, pm.Losses, "L13 closed in the next quarter")
	assert.True(t, pm.ValueLost.Equal(dec("598000")), "%s", pm.ValueLost)

	// Round-robin over reasons, each reason ordered by its largest loss:
	// security L1, price L3, no decision L4, competitor L5, integration L8,
	// champion L10, timing L11, weird L12; then the second of each: L2, L9.
	assert.Equal(t, []string{"L1", "L3", "L4", "L5", "L8", "L10", "L11", "L12", "L2", "L9"}, caseIDs(pm.Selected))
	assert.Equal(t, Content, pm.Selected[0].Category)
	assert.Equal(t, Unclassified, pm.Selected[7].Category)
	assert.Len(t, pm.Questions, 5)

	// Categories over the quarter: content L1 L2 L7 (250000), qualification
	// L4 L6 L11 (130000), sales motion L5 L10 L14 (83000), pricing L3 L9
	// (100000); ICP has one loss (L8), an individual case.
	type ch struct {
		rank     int
		cat      Category
		losses   int
		selected int
		value    string
	}
	var got []ch
	for _, c := range pm.Changes {
		got = append(got, ch{c.Rank, c.Category, c.Losses, c.Selected, c.Value.String()})
	}
	assert.Equal(t, []ch{{1, Content, 3, 2, "250000"}, {2, Qualification, 3, 2, "130000"}, {3, SalesMotion, 3, 2, "83000"}, {4, Pricing, 2, 2, "100000"}}, got)
	assert.Equal(t, []string{"L1", "L2", "L7"}, pm.Changes[0].LossIDs)
	assert.Equal(t, []string{"Security review failed"}, pm.Changes[0].Reasons)
	assert.Equal(t, []string{"No decision", "Timing"}, pm.Changes[1].Reasons)
	assert.Equal(t, DefaultPostMortemPolicy().Actions.Content, pm.Changes[0].Action)

	require.Len(t, pm.Findings, 3)
	assert.Equal(t, Finding{LossID: "L1", Text: handLosses()[0].Findings[0], Category: Content}, pm.Findings[0])
	assert.Equal(t, Pricing, pm.Findings[1].Category, "price comes before competitor in the rules")
	assert.True(t, pm.Findings[2].Individual, "names the owner and 'forgot'")
	assert.False(t, pm.IndividualMistakes)
	require.Len(t, pm.Warnings, 1)
	assert.Equal(t, "unclassified", pm.Warnings[0].Code)
	assert.Contains(t, pm.Warnings[0].Message, "Weird reason")
}

func TestPostMortemDeterministic(t *testing.T) {
	want, err := DefaultPostMortemPolicy().Run(handLosses(), q2)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		ls := handLosses()
		r.Shuffle(len(ls), func(i, j int) { ls[i], ls[j] = ls[j], ls[i] })
		got, err := DefaultPostMortemPolicy().Run(ls, q2)
		require.NoError(t, err)
		assert.Equal(t, caseIDs(want.Selected), caseIDs(got.Selected))
		assert.Equal(t, want.Changes, got.Changes)
	}
}

func TestPostMortemByValue(t *testing.T) {
	p := DefaultPostMortemPolicy()
	p.DiverseReasons, p.MaxLosses = false, 5
	pm, err := p.Run(handLosses(), q2)
	require.NoError(t, err)
	assert.Equal(t, []string{"L1", "L2", "L3", "L4", "L5"}, caseIDs(pm.Selected))
	p.MinChanges, p.MaxChanges = 2, 2
	pm, err = p.Run(handLosses(), q2)
	require.NoError(t, err)
	assert.Len(t, pm.Changes, 2)
	assert.Empty(t, pm.Warnings[1:], "4 patterns found: enough even if only 2 are kept")
}

func TestPostMortemIndividualMistakes(t *testing.T) {
	// Three losses, each its own reason, findings about people: no
	// structural pattern, the seed's warning.
	ls := []Loss{
		{ID: "a", Owner: rep("Kim"), Amount: dec("100"), Currency: "USD", ClosedOn: day(2026, 6, 1), Reason: "Price",
			Findings: []string{"Kim should have involved the CFO", "Kim was late with the proposal"}},
		{ID: "b", Owner: rep("Lee"), Amount: dec("100"), Currency: "USD", ClosedOn: day(2026, 6, 2), Reason: "Champion left",
			Findings: []string{"Rep dropped the ball after the demo"}},
		{ID: "c", Owner: rep("Mo"), Amount: dec("100"), Currency: "USD", ClosedOn: day(2026, 6, 3), Reason: "Missing integration"},
	}
	pm, err := DefaultPostMortemPolicy().Run(ls, q2)
	require.NoError(t, err)
	assert.True(t, pm.IndividualMistakes)
	assert.Empty(t, pm.Changes)
	var codes []string
	for _, w := range pm.Warnings {
		codes = append(codes, w.Code)
	}
	assert.Equal(t, []string{"too_few_losses", "too_few_patterns", "individual_mistakes"}, codes)
}

// TestFindingNamesOwner: a finding is about the deal's owner when it names
// them, first name or last name, as a whole word, in any case; a name that
// is only part of another word does not count.
func TestFindingNamesOwner(t *testing.T) {
	p := DefaultPostMortemPolicy()
	p.IndividualMarkers = nil // the owner's name alone decides
	cases := []struct {
		owner, finding string
		individual     bool
	}{
		{"Al", "Final approval sat with procurement for six weeks", false},
		{"Al", "Legal review stalled the deal", false},
		{"Al", "Al never met the economic buyer", true},
		{"Al", "The CFO preferred al's competitor's terms", true},
		{"Isabel Moreau", "Isabel forgot the security questionnaire", true},
		{"Isabel Moreau", "MOREAU did not multi-thread", true},
		{"Isabel Moreau", "Isabella, the champion, left the company", false},
		{"Isabel Moreau", "the security review took eight weeks", false},
		{"Jean-Luc Picard", "Jean-Luc sent pricing late", true},
		{"Jean-Luc Picard", "Luc is the buyer's CTO", false},
		{"Ann", "Annual budget was already spent", false},
		{"Ann", "Ann: no compelling event", true},
		{"", "Anyone could have seen the budget freeze", false},
		{"J. Smith", "J. was right about timing", false}, // an initial alone names nobody
		{"J. Smith", "Smith's champion left", true},
	}
	for _, c := range cases {
		t.Run(c.owner+"/"+c.finding, func(t *testing.T) {
			assert.Equal(t, c.individual, p.individual(c.finding, rep(c.owner)))
		})
	}
}

func TestPostMortemErrors(t *testing.T) {
	ls := handLosses()
	ls = append(ls,
		Loss{ID: "", Currency: "USD", ClosedOn: day(2026, 6, 1)},
		Loss{ID: "L1", Currency: "USD", ClosedOn: day(2026, 6, 1)},
		Loss{ID: "x1", Currency: "USD"},
		Loss{ID: "x2", Currency: "EUR", Amount: dec("5"), ClosedOn: day(2026, 6, 1)},
		Loss{ID: "x3", Currency: "USD", Amount: dec("-5"), ClosedOn: day(2026, 6, 1)},
		Loss{ID: "x4", Currency: "USD", Amount: dec("0.001"), ClosedOn: day(2026, 6, 1)},
	)
	pm, err := DefaultPostMortemPolicy().Run(ls, q2)
	require.NoError(t, err)
	var got []string
	for _, e := range pm.Errors {
		got = append(got, e.ID)
		assert.True(t, errors.Is(e, revalign.ErrInvalid) || errors.Is(e, revalign.ErrCurrency), e.ID)
	}
	assert.Equal(t, []string{"losses[14]", "L1", "x1", "x2", "x3", "x4"}, got)
	assert.Equal(t, 13, pm.Losses)

	_, err = DefaultPostMortemPolicy().Run(ls, revalign.Period{})
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	bad := DefaultPostMortemPolicy()
	bad.MaxLosses = 2
	_, err = bad.Run(ls, q2)
	assert.ErrorIs(t, err, revalign.ErrInvalid)
}

func TestPostMortemValidate(t *testing.T) {
	require.NoError(t, DefaultPostMortemPolicy().Validate())
	p := DefaultPostMortemPolicy()
	p.Currency, p.MinLosses, p.MaxLosses = "", 0, -1
	p.Questions = []string{" "}
	p.Rules = []Rule{{Match: "", Category: Unclassified}}
	p.IndividualMarkers = []string{""}
	p.PatternMinLosses, p.MinChanges, p.MaxChanges = 1, 0, -1
	p.Actions.Pricing = ""
	assert.Equal(t, []string{"currency", "min_losses", "max_losses", "questions[0]", "rules[0].match", "rules[0].category",
		"individual_markers[0]", "pattern_min_losses", "min_changes", "max_changes", "actions.pricing"}, fieldPaths(t, p.Validate()))
	p = DefaultPostMortemPolicy()
	p.Questions = nil
	assert.Equal(t, []string{"questions"}, fieldPaths(t, p.Validate()))
}

func TestClassify(t *testing.T) {
	p := DefaultPostMortemPolicy()
	for reason, want := range map[string]Category{
		"No decision": Qualification, "Lost to competitor": SalesMotion, "Price": Pricing, "Security review failed": Content,
		"Missing integration": ICP, "Champion left": SalesMotion, "Timing": Qualification, "No budget": Qualification,
		"Bad fit": ICP, "Great benefits": Unclassified, "": Unclassified,
	} {
		assert.Equal(t, want, p.Classify(reason), reason)
	}
}
