"""Two (or more) buurten side by side: key figures, supply per layer, venues and how far the
nearest activity of each layer is."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from socialbasis.analysis.profile import buurt_profile
from socialbasis.analysis.walking import DEFAULT_SPEED_KMH
from socialbasis.figures import figure_table
from socialbasis.vocab import LAYER_LABELS, Layer, dutch_count


def compare_buurten(
    buurten: gpd.GeoDataFrame,
    figures: pd.DataFrame,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    buurtcodes: Sequence[str],
    speed_kmh: float = DEFAULT_SPEED_KMH,
) -> pd.DataFrame:
    """One row per subject ("Onderwerp"), one column per buurt ("Naam (code)"); every value
    as shown text. Key figures carry their source and year in the row name."""
    by_code = buurten.set_index("buurtcode")
    columns: dict[str, list[str]] = {}
    subjects: list[str] = []
    for code in buurtcodes:
        profile = buurt_profile(buurten, code, initiatives, venues, speed_kmh)
        table = figure_table(by_code.loc[code], figures)
        values = [
            *table["Buurt"],
            *(str(int(profile.counts[layer.value])) for layer in Layer),
            str(len(profile.venues)),
            *(
                "—" if pd.isna(row.distance_m) else f"{dutch_count(row.distance_m)} m"
                for row in profile.nearest.itertuples()
            ),
        ]
        subjects = [
            *(f"{r.Cijfer} ({r.Bron}, {r.Jaar})" for r in table.itertuples()),
            *(f"Activiteiten {LAYER_LABELS[layer].lower()}" for layer in Layer),
            "Locaties in de buurt",
            *(f"Dichtstbij {LAYER_LABELS[layer].lower()} (rechte lijn)" for layer in Layer),
        ]
        columns[f"{profile.buurtnaam} ({code})"] = values
    return pd.DataFrame({"Onderwerp": subjects, **columns})
