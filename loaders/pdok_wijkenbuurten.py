"""CBS wijken and buurten of one gemeente and year, from the PDOK OGC API Features.

    {pdok_url}/wijken-en-buurten-{jaar}/ogc/v1/collections/{buurten|wijken}/items
        ?f=json&limit=1000&gemeentecode=GM0479

The response is GeoJSON in WGS84 with ``links``; pages are followed through ``rel=next``.
Property names differ between services (snake_case in the OGC API, camelCase in the older
WFS), so every field is looked up under each known spelling. CBS's negative sentinels for
secret or unknown figures become missing values, never numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from loaders._http import HttpClient, ResponseFormatError
from loaders._values import MissingCounter, first_present, missing_notes, text
from loaders.provenance import FigureSource, Provenance
from socialbasis.areas import normalise_buurten
from socialbasis.errors import ServiceError
from socialbasis.geo import WGS84
from socialbasis.i18n import N_, _

SERVICE = "PDOK (CBS Wijken en Buurten)"
LICENCE = "CC BY 4.0"
PAGE_SIZE = 1000
MAX_PAGES = 200

CODE_PROPERTIES: dict[str, tuple[str, ...]] = {
    "buurtcode": ("buurtcode", "statcode", "buurtCode", "BU_CODE"),
    "buurtnaam": ("buurtnaam", "statnaam", "buurtNaam", "BU_NAAM"),
    "wijkcode": ("wijkcode", "wijkCode", "WK_CODE"),
    "wijknaam": ("wijknaam", "wijkNaam", "statnaam", "WK_NAAM"),
    "gemeentecode": ("gemeentecode", "gemeenteCode", "gm_code", "GM_CODE"),
    "gemeentenaam": ("gemeentenaam", "gemeenteNaam", "gm_naam", "GM_NAAM"),
}
# Land or water: "JA" marks a water part (a pseudo-buurt such as BU02339997, or a gemeente's
# water under the gemeente's own code), with every figure a sentinel. Water parts are left out.
WATER_PROPERTIES = ("water", "WATER", "Water")
LEVELS = ("buurt", "wijk", "gemeente")

# canonical column -> (label, property names in the OGC API and the older WFS)
FIGURE_PROPERTIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "inwoners": ("Inwoners", ("aantal_inwoners", "aantalInwoners")),
    "huishoudens": ("Huishoudens", ("aantal_huishoudens", "aantalHuishoudens")),
    "pct_65plus": (
        N_("65 jaar en ouder (%)"),
        ("percentage_personen_65_jaar_en_ouder", "percentagePersonen65JaarEnOuder"),
    ),
    "pct_eenpersoonshuishoudens": (
        N_("Eenpersoonshuishoudens (%)"),
        ("percentage_eenpersoonshuishoudens", "percentageEenpersoonshuishoudens"),
    ),
    "pct_laag_inkomen": (
        N_("Huishoudens met een laag inkomen (%)"),
        ("percentage_huishoudens_met_laag_inkomen", "percentageHuishoudensMetLaagInkomen"),
    ),
    "bevolkingsdichtheid": (
        N_("Inwoners per km²"),
        ("bevolkingsdichtheid_inwoners_per_km2", "bevolkingsdichtheidInwonersPerKm2"),
    ),
}


@dataclass(frozen=True)
class Page:
    features: list[dict[str, Any]]
    next_url: str | None
    number_matched: int | None = None  # how many features the whole query has, when said


def parse_page(body: Any) -> Page:
    """One page of an OGC API Features response (pure)."""
    if not isinstance(body, dict) or not isinstance(body.get("features"), list):
        keys = ", ".join(sorted(body)) if isinstance(body, dict) else type(body).__name__
        raise ResponseFormatError(
            _("verwacht een GeoJSON FeatureCollection met 'features', kreeg: {keys}").format(
                keys=keys
            )
        )
    next_url = next(
        (
            link.get("href")
            for link in body.get("links") or []
            if isinstance(link, dict) and link.get("rel") == "next"
        ),
        None,
    )
    matched = body.get("numberMatched")
    return Page(body["features"], next_url, matched if isinstance(matched, int) else None)


@dataclass(frozen=True)
class ParsedAreas:
    frame: gpd.GeoDataFrame  # canonical code/name columns plus figure columns, in ``crs``
    missing_figures: dict[str, int]  # per figure column: how many were secret or unknown
    absent_figures: list[str]  # figure columns the service did not carry at all
    water_parts: int = 0  # features left out because they are water (water = JA)
    missing: MissingCounter = field(default_factory=MissingCounter)

    def notes(self, what: str) -> list[str]:
        """Per figure, how many areas miss it and why; and how many water parts were left out."""
        labels = {c: FIGURE_PROPERTIES[c][0] for c in self.missing_figures}
        notes = missing_notes(self.missing, labels, len(self.frame), what)
        if self.water_parts:
            notes.append(
                _(
                    "{water_parts} waterdeel/waterdelen (water = JA) weggelaten: dat zijn geen "
                    "buurten waar mensen wonen, en al hun cijfers zijn geheimcodes"
                ).format(water_parts=self.water_parts)
            )
        return notes


def is_water_part(properties: dict[str, Any]) -> bool:
    """True for a water part of the Wijk- en buurtkaart (``water`` = ``JA``)."""
    _key, value = first_present(properties, WATER_PROPERTIES)
    return text(value).upper() == "JA"


def _geometry(feature: dict[str, Any], number: int, code: str) -> BaseGeometry:
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        raise ResponseFormatError(
            _("feature {number} ({code}) heeft geen geometrie").format(number=number, code=code)
        )
    try:
        shaped = shape(geometry)
        numbers = shapely.get_coordinates(shaped)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise ResponseFormatError(
            _(
                "feature {number} ({code}): geometrie niet te lezen ({exc}); verwacht een "
                "GeoJSON-vlak met getallen als coördinaten"
            ).format(number=number, code=code, exc=exc)
        ) from exc
    if shaped.is_empty or not np.isfinite(numbers).all():
        raise ResponseFormatError(
            _("feature {number} ({code}): lege of ongeldige coördinaten").format(
                number=number, code=code
            )
        )
    return shaped


def features_to_frame(features: list[dict[str, Any]], level: str, crs: str = WGS84) -> ParsedAreas:
    """Features of ``level`` ('buurt', 'wijk' or 'gemeente') to a frame with canonical
    columns (pure). Water parts are left out and counted; every negative CBS code becomes a
    missing value, counted with its reason."""
    if level not in LEVELS:
        raise ValueError(f"'level' must be one of {', '.join(LEVELS)}, not {level!r}")
    code_column, name_column = f"{level}code", f"{level}naam"
    columns = dict.fromkeys((code_column, name_column, "wijkcode", "gemeentecode", "gemeentenaam"))
    rows, geometries = [], []
    seen_figures: set[str] = set()
    counter = MissingCounter()
    water = 0
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise ResponseFormatError(
                _("feature {number} is geen object maar {name}").format(
                    number=number, name=type(feature).__name__
                )
            )
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise ResponseFormatError(
                _("feature {number}: 'properties' is geen object").format(number=number)
            )
        if is_water_part(properties):
            water += 1
            continue
        row: dict[str, Any] = {}
        for column in columns:
            _key, value = first_present(properties, CODE_PROPERTIES[column])
            row[column] = text(value)
        if not row[code_column]:
            raise ResponseFormatError(
                _(
                    "feature {number} heeft geen {code_column} (verwacht een van {items}; kreeg "
                    "{items2})"
                ).format(
                    number=number,
                    code_column=code_column,
                    items=", ".join(CODE_PROPERTIES[code_column]),
                    items2=", ".join(properties),
                )
            )
        for column, (_label, names) in FIGURE_PROPERTIES.items():
            found, value = first_present(properties, names)
            if found is not None:
                seen_figures.add(column)
                row[column] = counter.add(column, value)
        geometries.append(_geometry(feature, number, row[code_column]))
        rows.append(row)
    figure_columns = [c for c in FIGURE_PROPERTIES if c in seen_figures]
    table = pd.DataFrame(rows, columns=[*columns, *figure_columns])
    table[figure_columns] = table[figure_columns].astype(float)
    frame = gpd.GeoDataFrame(
        table,
        geometry=geometries,
        crs=crs,
    )
    absent = [c for c in FIGURE_PROPERTIES if c not in seen_figures]
    return ParsedAreas(
        frame,
        {c: counter.missing(c) for c in FIGURE_PROPERTIES if c in seen_figures},
        absent,
        water,
        counter,
    )


def collection_url(base: str, year: int, collection: str) -> str:
    return f"{base}/wijken-en-buurten-{year}/ogc/v1/collections/{collection}/items"


@dataclass(frozen=True)
class Collected:
    features: list[dict[str, Any]]
    url: str  # of the first page
    retrieved: datetime  # of the oldest page (pages may come from the cache)


def fetch_features(
    client: HttpClient, base: str, year: int, collection: str, gemeentecode: str
) -> Collected:
    """All features of a collection for one gemeente, following ``next`` links."""
    url: str | None = collection_url(base, year, collection)
    params: dict[str, Any] | None = {"f": "json", "limit": PAGE_SIZE, "gemeentecode": gemeentecode}
    pages = []
    for _attempt in range(MAX_PAGES):
        if url is None:
            features = [f for page in pages for f in page.body.features]
            promised = pages[0].body.number_matched
            if promised is not None and promised != len(features):
                raise ServiceError(
                    SERVICE,
                    pages[0].url,
                    _("beloofde {promised} gebieden (numberMatched) maar gaf er {count}").format(
                        promised=promised, count=len(features)
                    ),
                    _("Het antwoord is niet compleet; probeer het later opnieuw."),
                )
            return Collected(features, pages[0].url, min(page.retrieved for page in pages))
        pages.append(client.json(SERVICE, url, params=params, parse=parse_page))
        url, params = pages[-1].body.next_url, None  # the next link carries every parameter
    raise ServiceError(
        SERVICE,
        pages[0].url,
        _("meer dan {max_pages} pagina's").format(max_pages=MAX_PAGES),
        _("Het filter op gemeentecode werkt waarschijnlijk niet."),
    )


@dataclass(frozen=True)
class Areas:
    """Buurten (RD, canonical, with figures), names, and where they came from."""

    buurten: gpd.GeoDataFrame
    names: dict[str, str]
    figures: list[FigureSource]
    provenance: list[Provenance]
    notes: list[str]


def _check_gemeente(frame: pd.DataFrame, gemeentecode: str, url: str) -> None:
    other = sorted(set(frame["gemeentecode"]) - {gemeentecode, ""})
    if other:
        raise ServiceError(
            SERVICE,
            url,
            _("gaf ook gebieden van andere gemeenten ({items}) terug").format(
                items=", ".join(other[:5])
            ),
            _("Het filter op gemeentecode werkt niet zoals verwacht; meld dit bij de makers."),
        )
    if frame.empty:
        raise ServiceError(
            SERVICE,
            url,
            _("geen buurten gevonden voor {gemeentecode}").format(gemeentecode=gemeentecode),
            _("Controleer de gemeentecode en het jaar."),
        )


def fetch_areas(client: HttpClient, base: str, gemeentecode: str, year: int) -> Areas:
    """Buurten with their key figures, and wijk and gemeente names, for a gemeente and year."""
    buurt_pages = fetch_features(client, base, year, "buurten", gemeentecode)
    parsed = features_to_frame(buurt_pages.features, "buurt")
    _check_gemeente(parsed.frame, gemeentecode, buurt_pages.url)
    wijk_pages = fetch_features(client, base, year, "wijken", gemeentecode)
    wijken = features_to_frame(wijk_pages.features, "wijk").frame
    duplicated = sorted(set(wijken.loc[wijken["wijkcode"].duplicated(), "wijkcode"]))
    if duplicated:
        raise ServiceError(
            SERVICE,
            wijk_pages.url,
            _("wijkcode(s) meer dan één keer in het antwoord: {items}").format(
                items=", ".join(duplicated[:5])
            ),
            _("Het antwoord is niet compleet of dubbel; probeer het later opnieuw."),
        )
    names = dict(zip(wijken["wijkcode"], wijken["wijknaam"], strict=True))
    gemeentenaam = next((n for n in parsed.frame["gemeentenaam"] if n), gemeentecode)
    names[gemeentecode] = gemeentenaam
    buurten = normalise_buurten(
        parsed.frame.drop(columns=["wijkcode", "gemeentecode", "gemeentenaam"]),
        f"{SERVICE} {buurt_pages.url}",
    )
    source = f"CBS/Kadaster, Wijk- en buurtkaart {year} (via PDOK)"
    figures = [
        FigureSource(column, FIGURE_PROPERTIES[column][0], source, year)
        for column in FIGURE_PROPERTIES
        if column in buurten
    ]
    notes = parsed.notes("buurten")
    if parsed.absent_figures:
        notes.append(
            _("PDOK gaf deze cijfers niet: ")
            + ", ".join(FIGURE_PROPERTIES[c][0] for c in parsed.absent_figures)
        )
    return Areas(
        buurten=buurten,
        names=names,
        figures=figures,
        provenance=[
            Provenance(
                "grenzen",
                f"Bron: CBS/Kadaster, Wijk- en buurtkaart {year}",
                buurt_pages.url,
                LICENCE,
                year,
                buurt_pages.retrieved,
            ),
            Provenance("wijknamen", SERVICE, wijk_pages.url, LICENCE, year, wijk_pages.retrieved),
        ],
        notes=notes,
    )
