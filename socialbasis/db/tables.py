"""The tables, declared once: the schema enforces what validation enforces (vocabularies as
constraints, one id per gemeente and kind), and every row has a version number."""

from __future__ import annotations

import sqlalchemy as sa

from socialbasis.access import ROLES
from socialbasis.vocab import (
    Cost,
    Discipline,
    IndividualCollective,
    Layer,
    SupportActivation,
    Wheelchair,
    codes,
)

metadata = sa.MetaData()

KINDS = ("initiatieven", "locaties")
ACTIONS = ("import", "bewerking", "gestopt", "hersteld", "ongedaan", "migratie")


def _one_of(column: str, values: list[str], nullable: bool = True) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    condition = f"{column} IN ({allowed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return sa.CheckConstraint(condition, name=f"ck_listings_{column}")


listings = sa.Table(
    "listings",
    metadata,
    sa.Column("gemeentecode", sa.String(6), primary_key=True),
    sa.Column("kind", sa.String(12), primary_key=True),
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("organisation", sa.Text, nullable=False, server_default=""),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("layer", sa.String(20), nullable=False),
    sa.Column("support_activation", sa.String(20)),
    sa.Column("individual_collective", sa.String(20)),
    sa.Column("discipline", sa.String(30)),
    sa.Column("target_groups", sa.Text, nullable=False, server_default=""),
    sa.Column("cost", sa.String(10)),
    sa.Column("wheelchair", sa.String(10)),
    sa.Column("schedule", sa.Text, nullable=False, server_default=""),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("address", sa.Text, nullable=False, server_default=""),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("x_rd", sa.Float, nullable=False),
    sa.Column("y_rd", sa.Float, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("last_verified", sa.Date),
    sa.Column("layer_suggested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("geocoded", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("kind_of_venue", sa.Text),
    sa.Column("capacity", sa.Integer),
    sa.Column("website", sa.Text, nullable=False, server_default=""),
    sa.Column("email", sa.Text, nullable=False, server_default=""),
    sa.Column("phone", sa.Text, nullable=False, server_default=""),
    sa.Column("contact_person", sa.Text, nullable=False, server_default=""),
    sa.Column("retired_on", sa.Date),
    sa.Column("retired_reason", sa.Text),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('initiatieven', 'locaties')", name="ck_listings_kind"),
    _one_of("layer", codes(Layer), nullable=False),
    _one_of("support_activation", codes(SupportActivation)),
    _one_of("individual_collective", codes(IndividualCollective)),
    _one_of("discipline", codes(Discipline)),
    _one_of("cost", codes(Cost)),
    _one_of("wheelchair", codes(Wheelchair)),
    sa.CheckConstraint(
        "lat BETWEEN 50.7 AND 53.7 AND lon BETWEEN 3.2 AND 7.3", name="ck_listings_nl"
    ),
    sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="ck_listings_capacity"),
    sa.CheckConstraint("version >= 1", name="ck_listings_version"),
    sa.CheckConstraint("length(id) > 0 AND length(name) > 0", name="ck_listings_required"),
)

changesets = sa.Table(
    "changesets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("undone_by", sa.Integer, sa.ForeignKey("changesets.id")),
    sa.CheckConstraint(
        "action IN (" + ", ".join(f"'{a}'" for a in ACTIONS) + ")", name="ck_changesets_action"
    ),
)

changes = sa.Table(
    "changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("changeset_id", sa.Integer, sa.ForeignKey("changesets.id"), nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("listing_id", sa.String(200), nullable=False),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Index("ix_changes_listing", "gemeentecode", "kind", "listing_id"),
    sa.Index("ix_changes_changeset", "changeset_id"),
)


# Local accounts (for one machine or a workshop; an organisation signs in with its identity
# provider instead). Only a password's Argon2 hash is kept; failed attempts and the lock are
# kept here too, so a lock holds across restarts and server processes.
users = sa.Table(
    "users",
    metadata,
    sa.Column("username", sa.String(100), primary_key=True),
    sa.Column("display_name", sa.Text, nullable=False, server_default=""),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
        "role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="ck_users_role"
    ),
    sa.CheckConstraint("length(username) > 0", name="ck_users_username"),
)


# Plans: planned activities someone considers, kept apart from the listings (never on the map
# as supply, never exported as listings). ``activities`` is a JSON list of planned activities.
plans = sa.Table(
    "plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("layer", sa.String(20), nullable=False),
    sa.Column("activities", sa.JSON, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("length(name) > 0", name="ck_plans_name"),
    sa.Index("ix_plans_gemeente", "gemeentecode"),
)
