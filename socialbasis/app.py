"""The application core: one object that owns the settings, the store, the loaded dataset,
import, export and every change to the stored data. The CLI and the dashboard are thin faces
over it: neither builds a store, parses weights or column maps, or repeats the
read -> check -> merge -> write sequence of an import.

This module is the composition root: the one place in the core that uses the loaders
(fetching, reading listing files, reading a population grid). Every other core module stays
free of them, so data still flows loaders -> core -> faces.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from loaders import locatieserver
from loaders._http import HttpClient
from loaders.listings.importer import ImportReport, LikelyDuplicate, prepare_listings
from loaders.population_grid import read_population_grid, year_from_name
from socialbasis.access import EDIT, MANAGE, Identity, require
from socialbasis.accounts import Accounts
from socialbasis.analysis.coverage import WalkParams
from socialbasis.analysis.detour import NetworkSummary, summarise_network
from socialbasis.analysis.filters import Filters, select_initiatives
from socialbasis.analysis.gaps import GapParams, kansenlijst
from socialbasis.analysis.need import need_index, parse_weights, residents
from socialbasis.analysis.network import WalkNetwork
from socialbasis.analysis.planning import PlanEffect, PlannedActivity, plan_effect, planned_frame
from socialbasis.analysis.suggest import MAX_PLACES, suggest_places
from socialbasis.analysis.walking import WALKING_SPEEDS
from socialbasis.areas import AreaMapping, assign_werkgebieden, locate, read_area_mapping
from socialbasis.choices import (
    DUPLICATE_CHOICES,
    EXPORT_FORMATS,
    FETCH_STEPS,
    KINDS,
    OPTIONAL_STEPS,
)
from socialbasis.dataset import Dataset, load_dataset
from socialbasis.db import open_database
from socialbasis.db.from_files import FileMigration, migrate_listings_file
from socialbasis.db.store import Applied, Change, ListingDatabase, changed_fields, sqlite_url
from socialbasis.errors import DataFileError, SettingsError, ValidationFailed
from socialbasis.export import (
    counts_per_buurt,
    csv_bytes,
    excel_csv_bytes,
    listings_csv,
    listings_excel_csv,
    listings_geojson,
    listings_geopackage,
    listings_hsds,
)
from socialbasis.geo import points_rd
from socialbasis.i18n import _
from socialbasis.planning_report import CANDIDATE_KINDS, SuggestionReport
from socialbasis.plans import Plans, SavedPlan
from socialbasis.population import PopulationGrid, analysis_grid
from socialbasis.report import PackContent
from socialbasis.schema import (
    records_with_rd,
    stored_frame,
    validate_initiatives,
    validate_venues,
)
from socialbasis.settings import ENV_PREFIX, Settings, load_settings
from socialbasis.storage import Store

if TYPE_CHECKING:
    from loaders.fetch import FetchReport, Progress
    from socialbasis.analysis.grid import Grid

log = logging.getLogger(__name__)

# What the faces may name without knowing the loaders: kinds of listings, fetch steps, the
# report of an import, and the year in a CBS file name.
__all__ = [
    "DUPLICATE_CHOICES",
    "EXPORT_FORMATS",
    "FETCH_STEPS",
    "KINDS",
    "OPTIONAL_STEPS",
    "AddressHit",
    "ImportReport",
    "ImportResult",
    "LikelyDuplicate",
    "SocialBasis",
    "parse_column_map",
    "year_from_name",
]


def parse_column_map(lines: Iterable[str]) -> dict[str, str]:
    """``["Wat=name", "Wie=organisation"]`` -> a column map; blank lines are skipped.

    >>> parse_column_map(["Wat=name", "", " Wie = organisation "])
    {'Wat': 'name', 'Wie': 'organisation'}
    """
    mapping = {}
    for line in lines:
        if not line.strip():
            continue
        source, sep, field_name = line.partition("=")
        if not sep or not source.strip() or not field_name.strip():
            raise ValueError(
                _("{line!r}: verwacht BRONKOLOM=VELD, bv. 'Wat=name'").format(line=line)
            )
        mapping[source.strip()] = field_name.strip()
    return mapping


@dataclass(frozen=True)
class AddressHit:
    """What an address search found: the service's label, and the buurt (None: not found,
    or not in this gemeente)."""

    asked: str
    label: str | None
    buurtcode: str | None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class SavedListing:
    """What saving one listing from a form did: its changeset, its id (made for a new one)
    and the buurt it lies in (None: outside the gemeente)."""

    changeset: int
    id: str
    buurtcode: str | None


@dataclass(frozen=True)
class ImportResult:
    """What an import stored: the report, the changeset (None when nothing was written) and
    the rows that were not written, with why."""

    report: ImportReport
    applied: Applied | None
    skipped: dict[int, str] = field(default_factory=dict)  # source row -> reason

    @property
    def stored(self) -> int:
        return 0 if self.applied is None else self.applied.added + self.applied.updated


@dataclass
class SocialBasis:
    """The core of one session (a CLI call, a dashboard session) for one gemeente and year."""

    settings: Settings
    # Who makes the changes; None: someone who may only look (the core refuses changes).
    identity: Identity | None = None
    _dataset: Dataset | None = field(default=None, repr=False)
    _grid: Grid | None = field(default=None, repr=False)
    _listings: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None = field(default=None, repr=False)
    migration: FileMigration | None = field(default=None, repr=False)

    @classmethod
    def from_options(cls, env: Mapping[str, str] | None = None, **options: object) -> SocialBasis:
        """Settings from the environment plus options (CLI flags, a chosen gemeente). Options
        go through exactly the same parsing and checks as environment variables."""
        base = dict(os.environ if env is None else env)
        for name, value in options.items():
            if value is not None:
                base[f"{ENV_PREFIX}{name.upper()}"] = str(value)
        return cls(load_settings(base))

    @property
    def actor(self) -> str:
        """How the history records who made a change (``lokaal:anna``, ``cli:piet``)."""
        return self.identity.actor if self.identity else "onbekend"

    def may(self, permission: str) -> bool:
        """Whether whoever uses this core may do ``permission`` (what the faces offer)."""
        return self.identity is not None and self.identity.may(permission)

    def require(self, permission: str) -> Identity:
        """The identity making a change, if it may (else NotAllowed): every change asks."""
        return require(self.identity, permission)

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.database)

    # --- what is there --------------------------------------------------------------------

    @property
    def store(self) -> Store:
        return Store(self.settings.data_dir)

    @property
    def database_url(self) -> str:
        return self.settings.database_url or sqlite_url(self.settings.data_dir)

    @property
    def database(self) -> ListingDatabase:
        """The listings database; a listings file of before the database moves in once."""
        database = open_database(self.database_url)
        migration = migrate_listings_file(self.store, database, self.settings.gemeente)
        if migration is not None:
            self.migration = migration
        return database

    def listings(self) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        """The gemeente's stored initiatives and venues (not retired), as the analysis uses
        them; read without validating again (the database's constraints checked them)."""
        if self._listings is None:
            database = self.database
            self._listings = tuple(  # type: ignore[assignment]
                stored_frame(database.frame(self.settings.gemeente, kind), kind) for kind in KINDS
            )
        return self._listings  # type: ignore[return-value]

    def _changed(self) -> None:
        """Stored data changed: what this object loaded is read again when next asked."""
        self._dataset = None
        self._listings = None
        self._grid = None

    def dataset(self) -> Dataset:
        """The gemeente's geography and listings (loaded once per object)."""
        if self._dataset is None:
            listings = self.listings()
            stored = self.database.counts(self.settings.gemeente)
            self._dataset = load_dataset(self.settings, listings, stored_kinds=set(stored))
        return self._dataset

    def analysis_grid(self) -> Grid:
        """The sample grid of the buurten that coverage is measured on (made once per object;
        weighted by residents when a population grid is stored)."""
        if self._grid is None:
            dataset = self.dataset()
            self._grid = analysis_grid(dataset.buurten, dataset.population)
        return self._grid

    # --- listings in ------------------------------------------------------------------------

    def check_listing_file(
        self,
        data: Path | bytes,
        name: str,
        *,
        kind: str = "initiatieven",
        column_map: Mapping[str, str] | None = None,
        source_label: str | None = None,
        geocode: bool = True,
        sheet: str | None = None,
    ) -> ImportReport:
        """Read and check a listing file against the gemeente and what is stored; nothing
        is written. The same path for the CLI and the dashboard."""
        if kind not in KINDS:
            raise SettingsError(f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
        dataset = self.dataset()
        initiatives, venues = self.listings()
        with HttpClient(self.settings) as client:
            return prepare_listings(
                data,
                name,
                kind=kind,
                buurten=dataset.buurten,
                existing=initiatives if kind == "initiatieven" else venues,
                column_map=column_map,
                source_label=source_label,
                client=client if geocode else None,
                settings=self.settings,
                sheet=sheet,
            )

    def apply_import(
        self,
        report: ImportReport,
        choices: Mapping[int, str] | None = None,
        default_choice: str = "overslaan",
    ) -> ImportResult:
        """Store the good rows of a checked file as one changeset: a stored id is updated, a
        new id added. A likely duplicate of a stored listing (another id) is updated, kept
        as well or skipped as chosen per source row (``choices``, else ``default_choice``).
        A row someone changed after the check refuses the whole import (nothing stored)."""
        self.require(MANAGE)  # loading a file of listings is a beheerder's task
        choices = dict(choices or {})
        for choice in [*choices.values(), default_choice]:
            if choice not in DUPLICATE_CHOICES:
                raise SettingsError(
                    _("onbekende keuze {choice!r}; kies uit {items}").format(
                        choice=choice, items=", ".join(DUPLICATE_CHOICES)
                    )
                )
        skipped: dict[int, str] = {}
        target: dict[int, tuple[str, int | None]] = {}  # source row -> stored id, version
        for duplicate in report.likely_duplicates:
            choice = choices.get(duplicate.row, default_choice)
            if choice == "overslaan":
                skipped[duplicate.row] = _("lijkt dubbel met {existing_id}; overgeslagen").format(
                    existing_id=duplicate.existing_id
                )
            elif choice == "bijwerken":
                target[duplicate.row] = (duplicate.existing_id, duplicate.existing_version)
        records, expected = [], {}
        for record in records_with_rd(report.frame) if len(report.frame) else []:
            row = int(record["source_row"])
            if row in skipped:
                continue
            listing_id, version = target.get(
                row, (record["id"], report.base_versions.get(record["id"]))
            )
            if listing_id in expected:  # two rows chose the same stored listing
                skipped[row] = _("{listing_id} wordt al bijgewerkt door een eerdere rij").format(
                    listing_id=listing_id
                )
                continue
            expected[listing_id] = version
            records.append(record | {"id": listing_id})
        if not records:
            return ImportResult(report, None, skipped)
        applied = self.database.apply_records(
            self.settings.gemeente,
            report.kind,
            records,
            actor=self.actor,
            reason=report.source,
            expected_versions=expected,
        )
        self._changed()
        return ImportResult(report, applied, skipped)

    def find_address(self, text: str) -> AddressHit:
        """An address or postcode (PDOK Locatieserver), where it is, and the buurt of this
        gemeente it lies in; ``buurtcode`` None when it is not found here."""
        with HttpClient(self.settings) as client:
            place = locatieserver.find_place(client, self.settings.locatieserver_url, text)
        if place is None:
            return AddressHit(text, None, None)
        return AddressHit(
            text, place.label, self.buurt_at(place.lat, place.lon), place.lat, place.lon
        )

    def buurt_at(self, lat: float, lon: float) -> str | None:
        """The buurtcode of the buurt of this gemeente a point (WGS84) lies in, else None."""
        point = points_rd(np.array([lon]), np.array([lat]))
        code = locate(point, self.dataset().buurten, "buurtcode").iloc[0]
        return None if pd.isna(code) else str(code)

    def data_version(self) -> tuple:
        """What the dataset is built from: the newest changeset of the gemeente and the
        stored files (geography, werkgebieden, residents, walking network). Anything built
        on another version is out of date, whoever made the change; cheap enough to ask on
        every page run."""
        files = (
            self.store.geography_path(self.settings.gemeente, self.settings.jaar),
            self.store.mapping_path(self.settings.gemeente),
            self.store.population_path(self.settings.gemeente),
            self.store.network_path(self.settings.gemeente),
        )
        stamps = []
        for path in files:
            try:
                status = path.stat()
            except OSError:
                stamps.append(None)
            else:
                stamps.append((status.st_mtime_ns, status.st_size))
        return (self.database.revision(self.settings.gemeente), *stamps)

    # --- history ---------------------------------------------------------------------------

    def history(self, listing_id: str) -> list[Change]:
        return self.database.history(self.settings.gemeente, listing_id)

    def changesets(self) -> pd.DataFrame:
        return self.database.changesets(self.settings.gemeente)

    def change_feed(self, since: date) -> pd.DataFrame:
        """Every change to the listings since a day, one row per listing per changeset (for a
        coordinator, or to send back to the municipality's sociale kaart): changeset, at,
        actor, action, reason, undone_by, kind, id, name, fields (what changed)."""
        moment = pd.Timestamp(since).tz_localize("UTC").to_pydatetime()
        feed = self.database.changes_since(self.settings.gemeente, moment)
        names, fields = [], []
        for before, after in zip(feed["before"], feed["after"], strict=True):
            state = after or before or {}
            names.append(state.get("name", ""))
            if before is None or after is None:
                fields.append("")
                continue
            fields.append(", ".join(changed_fields(before, after)))
        feed = feed.drop(columns=["before", "after"]).assign(name=names, fields=fields)
        feed["undone_by"] = feed["undone_by"].astype("Int64")
        return feed

    def change_feed_hsds(self, feed: pd.DataFrame) -> bytes:
        """The activities of a change feed as they stand now, as Open Referral HSDS 3 (the
        ones that were removed or stopped since are not in it)."""
        changed = set(feed.loc[feed["kind"] == "initiatieven", "id"])
        initiatives = self.dataset().initiatives
        return listings_hsds(initiatives[initiatives["id"].isin(changed)])

    def undo(self, changeset: int) -> int:
        """Undo a whole changeset (an import, an edit, ...) as a new changeset. An edit,
        stop or restore of one listing is an editor's to undo; anything larger (an import,
        a migration) a beheerder's."""
        found = self.database.changesets(self.settings.gemeente, only=changeset)
        single_edit = (
            len(found) == 1
            and found["action"].iloc[0] in ("bewerking", "gestopt", "hersteld")
            and int(found["rows"].iloc[0]) == 1
        )
        self.require(EDIT if single_edit else MANAGE)
        done = self.database.undo(changeset, actor=self.actor, gemeentecode=self.settings.gemeente)
        self._changed()
        return done

    def retire(self, listing_id: str, reason: str, kind: str = "initiatieven") -> int:
        """Mark a listing "gestopt": off the map and out of the analysis, kept with history."""
        self.require(EDIT)
        done = self.database.retire(
            self.settings.gemeente,
            kind,
            listing_id,
            on=date.today(),
            reason=reason,
            actor=self.actor,
        )
        self._changed()
        return done

    def restore(self, listing_id: str, kind: str = "initiatieven") -> int:
        self.require(EDIT)
        done = self.database.restore(self.settings.gemeente, kind, listing_id, actor=self.actor)
        self._changed()
        return done

    # --- editing one listing ---------------------------------------------------------------

    def stored_records(self, kind: str = "initiatieven") -> tuple[list[dict], set[str]]:
        """Every stored listing of a kind as plain values (with its version), and the ids of
        those that are stopped."""
        everything = self.database.records(self.settings.gemeente, kind, include_retired=True)
        current = {r["id"] for r in self.database.records(self.settings.gemeente, kind)}
        return everything, {r["id"] for r in everything} - current

    def save_listing(
        self,
        kind: str,
        values: Mapping[str, object],
        expected_version: int | None,
        reason: str = "",
    ) -> SavedListing:
        """Store one listing from a form, checked exactly as an import checks a row. A new
        listing has ``expected_version`` None; an edit names the version it started from,
        and is refused (StaleImport, nothing stored) when someone changed it meanwhile.
        Problems come back as ValidationFailed, each with its field."""
        self.require(EDIT)
        if kind not in KINDS:
            raise SettingsError(f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
        record = dict(values)
        if not str(record.get("id") or "").strip():
            record["id"] = f"dashboard-{uuid.uuid4().hex[:10]}"
        validate = validate_initiatives if kind == "initiatieven" else validate_venues
        result = validate(pd.DataFrame([record]), _("het formulier"), row_numbers=[1])
        errors = [p for p in result.problems if p.severity == "fout"]
        if errors or not len(result.frame):
            raise ValidationFailed(errors or result.problems)
        records = records_with_rd(result.frame)
        stored = result.frame.iloc[0]
        buurtcode = self.buurt_at(stored["lat"], stored["lon"])  # before the reload below
        applied = self.database.apply_records(
            self.settings.gemeente,
            kind,
            records,
            actor=self.actor,
            reason=reason or ("nieuw" if expected_version is None else "bewerkt"),
            action="bewerking",
            expected_versions={str(record["id"]): expected_version},
        )
        self._changed()
        return SavedListing(applied.changeset, str(stored["id"]), buurtcode)

    # --- freshness ----------------------------------------------------------------------------

    def checked_since(self, today: date | None = None) -> date:
        """The day before which a check counts as too long ago (``actueel_maanden``)."""
        today = today or date.today()
        return (pd.Timestamp(today) - pd.DateOffset(months=self.settings.actueel_maanden)).date()

    def out_of_date(self, kind: str = "initiatieven", today: date | None = None) -> pd.DataFrame:
        """Stored listings nobody checked since ``checked_since`` (or ever), oldest check
        first: id, name, organisation, buurt, werkgebied, last checked, by whom, version."""
        dataset = self.dataset()
        frame = dataset.initiatives if kind == "initiatieven" else dataset.venues
        # Only stored listings: examples and venues from OpenStreetMap are nobody's to check.
        if "version" not in frame:  # nothing stored of this kind
            frame = frame.iloc[0:0].assign(version=pd.Series(dtype="Int64"))
        frame = frame[~frame["is_example"].astype(bool) & frame["version"].notna()]
        checked = pd.to_datetime(frame["last_verified"], errors="coerce")
        stale = frame[checked.isna() | (checked < pd.Timestamp(self.checked_since(today)))]
        areas = dataset.buurten.set_index("buurtcode")
        who = self.database.last_checks(self.settings.gemeente, kind)
        out = pd.DataFrame(
            {
                "id": stale["id"],
                "name": stale["name"],
                "organisation": stale.get("organisation", ""),
                "buurtcode": stale["buurtcode"],
                "buurtnaam": stale["buurtcode"].map(areas["buurtnaam"]),
                "werkgebied": stale["buurtcode"].map(areas["werkgebied"]),
                "last_verified": pd.to_datetime(stale["last_verified"], errors="coerce"),
                "checked_by": [who.get(i, ("", None))[0] for i in stale["id"]],
                "version": stale["version"],
            }
        )
        return out.sort_values(["last_verified", "name"], na_position="first").reset_index(
            drop=True
        )

    def confirm(
        self, listing_id: str, kind: str = "initiatieven", today: date | None = None
    ) -> int:
        """ "Klopt nog": the listing was checked today by the signed-in person (recorded)."""
        self.require(EDIT)
        version = self.database.version(self.settings.gemeente, kind, listing_id)
        done = self.database.edit(
            self.settings.gemeente,
            kind,
            listing_id,
            {"last_verified": today or date.today()},
            expected_version=version or 0,
            actor=self.actor,
            reason="klopt nog",  # stored as data: the same words in every language
        )
        self._changed()
        return done

    # --- geography, werkgebieden and residents -----------------------------------------------

    def fetch(
        self,
        progress: Progress | None = None,
        skip: tuple[str, ...] = (),
        refresh: bool = False,
        statline_table: str | None = None,
        rivm_table: str | None = None,
    ) -> FetchReport:
        self.require(MANAGE)
        from loaders.fetch import fetch_gemeente  # the HTTP stack loads only to fetch

        report = fetch_gemeente(
            self.settings,
            self.settings.gemeente,
            self.settings.jaar,
            progress,
            skip,
            refresh,
            statline_table,
            rivm_table,
        )
        self._changed()
        return report

    def check_mapping(self, raw: bytes, name: str) -> AreaMapping:
        """A werkgebied mapping, checked against the loaded buurten; nothing is stored."""
        mapping = read_area_mapping(raw, name)
        assign_werkgebieden(self.dataset().buurten, mapping)
        return mapping

    def save_mapping(self, raw: bytes, name: str) -> AreaMapping:
        self.require(MANAGE)
        mapping = self.check_mapping(raw, name)
        self.store.write_mapping(self.settings.gemeente, raw)
        self._changed()
        return mapping

    def read_population(
        self, path: Path, year: int | None = None, column: str | None = None
    ) -> PopulationGrid:
        return read_population_grid(path, self.dataset().gemeente, year, column)

    def save_population(self, population: PopulationGrid) -> Path:
        self.require(MANAGE)
        written = self.store.write_population(self.settings.gemeente, population)
        self._changed()
        return written

    def read_network(self, path: Path) -> WalkNetwork:
        """The walking network of the gemeente from an OpenStreetMap file (nothing stored)."""
        from loaders.osm_network import read_extract  # pyosmium loads only to read a file

        try:
            return read_extract(path, self.dataset().buurten, self.settings.gemeente)
        except ValueError as exc:
            raise DataFileError(str(path), str(exc)) from exc

    def save_network(self, network: WalkNetwork) -> Path:
        """Keep a walking network: from now on distances are walked over the street."""
        self.require(MANAGE)
        written = self.store.write_network(self.settings.gemeente, network)
        self._changed()
        return written

    def remove_network(self) -> bool:
        """Back to straight lines. False when no network was stored."""
        self.require(MANAGE)
        self._changed()
        return self.store.remove_network(self.settings.gemeente)

    def network_summary(self) -> NetworkSummary | None:
        """What the stored network holds and how far walks are from straight lines."""
        dataset = self.dataset()
        if dataset.network is None:
            return None
        return summarise_network(dataset.network, dataset.buurten, dataset.initiatives)

    def remove_population(self) -> bool:
        self.require(MANAGE)
        self._changed()
        return self.store.remove_population(self.settings.gemeente)

    # --- results out ---------------------------------------------------------------------------

    def selected_initiatives(self, filters: Filters) -> pd.DataFrame:
        dataset = self.dataset()
        return dataset.initiatives[
            select_initiatives(dataset.initiatives, dataset.buurten, filters)
        ]

    def export(
        self,
        fmt: str,
        filters: Filters,
        kind: str = "initiatieven",
        layers: tuple[str, ...] = (),
        with_contact_person: bool = False,
    ) -> tuple[bytes, int]:
        """The (filtered) listings or the counts per buurt in one format; and the row count.
        A contact person's name is personal data (AVG): left out unless asked for, and then
        only for a signed-in person."""
        if with_contact_person:
            self.require(EDIT)
        if fmt not in EXPORT_FORMATS:
            raise SettingsError(
                _("onbekend formaat {fmt!r}; kies uit {items}").format(
                    fmt=fmt, items=", ".join(EXPORT_FORMATS)
                )
            )
        dataset = self.dataset()
        initiatives = self.selected_initiatives(filters)
        if fmt.startswith("buurten"):
            counts = counts_per_buurt(
                dataset.buurten, initiatives, dataset.gemeentecode, dataset.year
            )
            write = excel_csv_bytes if fmt == "buurten-excel" else csv_bytes
            return write(counts), len(dataset.buurten)
        if kind == "initiatieven":
            frame = initiatives
        else:
            venues = dataset.venues
            frame = venues[venues["layer"].isin(layers)] if layers else venues
        if fmt == "hsds" and kind != "initiatieven":
            raise SettingsError(
                _("HSDS is voor activiteiten (services); kies de soort initiatieven")
            )
        if not with_contact_person:
            frame = frame.drop(columns=["contact_person"], errors="ignore")
        writers: dict[str, Any] = {
            "excel": lambda: listings_excel_csv(frame),
            "csv": lambda: listings_csv(frame),
            "geojson": lambda: listings_geojson(frame),
            "gpkg": lambda: listings_geopackage(frame, kind),
            "hsds": lambda: listings_hsds(frame),
        }
        return writers[fmt](), len(frame)

    def gap_params(self, speed: str = "normaal", weights: str = "") -> GapParams:
        """Walking speed by its name and need weights as text, each parsed in one place."""
        if speed not in WALKING_SPEEDS:
            raise SettingsError(
                _("onbekend tempo {speed!r}; kies uit {items}").format(
                    speed=speed, items=", ".join(WALKING_SPEEDS)
                )
            )
        try:
            parsed = parse_weights(weights)
        except ValueError as exc:
            raise SettingsError(str(exc)) from exc
        walk = WalkParams(
            speed_kmh=WALKING_SPEEDS[speed],
            network=self.dataset().network,
            avoid_steps=speed == "rollator",
        )
        return GapParams(walk=walk, need_weights=parsed)

    def plan_effect(
        self,
        layer: str,
        planned: Sequence[PlannedActivity],
        filters: Filters,
        params: GapParams,
        before: pd.DataFrame | None = None,
    ) -> PlanEffect:
        """What the planned activities of ``layer`` change, per buurt (nothing is stored);
        ``before``: the kansenlijst without them, when the caller has it already."""
        dataset = self.dataset()
        return plan_effect(
            dataset.buurten,
            self.analysis_grid(),
            dataset.initiatives,
            dataset.venues,
            layer,
            planned,
            filters,
            params,
            before=before,
        )

    @property
    def plans(self) -> Plans:
        return Plans(self.database)

    def save_plan(self, name: str, layer: str, activities: Sequence[PlannedActivity]) -> int:
        """Store a plan under a name (for someone signed in); its number comes back. Each
        activity is checked by the importer's rules first; nothing becomes a listing."""
        identity = self.require(EDIT)
        planned_frame(list(activities), self.dataset().buurten)  # ValidationFailed if not
        return self.plans.save(
            self.settings.gemeente, name, layer, list(activities), identity.actor
        )

    def open_plan(self, plan_id: int) -> SavedPlan | None:
        """A saved plan of this gemeente by its number (anyone with the link may look)."""
        return self.plans.get(plan_id, self.settings.gemeente)

    def meeting_pack(
        self,
        layer: str,
        filters: Filters,
        params: GapParams,
        buurtcode: str | None = None,
        werkgebied: str | None = None,
        planned: Sequence[PlannedActivity] = (),
        distance_m: float = 800.0,
    ) -> PackContent:
        """What the meeting pack of one buurt or werkgebied shows (``report.meeting_pack_pdf``
        lays it out): the map, the kansen with their reasons, key figures with source and
        year, the week, venues and partners nearby, the wijkteam and the plan."""
        from socialbasis.analysis.partners import partners_nearby, within_distance
        from socialbasis.analysis.timeslots import buurt_slot_shares
        from socialbasis.figures import figure_sources, figure_table

        dataset = self.dataset()
        buurten = dataset.buurten
        if buurtcode is not None:
            if buurtcode not in set(buurten["buurtcode"]):
                raise SettingsError(
                    _("buurt {code} ligt niet in {gemeente} ({year})").format(
                        code=buurtcode, gemeente=dataset.gemeentenaam, year=dataset.year
                    )
                )
            area = [buurtcode]
            name = str(buurten.loc[buurten["buurtcode"] == buurtcode, "buurtnaam"].iloc[0])
        elif werkgebied is not None:
            area = list(buurten.loc[buurten["werkgebied"] == werkgebied, "buurtcode"])
            if not area:
                raise SettingsError(
                    _("werkgebied {name!r} bestaat niet; kies uit {items}").format(
                        name=werkgebied, items=", ".join(sorted(buurten["werkgebied"].unique()))
                    )
                )
            name = _("werkgebied {name}").format(name=werkgebied)
        else:
            raise SettingsError(_("kies een buurt of een werkgebied"))
        grid = self.analysis_grid()
        ranked = kansenlijst(
            buurten, grid, dataset.initiatives, dataset.venues, layer, filters, params
        )
        ranked = ranked.assign(rank=np.arange(1, len(ranked) + 1))
        scored = buurten.merge(ranked[["buurtcode", "score"]], on="buurtcode", how="left")
        inside = buurten[buurten["buurtcode"].isin(area)]
        shape = inside.geometry.union_all()
        area_samples = grid.xy[np.isin(grid.buurt, np.flatnonzero(buurten["buurtcode"].isin(area)))]
        supply_all = dataset.initiatives[
            select_initiatives(dataset.initiatives, buurten, filters.for_supply())
        ]
        supply = supply_all[supply_all["layer"] == layer]
        middle = len(params.walk.minutes) // 2
        slots, figures = None, pd.DataFrame()
        if buurtcode is not None:
            index = int(np.flatnonzero(buurten["buurtcode"].to_numpy() == buurtcode)[0])
            slots = buurt_slot_shares(
                grid, index, supply, params.walk.metres()[middle], params.walk.distances()
            )
            figures = figure_table(inside.iloc[0], dataset.figures)
        effect = None
        if planned:
            effect = plan_effect(
                buurten,
                grid,
                dataset.initiatives,
                dataset.venues,
                layer,
                planned,
                filters,
                params,
                before=ranked.drop(columns="rank"),
            )
        sources = [
            f"{dataset.boundary_attribution} (CC BY 4.0).",
            *(
                _("Kerncijfers: {source}.").format(source=s)
                for s in figure_sources(dataset.figures)
            ),
            _("Aanbod: {source}.").format(source=dataset.source_of("aanbod", _("geen"))),
            _("Kansscore en afstanden: Sociale Basis Kaart; afstanden {how}.").format(
                how=_(params.walk.distances().label)
            ),
            *(
                [
                    _("Loopnetwerk: {source}, {licence}.").format(
                        source=dataset.source_of("netwerk"),
                        licence="© OpenStreetMap-bijdragers, ODbL",
                    )
                ]
                if params.walk.over_street
                else []
            ),
        ]
        return PackContent(
            title=_("Gesprekskaart {name}").format(name=name),
            area_name=name,
            gemeente=dataset.gemeentenaam,
            year=dataset.year,
            layer=layer,
            examples=dataset.listings_are_examples,
            buurten=scored,
            area=area,
            ranked=ranked[ranked["buurtcode"].isin(area)],
            figures=figures,
            slots=slots,
            minutes=params.walk.minutes[middle],
            supply=supply,
            venues=within_distance(
                shape, dataset.venues, distance_m, params.walk.distances(), area_samples
            ),
            partners=partners_nearby(
                shape, supply_all, distance_m, layer, params.walk.distances(), area_samples
            ),
            werkgebieden=sorted(inside["werkgebied"].unique()),
            indicative_werkgebieden=dataset.area_mapping.is_indicative,
            planned=list(planned),
            plan_effect=effect,
            sources=sources,
            made_on=date.today(),
        )

    def suggest(
        self,
        layer: str,
        filters: Filters,
        params: GapParams,
        count: int = 3,
        among: str = "locaties",
    ) -> SuggestionReport:
        """The ``count`` places (among the venues, or among every 100 m cell) that together
        bring an activity of ``layer`` within the middle walking time (10 minutes) of the most
        need-weighted residents who have none now (supply: what passes ``filters``)."""
        if among not in CANDIDATE_KINDS:
            raise SettingsError(
                _("onbekende kandidaten {among!r}; kies uit {items}").format(
                    among=among, items=", ".join(CANDIDATE_KINDS)
                )
            )
        if not 1 <= count <= MAX_PLACES:
            raise SettingsError(
                _("het aantal plekken moet 1 tot {most} zijn").format(most=MAX_PLACES)
            )
        dataset = self.dataset()
        buurten = dataset.buurten
        grid = self.analysis_grid()
        supply = dataset.initiatives[
            select_initiatives(dataset.initiatives, buurten, filters.for_supply())
        ]
        supply = supply[supply["layer"] == layer]
        if among == "locaties":
            venues = dataset.venues
            candidates = np.column_stack([venues.geometry.x, venues.geometry.y])
        else:
            venues = None
            candidates = grid.parents[0]  # the centre of every 100 m square
        middle = len(params.walk.minutes) // 2
        suggestion = suggest_places(
            grid,
            np.column_stack([supply.geometry.x, supply.geometry.y]),
            candidates,
            count,
            params.walk.metres()[middle],
            residents(buurten).to_numpy(float),
            need_index(buurten, params.need_weights).to_numpy(float),
            params.walk.distances(),
        )
        return SuggestionReport.build(
            suggestion, buurten, venues, params.walk.minutes[middle], among
        )

    def kansenlijst(self, layer: str, filters: Filters, params: GapParams) -> pd.DataFrame:
        dataset = self.dataset()
        return kansenlijst(
            dataset.buurten,
            self.analysis_grid(),
            dataset.initiatives,
            dataset.venues,
            layer,
            filters,
            params,
        )
