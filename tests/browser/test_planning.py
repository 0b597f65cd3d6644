"""Where to start, in a real browser: place an activity in the top-ranked buurt with a click
on the map, see its score fall and the residents reached, ask for suggestions, take one into
the plan, download the meeting pack, save the plan and open it again by its link (as someone
not signed in)."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Dashboard, click_buurt, dashboard_env, map_frame, sign_in
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh(tmp_path) -> Dashboard:
    # 2020: the boundaries with CBS residents, so "residents reached" can be counted.
    server = Dashboard(dashboard_env(tmp_path, SOCIALBASIS_JAAR="2020"))
    yield server
    server.stop()


def _top_buurt(server: Dashboard) -> str:
    from socialbasis.analysis.filters import Filters
    from socialbasis.app import SocialBasis
    from socialbasis.settings import load_settings

    settings = load_settings({k: v for k, v in server.env.items() if k.startswith("SOCIALBASIS_")})
    core = SocialBasis(settings)
    ranked = core.kansenlijst("gemeenschappelijk", Filters(), core.gap_params())
    return str(ranked["buurtcode"].iloc[0])


def _top_name(server: Dashboard, code: str) -> str:
    from socialbasis.app import SocialBasis
    from socialbasis.settings import load_settings

    settings = load_settings({k: v for k, v in server.env.items() if k.startswith("SOCIALBASIS_")})
    buurten = SocialBasis(settings).dataset().buurten
    return str(buurten.loc[buurten["buurtcode"] == code, "buurtnaam"].iloc[0])


def test_a_user_plans_in_the_top_buurt_takes_a_suggestion_saves_and_shares_the_plan(
    browser: Browser, page: Page, fresh: Dashboard
):
    code = _top_buurt(fresh)
    page.goto(fresh.url + f"?modus=kansen&datum=alle&buurt={code}")
    sign_in(page, fresh, role="redacteur")
    score = page.get_by_test_id("stMetric").filter(has=page.get_by_text("Kansscore", exact=True))
    expect(score).to_be_visible()
    # Place an activity with a click inside the top-ranked buurt.
    page.get_by_text("Plek kiezen op de kaart").click()
    expect(page.get_by_role("switch", name="Plek kiezen op de kaart")).to_be_checked()
    click_buurt(page, map_frame(page), code)
    expect(
        page.get_by_text("Gepland: een activiteit in deze laag bij de aangeklikte plek.")
    ).to_be_visible()
    reached = page.get_by_test_id("stMetric").filter(has_text="Inwoners nieuw binnen 10 minuten")
    expect(reached).to_be_visible()
    assert int(re.sub(r"\D", "", reached.get_by_test_id("stMetricValue").inner_text())) > 0
    delta = score.get_by_test_id("stMetricDelta")
    expect(delta).to_contain_text("met het plan")
    assert re.match(r"^[-−]\d+", delta.inner_text().strip())  # the score falls
    frame = map_frame(page)
    frame.locator("path.sbk-gepland").first.wait_for()
    page.get_by_role("button", name="Zet in het plan").click()
    expect(page.get_by_text("Het plan heeft 1 activiteit:")).to_be_visible()

    # Three suggestions; the first goes into the plan.
    page.get_by_role("button", name="Stel plekken voor").click()
    expect(page.get_by_role("button", name="Reken plek 3 door")).to_be_visible()
    page.get_by_role("button", name="Reken plek 1 door").click()
    page.get_by_role("button", name="Zet in het plan").click()
    expect(page.get_by_text("Het plan heeft 2 activiteiten:")).to_be_visible()
    assert serious_violations(page) == []

    # The meeting pack of the buurt, with the plan in it.
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Gesprekskaart van de buurt (PDF)").click()
    with pdfplumber.open(download.value.path()) as document:
        text = " ".join(" ".join(p.extract_text() or "" for p in document.pages).split())
    assert text.startswith(f"Gesprekskaart {_top_name(fresh, code)}")
    assert "Het plan" in text and "Samen plannen: tien stappen" in text

    # Save it; the link opens it for someone who is not signed in.
    name = page.get_by_label("Naam van het plan")
    name.fill("Zingen tegen eenzaamheid")
    name.press("Enter")
    page.get_by_role("button", name="Plan opslaan").click()
    expect(page.get_by_text(re.compile(r"Dit plan heeft nummer 1\."))).to_be_visible()
    page.wait_for_url(re.compile(r"plan=1"))
    viewer = browser.new_page(viewport={"width": 1400, "height": 1200})
    viewer.goto(page.url)
    expect(viewer.get_by_text("Het plan heeft 2 activiteiten:")).to_be_visible()
    expect(
        viewer.get_by_text(re.compile(r"Plan 'Zingen tegen eenzaamheid' \(nummer 1\)"))
    ).to_be_visible()
    expect(viewer.get_by_role("button", name="Plan opslaan")).to_have_count(0)
    map_frame(viewer).locator("path.sbk-gepland").nth(1).wait_for()
    viewer.close()
