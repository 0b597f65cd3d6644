from pathlib import Path

import pytest

from socialbasis.errors import SettingsError
from socialbasis.settings import SPECS, Settings, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_need_no_environment():
    settings = load_settings({})
    assert settings.gemeente == "GM0479" and settings.jaar == 2020
    assert settings.overpass_url.startswith("https://")
    assert settings.offline is False


def test_environment_overrides_are_parsed_and_checked():
    settings = load_settings(
        {
            "SOCIALBASIS_OFFLINE": "ja",
            "SOCIALBASIS_HTTP_RETRIES": "2",
            "SOCIALBASIS_PDOK_URL": "http://127.0.0.1:9/pdok/",
        }
    )
    assert settings.offline is True and settings.http_retries == 2
    assert settings.pdok_url == "http://127.0.0.1:9/pdok"
    with pytest.raises(SettingsError, match="SOCIALBASIS_HTTP_TIMEOUT"):
        load_settings({"SOCIALBASIS_HTTP_TIMEOUT": "-1"})
    with pytest.raises(SettingsError, match="gemeentecode"):
        load_settings({"SOCIALBASIS_GEMEENTE": "Zaanstad"})


def test_unknown_settings_are_refused_not_ignored():
    with pytest.raises(SettingsError, match="SOCIALBASIS_OFLINE"):
        load_settings({"SOCIALBASIS_OFLINE": "1"})
    with pytest.raises(SettingsError, match="colour"):
        load_settings({}, colour="red")


def test_every_setting_is_declared_once_and_documented_in_the_readme():
    assert [spec.name for spec in SPECS] == list(Settings.__dataclass_fields__)
    readme = README.read_text(encoding="utf-8")
    undocumented = [spec.env for spec in SPECS if spec.env not in readme]
    assert undocumented == []


def test_overrides_are_checked_like_environment_variables():
    with pytest.raises(SettingsError, match="jaar='twintig'"):
        load_settings({}, jaar="twintig")
    with pytest.raises(SettingsError, match="gemeentecode"):
        load_settings({}, gemeente="Zaanstad")
    assert load_settings({}, jaar=2024, offline=True).offline is True
    assert load_settings({}, werkgebieden=None).werkgebieden is None


def test_the_core_takes_options_through_the_same_checks():
    from socialbasis.app import SocialBasis

    core = SocialBasis.from_options({}, gemeente="gm0479", jaar=2024)
    assert (core.settings.gemeente, core.settings.jaar) == ("GM0479", 2024)
    with pytest.raises(SettingsError, match="SOCIALBASIS_JAAR"):
        SocialBasis.from_options({}, jaar="x")
