#!/usr/bin/env bash
# Set up (if needed) and run every check: lint, format, unit, app and browser tests.
# Extra arguments go to pytest, e.g. scripts/test.sh -k schema
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
bash scripts/install_chromium.sh
bash scripts/install_postgis.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
