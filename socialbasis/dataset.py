"""A Dataset: everything the dashboard and the analysis need for one gemeente and year."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from socialbasis.analysis.distances import OVER_STREET, STRAIGHT_LINE
from socialbasis.analysis.network import WalkNetwork
from socialbasis.areas import (
    AreaMapping,
    assign_werkgebieden,
    dissolve,
    locate,
    normalise_buurten,
    read_area_mapping,
    read_buurten,
)
from socialbasis.errors import SocialBasisError, ValidationFailed
from socialbasis.figures import FIGURE_COLUMNS
from socialbasis.i18n import N_, _, join_words
from socialbasis.population import PopulationGrid
from socialbasis.schema import (
    validate_initiatives,
    validate_venues,
)
from socialbasis.settings import PROJECT_ROOT, Settings
from socialbasis.storage import Store

EMBEDDED_DIR = PROJECT_ROOT / "data"
EMBEDDED_GEMEENTE = "GM0479"
EMBEDDED_YEAR = 2024  # boundaries only (data/geo/GM0479_2024)
EMBEDDED_NAME = "Zaanstad"
# Geographies stored like a fetched one (gebied.gpkg), built from CBS files by
# scripts/build_embedded.py: Zaanstad 2020 with the CBS Kerncijfers wijken en buurten.
EMBEDDED_STORE = EMBEDDED_DIR / "geo"
INDICATIVE_MAPPING = EMBEDDED_DIR / "geo" / "GM0479_2024" / "werkgebieden_indicatief.csv"

PROVENANCE_COLUMNS = ("what", "source", "url", "licence", "year", "retrieved")
# What each kind of source is, in words (the codes are what the provenance files hold).
PROVENANCE_LABELS = {
    "grenzen": N_("Grenzen"),
    "wijknamen": N_("Namen van wijken"),
    "kerncijfers": N_("Kerncijfers"),
    "eenzaamheid": N_("Eenzaamheid"),
    "locaties": N_("Locaties"),
    "aanbod": N_("Aanbod"),
    "werkgebieden": N_("Werkgebieden"),
    "bevolking": N_("Inwoners per 100 m"),
    "netwerk": N_("Loopnetwerk"),
}


def provenance_label(what: str) -> str:
    """The kind of a source in the language of this run (the code if it is not known)."""
    return _(PROVENANCE_LABELS.get(what, what))


def no_figures() -> pd.DataFrame:
    return pd.DataFrame(columns=list(FIGURE_COLUMNS))


def provenance_frame(rows: list[tuple]) -> pd.DataFrame:
    """Provenance rows as text (a year may be unknown)."""
    return pd.DataFrame(rows, columns=list(PROVENANCE_COLUMNS)).astype(str)


@dataclass(frozen=True)
class Geography:
    """Buurten of one gemeente and year (canonical columns plus any key figures)."""

    buurten: gpd.GeoDataFrame
    names: dict[str, str]  # gemeentecode and wijkcodes -> name
    year: int
    provenance: pd.DataFrame
    default_mapping: AreaMapping | None = None
    # One row per key-figure column of ``buurten``: its label, source and year.
    figures: pd.DataFrame = field(default_factory=no_figures)
    venues: gpd.GeoDataFrame | None = None  # venues that came with the geography (OSM)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Dataset:
    """Geography, listings and provenance of one gemeente, in RD New."""

    gemeentecode: str
    gemeentenaam: str
    year: int
    buurten: gpd.GeoDataFrame
    wijken: gpd.GeoDataFrame
    werkgebieden: gpd.GeoDataFrame
    gemeente: gpd.GeoDataFrame
    area_mapping: AreaMapping
    initiatives: gpd.GeoDataFrame
    venues: gpd.GeoDataFrame
    provenance: pd.DataFrame
    figures: pd.DataFrame = field(default_factory=no_figures)
    notes: list[str] = field(default_factory=list)
    population: PopulationGrid | None = None  # residents per 100 m square, when loaded
    network: WalkNetwork | None = None  # the walking network, when loaded (else straight lines)

    @property
    def distance_label(self) -> str:
        """How distances are measured: "over straat" or "in rechte lijn" (translated)."""
        return _(OVER_STREET if self.network is not None else STRAIGHT_LINE)

    @property
    def listings_are_examples(self) -> bool:
        """True when any listed initiative or venue is invented example data."""
        return bool(self.example_parts)

    @property
    def example_parts(self) -> list[str]:
        """Which listings are invented examples: "activiteiten", "locaties", both or none."""
        parts = []
        if self.initiatives["is_example"].any():
            parts.append(N_("activiteiten"))
        if self.venues["is_example"].any():
            parts.append(N_("locaties"))
        return parts

    def source_of(self, what: str, default: str = "") -> str:
        """Every source recorded for one kind of data ("grenzen", "aanbod", ...), joined."""
        sources = self.provenance.loc[self.provenance["what"] == what, "source"]
        return "; ".join(dict.fromkeys(sources)) or default

    @property
    def boundary_attribution(self) -> str:
        return self.source_of("grenzen", _("Bron: CBS/Kadaster"))


def mapping_per_wijk(buurten: pd.DataFrame) -> AreaMapping:
    """Every wijk its own werkgebied: the honest default when no mapping is known."""
    wijken = sorted(buurten["wijkcode"].unique())
    table = pd.DataFrame({"code": wijken, "werkgebied": wijken, "row": range(2, len(wijken) + 2)})
    return AreaMapping(table, _("per wijk (geen indeling geladen)"), "standaard")


def assemble(
    geography: Geography,
    mapping: AreaMapping,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    provenance: pd.DataFrame,
) -> Dataset:
    """Derive wijken, gemeente and werkgebieden from the buurten, and place the listings."""
    names = geography.names
    buurten = geography.buurten.copy()
    buurten.insert(3, "wijknaam", buurten["wijkcode"].map(names).fillna(buurten["wijkcode"]))
    buurten.insert(4, "werkgebied", assign_werkgebieden(buurten, mapping))
    gemeentecode = str(buurten["gemeentecode"].iloc[0])
    initiatives = initiatives.copy()
    initiatives["buurtcode"] = locate(initiatives.geometry, buurten, "buurtcode")
    venues = venues.copy()
    venues["buurtcode"] = locate(venues.geometry, buurten, "buurtcode")
    return Dataset(
        gemeentecode=gemeentecode,
        gemeentenaam=names.get(gemeentecode, gemeentecode),
        year=geography.year,
        buurten=buurten,
        wijken=dissolve(buurten, "wijkcode", names, "wijknaam"),
        werkgebieden=dissolve(buurten, "werkgebied"),
        gemeente=dissolve(buurten, "gemeentecode", names, "gemeentenaam"),
        area_mapping=mapping,
        initiatives=initiatives,
        venues=venues,
        provenance=pd.concat([geography.provenance, provenance], ignore_index=True),
        figures=geography.figures,
        notes=geography.notes,
    )


def read_listing_csv(path: Path, kind: str) -> gpd.GeoDataFrame:
    """Read a listings file in the canonical CSV format; any invalid row is an error."""
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    validate = validate_initiatives if kind == "initiatives" else validate_venues
    result = validate(rows, path.name)
    if not result.ok:
        raise ValidationFailed(result.problems)
    return result.frame


def embedded_geography(root: Path = EMBEDDED_DIR) -> Geography:
    """Real CBS/Kadaster 2024 buurten of Zaanstad, with the indicative werkgebieden."""
    folder = root / "geo" / f"{EMBEDDED_GEMEENTE}_{EMBEDDED_YEAR}"
    names = pd.read_csv(folder / "namen.csv", dtype=str).set_index("code")["naam"].to_dict()
    return Geography(
        buurten=read_buurten(folder / "buurten_rd.geojson"),
        names=names,
        year=EMBEDDED_YEAR,
        provenance=provenance_frame(
            [
                (
                    "grenzen",
                    _("Bron: CBS/Kadaster, Wijk- en buurtkaart 2024"),
                    "https://www.cbs.nl/nl-nl/dossier/nederland-regionaal/geografische-data/"
                    "wijk-en-buurtkaart-2024",
                    "CC BY 4.0",
                    2024,
                    "",
                ),
            ]
        ),
        default_mapping=read_area_mapping(INDICATIVE_MAPPING),
    )


def embedded_listings(root: Path = EMBEDDED_DIR) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The example initiatives and venues of Zaanstad (every record says it is an example)."""
    folder = root / "initiatives"
    return (
        read_listing_csv(folder / "voorbeeld_initiatieven_zaanstad.csv", "initiatives"),
        read_listing_csv(folder / "voorbeeld_locaties_zaanstad.csv", "venues"),
    )


def _fitting_default_mapping(gemeentecode: str, buurten: pd.DataFrame) -> AreaMapping | None:
    """The indicative werkgebieden of Zaanstad, for any vintage whose wijken they name."""
    if gemeentecode != EMBEDDED_GEMEENTE:
        return None
    mapping = read_area_mapping(INDICATIVE_MAPPING)
    known = set(buurten["wijkcode"]) | set(buurten["buurtcode"])
    wijken = set(buurten["wijkcode"])
    fits = set(mapping.table["code"]) <= known and wijken <= set(mapping.table["code"])
    return mapping if fits else None


def stored_geography(store: Store, gemeentecode: str, year: int) -> Geography:
    """A geography stored like ``socialbasis fetch`` does, with its figures and OSM venues."""
    stored = store.read_geography(gemeentecode, year)
    buurten = normalise_buurten(stored.buurten, str(store.geography_path(gemeentecode, year)))
    return Geography(
        buurten=buurten,
        names=stored.names,
        year=year,
        provenance=stored.provenance,
        default_mapping=_fitting_default_mapping(gemeentecode, buurten),
        figures=stored.figures,
        venues=stored.venues,
        notes=stored.notes,
    )


def available_gemeenten(settings: Settings) -> list[tuple[str, int, str]]:
    """(gemeentecode, year, name) that can be opened: fetched ones plus the embedded ones."""
    found = {
        (code, year): name for code, year, name in Store(EMBEDDED_STORE).available_geographies()
    }
    found.update(
        {
            (code, year): name
            for code, year, name in Store(settings.data_dir).available_geographies()
        }
    )
    found.setdefault((EMBEDDED_GEMEENTE, EMBEDDED_YEAR), EMBEDDED_NAME)
    return sorted((code, year, name) for (code, year), name in found.items())


def load_geography(settings: Settings) -> Geography:
    """A fetched geography when there is one, else an embedded one (Zaanstad 2020 with key
    figures, Zaanstad 2024 boundaries only)."""
    for store in (Store(settings.data_dir), Store(EMBEDDED_STORE)):
        if store.has_geography(settings.gemeente, settings.jaar):
            return stored_geography(store, settings.gemeente, settings.jaar)
    if (settings.gemeente, settings.jaar) == (EMBEDDED_GEMEENTE, EMBEDDED_YEAR):
        return embedded_geography()
    raise SocialBasisError(
        _(
            "Er zijn geen gegevens voor {gemeente} ({jaar}). Haal ze op met 'socialbasis "
            "fetch --gemeente {gemeente} --jaar {jaar}'."
        ).format(gemeente=settings.gemeente, jaar=settings.jaar)
    )


def load_dataset(
    settings: Settings,
    listings: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None = None,
    stored_kinds: Collection[str] | None = None,
) -> Dataset:
    """The data to show for the configured gemeente and year, with the gemeente's stored
    listings (initiatives, venues; the application core reads them from the database).
    ``stored_kinds``: the kinds ("initiatieven", "locaties") of which anything was ever
    stored, retired listings included: examples never fill in for those, so retiring every
    listing shows none (default: the kinds given with rows).

    Initiatives: the gemeente's imported listings when there are any; otherwise, for
    Zaanstad, the embedded examples; otherwise none. Venues: imported venues plus those that
    came with the fetched geography (OpenStreetMap); examples only when there are none.
    """
    geography = load_geography(settings)
    store = Store(settings.data_dir)
    if settings.werkgebieden is not None:
        mapping = read_area_mapping(settings.werkgebieden)
    elif store.mapping_path(settings.gemeente).is_file():
        mapping = read_area_mapping(store.mapping_path(settings.gemeente))
    else:
        mapping = geography.default_mapping or mapping_per_wijk(geography.buurten)
    if listings is None:
        listings = (
            validate_initiatives(pd.DataFrame(), "leeg").frame,
            validate_venues(pd.DataFrame(), "leeg").frame,
        )
    initiatives, venues = listings
    sources = []
    if len(initiatives) or len(venues):
        sources.append(("aanbod", _("Ingelezen aanbod"), "database", "", "", ""))
    if geography.venues is not None and len(geography.venues):
        venues = pd.concat([venues, geography.venues], ignore_index=True)
    if stored_kinds is None:
        stored_kinds = {
            k for k, f in (("initiatieven", initiatives), ("locaties", venues)) if len(f)
        }
    if settings.gemeente == EMBEDDED_GEMEENTE:
        example_initiatives, example_venues = embedded_listings()
        invented = []
        if "initiatieven" not in stored_kinds:
            initiatives, invented = example_initiatives, [N_("activiteiten")]
        elif len(example_initiatives):
            sources.append(
                (
                    "aanbod",
                    _(
                        "De verzonnen voorbeeldactiviteiten zijn "
                        "vervangen door het ingelezen aanbod"
                    ),
                    "",
                    "",
                    "",
                    "",
                )
            )
        # Example venues only where there are none at all (stored or from OpenStreetMap).
        if "locaties" not in stored_kinds and not len(venues):
            venues, invented = example_venues, [*invented, N_("locaties")]
        if invented:
            sources.append(
                (
                    "aanbod",
                    _("Voorbeelddata: verzonnen {listings}").format(
                        listings=join_words([_(part) for part in invented])
                    ),
                    "",
                    "",
                    "",
                    "",
                )
            )
    if not sources and not len(initiatives):
        sources.append(("aanbod", _("Nog geen aanbod ingelezen"), "", "", "", ""))
    werkgebied_source = ("werkgebieden", mapping.status, Path(mapping.source).name, "", "", "")
    population = store.read_population(settings.gemeente)
    if population is not None:
        sources.append(
            ("bevolking", population.label, population.source, "CC BY 4.0", population.year, "")
        )
    network = store.read_network(settings.gemeente)
    if network is not None:
        about = network.about
        sources.append(
            (
                "netwerk",
                _("loopnetwerk uit OpenStreetMap ({about})").format(
                    about=", ".join(p for p in (about.get("bron"), about.get("datum")) if p)
                ),
                about.get("bron", ""),
                about.get("licentie", "ODbL"),
                about.get("datum", ""),
                about.get("ingelezen", ""),
            )
        )
    dataset = assemble(
        geography, mapping, initiatives, venues, provenance_frame([werkgebied_source, *sources])
    )
    return replace(dataset, population=population, network=network)
