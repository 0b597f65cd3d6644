"""A made-up town with a river and one footbridge, written as OSM XML (the documented OSM
XML format, https://wiki.openstreetmap.org/wiki/OSM_XML), to test reading and walking.

In RD New metres: a river runs north-south between x = 111,460 and 111,540. Streets lie on
a 100 m lattice on both banks; the only crossing a pedestrian may use is a footbridge at the
north end (y = 496,600). A motorway bridge crosses at the south end and a private road
crosses in the middle: neither is walkable. East of the river a flight of steps makes a
short cut that a rollator has to walk around.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import numpy as np
import shapely

from socialbasis.geo import rd_to_lonlat

WEST_X = np.arange(110_200.0, 111_401.0, 100.0)
EAST_X = np.arange(111_600.0, 112_801.0, 100.0)
ROWS_Y = np.arange(495_000.0, 496_601.0, 100.0)
BRIDGE_Y = 496_600.0
# The steps: from (112,000, 495,000) straight east 100 m to (112,100, 495,000) would be the
# lattice street; that street is left out and replaced by steps, so the walk around is 300 m.
STEPS_FROM = (112_000.0, 495_000.0)
STEPS_TO = (112_100.0, 495_000.0)


class _Writer:
    def __init__(self) -> None:
        self.nodes: dict[tuple[float, float], int] = {}
        self.ways: list[tuple[list[int], dict[str, str]]] = []

    def node(self, x: float, y: float) -> int:
        return self.nodes.setdefault((round(x, 3), round(y, 3)), len(self.nodes) + 1)

    def way(self, points: list[tuple[float, float]], **tags: str) -> None:
        self.ways.append(([self.node(x, y) for x, y in points], tags))

    def xml(self) -> str:
        xy = np.array(list(self.nodes))
        lon, lat = rd_to_lonlat(xy[:, 0], xy[:, 1])
        lines = ["<?xml version='1.0' encoding='UTF-8'?>", '<osm version="0.6" generator="test">']
        for number, lo, la in zip(self.nodes.values(), lon, lat, strict=True):
            lines.append(f'  <node id="{number}" version="1" lat="{la:.8f}" lon="{lo:.8f}"/>')
        for index, (refs, tags) in enumerate(self.ways, start=1):
            lines.append(f'  <way id="{index}" version="1">')
            lines += [f'    <nd ref="{ref}"/>' for ref in refs]
            lines += [
                f"    <tag k={quoteattr(k.replace('_', ':'))} v={quoteattr(v)}/>"
                for k, v in tags.items()
            ]
            lines.append("  </way>")
        lines.append("</osm>")
        return "\n".join(lines) + "\n"


def _lattice(writer: _Writer, xs: np.ndarray, skip: set[tuple] = frozenset()) -> None:
    for y in ROWS_Y:
        for a, b in itertools.pairwise(xs):
            if ((a, y), (b, y)) not in skip:
                writer.way([(a, y), (b, y)], highway="residential")
    for x in xs:
        for a, b in itertools.pairwise(ROWS_Y):
            writer.way([(x, a), (x, b)], highway="residential")


def town_xml() -> str:
    writer = _Writer()
    _lattice(writer, WEST_X)
    _lattice(writer, EAST_X, skip={(STEPS_FROM, STEPS_TO)})
    writer.way([STEPS_FROM, STEPS_TO], highway="steps")
    writer.way([(WEST_X[-1], BRIDGE_Y), (EAST_X[0], BRIDGE_Y)], highway="footway", bridge="yes")
    writer.way([(WEST_X[-1], 494_900.0), (EAST_X[0], 494_900.0)], highway="motorway")
    writer.way(
        [(WEST_X[-1], 495_800.0), (EAST_X[0], 495_800.0)], highway="service", access="private"
    )
    # The motorway's ends are joined to the lattice, as real ramps would be.
    writer.way([(WEST_X[-1], 494_900.0), (WEST_X[-1], 495_000.0)], highway="residential")
    writer.way([(EAST_X[0], 494_900.0), (EAST_X[0], 495_000.0)], highway="residential")
    return writer.xml()


def write_town(folder: Path) -> Path:
    path = folder / "rivierstad.osm"
    path.write_text(town_xml(), encoding="utf-8")
    return path


def town_buurten() -> gpd.GeoDataFrame:
    """West (across the river from the activity), East (with it) and Polder (no streets)."""
    shapes = [
        shapely.box(110_900, 495_000, 111_400, 495_500),
        shapely.box(111_600, 495_000, 112_100, 495_500),
        shapely.box(114_000, 495_000, 114_500, 495_500),
    ]
    return gpd.GeoDataFrame(
        {
            "buurtcode": ["BU09990001", "BU09990002", "BU09990003"],
            "buurtnaam": ["Westoever", "Oostoever", "Polder"],
            "wijkcode": ["WK099900"] * 3,
            "wijknaam": ["Rivierstad"] * 3,
            "werkgebied": ["Rivierstad"] * 3,
            "inwoners": [1000, 1000, 100],
        },
        geometry=shapes,
        crs="EPSG:28992",
    )


# The one activity: on the east bank, 550 m in a straight line from the west buurt's centre.
ACTIVITY = (111_700.0, 495_250.0)
