"""The meeting pack: its text says the buurt, its figures with source and year, the kansen
with their reasons, venues, partners, the plan and the checklist; every page renders."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from PIL import Image

from socialbasis.analysis.filters import Filters
from socialbasis.analysis.planning import PlannedActivity
from socialbasis.i18n import using
from socialbasis.report import map_png, meeting_pack_pdf
from tests.helpers import make_settings

BUURT = "BU04792220"  # Spoorbuurt (2020 boundaries, with CBS key figures)
PLAN = [PlannedActivity("Zangmiddag voor ouderen", 52.44, 4.82, "gemeenschappelijk")]


@pytest.fixture(scope="module")
def core(tmp_path_factory):
    from socialbasis.app import SocialBasis

    return SocialBasis(make_settings(tmp_path_factory.mktemp("pack"), jaar=2020))


def _text(pdf: bytes) -> tuple[str, list[bytes]]:
    """All text (white space as single spaces), and each page rendered to PNG (proof that
    it opens)."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(" ".join(page.extract_text() or "" for page in document.pages).split())
        for page in document.pages:
            buffer = io.BytesIO()
            page.to_image(resolution=40).save(buffer, format="PNG")
            pages.append(buffer.getvalue())
    return text, pages


def test_the_pack_of_a_buurt_says_what_a_meeting_needs(core):
    content = core.meeting_pack(
        "gemeenschappelijk", Filters(), core.gap_params(), buurtcode=BUURT, planned=PLAN
    )
    text, pages = _text(meeting_pack_pdf(content))
    assert text.startswith("Gesprekskaart Spoorbuurt")
    assert "voorbeelddata (verzonnen)" in text  # the embedded listings are examples
    row = content.ranked.iloc[0]
    assert f"Spoorbuurt {row['score']:.0f} {row['rank']}" in text  # score and rank
    assert "Geen gemeenschappelijke activiteit binnen 10 minuten" in text  # the reason
    # A key figure of the buurt beside the gemeente's, with source and year (CBS 2020).
    assert "65 jaar en ouder (%) 26 % 18 %" in text
    assert "CBS, Kerncijfers wijken en buurten 2020" in text
    assert "Wanneer is er iets binnen 10 minuten lopen?" in text and "zondag" in text
    for venue in content.venues["name"]:
        assert venue in text
    assert "Sociaal wijkteam: Oude Haven en Zaandam West (indicatieve indeling)." in text
    assert "Zangmiddag voor ouderen" in text and "inwoners nieuw binnen 10 minuten" in text
    assert "1. Bereid het goed voor" in text and "Eigen verhalen delen." in text
    assert "CBS/Kadaster" in text
    assert len(pages) >= 2
    for png in pages:
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size[0] > 200


def test_the_pack_of_a_werkgebied_lists_its_buurten_and_speaks_english_too(core):
    buurten = core.dataset().buurten
    area = "Oude Haven en Zaandam West"
    names = list(buurten.loc[buurten["werkgebied"] == area, "buurtnaam"])
    content = core.meeting_pack("gemeenschappelijk", Filters(), core.gap_params(), werkgebied=area)
    text, _pages = _text(meeting_pack_pdf(content))
    assert text.startswith(f"Gesprekskaart werkgebied {area}")
    assert all(name in text for name in names)
    with using("en"):
        content = core.meeting_pack(
            "gemeenschappelijk", Filters(), core.gap_params(), buurtcode=BUURT
        )
        english, _pages = _text(meeting_pack_pdf(content))
    assert english.startswith("Meeting pack Spoorbuurt")
    assert "1. Prepare well" in english


def test_the_map_is_a_png_and_bad_areas_are_refused(core):
    from socialbasis.errors import SettingsError

    content = core.meeting_pack("persoonlijk", Filters(), core.gap_params(), buurtcode=BUURT)
    image = Image.open(io.BytesIO(map_png(content)))
    assert image.format == "PNG" and image.size[0] >= 1000
    with pytest.raises(SettingsError, match="BU00000000"):
        core.meeting_pack("persoonlijk", Filters(), core.gap_params(), buurtcode="BU00000000")
    with pytest.raises(SettingsError, match="bestaat niet"):
        core.meeting_pack("persoonlijk", Filters(), core.gap_params(), werkgebied="Nergens")
