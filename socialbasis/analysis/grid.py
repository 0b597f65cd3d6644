"""A regular grid of sample cells clipped to the buurten, the unit of coverage measures.

Cells are squares aligned to multiples of the cell size in RD New, like CBS's own 100 m
grid statistics, so a CBS population grid can weight them one to one. A cell belongs to the
buurt that contains its centre; a buurt too small to contain any centre is represented by one
sample at a point inside it ("off the lattice"). Cells are stored buurt by buurt, computed
once per geography and reused for every filter.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

DEFAULT_CELL_M = 100.0
# Empty cells kept around the lattice raster. A search reaching r cells stays inside the
# raster for every point that could be within r cells of a sample, as long as 2r <= margin.
LATTICE_MARGIN = 30


@dataclass(frozen=True)
class Grid:
    """Samples of the buurten: ``x``, ``y`` (RD metres), owning buurt, weight."""

    x: np.ndarray
    y: np.ndarray
    buurt: np.ndarray  # index into the buurten frame (0..n-1), non-decreasing
    weight: np.ndarray  # m2 of area (or residents when population-weighted)
    n_buurten: int
    cell_m: float
    on_lattice: np.ndarray  # False for the single sample of a tiny buurt
    # Per buurt: True when its samples are weighted by residents, False when by area.
    by_residents: np.ndarray | None = None

    def share_basis(self) -> np.ndarray:
        """Per buurt, what a share is a share of: ``"inwoners"`` or ``"oppervlakte"``."""
        residents = (
            self.by_residents
            if self.by_residents is not None
            else np.zeros(self.n_buurten, dtype=bool)
        )
        return np.where(residents, "inwoners", "oppervlakte")

    @cached_property
    def xy(self) -> np.ndarray:
        return np.column_stack([self.x, self.y])

    @cached_property
    def _totals(self) -> np.ndarray:
        return np.bincount(self.buurt, weights=self.weight, minlength=self.n_buurten)

    def totals(self) -> np.ndarray:
        """Total weight per buurt."""
        return self._totals

    @cached_property
    def segment_starts(self) -> np.ndarray:
        """Where each buurt's samples start (every buurt has at least one sample)."""
        return np.searchsorted(self.buurt, np.arange(self.n_buurten))

    def per_buurt(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` (one per sample) per buurt."""
        return np.add.reduceat(values, self.segment_starts) if len(values) else np.zeros(0)

    def share(self, mask: np.ndarray) -> np.ndarray:
        """Per buurt, the weighted share of its samples where ``mask`` holds (0..1)."""
        hit = self.per_buurt(self.weight * mask)
        totals = self.totals()
        return np.divide(hit, totals, out=np.zeros_like(hit), where=totals > 0)

    @cached_property
    def _lattice(self) -> tuple[np.ndarray, int, int, int, np.ndarray]:
        """A raster of sample numbers (-1 where none), flattened, with a margin of
        ``LATTICE_MARGIN`` cells on every side; its column count; its origin in lattice
        units; and the samples that must be searched one by one."""
        on = self.on_lattice.copy()
        ix = np.floor(self.x / self.cell_m).astype(np.int64)
        iy = np.floor(self.y / self.cell_m).astype(np.int64)
        if not on.any():
            return np.full(0, -1, dtype=np.int64), 1, 0, 0, np.flatnonzero(~on)
        x0 = int(ix[on].min()) - LATTICE_MARGIN
        y0 = int(iy[on].min()) - LATTICE_MARGIN
        columns = int(ix[on].max()) - x0 + 1 + LATTICE_MARGIN
        rows = int(iy[on].max()) - y0 + 1 + LATTICE_MARGIN
        raster = np.full(rows * columns, -1, dtype=np.int64)
        samples = np.flatnonzero(on)
        position = (iy[on] - y0) * columns + (ix[on] - x0)
        raster[position] = samples
        # Overlapping buurten share lattice positions; the raster keeps one sample per
        # position, so the others are searched like off-lattice samples.
        on[samples[raster[position] != samples]] = False
        return raster, columns, x0, y0, np.flatnonzero(~on)

    def pairs_within(
        self, points: np.ndarray, radius: float, chunk: int = 2048
    ) -> tuple[np.ndarray, np.ndarray]:
        """All (sample, point) pairs with the sample within ``radius`` of the point.

        Uses the lattice: for each point only the cells in a disc around it are measured,
        so the cost grows with the number of points, not with the size of the grid.
        """
        raster, columns, x0, y0, off_lattice = self._lattice
        cells_out, points_out = [], []
        reach = int(np.ceil(radius / self.cell_m)) + 1
        if 2 * reach > LATTICE_MARGIN:
            raise ValueError(f"radius {radius} m is too large for the lattice margin")
        rows = len(raster) // columns
        offsets = np.arange(-reach, reach + 1)
        dx, dy = (a.ravel() for a in np.meshgrid(offsets, offsets))
        # A cell whose lattice offset is farther than radius + one diagonal can never count.
        keep = np.hypot(dx, dy) * self.cell_m <= radius + 1.5 * self.cell_m
        dx, dy = dx[keep], dy[keep]
        step = dy * columns + dx
        for start in range(0, len(points) if len(raster) else 0, chunk):
            block = points[start : start + chunk]
            px = np.floor(block[:, 0] / self.cell_m)
            py = np.floor(block[:, 1] / self.cell_m)
            # Offset of each point from the centre of its own cell, in metres.
            fx = block[:, 0] - (px + 0.5) * self.cell_m
            fy = block[:, 1] - (py + 0.5) * self.cell_m
            near = ((dx * self.cell_m)[None, :] - fx[:, None]) ** 2 + (
                (dy * self.cell_m)[None, :] - fy[:, None]
            ) ** 2 <= radius * radius
            # Points this far out are more than ``reach`` cells from every sample.
            inside = (
                (px - x0 >= reach)
                & (px - x0 < columns - reach)
                & (py - y0 >= reach)
                & (py - y0 < rows - reach)
            )
            near &= inside[:, None]
            point_index, offset_index = np.nonzero(near)
            base = ((py - y0) * columns + (px - x0)).astype(np.int64)
            cell = raster[base[point_index] + step[offset_index]]
            found = cell >= 0
            cells_out.append(cell[found])
            points_out.append(point_index[found] + start)
        if len(off_lattice) and len(points):
            from scipy.spatial import (
                cKDTree,  # imported where used: pages that need no distances load faster
            )

            hits = cKDTree(points).query_ball_point(self.xy[off_lattice], radius)
            for cell, found in zip(off_lattice, hits, strict=True):
                cells_out.append(np.full(len(found), cell, dtype=np.int64))
                points_out.append(np.asarray(found, dtype=np.int64))
        if not cells_out:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(cells_out), np.concatenate(points_out)

    def of_buurt(self, index: int) -> Grid:
        """The samples of one buurt, as a grid of that single buurt."""
        cells = np.flatnonzero(self.buurt == index)
        return Grid(
            self.x[cells],
            self.y[cells],
            np.zeros(len(cells), dtype=np.int32),
            self.weight[cells],
            1,
            self.cell_m,
            self.on_lattice[cells],
            None if self.by_residents is None else self.by_residents[[index]],
        )

    def with_weight(self, weight: np.ndarray, by_residents: np.ndarray | None = None) -> Grid:
        return Grid(
            self.x,
            self.y,
            self.buurt,
            weight,
            self.n_buurten,
            self.cell_m,
            self.on_lattice,
            by_residents,
        )


def build_grid(buurten: gpd.GeoSeries | gpd.GeoDataFrame, cell_m: float = DEFAULT_CELL_M) -> Grid:
    """Sample cells for every buurt (geometries in RD New metres).

    All candidate cell centres (those in each buurt's bounding box) are generated at once;
    each buurt then tests its own contiguous slice of them.
    """
    geometries = np.asarray(
        buurten.geometry.to_numpy() if hasattr(buurten, "geometry") else buurten
    )
    bounds = shapely.bounds(geometries)
    first_x = np.floor(bounds[:, 0] / cell_m)
    first_y = np.floor(bounds[:, 1] / cell_m)
    nx = (np.ceil(bounds[:, 2] / cell_m) - first_x).astype(np.int64)
    ny = (np.ceil(bounds[:, 3] / cell_m) - first_y).astype(np.int64)
    counts = nx * ny
    owner = np.repeat(np.arange(len(geometries)), counts)
    local = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    x = (first_x[owner] + local % nx[owner]) * cell_m + cell_m / 2
    y = (first_y[owner] + local // nx[owner]) * cell_m + cell_m / 2
    inside = np.empty(len(x), dtype=bool)
    ends = np.cumsum(counts)

    def test(part: range) -> None:
        # Each buurt writes only its own slice; shapely releases the GIL while it tests.
        for i in part:
            start, end = ends[i] - counts[i], ends[i]
            inside[start:end] = shapely.contains_xy(geometries[i], x[start:end], y[start:end])

    half = len(geometries) // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(test, (range(half), range(half, len(geometries)))))
    owner, x, y = owner[inside], x[inside], y[inside]
    weight = np.full(len(x), cell_m * cell_m)
    lattice = np.ones(len(x), dtype=bool)
    # A buurt too small to hold a cell centre gets one sample inside it, weighted by its area.
    empty = np.flatnonzero(np.bincount(owner, minlength=len(geometries)) == 0)
    if len(empty):
        points = shapely.get_coordinates(shapely.point_on_surface(geometries[empty]))
        owner = np.concatenate([owner, empty])
        x = np.concatenate([x, points[:, 0]])
        y = np.concatenate([y, points[:, 1]])
        weight = np.concatenate([weight, shapely.area(geometries[empty])])
        lattice = np.concatenate([lattice, np.zeros(len(empty), dtype=bool)])
    order = np.argsort(owner, kind="stable")
    return Grid(
        x=x[order],
        y=y[order],
        buurt=owner[order].astype(np.int32),
        weight=weight[order],
        n_buurten=len(geometries),
        cell_m=cell_m,
        on_lattice=lattice[order],
    )


def _lattice_keys(ix: np.ndarray, iy: np.ndarray) -> np.ndarray:
    return ix.astype(np.int64) * 100_000_000 + iy.astype(np.int64)


def _cells_in_squares(grid: Grid, squares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sample, square) pairs with the sample's centre inside the square.

    CBS squares lie on the same lattice as the grid's cells, so they are matched by their
    lattice position: a lookup instead of 4 million point-in-polygon tests nationally. Any
    other polygons (other sizes, shifted, overlapping) are matched geometrically.
    """
    bounds = shapely.bounds(squares)
    size = grid.cell_m
    corner = bounds[:, :2] / size
    on_lattice = (
        len(squares) > 0
        and np.allclose(bounds[:, 2:] - bounds[:, :2], size, atol=0.01)
        and np.allclose(corner, np.round(corner), atol=1e-4)
        and np.allclose(shapely.area(squares), size * size, rtol=1e-3)
    )
    if on_lattice:
        keys = _lattice_keys(np.round(corner[:, 0]), np.round(corner[:, 1]))
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        if len(np.unique(sorted_keys)) == len(keys):
            cell_keys = _lattice_keys(np.floor(grid.x / size), np.floor(grid.y / size))
            position = np.minimum(np.searchsorted(sorted_keys, cell_keys), len(keys) - 1)
            found = sorted_keys[position] == cell_keys
            return np.flatnonzero(found), order[position[found]]
    points = shapely.points(grid.x, grid.y)
    return gpd.GeoSeries(squares).sindex.query(points, predicate="within")


def weight_by_population(
    grid: Grid, population: gpd.GeoDataFrame, column: str = "inwoners"
) -> Grid:
    """The grid with each cell weighted by the residents of the population square that
    contains its centre (shared equally among the cells in that square).

    ``population`` holds polygons (e.g. CBS 100 m squares) in RD with a ``column`` of counts;
    cells outside every square get weight 0, and so do missing counts. A buurt where no
    cell has residents keeps its area weights: a share of nobody would say nothing, and
    such a buurt is often one the grid does not cover. ``by_residents`` records which.
    """
    cell_index, square_index = _cells_in_squares(grid, population.geometry.to_numpy())
    counts = pd.to_numeric(population[column], errors="coerce").fillna(0).to_numpy(float)
    cells_per_square = np.bincount(square_index, minlength=len(population))
    weight = np.zeros(len(grid.x))
    weight[cell_index] = counts[square_index] / cells_per_square[square_index]
    by_residents = grid.per_buurt(weight) > 0
    weight = np.where(by_residents[grid.buurt], weight, grid.weight)
    return grid.with_weight(weight, by_residents)
