"""Open a database the way the app and the CLI both do: resolve, migrate, seed."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from provider_desk.areas.seed import ensure_reference_data
from provider_desk.db.engine import resolve_database_url, sqlite_path
from provider_desk.db.schema import HEAD_REVISION, UpgradeResult
from provider_desk.db.session import Database, read_only_upgrade, storage_error
from provider_desk.errors import StorageError


class NoDatabaseError(StorageError):
    """There is no database file at the path given (and none was created)."""


def no_database(path: object) -> NoDatabaseError:
    """The message for a missing database file."""
    return NoDatabaseError(
        f"No database at {path}.", "Check the path, or start Provider Desk once to create one."
    )


def _schema_revision(db: Database) -> str | None:
    """The database's revision, read directly (None if it has no schema yet)."""
    with db.engine.connect() as conn:
        has_table = db.engine.dialect.has_table(conn, "alembic_version")
        if not has_table:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def open_database(
    path_or_url: str | None = None, *, user: str | None = None, create: bool = False
) -> tuple[Database, UpgradeResult]:
    """Open and migrate the chosen database, then seed reference data.

    A SQLite file that does not exist is created only with ``create`` (the GUI's first start,
    ``provider-desk db upgrade``, a new demo, tests): anywhere else a mistyped path would make,
    and then back up or import into, a new empty database.

    Raises:
        NoDatabaseError: no SQLite file there and not ``create``.
        SchemaTooNewError: the database comes from a newer Provider Desk.
        StorageError: the file or server cannot be used.
    """
    url = resolve_database_url(path_or_url)
    path = sqlite_path(url)
    if not create and path is not None and not path.is_file():
        raise no_database(path)
    db = Database(url, user=user)
    try:
        revision = _schema_revision(db)
        if revision == HEAD_REVISION:
            # The usual case: nothing to migrate, so Alembic is not even imported.
            result = UpgradeResult(HEAD_REVISION, HEAD_REVISION, None)
        elif db.read_only:
            raise read_only_upgrade(db, revision)
        else:
            from provider_desk.db.migrate import upgrade

            result = upgrade(db.engine)
    except DBAPIError as exc:
        db.dispose()
        raise storage_error(exc) from exc
    except Exception:
        db.dispose()
        raise
    if not db.read_only:  # a read-only copy is shown as it is
        ensure_reference_data(db)
    return db, result
