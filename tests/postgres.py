"""A throwaway PostgreSQL + PostGIS server for the tests: its own cluster in a temporary
folder, on 127.0.0.1 and a free port, stopped at the end. Under CI it must start (a missing
server is a failure, not a skip)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

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
