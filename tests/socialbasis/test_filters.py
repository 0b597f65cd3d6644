from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from socialbasis.analysis.filters import Filters, active_mask, select_initiatives, select_venues
from socialbasis.schema import validate_initiatives
from tests.helpers import initiative_row


def frame(*rows):
    result = validate_initiatives(pd.DataFrame(list(rows)), "t.csv")
    assert result.ok
    out = result.frame
    out["buurtcode"] = ["BU04791111"] * len(out)
    return out


BUURTEN = pd.DataFrame({"buurtcode": ["BU04791111", "BU04792211"], "werkgebied": ["Zuid", "West"]})


def test_no_filters_select_everything():
    rows = frame(initiative_row(id="a"), initiative_row(id="b", layer="persoonlijk"))
    assert select_initiatives(rows, BUURTEN, Filters()).tolist() == [True, True]


def test_each_filter_narrows_the_selection():
    rows = frame(
        initiative_row(id="a"),
        initiative_row(
            id="b",
            layer="persoonlijk",
            discipline="zorg_ondersteuning",
            support_activation="hulpverlening",
            individual_collective="individueel",
            cost="betaald",
        ),
    )
    for filters, expected in [
        (Filters(layers=("persoonlijk",)), [False, True]),
        (Filters(disciplines=("muziek",)), [True, False]),
        (Filters(support_activation=("hulpverlening",)), [False, True]),
        (Filters(individual_collective=("collectief",)), [True, False]),
        (Filters(costs=("gratis",)), [True, False]),
        (Filters(werkgebieden=("West",)), [False, False]),
        (Filters(werkgebieden=("Zuid",)), [True, True]),
    ]:
        assert select_initiatives(rows, BUURTEN, filters).tolist() == expected, filters


def test_activities_for_everyone_count_for_every_target_group():
    rows = frame(
        initiative_row(id="a", target_groups="iedereen"),
        initiative_row(id="b", target_groups="jongeren"),
        initiative_row(id="c", target_groups="ouderen;mantelzorgers"),
    )
    chosen = select_initiatives(rows, BUURTEN, Filters(target_groups=("ouderen",)))
    assert chosen.tolist() == [True, False, True]


def test_active_on_a_date_respects_start_and_end_inclusive():
    rows = frame(
        initiative_row(id="a", start_date="", end_date=""),
        initiative_row(id="b", start_date="2025-01-01", end_date="2025-12-31"),
        initiative_row(id="c", start_date="2027-01-01"),
    )
    assert active_mask(rows, date(2025, 12, 31)).tolist() == [True, True, False]
    assert active_mask(rows, date(2026, 1, 1)).tolist() == [True, False, False]
    assert active_mask(rows, None).tolist() == [True, True, True]


def test_venues_follow_the_werkgebied_but_not_the_activity_filters():
    venues = pd.DataFrame(
        {
            "layer": ["institutioneel", "gemeenschappelijk"],
            "buurtcode": ["BU04791111", "BU04792211"],
        }
    )
    filters = Filters(layers=("persoonlijk",), werkgebieden=("West",))
    assert select_venues(venues, BUURTEN, filters).tolist() == [False, True]


OPTIONAL = (
    "organisation",
    "description",
    "support_activation",
    "individual_collective",
    "discipline",
    "target_groups",
    "cost",
    "wheelchair",
    "schedule",
    "start_date",
    "end_date",
    "address",
    "last_verified",
)


@settings(max_examples=60, deadline=None)
@given(
    empty=st.sets(st.sampled_from(OPTIONAL)),
    rows=st.integers(min_value=0, max_value=4),
    on=st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1))),
)
def test_every_filter_works_when_any_optional_column_is_entirely_empty(empty, rows, on):
    data = pd.DataFrame(
        [initiative_row(id=f"r{i}") for i in range(rows)] or None, columns=list(initiative_row())
    )
    for column in empty:
        data[column] = ""
    listings = frame(*data.to_dict("records")) if rows else validate_initiatives(data, "t").frame
    listings["buurtcode"] = ["BU04791111"] * len(listings)
    every = Filters(
        layers=("gemeenschappelijk",),
        support_activation=("activering",),
        individual_collective=("collectief",),
        disciplines=("muziek",),
        target_groups=("ouderen",),
        werkgebieden=("Zuid",),
        costs=("gratis",),
        active_on=on,
    )
    for filters in (Filters(active_on=on), every):
        mask = select_initiatives(listings, BUURTEN, filters)
        assert mask.dtype == bool and len(mask) == rows
    assert len(select_venues(listings, BUURTEN, every)) == rows


def test_the_date_filter_when_no_listing_has_a_start_or_end_date():
    rows = frame(initiative_row(id="a", start_date=""), initiative_row(id="b", start_date=""))
    assert rows["start_date"].dtype == object
    assert active_mask(rows, date(2025, 1, 1)).tolist() == [True, True]
    ended = frame(initiative_row(id="a", start_date="", end_date="2024-01-01"))
    assert active_mask(ended, date(2025, 1, 1)).tolist() == [False]
