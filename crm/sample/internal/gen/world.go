package gen

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign/crm"
)

// world holds the generated company and its market while the generator
// builds the export.
type world struct {
	r map[string]rng

	accts       []*account
	leadsByAcct map[string][]*lead
	people      map[string]crm.User
	sdrs        map[string][]string // region → SDR IDs
	aes         map[string][]string // segment → AE IDs
	csms        []string
	leadList    []*lead
	opps        []*opp

	outAccounts     []crm.Account
	outUsers        []crm.User
	outLeads        []crm.Lead
	outStates       []crm.DemandStateChange
	outEvents       []crm.Event
	outTouches      []crm.Touch
	outOpps         []crm.Opportunity
	outStages       []crm.StageChange
	outSnapshots    []crm.PipelineSnapshot
	outForecasts    []crm.Forecast
	outCustEvents   []crm.CustomerEvent
	outARR          []crm.ARRMovement
	outUsage        []crm.AccountUsage
	outAssets       []crm.ContentAsset
	outContentUsage []crm.ContentUsage
	outSpend        []crm.Spend
	outRates        []crm.ExchangeRate
	outAnswers      []crm.Answer
}

func newWorld(seed uint64) *world {
	w := &world{r: map[string]rng{}, leadsByAcct: map[string][]*lead{}, people: map[string]crm.User{},
		sdrs: map[string][]string{}, aes: map[string][]string{}}
	for i, name := range []string{"users", "accounts", "leads", "events", "touches", "dispo", "opps", "snap", "fc", "post", "usage", "content", "misc"} {
		w.r[name] = newRNG(seed, uint64(i+1))
	}
	return w
}

type account struct {
	crm.Account
	loc        *time.Location
	domain     string
	fitEmp     bool
	fitInd     bool
	hris       bool
	served     bool
	competitor bool
	// post-sale state
	customerFrom time.Time // contract start of the current customer relationship
	preexisting  bool
	arr          float64
	firstValue   bool
	wonOpp       *opp
}

func (w *world) users() {
	type u struct{ id, name, team, role, region, tz, mgr string }
	list := []u{
		{"U001", "Maya Lindqvist", "marketing", "CMO", "NA", "America/New_York", ""},
		{"U002", "Daniel Ortega", "sales", "CRO", "NA", "America/New_York", ""},
		{"U003", "Aisha Bello", "customer-success", "VP Customer Success", "NA", "America/New_York", "U002"},
		{"U004", "Sam Whitfield", "revops", "RevOps Director", "NA", "America/New_York", "U002"},
		{"U005", "Priya Raman", "marketing", "Marketing Operations Lead", "NA", "America/New_York", "U001"},
		{"U006", "Grace Kim", "sales", "Sales Operations Lead", "NA", "America/New_York", "U002"},
		{"U007", "Tom Okafor", "marketing", "Content Lead", "NA", "America/Chicago", "U001"},
		{"U008", "Lena Brooks", "marketing", "Demand Generation Manager", "NA", "America/New_York", "U001"},
		{"U009", "Marcus Hale", "sales", "SDR Manager", "NA", "America/New_York", "U002"},
		{"U010", "Jonah Pierce", "sales", "SDR", "NA", "America/New_York", "U009"},
		{"U011", "Keisha Grant", "sales", "SDR", "NA", "America/New_York", "U009"},
		{"U012", "Evan Cho", "sales", "SDR", "NA", "America/New_York", "U009"},
		{"U013", "Rosa Delgado", "sales", "SDR", "NA", "America/Chicago", "U009"},
		{"U014", "Oliver Grant", "sales", "SDR", "EMEA", "Europe/London", "U009"},
		{"U015", "Sofie Jansen", "sales", "SDR", "EMEA", "Europe/Amsterdam", "U009"},
		{"U016", "Lucas Ferreira", "sales", "SDR", "LATAM", "America/Sao_Paulo", "U009"},
		{"U017", "Hannah Weiss", "sales", "Account Executive", "NA", "America/New_York", "U002"},
		{"U018", "Ben Adler", "sales", "Account Executive", "NA", "America/New_York", "U002"},
		{"U019", "Chloe Martin", "sales", "Account Executive", "NA", "America/Chicago", "U002"},
		{"U020", "Ravi Shah", "sales", "Account Executive", "NA", "America/Los_Angeles", "U002"},
		{"U021", "Nora Fitzgerald", "sales", "Account Executive", "EMEA", "Europe/London", "U002"},
		{"U022", "Felix Braun", "sales", "Account Executive", "EMEA", "Europe/Berlin", "U002"},
		{"U023", "Isabel Moreau", "sales", "Enterprise Account Executive", "NA", "America/New_York", "U002"},
		{"U024", "Victor Lang", "sales", "Enterprise Account Executive", "EMEA", "Europe/London", "U002"},
		{"U025", "Mei Tanaka", "customer-success", "Customer Success Manager", "NA", "America/New_York", "U003"},
		{"U026", "Diego Alvarez", "customer-success", "Customer Success Manager", "NA", "America/Chicago", "U003"},
		{"U027", "Emma Clarke", "customer-success", "Customer Success Manager", "EMEA", "Europe/London", "U003"},
		{"U028", "Arjun Nair", "customer-success", "Onboarding Specialist", "NA", "America/New_York", "U003"},
	}
	for _, x := range list {
		usr := crm.User{ID: x.id, Name: x.name, Team: x.team, Role: x.role, Region: x.region, TimeZone: x.tz, ManagerID: x.mgr}
		w.outUsers = append(w.outUsers, usr)
		w.people[x.id] = usr
	}
	// APAC leads are worked from the US East team: this is the planted cause
	// of the region's first-touch breaches.
	w.sdrs["NA"] = []string{"U010", "U011", "U012"}
	w.sdrs["NA-west"] = []string{"U013"}
	w.sdrs["APAC"] = []string{"U010", "U011", "U012"}
	w.sdrs["EMEA"] = []string{"U014"}
	w.sdrs["EMEA-central"] = []string{"U015"}
	w.sdrs["LATAM"] = []string{"U016"}
	w.aes["SMB"] = []string{"U017", "U018", "U019", "U020", "U021", "U022"}
	w.aes["MID"] = []string{"U017", "U018", "U019", "U020", "U021", "U022"}
	w.aes["ENT"] = []string{"U023", "U024"}
	w.csms = []string{"U025", "U026", "U027", "U028"}
}

type country struct {
	code, region, currency string
	zones                  []string
	weight                 float64
}

var countries = []country{
	{"US", "NA", "USD", []string{"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"}, 48},
	{"CA", "NA", "USD", []string{"America/Toronto", "America/Vancouver"}, 6},
	{"GB", "EMEA", "GBP", []string{"Europe/London"}, 10},
	{"IE", "EMEA", "EUR", []string{"Europe/Dublin"}, 2},
	{"DE", "EMEA", "EUR", []string{"Europe/Berlin"}, 6},
	{"FR", "EMEA", "EUR", []string{"Europe/Paris"}, 3},
	{"NL", "EMEA", "EUR", []string{"Europe/Amsterdam"}, 3},
	{"SE", "EMEA", "EUR", []string{"Europe/Stockholm"}, 1},
	{"AU", "APAC", "USD", []string{"Australia/Sydney", "Australia/Melbourne"}, 5},
	{"SG", "APAC", "USD", []string{"Asia/Singapore"}, 3},
	{"IN", "APAC", "USD", []string{"Asia/Kolkata"}, 3},
	{"JP", "APAC", "USD", []string{"Asia/Tokyo"}, 1},
	{"BR", "LATAM", "USD", []string{"America/Sao_Paulo"}, 4},
	{"MX", "LATAM", "USD", []string{"America/Mexico_City"}, 3},
	// unserved
	{"CN", "APAC", "USD", []string{"Asia/Shanghai"}, 1},
	{"RU", "EMEA", "USD", []string{"Europe/Moscow"}, 0.6},
	{"TR", "EMEA", "USD", []string{"Europe/Istanbul"}, 0.6},
}

var industries = []struct {
	name   string
	fit    bool
	weight float64
}{
	{"Software", true, 16}, {"Healthcare", true, 13}, {"Retail", true, 12}, {"Logistics", true, 9},
	{"Financial Services", true, 10}, {"Manufacturing", false, 12}, {"Education", false, 8},
	{"Government", false, 5}, {"Hospitality", false, 9}, {"Media", false, 6},
}

var namePartsA = []string{"North", "Blue", "Iron", "Silver", "Bright", "Cedar", "Harbor", "Summit", "Pioneer", "Granite",
	"Maple", "Atlas", "Beacon", "Crescent", "Evergreen", "Falcon", "Golden", "Horizon", "Keystone", "Lakeside",
	"Meridian", "Nimbus", "Orchard", "Pinnacle", "Quarry", "Redwood", "Sterling", "Tidal", "Union", "Vertex",
	"Willow", "Zenith", "Apex", "Birch", "Cobalt", "Delta", "Ember", "Frontier", "Glacier", "Highland"}
var namePartsB = []string{"Systems", "Health", "Logistics", "Retail", "Labs", "Group", "Partners", "Works", "Foods", "Capital",
	"Clinics", "Freight", "Stores", "Analytics", "Networks", "Industries", "Holdings", "Media", "Learning", "Hotels"}

var exchange = map[string]float64{"USD": 1, "EUR": 1.08, "GBP": 1.27}

func (w *world) accounts() {
	r := w.r["accounts"]
	cw := make([]float64, len(countries))
	for i, c := range countries {
		cw[i] = c.weight
	}
	iw := make([]float64, len(industries))
	for i, x := range industries {
		iw[i] = x.weight
	}
	used := map[string]bool{}
	for i := 0; i < 1500; i++ {
		id := fmt.Sprintf("A%05d", i+1)
		var name string
		for {
			name = namePartsA[r.IntN(len(namePartsA))] + " " + namePartsB[r.IntN(len(namePartsB))]
			if !used[name] {
				break
			}
			name += fmt.Sprintf(" %d", r.IntN(90)+10)
			if !used[name] {
				break
			}
		}
		used[name] = true
		c := countries[r.pick(cw)]
		ind := industries[r.pick(iw)]
		emp := int(math.Round(r.lognormal(260, 1.35)))
		emp = min(max(emp, 12), 60000)
		seg := "SMB"
		switch {
		case emp >= 2000:
			seg = "ENT"
		case emp >= 200:
			seg = "MID"
		}
		zone := c.zones[r.IntN(len(c.zones))]
		loc := mustLoc(zone)
		rev := float64(emp) * r.lognormal(170000, 0.5) / exchange[c.currency]
		a := &account{loc: loc}
		a.Account = crm.Account{
			ID: id, Name: name, Industry: ind.name, Employees: emp,
			AnnualRevenue: money(rev, 10000), Country: c.code, Region: c.region, TimeZone: zone,
			Segment: seg, Currency: c.currency,
			CreatedAt: r.anyMoment(r.between(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)), loc),
		}
		a.domain = strings.ToLower(strings.ReplaceAll(name, " ", "")) + ".com"
		a.fitEmp = emp >= 200 && emp <= 5000
		a.fitInd = ind.fit
		a.served = !slices.Contains([]string{"CN", "RU", "TR"}, c.code)
		var tech []string
		switch x := r.Float64(); {
		case x < 0.16:
			tech, a.hris = append(tech, "Workday"), true
		case x < 0.29:
			tech, a.hris = append(tech, "BambooHR"), true
		case x < 0.37:
			tech, a.hris = append(tech, "UKG"), true
		case x < 0.47:
			tech = append(tech, "ADP")
		}
		for _, t := range []struct {
			name string
			p    float64
		}{{"Okta", 0.3}, {"Slack", 0.45}, {"Microsoft Teams", 0.4}, {"Salesforce", 0.35}, {"ServiceNow", 0.12},
			{"Greenhouse", 0.15}, {"Jira", 0.3}, {"Zoom", 0.5}, {"HubSpot", 0.2}} {
			if r.chance(t.p) {
				tech = append(tech, t.name)
			}
		}
		a.Technographics = tech
		w.accts = append(w.accts, a)
	}
	// Three competitors show up as accounts (their people download our
	// content); their domains are the sample's competitor domains.
	for i, d := range []struct{ name, domain string }{{"Shiftly", "shiftly.io"}, {"Rosterline", "rosterline.com"}, {"Crewboard", "crewboard.app"}} {
		a := w.accts[100+i*37]
		a.Name, a.domain, a.Industry, a.competitor = d.name, d.domain, "Software", true
		a.Account.Name, a.Account.Industry = d.name, "Software"
	}
	// Customers before the window: ~230 accounts, contract starts spread over
	// the three years before it. Never competitors or unserved.
	for _, a := range w.accts {
		if a.competitor || !a.served {
			continue
		}
		p := 0.12
		if a.fitEmp {
			p += 0.06
		}
		if a.hris {
			p += 0.05
		}
		if r.chance(p) {
			a.preexisting = true
			y := r.between(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
			a.customerFrom = monthStart(y)
			a.arr = arrFor(r, a.Segment) / exchange[a.Currency]
			a.firstValue = r.chance(0.8)
		}
	}
}

func arrFor(r rng, seg string) float64 {
	switch seg {
	case "ENT":
		return r.lognormal(130000, 0.5)
	case "MID":
		return r.lognormal(40000, 0.45)
	}
	return r.lognormal(12000, 0.4)
}

func dec(x float64) decimal.Decimal { return money(x, 100) }
