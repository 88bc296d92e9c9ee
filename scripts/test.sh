#!/usr/bin/env bash
# Runs every test. Used by CI (.ci/run) and by newcomers: `bash scripts/test.sh`.
# Fails on any compiler warning in Catena's own sources (dependencies' warnings are not ours to fix).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log=$(mktemp)
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$root/(Sources|Tests)/.*: warning:" "$log" | sort -u | grep .; then
  echo "error: compiler warnings in Catena sources (listed above)" >&2
  exit 1
fi
swift test
