"""Keeping the map true in a real browser: an editor adds a listing, sees it on the map,
stops it and undoes that; the time from saving to the map showing it is measured."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import MAP_IFRAME, Dashboard, dashboard_env, marker_count, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh(tmp_path) -> Dashboard:
    server = Dashboard(dashboard_env(tmp_path))
    yield server
    server.stop()


def _field(page: Page, name: str):
    return page.locator(f".st-key-veld_initiatieven_nieuw_{name} input")


def _markers_on_map(page: Page, expected: int) -> None:
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator("path.sbk-buurt").first.wait_for()
    handle = page.locator(MAP_IFRAME).element_handle().content_frame()
    deadline = time.monotonic() + 30
    while marker_count(handle) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker_count(handle) == expected


def test_an_editor_adds_a_listing_sees_it_stops_it_and_undoes_that(
    page: Page, fresh: Dashboard, record_property
):
    page.goto(fresh.url + "?modus=gegevens")
    sign_in(page, fresh, role="redacteur")
    expect(page.get_by_role("heading", name="Aanbod bewerken")).to_be_visible()
    _field(page, "name").fill("Proefkoor Bewerken")
    _field(page, "lat").fill("52,4412")
    _field(page, "lon").fill("4,8262")
    _field(page, "source").fill("test")
    started = time.monotonic()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Opgeslagen als wijzigingsset 1.")).to_be_visible()
    saved = time.monotonic() - started
    # The map (another view of the same session) shows it.
    page.goto(fresh.url + "?datum=alle")
    _markers_on_map(page, 1)
    shown = time.monotonic() - started
    record_property("save -> stored and confirmed", f"{saved:.2f} s")
    record_property("save -> on the map (including opening the map)", f"{shown:.2f} s")
    # Stop it: off the map; then undo the stop (the last change of this listing).
    page.goto(fresh.url + "?modus=gegevens")
    sign_in(page, fresh, role="redacteur")
    page.get_by_role("combobox", name="Welke vermelding?").click()
    page.get_by_role("option", name="Proefkoor Bewerken", exact=False).click()
    reason = page.locator(".st-key-bewerk_reden input")
    reason.fill("proef afgelopen")
    reason.press("Enter")  # a text field counts once it is confirmed
    page.locator(".st-key-bewerk_stop button").click()
    # Stored once the page offers to put it back (only then leave the page).
    expect(page.locator(".st-key-bewerk_herstel button")).to_be_visible()
    page.goto(fresh.url + "?datum=alle")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("0")
    page.goto(fresh.url + "?modus=gegevens")
    sign_in(page, fresh, role="redacteur")
    page.get_by_role("combobox", name="Welke vermelding?").click()
    page.get_by_role("option", name="Proefkoor Bewerken", exact=False).click()
    page.get_by_text("Geschiedenis van deze vermelding").click()
    page.locator(".st-key-bewerk_ongedaan button").click()
    expect(page.locator(".st-key-bewerk_stop button")).to_be_visible()
    page.goto(fresh.url + "?datum=alle")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("1")
