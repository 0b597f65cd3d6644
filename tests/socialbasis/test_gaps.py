import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from socialbasis.analysis.filters import Filters
from socialbasis.analysis.gaps import GapParams, gap_score, kansenlijst
from socialbasis.analysis.grid import build_grid
from tests.helpers import point_initiatives, square_buurten

NO_VENUES = point_initiatives([])


def ranked(buurten, initiatives, layer="gemeenschappelijk", venues=NO_VENUES, **params):
    return kansenlijst(
        buurten, build_grid(buurten), initiatives, venues, layer, params=GapParams(**params)
    )


def test_an_empty_layer_is_a_full_gap():
    buurten = square_buurten([(0, 0), (500, 0)])
    result = ranked(buurten, point_initiatives([(50, 50)]), layer="persoonlijk")
    assert result["score"].tolist() == [100.0, 100.0]
    assert result["reason"].str.contains("Geen persoonlijke activiteit").all()


def test_score_formula_by_hand():
    assert gap_score(0.0, np.nan) == 100.0
    assert gap_score(0.25, np.nan) == 75.0
    assert gap_score(0.25, 1.0) == 75.0
    assert gap_score(0.25, 0.0) == 37.5
    assert gap_score(1.0, 1.0) == 0.0


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_score_rises_with_need_falls_with_coverage_and_stays_in_range(coverage, need, more):
    score = gap_score(coverage, need)
    assert 0.0 <= score <= 100.0
    assert gap_score(coverage, max(need, more)) >= score
    assert gap_score(max(coverage, more), need) <= score


def test_list_is_ranked_with_reasons_and_venues_nearby():
    buurten = square_buurten([(0, 0), (2000, 0), (4000, 0)])
    initiatives = point_initiatives([(50, 50), (2050, 1000)])
    venues = point_initiatives([(4050, 400), (4050, 2000)])
    result = ranked(buurten, initiatives, venues=venues)
    assert result["buurtcode"].tolist() == ["BU00000003", "BU00000002", "BU00000001"]
    assert result["score"].is_monotonic_decreasing
    top = result.iloc[0]
    assert top["venues_nearby"] == 1
    assert "voor 100% van de buurt" in top["reason"] and "1 locatie binnen 800 m" in top["reason"]
    assert result.iloc[1]["share_15min"] == 1.0 and result.iloc[1]["share_10min"] == 0.0


def test_need_moves_a_buurt_up_the_list():
    buurten = square_buurten([(0, 0), (2000, 0)], pct_eenzaam=[20.0, 40.0])
    result = ranked(buurten, point_initiatives([]))
    assert result["buurtcode"].tolist() == ["BU00000002", "BU00000001"]
    assert result["score"].tolist() == [100.0, 50.0]
    assert "eenzaam 40 %" in result.iloc[0]["reason"]


def test_a_loneliness_figure_in_a_reason_carries_its_95_percent_interval():
    buurten = square_buurten([(0, 0), (2000, 0)], pct_eenzaam=[20.0, 40.0])
    buurten["pct_eenzaam_ondergrens"] = [17.0, 35.4]
    buurten["pct_eenzaam_bovengrens"] = [23.0, 44.6]
    result = ranked(buurten, point_initiatives([]))
    assert "eenzaam 40 % (35–45 %)" in result.iloc[0]["reason"]


def test_a_buurt_without_residents_scores_zero():
    buurten = square_buurten([(0, 0), (2000, 0)], inwoners=[0, 500])
    result = ranked(buurten, point_initiatives([])).set_index("buurtcode")
    assert result.loc["BU00000001", "score"] == 0.0
    assert "geen mensen" in result.loc["BU00000001", "reason"]


def test_filters_choose_what_counts_as_supply():
    buurten = square_buurten([(0, 0)])
    initiatives = point_initiatives([(50, 50)])
    initiatives["target_mask"] = 1 << 4  # ouderen only
    for_youth = kansenlijst(
        buurten,
        build_grid(buurten),
        initiatives,
        NO_VENUES,
        "gemeenschappelijk",
        Filters(target_groups=("jongeren",)),
    )
    for_elderly = kansenlijst(
        buurten,
        build_grid(buurten),
        initiatives,
        NO_VENUES,
        "gemeenschappelijk",
        Filters(target_groups=("ouderen",)),
    )
    assert for_youth["score"].iloc[0] == 100.0 and for_elderly["score"].iloc[0] == 0.0


def test_empty_time_slots_are_counted():
    buurten = square_buurten([(0, 0)])
    monday_morning = 1
    result = ranked(buurten, point_initiatives([(50, 50)], schedules=[monday_morning]))
    assert result["empty_slots"].iloc[0] == 20
    assert "op 20 van de 21 dagdelen" in result["reason"].iloc[0]


# Property tests on small random towns: 3 x 3 buurten of 300 m, random initiatives.
towns = st.tuples(
    st.lists(
        st.tuples(
            st.floats(-500, 1400),
            st.floats(-500, 1400),
            st.sampled_from(["persoonlijk", "gemeenschappelijk"]),
            st.integers(0, 2**21 - 1),
        ),
        max_size=12,
    ),
    st.lists(st.floats(0, 100), min_size=9, max_size=9),
    st.permutations(range(9)),
)


def town(points, need, order=range(9)):
    origins = [(300 * (i % 3), 300 * (i // 3)) for i in range(9)]
    buurten = square_buurten(origins, size=300, pct_eenzaam=need)
    buurten = buurten.iloc[list(order)].reset_index(drop=True)
    initiatives = point_initiatives(
        [(x, y) for x, y, _, _ in points],
        layers=[layer for *_, layer, _ in points],
        schedules=[mask for *_, mask in points],
    )
    return buurten, initiatives


def by_code(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("buurtcode").sort_index()


@settings(max_examples=40, deadline=None)
@given(towns)
def test_scores_stay_in_range_and_ignore_row_order(case):
    points, need, order = case
    buurten, initiatives = town(points, need)
    shuffled_buurten, _ = town(points, need, order)
    result = ranked(buurten, initiatives)
    assert result["score"].between(0, 100).all()
    assert result["share_5min"].le(result["share_10min"]).all()
    assert result["share_10min"].le(result["share_15min"]).all()
    again = ranked(shuffled_buurten, initiatives.iloc[::-1])
    pd.testing.assert_frame_equal(by_code(result), by_code(again))
    assert result["score"].is_monotonic_decreasing


@settings(max_examples=40, deadline=None)
@given(towns, st.tuples(st.floats(-500, 1400), st.floats(-500, 1400)))
def test_more_supply_never_raises_a_score(case, extra):
    points, need, _ = case
    buurten, initiatives = town(points, need)
    more = [*points, (extra[0], extra[1], "gemeenschappelijk", 0)]
    _, more_initiatives = town(more, need)
    before = by_code(ranked(buurten, initiatives))["score"]
    after = by_code(ranked(buurten, more_initiatives))["score"]
    assert (after <= before + 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(towns, st.integers(0, 8), st.floats(0, 50))
def test_more_need_never_lowers_that_buurts_score(case, which, increase):
    points, need, _ = case
    buurten, initiatives = town(points, need)
    higher = list(need)
    higher[which] += increase
    raised, _ = town(points, higher)
    code = f"BU{which + 1:08d}"
    before = by_code(ranked(buurten, initiatives)).loc[code, "score"]
    after = by_code(ranked(raised, initiatives)).loc[code, "score"]
    assert after >= before - 1e-9


def test_ties_are_broken_by_need_then_residents_then_code():
    from socialbasis.analysis.gaps import rank

    rows = pd.DataFrame(
        {
            "buurtcode": ["BU1", "BU2", "BU3", "BU4", "BU5"],
            "score": [80.0, 80.0, 80.0, 80.0, 90.0],
            "need": [0.5, 0.9, 0.5, float("nan"), 0.0],
        }
    )
    residents = pd.Series([100.0, 50.0, 2000.0, 9000.0, 10.0])
    assert list(rank(rows, residents)["buurtcode"]) == ["BU5", "BU2", "BU3", "BU1", "BU4"]
