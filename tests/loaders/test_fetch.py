"""``socialbasis fetch`` end to end against a local server playing every service."""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from cli.main import main
from socialbasis.app import SocialBasis
from socialbasis.dataset import load_dataset
from socialbasis.storage import Store
from tests.helpers import initiative_row, make_settings, put_listings, venue_row
from tests.loaders import testgemeente as tg
from tests.loaders.real_samples import OVERPASS, load

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def env(service, tmp_path):
    return {
        "SOCIALBASIS_DATA_DIR": str(tmp_path / "data"),
        "SOCIALBASIS_CACHE_DIR": str(tmp_path / "cache"),
        "SOCIALBASIS_PDOK_URL": f"{service.url}/pdok",
        "SOCIALBASIS_CBS_ODATA_URL": f"{service.url}/cbs",
        "SOCIALBASIS_RIVM_ODATA_URL": f"{service.url}/rivm",
        "SOCIALBASIS_OVERPASS_URL": f"{service.url}/overpass",
        "SOCIALBASIS_HTTP_RETRIES": "1",
        "SOCIALBASIS_HTTP_BACKOFF": "0.01",
    }


def fetch(env, *extra):
    return CliRunner().invoke(
        main, ["fetch", "--gemeente", tg.GEMEENTE, "--jaar", "2024", *extra], env=env
    )


def settings_for(env):
    return make_settings(Path(env["SOCIALBASIS_DATA_DIR"]).parent, gemeente=tg.GEMEENTE, jaar=2024)


def test_fetch_loads_a_gemeente_end_to_end(service, env):
    tg.serve(service)
    result = fetch(env)
    assert result.exit_code == 0, result.output
    assert "[1/5] Grenzen en kerncijfers (PDOK): 4 buurten" in result.output
    assert "[3/5] Eenzaamheid (RIVM): meting 2022" in result.output
    assert "[5/5] Loopnetwerk (OpenStreetMap): 144 stukken weg en pad, 8 trappen" in result.output
    assert "Klaar: 4 buurten, 4 locaties" in result.output
    assert "afstanden gaan over straat" in result.output
    dataset = load_dataset(settings_for(env))
    assert dataset.gemeentenaam == tg.NAME and len(dataset.buurten) == 4
    assert sorted(dataset.wijken["wijknaam"]) == sorted(tg.WIJKEN.values())
    buurten = dataset.buurten.set_index("buurtcode")
    assert buurten.loc["BU99990101", "pct_65plus"] == 25.0  # from StatLine: 300 of 1200
    assert buurten.loc["BU99990101", "pct_eenzaam"] == 48.0
    assert pd.isna(buurten.loc["BU99990201", "pct_eenzaam"])
    assert set(dataset.venues["source"]) == {"OpenStreetMap"}
    assert not dataset.listings_are_examples and len(dataset.initiatives) == 0
    figures = dataset.figures.set_index("column")
    assert figures.loc["pct_65plus", "source"] == "CBS StatLine 85984NED"
    assert "modelschatting" in figures.loc["pct_eenzaam", "source"]
    assert set(dataset.provenance["what"]) >= {
        "grenzen",
        "kerncijfers",
        "eenzaamheid",
        "locaties",
        "netwerk",
    }
    assert dataset.network is not None and dataset.network.about["datum"] == "2026-11-30"
    assert dataset.distance_label == "over straat"
    assert any("geheim of onbekend" in note for note in dataset.notes)


def test_a_failing_step_stores_nothing_and_keeps_the_previous_data(service, env):
    tg.serve(service)
    assert fetch(env).exit_code == 0
    path = Store(Path(env["SOCIALBASIS_DATA_DIR"])).geography_path(tg.GEMEENTE, 2024)
    before = path.read_bytes()
    tg.serve_failing_overpass(service)
    result = fetch(env, "--opnieuw")
    assert result.exit_code == 1
    assert "niets opgeslagen" in result.output and "OpenStreetMap" in result.output
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["gebied.gpkg"]  # no half-written file


def test_offline_fetch_uses_only_the_cache(service, env):
    tg.serve(service)
    assert fetch(env).exit_code == 0
    asked = len(service.requests)
    offline = fetch({**env, "SOCIALBASIS_OFFLINE": "1"})
    assert offline.exit_code == 0, offline.output
    assert len(service.requests) == asked


def test_skipping_a_step_and_never_touching_listings(service, env):
    tg.serve(service)
    data_dir = Path(env["SOCIALBASIS_DATA_DIR"])
    lat, lon = tg.point_wgs84(500, 500)
    put_listings(
        data_dir,
        [initiative_row(lat=lat, lon=lon)],
        [venue_row(lat=lat, lon=lon)],
        gemeente=tg.GEMEENTE,
    )
    core = SocialBasis(settings_for(env))
    revision = core.database.revision(tg.GEMEENTE)
    result = fetch(env, "--zonder", "eenzaamheid", "--zonder", "locaties")
    assert result.exit_code == 0, result.output
    assert "Eenzaamheid" not in result.output
    assert core.database.revision(tg.GEMEENTE) == revision  # no change to the listings
    dataset = core.dataset()
    assert list(dataset.initiatives["id"]) == ["t-1"]
    assert dataset.initiatives["buurtcode"].iloc[0] == "BU99990102"
    assert "pct_eenzaam" not in dataset.buurten


def test_the_dashboard_shows_a_fetched_gemeente_with_its_need_figures(service, env, monkeypatch):
    tg.serve(service)
    assert fetch(env).exit_code == 0
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SOCIALBASIS_GEMEENTE", tg.GEMEENTE)
    monkeypatch.setenv("SOCIALBASIS_JAAR", "2024")
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["modus"] = "kansen"
    app.run()
    assert not app.exception
    assert tg.NAME in app.title[0].value
    assert not any("alleen het aanbod" in i.value for i in app.info)
    assert any("Gezondheidsmonitor 2022" in c.value for c in app.caption)


def test_an_overpass_remark_is_an_error_not_cached_and_keeps_the_previous_data(service, env):
    tg.serve(service)
    assert fetch(env).exit_code == 0
    path = Store(Path(env["SOCIALBASIS_DATA_DIR"])).geography_path(tg.GEMEENTE, 2024)
    before = path.read_bytes()
    timed_out = load(OVERPASS / "aio-overpass_remark_test_exceeded_timeout.json")
    service.route("/overpass", timed_out)
    result = fetch(env, "--opnieuw")
    assert result.exit_code == 1
    assert "Query timed out" in result.output and "niets opgeslagen" in result.output
    assert path.read_bytes() == before
    # Not cached: with Overpass healthy again, the next (cached) fetch asks it anew.
    service.count("/overpass")
    service.route("/overpass", tg.overpass())
    again = fetch(env)
    assert again.exit_code == 0, again.output
    venue_queries = [
        r.body for r in service.requests if r.path == "/overpass" and "ferry" not in r.body
    ]
    assert len(venue_queries) == 3  # the first fetch, the failed one, and this one anew


def test_a_paging_service_that_never_ends_saves_nothing(service, env):
    tg.serve(service)
    assert fetch(env).exit_code == 0
    path = Store(Path(env["SOCIALBASIS_DATA_DIR"])).geography_path(tg.GEMEENTE, 2024)
    before = path.read_bytes()
    endless = {
        "value": tg.statline_rows()[:1],
        "odata.nextLink": f"{service.url}/cbs/85984NED/TypedDataSet?$skiptoken=again",
    }
    service.route("/cbs/85984NED/TypedDataSet", *([endless] * 200))
    result = fetch(env, "--opnieuw")
    assert result.exit_code == 1
    assert "volgende pagina" in result.output and path.read_bytes() == before


def test_doubled_statline_rows_are_refused_and_the_previous_data_stays(service, env):
    tg.serve(service)
    assert fetch(env).exit_code == 0
    path = Store(Path(env["SOCIALBASIS_DATA_DIR"])).geography_path(tg.GEMEENTE, 2024)
    before = path.read_bytes()
    rows = tg.statline_rows()
    service.route("/cbs/85984NED/TypedDataSet", {"value": rows + rows})
    result = fetch(env, "--opnieuw")
    assert result.exit_code == 1
    assert "meer dan één keer" in result.output and path.read_bytes() == before
    assert len(load_dataset(settings_for(env)).buurten) == 4
