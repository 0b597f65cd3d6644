from socialbasis.analysis.partners import counts_within, partners_nearby, within_distance
from tests.helpers import point_initiatives, square_buurten


def test_points_within_distance_nearest_first_zero_inside():
    buurt = square_buurten([(0, 0)]).geometry.iloc[0]
    points = point_initiatives([(900, 50), (50, 50), (300, 50), (100 + 800.5, 0)])
    found = within_distance(buurt, points, 800)
    assert found["id"].tolist() == ["i1", "i2", "i0"]
    assert found["distance_m"].tolist() == [0.0, 200.0, 800.0]


def test_counts_within_every_area():
    buurten = square_buurten([(0, 0), (5000, 0)])
    points = point_initiatives([(50, 50), (500, 50), (9000, 0)])
    assert counts_within(buurten, points, 400).tolist() == [2, 0]
    assert counts_within(buurten, point_initiatives([]), 400).tolist() == [0, 0]


def test_partners_are_from_the_other_layers():
    buurt = square_buurten([(0, 0)]).geometry.iloc[0]
    points = point_initiatives([(50, 50), (60, 60)], layers=["persoonlijk", "gemeenschappelijk"])
    assert partners_nearby(buurt, points, 800, "gemeenschappelijk")["id"].tolist() == ["i0"]
