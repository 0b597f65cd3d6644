"""Local accounts, and signing in with them.

People sign in with their organisation's identity provider (OpenID Connect, set up in
``.streamlit/secrets.toml``) or, on one machine or in a workshop, with a local account kept in
the database: the password only as an Argon2 hash (argon2-cffi), and locked for a while after
repeated failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from socialbasis.access import Identity, check_role
from socialbasis.db.store import ListingDatabase
from socialbasis.db.tables import users
from socialbasis.errors import SocialBasisError
from socialbasis.i18n import _

MIN_PASSWORD_LENGTH = 10
MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15

_HASHER = PasswordHasher()
# Verified when the name is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("no account has this password")


class SignInRefused(SocialBasisError):
    """Wrong name or password, or an account that is locked for now."""


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise SocialBasisError(
            _("een wachtwoord moet minstens {count} tekens hebben").format(
                count=MIN_PASSWORD_LENGTH
            )
        )
    return password


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    locked_until: datetime | None
    failed_attempts: int


class Accounts:
    """The local accounts in the database."""

    def __init__(self, database: ListingDatabase) -> None:
        self.database = database

    def list(self) -> list[Account]:
        with self.database.engine.connect() as connection:
            rows = connection.execute(sa.select(users).order_by(users.c.username)).mappings()
            return [_account(row) for row in rows]

    def get(self, username: str) -> Account | None:
        with self.database.engine.connect() as connection:
            row = (
                connection.execute(sa.select(users).where(users.c.username == username))
                .mappings()
                .first()
            )
        return None if row is None else _account(row)

    def add(self, username: str, password: str, role: str, display_name: str = "") -> Account:
        name = username.strip()
        if not name or any(c.isspace() for c in name) or len(name) > 100:
            raise SocialBasisError(_("een gebruikersnaam is één woord van hoogstens 100 tekens"))
        hashed = _HASHER.hash(check_password(password))
        with self.database.transaction() as connection:
            exists = connection.execute(
                sa.select(users.c.username).where(users.c.username == name)
            ).first()
            if exists:
                raise SocialBasisError(_("er is al een gebruiker {name!r}").format(name=name))
            connection.execute(
                users.insert().values(
                    username=name,
                    display_name=display_name.strip(),
                    role=check_role(role),
                    password_hash=hashed,
                    created_at=datetime.now(UTC),
                )
            )
        return self.get(name)  # type: ignore[return-value]

    def set_password(self, username: str, password: str) -> None:
        self._update(username, password_hash=_HASHER.hash(check_password(password)))

    def set_role(self, username: str, role: str) -> None:
        self._update(username, role=check_role(role))

    def unlock(self, username: str) -> None:
        self._update(username, failed_attempts=0, locked_until=None)

    def remove(self, username: str) -> None:
        with self.database.transaction() as connection:
            gone = connection.execute(users.delete().where(users.c.username == username))
        if not gone.rowcount:
            raise SocialBasisError(_("er is geen gebruiker {name!r}").format(name=username))

    def sign_in(self, username: str, password: str, now: datetime | None = None) -> Identity:
        """The identity of a local account, or SignInRefused. Every failure counts; after
        ``MAX_FAILED_ATTEMPTS`` in a row the account is locked for ``LOCK_MINUTES``, also
        for the right password. The message never says whether the name exists."""
        now = now or datetime.now(UTC)
        refused = SignInRefused(_("Naam of wachtwoord klopt niet."))
        # Decided inside the transaction, raised after it: a failed attempt is recorded.
        outcome: Identity | SignInRefused = refused
        with self.database.transaction() as connection:
            row = (
                connection.execute(sa.select(users).where(users.c.username == username.strip()))
                .mappings()
                .first()
            )
            locked_until = None if row is None else _aware(row["locked_until"])
            if row is None:
                _verify(_DUMMY_HASH, password)
            elif locked_until is not None and locked_until > now:
                outcome = SignInRefused(
                    _(
                        "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
                        "Probeer het na {minutes} minuten opnieuw, of vraag een beheerder."
                    ).format(minutes=LOCK_MINUTES)
                )
            elif not _verify(row["password_hash"], password):
                failed = row["failed_attempts"] + 1
                values: dict[str, object] = {"failed_attempts": failed}
                if failed >= MAX_FAILED_ATTEMPTS:
                    values = {
                        "failed_attempts": 0,
                        "locked_until": now + timedelta(minutes=LOCK_MINUTES),
                    }
                connection.execute(
                    users.update().where(users.c.username == row["username"]).values(**values)
                )
            else:
                values = {"failed_attempts": 0, "locked_until": None}
                if _HASHER.check_needs_rehash(row["password_hash"]):
                    values["password_hash"] = _HASHER.hash(password)
                connection.execute(
                    users.update().where(users.c.username == row["username"]).values(**values)
                )
                outcome = Identity(
                    user=row["username"],
                    name=row["display_name"] or row["username"],
                    role=row["role"],
                    via="lokaal",
                )
        if isinstance(outcome, SignInRefused):
            raise outcome
        return outcome

    def _update(self, username: str, **values: object) -> None:
        with self.database.transaction() as connection:
            done = connection.execute(
                users.update().where(users.c.username == username).values(**values)
            )
        if not done.rowcount:
            raise SocialBasisError(_("er is geen gebruiker {name!r}").format(name=username))


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns times without zone; they are stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _account(row: sa.RowMapping) -> Account:
    return Account(
        username=row["username"],
        display_name=row["display_name"],
        role=row["role"],
        locked_until=_aware(row["locked_until"]),
        failed_attempts=row["failed_attempts"],
    )
