"""The dashboard in a real browser: the map draws, clicks select buurten, filters work."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    MAP_IFRAME,
    click_buurt,
    current_map_frame,
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


# The new map has replaced the old one: one map frame, not the marked old one, drawn.
SAME_MAP_NEW_LAYERS_JS = """(sel) => {
    const frames = document.querySelectorAll(sel);
    if (frames.length !== 1) return false;
    const w = frames[0].contentWindow;
    return !!(w && w.sbkOldMap && w.map_div && w.__GLOBAL_DATA__
              && w.__GLOBAL_DATA__.last_feature_group !== w.sbkLayersBefore
              && w.document.querySelectorAll('path.sbk-buurt').length === 79);
}"""
MARK_THE_MAP_JS = """() => {
    window.sbkOldMap = true;
    window.sbkLayersBefore = window.__GLOBAL_DATA__.last_feature_group;
}"""


def view_of(frame) -> dict:
    return frame.evaluate(
        "() => ({zoom: map_div.getZoom(), lat: map_div.getCenter().lat,"
        " lng: map_div.getCenter().lng})"
    )


def test_the_map_keeps_its_view_when_filters_change_and_pans_to_a_chosen_buurt(
    page: Page, zaanstad
):
    page.goto(zaanstad.url + "?datum=alle")
    frame = map_frame(page)
    start = view_of(frame)
    zoom_in = page.frame_locator(MAP_IFRAME).locator("a.leaflet-control-zoom-in")
    for step in (1, 2):
        zoom_in.click()
        # Leaflet ignores a zoom click while the previous zoom is still animating.
        frame.wait_for_function(
            f"() => map_div.getZoom() === {start['zoom'] + step}"
            " && !document.querySelector('.leaflet-zoom-anim')"
        )
    frame.evaluate("() => map_div.panBy([120, -80], {animate: false})")
    zoomed = view_of(frame)

    # A filter change swaps the layers in the same map: it is not rebuilt (the mark stays).
    frame.evaluate(MARK_THE_MAP_JS)
    page.get_by_role("combobox", name="Laag van de sociale basis", exact=True).click()
    page.get_by_role("option", name="Persoonlijk", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url("**laag=persoonlijk**")
    page.wait_for_function(SAME_MAP_NEW_LAYERS_JS, arg=MAP_IFRAME)
    frame = current_map_frame(page)
    kept = view_of(frame)
    assert kept["zoom"] == zoomed["zoom"] > start["zoom"]
    assert kept["lat"] == pytest.approx(zoomed["lat"], abs=1e-4)
    assert kept["lng"] == pytest.approx(zoomed["lng"], abs=1e-4)

    # A buurt chosen in the search box that lies out of view is brought into view.
    far = frame.evaluate(
        """() => {
            const view = map_div.getBounds();
            let found = null;
            map_div.eachLayer(layer => {
                const p = layer.feature && layer.feature.properties;
                if (!found && p && p.buurtcode && !view.contains(layer.getBounds().getCenter())) {
                    found = {code: p.buurtcode, name: p.buurtnaam};
                }
            });
            return found;
        }"""
    )
    assert far is not None, "at this zoom some buurt should be out of view"
    frame.evaluate(MARK_THE_MAP_JS)
    page.get_by_role("combobox", name="Buurt", exact=True).click()
    page.keyboard.type(far["name"])
    page.get_by_role("option", name=far["name"]).first.click()
    page.wait_for_url(f"**buurt={far['code']}**")
    page.wait_for_function(SAME_MAP_NEW_LAYERS_JS, arg=MAP_IFRAME)
    frame = current_map_frame(page)
    assert view_of(frame)["zoom"] == zoomed["zoom"]
    assert frame.evaluate(
        """(code) => {
            let inside = false;
            map_div.eachLayer(layer => {
                const p = layer.feature && layer.feature.properties;
                if (p && p.buurtcode === code) {
                    inside = map_div.getBounds().contains(layer.getBounds().getCenter());
                }
            });
            return inside;
        }""",
        far["code"],
    )
