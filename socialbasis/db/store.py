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
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from socialbasis.db.tables import changes, changesets, listings
from socialbasis.errors import SocialBasisError
from socialbasis.geo import lonlat_to_rd
from socialbasis.i18n import _
from socialbasis.schema import INITIATIVE_COLUMNS, VENUE_COLUMNS

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
DATABASE_FILE = "sociale_basis.sqlite"
_FEW = 500  # ids looked up by id; more: one read of the gemeente's rows
WRITING = "socialbasis_writing"  # marks a connection's transaction as a write (SQLite)
COLUMNS = {"initiatieven": INITIATIVE_COLUMNS, "locaties": VENUE_COLUMNS}
# Canonical column -> database column where they differ ("kind" is the table's own key).
RENAMED = {"kind": "kind_of_venue"}


class StaleEdit(SocialBasisError):
    """An edit based on an old version of a row: someone else changed it meanwhile."""

    def __init__(self, listing_id: str, expected: int, found: int, current: dict[str, Any]):
        self.listing_id = listing_id
        self.expected = expected
        self.found = found
        self.current = current
        super().__init__(
            _(
                "{listing_id} is intussen door iemand anders gewijzigd (versie {found}, uw "
                "bewerking ging uit van versie {expected}); er is niets overschreven"
            ).format(listing_id=listing_id, found=found, expected=expected)
        )


class StaleImport(StaleEdit):
    """An import checked against rows that someone changed before it was written."""

    def __init__(self, listing_ids: list[str]):
        self.listing_ids = listing_ids
        shown = ", ".join(listing_ids[:5])
        if len(listing_ids) > 5:
            shown += _(" en {value} meer").format(value=len(listing_ids) - 5)
        SocialBasisError.__init__(
            self,
            _(
                "{count} rij(en) zijn na de controle door iemand anders gewijzigd ({shown}); "
                "er is niets opgeslagen. Controleer het bestand opnieuw."
            ).format(count=len(listing_ids), shown=shown),
        )


@dataclass(frozen=True)
class Applied:
    """What one changeset of an import did."""

    changeset: int
    added: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return _("{added} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd").format(
            added=self.added, updated=self.updated, unchanged=self.unchanged
        )


class UnknownChangeset(SocialBasisError):
    pass


class UnknownListing(SocialBasisError):
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
            # Readers never wait for the write lock (WAL lets them read during a write).
            write = connection.info.get(WRITING, False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction: all of it lands, or none of it. On SQLite it takes the write
    lock at its start (see ``make_engine``)."""
    with engine.connect() as connection:
        connection.info[WRITING] = True
        try:
            with connection.begin():
                yield connection
        finally:
            connection.info.pop(WRITING, None)


# Any number, the same in every process: PostgreSQL serialises schema upgrades on it.
_MIGRATION_LOCK = 4_790_479


# The newest schema revision (the last file in migrations/versions; a test checks it).
HEAD_REVISION = "0004"


def _revision(engine: Engine) -> str | None:
    """The schema revision the database has, or None before the first migration."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (creates it on first use). Two processes
    starting at once upgrade one after the other; the second finds nothing to do. A
    database that is already up to date is recognised without loading Alembic (a faster
    start)."""
    if _revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with write_transaction(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
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


def _dates(column: pd.Series) -> pd.Series:
    """ISO text (SQLite) or dates (PostgreSQL) as ``datetime.date`` or None, in an object
    column; each distinct value is converted once."""
    values = [None if v is None or v is pd.NA or v != v else v for v in column]  # NaN != NaN
    distinct = {v: _date(v) for v in set(values) if v is not None}
    return pd.Series(
        [None if v is None else distinct[v] for v in values], index=column.index, dtype=object
    )


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _with_rd(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records with RD coordinates, computed at once for those without."""
    missing = [i for i, r in enumerate(records) if "x_rd" not in r]
    if not missing:
        return records
    lon = [float(records[i]["lon"]) for i in missing]
    lat = [float(records[i]["lat"]) for i in missing]
    out = list(records)
    for i, x, y in zip(missing, *lonlat_to_rd(lon, lat), strict=True):
        out[i] = records[i] | {"x_rd": float(x), "y_rd": float(y)}
    return out


# Which changeset, what kind of change, by whom, when and why.
_ABOUT_A_CHANGESET = (
    changesets.c.id,
    changesets.c.action,
    changesets.c.actor,
    changesets.c.at,
    changesets.c.reason,
)


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

    def transaction(self) -> AbstractContextManager[Connection]:
        return write_transaction(self.engine)

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

    def frame(self, gemeentecode: str, kind: str) -> pd.DataFrame:
        """The current (not retired) rows of one gemeente and kind as a table: canonical
        columns plus ``version``, ``x_rd`` and ``y_rd``, ordered by id. No validation: the
        database's constraints are the check on the way out. Read through the driver
        (the map loads this on every start), then dates and flags are made alike for
        SQLite (text, 0/1) and PostgreSQL (date, bool)."""
        columns = [listings.c[RENAMED.get(c, c)].label(c) for c in COLUMNS[kind]]
        query = (
            sa.select(*columns, listings.c.version, listings.c.x_rd, listings.c.y_rd)
            .where(
                listings.c.gemeentecode == sa.bindparam("g"),
                listings.c.kind == sa.bindparam("k"),
                listings.c.retired_on.is_(None),
            )
            .order_by(listings.c.id)
        )
        compiled = query.compile(dialect=self.engine.dialect)
        params = compiled.construct_params({"g": gemeentecode, "k": kind})
        arguments = (
            tuple(params[name] for name in compiled.positiontup) if compiled.positional else params
        )
        with self.engine.connect() as connection:
            cursor = connection.connection.cursor()  # the driver's own: plain tuples
            try:
                cursor.execute(compiled.string, arguments)
                names = [d[0] for d in cursor.description]
                frame = pd.DataFrame.from_records(cursor.fetchall(), columns=names)
            finally:
                cursor.close()
        for column in ("start_date", "end_date", "last_verified"):
            if column in frame:
                frame[column] = _dates(frame[column])
        for column in ("layer_suggested", "geocoded"):
            frame[column] = frame[column].astype(bool)
        if "capacity" in frame:
            frame["capacity"] = frame["capacity"].astype("Int64")
        return frame

    def revision(self, gemeentecode: str) -> int:
        """The newest changeset of a gemeente (0: none): a view built on an older revision
        is out of date, whoever made the change."""
        query = sa.select(sa.func.max(changesets.c.id)).where(
            changesets.c.gemeentecode == gemeentecode
        )
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar() or 0)

    def counts(self, gemeentecode: str) -> dict[str, int]:
        """Stored rows per kind (retired ones included)."""
        query = (
            sa.select(listings.c.kind, sa.func.count())
            .where(listings.c.gemeentecode == gemeentecode)
            .group_by(listings.c.kind)
        )
        with self.engine.connect() as connection:
            return {kind: int(n) for kind, n in connection.execute(query).all()}

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

    def _update_one(
        self,
        connection: Connection,
        changeset: int,
        gemeentecode: str,
        kind: str,
        listing_id: str,
        values: dict[str, Any],
        expected_version: int | None = None,
    ) -> None:
        """Change some fields of one stored row, and record the change."""
        row = self._current(connection, gemeentecode, kind, listing_id)
        if row is None:
            noun = "activiteit" if kind == "initiatieven" else "locatie"
            raise UnknownListing(
                _("er is geen {noun} met id {listing_id!r} in {gemeentecode}").format(
                    noun=noun, listing_id=listing_id, gemeentecode=gemeentecode
                )
            )
        before = self._state(row, kind)
        if expected_version is not None and row["version"] != expected_version:
            raise StaleEdit(listing_id, expected_version, row["version"], before or {})
        if "lat" in values or "lon" in values:  # a moved listing: its RD point moves too
            place = {"lat": row["lat"], "lon": row["lon"]} | values
            values = values | _with_rd([{"lat": place["lat"], "lon": place["lon"]}])[0]
        columns = self._columns(values, kind)
        columns["changed_at"] = datetime.now(UTC)
        key = self._key(gemeentecode, kind, listing_id)
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
        expected_versions: Mapping[str, int | None] | None = None,
    ) -> Applied:
        """Insert or update every record (by id) in one transaction: all land, or none.

        A record equal to the stored row changes nothing (and is not recorded). With
        ``expected_versions`` (id -> the version the records were checked against, None for
        "was not there"), a row someone else changed meanwhile refuses the whole set."""
        with self.transaction() as connection:
            changeset = self._open_changeset(connection, gemeentecode, action, actor, reason)
            current = self._current_many(
                connection, gemeentecode, kind, [str(r["id"]) for r in records]
            )
            if expected_versions is not None:
                self._refuse_stale(current, expected_versions)
            added, updated = self._write_many(
                connection, changeset, gemeentecode, kind, records, current
            )
        applied = Applied(changeset, added, updated, len(records) - added - updated)
        log.info("changeset %d: %s %s by %s: %s", changeset, action, kind, actor, applied)
        return applied

    def _write_many(
        self,
        connection: Connection,
        changeset: int,
        gemeentecode: str,
        kind: str,
        records: list[dict[str, Any]],
        current: Mapping[str, Mapping[str, Any]],
        removals: tuple[str, ...] = (),
    ) -> tuple[int, int]:
        """Write whole records (insert or update by id) and remove rows, in bulk, each with
        its change record; a record equal to its stored row is left alone. A record without
        retirement fields keeps the stored row's. Returns (added, updated)."""
        now = datetime.now(UTC)
        inserts, updates, recorded = [], [], []
        for record in _with_rd(records):
            listing_id = str(record["id"])
            columns = self._columns(record, kind)
            row = current.get(listing_id)
            before = self._state(row, kind)
            if row is None:
                version = 1
                inserts.append(
                    {"gemeentecode": gemeentecode, "kind": kind, "id": listing_id}
                    | {"version": version, "changed_at": now, **columns}
                )
            elif all(row[k] == v for k, v in columns.items()):
                continue
            else:
                version = row["version"] + 1
                updates.append(
                    {"b_id": listing_id, "version": version, "changed_at": now, **columns}
                )
            after = self._state_of(listing_id, columns, kind) | {"version": version}
            for field_name in ("retired_on", "retired_reason"):
                if field_name not in columns:
                    after[field_name] = before[field_name] if before else None
            recorded.append((listing_id, before, after))
        key = (
            listings.c.gemeentecode == gemeentecode,
            listings.c.kind == kind,
            listings.c.id == sa.bindparam("b_id"),
        )
        if inserts:
            connection.execute(listings.insert(), inserts)
        if updates:
            connection.execute(listings.update().where(*key), updates)
        removed = [i for i in removals if i in current]
        if removed:
            connection.execute(listings.delete().where(*key), [{"b_id": i} for i in removed])
            recorded += [(i, self._state(current[i], kind), None) for i in removed]
        if recorded:
            connection.execute(
                changes.insert(),
                [
                    {"changeset_id": changeset, "gemeentecode": gemeentecode, "kind": kind}
                    | {"listing_id": listing_id, "before": before, "after": after}
                    for listing_id, before, after in recorded
                ],
            )
        return len(inserts), len(updates)

    def _current_many(
        self, connection: Connection, gemeentecode: str, kind: str, ids: list[str]
    ) -> dict[str, Mapping[str, Any]]:
        """The stored rows of these ids: looked up by id for a few, else one read of the
        gemeente's rows of this kind (linear; many lookups by id lists are not)."""
        base = sa.select(listings).where(
            listings.c.gemeentecode == gemeentecode, listings.c.kind == kind
        )
        if len(ids) <= _FEW:
            rows = connection.execute(base.where(listings.c.id.in_(ids))).mappings()
            return {row["id"]: row for row in rows}
        wanted = set(ids)
        return {
            row["id"]: row for row in connection.execute(base).mappings() if row["id"] in wanted
        }

    @staticmethod
    def _refuse_stale(
        current: Mapping[str, Mapping[str, Any]], expected: Mapping[str, int | None]
    ) -> None:
        changed = [
            listing_id
            for listing_id, version in expected.items()
            if (current[listing_id]["version"] if listing_id in current else None) != version
        ]
        if changed:
            raise StaleImport(changed)

    def _state_of(self, listing_id: str, columns: Mapping[str, Any], kind: str) -> dict[str, Any]:
        """The recorded state of a row written with these database values."""
        state = {c: _plain(columns.get(RENAMED.get(c, c))) for c in COLUMNS[kind]}
        state["id"] = listing_id
        return state

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
        return self._change_one(
            gemeentecode, kind, listing_id, "bewerking", actor, reason, values, expected_version
        )

    def retire(
        self, gemeentecode: str, kind: str, listing_id: str, *, on: date, reason: str, actor: str
    ) -> int:
        """Mark a listing "gestopt": hidden from the map and the analysis, kept here."""
        values = {"retired_on": on, "retired_reason": reason}
        return self._change_one(gemeentecode, kind, listing_id, "gestopt", actor, reason, values)

    def restore(self, gemeentecode: str, kind: str, listing_id: str, *, actor: str) -> int:
        values = {"retired_on": None, "retired_reason": None}
        return self._change_one(gemeentecode, kind, listing_id, "hersteld", actor, "", values)

    def _change_one(
        self,
        gemeentecode: str,
        kind: str,
        listing_id: str,
        action: str,
        actor: str,
        reason: str,
        values: dict[str, Any],
        expected_version: int | None = None,
    ) -> int:
        """One stored row changed as its own changeset."""
        with self.transaction() as connection:
            changeset = self._open_changeset(connection, gemeentecode, action, actor, reason)
            self._update_one(
                connection, changeset, gemeentecode, kind, listing_id, values, expected_version
            )
        return changeset

    def undo(self, changeset_id: int, *, actor: str, gemeentecode: str | None = None) -> int:
        """Undo a whole changeset: every row it touched gets back exactly its state of before
        (a row it added is removed again), as a new changeset. Refused when a later change
        that still stands touched one of those rows (a later changeset that was undone, and
        its undo, do not count), or when it was undone already."""
        with self.transaction() as connection:
            original = (
                connection.execute(sa.select(changesets).where(changesets.c.id == changeset_id))
                .mappings()
                .first()
            )
            if original is None or gemeentecode not in (None, original["gemeentecode"]):
                where = (
                    _(" in {gemeentecode}").format(gemeentecode=gemeentecode)
                    if gemeentecode
                    else ""
                )
                raise UnknownChangeset(
                    _("wijzigingsset {changeset_id} bestaat niet{where}").format(
                        changeset_id=changeset_id, where=where
                    )
                )
            if original["undone_by"] is not None:
                raise UnknownChangeset(
                    _(
                        "wijzigingsset {changeset_id} is al ongedaan gemaakt (door {undone_by})"
                    ).format(changeset_id=changeset_id, undone_by=original["undone_by"])
                )
            rows = (
                connection.execute(sa.select(changes).where(changes.c.changeset_id == changeset_id))
                .mappings()
                .all()
            )
            touched = {(r["kind"], r["listing_id"]) for r in rows}
            later_changes = connection.execute(
                sa.select(changes.c.kind, changes.c.listing_id, changes.c.changeset_id).where(
                    changes.c.changeset_id > changeset_id,
                    changes.c.gemeentecode == original["gemeentecode"],
                )
            )
            # A later changeset that was undone, and the undo of it, cancel out.
            undone_later = connection.execute(
                sa.select(changesets.c.id, changesets.c.undone_by).where(
                    changesets.c.id > changeset_id,
                    changesets.c.gemeentecode == original["gemeentecode"],
                    changesets.c.undone_by.is_not(None),
                )
            ).all()
            cancelled = {i for pair in undone_later for i in pair}
            later = next(
                (
                    c
                    for c in later_changes
                    if (c.kind, c.listing_id) in touched and c.changeset_id not in cancelled
                ),
                None,
            )
            if later is not None:
                raise UnknownChangeset(
                    _(
                        "{listing_id} is na wijzigingsset {changeset_id} nog gewijzigd (in "
                        "{changeset_id2}); maak eerst die wijziging ongedaan"
                    ).format(
                        listing_id=later.listing_id,
                        changeset_id=changeset_id,
                        changeset_id2=later.changeset_id,
                    )
                )
            undo_id = self._open_changeset(
                connection,
                original["gemeentecode"],
                "ongedaan",
                actor,
                f"ongedaan maken van wijzigingsset {changeset_id}",
            )
            for kind in sorted({r["kind"] for r in rows}):
                of_kind = [r for r in rows if r["kind"] == kind]
                restored = [self._restorable(r["before"]) for r in of_kind if r["before"]]
                removals = tuple(r["listing_id"] for r in of_kind if r["before"] is None)
                current = self._current_many(
                    connection, original["gemeentecode"], kind, [r["listing_id"] for r in of_kind]
                )
                self._write_many(
                    connection,
                    undo_id,
                    original["gemeentecode"],
                    kind,
                    restored,
                    current,
                    removals,
                )
            connection.execute(
                changesets.update().where(changesets.c.id == changeset_id).values(undone_by=undo_id)
            )
        return undo_id

    @staticmethod
    def _restorable(state: dict[str, Any]) -> dict[str, Any]:
        """A recorded state as a record to write (RD coordinates are computed on writing)."""
        return {k: v for k, v in state.items() if k != "version"}

    # --- history -----------------------------------------------------------------------------

    def history(self, gemeentecode: str, listing_id: str) -> list[Change]:
        """Every change to one listing (any kind), oldest first."""
        query = (
            sa.select(*_ABOUT_A_CHANGESET, changes.c.before, changes.c.after)
            .join(changes, changes.c.changeset_id == changesets.c.id)
            .where(changes.c.gemeentecode == gemeentecode, changes.c.listing_id == listing_id)
            .order_by(changes.c.id)
        )
        with self.engine.connect() as connection:
            return [Change(*row) for row in connection.execute(query).all()]

    def last_checks(self, gemeentecode: str, kind: str) -> dict[str, tuple[str, datetime]]:
        """Per listing: who last set its "last checked" date, and when (an import that
        brought the date, or a "klopt nog")."""
        moved = sa.func.coalesce(
            sa.cast(changes.c.after["last_verified"].as_string(), sa.Text), ""
        ) != sa.func.coalesce(sa.cast(changes.c.before["last_verified"].as_string(), sa.Text), "")
        query = (
            sa.select(changes.c.listing_id, changesets.c.actor, changesets.c.at)
            .join(changesets, changes.c.changeset_id == changesets.c.id)
            .where(
                changes.c.gemeentecode == gemeentecode,
                changes.c.kind == kind,
                changes.c.after.is_not(None),
                moved,
            )
            .order_by(changes.c.id)
        )
        with self.engine.connect() as connection:
            return {row.listing_id: (row.actor, row.at) for row in connection.execute(query)}

    def changes_since(self, gemeentecode: str, since: datetime) -> pd.DataFrame:
        """Every change to a gemeente's listings from ``since`` on, oldest first: who, when,
        what (action, reason), which listing, and its state before and after."""
        query = (
            sa.select(
                changesets.c.id.label("changeset"),
                changesets.c.at,
                changesets.c.actor,
                changesets.c.action,
                changesets.c.reason,
                changesets.c.undone_by,
                changes.c.kind,
                changes.c.listing_id.label("id"),
                changes.c.before,
                changes.c.after,
            )
            .join(changes, changes.c.changeset_id == changesets.c.id)
            .where(changesets.c.gemeentecode == gemeentecode, changesets.c.at >= since)
            .order_by(changes.c.id)
        )
        columns = ["changeset", "at", "actor", "action", "reason", "undone_by", "kind", "id"]
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return pd.DataFrame([dict(row) for row in rows], columns=[*columns, "before", "after"])

    def changesets(self, gemeentecode: str, only: int | None = None) -> pd.DataFrame:
        """Every changeset of a gemeente (or the one numbered ``only``), newest first, with the
        number of rows it changed."""
        query = (
            sa.select(
                *_ABOUT_A_CHANGESET,
                changesets.c.undone_by,
                sa.func.count(changes.c.id).label("rows"),
            )
            .join(changes, changes.c.changeset_id == changesets.c.id, isouter=True)
            .where(changesets.c.gemeentecode == gemeentecode)
            .where(changesets.c.id == only if only is not None else sa.true())
            .group_by(changesets.c.id)
            .order_by(changesets.c.id.desc())
        )
        with self.engine.connect() as connection:
            return pd.DataFrame(connection.execute(query).mappings().all())


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The fields a change altered (the row's version number aside), sorted."""
    return sorted(
        k for k in set(before) | set(after) if k != "version" and before.get(k) != after.get(k)
    )


def describe_change(change: Change) -> str:
    """One line per change: what changed, field by field."""
    if change.before is None:
        what = _("toegevoegd")
    elif change.after is None:
        what = _("verwijderd")
    else:
        fields = changed_fields(change.before, change.after)
        what = "; ".join(
            f"{k}: {json.dumps(change.before.get(k), ensure_ascii=False)} -> "
            f"{json.dumps(change.after.get(k), ensure_ascii=False)}"
            for k in fields
        ) or _("geen verschil")
    return (
        f"{change.at:%Y-%m-%d %H:%M} {change.actor} ({change.action}, {change.changeset}): {what}"
    )
