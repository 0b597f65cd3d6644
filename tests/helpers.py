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
