"""Showing a folium map in the page; a click on a buurt selects it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard.labels import md
from dashboard.mapview import MapView
from socialbasis.app import SocialBasis
from socialbasis.dataset import Dataset
from socialbasis.errors import SocialBasisError
from socialbasis.i18n import _

MAP_KEY = "kaart"
PICKING_KEY = "_kaart_kiest_plek"
# Where the skip link before the map leads: the buurt choice (the map's keyboard route).
AFTER_MAP_ID = "buurtkeuze"


def _on_map_click() -> None:
    """Runs before the rerun, so it may set the buurt select box's value (and, for an editor
    choosing a place, the form's coordinates)."""
    returned = st.session_state.get(MAP_KEY) or {}
    clicked = returned.get("last_active_drawing") or {}
    code = (clicked.get("properties") or {}).get("buurtcode")
    if code:
        st.session_state["buurt"] = code
    point = returned.get("last_clicked")
    pick = st.session_state.get(PICKING_KEY)
    if point and pick is not None:
        pick(float(point["lat"]), float(point["lng"]))


def show_map(
    view: MapView, height: int = 640, on_pick: Callable[[float, float], None] | None = None
) -> None:
    """The map; a click opens the buurt clicked, and ``on_pick`` (if given) gets the spot
    clicked (lat, lon): an editor's place, or a planned activity's."""
    st.session_state[PICKING_KEY] = on_pick
    st.markdown(
        _(
            '<a class="sbk-skip" href="#{after_map_id}">Sla de kaart over: naar de buurtkeuze</a>'
        ).format(after_map_id=AFTER_MAP_ID),
        unsafe_allow_html=True,
    )
    # Only clicks come back: panning and zooming do not rerun the page. The base
    # stays the same, so a change of filters swaps only the layers in the map the browser
    # already shows (no new frame, no reloading of Leaflet, the view kept).
    st_folium(
        view.base,
        feature_group_to_add=view.layers,
        key=MAP_KEY,
        height=height,
        use_container_width=True,
        # Fixed for the map's life (the frame keeps what it was first given): the spot
        # clicked always comes back, and is used only while an editor chooses a place.
        returned_objects=["last_active_drawing", "last_clicked"],
        on_change=_on_map_click,
    )


def buurt_selectbox(buurten: pd.DataFrame) -> None:
    """The searchable buurt choice that goes with the map (state key ``buurt``)."""
    names = buurten.set_index("buurtcode")
    st.markdown(f'<span id="{AFTER_MAP_ID}"></span>', unsafe_allow_html=True)
    st.selectbox(
        _("Buurt"),
        list(buurten["buurtcode"]),
        key="buurt",
        format_func=lambda c: f"{names.at[c, 'buurtnaam']} ({names.at[c, 'wijknaam']})",
        placeholder=_("Klik op de kaart of zoek een buurt"),
    )


def listing_search(dataset: Dataset) -> None:
    """Find a buurt by what is in it: the name of an activity or a venue (works offline).
    Choosing one opens its buurt."""
    listings = pd.concat(
        [
            dataset.initiatives[["name", "buurtcode"]].assign(soort="activiteit"),
            dataset.venues[["name", "buurtcode"]].assign(soort="locatie"),
        ],
        ignore_index=True,
    ).dropna(subset=["buurtcode"])
    if not len(listings):
        return
    names = dataset.buurten.set_index("buurtcode")["buurtnaam"]
    labels, buurten = {}, {}
    for position, row in enumerate(listings.itertuples()):
        key = f"{row.soort}:{position}"
        kind = _("activiteit") if row.soort == "activiteit" else _("locatie")
        labels[key] = f"{row.name} ({kind}, {names.get(row.buurtcode, '')})"
        buurten[key] = row.buurtcode

    def _open() -> None:
        chosen = st.session_state.get("zoek_aanbod")
        if chosen in buurten:
            st.session_state["buurt"] = buurten[chosen]

    st.selectbox(
        _("Zoek een activiteit of locatie"),
        list(labels),
        index=None,
        key="zoek_aanbod",
        format_func=labels.get,
        placeholder=_("Typ een naam; de buurt gaat open"),
        on_change=_open,
    )


def address_search(core: SocialBasis) -> None:
    """Find a buurt by an address or postcode (PDOK Locatieserver; needs internet or the
    cache). The answer says what was found and where, or why nothing was opened."""

    def _find() -> None:
        text = (st.session_state.get("zoek_adres") or "").strip()
        st.session_state["zoek_adres_uitkomst"] = None
        if not text:
            return
        try:
            hit = core.find_address(text)
        except SocialBasisError as exc:
            st.session_state["zoek_adres_uitkomst"] = (
                "error",
                _("Zoeken lukte niet: {exc}").format(exc=exc),
            )
            return
        if hit.label is None:
            st.session_state["zoek_adres_uitkomst"] = (
                "info",
                _("Niets gevonden voor '{text}'.").format(text=text),
            )
        elif hit.buurtcode is None:
            message = _("{label} ligt niet in deze gemeente.").format(label=hit.label)
            st.session_state["zoek_adres_uitkomst"] = ("info", message)
        else:
            st.session_state["buurt"] = hit.buurtcode
            st.session_state["zoek_adres_uitkomst"] = (
                "success",
                _("{label}: buurt geopend.").format(label=hit.label),
            )

    st.text_input(
        _("Zoek een adres of postcode"),
        key="zoek_adres",
        placeholder=_("Bijvoorbeeld 1503 AB of Stationsstraat 1 Zaandam"),
        help=_("Zoekt bij de PDOK Locatieserver (internet nodig)."),
        on_change=_find,
    )
    outcome = st.session_state.get("zoek_adres_uitkomst")
    if outcome:
        kind, message = outcome
        getattr(st, kind)(md(message))
