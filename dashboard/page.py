"""The dashboard page: reads state, asks the core for results, lays them out."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import aanbod_view, data, kansen_view, sidebar, state
from dashboard.assets import missing_assets
from dashboard.labels import md
from socialbasis.dataset import Dataset
from socialbasis.errors import SocialBasisError


def _init_state(dataset: Dataset, today: date) -> None:
    """Copy the URL into the widgets once per session; later the widgets lead."""
    if st.session_state.get("_state_ready"):
        return
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    view = state.from_query(
        query,
        sorted(dataset.buurten["werkgebied"].unique()),
        list(dataset.buurten["buurtcode"]),
        today,
    )
    for key, value in view.values.items():
        st.session_state[key] = value
    st.session_state["_ignored_url_values"] = view.ignored
    sidebar.init_weight_widgets(dataset)
    st.session_state["_state_ready"] = True


def _values(today: date) -> dict[str, object]:
    return {key: st.session_state.get(key) for key in state.default_values(today)}


def _banners(dataset: Dataset) -> None:
    if dataset.listings_are_examples:
        st.warning(
            "**Voorbeelddata.** De activiteiten en locaties op deze kaart zijn verzonnen, om te "
            "laten zien hoe de kaart werkt. De buurtgrenzen zijn echt (CBS). Laad echte "
            "gegevens om de echte sociale basis te zien.",
            icon="⚠️",
        )
    if dataset.area_mapping.is_indicative:
        st.info(
            "De werkgebieden van de sociale wijkteams zijn een **indicatieve indeling**, niet de "
            "officiële. Laad de indeling van de gemeente om dit te vervangen.",
            icon="ℹ️",
        )
    ignored = st.session_state.get("_ignored_url_values") or []
    if ignored:
        st.caption("Niet gebruikt uit de link: " + ", ".join(md(value) for value in ignored))


def _supply_source(dataset: Dataset, values: dict[str, object]) -> str:
    rows = dataset.provenance[dataset.provenance["what"] == "aanbod"]
    source = rows["source"].iloc[0] if len(rows) else "aanbod"
    on = (
        f"wat loopt op {values['datum']:%d-%m-%Y}"
        if values["actief"]  # type: ignore[str-format]
        else "alles, ook wat gestopt is of nog moet beginnen"
    )
    return f"Bron aanbod: {source}; {on}."


def _sources(dataset: Dataset) -> None:
    with st.expander("Bronnen en uitleg"):
        st.dataframe(
            dataset.provenance.rename(
                columns={
                    "what": "Wat",
                    "source": "Bron",
                    "url": "Adres",
                    "licence": "Licentie",
                    "year": "Jaar",
                    "retrieved": "Opgehaald",
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.markdown(
            "- Buurtgrenzen: CBS/Kadaster, vereenvoudigd voor kaarten op buurtniveau.\n"
            "- Wijk-, gemeente- en werkgebiedgrenzen zijn samengevoegde buurten.\n"
            "- Achtergrondkaart: © OpenStreetMap-bijdragers (alleen met internet).\n"
            "- Afstanden zijn in rechte lijn. Looptijd bij 4,8 km/u: 5 min ≈ 400 m, "
            "10 min ≈ 800 m, 15 min ≈ 1200 m; met rollator (3 km/u) 250, 500 en 750 m.\n"
            "- Kansscore: 100 × (1 − dekking) × (½ + ½ × behoefte); dekking is het gemiddelde "
            "deel van de buurt binnen 5, 10 en 15 minuten lopen van de laag. Zonder cijfers "
            "over behoefte: 100 × (1 − dekking). Zie de README voor de hele uitleg."
        )


def main() -> None:
    st.set_page_config(page_title="Sociale Basis Kaart", page_icon="🗺️", layout="wide")
    today = date.today()
    try:
        settings = data.settings()
        dataset = data.dataset(settings)
    except SocialBasisError as exc:
        st.error(f"De gegevens konden niet worden geladen.\n\n{md(exc)}")
        st.stop()

    _init_state(dataset, today)
    sidebar.render_sidebar(dataset)
    values = _values(today)
    st.query_params.from_dict(state.to_query(values, today))
    filters = state.filters_from_values(values)

    st.title(f"Sociale Basis Kaart · {dataset.gemeentenaam}")
    st.caption(
        "Waar is de sociale basis sterk, en waar zijn kansen? Persoonlijk, gemeenschappelijk, "
        "institutioneel: per buurt."
    )
    _banners(dataset)
    missing = missing_assets()
    if missing:
        st.error(
            "De kaartbestanden zijn niet geïnstalleerd (draai scripts/install_assets.sh): "
            + ", ".join(missing)
        )
    if values["modus"] == "kansen":
        kansen_view.render(dataset, data.analysis_base(settings), settings, values, filters)
    else:
        aanbod_view.render(dataset, settings, values, filters, _supply_source(dataset, values))
    _sources(dataset)
