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
	// ID is the account identifier.
	ID string `csv:"account_id,required" json:"account_id"`
	// Name is the company name.
	Name string `csv:"account_name" json:"account_name"`
	// Industry is the account's industry, e.g. "Software", "Healthcare".
	Industry string `csv:"industry" json:"industry"`
	// Employees is the account's employee count.
	Employees int `csv:"employee_count" json:"employee_count"`
	// AnnualRevenue is the account's annual revenue, in Currency.
	AnnualRevenue decimal.Decimal `csv:"annual_revenue" json:"annual_revenue"`
	// Country is the ISO 3166 country code.
	Country string `csv:"billing_country" json:"billing_country"`
	// Region is the sales region: "NA", "EMEA", "APAC" or "LATAM".
	Region string `csv:"region" json:"region"`
	// TimeZone is the IANA time zone the record's local times are in.
	TimeZone string `csv:"time_zone" json:"time_zone"`
	// Segment is the market segment: "SMB", "MID" or "ENT".
	Segment string `csv:"segment" json:"segment"`
	// Technographics lists the tools the account runs (e.g. "Workday", "Okta").
	Technographics []string `csv:"technographics" json:"technographics"`
	// IsCustomer reports whether the account is a paying customer at export time.
	IsCustomer bool `csv:"is_customer" json:"is_customer"`
	// ARR is the account's current annual recurring revenue, in Currency (0 if not a customer).
	ARR decimal.Decimal `csv:"arr" json:"arr"`
	// Currency is the ISO 4217 code of the row's money columns.
	Currency string `csv:"currency,required" json:"currency"`
	// ContractStart is the start date of the current contract.
	ContractStart time.Time `csv:"contract_start_date" json:"contract_start_date"`
	// RenewalDate is the next renewal date.
	RenewalDate time.Time `csv:"renewal_date" json:"renewal_date"`
	// OwnerID is the account owner (users.csv): an AE, or a CSM for customers.
	OwnerID string `csv:"owner_id" json:"owner_id"`
	// CreatedAt is when the account was created in the CRM.
	CreatedAt time.Time `csv:"created_at,required" json:"created_at"`
}

// User is a member of the revenue team (users.csv): SDRs, AEs, CSMs,
// marketers and leaders.
type User struct {
	// ID is the user identifier.
	ID string `csv:"user_id,required" json:"user_id"`
	// Name is the person's name.
	Name string `csv:"name,required" json:"name"`
	// Team is the team: "marketing", "sales", "customer-success" or "revops".
	Team string `csv:"team,required" json:"team"`
	// Role is the job role, e.g. "SDR", "Account Executive", "CMO".
	Role string `csv:"role" json:"role"`
	// Region is the region the person covers.
	Region string `csv:"region" json:"region"`
	// TimeZone is the IANA zone the person works in.
	TimeZone string `csv:"time_zone" json:"time_zone"`
	// ManagerID is the user's manager (users.csv).
	ManagerID string `csv:"manager_id" json:"manager_id"`
}

// Lead is a lead or contact with its qualification and handoff timestamps
// (leads.csv). Disposition is one of "Accepted", "Nurture", "Bad fit",
// "Duplicate", "No response", or empty while undispositioned.
type Lead struct {
	// ID is the lead identifier.
	ID string `csv:"lead_id,required" json:"lead_id"`
	// AccountID is the account the record belongs to.
	AccountID string `csv:"account_id" json:"account_id"`
	// Email is the contact's e-mail address; its domain identifies competitors.
	Email string `csv:"email" json:"email"`
	// Title is the job title.
	Title string `csv:"title" json:"title"`
	// Seniority is "ic", "manager", "director", "vp", "c-level" or "student".
	Seniority string `csv:"seniority" json:"seniority"`
	// BuyingRole is the buying-committee role: "economic_buyer", "technical_evaluator", "end_user", "procurement", "security_reviewer", "hr", "it" or "finance".
	BuyingRole string `csv:"buying_role" json:"buying_role"`
	// LeadSource is the channel that brought the lead in (its first touch).
	LeadSource string `csv:"lead_source" json:"lead_source"`
	// Country is the lead's ISO 3166 country code.
	Country string `csv:"country" json:"country"`
	// Region is the sales region: "NA", "EMEA", "APAC" or "LATAM".
	Region string `csv:"region" json:"region"`
	// TimeZone is the IANA time zone the record's local times are in.
	TimeZone string `csv:"time_zone" json:"time_zone"`
	// CreatedAt is when the lead was created (its form fill, call or referral).
	CreatedAt time.Time `csv:"created_at,required" json:"created_at"`
	// MQLAt is when marketing's scoring made the lead an MQL; zero if it never did.
	MQLAt time.Time `csv:"mql_at" json:"mql_at"`
	// RoutedAt is when the MQL was routed to its SDR.
	RoutedAt time.Time `csv:"routed_at" json:"routed_at"`
	// FirstTouchAt is the SDR's first touch; zero while untouched.
	FirstTouchAt time.Time `csv:"first_touch_at" json:"first_touch_at"`
	// DispositionAt is when sales dispositioned the MQL; zero while undispositioned.
	DispositionAt time.Time `csv:"disposition_at" json:"disposition_at"`
	// Disposition is sales' disposition code, empty while undispositioned.
	Disposition string `csv:"disposition" json:"disposition"`
	// RejectionReason is why a declined MQL was declined (should never be empty for one).
	RejectionReason string `csv:"rejection_reason" json:"rejection_reason"`
	// OwnerID is the SDR the MQL was routed to (users.csv).
	OwnerID string `csv:"owner_id" json:"owner_id"`
	// DemandState is the demand state, e.g. "problem-aware", "decision-ready".
	DemandState string `csv:"demand_state" json:"demand_state"`
}

// DemandStateChange is one entry of a lead's demand-state history
// (demand_state_history.csv): the state entered and when.
type DemandStateChange struct {
	// LeadID is the lead or contact concerned.
	LeadID string `csv:"lead_id,required" json:"lead_id"`
	// DemandState is the state entered.
	DemandState string `csv:"demand_state,required" json:"demand_state"`
	// EnteredAt is when the state or stage was entered.
	EnteredAt time.Time `csv:"entered_at,required" json:"entered_at"`
}

// Event is a behavioural event of a lead (events.csv). Type is one of
// "web_visit", "content_download", "webinar", "pricing_page",
// "demo_request", "intent_signal"; Detail is the page, asset ID or topic.
type Event struct {
	// ID is the event identifier.
	ID string `csv:"event_id,required" json:"event_id"`
	// LeadID is the lead or contact concerned.
	LeadID string `csv:"lead_id,required" json:"lead_id"`
	// AccountID is the account the record belongs to.
	AccountID string `csv:"account_id" json:"account_id"`
	// Type is the event type (see Event).
	Type string `csv:"event_type,required" json:"event_type"`
	// OccurredAt is when it happened.
	OccurredAt time.Time `csv:"occurred_at,required" json:"occurred_at"`
	// Detail is free text: the page, asset, topic or reason.
	Detail string `csv:"detail" json:"detail"`
}

// Touch is a marketing or sales touch on a contact (touches.csv). Channel
// is one of "paid_search", "paid_social", "organic_search", "email",
// "events", "webinar", "content_syndication", "partner", "sdr_outbound",
// "direct"; TouchType says what happened ("ad_click", "form_fill",
// "web_visit", "email_click", "event_attendance", "webinar_attendance",
// "content_download", "call", "meeting", "partner_referral").
type Touch struct {
	// ID is the touch identifier.
	ID string `csv:"touch_id,required" json:"touch_id"`
	// LeadID is the contact touched (leads.csv).
	LeadID string `csv:"lead_id,required" json:"lead_id"`
	// AccountID is the account the record belongs to.
	AccountID string `csv:"account_id" json:"account_id"`
	// Channel is the marketing or sales channel, e.g. "paid_social", "sdr_outbound".
	Channel string `csv:"channel,required" json:"channel"`
	// Campaign is the campaign or play.
	Campaign string `csv:"campaign" json:"campaign"`
	// TouchType is what happened: "ad_click", "form_fill", "call", "meeting", ….
	TouchType string `csv:"touch_type" json:"touch_type"`
	// TouchedAt is when the touch happened.
	TouchedAt time.Time `csv:"touched_at,required" json:"touched_at"`
}

// Opportunity is a deal (opportunities.csv). Amount is invalid (not
// Valid) when the export left it empty. Status is "open", "won" or "lost"; CloseDate is the actual close date of a closed deal and the
// expected one of an open deal. ForecastCategory is "Commit", "Best case",
// "Pipeline" or "Omitted" (closed deals: "Closed").
type Opportunity struct {
	// ID is the opportunity identifier.
	ID string `csv:"opportunity_id,required" json:"opportunity_id"`
	// AccountID is the account the record belongs to.
	AccountID string `csv:"account_id,required" json:"account_id"`
	// Name is the deal name.
	Name string `csv:"opportunity_name" json:"opportunity_name"`
	// Type is "new_business" or "expansion".
	Type string `csv:"type" json:"type"`
	// OwnerID is the account executive who owns the deal, empty when nobody does.
	OwnerID string `csv:"owner_id" json:"owner_id"`
	// Segment is the market segment: "SMB", "MID" or "ENT".
	Segment string `csv:"segment" json:"segment"`
	// Amount is the amount in Currency; invalid when the export left it empty.
	Amount decimal.NullDecimal `csv:"amount" json:"amount"`
	// Currency is the ISO 4217 code of the row's money columns.
	Currency string `csv:"currency,required" json:"currency"`
	// CreatedAt is when the deal was created.
	CreatedAt time.Time `csv:"created_at,required" json:"created_at"`
	// CloseDate is the actual close date of a closed deal, the expected one of an open deal.
	CloseDate time.Time `csv:"close_date" json:"close_date"`
	// Status is "open", "won" or "lost".
	Status string `csv:"status,required" json:"status"`
	// Stage is the sales stage: "Discovery", "Evaluation", "Proposal", "Negotiation", "Closed Won" or "Closed Lost".
	Stage string `csv:"stage,required" json:"stage"`
	// LossReason is why a lost deal was lost, e.g. "No decision", "Lost to competitor".
	LossReason string `csv:"loss_reason" json:"loss_reason"`
	// NextAction is the next action the owner committed to.
	NextAction string `csv:"next_action" json:"next_action"`
	// NextActionDate is the date the next action is due.
	NextActionDate time.Time `csv:"next_action_date" json:"next_action_date"`
	// ForecastCategory is "Commit", "Best case", "Pipeline", "Omitted" or, for closed deals, "Closed".
	ForecastCategory string `csv:"forecast_category" json:"forecast_category"`
	// DemandStateAtEntry is the primary contact's demand state when the deal was created.
	DemandStateAtEntry string `csv:"demand_state_at_entry" json:"demand_state_at_entry"`
	// PrimaryContactID is the deal's primary contact (leads.csv).
	PrimaryContactID string `csv:"primary_contact_id" json:"primary_contact_id"`
	// LeadSource is the primary contact's lead source ("customer_success" for expansions).
	LeadSource string `csv:"lead_source" json:"lead_source"`
}

// StageChange is one entry of an opportunity's stage history
// (opportunity_stage_history.csv).
type StageChange struct {
	// OpportunityID is the deal concerned (opportunities.csv).
	OpportunityID string `csv:"opportunity_id,required" json:"opportunity_id"`
	// Stage is the stage entered.
	Stage string `csv:"stage,required" json:"stage"`
	// EnteredAt is when the state or stage was entered.
	EnteredAt time.Time `csv:"entered_at,required" json:"entered_at"`
}

// PipelineSnapshot is one open deal as it stood on a snapshot date
// (pipeline_snapshots.csv): the weekly pipeline export. Amount is invalid
// when the deal had none yet. WaitingOn is "buyer", "internal" or empty.
type PipelineSnapshot struct {
	// SnapshotDate is the date of the weekly export the row comes from.
	SnapshotDate time.Time `csv:"snapshot_date,required" json:"snapshot_date"`
	// OpportunityID is the deal concerned (opportunities.csv).
	OpportunityID string `csv:"opportunity_id,required" json:"opportunity_id"`
	// OwnerID is the deal owner on the snapshot date, empty when nobody owns it.
	OwnerID string `csv:"owner_id" json:"owner_id"`
	// Stage is the deal's stage on the snapshot date.
	Stage string `csv:"stage,required" json:"stage"`
	// StageEnteredAt is when the deal entered its current stage.
	StageEnteredAt time.Time `csv:"stage_entered_at" json:"stage_entered_at"`
	// Amount is the deal amount on the snapshot date, in Currency; invalid when it had none.
	Amount decimal.NullDecimal `csv:"amount" json:"amount"`
	// Currency is the ISO 4217 code of the row's money columns.
	Currency string `csv:"currency,required" json:"currency"`
	// CloseDate is the expected close date on the snapshot date.
	CloseDate time.Time `csv:"close_date" json:"close_date"`
	// ForecastCategory is the forecast category on the snapshot date.
	ForecastCategory string `csv:"forecast_category" json:"forecast_category"`
	// NextAction is the next action the owner committed to.
	NextAction string `csv:"next_action" json:"next_action"`
	// NextActionDate is the date the next action is due.
	NextActionDate time.Time `csv:"next_action_date" json:"next_action_date"`
	// WaitingOn is "buyer" or "internal" when the deal waits on someone, else empty.
	WaitingOn string `csv:"waiting_on" json:"waiting_on"`
	// StallReason is why the deal is stalled, empty if it is not.
	StallReason string `csv:"stall_reason" json:"stall_reason"`
}

// Forecast is one team's quarter-start forecast (forecasts.csv). Team is
// "marketing" or "sales"; Quarter is the fiscal quarter label, e.g.
// "FY2027-Q2".
type Forecast struct {
	// Quarter is the fiscal quarter, e.g. "FY2027-Q2".
	Quarter string `csv:"fiscal_quarter,required" json:"fiscal_quarter"`
	// PeriodStart is the first day of the quarter.
	PeriodStart time.Time `csv:"period_start_date,required" json:"period_start_date"`
	// Team is "marketing" or "sales".
	Team string `csv:"team,required" json:"team"`
	// Segment is the segment forecast.
	Segment string `csv:"segment,required" json:"segment"`
	// Amount is the forecast of new-business revenue won in the quarter, in Currency.
	Amount decimal.Decimal `csv:"forecast_amount,required" json:"forecast_amount"`
	// Currency is the ISO 4217 code of Amount.
	Currency string `csv:"currency,required" json:"currency"`
	// SubmittedAt is when the forecast was submitted.
	SubmittedAt time.Time `csv:"submitted_at" json:"submitted_at"`
}

// CustomerEvent is a post-sale lifecycle milestone (customer_events.csv).
// Event is one of "onboarding_started", "onboarding_completed",
// "first_value", "expansion", "contraction", "renewal", "churn",
// "reactivation".
type CustomerEvent struct {
	// AccountID is the account the record belongs to.
	AccountID string `csv:"account_id,required" json:"account_id"`
	// Event is the milestone (see CustomerEvent).
	Event string `csv:"event,required" json:"event"`
	// OccurredAt is when it happened.
	OccurredAt time.Time `csv:"occurred_at,required" json:"occurred_at"`
	// Detail is free text: the page, asset, topic or reason.
	Detail string `csv:"detail" json:"detail"`
}

// ARRMovement is one month's change in a customer's ARR
// (arr_movements.csv). Movement is "new", "expansion", "contraction",
// "churn" or "reactivation"; Change is signed (negative for contraction and
// churn) and ARRAfter is the customer's ARR after it (0 after churn).
type ARRMovement struct {
	// Month is the first day of the month.
	Month time.Time `csv:"month,required" json:"month"`
	// AccountID is the account the record belongs to.
	AccountID string `csv:"account_id,required" json:"account_id"`
	// Movement is "new", "expansion", "contraction", "churn" or "reactivation".
	Movement string `csv:"movement,required" json:"movement"`
	// Change is the signed change in ARR, in Currency.
	Change decimal.Decimal `csv:"arr_change,required" json:"arr_change"`
	// ARRAfter is the customer's ARR after the movement, in Currency (0 after churn).
	ARRAfter decimal.Decimal `csv:"arr_after,required" json:"arr_after"`
	// Currency is the ISO 4217 code of the row's money columns.
	Currency string `csv:"currency,required" json:"currency"`
}

// AccountUsage is a customer's product usage for one month
// (account_usage.csv).
type AccountUsage struct {
	// Month is the first day of the month.
	Month time.Time `csv:"month,required" json:"month"`
	// AccountID is the customer account.
	AccountID string `csv:"account_id,required" json:"account_id"`
	// ActiveUsers is the number of users active in the month.
	ActiveUsers int `csv:"active_users" json:"active_users"`
	// Seats is the number of seats the customer pays for.
	Seats int `csv:"seats" json:"seats"`
	// SeatLimit is the plan's seat limit.
	SeatLimit int `csv:"seat_limit" json:"seat_limit"`
	// HealthScore is customer success' health score, 0–100.
	HealthScore int `csv:"health_score" json:"health_score"`
	// ChampionLeft reports whether the customer's champion left in the month.
	ChampionLeft bool `csv:"champion_left" json:"champion_left"`
}

// ContentAsset is a sales or marketing asset (content_assets.csv), mapped
// to a demand state and a buying-committee role. Status is "live" or
// "retired".
type ContentAsset struct {
	// ID is the asset identifier.
	ID string `csv:"asset_id,required" json:"asset_id"`
	// Title is the asset's title.
	Title string `csv:"title" json:"title"`
	// Type is the format, e.g. "case study", "ROI calculator".
	Type string `csv:"asset_type" json:"asset_type"`
	// DemandState is the demand state the asset serves.
	DemandState string `csv:"demand_state" json:"demand_state"`
	// BuyingRole is the buying-committee role the asset serves.
	BuyingRole string `csv:"buying_role" json:"buying_role"`
	// CreatedAt is when the asset was published.
	CreatedAt time.Time `csv:"created_at,required" json:"created_at"`
	// OwnerID is the marketer who owns the asset (users.csv).
	OwnerID string `csv:"owner_id" json:"owner_id"`
	// Status is "live" or "retired".
	Status string `csv:"status" json:"status"`
}

// ContentUsage is one asset pulled into a deal, or one deck a rep built
// from scratch (asset_id empty, built_from_scratch true)
// (content_usage.csv).
type ContentUsage struct {
	// ID is the usage record's identifier.
	ID string `csv:"usage_id,required" json:"usage_id"`
	// AssetID is the content asset, empty for a deck built from scratch.
	AssetID string `csv:"asset_id" json:"asset_id"`
	// OpportunityID is the deal concerned (opportunities.csv).
	OpportunityID string `csv:"opportunity_id" json:"opportunity_id"`
	// UsedAt is when the asset was pulled into the deal.
	UsedAt time.Time `csv:"used_at,required" json:"used_at"`
	// UsedBy is the rep who used it (users.csv).
	UsedBy string `csv:"used_by" json:"used_by"`
	// BuyingRole is the buying-committee role the material was for.
	BuyingRole string `csv:"buying_role" json:"buying_role"`
	// BuiltFromScratch reports whether the rep built the deck from scratch instead of using the library.
	BuiltFromScratch bool `csv:"built_from_scratch" json:"built_from_scratch"`
}

// Spend is marketing spend per channel per month (marketing_spend.csv).
type Spend struct {
	// Month is the first day of the month.
	Month time.Time `csv:"month,required" json:"month"`
	// Channel is the marketing channel.
	Channel string `csv:"channel,required" json:"channel"`
	// Amount is the spend in Currency.
	Amount decimal.Decimal `csv:"amount,required" json:"amount"`
	// Currency is the ISO 4217 code of the row's money columns.
	Currency string `csv:"currency,required" json:"currency"`
}

// ExchangeRate is the value of one unit of a currency in the reporting
// currency (exchange_rates.csv).
type ExchangeRate struct {
	// ReportingCurrency is the currency the rate converts into.
	ReportingCurrency string `csv:"reporting_currency,required" json:"reporting_currency"`
	// Currency is the ISO 4217 code of the row's money columns.
	Currency string `csv:"currency,required" json:"currency"`
	// Rate is the value of one unit of Currency in ReportingCurrency.
	Rate decimal.Decimal `csv:"rate_to_reporting,required" json:"rate_to_reporting"`
}

// Answer is one answer of the Revenue Alignment Diagnostic as the leaders
// gave it (diagnostic_answers.csv). Answer is "no", "partial" or "yes".
type Answer struct {
	// QuestionID is the diagnostic question, e.g. "mql_definition".
	QuestionID string `csv:"question_id,required" json:"question_id"`
	// Answer is "no", "partial" or "yes".
	Answer string `csv:"answer,required" json:"answer"`
	// Note is the leaders' note on their answer.
	Note string `csv:"note" json:"note"`
}
