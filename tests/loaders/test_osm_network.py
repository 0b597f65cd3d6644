"""Reading a walking network from OpenStreetMap, and walking over it."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import pytest
import shapely
from pyproj import Geod

from loaders._http import ResponseFormatError
from loaders.osm_network import parse_overpass_ways, read_extract, walkable
from socialbasis.analysis.coverage import WalkParams, coverage_by_layer
from socialbasis.analysis.detour import summarise_network
from socialbasis.analysis.distances import OverStreet, StraightLine
from socialbasis.analysis.gaps import GapParams, kansenlijst
from socialbasis.analysis.grid import build_grid
from socialbasis.analysis.network import WalkNetwork
from socialbasis.geo import RD
from tests.helpers import point_initiatives
from tests.loaders import osm_town as town
from tests.socialbasis.network_reference import reference_nearest

HATFIELD = Path(__file__).parents[1] / "fixtures" / "osm" / "hatfield_sample.osm.pbf"


def extract_area(path: Path) -> gpd.GeoDataFrame:
    """The extract's own bounds as a one-buurt area (in RD, as the reader expects)."""
    box = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING).header().box()
    bounds = shapely.box(
        box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat
    )
    return gpd.GeoDataFrame({"buurtcode": ["BU00000001"]}, geometry=[bounds], crs=4326).to_crs(RD)


def walkable_ways(path: Path) -> tuple[int, int, float]:
    """Straight from pyosmium: the walkable ways, their segments and metres on the ellipsoid."""
    geod = Geod(ellps="GRS80")
    ways = segments = 0
    metres = 0.0
    for way in osmium.FileProcessor(str(path)).with_locations():
        if not way.is_way() or walkable(dict(way.tags)) is None:
            continue
        ways += 1
        lon = [n.location.lon for n in way.nodes]
        lat = [n.location.lat for n in way.nodes]
        segments += len(lon) - 1
        metres += geod.line_length(lon, lat)
    return ways, segments, metres


def test_a_real_extract_keeps_what_pedestrians_may_use():
    network = read_extract(HATFIELD, extract_area(HATFIELD), "GM0000")
    ways, segments, metres = walkable_ways(HATFIELD)
    assert ways == 35  # every highway but the motorway (the Hatfield Tunnel)
    assert network.edge_count == segments
    assert network.length.sum() == pytest.approx(metres, rel=0.005)  # RD is a projection
    assert network.about["bron"] == HATFIELD.name
    assert network.about["licentie"].startswith("ODbL")
    # The motorway's own nodes are not in the network.
    motorway = [
        (n.location.lon, n.location.lat)
        for w in osmium.FileProcessor(str(HATFIELD)).with_locations()
        if w.is_way() and w.tags.get("highway") == "motorway"
        for n in w.nodes
    ]
    assert len(motorway) > 2
    from socialbasis.geo import lonlat_to_rd

    mx, my = lonlat_to_rd(np.array([p[0] for p in motorway]), np.array([p[1] for p in motorway]))
    nearest = np.hypot(network.x[:, None] - mx[None, :], network.y[:, None] - my[None, :]).min(0)
    assert (nearest[1:-1] > 0.5).sum() >= len(motorway) - 4  # at most where a road joins it


def test_walks_on_the_real_extract_match_networkx_and_are_never_shorter_than_straight():
    network = read_extract(HATFIELD, extract_area(HATFIELD), "GM0000")
    rng = np.random.default_rng(11)
    low = np.array([network.x.min(), network.y.min()])
    high = np.array([network.x.max(), network.y.max()])
    origins, points = rng.uniform(low, high, (300, 2)), rng.uniform(low, high, (12, 2))
    walking = OverStreet(network)
    ours = walking.nearest(origins, points)
    reference = reference_nearest(network, network.snap(origins), network.snap(points))
    assert np.isfinite(reference).sum() > 250
    assert np.allclose(ours[np.isfinite(reference)], reference[np.isfinite(reference)])
    straight = StraightLine().nearest(origins, points)
    assert (ours >= straight - 1e-6).all()


def test_the_detour_on_the_real_extract_is_measured():
    network = read_extract(HATFIELD, extract_area(HATFIELD), "GM0000")
    area = extract_area(HATFIELD)
    parts = shapely.get_coordinates(
        shapely.points(network.x[::25], network.y[::25])
    )  # places on the streets
    buurten = gpd.GeoDataFrame(
        {"buurtcode": ["BU00000001"]}, geometry=[area.geometry.iloc[0]], crs=RD
    )
    initiatives = point_initiatives([tuple(p) for p in parts])
    summary = summarise_network(network, buurten, initiatives)
    assert summary.pairs > 0
    assert 1.0 <= summary.detour_median <= summary.detour_p90 <= summary.detour_max


@pytest.fixture(scope="module")
def river_town(tmp_path_factory) -> WalkNetwork:
    path = town.write_town(tmp_path_factory.mktemp("town"))
    return read_extract(path, town.town_buurten(), "GM0999")


def test_the_river_town_has_one_crossing_and_one_flight_of_steps(river_town):
    x = river_town.x
    crossing = (x[river_town.u] < 111_460) != (x[river_town.v] < 111_460)
    assert crossing.sum() == 1  # the footbridge; not the motorway nor the private road
    assert river_town.steps_count == 1


def test_the_far_bank_is_a_gap_over_the_street_and_covered_in_a_straight_line(river_town):
    buurten = town.town_buurten()
    grid = build_grid(buurten)
    initiatives = point_initiatives([town.ACTIVITY])
    straight = coverage_by_layer(buurten, grid, initiatives).xs("gemeenschappelijk", level=1)
    walked = coverage_by_layer(buurten, grid, initiatives, WalkParams(network=river_town)).xs(
        "gemeenschappelijk", level=1
    )
    assert straight.loc["BU09990001", "share_10min"] > 0.9
    assert walked.loc["BU09990001", "share_10min"] == 0.0
    assert walked.loc["BU09990002", "share_10min"] == 1.0  # same bank
    # Over the bridge and back: about 1,350 m north, 300 m over and 1,350 m south again.
    assert walked.loc["BU09990001", "nearest_m"] > 2_500
    assert walked.loc["BU09990001", "straight_m"] == pytest.approx(550, abs=1)
    assert straight.loc["BU09990001", "nearest_m"] == pytest.approx(550, abs=1)

    def ranked(params):
        table = kansenlijst(
            buurten, grid, initiatives, initiatives.iloc[:0], "gemeenschappelijk", params=params
        )
        return table.set_index("buurtcode")

    gap = ranked(GapParams(walk=WalkParams(network=river_town)))
    line = ranked(GapParams())
    # In a straight line only the 5-minute band (400 m) misses it.
    assert gap.loc["BU09990001", "score"] == 100.0
    assert line.loc["BU09990001", "score"] < 35
    assert gap.index[0] in {"BU09990001", "BU09990003"}
    assert "over straat" in gap.loc["BU09990001", "reason"]
    assert "in rechte lijn 550 m" in gap.loc["BU09990001", "reason"]
    assert "in rechte lijn" in line.loc["BU09990001", "reason"]
    assert "over straat" not in line.loc["BU09990001", "reason"]


def test_a_rollator_walks_around_the_steps(river_town):
    near_steps = np.array([[112_010.0, 494_995.0]])
    across = np.array([[112_090.0, 494_995.0]])
    normal = OverStreet(river_town).nearest(near_steps, across)[0]
    rollator = OverStreet(river_town, avoid_steps=True).nearest(near_steps, across)[0]
    # (Positions went through lon/lat with 8 decimals: millimetres.)
    assert normal == pytest.approx(5 + 80 + 5, abs=0.05)
    # Without the steps both snap to the corner of the street round the block (11.2 m off).
    assert rollator == pytest.approx(2 * np.hypot(10, 5) + 300, abs=0.05)


def test_a_buurt_the_network_does_not_reach_is_measured_in_a_straight_line_and_says_so(
    river_town,
):
    buurten = town.town_buurten()
    grid = build_grid(buurten)
    initiatives = point_initiatives([(114_250.0, 494_800.0)])  # south of the polder
    walked = coverage_by_layer(buurten, grid, initiatives, WalkParams(network=river_town))
    straight = coverage_by_layer(buurten, grid, initiatives)
    polder = ("BU09990003", "gemeenschappelijk")
    assert walked.loc[polder, "network_share"] == 0.0
    assert walked.loc[polder, "share_5min"] == straight.loc[polder, "share_5min"] > 0
    table = kansenlijst(
        buurten,
        grid,
        initiatives,
        initiatives.iloc[:0],
        "gemeenschappelijk",
        params=GapParams(walk=WalkParams(network=river_town)),
    ).set_index("buurtcode")
    assert "het loopnetwerk bereikt 0% van de buurt" in table.loc["BU09990003", "reason"]
    assert "loopnetwerk" not in table.loc["BU09990002", "reason"]


def test_an_unreadable_or_foreign_file_is_refused(tmp_path):
    broken = tmp_path / "kapot.osm.pbf"
    broken.write_bytes(b"not an osm file at all")
    with pytest.raises(ValueError, match=r"kapot\.osm\.pbf"):
        read_extract(broken, town.town_buurten(), "GM0999")
    # A real extract of somewhere else holds nothing near the gemeente.
    with pytest.raises(ValueError, match="geen enkele weg"):
        read_extract(HATFIELD, town.town_buurten(), "GM0999")


def test_overpass_ways_are_read_like_an_extract(river_town):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(town.town_xml())
    elements = [
        {
            "type": "node",
            "id": int(n.get("id")),
            "lat": float(n.get("lat")),
            "lon": float(n.get("lon")),
        }
        for n in root.iter("node")
    ] + [
        {
            "type": "way",
            "id": int(w.get("id")),
            "nodes": [int(nd.get("ref")) for nd in w.iter("nd")],
            "tags": {t.get("k"): t.get("v") for t in w.iter("tag")},
        }
        for w in root.iter("way")
    ]
    ways, stamp = parse_overpass_ways(
        {"osm3s": {"timestamp_osm_base": "2026-11-30T10:00:00Z"}, "elements": elements}
    )
    assert stamp == "2026-11-30"
    from loaders.osm_network import build_network

    network = build_network(ways, town.town_buurten().union_all(), {})
    assert network.edge_count == river_town.edge_count
    assert network.length.sum() == pytest.approx(river_town.length.sum())
    with pytest.raises(ResponseFormatError, match="Overpass"):
        parse_overpass_ways({"remark": "runtime error: Query timed out", "elements": []})


def test_a_stored_network_reads_back_the_same_and_a_damaged_one_says_so(river_town, tmp_path):
    from socialbasis.errors import DataFileError
    from socialbasis.storage import Store

    store = Store(tmp_path)
    path = store.write_network("GM0999", river_town)
    back = store.read_network("GM0999")
    assert back.edge_count == river_town.edge_count and back.about == river_town.about
    assert np.array_equal(back.length, river_town.length)
    assert np.array_equal(back.kind, river_town.kind)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(DataFileError, match="loopnetwerk is onleesbaar"):
        store.read_network("GM0999")
    assert store.remove_network("GM0999") and store.read_network("GM0999") is None
