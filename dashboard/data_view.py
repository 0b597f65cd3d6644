"""Bringing data in and out: listings upload with its report, werkgebieden, exports."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data, edit_view
from dashboard.labels import md
from socialbasis.access import EDIT, MANAGE
from socialbasis.analysis.filters import Filters
from socialbasis.app import (
    DUPLICATE_CHOICES,
    KINDS,
    ImportReport,
    SocialBasis,
    parse_column_map,
    year_from_name,
)
from socialbasis.dataset import Dataset
from socialbasis.db.from_files import migration_reports
from socialbasis.db.store import describe_change
from socialbasis.errors import SocialBasisError, ValidationFailed
from socialbasis.export import csv_bytes
from socialbasis.i18n import N_, _, day, language, moment
from socialbasis.settings import Settings

KIND_LABELS = {
    "initiatieven": N_("Activiteiten (initiatieven)"),
    "locaties": N_("Locaties (gebouwen)"),
}


def problems_table(report: ImportReport) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Rij"): [p.row if p.row is not None else "" for p in report.problems],
            _("Veld"): [p.field or "" for p in report.problems],
            _("Waarde"): [p.value for p in report.problems],
            _("Melding"): [p.message for p in report.problems],
            _("Soort"): ["fout" if p.severity == "fout" else _("let op") for p in report.problems],
        }
    )


def _upload_listings(dataset: Dataset, settings: Settings) -> None:
    st.subheader(_("Aanbod inlezen"))
    st.caption(
        _(
            "CSV (ook uit Excel met puntkomma's), Excel (.xlsx), GeoJSON of Open Referral "
            "HSDS 3 JSON. Elk probleem wordt gemeld met rij en veld; niets wordt stil "
            "weggelaten of overschreven."
        )
    )
    kind = st.radio(
        _("Wat staat er in het bestand?"),
        list(KINDS),
        format_func=lambda kind: _(KIND_LABELS[kind]),
        horizontal=True,
        key="upload_soort",
    )
    upload = st.file_uploader(
        _("Bestand"), type=["csv", "txt", "xlsx", "json", "geojson"], key="upload_bestand"
    )
    mapping_text = st.text_area(
        _("Koppeling van kolommen (optioneel)"),
        key="upload_koppeling",
        placeholder=_("Eén per regel, bijvoorbeeld:\nWat=name\nWie=organisation"),
        help=_("Alleen nodig als een kolom niet vanzelf herkend wordt."),
    )
    geocode = st.checkbox(
        _("Zoek coördinaten bij adressen (PDOK Locatieserver, internet nodig)"),
        value=True,
        key="upload_geocode",
    )
    if upload is None:
        return
    try:
        column_map = parse_column_map(mapping_text.splitlines())
    except ValueError as exc:
        st.error(_("De koppeling van kolommen klopt niet: {exc}").format(exc=md(exc)))
        return
    core = data.core(settings)
    try:
        report = core.check_listing_file(
            upload.getvalue(), upload.name, kind=kind, column_map=column_map, geocode=geocode
        )
    except SocialBasisError as exc:
        st.error(_("Het bestand kan niet worden gelezen.\n\n{exc}").format(exc=md(exc)))
        return
    st.markdown(
        _(
            "**{source}**: {format}, {rows_read} rijen gelezen. Goed: **{count}**, "
            "geweigerd: **{count2}**, meldingen: **{count3}**."
        ).format(
            source=md(report.source),
            format=md(report.format),
            rows_read=report.rows_read,
            count=len(report.frame),
            count2=len(report.refused_rows),
            count3=len(report.warnings),
        )
    )
    if report.updates:
        st.markdown(
            _(
                "{updates} van de goede rijen staan al opgeslagen (zelfde id): die worden "
                "bijgewerkt, niet verdubbeld."
            ).format(updates=report.updates)
        )
    if report.problems:
        st.dataframe(problems_table(report), hide_index=True, width="stretch")
    choices = _duplicate_choices(report)
    if len(report.frame) and st.button(
        _("Lees {count} goede rijen in").format(count=len(report.frame)),
        type="primary",
        key="upload_bevestig",
    ):
        try:
            result = core.apply_import(report, choices)
        except SocialBasisError as exc:
            st.error(_("Er is niets opgeslagen.\n\n{exc}").format(exc=md(exc)))
            return
        data.changed()
        if result.applied is None:
            st.info(_("Er is niets opgeslagen: elke rij is overgeslagen."))
        else:
            st.success(
                _(
                    "Opgeslagen als wijzigingsset {changeset}: {applied}. De kaart laat het nu "
                    "zien; onder *Geschiedenis* kunt u dit als geheel ongedaan maken."
                ).format(changeset=result.applied.changeset, applied=md(result.applied))
            )
        for row, why in sorted(result.skipped.items()):
            st.markdown(_("- Rij {row} niet ingelezen: {why}").format(row=row, why=md(why)))


MAX_CHOICE_ROWS = 50  # more look-alikes than this: one choice for all


def _duplicate_choices(report: ImportReport) -> dict[int, str]:
    """Per likely duplicate of a stored listing: update it, keep both, or skip the row. One
    choice for all, and (for up to MAX_CHOICE_ROWS rows) one per row, as plain select boxes
    that a keyboard and a screen reader can use."""
    duplicates = report.likely_duplicates
    if not duplicates:
        return {}
    st.markdown(
        _(
            "**{count} rij(en) lijken op aanbod dat er al is** (zelfde naam binnen 100 "
            "m, of zelfde organisatie en adres). Kies wat er met die rijen moet gebeuren."
        ).format(count=len(duplicates))
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("Rij"): [d.row for d in duplicates],
                _("In het bestand"): [d.name for d in duplicates],
                _("Lijkt op"): [f"{d.existing_name} ({d.existing_id})" for d in duplicates],
                _("Waarom"): [d.reason for d in duplicates],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    options = list(DUPLICATE_CHOICES)
    for_all = st.selectbox(
        _("Voor alle rijen die dubbel lijken"),
        options,
        index=options.index("overslaan"),
        format_func=lambda choice: _(DUPLICATE_CHOICES[choice]),
        key="dubbel_alle",
    )
    choices = dict.fromkeys((d.row for d in duplicates), for_all)
    if len(duplicates) <= MAX_CHOICE_ROWS:
        with st.expander(_("Per rij kiezen")):
            for d in duplicates:
                choices[d.row] = st.selectbox(
                    _("Rij {row}: {name} · lijkt op {existing_name} ({existing_id})").format(
                        row=d.row,
                        name=d.name,
                        existing_name=d.existing_name,
                        existing_id=d.existing_id,
                    ),
                    options,
                    index=options.index(for_all),
                    format_func=lambda choice: _(DUPLICATE_CHOICES[choice]),
                    key=f"dubbel_rij_{d.row}_{for_all}",
                )
    return choices


def _upload_mapping(dataset: Dataset, settings: Settings) -> None:
    st.subheader(_("Werkgebieden van de sociale wijkteams"))
    status = "indicatief" if dataset.area_mapping.is_indicative else dataset.area_mapping.status
    st.caption(
        _(
            "Nu: {status}. Een eigen indeling is een CSV met de kolommen code (wijkcode "
            "of buurtcode) en werkgebied, en eventueel status."
        ).format(status=md(status))
    )
    upload = st.file_uploader(_("Indeling (CSV)"), type=["csv", "txt"], key="upload_indeling")
    if upload is None:
        return
    core = data.core(settings)
    try:
        mapping = core.check_mapping(upload.getvalue(), upload.name)
    except ValidationFailed as exc:
        st.error(_("De indeling klopt niet; er is niets veranderd."))
        st.dataframe(
            pd.DataFrame(
                {
                    _("Rij"): [p.row or "" for p in exc.problems],
                    _("Veld"): [p.field for p in exc.problems],
                    _("Waarde"): [p.value for p in exc.problems],
                    _("Melding"): [p.message for p in exc.problems],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        return
    except SocialBasisError as exc:
        st.error(md(exc))
        return
    areas = mapping.table["werkgebied"]
    st.markdown(
        _("{nunique} werkgebieden voor de {count} buurten ({count2} regels).").format(
            nunique=areas.nunique(), count=len(dataset.buurten), count2=len(areas)
        )
    )
    if st.button(_("Gebruik deze indeling"), key="indeling_bevestig"):
        core.save_mapping(upload.getvalue(), upload.name)
        data.changed()
        st.success(_("De indeling is opgeslagen en wordt nu gebruikt."))


def _upload_population(dataset: Dataset, settings: Settings) -> None:
    st.subheader(_("Inwoners per 100 meter"))
    current = dataset.population
    st.caption(
        (
            _("Nu: {label} ({source}); de dekking telt naar inwoners.").format(
                label=md(current.label), source=md(current.source)
            )
            if current is not None
            else _("Nu: geen. De dekking telt naar oppervlakte.")
        )
        + _(
            " Lees de CBS Vierkantstatistieken in (GeoPackage van cbs.nl, kolom aantal_inwoners)"
            " om te tellen waar mensen wonen. Een bestand van heel Nederland is te groot om hier"
            " te uploaden; gebruik dan `socialbasis bevolking BESTAND`."
        )
    )
    core = data.core(settings)
    if current is not None and st.button(_("Niet meer gebruiken"), key="bevolking_weg"):
        core.remove_population()
        data.changed()
        st.success(_("Verwijderd. De dekking telt weer naar oppervlakte."))
        return
    upload = st.file_uploader(
        _("Vierkantstatistieken"), type=["gpkg", "geojson", "json"], key="upload_bevolking"
    )
    if upload is None:
        return
    name = Path(upload.name).name
    year = st.number_input(
        _("Jaar van de cijfers"),
        min_value=2000,
        max_value=2100,
        value=year_from_name(Path(name)),
        step=1,
        key="bevolking_jaar",
    )
    if year is None:
        st.info(_("Vul het jaar van de cijfers in; het staat niet in de bestandsnaam."))
        return
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(upload.getvalue())
            population = core.read_population(path, int(year))
    except SocialBasisError as exc:
        st.error(md(exc))
        return
    st.markdown(md(population.summary(dataset.gemeentenaam)))
    if st.button(_("Gebruik deze inwonersaantallen"), key="bevolking_bevestig"):
        core.save_population(population)
        data.changed()
        st.success(_("Opgeslagen. De dekking telt nu naar inwoners."))


def _exports(core: SocialBasis, filters: Filters) -> None:
    st.subheader(_("Exporteren"))
    dataset = core.dataset()
    chosen = core.selected_initiatives(filters)
    st.caption(
        _("Met de filters links: {count} activiteiten, {count2} locaties.").format(
            count=len(chosen), count2=len(dataset.venues)
        )
    )
    stem = f"{dataset.gemeentecode}_{dataset.year}"
    st.caption(
        _(
            "*Excel* opent direct in Nederlandse Excel (puntkomma's, decimale komma, Nederlandse "
            "kolomnamen). *CSV (standaard)* is het vaste formaat "
            "om weer in te lezen of te koppelen."
        )
    )
    personal = False
    if core.may(EDIT):
        personal = st.checkbox(
            _("Met de namen van contactpersonen (persoonsgegevens)"),
            key="export_contactpersonen",
            help=_(
                "Alleen voor wie ze mag hebben (AVG). Zonder dit vinkje staan ze in geen enkele "
                "export."
            ),
        )
    # (label, format, file name, MIME type, key), in the order of the buttons.
    buttons = (
        (_("Excel (CSV)"), "excel", f"aanbod_{stem}_excel.csv", "text/csv", "export_excel"),
        ("GeoJSON", "geojson", f"aanbod_{stem}.geojson", "application/geo+json", "export_geojson"),
        (
            "GeoPackage",
            "gpkg",
            f"aanbod_{stem}.gpkg",
            "application/geopackage+sqlite3",
            "export_gpkg",
        ),
        (
            _("Open Referral (HSDS)"),
            "hsds",
            f"aanbod_{stem}_hsds.json",
            "application/json",
            "export_hsds",
        ),
        (
            _("Per buurt (Excel)"),
            "buurten-excel",
            f"per_buurt_{stem}.csv",
            "text/csv",
            "export_buurten",
        ),
        (_("CSV (standaard)"), "csv", f"aanbod_{stem}.csv", "text/csv", "export_csv"),
    )
    for column, (label, fmt, file_name, mime, key) in zip(
        st.columns(len(buttons)), buttons, strict=True
    ):
        column.download_button(
            label,
            core.export(fmt, filters, with_contact_person=personal)[0],
            file_name,
            mime,
            key=key,
            type="primary" if fmt == "excel" else "secondary",
        )
    if len(dataset.venues):
        st.download_button(
            _("Locaties (Excel)"),
            core.export("excel", filters, kind="locaties", with_contact_person=personal)[0],
            f"locaties_{stem}.csv",
            "text/csv",
            key="export_locaties",
        )


def render(dataset: Dataset, settings: Settings, filters: Filters) -> None:
    core = data.core(settings)
    if core.may(MANAGE):
        _upload_listings(dataset, settings)
        st.divider()
        _upload_mapping(dataset, settings)
        st.divider()
        _upload_population(dataset, settings)
    else:
        # Only what this person may do is offered; the core refuses the rest anyway.
        st.subheader(_("Gegevens inlezen"))
        st.info(
            _(
                "Aanbod, werkgebieden en inwoners inlezen en wijzigingen ongedaan maken kan "
                "een ingelogde beheerder (zie *Inloggen* onderaan de filters)."
            )
        )
    st.divider()
    if core.may(EDIT):
        st.info(
            _(
                "Aanbod toevoegen, bewerken, verplaatsen of stoppen doet u onder de kaart, bij "
                "*Weergave: Aanbod*. Daar kiest u ook de plek met een klik op de kaart."
            )
        )
    _out_of_date(core)
    st.divider()
    _exports(core, filters)
    st.divider()
    _history(core)
    st.divider()
    _change_feed(core)
    if dataset.notes:
        st.divider()
        st.subheader(_("Opmerkingen bij de opgehaalde gegevens"))
        st.caption(_("Zoals ze bij het ophalen zijn vastgelegd."))
        st.markdown("\n".join(f"- {md(note)}" for note in dataset.notes))


def _change_feed(core: SocialBasis) -> None:
    """What changed since a day, to read or to send on (CSV, HSDS)."""
    st.subheader(_("Wijzigingen sinds een datum"))
    since = st.date_input(
        _("Sinds"),
        value=date.today() - timedelta(days=30),
        key="wijzigingen_sinds",
        format="DD-MM-YYYY" if language() == "nl" else "DD/MM/YYYY",
    )
    feed = core.change_feed(since)
    if not len(feed):
        st.caption(_("Geen wijzigingen sinds {day}.").format(day=day(since)))
        return
    st.dataframe(
        pd.DataFrame(
            {
                _("Nr"): feed["changeset"],
                _("Wanneer"): [moment(at) for at in feed["at"]],
                _("Wie"): feed["actor"],
                _("Wat"): feed["action"],
                _("Naam"): feed["name"],
                _("Velden"): feed["fields"],
                _("Waarom"): feed["reason"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    stamp = f"{core.settings.gemeente}_{since:%Y%m%d}"
    left, right = st.columns(2)
    left.download_button(
        _("Wijzigingen als CSV"),
        csv_bytes(feed),
        file_name=f"wijzigingen_{stamp}.csv",
        mime="text/csv",
        key="wijzigingen_csv",
    )
    right.download_button(
        _("Gewijzigde activiteiten als HSDS"),
        core.change_feed_hsds(feed),
        file_name=f"wijzigingen_{stamp}_hsds.json",
        mime="application/json",
        key="wijzigingen_hsds",
    )


OUT_OF_DATE_SHOWN = 20


def _out_of_date(core: SocialBasis) -> None:
    """ "Nog actueel?": what nobody checked for a while, per werkgebied, oldest first; an
    editor confirms ("klopt nog"), or marks it stopped, with one click each."""
    st.subheader(_("Nog actueel?"))
    stale = core.out_of_date()
    st.caption(
        _(
            "{count} activiteiten zijn sinds {day} niet gecontroleerd (of nooit). De oudste "
            "staan bovenaan."
        ).format(count=len(stale), day=day(core.checked_since()))
    )
    if not len(stale):
        return
    areas = sorted(stale["werkgebied"].dropna().unique())
    chosen = st.selectbox(
        _("Werkgebied"),
        ["", *areas],
        format_func=lambda area: area or _("Alle werkgebieden"),
        key="actueel_werkgebied",
    )
    shown = stale[stale["werkgebied"] == chosen] if chosen else stale
    may_edit = core.may(EDIT)
    for row in shown.head(OUT_OF_DATE_SHOWN).itertuples():
        columns = st.columns([4, 3, 1, 1, 1] if may_edit else [4, 3], vertical_alignment="center")
        columns[0].markdown(f"**{md(row.name)}** · {md(row.buurtnaam)}")
        columns[1].caption(
            _("Gecontroleerd op {day} door {who}").format(
                day=day(row.last_verified), who=md(row.checked_by or _("onbekend"))
            )
            if pd.notna(row.last_verified)
            else _("Nooit gecontroleerd")
        )
        if not may_edit:
            continue
        if columns[2].button(_("Klopt nog"), key=f"klopt_{row.id}"):
            edit_view.act(lambda listing=row.id: core.confirm(listing))
        columns[3].button(
            _("Bewerk"),
            key=f"bewerk_{row.id}",
            on_click=edit_view.edit_listing,
            args=("initiatieven", row.id, row.buurtcode),
            help=_("Opent de vermelding onder de kaart, bij Weergave: Aanbod."),
        )
        with columns[4].popover(_("Gestopt")):
            reason = st.text_input(_("Waarom gestopt?"), key=f"reden_{row.id}")
            if st.button(_("Zet op gestopt"), key=f"stop_{row.id}", disabled=not reason.strip()):
                edit_view.act(lambda listing=row.id, why=reason: core.retire(listing, why))
    if len(shown) > OUT_OF_DATE_SHOWN:
        st.caption(_("En nog {count}.").format(count=len(shown) - OUT_OF_DATE_SHOWN))


def _history(core: SocialBasis) -> None:
    """Every change to the listings: who, when, what and why; any of them undone whole."""
    st.subheader(_("Geschiedenis"))
    for report in migration_reports(core.store, core.settings.gemeente)[:1]:
        with st.expander(_("Overgezet naar de database")):
            st.text(report.read_text(encoding="utf-8"))
    sets = core.changesets()
    if not len(sets):
        st.caption(
            _("Nog geen wijzigingen. Elke import komt hier, en is als geheel terug te draaien.")
        )
        return
    st.dataframe(
        pd.DataFrame(
            {
                _("Nr"): sets["id"],
                _("Wanneer"): [_("{at:%Y-%m-%d %H:%M}").format(at=at) for at in sets["at"]],
                _("Wie"): sets["actor"],
                _("Wat"): sets["action"],
                _("Rijen"): sets["rows"],
                _("Waarom"): sets["reason"],
                _("Ongedaan door"): ["" if pd.isna(v) else str(int(v)) for v in sets["undone_by"]],
            }
        ).head(200),
        hide_index=True,
        width="stretch",
    )
    open_sets = sets[sets["undone_by"].isna() & (sets["action"] != "ongedaan")]
    if len(open_sets) and core.may(MANAGE):
        chosen = st.selectbox(
            _("Wijzigingsset om ongedaan te maken"),
            list(open_sets["id"]),
            format_func=lambda i: (
                f"{i}: "
                + " · ".join(str(v) for v in open_sets.set_index("id").loc[i, ["action", "reason"]])
            ),
            key="geschiedenis_set",
        )
        if st.button(_("Maak ongedaan"), key="geschiedenis_ongedaan"):
            try:
                done = core.undo(int(chosen))
            except SocialBasisError as exc:
                st.error(md(exc))
            else:
                data.changed()
                st.success(
                    _("Wijzigingsset {chosen} is ongedaan gemaakt (als {done}).").format(
                        chosen=chosen, done=done
                    )
                )
    listing_id = st.text_input(_("Geschiedenis van één vermelding (id)"), key="geschiedenis_id")
    if listing_id.strip():
        changes = core.history(listing_id.strip())
        if not changes:
            st.info(_("Geen geschiedenis van {strip}.").format(strip=md(listing_id.strip())))
        st.markdown("\n".join(f"- {md(describe_change(change))}" for change in changes))
