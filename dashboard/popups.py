"""HTML for tooltips and popups. Every value from data is escaped here, nowhere else."""

from __future__ import annotations

from html import escape

import pandas as pd

from socialbasis.schedule import DAGDELEN, WEEKDAY_LABELS, parse_schedule, slot_bit
from socialbasis.vocab import (
    DISCIPLINE_LABELS,
    INDIVIDUAL_COLLECTIVE_LABELS,
    LAYER_LABELS,
    SUPPORT_ACTIVATION_LABELS,
    TARGET_GROUP_LABELS,
    Discipline,
    IndividualCollective,
    Layer,
    SupportActivation,
    TargetGroup,
)


def text(value: object) -> str:
    """Escaped text of any value; missing values become an empty string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return escape(str(value), quote=True)


def schedule_label(schedule: str) -> str:
    """``"ma-ochtend;wo-avond"`` -> ``"maandag ochtend, woensdag avond"``."""
    mask = parse_schedule(schedule)
    if not mask:
        return "geen vaste tijden"
    return ", ".join(
        f"{WEEKDAY_LABELS[day]} {DAGDELEN[part]}"
        for day in range(len(WEEKDAY_LABELS))
        for part in range(len(DAGDELEN))
        if mask >> slot_bit(day, part) & 1
    )


def target_groups_label(codes: str) -> str:
    return ", ".join(TARGET_GROUP_LABELS[TargetGroup(c)] for c in codes.split(";") if c)


def _label(labels: dict, enum: type, code: object) -> str:
    """The label of a code, or "" when the record does not say (the line is left out)."""
    if code is None or (not isinstance(code, str) and pd.isna(code)) or code == "":
        return ""
    return labels[enum(code)]


def _marks(row: pd.Series) -> str:
    """Warnings a reader must see: invented data, a suggested layer, a geocoded place."""
    marks = []
    if row.get("is_example"):
        marks.append("Voorbeeld, verzonnen")
    if row.get("layer_suggested"):
        marks.append("laag voorgesteld uit de categorie; controleer")
    if row.get("geocoded"):
        marks.append("plek gevonden via het adres")
    return "".join(f"<i>{escape(m)}</i><br>" for m in marks)


def _line(label: str, value: object) -> str:
    shown = text(value)
    return f"<b>{escape(label)}:</b> {shown}<br>" if shown else ""


def initiative_popup(row: pd.Series) -> str:
    example = _marks(row)
    return (
        f'<div class="sbk-popup"><b>{text(row["name"])}</b><br>{example}'
        + _line("Laag", LAYER_LABELS[Layer(row["layer"])])
        + _line("Soort", _label(DISCIPLINE_LABELS, Discipline, row["discipline"]))
        + _line(
            "Werkwijze",
            ", ".join(
                label
                for label in (
                    _label(SUPPORT_ACTIVATION_LABELS, SupportActivation, row["support_activation"]),
                    _label(
                        INDIVIDUAL_COLLECTIVE_LABELS,
                        IndividualCollective,
                        row["individual_collective"],
                    ),
                )
                if label
            ),
        )
        + _line("Voor", target_groups_label(row["target_groups"]))
        + _line("Wanneer", schedule_label(row["schedule"]))
        + _line("Kosten", row["cost"])
        + _line("Rolstoel", "" if row["wheelchair"] == "onbekend" else row["wheelchair"])
        + _line("Organisatie", row["organisation"])
        + _line("Adres", row["address"])
        + (f"<p>{text(row['description'])}</p>" if text(row["description"]) else "")
        + f"<small>Bron: {text(row['source'])}</small></div>"
    )


def initiative_tooltip(row: pd.Series) -> str:
    return f"{text(row['name'])} ({text(LAYER_LABELS[Layer(row['layer'])].lower())})"


def venue_popup(row: pd.Series) -> str:
    example = _marks(row)
    return (
        f'<div class="sbk-popup"><b>{text(row["name"])}</b><br>{example}'
        + _line("Soort locatie", row["kind"])
        + _line("Laag", LAYER_LABELS[Layer(row["layer"])])
        + _line("Capaciteit", row["capacity"])
        + _line("Adres", row["address"])
        + f"<small>Bron: {text(row['source'])}</small></div>"
    )


def buurt_tooltip(row: pd.Series, count: int) -> str:
    return (
        f"<b>{text(row['buurtnaam'])}</b> ({text(row['buurtcode'])})<br>"
        f"Wijk: {text(row['wijknaam'])}<br>"
        f"Werkgebied: {text(row['werkgebied'])}<br>"
        f"Activiteiten (met filters): {count}"
    )
