from click.testing import CliRunner

from cli.main import main


def test_help_lists_the_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "info" in result.output and "dashboard" in result.output


def test_info_summarises_the_embedded_data():
    result = CliRunner().invoke(main, ["info"])
    assert result.exit_code == 0, result.output
    assert "Zaanstad (GM0479), 2020" in result.output
    assert "buurten: 50" in result.output and "werkgebieden: 11 (indicatief)" in result.output
    assert "voorbeelddata" in result.output


def test_bad_options_give_a_clear_error_and_exit_code():
    result = CliRunner().invoke(main, ["--gemeente", "Zaanstad", "info"])
    assert result.exit_code == 1
    assert "gemeentecode" in result.output


def test_the_help_loads_no_geo_stack_and_no_database():
    """``socialbasis --help`` must answer at once: the heavy libraries load when a command
    runs, not when the command line is read."""
    import subprocess
    import sys

    code = (
        "import sys; from click.testing import CliRunner; from cli.main import main; "
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0; "
        "print(sorted(m for m in ('pandas', 'geopandas', 'sqlalchemy', 'shapely', 'pyogrio', "
        "'streamlit') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert loaded.stdout.strip() == "[]", loaded.stdout + loaded.stderr
