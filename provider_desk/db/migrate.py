"""Bring a database to the program's schema at start: back up first, refuse a newer schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from provider_desk import clock
from provider_desk.db.backup import backup_sqlite
from provider_desk.db.engine import BUSY_TIMEOUT_MS, SQLITE_BEGIN, sqlite_path
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


MIGRATION_LOCK_KEY = 0x50524F56  # "PROV": PostgreSQL advisory lock held while migrating
MIGRATION_WAIT_MS = 300_000  # SQLite: how long a second PC waits for the first to finish


def upgrade(engine: Engine, *, backup: bool = True) -> UpgradeResult:
    """Upgrade ``engine``'s database to the head revision.

    Two PCs starting a new version at once cannot both migrate: the upgrade holds a lock (SQLite's
    write lock; a PostgreSQL advisory lock) and reads the revision again once it has it, so the
    second PC waits and then finds the work done.

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
    _refuse_newer(script, current)
    with migration_connection(engine) as conn:
        # Read again under the lock: another PC may have migrated while we waited for it.
        current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return UpgradeResult(current, head, None)
        _refuse_newer(script, current)
        backup_path = None
        path = sqlite_path(str(engine.url))
        if backup and current is not None and path is not None:
            stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
            backup_path = path.with_name(f"{path.stem}.before-{head[:8]}-{stamp}.sqlite3")
            backup_sqlite(path, backup_path)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return UpgradeResult(current, head, backup_path)


def _refuse_newer(script: ScriptDirectory, current: str | None) -> None:
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise SchemaTooNewError(
            "This database was saved by a newer version of Provider Desk than this one "
            f"(schema {current}).",
            "Install the latest Provider Desk on this PC. Nothing has been changed.",
        )


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for migrating, holding the migration lock.

    SQLite: the transaction starts with ``BEGIN IMMEDIATE`` (the write lock; readers carry on),
    waiting up to :data:`MIGRATION_WAIT_MS` for another PC's upgrade. Foreign keys are off
    meanwhile (batch mode copies tables) and checked afterwards; the pragma only works outside a
    transaction, so it goes straight to the driver first. PostgreSQL: a transaction-scoped
    advisory lock, released at commit or rollback.
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
            raw.execute(f"PRAGMA busy_timeout={MIGRATION_WAIT_MS}")
            conn.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        try:
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
                yield conn
                if raw is not None:
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise RuntimeError(f"foreign keys broken by migration: {problems[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
