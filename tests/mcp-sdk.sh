#!/bin/sh
# Runs tests/python/mcp_clients.py against `porta serve` with the official MCP
# Python SDK: mcp<2 (ClientSession) and mcp>=2 (Client in auto, legacy and
# 2026-07-28 modes). Each SDK is installed from PyPI into its own venv under
# target/mcp-sdk/, once.
#   usage: tests/mcp-sdk.sh PORTA_BINARY
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
porta="$1"
agent="$root/examples/agent.wasm"
venvs="$root/target/mcp-sdk"

venv() { # NAME REQUIREMENT
    dir="$venvs/$1"
    if [ ! -x "$dir/bin/python" ] || ! "$dir/bin/python" -c "import mcp" 2>/dev/null; then
        rm -rf "$dir"
        python3 -m venv "$dir" >&2
        "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$2" >&2
    fi
    echo "$dir/bin/python"
}

v1="$(venv v1 'mcp<2')"
v2="$(venv v2 'mcp>=2,<3')"
audit_dir="$(mktemp -d)"
trap 'rm -rf "$audit_dir"' EXIT
run() { # PYTHON MODE
    "$1" "$root/tests/python/mcp_clients.py" "$2" "$porta" "$agent" "$audit_dir/$2.jsonl"
}
run "$v1" session
run "$v2" auto
run "$v2" legacy
run "$v2" 2026-07-28
