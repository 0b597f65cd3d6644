"""Coordinate systems: RD New (metres) inside, WGS84 only at the edges."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
from pyproj import Transformer

RD = "EPSG:28992"
WGS84 = "EPSG:4326"

# Rough extent of the Netherlands, to catch swapped or foreign coordinates early.
NL_LON = (3.2, 7.3)
NL_LAT = (50.7, 53.7)


@lru_cache(maxsize=2)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def lonlat_to_rd(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Transform WGS84 lon/lat arrays to RD New x/y in metres."""
    x, y = _transformer(WGS84, RD).transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x), np.asarray(y)


def rd_to_lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Transform RD New x/y arrays to WGS84 lon/lat."""
    lon, lat = _transformer(RD, WGS84).transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(lon), np.asarray(lat)


def points_rd(lon: np.ndarray, lat: np.ndarray) -> gpd.GeoSeries:
    """RD New points for WGS84 lon/lat arrays."""
    x, y = lonlat_to_rd(lon, lat)
    return gpd.GeoSeries(gpd.points_from_xy(x, y), crs=RD)


def to_rd(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in RD New; a frame without a CRS is refused rather than guessed."""
    if frame.crs is None:
        raise ValueError("geometry has no coordinate system; expected EPSG:28992 or EPSG:4326")
    return frame if frame.crs.to_epsg() == 28992 else frame.to_crs(RD)


def to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in WGS84, for the map."""
    return frame.to_crs(WGS84)
