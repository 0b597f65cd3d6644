"""Tables for download and for other tools, keyed on CBS codes with their vintage year."""

from __future__ import annotations

import pandas as pd

from socialbasis.analysis.coverage import WalkParams, share_column

GAP_EXPORT_COLUMNS: tuple[str, ...] = (
    "gemeentecode",
    "jaar",
    "buurtcode",
    "buurtnaam",
    "wijknaam",
    "werkgebied",
    "layer",
    "rank",
    "score",
    "coverage",
    "share_5min",
    "share_10min",
    "share_15min",
    "nearest_m",
    "count",
    "per_1000",
    "venues_nearby",
    "need",
    "empty_slots",
    "speed_kmh",
    "reason",
)


def gaps_table(
    ranked: pd.DataFrame, gemeentecode: str, year: int, walk: WalkParams
) -> pd.DataFrame:
    """The kansenlijst with codes, vintage year, rank and rounded figures."""
    out = ranked.copy()
    out.insert(0, "jaar", year)
    out.insert(0, "gemeentecode", gemeentecode)
    out["rank"] = range(1, len(out) + 1)
    out["speed_kmh"] = walk.speed_kmh
    for column in ["score", "coverage", "need", *(share_column(m) for m in walk.minutes)]:
        out[column] = out[column].round(3)
    for column in ("nearest_m", "per_1000"):
        out[column] = out[column].round(1)
    columns = [c for c in GAP_EXPORT_COLUMNS if c in out.columns]
    return out[columns]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel opens accents correctly."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
