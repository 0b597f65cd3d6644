import json

import pytest

from loaders._http import HttpClient, ResponseFormatError
from loaders.locatieserver import geocode, parse_point, parse_response
from tests.loaders.conftest import REAL


def load(name):
    return json.loads((REAL / name).read_text())


def test_real_responses_give_places_with_codes():
    places = parse_response(load("locatieserver_v3_free_achtergracht_72_amsterdam.json"))
    assert [p.label for p in places] == [
        "Nieuwe Achtergracht 72, 1018XZ Amsterdam",
        "Achtergracht 72, 1381BP Weesp",
    ]
    first = places[0]
    assert (first.lat, first.lon) == pytest.approx((52.36194655, 4.90595549))
    assert first.buurtcode == "BU03630801" and first.kind == "adres"
    postcode = parse_response(load("locatieserver_free_postcode_1118CP_rows1.json"))
    assert [p.kind for p in postcode] == ["postcode"]


def test_gemeentecode_without_prefix_is_normalised():
    place = parse_response(load("locatieserver_free_postcode_1118CP_huisnummer_202_rows1.json"))[0]
    assert place.gemeentecode == "GM0394"


def test_responses_without_positions_give_no_places():
    limited = load("locatieserver_v3_free_q_sint_jansstraat_4_groningen_fq_adres.json")
    assert parse_response(limited) == []


def test_malformed_points_and_documents_are_format_errors():
    with pytest.raises(ResponseFormatError, match="POINT"):
        parse_point("4.9, 52.3")
    with pytest.raises(ResponseFormatError, match=r"response.docs"):
        parse_response({"error": "x"})


def test_geocode_asks_for_addresses_and_takes_the_best(service, service_settings):
    service.route("/ls/free", load("locatieserver_v3_free_achtergracht_72_amsterdam.json"))
    with HttpClient(service_settings) as http:
        place = geocode(http, service_settings.locatieserver_url, "Achtergracht 72")
    assert place.label.startswith("Nieuwe Achtergracht 72")
    assert service.requests[0].query == {
        "q": ["Achtergracht 72"],
        "fq": ["type:adres"],
        "rows": ["1"],
    }


def test_geocode_without_an_address_match_is_none(service, service_settings):
    service.route("/ls/free", load("locatieserver_free_postcode_1118CP_rows1.json"))
    with HttpClient(service_settings) as http:
        assert geocode(http, service_settings.locatieserver_url, "1118CP") is None


def test_find_place_takes_an_address_or_a_postcode(service, service_settings):
    from loaders.locatieserver import find_place

    service.route("/ls/free", load("locatieserver_free_postcode_1118CP_rows1.json"))
    with HttpClient(service_settings) as http:
        place = find_place(http, service_settings.locatieserver_url, "1118CP")
    assert place.kind == "postcode" and place.gemeentecode == "GM0394"
    assert service.requests[0].query["fq"] == ["type:(adres OR postcode)"]


def test_an_address_search_opens_the_buurt_it_lies_in(service, service_settings):
    from socialbasis.app import SocialBasis

    # Built from the documented format: one address document in the middle of Zaanstad.
    inside = {
        "response": {
            "docs": [
                {
                    "type": "adres",
                    "weergavenaam": "Testadres 1 (testgegevens)",
                    "centroide_ll": "POINT(4.8260 52.4390)",
                    "score": 10.0,
                }
            ]
        }
    }
    core = SocialBasis(service_settings)
    service.route("/ls/free", inside)
    hit = core.find_address("Testadres 1")
    assert hit.label == "Testadres 1 (testgegevens)" and hit.buurtcode.startswith("BU0479")
    assert (hit.lat, hit.lon) == (52.4390, 4.8260)  # where an editor's form puts the listing
    assert core.buurt_at(hit.lat, hit.lon) == hit.buurtcode
    service.route("/ls/free", load("locatieserver_free_postcode_1118CP_rows1.json"))
    elsewhere = core.find_address("1118 CP")
    assert elsewhere.label and elsewhere.buurtcode is None  # Schiphol: not in Zaanstad
    service.route("/ls/free", {"response": {"docs": []}})
    assert core.find_address("bestaat niet").label is None
