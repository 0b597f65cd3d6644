"""Suggested places in words: what each one reaches, where, and in which venue."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from socialbasis.analysis.suggest import Suggestion
from socialbasis.geo import to_wgs84
from socialbasis.i18n import N_, _, join_words, number

CANDIDATE_KINDS = {
    "locaties": N_("de locaties die een activiteit kunnen huisvesten"),
    "cellen": N_("elk vak van 100 bij 100 meter"),
}


@dataclass(frozen=True)
class SuggestionReport:
    """The suggestion as a table (one row per place, best first) and its explanation."""

    places: pd.DataFrame  # rank, lat, lon, venue_id, venue, reached, buurten, text
    maximised: str  # what was maximised, in words
    reached: float
    by_residents: bool
    optimal: bool
    greedy_weighted: float
    weighted: float

    @classmethod
    def build(
        cls,
        suggestion: Suggestion,
        buurten: gpd.GeoDataFrame,
        venues: gpd.GeoDataFrame | None,
        minutes: int,
        among: str,
    ) -> SuggestionReport:
        names = buurten["buurtnaam"].to_numpy()
        points = gpd.GeoSeries(
            gpd.points_from_xy([p.x for p in suggestion.places], [p.y for p in suggestion.places]),
            crs=buurten.crs,
        )
        wgs = to_wgs84(gpd.GeoDataFrame(geometry=points)) if len(points) else points
        rows = []
        for rank, (place, point) in enumerate(zip(suggestion.places, wgs.geometry, strict=True)):
            venue = venues.iloc[place.candidate] if venues is not None else None
            where = [str(names[b]) for b in place.buurten]
            rows.append(
                {
                    "rank": rank + 1,
                    "lat": round(float(point.y), 6),
                    "lon": round(float(point.x), 6),
                    "venue_id": "" if venue is None else str(venue["id"]),
                    "venue": "" if venue is None else str(venue["name"]),
                    "reached": round(place.reached),
                    "buurten": "; ".join(where),
                    "text": explain(
                        place.reached,
                        where,
                        None if venue is None else str(venue["name"]),
                        suggestion.by_residents,
                        minutes,
                    ),
                }
            )
        unit = _("inwoners") if suggestion.by_residents else _("vierkante meter")
        maximised = _(
            "Gekozen uit {among}: de {count} plekken die samen de meeste {unit} binnen "
            "{minutes} minuten lopen brengen die nu geen activiteit in deze laag zo dichtbij "
            "hebben, gewogen naar behoefte (zoals in de kansscore)."
        ).format(among=_(CANDIDATE_KINDS[among]), count=len(rows), unit=unit, minutes=minutes)
        return cls(
            pd.DataFrame(
                rows,
                columns=["rank", "lat", "lon", "venue_id", "venue", "reached", "buurten", "text"],
            ),
            maximised,
            suggestion.reached,
            suggestion.by_residents,
            suggestion.optimal,
            suggestion.greedy_weighted,
            suggestion.weighted,
        )


def explain(
    reached: float, buurten: list[str], venue: str | None, by_residents: bool, minutes: int
) -> str:
    """One suggested place in plain Dutch (B1).

    >>> text = explain(1240.4, ["Poelenburg", "Peldersveld"], "Buurthuis X", True, 10)
    >>> text.startswith("Bereikt 1.240 inwoners die nu niets binnen 10 minuten hebben")
    True
    >>> text.endswith(", in Poelenburg en Peldersveld; ruimte: Buurthuis X.")
    True
    """
    if not np.isfinite(reached) or reached < 0.5:
        text = _("Bereikt niemand die nu niets binnen {minutes} minuten heeft").format(
            minutes=minutes
        )
    elif by_residents:
        text = _("Bereikt {count} inwoners die nu niets binnen {minutes} minuten hebben").format(
            count=number(reached, 0), minutes=minutes
        )
    else:
        text = _(
            "Bereikt {area} hectare waar nu niets binnen {minutes} minuten is (inwoners onbekend)"
        ).format(area=number(reached / 10_000, 1), minutes=minutes)
    if buurten and reached >= 0.5:
        text += _(", in {buurten}").format(buurten=join_words(buurten))
    if venue:
        text += _("; ruimte: {venue}").format(venue=venue)
    return text + "."
