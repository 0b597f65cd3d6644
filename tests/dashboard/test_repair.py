"""When stored data cannot be read, the page says what is wrong and offers a way out."""

from __future__ import annotations

import pandas as pd
import pyogrio
import pytest

from socialbasis.schema import validate_initiatives, validate_venues
from socialbasis.storage import Store
from tests.dashboard.test_page import run_app
from tests.helpers import initiative_row, venue_row


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("SOCIALBASIS_DATA_DIR", str(folder))
    return folder


def _store_good_then_break(folder) -> Store:
    store = Store(folder)
    good = validate_initiatives(pd.DataFrame([initiative_row(id="goed")]), "t").frame
    venues = validate_venues(pd.DataFrame([venue_row()]), "t").frame
    store.write_listings("GM0479", good, venues)
    two = validate_initiatives(
        pd.DataFrame([initiative_row(id="goed"), initiative_row(id="kapot", name="Later")]), "t"
    ).frame
    store.write_listings("GM0479", two, venues)  # the last import
    # Someone edits the file by hand: a layer that does not exist.
    path = store.listings_path("GM0479")
    frame = pyogrio.read_dataframe(path, layer="initiatieven")
    frame.loc[frame["id"] == "kapot", "layer"] = "onbekend"
    pyogrio.write_dataframe(frame, path, layer="initiatieven", driver="GPKG")
    return store


def test_unreadable_listings_open_a_way_out_not_a_dead_end(data_dir):
    store = _store_good_then_break(data_dir)
    app = run_app()
    assert not app.exception
    assert any("konden niet worden geladen" in e.value for e in app.error)
    assert any("Gegevens herstellen" in h.value for h in app.subheader)
    problems = next(df.value for df in app.dataframe if "Melding" in df.value.columns)
    assert (problems["Veld"] == "layer").any()
    assert app.get("download_button")  # the readable rows can be taken away
    app.button(key="herstel_terug").click().run()
    assert not app.error  # the version before the last import is back
    initiatives, _ = store.read_listings("GM0479")
    assert list(initiatives["id"]) == ["goed"]
    kept = [p.name for p in store.listings_path("GM0479").parent.iterdir()]
    assert any(name.startswith("aanbod.tot-") for name in kept)  # nothing lost


def test_starting_again_keeps_the_old_file(data_dir):
    store = _store_good_then_break(data_dir)
    app = run_app()
    app.button(key="herstel_opzij").click().run()
    assert not app.error
    assert not store.listings_path("GM0479").is_file()
    assert any(
        p.name.startswith("aanbod.tot-") for p in store.listings_path("GM0479").parent.iterdir()
    )


def test_a_write_that_could_not_be_read_back_is_refused_and_the_old_file_stays(data_dir):
    store = Store(data_dir)
    good = validate_initiatives(pd.DataFrame([initiative_row(id="goed")]), "t").frame
    venues = validate_venues(pd.DataFrame([venue_row()]), "t").frame
    store.write_listings("GM0479", good, venues)
    before = store.listings_path("GM0479").read_bytes()
    broken = good.copy()
    broken["layer"] = "onbekend"
    with pytest.raises(Exception, match="niet terug te lezen"):
        store.write_listings("GM0479", broken, venues)
    assert store.listings_path("GM0479").read_bytes() == before
