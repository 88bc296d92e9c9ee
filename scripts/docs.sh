#!/usr/bin/env bash
# Builds the DocC documentation of every public library with the swift-docc-plugin and fails on any documentation
# warning (an unresolved symbol link, an undocumented parameter, …). Output: .build/docs/<Target>/ (or $1).
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-.build/docs}
mkdir -p "$output"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in Catena CatenaMacros CatenaOpenAI CatenaAnthropic CatenaOCI CatenaCompletion CatenaSQLiteCache CatenaSQLiteCheckpoints CatenaPostgres CatenaMCP CatenaRedis CatenaOpenTelemetry CatenaGateway CatenaTesting CatenaTestingServer; do
    echo "docs: $target"
    if ! swift package --disable-sandbox generate-documentation --target "$target" --warnings-as-errors \
        --output-path "$output/$target" >"$log" 2>&1; then
        # Dependencies' build warnings (swift-distributed-tracing's unhandled file) are not ours: leave them out.
        grep -v "^warning: 'swift-distributed-tracing'" "$log" >&2
        echo "docs: $target failed: fix the documentation warnings above" >&2
        exit 1
    fi
done
echo "docs: every library built without a warning, in $output"
