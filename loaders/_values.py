"""Helpers shared by the CBS parsers: missing-value codes and property lookup.

No CBS count, percentage, density or distance is negative, so every negative value is a code
for a missing figure. The codes seen in CBS's releases, and what they mean:

- ``-99999999`` (and ``-99999998``/``-99999997``): older Wijk- en buurtkaart, secret or unknown;
- ``-99997``: secret (fewer than 5, or shielded), in the 100 m squares and newer releases;
- ``-99995``: unknown, not reliable enough or secret, in newer releases;
- ``null`` in StatLine (``.`` in its CSV): not published.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from socialbasis.i18n import N_, _

NOT_PUBLISHED = N_("niet gepubliceerd")
REASONS: dict[float, str] = {
    -99997.0: N_("geheim"),
    -99995.0: N_("onbekend of niet betrouwbaar genoeg"),
}
OLD_SENTINEL_LIMIT = -99_999_000  # -99999999 and its neighbours in the older releases
OLD_SENTINEL_REASON = N_("geheim of onbekend")
OTHER_NEGATIVE_REASON = N_("negatief (ongeldig voor dit cijfer)")
NOT_A_NUMBER_REASON = N_("geen getal")


def missing_reason(value: Any) -> str | None:
    """Why a CBS figure is missing, or ``None`` when it is a usable number.

    >>> missing_reason(12.5) is None
    True
    >>> missing_reason(-99997), missing_reason(-99999999), missing_reason(None)
    ('geheim', 'geheim of onbekend', 'niet gepubliceerd')
    """
    number = _as_float(value)
    if number is None:
        if value is None or (isinstance(value, str) and value.strip() in {"", ".", "-", "x", "?"}):
            return _(NOT_PUBLISHED)
        if isinstance(value, float) and math.isnan(value):
            return _(NOT_PUBLISHED)
        return _(NOT_A_NUMBER_REASON)
    if number >= 0:
        return None
    if number in REASONS:
        return _(REASONS[number])
    if number <= OLD_SENTINEL_LIMIT:
        return _(OLD_SENTINEL_REASON)
    return _(OTHER_NEGATIVE_REASON)


def _as_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def number_or_none(value: Any) -> float | None:
    """A CBS figure as a number; every negative code, blank and text becomes ``None``.

    >>> number_or_none("12,5"), number_or_none(-99997), number_or_none(-1), number_or_none(".")
    (12.5, None, None, None)
    """
    return _as_float(value) if missing_reason(value) is None else None


class MissingCounter:
    """Counts, per figure, how many areas miss it and why, for the fetch notes."""

    def __init__(self) -> None:
        self.reasons: dict[str, Counter[str]] = {}

    def add(self, column: str, value: Any) -> float | None:
        """The value as a number, counting the reason when it is missing."""
        reason = missing_reason(value)
        counter = self.reasons.setdefault(column, Counter())
        if reason is not None:
            counter[reason] += 1
            return None
        return _as_float(value)

    def missing(self, column: str) -> int:
        return sum(self.reasons.get(column, Counter()).values())

    def describe(self, column: str) -> str:
        """``"2 geheim, 1 niet gepubliceerd"``; empty when nothing is missing."""
        counter = self.reasons.get(column, Counter())
        return ", ".join(f"{n} {reason}" for reason, n in sorted(counter.items()))


def missing_notes(
    counter: MissingCounter, labels: Mapping[str, str], total: int, what: str = "buurten"
) -> list[str]:
    """One note per figure that some areas miss: how many and why."""
    return [
        _("{missing} van {total} {what} zonder cijfer '{label}' ({describe})").format(
            missing=counter.missing(column),
            total=total,
            what=what,
            label=label,
            describe=counter.describe(column),
        )
        for column, label in labels.items()
        if counter.missing(column)
    ]


def first_present(properties: Mapping[str, Any], names: Iterable[str]) -> tuple[str | None, Any]:
    """The first of ``names`` that occurs in ``properties``, and its value."""
    for name in names:
        if name in properties:
            return name, properties[name]
    return None, None


def text(value: Any) -> str:
    """CBS pads text fields with spaces: strip them."""
    return "" if value is None else str(value).strip()
