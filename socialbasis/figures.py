"""Key figures as a reader sees them: value, unit, the 95 % interval where the source gives
one, the gemeente's value beside the buurt's, and the source and year of each figure.

A figure column ``c`` may come with ``c_ondergrens`` and ``c_bovengrens`` (the bounds of the
source's 95 % interval, e.g. RIVM's model estimates of loneliness).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from socialbasis import i18n
from socialbasis.i18n import _

LOWER_SUFFIX = "_ondergrens"
UPPER_SUFFIX = "_bovengrens"
FIGURE_COLUMNS = ("column", "label", "source", "year", "gemeente")


def figure_sources(figures: pd.DataFrame, columns: list[str] | None = None) -> list[str]:
    """Each source of the figures once, with its year ("CBS, ..., 1 januari 2020"), sorted;
    ``columns`` limits it to the sources of those figures.

    >>> registry = pd.DataFrame({"column": ["a", "b"], "source": ["CBS", "CBS"],
    ...                          "year": ["2020", "2020"]})
    >>> figure_sources(registry), figure_sources(registry, ["c"])
    (['CBS, 2020'], [])
    """
    if not len(figures):
        return []
    chosen = figures if columns is None else figures[figures["column"].isin(columns)]
    return sorted({f"{r.source}, {r.year}".strip(", ") for r in chosen.itertuples()})


def bound_columns(column: str) -> tuple[str, str]:
    return column + LOWER_SUFFIX, column + UPPER_SUFFIX


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def is_percentage(column: str) -> bool:
    return column.startswith("pct_")


def format_figure(value: object, column: str, lower: object = None, upper: object = None) -> str:
    """A figure for display: ``"18 % (15–21 %)"`` with an interval, ``"—"`` when missing.

    >>> format_figure(18.2, "pct_eenzaam", 15.0, 21.4)
    '18 % (15–21 %)'
    >>> format_figure(None, "inwoners"), format_figure(4855.0, "inwoners")
    ('—', '4.855')
    """
    number = _number(value)
    if number is None:
        return "—"
    if is_percentage(column):
        text = f"{i18n.number(number, 0)} %"
        low, high = _number(lower), _number(upper)
        if low is not None and high is not None:
            text += f" ({i18n.number(low, 0)}–{i18n.number(high, 0)} %)"
        return text
    return i18n.number(number, 0 if float(number).is_integer() or number >= 100 else 1)


def figure_table(
    buurt: Mapping[str, object], figures: pd.DataFrame, columns: list[str] | None = None
) -> pd.DataFrame:
    """One row per key figure of a buurt: label, buurt value, gemeente value, source, year.

    ``figures`` is the dataset's figure registry (``FIGURE_COLUMNS``); ``columns`` limits
    and orders the figures (default: every figure in the registry the buurt has).
    """
    meta = figures.set_index("column") if len(figures) else pd.DataFrame(columns=FIGURE_COLUMNS)
    wanted = columns if columns is not None else list(meta.index)
    rows = []
    for column in wanted:
        if column not in meta.index or column not in buurt:
            continue
        lower, upper = bound_columns(column)
        reference = meta.at[column, "gemeente"] if "gemeente" in meta.columns else ""
        rows.append(
            [
                # Labels are stored as the catalogue's source text, so they translate here.
                _(str(meta.at[column, "label"])),
                format_figure(buurt.get(column), column, buurt.get(lower), buurt.get(upper)),
                format_figure(reference, column) if str(reference) else "—",
                meta.at[column, "source"],
                str(meta.at[column, "year"]),
            ]
        )
    headers = [_("Cijfer"), _("Buurt"), _("Gemeente"), _("Bron"), _("Jaar")]
    return pd.DataFrame(rows, columns=headers)
