"""A regular grid of sample cells clipped to the buurten, the unit of coverage measures.

Cells are squares aligned to multiples of the cell size in RD New, like CBS's own 100 m
grid statistics, so a CBS population grid can weight them one to one. A cell belongs to the
buurt that contains its centre. A small or ragged buurt is sampled on a finer lattice
(100/k m, nested in the 100 m one) until the cells cut by its outline hold at most
``BOUNDARY_SHARE`` of its area: with a few cells a buurt's share within a walking time can be
tens of points off, sampled this way it is within one point of the exact answer. Such
samples, and the one sample of a buurt too thin to hold any centre, are "off the lattice";
each belongs to the 100 m square it lies in (its "parent"), which lets most of them share
their square's answer. Cells are stored buurt by buurt, computed once per geography and
reused for every filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from socialbasis.analysis.runs import expand_runs, run_offsets

if TYPE_CHECKING:
    from scipy import sparse

DEFAULT_CELL_M = 100.0
# A buurt is sampled finer until the cells cut by its outline (outline x cell size) are at
# most this share of its area. Measured on Zaanstad (2020 and 2024) against the exact shares
# within 5/10/15 minutes: 100 m cells everywhere are up to 14.6 points off; with 0.3 up to
# 1.6, with 0.2 up to 0.95, with 0.15 up to 0.92 and with 0.1 up to 0.41.
BOUNDARY_SHARE = 0.15
MIN_CELL_M = 2.0
# Empty cells kept around the lattice raster. A search reaching r cells stays inside the
# raster for every point that could be within r cells of a sample, as long as 2r <= margin.
LATTICE_MARGIN = 30


@dataclass(frozen=True)
class Blocks:
    """The samples of one buurt in one 100 m square form a block. Most questions ("is this
    within 800 m?") have one answer for a whole block, so they are asked once per block and
    only the blocks on an edge are looked at sample by sample."""

    square: np.ndarray  # index into Grid.parents
    buurt: np.ndarray
    weight: np.ndarray  # the block's samples' weights together
    exact: bool | np.ndarray  # the block is one sample at the square's centre
    of_sample: np.ndarray  # each sample's block
    members: np.ndarray  # samples ordered by block
    first: np.ndarray  # where each block's samples start in ``members``
    count: np.ndarray

    def samples_of(self, blocks: np.ndarray) -> np.ndarray:
        """The samples of the given blocks."""
        return self.members[expand_runs(self.first[blocks], self.count[blocks])]


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
        share = np.divide(hit, totals, out=np.zeros_like(hit), where=totals > 0)
        # Sums of many small weights are off in the 15th digit; a whole buurt is 1, not 0.99..
        return np.round(share, 12)

    @cached_property
    def _lattice(self) -> tuple[np.ndarray, int, int, int]:
        """A raster of the numbers of the ``cell_m`` squares that hold samples (-1 where
        none), flattened, with a margin of ``LATTICE_MARGIN`` cells on every side; its
        column count; and its origin in lattice units."""
        centres = self.parents[0]
        ix = np.floor(centres[:, 0] / self.cell_m).astype(np.int64)
        iy = np.floor(centres[:, 1] / self.cell_m).astype(np.int64)
        if not len(ix):
            return np.full(0, -1, dtype=np.int64), 1, 0, 0
        x0 = int(ix.min()) - LATTICE_MARGIN
        y0 = int(iy.min()) - LATTICE_MARGIN
        columns = int(ix.max()) - x0 + 1 + LATTICE_MARGIN
        rows = int(iy.max()) - y0 + 1 + LATTICE_MARGIN
        raster = np.full(rows * columns, -1, dtype=np.int64)
        raster[(iy - y0) * columns + (ix - x0)] = np.arange(len(ix))
        return raster, columns, x0, y0

    @cached_property
    def _spread(self) -> np.ndarray:
        """Per square, how far its farthest sample lies from its centre (at most half a
        diagonal): a point nearer than the radius minus this reaches the whole square."""
        centres, parent_of = self.parents
        distance = np.hypot(self.x - centres[parent_of, 0], self.y - centres[parent_of, 1])
        spread = np.zeros(len(centres))
        np.maximum.at(spread, parent_of, distance)
        return spread + 1e-6  # rounding

    @cached_property
    def _exact_squares(self) -> np.ndarray:
        """Squares whose only sample is their centre (a plain 100 m cell)."""
        order, first, counts = self._children
        single = counts == 1
        exact = np.zeros(len(counts), dtype=bool)
        exact[single] = self.on_lattice[order[first[single]]]
        return exact

    def prepare(self) -> Grid:
        """Work out now what every question will need (once per grid), and return it."""
        _ = self.blocks, self._children, self._lattice, self._exact_squares, self._block_sums
        _ = self._spread
        return self

    @cached_property
    def _children(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The samples ordered by square, where each square's samples start, how many."""
        parent_of = self.parents[1]
        order = np.argsort(parent_of, kind="stable")
        counts = np.bincount(parent_of, minlength=len(self.parents[0]))
        return order, np.cumsum(counts) - counts, counts

    @cached_property
    def blocks(self) -> Blocks:
        """The samples grouped by buurt and 100 m square (see :class:`Blocks`)."""
        parent_of = self.parents[1]
        key = self.buurt.astype(np.int64) * len(self.parents[0]) + parent_of
        keys, block_of, counts = np.unique(key, return_inverse=True, return_counts=True)
        block_of = block_of.ravel()
        members = np.argsort(block_of, kind="stable")
        return Blocks(
            square=keys % len(self.parents[0]),
            buurt=(keys // len(self.parents[0])).astype(np.int64),
            weight=np.bincount(block_of, weights=self.weight, minlength=len(keys)),
            exact=np.bincount(block_of, weights=~self.on_lattice, minlength=len(keys)) == 0,
            of_sample=block_of,
            members=members,
            first=np.cumsum(counts) - counts,
            count=counts,
        )

    @cached_property
    def _block_sums(self) -> sparse.csr_matrix:
        """A (buurten x blocks) matrix of block weights: times 0/1 columns, weight inside."""
        from scipy import sparse

        blocks = self.blocks
        return sparse.csr_matrix(
            (blocks.weight, (blocks.buurt, np.arange(len(blocks.weight)))),
            shape=(self.n_buurten, len(blocks.weight)),
        )

    def shares_from_blocks(
        self, block_inside: np.ndarray, samples: np.ndarray, sample_inside: np.ndarray
    ) -> np.ndarray:
        """Per buurt, the weighted share inside, for one or more questions at once:
        ``block_inside`` (blocks x questions) answers per block, except for the blocks of
        ``samples``, which count sample by sample (``sample_inside``, samples x questions).
        Returns (questions x buurten)."""
        from scipy import sparse

        blocks = self.blocks
        questions = block_inside.shape[1] if block_inside.ndim == 2 else 1
        block_inside = block_inside.reshape(len(blocks.weight), questions).astype(float)
        block_inside[blocks.of_sample[samples]] = 0.0  # counted sample by sample below
        by_sample = sparse.csr_matrix(
            (self.weight[samples], (self.buurt[samples], np.arange(len(samples)))),
            shape=(self.n_buurten, len(samples)),
        )
        hit = self._block_sums @ block_inside + by_sample @ sample_inside.reshape(
            len(samples), questions
        ).astype(float)
        totals = self.totals()[:, None]
        share = np.divide(hit, totals, out=np.zeros_like(hit), where=totals > 0)
        # Sums of many small weights are off in the 15th digit; a whole buurt is 1, not 0.99..
        return np.round(share, 12).T

    def square_pairs(
        self, points: np.ndarray, radius: float, chunk: int = 2048
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(square, point, whole) for every 100 m square holding samples within ``radius``
        of a point; ``whole``: the entire square is within reach."""
        raster, columns, x0, y0 = self._lattice
        if not len(raster) or not len(points):
            return
        half = self.cell_m * np.sqrt(0.5)
        reach = int(np.ceil((radius + half) / self.cell_m)) + 1
        if 2 * reach > LATTICE_MARGIN:
            raise ValueError(f"radius {radius} m is too large for the lattice margin")
        rows = len(raster) // columns
        offsets = np.arange(-reach, reach + 1)
        dx, dy = (a.ravel() for a in np.meshgrid(offsets, offsets))
        # A square whose lattice offset is farther than radius + two half diagonals never counts.
        keep = np.hypot(dx, dy) * self.cell_m <= radius + 2 * half + self.cell_m
        dx, dy = dx[keep], dy[keep]
        step = dy * columns + dx
        centres = self.parents[0]
        for start in range(0, len(points), chunk):
            block = points[start : start + chunk]
            px = np.floor(block[:, 0] / self.cell_m)
            py = np.floor(block[:, 1] / self.cell_m)
            # Points this far out are more than ``reach`` squares from every sample.
            inside = (
                (px - x0 >= reach)
                & (px - x0 < columns - reach)
                & (py - y0 >= reach)
                & (py - y0 < rows - reach)
            )
            point_index = np.repeat(np.flatnonzero(inside), len(step))
            offset_index = np.tile(np.arange(len(step)), int(inside.sum()))
            base = ((py - y0) * columns + (px - x0)).astype(np.int64)
            square = raster[base[point_index] + step[offset_index]]
            found = square >= 0
            square, point_index = square[found], point_index[found]
            centre_distance = np.hypot(
                centres[square, 0] - block[point_index, 0],
                centres[square, 1] - block[point_index, 1],
            )
            spread = self._spread[square]
            near = centre_distance - spread <= radius
            whole = centre_distance[near] + spread[near] <= radius
            # A square whose one sample is its centre is settled by the centre's distance.
            exact = self._exact_squares[square[near]] & (centre_distance[near] <= radius)
            yield square[near], point_index[near] + start, whole | exact

    def samples_of_squares(self, squares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every sample in the given squares (by number; a square may be given more than
        once), and for each which entry of ``squares`` it came from."""
        order, first, counts = self._children
        return order[expand_runs(first[squares], counts[squares])], np.repeat(
            np.arange(len(squares)), counts[squares]
        )

    def pairs_within(
        self, points: np.ndarray, radius: float, chunk: int = 2048
    ) -> tuple[np.ndarray, np.ndarray]:
        """All (sample, point) pairs with the sample within ``radius`` of the point."""
        parts = list(self.iter_pairs_within(points, radius, chunk))
        if not parts:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def iter_pairs_within(
        self, points: np.ndarray, radius: float, chunk: int = 2048
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(sample, point) pairs within ``radius``, a chunk of points at a time.

        Uses the lattice: for each point only the squares in a disc around it are looked
        at, so the cost grows with the number of points, not with the size of the grid. A
        square wholly within reach brings all its samples; one on the edge is measured
        sample by sample.
        """
        for square, point_index, whole in self.square_pairs(points, radius, chunk):
            # Every sample of the squares in reach, and those of the squares on the edge.
            sample, pair = self.samples_of_squares(square)
            point = point_index[pair]
            check = ~whole[pair]
            close = np.ones(len(sample), dtype=bool)
            close[check] = (
                np.hypot(
                    self.x[sample[check]] - points[point[check], 0],
                    self.y[sample[check]] - points[point[check], 1],
                )
                <= radius
            )
            yield sample[close], point[close]

    @cached_property
    def parents(self) -> tuple[np.ndarray, np.ndarray]:
        """The centres of the ``cell_m`` squares that hold samples, and each sample's square.
        (A sample on the lattice is its square's centre.)"""
        ix = np.floor(self.x / self.cell_m).astype(np.int64)
        iy = np.floor(self.y / self.cell_m).astype(np.int64)
        keys, parent_of = np.unique(_lattice_keys(ix, iy), return_inverse=True)
        first = np.zeros(len(keys), dtype=np.int64)
        first[parent_of[::-1]] = np.arange(len(ix))[::-1]
        centres = np.column_stack([ix[first] + 0.5, iy[first] + 0.5]) * self.cell_m
        return centres, parent_of.ravel()

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


def refinement(
    geometries: np.ndarray, cell_m: float = DEFAULT_CELL_M, boundary_share: float = BOUNDARY_SHARE
) -> np.ndarray:
    """Per buurt, how many times finer than ``cell_m`` it is sampled (1 = not at all): fine
    enough that the cells cut by its outline hold at most ``boundary_share`` of its area
    (outline x cell size / area); finer cells stay nested in the lattice."""
    area = np.maximum(shapely.area(geometries), 1e-9)
    wanted = np.ceil(shapely.length(geometries) * cell_m / (area * boundary_share))
    return np.clip(wanted, 1, max(1, int(cell_m // MIN_CELL_M))).astype(np.int64)


def build_grid(
    buurten: gpd.GeoSeries | gpd.GeoDataFrame,
    cell_m: float = DEFAULT_CELL_M,
    boundary_share: float = BOUNDARY_SHARE,
) -> Grid:
    """Sample cells for every buurt (geometries in RD New metres).

    All candidate cell centres (those in each buurt's bounding box, at the buurt's own cell
    size) are generated at once; each buurt then tests its own contiguous slice of them.
    """
    geometries = np.asarray(
        buurten.geometry.to_numpy() if hasattr(buurten, "geometry") else buurten
    )
    size = cell_m / refinement(geometries, cell_m, boundary_share)
    bounds = shapely.bounds(geometries)
    first_x = np.floor(bounds[:, 0] / size)
    first_y = np.floor(bounds[:, 1] / size)
    nx = (np.ceil(bounds[:, 2] / size) - first_x).astype(np.int64)
    ny = (np.ceil(bounds[:, 3] / size) - first_y).astype(np.int64)
    counts = nx * ny
    owner = np.repeat(np.arange(len(geometries)), counts)
    local = run_offsets(counts)
    x = (first_x[owner] + local % nx[owner] + 0.5) * size[owner]
    y = (first_y[owner] + local // nx[owner] + 0.5) * size[owner]
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
    weight = size[owner] ** 2
    lattice = size[owner] == cell_m
    # A buurt too thin to hold a cell centre gets one sample inside it, weighted by its area.
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
    contains its centre (shared among the cells in that square by their area, so that a
    buurt's finer cells together get what one cell of the lattice would).

    ``population`` holds polygons (e.g. CBS 100 m squares) in RD with a ``column`` of counts;
    cells outside every square get weight 0, and so do missing counts. A buurt where no
    cell has residents keeps its area weights: a share of nobody would say nothing, and
    such a buurt is often one the grid does not cover. ``by_residents`` records which.
    """
    cell_index, square_index = _cells_in_squares(grid, population.geometry.to_numpy())
    counts = pd.to_numeric(population[column], errors="coerce").fillna(0).to_numpy(float)
    area_per_square = np.bincount(
        square_index, weights=grid.weight[cell_index], minlength=len(population)
    )
    weight = np.zeros(len(grid.x))
    weight[cell_index] = (
        counts[square_index] * grid.weight[cell_index] / area_per_square[square_index]
    )
    by_residents = grid.per_buurt(weight) > 0
    weight = np.where(by_residents[grid.buurt], weight, grid.weight)
    return grid.with_weight(weight, by_residents)
