"""From a listing file to validated canonical records, with a report of every problem.

Steps: read -> match columns -> fill what can be derived (marked) -> geocode rows without
coordinates -> validate -> check the place against the gemeente -> look for duplicates.
Nothing is dropped without a report line, and nothing is changed without a mark: a layer
taken from the category gets ``layer_suggested``, a place found from the address ``geocoded``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from loaders import locatieserver
from loaders._http import HttpClient
from loaders.listings.columns import map_columns, normalise_header
from loaders.listings.read import read_listing_source
from loaders.listings.suggest import read_keywords, suggest
from socialbasis.areas import locate
from socialbasis.errors import Problem, ServiceError
from socialbasis.schema import (
    INITIATIVE_COLUMNS,
    VENUE_COLUMNS,
    validate_initiatives,
    validate_venues,
)
from socialbasis.settings import Settings

# An apostrophe that marks formula-like text as text (as our exports write it, and Excel).
_MARKED_FORMULA = re.compile(r"^'(?=\s*[=+\-@\t\r])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Dutch phone numbers: 06-12345678, 075 123 4567, +31 6 1234 5678, (020) 123 45 67.
_PHONE = re.compile(r"(?<!\d)(?:\+31|0031|0)[\s\-()]*[1-9](?:[\s\-()]*\d){8}(?!\d)")
PERSONAL_FIELDS = ("name", "organisation", "description", "address")
NEAR_BORDER_M = 2_000.0  # outside the gemeente but this close: imported with a warning
DUPLICATE_M = 100.0  # same name within this distance: flagged as a likely duplicate
KINDS = ("initiatieven", "locaties")


@dataclass
class ImportReport:
    source: str
    format: str
    kind: str
    rows_read: int
    frame: gpd.GeoDataFrame  # records that can be imported
    problems: list[Problem] = field(default_factory=list)
    column_mapping: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "fout"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "fout"]

    @property
    def refused_rows(self) -> list[int]:
        imported = set(self.frame["source_row"]) if len(self.frame) else set()
        return sorted({p.row for p in self.errors if p.row is not None} - imported)

    @property
    def ok(self) -> bool:
        return not self.errors


def _blank(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _blanks(column: pd.Series) -> pd.Series:
    """A boolean mask of the blank cells; boolean also when there are no rows."""
    return column.map(_blank).astype(bool)


def _stable_id(row: Mapping[str, object], prefix: str) -> str:
    key = "|".join(
        str(row.get(k, "") or "").strip().lower() for k in ("name", "address", "lat", "lon")
    )
    return f"{prefix}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise_header(text)).strip("-") or "rij"


def _fill(
    rows: pd.DataFrame, numbers: list[int], source: str, kind: str, source_label: str
) -> list[Problem]:
    """Fill what follows from the file itself; every filled-in value is reported."""
    problems: list[Problem] = []
    for column in (
        "name",
        "address",
        "lat",
        "lon",
        "source",
        "id",
        "layer",
        "discipline",
        "category",
        "street",
        "housenumber",
        "postcode",
        "city",
    ):
        if column not in rows:
            rows[column] = ""
    parts = rows[["street", "housenumber", "postcode", "city"]].astype(str).replace("nan", "")
    from_parts = (
        (parts["street"] + " " + parts["housenumber"]).str.strip()
        + ", "
        + (parts["postcode"] + " " + parts["city"]).str.strip()
    )
    from_parts = from_parts.str.strip(", ").str.strip()
    no_address = _blanks(rows["address"]) & (from_parts != "")
    rows.loc[no_address, "address"] = from_parts[no_address]
    blank_source = _blanks(rows["source"])
    if blank_source.any():
        rows.loc[blank_source, "source"] = source_label
        problems.append(
            Problem(
                source,
                None,
                "source",
                source_label,
                f"bron ontbreekt bij {int(blank_source.sum())} rij(en); gezet op de bestandsnaam",
                severity="waarschuwing",
            )
        )
    blank_id = _blanks(rows["id"])
    if blank_id.any():
        prefix = _slug(Path(source_label).stem)
        rows.loc[blank_id, "id"] = [
            _stable_id(r, prefix) for r in rows.loc[blank_id].to_dict("records")
        ]
        problems.append(
            Problem(
                source,
                None,
                "id",
                "",
                f"id ontbreekt bij "
                f"{int(blank_id.sum())} rij(en); gemaakt uit naam en adres, "
                "zodat een nieuwe import dezelfde id geeft",
                severity="waarschuwing",
            )
        )
    rows["layer_suggested"] = rows.get("layer_suggested", False)
    rules = read_keywords()
    for index, number in zip(rows.index, numbers, strict=True):
        if not _blank(rows.at[index, "layer"]):
            continue
        text = " ".join(
            str(rows.at[index, c] or "") for c in ("category", "name", "description") if c in rows
        )
        found = suggest(text, rules)
        if found is None:
            problems.append(
                Problem(
                    source,
                    number,
                    "layer",
                    "",
                    "laag ontbreekt en is niet af "
                    "te leiden uit categorie of naam; vul persoonlijk, "
                    "gemeenschappelijk of institutioneel in",
                )
            )
            continue
        rows.at[index, "layer"] = found.layer
        rows.at[index, "layer_suggested"] = True
        if kind == "initiatieven" and _blank(rows.at[index, "discipline"]) and found.discipline:
            rows.at[index, "discipline"] = found.discipline
        problems.append(
            Problem(
                source,
                number,
                "layer",
                found.layer,
                f"laag voorgesteld op grond van '{found.keyword}'; controleer",
                severity="waarschuwing",
            )
        )
    return problems


def _geocode(
    rows: pd.DataFrame,
    numbers: list[int],
    source: str,
    client: HttpClient | None,
    settings: Settings | None,
) -> list[Problem]:
    """Find coordinates for rows that have an address but none; mark what was found."""
    problems: list[Problem] = []

    def report(
        number: int, address: str, message: str, severity: str = "fout", field_name: str = "address"
    ) -> None:
        problems.append(Problem(source, number, field_name, address, message, severity=severity))

    rows["geocoded"] = rows.get("geocoded", False)
    missing = _blanks(rows["lat"]) | _blanks(rows["lon"])
    for index, number in zip(rows.index, numbers, strict=True):
        if not missing[index]:
            continue
        address = str(rows.at[index, "address"] or "").strip()
        if not address:
            report(
                number,
                address,
                "geen coördinaten en geen adres om ze mee te zoeken",
                field_name="lat",
            )
            continue
        if client is None or settings is None:
            report(number, address, "geen coördinaten; adres zoeken staat uit")
            continue
        try:
            place = locatieserver.geocode(client, settings.locatieserver_url, address)
        except ServiceError as exc:
            report(number, address, f"adres zoeken lukte niet: {exc}")
            continue
        if place is None:
            report(number, address, "adres niet gevonden bij de PDOK Locatieserver")
            continue
        rows.at[index, "lat"], rows.at[index, "lon"] = f"{place.lat:.7f}", f"{place.lon:.7f}"
        rows.at[index, "geocoded"] = True
        report(number, address, f"plek gevonden: {place.label}", severity="waarschuwing")
    return problems


def _outside(
    frame: gpd.GeoDataFrame, buurten: gpd.GeoDataFrame, source: str
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Records outside the gemeente: near the border a warning, farther away an error."""
    if frame.empty:
        return frame, []
    inside = locate(frame.geometry, buurten, "buurtcode").notna()
    outline = buurten.union_all()
    problems, keep = [], []
    for (index, row), is_inside in zip(frame.iterrows(), inside, strict=True):
        if is_inside:
            keep.append(index)
            continue
        distance = row.geometry.distance(outline)
        if distance <= NEAR_BORDER_M:
            keep.append(index)
            problems.append(
                Problem(
                    source,
                    int(row["source_row"]),
                    "lat",
                    f"{row['lat']}",
                    f"ligt {distance:.0f} m buiten de gemeente; toch ingelezen",
                    severity="waarschuwing",
                )
            )
        else:
            problems.append(
                Problem(
                    source,
                    int(row["source_row"]),
                    "lat",
                    f"{row['lat']}, {row['lon']}",
                    f"ligt {distance / 1000:.1f} km buiten de gemeente; controleer de coördinaten",
                )
            )
    return frame.loc[keep], problems


def _duplicates(
    frame: gpd.GeoDataFrame, existing: gpd.GeoDataFrame | None, source: str, replace: bool
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Likely duplicates (a warning) and ids imported before (refused unless ``replace``).

    Rows are grouped by their normalised name, so each row is compared only with rows of the
    same name: linear in the number of rows, not quadratic."""
    problems: list[Problem] = []

    def flag(row: pd.Series, field_name: str, message: str, severity: str = "waarschuwing") -> None:
        problems.append(
            Problem(
                source,
                int(row["source_row"]),
                field_name,
                str(row[field_name]),
                message,
                severity=severity,
            )
        )

    keys = frame["name"].map(normalise_header).to_numpy()
    xy = np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()])
    by_key: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        same = by_key.setdefault(key, [])
        close = next((j for j in same if np.hypot(*(xy[position] - xy[j])) <= DUPLICATE_M), None)
        if close is not None:
            row = frame.iloc[position]
            first = int(frame["source_row"].iloc[close])
            flag(row, "name", f"lijkt dubbel met rij {first} (zelfde naam, dichtbij)")
        same.append(position)
    if existing is None or not len(existing):
        return frame, problems
    existing_ids = set(existing["id"])
    existing_keys: dict[str, list[int]] = {}
    for position, key in enumerate(existing["name"].map(normalise_header)):
        existing_keys.setdefault(key, []).append(position)
    existing_xy = np.column_stack([existing.geometry.x.to_numpy(), existing.geometry.y.to_numpy()])
    refused = []
    for position, (index, row) in enumerate(frame.iterrows()):
        if row["id"] not in existing_ids:
            close = next(
                (
                    j
                    for j in existing_keys.get(keys[position], [])
                    if np.hypot(*(xy[position] - existing_xy[j])) <= DUPLICATE_M
                ),
                None,
            )
            if close is not None:
                flag(row, "name", f"lijkt dubbel met bestaande id {existing['id'].iloc[close]}")
        elif replace:
            flag(row, "id", "bestaande gegevens met deze id worden vervangen")
        else:
            refused.append(index)
            flag(
                row,
                "id",
                "deze id is al ingelezen; niet overschreven (gebruik bijwerken om te vervangen)",
                severity="fout",
            )
    return frame.drop(index=refused), problems


def _unmark_formulas(rows: pd.DataFrame) -> None:
    """Remove the apostrophe that keeps formula-like text inert in a spreadsheet."""
    for column in rows.columns:
        rows[column] = [
            _MARKED_FORMULA.sub("", v) if isinstance(v, str) else v for v in rows[column]
        ]


def personal_data_warnings(frame: pd.DataFrame, source: str) -> list[Problem]:
    """A warning per row whose public text holds what looks like an e-mail address or a
    phone number: everything on the map is public, and a person's contact details need
    their consent (AVG)."""
    problems = []
    for column in PERSONAL_FIELDS:
        if column not in frame:
            continue
        text = frame[column].fillna("").astype(str)
        email = text.str.contains(_EMAIL).to_numpy(bool)
        phone = text.str.contains(_PHONE).to_numpy(bool)
        for position in np.flatnonzero(email | phone):
            found = [
                k for k, hit in (("e-mailadres", email), ("telefoonnummer", phone)) if hit[position]
            ]
            problems.append(
                Problem(
                    source,
                    int(frame["source_row"].iloc[position]),
                    column,
                    text.iloc[position][:60],
                    f"bevat een {' en '.join(found)}; alles op de kaart is openbaar. Is het "
                    "van een persoon, haal het dan weg of vraag toestemming",
                    severity="waarschuwing",
                )
            )
    return problems


def prepare_listings(
    data: Path | bytes,
    name: str | None = None,
    *,
    kind: str = "initiatieven",
    buurten: gpd.GeoDataFrame | None = None,
    existing: gpd.GeoDataFrame | None = None,
    column_map: Mapping[str, str] | None = None,
    source_label: str | None = None,
    client: HttpClient | None = None,
    settings: Settings | None = None,
    replace: bool = False,
    sheet: str | None = None,
) -> ImportReport:
    """Read and check a listing file; nothing is stored here."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    table = read_listing_source(data, name, sheet)
    allowed = INITIATIVE_COLUMNS if kind == "initiatieven" else VENUE_COLUMNS
    rows, mapping, problems = map_columns(table.rows, allowed, column_map, table.source)
    problems = table.problems + problems
    if any(p.severity == "fout" and p.row is None for p in problems):
        empty = validate_initiatives if kind == "initiatieven" else validate_venues
        return ImportReport(
            table.source,
            table.format,
            kind,
            len(table.rows),
            empty(pd.DataFrame(), table.source).frame,
            problems,
            mapping,
        )
    rows = rows.reset_index(drop=True)
    _unmark_formulas(rows)
    label = source_label or (Path(name).name if name else table.source)
    problems += _fill(rows, table.row_numbers, table.source, kind, label)
    problems += _geocode(rows, table.row_numbers, table.source, client, settings)
    validate = validate_initiatives if kind == "initiatieven" else validate_venues
    result = validate(
        rows.drop(columns=[c for c in rows if c not in allowed]),
        table.source,
        row_numbers=table.row_numbers,
    )
    # A row already refused for a missing layer need not repeat "verplicht veld ontbreekt".
    said = {(p.row, p.field) for p in problems}
    problems += [p for p in result.problems if (p.row, p.field) not in said]
    frame = result.frame
    if buurten is not None:
        frame, outside = _outside(frame, buurten, table.source)
        problems += outside
    frame, doubles = _duplicates(frame, existing, table.source, replace)
    problems += doubles + personal_data_warnings(frame, table.source)
    return ImportReport(
        table.source,
        table.format,
        kind,
        len(table.rows),
        frame,
        sorted(problems, key=lambda p: (p.row or 0, p.severity != "fout")),
        mapping,
    )


def merge_into(existing: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Existing records plus the new ones; a new record replaces one with the same id."""
    kept = existing[~existing["id"].isin(set(new["id"]))]
    return pd.concat([kept, new], ignore_index=True)
