"""Editing under the map (AppTest): a place from an address or a click, a new listing that
opens in its buurt's profile, moving one, contact persons only for who may see them, and
changes by someone else reaching an open page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.edit_view import PLACE_KEY
from socialbasis.access import Identity
from tests.dashboard.test_page import run_app
from tests.helpers import initiative_row, put_listings

EDITOR = Identity("els", "Els", "redacteur", "lokaal")
# Test data (not a real address): a point in Zaanstad and the answer standing in for the service.
LAT, LON = 52.4390, 4.8260


def _core():
    from socialbasis.app import SocialBasis
    from socialbasis.settings import load_settings

    return SocialBasis(load_settings(), identity=EDITOR)


def _field(app, name: str, listing: str = "nieuw"):
    return app.text_input(key=f"veld_initiatieven_{listing}_{name}")


def _press(app, label: str, listing: str = "nieuw"):
    app.button(key=f"FormSubmitter:bewerk_initiatieven_{listing}-{label}").click()
    return app.run()


def _profile_listings(app):
    return next(df.value for df in app.dataframe if "Contact" in df.value.columns)


def test_an_address_puts_a_new_listing_in_place_and_it_opens_in_its_buurt(
    monkeypatch: pytest.MonkeyPatch,
):
    from socialbasis.app import AddressHit, SocialBasis

    code = _core().buurt_at(LAT, LON)
    answer = AddressHit("Testadres 1", "Testadres 1 (testgegevens)", code, LAT, LON)
    monkeypatch.setattr(SocialBasis, "find_address", lambda self, text: answer)
    app = run_app(as_user=EDITOR, datum="alle")
    assert "Aanbod bewerken" in [s.value for s in app.subheader]
    _field(app, "name").set_value("Proefkoor Adres")
    _field(app, "source").set_value("test")
    _field(app, "address").set_value("Testadres 1")
    _field(app, "email").set_value("koor@example.org")
    _field(app, "contact_person").set_value("Els Proef")
    _press(app, "Zoek de plek bij het adres")
    assert not app.exception
    assert any(s.value.startswith("Gevonden: Testadres 1") for s in app.success)
    assert (_field(app, "lat").value, _field(app, "lon").value) == ("52.439000", "4.826000")
    assert _field(app, "name").value == "Proefkoor Adres"  # nothing typed is lost
    _press(app, "Opslaan")
    assert any("Opgeslagen als wijzigingsset" in s.value for s in app.success)
    # The new listing stays open in the editor, and its buurt opens with it in the profile.
    new_id = app.selectbox(key="bewerk_keuze").value
    assert new_id.startswith("dashboard-")
    assert app.selectbox(key="buurt").value == code
    listed = _profile_listings(app)
    row = listed[listed["Naam"] == "Proefkoor Adres"].iloc[0]
    assert row["Contact"] == "koor@example.org · contactpersoon Els Proef"  # signed in

    # Looking without signing in: the organisation's e-mail, not the person's name...
    anonymous = run_app(buurt=code, datum="alle")
    listed = _profile_listings(anonymous)
    assert list(listed.loc[listed["Naam"] == "Proefkoor Adres", "Contact"]) == ["koor@example.org"]
    assert not any("Els Proef" in str(df.value.to_dict()) for df in anonymous.dataframe)
    # ...unless the gemeente publishes contact persons (with their consent).
    monkeypatch.setenv("SOCIALBASIS_CONTACTPERSOON_PUBLIEK", "1")
    published = _profile_listings(run_app(buurt=code, datum="alle"))
    assert "koor@example.org · contactpersoon Els Proef" in set(published["Contact"])


def test_an_address_that_cannot_be_looked_up_says_to_click_the_map(
    monkeypatch: pytest.MonkeyPatch,
):
    from socialbasis.app import SocialBasis
    from socialbasis.errors import ServiceError

    def offline(self, text):
        raise ServiceError("PDOK Locatieserver", "http://127.0.0.1:9/", "geen verbinding")

    monkeypatch.setattr(SocialBasis, "find_address", offline)
    app = run_app(as_user=EDITOR)
    _field(app, "address").set_value("Teststraat 1")
    _press(app, "Zoek de plek bij het adres")
    assert any("Klik de plek op de kaart aan" in e.value for e in app.error)
    assert _field(app, "lat").value == ""


def test_a_clicked_place_fills_a_new_listing_and_moves_an_existing_one():
    data_dir = Path(os.environ["SOCIALBASIS_DATA_DIR"])
    put_listings(data_dir, [initiative_row(id="koor", name="Buurtkoor")])
    app = run_app(as_user=EDITOR, datum="alle")
    assert any("Klik op de kaart op de plek" in c.value for c in app.caption)
    # A click on the map (what the map's callback does) fills the new listing's place.
    from dashboard import edit_view

    app.session_state[PLACE_KEY] = (52.44, 4.82)
    app.run()
    assert any("Aangeklikte plek: 52,44000, 4,82000." in c.value for c in app.caption)
    app.selectbox(key="bewerk_keuze").set_value("koor").run()
    assert _field(app, "lat", "koor").value == "52.439"  # an existing one moves only on demand
    _press(app, "Zet op de aangeklikte plek", "koor")
    assert (_field(app, "lat", "koor").value, _field(app, "lon", "koor").value) == (
        "52.440000",
        "4.820000",
    )
    _press(app, "Opslaan", "koor")
    records, _retired = _core().stored_records()
    assert (records[0]["lat"], records[0]["lon"]) == (52.44, 4.82)
    assert edit_view.PLACE_KEY not in app.session_state  # used up by the save


def test_the_place_clicked_is_marked_on_the_map_for_an_editor_only():
    from dashboard.mapview import PLACE_CLASS

    editor = run_app(as_user=EDITOR)
    editor.session_state[PLACE_KEY] = (52.44, 4.82)
    editor.run()
    assert PLACE_CLASS in _map_script(editor)
    anonymous = run_app()
    anonymous.session_state[PLACE_KEY] = (52.44, 4.82)  # whatever a session holds
    anonymous.run()
    assert PLACE_CLASS not in _map_script(anonymous)


def _map_script(app) -> str:
    element = next(e for e in app.get("iframe") if e.proto) if app.get("iframe") else None
    if element is not None:
        return str(element.proto)
    return str([c.proto for c in app.get("component_instance")])


def test_a_change_by_someone_else_reaches_an_open_page_and_its_kansenkaart():
    data_dir = Path(os.environ["SOCIALBASIS_DATA_DIR"])
    put_listings(
        data_dir,
        [initiative_row(id=f"k{i}", name=f"Koor {i}", layer="gemeenschappelijk") for i in (1, 2)],
    )
    supply = run_app(datum="alle")
    kansen = run_app(modus="kansen", datum="alle", laag="gemeenschappelijk")
    assert int(supply.metric[0].value) == 2
    before = _total_score(kansen)
    _core().retire("k1", "gestopt")
    _core().retire("k2", "gestopt")
    supply.run()
    kansen.run()
    assert int(supply.metric[0].value) == 0
    assert _total_score(kansen) > before  # no supply left: the gaps grow


def _total_score(app) -> float:
    table = next(df.value for df in app.dataframe if "Kansscore" in df.value.columns)
    return float(table["Kansscore"].sum())


def test_the_work_list_opens_a_listing_in_the_editor_under_the_map():
    data_dir = Path(os.environ["SOCIALBASIS_DATA_DIR"])
    put_listings(data_dir, [initiative_row(id="oud", name="Koor Oud", last_verified="2020-01-01")])
    app = run_app(as_user=EDITOR, modus="gegevens")
    app.button(key="bewerk_oud").click().run()
    assert not app.exception
    assert app.session_state["modus"] == "aanbod"
    assert app.selectbox(key="bewerk_keuze").value == "oud"
    assert app.selectbox(key="buurt").value == _core().buurt_at(52.4390, 4.8260)
    assert _field(app, "name", "oud").value == "Koor Oud"
