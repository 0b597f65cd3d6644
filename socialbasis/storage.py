"""Where data lives: GeoPackage files (SQLite) under the data folder.

    <data_dir>/sociale_basis.sqlite      listings and their history (see socialbasis.db)
    <data_dir>/<GM>/bevolking.gpkg       residents per CBS 100 m square (layer vierkanten)
    <data_dir>/<GM>/werkgebieden.csv     the gemeente's own werkgebied mapping
    <data_dir>/<GM>_<jaar>/gebied.gpkg   fetched boundaries, key figures, OSM venues, provenance

What users enter lives in the database; what is fetched stays in files, one per gemeente and
year, replaced whole by the next fetch: it is derived data with a source and a date, not
edited by anyone, and a GeoPackage per vintage opens directly in QGIS. Every write goes to a
temporary file first and replaces the old file only when complete.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from socialbasis.analysis.network import WalkNetwork
from socialbasis.errors import DataFileError, ValidationFailed
from socialbasis.figures import FIGURE_COLUMNS
from socialbasis.geo import RD, WGS84
from socialbasis.i18n import _
from socialbasis.population import POPULATION_COLUMN, SECRET_COLUMN, PopulationGrid
from socialbasis.schema import (
    INITIATIVE_COLUMNS,
    VENUE_COLUMNS,
    ValidationResult,
    validate_initiatives,
    validate_venues,
)

LISTINGS_FILE = "aanbod.gpkg"  # listings of before the database; moved in once
INITIATIVES_LAYER = "initiatieven"
VENUES_LAYER = "locaties"
GEOGRAPHY_FILE = "gebied.gpkg"
MAPPING_FILE = "werkgebieden.csv"
POPULATION_FILE = "bevolking.gpkg"
NETWORK_FILE = "loopnetwerk.npz"
GEOGRAPHY_DIR = re.compile(r"^(GM\d{4})_(\d{4})$")


@dataclass(frozen=True)
class StoredGeography:
    """What ``socialbasis fetch`` stores for one gemeente and year."""

    gemeentecode: str
    year: int
    buurten: gpd.GeoDataFrame  # RD, canonical columns plus key figures
    names: dict[str, str]  # gemeentecode and wijkcodes -> name
    figures: pd.DataFrame  # column, label, source, year
    provenance: pd.DataFrame  # what, source, url, licence, year, retrieved
    venues: gpd.GeoDataFrame  # validated venues that came with the fetch (OpenStreetMap)
    notes: list[str]


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


def _text_table(path: Path, layer: str) -> pd.DataFrame:
    """A stored layer's attributes as text, missing values as empty text (as in a CSV)."""
    frame = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
    # Only real nulls become empty text: the literal text "None" or "nan" is a value.
    return pd.DataFrame(
        {
            column: [
                "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
                for v in frame[column]
            ]
            for column in frame.columns
        },
        index=frame.index,
        dtype=object,
    )


def _as_points(frame: pd.DataFrame, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Canonical text columns with WGS84 points from ``lat``/``lon``, so a stored file opens
    as a map layer in QGIS; the ``lat`` and ``lon`` columns stay the canonical values."""
    text = _as_text(frame, columns)
    points = gpd.points_from_xy(pd.to_numeric(text["lon"]), pd.to_numeric(text["lat"]))
    return gpd.GeoDataFrame(text, geometry=points, crs=WGS84)


@dataclass(frozen=True)
class Store:
    """The data folder."""

    root: Path

    def listings_path(self, gemeentecode: str) -> Path:
        return self.root / gemeentecode / LISTINGS_FILE

    def geography_path(self, gemeentecode: str, year: int) -> Path:
        return self.root / f"{gemeentecode}_{year}" / "gebied.gpkg"

    def mapping_path(self, gemeentecode: str) -> Path:
        return self.root / gemeentecode / MAPPING_FILE

    def write_mapping(self, gemeentecode: str, raw: bytes) -> Path:
        """Keep a werkgebied mapping (already checked) as the gemeente's own."""
        target = self.mapping_path(gemeentecode)
        with atomic_path(target) as temporary:
            temporary.write_bytes(raw)
        return target

    def population_path(self, gemeentecode: str) -> Path:
        return self.root / gemeentecode / POPULATION_FILE

    def write_population(self, gemeentecode: str, population: PopulationGrid) -> Path:
        """Keep a population grid (already read and clipped) for the gemeente."""
        target = self.population_path(gemeentecode)
        about = pd.DataFrame({"bron": [population.source], "jaar": [str(population.year)]})
        with atomic_path(target) as temporary:
            pyogrio.write_dataframe(
                population.squares, temporary, layer="vierkanten", driver="GPKG"
            )
            pyogrio.write_dataframe(about, temporary, layer="herkomst", driver="GPKG", append=True)
        return target

    def remove_population(self, gemeentecode: str) -> bool:
        """Stop weighting by residents: remove the stored grid. False when there was none."""
        path = self.population_path(gemeentecode)
        if not path.is_file():
            return False
        path.unlink()
        return True

    def network_path(self, gemeentecode: str) -> Path:
        return self.root / gemeentecode / NETWORK_FILE

    def write_network(self, gemeentecode: str, network: WalkNetwork) -> Path:
        """Keep a walking network (already read and clipped) for the gemeente."""
        target = self.network_path(gemeentecode)
        with atomic_path(target) as temporary, temporary.open("wb") as handle:
            network.save(handle)
        return target

    def remove_network(self, gemeentecode: str) -> bool:
        """Go back to straight lines: remove the stored network. False when there was none."""
        path = self.network_path(gemeentecode)
        if not path.is_file():
            return False
        path.unlink()
        return True

    def read_network(self, gemeentecode: str) -> WalkNetwork | None:
        """The gemeente's walking network, or None when none was loaded."""
        path = self.network_path(gemeentecode)
        if not path.is_file():
            return None
        try:
            return WalkNetwork.load(path)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
            raise DataFileError(
                str(path),
                _("het opgeslagen loopnetwerk is onleesbaar ({exc}); lees het opnieuw in").format(
                    exc=exc
                ),
            ) from exc

    def read_population(self, gemeentecode: str) -> PopulationGrid | None:
        """The gemeente's population grid, or None when none was loaded."""
        path = self.population_path(gemeentecode)
        if not path.is_file():
            return None
        squares = gpd.read_file(path, layer="vierkanten").to_crs(RD)
        about = _text_table(path, "herkomst")
        counts = pd.to_numeric(squares[POPULATION_COLUMN], errors="coerce")
        if counts.isna().any() or (counts < 0).any():
            raise DataFileError(
                str(path), _("inwoners moet een getal van 0 of meer zijn"), field=POPULATION_COLUMN
            )
        squares[POPULATION_COLUMN] = counts.astype(float)
        squares[SECRET_COLUMN] = squares[SECRET_COLUMN].astype(bool)
        return PopulationGrid(squares, int(about["jaar"].iloc[0]), about["bron"].iloc[0])

    def check_listings(self, gemeentecode: str) -> tuple[ValidationResult, ValidationResult]:
        """The initiatives and venues of a listings file of before the database, validated
        (the file may have been edited by hand): the readable records and every problem,
        without raising on a bad record. Used once, to move them into the database."""
        return self._check_file(self.listings_path(gemeentecode))

    def _check_file(self, path: Path) -> tuple[ValidationResult, ValidationResult]:
        try:
            layers = {name for name, _ in pyogrio.list_layers(path)} if path.is_file() else set()
        except pyogrio.errors.DataSourceError as exc:
            raise DataFileError(
                str(path), _("het bestand is geen leesbare GeoPackage: {exc}").format(exc=exc)
            ) from exc
        results: list[ValidationResult] = []
        for layer, columns, validate in (
            (INITIATIVES_LAYER, INITIATIVE_COLUMNS, validate_initiatives),
            (VENUES_LAYER, VENUE_COLUMNS, validate_venues),
        ):
            try:
                rows = (
                    _text_table(path, layer)
                    if layer in layers
                    else pd.DataFrame(columns=list(columns))
                )
            except pyogrio.errors.DataSourceError as exc:
                raise DataFileError(
                    str(path), _("laag {layer} niet te lezen: {exc}").format(layer=layer, exc=exc)
                ) from exc
            results.append(
                validate(rows, f"{path.name}:{layer}", row_numbers=range(1, len(rows) + 1))
            )
        return results[0], results[1]

    def has_geography(self, gemeentecode: str, year: int) -> bool:
        return self.geography_path(gemeentecode, year).is_file()

    def available_geographies(self) -> list[tuple[str, int, str]]:
        """(gemeentecode, year, gemeentenaam) of every fetched geography in the data folder."""
        if not self.root.is_dir():
            return []
        found = []
        for folder in sorted(self.root.iterdir()):
            match = GEOGRAPHY_DIR.match(folder.name)
            if match and (folder / GEOGRAPHY_FILE).is_file():
                code, year = match.group(1), int(match.group(2))
                names = pyogrio.read_dataframe(
                    folder / GEOGRAPHY_FILE, layer="namen", read_geometry=False
                )
                name = dict(zip(names["code"], names["naam"], strict=True)).get(code, code)
                found.append((code, year, name))
        return found

    def write_geography(self, stored: StoredGeography) -> Path:
        """Store a fetched geography; the previous one stays until this one is complete."""
        target = self.geography_path(stored.gemeentecode, stored.year)
        tables = {
            "namen": pd.DataFrame(sorted(stored.names.items()), columns=["code", "naam"]),
            "cijfers": stored.figures.astype(str),
            "herkomst": stored.provenance.astype(str),
            "opmerkingen": pd.DataFrame({"opmerking": stored.notes}, dtype=str),
        }
        with atomic_path(target) as temporary:
            buurten = stored.buurten.copy()
            pyogrio.write_dataframe(buurten, temporary, layer="buurten", driver="GPKG")
            venues = _as_points(stored.venues, VENUE_COLUMNS)
            pyogrio.write_dataframe(
                venues, temporary, layer="locaties_osm", driver="GPKG", append=True
            )
            for layer, table in tables.items():
                pyogrio.write_dataframe(table, temporary, layer=layer, driver="GPKG", append=True)
        return target

    def read_geography(self, gemeentecode: str, year: int) -> StoredGeography:
        path = self.geography_path(gemeentecode, year)
        if not path.is_file():
            raise DataFileError(
                str(path),
                _(
                    "geen opgehaalde gegevens; draai eerst 'socialbasis fetch --gemeente "
                    "{gemeentecode} --jaar {year}'"
                ).format(gemeentecode=gemeentecode, year=year),
            )

        buurten = gpd.read_file(path, layer="buurten")
        venue_rows = _text_table(path, "locaties_osm")
        result = validate_venues(
            venue_rows, f"{path.name}:locaties_osm", row_numbers=range(1, len(venue_rows) + 1)
        )
        if not result.ok:
            raise ValidationFailed(result.problems)
        names = _text_table(path, "namen")
        return StoredGeography(
            gemeentecode=gemeentecode,
            year=year,
            buurten=buurten,
            names=dict(zip(names["code"], names["naam"], strict=True)),
            figures=_text_table(path, "cijfers").reindex(
                columns=list(FIGURE_COLUMNS), fill_value=""
            ),
            provenance=_text_table(path, "herkomst"),
            venues=result.frame,
            notes=list(_text_table(path, "opmerkingen")["opmerking"]),
        )
