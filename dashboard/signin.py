"""Signing in and out in the sidebar; who is signed in, for the core.

Two ways, both real: the organisation's identity provider through Streamlit's OpenID Connect
sign-in (``st.login``, configured in ``.streamlit/secrets.toml``: see the README), and local
accounts kept in the database (``socialbasis gebruiker``). Looking needs neither.

The identity lives in the server's session state only; the browser never holds it, so what a
browser sends cannot make someone an editor. The core checks the identity on every change.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from dashboard.labels import md
from socialbasis.access import ROLE_LABELS, ROLES, Identity
from socialbasis.app import SocialBasis
from socialbasis.errors import SocialBasisError
from socialbasis.i18n import _

SESSION_KEY = "_identity"


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError):  # no secrets file at all
        return False
    except Exception:  # a secrets file that does not parse: sign-in with it is not offered
        return False


def _roles_from_secrets() -> Mapping[str, object]:
    try:
        return st.secrets.get("socialbasis", {}).get("rollen", {})
    except Exception:
        return {}


def role_of(claims: Mapping[str, object], roles: Mapping[str, object]) -> str | None:
    """The role of someone signed in with the identity provider: from a claim named in the
    secrets (``rol_claim``, whose value is ``redacteur`` or ``beheerder``), else from the
    lists of e-mail addresses (``beheerders``, ``redacteuren``). None: looking only.

    >>> role_of({"email": "a@x.nl"}, {"beheerders": ["A@x.nl"]})
    'beheerder'
    >>> role_of({"email": "b@x.nl", "rol": "redacteur"}, {"rol_claim": "rol"})
    'redacteur'
    >>> role_of({"email": "c@x.nl"}, {"redacteuren": ["a@x.nl"]}) is None
    True
    """
    claim = roles.get("rol_claim")
    if claim:
        value = claims.get(str(claim))
        values = value if isinstance(value, list) else [value]
        for role in ("beheerder", "redacteur"):
            if role in values:
                return role
    email = str(claims.get("email") or "").strip().lower()
    if email:
        for role, key in (("beheerder", "beheerders"), ("redacteur", "redacteuren")):
            listed = {str(e).strip().lower() for e in roles.get(key, []) or []}  # type: ignore[union-attr]
            if email in listed:
                return role
    return None


def current_identity() -> Identity | None:
    """Who is signed in in this session (and may change things), or None."""
    identity = st.session_state.get(SESSION_KEY)
    if identity is not None:
        return identity
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        claims = st.user.to_dict()
        role = role_of(claims, _roles_from_secrets())
        if role is not None:
            user = str(claims.get("email") or claims.get("sub") or "")
            return Identity(user=user, name=str(claims.get("name") or user), role=role, via="oidc")
    return None


def _sign_in(core: SocialBasis) -> None:
    name = str(st.session_state.get("inlog_naam", ""))
    password = str(st.session_state.get("inlog_wachtwoord", ""))
    # The password leaves the session state at once; it is never shown, logged or kept.
    st.session_state["inlog_wachtwoord"] = ""
    try:
        st.session_state[SESSION_KEY] = core.accounts.sign_in(name, password)
        st.session_state["_inlog_melding"] = None
    except SocialBasisError as exc:
        st.session_state["_inlog_melding"] = str(exc)


def _sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)


def render_sign_in(core: SocialBasis) -> Identity | None:
    """The sign-in block at the bottom of the sidebar; returns who is signed in."""
    sidebar = st.sidebar
    identity = current_identity()
    sidebar.header(_("Inloggen"))
    if identity is not None:
        sidebar.markdown(
            _("Ingelogd als **{name}** ({role}).").format(
                name=md(identity.name), role=_(ROLE_LABELS[identity.role])
            )
        )
        if identity.via == "oidc":
            sidebar.button(_("Uitloggen"), on_click=st.logout, key="uitloggen")
        else:
            sidebar.button(_("Uitloggen"), on_click=_sign_out, key="uitloggen")
        return identity
    sidebar.caption(
        _("Kijken kan iedereen. Om aanbod te wijzigen logt u in als {roles}.").format(
            roles=_(" of ").join(_(ROLE_LABELS[r]) for r in ROLES)
        )
    )
    if _oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            sidebar.info(
                _(
                    "U bent ingelogd, maar uw account heeft geen rol in deze kaart. Vraag een "
                    "beheerder om u toe te voegen."
                )
            )
            sidebar.button(_("Uitloggen"), on_click=st.logout, key="uitloggen")
        else:
            sidebar.button(_("Inloggen met uw organisatie"), on_click=st.login, key="inloggen_oidc")
    with sidebar.form("inloggen", border=False):
        st.text_input(_("Gebruikersnaam"), key="inlog_naam", autocomplete="username")
        st.text_input(
            _("Wachtwoord"),
            type="password",
            key="inlog_wachtwoord",
            autocomplete="current-password",
        )
        st.form_submit_button(_("Inloggen met een lokaal account"), on_click=_sign_in, args=(core,))
    message = st.session_state.get("_inlog_melding")
    if message:
        sidebar.error(md(message))
    return None
