"""Benchmark of the listings database: validate and import a file of N listings, import it
again (nothing changes), one edit, loading the listings for the map, and undoing the import;
on SQLite and on PostgreSQL + PostGIS.

    .venv/bin/python -m benchmarks.listings_db [--rows 10000] [--postgres URL | --no-postgres]

Without ``--postgres`` a throwaway PostgreSQL server is started (as the tests do) when
PostgreSQL is installed (scripts/install_postgis.sh). The listings are generated for the
benchmark only, on a grid inside Zaanstad, and never stored in the project.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from benchmarks.timing import timed
from socialbasis.app import SocialBasis
from socialbasis.db import close_databases
from socialbasis.settings import load_settings

G = "GM0479"


def listing_file(path: Path, rows: int) -> Path:
    """A Dutch-Excel-style CSV of ``rows`` activities without ids (made from name and place),
    spread over a grid of about 2.5 x 2.5 km in Zaanstad."""
    lines = ["Naam;Organisatie;Laag;Soort;Doelgroep;Tijden;Adres;lat;lon;Bron"]
    layers = ("persoonlijk", "gemeenschappelijk", "institutioneel")
    for i in range(rows):
        lat = 52.4300 + (i % 200) * 0.000125
        lon = 4.8000 + (i // 200 % 200) * 0.0002
        lines.append(
            f"Benchmarkactiviteit {i};Benchmark {i % 50};{layers[i % 3]};muziek;ouderen;"
            f"di-middag;Benchmarkstraat {i};{lat:.6f};{lon:.6f};benchmark (gegenereerd)"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(url: str | None, data_dir: Path, source: Path) -> dict[str, float]:
    settings = load_settings({}, data_dir=data_dir, database_url=url or "")
    core = SocialBasis(settings, actor="benchmark")
    core.dataset()  # geography loaded once, as in a running dashboard or a CLI call
    figures: dict[str, float] = {}

    def check():
        return core.check_listing_file(source, source.name, geocode=False)

    figures["validate"], report = timed(check)
    assert not report.errors, report.errors[:3]

    def import_() -> int:
        result = core.apply_import(check())
        assert result.applied is not None
        return result.applied.changeset

    figures["import (new)"], first_import = timed(import_)
    figures["import again (unchanged)"], _ = timed(import_)
    records = iter(core.database.records(G, "initiatieven")[:20])

    def edit() -> None:
        row = next(records)
        core.database.edit(
            G,
            "initiatieven",
            row["id"],
            {"name": row["name"] + " (bewerkt)"},
            expected_version=row["version"],
            actor="benchmark",
            reason="benchmark",
        )

    figures["one edit"], _ = timed(edit, repeat=20)
    figures["load listings for the map"], (initiatives, _) = timed(core.listings, repeat=10)
    assert len(initiatives) == report.rows_read
    core._dataset = None
    figures["load whole dataset"], _ = timed(core.dataset)
    edited = core.changesets()
    for changeset in edited[edited["action"] == "bewerking"]["id"]:  # edits first, then
        core.undo(int(changeset))
    figures["undo the import"], _ = timed(lambda: core.undo(first_import))
    assert len(core.listings()[0]) == 0
    close_databases()
    return figures


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    from tests.postgres import postgres_server  # the tests' throwaway server

    with postgres_server() as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL (an empty database)")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = listing_file(Path(folder) / "aanbod.csv", args.rows)
        results = {"SQLite": run(None, Path(folder) / "sqlite", source)}
        if not args.no_postgres:
            server = nullcontext(args.postgres) if args.postgres else throwaway_postgres()
            with server as url:
                results["PostgreSQL"] = run(url, Path(folder) / "postgres", source)
    print(f"{args.rows:,} listings".replace(",", "."))
    names = list(next(iter(results.values())))
    print(f"{'':28}" + "".join(f"{db:>12}" for db in results))
    for name in names:
        cells = []
        for figures in results.values():
            seconds = figures[name]
            cells.append(f"{seconds * 1000:>9.0f} ms" if seconds < 1 else f"{seconds:>10.2f} s")
        print(f"{name:28}" + "".join(cells))


if __name__ == "__main__":
    main()
