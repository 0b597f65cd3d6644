"""Two (or more) buurten side by side: key figures, supply per layer, venues and how far the
nearest activity of each layer is."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from socialbasis.analysis.distances import Distances
from socialbasis.analysis.profile import buurt_profile
from socialbasis.analysis.walking import DEFAULT_SPEED_KMH
from socialbasis.figures import figure_table
from socialbasis.i18n import _, number
from socialbasis.vocab import Layer, label


def compare_buurten(
    buurten: gpd.GeoDataFrame,
    figures: pd.DataFrame,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    buurtcodes: Sequence[str],
    speed_kmh: float = DEFAULT_SPEED_KMH,
    distances: Distances | None = None,
) -> pd.DataFrame:
    """One row per subject ("Onderwerp"), one column per buurt ("Naam (code)"); every value
    as shown text. Key figures carry their source and year in the row name."""
    by_code = buurten.set_index("buurtcode")
    columns: dict[str, list[str]] = {}
    subjects: list[str] = []
    for code in buurtcodes:
        profile = buurt_profile(buurten, code, initiatives, venues, speed_kmh, distances)
        table = figure_table(by_code.loc[code], figures)
        values = [
            *table.iloc[:, 1],  # the buurt's values (the headers are translated)
            *(str(int(profile.counts[layer.value])) for layer in Layer),
            str(len(profile.venues)),
            *(
                "—" if pd.isna(row.distance_m) else f"{number(row.distance_m, 0)} m"
                for row in profile.nearest.itertuples()
            ),
        ]
        subjects = [
            *(
                f"{name} ({source}, {year})"
                for name, _v, _g, source, year in table.itertuples(False)
            ),
            *(_("Activiteiten {lower}").format(lower=label(layer).lower()) for layer in Layer),
            _("Locaties in de buurt"),
            *(
                (
                    _("Dichtstbij {lower} (over straat)")
                    if distances is not None and distances.over_street
                    else _("Dichtstbij {lower} (rechte lijn)")
                ).format(lower=label(layer).lower())
                for layer in Layer
            ),
        ]
        columns[f"{profile.buurtnaam} ({code})"] = values
    return pd.DataFrame({_("Onderwerp"): subjects, **columns})
