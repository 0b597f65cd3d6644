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


def test_a_re_import_under_another_name_updates_instead_of_doubling(tmp_path):
    path = write(tmp_path, [GOOD])
    first = run("import", str(path))
    assert first.exit_code == 0, first.output
    assert "Opgeslagen als wijzigingsset 1: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd" in first.output
    assert "initiatieven: 1 " in run("info").output
    copy = write(tmp_path, [GOOD], "Kopie van aanbod.csv")
    again = run("import", str(copy))
    assert again.exit_code == 0, again.output
    # The same row: updated (its source is now the copy's name), not added.
    assert "0 nieuw, 1 bijgewerkt, 0 ongewijzigd" in again.output
    assert "0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in run("import", str(copy)).output
    changed = write(tmp_path, [[*GOOD[:3], "theater", *GOOD[4:]]], "nieuw.csv")
    assert "0 nieuw, 1 bijgewerkt" in run("import", str(changed)).output
    assert "initiatieven: 1 " in run("info").output


def test_a_look_alike_is_skipped_unless_chosen_and_every_import_can_be_undone(tmp_path):
    assert run("import", str(write(tmp_path, [GOOD]))).exit_code == 0
    moved = [*GOOD[:6], "Teststraat 3", "52,4392", "4,8262", "", ""]
    path = write(tmp_path, [moved], "verhuisd.csv")
    skipped = run("import", str(path))
    assert skipped.exit_code == 1
    assert "Lijkt dubbel met wat er al is (1):" in skipped.output
    assert "rij 2: 'Café-koor Zaans Geluid'" in skipped.output
    assert "niet ingelezen: rij 2: lijkt dubbel met act-" in skipped.output
    both = run("import", str(path), "--dubbel-rij", "2=beide")
    assert both.exit_code == 0 and "1 nieuw" in both.output
    assert "initiatieven: 2 " in run("info").output
    changeset = int(both.output.split("wijzigingsset ")[1].split(":")[0])
    undone = run("import", "--ongedaan-maken", str(changeset))
    assert undone.exit_code == 0 and f"Wijzigingsset {changeset} is ongedaan" in undone.output
    assert "initiatieven: 1 " in run("info").output
    update = run("import", str(path), "--dubbel", "bijwerken")
    assert "0 nieuw, 1 bijgewerkt" in update.output
    stored_id = update.output.split("lijkt dubbel met ")[0].split("~ ")[-1]
    log = run("geschiedenis")
    assert log.exit_code == 0 and "cli:" in log.output and "ongedaan" in log.output
    assert run("import", "--ongedaan-maken", "99").exit_code == 1
    assert "bestaat niet" in run("import", "--ongedaan-maken", "99").output
    assert stored_id


def test_history_of_one_listing_says_who_when_what_and_why(tmp_path):
    assert run("import", str(write(tmp_path, [GOOD]))).exit_code == 0
    listing_id = run("geschiedenis").output  # the log names the file
    assert "aanbod.csv" in listing_id
    changed = write(tmp_path, [[*GOOD[:3], "theater", *GOOD[4:]]], "nieuw.csv")
    assert run("import", str(changed)).exit_code == 0
    export = tmp_path / "uit.csv"
    run("export", "--formaat", "csv", "--uit", str(export))
    stored_id = export.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[0]
    history = run("geschiedenis", stored_id)
    assert history.exit_code == 0, history.output
    lines = history.output.splitlines()
    assert len(lines) == 2 and "toegevoegd" in lines[0] and "(import, 1)" in lines[0]
    assert 'discipline: "muziek" -> "theater"' in lines[1] and "cli:" in lines[1]
    retired = run("gestopt", stored_id, "--reden", "gestopt per 1 maart")
    assert retired.exit_code == 0, retired.output
    # Off the map, and no example activities in its place.
    assert "initiatieven: 0 " in run("info").output
    assert run("herstel", stored_id).exit_code == 0
    assert "initiatieven: 1 " in run("info").output
    assert (
        "geen activiteit met id 'bestaat-niet'"
        in run("gestopt", "bestaat-niet", "--reden", "x").output
    )


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
    assert "1 rijen staan al opgeslagen (zelfde id)" in back.output
    assert "meldingen: 0" in back.output
    assert "0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in run("import", str(out / "a.csv")).output
    reread = pd.read_csv(
        io.StringIO((out / "a.csv").read_text(encoding="utf-8-sig")),
        dtype=str,
        keep_default_na=False,
    )
    assert list(reread.columns[:3]) == ["id", "name", "organisation"]
