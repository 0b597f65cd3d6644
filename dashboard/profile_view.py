"""The buurt profile panel."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.labels import label, md
from dashboard.popups import schedule_label, target_groups_label
from socialbasis.analysis.profile import BuurtProfile
from socialbasis.vocab import LAYER_COLOURS, Layer, dutch_decimal

BAR_HEIGHT = 40  # pixels per layer: room for a 12 px label at every width


def layer_chart(counts: pd.Series) -> alt.Chart:
    data = pd.DataFrame({"laag": [label(c) for c in counts.index], "aantal": counts.to_numpy()})
    colours = [LAYER_COLOURS[Layer(c)] for c in counts.index]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "aantal:Q",
                title="Aantal activiteiten",
                axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0, max(3, int(counts.max()))]),
            ),
            # Every layer's name always shows: no dropping of "overlapping" labels, no cut.
            y=alt.Y(
                "laag:N",
                title=None,
                sort=list(data["laag"]),
                axis=alt.Axis(labelOverlap=False, labelLimit=0, labelFontSize=12),
            ),
            color=alt.Color(
                "laag:N", scale=alt.Scale(domain=list(data["laag"]), range=colours), legend=None
            ),
            tooltip=["laag", "aantal"],
        )
        .properties(height=BAR_HEIGHT * len(data))
    )


def initiatives_table(initiatives: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Naam": initiatives["name"],
            "Laag": initiatives["layer"].map(label),
            "Voor": initiatives["target_groups"].map(target_groups_label),
            "Wanneer": initiatives["schedule"].map(schedule_label),
            "Kosten": initiatives["cost"],
            "Soort": initiatives["discipline"].map(label),
        }
    )


def distance_label(metres: float, minutes: float) -> str:
    """``1234.0, 15.4`` -> ``"1,2 km · 15 min"``; missing -> ``"-"``."""
    if pd.isna(metres):
        return "-"
    shown = f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km".replace(".", ",")
    return f"{shown} · {minutes:.0f} min"


def nearest_table(nearest: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Laag": nearest["layer"].map(label),
            "Afstand": [
                distance_label(m, t)
                for m, t in zip(nearest["distance_m"], nearest["minutes"], strict=True)
            ],
            "Dichtstbij": nearest["name"].fillna("geen, met deze filters"),
        }
    )


def render_profile(
    profile: BuurtProfile,
    speed_kmh: float,
    werkgebied_indicative: bool,
    layers: tuple[str, ...] = (),
    source: str = "",
    figures: pd.DataFrame | None = None,
) -> None:
    """The panel; ``layers`` narrows the list of activities to the chosen layers, ``source``
    says where the listings (and so every count here) come from; ``figures`` are the buurt's
    key figures beside the gemeente's (``socialbasis.figures.figure_table``)."""
    st.subheader(md(profile.buurtnaam))
    indicative = " (indicatief)" if werkgebied_indicative else ""
    st.markdown(
        f"Buurtcode **{md(profile.buurtcode)}** · wijk **{md(profile.wijknaam)}** · "
        f"werkgebied **{md(profile.werkgebied)}**{indicative}"
    )
    if figures is not None and len(figures):
        st.markdown("**Kerncijfers: de buurt en de gemeente**")
        st.dataframe(figures, hide_index=True, width="stretch")
        st.caption(
            "Bron en peildatum staan bij elk cijfer. Een streep (—) betekent: CBS geeft dit "
            "cijfer niet (geheim, te weinig inwoners of niet gepubliceerd)."
        )
    st.caption(f"Activiteiten in deze buurt per laag (met de andere filters). {md(source)}")
    st.altair_chart(layer_chart(profile.counts), width="stretch")
    st.markdown("**Dichtstbij, per laag**")
    st.dataframe(nearest_table(profile.nearest), hide_index=True, width="stretch")
    st.caption(
        "Afstand in rechte lijn vanaf het midden van de buurt; looptijd bij "
        f"{dutch_decimal(speed_kmh)} km/u. Over straat is het vaak 20-40% verder."
    )
    shown = profile.initiatives
    if layers:
        shown = shown[shown["layer"].isin(layers)]
    st.markdown(f"**Activiteiten in de buurt ({len(shown)})**")
    if len(shown):
        st.dataframe(
            initiatives_table(shown),
            hide_index=True,
            width="stretch",
            column_config={"Naam": st.column_config.TextColumn("Naam", width="medium")},
        )
    else:
        st.info("Met deze filters is er in deze buurt geen activiteit. Dat is een kans.")
    st.markdown(f"**Locaties in de buurt ({len(profile.venues)})**")
    if len(profile.venues):
        st.dataframe(
            pd.DataFrame(
                {
                    "Naam": profile.venues["name"],
                    "Soort": profile.venues["kind"],
                    "Capaciteit": profile.venues["capacity"],
                }
            ),
            hide_index=True,
            width="stretch",
        )
