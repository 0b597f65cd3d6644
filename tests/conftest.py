"""Shared fixtures: settings that never touch the user's folders, and the embedded data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from socialbasis.dataset import Dataset, load_dataset
from socialbasis.db import close_databases
from socialbasis.settings import Settings
from tests.helpers import make_settings
from tests.postgres import SERVER_VARIABLE

# The test command must give the same verdict on every run, so property tests draw the same
# examples each time; HYPOTHESIS_PROFILE=explore draws new ones to hunt for bugs.
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(make_settings(tmp_path_factory.mktemp("embedded"), jaar=2024))


@pytest.fixture(scope="session")
def embedded2020(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The default: Zaanstad 2020 with the CBS key figures."""
    return load_dataset(make_settings(tmp_path_factory.mktemp("embedded2020")))


# SBK_TEST_DATABASE=postgresql runs the whole suite with the listings in PostgreSQL
# (a fresh database per test on a throwaway server); by default each data folder has its
# own SQLite file, as for a user.
ON_POSTGRES = os.environ.get("SBK_TEST_DATABASE", "sqlite") == "postgresql"


@pytest.fixture(scope="session")
def _postgres_template(postgres_url: str) -> str:
    from tests.postgres import make_template

    os.environ[SERVER_VARIABLE] = postgres_url  # for the dashboards the tests start
    return make_template(postgres_url)


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[None]:
    """No test reads or writes the user's data or cache folders, or another test's data."""
    monkeypatch.setenv("SOCIALBASIS_DATA_DIR", str(tmp_path / "env-data"))
    monkeypatch.setenv("SOCIALBASIS_CACHE_DIR", str(tmp_path / "env-cache"))
    monkeypatch.delenv("SOCIALBASIS_DATABASE_URL", raising=False)
    url = None
    if ON_POSTGRES:
        from tests.postgres import create_database

        template = request.getfixturevalue("_postgres_template")
        url = create_database(request.getfixturevalue("postgres_url"), template)
        monkeypatch.setenv("SOCIALBASIS_DATABASE_URL", url)
    yield
    close_databases()
    if url is not None:
        from tests.postgres import drop_database

        drop_database(url)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures tests measured (``record_property``), e.g. time to first render."""
    figures = [
        (name, value)
        for report in terminalreporter.stats.get("passed", [])
        for name, value in getattr(report, "user_properties", [])
    ]
    if figures:
        terminalreporter.section("measured")
        for name, value in figures:
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture(scope="session")
def postgres_url():
    """A database on a throwaway PostgreSQL + PostGIS server (started once per test run)."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url
