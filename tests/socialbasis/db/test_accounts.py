"""Local accounts and who may change what, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from cli.main import main
from socialbasis.access import Identity, NotAllowed
from socialbasis.accounts import LOCK_MINUTES, MAX_FAILED_ATTEMPTS, Accounts, SignInRefused
from socialbasis.app import SocialBasis
from socialbasis.errors import SocialBasisError
from socialbasis.settings import load_settings
from tests.helpers import initiative_row, put_listings

PASSWORD = "lang genoeg geheim"


def test_a_local_account_signs_in_and_only_its_hash_is_stored(database):
    accounts = Accounts(database)
    accounts.add("anna", PASSWORD, "redacteur", "Anna de Vries")
    identity = accounts.sign_in("anna", PASSWORD)
    assert identity == Identity("anna", "Anna de Vries", "redacteur", "lokaal")
    assert identity.actor == "lokaal:anna"
    with database.engine.connect() as connection:
        stored = [
            dict(row) for row in connection.execute(sa.text("SELECT * FROM users")).mappings()
        ]
    assert stored[0]["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in repr(stored)


def test_wrong_passwords_lock_the_account_for_a_while(database):
    accounts = Accounts(database)
    accounts.add("bob", PASSWORD, "beheerder")
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    for _attempt in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInRefused, match="klopt niet"):
            accounts.sign_in("bob", "verkeerd wachtwoord", now=now)
    # Locked: now even the right password is refused, with a message that says so.
    with pytest.raises(SignInRefused, match="geblokkeerd"):
        accounts.sign_in("bob", PASSWORD, now=now + timedelta(minutes=1))
    later = now + timedelta(minutes=LOCK_MINUTES + 1)
    assert accounts.sign_in("bob", PASSWORD, now=later).role == "beheerder"
    # A beheerder can also lift the lock at once.
    for _attempt in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInRefused):
            accounts.sign_in("bob", "nog steeds fout", now=later)
    accounts.unlock("bob")
    assert accounts.sign_in("bob", PASSWORD, now=later).user == "bob"


def test_an_unknown_name_gets_the_same_answer_as_a_wrong_password(database):
    accounts = Accounts(database)
    accounts.add("carla", PASSWORD, "redacteur")
    with pytest.raises(SignInRefused) as unknown:
        accounts.sign_in("niemand", PASSWORD)
    with pytest.raises(SignInRefused) as wrong:
        accounts.sign_in("carla", "niet het wachtwoord")
    assert str(unknown.value) == str(wrong.value)


def test_accounts_are_checked_when_made_or_changed(database):
    accounts = Accounts(database)
    with pytest.raises(SocialBasisError, match="minstens 10 tekens"):
        accounts.add("dirk", "kort", "redacteur")
    with pytest.raises(SocialBasisError, match="onbekende rol"):
        accounts.add("dirk", PASSWORD, "baas")
    accounts.add("dirk", PASSWORD, "redacteur")
    with pytest.raises(SocialBasisError, match="al een gebruiker"):
        accounts.add("dirk", PASSWORD, "redacteur")
    accounts.set_role("dirk", "beheerder")
    accounts.set_password("dirk", "een ander lang wachtwoord")
    assert accounts.sign_in("dirk", "een ander lang wachtwoord").role == "beheerder"
    accounts.remove("dirk")
    with pytest.raises(SocialBasisError, match="geen gebruiker"):
        accounts.remove("dirk")


def test_the_core_refuses_every_change_without_the_right_role(tmp_path, database_url):
    put_listings(
        tmp_path, [initiative_row(id="a", end_date="2099-01-01")], database_url=database_url
    )
    settings = load_settings({"SOCIALBASIS_DATABASE_URL": database_url}, data_dir=tmp_path)
    anonymous = SocialBasis(settings)
    editor = SocialBasis(settings, identity=Identity("e", "E", "redacteur", "lokaal"))
    for attempt in (
        lambda core: core.retire("a", "gestopt"),
        lambda core: core.restore("a"),
        lambda core: core.undo(1),
        lambda core: core.save_mapping(b"code,werkgebied\n", "x.csv"),
        lambda core: core.remove_population(),
    ):
        with pytest.raises(NotAllowed, match="Log eerst in"):
            attempt(anonymous)
    # A redacteur edits listings, but loading data and undoing imports are a beheerder's.
    assert editor.retire("a", "gestopt per 1 maart") > 0
    assert editor.restore("a") > 0
    with pytest.raises(NotAllowed, match="alleen een beheerder"):
        editor.undo(1)  # an import
    # An editor may undo an edit of one listing (here the last restore).
    assert editor.undo(int(editor.changesets()["id"].iloc[0])) > 0
    assert "a" not in set(editor.listings()[0]["id"])  # stopped again
    with pytest.raises(NotAllowed, match="alleen een beheerder"):
        editor.remove_population()
    history = editor.history("a")
    assert [change.actor for change in history][-2:] == ["lokaal:e", "lokaal:e"]


def test_accounts_are_managed_from_the_cli(tmp_path, database_url):
    env = {"SOCIALBASIS_DATA_DIR": str(tmp_path), "SOCIALBASIS_DATABASE_URL": database_url}
    runner = CliRunner(env=env)
    added = runner.invoke(
        main,
        ["gebruiker", "toevoegen", "eva", "--rol", "beheerder", "--wachtwoord-van-stdin"],
        input=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    assert PASSWORD not in added.output
    listed = runner.invoke(main, ["gebruiker", "lijst"])
    assert "eva: beheerder" in listed.output
    assert runner.invoke(main, ["gebruiker", "rol", "eva", "redacteur"]).exit_code == 0
    short = runner.invoke(
        main, ["gebruiker", "wachtwoord", "eva", "--wachtwoord-van-stdin"], input="kort\n"
    )
    assert short.exit_code != 0 and "minstens 10 tekens" in short.output
    settings = load_settings({"SOCIALBASIS_DATABASE_URL": database_url}, data_dir=tmp_path)
    assert SocialBasis(settings).accounts.sign_in("eva", PASSWORD).role == "redacteur"
    assert runner.invoke(main, ["gebruiker", "verwijderen", "eva"]).exit_code == 0
    assert "Nog geen lokale accounts" in runner.invoke(main, ["gebruiker", "lijst"]).output
