"""Every setting of the project, declared once: name, default, help and validation.

Settings come from environment variables ``SOCIALBASIS_<NAME>``; tests and the CLI pass
overrides to :func:`load_settings` instead of mutating anything global.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialbasis.errors import SettingsError
from socialbasis.i18n import check_language, default_language

ENV_PREFIX = "SOCIALBASIS_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "socialbasis"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "socialbasis"


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "ja", "yes", "on"}:
        return True
    if lowered in {"0", "false", "nee", "no", "off", ""}:
        return False
    raise ValueError("expected one of 1/0, true/false, ja/nee")


def _parse_positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise ValueError("expected a number above 0")
    return value


def _parse_non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("expected a whole number of 0 or more")
    return value


def _parse_positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError("expected a whole number above 0")
    return value


def _parse_url(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise ValueError("expected a URL starting with http:// or https://")
    return text.rstrip("/")


def _parse_gemeentecode(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 6 or not code.startswith("GM") or not code[2:].isdigit():
        raise ValueError("expected a CBS gemeentecode such as GM0479")
    return code


def _parse_path(text: str) -> Path:
    return Path(text).expanduser()


def _parse_optional_path(text: str) -> Path | None:
    return Path(text).expanduser() if text.strip() else None


def _parse_database_url(text: str) -> str | None:
    """Empty: the SQLite file in the data folder. PostgreSQL URLs use the psycopg driver."""
    url = text.strip()
    if not url:
        return None
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url.removeprefix(plain)
    if url.startswith(("postgresql+psycopg://", "sqlite:///")):
        return url
    raise ValueError("expected postgresql://user@host:port/database or sqlite:///path/file")


@dataclass(frozen=True)
class SettingSpec:
    name: str
    default: Callable[[], Any]
    parse: Callable[[str], Any]
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "taal",
        default_language,
        check_language,
        "Language of the dashboard, the CLI and the reports: nl (default) or en.",
    ),
    SettingSpec(
        "data_dir",
        _default_data_dir,
        _parse_path,
        "Folder where fetched data and imported listings are stored.",
    ),
    SettingSpec(
        "database_url",
        lambda: None,
        _parse_database_url,
        "Database of the listings and their history; empty: an SQLite file in the data "
        "folder. For a team: postgresql://user@host:5432/database (PostGIS).",
    ),
    SettingSpec(
        "actueel_maanden",
        lambda: 12,
        _parse_positive_int,
        "Months after which a listing that nobody checked counts as possibly out of date "
        "('Nog actueel?').",
    ),
    SettingSpec(
        "contactpersoon_publiek",
        lambda: False,
        _parse_bool,
        "Show contact persons' names to everyone, not only to people signed in (personal "
        "data: only with their consent). Exports leave them out unless asked for anyway.",
    ),
    SettingSpec(
        "verversen",
        lambda: 30,
        _parse_non_negative_int,
        "Seconds between checks of an open dashboard for changes someone else stored (the map "
        "then redraws itself); 0: only when the user does something.",
    ),
    SettingSpec(
        "cache_dir", _default_cache_dir, _parse_path, "Folder of the HTTP cache of the loaders."
    ),
    SettingSpec(
        "gemeente",
        lambda: "GM0479",
        _parse_gemeentecode,
        "Gemeente the dashboard and CLI open with (CBS code).",
    ),
    SettingSpec(
        "jaar",
        lambda: 2020,
        int,
        "Vintage year of the boundaries and key figures to open with (the embedded default: "
        "Zaanstad 2020 with CBS key figures; 2024 has boundaries only).",
    ),
    SettingSpec(
        "werkgebieden",
        lambda: None,
        _parse_optional_path,
        "A CSV mapping wijkcode/buurtcode to werkgebied that replaces the default.",
    ),
    SettingSpec(
        "offline", lambda: False, _parse_bool, "Use only the HTTP cache; never contact a service."
    ),
    SettingSpec(
        "http_timeout",
        lambda: 30.0,
        _parse_positive_float,
        "Seconds to wait for a service before giving up on one attempt.",
    ),
    SettingSpec(
        "http_retries",
        lambda: 4,
        _parse_non_negative_int,
        "Retries on connection errors, 429 and 5xx, with exponential backoff.",
    ),
    SettingSpec(
        "http_backoff",
        lambda: 1.0,
        _parse_positive_float,
        "Backoff factor in seconds between retries (1, 2, 4, ... times this).",
    ),
    SettingSpec(
        "http_retry_after_max",
        lambda: 30.0,
        _parse_positive_float,
        "Longest wait in seconds when a service answers 429/503 with Retry-After.",
    ),
    SettingSpec(
        "http_deadline",
        lambda: 120.0,
        _parse_positive_float,
        "Seconds one whole answer may take to arrive (a service that drips bytes is cut off).",
    ),
    SettingSpec(
        "http_max_bytes",
        lambda: 200_000_000,
        _parse_positive_int,
        "Largest answer in bytes that a loader accepts.",
    ),
    SettingSpec(
        "fetch_step_deadline",
        lambda: 600.0,
        _parse_positive_float,
        "Seconds one step of 'socialbasis fetch' may take in all, retries included.",
    ),
    SettingSpec(
        "user_agent",
        lambda: "sociale-basis-kaart/0.1 (+open source)",
        str,
        "User-Agent sent to every service.",
    ),
    SettingSpec(
        "pdok_url",
        lambda: "https://api.pdok.nl/cbs",
        _parse_url,
        "Base of the PDOK OGC API for CBS wijken en buurten; the dataset "
        "'wijken-en-buurten-<jaar>/ogc/v1' is appended.",
    ),
    SettingSpec(
        "cbs_odata_url",
        lambda: "https://opendata.cbs.nl/ODataApi/odata",
        _parse_url,
        "Base of CBS StatLine OData v3 (Kerncijfers wijken en buurten).",
    ),
    SettingSpec(
        "rivm_odata_url",
        lambda: "https://dataderden.cbs.nl/ODataApi/odata",
        _parse_url,
        "Base of the OData v3 service holding RIVM 'Gezondheid per wijk en buurt'.",
    ),
    SettingSpec(
        "overpass_url",
        lambda: "https://overpass-api.de/api/interpreter",
        _parse_url,
        "OpenStreetMap Overpass API interpreter endpoint.",
    ),
    SettingSpec(
        "locatieserver_url",
        lambda: "https://api.pdok.nl/bzk/locatieserver/search/v3_1",
        _parse_url,
        "Base of the PDOK Locatieserver; '/free' is appended.",
    ),
    SettingSpec(
        "tile_url",
        lambda: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        str,
        "Background map tiles (XYZ template).",
    ),
    SettingSpec(
        "tile_attribution",
        lambda: (
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap-bijdragers</a>'
        ),
        str,
        "Attribution shown for the background tiles.",
    ),
)


@dataclass(frozen=True)
class Settings:
    taal: str
    data_dir: Path
    database_url: str | None
    actueel_maanden: int
    contactpersoon_publiek: bool
    verversen: int
    cache_dir: Path
    gemeente: str
    jaar: int
    werkgebieden: Path | None
    offline: bool
    http_timeout: float
    http_retries: int
    http_backoff: float
    http_retry_after_max: float
    http_deadline: float
    http_max_bytes: int
    fetch_step_deadline: float
    user_agent: str
    pdok_url: str
    cbs_odata_url: str
    rivm_odata_url: str
    overpass_url: str
    locatieserver_url: str
    tile_url: str
    tile_attribution: str


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from ``env`` (default: the process environment) plus explicit overrides.

    Unknown ``SOCIALBASIS_*`` variables and unknown override names are refused, so that a
    typo never silently falls back to a default.
    """
    env = os.environ if env is None else env
    specs = {spec.name: spec for spec in SPECS}
    unknown_env = sorted(
        key
        for key in env
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX) :].lower() not in specs
    )
    if unknown_env:
        raise SettingsError(
            f"Unknown setting(s) {', '.join(unknown_env)}; known: "
            + ", ".join(spec.env for spec in SPECS)
        )
    unknown = sorted(set(overrides) - set(specs))
    if unknown:
        raise SettingsError(f"Unknown setting(s) {', '.join(unknown)}; known: {', '.join(specs)}")
    values: dict[str, Any] = {}
    for spec in SPECS:
        if spec.name in overrides:
            # An override is checked exactly like the environment variable it stands for.
            value = overrides[spec.name]
            text = "" if value is None else str(value)
            try:
                values[spec.name] = spec.parse(text)
            except ValueError as exc:
                raise SettingsError(f"{spec.name}={text!r}: {exc}") from exc
        elif spec.env in env:
            try:
                values[spec.name] = spec.parse(env[spec.env])
            except ValueError as exc:
                raise SettingsError(f"{spec.env}={env[spec.env]!r}: {exc}") from exc
        else:
            values[spec.name] = spec.default()
    return Settings(**values)
