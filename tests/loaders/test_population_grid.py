"""Reading CBS Vierkantstatistieken: constructed files in the documented CBS layout
(GeoPackage, RD New, ``crs28992res100m`` and ``aantal_inwoners``, -99997 for a hidden count)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from loaders.population_grid import read_population_grid, year_from_name
from socialbasis.errors import DataFileError
from socialbasis.population import SECRET_RESIDENTS, analysis_grid
from socialbasis.storage import Store

# Four squares in Vijfhoekpark (Zaandam), one in the IJ far east of Zaanstad.
INSIDE = [(118000, 493500), (118100, 493500), (118000, 493600), (118100, 493600)]
OUTSIDE = (135000, 487000)


def cbs_squares(counts, origins=(*INSIDE, OUTSIDE), column="aantal_inwoners", crs="EPSG:28992"):
    frame = gpd.GeoDataFrame(
        {
            "crs28992res100m": [f"E{x // 100:04d}N{y // 100:04d}" for x, y in origins],
            column: counts,
            "aantal_woningen": [10] * len(origins),
        },
        geometry=[box(x, y, x + 100, y + 100) for x, y in origins],
        crs="EPSG:28992",
    )
    return frame.to_crs(crs)


@pytest.fixture
def cbs_file(tmp_path):
    path = tmp_path / "cbs_vk100_2023_v1.gpkg"
    cbs_squares([120, -99997, 35, 0, 80]).to_file(path, driver="GPKG")
    return path


def test_squares_in_the_gemeente_are_read_with_hidden_counts_marked(cbs_file, embedded):
    population = read_population_grid(cbs_file, embedded.gemeente)
    assert population.year == 2023 and population.source == "cbs_vk100_2023_v1.gpkg"
    assert len(population.squares) == 4  # the square in the IJ is left out
    assert population.squares["inwoners"].tolist() == [120, SECRET_RESIDENTS, 35, 0]
    assert population.squares["geheim"].tolist() == [False, True, False, False]
    assert population.residents == 155 + SECRET_RESIDENTS
    assert population.secret_squares == 1
    assert population.label == "CBS Vierkantstatistieken 100 m, 2023"
    assert population.squares.crs.to_epsg() == 28992


def test_the_pdok_spelling_in_wgs84_is_read_too(tmp_path, embedded):
    path = tmp_path / "vierkanten.geojson"
    squares = cbs_squares([5, 10, 15, 20, 25], column="aantalInwoners", crs="EPSG:4326")
    squares.to_file(path, driver="GeoJSON")
    population = read_population_grid(path, embedded.gemeente, year=2024)
    assert population.year == 2024
    assert population.squares["inwoners"].tolist() == [5, 10, 15, 20]
    # Back in RD New, the squares are the 100 m squares they were (to a few centimetres).
    assert population.squares.area.round(-1).tolist() == [10000.0] * 4


@pytest.mark.parametrize(
    ("name", "year"),
    [("cbs_vk100_2023_v1.gpkg", 2023), ("vierkanten-2021.gpkg", 2021), ("vk.gpkg", None)],
)
def test_the_year_is_taken_from_the_file_name(tmp_path, name, year):
    assert year_from_name(tmp_path / name) == year


def test_a_file_without_year_asks_for_it(tmp_path, embedded):
    path = tmp_path / "vierkanten.gpkg"
    cbs_squares([1, 2, 3, 4, 5]).to_file(path, driver="GPKG")
    with pytest.raises(DataFileError, match=r"vierkanten.gpkg.*geef het jaar op"):
        read_population_grid(path, embedded.gemeente)


def test_a_file_without_a_population_column_lists_what_it_has(tmp_path, embedded):
    path = tmp_path / "vk_2023.gpkg"
    cbs_squares([1, 2, 3, 4, 5], column="aantal_huishoudens").to_file(path, driver="GPKG")
    with pytest.raises(DataFileError, match=r"vk_2023.gpkg.*aantal_inwoners.*aantal_huishoudens"):
        read_population_grid(path, embedded.gemeente)
    population = read_population_grid(path, embedded.gemeente, column="aantal_huishoudens")
    assert population.squares["inwoners"].tolist() == [1, 2, 3, 4]


def test_text_in_the_count_names_the_square_and_value(tmp_path, embedded):
    path = tmp_path / "vk_2023.gpkg"
    cbs_squares(["12", "veel", "3", "4", "5"]).to_file(path, driver="GPKG")
    with pytest.raises(DataFileError, match=r"vk_2023.gpkg.*aantal_inwoners.*E1181N4935.*veel"):
        read_population_grid(path, embedded.gemeente)


def test_a_file_of_another_place_or_of_points_is_refused(tmp_path, embedded):
    elsewhere = tmp_path / "vk_2023.gpkg"
    cbs_squares([1], origins=[OUTSIDE]).to_file(elsewhere, driver="GPKG")
    with pytest.raises(DataFileError, match="geen enkel vierkant ligt in de gemeente"):
        read_population_grid(elsewhere, embedded.gemeente)
    points = tmp_path / "punten_2023.gpkg"
    squares = cbs_squares([1, 2, 3, 4, 5])
    squares.geometry = squares.centroid
    squares.to_file(points, driver="GPKG")
    with pytest.raises(DataFileError, match="verwacht vierkanten"):
        read_population_grid(points, embedded.gemeente)
    with pytest.raises(DataFileError, match="niet te lezen"):
        (tmp_path / "kapot_2023.gpkg").write_bytes(b"geen geopackage")
        read_population_grid(tmp_path / "kapot_2023.gpkg", embedded.gemeente)


def test_stored_population_comes_back_and_weights_the_grid(cbs_file, embedded, tmp_path):
    store = Store(tmp_path / "data")
    assert store.read_population("GM0479") is None
    population = read_population_grid(cbs_file, embedded.gemeente)
    store.write_population("GM0479", population)
    back = store.read_population("GM0479")
    assert back is not None and back.year == 2023 and back.source == population.source
    assert back.squares["inwoners"].tolist() == population.squares["inwoners"].tolist()
    assert back.squares["geheim"].tolist() == population.squares["geheim"].tolist()
    grid = analysis_grid(embedded.buurten, back)
    weighted = set(embedded.buurten["buurtcode"][grid.by_residents])
    assert weighted == set(
        embedded.buurten.loc[
            embedded.buurten.intersects(box(118000, 493500, 118200, 493700)), "buurtcode"
        ]
    )


def test_a_stored_population_grid_can_be_removed(cbs_file, embedded, tmp_path):
    store = Store(tmp_path / "data")
    assert store.remove_population("GM0479") is False
    store.write_population("GM0479", read_population_grid(cbs_file, embedded.gemeente))
    assert store.remove_population("GM0479") is True
    assert store.read_population("GM0479") is None
