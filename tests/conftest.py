"""Shared fixtures: settings that never touch the user's folders, and the embedded data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from socialbasis.dataset import Dataset, load_dataset
from socialbasis.settings import Settings
from tests.helpers import make_settings

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


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads or writes the user's data or cache folders."""
    monkeypatch.setenv("SOCIALBASIS_DATA_DIR", str(tmp_path / "env-data"))
    monkeypatch.setenv("SOCIALBASIS_CACHE_DIR", str(tmp_path / "env-cache"))


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
