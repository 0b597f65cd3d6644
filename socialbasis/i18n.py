"""Every text a user reads, in Dutch or English, from one gettext catalogue.

The source texts in the code are Dutch (the default language); the English texts live in
``socialbasis/locale/en/LC_MESSAGES/messages.po``, kept up to date with Babel
(``bash scripts/catalogue.sh``). Numbers and dates are formatted per language with Babel.

The language is per run: the CLI sets it from ``--taal`` or ``SOCIALBASIS_TAAL``, the
dashboard from its switch or the URL (``taal=en``). It is held in a context variable, so two
dashboard sessions in two threads never see each other's language.

Mark a text with ``_()`` where it is shown, or with ``N_()`` where it is declared before the
language is known (module constants) and translate it with ``_()`` when it is shown.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

DEFAULT_LANGUAGE = "nl"
# Code -> the name of the language in that language (how a switch offers it).
LANGUAGES: dict[str, str] = {"nl": "Nederlands", "en": "English"}
# The Babel locale for numbers and dates per language.
LOCALES: dict[str, str] = {"nl": "nl_NL", "en": "en_GB"}
LANGUAGE_VARIABLE = "SOCIALBASIS_TAAL"
CATALOGUE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

_current: ContextVar[str | None] = ContextVar("language", default=None)
# Extra catalogues by language code (a test's pseudo-language); the .po files are the rest.
_extra: dict[str, gettext.NullTranslations] = {}


def default_language() -> str:
    """The language of the environment (``SOCIALBASIS_TAAL``), else Dutch."""
    wanted = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def check_language(code: str) -> str:
    """``code`` if it is a language of the interface; otherwise a ValueError that names them."""
    wanted = code.strip().lower()
    if wanted not in LANGUAGES:
        raise ValueError(f"expected one of {', '.join(LANGUAGES)}, got {code!r}")
    return wanted


def language() -> str:
    """The language of this run."""
    return _current.get() or default_language()


def set_language(code: str) -> None:
    """Show every following text of this run (thread or task) in ``code``."""
    _current.set(check_language(code))


@contextmanager
def using(code: str) -> Iterator[None]:
    """Texts in ``code`` inside the block, the language of before after it."""
    token = _current.set(check_language(code))
    try:
        yield
    finally:
        _current.reset(token)


def register(code: str, name: str, translations: gettext.NullTranslations, locale: str) -> None:
    """Add a language from a ready catalogue (a pseudo-language in tests finds texts that
    bypass the catalogue)."""
    LANGUAGES[code] = name
    LOCALES[code] = locale
    _extra[code] = translations


def unregister(code: str) -> None:
    LANGUAGES.pop(code, None)
    LOCALES.pop(code, None)
    _extra.pop(code, None)


def catalogue_path(code: str) -> Path:
    return CATALOGUE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _from_po(code: str) -> gettext.NullTranslations:
    """The language's .po file, compiled in memory (no build step, never a stale .mo)."""
    path = catalogue_path(code)
    if not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        catalog = read_po(file, locale=code)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: they are not checked yet
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _translations() -> gettext.NullTranslations:
    code = language()
    if code in _extra:
        return _extra[code]
    if code == DEFAULT_LANGUAGE:
        return _NULL
    return _from_po(code)


_NULL = gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` (a Dutch source text) in the language of this run."""
    return _translations().gettext(message) if message else message


def ngettext(singular: str, plural: str, number: int) -> str:
    """The singular or plural form of a text for ``number``, in the language of this run."""
    return _translations().ngettext(singular, plural, number)


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is declared; ``_()`` translates it where shown."""
    return message


def locale() -> str:
    return LOCALES.get(language(), LOCALES[DEFAULT_LANGUAGE])


def number(value: float, decimals: int | None = None) -> str:
    """A number with the language's separators: 12345.6 -> "12.345,6" (nl), "12,345.6" (en).

    ``decimals`` fixes the number of decimals; without it up to three are shown, trailing
    zeros left out.

    >>> with using("nl"):
    ...     number(4.8), number(12345.678, 0), number(3.0)
    ('4,8', '12.346', '3')
    >>> with using("en"):
    ...     number(4.8), number(12345.678, 0)
    ('4.8', '12,346')
    """
    from babel.numbers import format_decimal

    if decimals is None:
        return format_decimal(value, format="#,##0.###", locale=locale())
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale())


def percent(share: float, decimals: int = 0) -> str:
    """A share (0-1) as a percentage: 0.456 -> "46%".

    >>> with using("nl"):
    ...     percent(0.456), percent(0.456, 1)
    ('46%', '45,6%')
    """
    return number(share * 100, decimals) + "%"


def day(value: date | datetime) -> str:
    """A date as the language writes it in short: 01-12-2026 (nl), 01/12/2026 (en).

    >>> with using("nl"):
    ...     day(date(2026, 12, 1))
    '01-12-2026'
    >>> with using("en"):
    ...     day(date(2026, 12, 1))
    '01/12/2026'
    """
    from babel.dates import format_date

    return format_date(
        value, format="dd-MM-y" if language() == "nl" else "dd/MM/y", locale=locale()
    )


def long_day(value: date | datetime) -> str:
    """A date with the month in words: "1 december 2026" (nl), "1 December 2026" (en)."""
    from babel.dates import format_date

    return format_date(value, format="d MMMM y", locale=locale())


def moment(value: datetime) -> str:
    """A date and time: "01-12-2026 14:05"."""
    return f"{day(value)} {value:%H:%M}"


def join_words(items: list[str]) -> str:
    """A list in words: "a, b en c" (nl), "a, b and c" (en).

    >>> with using("nl"):
    ...     join_words(["a", "b", "c"])
    'a, b en c'
    """
    from babel.lists import format_list

    return format_list(items, locale=locale()) if items else ""


def distance(metres: float) -> str:
    """A walking distance: metres below 1 km, else km with one decimal.

    >>> with using("nl"):
    ...     distance(349.6), distance(1250)
    ('350 m', '1,2 km')
    """
    if metres < 1000:
        return f"{number(metres, 0)} m"
    return f"{number(metres / 1000, 1)} km"
