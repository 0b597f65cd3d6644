"""Venues inside a gemeente from OpenStreetMap, through the Overpass API.

The query asks for every tag in the crosswalk (``data/osm_crosswalk.csv``: tag -> layer and
kind of venue; first matching row wins) inside the gemeente's bounding box, with ``out center
tags`` so that ways and relations come with a centre point. Venues outside the gemeente's
outline are left out and counted. OpenStreetMap data is © OpenStreetMap-bijdragers, ODbL.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from loaders._http import HttpClient, ResponseFormatError
from loaders.provenance import Provenance
from socialbasis.geo import WGS84, to_wgs84
from socialbasis.i18n import _
from socialbasis.vocab import Layer

SERVICE = "OpenStreetMap (Overpass API)"
LICENCE = "ODbL, © OpenStreetMap-bijdragers"
SOURCE = "OpenStreetMap"
CROSSWALK = Path(__file__).parent / "data" / "osm_crosswalk.csv"


@dataclass(frozen=True)
class Rule:
    key: str
    value: str  # "*" for any value
    also: tuple[str, str] | None  # an extra tag that must match, e.g. garden:type=community
    layer: str
    kind: str

    def matches(self, tags: dict[str, str]) -> bool:
        if self.key not in tags or (self.value != "*" and tags[self.key] != self.value):
            return False
        return self.also is None or tags.get(self.also[0]) == self.also[1]


def read_crosswalk(path: Path = CROSSWALK) -> list[Rule]:
    """The tag -> layer rules, checked: every layer must be a known layer."""
    rules = []
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row["layer"] not in {layer.value for layer in Layer}:
                raise ValueError(
                    _("{name}, rij {number}: onbekende laag {layer!r}").format(
                        name=path.name, number=number, layer=row["layer"]
                    )
                )
            also = tuple(row["also"].split("=", 1)) if row.get("also") else None
            rules.append(Rule(row["key"], row["value"], also, row["layer"], row["kind"]))
    return rules


def build_query(
    bbox: tuple[float, float, float, float], rules: list[Rule], timeout: int = 60
) -> str:
    """An Overpass QL query for every rule inside ``bbox`` (south, west, north, east)."""
    box = ",".join(f"{v:.6f}" for v in bbox)
    by_key: dict[tuple[str, tuple[str, str] | None], list[str]] = defaultdict(list)
    for rule in rules:
        by_key[(rule.key, rule.also)].append(rule.value)
    parts = []
    for (key, also), values in by_key.items():
        extra = f'["{also[0]}"="{also[1]}"]' if also else ""
        if "*" in values:
            parts.append(f'nwr["{key}"]{extra}({box});')
        else:
            pattern = "|".join(sorted(set(values)))
            parts.append(f'nwr["{key}"~"^({pattern})$"]{extra}({box});')
    return f"[out:json][timeout:{timeout}];\n(\n  " + "\n  ".join(parts) + "\n);\nout center tags;"


def _address(tags: dict[str, str]) -> str:
    def part(key: str) -> str:
        return str(tags.get(key) or "").strip()

    street = " ".join(p for p in (part("addr:street"), part("addr:housenumber")) if p)
    place = " ".join(p for p in (part("addr:postcode"), part("addr:city")) if p)
    return ", ".join(p for p in (street, place) if p)


def _capacity(tags: dict[str, str]) -> str:
    value = str(tags.get("capacity") or "").strip()
    return value if value.isdigit() else ""


@dataclass(frozen=True)
class ParsedVenues:
    rows: pd.DataFrame  # canonical venue columns, as text, not yet validated
    unclassified: int  # elements no rule matched
    without_position: int  # elements without coordinates, centre, bounds or known nodes
    without_tags: int = 0  # ways and relations that came without tags (out ids/skel)
    without_id: int = 0  # elements without an id (out noids): no stable id can be made


def overpass_remark(body: Any) -> str | None:
    """The ``remark`` Overpass puts in an HTTP 200 answer when the query failed (timeout,
    out of memory, ...); such an answer has no or partial ``elements``."""
    if isinstance(body, dict) and body.get("remark"):
        return str(body["remark"]).strip()
    return None


def _position(element: dict[str, Any], nodes: dict[Any, tuple[float, float]]) -> tuple | None:
    """lat/lon of a node; else ``center`` (out center), the middle of ``bounds`` (out bb),
    the mean of ``geometry`` (out geom) or of the way's nodes when they are in the answer."""
    if "lat" in element and "lon" in element:
        return float(element["lat"]), float(element["lon"])
    center, bounds = element.get("center"), element.get("bounds")
    if isinstance(center, dict) and "lat" in center and "lon" in center:
        return float(center["lat"]), float(center["lon"])
    if isinstance(bounds, dict) and {"minlat", "minlon", "maxlat", "maxlon"} <= set(bounds):
        return (
            (float(bounds["minlat"]) + float(bounds["maxlat"])) / 2,
            (float(bounds["minlon"]) + float(bounds["maxlon"])) / 2,
        )
    geometry = element.get("geometry")
    if isinstance(geometry, list):
        points = [(float(p["lat"]), float(p["lon"])) for p in geometry if isinstance(p, dict)]
        if points:
            return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    way_nodes = element.get("nodes")
    if isinstance(way_nodes, list) and way_nodes and all(n in nodes for n in way_nodes):
        points = [nodes[n] for n in way_nodes]
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return None


def parse_overpass(body: Any, rules: list[Rule]) -> ParsedVenues:
    """Overpass JSON to venue rows (pure).

    An answer with a ``remark`` is an error that quotes it: Overpass answers HTTP 200 with no
    (or partial) elements when a query timed out or ran out of memory, and that is not "no
    venues". Every ``out`` mode is read: a position comes from the node, ``center``,
    ``bounds``, ``geometry`` or the way's nodes; an element with none is counted as
    "without position"."""
    remark = overpass_remark(body)
    if remark:
        raise ResponseFormatError(_("Overpass meldt een fout: {remark!r}").format(remark=remark))
    if not isinstance(body, dict) or not isinstance(body.get("elements"), list):
        keys = ", ".join(sorted(body)) if isinstance(body, dict) else type(body).__name__
        raise ResponseFormatError(
            _("verwacht Overpass JSON met 'elements', kreeg: {keys}").format(keys=keys)
        )
    elements = body["elements"]
    if not all(isinstance(e, dict) for e in elements):
        raise ResponseFormatError(_("verwacht een lijst van objecten in 'elements'"))
    try:
        nodes = {
            e["id"]: (float(e["lat"]), float(e["lon"]))
            for e in elements
            if e.get("type") == "node" and "id" in e and "lat" in e and "lon" in e
        }
    except (TypeError, ValueError) as exc:
        raise ResponseFormatError(
            _("een knoop heeft geen getallen als coördinaten: {exc}").format(exc=exc)
        ) from exc
    rows = []
    unclassified = without_position = without_tags = without_id = 0
    for element in elements:
        tags = element.get("tags") or {}
        if not isinstance(tags, dict):
            raise ResponseFormatError(
                _("'tags' van {get} is geen object").format(get=element.get("id"))
            )
        if not tags:
            if element.get("type") != "node":
                without_tags += 1  # a way or relation asked without tags (out ids, skel)
            continue  # bare nodes of a way
        rule = next((r for r in rules if r.matches(tags)), None)
        if rule is None:
            unclassified += 1
            continue
        if element.get("id") is None:
            without_id += 1
            continue
        try:
            position = _position(element, nodes)
        except (TypeError, ValueError, KeyError) as exc:
            raise ResponseFormatError(
                _("{get} {get2}: coördinaten zijn geen getallen").format(
                    get=element.get("type"), get2=element.get("id")
                )
            ) from exc
        if position is None:
            without_position += 1
            continue
        lat, lon = position
        rows.append(
            {
                "id": f"osm-{element.get('type', 'x')}-{element.get('id')}",
                "name": str(tags.get("name") or f"{rule.kind} (naam onbekend)"),
                "kind": rule.kind,
                "layer": rule.layer,
                "address": _address(tags),
                "lat": f"{lat:.7f}",
                "lon": f"{lon:.7f}",
                "capacity": _capacity(tags),
                "source": SOURCE,
            }
        )
    columns = ["id", "name", "kind", "layer", "address", "lat", "lon", "capacity", "source"]
    return ParsedVenues(
        pd.DataFrame(rows, columns=columns),
        unclassified,
        without_position,
        without_tags,
        without_id,
    )


@dataclass(frozen=True)
class Venues:
    rows: pd.DataFrame
    provenance: Provenance
    notes: list[str]


def fetch_venues(
    client: HttpClient, url: str, area: gpd.GeoDataFrame, rules: list[Rule] | None = None
) -> Venues:
    """Venues inside the area's outline (area in any CRS; one or more polygons)."""
    rules = rules or read_crosswalk()
    outline = to_wgs84(area).union_all()
    west, south, east, north = outline.bounds
    query = build_query((south, west, north, east), rules)
    fetched = client.json(
        SERVICE,
        url,
        method="POST",
        data={"data": query},
        parse=lambda body: parse_overpass(body, rules),
    )
    parsed: ParsedVenues = fetched.body
    inside = _inside(parsed.rows, outline)
    notes = []
    if (~inside).any():
        notes.append(
            _(
                "{sum} OSM-locaties liggen in de rechthoek rond de gemeente maar buiten de "
                "gemeente; niet opgenomen."
            ).format(sum=int((~inside).sum()))
        )
    if parsed.unclassified:
        notes.append(
            _(
                "{unclassified} OSM-objecten pasten bij geen regel van de indeling; niet opgenomen."
            ).format(unclassified=parsed.unclassified)
        )
    if parsed.without_position:
        notes.append(
            _("{without_position} OSM-objecten zonder plek; niet opgenomen.").format(
                without_position=parsed.without_position
            )
        )
    if parsed.without_tags:
        notes.append(
            _("{without_tags} OSM-objecten zonder tags; niet opgenomen.").format(
                without_tags=parsed.without_tags
            )
        )
    if parsed.without_id:
        notes.append(
            _("{without_id} OSM-objecten zonder id; niet opgenomen.").format(
                without_id=parsed.without_id
            )
        )
    return Venues(
        parsed.rows[inside].reset_index(drop=True),
        Provenance(
            "locaties",
            "© OpenStreetMap-bijdragers",
            fetched.url,
            LICENCE,
            _date(fetched.retrieved),
            fetched.retrieved,
        ),
        notes,
    )


def _inside(rows: pd.DataFrame, outline: BaseGeometry) -> pd.Series:
    if rows.empty:
        return pd.Series(dtype=bool)
    points = gpd.GeoSeries(
        gpd.points_from_xy(rows["lon"].astype(float), rows["lat"].astype(float)), crs=WGS84
    )
    return pd.Series(points.within(outline).to_numpy(), index=rows.index)


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")
