"""Loading data and building analysis structures once per server process."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.mapview import Checks, MapData, prepare_map_data
from dashboard.signin import current_identity
from socialbasis.analysis.coverage import buurt_centres
from socialbasis.analysis.grid import Grid
from socialbasis.app import SocialBasis
from socialbasis.dataset import Dataset
from socialbasis.i18n import _, language, using
from socialbasis.population import analysis_grid
from socialbasis.settings import Settings, load_settings


def settings() -> Settings:
    return load_settings()


VERSION_KEY = "_data_version"


def version(settings: Settings) -> tuple:
    """The version of the stored data this run shows (``SocialBasis.data_version``), asked
    once per run: ``start_run`` asks it anew, and so does the first question after a change."""
    if get_script_run_ctx(suppress_warning=True) is None:  # the warm-up: no session
        return SocialBasis(settings).data_version()
    wanted = (settings.gemeente, settings.jaar)
    known = st.session_state.get(VERSION_KEY)
    if known is None or known[0] != wanted:
        known = (wanted, SocialBasis(settings).data_version())
        st.session_state[VERSION_KEY] = known
    return known[1]


def start_run(settings: Settings) -> None:
    """A new run of the page: what is stored may have changed since the last one."""
    st.session_state.pop(VERSION_KEY, None)
    version(settings)


def changed() -> None:
    """This session stored a change: the next question reads the new version. The caches
    are keyed by version, so every session, this one and the others, loads the new data
    when it next runs, and nobody's cache is cleared."""
    st.session_state.pop(VERSION_KEY, None)


def watch(settings: Settings) -> None:
    """Redraw an open page when someone else stored a change (every ``verversen`` seconds
    a cheap look at the version; the page runs again only when it differs)."""
    if not settings.verversen:
        return

    @st.fragment(run_every=settings.verversen)
    def look() -> None:
        shown = st.session_state.get(VERSION_KEY)
        if shown is not None and shown[1] != SocialBasis(settings).data_version():
            st.rerun(scope="app")

    look()


def dataset(settings: Settings) -> Dataset:
    """The dataset of the stored data's version: loaded again when the data changed (also
    by someone else). Texts made while loading (sources, notes) are in the language of the
    page, so each language has its own copy."""
    return _dataset_loader(language())(settings, version(settings), language())


@functools.cache
def _dataset_loader(code: str) -> Callable[[Settings, tuple, str], Dataset]:
    # One cached function per language, so that the spinner speaks the page's language;
    # the language is also an argument, which keeps their entries apart.
    @st.cache_resource(show_spinner=_("Gegevens laden..."), max_entries=4)
    def load(settings: Settings, version: tuple, code: str) -> Dataset:
        with using(code):
            return SocialBasis(settings).dataset()

    return load


def map_data(settings: Settings, personal: bool = False) -> MapData:
    """The map's shapes and markers for the dataset, made once per dataset and language;
    ``personal``: popups name the contact person (for someone signed in)."""
    return _map_data(settings, version(settings), language(), personal)


@st.cache_resource(show_spinner=False, max_entries=8)
def _map_data(settings: Settings, version: tuple, code: str, personal: bool) -> MapData:
    loaded = dataset(settings)
    core = SocialBasis(settings)
    by = {
        **core.database.last_checks(settings.gemeente, "locaties"),
        **core.database.last_checks(settings.gemeente, "initiatieven"),
    }
    checks = Checks(core.checked_since(), {listing: actor for listing, (actor, _at) in by.items()})
    with using(code):
        return prepare_map_data(loaded, checks, personal)


def core(settings: Settings, grid: Grid | None = None) -> SocialBasis:
    """The application core for this run, with the dataset shared by every session (and the
    analysis grid, when the page has the cached one: the core would build it again)."""
    return SocialBasis(
        settings, identity=current_identity(), _dataset=dataset(settings), _grid=grid
    )


def shows_contact_person(settings: Settings) -> bool:
    """Whether this page may name contact persons (personal data): for someone signed in,
    or for everyone when the setting publishes them."""
    return settings.contactpersoon_publiek or current_identity() is not None


@dataclass(frozen=True)
class AnalysisBase:
    """What coverage needs that does not change with the filters."""

    grid: Grid
    centres: np.ndarray


def analysis_base(settings: Settings) -> AnalysisBase:
    return _analysis_base(settings, version(settings))


@st.cache_resource(show_spinner=False, max_entries=4)
def _analysis_base(settings: Settings, version: tuple) -> AnalysisBase:
    loaded = dataset(settings)
    return AnalysisBase(
        grid=analysis_grid(loaded.buurten, loaded.population),
        centres=buurt_centres(loaded.buurten),
    )
