"""The kansenkaart view, in-process with AppTest."""

import os
from pathlib import Path

from loaders.population_grid import read_population_grid
from socialbasis.storage import Store
from tests.dashboard.test_page import run_app, url_values
from tests.loaders.test_population_grid import cbs_squares


def ranked_table(app):
    return next(df.value for df in app.dataframe if "Kansscore" in df.value.columns)


def test_kansenkaart_ranks_buurten_and_says_it_uses_supply_only():
    app = run_app(jaar="2024", modus="kansen", datum="alle")
    assert not app.exception
    assert any("alleen het aanbod" in i.value for i in app.info)
    table = ranked_table(app)
    assert len(table) == 79
    assert table["Kansscore"].is_monotonic_decreasing
    assert table["Waarom"].str.contains("minuten lopen").all()
    assert app.get("download_button")
    # The score explained in the app, with a worked example; ties are explained too.
    (explanation,) = [e for e in app.expander if e.label == "Hoe werkt de kansscore?"]
    text = " ".join(m.value for m in explanation.markdown)
    assert "**Voorbeeld.**" in text and "= **68**" in text
    assert any("bij een gelijke score" in c.value for c in app.caption)


def test_layer_and_speed_change_the_ranking_and_the_url():
    app = run_app(jaar="2024", modus="kansen", datum="alle")
    first = ranked_table(app)
    app.radio(key="kanslaag").set_value("persoonlijk").run()
    second = ranked_table(app)
    assert not first.equals(second)
    assert url_values(app, "kanslaag") == ["persoonlijk"]
    app.radio(key="tempo").set_value("rollator").run()
    slower = ranked_table(app)
    assert slower["Kansscore"].sum() > second["Kansscore"].sum()
    assert url_values(app, "tempo") == ["rollator"]


def test_a_chosen_buurt_shows_reason_times_and_partners():
    app = run_app(jaar="2024", modus="kansen", buurt="BU04791111", datum="alle")
    assert not app.exception
    assert app.subheader[0].value == "Vijfhoekpark"
    assert any("Kansscore" in m.label for m in app.metric)
    texts = [m.value for m in app.markdown]
    assert any("Wanneer is er iets binnen 10 minuten" in t for t in texts)
    assert any("Waar kan het en met wie" in t for t in texts)
    assert any("Sociaal wijkteam" in t for t in texts)
    app.radio(key="afstand").set_value("1200").run()
    assert url_values(app, "afstand") == ["1200"]
    # Key columns first, so that they are in view beside the name without scrolling.
    tables = {df.value.columns[0]: list(df.value.columns) for df in app.dataframe}
    assert tables["Locatie"][:3] == ["Locatie", "Afstand (m)", "Capaciteit"]
    assert tables["Activiteit"][:5] == ["Activiteit", "Afstand (m)", "Laag", "Voor", "Wanneer"]


def test_werkgebied_filter_limits_the_list_not_the_supply():
    app = run_app(jaar="2024", modus="kansen", datum="alle", werkgebied="Poelenburg")
    table = ranked_table(app)
    assert set(table["Werkgebied"]) == {"Poelenburg"}
    everywhere = ranked_table(run_app(jaar="2024", modus="kansen", datum="alle"))
    assert table.set_index("Buurt")["Kansscore"].equals(
        everywhere.set_index("Buurt").loc[table["Buurt"], "Kansscore"]
    )


def test_with_a_population_grid_shares_are_of_residents_and_say_so(tmp_path, embedded):
    path = tmp_path / "cbs_vk100_2023_v1.gpkg"
    cbs_squares([120, -99997, 35, 0, 80]).to_file(path, driver="GPKG")
    population = read_population_grid(path, embedded.gemeente)
    Store(Path(os.environ["SOCIALBASIS_DATA_DIR"])).write_population("GM0479", population)

    app = run_app(jaar="2024", modus="kansen", datum="alle", buurt="BU04791111")
    assert not app.exception
    table = ranked_table(app)
    assert set(table["Aandeel van"]) == {"inwoners", "oppervlakte"}
    assert any(
        "Dekking naar inwoners: CBS Vierkantstatistieken 100 m, 2023" in c.value
        for c in app.caption
    )
    # Vijfhoekpark holds the squares with residents: its time heatmap is of its residents.
    assert any("(% van de inwoners, per dagdeel)" in m.value for m in app.markdown)
    assert table.set_index("Buurt").at["Vijfhoekpark", "Aandeel van"] == "inwoners"


def test_the_default_opens_on_2020_with_need_figures_and_says_which(monkeypatch):
    app = run_app(modus="kansen", datum="alle", buurt="BU04791210")
    assert not app.exception
    assert "2020" in app.title[0].value
    assert any("1 januari 2020" in c.value for c in app.caption)
    basis = next(i.value for i in app.info if "Behoefte uit" in i.value)
    assert "65 jaar en ouder" in basis and "Eenzaam" in basis  # in, and missing
    table = ranked_table(app)
    assert len(table) == 50 and table["Behoefte (0-1)"].notna().sum() == 50
    figures = next(df.value for df in app.dataframe if "Gemeente" in df.value.columns)
    assert "18 %" in set(figures["Gemeente"])
    options = app.selectbox(key="gemeente_keuze").options
    assert options == ["Zaanstad (2020)", "Zaanstad (2024)"]


def test_the_gemeente_share_of_residents_within_reach_is_weighted_by_inhabitants():
    app = run_app(modus="kansen", datum="alle")
    reached = next(m for m in app.metric if m.label.startswith("Inwoners met iets binnen"))
    table = ranked_table(app)
    assert reached.value.endswith("%") and len(table) == 50
    no_figures = run_app(jaar="2024", modus="kansen", datum="alle")
    assert not any(m.label.startswith("Inwoners met iets") for m in no_figures.metric)


def test_without_a_network_every_distance_says_it_is_a_straight_line():
    app = run_app(jaar="2024", modus="kansen", datum="alle", buurt="BU04791111")
    assert not app.exception
    table = ranked_table(app)
    assert "Dichtstbij (m, in rechte lijn)" in table.columns
    assert any(
        "Afstanden in rechte lijn (geen loopnetwerk ingelezen)" in c.value for c in app.caption
    )
    assert any("Locaties binnen 800 m (in rechte lijn)" in c.value for c in app.caption)
    assert any("Minuten lopen zijn gemeten in rechte lijn" in c.value for c in app.caption)


def test_with_a_network_distances_go_over_the_street_and_say_so(embedded):
    from benchmarks.synthetic import street_network

    # A made-up street lattice over Zaanstad (not its real streets), as a stored network.
    network = street_network(embedded.buurten.union_all(), 6000)
    Store(Path(os.environ["SOCIALBASIS_DATA_DIR"])).write_network("GM0479", network)
    app = run_app(jaar="2024", modus="kansen", datum="alle", buurt="BU04791111")
    assert not app.exception
    table = ranked_table(app)
    assert "Dichtstbij (m, over straat)" in table.columns
    assert table["Waarom"].str.contains("over straat").any()
    captions = [c.value for c in app.caption]
    assert any(
        "Afstanden over straat: loopnetwerk uit OpenStreetMap (synthetisch" in c for c in captions
    )
    assert any("Locaties binnen 800 m (over straat)" in c for c in captions)
    assert any("Minuten lopen zijn gemeten over straat" in c for c in captions)
    # The profile on the map view shows the detour beside the walk.
    profile = run_app(jaar="2024", buurt="BU04791111", datum="alle")
    nearest = next(df.value for df in profile.dataframe if "Dichtstbij" in df.value.columns)
    assert nearest["Afstand"].str.contains(r"^over straat .*, in rechte lijn ", regex=True).any()
    # And back to straight lines.
    Store(Path(os.environ["SOCIALBASIS_DATA_DIR"])).remove_network("GM0479")
    again = run_app(jaar="2024", modus="kansen", datum="alle")
    assert "Dichtstbij (m, in rechte lijn)" in ranked_table(again).columns
