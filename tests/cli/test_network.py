"""``socialbasis netwerk``: read a walking network, and distances go over the street."""

import io

import pandas as pd
from click.testing import CliRunner

from cli.main import main
from tests.loaders import osm_town as town


def run(*args):
    return CliRunner().invoke(main, ["--jaar", "2024", *args])


def test_a_network_is_read_used_everywhere_and_can_be_removed(tmp_path):
    assert "afstanden: in rechte lijn" in run("info").output
    # A made-up river town on top of Zaanstad's map: the streets are not Zaanstad's.
    path = town.write_town(tmp_path)
    result = run("netwerk", str(path))
    assert result.exit_code == 0, result.output
    assert "Loopnetwerk uit rivierstad.osm" in result.output
    assert "1 trappen (met een rollator vermeden)" in result.output
    assert "Omweg van buurtmidden naar activiteiten" in result.output
    assert "Afstanden gaan vanaf nu over straat." in result.output

    info = run("info").output
    assert "afstanden: over straat" in info
    assert "Loopnetwerk: loopnetwerk uit OpenStreetMap (rivierstad.osm" in info

    gaps = run("gaps", "--layer", "gemeenschappelijk", "--format", "csv")
    assert gaps.exit_code == 0, gaps.output
    table = pd.read_csv(io.StringIO(gaps.stdout))
    assert set(table["distance_basis"]) == {"over straat"}
    # Most of Zaanstad is far from the made-up streets: measured in a straight line, and said.
    assert (table["network_share"] < 1).any()
    assert table["reason"].str.contains("de rest is in rechte lijn gemeten").any()

    removed = run("netwerk", "--verwijder")
    assert removed.exit_code == 0 and "weer in rechte lijn" in removed.output
    assert "afstanden: in rechte lijn" in run("info").output
    again = run("gaps", "--layer", "gemeenschappelijk", "--format", "csv")
    assert set(pd.read_csv(io.StringIO(again.stdout))["distance_basis"]) == {"in rechte lijn"}


def test_a_bad_file_is_refused_and_nothing_is_stored(tmp_path):
    broken = tmp_path / "noord-holland.osm.pbf"
    broken.write_bytes(b"\x00\x01 no osm here")
    result = run("netwerk", str(broken))
    assert result.exit_code != 0
    assert "noord-holland.osm.pbf" in result.output
    assert "afstanden: in rechte lijn" in run("info").output
    assert run("netwerk").exit_code != 0  # neither a file nor --verwijder
