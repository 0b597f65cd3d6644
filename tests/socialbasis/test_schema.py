import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialbasis.schema import (
    INITIATIVE_COLUMNS,
    REQUIRED_INITIATIVE_COLUMNS,
    validate_initiatives,
    validate_venues,
)
from tests.helpers import initiative_row, venue_row


def problems_by_field(result):
    return {(p.row, p.field): p for p in result.problems}


def test_valid_row_becomes_a_point_in_rd_with_derived_columns():
    result = validate_initiatives(pd.DataFrame([initiative_row()]), "t.csv")
    assert result.ok and result.problems == []
    row = result.frame.iloc[0]
    assert result.frame.crs.to_epsg() == 28992
    assert 100_000 < row.geometry.x < 130_000 and 480_000 < row.geometry.y < 510_000
    assert row["schedule_mask"] == 1 << (1 * 3 + 1)  # dinsdag middag
    assert not row["is_example"]
    assert row["source_row"] == 2


def test_dutch_spreadsheet_values_are_understood():
    row = initiative_row(
        lat="52,4390",
        lon="4,8260",
        start_date="31-01-2024",
        layer=" Gemeenschappelijk ",
        target_groups="ouderen; mantelzorgers",
        wheelchair="",
    )
    result = validate_initiatives(pd.DataFrame([row]), "t.csv")
    assert result.ok, [p.describe() for p in result.problems]
    out = result.frame.iloc[0]
    assert out["lat"] == pytest.approx(52.439)
    assert out["start_date"].isoformat() == "2024-01-31"
    assert out["layer"] == "gemeenschappelijk"
    assert out["target_groups"] == "ouderen;mantelzorgers"
    assert out["wheelchair"] == "onbekend"


def test_every_problem_of_every_row_is_reported_and_good_rows_are_kept():
    rows = pd.DataFrame(
        [
            initiative_row(id="a"),
            initiative_row(id="b", layer="cultureel", lat="abc", name=""),
            initiative_row(id="c", start_date="2024-05-01", end_date="2024-04-01"),
            initiative_row(id="d", lat="60.1"),
        ]
    )
    result = validate_initiatives(rows, "lijst.csv")
    found = problems_by_field(result)
    assert list(result.frame["id"]) == ["a"]
    assert result.rejected_rows == [3, 4, 5]
    assert "persoonlijk, gemeenschappelijk, institutioneel" in found[(3, "layer")].message
    assert found[(3, "layer")].value == "cultureel"
    assert "getal" in found[(3, "lat")].message
    assert found[(3, "name")].message == "verplicht veld ontbreekt"
    assert "einddatum" in found[(4, "end_date")].message
    assert "Nederland" in found[(5, "lat")].message
    assert "lijst.csv, rij 3, veld 'layer'" in found[(3, "layer")].describe()


def test_missing_required_column_is_reported_for_each_row():
    rows = pd.DataFrame([initiative_row(), initiative_row(id="t-2")]).drop(columns=["layer"])
    result = validate_initiatives(rows, "t.csv")
    assert {(p.row, p.field) for p in result.problems} == {(2, "layer"), (3, "layer")}


def test_duplicate_ids_are_errors_not_silent_overwrites():
    rows = pd.DataFrame([initiative_row(id="x"), initiative_row(id="x", name="Ander")])
    result = validate_initiatives(rows, "t.csv")
    assert not result.ok
    assert [(p.row, p.field) for p in result.problems] == [(3, "id")]


def test_unknown_columns_are_a_warning_not_an_error():
    rows = pd.DataFrame([initiative_row(opmerking="iets")])
    result = validate_initiatives(rows, "t.csv")
    assert result.ok
    assert [(p.field, p.severity) for p in result.problems] == [("opmerking", "waarschuwing")]


def test_venue_capacity_must_be_a_whole_number():
    rows = pd.DataFrame(
        [venue_row(), venue_row(id="v-2", capacity="veel"), venue_row(id="v-3", capacity="")]
    )
    result = validate_venues(rows, "locaties.csv")
    assert list(result.frame["id"]) == ["v-1", "v-3"]
    assert [(p.row, p.field) for p in result.problems] == [(3, "capacity")]
    assert result.frame["capacity"].tolist()[1] is pd.NA


def test_required_columns_are_the_documented_ones():
    assert set(REQUIRED_INITIATIVE_COLUMNS) == {"id", "name", "layer", "lat", "lon", "source"}


def test_unknown_classification_stays_empty_instead_of_guessed():
    row = initiative_row(discipline="", cost="", support_activation="", target_groups="")
    out = validate_initiatives(pd.DataFrame([row]), "t.csv").frame.iloc[0]
    assert out["discipline"] is None and out["cost"] is None
    assert out["target_groups"] == "" and out["target_mask"] == 0


def test_flags_and_list_items_get_precise_messages():
    row = initiative_row(target_groups="ouderen;jeugd", geocoded="misschien")
    found = problems_by_field(validate_initiatives(pd.DataFrame([row]), "t.csv"))
    assert found[(2, "target_groups")].message.startswith("'jeugd' is onbekend")
    assert found[(2, "geocoded")].message == "verwacht ja of nee"


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(INITIATIVE_COLUMNS), st.text(max_size=30), max_size=8))
def test_any_text_in_any_field_never_crashes_validation(overrides):
    rows = pd.DataFrame([initiative_row(**overrides)])
    result = validate_initiatives(rows, "t.csv")
    assert len(result.frame) + len(result.rejected_rows) == 1
    assert all(p.row in (None, 2) for p in result.problems)
