"""Contact details: read from files, checked, shown, exported; the contact person is personal
data and stays out of public views and exports."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard import popups
from loaders.listings.importer import prepare_listings
from socialbasis.access import Identity, NotAllowed
from socialbasis.analysis.filters import Filters
from socialbasis.app import SocialBasis
from socialbasis.settings import load_settings
from tests.helpers import initiative_row, put_listings


def _file(tmp_path, **fields):
    row = {
        "Naam": "Buurtkoor",
        "Laag": "gemeenschappelijk",
        "Breedtegraad": "52,4412",
        "Lengtegraad": "4,8262",
        "Bron": "test",
    } | fields
    path = tmp_path / "aanbod.csv"
    pd.DataFrame([row]).to_csv(path, sep=";", index=False)
    return path


def test_contact_columns_are_recognised_and_checked(tmp_path, embedded):
    good = prepare_listings(
        _file(
            tmp_path,
            Website="https://koor.example.nl",
            **{"E-mail": "info@koor.example.nl", "Telefoon": "075 123 45 67"},
            Contactpersoon="Jet Jansen",
        ),
        buurten=embedded.buurten,
    )
    record = good.frame.iloc[0]
    assert (record["website"], record["email"], record["phone"], record["contact_person"]) == (
        "https://koor.example.nl",
        "info@koor.example.nl",
        "075 123 45 67",
        "Jet Jansen",
    )
    bad = prepare_listings(
        _file(
            tmp_path, Website="koor.example.nl", **{"E-mail": "geen adres", "Telefoon": "bel ons"}
        ),
        buurten=embedded.buurten,
    )
    assert {p.field for p in bad.errors} == {"website", "email", "phone"}
    assert bad.frame.empty


def test_the_contact_person_is_left_out_of_exports_unless_a_signed_in_person_asks(
    tmp_path, database_url
):
    put_listings(
        tmp_path,
        [
            initiative_row(
                id="koor",
                website="https://koor.example.nl",
                email="info@koor.example.nl",
                phone="075 123 45 67",
                contact_person="Jet Jansen",
                end_date="2099-01-01",
            )
        ],
        database_url=database_url,
    )
    settings = load_settings({"SOCIALBASIS_DATABASE_URL": database_url}, data_dir=tmp_path)
    anonymous = SocialBasis(settings)
    everything = Filters()
    for fmt in ("csv", "excel", "geojson", "hsds"):
        content, _rows = anonymous.export(fmt, everything)
        assert b"Jet Jansen" not in content and b"info@koor.example.nl" in content
    with pytest.raises(NotAllowed):
        anonymous.export("csv", everything, with_contact_person=True)
    editor = SocialBasis(settings, identity=Identity("els", "Els", "redacteur", "lokaal"))
    service = json.loads(editor.export("hsds", everything, with_contact_person=True)[0])[0]
    assert service["url"] == "https://koor.example.nl"
    assert service["phones"][0]["number"] == "075 123 45 67"
    assert service["contacts"][0]["name"] == "Jet Jansen"
    assert b"Jet Jansen" in editor.export("csv", everything, with_contact_person=True)[0]
    # What a sociale kaart sends back in HSDS is read into the same fields.
    path = tmp_path / "terug.json"
    path.write_bytes(editor.export("hsds", everything, with_contact_person=True)[0])
    again = prepare_listings(path, buurten=editor.dataset().buurten).frame.iloc[0]
    assert (again["website"], again["phone"], again["contact_person"]) == (
        "https://koor.example.nl",
        "075 123 45 67",
        "Jet Jansen",
    )


def test_a_popup_shows_how_to_reach_the_organisation_but_not_the_person(embedded):
    row = embedded.initiatives.iloc[0].copy()
    row["website"] = 'https://koor.example.nl/?a="><script>'
    row["email"] = "info@koor.example.nl"
    row["phone"] = "075 123 45 67"
    row["contact_person"] = "Jet Jansen"
    html = popups.initiative_popup(row)
    assert 'href="mailto:info@koor.example.nl"' in html and "075 123 45 67" in html
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html
    assert "Jet Jansen" not in html
