"""History in the dashboard: an old listings file moves into the database with a report,
and any import can be undone whole from the data page."""

from __future__ import annotations

import pytest

from tests.dashboard.test_page import BEHEERDER, metrics, run_app
from tests.helpers import (
    initiative_row,
    put_listings,
    stored_listings,
    venue_row,
    write_listings_file,
)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("SOCIALBASIS_DATA_DIR", str(folder))
    return folder


def test_an_old_listings_file_moves_into_the_database_once_with_a_report(data_dir):
    good = initiative_row(id="goed", end_date="2099-01-01")
    broken = initiative_row(id="kapot", name="Later", layer="onbekend")  # edited by hand
    old = write_listings_file(data_dir, [good, broken], [venue_row()])
    app = run_app()
    assert not app.exception and not app.error
    assert metrics(app)["Activiteiten"] == 1 and metrics(app)["Locaties"] == 1
    assert not old.exists()
    backups = list(old.parent.glob("aanbod.voor-database-*.gpkg"))
    assert len(backups) == 1  # nothing lost: the broken row is still in the backup
    (report,) = old.parent.glob("migratie-naar-database-*.txt")
    text = report.read_text(encoding="utf-8")
    assert "1 initiatieven, 1 locaties" in text and "kapot" not in text
    assert "rij 2, veld 'layer'" in text and "niet overgezet" in text
    app = run_app(as_user=BEHEERDER, modus="gegevens")
    assert any("rij 2, veld 'layer'" in t.value for t in app.text)
    assert list(stored_listings(data_dir)[0]["id"]) == ["goed"]


def test_an_import_is_undone_whole_from_the_history(data_dir):
    put_listings(data_dir, [initiative_row(id="a", end_date="2099-01-01")])
    put_listings(data_dir, [initiative_row(id="b", name="Koor B", end_date="2099-01-01")])
    app = run_app(as_user=BEHEERDER, modus="gegevens")
    history = next(df.value for df in app.dataframe if "Wie" in df.value.columns)
    assert list(history["Nr"]) == [2, 1] and list(history["Wie"]) == ["test", "test"]
    app.selectbox(key="geschiedenis_set").set_value(2).run()
    app.button(key="geschiedenis_ongedaan").click().run()
    assert any("Wijzigingsset 2 is ongedaan gemaakt" in s.value for s in app.success)
    assert list(stored_listings(data_dir)[0]["id"]) == ["a"]
    app.text_input(key="geschiedenis_id").set_value("b").run()
    lines = " ".join(m.value for m in app.markdown).replace("\\", "")  # markdown escapes
    assert (
        "toegevoegd" in lines and "verwijderd" in lines and "lokaal:test (ongedaan" in lines
    )  # who signed in
