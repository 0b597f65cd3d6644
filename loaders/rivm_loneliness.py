"""Loneliness per buurt: RIVM/GGD "Gezondheid per wijk en buurt" (OData v3 on dataderden).

Small-area model estimates from the Gezondheidsmonitor Volwassenen en Ouderen, per buurt of
one CBS division. The table is chosen to match the boundary year, so that estimates are only
joined to buurten of the same division:

    50090NED  rounds 2012, 2016, 2020        buurt division 2020
    50120NED  rounds 2012, 2016, 2020, 2022  buurt division 2022
    50150NED  rounds 2012 to 2024            buurt division 2024

Variables are looked up by their key stem through DataProperties (``Eenzaam_27`` in one table,
``Eenzaam_28`` in another). Dimensions: ``Leeftijd`` chosen by title (18 jaar of ouder, 65 jaar
of ouder; the documented keys 20300 and 80200 when titles differ), ``Marges`` by key:
``MW00000`` the estimate, ``MOG0095``/``MBG0095`` the lower and upper bound of its 95 %
interval, which are kept and shown with every loneliness figure. ``Perioden``: the latest
round not after the requested year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from loaders._http import HttpClient, ResponseFormatError
from loaders._odata import fetch_rows, parse_properties, parse_values
from loaders._values import MissingCounter, missing_notes, text
from loaders.provenance import FigureSource, Provenance
from socialbasis.errors import ServiceError
from socialbasis.figures import LOWER_SUFFIX, UPPER_SUFFIX
from socialbasis.i18n import N_, _

SERVICE = "RIVM (Gezondheid per wijk en buurt)"
TABLES: dict[int, str] = {2020: "50090NED", 2022: "50120NED", 2024: "50150NED"}
LICENCE = "CC BY 4.0"
ADULTS = re.compile(r"^18 jaar (of|en) ouder$", re.IGNORECASE)
ELDERLY = re.compile(r"^65 jaar (of|en) ouder$", re.IGNORECASE)
AGE_KEYS = {"adults": "20300", "elderly": "80200"}
ESTIMATE, LOWER, UPPER = "MW00000", "MOG0095", "MBG0095"
TOPICS = {"Eenzaam": "Eenzaam", "ErnstigZeerErnstigEenzaam": "(Zeer) ernstig eenzaam"}
LABELS = {
    "pct_eenzaam": N_("Eenzaam (%)"),
    "pct_ernstig_eenzaam": N_("(Zeer) ernstig eenzaam (%)"),
    "pct_eenzaam_65plus": N_("Eenzaam, 65+ (%)"),
}


def table_for_year(year: int) -> str | None:
    """The table whose buurt division is ``year``; None when there is none."""
    return TABLES.get(year)


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str


def parse_dimension(body: Any) -> list[Dimension]:
    """Items of a dimension list such as ``/Leeftijd`` (pure)."""
    return [
        Dimension(str(item.get("Key", "")).strip(), str(item.get("Title", "")).strip())
        for item in parse_values(body)
        if isinstance(item, dict)
    ]


def pick(
    dimension: list[Dimension], pattern: re.Pattern[str], name: str, key: str | None = None
) -> Dimension:
    """The category whose title matches ``pattern``, else the one with the documented key."""
    for item in dimension:
        if pattern.match(item.title):
            return item
    for item in dimension:
        if key is not None and item.key == key:
            return item
    titles = ", ".join(repr(i.title) for i in dimension)
    raise ResponseFormatError(
        _("{name}: geen categorie die past bij {pattern!r}; wel: {titles}").format(
            name=name, pattern=pattern.pattern, titles=titles
        )
    )


def pick_margins(margins: list[Dimension]) -> tuple[Dimension, Dimension | None, Dimension | None]:
    """The estimate and, when the table has them, the 95 % bounds, by their keys."""
    by_key = {m.key: m for m in margins}
    if ESTIMATE not in by_key:
        found = ", ".join(f"{m.key} ({m.title})" for m in margins)
        raise ResponseFormatError(
            _("Marges: geen {estimate} (de schatting); wel: {found}").format(
                estimate=ESTIMATE, found=found
            )
        )
    return by_key[ESTIMATE], by_key.get(LOWER), by_key.get(UPPER)


def pick_period(periods: list[Dimension], year: int) -> Dimension:
    """The latest round not after ``year`` (titles are years such as "2022")."""
    rounds = sorted((int(p.title[:4]), p) for p in periods if p.title[:4].isdigit())
    usable = [p for y, p in rounds if y <= year]
    if not usable:
        found = ", ".join(p.title for _key, p in rounds)
        raise ResponseFormatError(
            _("geen meting in of voor {year}; wel: {found}").format(year=year, found=found)
        )
    return usable[-1]


@dataclass(frozen=True)
class Loneliness:
    frame: pd.DataFrame  # buurtcode, pct_eenzaam(+bounds), pct_ernstig_eenzaam, ...
    round_year: int
    table: str
    figures: list[FigureSource]
    provenance: list[Provenance]
    notes: list[str]


def rows_to_frame(
    rows: list[dict[str, Any]],
    keys: dict[str, str],
    adults: str,
    elderly: str | None,
    margins: tuple[str, str | None, str | None] = (ESTIMATE, None, None),
    counter: MissingCounter | None = None,
) -> pd.DataFrame:
    """Rows (one per buurt, age group and margin) to one row per buurt (pure).

    Columns: the estimates, and for each a ``_ondergrens``/``_bovengrens`` column when the
    rows carry the 95 % bounds. Rows without ``Marges`` are taken as estimates.
    """
    counter = counter or MissingCounter()
    estimate, lower, upper = margins
    suffix = {estimate: "", lower: LOWER_SUFFIX, upper: UPPER_SUFFIX}
    records: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        code = text(row.get("WijkenEnBuurten"))
        if not code.startswith("BU"):
            continue
        age = text(row.get("Leeftijd"))
        margin = text(row.get("Marges")) or estimate
        if margin not in suffix:
            continue
        if (code, age, margin) in seen:
            raise ResponseFormatError(
                _("{code} staat meer dan één keer in de rijen ({age})").format(code=code, age=age)
            )
        seen.add((code, age, margin))
        record = records.setdefault(code, {"buurtcode": code})
        end = suffix[margin]
        values: dict[str, Any] = {}
        if age == adults:
            values = {
                "pct_eenzaam": row.get(keys["Eenzaam"]),
                "pct_ernstig_eenzaam": row.get(keys["ErnstigZeerErnstigEenzaam"]),
            }
        elif elderly and age == elderly:
            values = {"pct_eenzaam_65plus": row.get(keys["Eenzaam"])}
        for column, value in values.items():
            record[column + end] = (
                counter.add(column, value) if not end else counter.add(column + end, value)
            )
    columns = ["buurtcode"]
    for column in LABELS:
        columns.append(column)
        if lower:
            columns.append(column + LOWER_SUFFIX)
        if upper:
            columns.append(column + UPPER_SUFFIX)
    frame = pd.DataFrame.from_records(list(records.values()), columns=columns)
    frame[columns[1:]] = frame[columns[1:]].astype(float)
    return frame


def fetch_loneliness(
    client: HttpClient, base: str, gemeentecode: str, year: int, table: str | None = None
) -> Loneliness:
    """Loneliness estimates for the buurten of ``gemeentecode`` in the division of ``year``."""
    table = table or table_for_year(year)
    if table is None:
        raise ServiceError(
            SERVICE,
            base,
            _("geen RIVM-tabel met de buurtindeling van {year}").format(year=year),
            _("Kies een jaar met een tabel ({tables}) of noem de tabel.").format(
                tables=", ".join(f"{y}: {t}" for y, t in TABLES.items())
            ),
        )
    root = f"{base}/{table}"
    properties = client.json(SERVICE, f"{root}/DataProperties", parse=parse_properties).body
    missing = [stem for stem in TOPICS if stem not in properties]
    if missing:
        raise ServiceError(
            SERVICE,
            f"{root}/DataProperties",
            _("onderwerp(en) {items} niet in tabel {table}").format(
                items=", ".join(missing), table=table
            ),
            _("Is de tabel veranderd? Meld dit bij de makers."),
        )
    keys = {stem: properties[stem].key for stem in TOPICS}
    ages = client.json(SERVICE, f"{root}/Leeftijd", parse=parse_dimension).body
    margins = client.json(SERVICE, f"{root}/Marges", parse=parse_dimension).body
    periods = client.json(SERVICE, f"{root}/Perioden", parse=parse_dimension).body
    try:
        adults = pick(ages, ADULTS, "Leeftijd", AGE_KEYS["adults"])
        elderly = next(
            (a for a in ages if ELDERLY.match(a.title) or a.key == AGE_KEYS["elderly"]), None
        )
        estimate, lower, upper = pick_margins(margins)
        period = pick_period(periods, year)
    except ResponseFormatError as exc:
        raise ServiceError(SERVICE, root, str(exc)) from exc
    wanted = [m.key for m in (estimate, lower, upper) if m is not None]
    rows = fetch_rows(
        client,
        SERVICE,
        f"{root}/TypedDataSet",
        {
            "$filter": (
                f"startswith(WijkenEnBuurten,'BU{gemeentecode[2:]}') and "
                f"({' or '.join(f'Marges eq {k!r}' for k in wanted)}) and "
                f"Perioden eq '{period.key}'"
            ),
            "$select": ",".join(["WijkenEnBuurten", "Leeftijd", "Marges", *keys.values()]),
        },
    )
    counter = MissingCounter()
    try:
        frame = rows_to_frame(
            rows.rows,
            keys,
            adults.key,
            elderly.key if elderly else None,
            (estimate.key, lower.key if lower else None, upper.key if upper else None),
            counter,
        )
    except (ResponseFormatError, TypeError, AttributeError) as exc:
        raise ServiceError(
            SERVICE, rows.url, _("onverwachte rijen: {exc}").format(exc=exc)
        ) from exc
    round_year = int(period.title[:4])
    source = f"RIVM/GGD/CBS Gezondheidsmonitor {round_year} ({table}, modelschatting)"
    figures = [
        FigureSource(c, label, source, round_year)
        for c, label in LABELS.items()
        if frame[c].notna().any()
    ]
    notes = [
        _(
            "Eenzaamheid is een modelschatting uit de Gezondheidsmonitor {round_year} "
            "(tabel {table}), per buurt van de indeling van {year}, met een 95%-interval."
        ).format(round_year=round_year, table=table, year=year)
    ]
    if lower is None or upper is None:
        notes.append(
            _("Tabel {table} gaf geen 95%-grenzen; alleen de schatting getoond.").format(
                table=table
            )
        )
    notes += missing_notes(counter, LABELS, len(frame))
    if elderly is None:
        notes.append(_("Geen cijfers voor 65 jaar en ouder in deze tabel."))
    return Loneliness(
        frame,
        round_year,
        table,
        figures,
        [Provenance("eenzaamheid", source, rows.url, LICENCE, round_year, rows.retrieved)],
        notes,
    )
