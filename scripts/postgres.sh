#!/usr/bin/env bash
# PostgreSQL (Debian's `postgresql`) on loopback, for the gateway's tests of shared state: a throwaway cluster in
# /tmp (one per checkout, where Debian's `postgres` user can reach it), made anew at each start.
#
#   bash scripts/postgres.sh start [PORT]   new cluster on 127.0.0.1:PORT (default 5433) with database `catena`
#   bash scripts/postgres.sh stop           stop it
#
# Connect as postgres://catena@127.0.0.1:PORT/catena (trust authentication, loopback only). PostgreSQL does not run
# as root: as root, the cluster belongs to Debian's `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."
home=/tmp/catena-postgres-$(pwd | md5sum | cut -c1-8)
data=$home/data

bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] || { echo "postgres: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local port=${1:-5433} dir
  dir=$(bin)
  stop 2>/dev/null || true
  rm -rf "$home"
  mkdir -p "$home"
  [ "$(id -u)" -eq 0 ] && chown postgres "$home"
  as_owner "$dir/initdb" -D "$data" -U catena --auth=trust -E UTF8 --no-sync >"$home/initdb.log" 2>&1 ||
    { cat "$home/initdb.log" >&2; exit 1; }
  if ! as_owner "$dir/pg_ctl" -D "$data" -l "$home/postgres.log" -w -t 60 \
    -o "-p $port -k $home -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
    echo "postgres: the server did not start; its log:" >&2
    cat "$home/postgres.log" >&2
    exit 1
  fi
  as_owner "$dir/createdb" -h 127.0.0.1 -p "$port" -U catena catena
  echo "postgres: ready at postgres://catena@127.0.0.1:$port/catena" >&2
}

stop() {
  [ -d "$data" ] || return 0
  as_owner "$(bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null && echo "postgres: stopped" >&2
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
