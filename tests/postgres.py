"""A throwaway PostgreSQL + PostGIS server for the tests: its own cluster in a temporary
folder, on 127.0.0.1 and a free port, stopped at the end. Under CI it must start (a missing
server is a failure, not a skip)."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

# Where a running test session's server is, for a dashboard started in a subprocess.
SERVER_VARIABLE = "SBK_TEST_POSTGRES_SERVER"
BIN = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    # initdb and postgres refuse to run as root: run them as the postgres user then.
    return ["runuser", "-u", owner, "--", *command] if owner else command


@contextmanager
def postgres_server() -> Iterator[str]:
    """The URL of a fresh database on a throwaway server."""
    if not (BIN / "initdb").exists():
        message = f"PostgreSQL not found in {BIN} (run scripts/install_postgis.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    owner = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="sbk-pg-"))
    data, sockets = folder / "data", folder / "run"
    sockets.mkdir()
    if owner:
        shutil.chown(folder, owner)
        shutil.chown(sockets, owner)
    port = _free_port()
    run = {"check": True, "capture_output": True, "timeout": 60}
    subprocess.run(
        _as_owner(
            [
                str(BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            owner,
        ),
        **run,
    )
    subprocess.run(
        _as_owner(
            [
                str(BIN / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(folder / "log"),
                "-o",
                f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ],
            owner,
        ),
        **run,
    )
    try:
        subprocess.run(
            _as_owner(
                [
                    str(BIN / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    "sbk",
                ],
                owner,
            ),
            **run,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/sbk"
    finally:
        subprocess.run(
            _as_owner([str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], owner),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


_numbers = itertools.count()
TEMPLATE = "sbk_template"


def _admin(server_url: str) -> sa.Engine:
    return sa.create_engine(server_url, isolation_level="AUTOCOMMIT")


def create_database(server_url: str, template: str | None = None) -> str:
    """A new, empty database on the server (a copy of ``template`` if given); its URL."""
    name = f"t{os.getpid()}_{next(_numbers)}"
    admin = _admin(server_url)
    try:
        with admin.connect() as connection:
            copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
            connection.exec_driver_sql(f"CREATE DATABASE {name}{copy}")
    finally:
        admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    admin = _admin(url.rsplit("/", 1)[0] + "/postgres")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(
                f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)"
            )
    finally:
        admin.dispose()


def make_template(server_url: str) -> str:
    """A database with the newest schema to copy for each test (copying is faster than
    migrating every time); returns the template's name."""
    from socialbasis.db.store import ListingDatabase

    url = server_url.rsplit("/", 1)[0] + f"/{TEMPLATE}"
    admin = _admin(server_url)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {TEMPLATE}")
        ListingDatabase(url).dispose()
    finally:
        admin.dispose()
    return TEMPLATE
