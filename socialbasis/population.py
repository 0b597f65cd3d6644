"""Residents per CBS 100 m square, used to weight coverage by where people live."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from socialbasis.analysis.grid import Grid, build_grid, weight_by_population
from socialbasis.i18n import _, ngettext, number

POPULATION_COLUMN = "inwoners"
SECRET_COLUMN = "geheim"
# CBS hides counts below 5 residents (a negative code such as -99997). Such a square is
# counted as 2 residents, about the middle of what can be hidden: 0 would claim that nobody
# lives there, 4 would overstate it.
SECRET_RESIDENTS = 2.0


@dataclass(frozen=True)
class PopulationGrid:
    """Residents per square: RD New polygons with ``inwoners`` and ``geheim`` columns."""

    squares: gpd.GeoDataFrame
    year: int
    source: str  # the file it was read from

    @property
    def label(self) -> str:
        return f"CBS Vierkantstatistieken 100 m, {self.year}"

    @property
    def residents(self) -> float:
        return float(self.squares[POPULATION_COLUMN].sum())

    @property
    def secret_squares(self) -> int:
        return int(self.squares[SECRET_COLUMN].sum())

    def summary(self, gemeentenaam: str) -> str:
        """What was read, in words, e.g. for the report after reading a file."""
        text = _(
            "{label}: {count} vierkanten in {gemeentenaam}, samen {residents} inwoners."
        ).format(
            label=self.label,
            count=len(self.squares),
            gemeentenaam=gemeentenaam,
            residents=number(self.residents, 0),
        )
        hidden = self.secret_squares
        if hidden:
            text += " " + ngettext(
                "{hidden} vierkant met een geheim aantal (minder dan 5) telt als "
                "{secret_residents} inwoners.",
                "{hidden} vierkanten met een geheim aantal (minder dan 5) tellen elk als "
                "{secret_residents} inwoners.",
                hidden,
            ).format(hidden=number(hidden, 0), secret_residents=number(SECRET_RESIDENTS))
        return text


def analysis_grid(buurten: gpd.GeoDataFrame, population: PopulationGrid | None) -> Grid:
    """The sample grid of the buurten, weighted by residents when a population grid is there."""
    grid = build_grid(buurten)
    if population is None:
        return grid.prepare()
    return weight_by_population(grid, population.squares, POPULATION_COLUMN).prepare()
