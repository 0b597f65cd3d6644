"""A Dataset: everything the dashboard and the analysis need for one gemeente and year."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from socialbasis.areas import (
    AreaMapping,
    assign_werkgebieden,
    dissolve,
    locate,
    read_area_mapping,
    read_buurten,
)
from socialbasis.errors import SocialBasisError, ValidationFailed
from socialbasis.schema import (
    INITIATIVE_COLUMNS,
    VENUE_COLUMNS,
    validate_initiatives,
    validate_venues,
)
from socialbasis.settings import PROJECT_ROOT, Settings
from socialbasis.storage import Store

EMBEDDED_DIR = PROJECT_ROOT / "data"
EMBEDDED_GEMEENTE = "GM0479"
EMBEDDED_YEAR = 2024

PROVENANCE_COLUMNS = ("what", "source", "url", "licence", "year", "retrieved")
FIGURE_COLUMNS = ("column", "label", "source", "year")


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

    @property
    def listings_are_examples(self) -> bool:
        """True when any listed initiative or venue is invented example data."""
        return bool(self.initiatives["is_example"].any() or self.venues["is_example"].any())

    @property
    def boundary_attribution(self) -> str:
        rows = self.provenance[self.provenance["what"] == "grenzen"]
        return rows["source"].iloc[0] if len(rows) else "Bron: CBS/Kadaster"

    def with_area_mapping(self, mapping: AreaMapping) -> Dataset:
        """The same data with werkgebieden from another mapping."""
        buurten = self.buurten.copy()
        buurten["werkgebied"] = assign_werkgebieden(buurten, mapping)
        return replace(
            self,
            buurten=buurten,
            werkgebieden=dissolve(buurten, "werkgebied"),
            area_mapping=mapping,
        )


def mapping_per_wijk(buurten: pd.DataFrame) -> AreaMapping:
    """Every wijk its own werkgebied: the honest default when no mapping is known."""
    wijken = sorted(buurten["wijkcode"].unique())
    table = pd.DataFrame({"code": wijken, "werkgebied": wijken, "row": range(2, len(wijken) + 2)})
    return AreaMapping(table, "per wijk (geen indeling geladen)", "standaard")


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
                    "Bron: CBS/Kadaster, Wijk- en buurtkaart 2024",
                    "https://www.cbs.nl/nl-nl/dossier/nederland-regionaal/geografische-data/"
                    "wijk-en-buurtkaart-2024",
                    "CC BY 4.0",
                    2024,
                    "",
                ),
            ]
        ),
        default_mapping=read_area_mapping(folder / "werkgebieden_indicatief.csv"),
    )


def embedded_listings(root: Path = EMBEDDED_DIR) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The example initiatives and venues of Zaanstad (every record says it is an example)."""
    folder = root / "initiatives"
    return (
        read_listing_csv(folder / "voorbeeld_initiatieven_zaanstad.csv", "initiatives"),
        read_listing_csv(folder / "voorbeeld_locaties_zaanstad.csv", "venues"),
    )


def empty_listings() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    initiatives = validate_initiatives(pd.DataFrame(columns=list(INITIATIVE_COLUMNS)), "leeg")
    venues = validate_venues(pd.DataFrame(columns=list(VENUE_COLUMNS)), "leeg")
    return initiatives.frame, venues.frame


def load_geography(settings: Settings) -> Geography:
    if (settings.gemeente, settings.jaar) == (EMBEDDED_GEMEENTE, EMBEDDED_YEAR):
        return embedded_geography()
    raise SocialBasisError(
        f"Er zijn geen gegevens voor {settings.gemeente} ({settings.jaar}). Haal ze op met "
        f"'socialbasis fetch --gemeente {settings.gemeente} --jaar {settings.jaar}'."
    )


def load_dataset(settings: Settings) -> Dataset:
    """The data to show for the configured gemeente and year.

    Listings: the gemeente's stored listings when there are any; otherwise, for Zaanstad, the
    embedded example listings; otherwise none.
    """
    geography = load_geography(settings)
    if settings.werkgebieden is not None:
        mapping = read_area_mapping(settings.werkgebieden)
    else:
        mapping = geography.default_mapping or mapping_per_wijk(geography.buurten)
    store = Store(settings.data_dir)
    if store.has_listings(settings.gemeente):
        initiatives, venues = store.read_listings(settings.gemeente)
        listing_source = ("aanbod", "Ingelezen aanbod", "", "", "", "")
    elif settings.gemeente == EMBEDDED_GEMEENTE:
        initiatives, venues = embedded_listings()
        listing_source = (
            "aanbod",
            "Voorbeelddata: verzonnen activiteiten en locaties",
            "",
            "",
            "",
            "",
        )
    else:
        initiatives, venues = empty_listings()
        listing_source = ("aanbod", "Nog geen aanbod ingelezen", "", "", "", "")
    werkgebied_source = ("werkgebieden", mapping.status, Path(mapping.source).name, "", "", "")
    return assemble(
        geography,
        mapping,
        initiatives,
        venues,
        provenance_frame([werkgebied_source, listing_source]),
    )
