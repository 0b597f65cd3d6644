"""No CBS figure is ever negative: every negative code becomes missing, with its reason."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from loaders._odata import Property
from loaders._values import MissingCounter, missing_reason, number_or_none
from loaders.cbs_statline import parse_rows
from loaders.pdok_wijkenbuurten import FIGURE_PROPERTIES, features_to_frame
from loaders.rivm_loneliness import rows_to_frame as rivm_rows_to_frame

CBS_VALUES = st.one_of(
    st.none(),
    st.sampled_from([-99999999, -99999998, -99999997, -99997, -99995, -1, 0, ".", " . ", ""]),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
)


def test_newer_cbs_codes_are_missing_with_their_meaning():
    assert number_or_none(-99997) is None and missing_reason(-99997) == "geheim"
    assert number_or_none(-99995) is None
    assert missing_reason(-99995) == "onbekend of niet betrouwbaar genoeg"
    assert missing_reason("-99999999") == "geheim of onbekend"
    assert missing_reason("       .") == "niet gepubliceerd"
    assert number_or_none("  1234 ") == 1234.0 and number_or_none(0) == 0.0


@given(CBS_VALUES)
def test_a_loaded_number_is_never_negative(value):
    number = number_or_none(value)
    assert number is None or (number >= 0 and math.isfinite(number))


def _feature(code: str, values: dict) -> dict:
    properties = {"buurtcode": code, "buurtnaam": code, **values}
    box = [[[4.8, 52.4], [4.81, 52.4], [4.81, 52.41], [4.8, 52.41], [4.8, 52.4]]]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": box},
    }


@given(st.lists(st.tuples(*[CBS_VALUES] * 3), min_size=1, max_size=6))
def test_no_pdok_figure_is_negative_in_either_spelling(values):
    features = [
        _feature(
            f"BU0479{i:04d}",
            {
                "aantal_inwoners": a,
                "percentagePersonen65JaarEnOuder": b,
                "bevolkingsdichtheid_inwoners_per_km2": c,
            },
        )
        for i, (a, b, c) in enumerate(values)
    ]
    parsed = features_to_frame(features, "buurt")
    figures = parsed.frame[[c for c in FIGURE_PROPERTIES if c in parsed.frame]]
    assert not (figures.apply(pd.to_numeric) < 0).any().any()
    assert sum(parsed.missing_figures.values()) == int(figures.isna().sum().sum())


@given(st.lists(st.tuples(*[CBS_VALUES] * 4), min_size=1, max_size=6))
def test_no_statline_figure_is_negative(values):
    topics = {
        "AantalInwoners": Property("AantalInwoners_5", "Aantal inwoners", "aantal", "Topic"),
        "k_65JaarOfOuder": Property("k_65JaarOfOuder_12", "65+", "aantal", "Topic"),
        "HuishoudensTotaal": Property("HuishoudensTotaal_28", "Huishoudens", "aantal", "Topic"),
        "Eenpersoonshuishoudens": Property("Eenpersoonshuishoudens_29", "1p", "aantal", "Topic"),
    }
    rows = [
        {
            "WijkenEnBuurten": f"BU0479{i:04d}  ",
            "AantalInwoners_5": a,
            "k_65JaarOfOuder_12": b,
            "HuishoudensTotaal_28": c,
            "Eenpersoonshuishoudens_29": d,
        }
        for i, (a, b, c, d) in enumerate(values)
    ]
    frame = parse_rows(rows, topics, "GM0479").buurten.drop(columns="buurtcode")
    assert not (frame < 0).any().any()
    assert not np_isinf(frame)


def np_isinf(frame: pd.DataFrame) -> bool:
    return bool(frame.apply(lambda c: c.abs() == float("inf")).any().any())


@given(st.lists(st.tuples(CBS_VALUES, CBS_VALUES), min_size=1, max_size=6))
def test_no_rivm_figure_is_negative(values):
    rows = [
        {
            "WijkenEnBuurten": f"BU0479{i:04d}",
            "Leeftijd": "20300",
            "Marges": "MW00000",
            "Eenzaam_27": a,
            "ErnstigZeerErnstigEenzaam_28": b,
        }
        for i, (a, b) in enumerate(values)
    ]
    keys = {"Eenzaam": "Eenzaam_27", "ErnstigZeerErnstigEenzaam": "ErnstigZeerErnstigEenzaam_28"}
    frame = rivm_rows_to_frame(rows, keys, "20300", None).drop(columns="buurtcode")
    assert not (frame.apply(pd.to_numeric) < 0).any().any()


def test_pdok_notes_say_per_figure_how_many_miss_it_and_why():
    features = [
        _feature("BU04790001", {"aantal_inwoners": -99997}),
        _feature("BU04790002", {"aantal_inwoners": -99995}),
        _feature("BU04790003", {"aantal_inwoners": 120}),
        _feature("BU04790004", {"aantal_inwoners": -99999999, "water": "NEE"}),
        _feature("BU04799997", {"aantal_inwoners": -99999999, "water": "JA"}),
    ]
    parsed = features_to_frame(features, "buurt")
    assert parsed.frame["inwoners"].isna().tolist() == [True, True, False, True]
    assert parsed.notes("buurten")[0] == (
        "3 van 4 buurten zonder cijfer 'Inwoners' (1 geheim, 1 geheim of onbekend, "
        "1 onbekend of niet betrouwbaar genoeg)"
    )
    assert parsed.water_parts == 1


def test_missing_counter_counts_reasons():
    counter = MissingCounter()
    for value in (-99997, -99997, None, 5):
        counter.add("x", value)
    assert counter.missing("x") == 3 and counter.describe("x") == "2 geheim, 1 niet gepubliceerd"
