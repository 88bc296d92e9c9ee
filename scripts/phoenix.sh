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
  for _ in $(seq 1 600); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
      echo "phoenix: ready at http://127.0.0.1:$port (pid $(cat "$pidfile"))" >&2
      return 0
    fi
    if ! running; then
      echo "phoenix: the server exited; its log:" >&2
      cat "$home/phoenix.log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "phoenix: not healthy after 120 s; see $home/phoenix.log" >&2
  stop
  return 1
}

stop() {
  if running; then
    local pid
    pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "phoenix: stopped (pid $pid)" >&2
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  setup) setup ;;
  start) start "${2:-}" ;;
  stop) stop ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
