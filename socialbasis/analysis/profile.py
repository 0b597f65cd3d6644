"""What one buurt has: counts per layer, its listings, the nearest initiative of each layer."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from socialbasis.analysis.nearest import area_centre, nearest_per_layer
from socialbasis.analysis.walking import DEFAULT_SPEED_KMH
from socialbasis.vocab import Layer, codes


@dataclass(frozen=True)
class BuurtProfile:
    buurtcode: str
    buurtnaam: str
    wijknaam: str
    werkgebied: str
    counts: pd.Series  # per layer, in layer order
    initiatives: gpd.GeoDataFrame
    venues: gpd.GeoDataFrame
    nearest: pd.DataFrame  # one row per layer


def counts_per_layer(initiatives: pd.DataFrame) -> pd.Series:
    """Number of initiatives per layer, every layer present (0 where there are none)."""
    return initiatives["layer"].value_counts().reindex(codes(Layer), fill_value=0)


def buurt_profile(
    buurten: gpd.GeoDataFrame,
    buurtcode: str,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    speed_kmh: float = DEFAULT_SPEED_KMH,
) -> BuurtProfile:
    """The profile of ``buurtcode`` from already filtered initiatives and venues.

    Nearest initiatives are searched in the whole gemeente, from the buurt's centre, so that a
    buurt without anything of a layer still sees where the closest one is.
    """
    row = buurten.loc[buurten["buurtcode"] == buurtcode]
    if row.empty:
        raise KeyError(buurtcode)
    buurt = row.iloc[0]
    inside = initiatives["buurtcode"] == buurtcode
    return BuurtProfile(
        buurtcode=buurtcode,
        buurtnaam=buurt["buurtnaam"],
        wijknaam=buurt["wijknaam"],
        werkgebied=buurt["werkgebied"],
        counts=counts_per_layer(initiatives[inside]),
        initiatives=initiatives[inside],
        venues=venues[venues["buurtcode"] == buurtcode],
        nearest=nearest_per_layer(area_centre(buurt.geometry), initiatives, speed_kmh),
    )
