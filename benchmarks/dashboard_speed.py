"""How fast the dashboard answers, measured in a real browser on the embedded Zaanstad data.

    python -m benchmarks.dashboard_speed [--rounds 10]

Prints:
- server start -> first map drawn (every buurt polygon on screen), from a cold server on a
  fresh data folder, ``--starts`` times, with the browser already open;
- filter change -> map redrawn with the new markers, median and spread of ``--rounds`` changes
  on a warm server (the layer filter toggled between all layers and one);
- the server's script run for the same filter change, median of ``--rounds`` in-process runs
  (Streamlit's AppTest, so without browser or network);
- ``socialbasis --help``.

Needs Chromium (scripts/install_chromium.sh); tiles point at a closed port, as in the tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Frame, Page, sync_playwright

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_IFRAME,
    ROOT,
    Dashboard,
    dashboard_env,
    marker_count,
)

LAYER_BOX = "Laag van de sociale basis"


def _single_map(page: Page) -> Frame | None:
    """The map's frame while exactly one map is on the page (a redraw briefly shows two)."""
    handles = page.query_selector_all(MAP_IFRAME)
    return handles[0].content_frame() if len(handles) == 1 else None


def _wait_for_markers(page: Page, expected: int, timeout: float = 30) -> None:
    """Until the one map on the page shows ``expected`` initiatives."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = _single_map(page)
        try:
            if frame is not None and marker_count(frame) == expected:
                return
        except Exception:  # the frame went away while being read: a redraw is under way
            pass
        time.sleep(0.01)
    raise TimeoutError(f"the map did not show {expected} markers")


def _metric(page: Page, name: str) -> int:
    metric = page.get_by_test_id("stMetric").filter(has_text=name).first
    return int(metric.get_by_test_id("stMetricValue").inner_text().replace(".", ""))


def _cold_start(page: Page, tmp: Path) -> tuple[Dashboard, float, float]:
    """Start a server on a fresh data folder; seconds until it answers and until the first
    map is drawn in the (already open) browser."""
    started = time.monotonic()
    server = Dashboard(dashboard_env(tmp))  # python -m dashboard, as scripts/dashboard.sh
    up = time.monotonic() - started
    page.goto(server.url + "?datum=alle")
    page.frame_locator(MAP_IFRAME).locator("path.sbk-buurt").nth(78).wait_for()
    return server, up, time.monotonic() - started


def browser_figures(rounds: int, starts: int) -> dict[str, list[float]]:
    ups, first_maps, timings = [], [], []
    with sync_playwright() as playwright:
        # The browser is open before the server starts, as a user's would be.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for start in range(starts):
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            server, up, first_map = _cold_start(page, Path(tempfile.mkdtemp()))
            ups.append(up)
            first_maps.append(first_map)
            if start < starts - 1:
                server.stop()
                page.close()
        try:
            everything = _metric(page, "Activiteiten")
            _wait_for_markers(page, everything)
            one_layer = _metric(page, "Persoonlijk")
            box = page.get_by_role("combobox", name=LAYER_BOX, exact=True)
            for round_ in range(rounds + 1):  # the first change warms the caches: not counted
                box.click()
                change = time.monotonic()
                page.get_by_role("option", name="Persoonlijk", exact=True).click()
                _wait_for_markers(page, one_layer)
                selected = time.monotonic() - change
                page.keyboard.press("Escape")
                clear = page.get_by_role("button", name="Clear all").first
                change = time.monotonic()
                clear.click()
                _wait_for_markers(page, everything)
                cleared = time.monotonic() - change
                if round_:
                    timings += [selected, cleared]
        finally:
            server.stop()
            browser.close()
    return {"server up": ups, "first map": first_maps, "changes": timings}


def script_run_seconds(rounds: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    app.query_params["datum"] = "alle"
    app.query_params["jaar"] = "2024"
    app.run()
    times = []
    for round_ in range(rounds + 1):
        for change in ("select", "unselect"):
            started = time.perf_counter()
            getattr(app.multiselect(key="laag"), change)("persoonlijk").run()
            if round_:
                times.append(time.perf_counter() - started)
    return times


def help_seconds() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "--help"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def machine_reference() -> float:
    """Seconds for a fixed pure-Python loop: figures of two runs compare only when this does
    (shared machines vary by half from hour to hour)."""
    started = time.perf_counter()
    sum(i * i for i in range(10**7))
    return time.perf_counter() - started


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    return (
        f"median {statistics.median(ordered):.3f} s, min {ordered[0]:.3f} s, "
        f"max {ordered[-1]:.3f} s (n={len(ordered)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="pairs of filter changes")
    parser.add_argument("--starts", type=int, default=3, help="cold starts of the server")
    args = parser.parse_args()
    print(f"machine reference (a fixed Python loop): {machine_reference():.2f} s")
    figures = browser_figures(args.rounds, args.starts)
    print(f"server start -> server answering: {_spread(figures['server up'])}")
    print(f"server start -> first map (79 buurten drawn): {_spread(figures['first map'])}")
    print(f"filter change -> map redrawn: {_spread(figures['changes'])}")
    print(f"script run for a filter change (AppTest): {_spread(script_run_seconds(args.rounds))}")
    print(f"socialbasis --help: {help_seconds():.2f} s")


if __name__ == "__main__":
    main()
