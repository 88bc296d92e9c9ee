#!/usr/bin/env bash
# Runs every test. Used by CI (.ci/run) and by newcomers: `bash scripts/test.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests -Xswiftc -warnings-as-errors --target Catena
swift test
