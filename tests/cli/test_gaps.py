import io
import json

import pandas as pd
from click.testing import CliRunner

from cli.main import main


def run(*args: str):
    """The 2024 boundaries (no key figures): the supply-only ranking."""
    return CliRunner().invoke(main, ["--jaar", "2024", "gaps", *args])


def test_gaps_prints_a_ranked_csv_for_zaanstad():
    result = run("--layer", "gemeenschappelijk", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert len(table) == 79
    for column in (
        "buurtcode",
        "buurtnaam",
        "layer",
        "score",
        "share_5min",
        "share_10min",
        "share_15min",
        "nearest_m",
        "reason",
        "jaar",
    ):
        assert column in table.columns
    assert table["score"].is_monotonic_decreasing
    assert (table["layer"] == "gemeenschappelijk").all()
    assert table["buurtcode"].str.startswith("BU0479").all()
    assert "alleen het aanbod" in result.stderr and "voorbeelddata" in result.stderr


def test_gaps_json_top_and_filters():
    result = run(
        "--laag",
        "persoonlijk",
        "--format",
        "json",
        "--top",
        "5",
        "--tempo",
        "rollator",
        "--doelgroep",
        "ouderen",
        "--datum",
        "alle",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 5 and rows[0]["rank"] == 1
    assert {row["speed_kmh"] for row in rows} == {3.0}


def test_gaps_refuses_bad_options_with_a_clear_message():
    assert "kies uit" in run("--layer", "persoonlijk", "--gewicht", "eenzaam=2").output
    assert run("--layer", "cultuur").exit_code == 2
    assert "JJJJ-MM-DD" in run("--layer", "persoonlijk", "--datum", "gisteren").output
