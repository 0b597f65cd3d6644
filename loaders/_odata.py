"""CBS OData v3 (opendata.cbs.nl and dataderden.cbs.nl): metadata and paged rows.

Topic keys carry a numeric suffix that differs per table and year (``AantalInwoners_5``), so
columns are found by their key without the suffix; text values are space-padded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loaders._http import HttpClient, ResponseFormatError
from socialbasis.errors import ServiceError
from socialbasis.i18n import _

SUFFIX = re.compile(r"_\d+$")
MAX_PAGES = 100


def key_stem(key: str) -> str:
    """``"AantalInwoners_5"`` -> ``"AantalInwoners"``."""
    return SUFFIX.sub("", key)


@dataclass(frozen=True)
class Property:
    key: str
    title: str
    unit: str
    kind: str  # Topic, Dimension, GeoDimension, ...


def parse_values(body: Any) -> list[dict[str, Any]]:
    """The ``value`` list of an OData v3 response (pure)."""
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        keys = ", ".join(sorted(body)) if isinstance(body, dict) else type(body).__name__
        raise ResponseFormatError(
            _("verwacht een OData-antwoord met 'value', kreeg: {keys}").format(keys=keys)
        )
    return body["value"]


def parse_properties(body: Any) -> dict[str, Property]:
    """DataProperties by key stem (pure); only items with a Key are kept.

    Accepts the OData answer (``{"value": [...]}``) and the bare list that CBS's own client
    ``cbsodata`` stores."""
    items = body if isinstance(body, list) else parse_values(body)
    out: dict[str, Property] = {}
    for item in items:
        if not isinstance(item, dict):
            raise ResponseFormatError(
                _("verwacht objecten in DataProperties, kreeg {item!r:.40}").format(item=item)
            )
        key = item.get("Key")
        if key:
            out.setdefault(
                key_stem(key),
                Property(
                    key,
                    str(item.get("Title") or "").strip(),
                    str(item.get("Unit") or "").strip(),
                    str(item.get("Type") or ""),
                ),
            )
    return out


@dataclass(frozen=True)
class Rows:
    rows: list[dict[str, Any]]
    url: str
    retrieved: datetime


def fetch_rows(client: HttpClient, service: str, url: str, params: dict[str, Any]) -> Rows:
    """All rows of an OData query, following ``odata.nextLink``."""
    pages = []
    next_url: str | None = url
    query: dict[str, Any] | None = params
    for _attempt in range(MAX_PAGES):
        if next_url is None:
            break
        pages.append(client.json(service, next_url, params=query, parse=_page))
        next_url, query = pages[-1].body[1], None
    if next_url is not None:
        # A service that keeps sending nextLink: the rows so far are not the whole answer.
        raise ServiceError(
            service,
            url,
            _("na {max_pages} pagina's stuurde de service nog steeds een volgende pagina").format(
                max_pages=MAX_PAGES
            ),
            _("Het antwoord is niet compleet; er is niets opgeslagen. Probeer het later opnieuw."),
        )
    return Rows(
        [row for page in pages for row in page.body[0]],
        pages[0].url,
        min(page.retrieved for page in pages),
    )


def _page(body: Any) -> tuple[list[dict[str, Any]], str | None]:
    rows = parse_values(body)
    if not all(isinstance(row, dict) for row in rows):
        raise ResponseFormatError(_("verwacht rijen (objecten) in 'value'"))
    link = body.get("odata.nextLink")
    if link is not None and not isinstance(link, str):
        raise ResponseFormatError(
            _("'odata.nextLink' is geen adres: {link!r:.60}").format(link=link)
        )
    return rows, link
