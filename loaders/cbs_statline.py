"""Kerncijfers wijken en buurten (CBS StatLine, OData v3) for the buurten of a gemeente.

    {cbs_odata_url}/{table}/DataProperties
    {cbs_odata_url}/{table}/TypedDataSet?$filter=startswith(WijkenEnBuurten,'BU0479')

One table per year (the ids are in ``TABLES``; verify them in the CBS catalogue for a new
year, or pass ``table``). Missing figures are ``null`` in StatLine and stay missing. Counts
are turned into percentages of their base (65+ of inhabitants, single-person households of
all households); a figure the table already gives as a percentage is taken as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders._http import HttpClient
from loaders._odata import Property, fetch_rows, parse_properties
from loaders._values import number_or_none, text
from loaders.provenance import FigureSource, Provenance
from socialbasis.errors import ServiceError

SERVICE = "CBS StatLine (Kerncijfers wijken en buurten)"
LICENCE = "CC BY 4.0"
TABLES: dict[int, str] = {2024: "85984NED", 2023: "85618NED", 2022: "85318NED", 2021: "85039NED"}

# key stem in the table -> (canonical column, label)
TOPICS: dict[str, tuple[str, str]] = {
    "AantalInwoners": ("inwoners", "Inwoners"),
    "k_65JaarOfOuder": ("n_65plus", "65 jaar en ouder"),
    "HuishoudensTotaal": ("huishoudens", "Huishoudens"),
    "Eenpersoonshuishoudens": ("eenpersoonshuishoudens", "Eenpersoonshuishoudens"),
    "HuishoudensMetEenLaagInkomen": ("pct_laag_inkomen", "Huishoudens met een laag inkomen (%)"),
    "Bevolkingsdichtheid": ("bevolkingsdichtheid", "Inwoners per km²"),
}
GEO_KEY = "WijkenEnBuurten"


@dataclass(frozen=True)
class KeyFigures:
    frame: pd.DataFrame  # buurtcode plus canonical figure columns
    figures: list[FigureSource]
    provenance: list[Provenance]
    notes: list[str]


def _is_percentage(prop: Property) -> bool:
    return "%" in prop.unit or "procent" in prop.unit.lower()


def rows_to_frame(rows: list[dict], topics: dict[str, Property]) -> pd.DataFrame:
    """TypedDataSet rows to one row per buurt with canonical columns (pure).

    Percentages are derived from counts where the table gives counts.
    """
    records = []
    for row in rows:
        code = text(row.get(GEO_KEY))
        if not code.startswith("BU"):
            continue
        record = {"buurtcode": code}
        for stem, prop in topics.items():
            record[TOPICS[stem][0]] = number_or_none(row.get(prop.key))
        records.append(record)
    frame = pd.DataFrame.from_records(
        records, columns=["buurtcode", *(TOPICS[s][0] for s in topics)]
    )
    if "n_65plus" in frame and "inwoners" in frame:
        frame["pct_65plus"] = _share(frame["n_65plus"], frame["inwoners"])
    single = topics.get("Eenpersoonshuishoudens")
    if single is not None:
        if _is_percentage(single):
            frame["pct_eenpersoonshuishoudens"] = frame["eenpersoonshuishoudens"]
        elif "huishoudens" in frame:
            frame["pct_eenpersoonshuishoudens"] = _share(
                frame["eenpersoonshuishoudens"], frame["huishoudens"]
            )
        frame = frame.drop(columns="eenpersoonshuishoudens")
    return frame.drop(columns=[c for c in ("n_65plus",) if c in frame])


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    part, whole = part.astype(float), whole.astype(float)
    return (part / whole * 100).where(whole > 0).round(1)


LABELS = {
    "inwoners": "Inwoners",
    "huishoudens": "Huishoudens",
    "pct_65plus": "65 jaar en ouder (%)",
    "pct_eenpersoonshuishoudens": "Eenpersoonshuishoudens (%)",
    "pct_laag_inkomen": "Huishoudens met een laag inkomen (%)",
    "bevolkingsdichtheid": "Inwoners per km²",
}


def fetch_key_figures(
    client: HttpClient, base: str, gemeentecode: str, year: int, table: str | None = None
) -> KeyFigures:
    table = table or TABLES.get(year)
    if table is None:
        raise ServiceError(
            SERVICE,
            base,
            f"geen tabel bekend voor {year}",
            f"Geef de tabel op (bekende jaren: {', '.join(map(str, TABLES))}).",
        )
    properties = client.json(SERVICE, f"{base}/{table}/DataProperties", parse=parse_properties)
    topics = {stem: prop for stem, prop in properties.body.items() if stem in TOPICS}
    if GEO_KEY not in properties.body:
        raise ServiceError(
            SERVICE,
            properties.url,
            f"tabel {table} heeft geen {GEO_KEY}",
            "Is dit wel een tabel Kerncijfers wijken en buurten?",
        )
    if not topics:
        raise ServiceError(
            SERVICE,
            properties.url,
            f"geen van de verwachte cijfers gevonden (verwacht een van {', '.join(TOPICS)})",
            "De tabel heeft andere kolommen; meld dit bij de makers.",
        )
    select = ",".join([GEO_KEY, *(prop.key for prop in topics.values())])
    rows = fetch_rows(
        client,
        SERVICE,
        f"{base}/{table}/TypedDataSet",
        {"$filter": f"startswith({GEO_KEY},'BU{gemeentecode[2:]}')", "$select": select},
    )
    try:
        frame = rows_to_frame(rows.rows, topics)
    except (TypeError, AttributeError) as exc:
        raise ServiceError(SERVICE, rows.url, f"onverwachte rijen: {exc}") from exc
    if frame.empty:
        raise ServiceError(
            SERVICE,
            rows.url,
            f"geen buurten van {gemeentecode} in {table}",
            "Controleer de gemeentecode en het jaar.",
        )
    source = f"CBS StatLine {table}"
    figures = [FigureSource(c, LABELS[c], source, year) for c in frame.columns if c in LABELS]
    missing_topics = [TOPICS[s][1] for s in TOPICS if s not in topics]
    notes = [f"{table} heeft niet: {', '.join(missing_topics)}"] if missing_topics else []
    notes += [
        f"{int(frame[c].isna().sum())} van {len(frame)} buurten zonder "
        f"'{LABELS[c]}' (geheim of onbekend)"
        for c in LABELS
        if c in frame and frame[c].isna().any()
    ]
    return KeyFigures(
        frame,
        figures,
        [Provenance("kerncijfers", source, rows.url, LICENCE, year, rows.retrieved)],
        notes,
    )
