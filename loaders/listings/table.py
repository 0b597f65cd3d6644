"""Rows as read from a listing file, before any checking."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from socialbasis.errors import Problem


@dataclass
class RawTable:
    """Rows as read, with the number each has in the file, and problems found while reading."""

    rows: pd.DataFrame
    row_numbers: list[int]
    source: str
    format: str
    problems: list[Problem] = field(default_factory=list)
