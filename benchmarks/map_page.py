"""How much the map sends to the browser, for the embedded Zaanstad data.

    python -m benchmarks.map_page

Prints the size of what streamlit-folium passes to its component (the map's script, header
and HTML) for the supply view and the kansenkaart, and of the locally served Leaflet files.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import folium
from streamlit_folium import _get_header, _get_html, _get_map_string

from dashboard.assets import VENDOR_DIR
from dashboard.kansen_view import SCORE_BINS, SCORE_COLOURS, SCORE_LABELS
from dashboard.mapview import Choropleth, MapOptions, build_map
from socialbasis.analysis.gaps import kansenlijst
from socialbasis.analysis.grid import build_grid
from socialbasis.dataset import load_dataset
from socialbasis.settings import load_settings


def payload_bytes(fmap: folium.Map) -> tuple[int, float]:
    start = time.perf_counter()
    fmap.get_root().render()
    html, header = _get_html(fmap), _get_header(fmap)
    script = _get_map_string(fmap)
    seconds = time.perf_counter() - start
    return len(html.encode()) + len(header.encode()) + len(script.encode()), seconds


def main() -> None:
    settings = load_settings({}, data_dir=Path(tempfile.mkdtemp()))
    dataset = load_dataset(settings)
    options = MapOptions(settings.tile_url, settings.tile_attribution)
    start = time.perf_counter()
    fmap = build_map(dataset, dataset.initiatives, dataset.venues, options, "BU04791111")
    build_s = time.perf_counter() - start
    size, render_s = payload_bytes(fmap)
    print(
        f"supply map: {len(dataset.buurten)} buurten, {len(dataset.initiatives)} initiatives, "
        f"{len(dataset.venues)} venues: {size / 1024:.0f} KiB sent, built in {build_s:.3f} s, "
        f"rendered in {render_s:.3f} s"
    )
    ranked = kansenlijst(
        dataset.buurten,
        build_grid(dataset.buurten),
        dataset.initiatives,
        dataset.venues,
        "gemeenschappelijk",
    )
    choropleth = Choropleth(
        dict(zip(ranked["buurtcode"], ranked["score"], strict=True)),
        SCORE_BINS,
        SCORE_COLOURS,
        "Kansscore",
        "bron",
        SCORE_LABELS,
    )
    layer = dataset.initiatives[dataset.initiatives["layer"] == "gemeenschappelijk"]
    kansen = build_map(
        dataset,
        layer,
        dataset.venues,
        MapOptions(settings.tile_url, settings.tile_attribution, choropleth=choropleth),
        "BU04791111",
    )
    size, _ = payload_bytes(kansen)
    print(f"kansenkaart map: {size / 1024:.0f} KiB sent")
    assets = sum(
        p.stat().st_size
        for p in VENDOR_DIR.rglob("*")
        if p.is_file() and p.suffix in (".js", ".css")
    )
    print(
        f"Leaflet + markercluster files served locally: {assets / 1024:.0f} KiB "
        "(once, then cached by the browser)"
    )


if __name__ == "__main__":
    main()
