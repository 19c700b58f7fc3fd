package crm

import (
	"time"

	"github.com/shopspring/decimal"
)

// The records below mirror the columns of a Salesforce or HubSpot export.
// Each field's csv tag names its column; ",required" columns may not be
// empty. Timestamps are ISO-8601 with a zone offset
// (2026-03-04T09:15:00-05:00); date columns (…_date, month) are plain dates
// (2026-03-04) read as midnight UTC. Money columns are decimal strings in the
// row's currency column. List columns separate items with ";". An empty
// timestamp is the zero time.Time; an empty number is 0.

// Account is one company (accounts.csv).
type Account struct {
	ID             string          `csv:"account_id,required" json:"account_id"`
	Name           string          `csv:"account_name" json:"account_name"`
	Industry       string          `csv:"industry" json:"industry"`
	Employees      int             `csv:"employee_count" json:"employee_count"`
	AnnualRevenue  decimal.Decimal `csv:"annual_revenue" json:"annual_revenue"`
	Country        string          `csv:"billing_country" json:"billing_country"`
	Region         string          `csv:"region" json:"region"`
	TimeZone       string          `csv:"time_zone" json:"time_zone"`
	Segment        string          `csv:"segment" json:"segment"`
	Technographics []string        `csv:"technographics" json:"technographics"`
	IsCustomer     bool            `csv:"is_customer" json:"is_customer"`
	ARR            decimal.Decimal `csv:"arr" json:"arr"`
	Currency       string          `csv:"currency,required" json:"currency"`
	ContractStart  time.Time       `csv:"contract_start_date" json:"contract_start_date"`
	RenewalDate    time.Time       `csv:"renewal_date" json:"renewal_date"`
	OwnerID        string          `csv:"owner_id" json:"owner_id"`
	CreatedAt      time.Time       `csv:"created_at,required" json:"created_at"`
}

// User is a member of the revenue team (users.csv): SDRs, AEs, CSMs,
// marketers and leaders.
type User struct {
	ID        string `csv:"user_id,required" json:"user_id"`
	Name      string `csv:"name,required" json:"name"`
	Team      string `csv:"team,required" json:"team"`
	Role      string `csv:"role" json:"role"`
	Region    string `csv:"region" json:"region"`
	TimeZone  string `csv:"time_zone" json:"time_zone"`
	ManagerID string `csv:"manager_id" json:"manager_id"`
}

// Lead is a lead or contact with its qualification and handoff timestamps
// (leads.csv). Disposition is one of "Accepted", "Nurture", "Bad fit",
// "Duplicate", "No response", or empty while undispositioned.
type Lead struct {
	ID              string    `csv:"lead_id,required" json:"lead_id"`
	AccountID       string    `csv:"account_id" json:"account_id"`
	Email           string    `csv:"email" json:"email"`
	Title           string    `csv:"title" json:"title"`
	Seniority       string    `csv:"seniority" json:"seniority"`
	BuyingRole      string    `csv:"buying_role" json:"buying_role"`
	LeadSource      string    `csv:"lead_source" json:"lead_source"`
	Country         string    `csv:"country" json:"country"`
	Region          string    `csv:"region" json:"region"`
	TimeZone        string    `csv:"time_zone" json:"time_zone"`
	CreatedAt       time.Time `csv:"created_at,required" json:"created_at"`
	MQLAt           time.Time `csv:"mql_at" json:"mql_at"`
	RoutedAt        time.Time `csv:"routed_at" json:"routed_at"`
	FirstTouchAt    time.Time `csv:"first_touch_at" json:"first_touch_at"`
	DispositionAt   time.Time `csv:"disposition_at" json:"disposition_at"`
	Disposition     string    `csv:"disposition" json:"disposition"`
	RejectionReason string    `csv:"rejection_reason" json:"rejection_reason"`
	OwnerID         string    `csv:"owner_id" json:"owner_id"`
	DemandState     string    `csv:"demand_state" json:"demand_state"`
}

// DemandStateChange is one entry of a lead's demand-state history
// (demand_state_history.csv): the state entered and when.
type DemandStateChange struct {
	LeadID      string    `csv:"lead_id,required" json:"lead_id"`
	DemandState string    `csv:"demand_state,required" json:"demand_state"`
	EnteredAt   time.Time `csv:"entered_at,required" json:"entered_at"`
}

// Event is a behavioural event of a lead (events.csv). Type is one of
// "web_visit", "content_download", "webinar", "pricing_page",
// "demo_request", "intent_signal"; Detail is the page, asset ID or topic.
type Event struct {
	ID         string    `csv:"event_id,required" json:"event_id"`
	LeadID     string    `csv:"lead_id,required" json:"lead_id"`
	AccountID  string    `csv:"account_id" json:"account_id"`
	Type       string    `csv:"event_type,required" json:"event_type"`
	OccurredAt time.Time `csv:"occurred_at,required" json:"occurred_at"`
	Detail     string    `csv:"detail" json:"detail"`
}

// Touch is a marketing or sales touch on a contact (touches.csv). Channel
// is one of "paid_search", "paid_social", "organic_search", "email",
// "events", "webinar", "content_syndication", "partner", "sdr_outbound",
// "direct"; TouchType says what happened ("ad_click", "form_fill",
// "web_visit", "email_click", "event_attendance", "webinar_attendance",
// "content_download", "call", "meeting", "partner_referral").
type Touch struct {
	ID        string    `csv:"touch_id,required" json:"touch_id"`
	LeadID    string    `csv:"lead_id,required" json:"lead_id"`
	AccountID string    `csv:"account_id" json:"account_id"`
	Channel   string    `csv:"channel,required" json:"channel"`
	Campaign  string    `csv:"campaign" json:"campaign"`
	TouchType string    `csv:"touch_type" json:"touch_type"`
	TouchedAt time.Time `csv:"touched_at,required" json:"touched_at"`
}

// Opportunity is a deal (opportunities.csv). Amount is invalid (not
// Valid) when the export left it empty. Status is "open", "won" or "lost"; CloseDate is the actual close date of a closed deal and the
// expected one of an open deal. ForecastCategory is "Commit", "Best case",
// "Pipeline" or "Omitted" (closed deals: "Closed").
type Opportunity struct {
	ID                 string              `csv:"opportunity_id,required" json:"opportunity_id"`
	AccountID          string              `csv:"account_id,required" json:"account_id"`
	Name               string              `csv:"opportunity_name" json:"opportunity_name"`
	Type               string              `csv:"type" json:"type"`
	OwnerID            string              `csv:"owner_id" json:"owner_id"`
	Segment            string              `csv:"segment" json:"segment"`
	Amount             decimal.NullDecimal `csv:"amount" json:"amount"`
	Currency           string              `csv:"currency,required" json:"currency"`
	CreatedAt          time.Time           `csv:"created_at,required" json:"created_at"`
	CloseDate          time.Time           `csv:"close_date" json:"close_date"`
	Status             string              `csv:"status,required" json:"status"`
	Stage              string              `csv:"stage,required" json:"stage"`
	LossReason         string              `csv:"loss_reason" json:"loss_reason"`
	NextAction         string              `csv:"next_action" json:"next_action"`
	NextActionDate     time.Time           `csv:"next_action_date" json:"next_action_date"`
	ForecastCategory   string              `csv:"forecast_category" json:"forecast_category"`
	DemandStateAtEntry string              `csv:"demand_state_at_entry" json:"demand_state_at_entry"`
	PrimaryContactID   string              `csv:"primary_contact_id" json:"primary_contact_id"`
	LeadSource         string              `csv:"lead_source" json:"lead_source"`
}

// StageChange is one entry of an opportunity's stage history
// (opportunity_stage_history.csv).
type StageChange struct {
	OpportunityID string    `csv:"opportunity_id,required" json:"opportunity_id"`
	Stage         string    `csv:"stage,required" json:"stage"`
	EnteredAt     time.Time `csv:"entered_at,required" json:"entered_at"`
}

// PipelineSnapshot is one open deal as it stood on a snapshot date
// (pipeline_snapshots.csv): the weekly pipeline export. Amount is invalid
// when the deal had none yet. WaitingOn is "buyer", "internal" or empty.
type PipelineSnapshot struct {
	SnapshotDate     time.Time           `csv:"snapshot_date,required" json:"snapshot_date"`
	OpportunityID    string              `csv:"opportunity_id,required" json:"opportunity_id"`
	OwnerID          string              `csv:"owner_id" json:"owner_id"`
	Stage            string              `csv:"stage,required" json:"stage"`
	StageEnteredAt   time.Time           `csv:"stage_entered_at" json:"stage_entered_at"`
	Amount           decimal.NullDecimal `csv:"amount" json:"amount"`
	Currency         string              `csv:"currency,required" json:"currency"`
	CloseDate        time.Time           `csv:"close_date" json:"close_date"`
	ForecastCategory string              `csv:"forecast_category" json:"forecast_category"`
	NextAction       string              `csv:"next_action" json:"next_action"`
	NextActionDate   time.Time           `csv:"next_action_date" json:"next_action_date"`
	WaitingOn        string              `csv:"waiting_on" json:"waiting_on"`
	StallReason      string              `csv:"stall_reason" json:"stall_reason"`
}

// Forecast is one team's quarter-start forecast (forecasts.csv). Team is
// "marketing" or "sales"; Quarter is the fiscal quarter label, e.g.
// "FY2027-Q2".
type Forecast struct {
	Quarter     string          `csv:"fiscal_quarter,required" json:"fiscal_quarter"`
	PeriodStart time.Time       `csv:"period_start_date,required" json:"period_start_date"`
	Team        string          `csv:"team,required" json:"team"`
	Segment     string          `csv:"segment,required" json:"segment"`
	Amount      decimal.Decimal `csv:"forecast_amount,required" json:"forecast_amount"`
	Currency    string          `csv:"currency,required" json:"currency"`
	SubmittedAt time.Time       `csv:"submitted_at" json:"submitted_at"`
}

// CustomerEvent is a post-sale lifecycle milestone (customer_events.csv).
// Event is one of "onboarding_started", "onboarding_completed",
// "first_value", "expansion", "contraction", "renewal", "churn",
// "reactivation".
type CustomerEvent struct {
	AccountID  string    `csv:"account_id,required" json:"account_id"`
	Event      string    `csv:"event,required" json:"event"`
	OccurredAt time.Time `csv:"occurred_at,required" json:"occurred_at"`
	Detail     string    `csv:"detail" json:"detail"`
}

// ARRMovement is one month's change in a customer's ARR
// (arr_movements.csv). Movement is "new", "expansion", "contraction",
// "churn" or "reactivation"; Change is signed (negative for contraction and
// churn) and ARRAfter is the customer's ARR after it (0 after churn).
type ARRMovement struct {
	Month     time.Time       `csv:"month,required" json:"month"`
	AccountID string          `csv:"account_id,required" json:"account_id"`
	Movement  string          `csv:"movement,required" json:"movement"`
	Change    decimal.Decimal `csv:"arr_change,required" json:"arr_change"`
	ARRAfter  decimal.Decimal `csv:"arr_after,required" json:"arr_after"`
	Currency  string          `csv:"currency,required" json:"currency"`
}

// AccountUsage is a customer's product usage for one month
// (account_usage.csv).
type AccountUsage struct {
	Month        time.Time `csv:"month,required" json:"month"`
	AccountID    string    `csv:"account_id,required" json:"account_id"`
	ActiveUsers  int       `csv:"active_users" json:"active_users"`
	Seats        int       `csv:"seats" json:"seats"`
	SeatLimit    int       `csv:"seat_limit" json:"seat_limit"`
	HealthScore  int       `csv:"health_score" json:"health_score"`
	ChampionLeft bool      `csv:"champion_left" json:"champion_left"`
}

// ContentAsset is a sales or marketing asset (content_assets.csv), mapped
// to a demand state and a buying-committee role. Status is "live" or
// "retired".
type ContentAsset struct {
	ID          string    `csv:"asset_id,required" json:"asset_id"`
	Title       string    `csv:"title" json:"title"`
	Type        string    `csv:"asset_type" json:"asset_type"`
	DemandState string    `csv:"demand_state" json:"demand_state"`
	BuyingRole  string    `csv:"buying_role" json:"buying_role"`
	CreatedAt   time.Time `csv:"created_at,required" json:"created_at"`
	OwnerID     string    `csv:"owner_id" json:"owner_id"`
	Status      string    `csv:"status" json:"status"`
}

// ContentUsage is one asset pulled into a deal, or one deck a rep built
// from scratch (asset_id empty, built_from_scratch true)
// (content_usage.csv).
type ContentUsage struct {
	ID               string    `csv:"usage_id,required" json:"usage_id"`
	AssetID          string    `csv:"asset_id" json:"asset_id"`
	OpportunityID    string    `csv:"opportunity_id" json:"opportunity_id"`
	UsedAt           time.Time `csv:"used_at,required" json:"used_at"`
	UsedBy           string    `csv:"used_by" json:"used_by"`
	BuyingRole       string    `csv:"buying_role" json:"buying_role"`
	BuiltFromScratch bool      `csv:"built_from_scratch" json:"built_from_scratch"`
}

// Spend is marketing spend per channel per month (marketing_spend.csv).
type Spend struct {
	Month    time.Time       `csv:"month,required" json:"month"`
	Channel  string          `csv:"channel,required" json:"channel"`
	Amount   decimal.Decimal `csv:"amount,required" json:"amount"`
	Currency string          `csv:"currency,required" json:"currency"`
}

// ExchangeRate is the value of one unit of a currency in the reporting
// currency (exchange_rates.csv).
type ExchangeRate struct {
	ReportingCurrency string          `csv:"reporting_currency,required" json:"reporting_currency"`
	Currency          string          `csv:"currency,required" json:"currency"`
	Rate              decimal.Decimal `csv:"rate_to_reporting,required" json:"rate_to_reporting"`
}

// Answer is one answer of the Revenue Alignment Diagnostic as the leaders
// gave it (diagnostic_answers.csv). Answer is "no", "partial" or "yes".
type Answer struct {
	QuestionID string `csv:"question_id,required" json:"question_id"`
	Answer     string `csv:"answer,required" json:"answer"`
	Note       string `csv:"note" json:"note"`
}
