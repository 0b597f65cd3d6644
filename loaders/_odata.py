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
        raise ResponseFormatError(f"verwacht een OData-antwoord met 'value', kreeg: {keys}")
    return body["value"]


def parse_properties(body: Any) -> dict[str, Property]:
    """DataProperties by key stem (pure); only items with a Key are kept."""
    out: dict[str, Property] = {}
    for item in parse_values(body):
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
    for _ in range(MAX_PAGES):
        if next_url is None:
            break
        pages.append(client.json(service, next_url, params=query, parse=_page))
        next_url, query = pages[-1].body[1], None
    return Rows(
        [row for page in pages for row in page.body[0]],
        pages[0].url,
        min(page.retrieved for page in pages),
    )


def _page(body: Any) -> tuple[list[dict[str, Any]], str | None]:
    return parse_values(body), body.get("odata.nextLink")
