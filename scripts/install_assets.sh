#!/usr/bin/env bash
# Install the map's JavaScript and CSS (pinned in assets/package-lock.json) into
# dashboard/static/vendor, where Streamlit serves them, so the map works without internet.
set -euo pipefail
cd "$(dirname "$0")/.."

vendor=dashboard/static/vendor
stamp="$vendor/.installed-from"
lock_hash=$(sha256sum assets/package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
    exit 0
fi

command -v npm >/dev/null || { echo "npm is needed to install the map assets (Node.js 18+)" >&2; exit 1; }
npm ci --prefix assets --no-audit --no-fund --loglevel=error

rm -rf "$vendor"
mkdir -p "$vendor/leaflet" "$vendor/leaflet.markercluster"
cp -r assets/node_modules/leaflet/dist/leaflet.js assets/node_modules/leaflet/dist/leaflet.css \
      assets/node_modules/leaflet/dist/images assets/node_modules/leaflet/LICENSE "$vendor/leaflet/"
cp assets/node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   assets/node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   assets/node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
   assets/node_modules/leaflet.markercluster/MIT-LICENCE.txt "$vendor/leaflet.markercluster/"
echo "$lock_hash" > "$stamp"
echo "map assets installed in $vendor"
