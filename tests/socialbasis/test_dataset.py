import filecmp
from pathlib import Path

import pytest

from scripts.generate_demo_data import generate
from socialbasis.app import SocialBasis
from socialbasis.dataset import EMBEDDED_DIR, load_dataset
from socialbasis.errors import SocialBasisError
from socialbasis.vocab import Discipline, Layer, TargetGroup, codes
from tests.helpers import initiative_row, make_settings, put_listings, venue_row


def test_embedded_zaanstad_has_real_areas_and_example_listings(embedded):
    assert (embedded.gemeentecode, embedded.gemeentenaam, embedded.year) == (
        "GM0479",
        "Zaanstad",
        2024,
    )
    assert (len(embedded.buurten), len(embedded.wijken), len(embedded.werkgebieden)) == (79, 19, 11)
    assert 150 <= len(embedded.initiatives) <= 250
    assert 30 <= len(embedded.venues) <= 50
    assert embedded.listings_are_examples
    assert embedded.initiatives["is_example"].all() and embedded.venues["is_example"].all()
    assert embedded.initiatives["name"].str.startswith("Voorbeeld").all()
    assert embedded.venues["name"].str.startswith("Voorbeeld").all()
    assert embedded.initiatives["address"].str.contains("Fictief").all()
    assert embedded.initiatives["buurtcode"].notna().all()
    assert "CBS/Kadaster" in embedded.boundary_attribution


def test_example_listings_cover_every_layer_quadrant_discipline_and_target_group(embedded):
    listed = embedded.initiatives
    quadrants = listed.groupby(["layer", "support_activation", "individual_collective"]).size()
    assert len(quadrants) == 3 * 2 * 2
    assert set(listed["discipline"]) == set(codes(Discipline))
    groups = set(listed["target_groups"].str.split(";").explode())
    assert groups == set(codes(TargetGroup))
    assert set(listed["layer"]) == set(codes(Layer))


def test_example_listings_are_uneven_with_rich_buurten_and_real_gaps(embedded):
    per_buurt = (
        embedded.initiatives.groupby("buurtcode")
        .size()
        .reindex(embedded.buurten["buurtcode"], fill_value=0)
    )
    assert (per_buurt == 0).sum() >= 15
    assert (per_buurt >= 8).sum() >= 5


def test_example_listings_regenerate_identically(tmp_path: Path):
    for written in generate(tmp_path):
        committed = EMBEDDED_DIR / "initiatives" / written.name
        assert filecmp.cmp(written, committed, shallow=False), written.name


def test_stored_listings_replace_the_examples(tmp_path: Path):
    settings = make_settings(tmp_path)
    put_listings(settings.data_dir, [initiative_row()], [venue_row()])
    dataset = SocialBasis(settings).dataset()
    assert list(dataset.initiatives["id"]) == ["t-1"]
    assert list(dataset.venues["id"]) == ["v-1"]
    assert not dataset.listings_are_examples
    assert dataset.initiatives["buurtcode"].iloc[0].startswith("BU0479")


def test_unknown_gemeente_says_how_to_fetch_it(tmp_path: Path):
    with pytest.raises(SocialBasisError, match="socialbasis fetch --gemeente GM0363"):
        load_dataset(make_settings(tmp_path, gemeente="GM0363"))


def test_werkgebieden_setting_replaces_the_indicative_mapping(tmp_path: Path, embedded):
    mapping = tmp_path / "teams.csv"
    wijken = sorted(embedded.buurten["wijkcode"].unique())
    mapping.write_text(
        "code,werkgebied,status\n"
        + "\n".join(
            f"{code},{'Noord' if code > 'WK047930' else 'Zuid'},officieel" for code in wijken
        )
    )
    dataset = load_dataset(make_settings(tmp_path, werkgebieden=mapping))
    assert sorted(dataset.werkgebieden["werkgebied"]) == ["Noord", "Zuid"]
    assert not dataset.area_mapping.is_indicative
