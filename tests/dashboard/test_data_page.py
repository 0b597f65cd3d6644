"""The data view (upload, werkgebieden, exports), in-process with AppTest."""

import os
from pathlib import Path

from loaders.population_grid import read_population_grid
from socialbasis.storage import Store
from tests.dashboard.test_page import BEHEERDER, run_app
from tests.loaders.test_population_grid import cbs_squares


def test_data_view_offers_upload_mapping_and_every_export():
    app = run_app(as_user=BEHEERDER, modus="gegevens")
    assert not app.exception
    headers = [s.value for s in app.subheader]
    assert headers[:5] == [
        "Aanbod inlezen",
        "Werkgebieden van de sociale wijkteams",
        "Inwoners per 100 meter",
        "Nog actueel?",
        "Exporteren",
    ]
    assert any("Nu: geen. De dekking telt naar oppervlakte." in c.value for c in app.caption)
    labels = {button.label for button in app.get("download_button")}
    assert labels >= {
        "Excel (CSV)",
        "CSV (standaard)",
        "GeoJSON",
        "GeoPackage",
        "Open Referral (HSDS)",
        "Per buurt (Excel)",
        "Locaties (Excel)",
    }
    assert any("indicatief" in c.value for c in app.caption)


def test_a_loaded_population_grid_is_named_and_can_be_removed(tmp_path, embedded):
    path = tmp_path / "cbs_vk100_2023_v1.gpkg"
    cbs_squares([120, -99997, 35, 0, 80]).to_file(path, driver="GPKG")
    store = Store(Path(os.environ["SOCIALBASIS_DATA_DIR"]))
    store.write_population("GM0479", read_population_grid(path, embedded.gemeente))
    app = run_app(as_user=BEHEERDER, modus="gegevens")
    assert any(
        c.value.startswith("Nu: CBS Vierkantstatistieken 100 m, 2023 (cbs")
        and "de dekking telt naar inwoners" in c.value
        for c in app.caption
    )
    app.button(key="bevolking_weg").click().run()
    assert any("De dekking telt weer naar oppervlakte" in s.value for s in app.success)
    assert store.read_population("GM0479") is None


def test_looking_needs_no_account_and_changing_needs_one():
    from socialbasis.app import SocialBasis
    from socialbasis.settings import load_settings

    app = run_app(modus="gegevens")
    headers = [s.value for s in app.subheader]
    assert "Aanbod inlezen" not in headers and "Exporteren" in headers
    assert not [b for b in app.button if b.key == "upload_bevestig"]
    assert not [s for s in app.selectbox if s.key == "geschiedenis_set"]
    assert any("ingelogde beheerder" in i.value for i in app.info)

    accounts = SocialBasis(load_settings()).accounts  # the app's own data folder and database
    accounts.add("fleur", "een lang wachtwoord", "beheerder", "Fleur")
    app.text_input(key="inlog_naam").set_value("fleur")
    app.text_input(key="inlog_wachtwoord").set_value("niet dit wachtwoord")
    app.button(key="FormSubmitter:inloggen-Inloggen met een lokaal account").click().run()
    assert any("klopt niet" in e.value for e in app.error)
    assert "Aanbod inlezen" not in [s.value for s in app.subheader]
    app.text_input(key="inlog_wachtwoord").set_value("een lang wachtwoord")
    app.button(key="FormSubmitter:inloggen-Inloggen met een lokaal account").click().run()
    assert not app.exception
    assert any("Ingelogd als **Fleur** (beheerder)" in m.value for m in app.markdown)
    assert "Aanbod inlezen" in [s.value for s in app.subheader]
    # The password is gone from the session as soon as it was checked.
    assert app.session_state["inlog_wachtwoord"] == ""
    app.button(key="uitloggen").click().run()
    assert "Aanbod inlezen" not in [s.value for s in app.subheader]


def test_an_editor_confirms_a_listing_nobody_checked_and_it_leaves_the_list():
    from socialbasis.access import Identity
    from tests.helpers import initiative_row, put_listings

    data_dir = Path(os.environ["SOCIALBASIS_DATA_DIR"])
    put_listings(
        data_dir,
        [
            initiative_row(id="oud", name="Koor Oud", last_verified="2020-01-01"),
            initiative_row(id="vers", name="Koor Vers", last_verified=""),
        ],
    )
    anonymous = run_app(modus="gegevens")
    assert "Nog actueel?" in [s.value for s in anonymous.subheader]
    assert not [b for b in anonymous.button if b.key and b.key.startswith("klopt_")]
    editor = Identity("els", "Els", "redacteur", "lokaal")
    app = run_app(as_user=editor, modus="gegevens")
    assert any("2 activiteiten zijn sinds" in c.value for c in app.caption)
    app.button(key="klopt_oud").click().run()
    assert not app.exception
    assert any("1 activiteiten zijn sinds" in c.value for c in app.caption)
    assert not [b for b in app.button if b.key == "klopt_oud"]
    last = stored_history(data_dir, "oud")[-1]
    assert (last.actor, last.reason) == ("lokaal:els", "klopt nog")
    # The change feed of the last 30 days shows it, ready to download.
    feed = next(df.value for df in app.dataframe if "Velden" in df.value.columns)
    assert list(feed["Waarom"])[-1] == "klopt nog" and list(feed["Velden"])[-1] == "last_verified"
    keys = {button.key for button in app.get("download_button")}
    assert {"wijzigingen_csv", "wijzigingen_hsds"} <= keys


def test_the_kansenkaart_can_count_only_recently_checked_supply():
    from tests.helpers import initiative_row, put_listings

    data_dir = Path(os.environ["SOCIALBASIS_DATA_DIR"])
    put_listings(
        data_dir,
        [
            initiative_row(id="oud", layer="gemeenschappelijk", last_verified="2020-01-01"),
            initiative_row(id="nieuw", layer="gemeenschappelijk", last_verified="2099-01-01"),
        ],
    )
    app = run_app(modus="kansen", datum="alle")
    app.toggle(key="gecontroleerd").set_value(True).run()
    assert not app.exception
    assert any("Niet meegeteld: 1 activiteiten" in c.value for c in app.caption)
    assert app.query_params.get("gecontroleerd") in ("1", ["1"])


def stored_history(data_dir: Path, listing_id: str):
    from socialbasis.app import SocialBasis
    from socialbasis.settings import load_settings

    return SocialBasis(load_settings(data_dir=data_dir)).history(listing_id)


def _editor():
    from socialbasis.access import Identity

    return Identity("els", "Els", "redacteur", "lokaal")


def _submit(app):
    next(b for b in app.button if b.key and b.key.startswith("FormSubmitter:bewerk_")).click()
    return app.run()


def test_an_editor_edits_a_listing_sees_problems_and_chooses_in_a_conflict():
    from socialbasis.app import SocialBasis
    from socialbasis.settings import load_settings
    from tests.helpers import initiative_row, put_listings, stored_listings

    data_dir = Path(os.environ["SOCIALBASIS_DATA_DIR"])
    put_listings(data_dir, [initiative_row(id="koor", name="Buurtkoor", end_date="2099-01-01")])
    app = run_app(as_user=_editor())
    assert "Aanbod bewerken" in [s.value for s in app.subheader]
    app.selectbox(key="bewerk_keuze").set_value("koor").run()
    app.text_input(key="veld_initiatieven_koor_lat").set_value("geen getal")
    _submit(app)
    assert any("veld 'lat'" in e.value for e in app.error)  # said per field, nothing stored
    app.text_input(key="veld_initiatieven_koor_lat").set_value("52,4412")
    app.text_input(key="veld_initiatieven_koor_name").set_value("Buurtkoor Zang")
    _submit(app)
    assert any("Opgeslagen als wijzigingsset" in s.value for s in app.success)
    assert list(stored_listings(data_dir)[0]["name"]) == ["Buurtkoor Zang"]

    # Someone else saves while this editor is busy: both versions, the editor chooses.
    app.text_input(key="veld_initiatieven_koor_name").set_value("Mijn naam")
    other = SocialBasis(load_settings(), identity=_editor())
    records, _ = other.stored_records()
    theirs = dict(records[0]) | {"name": "Hun naam"}
    other.save_listing("initiatieven", theirs, theirs.pop("version"))
    _submit(app)
    assert any("Iemand anders heeft deze vermelding gewijzigd" in w.value for w in app.warning)
    versions = next(df.value for df in app.dataframe if "Uw versie" in df.value.columns)
    assert list(versions["Uw versie"]) == ["Mijn naam"]
    assert list(versions["Nu opgeslagen"]) == ["Hun naam"]
    assert list(stored_listings(data_dir)[0]["name"]) == ["Hun naam"]  # nothing overwritten
    app.button(key="conflict_mijn").click().run()
    assert list(stored_listings(data_dir)[0]["name"]) == ["Mijn naam"]
