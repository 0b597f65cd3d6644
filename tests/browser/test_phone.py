"""On a phone (390 x 844): the map on the first screen, the filters one labelled tap away,
a folded legend, and an attribution that leaves the (metric) scale bar free."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import MAP_IFRAME, Dashboard, map_frame

pytestmark = pytest.mark.browser

BOX = """(selector) => {
    const r = document.querySelector(selector).getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
}"""


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.fixture
def phone(browser: Browser) -> Page:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def test_on_a_phone_the_map_comes_first_and_the_filters_are_one_tap_away(
    phone: Page, zaanstad: Dashboard
):
    phone.goto(zaanstad.url + "?datum=alle")
    frame = map_frame(phone)
    box = phone.locator(MAP_IFRAME).bounding_box()
    assert box["y"] + 200 <= 844, f"only {844 - box['y']:.0f} px of the map on the first screen"
    # The legend is folded and hides neither the attribution nor the scale bar.
    assert frame.evaluate("() => document.querySelector('.sbk-legend details').open") is False
    legend = frame.evaluate(BOX, ".sbk-legend")
    attribution = frame.evaluate(BOX, ".leaflet-control-attribution")
    scale = frame.evaluate(BOX, ".leaflet-control-scale")
    assert not overlap(attribution, scale) and not overlap(legend, attribution)
    assert not overlap(legend, scale)
    lines = frame.locator(".leaflet-control-scale-line").all_inner_texts()
    assert len(lines) == 1 and lines[0].endswith(("km", "m"))  # metric only
    frame.locator(".sbk-legend summary").tap()
    expect(frame.locator(".sbk-legend")).to_contain_text("Activiteiten per laag")
    # Filters: one tap on a labelled button.
    filters = phone.get_by_role("button", name="Filters openen")
    expect(filters).to_be_visible()
    filters.tap()
    expect(phone.get_by_role("combobox", name="Laag van de sociale basis")).to_be_visible()
