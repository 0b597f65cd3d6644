"""How far apart places are: in a straight line, or walking over the streets.

Every use of distance (coverage, nearest initiative, time slots, venues and partners near a
buurt, suggestions, plans) asks one of these two objects, so the choice is made once: over
the street network when one is loaded for the gemeente, else in a straight line. Places the
network does not reach (farther than ``SNAP_LIMIT_M`` from a walkable edge) keep
straight-line distances, and :meth:`OverStreet.reached` tells which those are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from socialbasis.analysis.grid import Grid
from socialbasis.analysis.network import Snap, WalkNetwork
from socialbasis.i18n import N_

# A tiny margin so that a point exactly on a band edge (800.0 m) is counted inside even after
# floating-point rounding; 1 mm is far below any real precision.
EDGE_TOLERANCE_M = 1e-3

OVER_STREET = N_("over straat")
STRAIGHT_LINE = N_("in rechte lijn")


def _kd_closest(
    origins: np.ndarray, points: np.ndarray, upper: float = np.inf
) -> tuple[np.ndarray, np.ndarray]:
    if len(points) == 0 or len(origins) == 0:
        return np.full(len(origins), np.inf), np.full(len(origins), -1, dtype=np.int64)
    from scipy.spatial import cKDTree  # imported where used: pages without distances load faster

    distance, index = cKDTree(points).query(origins, distance_upper_bound=upper, workers=-1)
    return distance, np.where(np.isfinite(distance), index, -1).astype(np.int64)


def _kd_nearest(origins: np.ndarray, points: np.ndarray, upper: float = np.inf) -> np.ndarray:
    return _kd_closest(origins, points, upper)[0]


def _kd_pairs(
    origins: np.ndarray, points: np.ndarray, radius: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(origin, point, distance) for every pair within ``radius`` in a straight line."""
    if len(points) == 0 or len(origins) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    from scipy.spatial import cKDTree

    matrix = cKDTree(origins).sparse_distance_matrix(
        cKDTree(points), radius, output_type="coo_matrix"
    )
    return matrix.row.astype(np.int64), matrix.col.astype(np.int64), matrix.data


@dataclass(frozen=True)
class StraightLine:
    """Distances as the crow flies ("hemelsbreed"), in RD metres."""

    over_street: bool = False

    @property
    def label(self) -> str:
        return STRAIGHT_LINE

    def nearest(self, origins: np.ndarray, points: np.ndarray, upper: float = np.inf) -> np.ndarray:
        """From each origin, the distance to the nearest point (inf beyond ``upper``)."""
        return _kd_nearest(origins, points, upper)

    def closest(
        self, origins: np.ndarray, points: np.ndarray, upper: float = np.inf
    ) -> tuple[np.ndarray, np.ndarray]:
        """From each origin, the distance to the nearest point and which it is (-1: none)."""
        return _kd_closest(origins, points, upper)

    def pairs(
        self, origins: np.ndarray, points: np.ndarray, radius: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (origin, point, distance) at most ``radius`` apart."""
        return _kd_pairs(origins, points, radius + EDGE_TOLERANCE_M)

    def grid_within(self, grid: Grid, points: np.ndarray, radii: Sequence[float]) -> np.ndarray:
        """Per radius, which samples of the grid lie within it of a point: (radii, samples).

        Finer samples inherit the answer of their 100 m square's centre when that settles it
        (the square's samples lie wholly inside or outside every radius); only the others
        are measured themselves, so finer sampling costs little.
        """
        radii = np.asarray(radii, dtype=float) + EDGE_TOLERANCE_M
        parent_xy, parent_of = grid.parents
        half = grid.cell_m * np.sqrt(0.5)
        distance = _kd_nearest(parent_xy, points, radii.max() + half + 1.0)[parent_of]
        spread = grid._spread[parent_of]
        unsettled = ~grid.on_lattice & np.any(
            np.abs(distance[None, :] - radii[:, None]) <= spread, axis=0
        )
        if unsettled.any():
            distance[unsettled] = _kd_nearest(grid.xy[unsettled], points, radii.max() + 1.0)
        return distance[None, :] <= radii[:, None]

    def grid_shares(self, grid: Grid, points: np.ndarray, radii: Sequence[float]) -> np.ndarray:
        """Per radius and buurt, the weighted share of the buurt within the radius of a
        point: (radii, buurten). Asked once per block of samples (a buurt's part of a 100 m
        square) where the whole block is in or out, sample by sample on the edges."""
        radii = np.asarray(radii, dtype=float) + EDGE_TOLERANCE_M
        blocks = grid.blocks
        half = grid.cell_m * np.sqrt(0.5)
        distance = _kd_nearest(grid.parents[0], points, radii.max() + half + 1.0)[blocks.square]
        spread = grid._spread[blocks.square]
        unsettled = ~blocks.exact & np.any(
            np.abs(distance[None, :] - radii[:, None]) <= spread, axis=0
        )
        samples = blocks.samples_of(np.flatnonzero(unsettled))
        own = _kd_nearest(grid.xy[samples], points, radii.max() + 1.0)
        return grid.shares_from_blocks(
            distance[:, None] <= radii[None, :], samples, own[:, None] <= radii[None, :]
        )

    def grid_pairs(
        self, grid: Grid, points: np.ndarray, radius: float
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Every (sample, point) pair at most ``radius`` apart, a part at a time."""
        return grid.iter_pairs_within(points, radius + EDGE_TOLERANCE_M)

    def reached(self, xy: np.ndarray) -> np.ndarray:
        return np.ones(len(xy), dtype=bool)


@dataclass(frozen=True, eq=False)
class OverStreet:
    """Walking distances over a street network; straight lines where it does not reach."""

    network: WalkNetwork
    avoid_steps: bool = False
    over_street: bool = True

    @property
    def label(self) -> str:
        return OVER_STREET

    def _snap(self, xy: np.ndarray) -> Snap:
        return self.network.snap(xy, self.avoid_steps)

    def reached(self, xy: np.ndarray) -> np.ndarray:
        """Which places the network reaches (the others are measured in a straight line)."""
        return self._snap(xy).reached

    def nearest(self, origins: np.ndarray, points: np.ndarray, upper: float = np.inf) -> np.ndarray:
        return self.closest(origins, points, upper)[0]

    def closest(
        self, origins: np.ndarray, points: np.ndarray, upper: float = np.inf
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.closest_together([origins], points, [upper])[0]

    def closest_together(
        self, origin_sets: Sequence[np.ndarray], points: np.ndarray, uppers: Sequence[float]
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`closest` for several sets of origins, from one search over the network."""
        point_snap = self._snap(points)
        origin_snaps = [self._snap(origins) for origins in origin_sets]
        found = self.network.nearest_together(origin_snaps, point_snap, uppers, self.avoid_steps)
        return [
            self._with_straight_lines(origins, snap, points, point_snap, upper, *result)
            for origins, snap, upper, result in zip(
                origin_sets, origin_snaps, uppers, found, strict=True
            )
        ]

    def _with_straight_lines(
        self,
        origins: np.ndarray,
        origin_snap: Snap,
        points: np.ndarray,
        point_snap: Snap,
        upper: float,
        distance: np.ndarray,
        index: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        # Off the network: a straight line, from origins it misses and to points it misses.
        missed = ~origin_snap.reached
        if missed.any():
            distance[missed], index[missed] = _kd_closest(origins[missed], points, upper)
        lost = np.flatnonzero(~point_snap.reached)
        if len(lost):
            straight, which = _kd_closest(origins, points[lost], upper)
            closer = straight < distance
            distance[closer], index[closer] = straight[closer], lost[which[closer]]
        return distance, index

    def pairs(
        self, origins: np.ndarray, points: np.ndarray, radius: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        radius = radius + EDGE_TOLERANCE_M
        origin_snap, point_snap = self._snap(origins), self._snap(points)
        parts = [
            self.network.pairs_within(
                origins, origin_snap, points, point_snap, radius, self.avoid_steps
            )
        ]
        missed = np.flatnonzero(~origin_snap.reached)
        if len(missed):
            o, p, d = _kd_pairs(origins[missed], points, radius)
            parts.append((missed[o], p, d))
        lost = np.flatnonzero(~point_snap.reached)
        if len(lost):
            o, p, d = _kd_pairs(origins, points[lost], radius)
            keep = origin_snap.reached[o]  # pairs with a missed origin are in already
            parts.append((o[keep], lost[p[keep]], d[keep]))
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))  # type: ignore[return-value]

    def remembered(self, key: tuple, work: Callable[[], np.ndarray]) -> np.ndarray:
        """``work()``, kept with the network for the same ``key`` (its first item a name, its
        second the grid's sample array, compared by identity): for answers that do not change
        with the filters, such as the venues within reach of each buurt."""
        cache = self.network._cache
        name, samples, *rest = key
        full = ("remembered", name, id(samples), self.avoid_steps, *rest)
        with self.network._lock:
            kept = cache.get(full)
            if kept is None or kept[0] is not samples:
                for old in [k for k in cache if k[:2] == ("remembered", name)]:
                    del cache[old]
                kept = cache[full] = (samples, work())
            return kept[1]

    def grid_within(self, grid: Grid, points: np.ndarray, radii: Sequence[float]) -> np.ndarray:
        radii = np.asarray(radii, dtype=float) + EDGE_TOLERANCE_M
        distance = self.nearest(grid.xy, points, radii.max())
        return distance[None, :] <= radii[:, None]

    def grid_shares(self, grid: Grid, points: np.ndarray, radii: Sequence[float]) -> np.ndarray:
        return np.array([grid.share(inside) for inside in self.grid_within(grid, points, radii)])

    def shares_and_closest(
        self, grid: Grid, points: np.ndarray, radii: Sequence[float], centres: np.ndarray
    ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """:meth:`grid_shares` and :meth:`closest` from the centres, from one search."""
        radii = np.asarray(radii, dtype=float) + EDGE_TOLERANCE_M
        (on_grid, _), at_centres = self.closest_together(
            [grid.xy, centres], points, [radii.max(), np.inf]
        )
        inside = on_grid[None, :] <= radii[:, None]
        return np.array([grid.share(row) for row in inside]), at_centres

    def grid_pairs(
        self, grid: Grid, points: np.ndarray, radius: float
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        samples, found, _ = self.pairs(grid.xy, points, radius)
        yield samples, found


Distances = StraightLine | OverStreet


def distances_for(network: WalkNetwork | None, avoid_steps: bool = False) -> Distances:
    """Over the streets when a network is loaded, else in a straight line."""
    return StraightLine() if network is None else OverStreet(network, avoid_steps)
