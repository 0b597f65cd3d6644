"""Is a listing still true? Listings nobody checked for a while, and "klopt nog"."""

from __future__ import annotations

from datetime import date

import pytest

from socialbasis.access import Identity, NotAllowed
from socialbasis.app import SocialBasis
from socialbasis.settings import load_settings
from tests.helpers import initiative_row, put_listings

TODAY = date(2026, 12, 1)


def test_listings_not_checked_for_a_year_wait_in_a_list_until_someone_confirms_them(
    tmp_path, database_url
):
    put_listings(
        tmp_path,
        [
            initiative_row(id="nooit", name="Nooit gecontroleerd", last_verified=""),
            initiative_row(id="oud", name="Oud", last_verified="2025-06-30"),
            initiative_row(id="vers", name="Vers", last_verified="2026-09-01"),
        ],
        database_url=database_url,
    )
    settings = load_settings({"SOCIALBASIS_DATABASE_URL": database_url}, data_dir=tmp_path)
    anonymous = SocialBasis(settings)
    stale = anonymous.out_of_date(today=TODAY)
    assert list(stale["id"]) == ["nooit", "oud"]  # never checked first, then the oldest
    assert stale["werkgebied"].notna().all() and stale["checked_by"].iloc[1] == "test"
    with pytest.raises(NotAllowed):
        anonymous.confirm("oud", today=TODAY)
    editor = SocialBasis(settings, identity=Identity("els", "Els", "redacteur", "lokaal"))
    editor.confirm("oud", today=TODAY)
    assert list(editor.out_of_date(today=TODAY)["id"]) == ["nooit"]
    last = editor.history("oud")[-1]
    assert (last.actor, last.reason, last.after["last_verified"]) == (
        "lokaal:els",
        "klopt nog",
        "2026-12-01",
    )
    # A shorter period makes more listings "not checked lately".
    strict = load_settings(
        {"SOCIALBASIS_DATABASE_URL": database_url, "SOCIALBASIS_ACTUEEL_MAANDEN": "2"},
        data_dir=tmp_path,
    )
    assert list(SocialBasis(strict).out_of_date(today=TODAY)["id"]) == ["nooit", "vers"]


def test_the_change_feed_lists_every_change_since_a_day_as_table_csv_and_hsds(
    tmp_path, database_url
):
    import json

    from click.testing import CliRunner

    from cli.main import main

    put_listings(
        tmp_path,
        [initiative_row(id="koor", name="Buurtkoor", end_date="2099-01-01")],
        database_url=database_url,
    )
    settings = load_settings({"SOCIALBASIS_DATABASE_URL": database_url}, data_dir=tmp_path)
    editor = SocialBasis(settings, identity=Identity("els", "Els", "redacteur", "lokaal"))
    editor.confirm("koor")
    feed = editor.change_feed(date.today())
    assert list(feed["action"]) == ["import", "bewerking"]
    assert list(feed["actor"]) == ["test", "lokaal:els"]
    assert feed["fields"].iloc[1] == "last_verified" and set(feed["name"]) == {"Buurtkoor"}
    assert not len(editor.change_feed(date(2099, 1, 1)))

    env = {"SOCIALBASIS_DATA_DIR": str(tmp_path), "SOCIALBASIS_DATABASE_URL": database_url}
    runner = CliRunner(env=env)
    table = runner.invoke(main, ["wijzigingen", "--sinds", date.today().isoformat()])
    assert table.exit_code == 0 and "lokaal:els bewerking initiatieven/koor" in table.output
    csv = runner.invoke(main, ["wijzigingen", "--sinds", "2000-01-01", "--formaat", "csv"])
    assert csv.output.lstrip("\ufeff").startswith("changeset,at,actor,action,reason")
    hsds = runner.invoke(main, ["wijzigingen", "--sinds", "2000-01-01", "--formaat", "hsds"])
    services = json.loads(hsds.output)
    assert [s["name"] for s in services] == ["Buurtkoor"]
