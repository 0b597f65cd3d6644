import io

import pandas as pd
from click.testing import CliRunner
from shapely.geometry import Point

from cli.main import main
from tests.loaders.test_population_grid import cbs_squares


def test_a_population_grid_makes_shares_count_residents(tmp_path, embedded):
    path = tmp_path / "cbs_vk100_2023_v1.gpkg"
    cbs_squares([120, -99997, 35, 0, 80]).to_file(path, driver="GPKG")
    runner = CliRunner()

    loaded = runner.invoke(main, ["--jaar", "2024", "bevolking", str(path)])
    assert loaded.exit_code == 0, loaded.output
    assert "CBS Vierkantstatistieken 100 m, 2023: 4 vierkanten in Zaanstad" in loaded.output
    assert "samen 157 inwoners" in loaded.output
    assert "1 vierkant met een geheim aantal (minder dan 5) telt als 2 inwoners" in loaded.output

    info = runner.invoke(main, ["--jaar", "2024", "info"])
    assert "Inwoners per 100 m: CBS Vierkantstatistieken 100 m, 2023" in info.output

    result = runner.invoke(
        main, ["--jaar", "2024", "gaps", "--layer", "persoonlijk", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    # Squares with residents have their centres in these buurten; the rest stay by area.
    centres = [Point(118050, 493550), Point(118150, 493550), Point(118050, 493650)]
    buurten = embedded.buurten
    expected = {
        code
        for code, shape in zip(buurten["buurtcode"], buurten.geometry, strict=True)
        if any(shape.contains(c) for c in centres)
    }
    by_residents = table[table["share_basis"] == "inwoners"]
    assert set(by_residents["buurtcode"]) == expected and expected
    assert (table.loc[table["share_basis"] != "inwoners", "share_basis"] == "oppervlakte").all()
    uncovered = by_residents[by_residents["share_10min"] < 0.995]
    assert uncovered["reason"].str.contains("van de inwoners").all()


def test_a_population_file_that_cannot_be_used_changes_nothing(tmp_path):
    path = tmp_path / "vierkanten.gpkg"  # no year in the name
    cbs_squares([1, 2, 3, 4, 5]).to_file(path, driver="GPKG")
    result = CliRunner().invoke(main, ["--jaar", "2024", "bevolking", str(path)])
    assert result.exit_code != 0
    assert "geef het jaar op" in result.output
    info = CliRunner().invoke(main, ["--jaar", "2024", "info"])
    assert "bevolking" not in info.output
