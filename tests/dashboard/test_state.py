from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from dashboard.state import default_values, filters_from_values, from_query, to_query
from socialbasis.vocab import Layer, TargetGroup, codes

TODAY = date(2026, 11, 23)
WERKGEBIEDEN = ["Zaandam Zuid", "Poelenburg"]
BUURTEN = ["BU04791111", "BU04791112"]


def test_defaults_give_an_empty_query_and_today_as_date():
    assert to_query(default_values(TODAY), TODAY) == {}
    assert filters_from_values(default_values(TODAY)).active_on == TODAY


def test_a_view_survives_the_round_trip_through_the_url():
    values = {
        **default_values(TODAY),
        "buurt": "BU04791112",
        "laag": ["persoonlijk"],
        "doelgroep": ["ouderen", "mantelzorgers"],
        "werkgebied": ["Zaandam Zuid"],
        "actief": False,
        "wijken": True,
        "werkgebieden": False,
        "modus": "kansen",
    }
    query = to_query(values, TODAY)
    assert query["laag"] == ["persoonlijk"] and query["datum"] == ["alle"]
    view = from_query(query, WERKGEBIEDEN, BUURTEN, TODAY)
    assert view.ignored == []
    assert view.values == values


def test_values_that_are_not_allowed_are_reported_and_not_used():
    query = {"laag": ["persoonlijk", "<script>"], "buurt": ["BU99999999"], "datum": ["morgen"]}
    view = from_query(query, WERKGEBIEDEN, BUURTEN, TODAY)
    assert view.values["laag"] == ["persoonlijk"]
    assert view.values["buurt"] is None
    assert view.values["datum"] == TODAY
    assert sorted(view.ignored) == ["buurt=BU99999999", "datum=morgen", "laag=<script>"]


def test_a_chosen_date_is_kept():
    query = to_query({**default_values(TODAY), "datum": date(2025, 6, 1)}, TODAY)
    assert query == {"datum": ["2025-06-01"]}
    assert from_query(query, [], [], TODAY).values["datum"] == date(2025, 6, 1)


@given(
    st.lists(st.sampled_from(codes(Layer)), unique=True),
    st.lists(st.sampled_from(codes(TargetGroup)), unique=True),
)
def test_filters_follow_the_widgets(layers, groups):
    values = {**default_values(TODAY), "laag": layers, "doelgroep": groups}
    filters = filters_from_values(from_query(to_query(values, TODAY), [], [], TODAY).values)
    assert filters.layers == tuple(layers) and filters.target_groups == tuple(groups)
