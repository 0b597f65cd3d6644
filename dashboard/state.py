"""The dashboard's view state and its form in the URL, so a view can be shared as a link.

Pure functions: URL query (a mapping of key -> list of values) <-> a plain dict of widget
values. The page copies the dict into ``st.session_state`` once, at the start of a session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from socialbasis.analysis.filters import Filters
from socialbasis.analysis.need import format_weights, parse_weights
from socialbasis.analysis.walking import WALKING_SPEEDS
from socialbasis.i18n import LANGUAGES, default_language
from socialbasis.vocab import (
    Cost,
    Discipline,
    IndividualCollective,
    Layer,
    SupportActivation,
    TargetGroup,
    codes,
)

MODES = ("aanbod", "kansen", "gegevens")
ALL_DATES = "alle"
SPEEDS = WALKING_SPEEDS
DISTANCES = ("400", "800", "1200")


@dataclass(frozen=True)
class Param:
    """One piece of view state: its widget key, its URL key and how to check a value."""

    key: str
    url: str
    multi: bool
    allowed: Callable[[], list[str]] | None = None


def _params(werkgebieden: list[str], buurtcodes: list[str]) -> tuple[Param, ...]:
    return (
        Param("taal", "taal", False, lambda: list(LANGUAGES)),
        Param("modus", "modus", False, lambda: list(MODES)),
        Param("buurt", "buurt", False, lambda: buurtcodes),
        Param("laag", "laag", True, lambda: codes(Layer)),
        Param("aanpak", "aanpak", True, lambda: codes(SupportActivation)),
        Param("vorm", "vorm", True, lambda: codes(IndividualCollective)),
        Param("discipline", "discipline", True, lambda: codes(Discipline)),
        Param("doelgroep", "doelgroep", True, lambda: codes(TargetGroup)),
        Param("werkgebied", "werkgebied", True, lambda: werkgebieden),
        Param("kosten", "kosten", True, lambda: codes(Cost)),
        Param("datum", "datum", False, None),
        Param("kanslaag", "kanslaag", False, lambda: codes(Layer)),
        Param("tempo", "tempo", False, lambda: list(SPEEDS)),
        Param("afstand", "afstand", False, lambda: list(DISTANCES)),
        Param("gewichten", "gewichten", False, None),
        Param("wijken", "wijken", False, lambda: ["0", "1"]),
        Param("werkgebieden", "werkgebieden", False, lambda: ["0", "1"]),
        Param("gecontroleerd", "gecontroleerd", False, lambda: ["0", "1"]),
        Param("plan", "plan", False, None),
    )


@dataclass(frozen=True)
class ViewState:
    """What the page shows; ``ignored`` lists URL values that could not be used."""

    values: dict[str, object]
    ignored: list[str]


def default_values(today: date) -> dict[str, object]:
    return {
        "taal": default_language(),
        "modus": "aanbod",
        "buurt": None,
        "laag": [],
        "aanpak": [],
        "vorm": [],
        "discipline": [],
        "doelgroep": [],
        "werkgebied": [],
        "kosten": [],
        "actief": True,
        "datum": today,
        "wijken": False,
        "werkgebieden": True,
        "gecontroleerd": False,
        "kanslaag": Layer.GEMEENSCHAPPELIJK.value,
        "tempo": "normaal",
        "afstand": "800",
        "gewichten": "",
        "plan": None,  # the number of a saved plan that is open
    }


def from_query(
    query: Mapping[str, list[str]], werkgebieden: list[str], buurtcodes: list[str], today: date
) -> ViewState:
    """Widget values from a URL query; values that are not allowed are reported, not used."""
    values = default_values(today)
    ignored: list[str] = []
    for param in _params(werkgebieden, buurtcodes):
        raw = [v for v in query.get(param.url, []) if v != ""]
        if not raw:
            continue
        if param.key == "gewichten":
            try:
                values["gewichten"] = format_weights(parse_weights(raw[0]))
            except ValueError:
                ignored.append(f"{param.url}={raw[0]}")
            continue
        if param.key == "plan":
            if raw[0].isdigit() and len(raw[0]) <= 12:
                values["plan"] = int(raw[0])
            else:
                ignored.append(f"{param.url}={raw[0]}")
            continue
        if param.key == "datum":
            if raw[0] == ALL_DATES:
                values["actief"] = False
                continue
            try:
                values["datum"] = date.fromisoformat(raw[0])
            except ValueError:
                ignored.append(f"{param.url}={raw[0]}")
            continue
        allowed = param.allowed() if param.allowed else None
        good = [v for v in raw if allowed is None or v in allowed]
        ignored += [f"{param.url}={v}" for v in raw if v not in good]
        if param.key in ("wijken", "werkgebieden", "gecontroleerd"):
            if good:
                values[param.key] = good[0] == "1"
        elif param.multi:
            values[param.key] = list(dict.fromkeys(good))
        elif good:
            values[param.key] = good[0]
    return ViewState(values, ignored)


def to_query(values: Mapping[str, object], today: date) -> dict[str, list[str]]:
    """The URL query for widget values; defaults are left out to keep links short."""
    defaults = default_values(today)
    query: dict[str, list[str]] = {}
    for key in ("taal", "modus", "buurt", "kanslaag", "tempo", "afstand", "gewichten"):
        if values.get(key) and values[key] != defaults[key]:
            query[key] = [str(values[key])]
    for key in ("laag", "aanpak", "vorm", "discipline", "doelgroep", "werkgebied", "kosten"):
        if values.get(key):
            query[key] = [str(v) for v in values[key]]  # type: ignore[union-attr]
    if not values.get("actief", True):
        query["datum"] = [ALL_DATES]
    elif values.get("datum") and values["datum"] != today:
        query["datum"] = [values["datum"].isoformat()]  # type: ignore[union-attr]
    for key in ("wijken", "werkgebieden", "gecontroleerd"):
        if bool(values.get(key)) != defaults[key]:
            query[key] = ["1" if values.get(key) else "0"]
    if values.get("plan"):
        query["plan"] = [str(values["plan"])]
    return query


def filters_from_values(values: Mapping[str, object]) -> Filters:
    """The analysis filters for the widget values."""
    return Filters(
        layers=tuple(values.get("laag") or ()),
        support_activation=tuple(values.get("aanpak") or ()),
        individual_collective=tuple(values.get("vorm") or ()),
        disciplines=tuple(values.get("discipline") or ()),
        target_groups=tuple(values.get("doelgroep") or ()),
        werkgebieden=tuple(values.get("werkgebied") or ()),
        costs=tuple(values.get("kosten") or ()),
        active_on=values.get("datum") if values.get("actief", True) else None,  # type: ignore[arg-type]
    )
