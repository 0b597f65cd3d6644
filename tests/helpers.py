"""Small builders of valid records and settings for tests."""

from __future__ import annotations

from pathlib import Path

from socialbasis.settings import Settings, load_settings


def make_settings(tmp: Path, **overrides: object) -> Settings:
    """Settings whose folders are inside ``tmp`` (never the user's own)."""
    return load_settings({}, data_dir=tmp / "data", cache_dir=tmp / "cache", **overrides)


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
