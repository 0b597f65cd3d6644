"""Once, automatically: the listings of a data folder of before the database (``aanbod.gpkg``)
move into the database, with a report, and the file is kept as a backup.

Safe to run twice or in two processes at once: records already in the database unchanged
change nothing, and only one process can rename the file.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from socialbasis.db.store import ListingDatabase
from socialbasis.errors import DataFileError, Problem
from socialbasis.i18n import _
from socialbasis.schema import records_with_rd
from socialbasis.storage import Store

log = logging.getLogger(__name__)

MIGRATION_ACTOR = "migratie"
REPORT_PREFIX = "migratie-naar-database"


@dataclass
class FileMigration:
    """What moved from a listings file into the database."""

    source: Path
    backup: Path | None = None
    report: Path | None = None
    moved: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.moved.items()) or "niets"
        lines = [
            _("Het aanbod uit {name} staat nu in de database ({counts}).").format(
                name=self.source.name, counts=counts
            ),
            _("Het oude bestand is bewaard als {value}.").format(
                value=self.backup.name if self.backup else "-"
            ),
        ]
        if self.problems:
            lines.append(
                _(
                    "{count} melding(en): deze rijen stonden niet goed in het bestand en zijn "
                    "niet overgezet; ze staan nog in het bewaarde bestand."
                ).format(count=len(self.problems))
            )
            lines += [f"  {p.describe()}" for p in self.problems]
        return lines


def migrate_listings_file(
    store: Store, database: ListingDatabase, gemeentecode: str
) -> FileMigration | None:
    """Move ``<data>/<GM>/aanbod.gpkg`` into the database; None when there is no such file.

    Every readable record moves; a record that does not validate stays behind in the
    backup and is named in the report. Nothing is deleted."""
    source = store.listings_path(gemeentecode)
    if not source.is_file():
        return None
    migration = FileMigration(source)
    try:
        results = store.check_listings(gemeentecode)
    except DataFileError as exc:  # not a readable GeoPackage: kept aside, nothing moves
        migration.problems.append(Problem(source.name, None, None, "", str(exc)))
        results = ()
    for kind, result in zip(("initiatieven", "locaties")[: len(results)], results, strict=True):
        migration.problems += [p for p in result.problems if p.severity == "fout"]
        if len(result.frame):
            database.apply_records(
                gemeentecode,
                kind,
                records_with_rd(result.frame),
                actor=MIGRATION_ACTOR,
                reason=f"overgezet uit {source.name}",
                action="migratie",
            )
        migration.moved[kind] = len(result.frame)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = source.with_name(f"{source.stem}.voor-database-{stamp}{source.suffix}")
    try:
        os.replace(source, backup)
    except FileNotFoundError:
        return None  # another process moved it at the same moment; it reports
    migration.backup = backup
    migration.report = source.with_name(f"{REPORT_PREFIX}-{stamp}.txt")
    migration.report.write_text("\n".join(migration.lines()) + "\n", encoding="utf-8")
    for line in migration.lines():
        log.warning(line)
    return migration


def migration_reports(store: Store, gemeentecode: str) -> list[Path]:
    """The reports of earlier migrations of this gemeente, newest first."""
    folder = store.listings_path(gemeentecode).parent
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{REPORT_PREFIX}-*.txt"), reverse=True)
