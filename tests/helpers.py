"""Small builders of valid records and settings for tests."""

from __future__ import annotations

import os
from pathlib import Path

from socialbasis.access import Identity
from socialbasis.settings import Settings, load_settings

# The tests change listings as a beheerder (the checks of who may are tested on their own).
TEST_IDENTITY = Identity(user="test", name="Test", role="beheerder", via="cli")


def database_env() -> dict[str, str]:
    """The database the test run uses (``SOCIALBASIS_DATABASE_URL``, set per test when the
    suite runs against PostgreSQL); empty: each data folder's own SQLite file."""
    return {k: v for k, v in os.environ.items() if k == "SOCIALBASIS_DATABASE_URL"}


def make_settings(tmp: Path, **overrides: object) -> Settings:
    """Settings whose folders are inside ``tmp`` (never the user's own)."""
    return load_settings(
        database_env(), data_dir=tmp / "data", cache_dir=tmp / "cache", **overrides
    )


def initiative_row(**overrides: object) -> dict[str, object]:
    """A valid initiative row with canonical column names (inside Zaanstad)."""
    row: dict[str, object] = {
        "id": "t-1",
        "name": "Buurtkoor Test",
        "organisation": "Stichting Test",
        "description": "Zingen met de buurt",
        "layer": "gemeenschappelijk",
        "support_activation": "activering",
        "individual_collective": "collectief",
        "discipline": "muziek",
        "target_groups": "ouderen",
        "cost": "gratis",
        "wheelchair": "ja",
        "schedule": "di-middag",
        "start_date": "2024-01-01",
        "end_date": "",
        "address": "Teststraat 1",
        "lat": "52.4390",
        "lon": "4.8260",
        "source": "test",
        "last_verified": "",
    }
    row.update(overrides)
    return row


def venue_row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "v-1",
        "name": "Buurthuis Test",
        "kind": "buurthuis",
        "layer": "institutioneel",
        "address": "Teststraat 2",
        "lat": "52.4390",
        "lon": "4.8270",
        "capacity": "40",
        "source": "test",
    }
    row.update(overrides)
    return row


def square_buurten(
    origins: list[tuple[float, float]], size: float = 100.0, **columns: list[object]
):
    """Square buurten of ``size`` metres at RD origins (lower-left corners), codes BU00000001..."""
    import geopandas as gpd
    from shapely.geometry import box

    codes = [f"BU{i + 1:08d}" for i in range(len(origins))]
    data = {
        "buurtcode": codes,
        "buurtnaam": [f"Buurt {i + 1}" for i in range(len(origins))],
        "wijkcode": ["WK000000"] * len(origins),
        "wijknaam": ["Wijk"] * len(origins),
        "werkgebied": ["Team"] * len(origins),
        **columns,
    }
    geometry = [box(x, y, x + size, y + size) for x, y in origins]
    return gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:28992")


def point_initiatives(
    points: list[tuple[float, float]],
    layers: list[str] | None = None,
    schedules: list[int] | None = None,
    buurtcode: str = "BU00000001",
):
    """Initiatives at RD points with the columns the analysis uses."""
    import geopandas as gpd
    from shapely.geometry import Point

    n = len(points)
    return gpd.GeoDataFrame(
        {
            "id": [f"i{i}" for i in range(n)],
            "name": [f"Activiteit {i}" for i in range(n)],
            "organisation": [""] * n,
            "layer": layers or ["gemeenschappelijk"] * n,
            "support_activation": ["activering"] * n,
            "individual_collective": ["collectief"] * n,
            "discipline": ["muziek"] * n,
            "cost": ["gratis"] * n,
            "target_groups": ["iedereen"] * n,
            "target_mask": [1] * n,
            "schedule": [""] * n,
            "schedule_mask": schedules if schedules is not None else [0] * n,
            "start_date": [None] * n,
            "end_date": [None] * n,
            "buurtcode": [buurtcode] * n,
        },
        geometry=[Point(x, y) for x, y in points],
        crs="EPSG:28992",
    )


def stored_listings(data_dir: Path, gemeente: str = "GM0479"):
    """(initiatives, venues) as stored for a data folder, read through the application core
    (the database the environment names, else the data folder's own SQLite file)."""
    return _core(data_dir, gemeente).listings()


def _core(data_dir: Path, gemeente: str = "GM0479", database_url: str | None = None):
    from socialbasis.app import SocialBasis

    env = {"SOCIALBASIS_DATABASE_URL": database_url} if database_url else database_env()
    settings = load_settings(env, data_dir=data_dir, gemeente=gemeente)
    return SocialBasis(settings, identity=TEST_IDENTITY)


def put_listings(
    data_dir: Path,
    initiatives: list[dict[str, object]],
    venues: list[dict[str, object]] = (),  # type: ignore[assignment]
    gemeente: str = "GM0479",
    database_url: str | None = None,
) -> None:
    """Store validated rows as an import would (one changeset per kind), in the data
    folder's database (or the one named)."""
    import pandas as pd

    from socialbasis.schema import records_with_rd, validate_initiatives, validate_venues

    database = _core(data_dir, gemeente, database_url).database
    for kind, rows, validate in (
        ("initiatieven", initiatives, validate_initiatives),
        ("locaties", venues, validate_venues),
    ):
        if not rows:
            continue
        result = validate(pd.DataFrame(list(rows)), "test")
        assert result.ok, [p.describe() for p in result.problems]
        records = records_with_rd(result.frame)
        database.apply_records(gemeente, kind, records, actor="test", reason="test")


def write_listings_file(
    data_dir: Path,
    initiatives: list[dict[str, object]],
    venues: list[dict[str, object]] = (),  # type: ignore[assignment]
    gemeente: str = "GM0479",
) -> Path:
    """A listings file as data folders held them before the database (``aanbod.gpkg``,
    layers initiatieven and locaties, WGS84 points, every column as text)."""
    import pandas as pd
    import pyogrio

    from socialbasis.schema import INITIATIVE_COLUMNS, VENUE_COLUMNS
    from socialbasis.storage import _as_points

    path = data_dir / gemeente / "aanbod.gpkg"
    path.parent.mkdir(parents=True, exist_ok=True)
    for layer, rows, columns in (
        ("initiatieven", initiatives, INITIATIVE_COLUMNS),
        ("locaties", venues, VENUE_COLUMNS),
    ):
        frame = pd.DataFrame(list(rows), columns=list(columns), dtype=object).fillna("")
        pyogrio.write_dataframe(
            _as_points(frame, columns), path, layer=layer, driver="GPKG", append=path.exists()
        )
    return path
