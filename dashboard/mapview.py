"""The folium map, built as data by a pure function; the Streamlit page only displays it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from html import escape

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template
from folium.utilities import JsCode

from dashboard import popups
from dashboard.assets import ICON_PATH, use_local_assets
from socialbasis.dataset import Dataset
from socialbasis.geo import to_wgs84
from socialbasis.i18n import N_, _, day, join_words, number
from socialbasis.vocab import LAYER_COLOURS, PLANNED_COLOUR, VENUE_COLOUR, Layer, label

BUURT_CLASS = "sbk-buurt"
INITIATIVE_CLASS = "sbk-initiatief"
VENUE_CLASS = "sbk-locatie"
COORDINATE_DECIMALS = 5  # ~1 m, plenty for generalised boundaries and keeps the page small

OSM_SOURCE = "OpenStreetMap"  # the source of venues that came from OpenStreetMap
OSM_ATTRIBUTION = N_("Locaties: © OpenStreetMap-bijdragers (ODbL)")


@dataclass(frozen=True)
class Choropleth:
    """Fill of the buurten by a value per buurtcode (the kansenkaart)."""

    values: Mapping[str, float]
    bins: tuple[float, ...]
    colours: tuple[str, ...]
    title: str
    source: str
    labels: tuple[str, ...] = ()

    def colour(self, value: float | None) -> str | None:
        if value is None or pd.isna(value):
            return None
        for upper, colour in zip(self.bins[1:], self.colours, strict=False):
            if value <= upper:
                return colour
        return self.colours[-1]


@dataclass(frozen=True)
class MapOptions:
    tile_url: str
    tile_attribution: str
    show_wijken: bool = False
    show_werkgebieden: bool = True
    show_venues: bool = True
    show_initiatives: bool = True
    choropleth: Choropleth | None = None
    legend_layers: tuple[str, ...] = tuple(layer.value for layer in Layer)
    place: tuple[float, float] | None = None  # (lat, lon) an editor clicked: marked
    planned: tuple[tuple[float, float, str], ...] = ()  # (lat, lon, name) of a plan: not supply


# The outline of an activity's marker: black keeps 3:1 or more against every fill a buurt can
# have (the kansenkaart's darkest red: 3.2:1) and against the background map.
MARKER_OUTLINE = "#000000"

_INITIATIVE_CALLBACK = """function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {
        radius: 7, color: 'MARKER_OUTLINE', weight: 2, fillColor: row[2], fillOpacity: 0.95,
        className: row[5]
    });
    marker.bindPopup(row[3], {maxWidth: 320});
    marker.bindTooltip(row[4]);
    return marker;
}""".replace("MARKER_OUTLINE", MARKER_OUTLINE)

_VENUE_CALLBACK = """function (row) {
    var icon = L.divIcon({
        className: row[5], iconSize: [14, 14],
        html: '<div style="width:14px;height:14px;background:' + row[2] +
              ';border:2px solid #fff;box-shadow:0 0 2px #000"></div>'
    });
    // Not a tab stop each (a buurt is chosen with the search box), but named for screen
    // readers: the name is the tooltip's escaped text, decoded without running anything.
    var marker = L.marker(new L.LatLng(row[0], row[1]), {icon: icon, keyboard: false});
    var name = new DOMParser().parseFromString(row[4], 'text/html').documentElement.textContent;
    marker.on('add', function () {
        marker.getElement().setAttribute('aria-label', VENUE_PREFIX + name);
        marker.getElement().setAttribute('role', 'img');
    });
    marker.bindPopup(row[3], {maxWidth: 320});
    marker.bindTooltip(row[4]);
    return marker;
}"""


def _cluster_icon(css_class: str) -> str:
    return (
        "function (cluster) { return L.divIcon({"
        "html: '<div><span>' + cluster.getChildCount() + '</span></div>', "
        f"className: 'marker-cluster marker-cluster-small {css_class}', "
        "iconSize: new L.Point(36, 36)}); }"
    )


class _Legend(MacroElement):
    """The legend, as a layer of the map's changing part: when the filters change, the old
    legend goes with the old markers and the new one comes with the new. Its HTML is built
    from escaped labels only; folded or open stays as the user left it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: 'bottomleft'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'sbk-legend');
                div.innerHTML = {{ this.html|tojson }};
                var details = div.querySelector('details');
                // Folded on a phone, so that it hides neither the map nor the attribution.
                var width = window.innerWidth;
                try { width = window.top.innerWidth; } catch (e) { /* another origin */ }
                if (typeof window.sbkLegendOpen === 'boolean') {
                    details.open = window.sbkLegendOpen;
                } else if (width < 600) {
                    details.open = false;
                }
                details.addEventListener('toggle', function () {
                    window.sbkLegendOpen = details.open;
                });
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            var holder = L.layerGroup();
            holder.on('add', function () { legend.addTo(holder._map); });
            holder.on('remove', function () { legend.remove(); });
            holder.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


class _Focus(MacroElement):
    """Pans the chosen buurt into view when it is out of view (part of the changing layers,
    so choosing a buurt does not rebuild the map)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var holder = L.layerGroup();
            holder.on('add', function () {
                var map = holder._map;
                var centre = L.latLngBounds({{ this.bounds|tojson }}).getCenter();
                if (!map.getBounds().contains(centre)) { map.panTo(centre, {animate: false}); }
            });
            holder.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "Focus"
        self.bounds = bounds


class _IconPath(MacroElement):
    """Leaflet's default marker images live with the local files, not on a CDN."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "IconPath"
        self.path = path


class _NoFocusScroll(MacroElement):
    """Leaflet focuses the map on mouse-down (for keyboard panning). In an iframe that is
    partly off screen, the browser then scrolls the page between mouse-down and mouse-up, so
    the click lands elsewhere and selects nothing. Focus without scrolling instead."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (container) {
            container.focus = function (options) {
                HTMLElement.prototype.focus.call(
                    container, Object.assign({preventScroll: true}, options || {}));
            };
        })({{ this._parent.get_name() }}.getContainer());
        {% endmacro %}
        """
    )


class _Zoomable(MacroElement):
    """Folium's page forbids pinch zoom (``user-scalable=no``); people who need to enlarge
    the map must be able to (WCAG 1.4.4). And no marker or cluster is a tab stop of its own:
    the keyboard route to a buurt is the search box, so tabbing passes the map quickly."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        document.querySelectorAll('meta[name=viewport]').forEach(function (meta) {
            meta.setAttribute('content', 'width=device-width, initial-scale=1.0');
        });
        L.Marker.prototype.options.keyboard = false;
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        // Leaflet listens for focus on every shape with a tooltip, which makes the browser
        // give each buurt and activity a tab stop; -1 keeps them reachable for the mouse and
        // screen readers' own navigation, but out of the Tab order.
        (function (pane) {
            function untab() {
                pane.querySelectorAll('.leaflet-interactive:not([tabindex])').forEach(
                    function (shape) { shape.setAttribute('tabindex', '-1'); });
            }
            new MutationObserver(untab).observe(pane, {childList: true, subtree: true});
            untab();
        })({{ this._parent.get_name() }}.getPane('overlayPane'));
        {% endmacro %}
        """
    )


class _KeepView(MacroElement):
    """Keep the user's pan and zoom when the page sends a new map.

    A filter or a buurt changes only the map's layers, but a new gemeente, language or map
    switch builds the map anew, which would start again at the whole gemeente. The last view
    the user chose (by mouse, wheel, touch or keyboard) is kept in the browser tab's
    sessionStorage, per gemeente and year, and restored.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var storeKey = {{ this.store_key|tojson }};
            var home = {{ this.home|tojson }};
            var store = null;
            try { store = window.sessionStorage; } catch (e) { store = null; }
            var saved = null;
            if (store) {
                try { saved = JSON.parse(store.getItem(storeKey)); } catch (e) { saved = null; }
            }
            if (!(saved && saved.center && typeof saved.zoom === 'number')) { saved = null; }
            function place() {
                if (saved) {
                    map.setView(saved.center, saved.zoom, {animate: false});
                } else {
                    map.fitBounds(home, {animate: false});
                }
            }
            place();
            // Only a view the user chose is kept. The frame often gets its final size after
            // the first fit; until the user moves the map, place it again for the new size,
            // so the whole gemeente stays in view.
            var chosen = false;
            ['pointerdown', 'wheel', 'keydown', 'touchstart'].forEach(function (name) {
                map.getContainer().addEventListener(name, function () { chosen = true; },
                                                    {passive: true});
            });
            map.on('resize', function () { if (!chosen) { place(); } });
            map.on('moveend', function () {
                if (!store || !chosen) { return; }
                var c = map.getCenter();
                try {
                    store.setItem(storeKey, JSON.stringify(
                        {center: [c.lat, c.lng], zoom: map.getZoom()}));
                } catch (e) { /* storage full or refused: the view is simply not kept */ }
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, store_key: str, home: list[list[float]]) -> None:
        super().__init__()
        self._name = "KeepView"
        self.store_key = store_key
        self.home = home


def _swatch(colour: str, shape: str = "circle") -> str:
    radius = "50%" if shape == "circle" else "0"
    return (
        f'<span style="display:inline-block;width:12px;height:12px;background:{colour};'
        f'border-radius:{radius};border:1px solid #555;margin-right:4px"></span>'
    )


# Groups of activities are white circles, groups of venues black squares, like the markers
# they stand for; the outlines keep them visible on every background.
CLUSTER_CSS = (
    ".sbk-initiatief-cluster{background:rgba(255,255,255,.6)!important;border-radius:50%}"
    ".sbk-initiatief-cluster div{background:#fff!important;border:2px solid #1f1f1f;"
    "color:#1f1f1f;border-radius:50%}"
    ".sbk-locatie-cluster{background:rgba(0,0,0,.25)!important;border-radius:4px}"
    ".sbk-locatie-cluster div{background:#000!important;border:2px solid #fff;color:#fff;"
    "border-radius:3px}"
    # A listing nobody checked for a while: a dashed outline (not colour alone).
    ".sbk-verouderd{stroke-dasharray:3 2}"
)


def _cluster_swatch(css_class: str) -> str:
    square = css_class == "sbk-locatie-cluster"
    background, colour = ("#000", "#fff") if square else ("#fff", "#1f1f1f")
    return (
        f'<span style="display:inline-block;min-width:16px;height:16px;line-height:16px;'
        f"text-align:center;font-size:9px;background:{background};color:{colour};"
        f"border:1.5px solid {'#fff' if square else '#1f1f1f'};box-shadow:0 0 0 1px #888;"
        f'border-radius:{"3px" if square else "50%"};margin-right:4px">5</span>'
    )


def legend_html(
    options: MapOptions, example_parts: list[str], stale_since: date | None = None
) -> str:
    """The legend; ``example_parts``: which listings are invented ("activiteiten",
    "locaties"), said in so many words; ``stale_since``: dashed markers are listings nobody
    checked since that day."""
    parts = [
        '<details open style="background:#fff;padding:4px 6px;border-radius:4px;'
        'box-shadow:0 0 4px rgba(0,0,0,.4);font:11px/1.25 sans-serif;max-width:210px">'
        '<summary style="cursor:pointer;font-weight:bold">' + escape(_("Legenda")) + "</summary>"
    ]
    if options.choropleth is not None:
        choropleth = options.choropleth
        parts.append(f"<b>{escape(choropleth.title)}</b><br>")
        labels = choropleth.labels or tuple(
            f"{number(lo)} – {number(hi)}"
            for lo, hi in zip(choropleth.bins, choropleth.bins[1:], strict=False)
        )
        for colour, text in zip(choropleth.colours, labels, strict=False):
            parts.append(f"{_swatch(colour, 'square')}{escape(text)}<br>")
        parts.append(f"{_swatch('#ffffff', 'square')}{escape(_('geen gegevens'))}<br>")
        parts.append(f"<small>{escape(choropleth.source)}</small><hr style='margin:4px 0'>")
    if options.show_initiatives:
        parts.append(f"<b>{escape(_('Activiteiten per laag'))}</b><br>")
        for layer in map(Layer, options.legend_layers):
            parts.append(f"{_swatch(LAYER_COLOURS[layer])}{escape(label(layer))}<br>")
    if options.show_venues:
        parts.append(
            f"{_swatch(VENUE_COLOUR, 'square')}{escape(_('Locatie (gebouw, ruimte)'))}<br>"
        )
    if options.show_initiatives or options.show_venues:
        parts.append(
            f"<b>{escape(_('Groepen'))}</b> "
            f"{escape(_('(het getal is het aantal; klik om in te zoomen)'))}<br>"
        )
    if options.show_initiatives:
        together = escape(_("activiteiten bij elkaar"))
        parts.append(f"{_cluster_swatch('sbk-initiatief-cluster')}{together}<br>")
    if options.show_venues:
        together = escape(_("locaties bij elkaar"))
        parts.append(f"{_cluster_swatch('sbk-locatie-cluster')}{together}<br>")
    if options.planned:
        planned = (
            f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
            f'border:3px double {PLANNED_COLOUR};margin-right:4px"></span>'
        )
        parts.append(f"{planned}{escape(_('gepland (een plan, geen aanbod)'))}<br>")
    if stale_since is not None:
        dashed = (
            '<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
            'border:2px dashed #000;margin-right:4px"></span>'
        )
        text = _("niet gecontroleerd sinds {day}").format(day=day(stale_since))
        parts.append(f"{dashed}{escape(text)}<br>")
    if example_parts:
        invented = join_words([_(part) for part in example_parts])
        text = _("Voorbeelddata: de {listings} zijn verzonnen.").format(listings=invented)
        parts.append(f"<i>{escape(text)}</i>")
    parts.append("</details>")
    return "".join(parts)


def _round_coordinates(geojson: dict, decimals: int) -> dict:
    def walk(coords):
        if isinstance(coords[0], (int, float)):
            return [round(c, decimals) for c in coords]
        return [walk(c) for c in coords]

    for feature in geojson["features"]:
        feature["geometry"]["coordinates"] = walk(feature["geometry"]["coordinates"])
    return geojson


def _geojson(frame: gpd.GeoDataFrame, columns: list[str], id_column: str | None = None) -> dict:
    data = json.loads(to_wgs84(frame[[*columns, frame.geometry.name]]).to_json(drop_id=True))
    if id_column:
        for feature in data["features"]:
            feature["id"] = feature["properties"][id_column]
    return _round_coordinates(data, COORDINATE_DECIMALS)


def _buurt_style(options: MapOptions, selected: str | None):
    def style(feature: dict) -> dict:
        code = feature["properties"]["buurtcode"]
        fill = None
        if options.choropleth is not None:
            fill = options.choropleth.colour(options.choropleth.values.get(code))
        chosen = code == selected
        return {
            "color": "#000000" if chosen else "#555555",
            "weight": 4 if chosen else 1,
            "fillColor": fill or ("#ffffff" if options.choropleth is not None else "#888888"),
            "fillOpacity": 0.7 if fill else (0.25 if chosen else 0.08),
        }

    return style


def _outline(
    geojson: dict, name: str, colour: str, weight: float, dash: str | None
) -> folium.GeoJson:
    style = {"color": colour, "weight": weight, "fill": False, "dashArray": dash}
    return folium.GeoJson(
        geojson,
        name=name,
        style_function=lambda _f: style,
        interactive=False,
    )


def _bounds_of(buurten: gpd.GeoDataFrame, code: str | None) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of one buurt, or None when none is selected."""
    chosen = buurten[buurten["buurtcode"] == code]
    if not code or chosen.empty:
        return None
    west, south, east, north = to_wgs84(chosen).total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


@dataclass
class MapView:
    """A map in two parts: the ``base`` (background, controls, the view) stays the same while
    the filters change, so the browser keeps it; the ``layers`` (buurten, outlines, markers,
    legend) change and are swapped in place (streamlit-folium's dynamic feature groups)."""

    base: folium.Map
    layers: folium.FeatureGroup

    def combined(self) -> folium.Map:
        """Both parts as one map (for a static page, the tests and the benchmarks)."""
        self.layers.add_to(self.base)
        return self.base


def build_base(dataset: Dataset, options: MapOptions) -> folium.Map:
    """What does not change with the filters, the buurt or the switches: built the same way
    every time, so its script is identical and the browser does not rebuild the map."""
    west, south, east, north = to_wgs84(dataset.gemeente).total_bounds
    fmap = folium.Map(tiles=None, control_scale=False, prefer_canvas=False)
    # A small attribution that leaves the scale bar and the legend free, also on a phone.
    fmap.get_root().header.add_child(
        folium.Element(
            "<style>.leaflet-control-attribution{font-size:10px;line-height:1.3;"
            f"max-width:65%}}{CLUSTER_CSS}</style>"
        )
    )
    use_local_assets(fmap)
    _IconPath(ICON_PATH).add_to(fmap)
    _NoFocusScroll().add_to(fmap)
    _Zoomable().add_to(fmap)
    # Places the map: the whole gemeente, or the view the user chose before.
    _KeepView(
        f"sbk-kaart:{dataset.gemeentecode}:{dataset.year}", [[south, west], [north, east]]
    ).add_to(fmap)
    folium.TileLayer(
        tiles=options.tile_url, attr=options.tile_attribution, name=_("Achtergrondkaart")
    ).add_to(fmap)
    return fmap


@dataclass(frozen=True)
class MapData:
    """What the map draws that does not change with the filters: the shapes in WGS84 and a
    marker (place, colour, popup, tooltip) per listing, made once per dataset and language.
    Each filter change then only picks rows."""

    buurten: dict  # GeoJSON of the buurten, properties buurtcode and buurtnaam
    werkgebieden: dict
    wijken: dict
    initiatives: pd.DataFrame  # one marker row per initiative, indexed like the dataset's
    venues: pd.DataFrame
    stale_since: date | None = None  # markers of listings not checked since are dashed


_MARKER_COLUMNS = ["lat", "lon", "colour", "popup", "tooltip", "css"]
STALE_CLASS = "sbk-verouderd"
PLACE_CLASS = "sbk-plek"
PLANNED_CLASS = "sbk-gepland"


@dataclass(frozen=True)
class Checks:
    """How fresh the stored listings are: a check before ``since`` (or none) is too long
    ago, and ``by`` names who checked each listing last."""

    since: date | None = None
    by: Mapping[str, str] = field(default_factory=dict)

    def stale(self, row: pd.Series) -> bool:
        """A stored listing (examples are nobody's to check) nobody checked since ``since``."""
        if self.since is None or pd.isna(row.get("version")) or row.get("is_example"):
            return False
        checked = pd.to_datetime(row.get("last_verified"), errors="coerce")
        return bool(pd.isna(checked) or checked.date() < self.since)


def _initiative_markers(
    initiatives: gpd.GeoDataFrame, checks: Checks = Checks(), personal: bool = False
) -> pd.DataFrame:
    rows = to_wgs84(initiatives)
    return pd.DataFrame(
        [
            [
                geom.y,
                geom.x,
                LAYER_COLOURS[Layer(row["layer"])],
                popups.initiative_popup(row, checks.by.get(row["id"], ""), personal),
                popups.initiative_tooltip(row),
                f"{INITIATIVE_CLASS} sbk-laag-{row['layer']}"
                + (f" {STALE_CLASS}" if checks.stale(row) else ""),
            ]
            for geom, (_index, row) in zip(rows.geometry, rows.iterrows(), strict=True)
        ],
        index=initiatives.index,
        columns=_MARKER_COLUMNS,
    )


def _venue_markers(venues: gpd.GeoDataFrame, personal: bool = False) -> pd.DataFrame:
    rows = to_wgs84(venues)
    return pd.DataFrame(
        [
            [
                geom.y,
                geom.x,
                VENUE_COLOUR,
                popups.venue_popup(row, personal),
                popups.text(row["name"]),
                VENUE_CLASS,
            ]
            for geom, (_index, row) in zip(rows.geometry, rows.iterrows(), strict=True)
        ],
        index=venues.index,
        columns=_MARKER_COLUMNS,
    )


def prepare_map_data(
    dataset: Dataset, checks: Checks = Checks(), personal: bool = False
) -> MapData:
    """``personal``: popups name each listing's contact person (for someone signed in)."""
    return MapData(
        stale_since=checks.since,
        buurten=_geojson(dataset.buurten, ["buurtcode", "buurtnaam"], id_column="buurtcode"),
        werkgebieden=_geojson(dataset.werkgebieden, []),
        wijken=_geojson(dataset.wijken, []),
        initiatives=_initiative_markers(dataset.initiatives, checks, personal),
        venues=_venue_markers(dataset.venues, personal),
    )


def _markers(
    prepared: pd.DataFrame,
    frame: gpd.GeoDataFrame,
    make: Callable[[gpd.GeoDataFrame], pd.DataFrame],
) -> list[list]:
    """The marker rows of ``frame``: taken from ``prepared`` where it has them (same index,
    same record), made afresh for any other."""
    known = frame.index.isin(prepared.index)
    parts = [prepared.loc[frame.index[known]]]
    if not known.all():
        parts.append(make(frame[~known]))
    return pd.concat(parts).loc[frame.index].to_numpy().tolist()


def build_layers(
    dataset: Dataset,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    options: MapOptions,
    selected_buurt: str | None = None,
    prepared: MapData | None = None,
) -> folium.FeatureGroup:
    """What changes with the filters, the chosen buurt and the map switches. ``prepared``:
    the dataset's ``prepare_map_data`` (made here when not given; then every marker is made
    from the frames given)."""
    if prepared is None:
        prepared = MapData(
            buurten=_geojson(dataset.buurten, ["buurtcode", "buurtnaam"], "buurtcode"),
            werkgebieden=_geojson(dataset.werkgebieden, []) if options.show_werkgebieden else {},
            wijken=_geojson(dataset.wijken, []) if options.show_wijken else {},
            initiatives=pd.DataFrame(columns=_MARKER_COLUMNS),
            venues=pd.DataFrame(columns=_MARKER_COLUMNS),
        )
    layers = folium.FeatureGroup(name="sbk-lagen", control=False)
    counts = initiatives.groupby("buurtcode").size()
    tooltips = {
        row["buurtcode"]: popups.buurt_tooltip(row, int(counts.get(row["buurtcode"], 0)))
        for row in dataset.buurten[["buurtcode", "buurtnaam", "wijknaam", "werkgebied"]].to_dict(
            "records"
        )
    }
    buurten = {
        **prepared.buurten,
        "features": [
            {
                **feature,
                "properties": {
                    **feature["properties"],
                    "tooltip_html": tooltips[feature["properties"]["buurtcode"]],
                },
            }
            for feature in prepared.buurten["features"]
        ],
    }
    attributions = [dataset.boundary_attribution + " (CC BY 4.0)"]
    if (venues["source"] == OSM_SOURCE).any():
        attributions.append(_(OSM_ATTRIBUTION))
    folium.GeoJson(
        buurten,
        name=_("Buurten"),
        style_function=_buurt_style(options, selected_buurt),
        highlight_function=lambda _f: {"weight": 3, "color": "#000000"},
        on_each_feature=JsCode(
            "function (feature, layer) {"
            " layer.bindTooltip(feature.properties.tooltip_html, {sticky: true}); }"
        ),
        className=BUURT_CLASS,
        attribution=" | ".join(escape(a) for a in attributions),
    ).add_to(layers)

    if options.show_werkgebieden:
        _outline(prepared.werkgebieden, _("Werkgebieden"), "#6a3d9a", 3.5, None).add_to(layers)
    if options.show_wijken:
        _outline(prepared.wijken, _("Wijken"), "#222222", 2, "6 4").add_to(layers)

    if options.show_venues and len(venues):
        cluster = folium.plugins.FastMarkerCluster(
            _markers(prepared.venues, venues, _venue_markers),
            # The marker's spoken name starts with the word for venue, in the page's language.
            callback=_VENUE_CALLBACK.replace("VENUE_PREFIX", json.dumps(_("Locatie") + ": ")),
            name=_("Locaties"),
            icon_create_function=_cluster_icon("sbk-locatie-cluster"),
            disableClusteringAtZoom=15,
        )
        use_local_assets(cluster)
        cluster.add_to(layers)

    shown_initiatives: list[list] = []
    if options.show_initiatives and len(initiatives):
        shown_initiatives = _markers(prepared.initiatives, initiatives, _initiative_markers)
        cluster = folium.plugins.FastMarkerCluster(
            shown_initiatives,
            callback=_INITIATIVE_CALLBACK,
            name=_("Activiteiten"),
            icon_create_function=_cluster_icon("sbk-initiatief-cluster"),
            disableClusteringAtZoom=16,
            maxClusterRadius=40,
        )
        use_local_assets(cluster)
        cluster.add_to(layers)

    stale_shown = prepared.stale_since is not None and any(
        STALE_CLASS in row[5] for row in shown_initiatives
    )
    _Legend(
        legend_html(options, dataset.example_parts, prepared.stale_since if stale_shown else None)
    ).add_to(layers)
    for lat, lon, name in options.planned:
        folium.CircleMarker(
            location=[lat, lon],
            radius=10,
            color=PLANNED_COLOUR,
            weight=4,
            dash_array="2 4",
            fill=True,
            fill_color="#ffffff",
            fill_opacity=0.6,
            tooltip=escape(name),  # "Gepland in …": the activity's name says it is planned
            class_name=PLANNED_CLASS,
        ).add_to(layers)
    if options.place is not None:
        folium.CircleMarker(
            location=list(options.place),
            radius=9,
            color=MARKER_OUTLINE,
            weight=3,
            dash_array="3 3",
            fill=True,
            fill_color="#ffffff",
            fill_opacity=0.9,
            tooltip=_("Aangeklikte plek"),
            class_name=PLACE_CLASS,
        ).add_to(layers)
    focus = _bounds_of(dataset.buurten, selected_buurt)
    if focus is not None:
        _Focus(focus).add_to(layers)
    return layers


def build_view(
    dataset: Dataset,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    options: MapOptions,
    selected_buurt: str | None = None,
    prepared: MapData | None = None,
) -> MapView:
    """The map of one gemeente: buurten (clickable), outlines, venues and initiatives."""
    return MapView(
        build_base(dataset, options),
        build_layers(dataset, initiatives, venues, options, selected_buurt, prepared),
    )


def build_map(
    dataset: Dataset,
    initiatives: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    options: MapOptions,
    selected_buurt: str | None = None,
) -> folium.Map:
    """The same map as one folium map (base and layers together)."""
    return build_view(dataset, initiatives, venues, options, selected_buurt).combined()
