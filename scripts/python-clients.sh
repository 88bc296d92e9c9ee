#!/usr/bin/env bash
# The official Python libraries the tests use (openai, to drive the gateway; mcp, for the MCP servers and client the
# MCP tests talk to), in a virtual environment of their own under .local/python-clients. Prints its python.
#   bash scripts/python-clients.sh setup
set -euo pipefail
cd "$(dirname "$0")/.."
home=.local/python-clients
venv=$home/venv
case "${1:-setup}" in
  setup)
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import openai, mcp" 2>/dev/null; then
      echo "python-clients: installing openai and mcp into $venv" >&2
      mkdir -p "$home"
      [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
      "$venv/bin/pip" install --quiet "openai>=1.50" "mcp>=2.3,<3"
    fi
    echo "$(pwd)/$venv/bin/python"
    ;;
  *) echo "usage: $0 setup" >&2; exit 2 ;;
esac
