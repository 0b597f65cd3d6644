"""Reading listing files as they come: CSV (also as Dutch Excel writes it), XLSX, GeoJSON,
and Open Referral HSDS (a folder of CSV tables, or HSDS 3 JSON). Every reader returns rows of
text or plain values and the row number a person would look for, before any checking."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from loaders.listings import hsds
from loaders.listings.columns import normalise_header, read_synonyms
from loaders.listings.table import RawTable
from socialbasis.errors import DataFileError, Problem
from socialbasis.i18n import _
from socialbasis.textfiles import (
    MAX_COLUMNS,
    MAX_JSON_DEPTH,
    MAX_ROWS,
    check_size,
    decode_text,
    read_csv_rows,
)


def clean_header(value: object) -> str:
    """A header cell as one line: a line break inside a cell ("Naam\nactiviteit") is a space."""
    return " ".join(str(value).split()) if value is not None else ""


def check_header(header: list[str], source: str) -> None:
    if len(header) > MAX_COLUMNS:
        raise DataFileError(
            source,
            _("{count} kolommen; meer dan {max_columns} wordt niet gelezen").format(
                count=len(header), max_columns=MAX_COLUMNS
            ),
            row=1,
        )
    named = [h for h in header if h]
    if len(set(named)) != len(named):
        doubles = sorted({h for h in named if named.count(h) > 1})
        raise DataFileError(
            source, _("kolomnaam komt dubbel voor: {items}").format(items=", ".join(doubles)), row=1
        )


def read_csv_bytes(raw: bytes, source: str) -> RawTable:
    text, encoding = decode_text(raw, source)
    if not text.strip():
        raise DataFileError(source, _("het bestand is leeg"))
    table = read_csv_rows(text, source)
    header = [clean_header(h) for h in table.header]
    check_header(header, source)
    problems = [
        Problem(
            source,
            line,
            None,
            "",
            _("verwacht {count} kolommen, kreeg {width}; rij niet gelezen").format(
                count=len(header), width=width
            ),
        )
        for line, width in table.ragged
    ]
    name = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "streep"}[table.separator]
    return RawTable(
        pd.DataFrame(table.rows, columns=header, dtype=object),
        table.lines,
        source,
        _("CSV ({encoding}, gescheiden door {name})").format(encoding=encoding, name=name),
        problems,
    )


MAX_UNPACKED_BYTES = 200_000_000  # an XLSX is a zip: refuse one that unpacks to more


def _check_zip(raw: bytes, source: str) -> None:
    """Refuse an XLSX whose parts unpack to more than ``MAX_UNPACKED_BYTES`` (a zip bomb,
    or one enormous cell), before any part is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise DataFileError(source, _("geen leesbaar Excel-bestand (.xlsx): geen zip")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise DataFileError(
            source,
            _(
                "het Excel-bestand pakt uit tot {value:.0f} MB; meer dan {value2} MB wordt "
                "niet gelezen"
            ).format(value=unpacked / 1_000_000, value2=MAX_UNPACKED_BYTES // 1_000_000),
        )


def _filled_rows(worksheet: Any, source: str) -> list[tuple[int, list[Any]]]:
    """(row number, values) of every row with a value, at most ``MAX_COLUMNS`` wide.

    The sheet's stated dimensions are ignored (a stray cell at XFD1 or A1048576 would make
    openpyxl pad every row to 16,384 columns and a million rows)."""
    worksheet.reset_dimensions()
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if any(v not in (None, "") for v in values):
            if len(rows) > MAX_ROWS:
                raise DataFileError(
                    source,
                    _("meer dan {max_rows} rijen; splits het bestand").format(max_rows=MAX_ROWS),
                )
            rows.append((number, list(values)))
    return rows


def _formula_cells(raw: bytes, sheet_title: str) -> set[tuple[int, int]]:
    """(row, column) of the cells that hold a formula."""
    from openpyxl import load_workbook  # imported where used: only Excel files need it

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        sheet = book[sheet_title]
        sheet.reset_dimensions()
        return {
            (r, c)
            for r, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            for c, value in enumerate(values[:MAX_COLUMNS])
            if isinstance(value, str) and value.startswith("=")
        }
    finally:
        book.close()


def _pick_sheet(book: Any, sheet: str | None, source: str) -> tuple[Any, list]:
    """The chosen sheet, else the first visible one with a recognisable header, else the
    first visible one with anything on it."""
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise DataFileError(
                source,
                _("tabblad {sheet!r} bestaat niet; wel: {items}").format(
                    sheet=sheet, items=", ".join(book.sheetnames)
                ),
            )
        return book[sheet], _filled_rows(book[sheet], source)
    visible = [ws for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    first_filled = None
    for worksheet in visible or book.worksheets:
        rows = _filled_rows(worksheet, source)
        if rows and _known_columns(_header_row(rows)[1]) >= 2:
            return worksheet, rows
        if rows and first_filled is None:
            first_filled = (worksheet, rows)
    if first_filled is None:
        raise DataFileError(source, _("het Excel-bestand heeft geen tabblad met gegevens"))
    return first_filled


def read_xlsx_bytes(raw: bytes, source: str, sheet: str | None = None) -> RawTable:
    check_size(raw, source)
    _check_zip(raw, source)
    try:
        from openpyxl import load_workbook  # imported where used: only Excel files need it

        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for damaged files
        raise DataFileError(
            source, _("geen leesbaar Excel-bestand (.xlsx): {exc}").format(exc=exc)
        ) from exc
    try:
        worksheet, filled = _pick_sheet(book, sheet, source)
        title = worksheet.title
    finally:
        book.close()
    header_number, header_values = _header_row(filled)
    problems: list[Problem] = []
    if len([v for v in header_values[MAX_COLUMNS:] if v not in (None, "")]):
        problems.append(
            Problem(
                source,
                header_number,
                None,
                "",
                _("kolommen na kolom {max_columns} worden niet gelezen").format(
                    max_columns=MAX_COLUMNS
                ),
                severity="waarschuwing",
            )
        )
    header = [clean_header(v) for v in header_values[:MAX_COLUMNS]]
    while header and not header[-1]:
        header.pop()
    check_header(header, source)
    formulas = _formula_cells(raw, title)
    records, numbers = [], []
    for number, values in filled:
        if number <= header_number:
            continue
        values = list(values[: len(header)]) + [None] * (len(header) - len(values))
        if not any(v not in (None, "") for v in values):
            continue
        empty_formulas = [
            header[c] for c, v in enumerate(values) if v is None and (number, c) in formulas
        ]
        if empty_formulas:
            problems.append(
                Problem(
                    source,
                    number,
                    empty_formulas[0],
                    "",
                    _(
                        "formule zonder opgeslagen uitkomst; open het bestand in Excel, sla het "
                        "op en lees het opnieuw in (rij niet gelezen)"
                    ),
                )
            )
            continue
        records.append(values)
        numbers.append(number)
    return RawTable(
        pd.DataFrame(records, columns=header, dtype=object),
        numbers,
        source,
        _("Excel (tabblad {title})").format(title=title),
        problems,
    )


def _known_columns(values: list[Any]) -> int:
    synonyms = read_synonyms()
    return sum(
        normalise_header(clean_header(v)) in synonyms
        for v in values[:MAX_COLUMNS]
        if v not in (None, "")
    )


def _header_row(rows: list[tuple[int, list[Any]]]) -> tuple[int, list[Any]]:
    """The row among the first thirty that looks most like column names (a sheet often has a
    title and notes above its table); the first filled row when none does."""
    best = max(rows[:30], key=lambda row: _known_columns(row[1]))
    return best if _known_columns(best[1]) >= 2 else rows[0]


def _crs_of(body: dict[str, Any], source: str) -> str | None:
    """The old-style GeoJSON ``crs`` member (``urn:ogc:def:crs:EPSG::28992``), if any."""
    member = body.get("crs")
    if member is None:
        return None
    name = (
        str(((member or {}).get("properties") or {}).get("name", ""))
        if isinstance(member, dict)
        else ""
    )
    code = name.rsplit(":", 1)[-1]
    if "CRS84" in name or code == "4326":
        return None
    if not code.isdigit():
        raise DataFileError(
            source, _("onbekend coördinatenstelsel in 'crs': {name!r}").format(name=name)
        )
    try:
        return CRS.from_epsg(int(code)).to_string()
    except CRSError as exc:
        raise DataFileError(
            source, _("onbekend coördinatenstelsel EPSG:{code}").format(code=code)
        ) from exc


def _property(value: Any) -> tuple[Any, bool]:
    """A property as a cell: a list of plain values becomes "a;b"; other nesting is refused."""
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ";".join(str(v) for v in value), True
    if isinstance(value, dict | list):
        return None, False
    return value, True


def read_geojson(body: dict[str, Any], source: str) -> RawTable:
    features = body.get("features")
    if body.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise DataFileError(source, _("verwacht een GeoJSON FeatureCollection"))
    if len(features) > MAX_ROWS:
        raise DataFileError(
            source, _("meer dan {max_rows} objecten; splits het bestand").format(max_rows=MAX_ROWS)
        )
    crs = _crs_of(body, source)
    records, numbers, problems = [], [], []

    def refuse(number: int, field: str, value: Any, message: str) -> None:
        problems.append(Problem(source, number, field, str(value)[:80], message))

    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            refuse(number, "feature", feature, _("verwacht een GeoJSON-object; rij niet gelezen"))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            refuse(number, "properties", properties, _("verwacht een object; rij niet gelezen"))
            continue
        record = {}
        for key, value in properties.items():
            cell, ok = _property(value)
            if not ok:
                problems.append(
                    Problem(
                        source,
                        number,
                        str(key),
                        str(value)[:80],
                        _("geneste waarde; niet gelezen"),
                        severity="waarschuwing",
                    )
                )
            record[str(key)] = cell
        geometry = feature.get("geometry")
        if geometry:
            if not isinstance(geometry, dict) or geometry.get("type") != "Point":
                kind = geometry.get("type") if isinstance(geometry, dict) else geometry
                refuse(number, "geometry", kind, _("verwacht een punt; rij niet gelezen"))
                continue
            coordinates = geometry.get("coordinates")
            if (
                not isinstance(coordinates, list)
                or len(coordinates) < 2
                or not all(
                    isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2]
                )
            ):
                refuse(
                    number,
                    "geometry",
                    coordinates,
                    _("verwacht coördinaten [lengte, breedte] als getallen; rij niet gelezen"),
                )
                continue
            x, y = float(coordinates[0]), float(coordinates[1])
            if crs is not None:
                x, y = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
            record["lon"], record["lat"] = x, y
        records.append(record)
        numbers.append(number)
    label = "GeoJSON" + (_(" (omgerekend uit {crs})").format(crs=crs) if crs else "")
    return RawTable(pd.DataFrame.from_records(records), numbers, source, label, problems)


def load_json(raw: bytes, source: str) -> Any:
    """JSON within bounds: size, and nesting (deeper JSON is refused, not a crash)."""
    text = decode_text(raw, source)[0]
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            source, _("geen geldige JSON: {msg}").format(msg=exc.msg), row=exc.lineno
        ) from exc
    except RecursionError as exc:
        raise DataFileError(source, _("de JSON is te diep genest")) from exc
    if _depth(body) > MAX_JSON_DEPTH:
        raise DataFileError(
            source,
            _("de JSON is dieper genest dan {max_json_depth} niveaus").format(
                max_json_depth=MAX_JSON_DEPTH
            ),
        )
    return body


def _depth(body: Any) -> int:
    """Nesting depth, without recursion."""
    deepest, stack = 0, [(body, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        stack.extend((child, depth + 1) for child in children)
    return deepest


def read_listing_source(
    data: Path | bytes, name: str | None = None, sheet: str | None = None
) -> RawTable:
    """Read a file or folder of listings; the format follows from the name and content."""
    if isinstance(data, Path) and data.is_dir():
        return hsds.read_tables(data)
    source = name or (data.name if isinstance(data, Path) else "upload")
    raw = data.read_bytes() if isinstance(data, Path) else data
    suffix = Path(source).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_bytes(raw, source, sheet)
    if suffix == ".xls":
        raise DataFileError(
            source,
            _("het oude Excel-formaat (.xls) wordt niet gelezen; sla het op als .xlsx of als CSV"),
        )
    if suffix in (".json", ".geojson"):
        body = load_json(raw, source)
        if isinstance(body, dict) and body.get("type") == "FeatureCollection":
            return read_geojson(body, source)
        return hsds.read_json(body, source)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return read_csv_bytes(raw, source)
    raise DataFileError(
        source,
        _(
            "onbekend bestandstype {suffix!r}; gebruik CSV, XLSX, GeoJSON, HSDS-JSON of "
            "een map met HSDS-tabellen"
        ).format(suffix=suffix),
    )
