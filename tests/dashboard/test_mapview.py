import dataclasses
import json
import re

import folium
import pytest

from dashboard.assets import URL_PREFIX, use_local_assets
from dashboard.mapview import BUURT_CLASS, Choropleth, MapOptions, build_map, legend_html
from socialbasis.dataset import Dataset

OPTIONS = MapOptions(tile_url="http://127.0.0.1:1/{z}/{x}/{y}.png", tile_attribution="tiles")


def render(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def descendants(element) -> list:
    """Every element on the map, also inside the feature group of changing layers."""
    found = []
    for child in element._children.values():
        found += [child, *descendants(child)]
    return found


def geojson_layers(fmap: folium.Map) -> dict[str, folium.GeoJson]:
    return {
        child.layer_name: child for child in descendants(fmap) if isinstance(child, folium.GeoJson)
    }


def test_map_has_every_buurt_once_with_its_code(embedded: Dataset):
    fmap = build_map(embedded, embedded.initiatives, embedded.venues, OPTIONS)
    buurten = geojson_layers(fmap)["Buurten"]
    codes = [f["properties"]["buurtcode"] for f in buurten.data["features"]]
    assert sorted(codes) == sorted(embedded.buurten["buurtcode"])
    assert buurten.options["className"] == BUURT_CLASS


def test_boundary_layers_follow_the_switches(embedded: Dataset):
    both = MapOptions(**{**OPTIONS.__dict__, "show_wijken": True, "show_werkgebieden": True})
    none = MapOptions(**{**OPTIONS.__dict__, "show_wijken": False, "show_werkgebieden": False})
    layers = geojson_layers(build_map(embedded, embedded.initiatives, embedded.venues, both))
    assert len(layers["Wijken"].data["features"]) == 19
    assert len(layers["Werkgebieden"].data["features"]) == 11
    assert set(
        geojson_layers(build_map(embedded, embedded.initiatives, embedded.venues, none))
    ) == {"Buurten"}


def test_map_loads_only_local_scripts_and_styles(embedded: Dataset):
    html = render(build_map(embedded, embedded.initiatives, embedded.venues, OPTIONS))
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links and all(link.startswith(URL_PREFIX) for link in links), links
    assert "cdn" not in html.lower()


def test_other_cdn_plugins_are_refused():
    with pytest.raises(TypeError, match="CDN"):
        use_local_assets(folium.plugins.Fullscreen())


def test_map_credits_cbs_kadaster_and_openstreetmap(embedded: Dataset):
    fmap = build_map(
        embedded,
        embedded.initiatives,
        embedded.venues,
        MapOptions(tile_url=OPTIONS.tile_url, tile_attribution="&copy; OpenStreetMap-bijdragers"),
    )
    html = render(fmap)
    assert "CBS/Kadaster" in html and "OpenStreetMap-bijdragers" in html


def test_markers_follow_the_filtered_frames(embedded: Dataset):
    some = embedded.initiatives[embedded.initiatives["layer"] == "persoonlijk"]
    html = render(build_map(embedded, some, embedded.venues.iloc[:3], OPTIONS))
    assert html.count("sbk-initiatief sbk-laag-persoonlijk") == len(some)
    assert "sbk-laag-gemeenschappelijk" not in html
    assert html.count('"sbk-locatie"') == 3


def test_text_from_data_is_escaped_in_popups_and_tooltips(embedded: Dataset):
    evil = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    initiatives = embedded.initiatives.iloc[:2].copy()
    initiatives["name"] = evil
    initiatives["description"] = evil
    initiatives["organisation"] = evil
    venues = embedded.venues.iloc[:1].copy()
    venues["name"] = evil
    buurten = embedded.buurten.copy()
    buurten["buurtnaam"] = evil
    dataset = Dataset(**{**embedded.__dict__, "buurten": buurten})
    fmap = build_map(dataset, initiatives, venues, OPTIONS)
    # Everything that Leaflet puts into the page as HTML: marker popups and tooltips, and the
    # buurt tooltips.
    html_strings = [
        value
        for child in descendants(fmap)
        if isinstance(child, folium.plugins.FastMarkerCluster)
        for row in child.data
        for value in row[3:5]
    ]
    html_strings += [
        feature["properties"]["tooltip_html"]
        for feature in geojson_layers(fmap)["Buurten"].data["features"]
    ]
    assert len(html_strings) == 2 * (len(initiatives) + len(venues)) + len(buurten)
    assert not any("<img" in s or "<script" in s for s in html_strings)
    assert sum("&lt;img src=x onerror=alert(1)&gt;" in s for s in html_strings) >= 3
    assert evil not in render(fmap)


def test_legend_names_the_layers_and_the_example_data():
    html = legend_html(OPTIONS, ["activiteiten", "locaties"])
    assert all(word in html for word in ("Persoonlijk", "Gemeenschappelijk", "Institutioneel"))
    assert "Voorbeelddata: de activiteiten en locaties zijn verzonnen" in html
    # After an import of real activities, only the venues are still invented: it says so.
    only_venues = legend_html(OPTIONS, ["locaties"])
    assert "Voorbeelddata: de locaties zijn verzonnen" in only_venues
    assert "activiteiten en" not in only_venues
    assert "Voorbeelddata" not in legend_html(OPTIONS, [])


def test_choropleth_colours_buurten_by_value_and_shows_its_source(embedded: Dataset):
    code = embedded.buurten["buurtcode"].iloc[0]
    choropleth = Choropleth(
        values={code: 90.0},
        bins=(0, 50, 100),
        colours=("#fee", "#c00"),
        title="Kansscore",
        source="Bron: test 2024",
    )
    options = MapOptions(**{**OPTIONS.__dict__, "choropleth": choropleth})
    fmap = build_map(embedded, embedded.initiatives, embedded.venues, options)
    style = geojson_layers(fmap)["Buurten"].style_function
    assert style({"properties": {"buurtcode": code}})["fillColor"] == "#c00"
    assert style({"properties": {"buurtcode": "BU00000000"}})["fillColor"] == "#ffffff"
    assert "Bron: test 2024" in legend_html(options, [])


def test_openstreetmap_venues_are_credited_on_the_map(embedded: Dataset):
    venues = embedded.venues.iloc[:2].copy()
    assert "ODbL" not in render(build_map(embedded, embedded.initiatives, venues, OPTIONS))
    venues["source"] = "OpenStreetMap"
    html = render(build_map(embedded, embedded.initiatives, venues, OPTIONS))
    assert "Locaties: \\u00a9 OpenStreetMap-bijdragers (ODbL)" in html  # JSON-encoded ©


def test_the_kept_view_is_per_gemeente_and_year_and_knows_the_chosen_buurt(embedded: Dataset):
    html = render(build_map(embedded, embedded.initiatives, embedded.venues, OPTIONS, "BU04791111"))
    assert '"sbk-kaart:GM0479:2024"' in html
    focus = re.search(r"L\.latLngBounds\((\[\[.*?\]\])\)\.getCenter\(\)", html)
    assert focus is not None
    (south, west), (north, east) = json.loads(focus.group(1))
    # Vijfhoekpark lies in Zaandam: a small box inside the gemeente.
    assert 52.3 < south < north < 52.6 and 4.6 < west < east < 5.0
    assert (north - south) < 0.05 and (east - west) < 0.05
    unselected = render(build_map(embedded, embedded.initiatives, embedded.venues, OPTIONS))
    assert re.search(r"L\.latLngBounds\(\[\[", unselected) is None


def test_the_legend_shows_groups_and_dutch_numbers():
    html = legend_html(OPTIONS, [])
    assert "activiteiten bij elkaar" in html and "locaties bij elkaar" in html
    choropleth = Choropleth(
        values={}, bins=(0.0, 2.5, 5.0), colours=("#eee", "#333"), title="Test", source="bron"
    )
    with_choropleth = legend_html(dataclasses.replace(OPTIONS, choropleth=choropleth), [])
    assert "0 – 2,5" in with_choropleth and "2,5 – 5" in with_choropleth


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_markers_keep_3_to_1_against_every_background_they_can_sit_on():
    from dashboard.aanbod_view import SUPPLY_COLOURS
    from dashboard.kansen_view import SCORE_COLOURS
    from dashboard.mapview import MARKER_OUTLINE

    # Both shadings, an empty buurt, and OpenStreetMap's land, water and roads.
    backgrounds = [*SCORE_COLOURS, *SUPPLY_COLOURS, "#ffffff", "#dddddd", "#f2efe9", "#aad3df"]
    assert min(contrast(MARKER_OUTLINE, b) for b in backgrounds) >= 3.0
    # Venues are black squares with a white border: one of the two always stands out.
    assert all(max(contrast("#000000", b), contrast("#ffffff", b)) >= 3.0 for b in backgrounds)
    from dashboard.a11y import CAPTION_COLOUR

    assert contrast(CAPTION_COLOUR, "#ffffff") >= 4.5 and contrast(CAPTION_COLOUR, "#f0f2f6") >= 4.5


def test_the_aanbod_view_shades_buurten_by_activities_per_1000_residents(embedded2020: Dataset):
    from dashboard.aanbod_view import SUPPLY_COLOURS, supply_choropleth

    choropleth = supply_choropleth(embedded2020, embedded2020.initiatives)
    assert choropleth.title == "Activiteiten per 1.000 inwoners"
    assert "Inwoners: CBS" in choropleth.source and "2020" in choropleth.source
    assert list(choropleth.bins) == sorted(set(choropleth.bins)) and len(choropleth.bins) >= 3
    assert choropleth.colours == SUPPLY_COLOURS[: len(choropleth.bins) - 1]
    codes = embedded2020.buurten["buurtcode"]
    counts = embedded2020.initiatives["buurtcode"].value_counts()
    residents = embedded2020.buurten.set_index("buurtcode")["inwoners"]
    busiest = max(
        codes, key=lambda c: counts.get(c, 0) * 1000 / residents[c] if residents[c] else -1
    )
    assert choropleth.colour(choropleth.values[busiest]) == choropleth.colours[-1]
    empty = [c for c in codes if residents[c] == 0]
    assert all(choropleth.colour(choropleth.values[c]) is None for c in empty)  # no rate


def test_the_base_of_the_map_stays_the_same_when_filters_or_the_buurt_change(embedded: Dataset):
    """The browser rebuilds the map only when the base's script changes; filters and the
    chosen buurt change only the layers, which are swapped in place."""
    from streamlit_folium import _get_map_string

    from dashboard.mapview import build_view

    def scripts(initiatives, buurt):
        view = build_view(embedded, initiatives, embedded.venues, OPTIONS, buurt)
        view.base.get_root().render()
        return _get_map_string(view.base), render(view.combined())

    some = embedded.initiatives[embedded.initiatives["layer"] == "persoonlijk"]
    base_all, whole_all = scripts(embedded.initiatives, None)
    base_some, whole_some = scripts(some, "BU04791111")
    assert base_all == base_some
    assert whole_all != whole_some
    assert (
        "sbk-laag-gemeenschappelijk" in whole_all and "sbk-laag-gemeenschappelijk" not in whole_some
    )


def test_markers_and_shapes_made_once_per_dataset_are_the_ones_made_per_filter(
    embedded: Dataset,
):
    from dashboard.mapview import build_view, prepare_map_data

    def drawn(fmap: folium.Map) -> list:
        return [
            child.data
            for child in descendants(fmap)
            if isinstance(child, folium.plugins.FastMarkerCluster | folium.GeoJson)
        ]

    some = embedded.initiatives[embedded.initiatives["layer"] == "persoonlijk"]
    venues = embedded.venues.iloc[:5]
    options = MapOptions(**{**OPTIONS.__dict__, "show_wijken": True})
    fresh = drawn(build_map(embedded, some, venues, options, "BU04791111"))
    prepared = prepare_map_data(embedded)
    reused = drawn(build_view(embedded, some, venues, options, "BU04791111", prepared).combined())
    assert fresh == reused and len(fresh) == 5  # buurten, two outlines, venues, initiatives
    # A listing the prepared data does not know (an edit since) is made afresh.
    changed = some.copy()
    changed.index = changed.index + 100_000
    changed["name"] = "Nieuw"
    markers = drawn(build_view(embedded, changed, venues, options, None, prepared).combined())[-1]
    assert all("Nieuw" in row[3] for row in markers)


def test_listings_nobody_checked_lately_are_dashed_on_the_map_and_say_who_checked(
    embedded: Dataset,
):
    from datetime import date

    from dashboard.mapview import STALE_CLASS, Checks, build_view, prepare_map_data

    initiatives = embedded.initiatives.iloc[:3].copy()
    initiatives["is_example"] = False
    initiatives["version"] = 1
    initiatives["last_verified"] = [None, "2020-05-01", "2026-11-01"]
    dataset = Dataset(**{**embedded.__dict__, "initiatives": initiatives})
    checks = Checks(date(2025, 12, 1), {initiatives["id"].iloc[2]: "lokaal:els"})
    prepared = prepare_map_data(dataset, checks)
    assert [STALE_CLASS in css for css in prepared.initiatives["css"]] == [True, True, False]
    assert "01-11-2026 door lokaal:els" in prepared.initiatives["popup"].iloc[2]
    view = build_view(dataset, initiatives, embedded.venues, OPTIONS, None, prepared)
    assert "niet gecontroleerd sinds 01-12-2025" in render(view.combined())
    fresh_only = initiatives.iloc[2:]
    view = build_view(dataset, fresh_only, embedded.venues, OPTIONS, None, prepared)
    assert "niet gecontroleerd sinds" not in render(view.combined())
