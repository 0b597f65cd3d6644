"""Gap score per buurt and layer, and the ranked list of kansen with a reason per row.

score = 100 x (1 - coverage) x (1/2 + 1/2 x need)     when need figures are loaded
score = 100 x (1 - coverage)                          when they are not (supply only)

``coverage`` is the mean share of the buurt within 5, 10 and 15 minutes' walk of an
initiative of the layer (see coverage.py); ``need`` is the need index 0..1 (need.py). The
score is 0..100: high where few residents can walk to the layer and (when known) need is
high. A buurt that CBS says has no residents gets 0.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from socialbasis.analysis.coverage import WalkParams, coverage_by_layer, coverage_index
from socialbasis.analysis.filters import Filters, select_initiatives
from socialbasis.analysis.grid import Grid
from socialbasis.analysis.need import (
    INDICATOR_BY_COLUMN,
    available_indicators,
    need_index,
    rescale,
    residents,
)
from socialbasis.analysis.partners import counts_within
from socialbasis.analysis.timeslots import (
    empty_slot_counts,
    points_and_masks,
    slot_shares_within,
)
from socialbasis.analysis.walking import minutes_for_metres
from socialbasis.figures import bound_columns, format_figure
from socialbasis.i18n import N_, _, distance, ngettext, percent
from socialbasis.schedule import SLOT_COUNT
from socialbasis.vocab import Layer

NEED_FLOOR = 0.5
SCORE_BINS = (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
# ColorBrewer YlOrRd: light to dark, readable with colour blindness because lightness rises.
SCORE_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
SCORE_LABELS = (N_("0-20 klein"), "20-40", "40-60", "60-80", N_("80-100 groot"))
HIGH_NEED = 2 / 3  # a rescaled indicator at or above this is "high in the gemeente"
LAYER_ADJECTIVES = {
    Layer.PERSOONLIJK.value: N_("persoonlijke"),
    Layer.GEMEENSCHAPPELIJK.value: N_("gemeenschappelijke"),
    Layer.INSTITUTIONEEL.value: N_("institutionele"),
}


def gap_score(
    coverage: np.ndarray | pd.Series | float, need: np.ndarray | pd.Series | float
) -> np.ndarray:
    """The score 0..100 from coverage (0..1) and need (0..1, missing = supply only)."""
    coverage = np.clip(np.asarray(coverage, dtype=float), 0.0, 1.0)
    need = np.asarray(need, dtype=float)
    factor = np.where(np.isnan(need), 1.0, NEED_FLOOR + (1 - NEED_FLOOR) * np.clip(need, 0, 1))
    return 100.0 * (1.0 - coverage) * factor


def score_explanation() -> str:
    """How the kansscore works, in plain Dutch (B1), with a worked example whose numbers
    come from :func:`gap_score` itself.

    >>> "68" in score_explanation() and "75" in score_explanation()
    True
    """
    with_need = float(gap_score(0.25, 0.8))
    without_need = float(gap_score(0.25, np.nan))
    return _(
        "De kansscore loopt van 0 tot 100. Hoe hoger, hoe groter de kans dat iets "
        "nieuws in deze buurt nodig is.\n\n1. **Dekking**: welk deel van de buurt ligt "
        "binnen 5, 10 en 15 minuten lopen van een activiteit in deze laag? Dat is "
        "het gemiddelde van die drie delen.\n2. **Behoefte**: hoe de buurt scoort op "
        "de cijfers over behoefte (zoals eenzaamheid en ouderen), van 0 (laag in de "
        "gemeente) tot 1 (hoog).\n3. Weinig dekking en veel behoefte geeft een hoge "
        "score. Behoefte telt voor de helft: ook een buurt met weinig behoefte maar "
        "zonder aanbod blijft in beeld.\n\n**Voorbeeld.** Een kwart van de buurt woont "
        "dicht bij een activiteit (dekking 25 %) en de behoefte is hoog (0,8). Dan "
        "is de score 100 × 0,75 × (0,5 + 0,5 × 0,8) = **{with_need:.0f}**. Zijn er "
        "geen cijfers over behoefte, dan is het 100 × 0,75 = "
        "**{without_need:.0f}**.\n\nEen buurt waar volgens het CBS niemand woont, "
        "krijgt 0."
    ).format(with_need=with_need, without_need=without_need)


@dataclass(frozen=True)
class GapParams:
    walk: WalkParams = field(default_factory=WalkParams)
    need_weights: dict[str, float] | None = None
    venue_radius_m: float = 800.0
    with_time_slots: bool = True

    @property
    def middle_minutes(self) -> int:
        """The band the reason talks about: 10 minutes by default."""
        return self.walk.minutes[len(self.walk.minutes) // 2]


def _distance_text(metres: float, speed_kmh: float, how: str, straight: float) -> str:
    """``"1,9 km (24 min lopen, over straat; in rechte lijn 600 m)"``."""
    if not np.isfinite(metres):
        return _("nergens in de gemeente")
    shown = distance(metres)
    text = _("{shown} ({minutes_for_metres:.0f} min lopen, {how}").format(
        shown=shown, minutes_for_metres=minutes_for_metres(metres, speed_kmh), how=_(how)
    )
    if np.isfinite(straight):
        text += _("; in rechte lijn {straight}").format(straight=distance(straight))
    return text + ")"


def need_texts(buurten: pd.DataFrame) -> list[str]:
    """Per buurt, the need indicators that are high within the gemeente, with their values."""
    parts: list[list[str]] = [[] for _ in range(len(buurten))]
    for column in available_indicators(buurten):
        indicator = INDICATOR_BY_COLUMN[column]
        if not indicator.unit:
            continue  # counts such as inwoners are not a "high need" by themselves
        values = pd.to_numeric(buurten[column], errors="coerce").to_numpy(float)
        high = (rescale(buurten[column]).to_numpy(float) >= HIGH_NEED) & np.isfinite(values)
        lower, upper = bound_columns(column)
        for i in np.flatnonzero(high):
            shown = format_figure(
                values[i],
                column,
                buurten[lower].iloc[i] if lower in buurten else None,
                buurten[upper].iloc[i] if upper in buurten else None,
            )
            parts[i].append(
                _("{lower} {shown}").format(lower=_(indicator.label).lower(), shown=shown)
            )
    return [_("hoog in de gemeente: ") + ", ".join(p) if p else "" for p in parts]


def reasons(rows: pd.DataFrame, layer: str, params: GapParams) -> list[str]:
    """A plain-language reason per row of the kansenlijst."""
    adjective = LAYER_ADJECTIVES[layer]
    middle = params.middle_minutes
    radius = distance(params.venue_radius_m)
    empty = rows["empty_slots"] if "empty_slots" in rows else pd.Series(0, index=rows.index)
    out = []
    basis = rows["share_basis"] if "share_basis" in rows else pd.Series("", index=rows.index)
    how = params.walk.distances().label
    nan = pd.Series(np.nan, index=rows.index)
    straight = rows.get("straight_m", nan)
    reached = rows.get("network_share", nan)
    for share, of, count, nearest, detour, venues, slots, need, nobody, on_network in zip(
        rows[f"share_{middle}min"],
        basis,
        rows["count"],
        rows["nearest_m"],
        straight,
        rows["venues_nearby"],
        empty,
        rows["need_text"],
        rows["no_residents"],
        reached,
        strict=True,
    ):
        if nobody:
            out.append(_("Volgens CBS wonen hier geen mensen."))
            continue
        uncovered = 1 - share
        parts = [
            (
                _(
                    "Geen {adjective} activiteit binnen {middle} minuten lopen voor {uncovered} "
                    "van de inwoners"
                )
                if of == "inwoners"
                else _(
                    "Geen {adjective} activiteit binnen {middle} minuten lopen voor {uncovered} "
                    "van de buurt"
                )
            ).format(adjective=_(adjective), middle=middle, uncovered=percent(uncovered))
            if uncovered > 0.005
            else _(
                "De hele buurt ligt binnen {middle} minuten lopen van een {adjective} activiteit"
            ).format(middle=middle, adjective=_(adjective))
        ]
        parts.append(
            _("in de buurt zelf niets; dichtstbij op ")
            + _distance_text(nearest, params.walk.speed_kmh, how, detour)
            if count == 0
            else _("{count} in de buurt zelf").format(count=int(count))
        )
        parts.append(
            ngettext(
                "{venues} locatie binnen {radius}", "{venues} locaties binnen {radius}", int(venues)
            ).format(venues=int(venues), radius=radius)
            if venues
            else _("geen locatie binnen {radius}").format(radius=radius)
        )
        if params.with_time_slots and slots > 0:
            parts.append(
                _(
                    "op {slots} van de {slot_count} dagdelen per week niets binnen {middle} minuten"
                ).format(slots=int(slots), slot_count=SLOT_COUNT, middle=middle)
            )
        if need:
            parts.append(need)
        if on_network < 0.995:
            parts.append(
                _(
                    "het loopnetwerk bereikt {reached} van de buurt; de rest is in rechte lijn "
                    "gemeten"
                ).format(reached=percent(on_network))
            )
        out.append("; ".join(parts) + ".")
    return out


@dataclass(frozen=True)
class _Inputs:
    """What every layer's ranking shares: the filtered supply and the per-buurt context."""

    buurten: gpd.GeoDataFrame
    grid: Grid
    supply: gpd.GeoDataFrame
    centres: np.ndarray | None
    context: pd.DataFrame  # names, need, venues_nearby, need_text, no_residents
    params: GapParams


def _prepare(
    buurten: gpd.GeoDataFrame,
    grid: Grid,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    filters: Filters | None,
    params: GapParams,
    centres: np.ndarray | None,
) -> _Inputs:
    supply = initiatives[
        select_initiatives(initiatives, buurten, (filters or Filters()).for_supply())
    ]
    context = buurten.reindex(columns=["buurtnaam", "wijknaam", "werkgebied"])
    context["need"] = need_index(buurten, params.need_weights)
    context["venues_nearby"] = counts_within(
        buurten, venues, params.venue_radius_m, params.walk.distances(), grid
    )
    context["need_text"] = need_texts(buurten)
    population = residents(buurten)
    context["no_residents"] = population == 0
    context["residents"] = population
    return _Inputs(buurten, grid, supply, centres, context, params)


def _rank_layer(inputs: _Inputs, layer: str) -> pd.DataFrame:
    params, buurten = inputs.params, inputs.buurten
    chosen = inputs.supply[inputs.supply["layer"] == layer]
    coverage = coverage_by_layer(
        buurten, inputs.grid, chosen, params.walk, inputs.centres, layers=(layer,)
    )
    rows = coverage.reset_index().drop(columns="layer")
    rows.index = buurten.index
    rows = pd.concat(
        [
            rows[["buurtcode"]],
            inputs.context[["buurtnaam", "wijknaam", "werkgebied"]],
            rows.drop(columns="buurtcode"),
        ],
        axis=1,
    )
    rows.insert(4, "layer", layer)
    rows["share_basis"] = inputs.grid.share_basis()
    rows["coverage"] = coverage_index(rows, params.walk)
    rows["need"] = inputs.context["need"]
    rows["need_text"] = inputs.context["need_text"]
    rows["score"] = gap_score(rows["coverage"], rows["need"])
    rows.loc[inputs.context["no_residents"], "score"] = 0.0
    rows["venues_nearby"] = inputs.context["venues_nearby"]
    if params.with_time_slots:
        xy, masks = points_and_masks(chosen)
        middle = params.walk.metres()[len(params.walk.minutes) // 2]
        shares = slot_shares_within(inputs.grid, xy, masks, middle, params.walk.distances())
        rows["empty_slots"] = empty_slot_counts(shares)
    rows["reason"] = reasons(rows.join(inputs.context[["no_residents"]]), layer, params)
    return rank(rows, inputs.context["residents"])


def rank(rows: pd.DataFrame, residents: pd.Series) -> pd.DataFrame:
    """Highest score first; ties broken by need, then residents (unknown last), then code.

    >>> rows = pd.DataFrame({"buurtcode": ["A", "B", "C"], "score": [50.0, 50.0, 50.0],
    ...                      "need": [0.2, 0.2, None]})
    >>> list(rank(rows, pd.Series([100, 900, 5000]))["buurtcode"])
    ['B', 'A', 'C']
    """
    keyed = rows.assign(
        _need=rows["need"].fillna(-1.0) if "need" in rows else -1.0,
        _residents=pd.Series(residents.to_numpy(), index=rows.index).fillna(-1.0),
    )
    ranked = keyed.sort_values(
        ["score", "_need", "_residents", "buurtcode"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    return ranked.drop(columns=["_need", "_residents"]).reset_index(drop=True)


def kansenlijsten(
    buurten: gpd.GeoDataFrame,
    grid: Grid,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    layers: tuple[str, ...] = tuple(LAYER_ADJECTIVES),
    filters: Filters | None = None,
    params: GapParams | None = None,
    centres: np.ndarray | None = None,
    workers: int = 2,
) -> dict[str, pd.DataFrame]:
    """The kansenlijst of several layers; the layers are ranked in parallel threads (the
    heavy work is numpy and scipy, which release the GIL)."""
    params = params or GapParams()
    inputs = _prepare(buurten, grid, initiatives, venues, filters, params, centres)
    if workers <= 1 or len(layers) == 1:
        return {layer: _rank_layer(inputs, layer) for layer in layers}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(
            zip(layers, pool.map(lambda layer: _rank_layer(inputs, layer), layers), strict=True)
        )


def kansenlijst(
    buurten: gpd.GeoDataFrame,
    grid: Grid,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    layer: str,
    filters: Filters | None = None,
    params: GapParams | None = None,
    centres: np.ndarray | None = None,
) -> pd.DataFrame:
    """The ranked list of buurten for one layer: highest score first, ties by buurtcode.

    ``initiatives`` are all initiatives; ``filters`` select which count as supply (their
    layer and werkgebied choices are ignored: see ``Filters.for_supply``). Columns:
    buurtcode, buurtnaam, wijknaam, werkgebied, layer, share_*min, nearest_m, count,
    per_1000, coverage, need, score, venues_nearby, empty_slots, reason.
    """
    return kansenlijsten(
        buurten, grid, initiatives, venues, (layer,), filters, params, centres, workers=1
    )[layer]


def share_of_residents(ranked: pd.DataFrame, buurten: pd.DataFrame, minutes: int) -> float | None:
    """The gemeente's share of inhabitants within ``minutes`` of the layer: each buurt's share
    within that time weighted by its inhabitants (CBS). None without inhabitant figures.

    >>> ranked = pd.DataFrame({"buurtcode": ["a", "b"], "share_10min": [1.0, 0.0]})
    >>> buurten = pd.DataFrame({"buurtcode": ["a", "b"], "inwoners": [300, 100]})
    >>> share_of_residents(ranked, buurten, 10)
    0.75
    """
    if "inwoners" not in buurten:
        return None
    residents = pd.to_numeric(buurten.set_index("buurtcode")["inwoners"], errors="coerce").reindex(
        ranked["buurtcode"]
    )
    shares = ranked.set_index("buurtcode")[f"share_{minutes}min"]
    known = residents.notna() & shares.notna()
    total = float(residents[known].sum())
    if total <= 0:
        return None
    return float((shares[known] * residents[known]).sum() / total)
