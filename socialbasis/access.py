"""Who may change what: roles, identities and the check every change goes through.

Looking is open to everyone. Changing listings takes a signed-in *redacteur*; undoing imports,
loading data (listing files, werkgebieden, residents) and managing accounts take a
*beheerder*. The core asks ``require`` on every change, whatever the dashboard shows or a
browser sends. Light on purpose (no database, no hashing): the CLI imports it at start.
"""

from __future__ import annotations

from dataclasses import dataclass

from socialbasis.errors import SocialBasisError
from socialbasis.i18n import N_, _

ROLES = ("redacteur", "beheerder")
EDIT = "bewerken"  # listings: add, edit, move, stop, restore, confirm
MANAGE = "beheren"  # undo imports, load data, manage accounts
PERMISSIONS: dict[str, tuple[str, ...]] = {EDIT: ROLES, MANAGE: ("beheerder",)}
ROLE_LABELS = {"redacteur": N_("redacteur"), "beheerder": N_("beheerder")}


class NotAllowed(SocialBasisError):
    """A change asked for without the right to make it."""


@dataclass(frozen=True)
class Identity:
    """Someone who may change things: their name, role and how they signed in."""

    user: str  # the login name or e-mail address
    name: str  # how the interface greets them
    role: str  # "redacteur" or "beheerder"
    via: str  # "lokaal", "oidc" or "cli"

    @property
    def actor(self) -> str:
        """How the history records them, e.g. ``lokaal:anna``."""
        return f"{self.via}:{self.user}"

    def may(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]


def require(identity: Identity | None, permission: str) -> Identity:
    """``identity`` if it holds ``permission``; otherwise NotAllowed, saying what is needed."""
    if identity is not None and identity.may(permission):
        return identity
    needed = _("beheerder") if permission == MANAGE else _("redacteur of beheerder")
    if identity is None:
        raise NotAllowed(_("Log eerst in: dit mag alleen een {role}.").format(role=needed))
    raise NotAllowed(
        _("Dit mag alleen een {role}; u bent ingelogd als {current}.").format(
            role=needed, current=_(ROLE_LABELS[identity.role])
        )
    )


def check_role(role: str) -> str:
    if role not in ROLES:
        raise SocialBasisError(
            _("onbekende rol {role!r}; kies uit {roles}").format(role=role, roles=", ".join(ROLES))
        )
    return role
