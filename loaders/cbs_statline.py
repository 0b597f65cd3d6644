"""Kerncijfers wijken en buurten (CBS StatLine, OData v3) for the buurten of a gemeente.

    {cbs_odata_url}/{table}/DataProperties
    {cbs_odata_url}/{table}/TypedDataSet?$filter=startswith(WijkenEnBuurten,'BU0479')

One table per year (the ids are in ``TABLES``; verify them in the CBS catalogue for a new
year, or pass ``table``). Missing figures are ``null`` in StatLine and stay missing. Counts
are turned into percentages of their base (65+ of inhabitants, single-person households of
all households); a figure the table already gives as a percentage is taken as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loaders._http import HttpClient, ResponseFormatError
from loaders._odata import Property, fetch_rows, parse_properties
from loaders._values import MissingCounter, number_or_none, text
from loaders.provenance import FigureSource, Provenance
from socialbasis.errors import ServiceError
from socialbasis.i18n import N_, _

SERVICE = "CBS StatLine (Kerncijfers wijken en buurten)"
LICENCE = "CC BY 4.0"
TABLES: dict[int, str] = {
    2024: "85984NED",
    2023: "85618NED",
    2022: "85318NED",
    2021: "85039NED",
    2020: "84799NED",
}

# key stem in the table -> (canonical column, label)
TOPICS: dict[str, tuple[str, str]] = {
    "AantalInwoners": ("inwoners", "Inwoners"),
    "k_65JaarOfOuder": ("n_65plus", N_("65 jaar en ouder")),
    "HuishoudensTotaal": ("huishoudens", "Huishoudens"),
    "Eenpersoonshuishoudens": ("eenpersoonshuishoudens", "Eenpersoonshuishoudens"),
    "HuishoudensMetEenLaagInkomen": (
        "pct_laag_inkomen",
        N_("Huishoudens met een laag inkomen (%)"),
    ),
    "PersonenPerSoortUitkeringBijstand": ("n_bijstand", N_("Personen met bijstand")),
    "Bevolkingsdichtheid": ("bevolkingsdichtheid", N_("Inwoners per km²")),
}
GEO_KEY = "WijkenEnBuurten"
# Counts that are turned into a share of their base, then dropped.
COUNT_ONLY = ("n_65plus", "n_bijstand", "eenpersoonshuishoudens")


@dataclass(frozen=True)
class KeyFigures:
    frame: pd.DataFrame  # buurtcode plus canonical figure columns
    figures: list[FigureSource]
    provenance: list[Provenance]
    notes: list[str]
    gemeente: dict[str, float] = field(default_factory=dict)  # the same figures, gemeente


def _is_percentage(prop: Property) -> bool:
    return "%" in prop.unit or "procent" in prop.unit.lower()


@dataclass(frozen=True)
class ParsedFigures:
    """Key figures per buurt and for the gemeente, and why figures are missing."""

    buurten: pd.DataFrame  # buurtcode plus canonical figure columns
    gemeente: dict[str, float]  # the gemeente row's figures (empty when not in the rows)
    missing: MissingCounter


def rows_to_frame(
    rows: list[dict], topics: dict[str, Property], gemeentecode: str | None = None
) -> pd.DataFrame:
    """TypedDataSet rows to one row per buurt with canonical columns (pure)."""
    return parse_rows(rows, topics, gemeentecode).buurten


def parse_rows(
    rows: list[dict], topics: dict[str, Property], gemeentecode: str | None = None
) -> ParsedFigures:
    """TypedDataSet rows to one row per buurt, plus the gemeente's row (pure).

    Percentages are derived from counts where the table gives counts. Every negative code
    and ``null`` becomes missing, counted with its reason. A buurt that occurs twice is an
    error: a doubled answer must not double the buurten. With ``gemeentecode``, only that
    gemeente's buurten are kept (also when a service ignored the filter).
    """
    records, gemeente_record = [], None
    counter = MissingCounter()
    prefix = "BU" + gemeentecode[2:] if gemeentecode else "BU"
    for row in rows:
        code = text(row.get(GEO_KEY))
        is_gemeente = gemeentecode is not None and code == gemeentecode
        if not (code.startswith(prefix) or is_gemeente):
            continue
        record: dict[str, object] = {"buurtcode": code}
        for stem, prop in topics.items():
            column = TOPICS[stem][0]
            record[column] = (
                number_or_none(row.get(prop.key))
                if is_gemeente
                else counter.add(column, row.get(prop.key))
            )
        if is_gemeente:
            gemeente_record = record
        else:
            records.append(record)
    columns = ["buurtcode", *(TOPICS[s][0] for s in topics)]
    frame = pd.DataFrame.from_records(records, columns=columns)
    doubled = sorted(set(frame.loc[frame["buurtcode"].duplicated(), "buurtcode"]))
    if doubled:
        raise ResponseFormatError(
            _("buurtcode(s) meer dan één keer in de rijen: {items}").format(
                items=", ".join(doubled[:5])
            )
        )
    both = pd.DataFrame.from_records(
        [*records, *([gemeente_record] if gemeente_record else [])], columns=columns
    )
    both[columns[1:]] = both[columns[1:]].astype(float)  # figures are numbers, also all-missing
    both = _derive(both, topics)
    buurten = both.iloc[: len(frame)].reset_index(drop=True)
    gemeente = (
        {c: float(v) for c, v in both.iloc[-1].drop("buurtcode").items() if pd.notna(v)}
        if gemeente_record
        else {}
    )
    return ParsedFigures(buurten, gemeente, counter)


def _derive(frame: pd.DataFrame, topics: dict[str, Property]) -> pd.DataFrame:
    """Shares from counts: 65+ and bijstand of inhabitants, single-person households of all
    households (a figure the table already gives as a percentage is taken as it is)."""
    if "n_65plus" in frame and "inwoners" in frame:
        frame["pct_65plus"] = _share(frame["n_65plus"], frame["inwoners"])
    if "n_bijstand" in frame and "inwoners" in frame:
        frame["pct_bijstand"] = _share(frame["n_bijstand"], frame["inwoners"])
    single = topics.get("Eenpersoonshuishoudens")
    if single is not None:
        if _is_percentage(single):
            frame["pct_eenpersoonshuishoudens"] = frame["eenpersoonshuishoudens"]
        elif "huishoudens" in frame:
            frame["pct_eenpersoonshuishoudens"] = _share(
                frame["eenpersoonshuishoudens"], frame["huishoudens"]
            )
    return frame.drop(columns=[c for c in COUNT_ONLY if c in frame])


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    part, whole = part.astype(float), whole.astype(float)
    return (part / whole * 100).where(whole > 0).round(1)


LABELS = {
    "inwoners": "Inwoners",
    "huishoudens": "Huishoudens",
    "pct_65plus": N_("65 jaar en ouder (%)"),
    "pct_eenpersoonshuishoudens": N_("Eenpersoonshuishoudens (%)"),
    "pct_laag_inkomen": N_("Huishoudens met een laag inkomen (%)"),
    "pct_bijstand": N_("Personen met bijstand (% van de inwoners)"),
    "bevolkingsdichtheid": N_("Inwoners per km²"),
}
# A derived share is missing where its count or its base is: the reason comes from those.
DERIVED_FROM = {
    "pct_65plus": ("n_65plus", "inwoners"),
    "pct_bijstand": ("n_bijstand", "inwoners"),
    "pct_eenpersoonshuishoudens": ("eenpersoonshuishoudens", "huishoudens"),
}


def figure_notes(parsed: ParsedFigures, table: str) -> list[str]:
    """Per figure: how many buurten miss it and why (from the codes in the table)."""
    frame, notes = parsed.buurten, []
    for column, label in LABELS.items():
        if column not in frame:
            continue
        count = int(frame[column].isna().sum())
        if not count:
            continue
        why = parsed.missing.describe(column)
        for source in DERIVED_FROM.get(column, ()):
            why = why or parsed.missing.describe(source)
        why = why or _("basis is 0")
        notes.append(
            _("{count} van {count2} buurten zonder '{label}' in {table} ({why})").format(
                count=count, count2=len(frame), label=label, table=table, why=why
            )
        )
    return notes


def fetch_key_figures(
    client: HttpClient, base: str, gemeentecode: str, year: int, table: str | None = None
) -> KeyFigures:
    table = table or TABLES.get(year)
    if table is None:
        raise ServiceError(
            SERVICE,
            base,
            _("geen tabel bekend voor {year}").format(year=year),
            _("Geef de tabel op (bekende jaren: {items}).").format(
                items=", ".join(map(str, TABLES))
            ),
        )
    properties = client.json(SERVICE, f"{base}/{table}/DataProperties", parse=parse_properties)
    topics = {stem: prop for stem, prop in properties.body.items() if stem in TOPICS}
    if GEO_KEY not in properties.body:
        raise ServiceError(
            SERVICE,
            properties.url,
            _("tabel {table} heeft geen {geo_key}").format(table=table, geo_key=GEO_KEY),
            _("Is dit wel een tabel Kerncijfers wijken en buurten?"),
        )
    if not topics:
        raise ServiceError(
            SERVICE,
            properties.url,
            _("geen van de verwachte cijfers gevonden (verwacht een van {items})").format(
                items=", ".join(TOPICS)
            ),
            _("De tabel heeft andere kolommen; meld dit bij de makers."),
        )
    select = ",".join([GEO_KEY, *(prop.key for prop in topics.values())])
    rows = fetch_rows(
        client,
        SERVICE,
        f"{base}/{table}/TypedDataSet",
        {
            "$filter": (
                f"startswith({GEO_KEY},'BU{gemeentecode[2:]}') or "
                f"startswith({GEO_KEY},'{gemeentecode}')"
            ),
            "$select": select,
        },
    )
    try:
        parsed = parse_rows(rows.rows, topics, gemeentecode)
    except (TypeError, AttributeError, ResponseFormatError) as exc:
        raise ServiceError(
            SERVICE, rows.url, _("onverwachte rijen: {exc}").format(exc=exc)
        ) from exc
    frame = parsed.buurten
    if frame.empty:
        raise ServiceError(
            SERVICE,
            rows.url,
            _("geen buurten van {gemeentecode} in {table}").format(
                gemeentecode=gemeentecode, table=table
            ),
            _("Controleer de gemeentecode en het jaar."),
        )
    source = f"CBS StatLine {table}"
    figures = [FigureSource(c, LABELS[c], source, year) for c in frame.columns if c in LABELS]
    missing_topics = [TOPICS[s][1] for s in TOPICS if s not in topics]
    notes = (
        [_("{table} heeft niet: {items}").format(table=table, items=", ".join(missing_topics))]
        if missing_topics
        else []
    )
    notes += figure_notes(parsed, table)
    return KeyFigures(
        frame,
        figures,
        [Provenance("kerncijfers", source, rows.url, LICENCE, year, rows.retrieved)],
        notes,
        parsed.gemeente,
    )
