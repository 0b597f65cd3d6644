"""Where to start, under the kansenlijst: the places that would reach the most people who have
nothing nearby now, and what starting something in a venue would change per buurt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.labels import md
from dashboard.popups import schedule_label
from socialbasis.access import EDIT
from socialbasis.analysis.filters import Filters
from socialbasis.analysis.gaps import GapParams
from socialbasis.analysis.planning import PlanEffect, PlannedActivity
from socialbasis.app import SocialBasis
from socialbasis.errors import SocialBasisError
from socialbasis.geo import to_wgs84
from socialbasis.i18n import _, day, language, ngettext, number, percent, using
from socialbasis.planning_report import CANDIDATE_KINDS
from socialbasis.schedule import DAGDELEN, WEEKDAYS, slot_code

SUGGESTION_KEY = "_voorstel"
ITEMS_KEY = "_plan_activiteiten"  # the plan being made: PlannedActivity, in order
LOADED_KEY = "_plan_geladen"  # the number of the saved plan loaded into the items
OPENED_KEY = "_plan_geopend"  # what the page says about the open plan
PLACE_KEY = "_plan_plek"  # (lat, lon, name): where the planned activity is considered


def render(
    core: SocialBasis, layer: str, filters: Filters, params: GapParams, plan: PlanState
) -> None:
    st.subheader(_("Waar beginnen?"))
    st.caption(
        _(
            "Een voorstel is een rekenvoorbeeld, geen besluit: bespreek het met de buurt, het "
            "wijkteam en de partners. Minuten lopen zijn gemeten {how}."
        ).format(how=_(params.walk.distances().label))
    )
    _suggestions(core, layer, filters, params)
    _what_if(core, layer, plan)


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


def pick_place(lat: float, lon: float) -> None:
    """A click on the kansenkaart while *Plek kiezen op de kaart* is on (a callback)."""
    _plan_at(round(lat, 6), round(lon, 6), _("de aangeklikte plek"))


def _plan_at(lat: float, lon: float, name: str) -> None:
    st.session_state[PLACE_KEY] = (lat, lon, name)
    st.session_state["plan_locatie"] = None


def _open_linked(core: SocialBasis) -> None:
    """A link with ``plan=N`` opens that saved plan (once; later changes are the user's)."""
    wanted = st.session_state.get("plan")
    if not wanted or st.session_state.get(LOADED_KEY) == wanted:
        return
    st.session_state[LOADED_KEY] = wanted
    try:
        saved = core.open_plan(int(wanted))
    except SocialBasisError as exc:
        st.error(md(exc))
        return
    if saved is None:
        st.warning(_("Plan {number} bestaat niet (meer).").format(number=wanted))
        st.session_state["plan"] = None
        return
    st.session_state[ITEMS_KEY] = list(saved.activities)
    st.session_state[PLACE_KEY] = None
    st.session_state[OPENED_KEY] = _("Plan '{name}' (nummer {number}) van {who}, {day}.").format(
        name=md(saved.name), number=saved.id, who=md(saved.created_by), day=day(saved.created_at)
    )


@dataclass(frozen=True)
class PlanState:
    """The plan of this run: its activities of the layer, the place being considered, and
    their effect (None when there is nothing planned, or when it could not be computed)."""

    items: list[PlannedActivity]
    considered: PlannedActivity | None
    effect: PlanEffect | None
    error: str | None = None

    @property
    def planned(self) -> list[PlannedActivity]:
        """The plan's activities and the one being considered (what the effect is of)."""
        return [*self.items, *([self.considered] if self.considered else [])]

    def points(self) -> tuple[tuple[float, float, str], ...]:
        """Where the planned activities are, with their names, for the map."""
        return tuple((a.lat, a.lon, a.name) for a in self.planned)

    def score_change(self, buurtcode: str) -> tuple[float, float] | None:
        """The buurt's score before and after the plan, when the plan changes it."""
        if self.effect is None:
            return None
        row = self.effect.table.set_index("buurtcode").loc[buurtcode]
        before, after = float(row["score_before"]), float(row["score_after"])
        return (before, after) if round(before) != round(after) else None


def prepare(
    core: SocialBasis,
    layer: str,
    filters: Filters,
    params: GapParams,
    ranked: pd.DataFrame | None = None,
) -> PlanState:
    """Open a linked plan, and compute what the plan changes (before the map is drawn, so
    the map and the buurt panel show it too); ``ranked``: the page's kansenlijst of every
    buurt, the "before"."""
    _open_linked(core)
    items = [a for a in st.session_state.get(ITEMS_KEY, []) if a.layer == layer]
    place = st.session_state.get(PLACE_KEY)
    considered = None
    if place is not None and not any((a.lat, a.lon) == place[:2] for a in items):
        lat, lon, name = place
        considered = PlannedActivity(
            _("Gepland in {venue}").format(venue=name),
            lat,
            lon,
            layer,
            filters.target_groups,
            ";".join(st.session_state.get("plan_dagdelen") or []),
        )
    plan = PlanState(items, considered, None)
    if not plan.planned:
        return plan
    try:
        effect = core.plan_effect(layer, plan.planned, filters, params, ranked)
    except SocialBasisError as exc:
        return PlanState(items, considered, None, md(exc))
    return PlanState(items, considered, effect)


def _what_if(core: SocialBasis, layer: str, plan: PlanState) -> None:
    venues = core.dataset().venues
    st.markdown(_("**Wat als we hier beginnen? Een plan**"))
    opened = st.session_state.get(OPENED_KEY)
    if opened:
        st.caption(opened)  # the parts from data are escaped already
    names = venues["name"].tolist()

    def _venue_chosen() -> None:
        chosen = st.session_state.get("plan_locatie")
        if chosen is None:
            return
        point = to_wgs84(venues.iloc[[chosen]]).geometry.iloc[0]
        st.session_state[PLACE_KEY] = (float(point.y), float(point.x), names[chosen])

    st.toggle(
        _("Plek kiezen op de kaart"),
        key="plan_klik",
        help=_("Een klik op de kaart zet daar een geplande activiteit neer (ook zonder internet)."),
    )
    st.selectbox(
        _("Locatie"),
        list(range(len(venues))),
        index=None,
        format_func=lambda i: names[i],
        placeholder=_("Kies een locatie, of reken een voorgestelde plek door"),
        key="plan_locatie",
        on_change=_venue_chosen,
    )
    st.multiselect(
        _("Wanneer (dagdelen)"),
        [slot_code(d, p) for d in range(len(WEEKDAYS)) for p in range(len(DAGDELEN))],
        format_func=schedule_label,
        key="plan_dagdelen",
        placeholder=_("Nog niet bekend"),
        help=_("Dan telt de activiteit mee in het weekoverzicht: welke lege dagdelen vult ze?"),
    )
    place = st.session_state.get(PLACE_KEY)
    if place is not None:
        st.caption(_("Gepland: een activiteit in deze laag bij {name}.").format(name=md(place[2])))
    if plan.considered is not None:
        st.button(
            _("Zet in het plan"),
            key="plan_toevoegen",
            on_click=_add_to_plan,
            args=(plan.considered,),
        )
    _plan_list(plan.items)
    if plan.error:
        st.error(plan.error)
        return
    if plan.effect is not None:
        _effect(plan.effect)
    _save(core, layer, plan.items)


def _effect(effect: PlanEffect) -> None:
    """What the plan changes: residents newly reached, and per buurt before and after."""
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
    columns = {
        _("Buurt"): changed["buurtnaam"],
        _("Score voor → na"): [
            f"{before:.0f} → {after:.0f}"
            for before, after in zip(changed["score_before"], changed["score_after"], strict=True)
        ],
        _("Plaats voor → na"): [
            f"{before} → {after}"
            for before, after in zip(changed["rank_before"], changed["rank_after"], strict=True)
        ],
    }
    for minutes in effect.bands:
        column = f"share_{minutes}min"
        columns[_("Binnen {minutes} min").format(minutes=minutes)] = [
            f"{percent(before)} → {percent(after)}"
            for before, after in zip(
                changed[f"{column}_before"], changed[f"{column}_after"], strict=True
            )
        ]
    if "slots_filled" in changed:
        columns[_("Dagdelen gevuld")] = changed["slots_filled"].astype(int)
    st.dataframe(
        pd.DataFrame(columns),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        _(
            "Berekend met het plan erbij als aanbod in de laag, met de filters van nu. "
            "Er is niets opgeslagen."
        )
    )


def _add_to_plan(activity: PlannedActivity) -> None:
    st.session_state[ITEMS_KEY] = [*st.session_state.get(ITEMS_KEY, []), activity]
    st.session_state[PLACE_KEY] = None
    st.session_state["plan_locatie"] = None


def _remove_from_plan(index: int) -> None:
    items = list(st.session_state.get(ITEMS_KEY, []))
    if 0 <= index < len(items):
        items.pop(index)
    st.session_state[ITEMS_KEY] = items


def _plan_list(items: list[PlannedActivity]) -> None:
    if not items:
        return
    st.markdown(
        ngettext(
            "Het plan heeft {count} activiteit:", "Het plan heeft {count} activiteiten:", len(items)
        ).format(count=len(items))
    )
    for index, activity in enumerate(items):
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f"- {md(activity.name)}")
        right.button(
            _("Haal weg"),
            key=f"plan_weg_{index}",
            on_click=_remove_from_plan,
            args=(index,),
        )


def _save(core: SocialBasis, layer: str, items: list[PlannedActivity]) -> None:
    """Save the plan under a name (someone signed in); the page's link then opens it."""
    if not items:
        return
    if not core.may(EDIT):
        st.caption(_("Een plan opslaan en delen kan wie is ingelogd."))
        return
    name = st.text_input(_("Naam van het plan"), key="plan_naam", max_chars=200)
    if st.button(_("Plan opslaan"), key="plan_opslaan", disabled=not name.strip()):
        try:
            number_ = core.save_plan(name, layer, items)
        except SocialBasisError as exc:
            st.error(md(exc))
            return
        st.session_state["plan"] = number_
        st.session_state[LOADED_KEY] = number_
        st.session_state[OPENED_KEY] = _("Plan '{name}' (nummer {number}).").format(
            name=md(name.strip()), number=number_
        )
        st.rerun()
    if st.session_state.get("plan"):
        st.caption(
            _(
                "Dit plan heeft nummer {number}. De link in de adresbalk opent het, ook voor "
                "wie niet is ingelogd."
            ).format(number=st.session_state["plan"])
        )


def pack_downloads(
    core: SocialBasis,
    layer: str,
    filters: Filters,
    params: GapParams,
    plan: PlanState,
    buurtcode: str,
    werkgebied: str,
) -> None:
    """The meeting pack of the buurt and of its werkgebied (PDF) and the map (PNG), made
    only when asked for (each takes a second or two)."""
    from socialbasis.report import map_png, meeting_pack_pdf

    code = language()
    planned = plan.planned

    def made(area: dict[str, str], pdf: bool) -> Callable[[], bytes]:
        def make() -> bytes:  # runs in another thread: the page's language goes along
            with using(code):
                content = core.meeting_pack(layer, filters, params, planned=planned, **area)
                return meeting_pack_pdf(content) if pdf else map_png(content)

        return make

    st.markdown(_("**Voor het gesprek**"))
    downloads = (  # label, area, PDF (else the map as PNG), file name, key
        (
            _("Gesprekskaart van de buurt (PDF)"),
            {"buurtcode": buurtcode},
            True,
            f"gesprekskaart_{buurtcode}_{layer}.pdf",
            "gesprekskaart_buurt",
        ),
        (
            _("Gesprekskaart van het werkgebied (PDF)"),
            {"werkgebied": werkgebied},
            True,
            f"gesprekskaart_werkgebied_{layer}.pdf",
            "gesprekskaart_werkgebied",
        ),
        (
            _("Kaart als PNG"),
            {"buurtcode": buurtcode},
            False,
            f"kaart_{buurtcode}_{layer}.png",
            "kaart_png",
        ),
    )
    for column, (title, area, pdf, file_name, key) in zip(
        st.columns(len(downloads)), downloads, strict=True
    ):
        column.download_button(
            title,
            made(area, pdf),
            file_name=file_name,
            mime="application/pdf" if pdf else "image/png",
            key=key,
        )
