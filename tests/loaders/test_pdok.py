import pytest

from loaders._http import HttpClient, ResponseFormatError
from loaders.pdok_wijkenbuurten import features_to_frame, fetch_areas, parse_page
from socialbasis.errors import ServiceError
from tests.loaders import testgemeente as tg


def test_parse_page_follows_the_next_link_and_refuses_other_json():
    first, second = tg.pdok_pages("http://x")
    assert parse_page(first).next_url.endswith("cursor=page2")
    assert parse_page(second).next_url is None
    with pytest.raises(ResponseFormatError, match=r"FeatureCollection.*kreeg: error"):
        parse_page({"error": "boom"})


def test_sentinels_become_missing_and_both_spellings_are_read():
    features = [
        tg.pdok_feature(c, n, w, col, row, tg.FIGURES[c]) for c, n, w, col, row in tg.BUURTEN
    ]
    # The older WFS spelled properties in camelCase.
    features[0]["properties"]["aantalInwoners"] = features[0]["properties"].pop("aantal_inwoners")
    parsed = features_to_frame(features, "buurt")
    frame = parsed.frame.set_index("buurtcode")
    assert frame.loc["BU99990101", "inwoners"] == 1200
    assert frame["pct_65plus"].isna().tolist() == [False, False, True, False]
    assert (
        frame.loc["BU99990202", "pct_eenpersoonshuishoudens"]
        != frame.loc["BU99990202", "pct_eenpersoonshuishoudens"]
    )  # NaN, not -99999997
    assert parsed.missing_figures["pct_eenpersoonshuishoudens"] == 2
    assert "pct_laag_inkomen" in parsed.absent_figures
    assert frame.crs.to_epsg() == 4326


def test_a_feature_without_a_code_is_a_clear_format_error():
    feature = tg.pdok_feature("BU99990101", "x", "WK999901", 0, 0, {})
    del feature["properties"]["buurtcode"]
    with pytest.raises(ResponseFormatError, match=r"geen buurtcode.*statcode"):
        features_to_frame([feature], "buurt")


def test_fetch_areas_pages_through_and_returns_canonical_buurten(service, service_settings):
    tg.serve(service)
    with HttpClient(service_settings) as http:
        areas = fetch_areas(http, service_settings.pdok_url, tg.GEMEENTE, tg.YEAR)
    assert sorted(areas.buurten["buurtcode"]) == sorted(b[0] for b in tg.BUURTEN)
    assert areas.buurten.crs.to_epsg() == 28992
    assert areas.buurten.area.round(-3).tolist() == [1e6] * 4  # 1 km2 squares, back in RD
    assert areas.names == {**tg.WIJKEN, tg.GEMEENTE: tg.NAME}
    assert {f.column for f in areas.figures} >= {"inwoners", "pct_65plus"}
    assert any("geheim of onbekend" in note for note in areas.notes)
    assert areas.provenance[0].licence == "CC BY 4.0"
    page_requests = [r for r in service.requests if r.path.endswith("/buurten/items")]
    assert page_requests[0].query["gemeentecode"] == [tg.GEMEENTE]
    assert page_requests[1].query["cursor"] == ["page2"]


def test_a_service_that_ignores_the_gemeente_filter_is_caught(service, service_settings):
    tg.serve(service)
    first, second = tg.pdok_pages(service.url)
    second["features"][0]["properties"]["gemeentecode"] = "GM0001"
    service.route("/pdok/wijken-en-buurten-2024/ogc/v1/collections/buurten/items", first, second)
    with HttpClient(service_settings) as http, pytest.raises(ServiceError, match="GM0001"):
        fetch_areas(http, service_settings.pdok_url, tg.GEMEENTE, tg.YEAR)
