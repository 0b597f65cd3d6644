"""Contact details of listings: website, e-mail, phone and a contact person.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = ("website", "email", "phone", "contact_person")


def upgrade() -> None:
    # 0001 creates the listings table from tables.py as it is now, so a new database has
    # these columns already; an older one gets them here.
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("listings")}
    for name in COLUMNS:
        if name not in present:
            op.add_column("listings", sa.Column(name, sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("listings") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
