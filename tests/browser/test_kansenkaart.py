"""The kansenkaart in a real browser: a choropleth of scores, and a click explains one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.kansen_view import SCORE_COLOURS
from tests.browser.conftest import MAP_IFRAME, Dashboard, click_buurt, map_frame

pytestmark = pytest.mark.browser


def test_kansenkaart_colours_buurten_by_score_and_explains_a_click(page: Page, zaanstad):
    page.goto(zaanstad.url + "?modus=kansen&datum=alle")
    frame = map_frame(page)
    fills = frame.eval_on_selector_all(
        "path.sbk-buurt", "paths => paths.map(p => p.getAttribute('fill'))"
    )
    assert len(fills) == 79
    assert set(fills) <= {c.lower() for c in SCORE_COLOURS} | {c for c in SCORE_COLOURS}
    assert len(set(fills)) >= 3  # the scores differ between buurten
    legend = page.frame_locator(MAP_IFRAME).locator(".sbk-legend")
    expect(legend).to_contain_text("Kansscore gemeenschappelijk")
    expect(legend).to_contain_text("Behoefte: niet geladen")
    click_buurt(page, frame, "BU04791213")
    expect(page.get_by_role("heading", name="Poelenburg Zuid")).to_be_visible()
    expect(page.get_by_text("Waar kan het en met wie?")).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").filter(has_text="van 100")).to_be_visible()
    page.wait_for_url("**buurt=BU04791213**")


def test_a_row_of_the_kansenlijst_opens_its_buurt(page: Page, zaanstad: Dashboard):
    page.goto(zaanstad.url + "?modus=kansen&datum=alle")
    map_frame(page)
    assert "buurt=" not in page.url
    table = page.locator(".st-key-kansenlijst_tabel")
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the first row's selection cell
    expect(page).to_have_url(re.compile(r"buurt=BU0479\d{4}"))
    expect(page.get_by_test_id("stMetric").filter(has_text="Kansscore").first).to_be_visible()
