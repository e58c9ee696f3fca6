"""Open a database the way the app and the CLI both do: resolve, migrate, seed."""

from __future__ import annotations

from provider_desk.db.engine import resolve_database_url
from provider_desk.db.migrate import UpgradeResult, upgrade
from provider_desk.db.session import Database
from provider_desk.services.seed import ensure_reference_data


def open_database(
    path_or_url: str | None = None, *, user: str | None = None
) -> tuple[Database, UpgradeResult]:
    """Open (creating if needed) and migrate the chosen database, then seed reference data.

    Raises:
        SchemaTooNewError: the database comes from a newer Provider Desk.
        StorageError: the file or server cannot be used.
    """
    from sqlalchemy.exc import DBAPIError

    from provider_desk.db.session import storage_error

    db = Database(resolve_database_url(path_or_url), user=user)
    try:
        result = upgrade(db.engine)
    except DBAPIError as exc:
        db.dispose()
        raise storage_error(exc) from exc
    except Exception:
        db.dispose()
        raise
    ensure_reference_data(db)
    return db, result
