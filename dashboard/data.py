"""Loading data once per server process."""

from __future__ import annotations

import streamlit as st

from socialbasis.dataset import Dataset, load_dataset
from socialbasis.settings import Settings, load_settings


def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner="Gegevens laden...")
def dataset(settings: Settings) -> Dataset:
    return load_dataset(settings)
