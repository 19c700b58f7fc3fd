package diagnostic

import (
	"fmt"

	"github.com/revalign/revalign"
)

// Dimension is one operational dimension of the quick read that comes
// before the scored diagnostic: where a team lives between "misaligned" and
// "aligned". In JSON a Dimension is its name ("lead_handoff").
type Dimension int8

// The five operational dimensions.
const (
	LeadHandoff Dimension = iota + 1
	PipelineOwnership
	ContentUsage
	Reporting
	QuotaAccountability
)

const numDimensions = 5

var dimensionNames = newNames[Dimension]("dimension", "", "lead_handoff", "pipeline_ownership", "content_usage", "reporting", "quota_accountability")

// String returns the dimension's name, e.g. "lead_handoff".
func (d Dimension) String() string { return dimensionNames.String(d) }

// Valid reports whether d is one of the five dimensions.
func (d Dimension) Valid() bool { return d >= LeadHandoff && d <= QuotaAccountability }

// MarshalText encodes the dimension by name.
func (d Dimension) MarshalText() ([]byte, error) {
	return dimensionNames.Text(d)
}

// UnmarshalText decodes a dimension name.
func (d *Dimension) UnmarshalText(b []byte) error {
	var err error
	*d, err = dimensionNames.Parse(b)
	return err
}

// DimensionInfo describes a dimension: what misaligned and aligned teams
// look like on it, and the steps of the model that move a team from one to
// the other.
type DimensionInfo struct {
	// Dimension is the dimension described.
	Dimension Dimension `json:"dimension"`
	// Name is the dimension's title, e.g. "Lead handoff".
	Name string `json:"name"`
	// Misaligned is what misaligned teams look like on the dimension.
	Misaligned string `json:"misaligned"`
	// Aligned is what aligned teams look like on it.
	Aligned string `json:"aligned"`
	// FixedBy are the steps of the model that move a team from misaligned
	// to aligned, in model order.
	FixedBy []Step `json:"fixed_by"`
}

var dimensions = [numDimensions]DimensionInfo{
	{LeadHandoff, "Lead handoff",
		"The MQL definition lives in marketing's head; sales rejects what it doesn't like.",
		"A shared definition with an SLA on response time and disposition feedback.",
		[]Step{StepWrittenSLA}},
	{PipelineOwnership, "Pipeline ownership",
		"Marketing owns the top of the funnel, sales owns the bottom, nobody owns the middle.",
		"Joint ownership by demand state, with named accountable parties.",
		[]Step{StepDemandStates, StepPipelineReview}},
	{ContentUsage, "Content usage",
		"Marketing produces, sales ignores, nobody tracks.",
		"Content mapped to demand states, with usage telemetry feeding the roadmap.",
		[]Step{StepContentMap}},
	{Reporting, "Reporting",
		"Two systems of truth, two narratives, two QBRs.",
		"One revenue dashboard, one source of truth, one weekly forecast.",
		[]Step{StepRevenuePlan, StepPipelineReview}},
	{QuotaAccountability, "Quota accountability",
		"Sales carries quota, marketing carries MQLs.",
		"Both teams carry pipeline and revenue numbers tied to the same plan.",
		[]Step{StepRevenuePlan}},
}

// Dimensions returns the five dimensions in table order, as a deep copy.
func Dimensions() []DimensionInfo {
	out := make([]DimensionInfo, numDimensions)
	for i, d := range dimensions {
		d.FixedBy = append([]Step(nil), d.FixedBy...)
		out[i] = d
	}
	return out
}

// Rating is where a team places itself on a dimension. The zero value is
// Unrated. In JSON a Rating is "misaligned", "mixed" or "aligned".
type Rating int8

// The ratings of a dimension.
const (
	Unrated    Rating = iota // not rated
	Misaligned               // the team matches the misaligned column
	Mixed                    // somewhere between the two columns
	Aligned                  // the team matches the aligned column
)

var ratingNames = newNames[Rating]("rating", "", "misaligned", "mixed", "aligned")

// String returns the rating's name.
func (r Rating) String() string { return ratingNames.String(r) }

// MarshalText encodes the rating by name; Unrated is "".
func (r Rating) MarshalText() ([]byte, error) { return ratingNames.Text(r) }

// UnmarshalText decodes a rating name.
func (r *Rating) UnmarshalText(b []byte) error {
	var err error
	*r, err = ratingNames.Parse(b)
	return err
}

// DimensionRating is a team's rating of one dimension.
type DimensionRating struct {
	// Dimension is the dimension rated.
	Dimension Dimension `json:"dimension"`
	// Rating is where the team lives on it.
	Rating Rating `json:"rating"`
	// Note is the team's evidence for the rating, if any.
	Note string `json:"note,omitempty"`
}

// DimensionResult is one rated dimension with its description.
type DimensionResult struct {
	// DimensionInfo describes the dimension; in JSON its fields are inline.
	DimensionInfo
	// Rating is the team's rating.
	Rating Rating `json:"rating"`
	// Note is the team's note on the rating, if any.
	Note string `json:"note,omitempty"`
}

// DimensionReport says which dimensions are misaligned and which steps fix
// them.
type DimensionReport struct {
	// Dimensions are the five rated dimensions, in table order.
	Dimensions []DimensionResult `json:"dimensions"`
	// Misaligned lists the dimensions rated misaligned, in table order.
	Misaligned []Dimension `json:"misaligned"`
	// Mixed lists the dimensions rated mixed, in table order.
	Mixed []Dimension `json:"mixed"`
	// Steps are the steps that fix every dimension not rated Aligned, each
	// once, in model order.
	Steps []Step `json:"steps"`
}

// RateDimensions reads a team's ratings of the five dimensions. Every
// dimension must be rated exactly once; a missing, repeated or unknown
// dimension, or a rating that is not Misaligned, Mixed or Aligned, is an
// error naming the dimension (all problems are reported together).
func RateDimensions(ratings []DimensionRating) (DimensionReport, error) {
	v := revalign.Validator{Pkg: pkg}
	var at [numDimensions]int // 1 + index into ratings; 0 if not rated
	for i, r := range ratings {
		p := revalign.Index("dimensions", i)
		if !v.Check(r.Dimension.Valid(), p+".dimension", int(r.Dimension), "unknown dimension") {
			continue
		}
		d := r.Dimension - 1
		if at[d] > 0 {
			v.Add(p+".dimension", r.Dimension.String(), fmt.Sprintf("rated twice (first at dimensions[%d])", at[d]-1))
			continue
		}
		at[d] = i + 1
		v.Check(r.Rating >= Misaligned && r.Rating <= Aligned, p+".rating", r.Rating.String(),
			fmt.Sprintf("dimension %s: must be misaligned, mixed or aligned", r.Dimension))
	}
	for d, i := range at {
		v.Check(i > 0, "dimensions", dimensions[d].Dimension.String(), "dimension not rated")
	}
	if err := v.Err(); err != nil {
		return DimensionReport{}, err
	}
	out := DimensionReport{
		Dimensions: make([]DimensionResult, numDimensions),
		Misaligned: []Dimension{},
		Mixed:      []Dimension{},
		Steps:      []Step{},
	}
	var fix [NumSteps + 1]bool
	for d, i := range at {
		r := ratings[i-1]
		info := dimensions[d]
		info.FixedBy = append([]Step(nil), info.FixedBy...)
		out.Dimensions[d] = DimensionResult{DimensionInfo: info, Rating: r.Rating, Note: r.Note}
		switch r.Rating {
		case Misaligned:
			out.Misaligned = append(out.Misaligned, info.Dimension)
		case Mixed:
			out.Mixed = append(out.Mixed, info.Dimension)
		default:
			continue
		}
		for _, s := range info.FixedBy {
			fix[s] = true
		}
	}
	for s := StepDemandStates; s <= StepLossPostMortem; s++ {
		if fix[s] {
			out.Steps = append(out.Steps, s)
		}
	}
	return out, nil
}
