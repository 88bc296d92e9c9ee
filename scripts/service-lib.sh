# Shared by the scripts that start a local service (llm-server.sh, phoenix.sh): source it, then call these.

# wait_healthy NAME URL PIDFILE LOGFILE TRIES: polls URL every 0.2 s until it answers (0), the process exits (its
# log is shown; 1) or TRIES polls pass (1).
wait_healthy() {
  local name=$1 url=$2 pidfile=$3 logfile=$4 tries=$5
  for _ in $(seq 1 "$tries"); do
    if curl -fsS "$url" >/dev/null 2>&1; then return 0; fi
    if ! { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }; then
      echo "$name: the server exited; its log:" >&2
      cat "$logfile" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "$name: not healthy after $((tries / 5)) s; see $logfile" >&2
  return 1
}

# stop_pid NAME PIDFILE [WHAT]: stops the process in PIDFILE (TERM, then KILL after 5 s) and removes the file.
stop_pid() {
  local name=$1 pidfile=$2 what=${3:-server}
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    local pid
    pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "$name: stopped $what (pid $pid)" >&2
  fi
  rm -f "$pidfile"
}
