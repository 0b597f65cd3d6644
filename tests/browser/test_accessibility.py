"""Accessibility, checked with axe-core (installed with the map assets, so offline) in every
view: no serious or critical violations on the page or inside the map's frame."""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.browser.conftest import MAP_IFRAME, ROOT, Dashboard, map_frame

pytestmark = pytest.mark.browser

AXE = ROOT / "assets" / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.impact + ' ' + v.id + ' (' + v.nodes.length + 'x): '
                  + v.nodes[0].html.slice(0, 300) + ' -- ' + v.nodes[0].failureSummary);
}"""


def serious_violations(target: Page | Frame) -> list[str]:
    assert AXE.is_file(), "axe-core is installed by scripts/install_assets.sh"
    if isinstance(target, Page):  # the page is ready once its own styles are in place
        target.wait_for_function("() => !!document.getElementById('sbk-style')")
        target.wait_for_load_state("networkidle")
        # ... and the script run has finished: while it runs, Streamlit shows its own
        # status widget ("Running", a Stop button) and parts of the page are still coming.
        target.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        )
    target.add_script_tag(path=str(AXE))
    return target.evaluate(RUN_AXE)


@pytest.mark.parametrize(
    "view",
    [
        "?datum=alle",
        "?modus=kansen&datum=alle",
        "?buurt=BU04791111&datum=alle",
        "?modus=gegevens",
        "?taal=en&modus=kansen&buurt=BU04791111&datum=alle",
        "?taal=en&modus=gegevens",
    ],
    ids=["aanbod", "kansenkaart", "buurtprofiel", "gegevens", "english-kansen", "english-data"],
)
def test_every_view_has_no_serious_accessibility_violations(
    page: Page, zaanstad: Dashboard, view: str
):
    english = "taal=en" in view
    page.goto(zaanstad.url + view)
    targets: list[Page | Frame] = [page]
    if "gegevens" in view:
        heading = "Export" if english else "Exporteren"
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    else:
        title = "Map of the neighbourhoods and what is on" if english else None
        targets.append(map_frame(page, title))
        page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en" if english else "nl")
    for target in targets:
        assert serious_violations(target) == []


def test_the_map_is_named_its_markers_too_and_pinch_zoom_is_allowed(
    page: Page, zaanstad: Dashboard
):
    page.goto(zaanstad.url + "?datum=alle")
    frame = map_frame(page)
    assert page.locator(MAP_IFRAME).count() == 1  # the frame's title names the map
    frame.locator(".sbk-locatie").first.wait_for()
    names = frame.eval_on_selector_all(
        ".sbk-locatie", "els => els.map(e => [e.getAttribute('aria-label'), e.tabIndex])"
    )
    assert names and all(label.startswith("Locatie: ") and tab < 0 for label, tab in names)
    # Buurten and activities have tooltips (so Leaflet listens for their focus), yet none is
    # a tab stop: a buurt is chosen with the search box.
    shapes = frame.eval_on_selector_all(
        "path.leaflet-interactive", "els => els.map(e => e.getAttribute('tabindex'))"
    )
    assert len(shapes) >= 79 and set(shapes) == {"-1"}
    viewport = frame.locator("meta[name=viewport]").first.get_attribute("content")
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport


def test_captions_are_readable(page: Page, zaanstad: Dashboard):
    page.goto(zaanstad.url + "?datum=alle")
    caption = page.get_by_test_id("stCaptionContainer").first
    expect(caption).to_have_css("opacity", "1")  # Streamlit's own: 0.6
    expect(caption).to_have_css("color", "rgb(85, 84, 83)")  # 7.5:1 on white
