"""Loading data and building analysis structures once per server process."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

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


def dataset(settings: Settings) -> Dataset:
    """The dataset, loaded again when the listings changed (also by someone else: the
    newest changeset is part of the cache key). Texts made while loading (sources, notes)
    are in the language of the page, so each language has its own copy."""
    revision = SocialBasis(settings).database.revision(settings.gemeente)
    return _dataset_loader(language())(settings, revision, language())


@functools.cache
def _dataset_loader(code: str) -> Callable[[Settings, int, str], Dataset]:
    # One cached function per language, so that the spinner speaks the page's language;
    # the language is also an argument, which keeps their entries apart.
    @st.cache_resource(show_spinner=_("Gegevens laden..."), max_entries=8)
    def load(settings: Settings, revision: int, code: str) -> Dataset:
        with using(code):
            return SocialBasis(settings).dataset()

    return load


def map_data(settings: Settings) -> MapData:
    """The map's shapes and markers for the dataset, made once per dataset and language."""
    revision = SocialBasis(settings).database.revision(settings.gemeente)
    return _map_data(settings, revision, language())


@st.cache_resource(show_spinner=False, max_entries=8)
def _map_data(settings: Settings, revision: int, code: str) -> MapData:
    loaded = dataset(settings)
    core = SocialBasis(settings)
    by = {
        **core.database.last_checks(settings.gemeente, "locaties"),
        **core.database.last_checks(settings.gemeente, "initiatieven"),
    }
    checks = Checks(core.checked_since(), {listing: actor for listing, (actor, _at) in by.items()})
    with using(code):
        return prepare_map_data(loaded, checks)


def core(settings: Settings) -> SocialBasis:
    """The application core for this run, with the dataset shared by every session."""
    return SocialBasis(settings, identity=current_identity(), _dataset=dataset(settings))


def changed() -> None:
    """Stored data changed: every cached dataset and grid is loaded anew."""
    st.cache_resource.clear()


@dataclass(frozen=True)
class AnalysisBase:
    """What coverage needs that does not change with the filters."""

    grid: Grid
    centres: np.ndarray


@st.cache_resource(show_spinner=False)
def analysis_base(settings: Settings) -> AnalysisBase:
    loaded = dataset(settings)
    return AnalysisBase(
        grid=analysis_grid(loaded.buurten, loaded.population),
        centres=buurt_centres(loaded.buurten),
    )
