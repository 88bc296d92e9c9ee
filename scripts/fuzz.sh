#!/usr/bin/env bash
# Fuzzes Catena's decoders of untrusted input with libFuzzer and the address sanitizer.
#
#   bash scripts/fuzz.sh TARGET [SECONDS]   one target: 1,000,000 inputs, or SECONDS of fuzzing when given
#   bash scripts/fuzz.sh all [SECONDS]      every target in turn (the tests run `all 30`)
#
# Targets (Sources/CatenaFuzzTargets): json, completion, sse, oci-config, resp, http-error. Each starts from its
# committed seed corpus in Fuzz/Corpus/TARGET (every reproducer of a fixed crash is one of its files); inputs that
# find new paths collect in .build-fuzz/corpus/TARGET, failing ones in .build-fuzz/crashes/. Fails on a crash, a
# sanitizer report, a broken property, or an input slower than 100 ms: libFuzzer stops at 1 s (its smallest
# timeout), then every input of the corpus is replayed and timed.
# Replay one file: CATENA_FUZZ_TARGET=TARGET .build-fuzz/release/catena-fuzz FILE
set -euo pipefail
cd "$(dirname "$0")/.."
all_targets=(json completion sse oci-config resp http-error wire-formats mcp)
usage="usage: bash scripts/fuzz.sh TARGET|all [SECONDS]  (targets: ${all_targets[*]})"
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
if [ "$1" = all ]; then targets=("${all_targets[@]}"); else targets=("$1"); fi
for target in "${targets[@]}"; do
  [ -d "Fuzz/Corpus/$target" ] || { echo "unknown target '$target'; $usage" >&2; exit 2; }
done
seconds=${2:-}
slowest_allowed_ms=100

scratch=.build-fuzz
mkdir -p "$scratch/crashes"
# lld links the libFuzzer driver where gold fails (an internal error on SwiftPM's renamed entry point).
toolset="$scratch/toolset.json"
echo '{"schemaVersion": "1.0", "swiftCompiler": {"extraCLIOptions": ["-use-ld=lld"]}}' > "$toolset"
echo "building catena-fuzz (release, -sanitize=fuzzer,address) in $scratch ..."
swift build -c release --product catena-fuzz --scratch-path "$scratch" --toolset "$toolset" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DCATENA_FUZZING 2>&1 | grep -E "error|warning: .*Sources|Compiling catena|Build" || true
binary="$scratch/release/catena-fuzz"
[ -x "$binary" ] || { echo "error: the fuzzing build failed" >&2; exit 1; }

summary=()
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  mkdir -p "$corpus"
  log="$scratch/$target.log"
  if [ -n "$seconds" ]; then limit=(-max_total_time="$seconds") what="$seconds s"; else limit=(-runs=1000000) what="1,000,000 inputs"; fi
  echo "fuzzing $target ($what) ..."
  if ! CATENA_FUZZ_TARGET="$target" "$binary" "${limit[@]}" -timeout=1 -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$scratch/crashes/$target-" "$corpus" "Fuzz/Corpus/$target" > "$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "error: fuzz target $target failed; the input is in $scratch/crashes/ (log: $log)" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # Every corpus input once more, timed one by one.
  slowest=$(find "$corpus" "Fuzz/Corpus/$target" -type f -print0 \
    | xargs -0 -n 200 env CATENA_FUZZ_TARGET="$target" "$binary" 2>&1 \
    | sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p' | sort -n | tail -1)
  inputs=$(find "$corpus" "Fuzz/Corpus/$target" -type f | wc -l)
  summary+=("$target: ${runs:-?} inputs, ${rate:-?}/s, corpus $inputs, slowest ${slowest:-0} ms")
  if [ "${slowest:-0}" -gt "$slowest_allowed_ms" ]; then
    echo "error: an input of $target took ${slowest} ms (limit ${slowest_allowed_ms} ms)" >&2
    exit 1
  fi
done
printf '%s\n' "${summary[@]}"
