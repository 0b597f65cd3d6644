"""Synthetic national-scale data for benchmarks (never shown as real data).

~14,500 buurt polygons (a Voronoi tessellation of clustered seed points, like towns and
countryside) over an ellipse of 41,500 km2 (the area of the Netherlands' buurten) inside the
Netherlands' extent in RD New, and ~100,000 initiatives placed mostly near the seeds.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from socialbasis.analysis.network import WalkNetwork
from socialbasis.areas import locate
from socialbasis.vocab import Layer, TargetGroup, codes

CENTRE = (145_500.0, 462_500.0)
AREA_M2 = 41_500e6
ASPECT = 313 / 265  # height / width of the Netherlands' RD extent


def region() -> shapely.Polygon:
    a = np.sqrt(AREA_M2 / (np.pi * ASPECT))
    angle = np.linspace(0, 2 * np.pi, 256, endpoint=False)
    return shapely.Polygon(
        np.column_stack([CENTRE[0] + a * np.cos(angle), CENTRE[1] + a * ASPECT * np.sin(angle)])
    )


def _points_in(
    rng: np.random.Generator, area: shapely.Polygon, n: int, centres=None, sigma: float = 0.0
) -> np.ndarray:
    minx, miny, maxx, maxy = area.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        if centres is None:
            batch = rng.uniform([minx, miny], [maxx, maxy], size=(n, 2))
        else:
            pick = centres[rng.integers(len(centres), size=n)]
            batch = pick + rng.normal(0, sigma, size=(n, 2))
        batch = batch[shapely.contains_xy(area, batch[:, 0], batch[:, 1])]
        out = np.vstack([out, batch])
    return out[:n]


def buurten(n: int = 14_500, seed: int = 1) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    area = region()
    towns = _points_in(rng, area, 400)
    seeds = np.vstack(
        [
            _points_in(rng, area, int(n * 0.7), centres=towns, sigma=2_500),
            _points_in(rng, area, n - int(n * 0.7)),
        ]
    )
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=area)
    polygons = shapely.intersection(np.asarray(shapely.get_parts(cells)), area)
    polygons = polygons[shapely.area(polygons) > 0]
    count = len(polygons)
    frame = gpd.GeoDataFrame(
        {
            "buurtcode": [f"BU{i:08d}" for i in range(count)],
            "buurtnaam": [f"Synthetische buurt {i}" for i in range(count)],
            "wijkcode": [f"WK{i // 10:06d}" for i in range(count)],
            "wijknaam": [f"Wijk {i // 10}" for i in range(count)],
            "werkgebied": [f"Werkgebied {i // 100}" for i in range(count)],
            "inwoners": rng.integers(0, 5_000, size=count),
            "pct_eenzaam": rng.uniform(30, 60, size=count).round(0),
            "pct_65plus": rng.uniform(5, 40, size=count).round(0),
        },
        geometry=polygons,
        crs="EPSG:28992",
    )
    return frame


def initiatives(areas: gpd.GeoDataFrame, n: int = 100_000, seed: int = 2) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    centres = shapely.get_coordinates(areas.geometry.representative_point())
    weights = 1 / np.sqrt(areas.area.to_numpy())
    urban = int(n * 0.8)
    pick = rng.choice(len(centres), size=urban, p=weights / weights.sum())
    xy = np.vstack(
        [
            centres[pick] + rng.normal(0, 300, size=(urban, 2)),
            _points_in(rng, region(), n - urban),
        ]
    )
    layer_codes = codes(Layer)
    frame = gpd.GeoDataFrame(
        {
            "id": [f"s{i}" for i in range(n)],
            "name": [f"Synthetisch {i}" for i in range(n)],
            "organisation": [""] * n,
            "layer": rng.choice(layer_codes, size=n, p=[0.3, 0.45, 0.25]),
            "support_activation": rng.choice(["hulpverlening", "activering"], size=n),
            "individual_collective": rng.choice(["individueel", "collectief"], size=n),
            "discipline": rng.choice(
                ["muziek", "ontmoeting", "sport", "zorg_ondersteuning"], size=n
            ),
            "cost": rng.choice(["gratis", "betaald"], size=n),
            "target_groups": "iedereen",
            "target_mask": 1 << rng.integers(0, len(codes(TargetGroup)), size=n),
            "schedule": "",
            "schedule_mask": rng.integers(0, 1 << 21, size=n),
            "start_date": pd.NaT,
            "end_date": pd.NaT,
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs="EPSG:28992",
    )
    frame["buurtcode"] = locate(frame.geometry, areas, "buurtcode")
    return frame


def venues(areas: gpd.GeoDataFrame, n: int = 10_000, seed: int = 3) -> gpd.GeoDataFrame:
    picked = initiatives(areas, n, seed)
    return picked.assign(kind="buurthuis", capacity=40)[
        ["id", "name", "kind", "layer", "capacity", "buurtcode", "geometry"]
    ]


def population_squares(
    x: np.ndarray, y: np.ndarray, share: float = 0.12, cell_m: float = 100.0, seed: int = 3
) -> gpd.GeoDataFrame:
    """CBS-like 100 m squares with residents around a ``share`` of the given cell centres
    (the Netherlands has roughly half a million inhabited 100 m squares); one in ten is
    hidden (fewer than 5 residents), as CBS does."""
    rng = np.random.default_rng(seed)
    chosen = rng.random(len(x)) < share
    half = cell_m / 2
    cx, cy = x[chosen], y[chosen]
    counts = rng.integers(5, 200, size=len(cx)).astype(float)
    hidden = rng.random(len(cx)) < 0.1
    counts[hidden] = 2.0
    return gpd.GeoDataFrame(
        {"inwoners": counts, "geheim": hidden},
        geometry=shapely.box(cx - half, cy - half, cx + half, cy + half),
        crs="EPSG:28992",
    )


def street_network(
    area: shapely.Geometry, nodes: int, seed: int = 4, steps_share: float = 0.03
) -> WalkNetwork:
    """A street network of about ``nodes`` nodes over ``area``: a jittered lattice of streets
    where a fifth of the links is missing (blocks, water), with a few flights of steps. Not
    a real town; for timing only."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = area.bounds
    spacing = np.sqrt(area.area / nodes)
    xs = np.arange(minx, maxx + spacing, spacing)
    ys = np.arange(miny, maxy + spacing, spacing)
    gx, gy = np.meshgrid(xs, ys)
    x = gx.ravel() + rng.uniform(-0.3, 0.3, gx.size) * spacing
    y = gy.ravel() + rng.uniform(-0.3, 0.3, gy.size) * spacing
    keep = shapely.contains_xy(shapely.buffer(area, spacing), x, y)
    index = np.full(x.size, -1, dtype=np.int64)
    index[keep] = np.arange(keep.sum())
    grid_index = index.reshape(gx.shape)
    right = np.column_stack([grid_index[:, :-1].ravel(), grid_index[:, 1:].ravel()])
    up = np.column_stack([grid_index[:-1, :].ravel(), grid_index[1:, :].ravel()])
    edges = np.vstack([right, up])
    edges = edges[(edges >= 0).all(axis=1) & (rng.random(len(edges)) > 0.2)]
    x, y = x[keep], y[keep]
    length = np.hypot(x[edges[:, 0]] - x[edges[:, 1]], y[edges[:, 0]] - y[edges[:, 1]])
    kind = (rng.random(len(edges)) < steps_share).astype(np.int8)
    return WalkNetwork(x, y, edges[:, 0], edges[:, 1], length, kind, {"bron": "synthetisch"})
