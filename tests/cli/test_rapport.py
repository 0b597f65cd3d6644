"""`socialbasis rapport`: the meeting pack as a file, and the map as a PNG."""

import pdfplumber
from click.testing import CliRunner

from cli.main import main


def test_rapport_writes_the_pdf_and_the_png(tmp_path):
    pdf, png = tmp_path / "pack.pdf", tmp_path / "kaart.png"
    result = CliRunner().invoke(
        main,
        [
            "rapport",
            "--laag",
            "gemeenschappelijk",
            "--buurt",
            "BU04792220",
            "--uit",
            str(pdf),
            "--png",
            str(png),
        ],
    )
    assert result.exit_code == 0, result.output
    with pdfplumber.open(pdf) as document:
        assert document.pages[0].extract_text().startswith("Gesprekskaart Spoorbuurt")
    assert png.read_bytes().startswith(b"\x89PNG")


def test_rapport_asks_for_one_area_and_says_what_is_wrong(tmp_path):
    out = str(tmp_path / "x.pdf")
    neither = CliRunner().invoke(main, ["rapport", "--laag", "persoonlijk", "--uit", out])
    assert neither.exit_code != 0 and "--buurt" in neither.output
    unknown = CliRunner().invoke(
        main, ["rapport", "--laag", "persoonlijk", "--buurt", "BU00000000", "--uit", out]
    )
    assert unknown.exit_code != 0 and "BU00000000" in unknown.output
    no_plan = CliRunner().invoke(
        main,
        ["rapport", "--laag", "persoonlijk", "--buurt", "BU04792220", "--plan", "99", "--uit", out],
    )
    assert no_plan.exit_code != 0 and "plan 99" in no_plan.output
    assert not (tmp_path / "x.pdf").exists()  # nothing half written
