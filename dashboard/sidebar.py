"""The sidebar with every filter, rendered by one function for both views."""

from __future__ import annotations

import streamlit as st

from dashboard.labels import label, md
from dashboard.state import SPEEDS, format_weights, parse_weights
from socialbasis.analysis.need import DEFAULT_WEIGHTS, INDICATOR_BY_COLUMN, available_indicators
from socialbasis.dataset import Dataset
from socialbasis.i18n import N_, _, language
from socialbasis.vocab import (
    LAYER_HELP,
    Cost,
    Discipline,
    IndividualCollective,
    Layer,
    SupportActivation,
    TargetGroup,
    codes,
)

MODE_LABELS = {"aanbod": N_("Aanbod"), "kansen": N_("Kansenkaart"), "gegevens": N_("Gegevens")}
SPEED_LABELS = {"normaal": N_("Gemiddeld (4,8 km/u)"), "rollator": N_("Met rollator (3 km/u)")}


def layer_help() -> str:
    return "\n\n".join(f"**{label(layer.value)}**: {_(text)}" for layer, text in LAYER_HELP.items())


def weight_key(column: str) -> str:
    return f"gewicht_{column}"


def init_weight_widgets(dataset: Dataset) -> None:
    """Set the weight sliders from the URL's ``gewichten`` once per session."""
    weights = {**DEFAULT_WEIGHTS, **parse_weights(str(st.session_state.get("gewichten", "")))}
    for column in available_indicators(dataset.buurten):
        st.session_state.setdefault(weight_key(column), weights[column])


def _need_weights(dataset: Dataset) -> None:
    columns = available_indicators(dataset.buurten)
    if not columns:
        return
    with st.sidebar.expander(_("Gewichten voor behoefte")):
        st.caption(_("Hoe zwaar telt elk cijfer mee in de behoefte-index? 0 = niet."))
        for column in columns:
            st.slider(
                _(INDICATOR_BY_COLUMN[column].label), 0.0, 5.0, step=0.5, key=weight_key(column)
            )
    st.session_state["gewichten"] = format_weights(
        {column: st.session_state[weight_key(column)] for column in columns}
    )


def render_sidebar(dataset: Dataset, months: int = 12) -> None:
    """Filter widgets; their values live in ``st.session_state`` under the state keys."""
    sidebar = st.sidebar
    sidebar.radio(
        _("Weergave"),
        list(MODE_LABELS),
        format_func=lambda mode: _(MODE_LABELS[mode]),
        key="modus",
        horizontal=True,
    )
    kansen = st.session_state.get("modus") == "kansen"
    sidebar.header(_("Filters"))
    if kansen:
        sidebar.radio(
            _("Laag voor de kansenkaart"),
            codes(Layer),
            format_func=label,
            key="kanslaag",
            help=layer_help(),
        )
        sidebar.radio(
            _("Wandeltempo"),
            list(SPEEDS),
            format_func=lambda speed: _(SPEED_LABELS[speed]),
            key="tempo",
            help=_(
                "Hoe ver iemand in 5, 10 en 15 minuten loopt: 400/800/1200 m "
                "gemiddeld, 250/500/750 m met een rollator."
            ),
        )
    else:
        sidebar.multiselect(
            _("Laag van de sociale basis"),
            codes(Layer),
            format_func=label,
            key="laag",
            placeholder=_("Alle lagen"),
            help=layer_help(),
        )
    sidebar.multiselect(
        _("Hulpverlening of activering"),
        codes(SupportActivation),
        format_func=label,
        key="aanpak",
        placeholder=_("Allebei"),
    )
    sidebar.multiselect(
        _("Individueel of collectief"),
        codes(IndividualCollective),
        format_func=label,
        key="vorm",
        placeholder=_("Allebei"),
    )
    sidebar.multiselect(
        _("Soort activiteit"),
        codes(Discipline),
        format_func=label,
        key="discipline",
        placeholder=_("Alle soorten"),
    )
    sidebar.multiselect(
        _("Doelgroep"),
        codes(TargetGroup),
        format_func=label,
        key="doelgroep",
        placeholder=_("Alle doelgroepen"),
        help=_("Activiteiten voor 'iedereen' tellen bij elke doelgroep mee."),
    )
    werkgebied_help = (
        _(
            "Werkgebieden van de sociale wijkteams. Let op: dit is een indicatieve indeling, "
            "geen officiële."
        )
        if dataset.area_mapping.is_indicative
        else _("Indeling: {status}.").format(status=md(dataset.area_mapping.status))
    )
    sidebar.multiselect(
        _("Werkgebied (sociaal wijkteam)"),
        sorted(dataset.buurten["werkgebied"].unique()),
        key="werkgebied",
        placeholder=_("Alle werkgebieden"),
        help=werkgebied_help,
    )
    sidebar.multiselect(
        _("Kosten"),
        codes(Cost),
        format_func=label,
        key="kosten",
        placeholder=_("Gratis en betaald"),
    )
    sidebar.checkbox(_("Alleen wat loopt op een datum"), key="actief")
    sidebar.date_input(
        _("Datum"),
        key="datum",
        format="DD-MM-YYYY" if language() == "nl" else "DD/MM/YYYY",
        disabled=not st.session_state.get("actief", True),
    )
    if kansen:
        sidebar.toggle(
            _("Alleen aanbod dat de laatste {months} maanden is gecontroleerd").format(
                months=months
            ),
            key="gecontroleerd",
            help=_(
                "Telt alleen activiteiten waarvan iemand kortgeleden heeft bevestigd dat ze nog "
                "lopen, zodat verouderd aanbod geen gat kan verbergen."
            ),
        )
        _need_weights(dataset)
    sidebar.header(_("Kaart"))
    sidebar.toggle(_("Grenzen van wijken"), key="wijken")
    sidebar.toggle(_("Grenzen van werkgebieden"), key="werkgebieden")
