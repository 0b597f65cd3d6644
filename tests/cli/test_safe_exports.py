"""Exports are safe to open in a spreadsheet, and import takes them back unchanged."""

from __future__ import annotations

import csv
import io

import pandas as pd
from click.testing import CliRunner

from cli.main import main
from socialbasis.export import csv_bytes, neutralise_cell
from tests.helpers import stored_listings

HEADER = "id;name;layer;lat;lon;source;description;organisation\n"


def run(data, *args):
    return CliRunner().invoke(main, ["--data-dir", str(data), "--jaar", "2024", *args])


def _rows(path):
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_formula_text_is_neutralised_in_csv_exports_and_restored_on_import(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        HEADER
        + 'f1;=HYPERLINK("http://x");gemeenschappelijk;52,439;4,826;voorbeeld;'
        + " =1+1;@SUM(A1)\n"
        + 'f2;+31 koor;gemeenschappelijk;52,439;4,826;voorbeeld;-kort-;"\tTab"\n',
        encoding="utf-8",
    )
    assert run(tmp_path / "d", "import", str(source), "--geen-adres-zoeken").exit_code == 0
    out = tmp_path / "uit" / "nieuw" / "aanbod.csv"  # a folder that does not exist yet
    result = run(tmp_path / "d", "export", "--formaat", "csv", "--uit", str(out))
    assert result.exit_code == 0, result.output and "gemaakt" in result.output
    rows = {r["id"]: r for r in _rows(out)}
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    for row in rows.values():
        for value in row.values():
            assert not value.lstrip(" ").startswith(dangerous) or value.startswith("'")
    assert rows["f1"]["name"].startswith("'=HYPERLINK")
    assert rows["f1"]["organisation"] == "'@SUM(A1)"
    # the exported file imports back to the same records
    back = tmp_path / "terug"
    assert run(back, "import", str(out), "--geen-adres-zoeken").exit_code == 0
    first = stored_listings(tmp_path / "d")[0].set_index("id")
    second = stored_listings(back)[0].set_index("id")
    for column in ("name", "description", "organisation"):
        assert first[column].to_dict() == second[column].to_dict()
    assert second.loc["f1", "name"] == '=HYPERLINK("http://x")'


def test_csv_bytes_neutralises_every_text_column_but_not_numbers():
    frame = pd.DataFrame({"a": ["=1", "-5", "ok"], "b": [-1.5, 2.0, 3.0]})
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "'=1" in text and "\n-5," in text and "-1.5" in text
    assert neutralise_cell("\r=x") == "'\r=x"


def test_personal_data_in_public_text_gets_a_warning_per_row(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        HEADER
        + "p1;Koor;gemeenschappelijk;52,439;4,826;voorbeeld;Bel Jan: 06-12345678;\n"
        + "p2;Koor 2;gemeenschappelijk;52,44;4,827;voorbeeld;Mail jan.jansen@example.nl;\n"
        + "p3;Koor 3;gemeenschappelijk;52,441;4,828;voorbeeld;Elke dinsdag om 10:00;\n",
        encoding="utf-8",
    )
    result = run(tmp_path / "d", "validate", str(source), "--geen-adres-zoeken")
    assert "rij 2" in result.output and "telefoonnummer" in result.output
    assert "rij 3" in result.output and "e-mailadres" in result.output
    assert "rij 4" not in result.output


def test_export_to_a_place_that_cannot_be_written_is_a_clear_error(tmp_path):
    blocker = tmp_path / "bestand"
    blocker.write_text("x")
    result = run(tmp_path / "d", "export", "--formaat", "csv", "--uit", str(blocker / "a.csv"))
    assert result.exit_code == 1 and "kan niet schrijven" in result.output
    assert "Traceback" not in result.output


def test_the_excel_export_opens_in_dutch_excel_and_imports_back(tmp_path):
    from socialbasis.export import excel_csv_bytes, listings_excel_csv

    source = tmp_path / "in.csv"
    source.write_text(
        HEADER + "e1;Koor Café;gemeenschappelijk;52,439;4,826;voorbeeld;=2+2 <b>x</b>;\n",
        encoding="utf-8",
    )
    assert run(tmp_path / "d", "import", str(source), "--geen-adres-zoeken").exit_code == 0
    stored = stored_listings(tmp_path / "d")[0]
    raw = listings_excel_csv(stored)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:3] == ["id", "naam", "organisatie"] and "breedtegraad" in header
    assert "52,439" in text and "'=2+2 <b>x</b>" in text  # decimal comma; formula inert
    path = tmp_path / "excel.csv"
    path.write_bytes(raw)
    back = tmp_path / "terug"
    result = run(back, "import", str(path), "--geen-adres-zoeken")
    assert result.exit_code == 0, result.output
    again = stored_listings(back)[0].iloc[0]
    assert again["name"] == "Koor Café" and again["description"] == "=2+2 <b>x</b>"
    assert abs(again["lat"] - 52.439) < 1e-9
    numbers = excel_csv_bytes(pd.DataFrame({"score": [12.5]})).decode("utf-8-sig")
    assert numbers.splitlines() == ["kansscore", "12,5"]
