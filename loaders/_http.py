"""The one HTTP client of all loaders.

- requests-cache keeps successful (200) responses on disk in SQLite, keyed by method, URL and
  body, so a second fetch of the same data needs no network and works offline;
- urllib3's Retry retries connection errors, 429 and 5xx with exponential backoff (and
  honours Retry-After);
- every request has a timeout and a User-Agent;
- offline mode answers only from the cache;
- a response that cannot be used (bad status, not JSON) is removed from the cache and raised
  as a ``ServiceError`` that names the service and says what to do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import requests
import requests_cache
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from socialbasis.errors import ServiceError
from socialbasis.settings import Settings

RETRY_STATUSES = (429, 500, 502, 503, 504)
OFFLINE_ADVICE = (
    "Er is geen opgeslagen antwoord voor deze vraag. Zet SOCIALBASIS_OFFLINE=0 en probeer "
    "het met internet, of laad de gegevens eerst op een computer met internet."
)
CONNECTION_ADVICE = (
    "Controleer de internetverbinding en het adres in de instellingen, of zet "
    "SOCIALBASIS_OFFLINE=1 om alleen eerder opgehaalde gegevens te gebruiken."
)


T = TypeVar("T")


class ResponseFormatError(ValueError):
    """A response is valid JSON but not the structure a parser expects; the message says
    what was expected and what arrived."""


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A usable response: its parsed body and where and when it came from."""

    url: str
    body: T
    retrieved: datetime
    from_cache: bool


def _timed_out(exc: Exception) -> bool:
    """True for a read or connect timeout, also when urllib3 wraps it after retries."""
    if isinstance(exc, requests.Timeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    # NewConnectionError (refused, unknown host) subclasses ConnectTimeoutError in urllib3.
    return isinstance(reason, urllib3.exceptions.TimeoutError) and not isinstance(
        reason, urllib3.exceptions.NewConnectionError
    )


class HttpClient:
    """Cached, retrying HTTP for the loaders; one per fetch run."""

    def __init__(self, settings: Settings, refresh: bool = False) -> None:
        self.settings = settings
        self.refresh = refresh
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        self.session = requests_cache.CachedSession(
            str(settings.cache_dir / "http_cache"),
            backend="sqlite",
            allowable_codes=(200,),
            allowable_methods=("GET", "POST"),
            expire_after=requests_cache.NEVER_EXPIRE,
        )
        retry = Retry(
            total=settings.http_retries,
            connect=settings.http_retries,
            read=settings.http_retries,
            status=settings.http_retries,
            backoff_factor=settings.http_backoff,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "POST"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = settings.user_agent

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, service: str, method: str, url: str, **kwargs: Any) -> requests.Response:
        options: dict[str, Any] = {"timeout": self.settings.http_timeout, **kwargs}
        if self.settings.offline:
            options["only_if_cached"] = True
        elif self.refresh:
            options["force_refresh"] = True
        try:
            response = self.session.request(method, url, **options)
        except requests.exceptions.RetryError as exc:
            raise ServiceError(
                service,
                url,
                "de service bleef een fout geven, ook na "
                f"{self.settings.http_retries} nieuwe pogingen",
                "Probeer het later opnieuw.",
            ) from exc
        except (requests.Timeout, requests.ConnectionError) as exc:
            if _timed_out(exc):
                raise ServiceError(
                    service,
                    url,
                    f"geen antwoord binnen {self.settings.http_timeout:g} seconden",
                    "Probeer het later opnieuw of verhoog SOCIALBASIS_HTTP_TIMEOUT.",
                ) from exc
            raise ServiceError(
                service, url, "kan geen verbinding maken", CONNECTION_ADVICE
            ) from exc
        # Offline, requests-cache answers 504 for anything it does not have; nothing was sent.
        if self.settings.offline and response.status_code == 504:
            raise ServiceError(service, url, "offline en niet in de cache", OFFLINE_ADVICE)
        if response.status_code != 200:
            raise ServiceError(
                service,
                url,
                f"antwoordde met HTTP {response.status_code}"
                + (" (te veel verzoeken)" if response.status_code == 429 else ""),
                "Probeer het later opnieuw; controleer anders het adres in de instellingen.",
            )
        return response

    def _forget(self, response: requests.Response) -> None:
        """Remove a response that turned out unusable, so it is not served again."""
        key = getattr(response, "cache_key", None) or self.session.cache.create_key(
            response.request
        )
        self.session.cache.delete(key)

    def json(
        self,
        service: str,
        url: str,
        params: dict[str, Any] | None = None,
        method: str = "GET",
        data: dict[str, Any] | None = None,
        parse: Callable[[Any], T] | None = None,
    ) -> Fetched[T]:
        """Fetch a JSON document and hand it to ``parse`` (a pure function of the body).

        If the body is not JSON, or ``parse`` raises ``ResponseFormatError``, the cached copy
        is dropped and a ``ServiceError`` says what arrived instead of what was expected.
        """
        response = self._send(service, method, url, params=params, data=data)
        try:
            body = response.json()
        except (json.JSONDecodeError, requests.exceptions.JSONDecodeError) as exc:
            self._forget(response)
            start = response.text[:80].replace("\n", " ")
            raise ServiceError(
                service,
                response.url,
                f"het antwoord is geen JSON (begint met {start!r})",
                "De service geeft mogelijk een storingspagina; probeer het later opnieuw.",
            ) from exc
        try:
            parsed = parse(body) if parse else body
        except ResponseFormatError as exc:
            self._forget(response)
            raise ServiceError(
                service,
                response.url,
                f"onverwacht antwoord: {exc}",
                "Misschien is de service veranderd; meld dit bij de makers "
                "van Sociale Basis Kaart.",
            ) from exc
        retrieved = getattr(response, "created_at", None) or datetime.now(UTC)
        return Fetched(
            response.url, parsed, retrieved, bool(getattr(response, "from_cache", False))
        )
