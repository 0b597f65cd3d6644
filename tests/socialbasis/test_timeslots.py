import numpy as np
import pandas as pd

from socialbasis.analysis.grid import build_grid
from socialbasis.analysis.timeslots import (
    buurt_slot_shares,
    buurt_slot_table,
    empty_slot_counts,
    reachable_masks,
    slot_shares,
)
from socialbasis.schedule import parse_schedule
from tests.helpers import point_initiatives, square_buurten


def plain_grid(buurten):
    """100 m cells only (no finer sampling of small buurten): one cell per square here."""
    return build_grid(buurten, boundary_share=np.inf)


def test_cells_reach_the_slots_of_nearby_activities_only():
    grid = plain_grid(square_buurten([(0, 0), (2000, 0)]))  # cells at (50, 50), (2050, 50)
    points = np.array([[850.0, 50.0], [50.0, 851.0], [2050.0, 60.0]])
    masks = np.array([parse_schedule("ma-ochtend"), parse_schedule("di-avond"), 0])
    reach = reachable_masks(grid, points, masks, 800.0)
    assert reach.tolist() == [parse_schedule("ma-ochtend"), 0]


def test_lattice_pairs_match_a_brute_force_search():
    rng = np.random.default_rng(5)
    # The last square overlaps the first: shared lattice positions must not be lost.
    buurten = square_buurten([(0, 0), (1000, 0), (0, 1000), (500, 500)], size=1000)
    tiny = square_buurten([(3010, 3010)], size=30)  # off the lattice: one sample
    grid = plain_grid(pd.concat([buurten, tiny], ignore_index=True))
    points = rng.uniform(-500, 3500, size=(300, 2))
    cells, found = grid.pairs_within(points, 333.0)
    distance = np.hypot(grid.x[:, None] - points[None, :, 0], grid.y[:, None] - points[None, :, 1])
    expected = set(zip(*np.nonzero(distance <= 333.0), strict=True))
    assert set(zip(cells.tolist(), found.tolist(), strict=True)) == expected


def test_buurt_slot_table_has_weekdays_by_dagdelen():
    buurten = square_buurten([(0, 0)], size=200)  # 4 cells
    initiatives = point_initiatives([(-700, 50)], schedules=[parse_schedule("wo-middag")])
    shares = buurt_slot_shares(plain_grid(buurten), 0, initiatives, 800.0)
    table = buurt_slot_table(shares)
    assert table.shape == (7, 3)
    assert table.loc["wo", "middag"] == 0.5  # the two western cells are within 800 m
    assert table.to_numpy().sum() == 0.5
    assert empty_slot_counts(shares[None, :]).tolist() == [20]


def test_slot_shares_per_buurt():
    buurten = square_buurten([(0, 0), (5000, 0)])
    grid = plain_grid(buurten)
    reach = np.array([parse_schedule("za-avond"), 0])
    shares = slot_shares(grid, reach)
    assert shares.shape == (2, 21)
    assert shares[0].sum() == 1.0 and shares[1].sum() == 0.0
