"""The dashboard page: reads state, asks the core for results, lays them out."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

import streamlit as st

from dashboard import (
    a11y,
    aanbod_view,
    data,
    data_view,
    edit_view,
    kansen_view,
    sidebar,
    signin,
    state,
)
from dashboard.assets import missing_assets
from dashboard.labels import md
from socialbasis.dataset import Dataset, available_gemeenten, provenance_label
from socialbasis.errors import SocialBasisError
from socialbasis.figures import figure_sources
from socialbasis.i18n import LANGUAGES, _, default_language, language, set_language
from socialbasis.settings import Settings

log = logging.getLogger(__name__)


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
        parts = " en ".join(dataset.example_parts)
        st.warning(
            _(
                "**Voorbeelddata.** De {parts} op deze kaart zijn verzonnen, om te laten "
                "zien hoe de kaart werkt. De buurtgrenzen zijn echt (CBS). Lees echte "
                "gegevens in (bij Weergave: Gegevens) om de echte sociale basis te zien."
            ).format(parts=parts),
            icon="⚠️",
        )
    if dataset.area_mapping.is_indicative:
        st.info(
            _(
                "De werkgebieden van de sociale wijkteams zijn een "
                "**indicatieve indeling**, niet de "
                "officiële. Laad de indeling van de gemeente om dit te vervangen."
            ),
            icon="ℹ️",
        )
    ignored = st.session_state.get("_ignored_url_values") or []
    if ignored:
        st.caption(_("Niet gebruikt uit de link: ") + ", ".join(md(value) for value in ignored))


def _supply_source(dataset: Dataset, values: dict[str, object]) -> str:
    source = dataset.source_of("aanbod", "geen")
    on = (
        _("wat loopt op {datum:%d-%m-%Y}").format(datum=values["datum"])
        if values["actief"]  # type: ignore[str-format]
        else _("alles, ook wat gestopt is of nog moet beginnen")
    )
    return _("Bron aanbod: {source}; {on}.").format(source=source, on=on)


def _sources(dataset: Dataset) -> None:
    with st.expander(_("Bronnen en uitleg")):
        st.dataframe(
            dataset.provenance.assign(what=dataset.provenance["what"].map(provenance_label)).rename(
                columns={
                    "what": _("Wat"),
                    "source": _("Bron"),
                    "url": _("Adres"),
                    "licence": _("Licentie"),
                    "year": _("Jaar"),
                    "retrieved": _("Opgehaald"),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.markdown(
            _(
                "- Buurtgrenzen: CBS/Kadaster, vereenvoudigd voor kaarten op buurtniveau.\n"
                "- Wijk-, gemeente- en werkgebiedgrenzen zijn samengevoegde buurten.\n"
                "- Achtergrondkaart: © OpenStreetMap-bijdragers (alleen met internet).\n"
                "- {distances} Looptijd bij 4,8 km/u: 5 min ≈ 400 m, "
                "10 min ≈ 800 m, 15 min ≈ 1200 m; met rollator (3 km/u) 250, 500 en 750 m.\n"
                "- Kansscore: 100 × (1 − dekking) × (½ + ½ × behoefte); dekking is het gemiddelde "
                "deel van de buurt binnen 5, 10 en 15 minuten lopen van de laag (naar oppervlakte, "
                "of naar inwoners als er een bevolkingsraster is ingelezen). Zonder cijfers "
                "over behoefte: 100 × (1 − dekking). Bij de Kansenkaart staat onder *Hoe werkt de "
                "kansscore?* een uitleg met een voorbeeld."
            ).format(distances=_distances_text(dataset))
        )


def _distances_text(dataset: Dataset) -> str:
    if dataset.network is None:
        return _(
            "Afstanden zijn in rechte lijn: er is geen loopnetwerk ingelezen "
            "(`socialbasis netwerk` of de stap Loopnetwerk bij ophalen)."
        )
    return _(
        "Afstanden gaan over straat: over wegen en paden uit OpenStreetMap "
        "(© OpenStreetMap-bijdragers, ODbL), met een rollator zonder trappen. Waar het "
        "netwerk niet komt, in rechte lijn."
    )


def _choose_gemeente(settings: Settings) -> Settings:
    """The gemeente and year to show: from the URL once, then from the select box."""
    available = available_gemeenten(settings)
    options = [f"{code}-{year}" for code, year, _ in available]
    labels = {f"{code}-{year}": f"{name} ({year})" for code, year, name in available}
    if "gemeente_keuze" not in st.session_state:
        wanted = (
            f"{st.query_params.get('gemeente', settings.gemeente)}-"
            f"{st.query_params.get('jaar', settings.jaar)}"
        )
        default = f"{settings.gemeente}-{settings.jaar}"
        st.session_state["gemeente_keuze"] = wanted if wanted in options else default
    chosen = str(st.session_state["gemeente_keuze"])
    if chosen not in options:
        # A configured gemeente without data: keep it chosen, so loading it says what to do,
        # and let the user switch to one that is there.
        options.insert(0, chosen)
        labels[chosen] = chosen.replace("-", " (") + ")"
    if len(options) > 1:
        st.sidebar.selectbox(
            _("Gemeente"),
            options,
            key="gemeente_keuze",
            format_func=labels.get,
            on_change=_forget_area_choices,
        )
    code, year = str(st.session_state["gemeente_keuze"]).split("-")
    return replace(settings, gemeente=code, jaar=int(year))


def _forget_area_choices() -> None:
    """Buurt and werkgebied names belong to one gemeente; start afresh in another."""
    st.session_state["buurt"] = None
    st.session_state["werkgebied"] = []


def _choose_language() -> None:
    """The page's language: from the URL (``taal=en``) once, then from the switch. It is
    set before any text is made, so every text of this run is in it."""
    if st.session_state.get("taal") not in LANGUAGES:
        wanted = str(st.query_params.get("taal", default_language())).lower()
        st.session_state["taal"] = wanted if wanted in LANGUAGES else default_language()
    set_language(str(st.session_state["taal"]))


def _language_switch() -> None:
    st.sidebar.radio(
        _("Taal · Language"),
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="taal",
        horizontal=True,
    )


def main() -> None:
    st.set_page_config(page_title="Sociale Basis Kaart", page_icon="🗺️", layout="wide")
    _choose_language()
    a11y.prepare_page(language())
    try:
        _page()
    except SocialBasisError as exc:
        st.error(_("Dat lukte niet.\n\n{exc}").format(exc=md(exc)))
    except Exception:  # the last guard: users never see a traceback, operators get the log
        log.exception("unexpected error in the dashboard")
        st.error(
            _(
                "Er ging iets mis dat niet had mogen gebeuren. De technische melding staat in het "
                "logboek van de server. Laad de pagina opnieuw; blijft het, meld het dan."
            )
        )


def _page() -> None:
    today = date.today()
    try:
        defaults = data.settings()
    except SocialBasisError as exc:
        st.error(_("De instellingen kloppen niet.\n\n{exc}").format(exc=md(exc)))
        return
    settings = _choose_gemeente(defaults)
    data.start_run(settings)
    try:
        dataset = data.dataset(settings)
    except SocialBasisError as exc:
        st.error(_("De gegevens konden niet worden geladen.\n\n{exc}").format(exc=md(exc)))
        return

    _init_state(dataset, today)
    edit_view.open_next()
    _language_switch()
    sidebar.render_sidebar(dataset, settings.actueel_maanden)
    signin.render_sign_in(data.core(settings))
    values = _values(today)
    query = state.to_query(values, today)
    if (settings.gemeente, settings.jaar) != (defaults.gemeente, defaults.jaar):
        query |= {"gemeente": [settings.gemeente], "jaar": [str(settings.jaar)]}
    st.query_params.from_dict(query)
    filters = state.filters_from_values(values)
    if values["modus"] == "kansen" and values.get("gecontroleerd"):
        filters = replace(filters, checked_since=data.core(settings).checked_since(today))

    st.title(
        _("Sociale Basis Kaart · {gemeentenaam} {year}").format(
            gemeentenaam=dataset.gemeentenaam, year=dataset.year
        )
    )
    st.caption(
        _(
            "Waar is de sociale basis sterk, en waar zijn kansen? Persoonlijk, "
            "gemeenschappelijk, institutioneel: per buurt. Buurtindeling van {year}; "
        ).format(year=dataset.year)
        + (
            _("cijfers: {sources}.").format(sources="; ".join(figure_sources(dataset.figures)))
            if len(dataset.figures)
            else _("zonder kerncijfers (alleen grenzen).")
        )
    )
    _banners(dataset)
    missing = missing_assets()
    if missing:
        st.error(
            _("De kaartbestanden zijn niet geïnstalleerd (draai scripts/install_assets.sh): ")
            + ", ".join(missing)
        )
    if values["modus"] == "kansen":
        kansen_view.render(dataset, data.analysis_base(settings), settings, values, filters)
    elif values["modus"] == "gegevens":
        data_view.render(dataset, settings, filters)
    else:
        aanbod_view.render(dataset, settings, values, filters, _supply_source(dataset, values))
    _sources(dataset)
    data.watch(settings)
