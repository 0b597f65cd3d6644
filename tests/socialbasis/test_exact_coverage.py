"""Coverage shares against the exact geometric answer: the area of a buurt within r metres
(straight line) of an initiative, from polygon arithmetic with shapely."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from socialbasis.analysis.coverage import WalkParams, coverage_by_layer
from socialbasis.analysis.grid import build_grid, weight_by_population
from tests.helpers import point_initiatives

MINUTES = (5, 10, 15)


def exact_shares(buurten: gpd.GeoDataFrame, points: np.ndarray, radius: float) -> np.ndarray:
    """Per buurt, the share of its area within ``radius`` of a point (circles of 256 sides)."""
    if not len(points):
        return np.zeros(len(buurten))
    reach = shapely.union_all(shapely.buffer(shapely.points(points), radius, quad_segs=64))
    areas = shapely.area(buurten.geometry.values)
    return shapely.area(shapely.intersection(buurten.geometry.values, reach)) / areas


def worst_error(buurten: gpd.GeoDataFrame, initiatives: gpd.GeoDataFrame) -> float:
    """The largest difference, in percentage points, over every buurt, layer and band."""
    result = coverage_by_layer(buurten, build_grid(buurten), initiatives)
    worst = 0.0
    params = WalkParams()
    for layer in initiatives["layer"].unique():
        chosen = initiatives[initiatives["layer"] == layer]
        xy = np.column_stack([chosen.geometry.x, chosen.geometry.y])
        ours = result.xs(layer, level="layer").reindex(buurten["buurtcode"])
        for minutes, metres in zip(MINUTES, params.metres(), strict=True):
            exact = exact_shares(buurten, xy, metres)
            error = np.abs(ours[f"share_{minutes}min"].to_numpy() - exact) * 100
            worst = max(worst, float(error.max()))
    return worst


@pytest.mark.parametrize("fixture", ["embedded", "embedded2020"])
def test_every_buurt_of_zaanstad_is_within_one_point_of_the_exact_share(fixture, request):
    dataset = request.getfixturevalue(fixture)
    assert worst_error(dataset.buurten, dataset.initiatives) < 1.0


def test_plain_100_m_cells_are_not_exact_enough(embedded):
    """The reason for finer sampling: on 100 m cells alone small buurten are far off."""
    buurten = embedded.buurten
    plain = coverage_by_layer(
        buurten, build_grid(buurten, boundary_share=np.inf), embedded.initiatives
    )
    layer = "gemeenschappelijk"
    chosen = embedded.initiatives[embedded.initiatives["layer"] == layer]
    exact = exact_shares(buurten, np.column_stack([chosen.geometry.x, chosen.geometry.y]), 400.0)
    ours = plain.xs(layer, level="layer").reindex(buurten["buurtcode"])["share_5min"]
    assert np.abs(ours.to_numpy() - exact).max() * 100 > 3


def small_buurten() -> gpd.GeoDataFrame:
    """Small and odd buurten: 1 and 2 ha squares, a 10 m wide strip, an L and a triangle."""
    shapes = [
        shapely.box(0, 0, 100, 100),
        shapely.box(130, 0, 271.4, 141.4),
        shapely.box(300, 0, 310, 600),
        shapely.Polygon([(400, 0), (600, 0), (600, 60), (460, 60), (460, 250), (400, 250)]),
        shapely.Polygon([(700, 0), (900, 0), (700, 170)]),
        shapely.box(1000.5, 0.5, 1037.3, 44.1),  # off the lattice, smaller than a cell
    ]
    return gpd.GeoDataFrame(
        {
            "buurtcode": [f"BU0000000{i}" for i in range(len(shapes))],
            "buurtnaam": [f"b{i}" for i in range(len(shapes))],
        },
        geometry=shapes,
        crs="EPSG:28992",
    )


@pytest.mark.parametrize(
    "points",
    [
        [(50, 500)],  # circles cross every buurt at some band
        [(-350, 60), (1400, 20)],
        [(480, 800), (820, -900)],
        [(300, 400)],
    ],
)
def test_small_buurten_are_within_one_point_of_the_exact_share(points):
    buurten = small_buurten()
    initiatives = point_initiatives(points)
    assert worst_error(buurten, initiatives) < 1.0


def test_residents_of_a_square_are_shared_by_area_over_fine_and_plain_cells():
    """A CBS square cut by a small (finely sampled) buurt and a large one: its residents
    go to each part by area, and none are lost or made up."""
    large = shapely.box(0, 0, 3000, 3000).difference(shapely.box(1000, 1000, 1040, 1100))
    small = shapely.box(1000, 1000, 1040, 1100)
    buurten = gpd.GeoDataFrame(
        {"buurtcode": ["BU00000001", "BU00000002"], "buurtnaam": ["groot", "klein"]},
        geometry=[large, small],
        crs="EPSG:28992",
    )
    grid = build_grid(buurten)
    assert not grid.on_lattice[grid.buurt == 1].any()  # the small buurt is sampled finer
    squares = gpd.GeoDataFrame(
        {"inwoners": [100.0, 40.0]},
        geometry=[shapely.box(1000, 1000, 1100, 1100), shapely.box(0, 0, 100, 100)],
        crs="EPSG:28992",
    )
    weighted = weight_by_population(grid, squares)
    assert weighted.weight.sum() == pytest.approx(140.0)
    # The large buurt's one cell there stands for the whole square (its centre is in it);
    # the small buurt's cells for its 40 x 100 m (about 4000 m2 as sampled).
    sampled = grid.weight[grid.buurt == 1].sum()
    assert sampled == pytest.approx(4000, rel=0.02)
    in_small = weighted.weight[weighted.buurt == 1].sum()
    assert in_small == pytest.approx(100 * sampled / (10000 + sampled))
    assert pd.Series(weighted.per_buurt(weighted.weight)).sum() == pytest.approx(140.0)


def test_pairs_on_a_finely_sampled_grid_are_exactly_those_within_the_radius():
    grid = build_grid(small_buurten())
    rng = np.random.default_rng(3)
    points = rng.uniform([-500, -500], [1500, 800], size=(40, 2))
    samples, found = grid.pairs_within(points, 333.0, chunk=7)
    brute = np.hypot(grid.x[:, None] - points[None, :, 0], grid.y[:, None] - points[None, :, 1])
    expected = set(zip(*np.nonzero(brute <= 333.0), strict=True))
    assert set(zip(samples.tolist(), found.tolist(), strict=True)) == expected
    assert len(samples) == len(expected)  # no pair twice


def test_shares_per_block_equal_shares_sample_by_sample(embedded):
    """Blocks that are wholly in or out answer for their samples; the result is the same
    as asking every sample, for coverage and for the week's dagdelen."""
    from socialbasis.analysis.distances import StraightLine
    from socialbasis.analysis.timeslots import reachable_masks, slot_shares, slot_shares_within

    grid = build_grid(embedded.buurten)
    rng = np.random.default_rng(5)
    low, high = grid.xy.min(axis=0), grid.xy.max(axis=0)
    points = rng.uniform(low, high, size=(60, 2))
    masks = rng.integers(0, 2**21, size=60)
    masks[::7] = 0
    line = StraightLine()
    radii = [400.0, 800.0, 1200.0]
    by_block = line.grid_shares(grid, points, radii)
    by_sample = np.array([grid.share(inside) for inside in line.grid_within(grid, points, radii)])
    assert np.abs(by_block - by_sample).max() < 1e-9
    assert 0 < by_block.mean() < 1  # some in, some out
    slots_by_block = slot_shares_within(grid, points, masks, 800.0)
    slots_by_sample = slot_shares(grid, reachable_masks(grid, points, masks, 800.0))
    assert np.abs(slots_by_block - slots_by_sample).max() < 1e-9
    assert 0 < slots_by_block.mean() < 1
