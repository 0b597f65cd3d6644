"""Listings and venues in a database, with a change record for every change.

Every change (an import, an edit, retiring, restoring, an undo) is one changeset: who, when,
what and why, written in the same transaction as the rows it changes, with each row's
before and after. Nothing is ever deleted for good: an undo writes the rows of before back
as a new changeset, and a retired listing stays in the table.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from socialbasis.db.tables import changes, changesets, listings
from socialbasis.errors import SocialBasisError
from socialbasis.geo import lonlat_to_rd
from socialbasis.schema import INITIATIVE_COLUMNS, VENUE_COLUMNS

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
DATABASE_FILE = "sociale_basis.sqlite"
COLUMNS = {"initiatieven": INITIATIVE_COLUMNS, "locaties": VENUE_COLUMNS}
# Canonical column -> database column where they differ ("kind" is the table's own key).
RENAMED = {"kind": "kind_of_venue"}


class StaleEdit(SocialBasisError):
    """An edit based on an old version of a row: someone else changed it meanwhile."""

    def __init__(self, listing_id: str, expected: int, found: int, current: dict[str, Any]):
        self.current = current
        super().__init__(
            f"{listing_id} is intussen door iemand anders gewijzigd (versie {found}, uw "
            f"bewerking ging uit van versie {expected}); er is niets overschreven"
        )


class UnknownChangeset(SocialBasisError):
    pass


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / DATABASE_FILE}"


def make_engine(url: str) -> Engine:
    """An engine; SQLite waits for a lock instead of failing, and every write transaction
    takes the write lock at its start, so two writers queue instead of deadlocking."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 60})

        @sa.event.listens_for(engine, "connect")
        def _connect(connection: Any, _record: Any) -> None:
            connection.isolation_level = None  # transactions are begun below
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (creates it on first use)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _plain(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO text, missing as None."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, date | datetime | pd.Timestamp):
        return value.isoformat()[:10]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Change:
    changeset: int
    action: str
    actor: str
    at: datetime
    reason: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ListingDatabase:
    """The listings of every gemeente in one database (SQLite file or PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        migrate(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    # --- reading -------------------------------------------------------------------------

    def records(
        self, gemeentecode: str, kind: str, include_retired: bool = False
    ) -> list[dict[str, Any]]:
        """Canonical records (as plain values) of one gemeente and kind, ordered by id."""
        query = sa.select(listings).where(
            listings.c.gemeentecode == gemeentecode, listings.c.kind == kind
        )
        if not include_retired:
            query = query.where(listings.c.retired_on.is_(None))
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(listings.c.id)).mappings().all()
        return [self._record(row, kind) for row in rows]

    def _record(self, row: Mapping[str, Any], kind: str) -> dict[str, Any]:
        record = {c: _plain(row[RENAMED.get(c, c)]) for c in COLUMNS[kind]}
        record["version"] = row["version"]
        return record

    def version(self, gemeentecode: str, kind: str, listing_id: str) -> int | None:
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(listings.c.version).where(*self._key(gemeentecode, kind, listing_id))
            ).scalar()

    # --- writing ---------------------------------------------------------------------------

    @staticmethod
    def _key(gemeentecode: str, kind: str, listing_id: str) -> tuple:
        return (
            listings.c.gemeentecode == gemeentecode,
            listings.c.kind == kind,
            listings.c.id == listing_id,
        )

    def _open_changeset(
        self, connection: Connection, gemeentecode: str, action: str, actor: str, reason: str
    ) -> int:
        return int(
            connection.execute(
                changesets.insert().values(
                    gemeentecode=gemeentecode,
                    action=action,
                    actor=actor,
                    at=datetime.now(UTC),
                    reason=reason,
                )
            ).inserted_primary_key[0]
        )

    def _current(
        self, connection: Connection, gemeentecode: str, kind: str, listing_id: str
    ) -> Mapping[str, Any] | None:
        return (
            connection.execute(
                sa.select(listings).where(*self._key(gemeentecode, kind, listing_id))
            )
            .mappings()
            .first()
        )

    def _state(self, row: Mapping[str, Any] | None, kind: str) -> dict[str, Any] | None:
        """A row as it is recorded in a change: canonical fields, retirement and version."""
        if row is None:
            return None
        state = self._record(row, kind)
        state["retired_on"] = _plain(row["retired_on"])
        state["retired_reason"] = row["retired_reason"]
        return state

    def _write(
        self,
        connection: Connection,
        changeset: int,
        gemeentecode: str,
        kind: str,
        listing_id: str,
        values: dict[str, Any] | None,
        expected_version: int | None = None,
    ) -> None:
        """Insert, update or (with ``values`` None) remove one row, and record the change."""
        row = self._current(connection, gemeentecode, kind, listing_id)
        before = self._state(row, kind)
        if expected_version is not None and row is not None and row["version"] != expected_version:
            raise StaleEdit(listing_id, expected_version, row["version"], before or {})
        key = self._key(gemeentecode, kind, listing_id)
        if values is None:
            if row is not None:
                connection.execute(listings.delete().where(*key))
            after = None
        else:
            columns = self._columns(values, kind)
            columns["changed_at"] = datetime.now(UTC)
            if row is None:
                connection.execute(
                    listings.insert().values(
                        gemeentecode=gemeentecode, kind=kind, id=listing_id, version=1, **columns
                    )
                )
            else:
                connection.execute(
                    listings.update().where(*key).values(version=row["version"] + 1, **columns)
                )
            after = self._state(self._current(connection, gemeentecode, kind, listing_id), kind)
        connection.execute(
            changes.insert().values(
                changeset_id=changeset,
                gemeentecode=gemeentecode,
                kind=kind,
                listing_id=listing_id,
                before=before,
                after=after,
            )
        )

    def _columns(self, values: Mapping[str, Any], kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for column in COLUMNS[kind]:
            if column == "id" or column not in values:
                continue
            value = _plain(values[column])
            if column in ("start_date", "end_date", "last_verified"):
                value = _date(value)
            elif column in ("layer_suggested", "geocoded"):
                value = bool(value)
            elif column == "capacity":
                value = None if value in (None, "") else int(value)
            elif value is None and column in (
                "organisation",
                "description",
                "target_groups",
                "schedule",
                "address",
            ):
                value = ""
            out[RENAMED.get(column, column)] = value
        for column in ("retired_on", "retired_reason"):
            if column in values:
                out[column] = _date(values[column]) if column == "retired_on" else values[column]
        if "x_rd" in values:
            out["x_rd"], out["y_rd"] = float(values["x_rd"]), float(values["y_rd"])
        return out

    def apply_records(
        self,
        gemeentecode: str,
        kind: str,
        records: list[dict[str, Any]],
        *,
        actor: str,
        reason: str,
        action: str = "import",
    ) -> int:
        """Insert or update every record (by id) in one transaction: all land, or none."""
        with self.transaction() as connection:
            changeset = self._open_changeset(connection, gemeentecode, action, actor, reason)
            for record in records:
                self._write(connection, changeset, gemeentecode, kind, str(record["id"]), record)
        log.info("changeset %d: %s %d %s by %s", changeset, action, len(records), kind, actor)
        return changeset

    def edit(
        self,
        gemeentecode: str,
        kind: str,
        listing_id: str,
        values: dict[str, Any],
        *,
        expected_version: int,
        actor: str,
        reason: str,
    ) -> int:
        """Change one row, only if it is still the version the edit started from."""
        with self.transaction() as connection:
            changeset = self._open_changeset(connection, gemeentecode, "bewerking", actor, reason)
            self._write(
                connection, changeset, gemeentecode, kind, listing_id, values, expected_version
            )
        return changeset

    def retire(
        self, gemeentecode: str, kind: str, listing_id: str, *, on: date, reason: str, actor: str
    ) -> int:
        """Mark a listing "gestopt": hidden from the map and the analysis, kept here."""
        with self.transaction() as connection:
            changeset = self._open_changeset(connection, gemeentecode, "gestopt", actor, reason)
            self._write(
                connection,
                changeset,
                gemeentecode,
                kind,
                listing_id,
                {"retired_on": on, "retired_reason": reason},
            )
        return changeset

    def restore(self, gemeentecode: str, kind: str, listing_id: str, *, actor: str) -> int:
        with self.transaction() as connection:
            changeset = self._open_changeset(connection, gemeentecode, "hersteld", actor, "")
            self._write(
                connection,
                changeset,
                gemeentecode,
                kind,
                listing_id,
                {"retired_on": None, "retired_reason": None},
            )
        return changeset

    def undo(self, changeset_id: int, *, actor: str) -> int:
        """Undo a whole changeset: every row it touched gets back exactly its state of before
        (a row it added is removed again), as a new changeset. Refused when a later change
        touched one of those rows, or when it was undone already."""
        with self.transaction() as connection:
            original = (
                connection.execute(sa.select(changesets).where(changesets.c.id == changeset_id))
                .mappings()
                .first()
            )
            if original is None:
                raise UnknownChangeset(f"wijzigingsset {changeset_id} bestaat niet")
            if original["undone_by"] is not None:
                raise UnknownChangeset(
                    f"wijzigingsset {changeset_id} is al ongedaan gemaakt "
                    f"(door {original['undone_by']})"
                )
            rows = (
                connection.execute(sa.select(changes).where(changes.c.changeset_id == changeset_id))
                .mappings()
                .all()
            )
            later = connection.execute(
                sa.select(changes.c.listing_id, changes.c.changeset_id).where(
                    changes.c.changeset_id > changeset_id,
                    changes.c.gemeentecode == original["gemeentecode"],
                    sa.tuple_(changes.c.kind, changes.c.listing_id).in_(
                        [(r["kind"], r["listing_id"]) for r in rows] or [("", "")]
                    ),
                )
            ).first()
            if later is not None:
                raise UnknownChangeset(
                    f"{later.listing_id} is na wijzigingsset {changeset_id} nog gewijzigd (in "
                    f"{later.changeset_id}); maak eerst die wijziging ongedaan"
                )
            undo_id = self._open_changeset(
                connection,
                original["gemeentecode"],
                "ongedaan",
                actor,
                f"ongedaan maken van wijzigingsset {changeset_id}",
            )
            for row in reversed(rows):
                before = row["before"]
                values = None if before is None else self._restorable(before)
                self._write(
                    connection,
                    undo_id,
                    row["gemeentecode"],
                    row["kind"],
                    row["listing_id"],
                    values,
                )
            connection.execute(
                changesets.update().where(changesets.c.id == changeset_id).values(undone_by=undo_id)
            )
        return undo_id

    @staticmethod
    def _restorable(state: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in state.items() if k != "version"}
        x, y = lonlat_to_rd([float(state["lon"])], [float(state["lat"])])
        values["x_rd"], values["y_rd"] = float(x[0]), float(y[0])
        return values

    # --- history -----------------------------------------------------------------------------

    def history(self, gemeentecode: str, listing_id: str) -> list[Change]:
        """Every change to one listing (any kind), oldest first."""
        query = (
            sa.select(
                changesets.c.id,
                changesets.c.action,
                changesets.c.actor,
                changesets.c.at,
                changesets.c.reason,
                changes.c.before,
                changes.c.after,
            )
            .join(changes, changes.c.changeset_id == changesets.c.id)
            .where(changes.c.gemeentecode == gemeentecode, changes.c.listing_id == listing_id)
            .order_by(changes.c.id)
        )
        with self.engine.connect() as connection:
            return [Change(*row) for row in connection.execute(query).all()]

    def changesets(self, gemeentecode: str) -> pd.DataFrame:
        """Every changeset of a gemeente, newest first, with the number of rows it changed."""
        query = (
            sa.select(
                changesets.c.id,
                changesets.c.action,
                changesets.c.actor,
                changesets.c.at,
                changesets.c.reason,
                changesets.c.undone_by,
                sa.func.count(changes.c.id).label("rows"),
            )
            .join(changes, changes.c.changeset_id == changesets.c.id, isouter=True)
            .where(changesets.c.gemeentecode == gemeentecode)
            .group_by(changesets.c.id)
            .order_by(changesets.c.id.desc())
        )
        with self.engine.connect() as connection:
            return pd.DataFrame(connection.execute(query).mappings().all())


def describe_change(change: Change) -> str:
    """One line per change: what changed, field by field."""
    if change.before is None:
        what = "toegevoegd"
    elif change.after is None:
        what = "verwijderd"
    else:
        fields = sorted(
            k
            for k in set(change.before) | set(change.after)
            if k != "version" and change.before.get(k) != change.after.get(k)
        )
        what = (
            "; ".join(
                f"{k}: {json.dumps(change.before.get(k), ensure_ascii=False)} -> "
                f"{json.dumps(change.after.get(k), ensure_ascii=False)}"
                for k in fields
            )
            or "geen verschil"
        )
    return (
        f"{change.at:%Y-%m-%d %H:%M} {change.actor} ({change.action}, {change.changeset}): {what}"
    )
