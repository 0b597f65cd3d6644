"""Where to start, under the kansenlijst: the places that would reach the most people who have
nothing nearby now, and what starting something in a venue would change per buurt."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.labels import md
from socialbasis.analysis.filters import Filters
from socialbasis.analysis.gaps import GapParams
from socialbasis.analysis.planning import PlannedActivity
from socialbasis.app import SocialBasis
from socialbasis.errors import SocialBasisError
from socialbasis.geo import to_wgs84
from socialbasis.i18n import _, number, percent
from socialbasis.planning_report import CANDIDATE_KINDS

SUGGESTION_KEY = "_voorstel"
PLACE_KEY = "_plan_plek"  # (lat, lon, name): where the planned activity is considered


def render(core: SocialBasis, layer: str, filters: Filters, params: GapParams) -> None:
    st.subheader(_("Waar beginnen?"))
    st.caption(
        _(
            "Een voorstel is een rekenvoorbeeld, geen besluit: bespreek het met de buurt, het "
            "wijkteam en de partners."
        )
    )
    _suggestions(core, layer, filters, params)
    _what_if(core, layer, filters, params)


def _suggestions(core: SocialBasis, layer: str, filters: Filters, params: GapParams) -> None:
    left, right = st.columns(2)
    among = left.radio(
        _("Kies uit"),
        list(CANDIDATE_KINDS),
        format_func=lambda kind: _(CANDIDATE_KINDS[kind]),
        key="voorstel_uit",
    )
    count = right.selectbox(_("Aantal plekken"), [1, 2, 3, 4, 5], index=2, key="voorstel_aantal")
    asked = (layer, repr(filters), repr(params), among, count, core.data_version())
    if st.button(_("Stel plekken voor"), key="voorstel_knop"):
        try:
            with st.spinner(_("Plekken zoeken...")):
                st.session_state[SUGGESTION_KEY] = (
                    asked,
                    core.suggest(layer, filters, params, count, among),
                )
        except SocialBasisError as exc:
            st.error(md(exc))
            return
    kept = st.session_state.get(SUGGESTION_KEY)
    if kept is None or kept[0] != asked:
        return
    report = kept[1]
    st.caption(md(report.maximised))
    if not report.optimal:
        st.warning(_("De rekentijd was op: dit is de beste keuze die tot dan gevonden was."))
    st.dataframe(
        pd.DataFrame(
            {
                _("Nr"): report.places["rank"],
                _("Uitleg"): report.places["text"],
                _("Breedtegraad"): report.places["lat"],
                _("Lengtegraad"): report.places["lon"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    columns = st.columns(len(report.places))
    for column, row in zip(columns, report.places.itertuples(), strict=True):
        name = row.venue or _("voorgestelde plek {rank}").format(rank=row.rank)
        column.button(
            _("Reken plek {rank} door").format(rank=row.rank),
            key=f"voorstel_door_{row.rank}",
            on_click=_plan_at,
            args=(row.lat, row.lon, name),
            help=_("Laat hieronder zien wat een activiteit op deze plek verandert."),
        )


def _plan_at(lat: float, lon: float, name: str) -> None:
    st.session_state[PLACE_KEY] = (lat, lon, name)
    st.session_state["plan_locatie"] = None


def _what_if(core: SocialBasis, layer: str, filters: Filters, params: GapParams) -> None:
    venues = core.dataset().venues
    st.markdown(_("**Wat als we in een locatie beginnen?**"))
    names = venues["name"].tolist()

    def _venue_chosen() -> None:
        chosen = st.session_state.get("plan_locatie")
        if chosen is None:
            return
        point = to_wgs84(venues.iloc[[chosen]]).geometry.iloc[0]
        st.session_state[PLACE_KEY] = (float(point.y), float(point.x), names[chosen])

    st.selectbox(
        _("Locatie"),
        list(range(len(venues))),
        index=None,
        format_func=lambda i: names[i],
        placeholder=_("Kies een locatie, of reken een voorgestelde plek door"),
        key="plan_locatie",
        on_change=_venue_chosen,
    )
    place = st.session_state.get(PLACE_KEY)
    if place is None:
        return
    lat, lon, name = place
    st.caption(_("Gepland: een activiteit in deze laag bij {name}.").format(name=md(name)))
    planned = PlannedActivity(
        _("Gepland in {venue}").format(venue=name), lat, lon, layer, filters.target_groups
    )
    try:
        effect = core.plan_effect(layer, [planned], filters, params)
    except SocialBasisError as exc:
        st.error(md(exc))
        return
    table = effect.table
    changed = table[(table["newly_share"] > 0) | (table["rank_before"] != table["rank_after"])]
    changed = changed.sort_values("newly_share", ascending=False)
    if effect.residents_known:
        st.metric(
            _("Inwoners nieuw binnen {minutes} minuten").format(minutes=effect.minutes),
            number(effect.newly_reached, 0),
            help=_("Het nieuw bereikte deel van elke buurt maal de inwoners van de buurt (CBS)."),
        )
    else:
        st.metric(
            _("Hectare nieuw binnen {minutes} minuten").format(minutes=effect.minutes),
            number(effect.newly_reached / 10_000, 1),
            help=_("Er zijn geen inwonersaantallen; daarom telt de oppervlakte."),
        )
    if not len(changed):
        st.info(_("Hier verandert er niets: deze plek ligt al dicht bij aanbod in deze laag."))
        return
    middle = f"share_{effect.minutes}min"
    st.dataframe(
        pd.DataFrame(
            {
                _("Buurt"): changed["buurtnaam"],
                _("Score voor"): changed["score_before"].round(0),
                _("Score na"): changed["score_after"].round(0),
                _("Plaats voor"): changed["rank_before"],
                _("Plaats na"): changed["rank_after"],
                _("Binnen {minutes} min voor").format(minutes=effect.minutes): [
                    percent(v) for v in changed[f"{middle}_before"]
                ],
                _("Binnen {minutes} min na").format(minutes=effect.minutes): [
                    percent(v) for v in changed[f"{middle}_after"]
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        _(
            "Berekend met deze activiteit erbij als aanbod in de laag, met de filters van nu. "
            "Er is niets opgeslagen."
        )
    )
