"""Alembic environment: runs on the app's connection, or on the configured database from the CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from provider_desk.areas.models import Base
from provider_desk.db.engine import make_engine, resolve_database_url
from provider_desk.db.migrate import migration_connection

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection the app passed in, or open the configured database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # From the `alembic` command line: the database comes from PROVIDER_DESK_DATABASE_URL.
    engine = make_engine(resolve_database_url())
    with migration_connection(engine) as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported.")
run_migrations_online()
