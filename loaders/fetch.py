"""``socialbasis fetch``: everything for one gemeente and year, stored in one go.

Steps: boundaries and key figures from PDOK, key figures from CBS StatLine, loneliness
estimates from RIVM, venues from OpenStreetMap. Nothing is written until every step has
succeeded, and then the whole set replaces the previous one at once; imported listings live
elsewhere and are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import cbs_statline, osm_network, osm_venues, pdok_wijkenbuurten, rivm_loneliness
from loaders._http import HttpClient
from loaders.provenance import FigureSource, Provenance
from socialbasis.choices import FETCH_STEPS
from socialbasis.dataset import PROVENANCE_COLUMNS
from socialbasis.errors import Problem, ServiceError
from socialbasis.figures import FIGURE_COLUMNS
from socialbasis.i18n import _
from socialbasis.schema import validate_venues
from socialbasis.settings import Settings
from socialbasis.storage import Store, StoredGeography

Progress = Callable[[str, str], None]  # (step, message)


@dataclass
class FetchReport:
    gemeentecode: str
    year: int
    path: Path | None = None
    buurten: int = 0
    venues: int = 0
    figures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    venue_problems: list[Problem] = field(default_factory=list)
    network_edges: int = 0


def _merge_figures(
    buurten: pd.DataFrame, extra: pd.DataFrame, figures: list[FigureSource], new: list[FigureSource]
) -> tuple[pd.DataFrame, list[FigureSource]]:
    """Join figures on buurtcode; a later source replaces an earlier one for a column.

    Figures for a buurtcode that occurs twice would double that buurt: refused."""
    doubled = sorted(set(extra.loc[extra["buurtcode"].duplicated(), "buurtcode"]))
    if doubled:
        raise ServiceError(
            "kerncijfers",
            "",
            _("buurtcode(s) dubbel in de cijfers: {items}").format(items=", ".join(doubled[:5])),
        )
    columns = [c for c in extra.columns if c != "buurtcode"]
    merged = buurten.drop(columns=[c for c in columns if c in buurten]).merge(
        extra, on="buurtcode", how="left", validate="one_to_one"
    )
    kept = [f for f in figures if f.column not in columns] + new
    return merged, kept


def check_complete(stored: StoredGeography) -> None:
    """The whole new set, checked before it may replace the stored one: unique buurtcodes,
    every buurt named by its wijk, every buurt of the gemeente, and no negative figure."""
    buurten = stored.buurten
    problems = []
    doubled = sorted(set(buurten.loc[buurten["buurtcode"].duplicated(), "buurtcode"]))
    if doubled:
        problems.append(_("buurtcodes dubbel: {items}").format(items=", ".join(doubled[:5])))
    other = sorted(set(buurten["gemeentecode"]) - {stored.gemeentecode})
    if other:
        problems.append(
            _("buurten van een andere gemeente: {items}").format(items=", ".join(other[:5]))
        )
    for column in stored.figures["column"] if len(stored.figures) else []:
        if column in buurten:
            values = pd.to_numeric(buurten[column], errors="coerce")
            if (values < 0).any():
                problems.append(_("negatief cijfer in {column}").format(column=column))
    if buurten.empty:
        problems.append(_("geen buurten"))
    if problems:
        raise ServiceError(
            "ophalen",
            "",
            _("de nieuwe gegevens zijn niet compleet of niet kloppend: ") + "; ".join(problems),
            _("Er is niets vervangen; de vorige gegevens blijven staan."),
        )


def figure_rows(figures: list[FigureSource], gemeente: dict[str, float]) -> pd.DataFrame:
    """The figure registry rows: column, label, source, year and the gemeente's value."""
    rows = [(*f.row(), _reference(gemeente.get(f.column))) for f in figures]
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS))


def _reference(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def fetch_gemeente(
    settings: Settings,
    gemeentecode: str,
    year: int,
    progress: Progress | None = None,
    skip: tuple[str, ...] = (),
    refresh: bool = False,
    statline_table: str | None = None,
    rivm_table: str | None = None,
) -> FetchReport:
    """Fetch and store a gemeente; raises on the first failing step, storing nothing."""
    say = progress or (lambda _step, _message: None)
    report = FetchReport(gemeentecode, year)
    provenance: list[Provenance] = []
    gemeente_figures: dict[str, float] = {}
    with HttpClient(settings, refresh=refresh) as client:
        say("grenzen", "ophalen...")
        with client.step(_(FETCH_STEPS["grenzen"])):
            areas = pdok_wijkenbuurten.fetch_areas(client, settings.pdok_url, gemeentecode, year)
        buurten, figures = areas.buurten, list(areas.figures)
        provenance += areas.provenance
        report.notes += areas.notes
        say("grenzen", f"{len(buurten)} buurten")
        codes = set(buurten["buurtcode"])
        if "kerncijfers" not in skip:
            say("kerncijfers", "ophalen...")
            with client.step(_(FETCH_STEPS["kerncijfers"])):
                key = cbs_statline.fetch_key_figures(
                    client, settings.cbs_odata_url, gemeentecode, year, statline_table
                )
            buurten, figures = _merge_figures(buurten, key.frame, figures, key.figures)
            provenance += key.provenance
            gemeente_figures.update(key.gemeente)
            report.notes += key.notes + _unmatched(key.frame, codes, "CBS StatLine")
            say("kerncijfers", _("{count} buurten").format(count=len(key.frame)))
        rivm = rivm_table or rivm_loneliness.table_for_year(year)
        if "eenzaamheid" not in skip and rivm is None:
            report.notes.append(
                _(
                    "Eenzaamheid niet opgehaald: RIVM heeft geen tabel met de buurtindeling van "
                    "{year} (wel {items}); cijfers van een andere indeling worden niet aan deze "
                    "buurten gekoppeld."
                ).format(year=year, items=", ".join(map(str, rivm_loneliness.TABLES)))
            )
            say("eenzaamheid", _("overgeslagen (geen tabel voor dit jaar)"))
        elif "eenzaamheid" not in skip:
            say("eenzaamheid", "ophalen...")
            with client.step(_(FETCH_STEPS["eenzaamheid"])):
                lonely = rivm_loneliness.fetch_loneliness(
                    client, settings.rivm_odata_url, gemeentecode, year, rivm
                )
            buurten, figures = _merge_figures(buurten, lonely.frame, figures, lonely.figures)
            provenance += lonely.provenance
            report.notes += lonely.notes + _unmatched(lonely.frame, codes, "RIVM")
            say(
                "eenzaamheid",
                _("meting {round_year}, {count} buurten").format(
                    round_year=lonely.round_year, count=len(lonely.frame)
                ),
            )
        venues = validate_venues(pd.DataFrame(columns=["id"]), "osm").frame
        if "locaties" not in skip:
            say("locaties", "ophalen...")
            with client.step(_(FETCH_STEPS["locaties"])):
                found = osm_venues.fetch_venues(client, settings.overpass_url, buurten)
            result = validate_venues(found.rows, "OpenStreetMap")
            venues = result.frame
            report.venue_problems = result.problems
            provenance.append(found.provenance)
            report.notes += found.notes
            if result.rejected_rows:
                report.notes.append(
                    _("{count} OSM-locaties afgekeurd (zie de problemen)").format(
                        count=len(result.rejected_rows)
                    )
                )
            say("locaties", f"{len(venues)} locaties")
        network = None
        if "netwerk" not in skip:
            say("netwerk", "ophalen...")
            with client.step(_(FETCH_STEPS["netwerk"])):
                fetched_network = osm_network.fetch_network(
                    client, settings.overpass_url, buurten, gemeentecode
                )
            network = fetched_network.network  # its provenance travels with it
            report.network_edges = network.edge_count
            say(
                "netwerk",
                _("{edges} stukken weg en pad, {steps} trappen").format(
                    edges=network.edge_count, steps=network.steps_count
                ),
            )
    stored = StoredGeography(
        gemeentecode=gemeentecode,
        year=year,
        buurten=buurten,
        names=areas.names,
        figures=figure_rows(figures, gemeente_figures),
        provenance=pd.DataFrame([p.row() for p in provenance], columns=list(PROVENANCE_COLUMNS)),
        venues=venues,
        notes=report.notes,
    )
    check_complete(stored)
    store = Store(settings.data_dir)
    if network is not None:
        store.write_network(gemeentecode, network)
    report.path = store.write_geography(stored)
    report.buurten, report.venues = len(buurten), len(venues)
    report.figures = [f.label for f in figures]
    return report


def _unmatched(frame: pd.DataFrame, codes: set[str], source: str) -> list[str]:
    """Figures for buurtcodes that are not in the boundaries (another vintage)."""
    foreign = sorted(set(frame["buurtcode"]) - codes)
    missing = sorted(codes - set(frame["buurtcode"]))
    notes = []
    if foreign:
        notes.append(
            _(
                "{source}: {count} buurtcodes niet in de grenzen (andere indeling?), "
                "bijvoorbeeld {items}"
            ).format(source=source, count=len(foreign), items=", ".join(foreign[:3]))
        )
    if missing:
        notes.append(
            _("{source}: geen cijfers voor {count} buurten, bijvoorbeeld {items}").format(
                source=source, count=len(missing), items=", ".join(missing[:3])
            )
        )
    return notes
