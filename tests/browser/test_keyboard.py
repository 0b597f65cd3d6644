"""Everything a person does first, with the keyboard only: choose a buurt, change a filter,
open the kansenkaart and download the kansenlijst. No mouse click anywhere."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Dashboard, map_frame

pytestmark = pytest.mark.browser

ACTIVE = """() => {
    const a = document.activeElement;
    const label = a.labels && a.labels.length ? a.labels[0].innerText.trim() : '';
    const name = a.getAttribute('aria-label') || label;
    return [name, (a.innerText || '').trim().slice(0, 60)].join('|');
}"""


def tab_to(page: Page, wanted: str, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab (or ``key``) until the focused element is named ``wanted`` or its text
    starts so."""
    for _ in range(limit):
        page.keyboard.press(key)
        name, text = page.evaluate(ACTIVE).split("|", 1)
        if name == wanted or text.startswith(wanted):
            return
    raise AssertionError(f"{wanted!r} not reached with {limit} presses of Tab")


def test_a_first_visit_with_the_keyboard_only(page: Page, zaanstad: Dashboard):
    page.goto(zaanstad.url + "?datum=alle")
    map_frame(page)
    # Past the map with the skip link, straight to the buurt choice.
    tab_to(page, "Sla de kaart over")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE).startswith("Buurt|")
    page.keyboard.type("Vijfhoekpark")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Vijfhoekpark")).to_be_visible()
    # A filter, back in the sidebar.
    tab_to(page, "Laag van de sociale basis", key="Shift+Tab")
    page.keyboard.type("Persoonlijk")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"laag=persoonlijk"))
    # The kansenkaart: the view is a radio group; arrows choose.
    tab_to(page, "Aanbod", key="Shift+Tab")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Kansenlijst")).to_be_visible()
    tab_to(page, "Download voor Excel", limit=200)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("kansenlijst_GM0479_2024_")
