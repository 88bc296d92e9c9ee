#!/usr/bin/env bash
# Runs every test. Used by CI (.ci/run) and by newcomers: `bash scripts/test.sh`.
# Installs the Debian packages it needs (scripts/system-deps.sh). Starts the local model server (scripts/llm-server.sh: llama.cpp's server with SmolLM2 from PyPI) for the
# integration tests, a second one serving embeddings, and Arize Phoenix as the OpenTelemetry backend (scripts/phoenix.sh), and stops them afterwards; installs the
# official openai Python client (scripts/python-clients.sh) the gateway's tests drive it with, and PostgreSQL (scripts/postgres.sh) for the gateway's shared keys and spend; the Redis tests start and stop their own redis-server. Fails on any compiler warning in Catena's own sources
# (dependencies' warnings are not ours to fix), on any documentation warning (scripts/docs.sh) and on code not formatted
# as .swift-format says, and fuzzes each decoder of untrusted input briefly (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
port=${CATENA_TEST_LLM_PORT:-8089}
embeddings_port=${CATENA_TEST_EMBEDDINGS_PORT:-8092}
phoenix_port=${CATENA_TEST_PHOENIX_PORT:-6006}
postgres_port=${CATENA_TEST_POSTGRES_PORT:-5433}

# Debian packages (SQLite headers for GRDB, redis-server for the cache and limits tests, prometheus to scrape the gateway,
# postgresql for the gateway's replicas), then the build.
bash scripts/system-deps.sh
export CATENA_REDIS_SERVER CATENA_PROMETHEUS
CATENA_REDIS_SERVER=$(command -v redis-server)
CATENA_PROMETHEUS=$(command -v prometheus)

# Installing the server, the model, Phoenix and the Python clients the gateway is driven with overlaps with the build.
(bash scripts/llm-server.sh setup && bash scripts/phoenix.sh setup && bash scripts/python-clients.sh setup >/dev/null) &
setup=$!

# The code's format (.swift-format; swift-format comes with the toolchain). `swift format -i -r Sources Tests
# Package.swift` fixes what this reports. Examples/ is left as written: the README shows those files word for word.
if ! swift format lint --strict -r Sources Tests Package.swift; then
  echo "error: the code is not formatted as .swift-format says (fix: swift format -i -r Sources Tests Package.swift)" >&2
  exit 1
fi

# The full output of the build and of the tests goes to files in .build/; the terminal gets a summary and failures.
mkdir -p .build
log=.build/test-build.log
echo "test: building the tests (log: $log) ..."
if ! swift build --build-tests > "$log" 2>&1; then
  grep -E "error:" "$log" | sort -u | head -n 40 >&2
  echo "error: the build failed (full log: $log)" >&2
  exit 1
fi
if grep -E "^($root/(Sources|Tests)/|macro expansion ).*: warning:" "$log" | sort -u | grep .; then
  echo "error: compiler warnings in Catena sources (listed above)" >&2
  exit 1
fi

# The DocC catalogs of every public library, failing on any documentation warning.
bash scripts/docs.sh

# Each decoder of untrusted input under libFuzzer and the address sanitizer for 30 s, from the committed seeds.
bash scripts/fuzz.sh all 30

wait "$setup"
trap 'bash scripts/llm-server.sh stop; bash scripts/phoenix.sh stop; bash scripts/postgres.sh stop' EXIT
bash scripts/llm-server.sh start "$port"
bash scripts/llm-server.sh start-embeddings "$embeddings_port"
bash scripts/phoenix.sh start "$phoenix_port"
bash scripts/postgres.sh start "$postgres_port"
test_log=.build/test.log
echo "test: running the tests (log: $test_log) ..."
CATENA_POSTGRES_URL="postgres://catena@127.0.0.1:$postgres_port/catena" CATENA_LLM_BASE_URL="http://127.0.0.1:$port/v1" CATENA_EMBEDDINGS_BASE_URL="http://127.0.0.1:$embeddings_port/v1" \
  CATENA_PHOENIX_URL="http://127.0.0.1:$phoenix_port" CATENA_PYTHON="$root/.local/python-clients/venv/bin/python" \
  timeout --kill-after=30s 30m swift test > "$test_log" 2>&1 &
tests=$!
# Failures as they happen (with the lines that explain them), then the totals.
tail -n +1 -f --pid="$tests" "$test_log" \
  | grep --line-buffered -E "✘|↳|\.swift:[0-9]+: error|^error:|Fatal error|Exited with|crashed|Test run with|Executed [0-9]+ tests?, with [1-9]" \
  | grep --line-buffered -v -E "↳ (Testing Library Version|Target Platform)" || true
status=0
wait "$tests" || status=$?
if [ "$status" -ne 0 ]; then
  # 30 minutes is ten times a normal run: past it, something (a child a test left running, holding the run's output
  # open) keeps `swift test` from ending.
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "error: the test run did not end within 30 minutes (a child process a test left running holds its output?)" >&2
  fi
  echo "error: tests failed (full log: $test_log)" >&2
  exit 1
fi
echo "test: every test passed (full log: $test_log)"
