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
# The whole suite with the listings in SQLite (each data folder its own file, as for a user;
# the database tests themselves run on SQLite and PostgreSQL), then everything that stores
# or reads listings through the core, the CLI, the dashboard and the browser once more with
# PostgreSQL + PostGIS (a throwaway server the tests start; a database per test).
.venv/bin/python -m pytest "$@"
SBK_TEST_DATABASE=postgresql .venv/bin/python -m pytest "$@" \
    tests/socialbasis/test_dataset.py tests/cli tests/dashboard \
    tests/browser/test_upload.py tests/browser/test_signin.py tests/browser/test_editing.py tests/browser/test_planning.py
