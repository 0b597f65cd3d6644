"""What if we start it here? Planned activities are added to the supply exactly as listings
would be (checked by the importer's rules), and the kansenlijst is computed before and after.

Per buurt the effect gives: the shares within 5/10/15 minutes and the score before and after,
the rank before and after, the share newly within the middle band (10 minutes by default) that
no activity of the layer reached before, the residents that share stands for (CBS residents of
the buurt; ``None`` when unknown), and the dagdelen the plan fills.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from socialbasis.analysis.distances import Distances, StraightLine
from socialbasis.analysis.filters import Filters, select_initiatives
from socialbasis.analysis.gaps import GapParams, kansenlijst
from socialbasis.analysis.grid import Grid
from socialbasis.analysis.need import residents
from socialbasis.areas import locate
from socialbasis.errors import ValidationFailed

PLAN_SOURCE = "plan"  # never an import source: plans are not listings
PLAN_ID_PREFIX = "plan-"


@dataclass(frozen=True)
class PlannedActivity:
    """One activity someone considers starting: where (WGS84), which layer, for whom, when;
    ``venue_id`` when it is planned in a known venue."""

    name: str
    lat: float
    lon: float
    layer: str
    target_groups: tuple[str, ...] = ()
    schedule: str = ""
    venue_id: str = ""

    def as_row(self, number: int) -> dict[str, object]:
        """The activity as an import row (so the importer's rules check it)."""
        return {
            "id": f"{PLAN_ID_PREFIX}{number}",
            "name": self.name,
            "layer": self.layer,
            "target_groups": ";".join(self.target_groups),
            "schedule": self.schedule,
            "lat": self.lat,
            "lon": self.lon,
            "source": PLAN_SOURCE,
        }


def planned_frame(
    planned: Sequence[PlannedActivity], buurten: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Planned activities as initiative rows (validated like an import; ``is_planned`` set),
    each with its buurt. A planned activity that breaks a rule raises ValidationFailed."""
    from socialbasis.schema import validate_initiatives

    rows = pd.DataFrame([p.as_row(i + 1) for i, p in enumerate(planned)])
    if not len(rows):
        rows = pd.DataFrame(columns=["id", "name", "layer", "lat", "lon", "source"])
    result = validate_initiatives(rows, "plan", row_numbers=list(range(1, len(rows) + 1)))
    errors = [p for p in result.problems if p.severity == "fout"]
    if errors:
        raise ValidationFailed(errors)
    frame = result.frame
    frame["buurtcode"] = locate(frame.geometry, buurten, "buurtcode")
    frame["is_planned"] = True
    return frame


def with_plan(initiatives: gpd.GeoDataFrame, planned: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The supply with the planned activities added after it (the real rows keep their index)."""
    if not len(planned):
        return initiatives
    start = (int(initiatives.index.max()) + 1) if len(initiatives) else 0
    added = planned.set_axis(range(start, start + len(planned)))
    combined = pd.concat([initiatives.assign(is_planned=False), added], ignore_index=False)
    return gpd.GeoDataFrame(combined, geometry="geometry", crs=initiatives.crs)


@dataclass(frozen=True)
class PlanEffect:
    """Before and after, per buurt (indexed like ``buurten``), and the ranked list after."""

    table: pd.DataFrame
    after: pd.DataFrame  # the kansenlijst with the plan, ranked
    minutes: int  # the band "newly reached" speaks of
    bands: tuple[int, ...]  # every band of the shares (5, 10, 15)
    residents_known: bool
    planned: gpd.GeoDataFrame = field(repr=False)

    @property
    def newly_reached(self) -> float:
        """Residents (or, without resident figures, square metres) newly within reach."""
        column = "newly_residents" if self.residents_known else "newly_area_m2"
        return float(self.table[column].sum())


def plan_effect(
    buurten: gpd.GeoDataFrame,
    grid: Grid,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    layer: str,
    planned: Sequence[PlannedActivity],
    filters: Filters | None = None,
    params: GapParams | None = None,
    centres: np.ndarray | None = None,
    before: pd.DataFrame | None = None,
) -> PlanEffect:
    """The kansenlijst of ``layer`` without and with the planned activities of that layer
    (``before``: the kansenlijst without them, when the caller has it already)."""
    params = params or GapParams()
    filters = filters or Filters()
    plan = planned_frame([p for p in planned if p.layer == layer], buurten)
    if before is None:
        before = kansenlijst(buurten, grid, initiatives, venues, layer, filters, params, centres)
    after = kansenlijst(
        buurten, grid, with_plan(initiatives, plan), venues, layer, filters, params, centres
    )
    middle = params.walk.minutes[len(params.walk.minutes) // 2]
    radius = params.walk.metres()[len(params.walk.minutes) // 2]
    supply = initiatives[select_initiatives(initiatives, buurten, filters.for_supply())]
    supply = supply[supply["layer"] == layer]
    newly = newly_within(grid, _xy(supply), _xy(plan), radius, params.walk.distances())
    table = _before_after(buurten, before, after, params)
    table["newly_share"] = grid.share(newly)
    area = buurten.geometry.area.to_numpy(float)
    table["newly_area_m2"] = table["newly_share"] * area
    population = residents(buurten).to_numpy(float)
    table["newly_residents"] = table["newly_share"] * population
    known = bool(np.isfinite(population).any())
    return PlanEffect(table, after, middle, tuple(params.walk.minutes), known, plan)


def newly_within(
    grid: Grid,
    existing: np.ndarray,
    planned: np.ndarray,
    radius: float,
    distances: Distances | None = None,
) -> np.ndarray:
    """Samples within ``radius`` of a planned point that no existing point reached."""
    distances = distances or StraightLine()
    before = distances.grid_within(grid, existing, [radius])[0]
    after = distances.grid_within(grid, planned, [radius])[0]
    return after & ~before


def _xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    if not len(frame):
        return np.empty((0, 2))
    return np.column_stack([frame.geometry.x, frame.geometry.y])


def _before_after(
    buurten: gpd.GeoDataFrame, before: pd.DataFrame, after: pd.DataFrame, params: GapParams
) -> pd.DataFrame:
    """One row per buurt, in buurten order: shares, score, rank and empty dagdelen, twice."""
    shares = [f"share_{m}min" for m in params.walk.minutes]
    wanted = ["score", *shares] + (["empty_slots"] if params.with_time_slots else [])
    parts = {"buurtcode": buurten["buurtcode"].to_numpy(), "buurtnaam": buurten["buurtnaam"]}
    table = pd.DataFrame(parts, index=buurten.index)
    for name, ranked in (("before", before), ("after", after)):
        keyed = ranked.assign(rank=np.arange(1, len(ranked) + 1)).set_index("buurtcode")
        keyed = keyed.reindex(table["buurtcode"])
        for column in [*wanted, "rank"]:
            table[f"{column}_{name}"] = keyed[column].to_numpy()
    if params.with_time_slots:
        table["slots_filled"] = table["empty_slots_before"] - table["empty_slots_after"]
    return table
