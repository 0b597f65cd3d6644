"""A walking network and shortest walking distances over it.

The network is a set of nodes (RD New metres) and straight edges between them, each with its
length and whether it is a flight of steps (a rollator avoids those) or a ferry. Places off
the network (grid samples, initiatives, venues) are *snapped* to the nearest walkable edge:
their distance is the snap distance plus the way along the edge. A place farther than
``SNAP_LIMIT_M`` from every edge is not reached by the network; its distances stay straight
lines, and callers say so.

Shortest paths use scipy's sparse-graph Dijkstra. Distances from a set of places to their
nearest one (coverage) are one search from a virtual source joined to every place; distances
from each place separately (pairs within a radius) are searched tile by tile on the part of
the network within reach, so the cost follows the places, not the size of the country.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from socialbasis.analysis.runs import expand_runs, run_offsets

# A place farther than this from every walkable edge is not reached by the network.
SNAP_LIMIT_M = 300.0
# Stations along the edges that find the edges near a place, and how many are looked at.
SNAP_STEP_M = 20.0
SNAP_CANDIDATES = 8
# Side of the tiles that per-place searches are grouped in.
TILE_M = 3000.0
EDGE_KINDS = ("weg", "trap", "veerpont")  # road or path, steps, ferry
STEPS, FERRY = 1, 2


@dataclass(frozen=True)
class Snap:
    """Where places join the network: the edge (-1: too far), the metres along it from its
    first node, and the straight distance from the place to the edge."""

    edge: np.ndarray
    along: np.ndarray
    offset: np.ndarray

    @property
    def reached(self) -> np.ndarray:
        return self.edge >= 0

    def subset(self, which: np.ndarray) -> Snap:
        return Snap(self.edge[which], self.along[which], self.offset[which])


@dataclass(frozen=True, eq=False)
class WalkNetwork:
    """Nodes and edges of a walking network, with where it came from."""

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    kind: np.ndarray  # index into EDGE_KINDS
    about: dict[str, str] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return len(self.x)

    @property
    def edge_count(self) -> int:
        return len(self.u)

    @property
    def steps_count(self) -> int:
        return int((self.kind == STEPS).sum())

    def usable(self, avoid_steps: bool) -> np.ndarray:
        """The edges one may walk: all, or all but steps."""
        if not avoid_steps:
            return np.ones(self.edge_count, dtype=bool)
        return self.kind != STEPS

    @cached_property
    def _cache(self) -> dict[Any, Any]:
        return {}

    @cached_property
    def _lock(self) -> threading.RLock:
        # Layers are ranked in threads; what is worked out once is worked out under this.
        return threading.RLock()

    def graph(self, avoid_steps: bool = False) -> sparse.csr_matrix:
        with self._lock:
            return self._graph(avoid_steps)

    def _graph(self, avoid_steps: bool) -> sparse.csr_matrix:
        """Both directions of every usable edge, as an n x n CSR matrix."""
        key = ("graph", avoid_steps)
        if key not in self._cache:
            use = self.usable(avoid_steps)
            u, v = self.u[use], self.v[use]
            # Explicit zeros would be read as "no edge"; a millimetre changes nothing.
            weight = np.maximum(self.length[use], 1e-3)
            rows = np.concatenate([u, v])
            columns = np.concatenate([v, u])
            weights = np.concatenate([weight, weight])
            # Of parallel edges the shortest counts (a CSR matrix would add them up).
            order = np.lexsort((weights, columns, rows))
            rows, columns, weights = rows[order], columns[order], weights[order]
            first = np.ones(len(rows), dtype=bool)
            first[1:] = (rows[1:] != rows[:-1]) | (columns[1:] != columns[:-1])
            n = self.node_count
            self._cache[key] = sparse.csr_matrix(
                (weights[first], (rows[first], columns[first])), shape=(n, n)
            )
        return self._cache[key]

    def _stations(self, avoid_steps: bool) -> tuple[np.ndarray, Any]:
        with self._lock:
            return self._make_stations(avoid_steps)

    def _make_stations(self, avoid_steps: bool) -> tuple[np.ndarray, Any]:
        """Points every ``SNAP_STEP_M`` along every usable edge (both ends included), each
        with its edge, in a k-d tree: the edges near a place are those of its nearest
        stations."""
        key = ("stations", avoid_steps)
        if key not in self._cache:
            from scipy.spatial import cKDTree

            edges = np.flatnonzero(self.usable(avoid_steps))
            ux, uy = self.x[self.u[edges]], self.y[self.u[edges]]
            vx, vy = self.x[self.v[edges]], self.y[self.v[edges]]
            count = np.ceil(np.hypot(vx - ux, vy - uy) / SNAP_STEP_M).astype(np.int64) + 1
            owner = np.repeat(np.arange(len(edges)), count)
            t = run_offsets(count) / np.repeat(count - 1, count)
            stations = np.column_stack(
                [ux[owner] + t * (vx - ux)[owner], uy[owner] + t * (vy - uy)[owner]]
            )
            self._cache[key] = (edges[owner], cKDTree(stations))
        return self._cache[key]

    def snap(self, xy: np.ndarray, avoid_steps: bool = False) -> Snap:
        """Each point's nearest usable edge within ``SNAP_LIMIT_M``. Remembered per array
        object, so the grid's samples are snapped once per network."""
        if len(xy) <= 1000:  # small arrays change with the filters: not kept
            return self._snap(np.asarray(xy, dtype=float).reshape(-1, 2), avoid_steps)
        key = ("snap", id(xy), avoid_steps)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] is xy:
                return cached[1]
            result = self._snap(np.asarray(xy, dtype=float).reshape(-1, 2), avoid_steps)
            # Big arrays (grids) are asked for again; keep a few.
            stale = [k for k in self._cache if k[0] == "snap"]
            for old in stale[: max(0, len(stale) - 6)]:
                del self._cache[old]
            self._cache[key] = (xy, result)
            return result

    def _snap(self, xy: np.ndarray, avoid_steps: bool, chunk: int = 250_000) -> Snap:
        """The nearest usable edge of each point: the edges of its ``SNAP_CANDIDATES``
        nearest stations are measured exactly and the nearest taken. (If the nearest edge
        has none of those stations, the one taken is at most half a station step farther.)"""
        edge = np.full(len(xy), -1, dtype=np.int64)
        along = np.zeros(len(xy))
        offset = np.full(len(xy), np.inf)
        owner, tree = self._stations(avoid_steps)
        if not len(xy) or not len(owner):
            return Snap(edge, along, offset)
        k = min(SNAP_CANDIDATES, len(owner))
        reach = SNAP_LIMIT_M + SNAP_STEP_M
        for start in range(0, len(xy), chunk):
            block = xy[start : start + chunk]
            _, index = tree.query(block, k=k, distance_upper_bound=reach, workers=-1)
            index = index.reshape(len(block), k)
            found = index < len(owner)
            candidate = np.where(found, owner[np.minimum(index, len(owner) - 1)], 0)
            ux, uy = self.x[self.u[candidate]], self.y[self.u[candidate]]
            dx, dy = self.x[self.v[candidate]] - ux, self.y[self.v[candidate]] - uy
            squared = dx * dx + dy * dy
            px, py = block[:, :1], block[:, 1:]
            t = np.divide(
                (px - ux) * dx + (py - uy) * dy,
                squared,
                out=np.zeros_like(squared),
                where=squared > 0,
            ).clip(0.0, 1.0)
            distance = np.hypot(px - (ux + t * dx), py - (uy + t * dy))
            distance[~found] = np.inf
            best = np.argmin(distance, axis=1)
            rows = np.arange(len(block))
            near = distance[rows, best] <= SNAP_LIMIT_M
            chosen = candidate[rows, best]
            edge[start : start + len(block)] = np.where(near, chosen, -1)
            along[start : start + len(block)] = np.where(
                near, t[rows, best] * self.length[chosen], 0.0
            )
            offset[start : start + len(block)] = np.where(near, distance[rows, best], np.inf)
        return Snap(edge, along, offset)

    # --- searches ---------------------------------------------------------------------------

    def _with_places(
        self, graph: sparse.csr_matrix, which: np.ndarray, targets: np.ndarray, weights: np.ndarray
    ) -> sparse.csr_matrix:
        """The graph with one virtual node per place after its nodes, joined one-way to the
        ends of the place's edge (``which`` place, ``targets`` node, ``weights`` metres)."""
        n = graph.shape[0]
        places = int(which.max()) + 1 if len(which) else 0
        order = np.argsort(which, kind="stable")
        counts = np.bincount(which, minlength=places)
        indptr = np.concatenate([graph.indptr, graph.indptr[-1] + np.cumsum(counts)])
        return sparse.csr_matrix(
            (
                np.concatenate([graph.data, weights[order]]),
                np.concatenate([graph.indices, targets[order].astype(graph.indices.dtype)]),
                indptr,
            ),
            shape=(n + places, n + places),
        )

    def _entry_costs(self, snap: Snap) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For snapped places: (node, cost) to both ends of their edge, and which place."""
        places = np.flatnonzero(snap.reached)
        edge = snap.edge[places]
        to_u = snap.offset[places] + snap.along[places]
        to_v = snap.offset[places] + self.length[edge] - snap.along[places]
        nodes = np.concatenate([self.u[edge], self.v[edge]])
        return nodes, np.concatenate([to_u, to_v]), np.concatenate([places, places])

    def _at(self, node_distance: np.ndarray, snap: Snap, local: np.ndarray) -> np.ndarray:
        """Distance from each search (row) to each snapped place (inf where not snapped);
        ``local`` maps nodes to columns of ``node_distance`` (-1: not searched)."""
        places = np.flatnonzero(snap.reached)
        edge = snap.edge[places]
        along = snap.along[places]
        ends = [local[self.u[edge]], local[self.v[edge]]]
        padded = np.concatenate(
            [node_distance, np.full((*node_distance.shape[:-1], 1), np.inf)], axis=-1
        )
        via_u = padded[..., ends[0]] + along  # column -1 is the padding: not searched
        via_v = padded[..., ends[1]] + self.length[edge] - along
        out = np.full((*node_distance.shape[:-1], len(snap.edge)), np.inf)
        out[..., places] = np.minimum(via_u, via_v) + snap.offset[places]
        return out

    def nearest(
        self, origins: Snap, points: Snap, limit: float = np.inf, avoid_steps: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """From each origin, the walking distance to the nearest point and which point that
        is (inf and -1 beyond ``limit`` or where either is off the network)."""
        return self.nearest_together([origins], points, [limit], avoid_steps)[0]

    def nearest_together(
        self,
        origin_sets: Sequence[Snap],
        points: Snap,
        limits: Sequence[float],
        avoid_steps: bool = False,
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`nearest` for several sets of origins from one search (as far as the
        largest limit), e.g. a grid's samples within 15 minutes and the buurt centres."""
        empty = [
            (np.full(len(o.edge), np.inf), np.full(len(o.edge), -1, dtype=np.int64))
            for o in origin_sets
        ]
        if not points.reached.any():
            return empty
        graph = self.graph(avoid_steps)
        nodes, costs, which = self._entry_costs(points)
        n = graph.shape[0]
        node_distance, _, source = dijkstra(
            self._with_places(graph, which, nodes, costs),
            directed=True,
            indices=n + np.arange(int(which.max()) + 1),
            limit=max(limits),
            min_only=True,
            return_predecessors=True,
        )
        return [
            self._nearest_of(origins, points, node_distance, source - n, limit)
            for origins, limit in zip(origin_sets, limits, strict=True)
        ]

    def _nearest_of(
        self,
        origins: Snap,
        points: Snap,
        node_distance: np.ndarray,
        source: np.ndarray,
        limit: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        distance = np.full(len(origins.edge), np.inf)
        nearest = np.full(len(origins.edge), -1, dtype=np.int64)
        places = np.flatnonzero(origins.reached)
        edge = origins.edge[places]
        along = origins.along[places]
        via_u = node_distance[self.u[edge]] + along
        via_v = node_distance[self.v[edge]] + self.length[edge] - along
        first = via_u <= via_v
        distance[places] = np.where(first, via_u, via_v) + origins.offset[places]
        nearest[places] = np.where(first, source[self.u[edge]], source[self.v[edge]])
        # Two places on the same edge also reach each other along it directly.
        origin, point, direct = same_edge_pairs(origins, points, self.length)
        better = np.full(len(distance), np.inf)
        np.minimum.at(better, origin, direct)
        closer = direct <= better[origin]
        nearest_direct = np.full(len(distance), -1, dtype=np.int64)
        nearest_direct[origin[closer]] = point[closer]
        use = better < distance
        distance[use], nearest[use] = better[use], nearest_direct[use]
        far = ~(distance <= limit)
        distance[far], nearest[far] = np.inf, -1
        return distance, nearest

    def pairs_within(
        self,
        origins_xy: np.ndarray,
        origins: Snap,
        points_xy: np.ndarray,
        points: Snap,
        radius: float,
        avoid_steps: bool = False,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All (origin, point, distance) with a walk of at most ``radius`` between them.

        Points are taken tile by tile; each tile searches only the nodes within
        ``radius`` of it (a walk is never shorter than the straight line).
        """
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        snapped = np.flatnonzero(points.reached)
        if not len(snapped) or not len(origins.edge):
            return _empty_pairs()
        graph = self.graph(avoid_steps)
        origin_index = _Buckets(origins_xy, TILE_M)
        tile = np.floor(points_xy[snapped] / TILE_M).astype(np.int64)
        order = np.lexsort((tile[:, 1], tile[:, 0]))
        keys = tile[order]
        breaks = np.flatnonzero(np.any(np.diff(keys, axis=0) != 0, axis=1)) + 1
        node_index = _Buckets(np.column_stack([self.x, self.y]), TILE_M)
        local = np.full(self.node_count, -1, dtype=np.int64)
        for group in np.split(snapped[order], breaks):
            low = points_xy[group].min(axis=0) - radius - SNAP_LIMIT_M
            high = points_xy[group].max(axis=0) + radius + SNAP_LIMIT_M
            nodes = node_index.within(low, high)
            near = origin_index.within(low, high)
            if not len(nodes) or not len(near):
                continue
            local[nodes] = np.arange(len(nodes))
            row, column, weight = _subgraph_edges(graph, nodes, local)
            entry, cost, which = self._entry_costs(points.subset(group))
            keep = local[entry] >= 0
            k = len(group)
            # One virtual node per point, after the nodes, joined to both ends of its edge.
            search = sparse.csr_matrix(
                (
                    np.concatenate([weight, cost[keep]]),
                    (
                        np.concatenate([row, len(nodes) + which[keep]]),
                        np.concatenate([column, local[entry][keep]]),
                    ),
                ),
                shape=(len(nodes) + k, len(nodes) + k),
            )
            distance = dijkstra(
                search, directed=True, indices=np.arange(len(nodes), len(nodes) + k), limit=radius
            )
            at = self._at(distance[:, : len(nodes)], origins.subset(near), local)
            local[nodes] = -1  # (k, len(near)) above; the map is clean for the next tile
            origin_pos, point_pos, direct = same_edge_pairs(
                origins.subset(near), points.subset(group), self.length
            )
            at_t = at.T
            np.minimum.at(at_t, (origin_pos, point_pos), direct)
            point_hit, origin_hit = np.nonzero(at <= radius)
            found.append((near[origin_hit], group[point_hit], at[point_hit, origin_hit]))
        if not found:
            return _empty_pairs()
        return tuple(np.concatenate(part) for part in zip(*found, strict=True))  # type: ignore[return-value]

    # --- storage ----------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            x=self.x,
            y=self.y,
            u=self.u,
            v=self.v,
            length=self.length,
            kind=self.kind,
            about=np.array(json.dumps(self.about, ensure_ascii=False)),
        )

    @classmethod
    def load(cls, path: Path) -> WalkNetwork:
        with np.load(path, allow_pickle=False) as data:
            network = cls(
                data["x"].astype(float),
                data["y"].astype(float),
                data["u"].astype(np.int64),
                data["v"].astype(np.int64),
                data["length"].astype(float),
                data["kind"].astype(np.int8),
                json.loads(str(data["about"])),
            )
        network.check()
        return network

    def check(self) -> None:
        """Raise ValueError unless the arrays form a network."""
        n, m = self.node_count, self.edge_count
        if len(self.y) != n or not (len(self.v) == len(self.length) == len(self.kind) == m):
            raise ValueError("node and edge arrays differ in length")
        if m and (min(self.u.min(), self.v.min()) < 0 or max(self.u.max(), self.v.max()) >= n):
            raise ValueError("an edge refers to a node that does not exist")
        if not np.isfinite(self.length).all() or (self.length < 0).any():
            raise ValueError("edge lengths must be finite and not negative")
        if not (np.isfinite(self.x).all() and np.isfinite(self.y).all()):
            raise ValueError("node coordinates must be finite")


def same_edge_pairs(
    origins: Snap, points: Snap, length: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(origin, point, distance) for places snapped to the same edge: along it directly."""
    o = np.flatnonzero(origins.reached)
    p = np.flatnonzero(points.reached)
    if not len(o) or not len(p):
        return _empty_pairs()
    p = p[np.argsort(points.edge[p], kind="stable")]
    sorted_edges = points.edge[p]
    start = np.searchsorted(sorted_edges, origins.edge[o], side="left")
    end = np.searchsorted(sorted_edges, origins.edge[o], side="right")
    counts = end - start
    origin = np.repeat(o, counts)
    if not len(origin):
        return _empty_pairs()
    point = p[expand_runs(start, counts)]
    distance = (
        origins.offset[origin]
        + np.abs(origins.along[origin] - points.along[point])
        + points.offset[point]
    )
    return origin, point, distance


def _empty_pairs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0)


def _subgraph_edges(
    graph: sparse.csr_matrix, nodes: np.ndarray, local: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, weight) of the edges among ``nodes``, numbered by ``local`` (a node's
    position in ``nodes``, -1 outside)."""
    starts, ends = graph.indptr[nodes], graph.indptr[nodes + 1]
    counts = ends - starts
    row = np.repeat(np.arange(len(nodes)), counts)
    position = expand_runs(starts, counts)
    column = local[graph.indices[position]]
    keep = column >= 0
    return row[keep], column[keep], graph.data[position][keep]


class _Buckets:
    """Points sorted into square buckets, to find those in a box quickly."""

    def __init__(self, xy: np.ndarray, size: float) -> None:
        self.size = size
        self.xy = xy
        key = np.floor(xy / size).astype(np.int64) if len(xy) else np.empty((0, 2), np.int64)
        self.order = np.lexsort((key[:, 1], key[:, 0])) if len(xy) else np.empty(0, np.int64)
        sorted_keys = key[self.order]
        self.ranges: dict[tuple[int, int], tuple[int, int]] = {}
        if len(xy):
            breaks = np.flatnonzero(np.any(np.diff(sorted_keys, axis=0) != 0, axis=1)) + 1
            starts = np.concatenate([[0], breaks])
            ends = np.concatenate([breaks, [len(xy)]])
            keys = sorted_keys[starts].tolist()
            self.ranges = {
                (bx, by): (s, e)
                for (bx, by), s, e in zip(keys, starts.tolist(), ends.tolist(), strict=True)
            }

    def within(self, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        first = np.floor(low / self.size).astype(int)
        last = np.floor(high / self.size).astype(int)
        parts = [
            self.order[slice(*self.ranges[(bx, by)])]
            for bx in range(first[0], last[0] + 1)
            for by in range(first[1], last[1] + 1)
            if (bx, by) in self.ranges
        ]
        if not parts:
            return np.empty(0, dtype=np.int64)
        found = np.concatenate(parts)
        xy = self.xy[found]
        return found[np.all((xy >= low) & (xy <= high), axis=1)]
