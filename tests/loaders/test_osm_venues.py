import json

import geopandas as gpd
import pytest
from shapely.geometry import box

from loaders._http import HttpClient, ResponseFormatError
from loaders.osm_venues import Rule, build_query, fetch_venues, parse_overpass, read_crosswalk
from socialbasis.schema import validate_venues
from tests.loaders import testgemeente as tg
from tests.loaders.conftest import REAL

CAFE = Rule("amenity", "cafe", None, "gemeenschappelijk", "café")


def load(name):
    return json.loads((REAL / name).read_text())


def test_real_overpass_nodes_are_parsed_and_classified_by_the_crosswalk():
    body = load("overpass_nodes_amenity_cafe_brasilia.json")
    default = parse_overpass(body, read_crosswalk())
    assert default.rows.empty and default.unclassified == 103  # cafés are not in the crosswalk
    cafes = parse_overpass(body, [CAFE]).rows
    assert len(cafes) == 103
    assert cafes["id"].str.startswith("osm-node-").all()
    assert (cafes["name"] == "café (naam onbekend)").sum() == 4
    # Real data from Brasília: validation refuses it with a clear reason, nothing crashes.
    result = validate_venues(cafes, "overpass")
    assert len(result.frame) == 0
    assert {p.message for p in result.problems if p.field == "lat"} == {
        "ligt niet in Nederland (breedte 50,7-53,7; lengte 3,2-7,3)"
    }


def test_ways_get_their_center_or_the_mean_of_their_nodes():
    florist = Rule("shop", "florist", None, "gemeenschappelijk", "bloemist")
    centred = parse_overpass(load("overpass_overpy_way_out_center_meta.json"), [florist]).rows
    assert centred["id"].tolist() == ["osm-way-225576797"]
    building = Rule("building", "yes", None, "institutioneel", "gebouw")
    from_nodes = parse_overpass(load("overpass_overpy_way_with_nodes.json"), [building])
    assert len(from_nodes.rows) == 1 and from_nodes.without_position == 0


def test_the_query_asks_for_every_rule_with_out_center():
    query = build_query((52.4, 4.7, 52.5, 4.9), read_crosswalk())
    assert query.startswith("[out:json]") and query.endswith("out center tags;")
    assert 'nwr["amenity"~"^(arts_centre|' in query
    assert 'nwr["club"](52.400000,4.700000,52.500000,4.900000);' in query
    assert 'nwr["leisure"~"^(garden)$"]["garden:type"="community"]' in query


def test_crosswalk_with_an_unknown_layer_is_refused(tmp_path):
    path = tmp_path / "cw.csv"
    path.write_text("key,value,also,layer,kind\namenity,pub,,gezellig,kroeg\n")
    with pytest.raises(ValueError, match="rij 2: onbekende laag 'gezellig'"):
        read_crosswalk(path)


def test_not_overpass_json_is_a_format_error():
    with pytest.raises(ResponseFormatError, match="elements"):
        parse_overpass({"version": 0.6, "elements": "none"}, [CAFE])


def test_fetch_keeps_only_venues_inside_the_gemeente(service, service_settings):
    tg.serve(service)
    area = gpd.GeoDataFrame(
        geometry=[box(tg.ORIGIN[0], tg.ORIGIN[1], tg.ORIGIN[0] + 2000, tg.ORIGIN[1] + 2000)],
        crs="EPSG:28992",
    )
    with HttpClient(service_settings) as http:
        venues = fetch_venues(http, service_settings.overpass_url, area)
    rows = venues.rows.set_index("id")
    assert sorted(rows.index) == ["osm-node-1", "osm-node-2", "osm-node-4", "osm-way-10"]
    assert rows.loc["osm-node-2", "address"] == "Teststraat 1"
    assert rows.loc["osm-node-2", "capacity"] == "80"
    assert rows.loc["osm-way-10", "layer"] == "gemeenschappelijk"
    assert rows.loc["osm-node-4", "kind"] == "club of vereniging"
    assert any("buiten de gemeente" in n for n in venues.notes)
    assert any("pasten bij geen regel" in n for n in venues.notes)
    assert "ODbL" in venues.provenance.licence
    assert service.requests[-1].method == "POST"
    assert validate_venues(venues.rows, "osm").ok
