#!/usr/bin/env bash
# Set up everything the project needs, idempotently:
#   the Python environment (.venv, locked versions from uv.lock) and the map assets.
# Usage: scripts/setup.sh [--dev]   (--dev adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v uv >/dev/null 2>&1; then
    uv=(uv)
else
    if ! python3 -m uv --version >/dev/null 2>&1; then
        echo "installing uv (the Python package manager this project uses)..."
        python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
    fi
    uv=(python3 -m uv)
fi

# Without --dev the test tools are not installed, but neither are they removed when the test
# command put them there: the two README commands can run one after the other.
groups=(--no-dev --inexact)
[ "${1:-}" = "--dev" ] && groups=()
# --compile-bytecode: every module is compiled once here instead of at each start (where
# PYTHONDONTWRITEBYTECODE is set, as in containers, Python would compile ~2,000 modules from
# source every time the dashboard or the CLI starts: about 3 s).
"${uv[@]}" sync --frozen --compile-bytecode "${groups[@]}"
# The project's own modules are not in site-packages; compile them too (quietly, in place).
.venv/bin/python -m compileall -q -j 0 socialbasis loaders dashboard cli >/dev/null
bash scripts/install_assets.sh
