"""The embedded default: Zaanstad 2020 with the CBS Kerncijfers wijken en buurten (84799NED)."""

from __future__ import annotations

import csv
import importlib.util
import io

import pandas as pd
import pytest
from click.testing import CliRunner

from cli.main import main
from socialbasis.dataset import EMBEDDED_DIR, EMBEDDED_STORE
from socialbasis.figures import figure_table
from socialbasis.storage import Store

SOURCE = EMBEDDED_DIR / "geo" / "GM0479_2020" / "bron" / "kerncijfers_84799NED_GM0479.csv"


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_embedded", EMBEDDED_DIR.parent / "scripts" / "build_embedded.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _source_rows() -> dict[str, dict[str, str]]:
    text = SOURCE.read_text(encoding="utf-8")
    return {r["WijkenEnBuurten"]: r for r in csv.DictReader(io.StringIO(text))}


def test_the_shipped_file_is_what_the_parser_makes_of_the_cbs_files(tmp_path):
    _build_script().main(tmp_path)
    built = Store(tmp_path).read_geography("GM0479", 2020)
    shipped = Store(EMBEDDED_STORE).read_geography("GM0479", 2020)
    pd.testing.assert_frame_equal(
        built.buurten.drop(columns="geometry"), shipped.buurten.drop(columns="geometry")
    )
    assert built.buurten.geometry.geom_equals(shipped.buurten.geometry).all()
    pd.testing.assert_frame_equal(built.figures, shipped.figures)
    assert built.notes == shipped.notes and built.names == shipped.names


def test_the_default_is_zaanstad_2020_with_exactly_the_cbs_figures(embedded2020):
    assert (embedded2020.gemeentecode, embedded2020.year) == ("GM0479", 2020)
    assert len(embedded2020.buurten) == 50 and len(embedded2020.wijken) == 19
    assert embedded2020.area_mapping.is_indicative  # the 19 wijk codes exist in 2020
    assert embedded2020.werkgebieden["werkgebied"].nunique() == 11
    rows = _source_rows()
    for buurt in embedded2020.buurten.itertuples():
        raw = rows[buurt.buurtcode]
        assert buurt.inwoners == float(raw["AantalInwoners_5"])
        if float(raw["AantalInwoners_5"]):
            expected = round(
                float(raw["k_65JaarOfOuder_12"]) / float(raw["AantalInwoners_5"]) * 100, 1
            )
            assert buurt.pct_65plus == expected
        else:
            assert pd.isna(buurt.pct_65plus)
    figures = embedded2020.figures.set_index("column")
    assert set(figures["year"]) >= {"1 januari 2020"}
    assert (figures["source"] == "CBS, Kerncijfers wijken en buurten 2020 (84799NED)").all()
    assert figures.loc["inwoners", "gemeente"] == "156794"
    assert "pct_laag_inkomen" not in embedded2020.buurten  # null in this release
    assert any("Eenzaam" in note and "Niet in deze cijfers" in note for note in embedded2020.notes)


def test_2020_figures_are_never_joined_to_2024_buurten(embedded):
    assert embedded.year == 2024 and len(embedded.buurten) == 79
    assert not {"inwoners", "pct_65plus"} & set(embedded.buurten.columns)
    assert len(embedded.figures) == 0


def test_the_profile_shows_the_buurt_beside_the_gemeente_with_source_and_year(embedded2020):
    row = embedded2020.buurten.set_index("buurtcode").loc["BU04791210"]  # Poelenburg
    table = figure_table(row, embedded2020.figures).set_index("Cijfer")
    older = table.loc["65 jaar en ouder (%)"]
    assert older["Gemeente"] == "18 %"
    assert older["Bron"].startswith("CBS") and older["Jaar"] == "1 januari 2020"
    guisveld = embedded2020.buurten.set_index("buurtcode").loc["BU04795120"]
    assert (
        figure_table(guisveld, embedded2020.figures)
        .set_index("Cijfer")
        .loc["Inwoners per km²", "Buurt"]
        == "—"
    )


def test_gaps_on_the_default_prints_need_and_per_1000_for_every_buurt_with_figures():
    result = CliRunner().invoke(main, ["gaps", "--laag", "gemeenschappelijk", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert len(table) == 50 and set(table["jaar"]) == {2020}
    with_residents = table[table["buurtcode"] != "BU04795120"]  # Guisveld: 0 inwoners
    assert with_residents["need"].notna().all() and with_residents["per_1000"].notna().all()
    assert "Behoefte uit: 65 jaar en ouder" in result.stderr
    assert "Niet in deze cijfers" in result.stderr and "Eenzaam" in result.stderr
    assert "1 januari 2020" in result.stderr


@pytest.mark.parametrize("gemeente", ["GM0479"])
def test_info_names_the_year(gemeente):
    result = CliRunner().invoke(main, ["--gemeente", gemeente, "info"])
    assert "Zaanstad (GM0479), 2020" in result.output
