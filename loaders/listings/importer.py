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
from socialbasis import i18n
from socialbasis.areas import locate
from socialbasis.choices import KINDS
from socialbasis.errors import Problem, ServiceError
from socialbasis.i18n import _
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


@dataclass(frozen=True)
class LikelyDuplicate:
    """A row with a new id that looks like a stored listing: the user chooses what to do."""

    row: int
    id: str
    name: str
    existing_id: str
    existing_name: str
    reason: str
    existing_version: int | None = None


@dataclass
class ImportReport:
    source: str
    format: str
    kind: str
    rows_read: int
    frame: gpd.GeoDataFrame  # records that can be imported
    problems: list[Problem] = field(default_factory=list)
    column_mapping: dict[str, str] = field(default_factory=dict)
    likely_duplicates: list[LikelyDuplicate] = field(default_factory=list)
    # id -> the stored version this check saw (None: not stored); an import refuses to
    # overwrite a row that changed after the check.
    base_versions: dict[str, int | None] = field(default_factory=dict)

    @property
    def updates(self) -> int:
        """Rows whose id is stored already: they update that listing."""
        return sum(1 for version in self.base_versions.values() if version is not None)

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


def _id_part(value: object) -> str:
    """A value as it goes into an id: numbers rounded (52.4390 and 52.439 are one place),
    text without case and surrounding or doubled spaces."""
    if _blank(value):
        return ""
    text = str(value).strip()
    try:
        return f"{float(text.replace(',', '.')):.6f}"
    except ValueError:
        return " ".join(text.lower().split())


def stable_id(row: Mapping[str, object], kind: str) -> str:
    """An id for a row without one, from what it is and where: the same row gives the same
    id whatever the file is called, so a re-import updates instead of doubling.

    >>> a = stable_id({"name": "Koor ", "address": "Dorpsstraat 1", "lat": "52.4390"}, "lijst")
    >>> a == stable_id({"name": "koor", "address": "Dorpsstraat  1", "lat": 52.439}, "lijst")
    True
    >>> stable_id({"name": "Koor"}, "initiatieven")[:4], stable_id({"name": "Bieb"}, "locaties")[:4]
    ('act-', 'loc-')
    """
    key = "|".join(_id_part(row.get(k)) for k in ("name", "organisation", "address", "lat", "lon"))
    prefix = "act" if kind == "initiatieven" else "loc"
    return f"{prefix}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def _postcode_and_place_into_address(
    rows: pd.DataFrame, parts: pd.DataFrame, has_address: pd.Series, source: str
) -> list[Problem]:
    """Postcode and plaats beside an address column would otherwise be lost: they are added
    to the address where it does not hold them yet, and that is reported."""
    place = (parts["postcode"] + " " + parts["city"]).str.strip()
    address = rows["address"].fillna("").astype(str)
    missing = [
        bool(p)
        and bool(a.strip())
        and " ".join(p.lower().split()) not in " ".join(a.lower().split())
        for p, a in zip(place, address, strict=True)
    ]
    added = has_address & pd.Series(missing, index=rows.index)
    if not added.any():
        return []
    rows.loc[added, "address"] = address[added].str.rstrip(", ") + ", " + place[added]
    return [
        Problem(
            source,
            None,
            "address",
            "",
            _("postcode en plaats toegevoegd aan het adres bij {sum} rij(en)").format(
                sum=int(added.sum())
            ),
            severity="waarschuwing",
        )
    ]


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
    problems += _postcode_and_place_into_address(rows, parts, ~no_address, source)
    blank_source = _blanks(rows["source"])
    if blank_source.any():
        rows.loc[blank_source, "source"] = source_label
        problems.append(
            Problem(
                source,
                None,
                "source",
                source_label,
                _("bron ontbreekt bij {sum} rij(en); gezet op de bestandsnaam").format(
                    sum=int(blank_source.sum())
                ),
                severity="waarschuwing",
            )
        )
    blank_id = _blanks(rows["id"])
    if blank_id.any():
        rows.loc[blank_id, "id"] = [
            stable_id(r, kind) for r in rows.loc[blank_id].to_dict("records")
        ]
        problems.append(
            Problem(
                source,
                None,
                "id",
                "",
                _(
                    "id ontbreekt bij {sum} rij(en); gemaakt uit naam, organisatie, adres en "
                    "plek, zodat een nieuwe import (ook onder een andere bestandsnaam) dezelfde "
                    "rijen bijwerkt"
                ).format(sum=int(blank_id.sum())),
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
                    _(
                        "laag ontbreekt en is niet af "
                        "te leiden uit categorie of naam; vul persoonlijk, "
                        "gemeenschappelijk of institutioneel in"
                    ),
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
                _("laag voorgesteld op grond van '{keyword}'; controleer").format(
                    keyword=found.keyword
                ),
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
                _("geen coördinaten en geen adres om ze mee te zoeken"),
                field_name="lat",
            )
            continue
        if client is None or settings is None:
            report(number, address, _("geen coördinaten; adres zoeken staat uit"))
            continue
        try:
            place = locatieserver.geocode(client, settings.locatieserver_url, address)
        except ServiceError as exc:
            report(number, address, _("adres zoeken lukte niet: {exc}").format(exc=exc))
            continue
        if place is None:
            report(number, address, _("adres niet gevonden bij de PDOK Locatieserver"))
            continue
        rows.at[index, "lat"], rows.at[index, "lon"] = f"{place.lat:.7f}", f"{place.lon:.7f}"
        rows.at[index, "geocoded"] = True
        report(
            number,
            address,
            _("plek gevonden: {label}").format(label=place.label),
            severity="waarschuwing",
        )
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
                    _("ligt {distance:.0f} m buiten de gemeente; toch ingelezen").format(
                        distance=distance
                    ),
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
                    _("ligt {distance} km buiten de gemeente; controleer de coördinaten").format(
                        distance=i18n.number(distance / 1000, 1)
                    ),
                )
            )
    return frame.loc[keep], problems


def _place_keys(frame: pd.DataFrame) -> tuple[np.ndarray, list[str | None]]:
    """Per row: the normalised name, and "organisation|address" when both are given."""
    names = frame["name"].map(normalise_header).to_numpy()
    organisations = frame["organisation"] if "organisation" in frame else [""] * len(frame)
    addresses = [
        f"{normalise_header(o)}|{normalise_header(a)}" if not _blank(o) and not _blank(a) else None
        for o, a in zip(organisations, frame["address"], strict=True)
    ]
    return names, addresses


class _Lookup:
    """Rows found by name within DUPLICATE_M, or by organisation + address: each row is
    compared only with rows of the same key (linear, not quadratic)."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[tuple[int, float, float]]] = {}
        self.by_address: dict[str, int] = {}

    def add(self, position: int, name: str, address: str | None, x: float, y: float) -> None:
        self.by_name.setdefault(name, []).append((position, x, y))
        if address is not None:
            self.by_address.setdefault(address, position)

    def find(self, name: str, address: str | None, x: float, y: float) -> tuple[int, str] | None:
        for position, px, py in self.by_name.get(name, []):
            if np.hypot(x - px, y - py) <= DUPLICATE_M:
                return position, _("zelfde naam, minder dan 100 m ervandaan")
        if address is not None and address in self.by_address:
            return self.by_address[address], _("zelfde organisatie en adres")
        return None


def _duplicates(
    frame: gpd.GeoDataFrame, existing: gpd.GeoDataFrame | None, source: str
) -> tuple[list[Problem], list[LikelyDuplicate], dict[str, int | None]]:
    """Likely duplicates within the file (a warning) and with stored listings (a choice for
    the user), and the stored version of every id (a stored id is an update)."""
    problems: list[Problem] = []
    names, addresses = _place_keys(frame)
    xs, ys = frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()
    rows = frame["source_row"].to_numpy()
    within = _Lookup()
    for position in range(len(frame)):
        found = within.find(names[position], addresses[position], xs[position], ys[position])
        if found is not None:
            problems.append(
                Problem(
                    source,
                    int(rows[position]),
                    "name",
                    str(frame["name"].iloc[position]),
                    _("lijkt dubbel met rij {value} ({value2})").format(
                        value=int(rows[found[0]]), value2=found[1]
                    ),
                    severity="waarschuwing",
                )
            )
        within.add(position, names[position], addresses[position], xs[position], ys[position])
    if existing is None or not len(existing):
        return problems, [], dict.fromkeys(frame["id"])
    versions = (
        existing["version"].astype(int).tolist() if "version" in existing else [1] * len(existing)
    )
    stored = dict(zip(existing["id"], versions, strict=True))
    stored_names, stored_addresses = _place_keys(existing)
    lookup = _Lookup()
    for position, (x, y) in enumerate(
        zip(existing.geometry.x.to_numpy(), existing.geometry.y.to_numpy(), strict=True)
    ):
        lookup.add(position, stored_names[position], stored_addresses[position], x, y)
    likely: list[LikelyDuplicate] = []
    base_versions: dict[str, int | None] = {}
    for position, listing_id in enumerate(frame["id"]):
        base_versions[listing_id] = stored.get(listing_id)
        if listing_id in stored:
            continue
        found = lookup.find(names[position], addresses[position], xs[position], ys[position])
        if found is None:
            continue
        other, reason = found
        duplicate = LikelyDuplicate(
            row=int(rows[position]),
            id=str(listing_id),
            name=str(frame["name"].iloc[position]),
            existing_id=str(existing["id"].iloc[other]),
            existing_name=str(existing["name"].iloc[other]),
            reason=reason,
            existing_version=versions[other],
        )
        likely.append(duplicate)
        problems.append(
            Problem(
                source,
                duplicate.row,
                "name",
                duplicate.name,
                _(
                    "lijkt dubbel met bestaande id {existing_id} ({reason}); kies: bijwerken, "
                    "beide houden of overslaan"
                ).format(existing_id=duplicate.existing_id, reason=reason),
                severity="waarschuwing",
            )
        )
    return problems, likely, base_versions


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
                    _(
                        "bevat een {items}; alles op de kaart is openbaar. Is het van een persoon, "
                        "haal het dan weg of vraag toestemming"
                    ).format(items=" en ".join(found)),
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
    doubles, likely, base_versions = _duplicates(frame, existing, table.source)
    problems += doubles + personal_data_warnings(frame, table.source)
    return ImportReport(
        table.source,
        table.format,
        kind,
        len(table.rows),
        frame,
        sorted(problems, key=lambda p: (p.row or 0, p.severity != "fout")),
        mapping,
        likely,
        base_versions,
    )
