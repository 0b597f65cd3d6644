import pytest

from loaders._http import HttpClient
from loaders._odata import parse_properties
from loaders.cbs_statline import fetch_key_figures, rows_to_frame
from socialbasis.errors import ServiceError
from tests.loaders import testgemeente as tg


def test_keys_are_matched_without_their_suffix_and_counts_become_percentages():
    properties = parse_properties(tg.statline_properties())
    topics = {s: p for s, p in properties.items() if s != "WijkenEnBuurten" and s != "Gemeentenaam"}
    frame = rows_to_frame(tg.statline_rows(), topics).set_index("buurtcode")
    assert list(frame.index) == ["BU99990101", "BU99990102", "BU99990201", "BU99990202"]
    assert frame.loc["BU99990101", "pct_65plus"] == 25.0  # 300 of 1200
    assert frame.loc["BU99990101", "pct_eenpersoonshuishoudens"] == 40.0  # 240 of 600
    assert frame.loc["BU99990202", "pct_laag_inkomen"] == 8.5
    # Missing stays missing: no division by zero, no zero for null.
    assert frame.loc["BU99990201"].drop(["inwoners", "huishoudens"]).isna().all()
    assert (
        frame.loc["BU99990102", "pct_laag_inkomen"] != frame.loc["BU99990102", "pct_laag_inkomen"]
    )


def test_a_percentage_in_the_table_is_taken_as_it_is():
    properties = parse_properties(tg.statline_properties())
    single = properties["Eenpersoonshuishoudens"]
    topics = {
        "Eenpersoonshuishoudens": single.__class__(single.key, single.title, "%", single.kind)
    }
    frame = rows_to_frame(tg.statline_rows(), topics)
    assert frame["pct_eenpersoonshuishoudens"].tolist()[0] == 240


def test_fetch_follows_next_links_and_filters_on_the_gemeente(service, service_settings):
    tg.serve(service)
    with HttpClient(service_settings) as http:
        figures = fetch_key_figures(http, service_settings.cbs_odata_url, tg.GEMEENTE, 2024)
    assert len(figures.frame) == 4
    first = next(r for r in service.requests if r.path.endswith("TypedDataSet"))
    assert first.query["$filter"] == [
        "startswith(WijkenEnBuurten,'BU9999') or startswith(WijkenEnBuurten,'GM9999')"
    ]
    assert "AantalInwoners_5" in first.query["$select"][0]
    assert service.count("/cbs/85984NED/TypedDataSet") == 2
    assert {f.source for f in figures.figures} == {"CBS StatLine 85984NED"}


def test_unknown_year_and_foreign_tables_get_clear_errors(service, service_settings):
    service.route("/cbs/12345NED/DataProperties", {"value": [{"Key": "Foo_1"}]})
    with HttpClient(service_settings) as http:
        with pytest.raises(ServiceError, match="geen tabel bekend voor 1999"):
            fetch_key_figures(http, service_settings.cbs_odata_url, tg.GEMEENTE, 1999)
        with pytest.raises(ServiceError, match="WijkenEnBuurten"):
            fetch_key_figures(
                http, service_settings.cbs_odata_url, tg.GEMEENTE, 2024, table="12345NED"
            )
