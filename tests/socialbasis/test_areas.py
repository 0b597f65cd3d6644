from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from socialbasis.areas import (
    assign_werkgebieden,
    dissolve,
    locate,
    normalise_buurten,
    read_area_mapping,
    read_buurten,
)
from socialbasis.dataset import EMBEDDED_DIR
from socialbasis.errors import DataFileError, ValidationFailed

GEO = EMBEDDED_DIR / "geo" / "GM0479_2024"


@pytest.fixture(scope="module")
def buurten() -> gpd.GeoDataFrame:
    return read_buurten(GEO / "buurten_rd.geojson")


def test_embedded_buurten_are_the_79_cbs_buurten_in_rd(buurten):
    assert len(buurten) == 79
    assert buurten.crs.to_epsg() == 28992
    assert buurten["buurtcode"].str.match(r"^BU0479\d{4}$").all()
    assert set(buurten["gemeentecode"]) == {"GM0479"}
    assert buurten.loc[buurten["buurtcode"] == "BU04791111", "wijkcode"].item() == "WK047911"
    assert buurten.is_valid.all()
    # Zaanstad is about 84 km2 of buurt area.
    assert 80e6 < buurten.area.sum() < 90e6


def test_dissolved_wijken_match_the_buurten_exactly(buurten):
    wijken = dissolve(buurten, "wijkcode")
    assert len(wijken) == 19
    assert wijken["buurten"].sum() == 79
    assert wijken.area.sum() == pytest.approx(buurten.area.sum(), rel=1e-9)
    # The gemeente outline has no gaps between buurten: one polygon, no holes.
    gemeente = dissolve(buurten, "gemeentecode").geometry.iloc[0]
    assert gemeente.geom_type == "Polygon" and len(gemeente.interiors) == 0


def test_dissolve_attaches_names_and_keeps_codes_without_names(buurten):
    wijken = dissolve(buurten, "wijkcode", {"WK047911": "Zaandam Zuid"}, "wijknaam")
    named = wijken.set_index("wijkcode")["wijknaam"]
    assert named["WK047911"] == "Zaandam Zuid"
    assert named["WK047912"] == "WK047912"


def test_default_werkgebieden_are_11_indicative_areas_with_the_known_pairings(buurten):
    mapping = read_area_mapping(GEO / "werkgebieden_indicatief.csv")
    assert mapping.is_indicative
    werkgebied = assign_werkgebieden(buurten, mapping)
    assert werkgebied.nunique() == 11
    wijk_of = dict(zip(buurten["wijkcode"], werkgebied, strict=True))
    assert wijk_of["WK047931"] == wijk_of["WK047941"]  # Oud Koog + Oud Zaandijk
    assert "Peldersveld" in wijk_of["WK047913"] and "Hoornseveld" in wijk_of["WK047913"]


def test_buurt_rows_override_their_wijk_in_a_user_mapping(buurten):
    text = (
        "code;werkgebied\n"
        + "\n".join(f"{code};Team {code[-2:]}" for code in sorted(buurten["wijkcode"].unique()))
        + "\nBU04791111;Team Vijfhoek\n"
    )
    mapping = read_area_mapping(text.encode("cp1252"), "eigen.csv")
    assert not mapping.is_indicative and mapping.status == "eigen indeling"
    werkgebied = assign_werkgebieden(buurten, mapping).set_axis(buurten["buurtcode"])
    assert werkgebied["BU04791111"] == "Team Vijfhoek"
    assert werkgebied["BU04791112"] == "Team 11"


def test_mapping_problems_name_file_row_and_field(buurten):
    text = (
        b"code,werkgebied\nWK047911,Zuid\nWK999999,Nergens\nWK047912,\nXX,Fout\nWK047911,Dubbel\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        read_area_mapping(text, "teams.csv")
    found = {(p.row, p.field, p.value) for p in caught.value.problems}
    assert (4, "werkgebied", "") in found
    assert (5, "code", "XX") in found
    assert (2, "code", "WK047911") in found and (6, "code", "WK047911") in found
    mapping = read_area_mapping(b"code,werkgebied\nWK047911,Zuid\nWK999999,Nergens\n", "teams.csv")
    with pytest.raises(ValidationFailed) as caught:
        assign_werkgebieden(buurten, mapping)
    problems = caught.value.problems
    assert any(p.row == 3 and p.value == "WK999999" for p in problems)
    # Every buurt without a werkgebied is listed, none silently left out.
    unassigned = {p.value for p in problems if p.row is None}
    assert len(unassigned) == 79 - 6


def test_mapping_without_required_columns_is_refused():
    with pytest.raises(DataFileError, match="werkgebied"):
        read_area_mapping(b"wijk,team\nWK047911,Zuid\n", "teams.csv")


def test_locate_points_in_buurten_and_outside():
    areas = gpd.GeoDataFrame(
        {"code": ["A", "B"]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs="EPSG:28992"
    )
    points = gpd.GeoSeries(
        [Point(5, 5), Point(15, 5), Point(50, 50), Point(10, 5)], crs="EPSG:28992"
    )
    assert locate(points, areas, "code").tolist() == ["A", "B", pd.NA, "A"]


def test_buurten_with_bad_codes_or_geometry_are_refused():
    frame = gpd.GeoDataFrame(
        {"statcode": ["BU04791111", "WK047911", "BU04791111"], "statnaam": ["a", "b", "c"]},
        geometry=[box(0, 0, 1, 1), box(1, 1, 2, 2), None],
        crs="EPSG:28992",
    )
    with pytest.raises(ValidationFailed) as caught:
        normalise_buurten(frame, "buurten.geojson")
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {(2, "buurtcode"), (3, "buurtcode"), (3, "geometry")}


def test_unreadable_buurten_file_names_the_file(tmp_path: Path):
    path = tmp_path / "kapot.geojson"
    path.write_text("{dit is geen json")
    with pytest.raises(DataFileError, match=r"kapot\.geojson"):
        read_buurten(path)


def test_codes_with_letters_as_in_amsterdam_since_2023():
    from datetime import date

    import geopandas as gpd
    from shapely.geometry import box

    from dashboard.state import from_query
    from loaders.pdok_wijkenbuurten import features_to_frame
    from socialbasis.areas import AreaMapping, assign_werkgebieden, normalise_buurten

    frame = gpd.GeoDataFrame(
        {"buurtcode": ["BU0363AF01", "BU0363AF02"], "buurtnaam": ["Een", "Twee"]},
        geometry=[box(120000, 487000, 120500, 487500), box(120500, 487000, 121000, 487500)],
        crs="EPSG:28992",
    )
    buurten = normalise_buurten(frame, "amsterdam")
    assert list(buurten["wijkcode"]) == ["WK0363AF", "WK0363AF"]
    assert set(buurten["gemeentecode"]) == {"GM0363"}
    mapping = AreaMapping(
        pd.DataFrame({"code": ["WK0363AF"], "werkgebied": ["Centrum"], "row": [2]}), "eigen", "t"
    )
    assert assign_werkgebieden(buurten, mapping).tolist() == ["Centrum", "Centrum"]
    parsed = features_to_frame(frame.to_crs(4326).to_geo_dict()["features"], "buurt")
    assert list(parsed.frame["buurtcode"]) == ["BU0363AF01", "BU0363AF02"]
    view = from_query(
        {"buurt": ["BU0363AF02"]}, ["Centrum"], list(buurten["buurtcode"]), date.today()
    )
    assert view.values["buurt"] == "BU0363AF02" and not view.ignored


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,werkgebied\nWK047911,Zuid,extra\n", "verwacht 2 kolommen, kreeg 3"),
        ("code,werkgebied\nWK047911\n", "verwacht 2 kolommen, kreeg 1"),
        ('code,werkgebied\nWK047911,"Zuid\nWK047912,Noord\n', "aanhalingsteken"),
    ],
)
def test_a_broken_mapping_file_is_a_clear_error(content, message):
    from socialbasis.errors import SocialBasisError

    with pytest.raises(SocialBasisError, match=message):
        read_area_mapping(content.encode())
