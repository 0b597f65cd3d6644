"""The database of listings, venues and their history (SQLAlchemy 2, Alembic migrations).

SQLite in the data folder by default; PostgreSQL with PostGIS for a team
(``SOCIALBASIS_DATABASE_URL``).
"""

from __future__ import annotations

import threading

from socialbasis.db.store import ListingDatabase

_open: dict[str, ListingDatabase] = {}
_lock = threading.Lock()


def open_database(url: str) -> ListingDatabase:
    """One database object (engine and connection pool) per URL and process; created and
    migrated to the newest schema on first use."""
    with _lock:
        if url not in _open:
            _open[url] = ListingDatabase(url)
        return _open[url]


def close_databases() -> None:
    """Close every open database (their connections go back to the server)."""
    with _lock:
        for database in _open.values():
            database.dispose()
        _open.clear()
