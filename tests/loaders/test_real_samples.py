"""Every parser on every real recorded response in tests/fixtures/real/{cbs_statline,
pdok_wfs,vierkant,overpass}: what each proves is in the test's name."""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from loaders._http import ResponseFormatError
from loaders._odata import parse_properties
from loaders.cbs_statline import TOPICS, parse_rows
from loaders.osm_venues import parse_overpass, read_crosswalk
from loaders.pdok_wijkenbuurten import features_to_frame
from loaders.population_grid import read_population_grid
from socialbasis.areas import is_wijkcode, normalise_buurten, read_area_mapping
from tests.loaders.real_samples import KWB2020, OVERPASS, PDOK_WFS, STATLINE, VIERKANT, load

RULES = read_crosswalk()


def _kwb2020_topics() -> dict:
    properties = parse_properties(
        load(STATLINE / "84799NED_DataProperties_from_statline-bq_parquet.json")
    )
    return {stem: prop for stem, prop in properties.items() if stem in TOPICS}


@pytest.fixture(scope="module")
def kwb2020_rows() -> list[dict]:
    return pd.read_parquet(KWB2020 / "cbs.v3.84799NED_TypedDataSet.parquet").to_dict("records")


def test_kwb2020_whole_table_gives_zaanstads_50_buurten_with_the_extracted_figures(kwb2020_rows):
    assert len(kwb2020_rows) == 17_341
    topics = _kwb2020_topics()
    assert set(topics) == set(TOPICS)  # every stem found, whatever its suffix
    parsed = parse_rows(kwb2020_rows, topics, "GM0479")
    buurten = parsed.buurten.set_index("buurtcode")
    assert len(buurten) == 50 and buurten.index.str.startswith("BU0479").all()
    extracted = {
        r["WijkenEnBuurten"].strip(): r
        for r in load(STATLINE / "84799NED_GM0479_TypedDataSet_rows_all_columns.json")
    }
    for code, row in buurten.iterrows():
        raw = extracted[code]
        assert row["inwoners"] == raw["AantalInwoners_5"]
        assert row["huishoudens"] == raw["HuishoudensTotaal_28"]
        if raw["AantalInwoners_5"]:
            assert row["pct_65plus"] == round(
                raw["k_65JaarOfOuder_12"] / raw["AantalInwoners_5"] * 100, 1
            )
        bijstand = raw["PersonenPerSoortUitkeringBijstand_83"]
        assert (pd.isna(row["pct_bijstand"])) == (bijstand is None or not raw["AantalInwoners_5"])
        density = raw["Bevolkingsdichtheid_33"]
        assert (
            pd.isna(row["bevolkingsdichtheid"])
            if density is None
            else row["bevolkingsdichtheid"] == density
        )
    # Guisveld: no density and no bijstand in the source: missing, with the reason
    assert pd.isna(buurten.loc["BU04795120", "bevolkingsdichtheid"])
    assert parsed.missing.describe("n_bijstand") == "2 niet gepubliceerd"
    assert buurten["pct_laag_inkomen"].isna().all()  # null in this release, for every buurt
    assert parsed.gemeente["inwoners"] == 156_794
    assert parsed.gemeente["pct_65plus"] == round(28_770 / 156_794 * 100, 1)


def test_kwb2020_extracted_rows_parse_like_the_whole_table(kwb2020_rows):
    topics = _kwb2020_topics()
    whole = parse_rows(kwb2020_rows, topics, "GM0479").buurten
    rows = load(STATLINE / "84799NED_GM0479_TypedDataSet_rows_all_columns.json")
    pd.testing.assert_frame_equal(parse_rows(rows, topics, "GM0479").buurten, whole)


def test_no_figure_of_any_buurt_in_the_whole_kwb2020_table_is_negative(kwb2020_rows):
    parsed = parse_rows(kwb2020_rows, _kwb2020_topics())
    figures = parsed.buurten.drop(columns="buurtcode")
    assert len(parsed.buurten) > 13_000
    assert not (figures < 0).any().any()


def test_kwb2024_dataproperties_bare_list_keys_by_stem_with_other_suffixes():
    properties = parse_properties(load(STATLINE / "85984NED_niquedegraaff_DataProperties.json"))
    assert properties["HuishoudensTotaal"].key == "HuishoudensTotaal_29"  # _28 in 2020
    assert properties["HuishoudensMetEenLaagInkomen"].unit == "%"
    assert (
        properties["PersonenPerSoortUitkeringBijstand"].key
        == "PersonenPerSoortUitkeringBijstand_94"
    )


def test_kwb2024_codes_with_letters_are_cbs_codes_and_load_as_werkgebieden():
    data = load(STATLINE / "85984NED_niquedegraaff_stripped_filtered_data_2024.json")
    amsterdam = sorted(code for code in data if code.startswith("WK0363"))
    assert "WK0363AF" in amsterdam
    assert all(is_wijkcode(code) for code in data if code.startswith("WK"))
    mapping = read_area_mapping(
        ("code,werkgebied\n" + "\n".join(f"{c},Centrum" for c in amsterdam[:3])).encode()
    )
    assert list(mapping.table["code"]) == amsterdam[:3]


def test_statline_bulk_csv_padding_and_dots_become_missing_with_their_reason():
    text = (STATLINE / "DHZW_84583NED_TheHague_2019.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    topics = {
        stem: prop
        for stem, prop in parse_properties(
            load(STATLINE / "84799NED_DataProperties_from_statline-bq_parquet.json")
        ).items()
        if stem in ("AantalInwoners", "k_65JaarOfOuder")
    }
    parsed = parse_rows(rows, topics, "GM0518")
    assert parsed.gemeente["inwoners"] == 537_833
    assert parsed.buurten["buurtcode"].str.match(r"^BU0518\w{4}$").all()
    assert not (parsed.buurten.drop(columns="buurtcode") < 0).any().any()


def test_pdok_gemeenten_2022_water_parts_left_out_and_no_negative_figure():
    features = load(PDOK_WFS / "stdekker_open-data-maps_4525254_data_geo_gemeenten_2022_v1.json")[
        "features"
    ]
    parsed = features_to_frame(features, "gemeente")
    assert len(features) == 428 and parsed.water_parts == 82
    assert len(parsed.frame) == 346 and parsed.frame["gemeentecode"].is_unique
    figures = parsed.frame[list(parsed.missing_figures)]
    assert not (figures < 0).any().any()
    assert parsed.frame.set_index("gemeentecode").loc["GM0599", "inwoners"] > 600_000  # land part
    assert any("waterdeel" in note for note in parsed.notes("gemeenten"))


def test_pdok_gemeenten_2023_camelcase_in_rd():
    features = load(PDOK_WFS / "stdekker_open-data-maps_62b3fff_web_data_gemeenten.json")[
        "features"
    ]
    parsed = features_to_frame(features, "gemeente", crs="EPSG:28992")
    assert len(parsed.frame) == 343 and parsed.water_parts == 0
    frame = parsed.frame.set_index("gemeentecode")
    assert frame.loc["GM0014", "inwoners"] == 238_147
    assert frame.loc["GM0014", "pct_65plus"] == 15
    assert not (frame[list(parsed.missing_figures)] < 0).any().any()
    assert frame.to_crs(4326).total_bounds[0] > 3  # really RD metres, now WGS84 degrees


def test_ermelo_2021_buurten_without_the_water_pseudo_buurt():
    raw = gpd.read_file(PDOK_WFS / "Tauvic_BuurtKaart_CBS_buurten_2021_Ermelo.gpkg")
    features = raw.to_geo_dict(drop_id=True)["features"]
    parsed = features_to_frame(features, "buurt", crs="EPSG:28992")
    assert len(raw) == 17 and parsed.water_parts == 1
    assert "BU02339997" not in set(parsed.frame["buurtcode"])
    assert parsed.missing.describe("inwoners") == "16 niet gepubliceerd"
    # the file read as a boundary file: the same buurten, in the canonical form
    buurten = normalise_buurten(raw, "Ermelo 2021")
    assert sorted(buurten["buurtcode"]) == sorted(parsed.frame["buurtcode"])


def test_population_squares_2020_real_id_column_and_secret_cells():
    ermelo = gpd.read_file(PDOK_WFS / "Tauvic_BuurtKaart_CBS_buurten_2021_Ermelo.gpkg")
    raw = gpd.read_file(VIERKANT / "Tauvic_BuurtKaart_CBS_Statistiek_vk100_2020_Ermelo.gpkg")
    grid = read_population_grid(
        VIERKANT / "Tauvic_BuurtKaart_CBS_Statistiek_vk100_2020_Ermelo.gpkg", ermelo
    )
    assert grid.year == 2020
    assert (grid.squares["inwoners"] >= 0).all()
    in_ermelo = raw[raw["gemeentecode"] == "GM0233"]
    # every Ermelo square is kept (plus neighbours' squares that touch the border)
    assert len(grid.squares) >= len(in_ermelo)
    secret = int((in_ermelo["aantal_inwoners"] == -99997).sum())
    assert grid.secret_squares >= secret
    assert grid.residents >= in_ermelo["aantal_inwoners"].clip(lower=0).sum() + 2 * secret


OUT_MODES = {
    "aio-overpass_way_out_center.json": "venue",
    "aio-overpass_way_out_bb.json": "venue",
    "aio-overpass_way_out_geom.json": "venue",
    "aio-overpass_way_out_geom_meta.json": "venue",
    "aio-overpass_way_out.json": "without_position",
    "aio-overpass_way_out_body.json": "without_position",
    "aio-overpass_way_out_meta.json": "without_position",
    "aio-overpass_way_out_tags.json": "without_position",
    "aio-overpass_way_out_ids.json": "without_tags",
    "aio-overpass_way_out_skel.json": "without_tags",
    "aio-overpass_way_out_noids.json": "without_id",
}


def test_every_overpass_sample_is_a_case_we_name():
    names = {p.name for p in OVERPASS.glob("*.json")}
    remarks = {n for n in names if "remark" in n}
    assert names == set(OUT_MODES) | remarks and len(remarks) == 3


@pytest.mark.parametrize("name", sorted(OUT_MODES))
def test_every_overpass_out_mode_is_parsed_or_reported(name):
    parsed = parse_overpass(load(OVERPASS / name), RULES)
    outcome = OUT_MODES[name]
    if outcome == "venue":
        assert len(parsed.rows) == 1
        row = parsed.rows.iloc[0]
        assert row["id"] == "osm-way-24981342" and row["layer"] == "institutioneel"
        assert abs(float(row["lat"]) - 53.5412) < 0.001 and abs(float(row["lon"]) - 9.9841) < 0.002
    else:
        assert parsed.rows.empty
        assert getattr(parsed, outcome) == 1


@pytest.mark.parametrize("name", sorted(p.name for p in OVERPASS.glob("*remark*.json")))
def test_every_overpass_remark_envelope_is_an_error_quoting_the_remark(name):
    body = load(OVERPASS / name)
    with pytest.raises(ResponseFormatError, match="runtime error") as caught:
        parse_overpass(body, RULES)
    assert body["remark"][:40] in str(caught.value)


def test_numbers_are_floats_not_text():
    features = load(PDOK_WFS / "stdekker_open-data-maps_62b3fff_web_data_gemeenten.json")[
        "features"
    ]
    frame = features_to_frame(features[:3], "gemeente", crs="EPSG:28992").frame
    assert frame["inwoners"].dtype == np.float64
