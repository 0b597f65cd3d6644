"""When is nothing on? Weekday x dagdeel coverage from the initiatives' schedules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialbasis.analysis.coverage import EDGE_TOLERANCE_M
from socialbasis.analysis.grid import Grid
from socialbasis.schedule import DAGDELEN, SLOT_COUNT, WEEKDAYS

_BITS = np.arange(SLOT_COUNT, dtype=np.int64)


def reachable_masks(
    grid: Grid, points_xy: np.ndarray, masks: np.ndarray, radius_m: float
) -> np.ndarray:
    """For each cell of the grid, the OR of the schedule masks of all points within
    ``radius_m`` (a point exactly at ``radius_m`` counts)."""
    out = np.zeros(len(grid.x), dtype=np.int64)
    if len(points_xy) == 0 or len(out) == 0:
        return out
    scheduled = masks != 0  # activities without fixed times add no slot
    cells, points = grid.pairs_within(points_xy[scheduled], radius_m + EDGE_TOLERANCE_M)
    np.bitwise_or.at(out, cells, masks[scheduled][points])
    return out


def slot_shares(grid: Grid, cell_masks: np.ndarray) -> np.ndarray:
    """Per buurt and slot, the weighted share of cells with an activity then: (n_buurten, 21)."""
    shares = np.zeros((grid.n_buurten, SLOT_COUNT))
    for bit in _BITS:
        shares[:, bit] = grid.share((cell_masks >> bit) & 1)
    return shares


def points_and_masks(initiatives: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """RD coordinates and schedule masks of initiatives."""
    if len(initiatives) == 0:
        return np.empty((0, 2)), np.empty(0, dtype=np.int64)
    xy = np.column_stack([initiatives.geometry.x, initiatives.geometry.y])
    return xy, initiatives["schedule_mask"].to_numpy(np.int64)


def buurt_slot_shares(
    grid: Grid, buurt_index: int, initiatives: pd.DataFrame, radius_m: float
) -> np.ndarray:
    """For one buurt, the share of it within ``radius_m`` of an activity, per slot (21)."""
    own = grid.of_buurt(buurt_index)
    xy, masks = points_and_masks(initiatives)
    return slot_shares(own, reachable_masks(own, xy, masks, radius_m))[0]


def buurt_slot_table(shares: np.ndarray) -> pd.DataFrame:
    """One buurt's 21 shares as a weekday x dagdeel table (rows weekdays, columns dagdelen)."""
    return pd.DataFrame(
        shares.reshape(len(WEEKDAYS), len(DAGDELEN)), index=list(WEEKDAYS), columns=list(DAGDELEN)
    )


def empty_slot_counts(shares: np.ndarray) -> np.ndarray:
    """Per buurt, the number of slots in which no part of the buurt reaches any activity."""
    return (shares <= 0).sum(axis=1)
