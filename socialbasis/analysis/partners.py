"""Where can it happen, and with whom: venues and initiatives near a buurt."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry


def within_distance(
    area: BaseGeometry, points: gpd.GeoDataFrame, distance_m: float
) -> gpd.GeoDataFrame:
    """Points within ``distance_m`` of the area (0 inside it), nearest first, with a
    ``distance_m`` column."""
    if points.empty:
        return points.assign(distance_m=pd.Series(dtype=float))
    candidates = points.iloc[points.sindex.query(area, predicate="dwithin", distance=distance_m)]
    out = candidates.assign(distance_m=candidates.distance(area))
    return out.sort_values(["distance_m", "id"], kind="stable")


def counts_within(
    areas: gpd.GeoDataFrame, points: gpd.GeoDataFrame, distance_m: float
) -> pd.Series:
    """Per area, how many points lie within ``distance_m`` of it; indexed like ``areas``."""
    if points.empty:
        return pd.Series(0, index=areas.index, dtype=int)
    area_index, _ = points.sindex.query(
        areas.geometry.values, predicate="dwithin", distance=distance_m
    )
    counts = np.bincount(area_index, minlength=len(areas))
    return pd.Series(counts, index=areas.index, dtype=int)


def partners_nearby(
    area: BaseGeometry, initiatives: gpd.GeoDataFrame, distance_m: float, layer: str
) -> gpd.GeoDataFrame:
    """Existing initiatives of the *other* layers near the area: possible partners for a new
    activity of ``layer`` (filter them by target group before calling)."""
    others = initiatives[initiatives["layer"] != layer]
    return within_distance(area, others, distance_m)
