#!/usr/bin/env bash
# Set up (if needed) and start the dashboard on the embedded Zaanstad data.
# Extra arguments go to Streamlit, e.g. scripts/dashboard.sh --server.port 8600
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m dashboard --client.toolbarMode viewer "$@"
