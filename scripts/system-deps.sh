#!/usr/bin/env bash
# Installs the Debian packages Catena needs beyond Swift. For the demo (`system-deps.sh demo`): libsqlite3-dev (GRDB,
# the SQLite cache), python3-venv (the local model server's virtual environment) and curl. For the tests (no
# argument) also redis-server (the shared-cache and limits tests), postgresql (the gateway's replicas share keys and
# spend in it), prometheus (which scrapes the gateway's /metrics in its test) and openssl (a real TLS server for the
# TLS failure tests). Idempotent; needs root (or sudo)
# only when something is missing.
set -euo pipefail
missing=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || missing+=(libsqlite3-dev)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ "${1:-test}" != demo ]; then
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/bin/openssl ] || missing+=(openssl)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "system-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
