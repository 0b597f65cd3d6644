"""Plans: planned activities, saved under a name, apart from the listings.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Declared here as it is at this revision (not imported from tables.py, which moves on).
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("layer", sa.String(20), nullable=False),
        sa.Column("activities", sa.JSON, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(name) > 0", name="ck_plans_name"),
    )
    op.create_index("ix_plans_gemeente", "plans", ["gemeentecode"])


def downgrade() -> None:
    op.drop_table("plans")
