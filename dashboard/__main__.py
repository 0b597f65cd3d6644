"""Start the dashboard: ``python -m dashboard [streamlit options]``.

The same as ``streamlit run dashboard/app.py``, except that the work the first page needs
and that does not depend on who asks (importing pandas, geopandas, folium and the database
layer; bringing the database to the newest schema; loading the default gemeente and
preparing its map) is done while the server starts and the browser loads Streamlit's own
page, instead of after the browser has asked for the first page.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
# Not streamlit_folium, nor the modules that import it: a component registers with the
# server only when it is imported during a page run.
WARM_UP = (
    "socialbasis.app",
    "socialbasis.dataset",
    "dashboard.data",
    "dashboard.mapview",
    "streamlit.emojis",  # read to check the page's icon
)

log = logging.getLogger(__name__)


def _server_started() -> bool:
    from streamlit.runtime import Runtime, RuntimeState

    return Runtime.exists() and Runtime.instance().state != RuntimeState.INITIAL


def _warm_up() -> None:
    # First let the server start (it answers sooner, and the browser starts loading
    # Streamlit's page); the caches also belong to the running server.
    deadline = time.monotonic() + 60
    while not _server_started() and time.monotonic() < deadline:
        time.sleep(0.02)
    for name in WARM_UP:
        importlib.import_module(name)
    from dashboard import data
    from socialbasis import i18n

    try:
        settings = data.settings()
        with i18n.using(settings.taal):
            i18n.join_words(["a", "b"])  # the language's number and list patterns
            data.map_data(settings)  # the database, the dataset and the map, in the caches
    except Exception:  # the first page will say what is wrong; here it only costs the head start
        log.debug("warm-up of the dashboard did not complete", exc_info=True)


def main() -> None:
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    from streamlit.web import cli

    # The map's files are served by the app itself; no usage statistics leave the machine.
    defaults = ["--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false"]
    sys.argv = ["streamlit", "run", str(APP), *defaults, *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
