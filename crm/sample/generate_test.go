package sample_test

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/revalign/revalign/crm/sample"
	"github.com/revalign/revalign/crm/sample/internal/gen"
)

// TestGenerateReproducesData proves that `go generate` re-creates the
// shipped files byte for byte from the fixed seed.
func TestGenerateReproducesData(t *testing.T) {
	files, err := gen.Generate()
	require.NoError(t, err)
	shipped, err := fs.Glob(sample.FS(), "*.csv")
	require.NoError(t, err)
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
		want, err := fs.ReadFile(sample.FS(), f.Name)
		require.NoError(t, err, f.Name)
		assert.True(t, string(want) == string(f.Data), "%s differs from the generator's output: run go generate ./crm/sample", f.Name)
	}
	assert.ElementsMatch(t, shipped, names, "every shipped file comes from the generator")
}

func TestLoadIsClean(t *testing.T) {
	d, err := sample.Load()
	require.NoError(t, err, "the sample export has no malformed rows")
	assert.Len(t, d.Files, 18)
	r, err := d.Rates(sample.ReportingCurrency)
	require.NoError(t, err)
	assert.Equal(t, "USD", r.Base)
	assert.Equal(t, "FY2027-Q3", sample.Calendar().QuarterLabel(sample.AsOf()))
	assert.Contains(t, sample.CompetitorDomains(), "shiftly.io")
	assert.NotContains(t, sample.ServedCountries(), "CN")
}
