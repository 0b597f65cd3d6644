import pytest

from loaders._http import HttpClient, ResponseFormatError
from loaders.rivm_loneliness import (
    ADULTS,
    AGE_KEYS,
    Dimension,
    fetch_loneliness,
    parse_dimension,
    pick,
    pick_period,
    rows_to_frame,
    table_for_year,
)
from socialbasis.errors import ServiceError
from tests.loaders import testgemeente as tg


def test_dimensions_are_chosen_by_title():
    dims = {k: parse_dimension(v) for k, v in tg.rivm_dimensions().items()}
    assert pick(dims["Leeftijd"], ADULTS, "Leeftijd").key == "A1"
    assert pick_period(dims["Perioden"], 2024).key == "2022JJ00"
    assert pick_period(dims["Perioden"], 2021).key == "2020JJ00"
    with pytest.raises(ResponseFormatError, match="geen meting in of voor 2010"):
        pick_period(dims["Perioden"], 2010)


def test_fetch_loneliness_per_buurt_with_the_round_and_age_groups(service, service_settings):
    tg.serve(service)
    with HttpClient(service_settings) as http:
        result = fetch_loneliness(http, service_settings.rivm_odata_url, tg.GEMEENTE, 2024)
    frame = result.frame.set_index("buurtcode")
    assert result.round_year == 2022
    assert frame.loc[
        "BU99990101", ["pct_eenzaam", "pct_ernstig_eenzaam", "pct_eenzaam_65plus"]
    ].tolist() == [48.0, 13.0, 52.0]
    # the 95 % bounds are kept beside every estimate
    assert frame.loc[
        "BU99990101", ["pct_eenzaam_ondergrens", "pct_eenzaam_bovengrens"]
    ].tolist() == [44.0, 52.0]
    assert frame.loc["BU99990202", "pct_eenzaam_65plus_bovengrens"] == 64.0
    assert result.table == "50150NED"
    assert (
        frame.loc["BU99990102", "pct_eenzaam_65plus"]
        != frame.loc["BU99990102", "pct_eenzaam_65plus"]
    )  # missing, not 0
    assert "BU99990201" not in frame.index
    query = next(r for r in service.requests if r.path.endswith("TypedDataSet")).query
    assert (
        "Marges eq 'MW00000' or Marges eq 'MOG0095' or Marges eq 'MBG0095'" in query["$filter"][0]
    )
    assert "Perioden eq '2022JJ00'" in query["$filter"][0]
    assert all("modelschatting" in f.source for f in result.figures)


def test_a_renamed_age_category_is_reported_not_guessed(service, service_settings):
    tg.serve(service)
    service.route("/rivm/50150NED/Leeftijd", {"value": [{"Key": "X", "Title": "Volwassenen"}]})
    with HttpClient(service_settings) as http, pytest.raises(ServiceError, match="Volwassenen"):
        fetch_loneliness(http, service_settings.rivm_odata_url, tg.GEMEENTE, 2024)


def test_the_table_follows_the_boundary_year_and_a_year_without_one_is_refused(
    service, service_settings
):
    assert [table_for_year(y) for y in (2020, 2022, 2024, 2023)] == [
        "50090NED",
        "50120NED",
        "50150NED",
        None,
    ]
    with HttpClient(service_settings) as http, pytest.raises(ServiceError, match="2023"):
        fetch_loneliness(http, service_settings.rivm_odata_url, tg.GEMEENTE, 2023)


def test_keys_are_found_by_stem_whatever_their_suffix():
    rows = [
        {
            "WijkenEnBuurten": "BU00010001",
            "Leeftijd": "20300",
            "Marges": "MW00000",
            "Eenzaam_28": 30.0,
            "ErnstigZeerErnstigEenzaam_29": 9.0,
        },
    ]
    keys = {"Eenzaam": "Eenzaam_28", "ErnstigZeerErnstigEenzaam": "ErnstigZeerErnstigEenzaam_29"}
    frame = rows_to_frame(rows, keys, "20300", "80200")
    assert frame.loc[0, ["pct_eenzaam", "pct_ernstig_eenzaam"]].tolist() == [30.0, 9.0]


def test_a_doubled_row_is_an_error_not_a_second_buurt():
    row = {
        "WijkenEnBuurten": "BU00010001",
        "Leeftijd": "A1",
        "Marges": "MW00000",
        "Eenzaam_27": 30.0,
        "ErnstigZeerErnstigEenzaam_28": 9.0,
    }
    keys = {"Eenzaam": "Eenzaam_27", "ErnstigZeerErnstigEenzaam": "ErnstigZeerErnstigEenzaam_28"}
    with pytest.raises(ResponseFormatError, match="meer dan één keer"):
        rows_to_frame([row, dict(row)], keys, "A1", None)


def test_age_groups_fall_back_to_the_documented_keys():
    ages = [Dimension("20300", "Volwassenen"), Dimension("80200", "Ouderen")]
    assert pick(ages, ADULTS, "Leeftijd", AGE_KEYS["adults"]).key == "20300"
