"""Bringing data in and out: listings upload with its report, werkgebieden, exports."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.labels import md
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
from socialbasis.settings import Settings

KIND_LABELS = {"initiatieven": "Activiteiten (initiatieven)", "locaties": "Locaties (gebouwen)"}


def problems_table(report: ImportReport) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Rij": [p.row if p.row is not None else "" for p in report.problems],
            "Veld": [p.field or "" for p in report.problems],
            "Waarde": [p.value for p in report.problems],
            "Melding": [p.message for p in report.problems],
            "Soort": ["fout" if p.severity == "fout" else "let op" for p in report.problems],
        }
    )


def _upload_listings(dataset: Dataset, settings: Settings) -> None:
    st.subheader("Aanbod inlezen")
    st.caption(
        "CSV (ook uit Excel met puntkomma's), Excel (.xlsx), GeoJSON of Open Referral "
        "HSDS 3 JSON. Elk probleem wordt gemeld met rij en veld; niets wordt stil "
        "weggelaten of overschreven."
    )
    kind = st.radio(
        "Wat staat er in het bestand?",
        list(KINDS),
        format_func=KIND_LABELS.get,
        horizontal=True,
        key="upload_soort",
    )
    upload = st.file_uploader(
        "Bestand", type=["csv", "txt", "xlsx", "json", "geojson"], key="upload_bestand"
    )
    mapping_text = st.text_area(
        "Koppeling van kolommen (optioneel)",
        key="upload_koppeling",
        placeholder="Eén per regel, bijvoorbeeld:\nWat=name\nWie=organisation",
        help="Alleen nodig als een kolom niet vanzelf herkend wordt.",
    )
    geocode = st.checkbox(
        "Zoek coördinaten bij adressen (PDOK Locatieserver, internet nodig)",
        value=True,
        key="upload_geocode",
    )
    if upload is None:
        return
    try:
        column_map = parse_column_map(mapping_text.splitlines())
    except ValueError as exc:
        st.error(f"De koppeling van kolommen klopt niet: {md(exc)}")
        return
    core = data.core(settings)
    try:
        report = core.check_listing_file(
            upload.getvalue(), upload.name, kind=kind, column_map=column_map, geocode=geocode
        )
    except SocialBasisError as exc:
        st.error(f"Het bestand kan niet worden gelezen.\n\n{md(exc)}")
        return
    st.markdown(
        f"**{md(report.source)}**: {md(report.format)}, {report.rows_read} rijen gelezen. "
        f"Goed: **{len(report.frame)}**, geweigerd: **{len(report.refused_rows)}**, "
        f"meldingen: **{len(report.warnings)}**."
    )
    if report.updates:
        st.markdown(
            f"{report.updates} van de goede rijen staan al opgeslagen (zelfde id): die worden "
            "bijgewerkt, niet verdubbeld."
        )
    if report.problems:
        st.dataframe(problems_table(report), hide_index=True, width="stretch")
    choices = _duplicate_choices(report)
    if len(report.frame) and st.button(
        f"Lees {len(report.frame)} goede rijen in", type="primary", key="upload_bevestig"
    ):
        try:
            result = core.apply_import(report, choices)
        except SocialBasisError as exc:
            st.error(f"Er is niets opgeslagen.\n\n{md(exc)}")
            return
        data.changed()
        if result.applied is None:
            st.info("Er is niets opgeslagen: elke rij is overgeslagen.")
        else:
            st.success(
                f"Opgeslagen als wijzigingsset {result.applied.changeset}: "
                f"{md(result.applied)}. De kaart laat het nu zien; onder *Geschiedenis* "
                "kunt u dit als geheel ongedaan maken."
            )
        for row, why in sorted(result.skipped.items()):
            st.markdown(f"- Rij {row} niet ingelezen: {md(why)}")


MAX_CHOICE_ROWS = 50  # more look-alikes than this: one choice for all


def _duplicate_choices(report: ImportReport) -> dict[int, str]:
    """Per likely duplicate of a stored listing: update it, keep both, or skip the row. One
    choice for all, and (for up to MAX_CHOICE_ROWS rows) one per row, as plain select boxes
    that a keyboard and a screen reader can use."""
    duplicates = report.likely_duplicates
    if not duplicates:
        return {}
    st.markdown(
        f"**{len(duplicates)} rij(en) lijken op aanbod dat er al is** (zelfde naam binnen "
        "100 m, of zelfde organisatie en adres). Kies wat er met die rijen moet gebeuren."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Rij": [d.row for d in duplicates],
                "In het bestand": [d.name for d in duplicates],
                "Lijkt op": [f"{d.existing_name} ({d.existing_id})" for d in duplicates],
                "Waarom": [d.reason for d in duplicates],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    options = list(DUPLICATE_CHOICES)
    for_all = st.selectbox(
        "Voor alle rijen die dubbel lijken",
        options,
        index=options.index("overslaan"),
        format_func=DUPLICATE_CHOICES.get,
        key="dubbel_alle",
    )
    choices = dict.fromkeys((d.row for d in duplicates), for_all)
    if len(duplicates) <= MAX_CHOICE_ROWS:
        with st.expander("Per rij kiezen"):
            for d in duplicates:
                choices[d.row] = st.selectbox(
                    f"Rij {d.row}: {d.name} · lijkt op {d.existing_name} ({d.existing_id})",
                    options,
                    index=options.index(for_all),
                    format_func=DUPLICATE_CHOICES.get,
                    key=f"dubbel_rij_{d.row}_{for_all}",
                )
    return choices


def _upload_mapping(dataset: Dataset, settings: Settings) -> None:
    st.subheader("Werkgebieden van de sociale wijkteams")
    status = "indicatief" if dataset.area_mapping.is_indicative else dataset.area_mapping.status
    st.caption(
        f"Nu: {md(status)}. Een eigen indeling is een CSV met de kolommen code "
        "(wijkcode of buurtcode) en werkgebied, en eventueel status."
    )
    upload = st.file_uploader("Indeling (CSV)", type=["csv", "txt"], key="upload_indeling")
    if upload is None:
        return
    core = data.core(settings)
    try:
        mapping = core.check_mapping(upload.getvalue(), upload.name)
    except ValidationFailed as exc:
        st.error("De indeling klopt niet; er is niets veranderd.")
        st.dataframe(
            pd.DataFrame(
                {
                    "Rij": [p.row or "" for p in exc.problems],
                    "Veld": [p.field for p in exc.problems],
                    "Waarde": [p.value for p in exc.problems],
                    "Melding": [p.message for p in exc.problems],
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
        f"{areas.nunique()} werkgebieden voor de {len(dataset.buurten)} buurten "
        f"({len(areas)} regels)."
    )
    if st.button("Gebruik deze indeling", key="indeling_bevestig"):
        core.save_mapping(upload.getvalue(), upload.name)
        data.changed()
        st.success("De indeling is opgeslagen en wordt nu gebruikt.")


def _upload_population(dataset: Dataset, settings: Settings) -> None:
    st.subheader("Inwoners per 100 meter")
    current = dataset.population
    st.caption(
        (
            f"Nu: {md(current.label)} ({md(current.source)}); de dekking telt naar inwoners."
            if current is not None
            else "Nu: geen. De dekking telt naar oppervlakte."
        )
        + " Lees de CBS Vierkantstatistieken in (GeoPackage van cbs.nl, kolom aantal_inwoners)"
        " om te tellen waar mensen wonen. Een bestand van heel Nederland is te groot om hier"
        " te uploaden; gebruik dan `socialbasis bevolking BESTAND`."
    )
    core = data.core(settings)
    if current is not None and st.button("Niet meer gebruiken", key="bevolking_weg"):
        core.remove_population()
        data.changed()
        st.success("Verwijderd. De dekking telt weer naar oppervlakte.")
        return
    upload = st.file_uploader(
        "Vierkantstatistieken", type=["gpkg", "geojson", "json"], key="upload_bevolking"
    )
    if upload is None:
        return
    name = Path(upload.name).name
    year = st.number_input(
        "Jaar van de cijfers",
        min_value=2000,
        max_value=2100,
        value=year_from_name(Path(name)),
        step=1,
        key="bevolking_jaar",
    )
    if year is None:
        st.info("Vul het jaar van de cijfers in; het staat niet in de bestandsnaam.")
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
    if st.button("Gebruik deze inwonersaantallen", key="bevolking_bevestig"):
        core.save_population(population)
        data.changed()
        st.success("Opgeslagen. De dekking telt nu naar inwoners.")


def _exports(core: SocialBasis, filters: Filters) -> None:
    st.subheader("Exporteren")
    dataset = core.dataset()
    chosen = core.selected_initiatives(filters)
    st.caption(f"Met de filters links: {len(chosen)} activiteiten, {len(dataset.venues)} locaties.")
    stem = f"{dataset.gemeentecode}_{dataset.year}"
    st.caption(
        "*Excel* opent direct in Nederlandse Excel (puntkomma's, decimale komma, Nederlandse "
        "kolomnamen). *CSV (standaard)* is het vaste formaat om weer in te lezen of te koppelen."
    )
    # (label, format, file name, MIME type, key), in the order of the buttons.
    buttons = (
        ("Excel (CSV)", "excel", f"aanbod_{stem}_excel.csv", "text/csv", "export_excel"),
        ("GeoJSON", "geojson", f"aanbod_{stem}.geojson", "application/geo+json", "export_geojson"),
        (
            "GeoPackage",
            "gpkg",
            f"aanbod_{stem}.gpkg",
            "application/geopackage+sqlite3",
            "export_gpkg",
        ),
        (
            "Open Referral (HSDS)",
            "hsds",
            f"aanbod_{stem}_hsds.json",
            "application/json",
            "export_hsds",
        ),
        (
            "Per buurt (Excel)",
            "buurten-excel",
            f"per_buurt_{stem}.csv",
            "text/csv",
            "export_buurten",
        ),
        ("CSV (standaard)", "csv", f"aanbod_{stem}.csv", "text/csv", "export_csv"),
    )
    for column, (label, fmt, file_name, mime, key) in zip(
        st.columns(len(buttons)), buttons, strict=True
    ):
        column.download_button(
            label,
            core.export(fmt, filters)[0],
            file_name,
            mime,
            key=key,
            type="primary" if fmt == "excel" else "secondary",
        )
    if len(dataset.venues):
        st.download_button(
            "Locaties (Excel)",
            core.export("excel", filters, kind="locaties")[0],
            f"locaties_{stem}.csv",
            "text/csv",
            key="export_locaties",
        )


def render(dataset: Dataset, settings: Settings, filters: Filters) -> None:
    _upload_listings(dataset, settings)
    st.divider()
    _upload_mapping(dataset, settings)
    st.divider()
    _upload_population(dataset, settings)
    st.divider()
    _exports(data.core(settings), filters)
    st.divider()
    _history(data.core(settings))
    if dataset.notes:
        st.divider()
        st.subheader("Opmerkingen bij de opgehaalde gegevens")
        st.markdown("\n".join(f"- {md(note)}" for note in dataset.notes))


def _history(core: SocialBasis) -> None:
    """Every change to the listings: who, when, what and why; any of them undone whole."""
    st.subheader("Geschiedenis")
    for report in migration_reports(core.store, core.settings.gemeente)[:1]:
        with st.expander("Overgezet naar de database"):
            st.text(report.read_text(encoding="utf-8"))
    sets = core.changesets()
    if not len(sets):
        st.caption(
            "Nog geen wijzigingen. Elke import komt hier, en is als geheel terug te draaien."
        )
        return
    st.dataframe(
        pd.DataFrame(
            {
                "Nr": sets["id"],
                "Wanneer": [f"{at:%Y-%m-%d %H:%M}" for at in sets["at"]],
                "Wie": sets["actor"],
                "Wat": sets["action"],
                "Rijen": sets["rows"],
                "Waarom": sets["reason"],
                "Ongedaan door": ["" if pd.isna(v) else str(int(v)) for v in sets["undone_by"]],
            }
        ).head(200),
        hide_index=True,
        width="stretch",
    )
    open_sets = sets[sets["undone_by"].isna() & (sets["action"] != "ongedaan")]
    if len(open_sets):
        chosen = st.selectbox(
            "Wijzigingsset om ongedaan te maken",
            list(open_sets["id"]),
            format_func=lambda i: (
                f"{i}: "
                + " · ".join(str(v) for v in open_sets.set_index("id").loc[i, ["action", "reason"]])
            ),
            key="geschiedenis_set",
        )
        if st.button("Maak ongedaan", key="geschiedenis_ongedaan"):
            try:
                done = core.undo(int(chosen))
            except SocialBasisError as exc:
                st.error(md(exc))
            else:
                data.changed()
                st.success(f"Wijzigingsset {chosen} is ongedaan gemaakt (als {done}).")
    listing_id = st.text_input("Geschiedenis van één vermelding (id)", key="geschiedenis_id")
    if listing_id.strip():
        changes = core.history(listing_id.strip())
        if not changes:
            st.info(f"Geen geschiedenis van {md(listing_id.strip())}.")
        st.markdown("\n".join(f"- {md(describe_change(change))}" for change in changes))
