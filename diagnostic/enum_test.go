package diagnostic

import (
	"encoding"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign"
)

// textEnum is what every enumeration of the package implements.
type textEnum interface {
	fmt.Stringer
	encoding.TextMarshaler
}

// enumCase describes one enumeration: its named values, a decoder, and the
// names it must have in JSON (checked against the seeds' wording by hand).
type enumCase struct {
	kind   string
	values []textEnum
	names  []string
	decode func([]byte) (textEnum, error)
	bad    textEnum // a value out of range
}

func decoder[T any, P interface {
	*T
	encoding.TextUnmarshaler
	textEnum
}]() func([]byte) (textEnum, error) {
	return func(b []byte) (textEnum, error) {
		var v T
		err := P(&v).UnmarshalText(b)
		return P(&v), err
	}
}

func TestEnumsText(t *testing.T) {
	cases := []enumCase{
		{"answer", []textEnum{No, Partial, Yes}, []string{"no", "partial", "yes"}, decoder[Answer](), Answer(5)},
		{"step", []textEnum{StepDemandStates, StepWrittenSLA, StepRevenuePlan, StepPipelineReview, StepContentMap, StepLossPostMortem},
			[]string{"demand_states", "written_sla", "one_revenue_plan", "pipeline_review", "content_map", "loss_post_mortem"}, decoder[Step](), Step(8)},
		{"prerequisite", []textEnum{PrereqDocumentedICP, PrereqDeduplicatedAccounts, PrereqStageDefinitions, PrereqOwnerFields},
			[]string{"documented_icp", "deduplicated_accounts", "stage_definitions", "owner_fields"}, decoder[Prerequisite](), Prerequisite(5)},
		{"dimension", []textEnum{LeadHandoff, PipelineOwnership, ContentUsage, Reporting, QuotaAccountability},
			[]string{"lead_handoff", "pipeline_ownership", "content_usage", "reporting", "quota_accountability"}, decoder[Dimension](), Dimension(6)},
		{"rating", []textEnum{Misaligned, Mixed, Aligned}, []string{"misaligned", "mixed", "aligned"}, decoder[Rating](), Rating(4)},
		{"category", []textEnum{CategoryDiagnostic, CategoryOperational, CategoryMeasurement},
			[]string{"diagnostic", "operational", "measurement"}, decoder[Category](), Category(4)},
		{"conflict", []textEnum{DefinitionConflict, IncentiveConflict, InstrumentationConflict},
			[]string{"definition", "incentive", "instrumentation"}, decoder[Conflict](), Conflict(4)},
		{"symptom", []textEnum{LeadsSuck, RepsIgnoreMQLs, PostSaleBlindSpot, ForecastSlipping, SpendQuestioned, AlignmentFades},
			[]string{"leads_suck", "reps_ignore_mqls", "post_sale_blind_spot", "forecast_slipping", "spend_questioned", "alignment_fades"}, decoder[Symptom](), Symptom(7)},
		{"fit", []textEnum{Ready, NotYet, DoesNotFit}, []string{"ready", "not_yet", "does_not_fit"}, decoder[Fit](), Fit(4)},
		{"metric", []textEnum{MQLAcceptance, FirstTouchCompliance, InfluencedShare, ForecastVariance, PipelineCoverage, ContentUtilization, WinRate},
			[]string{"mql_acceptance", "first_touch_compliance", "influenced_share", "forecast_variance", "pipeline_coverage", "content_utilization", "win_rate"}, decoder[Metric](), Metric(8)},
		{"status", []textEnum{Met, Missed, NoTarget, NoData}, []string{"met", "missed", "no_target", "no_data"}, decoder[Status](), Status(5)},
		{"trend", []textEnum{Improved, Declined, Flat, TrendUnknown, Reversed}, []string{"improved", "declined", "flat", "unknown", "reversed"}, decoder[Trend](), Trend(6)},
		{"verdict", []textEnum{AlignmentIsReal, PartialImprovement, ActivityNotAlignment, NoImprovement, Inconclusive},
			[]string{"alignment_is_real", "partial_improvement", "activity_not_alignment", "no_improvement", "inconclusive"}, decoder[Verdict](), Verdict(6)},
	}
	for _, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			require.Len(t, c.names, len(c.values))
			for i, v := range c.values {
				b, err := v.MarshalText()
				require.NoError(t, err)
				assert.Equal(t, c.names[i], string(b))
				back, err := c.decode(b)
				require.NoError(t, err)
				assert.Equal(t, v.String(), back.String())
				// Case, white space and '-' versus '_' do not matter.
				loose, err := c.decode([]byte(" " + upperDash(c.names[i]) + " "))
				require.NoError(t, err, upperDash(c.names[i]))
				assert.Equal(t, v.String(), loose.String())
			}
			_, err := c.bad.MarshalText()
			assert.ErrorIs(t, err, revalign.ErrInvalid)
			assert.Contains(t, c.bad.String(), "(")
			_, err = c.decode([]byte("no such " + c.kind))
			assert.ErrorIs(t, err, revalign.ErrInvalid)
		})
	}
}

func upperDash(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c == '_':
			b[i] = '-'
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
