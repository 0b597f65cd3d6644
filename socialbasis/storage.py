"""Where data lives: GeoPackage files (SQLite) under the data folder.

    <data_dir>/<GM>/aanbod.gpkg          imported listings: layers initiatieven, locaties
    <data_dir>/<GM>_<jaar>/gebied.gpkg   fetched boundaries, key figures, OSM venues, provenance

Listings and fetched data are kept apart so that fetching never touches what users entered.
Every write goes to a temporary file first and replaces the old file only when complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from socialbasis.errors import DataFileError, ValidationFailed
from socialbasis.geo import WGS84
from socialbasis.schema import (
    INITIATIVE_COLUMNS,
    VENUE_COLUMNS,
    ValidationResult,
    validate_initiatives,
    validate_venues,
)

LISTINGS_FILE = "aanbod.gpkg"
INITIATIVES_LAYER = "initiatieven"
VENUES_LAYER = "locaties"


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target`` that replaces it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    temporary = Path(name)
    temporary.unlink()  # GDAL wants to create the file itself
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def _as_text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Canonical columns as text, the way they are validated on the way back in."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        out[column] = [
            ""
            if value is None or (not isinstance(value, str) and pd.isna(value))
            else value.isoformat()
            if hasattr(value, "isoformat")
            else str(value)
            for value in values
        ]
    return out


@dataclass(frozen=True)
class Store:
    """The data folder."""

    root: Path

    def listings_path(self, gemeentecode: str) -> Path:
        return self.root / gemeentecode / LISTINGS_FILE

    def geography_path(self, gemeentecode: str, year: int) -> Path:
        return self.root / f"{gemeentecode}_{year}" / "gebied.gpkg"

    def has_listings(self, gemeentecode: str) -> bool:
        return self.listings_path(gemeentecode).is_file()

    def read_listings(self, gemeentecode: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        """Stored initiatives and venues, validated again (a file may have been edited)."""
        path = self.listings_path(gemeentecode)
        layers = {name for name, _ in pyogrio.list_layers(path)} if path.is_file() else set()
        results: list[ValidationResult] = []
        for layer, columns, validate in (
            (INITIATIVES_LAYER, INITIATIVE_COLUMNS, validate_initiatives),
            (VENUES_LAYER, VENUE_COLUMNS, validate_venues),
        ):
            rows = (
                pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
                if layer in layers
                else pd.DataFrame(columns=list(columns))
            )
            rows = rows.astype(str).replace({"None": "", "nan": ""})
            result = validate(rows, f"{path.name}:{layer}", row_numbers=range(1, len(rows) + 1))
            if not result.ok:
                raise ValidationFailed(result.problems)
            results.append(result)
        return results[0].frame, results[1].frame

    def write_listings(
        self, gemeentecode: str, initiatives: pd.DataFrame, venues: pd.DataFrame
    ) -> Path:
        """Replace the stored listings of a gemeente with these (atomically).

        Points are stored in WGS84 so the file opens as a map layer in QGIS; the ``lat`` and
        ``lon`` columns stay the canonical values.
        """
        target = self.listings_path(gemeentecode)
        with atomic_path(target) as temporary:
            for layer, frame, columns in (
                (INITIATIVES_LAYER, initiatives, INITIATIVE_COLUMNS),
                (VENUES_LAYER, venues, VENUE_COLUMNS),
            ):
                text = _as_text(frame, columns)
                points = gpd.GeoDataFrame(
                    text,
                    geometry=gpd.points_from_xy(
                        pd.to_numeric(text["lon"]), pd.to_numeric(text["lat"])
                    ),
                    crs=WGS84,
                )
                try:
                    pyogrio.write_dataframe(
                        points, temporary, layer=layer, driver="GPKG", append=temporary.exists()
                    )
                except pyogrio.errors.DataSourceError as exc:
                    raise DataFileError(str(target), f"kan niet schrijven: {exc}") from exc
        return target
