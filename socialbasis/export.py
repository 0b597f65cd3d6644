"""Tables for download and for other tools, keyed on CBS codes with their vintage year."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from socialbasis.analysis.coverage import WalkParams, share_column
from socialbasis.geo import WGS84
from socialbasis.schedule import WEEKDAYS
from socialbasis.schema import INITIATIVE_COLUMNS, VENUE_COLUMNS
from socialbasis.vocab import Layer, codes

GAP_EXPORT_COLUMNS: tuple[str, ...] = (
    "gemeentecode",
    "jaar",
    "buurtcode",
    "buurtnaam",
    "wijknaam",
    "werkgebied",
    "layer",
    "rank",
    "score",
    "coverage",
    "share_5min",
    "share_10min",
    "share_15min",
    "share_basis",
    "nearest_m",
    "straight_m",
    "distance_basis",
    "network_share",
    "count",
    "per_1000",
    "venues_nearby",
    "need",
    "need_text",
    "empty_slots",
    "speed_kmh",
    "reason",
)


def gaps_table(
    ranked: pd.DataFrame, gemeentecode: str, year: int, walk: WalkParams
) -> pd.DataFrame:
    """The kansenlijst with codes, vintage year, rank and rounded figures."""
    out = ranked.copy()
    out.insert(0, "jaar", year)
    out.insert(0, "gemeentecode", gemeentecode)
    out["rank"] = range(1, len(out) + 1)
    out["speed_kmh"] = walk.speed_kmh
    # How distances were measured, on every row: a reader of the file must not have to guess.
    out["distance_basis"] = "over straat" if walk.over_street else "in rechte lijn"
    for column in ["score", "coverage", "need", *(share_column(m) for m in walk.minutes)]:
        out[column] = out[column].round(3)
    for column in ("nearest_m", "straight_m", "per_1000"):
        if column in out:
            out[column] = out[column].round(1)
    if "network_share" in out:
        out["network_share"] = out["network_share"].round(3)
    columns = [c for c in GAP_EXPORT_COLUMNS if c in out.columns]
    return out[columns]


# A cell that starts with one of these is run as a formula by Excel and LibreOffice, also
# after leading spaces. OWASP's advice: prefix such text with an apostrophe, which a
# spreadsheet shows as text and which ``socialbasis import`` removes again.
_FORMULA_START = re.compile(r"^\s*[=+\-@\t\r]")
_NUMBER = re.compile(r"^\s*[-+]?\d+([.,]\d+)?\s*$")


def neutralise_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert.

    >>> neutralise_cell("=1+1"), neutralise_cell(" =1+1"), neutralise_cell("-12,5")
    ("'=1+1", "' =1+1", '-12,5')
    """
    if isinstance(value, str) and _FORMULA_START.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def _neutralised(frame: pd.DataFrame, headers: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy for a spreadsheet: every text cell and heading neutralised; headings renamed."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = [neutralise_cell(v) for v in safe[column]]
    names = headers or {}
    safe.columns = [neutralise_cell(names.get(str(c), str(c))) for c in safe.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel opens accents correctly; text that a spreadsheet
    would run as a formula is neutralised."""
    return _neutralised(frame).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


# Column headings for a Dutch reader; each is also a synonym the importer recognises, so an
# Excel export imports back.
DUTCH_HEADERS: dict[str, str] = {
    "id": "id",
    "name": "naam",
    "organisation": "organisatie",
    "description": "omschrijving",
    "layer": "laag",
    "support_activation": "aanpak",
    "individual_collective": "vorm",
    "discipline": "soort activiteit",
    "target_groups": "doelgroepen",
    "cost": "kosten",
    "wheelchair": "rolstoel",
    "schedule": "dagdelen",
    "start_date": "begindatum",
    "end_date": "einddatum",
    "address": "adres",
    "lat": "breedtegraad",
    "lon": "lengtegraad",
    "source": "bron",
    "last_verified": "laatst gecontroleerd",
    "layer_suggested": "laag voorgesteld",
    "geocoded": "gegeocodeerd",
    "kind": "soort locatie",
    "capacity": "capaciteit",
    "website": "website",
    "email": "e-mail",
    "phone": "telefoon",
    "contact_person": "contactpersoon",
    # kansenlijst and counts per buurt
    "gemeentecode": "gemeentecode",
    "jaar": "jaar",
    "buurtcode": "buurtcode",
    "buurtnaam": "buurt",
    "wijknaam": "wijk",
    "werkgebied": "werkgebied",
    "rank": "plaats",
    "score": "kansscore",
    "coverage": "dekking",
    "share_5min": "aandeel binnen 5 min",
    "share_10min": "aandeel binnen 10 min",
    "share_15min": "aandeel binnen 15 min",
    "share_basis": "aandeel van",
    "nearest_m": "dichtstbij (m)",
    "straight_m": "dichtstbij in rechte lijn (m)",
    "distance_basis": "afstand gemeten",
    "network_share": "deel bereikt door loopnetwerk",
    "count": "in de buurt",
    "per_1000": "per 1000 inwoners",
    "venues_nearby": "locaties dichtbij",
    "need": "behoefte",
    "need_text": "hoog in de gemeente",
    "empty_slots": "lege dagdelen",
    "speed_kmh": "looptempo (km/u)",
    "reason": "waarom",
}


def excel_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Dutch Excel opens it with a double click: ``;`` between columns, a decimal
    comma, UTF-8 with a BOM, Dutch headings; formula-like text neutralised."""
    safe = _neutralised(frame, DUTCH_HEADERS)
    text = safe.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def listings_excel_csv(frame: pd.DataFrame) -> bytes:
    """Listings for Excel (Dutch headings, ``;``, decimal comma); ``import`` reads it back."""
    return excel_csv_bytes(_canonical(frame))


def listing_columns(frame: pd.DataFrame) -> list[str]:
    """The canonical columns of initiatives or venues, whichever ``frame`` holds."""
    columns = INITIATIVE_COLUMNS if "layer" in frame and "discipline" in frame else VENUE_COLUMNS
    return [c for c in columns if c in frame]


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[listing_columns(frame)].copy()
    for column in out.columns:
        out[column] = [
            ""
            if v is None or (not isinstance(v, str | bool) and pd.isna(v))
            else v.isoformat()
            if hasattr(v, "isoformat")
            else v
            for v in out[column]
        ]
    return out


def listings_csv(frame: pd.DataFrame) -> bytes:
    """Listings in the canonical CSV format (the format ``socialbasis import`` reads)."""
    return csv_bytes(_canonical(frame))


def listings_geojson(frame: gpd.GeoDataFrame) -> bytes:
    """Listings as GeoJSON points in WGS84 with every canonical field as a property."""
    points = gpd.GeoDataFrame(
        _canonical(frame), geometry=frame.geometry.to_crs(WGS84).values, crs=WGS84
    )
    return points.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def listings_geopackage(frame: gpd.GeoDataFrame, layer: str) -> bytes:
    """Listings as one layer of a GeoPackage (RD New), for QGIS and other GIS tools."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        points = gpd.GeoDataFrame(_canonical(frame), geometry=frame.geometry.values, crs=frame.crs)
        points.to_file(path, layer=layer, driver="GPKG")
        return path.read_bytes()


_HSDS_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_HSDS_HOURS = {
    "ochtend": ("09:00", "12:00"),
    "middag": ("13:00", "17:00"),
    "avond": ("19:00", "22:00"),
}
HSDS_TAXONOMY = "sociale-basis-kaart"
HSDS_METADATA_FIELDS = (
    "source",
    "start_date",
    "end_date",
    "wheelchair",
    "layer_suggested",
    "geocoded",
)


def _hsds_schedules(record_id: str, schedule: str) -> list[dict[str, object]]:
    by_part: dict[str, list[str]] = {}
    for slot in filter(None, (schedule or "").split(";")):
        day, part = slot.split("-")
        by_part.setdefault(part, []).append(_HSDS_DAYS[WEEKDAYS.index(day)])
    return [
        {
            "id": f"{record_id}-{part}",
            "freq": "WEEKLY",
            "byday": ",".join(days),
            "opens_at": _HSDS_HOURS[part][0],
            "closes_at": _HSDS_HOURS[part][1],
            "description": f"{part} ({', '.join(days)})",
        }
        for part, days in by_part.items()
    ]


def _hsds_attributes(record: dict[str, object]) -> list[dict[str, object]]:
    attributes = []
    for field_name in (
        "layer",
        "support_activation",
        "individual_collective",
        "discipline",
        "target_groups",
    ):
        for value in filter(None, str(record.get(field_name) or "").split(";")):
            attributes.append(
                {
                    "id": f"{record['id']}-{field_name}-{value}",
                    "link_type": "service",
                    "taxonomy_term": {
                        "id": f"{field_name}:{value}",
                        "code": f"{field_name}:{value}",
                        "name": value,
                        "taxonomy": HSDS_TAXONOMY,
                    },
                }
            )
    return attributes


def listings_hsds(initiatives: pd.DataFrame) -> bytes:
    """Initiatives as Open Referral HSDS 3 JSON: a list of services with organisation,
    location, schedules, cost and the sociale-basis classification as attributes."""
    services = []
    for record in _canonical(initiatives).to_dict("records"):
        record_id = str(record["id"])
        cost = record.get("cost")
        services.append(
            {
                "id": record_id,
                "name": record["name"],
                "description": record["description"],
                "status": "active",
                "url": record.get("website") or None,
                "email": record.get("email") or None,
                "phones": (
                    [{"id": f"{record_id}-tel", "number": record["phone"]}]
                    if record.get("phone")
                    else []
                ),
                # Personal data: only there when the export was asked to include it.
                "contacts": (
                    [{"id": f"{record_id}-contact", "name": record["contact_person"]}]
                    if record.get("contact_person")
                    else []
                ),
                "organization": {
                    "id": f"org-{record['organisation'] or record_id}",
                    "name": record["organisation"],
                },
                "service_at_locations": [
                    {
                        "id": f"{record_id}-sal",
                        "location": {
                            "id": f"{record_id}-loc",
                            "location_type": "physical",
                            "name": record["name"],
                            "latitude": float(record["lat"]),
                            "longitude": float(record["lon"]),
                            "addresses": [
                                {
                                    "id": f"{record_id}-adr",
                                    "address_1": record["address"],
                                    "address_type": "physical",
                                    "country": "NL",
                                }
                            ],
                            "accessibility": (
                                [
                                    {
                                        "id": f"{record_id}-acc",
                                        "description": "rolstoeltoegankelijk (wheelchair)",
                                    }
                                ]
                                if record.get("wheelchair") == "ja"
                                else []
                            ),
                        },
                    }
                ],
                "schedules": _hsds_schedules(record_id, str(record.get("schedule") or "")),
                "cost_options": (
                    [
                        {
                            "id": f"{record_id}-cost",
                            "option": cost,
                            "amount": 0 if cost == "gratis" else None,
                        }
                    ]
                    if cost
                    else []
                ),
                "attributes": _hsds_attributes(record),
                "last_modified": record.get("last_verified") or None,
                # Fields HSDS has no place for travel as metadata; an import restores them.
                "metadata": [
                    {
                        "id": f"{record_id}-{name}",
                        "resource_id": record_id,
                        "resource_type": "service",
                        "field_name": name,
                        "previous_value": "",
                        "replacement_value": str(record.get(name, "")),
                        "updated_by": HSDS_TAXONOMY,
                        "last_action_type": "export",
                    }
                    for name in HSDS_METADATA_FIELDS
                ],
            }
        )
    return json.dumps(services, ensure_ascii=False, indent=1).encode("utf-8")


def counts_per_buurt(
    buurten: pd.DataFrame, initiatives: pd.DataFrame, gemeentecode: str, year: int
) -> pd.DataFrame:
    """Initiatives per buurt and layer, keyed on CBS codes with their vintage year."""
    counts = (
        initiatives.groupby(["buurtcode", "layer"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=buurten["buurtcode"], columns=codes(Layer), fill_value=0)
    )
    out = buurten[["buurtcode", "buurtnaam", "wijkcode", "wijknaam", "werkgebied"]].copy()
    out.insert(0, "jaar", year)
    out.insert(0, "gemeentecode", gemeentecode)
    for layer in codes(Layer):
        out[f"aantal_{layer}"] = counts[layer].to_numpy()
    return out.reset_index(drop=True)
