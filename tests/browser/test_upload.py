"""Uploading listings in the browser: the same report as the CLI, then the map shows them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Dashboard, dashboard_env, sign_in
from tests.loaders.test_importer import GOOD, dutch_excel_csv
from tests.loaders.test_population_grid import cbs_squares

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh(tmp_path) -> Dashboard:
    server = Dashboard(dashboard_env(tmp_path))
    yield server
    server.stop()


def test_upload_reports_problems_and_imports_the_good_rows(page: Page, fresh: Dashboard, tmp_path):
    bad = ["Fout", "", "cultuur", "", "", "", "", "52,44", "4,82", "", ""]
    path = tmp_path / "aanbod.csv"
    path.write_bytes(dutch_excel_csv([GOOD, bad]))
    page.goto(fresh.url + "?modus=gegevens")
    sign_in(page, fresh)
    expect(page.get_by_role("heading", name="Aanbod inlezen")).to_be_visible()
    # By its key: while the page is still drawing, "the first file input" may be another one.
    page.locator(".st-key-upload_bestand input[type=file]").set_input_files(str(path))
    expect(page.get_by_text("Goed: 1, geweigerd: 1")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.get_by_role("button", name="Lees 1 goede rijen in").click()
    expect(page.get_by_text("Opgeslagen als wijzigingsset 1: 1 nieuw")).to_be_visible()
    page.goto(fresh.url + "?datum=alle")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("1")
    # Only the venues are still examples now; the banner says exactly that.
    expect(page.get_by_text("De locaties op deze kaart zijn verzonnen")).to_be_visible()


def test_a_look_alike_upload_asks_and_the_choice_is_kept(page: Page, fresh: Dashboard, tmp_path):
    first, moved = tmp_path / "aanbod.csv", tmp_path / "verhuisd.csv"
    first.write_bytes(dutch_excel_csv([GOOD]))
    moved.write_bytes(dutch_excel_csv([[*GOOD[:6], "Teststraat 3", "52,4392", "4,8262", "", ""]]))
    page.goto(fresh.url + "?modus=gegevens")
    sign_in(page, fresh)
    upload = page.locator(".st-key-upload_bestand input[type=file]")
    upload.set_input_files(str(first))
    page.get_by_role("button", name="Lees 1 goede rijen in").click()
    expect(page.get_by_text("Opgeslagen als wijzigingsset 1")).to_be_visible()
    upload.set_input_files(str(moved))
    expect(page.get_by_text("1 rij(en) lijken op aanbod dat er al is")).to_be_visible()
    choice = page.get_by_role("combobox", name="Voor alle rijen die dubbel lijken", exact=True)
    choice.click()
    page.keyboard.type("beide")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Lees 1 goede rijen in").click()
    expect(page.get_by_text("Opgeslagen als wijzigingsset 2: 1 nieuw")).to_be_visible()
    page.goto(fresh.url + "?datum=alle")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("2")


def test_a_population_grid_upload_makes_the_kansenkaart_count_residents(
    page: Page, fresh: Dashboard, tmp_path
):
    path = tmp_path / "cbs_vk100_2023_v1.gpkg"
    cbs_squares([120, -99997, 35, 0, 80]).to_file(path, driver="GPKG")
    page.goto(fresh.url + "?modus=gegevens")
    sign_in(page, fresh)
    expect(page.get_by_role("heading", name="Inwoners per 100 meter")).to_be_visible()
    page.locator(".st-key-upload_bevolking input[type=file]").set_input_files(str(path))
    expect(page.get_by_text("4 vierkanten in Zaanstad, samen 157 inwoners")).to_be_visible()
    page.get_by_role("button", name="Gebruik deze inwonersaantallen").click()
    expect(page.get_by_text("De dekking telt nu naar inwoners")).to_be_visible()
    page.goto(fresh.url + "?modus=kansen&datum=alle")
    expect(
        page.get_by_text("Dekking naar inwoners: CBS Vierkantstatistieken 100 m, 2023").first
    ).to_be_visible()
