"""Suggesting a layer (and discipline) from a category, as a marked suggestion."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATEGORY_FILE = Path(__file__).resolve().parents[1] / "data" / "category_layers.csv"


@dataclass(frozen=True)
class Suggestion:
    keyword: str
    layer: str
    discipline: str  # may be empty


@cache
def read_keywords(path: Path = CATEGORY_FILE) -> list[tuple[re.Pattern[str], Suggestion]]:
    """Keyword rules in file order. A keyword matches anywhere in a word, because Dutch
    compounds put the telling part at the end ("buurtkoor", "seniorenwandeling")."""
    rules = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            pattern = re.compile(re.escape(row["keyword"].lower()))
            rules.append(
                (pattern, Suggestion(row["keyword"], row["layer"], row.get("discipline") or ""))
            )
    return rules


def suggest(text: str, rules: list[tuple[re.Pattern[str], Suggestion]]) -> Suggestion | None:
    """The first rule whose keyword occurs in ``text``, or ``None``.

    >>> suggest("Buurtkoor De Merel", read_keywords()).layer
    'gemeenschappelijk'
    """
    lowered = text.lower()
    return next((s for pattern, s in rules if pattern.search(lowered)), None)
