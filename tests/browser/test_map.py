"""The dashboard in a real browser: the map draws, clicks select buurten, filters work."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    MAP_IFRAME,
    click_buurt,
    map_frame,
    marker_count,
)

pytestmark = pytest.mark.browser


def test_map_draws_all_buurten_offline_and_measures_first_render(
    page: Page, zaanstad, record_property
):
    received = {"bytes": 0}
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda payload: received.__setitem__("bytes", received["bytes"] + len(payload)),
        ),
    )
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    started = time.monotonic()
    page.goto(zaanstad.url)
    frame = map_frame(page)
    expect(page.frame_locator(MAP_IFRAME).locator("path.sbk-buurt")).to_have_count(79)
    record_property(
        "time to first map render (79 buurten drawn)", f"{time.monotonic() - started:.2f} s"
    )
    record_property("bytes over the websocket until then", f"{received['bytes'] / 1024:.0f} KiB")
    # Every script and stylesheet came from the dashboard itself; only tiles may fail offline.
    assert [url for url in failed if "127.0.0.1:9/" not in url] == []
    assert frame.evaluate("() => typeof L.markerClusterGroup") == "function"
    assert marker_count(frame) > 0
    legend = page.frame_locator(MAP_IFRAME).locator(".sbk-legend")
    expect(legend).to_contain_text("Voorbeelddata")
    expect(page.frame_locator(MAP_IFRAME).locator(".leaflet-control-attribution")).to_contain_text(
        "CBS/Kadaster"
    )
    # A second visit finds the server warm (libraries imported, data cached).
    started = time.monotonic()
    page.goto(zaanstad.url + "?wijken=1")
    expect(page.frame_locator(MAP_IFRAME).locator("path.sbk-buurt")).to_have_count(79)
    record_property("time to map render on a warm server", f"{time.monotonic() - started:.2f} s")


def test_clicking_a_buurt_opens_its_profile(page: Page, zaanstad):
    page.goto(zaanstad.url)
    frame = map_frame(page)
    click_buurt(page, frame, "BU04791111")
    expect(page.get_by_role("heading", name="Vijfhoekpark")).to_be_visible()
    expect(page.get_by_text("Dichtstbij, per laag")).to_be_visible()
    page.wait_for_url("**buurt=BU04791111**")


def test_changing_the_layer_filter_changes_the_markers(page: Page, zaanstad):
    page.goto(zaanstad.url + "?datum=alle")
    frame = map_frame(page)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("200")
    assert marker_count(frame) == 200
    page.get_by_role("combobox", name="Laag van de sociale basis", exact=True).click()
    page.get_by_role("option", name="Persoonlijk", exact=True).click()
    page.keyboard.press("Escape")
    persoonlijk = page.get_by_test_id("stMetric").filter(has_text="Persoonlijk")
    expected = int(persoonlijk.get_by_test_id("stMetricValue").inner_text())
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(str(expected))
    page.wait_for_url("**laag=persoonlijk**")
    # The map is re-mounted with the new markers; wait until the new one shows them.
    page.wait_for_function(
        "([sel, n]) => { const f = document.querySelector(sel).contentDocument;"
        " const singles = f.querySelectorAll('path.sbk-initiatief').length;"
        " const grouped = [...f.querySelectorAll('.sbk-initiatief-cluster span')]"
        "   .reduce((s, e) => s + parseInt(e.textContent, 10), 0);"
        " return singles + grouped === n; }",
        arg=[MAP_IFRAME, expected],
    )
    frame = map_frame(page)
    assert marker_count(frame) == expected < 200
    assert frame.locator("path.sbk-laag-gemeenschappelijk").count() == 0
