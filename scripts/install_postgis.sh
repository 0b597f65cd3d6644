#!/usr/bin/env bash
# The database tests start a throwaway PostgreSQL + PostGIS server themselves; this installs
# Debian's packages for it (the server is never started as a service).
set -euo pipefail
bin="${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
if [ -x "$bin/initdb" ] && ls /usr/share/postgresql/15/extension/postgis.control >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL 15 with PostGIS not found; install it, or set POSTGRES_BIN" >&2
    exit 1
fi
sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)
echo "installing PostgreSQL 15 with PostGIS from the Debian packages..."
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >/dev/null
