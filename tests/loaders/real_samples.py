"""Paths of the real recorded responses in tests/fixtures/real (see SOURCES.md there)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
STATLINE = REAL / "cbs_statline"
KWB2020 = STATLINE / "statline-bq_84799NED"
PDOK_WFS = REAL / "pdok_wfs"
VIERKANT = REAL / "vierkant"
OVERPASS = REAL / "overpass"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
