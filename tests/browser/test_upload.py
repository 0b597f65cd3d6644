"""Uploading listings in the browser: the same report as the CLI, then the map shows them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Dashboard, dashboard_env
from tests.loaders.test_importer import GOOD, dutch_excel_csv

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
    expect(page.get_by_role("heading", name="Aanbod inlezen")).to_be_visible()
    # By its key: while the page is still drawing, "the first file input" may be another one.
    page.locator(".st-key-upload_bestand input[type=file]").set_input_files(str(path))
    expect(page.get_by_text("Goed: 1, geweigerd: 1")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.get_by_role("button", name="Lees 1 goede rijen in").click()
    expect(page.get_by_text("1 rijen ingelezen")).to_be_visible()
    page.goto(fresh.url + "?datum=alle")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("1")
    # Only the venues are still examples now; the banner says exactly that.
    expect(page.get_by_text("De locaties op deze kaart zijn verzonnen")).to_be_visible()
