"""Bringing data in and out: listings upload with its report, werkgebieden, exports."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.labels import md
from loaders._http import HttpClient
from loaders.listings.importer import KINDS, ImportReport, merge_into, prepare_listings
from loaders.population_grid import read_population_grid, year_from_name
from socialbasis.analysis.filters import Filters, select_initiatives
from socialbasis.areas import assign_werkgebieden, read_area_mapping
from socialbasis.dataset import Dataset
from socialbasis.errors import SocialBasisError, ValidationFailed
from socialbasis.export import (
    counts_per_buurt,
    excel_csv_bytes,
    listings_csv,
    listings_excel_csv,
    listings_geojson,
    listings_geopackage,
    listings_hsds,
)
from socialbasis.settings import Settings
from socialbasis.storage import Store

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


def _column_map(text: str) -> dict[str, str]:
    pairs = [line.split("=", 1) for line in text.splitlines() if "=" in line]
    return {source.strip(): field.strip() for source, field in pairs}


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
    store = Store(settings.data_dir)
    initiatives, venues = store.read_listings(dataset.gemeentecode)
    existing = initiatives if kind == "initiatieven" else venues
    try:
        with HttpClient(settings) as client:
            report = prepare_listings(
                upload.getvalue(),
                upload.name,
                kind=kind,
                buurten=dataset.buurten,
                existing=existing,
                column_map=_column_map(mapping_text),
                client=client if geocode else None,
                settings=settings,
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
        if kind == "initiatieven":
            initiatives = merge_into(initiatives, report.frame)
        else:
            venues = merge_into(venues, report.frame)
        store.write_listings(dataset.gemeentecode, initiatives, venues)
        st.cache_resource.clear()
        st.success(f"{len(report.frame)} rijen ingelezen. De kaart laat ze nu zien.")


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
    try:
        mapping = read_area_mapping(upload.getvalue(), upload.name)
        areas = assign_werkgebieden(dataset.buurten, mapping)
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
    st.markdown(f"{areas.nunique()} werkgebieden voor {len(areas)} buurten.")
    if st.button("Gebruik deze indeling", key="indeling_bevestig"):
        Store(settings.data_dir).write_mapping(dataset.gemeentecode, upload.getvalue())
        st.cache_resource.clear()
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
    if current is not None and st.button("Niet meer gebruiken", key="bevolking_weg"):
        Store(settings.data_dir).remove_population(dataset.gemeentecode)
        st.cache_resource.clear()
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
            population = read_population_grid(path, dataset.gemeente, int(year))
    except SocialBasisError as exc:
        st.error(md(exc))
        return
    st.markdown(md(population.summary(dataset.gemeentenaam)))
    if st.button("Gebruik deze inwonersaantallen", key="bevolking_bevestig"):
        Store(settings.data_dir).write_population(dataset.gemeentecode, population)
        st.cache_resource.clear()
        st.success("Opgeslagen. De dekking telt nu naar inwoners.")


def _exports(dataset: Dataset, filters: Filters) -> None:
    st.subheader("Exporteren")
    chosen = dataset.initiatives[select_initiatives(dataset.initiatives, dataset.buurten, filters)]
    st.caption(f"Met de filters links: {len(chosen)} activiteiten, {len(dataset.venues)} locaties.")
    stem = f"{dataset.gemeentecode}_{dataset.year}"
    st.caption(
        "*Excel* opent direct in Nederlandse Excel (puntkomma's, decimale komma, Nederlandse "
        "kolomnamen). *CSV (standaard)* is het vaste formaat om weer in te lezen of te koppelen."
    )
    columns = st.columns(6)
    columns[0].download_button(
        "Excel (CSV)",
        listings_excel_csv(chosen),
        f"aanbod_{stem}_excel.csv",
        "text/csv",
        key="export_excel",
        type="primary",
    )
    columns[5].download_button(
        "CSV (standaard)", listings_csv(chosen), f"aanbod_{stem}.csv", "text/csv", key="export_csv"
    )
    columns[1].download_button(
        "GeoJSON",
        listings_geojson(chosen),
        f"aanbod_{stem}.geojson",
        "application/geo+json",
        key="export_geojson",
    )
    columns[2].download_button(
        "GeoPackage",
        listings_geopackage(chosen, "initiatieven"),
        f"aanbod_{stem}.gpkg",
        "application/geopackage+sqlite3",
        key="export_gpkg",
    )
    columns[3].download_button(
        "Open Referral (HSDS)",
        listings_hsds(chosen),
        f"aanbod_{stem}_hsds.json",
        "application/json",
        key="export_hsds",
    )
    columns[4].download_button(
        "Per buurt (Excel)",
        excel_csv_bytes(
            counts_per_buurt(dataset.buurten, chosen, dataset.gemeentecode, dataset.year)
        ),
        f"per_buurt_{stem}.csv",
        "text/csv",
        key="export_buurten",
    )
    if len(dataset.venues):
        st.download_button(
            "Locaties (Excel)",
            listings_excel_csv(dataset.venues),
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
    _exports(dataset, filters)
    if dataset.notes:
        st.divider()
        st.subheader("Opmerkingen bij de opgehaalde gegevens")
        st.markdown("\n".join(f"- {md(note)}" for note in dataset.notes))


def render_repair(settings: Settings) -> None:
    """When the stored listings cannot be read: what is wrong, the readable rows to take
    away, and the ways back (the version before the last import, or a fresh start). Nothing
    is deleted: every way keeps the current file beside it."""
    st.subheader("Gegevens herstellen")
    store = Store(settings.data_dir)
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
        store.restore_previous_listings(settings.gemeente)
        st.cache_resource.clear()
        st.success("De vorige versie staat terug; de huidige is bewaard ernaast.")
        st.rerun()
    if st.button("Opnieuw beginnen zonder ingelezen aanbod", key="herstel_opzij"):
        kept = store.set_listings_aside(settings.gemeente)
        st.cache_resource.clear()
        st.success(f"Het aanbod is opzij gezet{f' als {md(kept.name)}' if kept else ''}.")
        st.rerun()
