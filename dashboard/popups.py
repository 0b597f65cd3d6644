"""HTML for tooltips and popups. Every value from data is escaped here, nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import pandas as pd

from socialbasis.i18n import _, day, number
from socialbasis.schedule import DAGDEEL_LABELS, WEEKDAY_LABELS, parse_schedule, slot_bit
from socialbasis.vocab import WHEELCHAIR_LABELS, Wheelchair, label


def text(value: object) -> str:
    """Escaped text of any value; missing values become an empty string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return escape(str(value), quote=True)


def schedule_label(schedule: str) -> str:
    """``"ma-ochtend;wo-avond"`` -> ``"maandag ochtend, woensdag avond"``."""
    mask = parse_schedule(schedule)
    if not mask:
        return _("geen vaste tijden")
    return ", ".join(
        f"{_(WEEKDAY_LABELS[day])} {_(DAGDEEL_LABELS[part])}"
        for day in range(len(WEEKDAY_LABELS))
        for part in range(len(DAGDEEL_LABELS))
        if mask >> slot_bit(day, part) & 1
    )


def target_groups_label(codes: str) -> str:
    return ", ".join(label(c) for c in codes.split(";") if c)


def _label(code: object) -> str:
    """The label of a code, or "" when the record does not say (the line is left out)."""
    if code is None or (not isinstance(code, str) and pd.isna(code)) or code == "":
        return ""
    return label(str(code))


def _wheelchair(code: object) -> str:
    """Only what is known: "onbekend" leaves the line out."""
    if code in (Wheelchair.JA, Wheelchair.NEE):
        return _(WHEELCHAIR_LABELS[Wheelchair(code)])
    return ""


def _capacity(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return ""
    try:
        return _("{people} personen").format(people=number(float(value), 0))
    except (TypeError, ValueError):
        return str(value)


def _marks(row: pd.Series) -> str:
    """Warnings a reader must see: invented data, a suggested layer, a geocoded place."""
    marks = []
    if row.get("is_example"):
        marks.append(_("Voorbeeld, verzonnen"))
    if row.get("layer_suggested"):
        marks.append(_("laag voorgesteld uit de categorie; controleer"))
    if row.get("geocoded"):
        marks.append(_("plek gevonden via het adres"))
    return "".join(f"<i>{escape(m)}</i><br>" for m in marks)


def _line(name: str, value: object) -> str:
    shown = text(value)
    return f"<b>{escape(name)}:</b> {shown}<br>" if shown else ""


def initiative_popup(row: pd.Series, checked_by: str = "", personal: bool = False) -> str:
    example = _marks(row)
    return (
        f'<div class="sbk-popup"><b>{text(row["name"])}</b><br>{example}'
        + _line(_("Laag"), _label(row["layer"]))
        + _line(_("Soort"), _label(row["discipline"]))
        + _line(
            _("Werkwijze"),
            ", ".join(
                shown
                for shown in (
                    _label(row["support_activation"]),
                    _label(row["individual_collective"]),
                )
                if shown
            ),
        )
        + _line(_("Voor"), target_groups_label(row["target_groups"]))
        + _line(_("Wanneer"), schedule_label(row["schedule"]))
        + _line(_("Kosten"), _label(row["cost"]))
        + _line(_("Rolstoel"), _wheelchair(row["wheelchair"]))
        + _line(_("Organisatie"), row["organisation"])
        + _line(_("Adres"), row["address"])
        + _contact(row, personal)
        + _line(_("Laatst gecontroleerd"), _checked(row.get("last_verified"), checked_by))
        + (f"<p>{text(row['description'])}</p>" if text(row["description"]) else "")
        + _source(row)
    )


def _contact(row: pd.Series, personal: bool = False) -> str:
    """How to reach the organisation: website, e-mail, phone; the contact person only when
    ``personal`` (a person's name is personal data: for someone signed in, or published)."""
    parts = []
    website = text(row.get("website"))
    if website.lower().startswith(("https://", "http://")):
        parts.append(f'<a href="{website}" target="_blank" rel="noopener noreferrer">{website}</a>')
    email = text(row.get("email"))
    if email:
        parts.append(f'<a href="mailto:{email}">{email}</a>')
    phone = text(row.get("phone"))
    if phone:
        parts.append(phone)
    person = text(row.get("contact_person")) if personal else ""
    if person:
        parts.append(escape(_("contactpersoon {name}")).format(name=person))
    if not parts:
        return ""
    return f"<b>{escape(_('Contact'))}:</b> " + " · ".join(parts) + "<br>"


def _checked(value: object, by: str = "") -> str:
    """When the listing was last checked, and by whom when known ("" when never)."""
    moment = pd.to_datetime(value, errors="coerce") if value not in (None, "") else pd.NaT
    if pd.isna(moment):
        return ""
    return _("{day} door {who}").format(day=day(moment), who=by) if by else day(moment)


def _source(row: pd.Series) -> str:
    return "<small>" + _("Bron: {source}").format(source=text(row["source"])) + "</small></div>"


def initiative_tooltip(row: pd.Series) -> str:
    return f"{text(row['name'])} ({text(_label(row['layer']).lower())})"


def venue_popup(row: pd.Series, personal: bool = False) -> str:
    example = _marks(row)
    return (
        f'<div class="sbk-popup"><b>{text(row["name"])}</b><br>{example}'
        + _line(_("Soort locatie"), row["kind"])
        + _line(_("Laag"), _label(row["layer"]))
        + _line(_("Capaciteit"), _capacity(row["capacity"]))
        + _line(_("Adres"), row["address"])
        + _contact(row, personal)
        + _source(row)
    )


def buurt_tooltip(row: Mapping[str, object], count: int) -> str:
    return (
        f"<b>{text(row['buurtnaam'])}</b> ({text(row['buurtcode'])})<br>"
        + _line(_("Wijk"), row["wijknaam"])
        + _line(_("Werkgebied"), row["werkgebied"])
        + escape(_("Activiteiten (met filters): {count}").format(count=number(count, 0)))
    )
