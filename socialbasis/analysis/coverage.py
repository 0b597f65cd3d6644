"""How well each buurt is served by initiatives of each layer.

For every buurt and layer:
- ``share_<m>min``: the share of the buurt (by area, or by residents when the grid is
  population-weighted) within the walking time of at least one initiative of the layer,
  measured on the sample grid; metres = minutes x speed, over the streets when a walking
  network is loaded, else in a straight line (see distances.py);
- ``nearest_m``: distance from the buurt's centre to the nearest initiative, the same way;
- ``straight_m``: that initiative's distance in a straight line, to show the detour;
- ``count``: initiatives inside the buurt, and ``per_1000`` residents when known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from socialbasis.analysis.distances import EDGE_TOLERANCE_M, Distances, distances_for
from socialbasis.analysis.grid import Grid
from socialbasis.analysis.nearest import area_centre, coordinates
from socialbasis.analysis.need import residents
from socialbasis.analysis.network import WalkNetwork
from socialbasis.analysis.walking import DEFAULT_SPEED_KMH, MINUTE_BANDS, metres_for_minutes
from socialbasis.vocab import Layer, codes

__all__ = ["EDGE_TOLERANCE_M", "WalkParams", "coverage_by_layer"]


@dataclass(frozen=True)
class WalkParams:
    speed_kmh: float = DEFAULT_SPEED_KMH
    minutes: tuple[int, ...] = MINUTE_BANDS
    # The gemeente's walking network (None: straight lines); steps are avoided with a rollator.
    network: WalkNetwork | None = field(default=None, compare=False, repr=False)
    avoid_steps: bool = False

    @property
    def over_street(self) -> bool:
        return self.network is not None

    def distances(self) -> Distances:
        return distances_for(self.network, self.avoid_steps)

    def metres(self) -> tuple[float, ...]:
        return tuple(metres_for_minutes(m, self.speed_kmh) for m in self.minutes)


def share_column(minutes: int) -> str:
    return f"share_{minutes}min"


def buurt_centres(buurten: gpd.GeoDataFrame) -> np.ndarray:
    """An (n, 2) array of points inside each buurt (centroid when it lies inside)."""
    return np.array([(p.x, p.y) for p in (area_centre(g) for g in buurten.geometry)])


def layer_coverage(
    grid: Grid, centres: np.ndarray, points: np.ndarray, params: WalkParams
) -> pd.DataFrame:
    """Coverage of one set of initiative points, one row per buurt (in buurten order)."""
    distances = params.distances()
    if distances.over_street:  # one search over the network for both
        shares, (nearest, which) = distances.shares_and_closest(
            grid, points, params.metres(), centres
        )
    else:
        shares = distances.grid_shares(grid, points, params.metres())
        nearest, which = distances.closest(centres, points)
    columns = {
        share_column(minutes): share for minutes, share in zip(params.minutes, shares, strict=True)
    }
    columns["nearest_m"] = np.where(np.isfinite(nearest), nearest, np.nan)
    if distances.over_street:
        found = which >= 0
        straight = np.full(len(centres), np.nan)
        straight[found] = np.hypot(*(points[which[found]] - centres[found]).T)
        columns["straight_m"] = straight
        # The share of the buurt the network reaches (the rest is measured in a straight line).
        columns["network_share"] = grid.share(distances.reached(grid.xy))
    return pd.DataFrame(columns)


def coverage_by_layer(
    buurten: gpd.GeoDataFrame,
    grid: Grid,
    initiatives: gpd.GeoDataFrame,
    params: WalkParams | None = None,
    centres: np.ndarray | None = None,
    layers: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Coverage per buurt and layer: one row per (buurtcode, layer), layer by layer in
    buurten order. ``initiatives`` are already filtered; ``centres`` may be passed to reuse
    them; ``layers`` limits the work to some layers (default: all).
    """
    params = params or WalkParams()
    centres = buurt_centres(buurten) if centres is None else centres
    xy = coordinates(initiatives) if len(initiatives) else np.empty((0, 2))
    layer_of = initiatives["layer"].to_numpy()
    layers = layers or tuple(codes(Layer))
    counts = (
        initiatives.groupby(["buurtcode", "layer"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=buurten["buurtcode"], columns=list(layers), fill_value=0)
    )
    population = residents(buurten).to_numpy(float)
    frames = []
    for layer in layers:
        frame = layer_coverage(grid, centres, xy[layer_of == layer], params)
        frame.insert(0, "layer", layer)
        frame.insert(0, "buurtcode", buurten["buurtcode"].to_numpy())
        frame["count"] = counts[layer].to_numpy(int)
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["per_1000"] = np.where(population > 0, frame["count"] / population * 1000, np.nan)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True).set_index(["buurtcode", "layer"])


def coverage_index(frame: pd.DataFrame, params: WalkParams | None = None) -> pd.Series:
    """One number per row, 0..1: the mean of the shares within 5, 10 and 15 minutes, so that
    nearby supply counts most and a buurt half-covered at 15 minutes is not fully served."""
    params = params or WalkParams()
    return frame[[share_column(m) for m in params.minutes]].mean(axis=1)
