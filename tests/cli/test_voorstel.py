"""`socialbasis voorstel`: the best places to start, explained, in three formats."""

import json

from click.testing import CliRunner

from cli.main import main


def run(*args: str):
    return CliRunner().invoke(main, ["voorstel", *args])


def test_voorstel_explains_each_place_and_what_was_maximised():
    result = run("--laag", "gemeenschappelijk", "--aantal", "3", "--datum", "alle")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert len(lines) == 3
    assert all(" inwoners die nu niets binnen 10 minuten hebben, in " in line for line in lines)
    assert all("; ruimte: Voorbeeld: " in line for line in lines)  # the example venues, marked
    assert "gewogen naar behoefte" in result.stderr
    assert "voorbeelddata" in result.stderr


def test_voorstel_as_json_and_in_english():
    result = run("--laag", "persoonlijk", "--aantal", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    places = json.loads(result.stdout)
    assert [p["rank"] for p in places] == [1, 2]
    assert places[0]["reached"] >= places[1]["reached"] > 0
    assert {"lat", "lon", "venue_id", "venue", "buurten", "text"} <= set(places[0])
    english = CliRunner().invoke(
        main, ["--taal", "en", "voorstel", "--laag", "persoonlijk", "--aantal", "1"]
    )
    assert english.exit_code == 0
    assert "Reaches " in english.stdout and "weighted by need" in english.stderr


def test_voorstel_refuses_a_count_out_of_range():
    result = run("--laag", "persoonlijk", "--aantal", "6")
    assert result.exit_code != 0 and "1<=x<=5" in result.output
