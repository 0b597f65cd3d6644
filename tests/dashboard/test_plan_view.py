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
    changed = next(df.value for df in app.dataframe if "Score voor → na" in df.value.columns)
    scores = [tuple(map(int, cell.split(" → "))) for cell in changed["Score voor → na"]]
    assert all(after <= before for before, after in scores)
    assert {"Binnen 5 min", "Binnen 10 min", "Binnen 15 min"} <= set(changed.columns)
    # With every dagdeel of the week, it fills the empty ones within 10 minutes.
    every = app.multiselect(key="plan_dagdelen").options
    app.multiselect(key="plan_dagdelen").set_value(every).run()
    changed = next(df.value for df in app.dataframe if "Dagdelen gevuld" in df.value.columns)
    assert changed["Dagdelen gevuld"].max() > 0


def test_a_plan_of_two_activities_is_saved_and_opened_again_by_link():
    from dashboard.mapview import PLANNED_CLASS
    from socialbasis.access import Identity
    from tests.dashboard.test_editing_on_map import _map_script

    editor = Identity("els", "Els", "redacteur", "lokaal")
    app = run_app(as_user=editor, modus="kansen", datum="alle")
    for venue in (0, 1):
        app.selectbox(key="plan_locatie").set_value(venue).run()
        app.button(key="plan_toevoegen").click().run()
    assert not app.exception
    assert any("Het plan heeft 2 activiteiten" in m.value for m in app.markdown)
    assert PLANNED_CLASS in _map_script(app)  # drawn on the map, apart from the supply
    app.button(key="plan_weg_1").click().run()
    assert any("Het plan heeft 1 activiteit:" in m.value for m in app.markdown)
    app.selectbox(key="plan_locatie").set_value(1).run()
    app.button(key="plan_toevoegen").click().run()
    app.text_input(key="plan_naam").set_value("Twee plekken").run()
    app.button(key="plan_opslaan").click().run()
    assert not app.exception
    number = app.session_state["plan"]
    assert app.query_params.get("plan") in (str(number), [str(number)])
    # Someone else opens the link, without signing in: the same plan, and no save button.
    shared = run_app(modus="kansen", datum="alle", plan=str(number))
    assert any("Het plan heeft 2 activiteiten" in m.value for m in shared.markdown)
    assert any(
        c.value.startswith("Plan 'Twee plekken' (nummer ") and "els" in c.value
        for c in shared.caption
    )
    assert any("kan wie is ingelogd" in c.value for c in shared.caption)
    assert not [b for b in shared.button if b.key == "plan_opslaan"]
    # A link to a plan that is not there says so.
    missing = run_app(modus="kansen", datum="alle", plan="999")
    assert any("Plan 999 bestaat niet" in w.value for w in missing.warning)


def test_an_anonymous_visitor_can_plan_but_not_save():
    app = run_app(modus="kansen", datum="alle")
    app.selectbox(key="plan_locatie").set_value(0).run()
    app.button(key="plan_toevoegen").click().run()
    assert any("Het plan heeft 1 activiteit:" in m.value for m in app.markdown)
    assert any("kan wie is ingelogd" in c.value for c in app.caption)
