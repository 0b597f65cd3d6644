"""The one HTTP client of all loaders.

- requests-cache keeps successful (200) responses on disk in SQLite, keyed by method, URL and
  body, so a second fetch of the same data needs no network and works offline;
- urllib3's Retry retries connection errors, 429 and 5xx with exponential backoff (and
  honours Retry-After);
- every request has a timeout and a User-Agent, a deadline for the whole answer (a service that
  drips bytes is cut off), and a cap on its size; every fetch step has a total deadline;
- a ``Retry-After`` longer than ``http_retry_after_max`` seconds is not waited out in full;
- offline mode answers only from the cache;
- a response that cannot be used (bad status, not JSON) is removed from the cache and raised
  as a ``ServiceError`` that names the service and says what to do.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import requests
import requests_cache
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from socialbasis.errors import ServiceError
from socialbasis.i18n import N_, _
from socialbasis.settings import Settings

RETRY_STATUSES = (429, 500, 502, 503, 504)
OFFLINE_ADVICE = N_(
    "Er is geen opgeslagen antwoord voor deze vraag. Zet SOCIALBASIS_OFFLINE=0 en probeer "
    "het met internet, of laad de gegevens eerst op een computer met internet."
)
CONNECTION_ADVICE = N_(
    "Controleer de internetverbinding en het adres in de instellingen, of zet "
    "SOCIALBASIS_OFFLINE=1 om alleen eerder opgehaalde gegevens te gebruiken."
)


T = TypeVar("T")


class AnswerTooSlow(requests.exceptions.RequestException):
    """The whole answer did not arrive before the deadline (a service that drips bytes)."""


class AnswerTooLarge(requests.exceptions.RequestException):
    """The answer is larger than ``http_max_bytes``."""


class BoundedAdapter(HTTPAdapter):
    """An adapter that reads every body itself, within a deadline and a size cap.

    requests' timeout bounds each socket read, not the whole answer: a service that sends a
    byte every few seconds would keep a fetch waiting without end. A watchdog shuts the socket
    down when the deadline passes, which ends a read that is blocked in the middle.
    """

    def __init__(self, max_bytes: int, deadline: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_bytes = max_bytes
        self.deadline = deadline  # seconds for one answer; the client may lower it per step

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any):  # type: ignore[override]
        kwargs["stream"] = True
        started = time.monotonic()
        response = super().send(request, *args, **kwargs)
        remaining = self.deadline - (time.monotonic() - started)
        fired = threading.Event()

        def cut_off() -> None:
            fired.set()
            # urllib3's shutdown() is made for this: it ends a read blocked in another thread.
            with suppress(Exception):
                response.raw.shutdown()

        watchdog = threading.Timer(max(remaining, 0.0), cut_off)
        watchdog.daemon = True
        watchdog.start()
        chunks, size = [], 0
        try:
            for chunk in response.raw.stream(64 * 1024, decode_content=True):
                size += len(chunk)
                if size > self.max_bytes:
                    response.close()
                    raise AnswerTooLarge(
                        _("meer dan {max_bytes} bytes").format(max_bytes=self.max_bytes)
                    )
                if fired.is_set():
                    break
                chunks.append(chunk)
        except AnswerTooLarge:
            raise
        except Exception as exc:
            if fired.is_set():
                raise AnswerTooSlow("deadline") from exc
            raise requests.ConnectionError(
                _("verbinding verbroken: {exc}").format(exc=exc)
            ) from exc
        finally:
            watchdog.cancel()
        if fired.is_set():
            response.close()
            raise AnswerTooSlow("deadline")
        response._content = b"".join(chunks)
        response._content_consumed = True
        return response


def _capped_retry(cap: float) -> type[Retry]:
    """Retry that honours Retry-After, but never waits longer than ``cap`` seconds."""

    class CappedRetry(Retry):
        def get_retry_after(self, response: Any) -> float | None:
            value = super().get_retry_after(response)
            return None if value is None else min(value, cap)

    return CappedRetry


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
        retry = _capped_retry(settings.http_retry_after_max)(
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
        self.adapter = BoundedAdapter(
            settings.http_max_bytes, settings.http_deadline, max_retries=retry
        )
        self.session.mount("http://", self.adapter)
        self.session.mount("https://", self.adapter)
        self.session.headers["User-Agent"] = settings.user_agent
        self._step_ends: float | None = None
        self._step_name = ""

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Every request inside shares one deadline (``fetch_step_deadline`` seconds)."""
        self._step_ends = time.monotonic() + self.settings.fetch_step_deadline
        self._step_name = name
        try:
            yield
        finally:
            self._step_ends = None

    def _deadline(self, service: str, url: str) -> float:
        if self._step_ends is None:
            return self.settings.http_deadline
        remaining = self._step_ends - time.monotonic()
        if remaining <= 0:
            raise ServiceError(
                service,
                url,
                _(
                    "de stap '{step_name}' duurde langer dan {fetch_step_deadline:g} seconden"
                ).format(
                    step_name=self._step_name, fetch_step_deadline=self.settings.fetch_step_deadline
                ),
                _("Probeer het later opnieuw of verhoog SOCIALBASIS_FETCH_STEP_DEADLINE."),
            )
        return min(remaining, self.settings.http_deadline)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, service: str, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.adapter.deadline = self._deadline(service, url)
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
                _("de service bleef een fout geven, ook na {http_retries} nieuwe pogingen").format(
                    http_retries=self.settings.http_retries
                ),
                _("Probeer het later opnieuw."),
            ) from exc
        except AnswerTooSlow as exc:
            self._deadline(service, url)  # says so when it was the step's deadline
            raise ServiceError(
                service,
                url,
                _("het antwoord kwam niet binnen {deadline:.0f} seconden binnen").format(
                    deadline=self.adapter.deadline
                ),
                _("De service is traag of stuurt heel langzaam; probeer het later opnieuw."),
            ) from exc
        except AnswerTooLarge as exc:
            raise ServiceError(
                service,
                url,
                _("het antwoord is groter dan {value} MB").format(
                    value=self.settings.http_max_bytes // 1_000_000
                ),
                _("Vraag minder op, of verhoog SOCIALBASIS_HTTP_MAX_BYTES."),
            ) from exc
        except (
            requests.Timeout,
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
        ) as exc:
            if _timed_out(exc):
                raise ServiceError(
                    service,
                    url,
                    _("geen antwoord binnen {http_timeout:g} seconden").format(
                        http_timeout=self.settings.http_timeout
                    ),
                    _("Probeer het later opnieuw of verhoog SOCIALBASIS_HTTP_TIMEOUT."),
                ) from exc
            raise ServiceError(
                service, url, _("kan geen verbinding maken"), _(CONNECTION_ADVICE)
            ) from exc
        # Offline, requests-cache answers 504 for anything it does not have; nothing was sent.
        if self.settings.offline and response.status_code == 504:
            raise ServiceError(service, url, _("offline en niet in de cache"), _(OFFLINE_ADVICE))
        if response.status_code != 200:
            raise ServiceError(
                service,
                url,
                _("antwoordde met HTTP {status_code}").format(status_code=response.status_code)
                + (_(" (te veel verzoeken)") if response.status_code == 429 else ""),
                _("Probeer het later opnieuw; controleer anders het adres in de instellingen."),
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
                _("het antwoord is geen JSON (begint met {start!r})").format(start=start),
                _("De service geeft mogelijk een storingspagina; probeer het later opnieuw."),
            ) from exc
        try:
            parsed = parse(body) if parse else body
        except ResponseFormatError as exc:
            self._forget(response)
            raise ServiceError(
                service,
                response.url,
                _("onverwacht antwoord: {exc}").format(exc=exc),
                _(
                    "Misschien is de service veranderd; meld dit bij de makers "
                    "van Sociale Basis Kaart."
                ),
            ) from exc
        retrieved = getattr(response, "created_at", None) or datetime.now(UTC)
        return Fetched(
            response.url, parsed, retrieved, bool(getattr(response, "from_cache", False))
        )
