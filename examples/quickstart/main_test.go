package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartText(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf, false))
	out := buf.String()
	assert.Contains(t, out, "Fieldstone Works — revenue alignment picture as of 2026-09-28")
	assert.Contains(t, out, "1500 accounts")
	assert.Contains(t, out, "reported in USD")
}

func TestQuickstartJSON(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf, true))
	var doc struct {
		Company  string `json:"company"`
		Sections []struct {
			Key   string          `json:"key"`
			Phase string          `json:"phase"`
			Lines []string        `json:"lines"`
			Data  json.RawMessage `json:"data"`
		} `json:"sections"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, "Fieldstone Works", doc.Company)
	require.NotEmpty(t, doc.Sections)
	assert.Equal(t, "dataset", doc.Sections[0].Key)
	for _, s := range doc.Sections {
		assert.NotEmpty(t, s.Lines, s.Key)
		assert.NotEmpty(t, s.Data, s.Key)
	}
}
