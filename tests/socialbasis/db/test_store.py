"""The database of listings: round trip, history, undo, retiring, optimistic locking,
constraints, and concurrent and killed writers, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from socialbasis.db.store import ListingDatabase, StaleEdit, UnknownChangeset, describe_change
from socialbasis.schema import records_with_rd, validate_initiatives, validate_venues
from tests.helpers import initiative_row, venue_row

G = "GM0479"


def records(*rows, kind="initiatieven"):
    validate = validate_initiatives if kind == "initiatieven" else validate_venues
    return records_with_rd(validate(pd.DataFrame(list(rows)), "t").frame)


def test_every_field_round_trips_with_accents_and_html_like_text(database):
    row = initiative_row(
        id="é-1",
        name="Café <script>alert(1)</script> & ‘quote’",
        description="Zingen\nmet de buurt; =1+1",
        target_groups="ouderen;mantelzorgers",
        schedule="di-middag;za-ochtend",
        start_date="2024-01-31",
        end_date="2025-12-31",
        last_verified="2024-06-01",
        support_activation="activering",
        wheelchair="nee",
    )
    database.apply_records(G, "initiatieven", records(row), actor="cli:test", reason="a.csv")
    stored = database.records(G, "initiatieven")
    assert len(stored) == 1
    back = validate_initiatives(pd.DataFrame(stored).drop(columns="version"), "db")
    assert back.ok
    expected = validate_initiatives(pd.DataFrame([row]), "t").frame
    columns = [c for c in expected.columns if c not in ("geometry", "source_row")]
    pd.testing.assert_frame_equal(
        back.frame[columns].reset_index(drop=True), expected[columns].reset_index(drop=True)
    )
    venue = venue_row(id="v-é", name="Buurthuis “De Zaan”", capacity="80")
    database.apply_records(G, "locaties", records(venue, kind="locaties"), actor="a", reason="b")
    assert database.records(G, "locaties")[0]["capacity"] == 80
    assert database.records(G, "locaties")[0]["kind"] == venue["kind"]


def test_an_import_can_be_undone_exactly_and_history_says_who_what_when_why(database):
    first = records(initiative_row(id="a"), initiative_row(id="b", name="Koor B"))
    database.apply_records(G, "initiatieven", first, actor="cli:anna", reason="eerste.csv")
    before = database.records(G, "initiatieven")
    changed = records(initiative_row(id="a", name="Nieuwe naam"), initiative_row(id="c"))
    applied = database.apply_records(
        G, "initiatieven", changed, actor="cli:bob", reason="tweede.csv"
    )
    assert (applied.added, applied.updated, applied.unchanged) == (1, 1, 0)
    second = applied.changeset
    assert {r["id"] for r in database.records(G, "initiatieven")} == {"a", "b", "c"}
    history = database.history(G, "a")
    assert [(h.actor, h.reason) for h in history] == [
        ("cli:anna", "eerste.csv"),
        ("cli:bob", "tweede.csv"),
    ]
    assert 'name: "Buurtkoor Test" -> "Nieuwe naam"' in describe_change(history[1])
    database.undo(second, actor="cli:anna")
    after = database.records(G, "initiatieven")
    assert [{k: v for k, v in r.items() if k != "version"} for r in after] == [
        {k: v for k, v in r.items() if k != "version"} for r in before
    ]
    with pytest.raises(UnknownChangeset, match="al ongedaan"):
        database.undo(second, actor="cli:anna")
    log = database.changesets(G)
    assert list(log["action"]) == ["ongedaan", "import", "import"]


def test_a_later_change_blocks_an_undo_until_it_is_undone_itself(database):
    rows = records(initiative_row(id="a"), initiative_row(id="b", name="Koor B"))
    first = database.apply_records(G, "initiatieven", rows, actor="x", reason="").changeset
    edit = database.edit(
        G, "initiatieven", "a", {"name": "Later"}, expected_version=1, actor="y", reason=""
    )
    database.retire(G, "initiatieven", "b", on=date(2026, 3, 1), reason="gestopt", actor="y")
    with pytest.raises(UnknownChangeset, match="na wijzigingsset 1 nog gewijzigd"):
        database.undo(first, actor="x")
    database.undo(edit, actor="y")
    with pytest.raises(UnknownChangeset, match=r"^b is na wijzigingsset 1 nog gewijzigd"):
        database.undo(first, actor="x")  # the retirement of b still stands
    retired = database.changesets(G)
    database.undo(int(retired[retired["action"] == "gestopt"]["id"].iloc[0]), actor="y")
    database.undo(first, actor="x")
    assert database.records(G, "initiatieven", include_retired=True) == []


def test_the_same_records_again_change_nothing_and_record_nothing(database):
    rows = records(initiative_row(id="a"), initiative_row(id="b", name="Koor B"))
    database.apply_records(G, "initiatieven", rows, actor="x", reason="een.csv")
    again = database.apply_records(G, "initiatieven", rows, actor="x", reason="twee.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert [h.reason for h in database.history(G, "a")] == ["een.csv"]
    assert database.version(G, "initiatieven", "a") == 1


def test_an_import_checked_against_an_old_version_is_refused_whole(database):
    database.apply_records(G, "initiatieven", records(initiative_row(id="a")), actor="x", reason="")
    database.edit(
        G, "initiatieven", "a", {"name": "Intussen"}, expected_version=1, actor="y", reason=""
    )
    rows = records(initiative_row(id="a", name="Uit bestand"), initiative_row(id="n"))
    with pytest.raises(StaleEdit, match="na de controle"):
        database.apply_records(
            G, "initiatieven", rows, actor="x", reason="", expected_versions={"a": 1, "n": None}
        )
    assert [r["name"] for r in database.records(G, "initiatieven")] == ["Intussen"]


def test_a_stale_edit_is_refused_and_shows_the_current_version(database):
    database.apply_records(G, "initiatieven", records(initiative_row(id="a")), actor="x", reason="")
    version = database.version(G, "initiatieven", "a")
    database.edit(
        G,
        "initiatieven",
        "a",
        {"name": "Van Anna"},
        expected_version=version,
        actor="dashboard:anna",
        reason="formulier",
    )
    with pytest.raises(StaleEdit, match="versie 2") as caught:
        database.edit(
            G,
            "initiatieven",
            "a",
            {"name": "Van Bob"},
            expected_version=version,
            actor="dashboard:bob",
            reason="formulier",
        )
    assert caught.value.current["name"] == "Van Anna"
    assert database.records(G, "initiatieven")[0]["name"] == "Van Anna"


def test_an_edit_that_moves_a_listing_moves_its_rd_point(database):
    from socialbasis.geo import lonlat_to_rd

    database.apply_records(G, "initiatieven", records(initiative_row(id="a")), actor="x", reason="")
    database.edit(
        G, "initiatieven", "a", {"lat": 52.45}, expected_version=1, actor="y", reason="verhuisd"
    )
    stored = database.frame(G, "initiatieven").iloc[0]
    x, y = lonlat_to_rd([float(initiative_row()["lon"])], [52.45])
    assert (stored["x_rd"], stored["y_rd"]) == pytest.approx((x[0], y[0]))


def test_retiring_hides_a_listing_but_keeps_it(database):
    database.apply_records(G, "initiatieven", records(initiative_row(id="a")), actor="x", reason="")
    database.retire(G, "initiatieven", "a", on=date(2025, 1, 1), reason="gestopt", actor="x")
    assert database.records(G, "initiatieven") == []
    kept = database.records(G, "initiatieven", include_retired=True)
    assert len(kept) == 1
    database.restore(G, "initiatieven", "a", actor="x")
    assert len(database.records(G, "initiatieven")) == 1


def test_the_schema_refuses_what_validation_refuses(database):
    bad = records(initiative_row(id="a"))[0] | {"layer": "onbekend"}
    with pytest.raises(sa.exc.IntegrityError):
        database.apply_records(G, "initiatieven", [bad], actor="x", reason="")
    assert database.records(G, "initiatieven") == []  # nothing of the failed changeset
    assert len(database.changesets(G)) == 0


def _writer_script(url: str, prefix: str, count: int) -> str:
    return textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(__import__("pathlib").Path(__file__).resolve().parents[3])!r})
        from socialbasis.db.store import ListingDatabase
        from tests.socialbasis.db.test_store import records
        from tests.helpers import initiative_row
        db = ListingDatabase({url!r})
        rows = records(*[initiative_row(id=f"{prefix}-{{i}}") for i in range({count})])
        print("ready", flush=True)
        db.apply_records("GM0479", "initiatieven", rows, actor="proc:{prefix}", reason="x")
        print("done", flush=True)
        """
    )


def test_two_processes_importing_at_once_both_land(database, database_url):
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _writer_script(database_url, prefix, 300)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for prefix in ("p", "q")
    ]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    ids = {r["id"] for r in database.records(G, "initiatieven")}
    assert len(ids) == 600


def test_a_killed_import_leaves_the_database_as_before(database, database_url):
    process = subprocess.Popen(
        [sys.executable, "-c", _writer_script(database_url, "k", 20_000)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    time.sleep(0.5)  # in the middle of writing the rows
    process.kill()
    process.wait(timeout=30)
    fresh = ListingDatabase(database_url)
    try:
        count = len(fresh.records(G, "initiatieven"))
        assert count in (0, 20_000)
        assert len(fresh.changesets(G)) == (0 if count == 0 else 1)
    finally:
        fresh.dispose()


def test_the_head_revision_the_store_checks_is_the_newest_migration():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from socialbasis.db.store import HEAD_REVISION, MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION
