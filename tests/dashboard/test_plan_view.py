"""Waar beginnen? in the kansenkaart (AppTest): suggested places, and what starting in a
venue would change."""

from tests.dashboard.test_page import run_app


def test_the_kansenkaart_suggests_places_and_shows_what_a_venue_would_change():
    app = run_app(modus="kansen", datum="alle", kanslaag="gemeenschappelijk")
    assert "Waar beginnen?" in [s.value for s in app.subheader]
    app.button(key="voorstel_knop").click().run()
    assert not app.exception
    table = next(df.value for df in app.dataframe if "Uitleg" in df.value.columns)
    assert len(table) == 3
    assert table["Uitleg"].str.startswith("Bereikt ").all()
    assert any("gewogen naar behoefte" in c.value for c in app.caption)
    # One click takes a suggested place into "what if".
    app.button(key="voorstel_door_1").click().run()
    assert any(
        c.value.startswith("Gepland: een activiteit in deze laag bij Voorbeeld")
        for c in app.caption
    )
    assert any(m.label.startswith("Inwoners nieuw binnen 10") for m in app.metric)
    # A change of the question hides the old answer until it is asked again.
    app.selectbox(key="voorstel_aantal").set_value(2).run()
    assert not any("Uitleg" in df.value.columns for df in app.dataframe)

    app.selectbox(key="plan_locatie").set_value(0).run()
    assert not app.exception
    venue = app.selectbox(key="plan_locatie").format_func(0).split(": ")[-1]
    assert any(c.value.startswith("Gepland: ") and venue in c.value for c in app.caption)
    metric = next(m for m in app.metric if m.label.startswith("Inwoners nieuw binnen 10"))
    assert int(metric.value.replace(".", "")) >= 0
    changed = next(df.value for df in app.dataframe if "Score na" in df.value.columns)
    assert (changed["Score na"] <= changed["Score voor"]).all()
