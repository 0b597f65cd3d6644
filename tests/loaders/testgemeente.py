"""A fictional gemeente, GM9999 "Testgemeente", served the way the real services answer.

Nothing here is about a real place: codes, names and figures are invented. The response
structures are built from the services' documentation (PDOK OGC API Features, CBS OData v3,
RIVM 50120NED on dataderden, Overpass JSON, Locatieserver ``free``), because no recorded
response of those CBS services was available. Where the real services differ in detail, the
loaders are written to be tolerant (alternative property names, key suffixes, padding).
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import box

from socialbasis.geo import rd_to_lonlat
from tests.loaders.server import FakeService, Reply

GEMEENTE = "GM9999"
NAME = "Testgemeente"
YEAR = 2024
ORIGIN = (150_000.0, 450_000.0)  # RD metres, in the middle of the country
SIZE = 1_000.0
# buurtcode, name, wijk, column, row (in 1 km squares)
BUURTEN = [
    ("BU99990101", "Noorderhof", "WK999901", 0, 1),
    ("BU99990102", "Zuiderhof", "WK999901", 0, 0),
    ("BU99990201", "Oosterveld", "WK999902", 1, 0),
    ("BU99990202", "Westerveld", "WK999902", 1, 1),
]
WIJKEN = {"WK999901": "Hofwijk", "WK999902": "Veldwijk"}


def square_wgs84(column: int, row: int, size: float = SIZE) -> dict[str, Any]:
    x0, y0 = ORIGIN[0] + column * size, ORIGIN[1] + row * size
    ring = list(box(x0, y0, x0 + size, y0 + size).exterior.coords)
    lon, lat = rd_to_lonlat([p[0] for p in ring], [p[1] for p in ring])
    return {
        "type": "Polygon",
        "coordinates": [[[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]],
    }


def point_wgs84(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) of RD metres relative to the gemeente's origin."""
    lon, lat = rd_to_lonlat([ORIGIN[0] + x], [ORIGIN[1] + y])
    return float(lat[0]), float(lon[0])


def buurten_rd():
    """The Testgemeente's buurten as a canonical frame in RD."""
    import geopandas as gpd

    from socialbasis.areas import normalise_buurten

    frame = gpd.GeoDataFrame(
        {"buurtcode": [b[0] for b in BUURTEN], "buurtnaam": [b[1] for b in BUURTEN]},
        geometry=[
            box(
                ORIGIN[0] + c * SIZE,
                ORIGIN[1] + r * SIZE,
                ORIGIN[0] + (c + 1) * SIZE,
                ORIGIN[1] + (r + 1) * SIZE,
            )
            for _, _, _, c, r in BUURTEN
        ],
        crs="EPSG:28992",
    )
    return normalise_buurten(frame, "testgemeente")


def pdok_feature(
    code: str, name: str, wijk: str, column: int, row: int, figures: dict
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": f"buurten.{code}",
        "geometry": square_wgs84(column, row),
        "properties": {
            "buurtcode": code,
            "buurtnaam": name,
            "wijkcode": wijk,
            "gemeentecode": GEMEENTE,
            "gemeentenaam": NAME,
            "jaar": YEAR,
            **figures,
        },
    }


FIGURES = {
    "BU99990101": {
        "aantal_inwoners": 1200,
        "percentage_personen_65_jaar_en_ouder": 25,
        "percentage_eenpersoonshuishoudens": 40,
        "aantal_huishoudens": 600,
    },
    "BU99990102": {
        "aantal_inwoners": 800,
        "percentage_personen_65_jaar_en_ouder": 12,
        "percentage_eenpersoonshuishoudens": 30,
        "aantal_huishoudens": 350,
    },
    "BU99990201": {
        "aantal_inwoners": 0,
        "percentage_personen_65_jaar_en_ouder": -99999999,
        "percentage_eenpersoonshuishoudens": -99999999,
        "aantal_huishoudens": 0,
    },
    "BU99990202": {
        "aantal_inwoners": 2500,
        "percentage_personen_65_jaar_en_ouder": 30,
        "percentage_eenpersoonshuishoudens": -99999997,
        "aantal_huishoudens": 1300,
    },
}


def pdok_pages(base: str) -> list[dict[str, Any]]:
    """Two pages of buurten linked by ``rel=next``, as OGC API Features returns them."""
    features = [pdok_feature(c, n, w, col, row, FIGURES[c]) for c, n, w, col, row in BUURTEN]
    url = f"{base}/pdok/wijken-en-buurten-{YEAR}/ogc/v1/collections/buurten/items"
    first = {
        "type": "FeatureCollection",
        "features": features[:2],
        "numberReturned": 2,
        "timeStamp": "2026-11-01T10:00:00Z",
        "links": [
            {"rel": "self", "href": f"{url}?f=json", "type": "application/geo+json"},
            {"rel": "next", "href": f"{url}?f=json&cursor=page2", "type": "application/geo+json"},
        ],
    }
    second = {
        "type": "FeatureCollection",
        "features": features[2:],
        "numberReturned": 2,
        "timeStamp": "2026-11-01T10:00:01Z",
        "links": [{"rel": "prev", "href": f"{url}?f=json"}],
    }
    return [first, second]


def pdok_wijken() -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "links": [],
        "features": [
            {
                "type": "Feature",
                "geometry": square_wgs84(i, 0, 2 * SIZE),
                "properties": {"wijkcode": code, "wijknaam": name, "gemeentecode": GEMEENTE},
            }
            for i, (code, name) in enumerate(WIJKEN.items())
        ],
    }


def statline_properties() -> dict[str, Any]:
    topics = [
        ("WijkenEnBuurten", "Wijken en buurten", "", "GeoDimension"),
        ("Gemeentenaam_1", "Gemeentenaam", "", "Topic"),
        ("AantalInwoners_5", "Aantal inwoners", "aantal", "Topic"),
        ("k_65JaarOfOuder_12", "65 jaar of ouder", "aantal", "Topic"),
        ("HuishoudensTotaal_29", "Huishoudens totaal", "aantal", "Topic"),
        ("Eenpersoonshuishoudens_30", "Eenpersoonshuishoudens", "aantal", "Topic"),
        ("HuishoudensMetEenLaagInkomen_80", "Huishoudens met een laag inkomen", "%", "Topic"),
    ]
    return {
        "odata.metadata": "constructed",
        "value": [
            {"ID": i, "Key": key, "Title": title, "Unit": unit, "Type": kind}
            for i, (key, title, unit, kind) in enumerate(topics)
        ],
    }


def statline_rows() -> list[dict[str, Any]]:
    values = {
        "BU99990101": (1200, 300, 600, 240, 12.0),
        "BU99990102": (800, 96, 350, 105, None),
        "BU99990201": (0, None, 0, None, None),
        "BU99990202": (2500, 750, 1300, 390, 8.5),
    }
    return [
        {
            "ID": i,
            "WijkenEnBuurten": f"{code}  ",
            "Gemeentenaam_1": f"{NAME}      ",
            "AantalInwoners_5": v[0],
            "k_65JaarOfOuder_12": v[1],
            "HuishoudensTotaal_29": v[2],
            "Eenpersoonshuishoudens_30": v[3],
            "HuishoudensMetEenLaagInkomen_80": v[4],
        }
        for i, (code, v) in enumerate(values.items())
    ]


def rivm_dimensions() -> dict[str, dict[str, Any]]:
    return {
        "Leeftijd": {
            "value": [
                {"Key": "A1", "Title": "18 jaar of ouder"},
                {"Key": "A2", "Title": "18 tot 65 jaar"},
                {"Key": "A3", "Title": "65 jaar of ouder"},
            ]
        },
        "Marges": {
            "value": [
                {"Key": "MW00000", "Title": "Waarde"},
                {"Key": "MOG0095", "Title": "Ondergrens 95%-interval"},
                {"Key": "MBG0095", "Title": "Bovengrens 95%-interval"},
            ]
        },
        "Perioden": {
            "value": [{"Key": "2020JJ00", "Title": "2020"}, {"Key": "2022JJ00", "Title": "2022"}]
        },
    }


def rivm_properties() -> dict[str, Any]:
    return {
        "value": [
            {"Key": "WijkenEnBuurten", "Type": "GeoDimension"},
            {"Key": "Leeftijd", "Type": "Dimension"},
            {"Key": "Eenzaam_27", "Title": "Eenzaam", "Unit": "%"},
            {"Key": "ErnstigZeerErnstigEenzaam_28", "Title": "Ernstig eenzaam", "Unit": "%"},
        ]
    }


def rivm_rows() -> list[dict[str, Any]]:
    """Estimates, and the 95 % bounds (estimate -/+ 4) for every buurt; codes space-padded."""
    rows = []
    for code, adults, severe, elderly in [
        ("BU99990101", 48.0, 13.0, 52.0),
        ("BU99990102", 41.0, 10.0, None),
        ("BU99990202", 55.0, 17.0, 60.0),
    ]:
        for margin, shift in (("MW00000", 0), ("MOG0095", -4), ("MBG0095", 4)):
            rows.append(
                {
                    "WijkenEnBuurten": code + "  ",
                    "Leeftijd": "A1",
                    "Marges": margin,
                    "Eenzaam_27": adults + shift,
                    "ErnstigZeerErnstigEenzaam_28": severe + shift,
                }
            )
            rows.append(
                {
                    "WijkenEnBuurten": code + "  ",
                    "Leeftijd": "A3",
                    "Marges": margin,
                    "Eenzaam_27": None if elderly is None else elderly + shift,
                    "ErnstigZeerErnstigEenzaam_28": -99997 if margin == "MW00000" else None,
                }
            )
    return rows


def overpass() -> dict[str, Any]:
    def node(i: int, x: float, y: float, tags: dict[str, str]) -> dict[str, Any]:
        lat, lon = point_wgs84(x, y)
        return {"type": "node", "id": i, "lat": lat, "lon": lon, "tags": tags}

    lat, lon = point_wgs84(1500, 1500)
    return {
        "version": 0.6,
        "generator": "constructed",
        "elements": [
            node(1, 500, 500, {"amenity": "library", "name": "Testbieb"}),
            node(
                2,
                1500,
                400,
                {
                    "amenity": "community_centre",
                    "name": "Buurthuis Test",
                    "addr:street": "Teststraat",
                    "addr:housenumber": "1",
                    "capacity": "80",
                },
            ),
            node(3, 300, 1700, {"amenity": "cafe", "name": "Niet ingedeeld"}),
            node(4, 1800, 1800, {"club": "music"}),
            node(5, 1900, -500, {"amenity": "theatre", "name": "Buiten de gemeente"}),
            {
                "type": "way",
                "id": 10,
                "center": {"lat": lat, "lon": lon},
                "tags": {"amenity": "place_of_worship", "name": "Testkerk"},
            },
        ],
    }


def serve(service: FakeService) -> None:
    """Every route a full fetch of the Testgemeente needs."""
    base = "/pdok/wijken-en-buurten-2024/ogc/v1/collections"
    first, second = pdok_pages(service.url)
    # The fake server routes by path only; the two pages come in turn.
    service.route(f"{base}/buurten/items", first, second)
    service.route(f"{base}/wijken/items", pdok_wijken())
    service.route("/cbs/85984NED/DataProperties", statline_properties())
    rows = statline_rows()
    service.route(
        "/cbs/85984NED/TypedDataSet",
        {
            "value": rows[:2],
            "odata.nextLink": f"{service.url}/cbs/85984NED/TypedDataSet?$skiptoken=2",
        },
        {"value": rows[2:]},
    )
    service.route("/rivm/50150NED/DataProperties", rivm_properties())
    for name, body in rivm_dimensions().items():
        service.route(f"/rivm/50150NED/{name}", body)
    service.route("/rivm/50150NED/TypedDataSet", {"value": rivm_rows()})
    service.route("/overpass", overpass())
    service.route_when("/overpass", "ferry", overpass_network())


def overpass_network() -> dict[str, Any]:
    """Overpass JSON (``out body`` with the ways' nodes) for streets every 250 m across the
    gemeente, one of them a flight of steps."""
    elements: list[dict[str, Any]] = []
    ids: dict[tuple[float, float], int] = {}

    def node(x: float, y: float) -> int:
        if (x, y) not in ids:
            ids[(x, y)] = len(ids) + 1
            lat, lon = point_wgs84(x, y)
            elements.append({"type": "node", "id": ids[(x, y)], "lat": lat, "lon": lon})
        return ids[(x, y)]

    stops = [i * 250.0 for i in range(9)]
    ways = []
    for fixed in stops:
        ways.append([node(fixed, s) for s in stops])
        ways.append([node(s, fixed) for s in stops])
    for number, refs in enumerate(ways, start=1):
        highway = "steps" if number == 1 else "residential"
        elements.append({"type": "way", "id": number, "nodes": refs, "tags": {"highway": highway}})
    return {
        "version": 0.6,
        "osm3s": {"timestamp_osm_base": "2026-11-30T10:00:00Z"},
        "elements": elements,
    }


def serve_failing_overpass(service: FakeService) -> None:
    serve(service)
    service.route("/overpass", Reply("<html>too busy</html>", 503))
