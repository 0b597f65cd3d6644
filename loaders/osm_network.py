"""The walking network of a gemeente from OpenStreetMap: a regional extract or Overpass.

``read_extract`` reads an OSM file (``.osm.pbf`` as downloaded per province, or ``.osm``
XML) with pyosmium, the OpenStreetMap project's own reader (BSD licence; it reads PBF in
C++ and joins ways to their node positions); ``fetch_network`` asks Overpass for the same
ways. Both go through one set of rules (:func:`walkable`) and :func:`build_network`, which
clips to the gemeente plus a margin, so the two give the same network.

What a pedestrian may use: footways, paths, pedestrian streets, steps, tracks, residential,
service and other ordinary roads, cycleways (unless ``foot=no``), and ferries for foot
passengers. Not: motorways and trunk roads (unless ``foot`` allows it), ``foot=no``,
``access=private``/``no`` (unless ``foot`` allows it), roads under construction or planned.
OpenStreetMap data is © OpenStreetMap-bijdragers, ODbL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from loaders._http import HttpClient, ResponseFormatError
from loaders.osm_venues import overpass_remark
from loaders.provenance import Provenance
from socialbasis.analysis.network import FERRY, STEPS, WalkNetwork
from socialbasis.errors import ServiceError
from socialbasis.geo import RD, lonlat_to_rd, to_wgs84
from socialbasis.i18n import _

SERVICE = "OpenStreetMap (Overpass API)"
LICENCE = "ODbL, © OpenStreetMap-bijdragers"
# Kept around the gemeente, so that a walk may leave it for a while (a bridge, a path just
# across the border) and places near the border find their way.
MARGIN_M = 1500.0

WALKABLE_HIGHWAYS = frozenset(
    {
        "footway", "path", "pedestrian", "living_street", "residential", "service", "steps",
        "cycleway",
        "track", "unclassified", "road", "tertiary", "tertiary_link", "secondary",
        "secondary_link", "primary", "primary_link", "corridor", "platform", "crossing",
    }
)  # fmt: skip
# Roads where walking is not allowed unless ``foot`` says otherwise. A cycleway is walkable
# unless tagged ``foot=no``: where there is no footway, Dutch law (RVV 1990 art. 4) sends
# pedestrians onto the fietspad, and OSM often has only the cycleway on a bridge or a path.
FOOT_TAG_NEEDED = frozenset({"motorway", "motorway_link", "trunk", "trunk_link"})
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "official", "destination"})
FOOT_REFUSED = frozenset({"no", "private", "use_sidepath"})
ACCESS_REFUSED = frozenset({"no", "private"})


def walkable(tags: dict[str, str]) -> int | None:
    """The edge kind (0 road or path, STEPS, FERRY) of a way a pedestrian may use, or None.

    >>> walkable({"highway": "footway"}), walkable({"highway": "steps"})
    (0, 1)
    >>> walkable({"highway": "motorway"}), walkable({"highway": "service", "access": "private"})
    (None, None)
    >>> walkable({"route": "ferry"}), walkable({"highway": "cycleway", "foot": "yes"})
    (2, 0)
    """
    foot = tags.get("foot", "")
    if foot in FOOT_REFUSED:
        return None
    if tags.get("route") == "ferry":
        return FERRY
    highway = tags.get("highway")
    if highway is None:
        return None
    if highway in FOOT_TAG_NEEDED:
        return 0 if foot in FOOT_ALLOWED else None
    if highway not in WALKABLE_HIGHWAYS:
        return None  # construction, proposed, raceway, bus_guideway, ...
    if tags.get("access") in ACCESS_REFUSED and foot not in FOOT_ALLOWED:
        return None
    return STEPS if highway == "steps" else 0


@dataclass(frozen=True)
class Way:
    """A way as read: its kind and its nodes (OSM id, longitude, latitude)."""

    kind: int
    nodes: list[tuple[int, float, float]]


def build_network(
    ways: Iterable[Way],
    outline: shapely.Geometry,
    about: dict[str, str],
    margin_m: float = MARGIN_M,
) -> WalkNetwork:
    """A walking network from ways (lon/lat), clipped to ``outline`` (RD) plus a margin:
    an edge is kept when one of its ends lies in that area."""
    ids: list[int] = []
    lon: list[float] = []
    lat: list[float] = []
    first: list[int] = []
    second: list[int] = []
    kinds: list[int] = []
    position: dict[int, int] = {}
    for way in ways:
        previous = None
        for node_id, x, y in way.nodes:
            index = position.get(node_id)
            if index is None:
                index = position[node_id] = len(ids)
                ids.append(node_id)
                lon.append(x)
                lat.append(y)
            if previous is not None and previous != index:
                first.append(previous)
                second.append(index)
                kinds.append(way.kind)
            previous = index
    x, y = lonlat_to_rd(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    u, v = np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)
    area = shapely.buffer(shapely.simplify(outline, 10.0), margin_m)
    shapely.prepare(area)
    inside = shapely.contains_xy(area, x, y) if len(x) else np.zeros(0, dtype=bool)
    keep = inside[u] | inside[v] if len(u) else np.zeros(0, dtype=bool)
    u, v, kind = u[keep], v[keep], np.asarray(kinds, dtype=np.int8)[keep]
    used = np.unique(np.concatenate([u, v]))
    renumber = np.full(len(x), -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    x, y = x[used], y[used]
    u, v = renumber[u], renumber[v]
    length = np.hypot(x[u] - x[v], y[u] - y[v])
    network = WalkNetwork(x, y, u, v, length, kind, about)
    network.check()
    return network


def _about(source: str, data_date: str, gemeentecode: str) -> dict[str, str]:
    return {
        "bron": source,
        "datum": data_date,
        "ingelezen": date.today().isoformat(),
        "licentie": LICENCE,
        "gemeente": gemeentecode,
    }


# --- a regional extract -----------------------------------------------------------------------


def _extract_ways(path: Path, bounds: tuple[float, float, float, float]) -> Iterator[Way]:
    import osmium  # imported where used: only reading an extract needs it

    west, south, east, north = bounds
    processor = (
        osmium.FileProcessor(str(path))
        .with_locations()
        .with_filter(osmium.filter.KeyFilter("highway", "route"))
    )
    for element in processor:
        if not element.is_way():
            continue
        kind = walkable(dict(element.tags))
        if kind is None:
            continue
        nodes: list[tuple[int, float, float]] = []
        for node in element.nodes:
            location = node.location
            if not location.valid():
                # A node outside the extract: the way is cut there.
                if len(nodes) > 1:
                    yield Way(kind, nodes)
                nodes = []
                continue
            nodes.append((node.ref, location.lon, location.lat))
        if len(nodes) > 1 and any(west <= x <= east and south <= y <= north for _, x, y in nodes):
            yield Way(kind, nodes)


def _file_date(path: Path) -> str:
    import osmium

    header = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING).header()
    stamp = header.get("osmosis_replication_timestamp") or header.get("timestamp")
    if stamp:
        return stamp[:10]
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def read_extract(path: Path, area: gpd.GeoDataFrame, gemeentecode: str) -> WalkNetwork:
    """The walking network of ``area`` (the gemeente's buurten) from an OSM file.

    Raises ValueError when the file cannot be read as OpenStreetMap data, or when it holds
    no walkable way near the gemeente (an extract of another region)."""
    outline = area.to_crs(RD).union_all()
    around = gpd.GeoSeries([outline.buffer(MARGIN_M)], crs=RD)
    bounds = tuple(to_wgs84(gpd.GeoDataFrame(geometry=around)).total_bounds)
    try:
        ways = list(_extract_ways(path, bounds))  # type: ignore[arg-type]
        data_date = _file_date(path)
    except RuntimeError as exc:  # osmium reports unreadable files as RuntimeError
        raise ValueError(
            _("{name}: geen leesbaar OpenStreetMap-bestand ({exc})").format(name=path.name, exc=exc)
        ) from exc
    network = build_network(ways, outline, _about(path.name, data_date, gemeentecode))
    if network.edge_count == 0:
        raise ValueError(
            _(
                "{name}: geen enkele weg of pad in of bij de gemeente; is dit een uittreksel "
                "van de goede provincie?"
            ).format(name=path.name)
        )
    return network


# --- Overpass ---------------------------------------------------------------------------------


def build_query(bbox: tuple[float, float, float, float], timeout: int = 100) -> str:
    """An Overpass QL query for every highway and ferry way in ``bbox`` (south, west, north,
    east), with their nodes' positions. The server's own timeout stays below the client's
    deadline for one answer (120 s by default), so that a slow query comes back as
    Overpass's own error message rather than a cut-off answer."""
    box = ",".join(f"{v:.6f}" for v in bbox)
    return (
        f"[out:json][timeout:{timeout}];\n"
        f'(\n  way["highway"]({box});\n  way["route"="ferry"]({box});\n);\n'
        "(._;>;);\nout body;"
    )


def parse_overpass_ways(body: Any) -> tuple[list[Way], str]:
    """Overpass JSON to walkable ways, and the data's date (``osm3s.timestamp_osm_base``)."""
    remark = overpass_remark(body)
    if remark:
        raise ResponseFormatError(_("Overpass meldt een fout: {remark!r}").format(remark=remark))
    if not isinstance(body, dict) or not isinstance(body.get("elements"), list):
        raise ResponseFormatError(_("verwacht Overpass JSON met 'elements'"))
    nodes: dict[int, tuple[float, float]] = {}
    ways: list[Way] = []
    try:
        for element in body["elements"]:
            if element.get("type") == "node":
                nodes[int(element["id"])] = (float(element["lon"]), float(element["lat"]))
        for element in body["elements"]:
            if element.get("type") != "way":
                continue
            kind = walkable(element.get("tags") or {})
            if kind is None:
                continue
            chain: list[tuple[int, float, float]] = []
            for ref in element.get("nodes") or []:
                if int(ref) not in nodes:  # cut where a node is missing
                    if len(chain) > 1:
                        ways.append(Way(kind, chain))
                    chain = []
                    continue
                chain.append((int(ref), *nodes[int(ref)]))
            if len(chain) > 1:
                ways.append(Way(kind, chain))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ResponseFormatError(
            _("een weg of knoop is onleesbaar: {exc}").format(exc=exc)
        ) from exc
    stamp = str((body.get("osm3s") or {}).get("timestamp_osm_base") or "")[:10]
    return ways, stamp


@dataclass(frozen=True)
class FetchedNetwork:
    network: WalkNetwork
    provenance: Provenance


def fetch_network(
    client: HttpClient, url: str, area: gpd.GeoDataFrame, gemeentecode: str
) -> FetchedNetwork:
    """The walking network of the area (the gemeente's buurten) from Overpass."""
    outline = area.to_crs(RD).union_all()
    around = gpd.GeoDataFrame(geometry=gpd.GeoSeries([outline.buffer(MARGIN_M)], crs=RD))
    west, south, east, north = to_wgs84(around).total_bounds
    fetched = client.json(
        SERVICE,
        url,
        method="POST",
        data={"data": build_query((south, west, north, east))},
        parse=parse_overpass_ways,
    )
    ways, stamp = fetched.body
    data_date = stamp or fetched.retrieved.date().isoformat()
    network = build_network(ways, outline, _about(SERVICE, data_date, gemeentecode))
    if network.edge_count == 0:
        raise ServiceError(
            SERVICE,
            fetched.url,
            _("het antwoord bevat geen enkele weg of pad in of bij de gemeente"),
            _("Probeer het later opnieuw, of lees een uittreksel in met 'socialbasis netwerk'."),
        )
    provenance = Provenance("netwerk", SERVICE, fetched.url, LICENCE, data_date, fetched.retrieved)
    return FetchedNetwork(network, provenance)
