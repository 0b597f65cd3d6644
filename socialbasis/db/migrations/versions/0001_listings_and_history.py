"""Listings, venues and their history.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from socialbasis.db.tables import changes, changesets, listings

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # The first revision creates the tables as declared in tables.py at this revision; every
    # later change to tables.py comes with a revision of its own.
    for table in (listings, changesets, changes):
        table.create(bind)
    if bind.dialect.name == "postgresql":
        # A PostGIS point in RD New, computed from the stored coordinates, with a spatial
        # index: QGIS opens the same table as a map layer.
        from geoalchemy2 import Geometry  # only here: SQLite never needs it

        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        op.add_column(
            "listings",
            sa.Column(
                "geom",
                Geometry("POINT", srid=28992, spatial_index=False),
                sa.Computed("ST_SetSRID(ST_MakePoint(x_rd, y_rd), 28992)", persisted=True),
            ),
        )
        op.execute("CREATE INDEX ix_listings_geom ON listings USING GIST (geom)")


def downgrade() -> None:
    for name in ("changes", "changesets", "listings"):
        op.drop_table(name)
