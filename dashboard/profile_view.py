"""The buurt profile panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dashboard.labels import contact_text, label, md
from dashboard.popups import schedule_label, target_groups_label
from socialbasis.analysis.profile import BuurtProfile
from socialbasis.i18n import _, distance, number
from socialbasis.vocab import LAYER_COLOURS, Layer

if TYPE_CHECKING:
    import altair as alt

BAR_HEIGHT = 40  # pixels per layer: room for a 12 px label at every width


def layer_chart(counts: pd.Series) -> alt.Chart:
    import altair as alt  # only when a chart is drawn: a faster first page

    data = pd.DataFrame({"laag": [label(c) for c in counts.index], "aantal": counts.to_numpy()})
    colours = [LAYER_COLOURS[Layer(c)] for c in counts.index]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "aantal:Q",
                title=_("Aantal activiteiten"),
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


def initiatives_table(initiatives: pd.DataFrame, personal: bool = False) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Naam"): initiatives["name"],
            _("Laag"): initiatives["layer"].map(label),
            _("Voor"): initiatives["target_groups"].map(target_groups_label),
            _("Wanneer"): initiatives["schedule"].map(schedule_label),
            _("Kosten"): initiatives["cost"],
            _("Soort"): initiatives["discipline"].map(label),
            _("Contact"): contact_text(initiatives, personal),
        },
        index=initiatives.index,
    )


def distance_label(metres: float, minutes: float, straight: float | None = None) -> str:
    """``1234.0, 15.4`` -> ``"1,2 km · 15 min"``; missing -> ``"-"``. With ``straight`` (the
    distance walked is over the street): ``"over straat 1,9 km · 24 min, in rechte lijn
    0,6 km"``, so the detour shows."""
    if pd.isna(metres):
        return "-"
    shown = _("{shown} · {minutes:.0f} min").format(shown=distance(metres), minutes=minutes)
    if straight is None or pd.isna(straight):
        return shown
    return _("over straat {shown}, in rechte lijn {straight}").format(
        shown=shown, straight=distance(straight)
    )


def nearest_table(nearest: pd.DataFrame, over_street: bool = False) -> pd.DataFrame:
    straight = nearest["straight_m"] if over_street else [None] * len(nearest)
    return pd.DataFrame(
        {
            _("Laag"): nearest["layer"].map(label),
            _("Afstand"): [
                distance_label(m, t, s)
                for m, t, s in zip(nearest["distance_m"], nearest["minutes"], straight, strict=True)
            ],
            _("Dichtstbij"): nearest["name"].fillna(_("geen, met deze filters")),
        }
    )


def render_profile(
    profile: BuurtProfile,
    speed_kmh: float,
    werkgebied_indicative: bool,
    layers: tuple[str, ...] = (),
    source: str = "",
    figures: pd.DataFrame | None = None,
    personal: bool = False,
    over_street: bool = False,
) -> None:
    """The panel; ``layers`` narrows the list of activities to the chosen layers, ``source``
    says where the listings (and so every count here) come from; ``figures`` are the buurt's
    key figures beside the gemeente's (``socialbasis.figures.figure_table``); ``personal``:
    contact persons' names are shown; ``over_street``: distances were walked over the
    street network."""
    st.subheader(md(profile.buurtnaam))
    indicative = " (indicatief)" if werkgebied_indicative else ""
    st.markdown(
        _(
            "Buurtcode **{buurtcode}** · wijk **{wijknaam}** · werkgebied "
            "**{werkgebied}**{indicative}"
        ).format(
            buurtcode=md(profile.buurtcode),
            wijknaam=md(profile.wijknaam),
            werkgebied=md(profile.werkgebied),
            indicative=indicative,
        )
    )
    if figures is not None and len(figures):
        st.markdown(_("**Kerncijfers: de buurt en de gemeente**"))
        st.dataframe(figures, hide_index=True, width="stretch")
        st.caption(
            _(
                "Bron en peildatum staan bij elk cijfer. Een streep (—) betekent: CBS geeft dit "
                "cijfer niet (geheim, te weinig inwoners of niet gepubliceerd)."
            )
        )
    st.caption(
        _("Activiteiten in deze buurt per laag (met de andere filters). {source}").format(
            source=md(source)
        )
    )
    st.altair_chart(layer_chart(profile.counts), width="stretch")
    st.markdown(_("**Dichtstbij, per laag**"))
    st.dataframe(nearest_table(profile.nearest, over_street), hide_index=True, width="stretch")
    if over_street:
        st.caption(
            _(
                "Afstand over straat (looppaden en wegen uit OpenStreetMap) vanaf het midden "
                "van de buurt, met daarachter de afstand in rechte lijn; looptijd bij "
                "{speed} km/u."
            ).format(speed=number(speed_kmh))
        )
    else:
        st.caption(
            _(
                "Afstand in rechte lijn vanaf het midden van de buurt; looptijd bij "
                "{speed} km/u. Over straat is het vaak 20-40% verder."
            ).format(speed=number(speed_kmh))
        )
    shown = profile.initiatives
    if layers:
        shown = shown[shown["layer"].isin(layers)]
    st.markdown(_("**Activiteiten in de buurt ({count})**").format(count=len(shown)))
    if len(shown):
        st.dataframe(
            initiatives_table(shown, personal),
            hide_index=True,
            width="stretch",
            column_config={_("Naam"): st.column_config.TextColumn(_("Naam"), width="medium")},
        )
    else:
        st.info(_("Met deze filters is er in deze buurt geen activiteit. Dat is een kans."))
    st.markdown(_("**Locaties in de buurt ({count})**").format(count=len(profile.venues)))
    if len(profile.venues):
        st.dataframe(
            pd.DataFrame(
                {
                    _("Naam"): profile.venues["name"],
                    _("Soort"): profile.venues["kind"],
                    _("Capaciteit"): profile.venues["capacity"],
                    _("Contact"): contact_text(profile.venues, personal),
                },
                index=profile.venues.index,
            ),
            hide_index=True,
            width="stretch",
        )
