"""Alembic environment: run with the connection the application hands over (see
``socialbasis.db.store.migrate``); no alembic.ini is needed."""

from __future__ import annotations

from alembic import context

from socialbasis.db.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
