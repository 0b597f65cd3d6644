"""Read CBS Vierkantstatistieken (residents per 100 m square) from a downloaded file.

CBS publishes the squares as a GeoPackage (column ``aantal_inwoners``); the PDOK services
spell it ``aantalInwoners``. Both are read, as are files this project wrote (``inwoners``).
Negative values are CBS codes for a hidden count (fewer than 5 residents): they are kept as
``geheim`` and counted as ``SECRET_RESIDENTS``. Only squares that touch the gemeente are
kept, so a national file can be given.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from socialbasis.errors import DataFileError
from socialbasis.geo import RD
from socialbasis.i18n import _
from socialbasis.population import (
    POPULATION_COLUMN,
    SECRET_COLUMN,
    SECRET_RESIDENTS,
    PopulationGrid,
)

POPULATION_COLUMNS = ("aantal_inwoners", "aantalinwoners", "inwoners")
# The square's code: crs28992res100m in CBS's download, c28992r100 in the PDOK/NGR service.
SQUARE_IDS = ("crs28992res100m", "c28992r100")
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def year_from_name(path: Path) -> int | None:
    """``cbs_vk100_2023_v1.gpkg`` -> 2023; None when the name holds no single year."""
    years = set(YEAR_IN_NAME.findall(path.name))
    return int(years.pop()) if len(years) == 1 else None


def _population_column(columns: list[str], chosen: str | None, source: str) -> str:
    if chosen is not None:
        if chosen not in columns:
            raise DataFileError(
                source,
                _("kolom {chosen!r} bestaat niet; er zijn: {columns}").format(
                    chosen=chosen, columns=columns
                ),
            )
        return chosen
    for column in columns:
        if column.lower() in POPULATION_COLUMNS:
            return column
    raise DataFileError(
        source,
        _(
            "geen kolom met het aantal inwoners gevonden (verwacht aantal_inwoners of "
            "aantalInwoners; geef anders --kolom op). Er zijn: {items}"
        ).format(items=", ".join(columns)),
    )


def _counts(squares: pd.DataFrame, source: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Residents per square and whether CBS hid the count; text is an error naming the square."""
    values = squares[column]
    numbers = pd.to_numeric(values, errors="coerce")
    wrong = numbers.isna() & values.notna() & (values.astype(str).str.strip() != "")
    if wrong.any():
        first = int(np.flatnonzero(wrong.to_numpy())[0])
        id_column = next((c for c in SQUARE_IDS if c in squares), None)
        square = (
            str(squares[id_column].iloc[first])
            if id_column
            else _("nr. {value}").format(value=first + 1)
        )
        raise DataFileError(
            source,
            _("verwacht een aantal inwoners (een getal) in vierkant {square}").format(
                square=square
            ),
            field=column,
            value=str(values.iloc[first]),
        )
    hidden = (numbers < 0) | numbers.isna()
    counts = np.where(hidden, SECRET_RESIDENTS, numbers.to_numpy(float))
    return counts, hidden.to_numpy(bool)


def read_population_grid(
    path: Path,
    gemeente: gpd.GeoDataFrame,
    year: int | None = None,
    column: str | None = None,
) -> PopulationGrid:
    """The squares of ``path`` that touch ``gemeente`` (RD New), with their residents."""
    source = path.name
    year = year or year_from_name(path)
    if year is None:
        raise DataFileError(
            source, _("geen jaartal in de bestandsnaam; geef het jaar op (--peiljaar)")
        )
    try:
        info = pyogrio.read_info(path)
    except (pyogrio.errors.DataSourceError, OSError) as exc:
        raise DataFileError(
            source, _("niet te lezen als kaartlaag: {exc}").format(exc=exc)
        ) from exc
    if not info.get("crs"):
        raise DataFileError(source, _("het bestand zegt niet in welk coördinatenstelsel het is"))
    if info.get("geometry_type") not in ("Polygon", "MultiPolygon", "Unknown"):
        raise DataFileError(
            source,
            _("verwacht vierkanten (vlakken), kreeg {get}").format(get=info.get("geometry_type")),
        )
    area = gemeente.to_crs(RD).union_all()
    bbox = tuple(gpd.GeoSeries([area], crs=RD).to_crs(info["crs"]).total_bounds)
    squares = gpd.read_file(path, bbox=bbox)
    chosen = _population_column(
        [str(c) for c in squares.columns if c != "geometry"], column, source
    )
    squares = squares.to_crs(RD)
    squares = squares[squares.intersects(area)]
    if squares.empty:
        raise DataFileError(source, _("geen enkel vierkant ligt in de gemeente"))
    counts, hidden = _counts(squares, source, chosen)
    frame = gpd.GeoDataFrame(
        {POPULATION_COLUMN: counts, SECRET_COLUMN: hidden},
        geometry=squares.geometry.to_numpy(),
        crs=RD,
    )
    return PopulationGrid(frame.reset_index(drop=True), int(year), source)
