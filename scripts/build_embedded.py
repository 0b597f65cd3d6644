"""Build the embedded Zaanstad 2020 geography (data/geo/GM0479_2020/gebied.gpkg) from the CBS
files in data/geo/GM0479_2020/bron/, with the same parser and checks as a fetch.

Run again after changing the parser: .venv/bin/python scripts/build_embedded.py
A test checks that the shipped file is what this script makes.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.cbs_files import CbsFiles, geography_from_files  # noqa: E402
from socialbasis.dataset import EMBEDDED_DIR  # noqa: E402
from socialbasis.storage import Store  # noqa: E402

FOLDER = EMBEDDED_DIR / "geo" / "GM0479_2020" / "bron"
ZAANSTAD_2020 = CbsFiles(
    gemeentecode="GM0479",
    year=2020,
    table="84799NED",
    buurten=FOLDER / "buurten_rd.geojson",
    wijken=FOLDER / "wijken_rd.geojson",
    kerncijfers=FOLDER / "kerncijfers_84799NED_GM0479.csv",
    columns=FOLDER / "kerncijfers_columns.csv",
    reference_date="1 januari 2020",
    boundary_source="Bron: CBS/Kadaster, Wijk- en buurtkaart 2020 (vereenvoudigd)",
    url="https://opendata.cbs.nl/ODataApi/odata/84799NED",
    table_modified=datetime(2021, 3, 26, tzinfo=UTC),
)


def main(root: Path = EMBEDDED_DIR / "geo") -> Path:
    return Store(root).write_geography(geography_from_files(ZAANSTAD_2020))


if __name__ == "__main__":
    print(main())
