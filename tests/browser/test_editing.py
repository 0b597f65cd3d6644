"""Keeping the map true in a real browser: an editor clicks a place on the map, adds a
listing there, edits it, sees it on the map and in its buurt's profile, stops it (the
kansenkaart open in another session changes by itself) and undoes that; a listing nobody
checked shows in "Nog actueel?" until someone confirms it. Latencies are recorded."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    MAP_IFRAME,
    Dashboard,
    click_buurt,
    dashboard_env,
    map_frame,
    marker_count,
    sign_in,
)
from tests.browser.test_accessibility import serious_violations
from tests.helpers import initiative_row, put_listings

pytestmark = pytest.mark.browser

BUURT = "BU04791111"  # Vijfhoekpark (2024 boundaries)


@pytest.fixture
def fresh(tmp_path) -> Dashboard:
    # Open pages look for changes by others every second (30 s by default).
    server = Dashboard(dashboard_env(tmp_path, SOCIALBASIS_VERVERSEN="1"))
    yield server
    server.stop()


def _new_field(page: Page, name: str):
    return page.locator(f".st-key-veld_initiatieven_nieuw_{name} input")


def _wait_for_markers(page: Page, expected: int) -> None:
    page.frame_locator(MAP_IFRAME).locator("path.sbk-buurt").first.wait_for()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        frame = page.locator(MAP_IFRAME).element_handle().content_frame()
        if frame is not None and marker_count(frame) == expected:
            return
        time.sleep(0.05)
    raise AssertionError(f"the map did not show {expected} activities")


def _score_metric(page: Page):
    return page.get_by_test_id("stMetric").filter(has=page.get_by_text("Kansscore", exact=True))


def _score(page: Page) -> int:
    metric = _score_metric(page)
    return int(re.search(r"(\d+) van 100", metric.inner_text()).group(1))


def _wait_for_score(page: Page, changed_from: int, started: float) -> tuple[int, float]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            score = _score(page)
        except Exception:  # between two drawings of the page
            score = changed_from
        if score != changed_from:
            return score, time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"the kansscore stayed {changed_from}")


def test_an_editor_places_edits_stops_and_undoes_a_listing_on_the_map(
    browser: Browser, page: Page, fresh: Dashboard, record_property
):
    page.goto(fresh.url + "?datum=alle")
    sign_in(page, fresh, role="redacteur")
    expect(page.get_by_role("heading", name="Aanbod bewerken")).to_be_visible()
    # A click on the map chooses the place (and opens that buurt beside the map).
    click_buurt(page, map_frame(page), BUURT)
    expect(_new_field(page, "lat")).not_to_have_value("")
    expect(page.get_by_text("Aangeklikte plek:")).to_be_visible()
    # The editor's view passes the accessibility checks, on the page and in the map.
    frame = map_frame(page)
    frame.locator("path.sbk-plek").wait_for()
    assert serious_violations(page) == []
    assert serious_violations(frame) == []
    _new_field(page, "name").fill("Proefkoor Kaart")
    _new_field(page, "source").fill("test")
    started = time.monotonic()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Opgeslagen als wijzigingsset 1.")).to_be_visible()
    saved = time.monotonic() - started
    _wait_for_markers(page, 1)  # the example listings give way to the stored one
    redrawn = time.monotonic() - started
    record_property("save -> stored and confirmed", f"{saved:.2f} s")
    record_property("save -> map redrawn with it", f"{redrawn:.2f} s")
    # The buurt's profile lists it.
    expect(page.get_by_text("Activiteiten in de buurt (1)")).to_be_visible()

    # Edit it: the new listing is open in the editor.
    name = page.get_by_role("textbox", name="Naam", exact=True)
    expect(name).to_have_value("Proefkoor Kaart")
    name.fill("Proefkoor Kaart en Zang")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Opgeslagen als wijzigingsset 2.")).to_be_visible()

    # Someone else has the kansenkaart of this buurt open, for this layer.
    viewer = browser.new_page(viewport={"width": 1400, "height": 1200})
    viewer.goto(fresh.url + f"?modus=kansen&kanslaag=persoonlijk&buurt={BUURT}&datum=alle")
    expect(_score_metric(viewer)).to_be_visible()
    with_it = _score(viewer)

    # Stop it: the viewer's kansenkaart changes without anyone touching that page.
    reason = page.locator(".st-key-bewerk_reden input")
    reason.fill("proef afgelopen")
    reason.press("Enter")  # a text field counts once it is confirmed
    stopped = time.monotonic()
    page.locator(".st-key-bewerk_stop button").click()
    expect(page.locator(".st-key-bewerk_herstel button")).to_be_visible()
    without_it, seen_after = _wait_for_score(viewer, with_it, stopped)
    assert without_it > with_it  # the gap shows again
    record_property(
        "stop -> another open kansenkaart redrawn (checks every 1 s)", f"{seen_after:.2f} s"
    )
    _wait_for_markers(page, 0)

    # Undo the stop: back on the map, and the viewer's score returns.
    page.get_by_text("Geschiedenis van deze vermelding").click()
    page.locator(".st-key-bewerk_ongedaan button").click()
    expect(page.locator(".st-key-bewerk_stop button")).to_be_visible()
    _wait_for_markers(page, 1)
    assert _wait_for_score(viewer, without_it, time.monotonic())[0] == with_it
    viewer.close()


def test_a_listing_nobody_checked_shows_until_an_editor_confirms_it(page: Page, fresh: Dashboard):
    put_listings(
        Path(fresh.env["SOCIALBASIS_DATA_DIR"]),
        [initiative_row(id="oud", name="Koor Lang Geleden", last_verified="2020-01-01")],
        database_url=fresh.env.get("SOCIALBASIS_DATABASE_URL"),
    )
    page.goto(fresh.url + "?modus=gegevens")
    sign_in(page, fresh, role="redacteur")
    expect(page.get_by_role("heading", name="Nog actueel?")).to_be_visible()
    listed = page.locator("strong", has_text="Koor Lang Geleden")  # a row of the work list
    expect(listed).to_be_visible()
    expect(page.get_by_text("Gecontroleerd op 01-01-2020 door test")).to_be_visible()
    assert serious_violations(page) == []
    page.locator(".st-key-klopt_oud button").click()
    expect(page.get_by_text("0 activiteiten zijn sinds")).to_be_visible()
    expect(listed).to_have_count(0)
