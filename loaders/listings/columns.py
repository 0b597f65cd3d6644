"""Matching column names to canonical fields, in Dutch and English."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd

from socialbasis.errors import Problem
from socialbasis.i18n import _

SYNONYMS_FILE = Path(__file__).resolve().parents[1] / "data" / "column_synonyms.csv"
# Fields that help to fill canonical ones but are not stored themselves.
HELPER_FIELDS = ("category", "street", "housenumber", "postcode", "city")


def normalise_header(name: str) -> str:
    """``"Naam activiteit "`` and ``"naam_activiteit"`` -> ``"naam activiteit"``."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@cache
def read_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, str]:
    """Normalised synonym -> canonical field."""
    with path.open(encoding="utf-8") as handle:
        return {normalise_header(row["synonym"]): row["field"] for row in csv.DictReader(handle)}


def map_columns(
    rows: pd.DataFrame,
    allowed: tuple[str, ...],
    explicit: Mapping[str, str] | None,
    source: str,
    synonyms: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, dict[str, str], list[Problem]]:
    """Rename columns to canonical fields; report what could not be matched.

    ``explicit`` maps a source column to a field and wins over synonyms. Two source columns
    for one field is an error (it would be unclear which to keep); a column no field matches
    is a warning and is left out.
    """
    synonyms = synonyms if synonyms is not None else read_synonyms()
    targets = set(allowed) | set(HELPER_FIELDS)
    explicit = dict(explicit or {})
    problems: list[Problem] = []
    for column, field in explicit.items():
        if column not in rows.columns:
            problems.append(
                Problem(
                    source, None, column, "", _("kolom uit de koppeling staat niet in het bestand")
                )
            )
        if field not in targets:
            problems.append(
                Problem(
                    source,
                    None,
                    column,
                    field,
                    _("onbekend doelveld in de koppeling; kies uit {items}").format(
                        items=", ".join(sorted(targets))
                    ),
                )
            )
    mapping: dict[str, str] = {}
    for column in rows.columns:
        field = explicit.get(column) or synonyms.get(normalise_header(column))
        if field in targets:
            mapping[column] = field
        else:
            problems.append(
                Problem(
                    source,
                    None,
                    str(column),
                    "",
                    _(
                        "kolom niet herkend en niet gebruikt (geef een "
                        "koppeling op als dit wel moet)"
                    ),
                    severity="waarschuwing",
                )
            )
    used: dict[str, list[str]] = {}
    for column, field in mapping.items():
        used.setdefault(field, []).append(str(column))
    for field, columns in used.items():
        if len(columns) > 1:
            problems.append(
                Problem(
                    source,
                    None,
                    field,
                    ", ".join(columns),
                    _(
                        "meerdere kolommen passen bij dit veld; geef "
                        "een koppeling op voor de juiste"
                    ),
                )
            )
    renamed = rows[list(mapping)].rename(columns=mapping)
    return renamed, mapping, problems
