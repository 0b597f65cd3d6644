"""What a walking network holds, and how much longer walks are than straight lines."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from socialbasis.analysis.coverage import buurt_centres
from socialbasis.analysis.distances import OverStreet, StraightLine
from socialbasis.analysis.nearest import coordinates
from socialbasis.analysis.network import FERRY, WalkNetwork

# Walks measured from each buurt's centre to the initiatives up to this far in a straight
# line; nearer than the minimum the ratio says little (snapping dominates).
DETOUR_RADIUS_M = 2000.0
DETOUR_MIN_M = 200.0


@dataclass(frozen=True)
class NetworkSummary:
    nodes: int
    edges: int
    km: float  # walkable length
    steps: int
    ferries: int
    about: dict[str, str]
    centres_reached: float  # share of buurt centres the network reaches
    pairs: int  # (buurt centre, initiative) pairs the detour figures are based on
    detour_median: float  # walk / straight line
    detour_p90: float
    detour_max: float


def summarise_network(
    network: WalkNetwork, buurten: gpd.GeoDataFrame, initiatives: gpd.GeoDataFrame
) -> NetworkSummary:
    """Counts of the network, and the detour factor (walk over the street divided by the
    straight line) from every buurt centre to every initiative 200 m to 2 km away."""
    centres = buurt_centres(buurten)
    points = coordinates(initiatives) if len(initiatives) else np.empty((0, 2))
    walking = OverStreet(network)
    origin, point, straight = StraightLine().pairs(centres, points, DETOUR_RADIUS_M)
    keep = straight >= DETOUR_MIN_M
    origin, point, straight = origin[keep], point[keep], straight[keep]
    factors = np.empty(0)
    if len(origin):
        # Walks may be longer than the straight radius: search far enough for a detour of 4.
        o, p, walked = walking.pairs(centres, points, 4 * DETOUR_RADIUS_M)
        lookup = dict(zip(zip(o.tolist(), p.tolist(), strict=True), walked.tolist(), strict=True))
        found = [lookup.get(pair) for pair in zip(origin.tolist(), point.tolist(), strict=True)]
        known = np.array([f is not None for f in found], dtype=bool)
        if known.any():
            factors = np.array([f for f in found if f is not None]) / straight[known]
    return NetworkSummary(
        nodes=network.node_count,
        edges=network.edge_count,
        km=float(network.length.sum() / 1000),
        steps=network.steps_count,
        ferries=int((network.kind == FERRY).sum()),
        about=dict(network.about),
        centres_reached=float(walking.reached(centres).mean()) if len(centres) else 0.0,
        pairs=len(factors),
        detour_median=float(np.median(factors)) if len(factors) else float("nan"),
        detour_p90=float(np.percentile(factors, 90)) if len(factors) else float("nan"),
        detour_max=float(factors.max()) if len(factors) else float("nan"),
    )
