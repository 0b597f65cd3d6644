"""Every database test runs on SQLite and on PostgreSQL + PostGIS."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from socialbasis.db.store import ListingDatabase, sqlite_url

_numbers = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    server = request.getfixturevalue("postgres_url")
    name = f"t{next(_numbers)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def database(database_url) -> ListingDatabase:
    db = ListingDatabase(database_url)
    yield db
    db.dispose()
