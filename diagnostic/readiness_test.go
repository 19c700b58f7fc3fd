package diagnostic

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

func readyOrg() Org {
	return Org{
		CROSponsor: true, CMOSponsor: true, CRM: true,
		CRMHygiene: CRMHygiene{true, true, true}, Analysts: 1,
		FullSalesTeam: true, FullMarketingTeam: true, MarketingAutomation: true,
	}
}

func codes(r Readiness) []string {
	var out []string
	for _, x := range r.Reasons {
		out = append(out, x.Code)
	}
	return out
}

func TestReadiness(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Org)
		fit   Fit
		codes []string
	}{
		{"ready", func(*Org) {}, Ready, nil},
		{"no CMO sponsor", func(o *Org) { o.CMOSponsor = false }, NotYet, []string{"cmo_sponsor"}},
		{"no analyst", func(o *Org) { o.Analysts = 0 }, NotYet, []string{"analyst"}},
		{"dirty CRM", func(o *Org) { o.CRMHygiene.OwnerFields = false }, NotYet, []string{"crm_hygiene"}},
		{"no CRM at all", func(o *Org) { o.CRM = false; o.CRMHygiene = CRMHygiene{} }, NotYet, []string{"crm"}},
		{"too small", func(o *Org) { o.FullMarketingTeam = false; o.MarketingAutomation = false }, NotYet,
			[]string{"full_marketing_team"}},
		// Marketing automation is where the catalog "fits best", not one of
		// its prerequisites: its absence is a note, never a "not yet".
		{"no marketing automation", func(o *Org) { o.MarketingAutomation = false }, Ready, nil},
		{"founder-led", func(o *Org) { o.FounderLedSales = true }, DoesNotFit, []string{"founder_led_sales"}},
		{"self-serve", func(o *Org) { o.SelfServeOnly = true }, DoesNotFit, []string{"self_serve_only"}},
		{"reorganising and no CRO", func(o *Org) { o.Reorganizing = true; o.CROSponsor = false }, DoesNotFit,
			[]string{"reorganizing", "cro_sponsor"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := readyOrg()
			c.edit(&o)
			r, err := o.Readiness()
			require.NoError(t, err)
			assert.Equal(t, c.fit, r.Fit)
			assert.Equal(t, c.codes, codes(r))
		})
	}
}

func TestReadinessExplains(t *testing.T) {
	o := readyOrg()
	o.CMOSponsor = false
	o.Analysts = 0
	o.CRMHygiene = CRMHygiene{StageDefinitions: true}
	r, err := o.Readiness()
	require.NoError(t, err)
	assert.Equal(t, "not yet, because the CMO is not an executive sponsor; "+
		"CRM hygiene is missing: deduplicated accounts, owner fields; nobody can pull the underlying numbers", r.String())

	o = readyOrg()
	o.Reorganizing = true
	o.Analysts = 0
	r, err = o.Readiness()
	require.NoError(t, err)
	assert.Equal(t, "does not fit: an active reorganisation leaves ownership unstable (also missing: nobody can pull the underlying numbers)", r.String())
	assert.True(t, r.Reasons[0].Blocking)
	assert.False(t, r.Reasons[1].Blocking)

	o = readyOrg()
	o.MarketingAutomation = false
	r, err = o.Readiness()
	require.NoError(t, err)
	assert.Equal(t, Ready, r.Fit)
	assert.Empty(t, r.Reasons)
	assert.Equal(t, []Reason{{Code: "marketing_automation", Text: "there is no marketing automation: the frameworks fit best with some"}}, r.Notes)
	assert.Equal(t, "ready (note: there is no marketing automation: the frameworks fit best with some)", r.String())
	o.CMOSponsor = false
	r, err = o.Readiness()
	require.NoError(t, err)
	assert.Equal(t, "not yet, because the CMO is not an executive sponsor (note: there is no marketing automation: the frameworks fit best with some)", r.String())

	r, err = readyOrg().Readiness()
	require.NoError(t, err)
	assert.Equal(t, "ready", r.String())
	assert.Empty(t, r.Notes)
	assert.Equal(t, "unknown", Readiness{}.String())

	// The zero Org meets nothing and is told every reason.
	r, err = Org{}.Readiness()
	require.NoError(t, err)
	assert.Equal(t, NotYet, r.Fit)
	assert.Equal(t, []string{"cro_sponsor", "cmo_sponsor", "crm", "analyst", "full_sales_team", "full_marketing_team"}, codes(r))
	require.Len(t, r.Notes, 1)
	assert.Equal(t, "marketing_automation", r.Notes[0].Code)

	roundTrip(t, r)
}

func TestReadinessBadInput(t *testing.T) {
	o := readyOrg()
	o.Analysts = -2
	_, err := o.Readiness()
	assert.ErrorIs(t, err, revalign.ErrInvalid)
	assert.EqualError(t, err, "diagnostic: analysts: must be >= 0, got -2")
}
