"""Suggest the best places to start: the maximal covering location problem (MCLP).

Demand: every sample of the grid that no activity of the layer reaches within the radius
(10 minutes' walk by default), weighted by the residents it stands for (the buurt's CBS
residents spread over its samples by their weight; square metres when residents are unknown)
times the buurt's need factor, the same factor the kansscore uses (½ + ½ × need; 1 without
need figures). Choose ``k`` candidate places (venues, or 100 m cells) that together reach the
most demand. Solved exactly as an integer programme with HiGHS (``scipy.optimize.milp``);
samples with the same set of candidates are merged first, which keeps the programme small.
A greedy choice and a brute force over every combination serve as checks in the tests.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from socialbasis.analysis.distances import Distances, StraightLine
from socialbasis.analysis.gaps import NEED_FLOOR
from socialbasis.analysis.grid import Grid

MAX_PLACES = 5
SOLVER_SECONDS = 60.0  # a bound on the solver; the answer says when it was reached
DOMINANCE_RADIUS_M = 150.0  # candidates this close are compared for dominance


@dataclass(frozen=True)
class Demand:
    """The samples no activity reaches: where, what they weigh, whom they stand for."""

    xy: np.ndarray  # (n, 2) RD metres
    buurt: np.ndarray  # index into the buurten frame
    residents: np.ndarray  # residents (or m2 when ``by_residents`` is False)
    weight: np.ndarray  # residents x need factor: what is maximised
    by_residents: bool


def unreached_demand(
    grid: Grid,
    existing: np.ndarray,
    radius: float,
    residents_per_buurt: np.ndarray,
    need: np.ndarray,
    distances: Distances | None = None,
) -> Demand:
    """The samples farther than ``radius`` from every ``existing`` point, with their weights.
    ``residents_per_buurt``: CBS residents per buurt (NaN unknown; all unknown: area counts);
    ``need``: the need index per buurt (NaN: no need figures)."""
    far = ~(distances or StraightLine()).grid_within(grid, existing, [radius])[0]
    residents = np.asarray(residents_per_buurt, dtype=float)
    by_residents = bool(np.isfinite(residents).any())
    totals = grid.totals()
    if by_residents:
        # The buurt's residents, spread over its samples as the grid weighs them (residents
        # when a population grid is loaded, else area).
        per_weight = np.divide(
            np.nan_to_num(residents), totals, out=np.zeros_like(totals), where=totals > 0
        )
        stands_for = grid.weight * per_weight[grid.buurt]
    else:
        stands_for = grid.weight.astype(float)
    need = np.asarray(need, dtype=float)
    factor = np.where(np.isnan(need), 1.0, NEED_FLOOR + (1 - NEED_FLOOR) * np.clip(need, 0, 1))
    return Demand(
        xy=grid.xy[far],
        buurt=grid.buurt[far],
        residents=stands_for[far],
        weight=(stands_for * factor[grid.buurt])[far],
        by_residents=by_residents,
    )


def coverage_matrix(
    demand_xy: np.ndarray,
    candidates: np.ndarray,
    radius: float,
    distances: Distances | None = None,
) -> sparse.csc_matrix:
    """A (demand x candidates) 0/1 matrix: which candidate reaches which sample."""
    if not len(demand_xy) or not len(candidates):
        return sparse.csc_matrix((len(demand_xy), len(candidates)), dtype=np.int8)
    rows, columns, _ = (distances or StraightLine()).pairs(demand_xy, candidates, radius)
    data = np.ones(len(rows), dtype=np.int8)
    return sparse.csc_matrix(
        (data, (rows, columns)), shape=(len(demand_xy), len(candidates)), dtype=np.int8
    )


def _merge_rows(
    matrix: sparse.csr_matrix, weight: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Samples reached by exactly the same candidates act as one (weights added); samples no
    candidate reaches drop out (nothing can change them)."""
    keys: dict[bytes, int] = {}
    group = np.empty(matrix.shape[0], dtype=np.int64)
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        key = np.sort(matrix.indices[start:end]).tobytes() if end > start else b""
        group[i] = keys.setdefault(key, len(keys))
    merged_weight = np.bincount(group, weights=weight, minlength=len(keys))
    firsts = np.unique(group, return_index=True)[1]
    merged = matrix[firsts]
    reached = np.diff(merged.indptr) > 0
    return merged[reached], merged_weight[reached]


def _undominated(columns: sparse.csc_matrix, candidates_xy: np.ndarray | None) -> np.ndarray:
    """Candidates worth considering: ones that reach something, minus any whose reach is a
    subset of a nearby candidate's (swapping it for that one never loses anything; of equal
    reaches the first is kept). Only neighbours are compared: a subset lies close by."""
    sizes = np.diff(columns.indptr)
    keep = sizes > 0
    if candidates_xy is None or keep.sum() < 2:
        return np.flatnonzero(keep)
    from scipy.spatial import cKDTree

    sets = [columns.indices[columns.indptr[j] : columns.indptr[j + 1]] for j in range(len(sizes))]
    pairs = cKDTree(candidates_xy).query_pairs(DOMINANCE_RADIUS_M, output_type="ndarray")
    for a, b in pairs:
        if not (keep[a] and keep[b]):
            continue
        small, big = (a, b) if (sizes[a], b) < (sizes[b], a) else (b, a)
        if sizes[small] == sizes[big] and small < big:
            small, big = big, small  # equal sizes: drop the later one
        if np.isin(sets[small], sets[big], assume_unique=True).all():
            keep[small] = False
    return np.flatnonzero(keep)


@dataclass(frozen=True)
class Solution:
    chosen: tuple[int, ...]  # candidate indices, the one reaching most demand alone first
    value: float  # demand weight reached
    optimal: bool  # False when the solver's time ran out (best found so far)


def best_places(
    matrix: sparse.spmatrix,
    weight: np.ndarray,
    k: int,
    candidates_xy: np.ndarray | None = None,
) -> Solution:
    """The ``k`` candidates that together reach the most weight (exact MCLP, HiGHS).
    ``candidates_xy``: where the candidates are, to drop dominated ones before solving."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    k = min(k, matrix.shape[1])
    if k <= 0:
        return Solution((), 0.0, True)
    rows, weights = _merge_rows(sparse.csr_matrix(matrix), np.asarray(weight, dtype=float))
    if not len(weights):  # nothing left to reach: any places do
        return Solution(tuple(range(k)), 0.0, True)
    if k == 1:  # one place: the one that reaches most, exactly, without a solver
        single = np.asarray(sparse.csc_matrix(matrix).T @ np.asarray(weight, float)).ravel()
        best = int(np.argmax(single))
        return Solution((best,), float(single[best]), True)
    considered = _undominated(sparse.csc_matrix(rows), candidates_xy)
    if len(considered) <= k:
        chosen = np.concatenate(
            [
                considered,
                np.setdiff1d(np.arange(matrix.shape[1]), considered)[: k - len(considered)],
            ]
        )
        value = reached_weight(matrix, weight, chosen)
        return Solution(_by_own_reach(matrix, weight, chosen), value, True)
    rows = sparse.csr_matrix(sparse.csc_matrix(rows)[:, considered])
    n_candidates = len(considered)
    n_rows = rows.shape[0]
    # Variables: x (one per candidate, 0/1) then y (one per merged sample, 0..1).
    # Maximise weights . y  subject to  y_i <= sum of x_j reaching i,  sum x = k.
    cost = np.concatenate([np.zeros(n_candidates), -weights])
    reach = sparse.hstack([-rows, sparse.identity(n_rows, format="csr")], format="csr")
    count = sparse.hstack(
        [sparse.csr_matrix(np.ones((1, n_candidates))), sparse.csr_matrix((1, n_rows))]
    )
    result = milp(
        cost,
        constraints=[
            LinearConstraint(reach, -np.inf, 0.0),
            LinearConstraint(count, k, k),
        ],
        integrality=np.concatenate([np.ones(n_candidates), np.zeros(n_rows)]),
        bounds=Bounds(0.0, 1.0),
        # HiGHS's presolve spends most of the time on this structure (26 s against 2 s
        # for all 100 m cells of Zaanstad, the same answer); the LP is often integral.
        options={"time_limit": SOLVER_SECONDS, "presolve": False},
    )
    if result.x is None:
        greedy = greedy_places(matrix, weight, k)
        return Solution(greedy.chosen, greedy.value, False)
    chosen = considered[np.flatnonzero(result.x[:n_candidates] > 0.5)]
    value = reached_weight(matrix, weight, chosen)
    return Solution(_by_own_reach(matrix, weight, chosen), value, bool(result.status == 0))


def reached_weight(
    matrix: sparse.spmatrix, weight: np.ndarray, chosen: np.ndarray | tuple
) -> float:
    """The demand weight reached by at least one of ``chosen``."""
    if not len(chosen):
        return 0.0
    hit = np.asarray(sparse.csc_matrix(matrix)[:, list(chosen)].sum(axis=1)).ravel() > 0
    return float(np.asarray(weight, dtype=float)[hit].sum())


def _by_own_reach(
    matrix: sparse.spmatrix, weight: np.ndarray, chosen: np.ndarray
) -> tuple[int, ...]:
    alone = [reached_weight(matrix, weight, (j,)) for j in chosen]
    return tuple(
        int(j) for _alone, j in sorted(zip(alone, chosen, strict=True), key=lambda t: -t[0])
    )


def greedy_places(matrix: sparse.spmatrix, weight: np.ndarray, k: int) -> Solution:
    """Each time the candidate that adds most (a check, and a fallback): not always optimal."""
    columns = sparse.csc_matrix(matrix)
    left = np.asarray(weight, dtype=float).copy()
    chosen: list[int] = []
    for _step in range(min(k, columns.shape[1])):
        gains = columns.T @ left
        gains[chosen] = -1.0
        best = int(np.argmax(gains))
        chosen.append(best)
        left[columns[:, best].toarray().ravel() > 0] = 0.0
    return Solution(tuple(chosen), reached_weight(matrix, weight, chosen), False)


def brute_force_places(matrix: sparse.spmatrix, weight: np.ndarray, k: int) -> Solution:
    """Every combination tried (small cases only: the tests' reference)."""
    best: tuple[float, tuple[int, ...]] = (-1.0, ())
    for combination in itertools.combinations(range(matrix.shape[1]), min(k, matrix.shape[1])):
        value = reached_weight(matrix, weight, combination)
        if value > best[0] + 1e-9:
            best = (value, combination)
    return Solution(best[1], max(best[0], 0.0), True)


@dataclass(frozen=True)
class SuggestedPlace:
    """One suggested place, with what it adds to the places before it in the suggestion."""

    candidate: int  # index into the candidates
    x: float
    y: float
    reached: float  # residents (or m2) not reached before, nor by the earlier suggestions
    buurten: tuple[int, ...]  # buurten where it reaches most, most first (up to three)


@dataclass(frozen=True)
class Suggestion:
    places: tuple[SuggestedPlace, ...]
    reached: float  # residents (or m2) newly within reach of all places together
    weighted: float  # what was maximised: reached x need factor
    greedy_weighted: float  # what the simple greedy choice reaches (a check)
    by_residents: bool
    optimal: bool


def suggest_places(
    grid: Grid,
    existing: np.ndarray,
    candidates: np.ndarray,
    k: int,
    radius: float,
    residents_per_buurt: np.ndarray,
    need: np.ndarray,
    distances: Distances | None = None,
) -> Suggestion:
    """The ``k`` places among ``candidates`` (RD points) that together reach the most
    need-weighted residents no activity reaches within ``radius`` now."""
    if not 1 <= k <= MAX_PLACES:
        raise ValueError(f"k must be 1..{MAX_PLACES}, not {k}")
    demand = unreached_demand(grid, existing, radius, residents_per_buurt, need, distances)
    matrix = coverage_matrix(demand.xy, candidates, radius, distances)
    solution = best_places(matrix, demand.weight, k, candidates)
    greedy = greedy_places(matrix, demand.weight, k)
    columns = sparse.csc_matrix(matrix)
    taken = np.zeros(len(demand.weight), dtype=bool)
    places = []
    for j in solution.chosen:
        hit = (columns[:, j].toarray().ravel() > 0) & ~taken
        taken |= hit
        per_buurt = np.bincount(demand.buurt[hit], weights=demand.residents[hit])
        order = [int(b) for b in np.argsort(-per_buurt, kind="stable") if per_buurt[b] > 0][:3]
        places.append(
            SuggestedPlace(
                int(j),
                float(candidates[j, 0]),
                float(candidates[j, 1]),
                float(demand.residents[hit].sum()),
                tuple(order),
            )
        )
    return Suggestion(
        tuple(places),
        float(demand.residents[taken].sum()),
        solution.value,
        greedy.value,
        demand.by_residents,
        solution.optimal,
    )
