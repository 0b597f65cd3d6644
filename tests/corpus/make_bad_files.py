"""A corpus of bad and awkward listing files, each small and built here (never committed).

Each entry: file name -> (bytes or a folder of files, what must happen). Outcomes:
  "error"      a clear error (exit 1) naming the file, nothing stored, no traceback;
  "rows:N"     read correctly: N good rows;
  "refused:R"  the given spreadsheet row refused with a message, the rest read.
Run ``python -m tests.corpus.make_bad_files DIR`` to write them into DIR for a look.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

HEADER = "id;name;layer;lat;lon;source;description;organisation;start_date\n"


def row(i: int, **over: str) -> str:
    values = {
        "id": f"r{i}",
        "name": f"Voorbeeld koor {i}",
        "layer": "gemeenschappelijk",
        "lat": "52,4390",
        "lon": "4,8260",
        "source": "voorbeeld",
        "description": "Zingen",
        "organisation": "Stichting",
        "start_date": "",
    }
    values.update(over)
    return ";".join(values[k] for k in HEADER.strip().split(";")) + "\n"


def csv_text(*rows: str) -> str:
    return HEADER + "".join(rows)


def xlsx(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for values in rows:
            sheet.append(values)
        if title in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_with_far_cells() -> bytes:
    """Cells at XFD1 and A1048576: a sheet that claims 16,384 columns and a million rows."""
    book = Workbook()
    sheet = book.active
    for values in ([c for c in HEADER.strip().split(";")], row(1).strip().split(";")):
        sheet.append(values)
    sheet["XFD1"] = "x"
    sheet["A1048576"] = "y"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_with_huge_shared_string() -> bytes:
    """A small zip whose sheet unpacks to 300 MB: one enormous cell (a zip bomb)."""
    plain = xlsx({"Blad1": [HEADER.strip().split(";"), row(1).strip().split(";")]})
    source = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"Zingen" in data
                data = data.replace(b"Zingen", b"A" * 300_000_000)
            target.writestr(item, data)
    return out.getvalue()


def xlsx_formula_without_value() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(";"))
    sheet.append(row(1).strip().split(";"))
    sheet["B2"] = '=CONCAT("Voorbeeld ";"koor")'  # saved by openpyxl: no cached value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def geojson(features: object, **extra: object) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features, **extra}).encode()


def point(coordinates: object, **properties: object) -> dict:
    base = {
        "id": "g1",
        "name": "Voorbeeld koor",
        "layer": "gemeenschappelijk",
        "source": "voorbeeld",
    }
    return {
        "type": "Feature",
        "properties": {**base, **properties},
        "geometry": {"type": "Point", "coordinates": coordinates},
    }


def hsds_folder(services: str, organizations: str, locations: str, links: str) -> dict[str, bytes]:
    return {
        "services.csv": services.encode(),
        "organizations.csv": organizations.encode(),
        "locations.csv": locations.encode(),
        "service_at_location.csv": links.encode(),
    }


CORPUS: dict[str, tuple[bytes | dict[str, bytes], str]] = {
    # encodings and line ends
    "excel_unicode_text.txt": (
        ("\ufeff" + csv_text(row(1), row(2)).replace(";", "\t")).encode("utf-16-le"),
        "rows:2",
    ),
    "utf16_be_bom.csv": (("\ufeff" + csv_text(row(1))).encode("utf-16-be"), "rows:1"),
    "cr_only.csv": (csv_text(row(1), row(2)).replace("\n", "\r").encode(), "rows:2"),
    "bare_cr_in_field.csv": (
        (HEADER + row(1, description='"Zingen\rin de buurt"')).encode(),
        "rows:1",
    ),
    "bom_then_cp1252.csv": (
        b"\xef\xbb\xbf" + csv_text(row(1, name="Caf\xe9 koor")).encode("latin-1"),
        "rows:1",
    ),
    "header_with_newline.csv": (
        (
            'id;"Naam\nactiviteit";layer;lat;lon;source;description;organisation;start_date\n'
            + row(1)
        ).encode(),
        "rows:1",
    ),
    "unclosed_quote.csv": ((HEADER + row(1, description='"Zingen') + row(2)).encode(), "error"),
    # cells and sizes
    "field_over_csv_limit.csv": (csv_text(row(1, description="x" * 200_000)).encode(), "error"),
    "field_over_text_limit.csv": (
        csv_text(row(1, description="x" * 20_000), row(2)).encode(),
        "refused:2",
    ),
    "twenty_thousand_columns.csv": (
        (";".join(f"k{i}" for i in range(20_000)) + "\n").encode(),
        "error",
    ),
    "nul_in_name.csv": (csv_text(row(1, name="Koor\x00 De Zaan"), row(2)).encode(), "refused:2"),
    "nul_in_id.csv": (csv_text(row(1, id="r\x001"), row(2)).encode(), "refused:2"),
    "literal_none_and_nan.csv": (
        csv_text(row(1, id="None", name="nan", description="None"), row(2, id="nan")).encode(),
        "rows:2",
    ),
    "same_id_twice.csv": (csv_text(row(1), row(1, name="Ander koor")).encode(), "refused:3"),
    "zero_as_date.csv": (csv_text(row(1, start_date="0"), row(2)).encode(), "refused:2"),
    "epoch_as_date.csv": (csv_text(row(1, start_date="1700000000"), row(2)).encode(), "refused:2"),
    # JSON and GeoJSON
    "deeply_nested.json": (b"[" * 100_000 + b"]" * 100_000, "error"),
    "geojson_missing_coordinates.geojson": (
        geojson(
            [
                {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Point"}},
                point([4.826, 52.439], id="b"),
            ]
        ),
        "refused:1",
    ),
    "geojson_short_coordinates.geojson": (
        geojson([point([4.826]), point([4.826, 52.439], id="b")]),
        "refused:1",
    ),
    "geojson_text_coordinates.geojson": (
        geojson([point(["a", "b"]), point([4.826, 52.439], id="b")]),
        "refused:1",
    ),
    "geojson_features_not_objects.geojson": (
        geojson([1, "x", point([4.826, 52.439])]),
        "refused:1",
    ),
    "geojson_nested_properties.geojson": (
        geojson([point([4.826, 52.439], description={"nl": "Zingen"}, target_groups=["ouderen"])]),
        "rows:1",
    ),
    "geojson_in_rd_with_crs.geojson": (
        geojson(
            [point([117_800.0, 493_900.0])],
            crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        ),
        "rows:1",
    ),
    "hsds_wrong_nested_types.json": (
        json.dumps(
            [
                {
                    "id": "s1",
                    "name": "Voorbeeld koor",
                    "organization": "x",
                    "service_at_locations": "nee",
                    "schedules": [{"byday": 5}],
                }
            ]
        ).encode(),
        "refused:1",
    ),
    "hsds_odd_schedule.json": (
        json.dumps(
            [
                {
                    "id": "s1",
                    "name": "Voorbeeld koor",
                    "schedules": [{"byday": "XX", "opens_at": 7}],
                    "service_at_locations": [
                        {"location": {"id": "l1", "latitude": 52.439, "longitude": 4.826}}
                    ],
                }
            ]
        ).encode(),
        "rows:1",
    ),
    # spreadsheets
    "data_on_second_sheet.xlsx": (
        xlsx(
            {
                "Toelichting": [["Dit bestand komt uit de sociale kaart"]],
                "Aanbod": [HEADER.strip().split(";"), row(1).strip().split(";")],
            }
        ),
        "rows:1",
    ),
    "first_sheet_hidden.xlsx": (
        xlsx(
            {
                "Oud": [["x", "y"], [1, 2]],
                "Aanbod": [HEADER.strip().split(";"), row(1).strip().split(";")],
            },
            hidden=("Oud",),
        ),
        "rows:1",
    ),
    "header_on_row_14.xlsx": (
        xlsx(
            {
                "Blad1": [[f"Toelichting regel {i}"] for i in range(13)]
                + [HEADER.strip().split(";"), row(1).strip().split(";")]
            }
        ),
        "rows:1",
    ),
    "far_cells.xlsx": (xlsx_with_far_cells(), "rows:1"),
    "huge_cell_zip_bomb.xlsx": (xlsx_with_huge_shared_string(), "error"),
    "formula_without_value.xlsx": (xlsx_formula_without_value(), "refused:2"),
    # HSDS tables
    "hsds_tables_without_id": (
        hsds_folder(
            "name,organization_id\nVoorbeeld koor,o1\n",
            "id,name\no1,Org\n",
            "id,latitude,longitude\nl1,52.439,4.826\n",
            "service_id,location_id\ns1,l1\n",
        ),
        "error",
    ),
    "hsds_tables_ragged": (
        hsds_folder(
            "id,name,organization_id\ns1,Voorbeeld koor,o1,extra\n",
            "id,name\no1,Org\n",
            "id,latitude,longitude\nl1,52.439\n",
            "service_id,location_id\ns1,l1\n",
        ),
        "error",
    ),
    "hsds_unknown_links": (
        hsds_folder(
            "id,name,organization_id\ns1,Voorbeeld koor,o9\n",
            "id,name\no1,Org\n",
            "id,latitude,longitude\nl1,52.439,4.826\n",
            "id,service_id,location_id\nx,s1,l1\ny,s7,l1\n",
        ),
        "rows:1",
    ),
}


def write_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (content, _) in CORPUS.items():
        path = folder / name
        if isinstance(content, dict):
            path.mkdir(exist_ok=True)
            for part, data in content.items():
                (path / part).write_bytes(data)
        else:
            path.write_bytes(content)
        paths[name] = path
    return paths


if __name__ == "__main__":
    print(write_corpus(Path(sys.argv[1])))
