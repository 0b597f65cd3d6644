"""Leaflet and plugin files served by the dashboard itself (no CDN), so the map works offline.

``scripts/install_assets.sh`` copies them from the pinned npm packages into ``static/vendor``;
Streamlit serves that folder at ``app/static/`` when static serving is on.
"""

from __future__ import annotations

from pathlib import Path

import folium
import folium.plugins

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"

# Relative to the map component's iframe (``<base>/component/<name>/index.html``), so the URLs
# also work when Streamlit runs under a base path.
URL_PREFIX = "../../app/static/vendor"

LEAFLET_JS = ("leaflet", f"{URL_PREFIX}/leaflet/leaflet.js")
LEAFLET_CSS = ("leaflet_css", f"{URL_PREFIX}/leaflet/leaflet.css")
CLUSTER_JS = ("markerclusterjs", f"{URL_PREFIX}/leaflet.markercluster/leaflet.markercluster.js")
CLUSTER_CSS = (
    ("markerclustercss", f"{URL_PREFIX}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{URL_PREFIX}/leaflet.markercluster/MarkerCluster.Default.css"),
)
ICON_PATH = f"{URL_PREFIX}/leaflet/images/"

REQUIRED_FILES: tuple[str, ...] = (
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/images/marker-icon.png",
    "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet.markercluster/MarkerCluster.css",
    "leaflet.markercluster/MarkerCluster.Default.css",
)


def missing_assets(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Asset files that are not installed (empty when the map can work offline)."""
    return [name for name in REQUIRED_FILES if not (vendor_dir / name).is_file()]


def use_local_assets(element: folium.elements.JSCSSMixin) -> None:
    """Point one folium element at the local files instead of its CDN defaults.

    Only the map and marker-cluster elements are used by this dashboard; any other element
    with CDN links is refused, so an added plugin cannot silently break the offline map.
    """
    if isinstance(element, folium.Map):
        # The marker-cluster files come with the map itself: the markers are layers that
        # change while the map stays, and may appear only after the first page.
        element.default_js = [LEAFLET_JS, CLUSTER_JS]
        element.default_css = [LEAFLET_CSS, *CLUSTER_CSS]
    elif isinstance(element, folium.plugins.MarkerCluster):
        element.default_js = [CLUSTER_JS]
        element.default_css = list(CLUSTER_CSS)
    elif getattr(element, "default_js", None) or getattr(element, "default_css", None):
        raise TypeError(f"{type(element).__name__} loads files from a CDN; serve them locally")
