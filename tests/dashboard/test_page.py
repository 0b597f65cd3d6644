"""The page logic, run in-process with Streamlit's AppTest (no browser)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.signin import SESSION_KEY
from socialbasis.access import Identity
from tests.helpers import initiative_row, put_listings, venue_row

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


BEHEERDER = Identity(user="test", name="Test", role="beheerder", via="lokaal")


def run_app(as_user: Identity | None = None, **query: str | list[str]) -> AppTest:
    """The page for one session; ``as_user``: signed in (the sign-in form has its own tests)."""
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    if as_user is not None:
        app.session_state[SESSION_KEY] = as_user
    return app.run()


def url_values(app: AppTest, key: str) -> list[str]:
    value = app.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def metrics(app: AppTest) -> dict[str, int]:
    return {m.label: int(m.value) for m in app.metric}


def test_opens_on_zaanstad_with_example_banner_and_counts():
    app = run_app()
    assert not app.exception
    assert "Zaanstad" in app.title[0].value
    assert any("Voorbeelddata" in w.value for w in app.warning)
    assert any("indicatieve indeling" in i.value for i in app.info)
    counts = metrics(app)
    assert counts["Activiteiten"] == (
        counts["Persoonlijk"] + counts["Gemeenschappelijk"] + counts["Institutioneel"]
    )
    assert counts["Locaties"] == 40


def test_counts_follow_the_filters_and_the_url_follows_the_widgets():
    app = run_app()
    before = metrics(app)
    app.multiselect(key="laag").select("persoonlijk").run()
    after = metrics(app)
    assert after["Activiteiten"] == before["Persoonlijk"] < before["Activiteiten"]
    assert after["Gemeenschappelijk"] == after["Institutioneel"] == 0
    assert url_values(app, "laag") == ["persoonlijk"]
    app.checkbox(key="actief").uncheck().run()
    assert metrics(app)["Persoonlijk"] >= after["Persoonlijk"]
    app.multiselect(key="laag").unselect("persoonlijk").run()
    assert metrics(app)["Activiteiten"] == 200  # every example record, ended or not


def test_a_shared_link_restores_the_view(embedded):
    app = run_app(laag="gemeenschappelijk", buurt="BU04791522", datum="alle", jaar="2024")
    assert app.multiselect(key="laag").value == ["gemeenschappelijk"]
    assert app.selectbox(key="buurt").value == "BU04791522"
    assert metrics(app)["Persoonlijk"] == 0
    names = embedded.buurten.set_index("buurtcode")["buurtnaam"]
    assert app.subheader[0].value == names["BU04791522"]


def test_choosing_a_buurt_opens_its_profile():
    app = run_app(jaar="2024")
    app.selectbox(key="buurt").select("BU04791111").run()
    assert not app.exception
    assert app.subheader[0].value == "Vijfhoekpark"
    nearest = app.dataframe[0].value
    assert list(nearest["Laag"]) == ["Persoonlijk", "Gemeenschappelijk", "Institutioneel"]
    assert list(nearest.columns) == ["Laag", "Afstand", "Dichtstbij"]  # the long name last
    assert nearest["Afstand"].str.contains("min").all()
    assert any("looptijd bij 4,8 km/u" in c.value for c in app.caption)  # Dutch decimals
    assert url_values(app, "buurt") == ["BU04791111"]


def test_link_values_that_do_not_exist_are_shown_not_used():
    app = run_app(laag=["persoonlijk", "bestaatniet"])
    assert app.multiselect(key="laag").value == ["persoonlijk"]
    assert any("laag=bestaatniet" in c.value for c in app.caption)


@pytest.fixture
def stored_listings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOCIALBASIS_DATA_DIR", str(tmp_path))
    put_listings(tmp_path, [initiative_row(end_date="2099-01-01")], [venue_row()])


def test_real_listings_replace_the_examples_and_the_banner(stored_listings):
    app = run_app()
    assert not any("Voorbeelddata" in w.value for w in app.warning)
    sources = " ".join(m.value for m in app.markdown) + " ".join(c.value for c in app.caption)
    assert "vervangen door het ingelezen aanbod" in sources.replace("\\", "")
    assert metrics(app)["Activiteiten"] == 1 and metrics(app)["Locaties"] == 1


def test_a_broken_setting_is_shown_as_an_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOCIALBASIS_GEMEENTE", "GM9999")
    app = run_app()
    assert not app.exception
    shown = app.error[0].value.replace("\\", "")  # markdown escapes, as displayed
    assert "socialbasis fetch --gemeente GM9999" in shown


def test_an_activity_or_venue_name_finds_its_buurt(embedded):
    app = run_app(jaar="2024", datum="alle")
    search = app.selectbox(key="zoek_aanbod")
    first = embedded.initiatives.dropna(subset=["buurtcode"]).iloc[0]
    assert search.format_func("activiteit:0").startswith(first["name"] + " (activiteit, ")
    search.set_value("activiteit:0").run()
    names = embedded.buurten.set_index("buurtcode")["buurtnaam"]
    assert app.subheader[0].value == names[first["buurtcode"]]
    assert url_values(app, "buurt") == [first["buurtcode"]]


def test_a_buurt_can_be_compared_with_another():
    app = run_app(jaar="2024", buurt="BU04791111", datum="alle")
    app.selectbox(key="vergelijk").set_value("BU04791522").run()
    table = next(df.value for df in app.dataframe if "Onderwerp" in df.value.columns)
    assert list(table.columns)[1:] == ["Vijfhoekpark (BU04791111)", table.columns[2]]
    assert table.columns[2].endswith("(BU04791522)")
    assert "Locaties in de buurt" in set(table["Onderwerp"])


def test_an_address_search_opens_its_buurt_or_says_why_not(monkeypatch: pytest.MonkeyPatch):
    from socialbasis.app import AddressHit, SocialBasis

    # Stand-ins for the service's answers (test data, not real addresses).
    answers = {
        "testadres binnen": AddressHit("testadres binnen", "Testadres 1", "BU04791111"),
        "testadres buiten": AddressHit("testadres buiten", "Testadres 2", None),
    }
    monkeypatch.setattr(SocialBasis, "find_address", lambda self, text: answers[text])
    app = run_app(jaar="2024", datum="alle")
    app.text_input(key="zoek_adres").set_value("testadres binnen").run()
    assert app.subheader[0].value == "Vijfhoekpark"
    assert any("buurt geopend" in s.value for s in app.success)
    app.text_input(key="zoek_adres").set_value("testadres buiten").run()
    assert any("ligt niet in deze gemeente" in i.value for i in app.info)
