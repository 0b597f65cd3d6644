"""Weekly schedules as weekday x dagdeel slots.

A schedule is kept in files as text (``"ma-ochtend;wo-avond"``) and in analysis as a 21-bit
mask, bit ``day * 3 + dagdeel``, so that "is anything on at Tuesday evening" is one AND.
"""

from __future__ import annotations

import re

from socialbasis.i18n import N_, _

WEEKDAYS: tuple[str, ...] = ("ma", "di", "wo", "do", "vr", "za", "zo")
WEEKDAY_LABELS: tuple[str, ...] = (
    N_("maandag"),
    N_("dinsdag"),
    N_("woensdag"),
    N_("donderdag"),
    N_("vrijdag"),
    N_("zaterdag"),
    N_("zondag"),
)
DAGDELEN: tuple[str, ...] = ("ochtend", "middag", "avond")
DAGDEEL_LABELS: tuple[str, ...] = (N_("ochtend"), N_("middag"), N_("avond"))
SLOT_COUNT = len(WEEKDAYS) * len(DAGDELEN)
FULL_MASK = (1 << SLOT_COUNT) - 1

_DAY_ALIASES = {
    **{day: i for i, day in enumerate(WEEKDAYS)},
    **{label: i for i, label in enumerate(WEEKDAY_LABELS)},
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_PART_ALIASES = {
    **{part: i for i, part in enumerate(DAGDELEN)},
    "morning": 0,
    "afternoon": 1,
    "evening": 2,
}
_SLOT_SEPARATORS = re.compile(r"[;,/|]")
_DAY_PART_SEPARATORS = re.compile(r"[\s\-:_]+")


class ScheduleError(ValueError):
    """A schedule text does not follow the slot format."""


def slot_code(day: int, part: int) -> str:
    return f"{WEEKDAYS[day]}-{DAGDELEN[part]}"


def slot_bit(day: int, part: int) -> int:
    return day * len(DAGDELEN) + part


def parse_schedule(text: str) -> int:
    """Parse slot text such as ``"ma-ochtend; woensdag avond"`` into a mask.

    Empty text means "no fixed times" and gives 0.

    >>> parse_schedule("ma-ochtend;di-avond")
    33
    """
    mask = 0
    for raw in _SLOT_SEPARATORS.split(text or ""):
        token = raw.strip().lower()
        if not token:
            continue
        pieces = [p for p in _DAY_PART_SEPARATORS.split(token) if p]
        if len(pieces) != 2 or pieces[0] not in _DAY_ALIASES or pieces[1] not in _PART_ALIASES:
            raise ScheduleError(
                _(
                    "'{strip}' is geen tijdvak; verwacht dag-dagdeel zoals 'ma-ochtend' (dagen "
                    "{items}; dagdelen {items2})"
                ).format(strip=raw.strip(), items=", ".join(WEEKDAYS), items2=", ".join(DAGDELEN))
            )
        mask |= 1 << slot_bit(_DAY_ALIASES[pieces[0]], _PART_ALIASES[pieces[1]])
    return mask


def format_schedule(mask: int) -> str:
    """The canonical text of a mask, slots in week order.

    >>> format_schedule(33)
    'ma-ochtend;di-avond'
    """
    return ";".join(
        slot_code(day, part)
        for day in range(len(WEEKDAYS))
        for part in range(len(DAGDELEN))
        if mask >> slot_bit(day, part) & 1
    )


def all_slots() -> list[tuple[int, int]]:
    """Every (day, dagdeel) pair in week order."""
    return [(day, part) for day in range(len(WEEKDAYS)) for part in range(len(DAGDELEN))]
