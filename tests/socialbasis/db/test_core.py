"""The application over the database, on SQLite and PostgreSQL: an old data folder moves in,
and imports from separate processes at once (the CLI, as people run it) all land."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from socialbasis.app import SocialBasis
from socialbasis.db.store import StaleEdit
from socialbasis.settings import load_settings
from tests.conftest import ON_POSTGRES
from tests.helpers import TEST_IDENTITY, initiative_row, venue_row, write_listings_file

ROOT = Path(__file__).resolve().parents[3]
G = "GM0479"


def core(data_dir: Path, url: str) -> SocialBasis:
    return SocialBasis(
        load_settings({}, data_dir=data_dir, database_url=url), identity=TEST_IDENTITY
    )


def test_the_suite_uses_the_database_it_was_asked_for(settings):
    expected = "postgresql" if ON_POSTGRES else "sqlite"
    assert SocialBasis(settings).database_url.startswith(expected)


def test_an_old_data_folder_moves_in_once_with_a_report_and_a_backup(tmp_path, database_url):
    data = tmp_path / "data"
    rows = [
        initiative_row(id="é-1", name="Café <b>koor</b>", description="=1+1; ‘quote’"),
        initiative_row(id="a-2", name="Leesclub", schedule="wo-avond", end_date="2030-01-01"),
        initiative_row(id="x-3", name="Kapot", lat="60.0"),  # edited by hand: outside NL
    ]
    old = write_listings_file(data, rows, [venue_row(capacity="")])
    first = core(data, database_url)
    initiatives, venues = first.listings()
    assert sorted(initiatives["id"]) == ["a-2", "é-1"] and list(venues["id"]) == ["v-1"]
    stored = initiatives.set_index("id")
    assert stored.loc["é-1", "name"] == "Café <b>koor</b>"
    assert stored.loc["é-1", "description"] == "=1+1; ‘quote’"
    assert stored.loc["a-2", "end_date"].isoformat() == "2030-01-01"
    migration = first.migration
    assert migration is not None and migration.moved == {"initiatieven": 2, "locaties": 1}
    assert [p.row for p in migration.problems] == [3] and not old.exists()
    assert migration.backup.is_file() and migration.report.is_file()
    assert "x-3" not in migration.report.read_text(encoding="utf-8")
    assert "rij 3, veld 'lat'" in migration.report.read_text(encoding="utf-8")
    sets = first.changesets()
    assert list(sets["action"]) == ["migratie", "migratie"]
    assert set(sets["actor"]) == {"migratie"}
    again = core(data, database_url)
    assert len(again.listings()[0]) == 2 and again.migration is None
    assert len(again.changesets()) == 2  # once, not again


def test_an_unreadable_old_file_is_kept_aside_and_named(tmp_path, database_url):
    data = tmp_path / "data"
    old = data / G / "aanbod.gpkg"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"dit is geen GeoPackage")
    opened = core(data, database_url)
    assert len(opened.listings()[0]) == 0
    assert "geen leesbare GeoPackage" in opened.migration.problems[0].message
    assert opened.migration.backup.read_bytes() == b"dit is geen GeoPackage"


def _csv(path: Path, prefix: str, count: int) -> Path:
    """Rows on a grid of 100 x 100 places of about 10 m inside Zaanstad."""
    lines = ["id;name;layer;lat;lon;source"]
    lines += [
        f"{prefix}-{i};Activiteit {prefix} {i};gemeenschappelijk;"
        f"{52.4390 + (i % 100) * 0.0001:.4f};{4.8260 + (i // 100 % 100) * 0.0001:.4f};test"
        for i in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(data: Path, url: str, path: Path) -> subprocess.Popen:
    """``socialbasis import PATH`` in a process of its own."""
    return _cli(data, url, "import", str(path), "--geen-adres-zoeken")


def _cli(data: Path, url: str, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALBASIS_")}
    env |= {"SOCIALBASIS_DATA_DIR": str(data), "SOCIALBASIS_DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_eight_imports_at_once_all_land(tmp_path, database_url):
    data = tmp_path / "data"
    files = [_csv(tmp_path / f"lijst{n}.csv", f"p{n}", 30) for n in range(8)]
    runs = [_import(data, database_url, f) for f in files]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0] * 8, outputs
    assert all("Opgeslagen als wijzigingsset" in out for out in outputs)
    assert len(core(data, database_url).listings()[0]) == 240
    assert len(core(data, database_url).changesets()) == 8


def test_an_import_and_an_edit_at_once_both_land_or_the_edit_is_refused(tmp_path, database_url):
    data = tmp_path / "data"
    assert _import(data, database_url, _csv(tmp_path / "a.csv", "e", 50)).wait(timeout=300) == 0
    editor = core(data, database_url)
    base = editor.database.version(G, "initiatieven", "e-1")
    changed = _csv(tmp_path / "b.csv", "e", 50)
    changed.write_text(changed.read_text().replace("test", "nieuwe bron"), encoding="utf-8")
    run = _import(data, database_url, changed)
    try:
        editor.database.edit(
            G,
            "initiatieven",
            "e-1",
            {"name": "Bewerkt"},
            expected_version=base,
            actor="test",
            reason="formulier",
        )
        edited = True
    except StaleEdit as refused:
        edited = False
        assert "door iemand anders gewijzigd" in str(refused)
    output = run.communicate(timeout=300)[0]
    after = core(data, database_url)
    stored = after.listings()[0].set_index("id")
    # The import lands whole, or is refused whole when the edit came between its check and
    # its write; the edit lands unless the import changed the row first. Nothing half, and
    # whatever landed is in the history in the order it landed.
    assert run.returncode in (0, 1), output
    imported = run.returncode == 0
    if not imported:
        assert "na de controle door iemand anders gewijzigd" in output
    assert (stored["source"] == "nieuwe bron").all() == imported
    history = after.history("e-1")
    assert [c.reason for c in history if c.reason == "formulier"] == (
        ["formulier"] if edited else []
    )
    assert any(c.reason == "b.csv" for c in history) == imported
    assert history[-1].after["name"] == stored.loc["e-1", "name"]
    assert imported or edited


def test_killing_an_import_leaves_the_database_as_before(tmp_path, database_url):
    data = tmp_path / "data"
    assert _import(data, database_url, _csv(tmp_path / "a.csv", "k", 10)).wait(timeout=300) == 0
    big = _csv(tmp_path / "groot.csv", "g", 20_000)
    run = _import(data, database_url, big)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill it while it writes: the report is printed
        line = run.stdout.readline()
        if line.startswith("Goed:") or not line:
            break
    time.sleep(0.3)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=60)
    stored = core(data, database_url).listings()[0]
    assert len(stored) in (10, 10 + 20_000)
    assert len(core(data, database_url).changesets()) == (1 if len(stored) == 10 else 2)
    assert not list(data.glob("**/.*.tmp*"))  # no temporary files left behind
