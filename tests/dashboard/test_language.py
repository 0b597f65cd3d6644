"""Every text a user reads comes from the catalogue, and the catalogue is complete in English.

Two checks work together. The first collects every marked text from the code (as
``scripts/catalogue.sh`` does) and requires an English translation with the same
placeholders. The second finds texts that were never marked: the dashboard runs in a
pseudo-language that wraps every catalogue text in ⟦ ⟧, and whatever words are left outside
the brackets must be data (names of places, sources, numbers, units).
"""

from __future__ import annotations

import functools
import gettext
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from socialbasis import i18n

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
PACKAGES = ("socialbasis", "loaders", "dashboard", "cli")


def marked_texts() -> dict[str, str]:
    """Every text marked for the catalogue in the code, with where it is."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for filename, line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")]
        ):
            # A plural is one entry, under its singular.
            text = message[0] if isinstance(message, tuple) else message
            if text:
                found.setdefault(text, f"{package}/{filename}:{line}")
    return found


def english_catalogue() -> dict[str, object]:
    with i18n.catalogue_path("en").open("rb") as file:
        catalog = read_po(file, locale="en")
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_marked_text_has_an_english_translation_with_the_same_placeholders():
    catalogue = english_catalogue()
    missing, fuzzy, mismatched = [], [], []
    for text, where in marked_texts().items():
        entry = catalogue.get(text)
        translations = entry.string if entry is not None else ""
        translations = translations if isinstance(translations, tuple) else (translations,)
        if entry is None or not all(translations):
            missing.append(f"{where}: {text!r}")
        elif entry.fuzzy:
            fuzzy.append(f"{where}: {text!r}")
        elif any(fields(t) != fields(text) for t in translations):
            mismatched.append(f"{where}: {text!r} -> {translations!r}")
    assert not missing, "not translated (run scripts/catalogue.sh, then translate):\n" + "\n".join(
        missing
    )
    assert not fuzzy, "translation to check (marked fuzzy):\n" + "\n".join(fuzzy)
    assert not mismatched, "placeholders differ:\n" + "\n".join(mismatched)


def test_english_is_used_when_chosen_and_dutch_stays_the_default():
    assert i18n.language() == "nl"
    assert i18n._("Kaart van de buurten met het aanbod") == "Kaart van de buurten met het aanbod"
    with i18n.using("en"):
        assert (
            i18n._("Kaart van de buurten met het aanbod")
            == "Map of the neighbourhoods and what is on"
        )
        assert i18n.number(1234.5) == "1,234.5"
    assert i18n.number(1234.5) == "1.234,5"


class _Pseudo(gettext.NullTranslations):
    """Wraps every text that passes through the catalogue, so the rest stands out."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


@pytest.fixture
def pseudo() -> Iterator[str]:
    i18n.register("xx", "Pseudo", _Pseudo(), "nl_NL")
    yield "xx"
    i18n.unregister("xx")


_MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
_WORD = re.compile(r"[^\W\d_]{2,}")
# Units and names that are the same in every language.
_NEUTRAL = {"m", "km", "min", "CBS", "PDOK", "RIVM", "OpenStreetMap", "Kadaster", "CSV", "HSDS"}
_NEUTRAL |= {"GeoJSON", "GeoPackage"}
_TAG = re.compile(r"<[^>]*>")
_CODE = re.compile(r"\b(BU|WK|GM)[0-9A-Z]{4,}\b")  # CBS codes


def _unmarked_words(text: str) -> set[str]:
    previous = None
    while previous != text:  # marked texts can hold marked texts
        previous, text = text, _MARKED.sub(" ", text)
    return set(_WORD.findall(_CODE.sub(" ", _TAG.sub(" ", text.replace("\\", "")))))


def _shown_texts(app: AppTest) -> Iterator[tuple[str, str]]:
    """(kind, text) for everything the page shows a reader, as AppTest sees it."""
    for kind in (
        "title",
        "header",
        "subheader",
        "caption",
        "markdown",
        "warning",
        "info",
        "error",
        "success",
    ):
        for element in getattr(app, kind):
            yield kind, str(element.value)
    for kind in (
        "button",
        "checkbox",
        "toggle",
        "text_input",
        "date_input",
        "slider",
        "expander",
        "tabs",
        "download_button",
    ):
        for element in getattr(app, kind, []):
            yield kind, str(getattr(element, "label", ""))
            yield kind + ".help", str(getattr(element, "help", "") or "")
    for kind in ("selectbox", "multiselect", "radio"):
        for element in getattr(app, kind):
            yield kind, str(element.label)
            yield kind + ".help", str(element.help or "")
            yield kind + ".placeholder", str(getattr(element, "placeholder", "") or "")
            for option in element.options:
                yield kind + ".option", str(option)
    for element in app.metric:
        yield "metric", str(element.label)
    for element in app.dataframe:
        for column in element.value.columns:
            yield "column", str(column)


def _data_words(_app: AppTest | None = None) -> set[str]:
    """Words that come from data: names of places and sources, listing names (both years
    of the embedded data)."""
    return _data_words_of(2020) | _data_words_of(2024)


@functools.cache
def _data_words_of(year: int) -> set[str]:
    from socialbasis.dataset import load_dataset
    from socialbasis.settings import load_settings

    dataset = load_dataset(load_settings(jaar=year))
    texts = [
        *dataset.buurten["buurtnaam"],
        *dataset.buurten["wijknaam"],
        *dataset.buurten["werkgebied"],
        dataset.gemeentenaam,
        *dataset.provenance["source"].astype(str),
        *dataset.provenance["year"].astype(str),
        *dataset.figures["source"].astype(str),
        *dataset.figures["year"].astype(str),
        *dataset.initiatives["name"],
        *dataset.initiatives["organisation"].fillna(""),
        *dataset.venues["name"],
        *dataset.venues["kind"].fillna(""),
        *dataset.venues["source"].fillna(""),
        dataset.area_mapping.status,
        *dataset.notes,  # shown as they were written when the data was fetched
        "Sociale Basis Kaart",  # the product's name
        "Pseudo",  # the pseudo-language's own name in the switch
        "Nederlands",
        "English",
    ]
    return {word for text in texts for word in _WORD.findall(str(text))} | _NEUTRAL


@pytest.mark.parametrize(
    "query",
    [
        {"buurt": "BU04791110"},
        {"modus": "kansen", "buurt": "BU04791110"},
        {"modus": "gegevens"},
        {"jaar": "2024", "modus": "kansen", "buurt": "BU04791111", "datum": "alle"},
        {"jaar": "2024", "buurt": "BU04791111", "datum": "alle", "vergelijk": "BU04791522"},
        {"modus": "gegevens", "ingelogd": "beheerder"},
    ],
    ids=["aanbod", "kansen", "gegevens", "kansen-without-figures", "compare", "signed-in"],
)
def test_every_text_on_the_page_comes_from_the_catalogue(pseudo, query):
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["taal"] = pseudo
    other = query.pop("vergelijk", None)
    role = query.pop("ingelogd", None)
    for key, value in query.items():
        app.query_params[key] = value
    if role:  # what only someone signed in sees: the editing and loading sections
        from dashboard.signin import SESSION_KEY
        from socialbasis.access import Identity

        app.session_state[SESSION_KEY] = Identity("test", "Test", role, "lokaal")
    app.run()
    if other:
        with i18n.using(pseudo):
            app.selectbox(key="vergelijk").set_value(other).run()
    assert not app.exception
    allowed = _data_words(app)
    strays = {
        f"{kind}: {text[:120]!r} -> {sorted(words - allowed)}"
        for kind, text in _shown_texts(app)
        if (words := _unmarked_words(text)) - allowed
    }
    assert not strays, "texts not from the catalogue:\n" + "\n".join(sorted(strays))


def test_the_map_legend_popups_and_tooltips_come_from_the_catalogue(pseudo, embedded2020):
    from dashboard import popups
    from dashboard.mapview import Choropleth, MapOptions, legend_html

    options = MapOptions(
        tile_url="http://127.0.0.1:1/{z}/{x}/{y}.png",
        tile_attribution="tiles",
        choropleth=Choropleth({}, (0.0, 1.0, 2.0), ("#fff", "#000"), "titel", "bron"),
    )
    initiative = embedded2020.initiatives.iloc[0].copy()
    initiative[["layer_suggested", "geocoded"]] = True
    venue = embedded2020.venues.iloc[0]
    buurt = embedded2020.buurten.iloc[0]
    with i18n.using(pseudo):
        shown = {
            "legend": legend_html(options, ["activiteiten", "locaties"]),
            "initiative popup": popups.initiative_popup(initiative),
            "initiative tooltip": popups.initiative_tooltip(initiative),
            "venue popup": popups.venue_popup(venue),
            "buurt tooltip": popups.buurt_tooltip(buurt, 3),
        }
    allowed = _data_words(None) | {"titel", "bron"}  # the choropleth's own, given above
    allowed |= _words_of(initiative) | _words_of(venue)
    strays = {
        name: sorted(words - allowed)
        for name, text in shown.items()
        if (words := _unmarked_words(text)) - allowed
    }
    assert not strays


def _words_of(row) -> set[str]:
    """Words of a listing's free text (name, description, address...): data, not interface."""
    free = ("name", "description", "organisation", "address", "source", "kind")
    return {w for field in free if field in row for w in _WORD.findall(str(row[field]))}


def test_the_whole_dashboard_works_in_english_by_link_and_by_switch():
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["taal"] = "en"
    app.query_params["modus"] = "kansen"
    app.run()
    assert not app.exception
    assert app.radio(key="modus").options == ["What's on", "Opportunity map", "Data"]
    assert any("Opportunity score" in str(m.label) for m in app.metric) or any(
        "opportunity" in c.value.lower() for c in app.caption
    )
    assert app.query_params.get("taal") in ("en", ["en"])  # the link keeps the language
    with i18n.using("en"):  # AppTest formats options in the test's thread
        app.radio(key="taal").set_value("nl").run()
    assert not app.exception
    assert app.radio(key="modus").options == ["Aanbod", "Kansenkaart", "Gegevens"]
    assert "taal" not in app.query_params  # Dutch is the default, left out of the link


def test_the_cli_speaks_english_when_asked_and_dutch_by_default():
    import subprocess
    import sys

    from click.testing import CliRunner

    from cli.main import main

    english = subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "--taal", "en", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    ).stdout
    assert "Folder with fetched data and imported listings." in english
    assert "Map met opgehaalde gegevens" not in english
    result = CliRunner().invoke(main, ["--taal", "en", "gaps", "--laag", "persoonlijk"])
    assert result.exit_code == 0, result.output
    assert "Ranked by opportunity score" in result.output
    assert i18n.language() == "nl"  # only for that invocation
    dutch = CliRunner().invoke(main, ["gaps", "--laag", "persoonlijk"])
    assert "Gerangschikt naar kansscore" in dutch.output


def test_the_cli_messages_come_from_the_catalogue(pseudo, tmp_path):
    from click.testing import CliRunner

    from cli.main import main

    bad = tmp_path / "aanbod.csv"
    bad.write_text("name;layer;lat;lon\nKoor;onbekend;52,4;4,8\n", encoding="utf-8")
    outputs = []
    with i18n.using(pseudo):
        for arguments in (["info"], ["gaps", "--laag", "persoonlijk"], ["validate", str(bad)]):
            result = CliRunner().invoke(main, arguments)
            outputs.append(
                (arguments[0], result.stderr if arguments[0] == "gaps" else result.output)
            )
    allowed = _data_words() | {"aanbod", "csv", "onbekend", "Koor", "name", "layer", "lat", "lon"}
    allowed |= {"Zaanstad", "GM0479", "utf", "persoonlijk", "gemeenschappelijk", "institutioneel"}
    allowed |= {"indicatief"}  # the status column of the werkgebieden file (data)
    strays = {
        f"{command}: {line!r}"
        for command, output in outputs
        for line in output.splitlines()
        if _unmarked_words(line) - allowed
    }
    assert not strays, "\n".join(sorted(strays))
