"""Text from data files is shown as text: nothing from a file runs in the browser."""

from __future__ import annotations

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from socialbasis.dataset import embedded_geography
from tests.browser.conftest import MAP_IFRAME, Dashboard, dashboard_env, map_frame
from tests.helpers import initiative_row, put_listings, venue_row

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
SCRIPT = "<script>window.__xss=2;alert(2)</script>"
PAYLOAD = f"{IMG}{SCRIPT} [klik](javascript:alert(3)) **vet**"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Dashboard:
    tmp = tmp_path_factory.mktemp("hostile")
    initiatives = pd.DataFrame(
        [
            initiative_row(
                id=f"x-{i}",
                name=PAYLOAD,
                description=PAYLOAD,
                organisation=PAYLOAD,
                address=PAYLOAD,
                source=PAYLOAD,
                lat=f"{52.43 + i * 0.01:.4f}",
            )
            for i in range(3)
        ]
    )
    venues = pd.DataFrame([venue_row(name=PAYLOAD, kind=PAYLOAD, address=PAYLOAD)])
    # The werkgebied names of a mapping file end up in tooltips, the sidebar and the profile.
    wijken = sorted(embedded_geography().buurten["wijkcode"].unique())
    mapping = tmp / "werkgebieden.csv"
    pd.DataFrame(
        {
            "code": wijken,
            "werkgebied": [f"{PAYLOAD} {i}" for i in range(len(wijken))],
            "status": PAYLOAD,
        }
    ).to_csv(mapping, index=False)
    env = dashboard_env(tmp, SOCIALBASIS_WERKGEBIEDEN=str(mapping))
    put_listings(
        tmp / "data",
        initiatives.to_dict("records"),
        venues.to_dict("records"),
        database_url=env.get("SOCIALBASIS_DATABASE_URL"),
    )
    server = Dashboard(env)
    yield server
    server.stop()


def test_hostile_text_in_names_and_descriptions_never_executes(page: Page, hostile: Dashboard):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile.url + "?buurt=BU04791111&datum=alle&wijken=1")
    frame = map_frame(page)
    # Open every popup and tooltip, so that Leaflet puts their HTML into the page.
    opened = frame.evaluate(
        """() => {
            let n = 0;
            map_div.eachLayer(layer => {
                if (layer.getPopup && layer.getPopup()) { layer.openPopup(); n++; }
                if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); n++; }
            });
            return n;
        }"""
    )
    assert opened >= 79
    expect(page.get_by_role("heading", name="Vijfhoekpark")).to_be_visible()
    popup_text = frame.locator(".leaflet-popup-content").first.inner_text()
    assert IMG in popup_text and "window.__xss=2" in popup_text
    for target in (page, frame):
        assert target.evaluate("() => window.__xss") is None
        assert target.locator("img[src='x']").count() == 0
        assert target.locator("a[href^='javascript']").count() == 0
    assert page.get_by_text(IMG).count() >= 1  # shown literally in the profile or sidebar
    assert dialogs == []
    expect(page.locator(MAP_IFRAME)).to_be_visible()
