"""Plans in the database: saved by someone signed in, opened by number, checked both ways."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from socialbasis.access import Identity, NotAllowed
from socialbasis.analysis.planning import PlannedActivity
from socialbasis.plans import PlanError
from tests.helpers import make_settings

EDITOR = Identity("els", "Els", "redacteur", "lokaal")
HERE = PlannedActivity("Zangmiddag", 52.439, 4.826, "gemeenschappelijk", ("ouderen",), "di-middag")


def _core(tmp_path, identity=EDITOR, **overrides):
    from socialbasis.app import SocialBasis

    return SocialBasis(make_settings(tmp_path, **overrides), identity=identity)


def test_a_plan_is_saved_by_name_and_opened_by_number(tmp_path):
    core = _core(tmp_path)
    other = PlannedActivity("Schilderclub", 52.45, 4.81, "gemeenschappelijk")
    number = core.save_plan("  Zingen in Poelenburg ", "gemeenschappelijk", [HERE, other])
    saved = _core(tmp_path, identity=None).open_plan(number)  # anyone with the link
    assert saved.name == "Zingen in Poelenburg" and saved.layer == "gemeenschappelijk"
    assert saved.activities == (HERE, other)
    assert saved.created_by == "lokaal:els"
    assert core.plans.list("GM0479") == [(number, "Zingen in Poelenburg", "gemeenschappelijk")]
    # Not a listing: the listings are untouched.
    assert core.database.counts("GM0479") == {}
    # Another gemeente does not see it.
    assert _core(tmp_path, gemeente="GM0363").open_plan(number) is None


def test_saving_a_plan_asks_for_someone_signed_in_and_a_sound_plan(tmp_path):
    from socialbasis.errors import ValidationFailed

    with pytest.raises(NotAllowed):
        _core(tmp_path, identity=None).save_plan("Plan", "gemeenschappelijk", [HERE])
    core = _core(tmp_path)
    with pytest.raises(PlanError, match="naam"):
        core.save_plan("   ", "gemeenschappelijk", [HERE])
    with pytest.raises(PlanError, match="1 tot 20"):
        core.save_plan("Plan", "gemeenschappelijk", [HERE] * 21)
    with pytest.raises(PlanError, match="1 tot 20"):
        core.save_plan("Plan", "gemeenschappelijk", [])
    with pytest.raises(ValidationFailed):
        core.save_plan(
            "Plan", "gemeenschappelijk", [PlannedActivity("X", 99.0, 4.8, "gemeenschappelijk")]
        )
    assert core.plans.list("GM0479") == []


def test_a_damaged_stored_plan_gives_a_clear_error(tmp_path):
    from socialbasis.db.tables import plans

    core = _core(tmp_path)
    number = core.save_plan("Plan", "gemeenschappelijk", [HERE])
    with core.database.transaction() as connection:
        connection.execute(
            sa.update(plans).where(plans.c.id == number).values(activities=[{"name": "X"}])
        )
    with pytest.raises(PlanError, match=f"Plan {number}"):
        core.open_plan(number)
