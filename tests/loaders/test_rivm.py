import pytest

from loaders._http import HttpClient, ResponseFormatError
from loaders.rivm_loneliness import (
    ADULTS,
    fetch_loneliness,
    parse_dimension,
    pick,
    pick_period,
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
    assert frame.loc["BU99990101"].tolist() == [48.0, 13.0, 52.0]
    assert (
        frame.loc["BU99990102", "pct_eenzaam_65plus"]
        != frame.loc["BU99990102", "pct_eenzaam_65plus"]
    )  # missing, not 0
    assert "BU99990201" not in frame.index
    query = next(r for r in service.requests if r.path.endswith("TypedDataSet")).query
    assert "Marges eq 'MW00000'" in query["$filter"][0]
    assert "Perioden eq '2022JJ00'" in query["$filter"][0]
    assert all("modelschatting" in f.source for f in result.figures)


def test_a_renamed_age_category_is_reported_not_guessed(service, service_settings):
    tg.serve(service)
    service.route("/rivm/50120NED/Leeftijd", {"value": [{"Key": "X", "Title": "Volwassenen"}]})
    with HttpClient(service_settings) as http, pytest.raises(ServiceError, match="Volwassenen"):
        fetch_loneliness(http, service_settings.rivm_odata_url, tg.GEMEENTE, 2024)
