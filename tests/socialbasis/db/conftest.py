"""Every database test runs on SQLite and on PostgreSQL + PostGIS."""

from __future__ import annotations

import pytest

from socialbasis.db.store import ListingDatabase, sqlite_url
from tests.postgres import create_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    return create_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def database(database_url) -> ListingDatabase:
    db = ListingDatabase(database_url)
    yield db
    db.dispose()
