"""Geocoding of Dutch addresses with the PDOK Locatieserver (free, no key).

    {locatieserver_url}/free?q=<address>&fq=type:adres&rows=1

``response.docs[]`` has ``weergavenaam``, ``type``, ``score``, ``centroide_ll``
(``"POINT(lon lat)"``) and, for addresses, ``buurtcode``, ``wijkcode`` and ``gemeentecode``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from loaders._http import HttpClient, ResponseFormatError
from socialbasis.i18n import _

SERVICE = "PDOK Locatieserver"
POINT = re.compile(r"^POINT\(\s*([-0-9.]+)\s+([-0-9.]+)\s*\)$")


@dataclass(frozen=True)
class Place:
    label: str  # weergavenaam
    kind: str  # adres, postcode, weg, ...
    lat: float
    lon: float
    score: float
    buurtcode: str
    gemeentecode: str


def parse_point(text: str) -> tuple[float, float]:
    """``"POINT(4.91 52.35)"`` -> (lat, lon)."""
    match = POINT.match(text.strip())
    if not match:
        raise ResponseFormatError(
            _("centroide_ll {text!r} is geen POINT(lon lat)").format(text=text)
        )
    lon, lat = float(match.group(1)), float(match.group(2))
    return lat, lon


def _gemeentecode(code: str) -> str:
    """Some responses give ``"0394"``, others ``"GM0394"``: always the latter."""
    code = str(code).strip()
    return f"GM{code}" if code.isdigit() else code


def parse_response(body: Any) -> list[Place]:
    """All documents of a ``free`` response that carry a position (pure)."""
    try:
        docs = body["response"]["docs"]
    except (KeyError, TypeError) as exc:
        keys = ", ".join(sorted(body)) if isinstance(body, dict) else type(body).__name__
        raise ResponseFormatError(
            _("verwacht 'response.docs', kreeg: {keys}").format(keys=keys)
        ) from exc
    places = []
    for doc in docs:
        if "centroide_ll" not in doc:
            continue
        lat, lon = parse_point(doc["centroide_ll"])
        places.append(
            Place(
                label=doc.get("weergavenaam", ""),
                kind=doc.get("type", ""),
                lat=lat,
                lon=lon,
                score=float(doc.get("score") or 0.0),
                buurtcode=doc.get("buurtcode", ""),
                gemeentecode=_gemeentecode(doc.get("gemeentecode", "")),
            )
        )
    return places


def geocode(client: HttpClient, base: str, address: str) -> Place | None:
    """The best address match for ``address``, or ``None`` when there is none."""
    fetched = client.json(
        SERVICE,
        f"{base}/free",
        params={"q": address, "fq": "type:adres", "rows": 1},
        parse=parse_response,
    )
    places = [p for p in fetched.body if p.kind == "adres"]
    return places[0] if places else None


def find_place(client: HttpClient, base: str, text: str) -> Place | None:
    """The best address or postcode for what someone typed (``"Dorpsstraat 1 Assendelft"``,
    ``"1503 AB"``), or ``None``."""
    fetched = client.json(
        SERVICE,
        f"{base}/free",
        params={"q": text, "fq": "type:(adres OR postcode)", "rows": 1},
        parse=parse_response,
    )
    places = [p for p in fetched.body if p.kind in ("adres", "postcode")]
    return places[0] if places else None
