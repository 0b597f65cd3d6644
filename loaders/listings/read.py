"""Reading listing files as they come: CSV (also as Dutch Excel writes it), XLSX, GeoJSON,
and Open Referral HSDS (a folder of CSV tables, or HSDS 3 JSON). Every reader returns rows of
text or plain values and the row number a person would look for, before any checking."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from loaders.listings import hsds
from loaders.listings.columns import normalise_header, read_synonyms
from loaders.listings.table import RawTable
from socialbasis.errors import DataFileError, Problem
from socialbasis.textfiles import decode_text, sniff_separator


def read_csv_bytes(raw: bytes, source: str) -> RawTable:
    text, encoding = decode_text(raw, source)
    if not text.strip():
        raise DataFileError(source, "het bestand is leeg")
    separator = sniff_separator(text)
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    header = [h.strip() for h in next(reader)]
    if len(set(header)) != len(header):
        doubles = sorted({h for h in header if header.count(h) > 1})
        raise DataFileError(source, f"kolomnaam komt dubbel voor: {', '.join(doubles)}", row=1)
    records, numbers, problems = [], [], []
    start = reader.line_num + 1
    for values in reader:
        if any(v.strip() for v in values):
            if len(values) != len(header):
                problems.append(
                    Problem(
                        source,
                        start,
                        None,
                        "",
                        f"verwacht {len(header)} kolommen, kreeg {len(values)}; rij niet gelezen",
                    )
                )
            else:
                records.append(values)
                numbers.append(start)
        start = reader.line_num + 1
    name = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "streep"}[separator]
    return RawTable(
        pd.DataFrame(records, columns=header, dtype=object),
        numbers,
        source,
        f"CSV ({encoding}, gescheiden door {name})",
        problems,
    )


def read_xlsx_bytes(raw: bytes, source: str, sheet: str | None = None) -> RawTable:
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for damaged files
        raise DataFileError(source, f"geen leesbaar Excel-bestand (.xlsx): {exc}") from exc
    if sheet is not None and sheet not in book.sheetnames:
        raise DataFileError(
            source, f"tabblad {sheet!r} bestaat niet; wel: {', '.join(book.sheetnames)}"
        )
    worksheet = book[sheet] if sheet else book.worksheets[0]
    all_rows = list(enumerate(worksheet.iter_rows(values_only=True), start=1))
    filled = [(n, v) for n, v in all_rows if any(c not in (None, "") for c in v)]
    if not filled:
        raise DataFileError(source, "het werkblad is leeg")
    header_number, header_values = _header_row(filled)
    header = [str(v).strip() if v is not None else "" for v in header_values]
    while header and not header[-1]:
        header.pop()
    records, numbers = [], []
    for number, values in all_rows:
        if number <= header_number:
            continue
        values = list(values[: len(header)]) + [None] * (len(header) - len(values))
        if any(v not in (None, "") for v in values):
            records.append(values)
            numbers.append(number)
    book.close()
    return RawTable(
        pd.DataFrame(records, columns=header, dtype=object),
        numbers,
        source,
        f"Excel (tabblad {worksheet.title})",
    )


def _header_row(rows: list[tuple[int, tuple[Any, ...]]]) -> tuple[int, tuple[Any, ...]]:
    """The row among the first ten that looks most like column names (a sheet often has a
    title above its table); the first filled row when none does."""
    synonyms = read_synonyms()

    def known(values: tuple[Any, ...]) -> int:
        return sum(normalise_header(str(v)) in synonyms for v in values if v not in (None, ""))

    best = max(rows[:10], key=lambda row: known(row[1]))
    return best if known(best[1]) >= 2 else rows[0]


def read_geojson(body: dict[str, Any], source: str) -> RawTable:
    features = body.get("features")
    if body.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise DataFileError(source, "verwacht een GeoJSON FeatureCollection")
    records, numbers, problems = [], [], []
    for number, feature in enumerate(features, start=1):
        record = dict(feature.get("properties") or {})
        geometry = feature.get("geometry")
        if geometry:
            if geometry.get("type") != "Point":
                problems.append(
                    Problem(
                        source,
                        number,
                        "geometry",
                        str(geometry.get("type")),
                        "verwacht een punt; rij niet gelezen",
                    )
                )
                continue
            record["lon"], record["lat"] = geometry["coordinates"][:2]
        records.append(record)
        numbers.append(number)
    return RawTable(pd.DataFrame.from_records(records), numbers, source, "GeoJSON", problems)


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
            "het oude Excel-formaat (.xls) wordt niet gelezen; sla het op als .xlsx of als CSV",
        )
    if suffix in (".json", ".geojson"):
        try:
            body = json.loads(decode_text(raw, source)[0])
        except json.JSONDecodeError as exc:
            raise DataFileError(source, f"geen geldige JSON: {exc.msg}", row=exc.lineno) from exc
        if isinstance(body, dict) and body.get("type") == "FeatureCollection":
            return read_geojson(body, source)
        return hsds.read_json(body, source)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return read_csv_bytes(raw, source)
    raise DataFileError(
        source,
        f"onbekend bestandstype {suffix!r}; gebruik CSV, XLSX, "
        "GeoJSON, HSDS-JSON of een map met HSDS-tabellen",
    )
