import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from socialbasis.analysis.coverage import WalkParams, coverage_by_layer, coverage_index
from socialbasis.analysis.grid import build_grid, weight_by_population
from tests.helpers import point_initiatives, square_buurten

# One buurt of exactly one 100 m cell, centred at (50, 50).
ONE_CELL = square_buurten([(0, 0)])


def plain_grid(buurten):
    """100 m cells only (no finer sampling of small buurten): the sampling mechanics."""
    return build_grid(buurten, boundary_share=np.inf)


def coverage(buurten, initiatives, params=None):
    return coverage_by_layer(buurten, plain_grid(buurten), initiatives, params)


@pytest.mark.parametrize(("distance", "inside"), [(800.0, True), (801.0, False), (400.0, True)])
def test_a_point_exactly_800_m_away_is_within_10_minutes(distance, inside):
    result = coverage(ONE_CELL, point_initiatives([(50 + distance, 50)]))
    row = result.loc[("BU00000001", "gemeenschappelijk")]
    assert row["share_10min"] == (1.0 if inside else 0.0)
    assert row["share_15min"] == 1.0
    assert row["nearest_m"] == pytest.approx(distance)


def test_an_empty_layer_has_no_coverage_and_no_nearest():
    result = coverage(ONE_CELL, point_initiatives([(60, 60)]))
    row = result.loc[("BU00000001", "persoonlijk")]
    assert (row[["share_5min", "share_10min", "share_15min"]] == 0).all()
    assert np.isnan(row["nearest_m"]) and row["count"] == 0


def test_share_is_measured_over_the_buurt_area_on_the_grid():
    # A 400 x 100 m buurt: 4 cells at x = 50, 150, 250, 350; a point 400 m east of its end
    # reaches only the two eastern cells within 5 minutes (400 m).
    buurten = square_buurten([(0, 0)])
    buurten.geometry = [
        buurten.geometry.iloc[0].union(square_buurten([(100, 0), (200, 0), (300, 0)]).union_all())
    ]
    result = coverage(buurten, point_initiatives([(600, 50)]))
    assert result.loc[("BU00000001", "gemeenschappelijk"), "share_5min"] == 0.5


def test_a_slower_walking_speed_shrinks_the_bands():
    initiatives = point_initiatives([(50 + 600, 50)])
    normal = coverage(ONE_CELL, initiatives).iloc[1]
    rollator = coverage(ONE_CELL, initiatives, WalkParams(speed_kmh=3.0)).iloc[1]
    assert (normal["share_5min"], normal["share_10min"]) == (0.0, 1.0)  # 400 m, 800 m
    assert (rollator["share_10min"], rollator["share_15min"]) == (0.0, 1.0)  # 500 m, 750 m


def test_counts_and_per_1000_residents():
    buurten = square_buurten([(0, 0), (1000, 0)], inwoners=[2000, 0])
    initiatives = point_initiatives([(10, 10), (20, 20), (1010, 10)], buurtcode="BU00000001")
    initiatives.loc[2, "buurtcode"] = "BU00000002"
    result = coverage(buurten, initiatives).xs("gemeenschappelijk", level="layer")
    assert result["count"].tolist() == [2, 1]
    assert result.loc["BU00000001", "per_1000"] == 1.0
    assert np.isnan(result.loc["BU00000002", "per_1000"])  # no residents: no rate


def test_population_weights_change_the_share():
    # Two cells; the western one has 300 residents, the eastern 100; only the west is reached.
    buurten = square_buurten([(0, 0)], size=100)
    buurten.geometry = [buurten.geometry.iloc[0].union(square_buurten([(100, 0)]).union_all())]
    grid = plain_grid(buurten)
    squares = square_buurten([(0, 0), (100, 0)], inwoners=[300, 100])
    weighted = weight_by_population(grid, squares)
    initiatives = point_initiatives([(50 - 400, 50)])
    by_area = coverage_by_layer(buurten, grid, initiatives)
    by_people = coverage_by_layer(buurten, weighted, initiatives)
    assert by_area.iloc[1]["share_5min"] == 0.5
    assert by_people.iloc[1]["share_5min"] == 0.75


def test_a_buurt_without_residents_in_the_grid_keeps_its_area_weights():
    buurten = square_buurten([(0, 0), (1000, 0)], size=200)  # four cells each
    squares = square_buurten([(0, 0), (100, 0), (1000, 0)], inwoners=[30, 10, 0])
    weighted = weight_by_population(plain_grid(buurten), squares)
    assert weighted.by_residents.tolist() == [True, False]
    assert weighted.share_basis().tolist() == ["inwoners", "oppervlakte"]
    # The first buurt: residents only in its two southern cells; the second: area as before.
    assert weighted.totals().tolist() == [40.0, 4 * 100 * 100]
    reached = point_initiatives([(50, 50 - 350), (1050, 50 - 350)])
    shares = coverage_by_layer(buurten, weighted, reached).xs("gemeenschappelijk", level="layer")
    # 350 m south of the southern-west cell: it and its eastern neighbour (364 m) are reached,
    # the northern cells (450 m, 461 m) are not. By residents 30+10 of 40; by area 2 of 4 cells.
    assert shares["share_5min"].tolist() == [1.0, 0.5]


def test_an_unweighted_grid_says_its_shares_are_of_area(embedded):
    grid = build_grid(embedded.buurten)
    assert set(grid.share_basis()) == {"oppervlakte"}


def test_coverage_index_is_the_mean_of_the_three_bands():
    frame = pd.DataFrame(
        {"share_5min": [0.0, 1.0], "share_10min": [0.5, 1.0], "share_15min": [1.0, 1.0]}
    )
    assert coverage_index(frame).tolist() == [0.5, 1.0]


def test_tiny_buurt_without_a_cell_centre_still_gets_a_sample():
    tiny = square_buurten([(10, 10)], size=20)  # no 100 m cell centre inside
    grid = plain_grid(tiny)
    assert len(grid.x) == 1 and grid.weight[0] == pytest.approx(400)
    assert tiny.geometry.iloc[0].contains(Point(grid.x[0], grid.y[0]))
    # Sampled finer (the default), it gets 2 m cells that together make up its area.
    fine = build_grid(tiny)
    assert len(fine.x) == 100 and fine.weight.sum() == pytest.approx(400)
    assert not fine.on_lattice.any()


def test_grid_of_zaanstad_covers_its_area(embedded):
    grid = build_grid(embedded.buurten)
    assert grid.totals() == pytest.approx(embedded.buurten.area.to_numpy(), rel=0.15)
    assert grid.totals().sum() == pytest.approx(embedded.buurten.area.sum(), rel=0.01)


@pytest.mark.parametrize("shift", [0.0, 30.0])
def test_squares_are_matched_to_cells_by_lattice_or_geometry_alike(embedded, shift):
    import geopandas as gpd
    import shapely

    from socialbasis.analysis.grid import _cells_in_squares

    grid = build_grid(embedded.buurten)
    rng = np.random.default_rng(7)
    corners = (
        np.unique(np.floor(grid.xy[rng.random(len(grid.x)) < 0.3] / 100), axis=0) * 100 + shift
    )
    squares = shapely.box(corners[:, 0], corners[:, 1], corners[:, 0] + 100, corners[:, 1] + 100)
    cells, found = _cells_in_squares(grid, squares)
    expected_cells, expected_squares = gpd.GeoSeries(squares).sindex.query(
        shapely.points(grid.x, grid.y), predicate="within"
    )
    assert len(cells) > 1000
    assert sorted(zip(cells.tolist(), found.tolist(), strict=True)) == sorted(
        zip(expected_cells.tolist(), expected_squares.tolist(), strict=True)
    )
