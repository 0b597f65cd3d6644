"""Need per buurt from key figures, as an index with documented, adjustable weights.

Each indicator is rescaled within the loaded gemeente to 0..1 (lowest buurt 0, highest 1;
0.5 when all buurten are equal). The need index of a buurt is the weighted mean of its
rescaled indicators; an indicator that is unknown for a buurt (secret or missing) is left out
of that buurt's mean. The index is relative: it says where need is highest *in this gemeente*.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialbasis.i18n import N_, _


def residents(buurten: pd.DataFrame) -> pd.Series:
    """CBS residents per buurt, indexed like ``buurten`` (NaN where unknown, and everywhere
    when the key figures are not loaded)."""
    if "inwoners" not in buurten:
        return pd.Series(np.nan, index=buurten.index)
    return pd.to_numeric(buurten["inwoners"], errors="coerce").astype(float)


@dataclass(frozen=True)
class NeedIndicator:
    column: str
    label: str
    weight: float
    unit: str = "%"


NEED_INDICATORS: tuple[NeedIndicator, ...] = (
    NeedIndicator("pct_eenzaam", "Eenzaam", 2.0),
    NeedIndicator("pct_ernstig_eenzaam", N_("Ernstig eenzaam"), 2.0),
    NeedIndicator("pct_eenzaam_65plus", N_("Eenzaam, 65 jaar en ouder"), 1.0),
    NeedIndicator("pct_65plus", N_("65 jaar en ouder"), 1.0),
    NeedIndicator("pct_eenpersoonshuishoudens", "Eenpersoonshuishoudens", 1.0),
    NeedIndicator("pct_laag_inkomen", N_("Huishoudens met een laag inkomen"), 1.0),
    NeedIndicator("pct_bijstand", N_("Personen met bijstand"), 1.0),
    NeedIndicator("inwoners", "Inwoners", 1.0, unit=""),
)
DEFAULT_WEIGHTS: dict[str, float] = {i.column: i.weight for i in NEED_INDICATORS}
INDICATOR_BY_COLUMN: dict[str, NeedIndicator] = {i.column: i for i in NEED_INDICATORS}


def available_indicators(buurten: pd.DataFrame) -> list[str]:
    """Need indicators present with at least one known value, in declaration order."""
    return [
        i.column
        for i in NEED_INDICATORS
        if i.column in buurten and pd.to_numeric(buurten[i.column], errors="coerce").notna().any()
    ]


def missing_indicators(buurten: pd.DataFrame) -> list[str]:
    """Labels of the need indicators with no known value in ``buurten``: what the need
    index leaves out, to be said wherever it is shown."""
    present = set(available_indicators(buurten))
    return [_(i.label) for i in NEED_INDICATORS if i.column not in present]


def rescale(values: pd.Series) -> pd.Series:
    """Min-max rescaling to 0..1 within the series (0.5 when all known values are equal)."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    low, high = numbers.min(), numbers.max()
    if not np.isfinite(low) or high == low:
        return numbers.where(numbers.isna(), 0.5)
    return (numbers - low) / (high - low)


def need_index(buurten: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.Series:
    """Need index 0..1 per buurt, indexed like ``buurten``; missing where no figure is known
    (or no indicator has a positive weight)."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise ValueError(
            f"unknown need indicator(s) {', '.join(unknown)}; known: {', '.join(DEFAULT_WEIGHTS)}"
        )
    total = pd.Series(0.0, index=buurten.index)
    weight_sum = pd.Series(0.0, index=buurten.index)
    for column in available_indicators(buurten):
        weight = float(weights[column])
        if weight <= 0:
            continue
        scaled = rescale(buurten[column])
        known = scaled.notna()
        total[known] += weight * scaled[known]
        weight_sum[known] += weight
    return (total / weight_sum).where(weight_sum > 0).rename("need")


def need_basis_text(buurten: pd.DataFrame) -> str:
    """In words: which indicators the need index uses, and which it misses.

    >>> need_basis_text(pd.DataFrame({"pct_65plus": [20.0], "inwoners": [100.0]}))[:44]
    'Behoefte uit: 65 jaar en ouder; Inwoners. Ni'
    """
    present = [_(INDICATOR_BY_COLUMN[c].label) for c in available_indicators(buurten)]
    if not present:
        return _("Geen cijfers over behoefte geladen; de rangorde gebruikt alleen het aanbod.")
    missing = missing_indicators(buurten)
    # Labels may hold a comma ("Eenzaam, 65 jaar en ouder"): a semicolon separates them.
    text = _("Behoefte uit: ") + "; ".join(present) + "."
    if missing:
        text += _(" Niet in deze cijfers (dus niet meegeteld): ") + "; ".join(missing) + "."
    return text


def parse_weights(text: str) -> dict[str, float]:
    """Need weights from text: ``"pct_eenzaam:2,inwoners:0"`` (as in a link) or
    ``"pct_eenzaam=2"`` (as on the command line). Unknown indicators, numbers that are not
    numbers, and weights outside 0..10 are refused with a Dutch message.

    >>> parse_weights("pct_eenzaam:3, inwoners=0")
    {'pct_eenzaam': 3.0, 'inwoners': 0.0}
    """
    weights: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _sep, number = part.replace("=", ":").partition(":")
        name = name.strip()
        if name not in DEFAULT_WEIGHTS:
            raise ValueError(
                _("onbekend cijfer {name!r}; kies uit {items}").format(
                    name=name, items=", ".join(DEFAULT_WEIGHTS)
                )
            )
        try:
            weight = float(number)
        except ValueError as exc:
            raise ValueError(
                _("gewicht van {name} is geen getal: {strip!r}").format(
                    name=name, strip=number.strip()
                )
            ) from exc
        if not 0 <= weight <= 10:
            raise ValueError(_("gewicht van {name} moet tussen 0 en 10 liggen").format(name=name))
        weights[name] = weight
    return weights


def format_weights(weights: Mapping[str, float]) -> str:
    """Only weights that differ from the default, in a fixed order (for a link)."""
    return ",".join(
        f"{name}:{weights[name]:g}"
        for name in DEFAULT_WEIGHTS
        if name in weights and weights[name] != DEFAULT_WEIGHTS[name]
    )
