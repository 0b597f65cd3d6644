"""Nearest initiatives and venues from a point."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from socialbasis.analysis.distances import Distances, StraightLine
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
    distances: Distances | None = None,
) -> pd.DataFrame:
    """For each layer, the initiative nearest to ``origin`` with distance and walking minutes
    (over the street when ``distances`` says so) and its distance in a straight line.

    One row per layer, in layer order; ``id`` is missing when the layer has no initiative.
    """
    distances = distances or StraightLine()
    rows = []
    xy = np.array([[origin.x, origin.y]])
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
                    "straight_m": np.nan,
                }
            )
            continue
        points = coordinates(subset)
        distance, index = distances.closest(xy, points)
        hit = subset.iloc[int(index[0])]
        rows.append(
            {
                "layer": layer,
                "id": hit["id"],
                "name": hit["name"],
                "buurtcode": hit["buurtcode"],
                "distance_m": float(distance[0]),
                "minutes": minutes_for_metres(float(distance[0]), speed_kmh),
                "straight_m": float(np.hypot(*(points[int(index[0])] - xy[0]))),
            }
        )
    return pd.DataFrame(rows)
