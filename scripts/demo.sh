#!/usr/bin/env bash
# The main job: the custom LLM of LangChain's guide, run through invoke, batch, stream, a traced chain and
# stream events. `bash scripts/demo.sh`
set -euo pipefail
cd "$(dirname "$0")/.."
swift run -c release catena-demo
