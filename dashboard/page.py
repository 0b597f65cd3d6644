"""The dashboard page: reads state, asks the core for results, lays them out."""

from __future__ import annotations

from datetime import date

import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, sidebar, state
from dashboard.assets import missing_assets
from dashboard.labels import md
from dashboard.mapview import MapOptions, build_map
from dashboard.profile_view import render_profile
from socialbasis.analysis.filters import select_initiatives, select_venues
from socialbasis.analysis.profile import buurt_profile, counts_per_layer
from socialbasis.analysis.walking import DEFAULT_SPEED_KMH
from socialbasis.dataset import Dataset
from socialbasis.errors import SocialBasisError
from socialbasis.vocab import LAYER_LABELS, Layer

MAP_KEY = "kaart"


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
    st.session_state["_state_ready"] = True


def _values() -> dict[str, object]:
    return {key: st.session_state.get(key) for key in state.default_values(date.today())}


def _on_map_click() -> None:
    """A click on a buurt polygon selects that buurt (runs before the rerun)."""
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_active_drawing") or {}
    code = (clicked.get("properties") or {}).get("buurtcode")
    if code:
        st.session_state["buurt"] = code


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


def _metrics(initiatives, venues) -> None:
    counts = counts_per_layer(initiatives)
    columns = st.columns(5)
    columns[0].metric("Activiteiten", len(initiatives))
    for column, layer in zip(columns[1:4], Layer, strict=True):
        column.metric(LAYER_LABELS[layer], int(counts[layer.value]))
    columns[4].metric("Locaties", len(venues))


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
            "- Afstanden zijn in rechte lijn; looptijd bij "
            f"{DEFAULT_SPEED_KMH:g} km/u (5 min ≈ 400 m)."
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
    values = _values()
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

    initiatives = dataset.initiatives[
        select_initiatives(dataset.initiatives, dataset.buurten, filters)
    ]
    venues = dataset.venues[select_venues(dataset.venues, dataset.buurten, filters)]
    _metrics(initiatives, venues)

    map_column, profile_column = st.columns([3, 2], gap="medium")
    with map_column:
        options = MapOptions(
            tile_url=settings.tile_url,
            tile_attribution=settings.tile_attribution,
            show_wijken=bool(values["wijken"]),
            show_werkgebieden=bool(values["werkgebieden"]),
        )
        fmap = build_map(dataset, initiatives, venues, options, values["buurt"])  # type: ignore[arg-type]
        st_folium(
            fmap,
            key=MAP_KEY,
            height=640,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
            on_change=_on_map_click,
        )
    with profile_column:
        names = dataset.buurten.set_index("buurtcode")
        st.selectbox(
            "Buurt",
            list(dataset.buurten["buurtcode"]),
            key="buurt",
            format_func=lambda c: f"{names.at[c, 'buurtnaam']} ({names.at[c, 'wijknaam']})",
            placeholder="Klik op de kaart of zoek een buurt",
        )
        if values["buurt"]:
            other_layers = select_initiatives(
                dataset.initiatives, dataset.buurten, filters.without_layers()
            )
            profile = buurt_profile(
                dataset.buurten,
                str(values["buurt"]),
                dataset.initiatives[other_layers],
                venues,
                DEFAULT_SPEED_KMH,
            )
            render_profile(
                profile, DEFAULT_SPEED_KMH, dataset.area_mapping.is_indicative, filters.layers
            )
        else:
            st.info(
                "Klik op een buurt in de kaart, of kies een buurt hierboven, om te zien "
                "wat er is en wat er ontbreekt."
            )
    _sources(dataset)
