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
from socialbasis.i18n import N_, _, number
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
PLACE_KEY = "_bewerk_plek"  # (lat, lon) clicked on the map or found for an address
ADDRESS_KEY = "_bewerk_adres"  # what looking up the address found
OPEN_NEXT_KEY = "_bewerk_open_daarna"
LABELS_KEY = "_bewerk_labels"
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


def field_key(kind: str, listing: str, field: str) -> str:
    """The state key of one field of the form of one listing (NEW: a new one)."""
    return f"veld_{kind}_{listing or 'nieuw'}_{field}"


def _forget_form(kind: str, listing: str) -> None:
    """The form of a listing starts again from what is stored (and from its version)."""
    prefix = field_key(kind, listing, "")
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def _form(kind: str, record: dict[str, Any], listing: str) -> dict[str, Any]:
    """The schema's fields as widgets; returns what they hold (plain text, as a file has).
    Each field starts from ``record`` unless the page already set it (a place clicked on the
    map, an address looked up)."""
    values: dict[str, Any] = {}
    for field in INITIATIVE_COLUMNS if kind == "initiatieven" else VENUE_COLUMNS:
        if field in SYSTEM_FIELDS:
            values[field] = record.get(field, False)
            continue
        widget_key = field_key(kind, listing, field)
        title = _(FIELD_LABELS[field])
        current = _text(record.get(field))
        if field in CHOICES:
            options = CHOICES[field]
            if st.session_state.get(widget_key) not in options:
                st.session_state[widget_key] = current if current in options else options[0]
            values[field] = st.selectbox(
                title,
                options,
                format_func=lambda code, f=field: _choice_label(f, code),
                key=widget_key,
            )
        elif field == "target_groups":
            if widget_key not in st.session_state:
                st.session_state[widget_key] = [
                    c for c in current.split(";") if c in codes(TargetGroup)
                ]
            values[field] = ";".join(
                st.multiselect(title, codes(TargetGroup), format_func=label, key=widget_key)
            )
        elif field == "id" and current:
            st.session_state[widget_key] = current
            st.text_input(title, disabled=True, key=widget_key)
            values[field] = current
        else:
            st.session_state.setdefault(widget_key, current)
            widget = st.text_area if field == "description" else st.text_input
            values[field] = widget(title, key=widget_key)
    return values


def _save(
    core: SocialBasis, kind: str, listing: str, values: dict[str, Any], version: int | None
) -> None:
    try:
        saved = core.save_listing(kind, values, version)
    except ValidationFailed as exc:
        st.error(
            _("Niet opgeslagen; verbeter dit eerst:")
            + "\n\n"
            + "\n".join(f"- {md(p.describe())}" for p in exc.problems)
        )
        return
    except StaleEdit:
        st.session_state[CONFLICT_KEY] = {"kind": kind, "listing": listing, "values": values}
        st.rerun()
    except SocialBasisError as exc:
        st.error(md(exc))
        return
    data.changed()
    # The form starts again from what is now stored; the listing stays open in the editor,
    # and its buurt opens beside the map, so the editor sees it there.
    _forget_form(kind, listing)
    st.session_state.pop(OPENED_KEY, None)
    st.session_state.pop(PLACE_KEY, None)
    st.session_state[OPEN_NEXT_KEY] = (kind, saved.id, saved.buurtcode)
    st.session_state["_bewerk_melding"] = _("Opgeslagen als wijzigingsset {changeset}.").format(
        changeset=saved.changeset
    )
    st.rerun()


def open_next() -> None:
    """After a save: open the saved listing in the editor and its buurt in the profile (set
    before those widgets are drawn in this run)."""
    pending = st.session_state.pop(OPEN_NEXT_KEY, None)
    if pending is None:
        return
    kind, listing, buurtcode = pending
    st.session_state["bewerk_soort"] = kind
    st.session_state["bewerk_keuze"] = listing
    if buurtcode:
        st.session_state["buurt"] = buurtcode


def edit_listing(kind: str, listing: str, buurtcode: str | None) -> None:
    """Open a listing in the editor under the map (from the work list): a callback."""
    st.session_state["modus"] = "aanbod"
    st.session_state[OPEN_NEXT_KEY] = (kind, listing, buurtcode)


# --- choosing a place: a click on the map, or an address -------------------------------------


def pick_place(lat: float, lon: float) -> None:
    """The editor clicked the map (a callback, before the run): a new listing goes there;
    an open listing can be moved there with one button."""
    st.session_state[PLACE_KEY] = (round(lat, 6), round(lon, 6))
    kind = st.session_state.get("bewerk_soort", "initiatieven")
    if st.session_state.get("bewerk_keuze", NEW) == NEW:
        _put_place(kind, NEW)


def _put_place(kind: str, listing: str) -> None:
    place = st.session_state.get(PLACE_KEY)
    if place is None:
        return
    st.session_state[field_key(kind, listing, "lat")] = f"{place[0]:.6f}"
    st.session_state[field_key(kind, listing, "lon")] = f"{place[1]:.6f}"


def _look_up_address(core: SocialBasis, kind: str, listing: str) -> None:
    """Find the place of the address in the form (Locatieserver) and put it in the form."""
    text = str(st.session_state.get(field_key(kind, listing, "address")) or "").strip()
    if not text:
        st.session_state[ADDRESS_KEY] = ("warning", _("Vul eerst een adres in."))
        return
    try:
        hit = core.find_address(text)
    except SocialBasisError as exc:
        message = _(
            "Het adres kon niet worden opgezocht ({exc}). Klik de plek op de kaart aan; dat "
            "werkt ook zonder internet."
        ).format(exc=md(exc))
        st.session_state[ADDRESS_KEY] = ("error", message)
        return
    if hit.label is None or hit.lat is None or hit.lon is None:
        st.session_state[ADDRESS_KEY] = (
            "warning",
            _("Niets gevonden voor '{text}'. Klik de plek op de kaart aan.").format(text=md(text)),
        )
        return
    st.session_state[PLACE_KEY] = (round(hit.lat, 6), round(hit.lon, 6))
    _put_place(kind, listing)
    if hit.buurtcode is None:
        outcome = ("warning", _("{label} ligt niet in deze gemeente.").format(label=md(hit.label)))
    else:
        outcome = (
            "success",
            _("Gevonden: {label}. De plek staat in het formulier.").format(label=md(hit.label)),
        )
    st.session_state[ADDRESS_KEY] = outcome


def _conflict(core: SocialBasis) -> bool:
    """Someone else changed the listing meanwhile: both versions, and the editor chooses."""
    conflict = st.session_state.get(CONFLICT_KEY)
    if not conflict:
        return False
    kind, listing, mine = conflict["kind"], conflict["listing"], conflict["values"]
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
        _save(core, kind, listing, mine, None if stored is None else stored["version"])
    if right.button(_("De opgeslagen versie houden"), key="conflict_hunne"):
        st.session_state.pop(CONFLICT_KEY, None)
        st.session_state.pop(OPENED_KEY, None)
        _forget_form(kind, listing)
        st.rerun()
    return True


def render(core: SocialBasis) -> None:
    """The editor's section under the map (only for someone who may edit): add a listing at
    a place clicked on the map or found by its address, edit, move, stop, restore, undo."""
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
    if st.session_state.get("bewerk_keuze") not in (NEW, *by_id):
        st.session_state["bewerk_keuze"] = NEW
    # Streamlit keeps a choice by its label: a listing's label stays what it was when this
    # session first showed it, so a new name or a stop never loses the open listing.
    labels = st.session_state.setdefault(LABELS_KEY, {})
    for listing, stored in by_id.items():
        labels.setdefault((kind, listing), f"{stored['name']} ({listing})")
    chosen = st.selectbox(
        _("Welke vermelding?"),
        [NEW, *by_id],
        format_func=lambda i: _("Een nieuwe vermelding") if i == NEW else labels[(kind, i)],
        key="bewerk_keuze",
    )
    if chosen in retired:
        st.info(_("Deze vermelding is gestopt en staat niet op de kaart."))
    record = dict(by_id.get(chosen, {}))
    # The version the editor started from is kept from when the form opened, and the form
    # starts from that same reading: a save then finds out whether someone else changed the
    # listing in between.
    opened = (kind, chosen)
    if st.session_state.get(OPENED_KEY) != opened:
        st.session_state[OPENED_KEY] = opened
        st.session_state[VERSION_KEY] = record.get("version")
        if chosen != NEW:
            _forget_form(kind, chosen)
    record.pop("version", None)
    _place_hint(chosen)
    with st.form(f"bewerk_{kind}_{chosen or 'nieuw'}"):
        values = _form(kind, record, chosen)
        left, middle, right = st.columns(3)
        submitted = left.form_submit_button(_("Opslaan"), type="primary")
        middle.form_submit_button(
            _("Zoek de plek bij het adres"),
            on_click=_look_up_address,
            args=(core, kind, chosen),
        )
        right.form_submit_button(
            _("Zet op de aangeklikte plek"),
            on_click=_put_place,
            args=(kind, chosen),
            disabled=PLACE_KEY not in st.session_state,
        )
    if submitted:
        _save(core, kind, chosen, values, st.session_state.get(VERSION_KEY))
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


def _place_hint(chosen: str) -> None:
    """How to choose a place, and which place is chosen."""
    outcome = st.session_state.pop(ADDRESS_KEY, None)
    if outcome:
        getattr(st, outcome[0])(outcome[1])  # the parts from data are escaped already
    place = st.session_state.get(PLACE_KEY)
    if place is None:
        st.caption(
            _(
                "Klik op de kaart op de plek van de activiteit of locatie, of vul het adres in "
                "en kies *Zoek de plek bij het adres*."
            )
        )
        return
    where = _("Aangeklikte plek: {lat}, {lon}.").format(
        lat=number(place[0], 5), lon=number(place[1], 5)
    )
    if chosen == NEW:
        st.caption(where + " " + _("Die staat in het formulier."))
    else:
        st.caption(where + " " + _("Verplaatsen: kies *Zet op de aangeklikte plek* en sla op."))


def act(change: Callable[[], object]) -> None:
    """Make one change; show why not if it is refused; else every session's map shows it."""
    try:
        change()
    except SocialBasisError as exc:
        st.error(md(exc))
        return
    data.changed()
    st.rerun()
