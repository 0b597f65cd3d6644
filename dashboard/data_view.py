"""Bringing data in and out: listings upload with its report, werkgebieden, exports."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.labels import md
from socialbasis.analysis.filters import Filters
from socialbasis.app import KINDS, ImportReport, SocialBasis, parse_column_map, year_from_name
from socialbasis.dataset import Dataset
from socialbasis.errors import SocialBasisError, ValidationFailed
from socialbasis.export import (
    listings_csv,
)
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
    if report.problems:
        st.dataframe(problems_table(report), hide_index=True, width="stretch")
    if len(report.frame) and st.button(
        f"Lees {len(report.frame)} goede rijen in", type="primary", key="upload_bevestig"
    ):
        try:
            result = core.apply_import(report)
        except SocialBasisError as exc:
            st.error(f"Er is niets opgeslagen.\n\n{md(exc)}")
            return
        data.changed()
        st.success(f"{result.stored} rijen ingelezen. De kaart laat ze nu zien.")


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
    if dataset.notes:
        st.divider()
        st.subheader("Opmerkingen bij de opgehaalde gegevens")
        st.markdown("\n".join(f"- {md(note)}" for note in dataset.notes))


def render_repair(settings: Settings) -> None:
    """When the stored listings cannot be read: what is wrong, the readable rows to take
    away, and the ways back (the version before the last import, or a fresh start). Nothing
    is deleted: every way keeps the current file beside it."""
    st.subheader("Gegevens herstellen")
    core = SocialBasis(settings)
    store = core.store
    try:
        results = store.check_listings(settings.gemeente)
    except SocialBasisError as exc:
        st.warning(f"Het aanbod zelf is niet te openen: {md(exc)}")
        results = None
    if results is not None:
        problems = [p for result in results for p in result.problems if p.severity == "fout"]
        if problems:
            st.markdown(f"**Wat is er mis** ({len(problems)} meldingen):")
            st.dataframe(
                pd.DataFrame(
                    {
                        "Bestand": [p.source for p in problems],
                        "Rij": [p.row if p.row is not None else "" for p in problems],
                        "Veld": [p.field or "" for p in problems],
                        "Waarde": [p.value for p in problems],
                        "Melding": [p.message for p in problems],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        for result, name in zip(results, ("activiteiten", "locaties"), strict=True):
            if len(result.frame):
                st.download_button(
                    f"Download de {len(result.frame)} leesbare {name} (CSV)",
                    listings_csv(result.frame),
                    file_name=f"{name}_leesbaar_{settings.gemeente}.csv",
                    mime="text/csv",
                    key=f"herstel_download_{name}",
                )
    previous = store.previous_listings_path(settings.gemeente).is_file()
    if previous and st.button(
        "Laatste import ongedaan maken (de vorige versie terugzetten)", key="herstel_terug"
    ):
        core.undo_last_import()
        data.changed()
        st.success("De vorige versie staat terug; de huidige is bewaard ernaast.")
        st.rerun()
    if st.button("Opnieuw beginnen zonder ingelezen aanbod", key="herstel_opzij"):
        kept = core.set_listings_aside()
        data.changed()
        st.success(f"Het aanbod is opzij gezet{f' als {md(kept.name)}' if kept else ''}.")
        st.rerun()
