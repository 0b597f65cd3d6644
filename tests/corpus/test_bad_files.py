"""Every file of the corpus through ``socialbasis import``: a clear error or the right rows,
never a traceback, and the data folder stays readable after every one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from socialbasis.dataset import load_dataset
from tests.corpus.make_bad_files import CORPUS, write_corpus
from tests.helpers import make_settings, stored_listings


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def _import(path: Path, data: Path) -> object:
    return CliRunner().invoke(
        main,
        ["--data-dir", str(data), "--jaar", "2024", "import", str(path), "--geen-adres-zoeken"],
    )


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_bad_file_gives_a_clear_answer_and_keeps_the_store_readable(name, corpus, tmp_path):
    expected = CORPUS[name][1]
    result = _import(corpus[name], tmp_path / "data")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{name}: traceback\n{result.output}"
    )
    assert "Traceback" not in result.output
    settings = make_settings(tmp_path, jaar=2024)
    initiatives, _ = stored_listings(tmp_path / "data")
    load_dataset(settings)  # the data folder still opens
    if expected == "error":
        assert result.exit_code == 1, result.output
        assert len(initiatives) == 0
    elif expected.startswith("rows:"):
        assert len(initiatives) == int(expected.split(":")[1]), result.output
    else:
        refused = expected.split(":")[1]
        assert result.exit_code == 1, result.output
        assert f"rij {refused}" in result.output, result.output


def _stored(name: str, corpus: dict[str, Path], tmp_path: Path):
    _import(corpus[name], tmp_path / "data")
    return stored_listings(tmp_path / "data")[0].set_index("id")


def test_text_comes_back_as_written(corpus, tmp_path):
    assert _stored("bom_then_cp1252.csv", corpus, tmp_path).loc["r1", "name"] == "Café koor"


def test_utf16_is_read_as_text_not_garbage(corpus, tmp_path):
    stored = _stored("excel_unicode_text.txt", corpus, tmp_path)
    assert list(stored["name"]) == ["Voorbeeld koor 1", "Voorbeeld koor 2"]


def test_literal_none_and_nan_stay_text(corpus, tmp_path):
    stored = _stored("literal_none_and_nan.csv", corpus, tmp_path)
    assert stored.loc["None", "name"] == "nan" and stored.loc["None", "description"] == "None"
    assert "nan" in stored.index


def test_geojson_in_rd_is_reprojected(corpus, tmp_path):
    stored = _stored("geojson_in_rd_with_crs.geojson", corpus, tmp_path)
    assert 52.40 < stored.loc["g1", "lat"] < 52.46 and 4.78 < stored.loc["g1", "lon"] < 4.86


def test_a_cr_inside_a_quoted_value_stays_in_the_value(corpus, tmp_path):
    stored = _stored("bare_cr_in_field.csv", corpus, tmp_path)
    assert stored.loc["r1", "description"] == "Zingen\rin de buurt"


def test_nested_geojson_properties_are_joined_or_reported(corpus, tmp_path):
    result = _import(corpus["geojson_nested_properties.geojson"], tmp_path / "data")
    assert "description" in result.output and "geneste waarde" in result.output
    stored = stored_listings(tmp_path / "data")[0]
    assert stored["target_groups"].iloc[0] == "ouderen"


def test_hsds_links_to_unknown_records_are_reported(corpus, tmp_path):
    result = _import(corpus["hsds_unknown_links"], tmp_path / "data")
    assert "organisatie staat niet in organizations.csv" in result.output
    assert "verwijst naar een service die niet in de tabellen staat" in result.output


def test_a_file_over_the_size_bound_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import socialbasis.textfiles as textfiles

    monkeypatch.setattr(textfiles, "MAX_FILE_BYTES", 1_000)
    path = tmp_path / "groot.csv"
    path.write_text("id;name\n" + "x" * 5_000 + "\n")  # one long line, like a 1 GB one
    result = _import(path, tmp_path / "data")
    assert result.exit_code == 1 and "wordt niet gelezen" in result.output


def test_a_boundary_with_text_as_coordinates_is_a_clear_error():
    from loaders._http import ResponseFormatError
    from loaders.pdok_wijkenbuurten import features_to_frame

    feature = {
        "type": "Feature",
        "properties": {"buurtcode": "BU04790001", "buurtnaam": "x"},
        "geometry": {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]},
    }
    with pytest.raises(ResponseFormatError, match="BU04790001"):
        features_to_frame([feature], "buurt")
