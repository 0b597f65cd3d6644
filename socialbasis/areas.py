"""Geography: buurten, the wijken and gemeente dissolved from them, and werkgebieden.

Wijk, gemeente and werkgebied outlines are always made by dissolving buurten, so that every
outline matches the buurt fills exactly (CBS generalises each level separately, and those
files do not line up).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from socialbasis.errors import DataFileError, Problem, ValidationFailed
from socialbasis.geo import to_rd
from socialbasis.i18n import _
from socialbasis.textfiles import decode_text, read_csv_rows

# Since 2023 the wijk and buurt parts of a code may hold capital letters (Amsterdam:
# WK0363AF, BU0363AF01; CBS 85984NED); the gemeente part is always four digits.
log = logging.getLogger(__name__)

BUURTCODE = re.compile(r"^BU\d{4}[0-9A-Z]{4}$")
WIJKCODE = re.compile(r"^WK\d{4}[0-9A-Z]{2}$")
GEMEENTECODE = re.compile(r"^GM\d{4}$")
WATER_COLUMNS = ("water", "WATER", "Water")


def is_buurtcode(code: str) -> bool:
    """``BU04791111`` and, since 2023, codes with letters such as ``BU0363AF01``.

    >>> is_buurtcode("BU0363AF01"), is_buurtcode("BU04791111"), is_buurtcode("BU0479111")
    (True, True, False)
    """
    return bool(BUURTCODE.match(code))


def is_wijkcode(code: str) -> bool:
    """``WK047911`` and ``WK0363AF``."""
    return bool(WIJKCODE.match(code))


def drop_water_parts(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The frame without the Wijk- en buurtkaart's water parts (``water`` = ``JA``), and
    how many there were."""
    column = next((c for c in WATER_COLUMNS if c in frame.columns), None)
    if column is None:
        return frame, 0
    water = frame[column].astype(str).str.strip().str.upper() == "JA"
    return frame[~water.to_numpy()], int(water.sum())


_CODE_ALIASES = ("buurtcode", "statcode", "code", "buurt_code")
_NAME_ALIASES = ("buurtnaam", "statnaam", "naam", "buurt_naam")


def wijkcode_of(buurtcode: str) -> str:
    """The wijkcode a buurtcode belongs to: ``BU04791111`` -> ``WK047911``."""
    return "WK" + buurtcode[2:8]


def gemeentecode_of(code: str) -> str:
    """The gemeentecode of a buurt- or wijkcode: ``BU04791111`` -> ``GM0479``."""
    return "GM" + code[2:6]


def normalise_buurten(frame: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    """Buurten with canonical columns ``buurtcode, buurtnaam, wijkcode, gemeentecode``, in RD.

    Accepts CBS's own property names (``statcode``/``statnaam``) as well. Water parts
    (``water`` = ``JA``) are left out. Other columns (key figures) are kept as they are.
    """
    frame, water = drop_water_parts(frame)
    if water:
        log.info("%s: %d waterdeel/waterdelen (water = JA) weggelaten", source, water)
    columns = {c.lower(): c for c in frame.columns}
    code_col = next((columns[a] for a in _CODE_ALIASES if a in columns), None)
    name_col = next((columns[a] for a in _NAME_ALIASES if a in columns), None)
    if code_col is None or name_col is None:
        raise DataFileError(
            source,
            _(
                "buurten hebben een code- en een naamkolom nodig; verwacht een van {items} "
                "en een van {items2}, gevonden: {items3}"
            ).format(
                items=", ".join(_CODE_ALIASES),
                items2=", ".join(_NAME_ALIASES),
                items3=", ".join(map(str, frame.columns)),
            ),
        )
    out = frame.rename(columns={code_col: "buurtcode", name_col: "buurtnaam"})
    out["buurtcode"] = out["buurtcode"].fillna("").astype(str).str.strip()
    out["buurtnaam"] = out["buurtnaam"].fillna("").astype(str).str.strip()
    problems = [
        Problem(
            source,
            i + 1,
            "buurtcode",
            code,
            _(
                "verwacht een CBS-buurtcode zoals BU04791111 (sinds "
                "2023 ook met letters: BU0363AF01)"
            ),
        )
        for i, code in enumerate(out["buurtcode"])
        if not is_buurtcode(code)
    ]
    duplicated = out["buurtcode"].duplicated()
    problems += [
        Problem(source, i + 1, "buurtcode", code, _("deze buurtcode komt meer dan één keer voor"))
        for i, code in enumerate(out["buurtcode"])
        if duplicated.iloc[i]
    ]
    problems += [
        Problem(source, i + 1, "geometry", "", _("buurt heeft geen geldige vlakgeometrie"))
        for i, geom in enumerate(out.geometry)
        if geom is None
        or geom.is_empty
        or not geom.is_valid
        or geom.geom_type not in ("Polygon", "MultiPolygon")
    ]
    if problems:
        raise ValidationFailed(problems)
    out["wijkcode"] = out["buurtcode"].map(wijkcode_of)
    out["gemeentecode"] = out["buurtcode"].map(gemeentecode_of)
    first = ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode"]
    rest = [c for c in out.columns if c not in first and c != out.geometry.name]
    out = out[[*first, *rest, out.geometry.name]]
    return to_rd(out.set_geometry(out.geometry.name)).reset_index(drop=True)


def read_buurten(path: Path) -> gpd.GeoDataFrame:
    """Read a buurten file (GeoJSON, GeoPackage, ...) into the canonical form."""
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise DataFileError(
            str(path), _("kan het bestand niet lezen als geodata: {exc}").format(exc=exc)
        ) from exc
    return normalise_buurten(frame, str(path))


def dissolve(
    buurten: gpd.GeoDataFrame,
    by: str,
    names: Mapping[str, str] | None = None,
    name_column: str | None = None,
) -> gpd.GeoDataFrame:
    """Union the buurten per value of ``by``; optionally attach names from ``names``.

    >>> from shapely.geometry import box
    >>> b = gpd.GeoDataFrame({"w": ["a", "a", "b"]},
    ...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)], crs="EPSG:28992")
    >>> dissolve(b, "w").area.tolist()
    [2.0, 1.0]
    """
    counts = buurten.groupby(by).size().rename("buurten")
    out = buurten[[by, buurten.geometry.name]].dissolve(by=by).join(counts).reset_index()
    if names is not None:
        column = name_column or f"{by}_naam"
        out.insert(1, column, out[by].map(names).fillna(out[by]))
    return out


@dataclass(frozen=True)
class AreaMapping:
    """Which werkgebied each wijk or buurt belongs to."""

    table: pd.DataFrame  # columns: code, werkgebied, row
    status: str  # "indicatief" for the shipped default, else what the file says
    source: str

    @property
    def is_indicative(self) -> bool:
        return self.status.lower() == "indicatief"


def read_area_mapping(data: Path | bytes, source: str | None = None) -> AreaMapping:
    """Read a werkgebied mapping: columns ``code`` (wijk- or buurtcode), ``werkgebied``,
    optionally ``status``. Separator ``,`` or ``;``; UTF-8 (with or without BOM) or cp1252.
    """
    name = source or (str(data) if isinstance(data, Path) else "werkgebieden")
    text, _encoding = decode_text(data.read_bytes() if isinstance(data, Path) else data, name)
    if not text.strip():
        raise DataFileError(name, _("het bestand is leeg; verwacht code, werkgebied[, status]"))
    table = _read_mapping_rows(text, name)
    missing = [c for c in ("code", "werkgebied") if c not in table.columns]
    if missing:
        raise DataFileError(
            name,
            _("kolom(men) ontbreken: {items}; verwacht code, werkgebied[, status]").format(
                items=", ".join(missing)
            ),
        )
    table["code"] = table["code"].str.strip().str.upper()
    table["werkgebied"] = table["werkgebied"].str.strip()
    table["row"] = range(2, len(table) + 2)
    problems = []
    for row in table.itertuples():
        if not (is_wijkcode(row.code) or is_buurtcode(row.code)):
            problems.append(
                Problem(
                    name,
                    row.row,
                    "code",
                    row.code,
                    _(
                        "verwacht een wijkcode (WK047911) of buurtcode (BU04791111); "
                        "sinds 2023 ook met letters (WK0363AF, BU0363AF01)"
                    ),
                )
            )
        if not row.werkgebied:
            problems.append(Problem(name, row.row, "werkgebied", "", _("werkgebied is leeg")))
    for row in table[table["code"].duplicated(keep=False)].itertuples():
        problems.append(
            Problem(name, row.row, "code", row.code, _("deze code staat er meer dan één keer in"))
        )
    if problems:
        raise ValidationFailed(problems)
    statuses = sorted({s.strip() for s in table.get("status", pd.Series(dtype=str)) if s.strip()})
    status = ", ".join(statuses) if statuses else _("eigen indeling")
    return AreaMapping(table[["code", "werkgebied", "row"]], status, name)


def _read_mapping_rows(text: str, name: str) -> pd.DataFrame:
    """The rows of a mapping file as text; a row with too many or too few cells, or an
    unclosed quote, is an error naming the line."""
    table = read_csv_rows(text, name)
    if table.ragged:
        raise ValidationFailed(
            [
                Problem(
                    name,
                    line,
                    None,
                    "",
                    _("verwacht {count} kolommen, kreeg {width}").format(
                        count=len(table.header), width=width
                    ),
                )
                for line, width in table.ragged
            ]
        )
    header = [c.strip().lower() for c in table.header]
    return pd.DataFrame(table.rows, columns=header, dtype=object)


def assign_werkgebieden(buurten: pd.DataFrame, mapping: AreaMapping) -> pd.Series:
    """The werkgebied of every buurt, indexed like ``buurten``.

    A buurtcode row wins over its wijk's row. Every buurt must get a werkgebied and every code
    in the mapping must exist in the loaded buurten; otherwise nothing is assigned and every
    problem is reported.
    """
    by_code = dict(zip(mapping.table["code"], mapping.table["werkgebied"], strict=True))
    known_codes = set(buurten["buurtcode"]) | set(buurten["wijkcode"])
    problems = [
        Problem(
            mapping.source,
            int(row.row),
            "code",
            row.code,
            _("deze code hoort niet bij de geladen buurten of wijken"),
        )
        for row in mapping.table.itertuples()
        if row.code not in known_codes
    ]
    assigned = buurten["buurtcode"].map(by_code).fillna(buurten["wijkcode"].map(by_code))
    for code in buurten.loc[assigned.isna(), "buurtcode"]:
        problems.append(
            Problem(
                mapping.source,
                None,
                "code",
                code,
                _("deze buurt (en haar wijk) heeft geen werkgebied in de indeling"),
            )
        )
    if problems:
        raise ValidationFailed(problems)
    return assigned.rename("werkgebied")


def locate(points: gpd.GeoSeries, areas: gpd.GeoDataFrame, code_column: str) -> pd.Series:
    """The code of the area each point lies in (missing where it lies in none), like ``points``.

    Areas are assumed not to overlap; if they touch at a point on their shared edge, the
    first area in ``areas`` wins, so the answer is deterministic.
    """
    points = points.to_crs(areas.crs) if points.crs != areas.crs else points
    point_index, area_index = areas.sindex.query(points.values, predicate="intersects")
    pairs = pd.DataFrame({"point": point_index, "area": area_index}).sort_values(["point", "area"])
    first = pairs.drop_duplicates("point")
    result = pd.Series(pd.NA, index=points.index, dtype="string", name=code_column)
    result.iloc[first["point"].to_numpy()] = areas[code_column].to_numpy()[first["area"].to_numpy()]
    return result
