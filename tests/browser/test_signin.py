"""Signing in, in a real browser: through a real OpenID Connect provider started by the test
(oidc-provider-mock), and with a local account. Someone without a role only looks."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Dashboard, dashboard_env, free_port, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def with_provider(tmp_path) -> Iterator[Dashboard]:
    from oidc_provider_mock import User, run_server_in_thread

    people = [
        User(sub="alice", claims={"email": "alice@example.org", "name": "Alice Proef"}),
        User(sub="bob", claims={"email": "bob@example.org", "name": "Bob Proef"}),
    ]
    with run_server_in_thread(user_claims=people) as provider:
        port = free_port()
        configuration = tmp_path / "secrets.toml"
        # What a municipality writes in .streamlit/secrets.toml (see the README); only Alice
        # has a role here.
        configuration.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(16)}"\n'
            'client_id = "sociale-basis-kaart"\n'
            f'client_secret = "{secrets.token_hex(8)}"\n'
            "server_metadata_url = "
            f'"http://localhost:{provider.server_port}/.well-known/openid-configuration"\n'
            "\n[socialbasis.rollen]\n"
            'beheerders = ["alice@example.org"]\n',
            encoding="utf-8",
        )
        server = Dashboard(
            dashboard_env(tmp_path), port=port, args=["--secrets.files", str(configuration)]
        )
        yield server
        server.stop()


def _sign_in_with_the_provider(page: Page, server: Dashboard, who: str) -> None:
    page.goto(server.url + "?modus=gegevens")
    page.get_by_role("button", name="Inloggen met uw organisatie").click()
    # The provider's own page: who signs in.
    page.locator("input[name=sub]").fill(who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server.url}**")


def test_signing_in_with_the_organisations_provider_gives_the_listed_role(
    page: Page, with_provider: Dashboard
):
    _sign_in_with_the_provider(page, with_provider, "alice")
    page.goto(with_provider.url + "?modus=gegevens")
    expect(page.get_by_text("Ingelogd als Alice Proef (beheerder)")).to_be_visible()
    expect(page.get_by_role("heading", name="Aanbod inlezen")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    # Signing out also ends the session at the provider (its own page, then back).
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{with_provider.url}**")
    page.goto(with_provider.url + "?modus=gegevens")
    expect(page.get_by_role("button", name="Inloggen met uw organisatie")).to_be_visible()
    expect(page.get_by_role("heading", name="Aanbod inlezen")).to_have_count(0)


def test_someone_the_provider_knows_but_without_a_role_only_looks(
    page: Page, with_provider: Dashboard
):
    _sign_in_with_the_provider(page, with_provider, "bob")
    page.goto(with_provider.url + "?modus=gegevens")
    expect(page.get_by_text("geen rol in deze kaart")).to_be_visible()
    expect(page.get_by_role("heading", name="Aanbod inlezen")).to_have_count(0)


def test_a_local_account_signs_in_and_an_anonymous_visitor_sees_no_controls(
    page: Page, zaanstad: Dashboard
):
    page.goto(zaanstad.url + "?modus=gegevens")
    expect(page.get_by_text("kan een ingelogde beheerder")).to_be_visible()
    expect(page.locator(".st-key-upload_bestand")).to_have_count(0)
    expect(page.get_by_role("button", name="Maak ongedaan")).to_have_count(0)
    # A redacteur edits listings but does not load data.
    sign_in(page, zaanstad, role="redacteur")
    expect(page.get_by_text("kan een ingelogde beheerder")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    sign_in(page, zaanstad, role="beheerder")
    expect(page.get_by_role("heading", name="Aanbod inlezen")).to_be_visible()
    # The password is never in the page.
    assert "een wachtwoord voor de test" not in page.content()
