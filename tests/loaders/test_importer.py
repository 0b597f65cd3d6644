"""Importing listings: every format, every kind of problem, reported by row and field."""

import csv
import io
import json
import shutil
from datetime import datetime
from html import escape
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from dashboard.popups import initiative_popup
from loaders._http import HttpClient
from loaders.listings.hsds import target_groups_from_ages
from loaders.listings.importer import prepare_listings
from socialbasis.dataset import embedded_geography
from socialbasis.errors import DataFileError
from tests.loaders import testgemeente as tg
from tests.loaders.conftest import REAL

BUURTEN = embedded_geography().buurten
HEADER = [
    "Naam activiteit",
    "Organisatie",
    "Laag",
    "Soort activiteit",
    "Doelgroep",
    "Kosten",
    "Adres",
    "Breedtegraad",
    "Lengtegraad",
    "Startdatum",
    "Categorie",
]


def dutch_excel_csv(rows, header=HEADER) -> bytes:
    """What Excel on a Dutch Windows writes: ';', decimal comma, Windows-1252."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("cp1252")


def report_of(raw, name="aanbod.csv", **kwargs):
    return prepare_listings(raw, name, buurten=BUURTEN, **kwargs)


def by_row(report):
    found = {}
    for problem in report.problems:
        found.setdefault((problem.row, problem.field), []).append(problem)
    return found


GOOD = [
    "Café-koor Zaans Geluid",
    "Stichting Voorbeeld",
    "gemeenschappelijk",
    "muziek",
    "ouderen;iedereen",
    "gratis",
    "Teststraat 1",
    "52,4390",
    "4,8260",
    "01-09-2024",
    "",
]


def test_dutch_excel_csv_is_read_with_its_encoding_separator_and_decimal_commas():
    report = report_of(dutch_excel_csv([GOOD]))
    assert report.format == "CSV (cp1252, gescheiden door puntkomma)"
    assert report.ok and len(report.frame) == 1, [p.describe() for p in report.problems]
    row = report.frame.iloc[0]
    assert row["name"] == "Café-koor Zaans Geluid"
    assert row["lat"] == pytest.approx(52.439) and row["start_date"].isoformat() == "2024-09-01"
    assert report.column_mapping["Naam activiteit"] == "name"
    assert report.column_mapping["Breedtegraad"] == "lat"
    # Generated id and source are reported, not silent.
    assert {p.field for p in report.warnings} >= {"id", "source"}
    assert row["id"].startswith("act-") and row["source"] == "aanbod.csv"


def test_utf8_with_bom_and_commas_gives_the_same_records():
    text = "\ufeff" + ",".join(HEADER) + "\n" + ",".join(f'"{v}"' for v in GOOD) + "\n"
    report = report_of(text.encode("utf-8"))
    assert report.format.startswith("CSV (utf-8, gescheiden door komma")
    assert report.frame.iloc[0]["name"] == "Café-koor Zaans Geluid"


def test_every_problem_is_reported_with_row_and_field_and_good_rows_stay(service, service_settings):
    service.route(
        "/ls/free",
        json.loads(
            (REAL / "locatieserver_free_postcode_1118CP_huisnummer_202_rows1.json").read_text()
        ),
    )
    rows = [
        GOOD,
        ["Schilderclub", "", "artistiek", "beeldend", "", "", "", "52,44", "4,82", "", ""],
        ["Buurtkoor Noord", "", "", "", "", "", "", "52,441", "4,821", "", "Koor"],
        ["Te veel", "kolommen", "", "", "", "", "", "", "", "", "", "extra"],
        ["Zonder plek", "", "persoonlijk", "", "", "", "", "", "", "", ""],
        ["Met adres", "", "persoonlijk", "", "", "", "Evert van de Beekstraat 202", "", "", "", ""],
    ]
    with HttpClient(service_settings) as http:
        report = report_of(dutch_excel_csv(rows), client=http, settings=service_settings)
    found = by_row(report)
    assert "persoonlijk, gemeenschappelijk, institutioneel" in found[(3, "layer")][0].message
    suggested = found[(4, "layer")][0]
    assert suggested.severity == "waarschuwing" and "'koor'" in suggested.message
    assert "verwacht 11 kolommen, kreeg 12" in found[(5, None)][0].message
    assert "geen coördinaten en geen adres" in found[(6, "lat")][0].message
    # The address is found (at Schiphol), and then refused for lying outside Zaanstad.
    geocoded = found[(7, "address")][0]
    assert geocoded.severity == "waarschuwing" and "1118CP Schiphol" in geocoded.message
    assert "km buiten de gemeente" in found[(7, "lat")][0].message
    assert report.refused_rows == [3, 5, 6, 7]
    names = report.frame.set_index("source_row")["name"].to_dict()
    assert names == {2: GOOD[0], 4: "Buurtkoor Noord"}
    marks = report.frame.set_index("source_row")
    assert marks.loc[4, "layer_suggested"] and marks.loc[4, "discipline"] == "muziek"
    assert not marks.loc[2, "geocoded"]


def test_a_geocoded_row_inside_the_gemeente_is_imported_and_marked(service, service_settings):
    lat, lon = tg.point_wgs84(500, 500)
    service.route(
        "/ls/free",
        {
            "response": {
                "numFound": 1,
                "docs": [
                    {
                        "type": "adres",
                        "weergavenaam": "Proefweg 1, 9999ZZ Testdorp",
                        "score": 12.5,
                        "centroide_ll": f"POINT({lon} {lat})",
                        "buurtcode": "BU99990102",
                        "gemeentecode": "9999",
                    }
                ],
            }
        },
    )
    rows = [["Met adres", "", "persoonlijk", "", "", "", "Proefweg 1", "", "", "", ""]]
    with HttpClient(service_settings) as http:
        report = prepare_listings(
            dutch_excel_csv(rows),
            "aanbod.csv",
            buurten=tg.buurten_rd(),
            client=http,
            settings=service_settings,
        )
    assert report.ok and len(report.frame) == 1
    assert report.frame.iloc[0]["geocoded"]
    assert report.frame.iloc[0]["lat"] == pytest.approx(lat, abs=1e-6)


def test_an_address_that_is_not_found_is_an_error(service, service_settings):
    service.route(
        "/ls/free", json.loads((REAL / "locatieserver_free_postcode_1118CP_rows1.json").read_text())
    )
    rows = [["Nergens", "", "persoonlijk", "", "", "", "Geen Straat 999", "", "", "", ""]]
    with HttpClient(service_settings) as http:
        report = report_of(dutch_excel_csv(rows), client=http, settings=service_settings)
    assert "adres niet gevonden" in by_row(report)[(2, "address")][0].message
    assert report.frame.empty


def test_places_outside_the_gemeente_near_the_border_warn_far_away_refuse():
    rows = [
        [*GOOD[:7], "52,4390", "4,7000", "", ""],  # about 250 m west of Zaanstad
        [*GOOD[:7], "52,0900", "5,1200", "", ""],
    ]  # Utrecht, about 40 km away
    report = report_of(dutch_excel_csv(rows))
    near, far = by_row(report)[(2, "lat")][0], by_row(report)[(3, "lat")][0]
    assert near.severity == "waarschuwing" and "buiten de gemeente; toch ingelezen" in near.message
    assert far.severity == "fout" and "km buiten de gemeente" in far.message
    assert list(report.frame["source_row"]) == [2]


def _stored(frame):
    """A checked frame as the database gives it back: with a version per row."""
    return frame.assign(version=3)


def test_a_stored_id_is_an_update_and_a_look_alike_is_a_choice():
    rows = [GOOD, [*GOOD[:7], "52,43905", "4,82605", "", ""]]
    first = report_of(dutch_excel_csv(rows))
    assert "lijkt dubbel met rij 2" in by_row(first)[(3, "name")][0].message
    stored = _stored(first.frame.iloc[:1])
    # The same row again (under another file name): its id is stored, so it updates.
    again = report_of(dutch_excel_csv([GOOD]), name="kopie van aanbod.csv", existing=stored)
    assert again.ok and len(again.frame) == 1
    assert again.frame.iloc[0]["id"] == stored.iloc[0]["id"]
    assert again.base_versions == {stored.iloc[0]["id"]: 3} and again.updates == 1
    assert again.likely_duplicates == []
    # The same name 30 m away with another address: a new id that looks like the stored one.
    moved = [*GOOD[:6], "Teststraat 3", "52,4392", "4,8262", "", ""]
    look_alike = report_of(dutch_excel_csv([moved]), existing=stored)
    (duplicate,) = look_alike.likely_duplicates
    assert duplicate.existing_id == stored.iloc[0]["id"] and duplicate.existing_version == 3
    assert duplicate.reason.startswith("zelfde naam") and duplicate.row == 2
    assert look_alike.base_versions == {duplicate.id: None}
    assert (
        "kies: bijwerken, beide houden of overslaan" in by_row(look_alike)[(2, "name")][0].message
    )


def test_same_organisation_and_address_under_another_name_is_a_likely_duplicate():
    first = report_of(dutch_excel_csv([GOOD]))
    renamed = ["Zaans Geluid (koor)", *GOOD[1:7], "52,4450", "4,8400", "", ""]
    report = report_of(dutch_excel_csv([renamed]), existing=_stored(first.frame))
    (duplicate,) = report.likely_duplicates
    assert duplicate.reason == "zelfde organisatie en adres"


def test_ids_made_for_rows_without_one_do_not_depend_on_the_file_name():
    a = report_of(dutch_excel_csv([GOOD]), name="aanbod-maart.csv").frame.iloc[0]["id"]
    b = report_of(dutch_excel_csv([GOOD]), name="Kopie van export (2).xlsx.csv").frame
    assert b.iloc[0]["id"] == a and a.startswith("act-")


def test_a_column_mapping_and_its_mistakes():
    raw = dutch_excel_csv(
        [["Leesclub", "gemeenschappelijk", "52,44", "4,82"]], header=["Wat", "Laag", "lat", "lon"]
    )
    unmapped = report_of(raw)
    assert any(p.field == "Wat" and p.severity == "waarschuwing" for p in unmapped.problems)
    assert "name" in {p.field for p in unmapped.errors}
    mapped = report_of(raw, column_map={"Wat": "name"})
    assert mapped.ok and mapped.frame.iloc[0]["name"] == "Leesclub"
    wrong = report_of(raw, column_map={"Wat": "naam"})
    assert any("onbekend doelveld" in p.message for p in wrong.errors)
    assert wrong.frame.empty


def test_two_columns_for_one_field_is_an_error():
    raw = dutch_excel_csv(
        [["a", "b", "gemeenschappelijk", "52,44", "4,82"]],
        header=["Naam", "Titel", "Laag", "lat", "lon"],
    )
    report = report_of(raw)
    assert any("meerdere kolommen" in p.message and p.field == "name" for p in report.errors)
    assert report.frame.empty


def test_xlsx_rows_keep_their_sheet_numbers_and_cell_types():
    book = Workbook()
    sheet = book.active
    sheet.title = "Aanbod"
    sheet.append(["Overzicht activiteiten"])
    sheet.append([])
    sheet.append(["Naam", "Laag", "Latitude", "Longitude", "Startdatum", "Capaciteit"])
    sheet.append(["Wandelgroep", "gemeenschappelijk", 52.44, 4.82, datetime(2024, 3, 1), None])
    sheet.append(["Taalmaatjes", "persoonlijke", 52.441, 4.821, "15-03-2024", None])
    buffer = io.BytesIO()
    book.save(buffer)
    report = report_of(buffer.getvalue(), "aanbod.xlsx")
    assert report.format == "Excel (tabblad Aanbod)"
    assert list(report.frame["source_row"]) == [4]
    assert report.frame.iloc[0]["start_date"].isoformat() == "2024-03-01"
    assert by_row(report)[(5, "layer")][0].value == "persoonlijke"
    with pytest.raises(DataFileError, match="tabblad 'Blad9' bestaat niet; wel: Aanbod"):
        report_of(buffer.getvalue(), "aanbod.xlsx", sheet="Blad9")


def test_geojson_points_are_read_and_other_geometries_reported():
    body = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [4.82, 52.44]},
                "properties": {"naam": "Repair café", "laag": "gemeenschappelijk"},
            },
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[4.8, 52.4], [4.9, 52.4], [4.8, 52.5], [4.8, 52.4]]],
                },
                "properties": {"naam": "Een vlak", "laag": "gemeenschappelijk"},
            },
        ],
    }
    report = report_of(json.dumps(body).encode(), "aanbod.geojson")
    assert list(report.frame["name"]) == ["Repair café"]
    assert "verwacht een punt" in by_row(report)[(2, "geometry")][0].message


def test_real_hsds_examples_are_read_and_every_row_is_explained(tmp_path):
    folder = tmp_path / "hsds2"
    folder.mkdir()
    for table in ("organizations", "services", "locations", "services_at_location"):
        shutil.copy(REAL / f"hsds2_simple_{table}.csv", folder / f"{table}.csv")
    tabular = prepare_listings(folder, buurten=BUURTEN)
    assert tabular.rows_read == 13 and tabular.format == "Open Referral HSDS (tabellen)"
    assert tabular.frame.empty  # Example City is not in Zaanstad, nor in the Netherlands
    assert len(tabular.refused_rows) == 13
    assert all(p.row is not None or p.severity != "fout" for p in tabular.problems)
    full = prepare_listings(REAL / "hsds3_service_full.json", buurten=BUURTEN)
    assert full.frame.empty
    assert {p.field for p in full.errors} == {"lat", "lon"}
    layer = by_row(full)[(1, "layer")][0]
    assert layer.value == "persoonlijk" and layer.severity == "waarschuwing"


@pytest.mark.parametrize(
    ("minimum", "maximum", "groups"),
    [
        (12, 100, "jongeren;volwassenen;ouderen"),
        ("65", "", "ouderen"),
        (0, 12, "kinderen;jongeren"),
        (None, 17, "kinderen;jongeren"),
        (24, 64, "volwassenen"),
        (0, None, "iedereen"),
        (None, None, ""),
        ("twaalf", 20, ""),
        (30, 20, ""),
    ],
)
def test_hsds_ages_become_target_groups(minimum, maximum, groups):
    found, note = target_groups_from_ages(minimum, maximum)
    assert found == groups
    assert bool(note) == (minimum is not None or maximum is not None)
    if note and not groups:
        assert "doelgroep leeg gelaten" in note


def test_ages_in_real_hsds_files_are_used_and_reported(tmp_path):
    full = prepare_listings(REAL / "hsds3_service_full.json", buurten=BUURTEN)
    note = by_row(full)[(1, "target_groups")][0]
    assert note.severity == "waarschuwing"
    assert note.message == (
        "doelgroep afgeleid uit de leeftijd 12–100 jaar: jongeren, volwassenen, ouderen"
    )
    folder = tmp_path / "hsds3"
    folder.mkdir()
    for table in ("organizations", "services", "locations", "service_at_location"):
        shutil.copy(REAL / f"hsds3_{table}.csv", folder / f"{table}.csv")
    tabular = prepare_listings(folder, buurten=BUURTEN)
    assert by_row(tabular)[(2, "target_groups")][0].message.endswith(
        "jongeren, volwassenen, ouderen"
    )
    # Placed in Zaanstad, the service is imported with those target groups.
    service = json.loads((REAL / "hsds3_service_full.json").read_text())
    for link in service["service_at_locations"]:
        link["location"].update(latitude=52.44, longitude=4.82)
    placed = report_of(json.dumps(service).encode(), "dienst.json")
    assert len(placed.frame)
    assert set(placed.frame["target_groups"]) == {"jongeren;volwassenen;ouderen"}


def test_unreadable_files_name_the_file_and_the_reason(tmp_path):
    with pytest.raises(DataFileError, match=r"lijst.xls.*oude Excel-formaat"):
        report_of(b"\xd0\xcf\x11\xe0", "lijst.xls")
    with pytest.raises(DataFileError, match=r"kapot.json.*geen geldige JSON"):
        report_of(b"{nee", "kapot.json")
    with pytest.raises(DataFileError, match="leeg"):
        report_of(b"", "leeg.csv")


class PopupMarkup(HTMLParser):
    """The tags, attributes and text a browser would see in a popup."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text += data


FIELD_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(FIELD_TEXT, FIELD_TEXT, FIELD_TEXT, FIELD_TEXT), min_size=1, max_size=4))
# Cases found before: a file whose only row has tabs in it, and a bare "<".
@example(values=[("\t", "", "", "\t")])
@example(values=[("0", "", "<", "")])
@example(values=[("<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "&amp;", "'\"")])
def test_any_text_in_any_field_never_crashes_and_never_reaches_html_unescaped(values):
    rows = [
        [
            name,
            organisation,
            "gemeenschappelijk",
            "",
            "",
            "",
            address,
            "52,44",
            "4,82",
            "",
            category,
        ]
        for name, organisation, address, category in values
    ]
    raw = "\n".join(
        [";".join(HEADER)]
        + [";".join('"' + v.replace('"', '""') + '"' for v in row) for row in rows]
    ).encode("utf-8")
    report = report_of(raw)
    assert len(report.frame) + len(report.refused_rows) <= len(rows)
    for _, record in report.frame.iterrows():
        html = initiative_popup(record)
        markup = PopupMarkup(html)
        # Whatever the text, the popup has only the markup the popup itself writes ...
        assert markup.tags <= {"div", "b", "br", "i", "small"}
        assert markup.attributes == [("class", "sbk-popup")]
        # ... and every text comes back as text, character for character.
        for text in (record["name"], record["organisation"], record["address"]):
            if isinstance(text, str) and text:
                assert escape(text) in html
                assert text in markup.text


def test_postcode_and_place_beside_an_address_are_kept_in_it_and_reported():
    raw = dutch_excel_csv(
        [
            [
                "Leesclub",
                "gemeenschappelijk",
                "Dorpsstraat 1",
                "1503 AB",
                "Zaandam",
                "52,44",
                "4,82",
            ],
            [
                "Koor",
                "gemeenschappelijk",
                "Kerkstraat 2, 1503 AB Zaandam",
                "1503 AB",
                "Zaandam",
                "52,441",
                "4,821",
            ],
            ["Buurtsoep", "persoonlijk", "", "1503 AC", "Zaandam", "52,442", "4,822"],
        ],
        header=["Naam", "Laag", "Adres", "Postcode", "Plaats", "lat", "lon"],
    )
    report = report_of(raw)
    addresses = list(report.frame.sort_values("source_row")["address"])
    assert addresses == [
        "Dorpsstraat 1, 1503 AB Zaandam",
        "Kerkstraat 2, 1503 AB Zaandam",  # already there: not twice
        "1503 AC Zaandam",
    ]
    assert any(
        p.field == "address" and "toegevoegd aan het adres bij 1 rij(en)" in p.message
        for p in report.warnings
    )
