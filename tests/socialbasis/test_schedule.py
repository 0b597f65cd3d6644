import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialbasis.schedule import FULL_MASK, ScheduleError, format_schedule, parse_schedule


def test_slots_in_any_spelling_give_the_same_mask():
    assert parse_schedule("ma-ochtend;wo-avond") == parse_schedule(
        "Maandag ochtend, woensdag:avond"
    )
    assert parse_schedule("mon morning") == parse_schedule("ma-ochtend") == 1


def test_empty_schedule_means_no_fixed_times():
    assert parse_schedule("") == 0
    assert format_schedule(0) == ""


@pytest.mark.parametrize("text", ["maandag", "ma-nacht", "xx-ochtend", "ma ochtend avond"])
def test_unknown_slot_is_refused_with_the_expected_format(text):
    with pytest.raises(ScheduleError, match="ma-ochtend"):
        parse_schedule(text)


@given(st.integers(min_value=0, max_value=FULL_MASK))
def test_text_and_mask_round_trip(mask):
    assert parse_schedule(format_schedule(mask)) == mask
