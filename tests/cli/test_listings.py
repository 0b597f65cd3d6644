"""``socialbasis validate``, ``import`` and ``export`` on the embedded Zaanstad data."""

import io
import json

import geopandas as gpd
import pandas as pd
import pyogrio
from click.testing import CliRunner

from cli.main import main
from tests.loaders.test_importer import GOOD, dutch_excel_csv


def run(*args):
    return CliRunner().invoke(main, list(args))


def write(tmp_path, rows, name="aanbod.csv"):
    path = tmp_path / name
    path.write_bytes(dutch_excel_csv(rows))
    return path


def test_validate_reports_and_exits_non_zero_only_when_a_row_cannot_be_imported(tmp_path):
    good = run("validate", str(write(tmp_path, [GOOD])))
    assert good.exit_code == 0, good.output
    assert "CSV (cp1252, gescheiden door puntkomma), 1 rijen gelezen" in good.output
    assert "Goed: 1 rijen; geweigerd: 0 rijen" in good.output
    bad_row = ["Fout", "", "cultuur", "", "", "", "", "52,44", "4,82", "", ""]
    bad = run("validate", str(write(tmp_path, [GOOD, bad_row], "fout.csv")))
    assert bad.exit_code == 1
    assert "FOUT: fout.csv, rij 3, veld 'layer'" in bad.output
    assert "geweigerd: 1 rijen" in bad.output


def test_import_stores_good_rows_and_never_overwrites_without_asking(tmp_path):
    path = write(tmp_path, [GOOD])
    first = run("import", str(path))
    assert first.exit_code == 0, first.output
    assert "Opgeslagen: 1 rijen" in first.output
    info = run("info")
    assert "initiatieven: 1 " in info.output
    again = run("import", str(path))
    assert again.exit_code == 1 and "niet overschreven" in again.output
    update = run("import", str(path), "--bijwerken")
    assert update.exit_code == 0, update.output
    assert "initiatieven: 1 " in run("info").output


def test_import_of_venues_and_a_column_mapping(tmp_path):
    path = tmp_path / "locaties.csv"
    path.write_text(
        "Wat;Soort locatie;Laag;lat;lon\nBuurthuis Test;buurthuis;institutioneel;52,44;4,82\n",
        encoding="utf-8",
    )
    result = run("import", str(path), "--soort", "locaties", "--kolom", "Wat=name")
    assert result.exit_code == 0, result.output
    assert "locaties: 1 " in run("info").output


def test_exports_can_be_read_back(tmp_path):
    assert run("import", str(write(tmp_path, [GOOD]))).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    for fmt, name in (
        ("csv", "a.csv"),
        ("geojson", "a.geojson"),
        ("gpkg", "a.gpkg"),
        ("hsds", "a.json"),
        ("buurten", "b.csv"),
    ):
        result = run("export", "--formaat", fmt, "--uit", str(out / name))
        assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "a.csv", dtype=str, keep_default_na=False)
    assert table.loc[0, "name"] == GOOD[0] and table.loc[0, "lat"].startswith("52.439")
    assert gpd.read_file(out / "a.geojson").iloc[0]["name"] == GOOD[0]
    assert pyogrio.read_dataframe(out / "a.gpkg").iloc[0]["name"] == GOOD[0]
    services = json.loads((out / "a.json").read_text())
    assert services[0]["name"] == GOOD[0]
    assert {"layer:gemeenschappelijk", "discipline:muziek"} <= {
        a["taxonomy_term"]["code"] for a in services[0]["attributes"]
    }
    buurten = pd.read_csv(out / "b.csv", dtype={"jaar": str})
    assert len(buurten) == 50 and set(buurten["gemeentecode"]) == {"GM0479"}
    assert set(buurten["jaar"]) == {"2020"} and buurten["aantal_gemeenschappelijk"].sum() == 1
    # The canonical CSV is what import reads: read back, it is recognised as the same record.
    back = run("validate", str(out / "a.csv"))
    assert "deze id is al ingelezen" in back.output and "meldingen: 0" in back.output
    reread = pd.read_csv(
        io.StringIO((out / "a.csv").read_text(encoding="utf-8-sig")),
        dtype=str,
        keep_default_na=False,
    )
    assert list(reread.columns[:3]) == ["id", "name", "organisation"]
