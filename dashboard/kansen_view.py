"""The kansenkaart: where is the sociale basis thin, and where (and with whom) to start."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import data, plan_view
from dashboard.data import AnalysisBase
from dashboard.labels import contact_text, label, md
from dashboard.map_component import address_search, buurt_selectbox, listing_search, show_map
from dashboard.mapview import Choropleth, MapOptions, build_view
from dashboard.popups import schedule_label, target_groups_label
from dashboard.state import DISTANCES, SPEEDS, parse_weights
from socialbasis.analysis.coverage import WalkParams
from socialbasis.analysis.distances import Distances
from socialbasis.analysis.filters import Filters, select_initiatives
from socialbasis.analysis.gaps import (
    LAYER_ADJECTIVES,
    SCORE_BINS,
    SCORE_COLOURS,
    SCORE_LABELS,
    GapParams,
    kansenlijst,
    score_explanation,
    share_of_residents,
)
from socialbasis.analysis.grid import Grid
from socialbasis.analysis.need import available_indicators, need_basis_text
from socialbasis.analysis.partners import partners_nearby, within_distance
from socialbasis.analysis.timeslots import buurt_slot_shares, buurt_slot_table
from socialbasis.choices import ORDER_TEXT
from socialbasis.dataset import Dataset
from socialbasis.export import csv_bytes, excel_csv_bytes, gaps_table
from socialbasis.figures import figure_sources, figure_table
from socialbasis.i18n import N_, _, day, percent
from socialbasis.schedule import DAGDEEL_LABELS, WEEKDAY_LABELS
from socialbasis.settings import Settings

if TYPE_CHECKING:
    import altair as alt

# Names get a fixed, modest width so that distance, capacity, layer, for whom and when stay
# in view beside them (key columns first, long text last).
NARROW_NAMES = (N_("Locatie"), N_("Activiteit"), N_("Naam"), N_("Organisatie"))


def narrow_name() -> dict[str, object]:
    return {_(name): st.column_config.TextColumn(_(name), width="medium") for name in NARROW_NAMES}


def score_source(dataset: Dataset, need_columns: list[str], on: str) -> str:
    parts = [
        _("Aanbod: {source_of} ({on})").format(
            source_of=dataset.source_of("aanbod", "geen"), on=on
        ),
        f"{dataset.boundary_attribution}",
    ]
    sources = figure_sources(dataset.figures, need_columns)
    parts.append(_("Behoefte: ") + ("; ".join(sources) if sources else _("niet geladen")))
    parts.append(
        _("Dekking naar inwoners: {label}").format(label=dataset.population.label)
        if dataset.population is not None
        else _("Dekking naar oppervlakte (geen bevolkingsraster geladen)")
    )
    parts.append(
        _("Afstanden over straat: {source}, © OpenStreetMap-bijdragers (ODbL)").format(
            source=dataset.source_of("netwerk")
        )
        if dataset.network is not None
        else _("Afstanden in rechte lijn (geen loopnetwerk ingelezen)")
    )
    return ". ".join(parts)


def _slot_chart(table: pd.DataFrame, minutes: int) -> alt.Chart:
    import altair as alt  # only when a chart is drawn: a faster first page

    data = table.rename(
        index=dict(zip(table.index, map(_, WEEKDAY_LABELS), strict=True)),
        columns=dict(zip(table.columns, map(_, DAGDEEL_LABELS), strict=True)),
    )
    long = data.reset_index(names="dag").melt("dag", var_name="dagdeel", value_name="aandeel")
    long["procent"] = (long["aandeel"] * 100).round(0)
    base = alt.Chart(long).encode(
        x=alt.X(
            "dagdeel:N",
            sort=list(data.columns),
            title=None,
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y(
            "dag:N",
            sort=[_(day) for day in WEEKDAY_LABELS],
            title=None,
            axis=alt.Axis(labelOverlap=False),
        ),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "procent:Q",
            title=_("% binnen {minutes} min").format(minutes=minutes),
            scale=alt.Scale(domain=[0, 100], scheme="blues"),
        ),
        tooltip=[
            alt.Tooltip("dag:N", title=_("Dag")),
            alt.Tooltip("dagdeel:N", title=_("Dagdeel")),
            alt.Tooltip("procent:Q", title=_("% van de buurt")),
        ],
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("procent:Q", format=".0f"),
        color=alt.condition("datum.procent > 50", alt.value("white"), alt.value("black")),
    )
    return (cells + text).properties(height=250)


def _open_chosen_row(codes: list[str]) -> None:
    """A chosen row of the kansenlijst opens its buurt (runs before the rerun, so it may set
    the buurt box)."""
    selection = st.session_state.get("kansenlijst_tabel")
    rows = selection.selection.rows if selection else []
    if rows:
        st.session_state["buurt"] = codes[rows[0]]


def _ranked_table(ranked: pd.DataFrame, how: str) -> pd.DataFrame:
    """The kansenlijst as shown; ``how``: "over straat" or "in rechte lijn"."""
    table = pd.DataFrame(
        {
            _("Buurt"): ranked["buurtnaam"],
            _("Wijk"): ranked["wijknaam"],
            _("Werkgebied"): ranked["werkgebied"],
            _("Kansscore"): ranked["score"].round(0),
            _("Binnen 5 min (%)"): (ranked["share_5min"] * 100).round(0),
            _("Binnen 10 min (%)"): (ranked["share_10min"] * 100).round(0),
            _("Binnen 15 min (%)"): (ranked["share_15min"] * 100).round(0),
            _("Dichtstbij (m, {how})").format(how=how): ranked["nearest_m"].round(-1),
            _("In de buurt"): ranked["count"],
            _("Locaties dichtbij"): ranked["venues_nearby"],
            _("Lege dagdelen"): ranked["empty_slots"],
            _("Behoefte (0-1)"): ranked["need"].round(2),
            _("Hoog in de gemeente"): ranked["need_text"].str.removeprefix(
                _("hoog in de gemeente: ")
            ),
            _("Waarom"): ranked["reason"],
        }
    )
    if (ranked["share_basis"] == "inwoners").any():
        # Buurten without residents in the population grid are still measured by area.
        table.insert(7, _("Aandeel van"), ranked["share_basis"])
    return table


def _where_and_with_whom(
    dataset: Dataset,
    buurtcode: str,
    layer: str,
    supply: pd.DataFrame,
    distance: float,
    grid: Grid,
    distances: Distances,
    personal: bool = False,
) -> None:
    """Venues that could host, and initiatives of the other layers (from ``supply``, the
    initiatives that pass the filters) that could partner, near the buurt; ``personal``:
    with contact persons' names."""
    st.markdown(_("**Waar kan het en met wie?**"))
    st.radio(
        _("Afstand rond de buurt"),
        list(DISTANCES),
        key="afstand",
        horizontal=True,
        format_func=lambda d: f"{d} m",
    )
    buurt = dataset.buurten.loc[dataset.buurten["buurtcode"] == buurtcode].iloc[0]
    index = int(np.flatnonzero(dataset.buurten["buurtcode"] == buurtcode)[0])
    samples = grid.xy[grid.buurt == index]
    venues = within_distance(buurt.geometry, dataset.venues, distance, distances, samples)
    st.caption(
        _(
            "Locaties binnen {distance:.0f} m ({how}) die een activiteit kunnen huisvesten "
            "({count}):"
        ).format(distance=distance, how=_(distances.label), count=len(venues))
    )
    if len(venues):
        st.dataframe(
            pd.DataFrame(
                {
                    _("Locatie"): venues["name"],
                    _("Afstand (m)"): venues["distance_m"].round(-1),
                    _("Capaciteit"): venues["capacity"],
                    _("Soort"): venues["kind"],
                    _("Contact"): contact_text(venues, personal),
                }
            ),
            hide_index=True,
            width="stretch",
            column_config=narrow_name(),
        )
    partners = partners_nearby(buurt.geometry, supply, distance, layer, distances, samples)
    st.caption(
        _(
            "Bestaande activiteiten in de andere lagen binnen {distance:.0f} m ({how}), "
            "mogelijke partners ({count}):"
        ).format(distance=distance, how=_(distances.label), count=len(partners))
    )
    if len(partners):
        st.dataframe(
            pd.DataFrame(
                {
                    _("Activiteit"): partners["name"],
                    _("Afstand (m)"): partners["distance_m"].round(-1),
                    _("Laag"): partners["layer"].map(label),
                    _("Voor"): partners["target_groups"].map(target_groups_label),
                    _("Wanneer"): partners["schedule"].map(schedule_label),
                    _("Organisatie"): partners["organisation"],
                    _("Contact"): contact_text(partners, personal),
                }
            ),
            hide_index=True,
            width="stretch",
            column_config=narrow_name(),
        )
    indicative = _(" (indicatieve indeling)") if dataset.area_mapping.is_indicative else ""
    st.markdown(
        _("Sociaal wijkteam: **{werkgebied}**{indicative}").format(
            werkgebied=md(buurt["werkgebied"]), indicative=indicative
        )
    )


def _need_figures(dataset: Dataset, buurtcode: str) -> None:
    """The buurt's need figures beside the gemeente's, with source and year."""
    columns = available_indicators(dataset.buurten)
    if not columns:
        return
    row = dataset.buurten.set_index("buurtcode").loc[buurtcode]
    st.dataframe(figure_table(row, dataset.figures, columns), hide_index=True, width="stretch")


def render(
    dataset: Dataset,
    base: AnalysisBase,
    settings: Settings,
    values: dict[str, object],
    filters: Filters,
) -> None:
    layer = str(values["kanslaag"])
    speed = SPEEDS[str(values["tempo"])]
    walk = WalkParams(
        speed_kmh=speed,
        network=dataset.network,
        avoid_steps=str(values["tempo"]) == "rollator",
    )
    params = GapParams(walk=walk, need_weights=parse_weights(str(values["gewichten"])))
    everywhere = kansenlijst(
        dataset.buurten,
        base.grid,
        dataset.initiatives,
        dataset.venues,
        layer,
        filters,
        params,
        base.centres,
    )
    need_columns = available_indicators(dataset.buurten)
    ranked = everywhere
    if filters.werkgebieden:
        ranked = ranked[ranked["werkgebied"].isin(filters.werkgebieden)]
    on = values["datum"].strftime("%d-%m-%Y") if filters.active_on else _("alle data")  # type: ignore[union-attr]

    if not need_columns:
        st.info(
            _(
                "**De rangorde gebruikt alleen het aanbod.** Er "
                "zijn nog geen cijfers over behoefte "
                "geladen (inwoners, ouderen, eenpersoonshuishoudens, laag inkomen, eenzaamheid). "
                "De kansscore zegt dus waar weinig is, niet waar het het meest nodig is."
            ),
            icon="ℹ️",
        )
    else:
        st.info(md(need_basis_text(dataset.buurten)), icon="ℹ️")
    adjective = LAYER_ADJECTIVES[layer]
    middle = walk.minutes[len(walk.minutes) // 2]
    reached = share_of_residents(ranked, dataset.buurten, middle)
    columns = st.container(key="kengetallen").columns(4 if reached is not None else 3)
    columns[0].metric(
        _("Buurten met een groot gat (score 60+)"), int((ranked["score"] >= 60).sum())
    )
    columns[1].metric(
        _("Buurten zonder {adjective} activiteit").format(adjective=_(adjective)),
        int((ranked["count"] == 0).sum()),
    )
    columns[2].metric(
        _("Hoogste kansscore"), f"{ranked['score'].max():.0f}" if len(ranked) else "-"
    )
    if reached is not None:
        columns[3].metric(
            _("Inwoners met iets binnen {middle} min").format(middle=middle),
            percent(reached),
            help=_(
                "Het deel van elke buurt binnen deze looptijd, gewogen naar het aantal "
                "inwoners van de buurt (CBS)."
            ),
        )
    source = score_source(dataset, need_columns, on)
    if filters.checked_since is not None:
        unchecked = (
            select_initiatives(
                dataset.initiatives,
                dataset.buurten,
                replace(filters.for_supply(), checked_since=None),
            ).sum()
            - select_initiatives(dataset.initiatives, dataset.buurten, filters.for_supply()).sum()
        )
        st.caption(
            _(
                "Niet meegeteld: {count} activiteiten die sinds {day} niemand heeft gecontroleerd."
            ).format(count=int(unchecked), day=day(filters.checked_since))
        )
    st.caption(
        _("Kansscore 0-100 per buurt voor de laag {lower}. {source}.").format(
            lower=label(layer).lower(), source=source
        )
    )
    with st.expander(_("Hoe werkt de kansscore?")):
        st.markdown(score_explanation())

    supply = dataset.initiatives[
        select_initiatives(dataset.initiatives, dataset.buurten, filters.for_supply())
    ]
    layer_supply = supply[supply["layer"] == layer]
    core = data.core(settings, base.grid)
    plan = plan_view.prepare(core, layer, filters, params, everywhere)
    map_column, side_column = st.columns([3, 2], gap="medium")
    with map_column:
        choropleth = Choropleth(
            values=dict(zip(ranked["buurtcode"], ranked["score"], strict=True)),
            bins=SCORE_BINS,
            colours=SCORE_COLOURS,
            labels=tuple(_(text) for text in SCORE_LABELS),
            title=_("Kansscore {lower}").format(lower=label(layer).lower()),
            source=source,
        )
        options = MapOptions(
            tile_url=settings.tile_url,
            tile_attribution=settings.tile_attribution,
            show_wijken=bool(values["wijken"]),
            show_werkgebieden=bool(values["werkgebieden"]),
            choropleth=choropleth,
            legend_layers=(layer,),
            planned=plan.points(),
        )
        prepared = data.map_data(settings, data.shows_contact_person(settings))
        chosen = str(values["buurt"]) if values["buurt"] else None
        show_map(
            build_view(dataset, layer_supply, dataset.venues, options, chosen, prepared),
            on_pick=plan_view.pick_place if st.session_state.get("plan_klik") else None,
        )
    with side_column:
        buurt_selectbox(dataset.buurten)
        listing_search(dataset)
        address_search(core)
        code = values["buurt"]
        if code and code in set(ranked["buurtcode"]):
            row = ranked.loc[ranked["buurtcode"] == code].iloc[0]
            st.subheader(md(row["buurtnaam"]))
            change = plan.score_change(str(code))
            st.metric(
                _("Kansscore"),
                _("{score:.0f} van 100").format(score=row["score"]),
                delta=None
                if change is None
                else _("{change:+.0f} met het plan (dan {after:.0f})").format(
                    change=change[1] - change[0], after=change[1]
                ),
                delta_color="inverse",
            )
            st.markdown(md(row["reason"]))
            _need_figures(dataset, str(code))
            middle = walk.minutes[len(walk.minutes) // 2]
            index = int(np.flatnonzero(dataset.buurten["buurtcode"].to_numpy() == code)[0])
            shares = buurt_slot_shares(
                base.grid,
                index,
                layer_supply,
                walk.metres()[len(walk.minutes) // 2],
                walk.distances(),
            )
            of = _("de inwoners") if row["share_basis"] == "inwoners" else _("de buurt")
            st.markdown(
                _(
                    "**Wanneer is er iets binnen {middle} minuten?** (% van {of}, per dagdeel)"
                ).format(middle=middle, of=of)
            )
            st.altair_chart(_slot_chart(buurt_slot_table(shares), middle), width="stretch")
            _where_and_with_whom(
                dataset,
                str(code),
                layer,
                supply,
                float(str(values["afstand"])),
                base.grid,
                walk.distances(),
                data.shows_contact_person(settings),
            )
            plan_view.pack_downloads(
                core,
                layer,
                filters,
                params,
                plan,
                str(code),
                str(row["werkgebied"]),
            )
        else:
            st.info(
                _(
                    "Klik op een buurt in de kaart, of kies er een hierboven, voor de reden van "
                    "de score, de tijden zonder aanbod en mogelijke plekken en partners."
                )
            )

    st.subheader(_("Kansenlijst"))
    st.caption(
        _("{order_text} Klik op een kolomkop om anders te sorteren.").format(
            order_text=_(ORDER_TEXT)
        )
    )
    st.dataframe(
        _ranked_table(ranked, dataset.distance_label),
        hide_index=True,
        width="stretch",
        key="kansenlijst_tabel",
        on_select=functools.partial(_open_chosen_row, list(ranked["buurtcode"])),
        selection_mode="single-row",
    )
    st.caption(_("Kies een rij om die buurt op de kaart en hierboven te openen."))
    export = gaps_table(ranked, dataset.gemeentecode, dataset.year, walk)
    stem = f"kansenlijst_{dataset.gemeentecode}_{dataset.year}_{layer}"
    left, right = st.columns(2)
    left.download_button(
        _("Download voor Excel"),
        excel_csv_bytes(export),
        file_name=f"{stem}_excel.csv",
        mime="text/csv",
        type="primary",
        key="kansenlijst_excel",
    )
    right.download_button(
        _("Download als CSV (standaard)"),
        csv_bytes(export),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="kansenlijst_csv",
    )
    plan_view.render(core, layer, filters, params, plan)
