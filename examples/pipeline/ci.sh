#!/usr/bin/env bash
# The pipeline example's CI check, run by .ci/run: generate 20,000 journeys
# (a few of them deliberately broken) in a temporary directory, run the
# pipeline over them in 4 shards with -verify, and fail unless the sharded
# result equals the single pass exactly and every line is accounted for.
set -euo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/pipeline" ./examples/pipeline
"$tmp/pipeline" -generate 20000 -bad 0.001 -seed 7 -out "$tmp/journeys.jsonl" -quiet
"$tmp/pipeline" -in "$tmp/journeys.jsonl" -out "$tmp/scores.csv" -rejects "$tmp/rejects.csv" \
  -shards 4 -verify -quiet 2>"$tmp/stderr" >"$tmp/summary" || { cat "$tmp/stderr" "$tmp/summary"; exit 1; }

# Every line is a CSV row or a rejected line (there are no blank lines).
rows=$(($(wc -l <"$tmp/scores.csv") - 1))
rejected=$(($(wc -l <"$tmp/rejects.csv") - 1))
if [ $((rows + rejected)) -ne 20000 ] || [ "$rejected" -eq 0 ]; then
  echo "pipeline: $rows rows + $rejected rejected lines for 20000 input lines" >&2
  exit 1
fi
grep -h "verify:" "$tmp/summary"
