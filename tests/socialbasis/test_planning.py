"""What if we start it here, and where best: planned activities against a fresh computation
with the activity stored as a listing; the suggestion against every combination."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import sparse

from socialbasis.analysis.filters import Filters
from socialbasis.analysis.planning import PlannedActivity
from socialbasis.analysis.suggest import (
    best_places,
    brute_force_places,
    coverage_matrix,
    greedy_places,
    reached_weight,
)
from tests.helpers import initiative_row, make_settings, put_listings

LAYER = "gemeenschappelijk"
# Test data (no real listings): two activities and a place someone considers.
HERE = {"lat": 52.4390, "lon": 4.8260}
ELSEWHERE = {"lat": 52.4700, "lon": 4.7900}


def _core(tmp_path, rows):
    from socialbasis.app import SocialBasis

    settings = make_settings(tmp_path, jaar=2020)
    put_listings(settings.data_dir, rows)
    return SocialBasis(settings)


def test_placing_an_activity_equals_storing_it_as_a_listing(tmp_path):
    existing = [initiative_row(id="a", layer=LAYER, **ELSEWHERE)]
    planned = PlannedActivity(
        "Zangmiddag", HERE["lat"], HERE["lon"], LAYER, ("ouderen",), schedule="di-middag"
    )
    filters = Filters(target_groups=("ouderen",))
    core = _core(tmp_path / "plan", existing)
    params = core.gap_params()
    effect = core.plan_effect(LAYER, [planned], filters, params)
    stored = _core(
        tmp_path / "stored",
        [
            *existing,
            initiative_row(
                id="b", layer=LAYER, target_groups="ouderen", schedule="di-middag", **HERE
            ),
        ],
    )
    fresh = stored.kansenlijst(LAYER, filters, params).set_index("buurtcode")
    after = effect.table.set_index("buurtcode")
    for column in ("score", "share_5min", "share_10min", "share_15min", "empty_slots"):
        assert np.allclose(after[f"{column}_after"], fresh.loc[after.index, column]), column
    assert list(effect.after["buurtcode"]) == list(fresh.index)  # the same ranking
    # Its buurt's score falls and some residents are newly within 10 minutes.
    code = stored.buurt_at(HERE["lat"], HERE["lon"])
    row = effect.table.set_index("buurtcode").loc[code]
    assert row["score_after"] < row["score_before"]
    assert row["newly_residents"] > 0 and effect.residents_known
    assert effect.newly_reached == pytest.approx(effect.table["newly_residents"].sum())
    # Dagdelen: Tuesday afternoon is filled where it was empty within 10 minutes.
    assert (effect.table["slots_filled"] >= 0).all() and effect.table["slots_filled"].max() == 1
    assert row["slots_filled"] == 1
    # A plan of another layer changes nothing in this one.
    other = core.plan_effect(
        LAYER, [planned.__class__("X", 52.44, 4.82, "persoonlijk")], filters, params
    )
    assert np.allclose(other.table["score_after"], other.table["score_before"])


def test_a_planned_activity_is_checked_like_an_import(tmp_path):
    from socialbasis.errors import ValidationFailed

    core = _core(tmp_path, [initiative_row(id="a", layer=LAYER)])
    with pytest.raises(ValidationFailed) as problem:
        core.plan_effect(
            LAYER, [PlannedActivity("", 52.44, 4.82, LAYER)], Filters(), core.gap_params()
        )
    assert "name" in str(problem.value)


def _random_case(seed: int, demand: int = 40, candidates: int = 9):
    rng = np.random.default_rng(seed)
    demand_xy = rng.uniform(0, 3000, size=(demand, 2))
    candidate_xy = rng.uniform(0, 3000, size=(candidates, 2))
    weight = rng.uniform(0, 100, size=demand)
    return coverage_matrix(demand_xy, candidate_xy, 800.0), weight, candidate_xy


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_suggestion_is_optimal_where_every_combination_can_be_tried(seed, k):
    matrix, weight, xy = _random_case(seed)
    best = best_places(matrix, weight, k, xy)
    assert best.optimal and len(best.chosen) == k
    assert best.value == pytest.approx(brute_force_places(matrix, weight, k).value)
    assert best.value >= greedy_places(matrix, weight, k).value - 1e-9
    assert best.value == pytest.approx(reached_weight(matrix, weight, best.chosen))


def test_the_exact_answer_beats_the_greedy_one_where_greedy_goes_wrong():
    # One candidate reaches the middle of two groups; two others each reach one group whole.
    matrix = sparse.csc_matrix(
        np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1], [0, 1, 0], [0, 0, 1]])
    )
    weight = np.array([10.0, 10.0, 10.0, 10.0, 9.0, 9.0])
    assert greedy_places(matrix, weight, 2).value == 49.0  # middle first, then one side
    best = best_places(matrix, weight, 2)
    assert sorted(best.chosen) == [1, 2] and best.value == 58.0


def test_suggestions_reach_people_nobody_reaches_now_and_say_so(tmp_path):
    existing = [initiative_row(id="a", layer=LAYER, **HERE)]
    core = _core(tmp_path, existing)
    # Among every 100 m cell (one place: exact without a solver; more is benchmarked).
    report = core.suggest(LAYER, Filters(), core.gap_params(), count=1, among="cellen")
    assert len(report.places) == 1 and report.optimal and report.by_residents
    assert report.weighted >= report.greedy_weighted - 1e-6
    assert (report.places["reached"] > 0).all()
    assert report.places["text"].str.startswith("Bereikt ").all()
    assert "gewogen naar behoefte" in report.maximised
    # No suggested place lies within 10 minutes (800 m) of the existing activity.
    from socialbasis.geo import points_rd

    here = points_rd(np.array([HERE["lon"]]), np.array([HERE["lat"]]))[0]
    places = points_rd(report.places["lon"].to_numpy(), report.places["lat"].to_numpy())
    assert all(p.distance(here) > 800 for p in places)
    # Among the venues: each place is a venue, named in its explanation.
    venues = core.suggest(LAYER, Filters(), core.gap_params(), count=3)
    assert len(venues.places) == 3 and venues.optimal
    assert venues.weighted >= venues.greedy_weighted - 1e-6
    for row in venues.places.itertuples():
        assert row.venue and row.text.endswith(f"ruimte: {row.venue}.")


def test_a_wrong_count_or_candidate_kind_is_refused(tmp_path):
    from socialbasis.errors import SettingsError

    core = _core(tmp_path, [initiative_row(id="a", layer=LAYER)])
    with pytest.raises(SettingsError):
        core.suggest(LAYER, Filters(), core.gap_params(), count=6)
    with pytest.raises(SettingsError):
        core.suggest(LAYER, Filters(), core.gap_params(), among="overal")


def test_brute_force_tries_every_combination():
    matrix, weight, _xy = _random_case(1, candidates=5)
    values = [reached_weight(matrix, weight, c) for c in itertools.combinations(range(5), 2)]
    assert brute_force_places(matrix, weight, 2).value == pytest.approx(max(values))
