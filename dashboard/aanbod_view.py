"""The supply view: what is where, per layer, and a buurt's profile."""

from __future__ import annotations

import itertools

import streamlit as st

from dashboard import data, edit_view
from dashboard.map_component import address_search, buurt_selectbox, listing_search, show_map
from dashboard.mapview import Choropleth, MapOptions, build_view
from dashboard.profile_view import render_profile
from socialbasis.access import EDIT
from socialbasis.analysis.compare import compare_buurten
from socialbasis.analysis.distances import distances_for
from socialbasis.analysis.filters import Filters, select_initiatives, select_venues
from socialbasis.analysis.profile import buurt_profile, counts_per_layer, supply_per_buurt
from socialbasis.analysis.walking import DEFAULT_SPEED_KMH
from socialbasis.dataset import Dataset
from socialbasis.figures import figure_sources, figure_table
from socialbasis.i18n import _, number
from socialbasis.settings import Settings
from socialbasis.vocab import Layer, label

# Light greens: the buurt's shading never hides a marker (black outlines stay 3:1 or more).
SUPPLY_COLOURS = ("#f7fcf5", "#d9f0d3", "#a6dba0", "#5aae61")


def supply_choropleth(dataset: Dataset, initiatives) -> Choropleth:
    """Shading per buurt by the activities shown (with the filters): per 1,000 residents
    when the key figures give residents, else a count; classes by quartile."""
    supply = supply_per_buurt(dataset.buurten, initiatives)
    values = supply.values.dropna()
    edges = sorted({round(float(q), 1) for q in values.quantile([0, 0.25, 0.5, 0.75, 1])})
    if len(edges) < 2:
        edges = [0.0, max(edges[-1] if edges else 0.0, 1.0)]
    title = _("Activiteiten per 1.000 inwoners") if supply.per_1000 else _("Activiteiten per buurt")
    source = _("Met de filters links.")
    if supply.per_1000:
        source += " Inwoners: " + "; ".join(figure_sources(dataset.figures, ["inwoners"])) + "."
    return Choropleth(
        values=supply.values.to_dict(),
        bins=tuple(edges),
        colours=SUPPLY_COLOURS[: len(edges) - 1],
        title=title,
        source=source,
        labels=tuple(f"{number(lo)} – {number(hi)}" for lo, hi in itertools.pairwise(edges)),
    )


def _metrics(initiatives, venues, source: str) -> None:
    counts = counts_per_layer(initiatives)
    columns = st.container(key="kengetallen").columns(5)
    columns[0].metric(_("Activiteiten"), len(initiatives))
    for column, layer in zip(columns[1:4], Layer, strict=True):
        column.metric(label(layer), int(counts[layer.value]))
    columns[4].metric(_("Locaties"), len(venues))
    st.caption(source)


def render(
    dataset: Dataset, settings: Settings, values: dict[str, object], filters: Filters, source: str
) -> None:
    initiatives = dataset.initiatives[
        select_initiatives(dataset.initiatives, dataset.buurten, filters)
    ]
    venues = dataset.venues[select_venues(dataset.venues, dataset.buurten, filters)]
    _metrics(initiatives, venues, source)
    core = data.core(settings)
    editing = core.may(EDIT)
    map_column, profile_column = st.columns([3, 2], gap="medium")
    with map_column:
        options = MapOptions(
            place=st.session_state.get(edit_view.PLACE_KEY) if editing else None,
            tile_url=settings.tile_url,
            tile_attribution=settings.tile_attribution,
            show_wijken=bool(values["wijken"]),
            show_werkgebieden=bool(values["werkgebieden"]),
            choropleth=supply_choropleth(dataset, initiatives),
        )
        prepared = data.map_data(settings, data.shows_contact_person(settings))
        chosen = str(values["buurt"]) if values["buurt"] else None
        show_map(
            build_view(dataset, initiatives, venues, options, chosen, prepared),
            on_pick=edit_view.pick_place if editing else None,
        )
        if editing:
            with st.container(key="bewerken"):
                edit_view.render(core)
    with profile_column:
        buurt_selectbox(dataset.buurten)
        listing_search(dataset)
        address_search(core)
        if not values["buurt"]:
            st.info(
                _(
                    "Klik op een buurt in de kaart, of kies een buurt hierboven, om te zien "
                    "wat er is en wat er ontbreekt."
                )
            )
            return
        supply = select_initiatives(dataset.initiatives, dataset.buurten, filters.for_supply())
        profile = buurt_profile(
            dataset.buurten,
            str(values["buurt"]),
            dataset.initiatives[supply],
            venues,
            DEFAULT_SPEED_KMH,
            distances_for(dataset.network),
        )
        row = dataset.buurten.set_index("buurtcode").loc[str(values["buurt"])]
        render_profile(
            profile,
            DEFAULT_SPEED_KMH,
            dataset.area_mapping.is_indicative,
            filters.layers,
            source,
            figure_table(row, dataset.figures),
            data.shows_contact_person(settings),
            over_street=dataset.network is not None,
        )
        _compare(dataset, str(values["buurt"]), dataset.initiatives[supply], venues)


def _compare(dataset: Dataset, code: str, initiatives, venues) -> None:
    """The open buurt beside another one of choice."""
    names = dataset.buurten.set_index("buurtcode")["buurtnaam"]
    with st.expander(_("Vergelijk met een andere buurt")):
        other = st.selectbox(
            _("Andere buurt"),
            [c for c in dataset.buurten["buurtcode"] if c != code],
            index=None,
            format_func=lambda c: f"{names[c]} ({c})",
            placeholder=_("Kies een buurt om naast deze te zetten"),
            key="vergelijk",
        )
        if other is None:
            return
        table = compare_buurten(
            dataset.buurten,
            dataset.figures,
            initiatives,
            venues,
            [code, other],
            distances=distances_for(dataset.network),
        )
        st.dataframe(table, hide_index=True, width="stretch")
        st.caption(
            _(
                "Activiteiten met de filters links; afstanden {how} vanaf het midden van de buurt."
            ).format(how=dataset.distance_label)
        )
