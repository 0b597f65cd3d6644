"""Nearest initiatives and venues from a point."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from socialbasis.analysis.walking import DEFAULT_SPEED_KMH, minutes_for_metres
from socialbasis.vocab import Layer, codes


def coordinates(frame: gpd.GeoDataFrame) -> np.ndarray:
    """An (n, 2) array of the RD x/y of point geometries."""
    return np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()])


def area_centre(geometry: BaseGeometry) -> BaseGeometry:
    """The centroid if it lies inside the area, else a point guaranteed inside it."""
    centroid = geometry.centroid
    return centroid if geometry.contains(centroid) else geometry.representative_point()


def nearest_per_layer(
    origin: BaseGeometry,
    initiatives: gpd.GeoDataFrame,
    speed_kmh: float = DEFAULT_SPEED_KMH,
) -> pd.DataFrame:
    """For each layer, the initiative nearest to ``origin`` with distance and walking minutes.

    One row per layer, in layer order; ``id`` is missing when the layer has no initiative.
    """
    rows = []
    xy = np.array([origin.x, origin.y])
    for layer in codes(Layer):
        subset = initiatives[initiatives["layer"] == layer]
        if subset.empty:
            rows.append(
                {
                    "layer": layer,
                    "id": None,
                    "name": None,
                    "buurtcode": None,
                    "distance_m": np.nan,
                    "minutes": np.nan,
                }
            )
            continue
        from scipy.spatial import (
            cKDTree,  # imported where used: pages that need no distances load faster
        )

        distance, index = cKDTree(coordinates(subset)).query(xy)
        hit = subset.iloc[int(index)]
        rows.append(
            {
                "layer": layer,
                "id": hit["id"],
                "name": hit["name"],
                "buurtcode": hit["buurtcode"],
                "distance_m": float(distance),
                "minutes": minutes_for_metres(float(distance), speed_kmh),
            }
        )
    return pd.DataFrame(rows)
