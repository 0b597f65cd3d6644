"""The data view (upload, werkgebieden, exports), in-process with AppTest."""

import os
from pathlib import Path

from loaders.population_grid import read_population_grid
from socialbasis.storage import Store
from tests.dashboard.test_page import run_app
from tests.loaders.test_population_grid import cbs_squares


def test_data_view_offers_upload_mapping_and_every_export():
    app = run_app(modus="gegevens")
    assert not app.exception
    headers = [s.value for s in app.subheader]
    assert headers[:4] == [
        "Aanbod inlezen",
        "Werkgebieden van de sociale wijkteams",
        "Inwoners per 100 meter",
        "Exporteren",
    ]
    assert any("Nu: geen. De dekking telt naar oppervlakte." in c.value for c in app.caption)
    labels = {button.label for button in app.get("download_button")}
    assert labels >= {
        "Excel (CSV)",
        "CSV (standaard)",
        "GeoJSON",
        "GeoPackage",
        "Open Referral (HSDS)",
        "Per buurt (Excel)",
        "Locaties (Excel)",
    }
    assert any("indicatief" in c.value for c in app.caption)


def test_a_loaded_population_grid_is_named_and_can_be_removed(tmp_path, embedded):
    path = tmp_path / "cbs_vk100_2023_v1.gpkg"
    cbs_squares([120, -99997, 35, 0, 80]).to_file(path, driver="GPKG")
    store = Store(Path(os.environ["SOCIALBASIS_DATA_DIR"]))
    store.write_population("GM0479", read_population_grid(path, embedded.gemeente))
    app = run_app(modus="gegevens")
    assert any(
        c.value.startswith("Nu: CBS Vierkantstatistieken 100 m, 2023 (cbs")
        and "de dekking telt naar inwoners" in c.value
        for c in app.caption
    )
    app.button(key="bevolking_weg").click().run()
    assert any("De dekking telt weer naar oppervlakte" in s.value for s in app.success)
    assert store.read_population("GM0479") is None
