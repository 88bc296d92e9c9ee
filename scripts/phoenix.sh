#!/usr/bin/env bash
# Arize Phoenix, a real OpenTelemetry backend, on loopback: PyPI `arize-phoenix`, installed into .local/phoenix.
#
#   bash scripts/phoenix.sh setup          install Phoenix (idempotent)
#   bash scripts/phoenix.sh start [PORT]   set up, start on 127.0.0.1:PORT (default 6006) with a fresh store, wait
#   bash scripts/phoenix.sh stop           stop it
#
# Spans go to http://127.0.0.1:PORT/v1/traces (OTLP/HTTP); they read back from GET /v1/projects/default/spans.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/service-lib.sh
home=.local/phoenix
venv=$home/venv
pidfile=$home/phoenix.pid

setup() {
  mkdir -p "$home"
  if [ ! -x "$venv/bin/phoenix" ]; then
    echo "phoenix: installing arize-phoenix into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet arize-phoenix
  fi
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
  local port=${1:-6006}
  setup
  if running; then
    echo "phoenix: already running (pid $(cat "$pidfile"))" >&2
    return 0
  fi
  rm -rf "$home/data"
  mkdir -p "$home/data"
  PHOENIX_WORKING_DIR="$home/data" PHOENIX_HOST=127.0.0.1 PHOENIX_PORT="$port" PHOENIX_GRPC_PORT=$((port + 11311)) \
    PHOENIX_TELEMETRY_ENABLED=false nohup "$venv/bin/phoenix" serve >"$home/phoenix.log" 2>&1 &
  echo $! >"$pidfile"
  if ! wait_healthy phoenix "http://127.0.0.1:$port/healthz" "$pidfile" "$home/phoenix.log" 600; then
    stop
    return 1
  fi
  echo "phoenix: ready at http://127.0.0.1:$port (pid $(cat "$pidfile"))" >&2
}

stop() {
  stop_pid phoenix "$pidfile"
}

case "${1:-}" in
  setup) setup ;;
  start) start "${2:-}" ;;
  stop) stop ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
