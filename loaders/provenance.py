"""Where each loaded piece came from: source, URL, retrieval date, licence and vintage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Provenance:
    what: str  # grenzen, kerncijfers, eenzaamheid, locaties, ...
    source: str
    url: str
    licence: str
    year: int | str
    retrieved: datetime

    def row(self) -> tuple[str, str, str, str, str, str]:
        """As a row of the dataset's provenance table."""
        return (
            self.what,
            self.source,
            self.url,
            self.licence,
            str(self.year),
            self.retrieved.strftime("%Y-%m-%d %H:%M"),
        )


@dataclass(frozen=True)
class FigureSource:
    """One key-figure column: its label and where it came from."""

    column: str
    label: str
    source: str
    year: int | str

    def row(self) -> tuple[str, str, str, str]:
        return (self.column, self.label, self.source, str(self.year))
