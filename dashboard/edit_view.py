"""Editing one listing in the dashboard: a form with the schema's fields, checked exactly as an
import checks a row; stop and restore; the listing's history; and, when someone else changed
it meanwhile, both versions side by side to choose from (nothing is overwritten silently)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.labels import label, md
from socialbasis.access import EDIT
from socialbasis.app import KINDS, SocialBasis
from socialbasis.db.store import StaleEdit, describe_change
from socialbasis.errors import SocialBasisError, ValidationFailed
from socialbasis.i18n import N_, _
from socialbasis.schema import INITIATIVE_COLUMNS, VENUE_COLUMNS
from socialbasis.vocab import (
    Cost,
    Discipline,
    IndividualCollective,
    Layer,
    SupportActivation,
    TargetGroup,
    Wheelchair,
    codes,
)

FIELD_LABELS = {
    "id": N_("Id (leeg bij een nieuwe: wordt gemaakt)"),
    "name": N_("Naam"),
    "organisation": N_("Organisatie"),
    "description": N_("Beschrijving"),
    "layer": N_("Laag"),
    "support_activation": N_("Hulpverlening of activering"),
    "individual_collective": N_("Individueel of collectief"),
    "discipline": N_("Soort activiteit"),
    "target_groups": N_("Doelgroep"),
    "cost": N_("Kosten"),
    "wheelchair": N_("Rolstoel"),
    "schedule": N_("Wanneer (bijvoorbeeld ma-ochtend;wo-avond)"),
    "start_date": N_("Begindatum (JJJJ-MM-DD)"),
    "end_date": N_("Einddatum (JJJJ-MM-DD)"),
    "address": N_("Adres"),
    "lat": N_("Breedtegraad (lat, bijvoorbeeld 52,44)"),
    "lon": N_("Lengtegraad (lon, bijvoorbeeld 4,82)"),
    "source": N_("Bron"),
    "last_verified": N_("Laatst gecontroleerd (JJJJ-MM-DD)"),
    "kind": N_("Soort locatie"),
    "capacity": N_("Capaciteit (personen)"),
    "website": N_("Website (https://…)"),
    "email": N_("E-mail"),
    "phone": N_("Telefoon"),
    "contact_person": N_("Contactpersoon (persoonsgegevens: alleen voor wie is ingelogd)"),
}
CHOICES: dict[str, list[str]] = {
    "layer": codes(Layer),
    "support_activation": ["", *codes(SupportActivation)],
    "individual_collective": ["", *codes(IndividualCollective)],
    "discipline": ["", *codes(Discipline)],
    "cost": ["", *codes(Cost)],
    "wheelchair": codes(Wheelchair),
}
# Set by the importer, not by people.
SYSTEM_FIELDS = ("layer_suggested", "geocoded")
NEW = ""
CONFLICT_KEY = "_bewerk_conflict"
OPENED_KEY = "_bewerk_open"
VERSION_KEY = "_bewerk_versie"


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _comparable(value: object) -> object:
    """A value as it would be stored: "52,44" and 52.44 are the same coordinate."""
    text = _text(value).strip()
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def _choice_label(field: str, code: str) -> str:
    if not code:
        return _("(niet ingevuld)")
    if field == "wheelchair":
        return {"ja": _("Ja"), "nee": _("Nee")}.get(code, _("onbekend"))
    return label(code)


def _form(kind: str, record: dict[str, Any], key: str) -> dict[str, Any]:
    """The schema's fields as widgets; returns what they hold (plain text, as a file has)."""
    values: dict[str, Any] = {}
    for field in INITIATIVE_COLUMNS if kind == "initiatieven" else VENUE_COLUMNS:
        if field in SYSTEM_FIELDS:
            values[field] = record.get(field, False)
            continue
        widget_key = f"veld_{key}_{field}"
        title = _(FIELD_LABELS[field])
        current = _text(record.get(field))
        if field in CHOICES:
            options = CHOICES[field]
            values[field] = st.selectbox(
                title,
                options,
                index=options.index(current) if current in options else 0,
                format_func=lambda code, f=field: _choice_label(f, code),
                key=widget_key,
            )
        elif field == "target_groups":
            chosen = [c for c in current.split(";") if c in codes(TargetGroup)]
            values[field] = ";".join(
                st.multiselect(
                    title, codes(TargetGroup), default=chosen, format_func=label, key=widget_key
                )
            )
        elif field == "description":
            values[field] = st.text_area(title, value=current, key=widget_key)
        elif field == "id" and current:
            st.text_input(title, value=current, disabled=True, key=widget_key)
            values[field] = current
        else:
            values[field] = st.text_input(title, value=current, key=widget_key)
    return values


def _save(core: SocialBasis, kind: str, values: dict[str, Any], version: int | None) -> None:
    try:
        applied = core.save_listing(kind, values, version)
    except ValidationFailed as exc:
        st.error(
            _("Niet opgeslagen; verbeter dit eerst:")
            + "\n\n"
            + "\n".join(f"- {md(p.describe())}" for p in exc.problems)
        )
        return
    except StaleEdit:
        st.session_state[CONFLICT_KEY] = {"kind": kind, "values": values}
        st.rerun()
    except SocialBasisError as exc:
        st.error(md(exc))
        return
    data.changed()
    st.session_state.pop(OPENED_KEY, None)  # the next form starts from the saved version
    st.session_state["_bewerk_melding"] = _("Opgeslagen als wijzigingsset {changeset}.").format(
        changeset=applied.changeset
    )
    st.rerun()


def _conflict(core: SocialBasis) -> bool:
    """Someone else changed the listing meanwhile: both versions, and the editor chooses."""
    conflict = st.session_state.get(CONFLICT_KEY)
    if not conflict:
        return False
    kind, mine = conflict["kind"], conflict["values"]
    records, _retired = core.stored_records(kind)
    stored = next((r for r in records if r["id"] == mine["id"]), None)
    st.warning(
        _(
            "Iemand anders heeft deze vermelding gewijzigd terwijl u bewerkte. Er is niets "
            "overschreven. Kies welke versie blijft."
        )
    )
    if stored is not None:
        differences = [
            f
            for f in mine
            if f not in SYSTEM_FIELDS and _comparable(mine.get(f)) != _comparable(stored.get(f))
        ]
        st.dataframe(
            pd.DataFrame(
                {
                    _("Veld"): [_(FIELD_LABELS.get(f, f)) for f in differences],
                    _("Uw versie"): [_text(mine.get(f)) for f in differences],
                    _("Nu opgeslagen"): [_text(stored.get(f)) for f in differences],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    left, right = st.columns(2)
    if left.button(_("Mijn versie opslaan"), key="conflict_mijn"):
        st.session_state.pop(CONFLICT_KEY, None)
        _save(core, kind, mine, None if stored is None else stored["version"])
    if right.button(_("De opgeslagen versie houden"), key="conflict_hunne"):
        st.session_state.pop(CONFLICT_KEY, None)
        st.session_state.pop(OPENED_KEY, None)
        st.rerun()
    return True


def render(core: SocialBasis) -> None:
    """The editor's section of the data page (only for someone who may edit)."""
    if not core.may(EDIT):
        return
    st.subheader(_("Aanbod bewerken"))
    message = st.session_state.pop("_bewerk_melding", None)
    if message:
        st.success(message)
    if _conflict(core):
        return
    kind = st.radio(
        _("Wat wilt u bewerken?"),
        list(KINDS),
        format_func=lambda k: _("Activiteiten") if k == "initiatieven" else _("Locaties"),
        horizontal=True,
        key="bewerk_soort",
    )
    records, retired = core.stored_records(kind)
    by_id = {r["id"]: r for r in records}
    chosen = st.selectbox(
        _("Welke vermelding?"),
        [NEW, *by_id],
        format_func=lambda i: (
            _("Een nieuwe vermelding")
            if i == NEW
            else f"{by_id[i]['name']} ({i})" + (_(" · gestopt") if i in retired else "")
        ),
        key="bewerk_keuze",
    )
    record = dict(by_id.get(chosen, {}))
    # The version the editor started from is kept from when the form opened: a save then
    # finds out whether someone else changed the listing in between.
    opened = (kind, chosen)
    if st.session_state.get(OPENED_KEY) != opened:
        st.session_state[OPENED_KEY] = opened
        st.session_state[VERSION_KEY] = record.get("version")
    record.pop("version", None)
    with st.form(f"bewerk_{kind}_{chosen or 'nieuw'}"):
        values = _form(kind, record, f"{kind}_{chosen or 'nieuw'}")
        submitted = st.form_submit_button(_("Opslaan"))
    if submitted:
        _save(core, kind, values, st.session_state.get(VERSION_KEY))
    if chosen == NEW:
        return
    if chosen in retired:
        if st.button(_("Terug op de kaart"), key="bewerk_herstel"):
            act(lambda: core.restore(chosen, kind))
    else:
        reason = st.text_input(_("Waarom gestopt?"), key="bewerk_reden")
        if st.button(_("Zet op gestopt"), key="bewerk_stop", disabled=not reason.strip()):
            act(lambda: core.retire(chosen, reason, kind))
    changes = core.history(chosen)
    if changes:
        with st.expander(_("Geschiedenis van deze vermelding")):
            st.markdown("\n".join(f"- {md(describe_change(c))}" for c in changes))
            last = changes[-1]
            if last.action in ("bewerking", "gestopt", "hersteld") and st.button(
                _("Maak de laatste wijziging ongedaan ({changeset})").format(
                    changeset=last.changeset
                ),
                key="bewerk_ongedaan",
            ):
                act(lambda: core.undo(last.changeset))


def act(change: Callable[[], object]) -> None:
    """Make one change; show why not if it is refused; else every session's map shows it."""
    try:
        change()
    except SocialBasisError as exc:
        st.error(md(exc))
        return
    data.changed()
    st.rerun()
