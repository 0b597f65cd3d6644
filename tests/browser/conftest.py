"""Start the real dashboard and drive Debian's Chromium with Playwright (no downloads)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Frame, Page, expect, sync_playwright

from tests.postgres import SERVER_VARIABLE, TEMPLATE, create_database

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_IFRAME = "iframe[title='Kaart van de buurten met het aanbod']"
# A cold server imports the geo stack on the first visit; wait on conditions, generously.
expect.set_options(timeout=30_000)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dashboard:
    """A Streamlit server of the dashboard, running until ``stop``."""

    def __init__(
        self, env: dict[str, str], port: int | None = None, args: Sequence[str] = ()
    ) -> None:
        self.env = env
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(Path(env["SOCIALBASIS_DATA_DIR"]).parent / "streamlit.log", "w+b")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dashboard",  # as scripts/dashboard.sh and `socialbasis dashboard` start it
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.fileWatcherType",
                "none",
                *args,
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.output()}")
            try:
                if requests.get(self.url + "_stcore/health", timeout=1).ok:
                    return
            except requests.RequestException:  # not up yet, or too busy to answer in time
                time.sleep(0.1)
        raise RuntimeError(f"streamlit did not start: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


TEST_PASSWORD = "een wachtwoord voor de test"


def local_account(server: Dashboard, username: str, role: str) -> None:
    """A local account in the server's database (made as ``socialbasis gebruiker`` would)."""
    from socialbasis.app import SocialBasis
    from socialbasis.settings import load_settings

    settings = load_settings({k: v for k, v in server.env.items() if k.startswith("SOCIALBASIS_")})
    accounts = SocialBasis(settings).accounts
    if accounts.get(username) is None:
        accounts.add(username, TEST_PASSWORD, role)


def sign_in(page: Page, server: Dashboard, role: str = "beheerder") -> None:
    """Sign in through the sidebar's form with a local account of ``role``."""
    username = f"test-{role}"
    local_account(server, username, role)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen met een lokaal account").click()
    expect(page.get_by_text(f"Ingelogd als {username}")).to_be_visible()


def dashboard_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALBASIS_")}
    env.update(
        SOCIALBASIS_DATA_DIR=str(tmp / "data"),
        SOCIALBASIS_CACHE_DIR=str(tmp / "cache"),
        # Tiles cannot load without internet; point them at a closed local port.
        SOCIALBASIS_TILE_URL="http://127.0.0.1:9/{z}/{x}/{y}.png",
    )
    if SERVER_VARIABLE in os.environ:  # the suite runs on PostgreSQL: a database per server
        env["SOCIALBASIS_DATABASE_URL"] = create_database(os.environ[SERVER_VARIABLE], TEMPLATE)
    # The map tests use the 79 buurten of 2024; the 2020 default is tested in-process.
    env.setdefault("SOCIALBASIS_JAAR", "2024")
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/install_chromium.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def zaanstad(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    server = Dashboard(dashboard_env(tmp_path_factory.mktemp("zaanstad")))
    yield server
    server.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _iframe(title: str | None) -> str:
    return MAP_IFRAME if title is None else f"iframe[title='{title}']"


def current_map_frame(page: Page, title: str | None = None) -> Frame:
    """The map's frame once only one map is on the page: a rerun briefly shows the old
    map next to the new one. ``title``: the frame's name in another language."""
    selector = _iframe(title)
    page.wait_for_function("(sel) => document.querySelectorAll(sel).length === 1", arg=selector)
    return page.locator(selector).element_handle().content_frame()


def map_frame(page: Page, title: str | None = None) -> Frame:
    """The Leaflet map's frame, once the map has drawn its buurt polygons."""
    current_map_frame(page, title)
    page.frame_locator(_iframe(title)).locator("path.sbk-buurt").first.wait_for()
    return current_map_frame(page, title)


def marker_count(frame: Frame) -> int:
    """Initiatives drawn on the map: single markers plus the counts on cluster icons."""
    return frame.evaluate(
        """() => {
            const singles = document.querySelectorAll('path.sbk-initiatief').length;
            const clustered = [...document.querySelectorAll('.sbk-initiatief-cluster span')]
                .reduce((sum, el) => sum + parseInt(el.textContent, 10), 0);
            return singles + clustered;
        }"""
    )


CLICK_POINT_JS = """(code) => {
    let polygon = null;
    map_div.eachLayer(layer => {
        const props = layer.feature && layer.feature.properties;
        if (props && props.buurtcode === code) polygon = layer;
    });
    if (!polygon) return null;
    const b = polygon.getBounds();
    const box = document.getElementById('map_div').getBoundingClientRect();
    for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
        const ll = L.latLng(b.getSouth() + (b.getNorth() - b.getSouth()) * i / 20,
                            b.getWest() + (b.getEast() - b.getWest()) * j / 20);
        const p = map_div.latLngToContainerPoint(ll);
        // The buurt itself must be what is under the mouse there, not a marker or label.
        if (document.elementFromPoint(box.left + p.x, box.top + p.y) === polygon._path) {
            return {x: box.left + p.x, y: box.top + p.y};
        }
    }
    return null;
}"""


def click_buurt(page: Page, frame: Frame, buurtcode: str) -> None:
    """Click with the mouse on a point inside the buurt's polygon that no marker covers."""
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    point = frame.evaluate(CLICK_POINT_JS, buurtcode)
    assert point is not None, f"no free point inside {buurtcode}"
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
