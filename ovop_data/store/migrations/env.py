"""Alembic's environment: always run from ovop_data.store.db with a connection it passes in."""

from __future__ import annotations

from alembic import context

from ovop_data.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
