"""Where can it happen, and with whom: venues and initiatives near a buurt."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from socialbasis.analysis.distances import Distances
from socialbasis.analysis.grid import Grid


def within_distance(
    area: BaseGeometry,
    points: gpd.GeoDataFrame,
    distance_m: float,
    distances: Distances | None = None,
    area_samples: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Points within ``distance_m`` of the area (0 inside it), nearest first, with a
    ``distance_m`` column. Over the street (``distances`` with a network), the distance is
    the walk from the point to the nearest of ``area_samples`` (the area's grid samples)."""
    if points.empty:
        return points.assign(distance_m=pd.Series(dtype=float))
    candidates = points.iloc[points.sindex.query(area, predicate="dwithin", distance=distance_m)]
    out = candidates.assign(distance_m=candidates.distance(area))
    if distances is not None and distances.over_street and area_samples is not None:
        xy = np.column_stack([out.geometry.x, out.geometry.y])
        walked = distances.nearest(xy, area_samples, distance_m)
        out = out.assign(distance_m=np.where(out["distance_m"] > 0, walked, 0.0))
        out = out[out["distance_m"] <= distance_m]
    return out.sort_values(["distance_m", "id"], kind="stable")


def counts_within(
    areas: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame,
    distance_m: float,
    distances: Distances | None = None,
    grid: Grid | None = None,
) -> pd.Series:
    """Per area, how many points lie within ``distance_m`` of it; indexed like ``areas``.
    Over the street (``distances`` with a network, ``grid`` the areas' samples): how many
    can be walked to within ``distance_m`` from some part of the area."""
    if points.empty:
        return pd.Series(0, index=areas.index, dtype=int)
    if distances is not None and distances.over_street and grid is not None:
        xy = np.column_stack([points.geometry.x, points.geometry.y])
        counts = distances.remembered(
            ("locaties binnen", grid.xy, xy.tobytes(), distance_m),
            lambda: _walkable_counts(distances, grid, xy, distance_m, len(areas)),
        )
        return pd.Series(counts, index=areas.index, dtype=int)
    area_index, _ = points.sindex.query(
        areas.geometry.values, predicate="dwithin", distance=distance_m
    )
    counts = np.bincount(area_index, minlength=len(areas))
    return pd.Series(counts, index=areas.index, dtype=int)


def _walkable_counts(
    distances: Distances, grid: Grid, xy: np.ndarray, distance_m: float, areas: int
) -> np.ndarray:
    pairs = [
        grid.buurt[samples].astype(np.int64) * len(xy) + found
        for samples, found in distances.grid_pairs(grid, xy, distance_m)
    ]
    unique = np.unique(np.concatenate(pairs)) if pairs else np.empty(0, np.int64)
    return np.bincount(unique // len(xy), minlength=areas)


def partners_nearby(
    area: BaseGeometry,
    initiatives: gpd.GeoDataFrame,
    distance_m: float,
    layer: str,
    distances: Distances | None = None,
    area_samples: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Existing initiatives of the *other* layers near the area: possible partners for a new
    activity of ``layer`` (filter them by target group before calling)."""
    others = initiatives[initiatives["layer"] != layer]
    return within_distance(area, others, distance_m, distances, area_samples)
