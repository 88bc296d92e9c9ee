#!/usr/bin/env bash
# The official Python client libraries the gateway's tests drive it with (openai), in a virtual environment of
# their own under .local/python-clients. Prints the environment's python.
#   bash scripts/python-clients.sh setup
set -euo pipefail
cd "$(dirname "$0")/.."
home=.local/python-clients
venv=$home/venv
case "${1:-setup}" in
  setup)
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import openai" 2>/dev/null; then
      echo "python-clients: installing openai into $venv" >&2
      mkdir -p "$home"
      python3 -m venv "$venv"
      "$venv/bin/pip" install --quiet "openai>=1.50"
    fi
    echo "$(pwd)/$venv/bin/python"
    ;;
  *) echo "usage: $0 setup" >&2; exit 2 ;;
esac
