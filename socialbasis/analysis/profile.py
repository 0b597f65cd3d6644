"""What one buurt has: counts per layer, its listings, the nearest initiative of each layer."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from socialbasis.analysis.distances import Distances
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
    distances: Distances | None = None,
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
        nearest=nearest_per_layer(area_centre(buurt.geometry), initiatives, speed_kmh, distances),
    )


@dataclass(frozen=True)
class SupplyPerBuurt:
    """Activities per buurt: per 1,000 residents where residents are known, else a count."""

    values: pd.Series  # by buurtcode; NaN where a rate cannot be given (no residents)
    per_1000: bool


def supply_per_buurt(buurten: pd.DataFrame, initiatives: pd.DataFrame) -> SupplyPerBuurt:
    """Activities per buurt for a choropleth: per 1,000 residents when the key figures give
    residents, a plain count otherwise. A buurt without residents gets no rate (NaN), not 0.

    >>> buurten = pd.DataFrame({"buurtcode": ["A", "B", "C"], "inwoners": [2000, 500, 0]})
    >>> supply = supply_per_buurt(buurten, pd.DataFrame({"buurtcode": ["A", "A", "B", "C"]}))
    >>> supply.per_1000, supply.values.round(1).tolist()
    (True, [1.0, 2.0, nan])
    """
    counts = initiatives["buurtcode"].value_counts().reindex(buurten["buurtcode"], fill_value=0)
    counts.index.name = "buurtcode"
    if "inwoners" not in buurten:
        return SupplyPerBuurt(counts.astype(float), per_1000=False)
    residents = pd.to_numeric(buurten["inwoners"], errors="coerce").to_numpy()
    if not (residents > 0).any():
        return SupplyPerBuurt(counts.astype(float), per_1000=False)
    rates = counts.to_numpy() * 1000.0 / pd.Series(residents).where(lambda r: r > 0).to_numpy()
    return SupplyPerBuurt(pd.Series(rates, index=counts.index), per_1000=True)
