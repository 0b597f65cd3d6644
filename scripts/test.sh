#!/usr/bin/env bash
# Set up (if needed) and run every check: lint, format, unit, app and browser tests, on
# SQLite and on PostgreSQL.
# Extra arguments go to pytest, e.g. scripts/test.sh -k schema
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
bash scripts/install_chromium.sh
bash scripts/install_postgis.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# The whole suite twice: listings in SQLite (each data folder its own file, as for a user),
# then in PostgreSQL + PostGIS (a throwaway server the tests start; a database per test).
.venv/bin/python -m pytest "$@"
SBK_TEST_DATABASE=postgresql .venv/bin/python -m pytest "$@"
