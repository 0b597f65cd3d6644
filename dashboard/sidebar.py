"""The sidebar with every filter, rendered by one function for both views."""

from __future__ import annotations

import streamlit as st

from dashboard.labels import label, md
from dashboard.state import SPEEDS, format_weights, parse_weights
from socialbasis.analysis.need import DEFAULT_WEIGHTS, INDICATOR_BY_COLUMN, available_indicators
from socialbasis.dataset import Dataset
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

MODE_LABELS = {"aanbod": "Aanbod", "kansen": "Kansenkaart", "gegevens": "Gegevens"}
SPEED_LABELS = {"normaal": "Gemiddeld (4,8 km/u)", "rollator": "Met rollator (3 km/u)"}
LAYER_HELP_TEXT = "\n\n".join(
    f"**{label(layer.value)}**: {text}" for layer, text in LAYER_HELP.items()
)


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
    with st.sidebar.expander("Gewichten voor behoefte"):
        st.caption("Hoe zwaar telt elk cijfer mee in de behoefte-index? 0 = niet.")
        for column in columns:
            st.slider(INDICATOR_BY_COLUMN[column].label, 0.0, 5.0, step=0.5, key=weight_key(column))
    st.session_state["gewichten"] = format_weights(
        {column: st.session_state[weight_key(column)] for column in columns}
    )


def render_sidebar(dataset: Dataset) -> None:
    """Filter widgets; their values live in ``st.session_state`` under the state keys."""
    sidebar = st.sidebar
    sidebar.radio(
        "Weergave", list(MODE_LABELS), format_func=MODE_LABELS.get, key="modus", horizontal=True
    )
    kansen = st.session_state.get("modus") == "kansen"
    sidebar.header("Filters")
    if kansen:
        sidebar.radio(
            "Laag voor de kansenkaart",
            codes(Layer),
            format_func=label,
            key="kanslaag",
            help=LAYER_HELP_TEXT,
        )
        sidebar.radio(
            "Wandeltempo",
            list(SPEEDS),
            format_func=SPEED_LABELS.get,
            key="tempo",
            help="Hoe ver iemand in 5, 10 en 15 minuten loopt: 400/800/1200 m "
            "gemiddeld, 250/500/750 m met een rollator.",
        )
    else:
        sidebar.multiselect(
            "Laag van de sociale basis",
            codes(Layer),
            format_func=label,
            key="laag",
            placeholder="Alle lagen",
            help=LAYER_HELP_TEXT,
        )
    sidebar.multiselect(
        "Hulpverlening of activering",
        codes(SupportActivation),
        format_func=label,
        key="aanpak",
        placeholder="Allebei",
    )
    sidebar.multiselect(
        "Individueel of collectief",
        codes(IndividualCollective),
        format_func=label,
        key="vorm",
        placeholder="Allebei",
    )
    sidebar.multiselect(
        "Soort activiteit",
        codes(Discipline),
        format_func=label,
        key="discipline",
        placeholder="Alle soorten",
    )
    sidebar.multiselect(
        "Doelgroep",
        codes(TargetGroup),
        format_func=label,
        key="doelgroep",
        placeholder="Alle doelgroepen",
        help="Activiteiten voor 'iedereen' tellen bij elke doelgroep mee.",
    )
    werkgebied_help = (
        "Werkgebieden van de sociale wijkteams. Let op: dit is een indicatieve indeling, "
        "geen officiële."
        if dataset.area_mapping.is_indicative
        else f"Indeling: {md(dataset.area_mapping.status)}."
    )
    sidebar.multiselect(
        "Werkgebied (sociaal wijkteam)",
        sorted(dataset.buurten["werkgebied"].unique()),
        key="werkgebied",
        placeholder="Alle werkgebieden",
        help=werkgebied_help,
    )
    sidebar.multiselect(
        "Kosten", codes(Cost), format_func=label, key="kosten", placeholder="Gratis en betaald"
    )
    sidebar.checkbox("Alleen wat loopt op een datum", key="actief")
    sidebar.date_input(
        "Datum", key="datum", format="DD-MM-YYYY", disabled=not st.session_state.get("actief", True)
    )
    if kansen:
        _need_weights(dataset)
    sidebar.header("Kaart")
    sidebar.toggle("Grenzen van wijken", key="wijken")
    sidebar.toggle("Grenzen van werkgebieden", key="werkgebieden")
