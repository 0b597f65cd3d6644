"""When is nothing on? Weekday x dagdeel coverage from the initiatives' schedules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialbasis.analysis.distances import EDGE_TOLERANCE_M, Distances, StraightLine
from socialbasis.analysis.grid import Grid
from socialbasis.schedule import DAGDELEN, SLOT_COUNT, WEEKDAYS

_BITS = np.arange(SLOT_COUNT, dtype=np.int64)


def reachable_masks(
    grid: Grid,
    points_xy: np.ndarray,
    masks: np.ndarray,
    radius_m: float,
    distances: Distances | None = None,
) -> np.ndarray:
    """For each cell of the grid, the OR of the schedule masks of all points within
    ``radius_m`` (a point exactly at ``radius_m`` counts), in a straight line unless
    ``distances`` says otherwise."""
    out = np.zeros(len(grid.x), dtype=np.int64)
    if len(points_xy) == 0 or len(out) == 0:
        return out
    scheduled = masks != 0  # activities without fixed times add no slot
    chosen = masks[scheduled]
    for cells, points in (distances or StraightLine()).grid_pairs(
        grid, points_xy[scheduled], radius_m
    ):
        np.bitwise_or.at(out, cells, chosen[points])
    return out


def slot_shares_within(
    grid: Grid,
    points_xy: np.ndarray,
    masks: np.ndarray,
    radius_m: float,
    distances: Distances | None = None,
) -> np.ndarray:
    """Per buurt and slot, the weighted share within ``radius_m`` of an activity then:
    (n_buurten, 21). In a straight line this is worked out per block of samples (a buurt's
    part of a 100 m square), sample by sample only where a block is partly in reach."""
    distances = distances or StraightLine()
    if distances.over_street:
        return slot_shares(grid, reachable_masks(grid, points_xy, masks, radius_m, distances))
    scheduled = masks != 0  # activities without fixed times add no slot
    points, chosen = points_xy[scheduled], masks[scheduled]
    radius = radius_m + EDGE_TOLERANCE_M
    square_mask = np.zeros(len(grid.parents[0]), dtype=np.int64)
    sample_mask = np.zeros(len(grid.x), dtype=np.int64)
    touched = np.zeros(len(grid.x), dtype=bool)
    for square, point, whole in grid.square_pairs(points, radius):
        np.bitwise_or.at(square_mask, square[whole], chosen[point[whole]])
        square, point = square[~whole], point[~whole]
        sample, pair = grid.samples_of_squares(square)
        repeats = np.bincount(pair, minlength=len(square))
        close = (
            np.hypot(
                grid.x[sample] - points[point[pair], 0], grid.y[sample] - points[point[pair], 1]
            )
            <= radius
        )
        # A square on the edge whose samples are all in reach counts whole after all; only
        # squares the edge really cuts through are kept sample by sample.
        in_reach = np.bincount(pair, weights=close, minlength=len(square))
        all_in = in_reach == repeats
        np.bitwise_or.at(square_mask, square[all_in], chosen[point[all_in]])
        cut = ((in_reach > 0) & ~all_in)[pair]
        touched[sample[cut]] = True
        np.bitwise_or.at(sample_mask, sample[cut & close], chosen[point[pair[cut & close]]])
    blocks = grid.blocks
    block_mask = square_mask[blocks.square]
    candidates = np.zeros(len(blocks.weight), dtype=bool)
    candidates[blocks.of_sample[touched]] = True
    candidates = np.flatnonzero(candidates)
    samples = blocks.samples_of(candidates)  # ordered block by block
    own_mask = square_mask[grid.parents[1][samples]] | sample_mask[samples]
    # A block whose samples all ended up with the same mask still counts as one.
    starts = np.cumsum(blocks.count[candidates]) - blocks.count[candidates]
    low = np.minimum.reduceat(own_mask, starts) if len(samples) else own_mask
    high = np.maximum.reduceat(own_mask, starts) if len(samples) else own_mask
    uniform = low == high
    block_mask[candidates[uniform]] = low[uniform]
    split = candidates[~uniform]
    block_mask[split] = 0  # these blocks count sample by sample
    keep = np.repeat(~uniform, blocks.count[candidates])
    samples, own_mask = samples[keep], own_mask[keep]
    # Only blocks and samples with some activity in reach add anything.
    lit = np.flatnonzero(block_mask)
    lit_samples = samples[own_mask != 0]
    parts = (
        (blocks.buurt[lit], blocks.weight[lit], block_mask[lit]),
        (grid.buurt[lit_samples], grid.weight[lit_samples], own_mask[own_mask != 0]),
    )
    hit = np.zeros((grid.n_buurten, SLOT_COUNT))
    for buurt, weight, mask in parts:
        for bit in _BITS:
            hit[:, bit] += np.bincount(
                buurt, weights=weight * ((mask >> bit) & 1), minlength=grid.n_buurten
            )
    totals = grid.totals()[:, None]
    shares = np.divide(hit, totals, out=np.zeros_like(hit), where=totals > 0)
    return np.round(shares, 12)


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
    grid: Grid,
    buurt_index: int,
    initiatives: pd.DataFrame,
    radius_m: float,
    distances: Distances | None = None,
) -> np.ndarray:
    """For one buurt, the share of it within ``radius_m`` of an activity, per slot (21)."""
    own = grid.of_buurt(buurt_index)
    xy, masks = points_and_masks(initiatives)
    return slot_shares_within(own, xy, masks, radius_m, distances)[0]


def buurt_slot_table(shares: np.ndarray) -> pd.DataFrame:
    """One buurt's 21 shares as a weekday x dagdeel table (rows weekdays, columns dagdelen)."""
    return pd.DataFrame(
        shares.reshape(len(WEEKDAYS), len(DAGDELEN)), index=list(WEEKDAYS), columns=list(DAGDELEN)
    )


def empty_slot_counts(shares: np.ndarray) -> np.ndarray:
    """Per buurt, the number of slots in which no part of the buurt reaches any activity."""
    return (shares <= 0).sum(axis=1)
