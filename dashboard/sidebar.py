"""The filter sidebar, rendered by one function for every mode."""

from __future__ import annotations

import streamlit as st

from dashboard.labels import label, md
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


def render_sidebar(dataset: Dataset) -> None:
    """Filter widgets; their values live in ``st.session_state`` under the state keys."""
    sidebar = st.sidebar
    sidebar.header("Filters")
    sidebar.multiselect(
        "Laag van de sociale basis",
        codes(Layer),
        format_func=label,
        key="laag",
        placeholder="Alle lagen",
        help="\n\n".join(f"**{label(layer.value)}**: {text}" for layer, text in LAYER_HELP.items()),
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
        "Kosten",
        codes(Cost),
        format_func=label,
        key="kosten",
        placeholder="Gratis en betaald",
    )
    sidebar.checkbox("Alleen wat loopt op een datum", key="actief")
    sidebar.date_input(
        "Datum", key="datum", format="DD-MM-YYYY", disabled=not st.session_state.get("actief", True)
    )
    sidebar.header("Kaart")
    sidebar.toggle("Grenzen van wijken", key="wijken")
    sidebar.toggle("Grenzen van werkgebieden", key="werkgebieden")
