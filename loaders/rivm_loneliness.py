"""Loneliness per buurt: RIVM/GGD "Gezondheid per wijk en buurt" (OData v3, table 50120NED).

Small-area model estimates from the Gezondheidsmonitor Volwassenen en Ouderen (rounds 2012,
2016, 2020, 2022), per buurt of that round's vintage. Dimensions are chosen by their titles
(``Leeftijd``: "18 jaar of ouder" and "65 jaar of ouder"; ``Marges``: the value, not the
interval bounds; ``Perioden``: the latest round not after the requested year), so a change of
internal codes does not give a silent wrong number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from loaders._http import HttpClient, ResponseFormatError
from loaders._odata import fetch_rows, parse_properties, parse_values
from loaders._values import number_or_none, text
from loaders.provenance import FigureSource, Provenance
from socialbasis.errors import ServiceError

SERVICE = "RIVM (Gezondheid per wijk en buurt)"
TABLE = "50120NED"
LICENCE = "CC BY 4.0"
ADULTS = re.compile(r"^18 jaar (of|en) ouder$", re.IGNORECASE)
ELDERLY = re.compile(r"^65 jaar (of|en) ouder$", re.IGNORECASE)
VALUE = re.compile(r"^waarde$", re.IGNORECASE)
TOPICS = {"Eenzaam": "Eenzaam", "ErnstigZeerErnstigEenzaam": "(Zeer) ernstig eenzaam"}


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str


def parse_dimension(body: Any) -> list[Dimension]:
    """Items of a dimension list such as ``/Leeftijd`` (pure)."""
    return [
        Dimension(str(item.get("Key", "")).strip(), str(item.get("Title", "")).strip())
        for item in parse_values(body)
    ]


def pick(dimension: list[Dimension], pattern: re.Pattern[str], name: str) -> Dimension:
    for item in dimension:
        if pattern.match(item.title):
            return item
    titles = ", ".join(repr(i.title) for i in dimension)
    raise ResponseFormatError(
        f"{name}: geen categorie die past bij {pattern.pattern!r}; wel: {titles}"
    )


def pick_period(periods: list[Dimension], year: int) -> Dimension:
    """The latest round not after ``year`` (titles are years such as "2022")."""
    rounds = sorted((int(p.title[:4]), p) for p in periods if p.title[:4].isdigit())
    usable = [p for y, p in rounds if y <= year]
    if not usable:
        found = ", ".join(p.title for _, p in rounds)
        raise ResponseFormatError(f"geen meting in of voor {year}; wel: {found}")
    return usable[-1]


@dataclass(frozen=True)
class Loneliness:
    frame: pd.DataFrame  # buurtcode, pct_eenzaam, pct_ernstig_eenzaam, pct_eenzaam_65plus
    round_year: int
    figures: list[FigureSource]
    provenance: list[Provenance]
    notes: list[str]


def rows_to_frame(
    rows: list[dict[str, Any]], keys: dict[str, str], adults: str, elderly: str | None
) -> pd.DataFrame:
    """Rows (one per buurt and age group) to one row per buurt (pure)."""
    records: dict[str, dict[str, Any]] = {}
    for row in rows:
        code = text(row.get("WijkenEnBuurten"))
        if not code.startswith("BU"):
            continue
        age = text(row.get("Leeftijd"))
        record = records.setdefault(code, {"buurtcode": code})
        if age == adults:
            record["pct_eenzaam"] = number_or_none(row.get(keys["Eenzaam"]))
            record["pct_ernstig_eenzaam"] = number_or_none(
                row.get(keys["ErnstigZeerErnstigEenzaam"])
            )
        elif elderly and age == elderly:
            record["pct_eenzaam_65plus"] = number_or_none(row.get(keys["Eenzaam"]))
    columns = ["buurtcode", "pct_eenzaam", "pct_ernstig_eenzaam", "pct_eenzaam_65plus"]
    return pd.DataFrame.from_records(list(records.values()), columns=columns)


def fetch_loneliness(client: HttpClient, base: str, gemeentecode: str, year: int) -> Loneliness:
    root = f"{base}/{TABLE}"
    properties = client.json(SERVICE, f"{root}/DataProperties", parse=parse_properties).body
    missing = [stem for stem in TOPICS if stem not in properties]
    if missing:
        raise ServiceError(
            SERVICE,
            f"{root}/DataProperties",
            f"onderwerp(en) {', '.join(missing)} niet in de tabel",
            "Is de tabel veranderd? Meld dit bij de makers.",
        )
    keys = {stem: properties[stem].key for stem in TOPICS}
    ages = client.json(SERVICE, f"{root}/Leeftijd", parse=parse_dimension).body
    margins = client.json(SERVICE, f"{root}/Marges", parse=parse_dimension).body
    periods = client.json(SERVICE, f"{root}/Perioden", parse=parse_dimension).body
    try:
        adults = pick(ages, ADULTS, "Leeftijd")
        elderly = next((a for a in ages if ELDERLY.match(a.title)), None)
        value = pick(margins, VALUE, "Marges")
        period = pick_period(periods, year)
    except ResponseFormatError as exc:
        raise ServiceError(SERVICE, root, str(exc)) from exc
    rows = fetch_rows(
        client,
        SERVICE,
        f"{root}/TypedDataSet",
        {
            "$filter": (
                f"startswith(WijkenEnBuurten,'BU{gemeentecode[2:]}') and "
                f"Marges eq '{value.key}' and Perioden eq '{period.key}'"
            ),
            "$select": ",".join(["WijkenEnBuurten", "Leeftijd", *keys.values()]),
        },
    )
    frame = rows_to_frame(rows.rows, keys, adults.key, elderly.key if elderly else None)
    round_year = int(period.title[:4])
    source = f"RIVM/GGD/CBS Gezondheidsmonitor {round_year} (modelschatting)"
    labels = {
        "pct_eenzaam": "Eenzaam (%)",
        "pct_ernstig_eenzaam": "(Zeer) ernstig eenzaam (%)",
        "pct_eenzaam_65plus": "Eenzaam, 65+ (%)",
    }
    figures = [
        FigureSource(c, label, source, round_year)
        for c, label in labels.items()
        if frame[c].notna().any()
    ]
    notes = [
        f"Eenzaamheid is een modelschatting van {round_year}, per buurt van de indeling "
        f"van {round_year}."
    ]
    if elderly is None:
        notes.append("Geen cijfers voor 65 jaar en ouder in deze tabel.")
    return Loneliness(
        frame,
        round_year,
        figures,
        [Provenance("eenzaamheid", source, rows.url, LICENCE, round_year, rows.retrieved)],
        notes,
    )
