"""Helpers shared by the CBS parsers: missing-value sentinels and property lookup."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

# CBS geo datasets code secret or unknown figures as large negative numbers
# (-99999999, -99999998, -99999997, ...). They are never real values.
SENTINEL_LIMIT = -99_999_000


def number_or_none(value: Any) -> float | None:
    """A figure as a number; CBS sentinels, blanks and text become ``None``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if not text or text in {".", "-", "x", "?"}:
            return None
        try:
            value = float(text)
        except ValueError:
            return None
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number) or number <= SENTINEL_LIMIT:
            return None
        return number
    return None


def first_present(properties: Mapping[str, Any], names: Iterable[str]) -> tuple[str | None, Any]:
    """The first of ``names`` that occurs in ``properties``, and its value."""
    for name in names:
        if name in properties:
            return name, properties[name]
    return None, None


def text(value: Any) -> str:
    """CBS pads text fields with spaces: strip them."""
    return "" if value is None else str(value).strip()
