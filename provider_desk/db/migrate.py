"""Bring a database to the program's schema at start: back up first, refuse a newer schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from provider_desk import clock
from provider_desk.db.backup import backup_sqlite
from provider_desk.db.engine import sqlite_path
from provider_desk.db.schema import UpgradeResult
from provider_desk.errors import SchemaTooNewError

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config() -> Config:
    """Alembic settings for the program's own migrations folder (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The schema revision this program writes, according to the migrations folder."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, *, backup: bool = True) -> UpgradeResult:
    """Upgrade ``engine``'s database to the head revision.

    A SQLite database that already holds data is copied first (online backup API) to
    ``<name>.before-<revision>-<time>.sqlite3`` beside it.

    Raises:
        SchemaTooNewError: the database was made by a newer Provider Desk.
    """
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return UpgradeResult(current, head, None)
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise SchemaTooNewError(
            "This database was saved by a newer version of Provider Desk than this one "
            f"(schema {current}).",
            "Install the latest Provider Desk on this PC. Nothing has been changed.",
        )
    backup_path = None
    path = sqlite_path(str(engine.url))
    if backup and current is not None and path is not None:
        stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
        backup_path = path.with_name(f"{path.stem}.before-{head[:8]}-{stamp}.sqlite3")
        backup_sqlite(path, backup_path)
    with migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return UpgradeResult(current, head, backup_path)


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for migrating.

    On SQLite, foreign keys are off meanwhile (batch mode copies tables) and checked afterwards;
    the pragma only works outside a transaction, so it goes straight to the driver first.
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
                if raw is not None:
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise RuntimeError(f"foreign keys broken by migration: {problems[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
