"""CBS data from files instead of services: boundaries as GeoJSON and the Kerncijfers wijken
en buurten as a TypedDataSet-shaped CSV (keys with their suffixes) with its DataProperties.

The rows go through the same parser as a StatLine answer (``cbs_statline.parse_rows``) and
the result is a ``StoredGeography`` like the one ``socialbasis fetch`` stores, so an embedded
vintage and a fetched one are read, checked and shown the same way.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from loaders._odata import Property
from loaders.cbs_statline import LABELS, TOPICS, figure_notes, parse_rows
from loaders.fetch import check_complete, figure_rows
from loaders.provenance import FigureSource, Provenance
from socialbasis.analysis.need import missing_indicators
from socialbasis.areas import normalise_buurten
from socialbasis.dataset import PROVENANCE_COLUMNS
from socialbasis.errors import DataFileError
from socialbasis.i18n import _
from socialbasis.schema import validate_venues
from socialbasis.storage import StoredGeography
from socialbasis.textfiles import decode_text

LICENCE = "CC BY 4.0"
MAX_FILE_BYTES = 50_000_000


@dataclass(frozen=True)
class CbsFiles:
    """Where the files of one vintage are, and what to say about them."""

    gemeentecode: str
    year: int
    table: str  # e.g. 84799NED
    buurten: Path  # GeoJSON with statcode/statnaam (or buurtcode/buurtnaam)
    wijken: Path  # GeoJSON with statcode/statnaam of the wijken (for their names)
    kerncijfers: Path  # CSV, one row per region, StatLine keys as column names
    columns: Path  # CSV: key, title, unit (the table's DataProperties)
    reference_date: str  # e.g. "1 januari 2020"
    boundary_source: str  # attribution of the boundaries
    url: str  # where the table is described
    table_modified: datetime  # the version of the table the files were taken from


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataFileError(
            str(path), _("bestand groter dan {value} MB").format(value=MAX_FILE_BYTES // 1_000_000)
        )
    return decode_text(path.read_bytes(), str(path))[0]


def read_properties(path: Path) -> dict[str, Property]:
    """The table's columns (key, title, unit) by key stem, as DataProperties would give."""
    rows = list(csv.DictReader(io.StringIO(_read_text(path))))
    missing = {"key", "title", "unit"} - set(rows[0] if rows else {})
    if missing:
        raise DataFileError(
            str(path), _("kolom(men) ontbreken: {items}").format(items=", ".join(sorted(missing)))
        )
    return {
        row["key"].rsplit("_", 1)[0] if row["key"][-1:].isdigit() else row["key"]: Property(
            row["key"], row["title"].strip(), row["unit"].strip(), "Topic"
        )
        for row in rows
    }


def _names(path: Path) -> dict[str, str]:
    wijken = gpd.read_file(path)
    code = next((c for c in ("wijkcode", "statcode") if c in wijken), None)
    name = next((c for c in ("wijknaam", "statnaam") if c in wijken), None)
    if code is None or name is None:
        raise DataFileError(str(path), _("verwacht kolommen statcode en statnaam (of wijkcode)"))
    return dict(zip(wijken[code].str.strip(), wijken[name].str.strip(), strict=True))


def geography_from_files(files: CbsFiles) -> StoredGeography:
    """Boundaries and key figures of one vintage, parsed and checked like a fetch."""
    buurten = normalise_buurten(gpd.read_file(files.buurten), str(files.buurten))
    # Only codes, names and geometry: the files' own ids and FIDs are not CBS figures.
    buurten = buurten[["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "geometry"]]
    topics = {stem: p for stem, p in read_properties(files.columns).items() if stem in TOPICS}
    rows = list(csv.DictReader(io.StringIO(_read_text(files.kerncijfers))))
    parsed = parse_rows(rows, topics, files.gemeentecode)
    figures_frame = parsed.buurten.dropna(axis=1, how="all")
    codes = set(buurten["buurtcode"])
    if set(figures_frame["buurtcode"]) != codes:
        raise DataFileError(
            str(files.kerncijfers),
            _("de buurtcodes in de cijfers zijn niet die van de grenzen: {value}").format(
                value=sorted(codes ^ set(figures_frame["buurtcode"]))[:5]
            ),
        )
    merged = buurten.merge(figures_frame, on="buurtcode", how="left", validate="one_to_one")
    source = f"CBS, Kerncijfers wijken en buurten {files.year} ({files.table})"
    year_of = {
        column: f"{files.year}, voorlopig" if column == "pct_bijstand" else files.reference_date
        for column in LABELS
    }
    figures = [
        FigureSource(column, LABELS[column], source, year_of[column])
        for column in LABELS
        if column in figures_frame
    ]
    names = _names(files.wijken)
    names[files.gemeentecode] = next(
        (r["Naam"] for r in rows if r.get("WijkenEnBuurten", "").strip() == files.gemeentecode),
        files.gemeentecode,
    )
    absent = [LABELS[c] for c in LABELS if c not in figures_frame]
    notes = figure_notes(parsed, files.table)
    if absent:
        notes.append(
            _("{table} heeft geen cijfers voor: {items}").format(
                table=files.table, items=", ".join(absent)
            )
        )
    missing = missing_indicators(merged)
    if missing:
        notes.append(_("Niet in deze cijfers (dus niet in de behoefte): ") + "; ".join(missing))
    retrieved = files.table_modified
    provenance = [
        Provenance("grenzen", files.boundary_source, "", LICENCE, files.year, retrieved),
        Provenance("kerncijfers", source, files.url, LICENCE, files.year, retrieved),
    ]
    stored = StoredGeography(
        gemeentecode=files.gemeentecode,
        year=files.year,
        buurten=merged,
        names=names,
        figures=figure_rows(figures, parsed.gemeente),
        provenance=pd.DataFrame([p.row() for p in provenance], columns=list(PROVENANCE_COLUMNS)),
        venues=_no_venues(),
        notes=notes,
    )
    check_complete(stored)
    return stored


def _no_venues() -> gpd.GeoDataFrame:
    return validate_venues(pd.DataFrame(columns=["id"]), "geen").frame
