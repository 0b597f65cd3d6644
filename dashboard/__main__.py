"""Start the dashboard: ``python -m dashboard [streamlit options]``.

The same as ``streamlit run dashboard/app.py``, except that the libraries the first page
needs (pandas, geopandas, folium, the database, the analysis) are imported while the server
starts and the browser loads Streamlit's own page, instead of after the browser has asked
for the first page. That moves about a second out of the time to the first map.
"""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
# Not streamlit_folium, nor the modules that import it: a component registers with the
# server only when it is imported during a page run.
WARM_UP = ("socialbasis.app", "socialbasis.dataset", "dashboard.data", "dashboard.mapview")


def _import_the_first_page() -> None:
    for name in WARM_UP:
        importlib.import_module(name)


def main() -> None:
    threading.Thread(target=_import_the_first_page, name="warm-up", daemon=True).start()
    from streamlit.web import cli

    # The map's files are served by the app itself; no usage statistics leave the machine.
    defaults = ["--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false"]
    sys.argv = ["streamlit", "run", str(APP), *defaults, *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
