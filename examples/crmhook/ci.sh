#!/usr/bin/env bash
# .ci/run calls this instead of `go run`: crmhook answers the sample webhook
# once, on a loopback port, and exits; the answer must carry the first-touch
# due time worked out by hand (examples/crmhook/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

out=$(go run ./examples/crmhook -once -now 2026-11-27T16:30:00-06:00 <examples/crmhook/testdata/lead.json)
if ! grep -q '"first_touch_due": "2026-11-30T09:30:00-06:00"' <<<"$out"; then
  echo "crmhook: unexpected answer:" >&2
  echo "$out" >&2
  exit 1
fi
